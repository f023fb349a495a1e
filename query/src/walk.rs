//! The record walk: which records every output reads, decided once.
//!
//! sar's text, every sadf export, the graphs and live sar read the same
//! stream of records and apply the same time options to it: `-s`/`-e`, the
//! `-i` interval, `count`, the cross-day rule, LINUX RESTART records and
//! comments. [`Walk`] does that and hands what it selects to a [`Sink`]:
//! intervals (two sample slots and the time between them), restarts,
//! comments and the end of each pass (where the Average goes). A sink only
//! prints. The ways sysstat orders its passes over a segment are a
//! [`Structure`], not separate loops.

use std::io;

use sarkit_format::{Error as SaError, RecordKind, SaFile};

use crate::sar::options::TimeLimit;
use crate::sar::report::{Report, FIRST};
use crate::sar::timefmt::{broken_down, Tm};

/// Why a walk stopped early.
#[derive(Debug)]
pub enum Fail {
    /// Writing the output failed (a closed pipe, usually).
    Io(io::Error),
    /// The file is bad in a way sysstat reports.
    Sa(SaError),
    /// A later file of several read as one is bad: sysstat's report, with
    /// that file's name.
    SaIn { path: String, err: SaError },
}

impl Fail {
    /// The file error and the name to report it with, `path` being the
    /// first (or only) file's; `None` for an output error.
    pub fn sa_error<'a>(&'a self, path: &'a str) -> Option<(&'a SaError, &'a str)> {
        match self {
            Fail::Io(_) => None,
            Fail::Sa(e) => Some((e, path)),
            Fail::SaIn { path, err } => Some((err, path.as_str())),
        }
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

/// What the outputs keep of a record header.
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

/// A position in the stream of records of one file, or of several files
/// read as one (`rsar -f A -f B`, `--from`/`--to`), able to start over.
///
/// Files are read in the order given, each to its end, as if their records
/// were in one file: the interval from one file's last record to the next
/// file's first is an ordinary interval. When the next file starts with
/// statistics whose uptime is below the last record's, the machine was
/// restarted between the files without a LINUX RESTART mark: the cursor
/// hands out one, dated as that first record and with the new file's CPU
/// count, so that the outputs show the restart as they show one inside a
/// file.
pub struct Cursor {
    /// Every file of the stream, in reading order.
    paths: std::rc::Rc<[String]>,
    /// Which of `paths` `file` is.
    file_no: usize,
    file: SaFile,
    /// Records handed out so far from `file`.
    index: u64,
    /// An unmappable activity was met: sar stops there without a word.
    stopped: bool,
    /// The uptime of the last statistics record handed out, to see a
    /// restart between files.
    last_stats_uptime: Option<u64>,
    /// A restart to hand out before the current file's first record.
    pending_restart: Option<Hdr>,
}

impl Cursor {
    pub fn new(path: &str, file: SaFile) -> Cursor {
        Cursor::chain(vec![path.to_string()], file)
    }

    /// A cursor over `paths` read as one stream, starting in `first`, the
    /// open first of them. The others are opened as they are reached.
    pub fn chain(paths: Vec<String>, first: SaFile) -> Cursor {
        Cursor {
            paths: paths.into(),
            file_no: 0,
            file: first,
            index: 0,
            stopped: false,
            last_stats_uptime: None,
            pending_restart: None,
        }
    }

    /// The file the cursor reads now (for messages).
    pub fn path(&self) -> &str {
        self.paths.get(self.file_no).map_or("", String::as_str)
    }

    /// The header of the file the cursor reads now.
    pub fn header(&self) -> &sarkit_format::FileHeader {
        &self.file.info.header
    }

    /// An error of the file being read: the first file's as sysstat reports
    /// it for its one file, a later one's with its own name.
    fn fail(&self, e: SaError) -> Fail {
        if self.file_no == 0 {
            Fail::Sa(e)
        } else {
            Fail::SaIn { path: self.path().to_string(), err: e }
        }
    }

    /// A second cursor on the same stream at the same record. Plain files
    /// seek straight there; a compressed stream is read again from the start.
    pub fn fork(&self) -> Result<Cursor, Fail> {
        let path = self.path().to_string();
        let file = SaFile::open_with(&path, crate::open_options()).map_err(|e| self.fail(e))?;
        let mut c = Cursor {
            paths: self.paths.clone(),
            file_no: self.file_no,
            file,
            index: 0,
            stopped: self.stopped,
            last_stats_uptime: self.last_stats_uptime,
            pending_restart: self.pending_restart,
        };
        if !c.file.seek(self.file.position()) {
            for _ in 0..self.index {
                if c.file.next_record().map_err(|e| self.fail(e))?.is_none() {
                    break;
                }
            }
        }
        c.index = self.index;
        Ok(c)
    }

    /// Go on to the next file of the stream; `false` when there is none.
    /// Sees a restart between the files (see [`Cursor`]).
    fn next_file(&mut self) -> Result<bool, Fail> {
        if self.file_no + 1 >= self.paths.len() {
            return Ok(false);
        }
        self.file_no += 1;
        self.index = 0;
        let path = self.path().to_string();
        self.file = SaFile::open_with(&path, crate::open_options()).map_err(|e| self.fail(e))?;
        let first = match self.file.next_record() {
            Ok(Some(rec)) => match rec.kind {
                RecordKind::Stats(_) => Some(rec.header),
                _ => None,
            },
            _ => None,
        };
        if let (Some(first), Some(last)) = (first, self.last_stats_uptime) {
            if first.uptime_cs < last {
                self.pending_restart = Some(Hdr {
                    uptime_cs: first.uptime_cs,
                    ust_time: first.ust_time,
                    kind: Kind::Restart,
                    cpu_nr: self.file.info.header.sa_cpu_nr,
                    hms: [first.hour, first.minute, first.second],
                    ..Hdr::default()
                });
            }
        }
        // Back to the first record: a plain file seeks, a zstd stream may not.
        let start = self.file.info.data_offset;
        if !self.file.seek(start) {
            self.file = SaFile::open_with(&path, crate::open_options()).map_err(|e| self.fail(e))?;
        }
        Ok(true)
    }

    /// The next record, its statistics loaded into `slot` of every report;
    /// `None` at the end of the stream.
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
        self.next_loading(reports, slot, Load::Reports(only))
    }

    /// [`Cursor::next`] without loading the statistics into any report: the
    /// caller loads them with [`Cursor::load_current`] if it keeps the
    /// record. Records skipped so are never decoded (an archive's columns
    /// stay compressed, spec/archive.md).
    pub fn next_header(&mut self) -> Result<Option<Hdr>, Fail> {
        self.next_loading(&mut [], 0, Load::Nothing)
    }

    /// Load the statistics of the record [`Cursor::next_header`] returned
    /// into every report's `slot`.
    pub fn load_current(&mut self, reports: &mut [Box<dyn Report>], slot: usize) {
        if let Some(s) = self.file.current_stats() {
            reports.iter_mut().for_each(|r| r.load(slot, &s));
        }
    }

    fn next_loading(&mut self, reports: &mut [Box<dyn Report>], slot: usize, load: Load) -> Result<Option<Hdr>, Fail> {
        loop {
            if self.stopped {
                return Ok(None);
            }
            if let Some(h) = self.pending_restart.take() {
                self.last_stats_uptime = None;
                return Ok(Some(h));
            }
            let rec = match self.file.next_record() {
                Ok(Some(r)) => r,
                Ok(None) => {
                    if self.next_file()? {
                        continue;
                    }
                    return Ok(None);
                }
                Err(SaError::Unmappable { .. }) => {
                    self.stopped = true;
                    return Ok(None);
                }
                Err(e) => return Err(self.fail(e)),
            };
            self.index += 1;
            let mut h = Hdr {
                uptime_cs: rec.header.uptime_cs,
                ust_time: rec.header.ust_time,
                hms: [rec.header.hour, rec.header.minute, rec.header.second],
                ..Hdr::default()
            };
            match rec.kind {
                RecordKind::Stats(s) => {
                    self.last_stats_uptime = Some(h.uptime_cs);
                    match load {
                        Load::Reports(Some(i)) => {
                            if let Some(r) = reports.get_mut(i) {
                                r.load(slot, &s);
                            }
                        }
                        Load::Reports(None) => reports.iter_mut().for_each(|r| r.load(slot, &s)),
                        Load::Nothing => {}
                    }
                }
                RecordKind::Restart { cpu_nr } => {
                    self.last_stats_uptime = None;
                    h.kind = Kind::Restart;
                    h.cpu_nr = cpu_nr;
                }
                RecordKind::Comment(c) => {
                    h.kind = Kind::Comment;
                    let n = c.len().min(64);
                    h.comment[..n].copy_from_slice(&c[..n]);
                }
            }
            return Ok(Some(h));
        }
    }
}

/// Which reports a record read is loaded into.
#[derive(Clone, Copy)]
enum Load {
    /// Every report, or only the one given.
    Reports(Option<usize>),
    Nothing,
}

/// A record's time as the outputs compare and print it.
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

/// The time options: which records are shown.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// `-i`: seconds between shown records; 1 or less shows every one.
    pub interval: i64,
    /// Intervals per pass; negative: no limit.
    pub count: i64,
    /// `-s`.
    pub start: TimeLimit,
    /// `-e`.
    pub end: TimeLimit,
}

/// How records are dated, for `-s`/`-e` and for printing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub utc: bool,
    /// The recorder's own hour, minute and second (sadf `-t`).
    pub recorder: bool,
}

impl Clock {
    pub fn date(&self, h: &Hdr) -> Option<RecTime> {
        RecTime::of(h, self.utc, self.recorder)
    }
}

/// The two programs' rules for dating an interval, which differ in sysstat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dating {
    /// sar: both ends of an interval must be dated (both are printed), and
    /// a new day starts, with `-s` as a time of day, when the hour of the
    /// clock goes back.
    Sar,
    /// sadf: a record that cannot be dated keeps the last date seen, and a
    /// new day starts, with any `-s`, when the recorder's hour goes back.
    Sadf,
}

/// How the walk orders its passes; sysstat has one loop for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// sar and sadf `-d`/`-p`/`-r` (`logic2_display_loop`): the file is cut
    /// into segments at restarts; each segment gets one pass per selected
    /// report output, then that output's Average.
    PerOutput,
    /// sadf `-d -h`: segments as [`Structure::PerOutput`], one pass over
    /// every report.
    AllReports,
    /// sadf `-j`/`-x` (`logic1_display_loop`): segments with one pass over
    /// every report, whose slots start over in each segment and whose
    /// cross-day state runs through the file.
    Records,
    /// sadf `-g`: one pass over the whole file; a restart makes the next
    /// statistics record the base of the following interval, nothing more.
    Rebase,
}

/// Which reports a pass shows: one (with its current output) or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    One(usize),
    All,
}

impl Pass {
    /// The report indices a pass shows, in report order.
    pub fn reports(self, n: usize) -> std::ops::Range<usize> {
        match self {
            Pass::One(i) if i < n => i..i + 1,
            Pass::One(_) => 0..0,
            Pass::All => 0..n,
        }
    }
}

/// A selected interval: the reports' slots `prev` and `curr`, `itv`
/// hundredths of a second apart.
#[derive(Debug, Clone, Copy)]
pub struct Interval {
    pub prev: usize,
    pub curr: usize,
    pub itv: u64,
    /// When `curr` was recorded.
    pub time: RecTime,
    /// When `prev` was recorded (always there under [`Dating::Sar`]).
    pub prev_time: Option<RecTime>,
    /// The record's header.
    pub hdr: Hdr,
    /// The header of the record in slot `prev`: its time, where
    /// [`Interval::prev_time`] is not dated (the OpenMetrics export's
    /// first counter sample of a segment).
    pub prev_hdr: Hdr,
}

/// The end of a pass: what its Average covers.
#[derive(Debug, Clone, Copy)]
pub struct Average {
    /// The slot of the last interval taken; the Average runs from [`FIRST`].
    pub last: usize,
    pub itv: u64,
    /// Intervals the sink took in this pass.
    pub taken: u64,
    /// The pass ended because `count` intervals were taken.
    pub counted_out: bool,
}

/// A restart or comment record met on the way.
#[derive(Debug, Clone, Copy)]
pub struct Special<'a> {
    pub hdr: &'a Hdr,
    /// `None` when the record cannot be dated (sysstat then skips it).
    pub time: Option<RecTime>,
    /// Within `-s`/`-e`.
    pub in_range: bool,
}

/// What a walk hands its output. Every method but [`Sink::interval`] may
/// be left out.
pub trait Sink {
    /// A pass over a segment starts.
    fn begin_pass(&mut self, _reports: &mut [Box<dyn Report>], _pass: Pass) -> Result<(), Fail> {
        Ok(())
    }
    /// A pass read a record of this kind (`None`: the end of the file),
    /// before the walk looks at it.
    fn record(&mut self, _kind: Option<Kind>) -> Result<(), Fail> {
        Ok(())
    }
    /// An interval was selected; returns whether it was taken (shown), so
    /// that the slots turn and `count` goes down.
    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail>;
    /// A pass ended.
    fn end_pass(&mut self, _reports: &mut [Box<dyn Report>], _pass: Pass, _avg: &Average) -> Result<(), Fail> {
        Ok(())
    }
    /// A restart record; the reports already know.
    fn restart(&mut self, _sp: &Special<'_>) -> Result<(), Fail> {
        Ok(())
    }
    /// A comment record; returns whether it was shown.
    fn comment(&mut self, _sp: &Special<'_>) -> Result<bool, Fail> {
        Ok(false)
    }
}

/// The walk over one file for one set of reports.
pub struct Walk<'r> {
    reports: &'r mut [Box<dyn Report>],
    sel: Selection,
    clock: Clock,
    dating: Dating,
    structure: Structure,
    /// sar's `record_hdr[3]`, indexed by slot.
    rh: [Hdr; 3],
    curr: usize,
    cnt: i64,
    at_file_end: bool,
    reset: bool,
    last_uptime: u64,
    cross_day: bool,
    /// The last date read ([`Dating::Sadf`]'s fallback).
    last_time: RecTime,
}

impl<'r> Walk<'r> {
    pub fn new(
        reports: &'r mut [Box<dyn Report>],
        sel: Selection,
        clock: Clock,
        dating: Dating,
        structure: Structure,
    ) -> Walk<'r> {
        Walk {
            reports,
            sel,
            clock,
            dating,
            structure,
            rh: [Hdr::default(); 3],
            curr: 1,
            cnt: 1,
            at_file_end: true,
            reset: false,
            last_uptime: 0,
            cross_day: false,
            last_time: RecTime::default(),
        }
    }

    /// The header of the first record shown (the segment's first, in slot
    /// [`FIRST`]).
    pub fn first(&self) -> &Hdr {
        &self.rh[FIRST]
    }

    /// Walk the file from `cur` to its end.
    pub fn run(&mut self, cur: Cursor, sink: &mut dyn Sink) -> Result<(), Fail> {
        match self.structure {
            Structure::Rebase => self.rebased(cur, sink),
            _ => self.segments(cur, sink),
        }
    }

    fn date(&mut self, h: &Hdr) -> Option<RecTime> {
        let t = self.clock.date(h);
        if let (Some(t), Dating::Sadf) = (t, self.dating) {
            self.last_time = t;
        }
        t
    }

    fn copy_all(&mut self, dest: usize, src: usize) {
        self.rh[dest] = self.rh[src];
        for r in self.reports.iter_mut() {
            r.copy(dest, src);
        }
    }

    /// `print_special_record`: the reports learn of a restart, unless the
    /// record cannot be dated where sysstat prints restarts in the stream.
    fn special(&mut self, h: &Hdr, sink: &mut dyn Sink) -> Result<bool, Fail> {
        let time = self.date(h);
        let sp = Special { hdr: h, time, in_range: time.is_some_and(|t| self.in_range(&t)) };
        match h.kind {
            Kind::Restart => {
                let in_stream = matches!(self.structure, Structure::PerOutput | Structure::AllReports);
                if time.is_some() || !in_stream {
                    self.reports.iter_mut().for_each(|r| r.restart(h.cpu_nr));
                }
                sink.restart(&sp)?;
                Ok(false)
            }
            Kind::Comment => sink.comment(&sp),
            Kind::Stats => Ok(false),
        }
    }

    fn in_range(&self, t: &RecTime) -> bool {
        in_range(t, &self.sel.start, &self.sel.end)
    }

    /// Skip to the first statistics record within `-s`/`-e` (into slot 0),
    /// handing on restarts and comments; `false` at the end of the file.
    fn first_record(&mut self, cur: &mut Cursor, sink: &mut dyn Sink) -> Result<bool, Fail> {
        loop {
            // Records before the window are only dated, never decoded.
            let Some(h) = cur.next_header()? else { return Ok(false) };
            self.rh[0] = h;
            match h.kind {
                Kind::Restart | Kind::Comment => {
                    self.special(&h, sink)?;
                }
                Kind::Stats => {
                    let Some(t) = self.date(&h) else { continue };
                    if self.in_range(&t) {
                        cur.load_current(self.reports, 0);
                        return Ok(true);
                    }
                }
            }
        }
    }

    /// The passes over a segment, in order, each with its output mask (0:
    /// leave the report's outputs as they are).
    fn passes(&self) -> Vec<(Pass, u32)> {
        if self.structure != Structure::PerOutput {
            return vec![(Pass::All, 0)];
        }
        let mut passes = Vec::new();
        for (i, r) in self.reports.iter().enumerate() {
            let outs = r.outputs();
            if outs == 1 {
                passes.push((Pass::One(i), 0));
            } else {
                (0..8).map(|b| 1u32 << b).filter(|m| outs & m != 0).for_each(|m| passes.push((Pass::One(i), m)));
            }
        }
        passes
    }

    /// sar's `read_stats_from_file`, sadf's `logic1_display_loop` and
    /// `logic2_display_loop`: segment by segment.
    fn segments(&mut self, mut cur: Cursor, sink: &mut dyn Sink) -> Result<(), Fail> {
        loop {
            if !self.first_record(&mut cur, sink)? {
                return Ok(());
            }
            if self.structure == Structure::Records {
                self.curr = 1;
            }
            self.copy_all(FIRST, 0);
            self.reset = true;
            let passes = self.passes();
            if passes.is_empty() {
                // sar stops at the first sample when nothing it can read was selected.
                return Ok(());
            }
            let n = passes.len();
            for (k, &(pass, mask)) in passes.iter().enumerate() {
                let one = match pass {
                    Pass::One(i) if mask != 0 => Some(i),
                    _ => None,
                };
                if let Some(i) = one {
                    self.reports[i].set_output(mask);
                }
                if k + 1 == n {
                    self.pass(&mut cur, pass, sink)?;
                } else {
                    let mut c = cur.fork()?;
                    self.pass(&mut c, pass, sink)?;
                }
                if let Some(i) = one {
                    let all = self.reports[i].outputs();
                    self.reports[i].set_output(all);
                }
            }
            if self.cnt == 0 {
                // count reached: skip to the next restart, handing on comments.
                let c = self.curr;
                loop {
                    match cur.next(self.reports, c)? {
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
                                    self.special(&h, sink)?;
                                }
                                Kind::Stats => {}
                            }
                        }
                    }
                }
            }
            if !self.at_file_end && self.rh[self.curr].kind == Kind::Restart {
                let h = self.rh[self.curr];
                self.special(&h, sink)?;
            }
            if self.at_file_end {
                return Ok(());
            }
        }
    }

    /// sar's `handle_curr_act_stats`, sadf's `rw_curr_act_stats`: one pass
    /// over the segment, up to a restart, `count` or the end of the file.
    fn pass(&mut self, cur: &mut Cursor, pass: Pass, sink: &mut dyn Sink) -> Result<(), Fail> {
        let other = 1 - self.curr;
        self.copy_all(other, FIRST);
        self.cnt = self.sel.count;
        if self.structure != Structure::Records {
            self.cross_day = false;
        }
        sink.begin_pass(self.reports, pass)?;
        let only = match pass {
            Pass::One(i) => Some(i),
            Pass::All => None,
        };
        let mut taken = 0u64;
        let mut counted_out = false;
        loop {
            let curr = self.curr;
            let h = cur.next_for(self.reports, curr, only)?;
            sink.record(h.map(|h| h.kind))?;
            let Some(h) = h else {
                self.at_file_end = true;
                break;
            };
            self.at_file_end = false;
            self.rh[curr] = h;
            match h.kind {
                Kind::Restart => break,
                Kind::Comment => {
                    self.special(&h, sink)?;
                }
                Kind::Stats => {
                    if self.dating == Dating::Sadf {
                        self.date(&h);
                    }
                    if let Some(iv) = self.select() {
                        if sink.interval(self.reports, pass, &iv)? {
                            self.turn();
                            taken += 1;
                            counted_out = self.cnt == 0;
                        }
                    }
                    self.reset = false;
                }
            }
            if self.cnt == 0 {
                break;
            }
        }
        let last = 1 - self.curr;
        let avg =
            Average { last, itv: interval(self.rh[FIRST].uptime_cs, self.rh[last].uptime_cs), taken, counted_out };
        sink.end_pass(self.reports, pass, &avg)?;
        self.reset = true;
        Ok(())
    }

    /// The interval ending at the record in slot `curr`, if the time
    /// options select it; `-e` passed sets `count` to 0.
    fn select(&mut self) -> Option<Interval> {
        let (curr, prev) = (self.curr, 1 - self.curr);
        let (hp, hc) = (self.rh[prev], self.rh[curr]);
        if !next_slice(&mut self.last_uptime, self.reset, self.sel.interval, self.rh[FIRST].uptime_cs, hc.uptime_cs) {
            return None;
        }
        let (time, prev_time, new_day) = match self.dating {
            Dating::Sar => {
                let pt = self.clock.date(&hp)?;
                let t = self.clock.date(&hc)?;
                (t, Some(pt), matches!(self.sel.start, TimeLimit::Hms { .. }) && t.tm.hour < pt.tm.hour)
            }
            Dating::Sadf => (self.last_time, None, self.sel.start != TimeLimit::None && hc.hms[0] < hp.hms[0]),
        };
        if new_day && hp.ust_time != 0 && hc.ust_time > hp.ust_time {
            self.cross_day = true;
        }
        if self.sel.end != TimeLimit::None && datecmp(&time, &self.sel.end, self.cross_day) > 0 {
            self.cnt = 0;
            return None;
        }
        let itv = interval(hp.uptime_cs, hc.uptime_cs);
        Some(Interval { prev, curr, itv, time, prev_time, hdr: hc, prev_hdr: hp })
    }

    /// An interval was taken: its end becomes the next one's start.
    fn turn(&mut self) {
        self.curr ^= 1;
        if self.cnt > 0 {
            self.cnt -= 1;
        }
    }

    /// sadf `-g`: one pass over the file; past a restart, the next
    /// statistics record starts the next interval.
    fn rebased(&mut self, mut cur: Cursor, sink: &mut dyn Sink) -> Result<(), Fail> {
        if !self.first_record(&mut cur, sink)? {
            return Ok(());
        }
        self.copy_all(FIRST, 0);
        self.reset = true;
        self.cnt = self.sel.count;
        let mut taken = 0u64;
        'read: while self.cnt != 0 {
            let curr = self.curr;
            let Some(h) = cur.next(self.reports, curr)? else { break };
            match h.kind {
                Kind::Comment => {}
                Kind::Restart => {
                    self.special(&h, sink)?;
                    self.reset = true;
                    loop {
                        let Some(h2) = cur.next(self.reports, curr)? else { break 'read };
                        match h2.kind {
                            Kind::Restart => {
                                self.special(&h2, sink)?;
                            }
                            Kind::Comment => {}
                            Kind::Stats => {
                                self.rh[curr] = h2;
                                break;
                            }
                        }
                    }
                    self.curr ^= 1;
                }
                Kind::Stats => {
                    self.rh[curr] = h;
                    self.date(&h);
                    let selected = self.select();
                    if selected.is_none() && self.cnt == 0 {
                        // past `-e`
                        break;
                    }
                    if let Some(iv) = selected {
                        if sink.interval(self.reports, Pass::All, &iv)? {
                            self.turn();
                            taken += 1;
                        }
                    }
                    self.reset = false;
                }
            }
        }
        let last = 1 - self.curr;
        let avg = Average {
            last,
            itv: interval(self.rh[FIRST].uptime_cs, self.rh[last].uptime_cs),
            taken,
            counted_out: self.cnt == 0,
        };
        sink.end_pass(self.reports, Pass::All, &avg)
    }

    /// Live sar (`read_stats`): the first record is the reference; every
    /// later statistics record is an interval (no `-s` or `-i`), until
    /// `count`, `-e` or the end of the stream. At the end of the stream,
    /// `interrupted` says whether it was asked for (then the Average
    /// follows, from the last record) or not (the walk returns false).
    pub fn live(&mut self, mut cur: Cursor, sink: &mut dyn Sink, interrupted: &dyn Fn() -> bool) -> Result<bool, Fail> {
        let Some(h) = cur.next(self.reports, 0)? else { return Ok(interrupted()) };
        self.rh[0] = h;
        self.copy_all(FIRST, 0);
        self.cnt = self.sel.count;
        let mut curr = 1;
        let mut taken = 0u64;
        loop {
            let Some(h) = cur.next(self.reports, curr)? else {
                if !interrupted() {
                    return Ok(false);
                }
                sink.record(None)?;
                curr ^= 1;
                break;
            };
            if h.kind != Kind::Stats {
                continue;
            }
            self.rh[curr] = h;
            sink.record(Some(Kind::Stats))?;
            let prev = curr ^ 1;
            if let (Some(pt), Some(t)) = (self.clock.date(&self.rh[prev]), self.clock.date(&h)) {
                self.last_time = t;
                if self.sel.end != TimeLimit::None && datecmp(&t, &self.sel.end, false) > 0 {
                    self.cnt = 0;
                } else {
                    let itv = interval(self.rh[prev].uptime_cs, h.uptime_cs);
                    let iv =
                        Interval { prev, curr, itv, time: t, prev_time: Some(pt), hdr: h, prev_hdr: self.rh[prev] };
                    if sink.interval(self.reports, Pass::All, &iv)? {
                        taken += 1;
                    }
                }
            }
            if self.sel.end != TimeLimit::None && datecmp(&self.last_time, &self.sel.end, false) == 0 {
                self.cnt = 0;
            }
            if self.cnt > 0 {
                self.cnt -= 1;
            }
            if self.cnt == 0 {
                break;
            }
            curr ^= 1;
        }
        let avg = Average {
            last: curr,
            itv: interval(self.rh[FIRST].uptime_cs, self.rh[curr].uptime_cs),
            taken,
            counted_out: self.cnt == 0,
        };
        sink.end_pass(self.reports, Pass::All, &avg)?;
        Ok(true)
    }

    /// `sar 0` (`write_stats_startup`): the first record of the stream
    /// against boot time, once: the previous slot is made zeros, as many
    /// items as the record has, and its header uptime 0 at the same time.
    pub fn since_boot(&mut self, mut cur: Cursor, sink: &mut dyn Sink) -> Result<(), Fail> {
        let Some(h) = cur.next(self.reports, 0)? else { return Ok(()) };
        let boot = Hdr { uptime_cs: 0, ..h };
        for r in self.reports.iter_mut() {
            r.zero(1, 0);
        }
        self.rh[0] = h;
        self.rh[1] = boot;
        if let Some(t) = self.clock.date(&h) {
            let iv = Interval {
                prev: 1,
                curr: 0,
                itv: interval(0, h.uptime_cs),
                time: t,
                prev_time: Some(t),
                hdr: h,
                prev_hdr: boot,
            };
            sink.interval(self.reports, Pass::All, &iv)?;
        }
        Ok(())
    }
}

/// The restarts or the comments of a file within `-s`/`-e`, from `cur` to
/// the end, each with its date (sadf `-j`/`-x` list them after the
/// statistics). Restarts outside the range are handed on too, unshown, as
/// they change the CPU count.
pub fn specials(
    mut cur: Cursor,
    clock: Clock,
    sel: &Selection,
    kind: Kind,
    mut each: impl FnMut(&Special<'_>) -> Result<(), Fail>,
) -> Result<(), Fail> {
    let mut none: [Box<dyn Report>; 0] = [];
    while let Some(h) = cur.next(&mut none, 0)? {
        if h.kind != kind {
            continue;
        }
        let Some(t) = clock.date(&h) else { continue };
        let in_range = in_range(&t, &sel.start, &sel.end);
        if in_range || kind == Kind::Restart {
            each(&Special { hdr: &h, time: Some(t), in_range })?;
        }
    }
    Ok(())
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

    #[test]
    fn slices_follow_the_interval() {
        let mut last = 0;
        // Samples every second from uptime 0; -i 3 keeps every third.
        let kept: Vec<u64> = (1..=9u64).filter(|&s| next_slice(&mut last, s == 1, 3, 0, s * 100)).collect();
        assert_eq!(kept, vec![3, 6, 9]);
    }

    #[test]
    fn passes_cover_one_report_or_all() {
        assert_eq!(Pass::One(2).reports(5), 2..3);
        assert!(Pass::One(7).reports(5).is_empty());
        assert_eq!(Pass::All.reports(3), 0..3);
    }
}
