//! sadf's statistics exports: `-d`, `-p`, `-r` (grouped by activity, as
//! sar prints) and `-j`, `-x` (every activity of a record together).
//!
//! The reports and the record reader are sar's ([`crate::sar`]); this module
//! only walks records the way `sadf.c` does (its `logic1_display_loop` and
//! `logic2_display_loop`) and hands each interval's row values to a printer.

use std::io::{self, Write};

use sarkit_format::{ActivityId, SaFile};

use super::options::{Format, Options as SadfOptions, TimeLimit as SadfLimit};
use crate::sar::engine::{datecmp, in_range, interval, next_slice, passes, Cursor, Fail, Hdr, Kind, RecTime};
use crate::sar::options::{self as sar_opts, DefaultFile, TimeLimit};
use crate::sar::report::raw::Raw;
use crate::sar::report::{Report, FIRST};
use crate::sar::timefmt::Tm;

use super::printers::{Printer, Stamp};

/// sysstat's activity table order (`act[]`): the order of `-h` lines and of
/// the JSON/XML statistics.
const ACT_ORDER: &[u32] = &[
    1, 2, 3, 4, 5, 6, 7, 34, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 38,
    39, 30, 31, 32, 33, 35, 43, 36, 37, 40, 41, 42,
];

/// How record times are shown (`-T`, `-t`, `-U`, or UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeMode {
    Utc,
    Local,
    True,
    Epoch,
}

struct NoDefault;

impl DefaultFile for NoDefault {
    fn default_file(&self, _dir: Option<&str>, _day_offset: i64) -> String {
        String::new()
    }
    fn is_dir(&self, _path: &str) -> bool {
        false
    }
}

/// sar's options for the activity flags after `--` and sadf's own `-P`,
/// `--iface`, `--dev`, `--fs`, `--int`, limits, interval and count.
pub(crate) fn sar_options(o: &SadfOptions, file: &str) -> Result<sar_opts::Options, ()> {
    let mut args: Vec<String> = o.sar_args.clone();
    if let Some(c) = &o.cpus {
        let list = if c.every {
            "ALL".to_string()
        } else {
            let mut parts: Vec<String> = Vec::new();
            if c.total {
                parts.push("all".into());
            }
            parts.extend(c.ranges.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }));
            parts.join(",")
        };
        args.extend(["-P".to_string(), list]);
    }
    for (flag, list) in
        [("--iface=", &o.interfaces), ("--dev=", &o.devices), ("--fs=", &o.filesystems), ("--int=", &o.interrupts)]
    {
        if !list.is_empty() {
            args.push(format!("{flag}{}", list.join(",")));
        }
    }
    args.extend(["-f".to_string(), file.to_string()]);
    let mut so = sar_opts::parse(&args, &NoDefault).map_err(|_| ())?;
    let conv = |l: &Option<SadfLimit>| match *l {
        None => TimeLimit::None,
        Some(SadfLimit::Hms { hour, min, sec }) => {
            TimeLimit::Hms { hour: hour as i32, min: min as i32, sec: sec as i32 }
        }
        Some(SadfLimit::Epoch(e)) => TimeLimit::Epoch(e as i64),
    };
    so.tm_start = conv(&o.start);
    so.tm_end = conv(&o.end);
    so.interval = o.interval.map_or(1, |i| i as i64);
    so.count = match o.count {
        None | Some(0) => -1,
        Some(n) => n as i64,
    };
    so.comments = o.comments;
    Ok(so)
}

/// Open the data file and unselect the activities it lacks; `Err` is the
/// exit status, once the reason is written to `err`.
pub(crate) fn open(
    o: &SadfOptions,
    err: &mut dyn Write,
) -> io::Result<Result<(String, SaFile, sar_opts::Options), i32>> {
    let (path, default_used) = o.data_file();
    let Ok(mut so) = sar_options(o, &path) else {
        err.write_all(super::usage(o.program()).as_bytes())?;
        return Ok(Err(1));
    };
    let f = match SaFile::open_with(&path, crate::open_options()) {
        Ok(f) => f,
        Err(e) => {
            let (msg, code) = e.sysstat_report(&path);
            err.write_all(msg.as_bytes())?;
            if default_used && matches!(&e, sarkit_format::Error::Io(io) if io.kind() == io::ErrorKind::NotFound) {
                writeln!(err, "Please check if data collecting is enabled")?;
            }
            return Ok(Err(code));
        }
    };
    if let Some(note) = crate::old_format_note(o.program(), &path, &f.info) {
        err.write_all(note.as_bytes())?;
    }
    let ids: Vec<ActivityId> = so.selected_ids().collect();
    for id in ids {
        if !f.info.has_activity(id) {
            so.unselect(id);
        }
    }
    if !so.any_selected() {
        writeln!(err, "Requested activities not available in file {path}")?;
        return Ok(Err(1));
    }
    if let Some(msg) = crate::oversized_activity(&f.info, &path) {
        err.write_all(msg.as_bytes())?;
        return Ok(Err(4));
    }
    Ok(Ok((path, f, so)))
}

/// Run an export; returns the exit status. Only a failure to write `out`
/// is an error.
pub fn run(o: &SadfOptions, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let format = o.effective_format();
    let (path, f, so) = match open(o, err)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };

    // Reports in file order (sadf's `id_seq`), with the header's item counts.
    let mut reports: Vec<Box<dyn Report>> = Vec::new();
    let mut nr_ini: Vec<i64> = Vec::new();
    let mut missing: Vec<String> = so.unsupported_flags.iter().map(|s| s.to_string()).collect();
    for (fa, st) in f.info.activities.iter().zip(&f.info.status) {
        let id = ActivityId(fa.id);
        if !so.is_selected(id) || !matches!(st, sarkit_format::reader::ActivityStatus::Known(_)) {
            continue;
        }
        if reports.iter().any(|r| r.id() == id) {
            continue;
        }
        match crate::sar::make_report(id, &so, fa.nr as i64, fa.nr2 as i64) {
            Some(r) if (format == Format::Raw && r.has_raw()) || (format != Format::Raw && r.meta().is_some()) => {
                reports.push(r);
                nr_ini.push(fa.nr as i64);
            }
            _ => missing.push(crate::sar::flag_of(id)),
        }
    }
    if !missing.is_empty() {
        writeln!(err, "rsadf: -{} of {} is not implemented yet", format.letter(), missing.join(", "))?;
        return Ok(1);
    }

    let mode = if o.epoch && matches!(format, Format::Database | Format::Ppc | Format::Raw) {
        TimeMode::Epoch
    } else if o.local_time {
        TimeMode::Local
    } else if o.true_time && format != Format::Raw {
        TimeMode::True
    } else {
        TimeMode::Utc
    };
    let horizontally = o.horizontally && format == Format::Database;
    let hdr = f.info.header.clone();
    let mut p = Printer::new(format, &hdr, mode, horizontally, o.comments, out);
    let mut x = Export {
        set: Set {
            interval: so.interval,
            count: so.count,
            tm_start: so.tm_start,
            tm_end: so.tm_end,
            mode,
            horizontally,
        },
        reports,
        nr_ini,
        rh: [Hdr::default(); 3],
        curr: 1,
        cnt: 1,
        at_file_end: true,
        reset: false,
        last_uptime: 0,
        cross_day: false,
        rectime: RecTime::default(),
    };
    let cursor = Cursor::new(&path, f);
    let r = match format {
        Format::Json | Format::Xml => x.logic1(cursor, &mut p),
        _ => x.logic2(cursor, &mut p),
    };
    match r {
        Ok(()) => Ok(0),
        Err(Fail::Io(e)) => Err(e),
        Err(Fail::Sa(e)) => {
            if e.kind() == sarkit_format::SysstatKind::SilentStop {
                return Ok(0);
            }
            p.flush()?;
            let (msg, code) = e.sysstat_report(&path);
            err.write_all(msg.as_bytes())?;
            Ok(code)
        }
    }
}

struct Set {
    interval: i64,
    count: i64,
    tm_start: TimeLimit,
    tm_end: TimeLimit,
    mode: TimeMode,
    horizontally: bool,
}

struct Export {
    set: Set,
    reports: Vec<Box<dyn Report>>,
    nr_ini: Vec<i64>,
    rh: [Hdr; 3],
    curr: usize,
    cnt: i64,
    /// The last record read ended the file (sysstat's `eosaf`).
    #[doc(alias = "eosaf")]
    at_file_end: bool,
    reset: bool,
    last_uptime: u64,
    cross_day: bool,
    rectime: RecTime,
}

/// Which reports a pass prints: one (with an output mask) or all.
#[derive(Clone, Copy)]
enum Which {
    One(usize),
    All,
}

impl Export {
    /// `sa_get_record_timestamp_struct`: UTC unless `-T`/`-t`; `-t` takes the
    /// recorder's own hour, minute and second.
    fn rectime(&self, h: &Hdr) -> Option<RecTime> {
        let local = matches!(self.set.mode, TimeMode::Local | TimeMode::True);
        RecTime::of(h, !local, self.set.mode == TimeMode::True)
    }

    fn in_range(&self, rt: &RecTime) -> bool {
        in_range(rt, &self.set.tm_start, &self.set.tm_end)
    }

    fn copy_all(&mut self, dest: usize, src: usize) {
        self.rh[dest] = self.rh[src];
        for r in self.reports.iter_mut() {
            r.copy(dest, src);
        }
    }

    /// `print_special_record`: a restart (always processed) or a comment.
    fn special(&mut self, p: &mut Printer<'_>, h: &Hdr) -> Result<(), Fail> {
        let Some(rt) = self.rectime(h) else { return Ok(()) };
        self.rectime = rt;
        let shown = self.in_range(&rt);
        match h.kind {
            Kind::Restart => {
                for (r, n) in self.reports.iter_mut().zip(self.nr_ini.iter_mut()) {
                    r.restart(h.cpu_nr);
                    if (r.id() == ActivityId::A_CPU
                        || r.id() == ActivityId::A_NET_SOFT
                        || r.id() == ActivityId::A_PWR_CPU)
                        && *n > 0
                    {
                        *n = h.cpu_nr as i64;
                    }
                }
                p.cpu_nr = h.cpu_nr;
                if shown {
                    p.restart(&Stamp::new(&rt, self.set.mode))?;
                }
            }
            Kind::Comment => {
                if shown {
                    let mut buf = [0u8; 63];
                    p.comment(&Stamp::new(&rt, self.set.mode), h.comment_text(&mut buf))?;
                }
            }
            Kind::Stats => {}
        }
        Ok(())
    }

    /// Skip to the first statistics record within `-s`/`-e`; `false` at the end.
    fn first_record(&mut self, cur: &mut Cursor, p: &mut Printer<'_>, specials: bool) -> Result<bool, Fail> {
        loop {
            let Some(h) = cur.next(&mut self.reports, 0)? else { return Ok(false) };
            self.rh[0] = h;
            match h.kind {
                Kind::Restart | Kind::Comment => {
                    if specials {
                        self.special(p, &h)?;
                    } else if h.kind == Kind::Restart {
                        for r in self.reports.iter_mut() {
                            r.restart(h.cpu_nr);
                        }
                    }
                }
                Kind::Stats => {
                    let Some(rt) = self.rectime(&h) else { continue };
                    self.rectime = rt;
                    if self.in_range(&rt) {
                        return Ok(true);
                    }
                }
            }
        }
    }

    /// `logic2_display_loop`: per segment, one pass per activity (per output).
    fn logic2(&mut self, mut cur: Cursor, p: &mut Printer<'_>) -> Result<(), Fail> {
        loop {
            if !self.first_record(&mut cur, p, true)? {
                return p.flush().map_err(Fail::Io);
            }
            self.copy_all(FIRST, 0);
            self.reset = true;
            let passes: Vec<(Which, u32)> = if self.set.horizontally {
                vec![(Which::All, 0)]
            } else {
                passes(&self.reports).into_iter().map(|(i, m)| (Which::One(i), m)).collect()
            };
            let n = passes.len();
            for (k, &(w, mask)) in passes.iter().enumerate() {
                if let (Which::One(ri), true) = (w, mask != 0) {
                    self.reports[ri].set_output(mask);
                }
                if k + 1 == n {
                    self.pass(&mut cur, p, w)?;
                } else {
                    let mut c = cur.fork()?;
                    self.pass(&mut c, p, w)?;
                }
                if let (Which::One(ri), true) = (w, mask != 0) {
                    let all = self.reports[ri].outputs();
                    self.reports[ri].set_output(all);
                }
            }
            if self.cnt == 0 {
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
                                Kind::Comment => self.special(p, &h)?,
                                Kind::Stats => {}
                            }
                        }
                    }
                }
            }
            if !self.at_file_end && self.rh[self.curr].kind == Kind::Restart {
                let h = self.rh[self.curr];
                self.special(p, &h)?;
            }
            if self.at_file_end {
                return p.flush().map_err(Fail::Io);
            }
        }
    }

    /// `rw_curr_act_stats`: one pass over a segment.
    fn pass(&mut self, cur: &mut Cursor, p: &mut Printer<'_>, w: Which) -> Result<(), Fail> {
        if p.format == Format::Database {
            self.list_fields(p, w)?;
        }
        let other = 1 - self.curr;
        self.copy_all(other, FIRST);
        self.cnt = self.set.count;
        let mut reset_cd = true;
        loop {
            let curr = self.curr;
            let Some(h) = cur.next(&mut self.reports, curr)? else {
                self.at_file_end = true;
                break;
            };
            self.at_file_end = false;
            self.rh[curr] = h;
            match h.kind {
                Kind::Restart => break,
                Kind::Comment => self.special(p, &h)?,
                Kind::Stats => {
                    if let Some(rt) = self.rectime(&h) {
                        self.rectime = rt;
                    }
                    let next = self.write_stats(p, w, reset_cd)?;
                    reset_cd = false;
                    if next {
                        self.curr ^= 1;
                        if self.cnt > 0 {
                            self.cnt -= 1;
                        }
                    }
                    self.reset = false;
                }
            }
            if self.cnt == 0 {
                break;
            }
        }
        self.reset = true;
        Ok(())
    }

    /// `list_fields`: the `# hostname;interval;timestamp;...` line of `-d`.
    fn list_fields(&mut self, p: &mut Printer<'_>, w: Which) -> Result<(), Fail> {
        let out = &mut *p.out;
        out.write_all(b"# hostname;interval;timestamp")?;
        let horiz = self.set.horizontally;
        for ri in self.order(w) {
            if self.nr_ini[ri] <= 0 {
                continue;
            }
            let r = &mut self.reports[ri];
            let outs = r.outputs();
            let masks: &[u32] =
                if outs == 1 || !matches!(w, Which::All) { &[0] } else { &[1, 2, 4, 8, 16, 32, 64, 128] };
            for &m in masks {
                if m != 0 {
                    if outs & m == 0 {
                        continue;
                    }
                    r.set_output(m);
                }
                if let Some(meta) = r.meta() {
                    out.write_all(b";")?;
                    out.write_all(meta.fields.as_bytes())?;
                    if self.nr_ini[ri] > 1 && horiz {
                        out.write_all(b"[...]")?;
                    }
                }
            }
            if masks.len() > 1 {
                r.set_output(outs);
            }
        }
        out.write_all(b"\n")?;
        Ok(())
    }

    /// Report indices a pass covers, in the order sadf prints them.
    fn order(&self, w: Which) -> Vec<usize> {
        match w {
            Which::One(i) => vec![i],
            Which::All => ACT_ORDER.iter().filter_map(|&id| self.reports.iter().position(|r| r.id().0 == id)).collect(),
        }
    }

    /// `generic_write_stats`: one record's rows; true if the record was taken.
    fn write_stats(&mut self, p: &mut Printer<'_>, w: Which, reset_cd: bool) -> Result<bool, Fail> {
        if reset_cd {
            self.cross_day = false;
        }
        let (curr, prev) = (self.curr, 1 - self.curr);
        if !next_slice(
            &mut self.last_uptime,
            self.reset,
            self.set.interval,
            self.rh[FIRST].uptime_cs,
            self.rh[curr].uptime_cs,
        ) {
            return Ok(false);
        }
        if self.set.tm_start != TimeLimit::None
            && self.rh[prev].ust_time != 0
            && self.rh[curr].ust_time > self.rh[prev].ust_time
            && self.rh[curr].hms[0] < self.rh[prev].hms[0]
        {
            self.cross_day = true;
        }
        if self.set.tm_end != TimeLimit::None && datecmp(&self.rectime, &self.set.tm_end, self.cross_day) > 0 {
            self.cnt = 0;
            return Ok(false);
        }
        let itv = interval(self.rh[prev].uptime_cs, self.rh[curr].uptime_cs);
        let mut dt = itv / 100;
        if itv % 100 >= 50 {
            dt += 1;
        }
        let stamp = Stamp::new(&self.rectime, self.set.mode);
        p.begin_record(&stamp, dt)?;
        for ri in self.order(w) {
            let r = &mut self.reports[ri];
            if r.nr(curr) <= 0 {
                continue;
            }
            let outs = r.outputs();
            // JSON and XML print an activity's outputs as one element.
            let split = !matches!(p.format, Format::Json | Format::Xml);
            if outs != 1 && split && matches!(w, Which::All) {
                for m in [1u32, 2, 4, 8, 16, 32, 64, 128] {
                    if outs & m != 0 {
                        r.set_output(m);
                        p.begin_activity(r.meta())?;
                        r.values(prev, curr, itv, p)?;
                        p.end_activity()?;
                    }
                }
                r.set_output(outs);
            } else if p.format == Format::Raw {
                let mut raw = Raw::new(&mut *p.out, &p.pre);
                r.raw(prev, curr, &mut raw)?;
            } else {
                p.begin_activity(r.meta())?;
                r.values(prev, curr, itv, p)?;
                p.end_activity()?;
            }
        }
        p.end_record()?;
        Ok(true)
    }

    /// `logic1_display_loop`: every activity of a record together, then the
    /// restarts, then the comments.
    fn logic1(&mut self, mut cur: Cursor, p: &mut Printer<'_>) -> Result<(), Fail> {
        let restart_cur = cur.fork()?;
        let comment_cur = cur.fork()?;
        p.header()?;
        p.statistics_begin()?;
        loop {
            if !self.first_record(&mut cur, p, false)? {
                break;
            }
            self.curr = 1;
            self.cnt = self.set.count;
            self.reset = true;
            self.copy_all(FIRST, 0);
            let mut restart = false;
            loop {
                let curr = self.curr;
                let Some(h) = cur.next(&mut self.reports, curr)? else {
                    self.at_file_end = true;
                    break;
                };
                self.at_file_end = false;
                self.rh[curr] = h;
                match h.kind {
                    Kind::Restart => {
                        for r in self.reports.iter_mut() {
                            r.restart(h.cpu_nr);
                        }
                        restart = true;
                    }
                    Kind::Comment => {}
                    Kind::Stats => {
                        if let Some(rt) = self.rectime(&h) {
                            self.rectime = rt;
                        }
                        p.statistics_main()?;
                        if self.write_stats(p, Which::All, false)? {
                            self.curr ^= 1;
                            if self.cnt > 0 {
                                self.cnt -= 1;
                            }
                        }
                        self.reset = false;
                    }
                }
                if self.cnt == 0 || restart {
                    break;
                }
            }
            if self.cnt == 0 {
                loop {
                    match cur.next(&mut self.reports, self.curr)? {
                        None => {
                            self.at_file_end = true;
                            break;
                        }
                        Some(h) if h.kind == Kind::Restart => {
                            self.at_file_end = false;
                            for r in self.reports.iter_mut() {
                                r.restart(h.cpu_nr);
                            }
                            break;
                        }
                        Some(_) => self.at_file_end = false,
                    }
                }
            }
            if self.at_file_end {
                break;
            }
        }
        p.statistics_end()?;
        // Restarts, then comments, each from the start of the file.
        p.restarts_begin()?;
        self.specials(restart_cur, p, Kind::Restart)?;
        p.restarts_end()?;
        if self.set_comments(p) {
            p.comments_begin()?;
            self.specials(comment_cur, p, Kind::Comment)?;
            p.comments_end()?;
        }
        p.header_end()?;
        p.flush().map_err(Fail::Io)
    }

    fn set_comments(&self, p: &Printer<'_>) -> bool {
        p.comments
    }

    fn specials(&mut self, mut cur: Cursor, p: &mut Printer<'_>, kind: Kind) -> Result<(), Fail> {
        let mut none: [Box<dyn Report>; 0] = [];
        while let Some(h) = cur.next(&mut none, 0)? {
            if h.kind != kind {
                continue;
            }
            let Some(rt) = self.rectime(&h) else { continue };
            if !self.in_range(&rt) {
                if kind == Kind::Restart {
                    p.cpu_nr = h.cpu_nr;
                }
                continue;
            }
            let st = Stamp::new(&rt, self.set.mode);
            match kind {
                Kind::Restart => {
                    p.cpu_nr = h.cpu_nr;
                    p.restart(&st)?;
                }
                _ => {
                    let mut buf = [0u8; 63];
                    p.comment(&st, h.comment_text(&mut buf))?;
                }
            }
        }
        Ok(())
    }
}

/// A broken-down time for tests and printers.
pub fn tm_of(rt: &RecTime) -> Tm {
    rt.tm
}
