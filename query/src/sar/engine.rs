//! Record selection and the order of everything sar prints from a file.
//!
//! This is sar's `read_stats_from_file`: the file is cut into segments at
//! LINUX RESTART records; within a segment, each selected report (each
//! output of a multi-output activity) gets its own pass over the same
//! records, then its Average. `-s`/`-e`, `-i` and `count` select rows here,
//! once, for every report. A pass re-reads the segment: since records are
//! lent one at a time and never buffered, earlier passes read a second
//! handle on the file skipped to the segment start, and only the last pass
//! advances the main one, so memory stays flat however long the file.

use std::io::{self, Write};

use sarkit_format::{Error as SaError, RecordKind, SaFile};

use super::options::{Options, TimeLimit};
use super::report::{Ctx, Report, FIRST};
use super::timefmt::{broken_down, Stamp, TimeStyle, Tm};

/// Why a report stopped early.
#[derive(Debug)]
pub enum Fail {
    /// Writing the output failed (a closed pipe, usually).
    Io(io::Error),
    /// The file is bad in a way sysstat reports.
    Sa(SaError),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

/// What sar keeps of a record header.
#[derive(Debug, Clone, Copy)]
pub struct Hdr {
    pub uptime_cs: u64,
    pub ust_time: u64,
    pub kind: Kind,
    pub cpu_nr: u32,
    pub comment: [u8; 64],
    /// The recorder's local hour, minute and second (for sadf `-t`).
    pub hms: [u8; 3],
}

impl Default for Hdr {
    fn default() -> Self {
        Hdr { uptime_cs: 0, ust_time: 0, kind: Kind::Stats, cpu_nr: 0, comment: [0; 64], hms: [0; 3] }
    }
}

impl Hdr {
    /// The comment as sar and sadf print it: up to its NUL, at most 63
    /// bytes, anything unprintable shown as `.`.
    pub fn comment_text<'b>(&self, buf: &'b mut [u8; 63]) -> &'b [u8] {
        let c = &self.comment[..63];
        let end = c.iter().position(|&b| b == 0).unwrap_or(c.len());
        for (d, &b) in buf.iter_mut().zip(&c[..end]) {
            *d = if (0x20..0x7f).contains(&b) { b } else { b'.' };
        }
        &buf[..end]
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Stats,
    Restart,
    Comment,
}

/// A position in the file's stream of records, able to start over.
pub struct Cursor {
    path: String,
    file: SaFile,
    /// Records handed out so far.
    index: u64,
    /// An unmappable activity was met: sar stops there without a word.
    stopped: bool,
}

impl Cursor {
    pub fn new(path: &str, file: SaFile) -> Cursor {
        Cursor { path: path.to_string(), file, index: 0, stopped: false }
    }

    /// A second cursor on the same file at the same record. Plain files
    /// seek straight there; a compressed stream is read again from the start.
    pub fn fork(&self) -> Result<Cursor, Fail> {
        let mut c = Cursor::new(&self.path, SaFile::open_with(&self.path, crate::open_options()).map_err(Fail::Sa)?);
        if !c.file.seek(self.file.position()) {
            for _ in 0..self.index {
                if c.file.next_record().map_err(Fail::Sa)?.is_none() {
                    break;
                }
            }
        }
        c.index = self.index;
        c.stopped = self.stopped;
        Ok(c)
    }

    /// The next record, its statistics loaded into `slot` of every report;
    /// `None` at the end of the file.
    pub fn next(&mut self, reports: &mut [Box<dyn Report>], slot: usize) -> Result<Option<Hdr>, Fail> {
        self.next_for(reports, slot, None)
    }

    /// [`Cursor::next`], loading only report `only` when given: a pass
    /// prints one report, and every other report's slots are set again from
    /// the segment's first sample before its own pass.
    pub fn next_for(
        &mut self,
        reports: &mut [Box<dyn Report>],
        slot: usize,
        only: Option<usize>,
    ) -> Result<Option<Hdr>, Fail> {
        if self.stopped {
            return Ok(None);
        }
        let rec = match self.file.next_record() {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(None),
            Err(SaError::Unmappable { .. }) => {
                self.stopped = true;
                return Ok(None);
            }
            Err(e) => return Err(Fail::Sa(e)),
        };
        self.index += 1;
        let mut h = Hdr {
            uptime_cs: rec.header.uptime_cs,
            ust_time: rec.header.ust_time,
            hms: [rec.header.hour, rec.header.minute, rec.header.second],
            ..Hdr::default()
        };
        match rec.kind {
            RecordKind::Stats(s) => match only {
                Some(i) => {
                    if let Some(r) = reports.get_mut(i) {
                        r.load(slot, &s);
                    }
                }
                None => reports.iter_mut().for_each(|r| r.load(slot, &s)),
            },
            RecordKind::Restart { cpu_nr } => {
                h.kind = Kind::Restart;
                h.cpu_nr = cpu_nr;
            }
            RecordKind::Comment(c) => {
                h.kind = Kind::Comment;
                let n = c.len().min(64);
                h.comment[..n].copy_from_slice(&c[..n]);
            }
        }
        Ok(Some(h))
    }
}

/// A record's time as sar compares and prints it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecTime {
    pub tm: Tm,
    pub epoch: i64,
}

impl RecTime {
    /// `sa_get_record_timestamp_struct`: the record's time, in UTC or local
    /// time; with `recorder`, the recorder's own hour, minute and second (`-t`).
    pub fn of(h: &Hdr, utc: bool, recorder: bool) -> Option<RecTime> {
        let mut tm = broken_down(h.ust_time as i64, utc)?;
        if recorder {
            tm.hour = h.hms[0] as i32;
            tm.min = h.hms[1] as i32;
            tm.sec = h.hms[2] as i32;
        }
        Some(RecTime { tm, epoch: h.ust_time as i64 })
    }
}

/// Whether a record at `rt` is within `-s` and `-e`.
pub fn in_range(rt: &RecTime, start: &TimeLimit, end: &TimeLimit) -> bool {
    !(datecmp(rt, start, false) < 0 || datecmp(rt, end, false) > 0)
}

/// The passes over a segment, in order: one per report, or one per selected
/// output of a multi-output report (with that output's mask; 0 for a single output).
pub fn passes(reports: &[Box<dyn Report>]) -> Vec<(usize, u32)> {
    let mut passes = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let outs = r.outputs();
        if outs == 1 {
            passes.push((i, 0));
        } else {
            (0..8).map(|b| 1u32 << b).filter(|m| outs & m != 0).for_each(|m| passes.push((i, m)));
        }
    }
    passes
}

/// `datecmp`: sign of (record time - limit); 0 when there is no limit.
pub fn datecmp(rt: &RecTime, lim: &TimeLimit, cross_day: bool) -> i64 {
    match *lim {
        TimeLimit::None => 0,
        TimeLimit::Epoch(e) => rt.epoch - e,
        TimeLimit::Hms { hour, min, sec } => {
            let h = rt.tm.hour + if cross_day { 24 } else { 0 };
            if h == hour {
                if rt.tm.min == min {
                    (rt.tm.sec - sec) as i64
                } else {
                    (rt.tm.min - min) as i64
                }
            } else {
                (h - hour) as i64
            }
        }
    }
}

/// The settings a run needs besides the reports.
pub struct Settings {
    pub style: TimeStyle,
    pub rows: u64,
    pub interval: i64,
    pub count: i64,
    pub tm_start: TimeLimit,
    pub tm_end: TimeLimit,
    pub comments: bool,
    pub cpu_nr: u32,
}

impl Settings {
    pub fn from_options(o: &Options, style: TimeStyle, rows: u64, cpu_nr: u32) -> Settings {
        Settings {
            style,
            rows,
            interval: o.interval,
            count: o.count,
            tm_start: o.tm_start,
            tm_end: o.tm_end,
            comments: o.comments,
            cpu_nr,
        }
    }
}

/// sar's globals while reading a file.
struct Engine<'a, 'w> {
    set: &'a Settings,
    reports: Vec<Box<dyn Report>>,
    cx: Ctx<'w>,
    rh: [Hdr; 3],
    curr: usize,
    cnt: i64,
    /// The last record read ended the file (sysstat's `eosaf`).
    #[doc(alias = "eosaf")]
    at_file_end: bool,
    reset: bool,
    last_uptime: u64,
    cross_day: bool,
    cpu_nr: u32,
    rectime: RecTime,
}

/// Print every report of an open file: sar's `read_stats_from_file`, from
/// the first record on (the host line is printed by the caller).
pub fn run(cursor: Cursor, reports: Vec<Box<dyn Report>>, set: &Settings, out: &mut dyn Write) -> Result<(), Fail> {
    let mut e = Engine {
        set,
        reports,
        cx: Ctx { out, ts: [Stamp::default(); 2], show_header: true, avg_count: 0 },
        rh: [Hdr::default(); 3],
        curr: 1,
        cnt: 1,
        at_file_end: true,
        reset: false,
        last_uptime: 0,
        cross_day: false,
        cpu_nr: set.cpu_nr,
        rectime: RecTime::default(),
    };
    e.read_file(cursor)
}

impl Engine<'_, '_> {
    fn rectime(&self, h: &Hdr) -> Option<RecTime> {
        RecTime::of(h, false, false)
    }

    fn read_file(&mut self, mut cur: Cursor) -> Result<(), Fail> {
        loop {
            // Skip to the first statistics record within -s/-e, printing
            // restarts and comments met on the way.
            loop {
                let Some(h) = cur.next(&mut self.reports, 0)? else { return Ok(()) };
                self.rh[0] = h;
                match h.kind {
                    Kind::Restart | Kind::Comment => {
                        self.special(&h)?;
                        continue;
                    }
                    Kind::Stats => {
                        let Some(rt) = self.rectime(&h) else { continue };
                        self.rectime = rt;
                        if !in_range(&rt, &self.set.tm_start, &self.set.tm_end) {
                            continue;
                        }
                        break;
                    }
                }
            }
            self.copy_all(FIRST, 0);
            self.reset = true;

            let passes = passes(&self.reports);
            let n = passes.len();
            for (k, &(ri, mask)) in passes.iter().enumerate() {
                if mask != 0 {
                    self.reports[ri].set_output(mask);
                }
                if k + 1 == n {
                    self.pass(&mut cur, ri)?;
                } else {
                    let mut c = cur.fork()?;
                    self.pass(&mut c, ri)?;
                }
                if mask != 0 {
                    let all = self.reports[ri].outputs();
                    self.reports[ri].set_output(all);
                }
            }
            if n == 0 {
                // sar stops at the first sample when nothing it can read was selected.
                return Ok(());
            }

            if self.cnt == 0 {
                // count reached: skip to the next restart, printing comments.
                let c = self.curr;
                loop {
                    match cur.next(&mut self.reports, c)? {
                        None => {
                            self.at_file_end = true;
                            break;
                        }
                        Some(h) => {
                            self.rh[c] = h;
                            self.at_file_end = false;
                            match h.kind {
                                Kind::Restart => break,
                                Kind::Comment => {
                                    self.special(&h)?;
                                }
                                Kind::Stats => {}
                            }
                        }
                    }
                }
            }
            if !self.at_file_end && self.rh[self.curr].kind == Kind::Restart {
                let h = self.rh[self.curr];
                self.special(&h)?;
            }
            if self.at_file_end {
                return Ok(());
            }
        }
    }

    fn copy_all(&mut self, dest: usize, src: usize) {
        self.rh[dest] = self.rh[src];
        for r in self.reports.iter_mut() {
            r.copy(dest, src);
        }
    }

    /// sar's `handle_curr_act_stats`: one report over one segment.
    fn pass(&mut self, cur: &mut Cursor, ri: usize) -> Result<(), Fail> {
        let other = 1 - self.curr;
        self.copy_all(other, FIRST);
        // sar's `xinit`: extrema cover one report's samples of one segment.
        self.reports[ri].reset_extrema();
        self.cnt = self.set.count;
        let inc = self.reports[ri].line_inc();
        let mut reset_cd = true;
        let mut lines: u64 = 0;
        let mut davg = 0u64;
        loop {
            let curr = self.curr;
            let h = cur.next_for(&mut self.reports, curr, Some(ri))?;
            if lines >= self.set.rows || lines == 0 {
                lines = 0;
                self.cx.show_header = true;
            } else {
                self.cx.show_header = false;
            }
            let Some(h) = h else {
                self.at_file_end = true;
                break;
            };
            self.at_file_end = false;
            self.rh[curr] = h;
            match h.kind {
                Kind::Restart => break,
                Kind::Comment => {
                    if self.special(&h)? && lines > 0 {
                        lines += 1;
                    }
                }
                Kind::Stats => {
                    let next = self.write_stats(ri, reset_cd)?;
                    reset_cd = false;
                    if next {
                        if self.cnt > 0 {
                            self.cnt -= 1;
                        }
                        davg += 1;
                        self.curr ^= 1;
                        lines += inc.unwrap_or_else(|| self.reports[ri].nr(self.curr).max(0) as u64);
                    }
                    self.reset = false;
                }
            }
            if self.cnt == 0 {
                break;
            }
        }
        if davg > 0 {
            self.write_avg(ri)?;
        }
        self.reset = true;
        Ok(())
    }

    fn next_slice(&mut self, uptime_ref: u64, uptime: u64) -> bool {
        next_slice(&mut self.last_uptime, self.reset, self.set.interval, uptime_ref, uptime)
    }

    fn write_stats(&mut self, ri: usize, reset_cd: bool) -> Result<bool, Fail> {
        if reset_cd {
            self.cross_day = false;
        }
        let (curr, prev) = (self.curr, 1 - self.curr);
        if !self.next_slice(self.rh[FIRST].uptime_cs, self.rh[curr].uptime_cs) {
            return Ok(false);
        }
        let Some(prt) = self.rectime(&self.rh[prev]) else { return Ok(false) };
        self.cx.ts[prev] = Stamp::time(&prt.tm, self.set.style);
        let Some(rt) = self.rectime(&self.rh[curr]) else { return Ok(false) };
        self.rectime = rt;
        self.cx.ts[curr] = Stamp::time(&rt.tm, self.set.style);
        if matches!(self.set.tm_start, TimeLimit::Hms { .. })
            && self.rh[prev].ust_time != 0
            && self.rh[curr].ust_time > self.rh[prev].ust_time
            && rt.tm.hour < prt.tm.hour
        {
            self.cross_day = true;
        }
        if self.set.tm_end != TimeLimit::None && datecmp(&rt, &self.set.tm_end, self.cross_day) > 0 {
            self.cnt = 0;
            return Ok(false);
        }
        let itv = interval(self.rh[prev].uptime_cs, self.rh[curr].uptime_cs);
        self.cx.avg_count += 1;
        let r = &mut self.reports[ri];
        if r.nr(curr) > 0 {
            r.print(&mut self.cx, prev, curr, itv)?;
            return Ok(true);
        }
        Ok(false)
    }

    fn write_avg(&mut self, ri: usize) -> Result<(), Fail> {
        let curr = 1 - self.curr;
        let itv = interval(self.rh[FIRST].uptime_cs, self.rh[curr].uptime_cs);
        let avg = Stamp::text("Average:");
        let other = if super::fmt::display().minmax { Stamp::text("Summary:") } else { avg };
        self.cx.ts[curr] = avg;
        self.cx.ts[1 - curr] = other;
        let r = &mut self.reports[ri];
        if r.nr(curr) > 0 {
            r.print_avg(&mut self.cx, curr, itv)?;
        }
        self.cx.avg_count = 0;
        Ok(())
    }

    /// `print_special_record`: a restart or a comment; true if printed.
    fn special(&mut self, h: &Hdr) -> Result<bool, Fail> {
        let Some(rt) = self.rectime(h) else { return Ok(false) };
        self.rectime = rt;
        let shown = in_range(&rt, &self.set.tm_start, &self.set.tm_end);
        let stamp = Stamp::time(&rt.tm, self.set.style);
        let out = &mut *self.cx.out;
        match h.kind {
            Kind::Restart => {
                self.cpu_nr = h.cpu_nr;
                for r in self.reports.iter_mut() {
                    r.restart(h.cpu_nr);
                }
                if !shown {
                    return Ok(false);
                }
                out.write_all(b"\n")?;
                stamp.write_padded(out)?;
                let text = format!("  LINUX RESTART\t({} CPU)", if self.cpu_nr > 1 { self.cpu_nr - 1 } else { 1 });
                super::fmt::special_text(out, true, text.as_bytes())?;
                out.write_all(b"\n")?;
            }
            Kind::Comment => {
                if !shown || !self.set.comments {
                    return Ok(false);
                }
                stamp.write_padded(out)?;
                let mut buf = [0u8; 63];
                let c = h.comment_text(&mut buf);
                let mut text = [0u8; 69];
                text[..6].copy_from_slice(b"  COM ");
                text[6..6 + c.len()].copy_from_slice(c);
                super::fmt::special_text(out, false, &text[..6 + c.len()])?;
                out.write_all(b"\n")?;
            }
            Kind::Stats => return Ok(false),
        }
        Ok(true)
    }
}

/// `next_slice`: whether the sample at `uptime` falls on a multiple of
/// `interval` seconds counted from `uptime_ref`; `last` is the previous
/// sample's uptime, reset to `uptime_ref` when `reset`.
pub fn next_slice(last: &mut u64, reset: bool, interval: i64, uptime_ref: u64, uptime: u64) -> bool {
    if *last == 0 || reset {
        *last = uptime_ref;
    }
    let round = |d: u64| -> i64 {
        let f = (d & 0xffff_ffff) as f64 / 100.0;
        let mut v = f as i64;
        if f * 10.0 - (v as f64) * 10.0 >= 5.0 {
            v += 1;
        }
        v
    };
    let file_interval = round(uptime.wrapping_sub(*last));
    *last = uptime;
    if interval <= 1 {
        return true;
    }
    let entry = round(uptime.wrapping_sub(uptime_ref));
    // sysstat does this in int: truncate like it.
    let min = (entry - file_interval / 2) as i32 as i64;
    let max = (entry + file_interval / 2 + (file_interval & 1)) as i32 as i64;
    let pt1 = ((entry / interval) * interval) as i32 as i64;
    let pt2 = (((entry / interval) + 1) * interval) as i32 as i64;
    (pt1 >= min && pt1 < max) || (pt2 >= min && pt2 < max)
}

/// `get_interval`: hundredths between two uptimes, never zero.
pub fn interval(prev: u64, curr: u64) -> u64 {
    match curr.wrapping_sub(prev) {
        0 => 1,
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datecmp_hms_and_cross_day() {
        let rt = RecTime { tm: Tm { hour: 1, min: 0, sec: 5, ..Tm::default() }, epoch: 100 };
        let lim = TimeLimit::Hms { hour: 25, min: 0, sec: 0 };
        assert!(datecmp(&rt, &lim, false) < 0);
        assert!(datecmp(&rt, &lim, true) > 0);
        assert_eq!(datecmp(&rt, &TimeLimit::Epoch(90), false), 10);
        assert_eq!(datecmp(&rt, &TimeLimit::None, false), 0);
    }

    #[test]
    fn zero_interval_is_one() {
        assert_eq!(interval(5, 5), 1);
        assert_eq!(interval(5, 7), 2);
    }
}
