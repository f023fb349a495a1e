//! sadf's statistics exports: `-d`, `-p`, `-r` (grouped by activity, as
//! sar prints) and `-j`, `-x` (every activity of a record together).
//!
//! The reports are sar's ([`crate::sar`]) and the records are selected by
//! the walk ([`crate::walk`]), in `sadf.c`'s orders (its
//! `logic1_display_loop` and `logic2_display_loop`); this module hands each
//! interval's row values to a printer.

use std::io::{self, Write};

use sarkit_format::{ActivityId, SaFile};

use super::options::{Format, Options as SadfOptions, TimeLimit as SadfLimit};
use crate::sar::options::{self as sar_opts, DefaultFile, TimeLimit};
use crate::sar::report::Report;
use crate::walk::{self, Clock, Cursor, Dating, Fail, Interval, Kind, Pass, Selection, Sink, Special, Structure, Walk};

use super::printers::{self, Printer, Stamp};

/// sysstat's activity table order (`act[]`): the order of `-h` lines and of
/// the JSON/XML statistics; sarkit's extensions come last.
pub(crate) const ACT_ORDER: &[u32] = &[
    1, 2, 3, 4, 5, 6, 7, 34, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 38,
    39, 30, 31, 32, 33, 35, 43, 36, 37, 40, 41, 42, 1001,
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
    so.device_lookup = o.environment.devices.clone();
    Ok(so)
}

/// The files of an export in reading order, the first open, and sar's
/// options for them.
pub(crate) type Opened = (Vec<String>, SaFile, sar_opts::Options);

/// Open the data file and unselect the activities it lacks; `Err` is the
/// exit status, once the reason is written to `err`.
pub(crate) fn open(o: &SadfOptions, err: &mut dyn Write) -> io::Result<Result<Opened, i32>> {
    let (paths, default_used) = match data_files(o, err)? {
        Ok(p) => p,
        Err(code) => return Ok(Err(code)),
    };
    let path = paths[0].clone();
    let Ok(mut so) = sar_options(o, &path) else {
        err.write_all(super::usage(o.program()).as_bytes())?;
        return Ok(Err(1));
    };
    if paths.len() > 1 {
        return Ok(crate::files::open_files(o.program(), &paths, &mut so, err)?.map(|(paths, f)| (paths, f, so)));
    }
    let f = match crate::files::open_file(o.program(), &path, default_used, &mut so, err)? {
        Ok(f) => f,
        Err(code) => return Ok(Err(code)),
    };
    Ok(Ok((vec![path], f, so)))
}

/// The files to read, in order, and whether the one file is the default
/// daily file: sadf's one file, several named (sarkit), or the daily
/// files of `--from` to `--to` in the folder named or the default one.
fn data_files(o: &SadfOptions, err: &mut dyn Write) -> io::Result<Result<(Vec<String>, bool), i32>> {
    let is_dir = |f: &str| std::path::Path::new(f).is_dir();
    if o.to_day.is_some() && o.from_day.is_none() {
        writeln!(err, "{}: --to needs --from: the first day to read", o.program())?;
        return Ok(Err(1));
    }
    let Some(from) = o.from_day else {
        let (first, default_used) = o.data_file();
        let more = o.more_files.iter().map(|f| if is_dir(f) { o.daily.file_in(f, 0) } else { f.clone() });
        return Ok(Ok((std::iter::once(first).chain(more).collect(), default_used)));
    };
    let dir = o.file.as_deref();
    if !o.more_files.is_empty() || dir.is_some_and(|d| !is_dir(d)) {
        writeln!(
            err,
            "{}: --from and --to read a folder's daily files: name a folder, or none for the default one",
            o.program()
        )?;
        return Ok(Err(1));
    }
    Ok(crate::files::files_of_days(o.program(), &o.daily, dir, from, o.to_day, err)?.map(|p| (p, false)))
}

/// Run an export; returns the exit status. Only a failure to write `out`
/// is an error.
pub fn run(o: &SadfOptions, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let format = o.effective_format();
    let (paths, f, so) = match open(o, err)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };

    // Reports in file order (sadf's `id_seq`), with the header's item counts.
    let mut reports: Vec<Box<dyn Report>> = Vec::new();
    let mut nr_ini: Vec<i64> = Vec::new();
    let mut missing: Vec<String> = so.unsupported_flags.iter().map(|s| s.to_string()).collect();
    for (fa, report) in crate::registry::selected_reports(&f.info, &so) {
        match report {
            Some(r) if (format == Format::Raw && r.has_raw()) || (format != Format::Raw && r.meta().is_some()) => {
                reports.push(r);
                nr_ini.push(fa.nr as i64);
            }
            _ => missing.push(crate::sar::flag_of(ActivityId(fa.id))),
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
    let structure = match format {
        Format::Json | Format::Xml => Structure::Records,
        _ if horizontally => Structure::AllReports,
        _ => Structure::PerOutput,
    };
    let mut x = Export {
        p: printers::new(format, &hdr, mode, horizontally, o.comments, out),
        mode,
        horizontally,
        records: structure == Structure::Records,
        ids: reports.iter().map(|r| r.id()).collect(),
        nr_ini,
    };
    let sel = Selection { interval: so.interval, count: so.count, start: so.tm_start, end: so.tm_end };
    let clock = Clock { utc: !matches!(mode, TimeMode::Local | TimeMode::True), recorder: mode == TimeMode::True };
    let mut walk = Walk::new(&mut reports, sel, clock, Dating::Sadf, structure);
    let r = x.run(&mut walk, Cursor::chain(paths.clone(), f), clock, &sel);
    match r {
        Ok(()) => Ok(0),
        Err(Fail::Io(e)) => Err(e),
        Err(fail) => {
            let Some((e, path)) = fail.sa_error(&paths[0]) else { return Ok(0) };
            if e.kind() == sarkit_format::SysstatKind::SilentStop {
                return Ok(0);
            }
            x.p.flush()?;
            let (msg, code) = e.sysstat_report(path);
            err.write_all(msg.as_bytes())?;
            Ok(code)
        }
    }
}

/// An export as the walk's sink: the printer, and the header's item
/// counts for `-d`'s field list.
struct Export<'w> {
    p: Box<dyn Printer<'w> + 'w>,
    mode: TimeMode,
    horizontally: bool,
    /// `-j`/`-x`: every activity of a record together; restarts and
    /// comments are listed after the statistics.
    records: bool,
    ids: Vec<ActivityId>,
    nr_ini: Vec<i64>,
}

impl Export<'_> {
    fn run(&mut self, walk: &mut Walk<'_>, cur: Cursor, clock: Clock, sel: &Selection) -> Result<(), Fail> {
        if !self.records {
            walk.run(cur, self)?;
            return self.p.flush().map_err(Fail::Io);
        }
        // Restarts, then comments, each from the start of the file.
        let (restarts, comments) = (cur.fork()?, cur.fork()?);
        self.p.header()?;
        self.p.statistics_begin()?;
        walk.run(cur, self)?;
        self.p.statistics_end()?;
        self.p.specials_begin("restarts")?;
        let (p, mode) = (&mut self.p, self.mode);
        walk::specials(restarts, clock, sel, Kind::Restart, |sp| {
            p.common().cpu_nr = sp.hdr.cpu_nr;
            match sp.time {
                Some(t) if sp.in_range => Ok(p.restart(&Stamp::new(&t, mode))?),
                _ => Ok(()),
            }
        })?;
        p.specials_end("restarts")?;
        if p.common().comments {
            p.specials_begin("comments")?;
            walk::specials(comments, clock, sel, Kind::Comment, |sp| {
                let mut buf = [0u8; 63];
                match sp.time {
                    Some(t) => Ok(p.comment(&Stamp::new(&t, mode), sp.hdr.comment_text(&mut buf))?),
                    None => Ok(()),
                }
            })?;
            p.specials_end("comments")?;
        }
        p.header_end()?;
        p.flush().map_err(Fail::Io)
    }

    /// `list_fields`: the `# hostname;interval;timestamp;...` line of `-d`.
    fn list_fields(&mut self, reports: &mut [Box<dyn Report>], pass: Pass) -> Result<(), Fail> {
        let Some(out) = self.p.fields_line() else { return Ok(()) };
        out.write_all(b"# hostname;interval;timestamp")?;
        let horiz = self.horizontally;
        for ri in order(reports, pass) {
            if self.nr_ini[ri] <= 0 {
                continue;
            }
            let r = &mut reports[ri];
            let outs = r.outputs();
            let masks: &[u32] =
                if outs == 1 || !matches!(pass, Pass::All) { &[0] } else { &[1, 2, 4, 8, 16, 32, 64, 128] };
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
}

/// Report indices a pass covers, in the order sadf prints them.
fn order(reports: &[Box<dyn Report>], pass: Pass) -> Vec<usize> {
    match pass {
        Pass::One(i) => vec![i],
        Pass::All => ACT_ORDER.iter().filter_map(|&id| reports.iter().position(|r| r.id().0 == id)).collect(),
    }
}

impl Sink for Export<'_> {
    fn begin_pass(&mut self, reports: &mut [Box<dyn Report>], pass: Pass) -> Result<(), Fail> {
        self.list_fields(reports, pass)
    }

    fn record(&mut self, kind: Option<Kind>) -> Result<(), Fail> {
        if self.records && kind == Some(Kind::Stats) {
            self.p.statistics_main()?;
        }
        Ok(())
    }

    /// `generic_write_stats`: one record's rows.
    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        let (prev, curr, itv) = (iv.prev, iv.curr, iv.itv);
        let mut dt = itv / 100;
        if itv % 100 >= 50 {
            dt += 1;
        }
        let p = &mut self.p;
        p.begin_record(&Stamp::new(&iv.time, self.mode), dt)?;
        for ri in order(reports, pass) {
            let r = &mut reports[ri];
            if r.nr(curr) <= 0 {
                continue;
            }
            let outs = r.outputs();
            // JSON and XML print an activity's outputs as one element.
            if outs != 1 && !p.joins_outputs() && pass == Pass::All {
                for m in [1u32, 2, 4, 8, 16, 32, 64, 128] {
                    if outs & m != 0 {
                        r.set_output(m);
                        p.begin_activity(r.meta())?;
                        r.values(prev, curr, itv, &mut **p)?;
                        p.end_activity()?;
                    }
                }
                r.set_output(outs);
            } else if let Some(mut raw) = p.raw() {
                r.raw(prev, curr, &mut raw)?;
            } else {
                p.begin_activity(r.meta())?;
                r.values(prev, curr, itv, &mut **p)?;
                p.end_activity()?;
            }
        }
        p.end_record()?;
        Ok(true)
    }

    /// `print_special_record`: the CPU count of a restart, and the record
    /// itself where sadf prints it in the stream.
    fn restart(&mut self, sp: &Special<'_>) -> Result<(), Fail> {
        let Some(t) = sp.time.filter(|_| !self.records) else { return Ok(()) };
        let cpu_nr = sp.hdr.cpu_nr;
        for (id, n) in self.ids.iter().zip(self.nr_ini.iter_mut()) {
            if matches!(*id, ActivityId::A_CPU | ActivityId::A_NET_SOFT | ActivityId::A_PWR_CPU) && *n > 0 {
                *n = cpu_nr as i64;
            }
        }
        self.p.common().cpu_nr = cpu_nr;
        if sp.in_range {
            self.p.restart(&Stamp::new(&t, self.mode))?;
        }
        Ok(())
    }

    fn comment(&mut self, sp: &Special<'_>) -> Result<bool, Fail> {
        let Some(t) = sp.time.filter(|_| !self.records && sp.in_range) else { return Ok(false) };
        let mut buf = [0u8; 63];
        self.p.comment(&Stamp::new(&t, self.mode), sp.hdr.comment_text(&mut buf))?;
        Ok(true)
    }
}
