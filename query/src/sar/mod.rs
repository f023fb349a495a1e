//! `sar` over data files or live statistics: the command line, record
//! selection and text reports.
//!
//! [`run`] is the whole program behind `rsar`, writing to any `Write`, so
//! tests drive it without a process. Exit codes and stderr wording are
//! sysstat's.

pub mod engine;
pub mod fmt;
pub mod live;
pub mod options;
pub mod report;
pub mod timefmt;

use std::io::{self, Write};

use sarkit_format::{ActivityId, SaFile, SysstatKind};

use crate::daily::DailyLookup;
use crate::walk::{Cursor, Fail};
use engine::Settings;
pub use live::{LiveActivities, LiveRequest, LiveSave, LiveSource};
use options::{DefaultFile, Exit, Options};
pub use report::disk::names::DeviceLookup;
use report::Report;
use timefmt::{broken_down, Stamp, TimeStyle};

/// sar's default for `rows` when stdout is no terminal (`DEFAULT_ROWS`).
const DEFAULT_ROWS: u64 = 86400;

/// The outside world as a run sees it.
pub struct RunEnv<'a> {
    /// Environment lookup.
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// Terminal height, if stdout is a terminal.
    pub tty_rows: Option<u64>,
    /// Seconds since the epoch, for finding today's file.
    pub now: i64,
    /// Where live statistics (no `-f`) come from.
    pub live: &'a mut dyn LiveSource,
    /// Where the disk report looks device names up.
    pub devices: DeviceLookup,
}

impl RunEnv<'_> {
    fn rows(&self) -> u64 {
        if let Some(r) = self.tty_rows {
            return if r > 2 { r - 2 } else { DEFAULT_ROWS };
        }
        match (self.var)("S_REPEAT_HEADER") {
            Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                v.parse::<u64>().ok().filter(|&n| n > 0).unwrap_or(DEFAULT_ROWS)
            }
            _ => DEFAULT_ROWS,
        }
    }
}

/// Finds the daily file as sar's `set_default_file` does, in the folders
/// and with the names of `sarkit_format::daily`.
struct DailyFiles {
    lookup: DailyLookup,
}

impl DefaultFile for DailyFiles {
    fn default_file(&self, dir: Option<&str>, day_offset: i64) -> String {
        match dir {
            Some(d) => self.lookup.file_in(d, day_offset),
            None => self.lookup.default_file(day_offset),
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        std::path::Path::new(path).is_dir()
    }
}

pub(crate) use crate::registry::{flag_of, make_report};

/// The reports of the selected activities `info` holds, in its order, and
/// the flags of those rsar cannot print yet (unsupported flags first).
fn make_reports(info: &sarkit_format::FileInfo, o: &Options) -> (Vec<Box<dyn Report>>, Vec<String>) {
    let mut reports: Vec<Box<dyn Report>> = Vec::new();
    let mut missing: Vec<String> = o.unsupported_flags.iter().map(|s| s.to_string()).collect();
    for (fa, report) in crate::registry::selected_reports(info, o) {
        match report {
            Some(r) => reports.push(r),
            None => missing.push(flag_of(ActivityId(fa.id))),
        }
    }
    (reports, missing)
}

/// What the text reports print with: the options' rows, time limits and
/// number formatting, with the colours, time style and header repetition
/// the environment chooses.
fn settings(o: &Options, env: &RunEnv<'_>, cpu_nr: u32) -> Settings {
    Settings {
        style: TimeStyle::from_env(env.var),
        display: fmt::Display {
            dec: o.dec,
            human: o.human,
            pretty: o.pretty,
            minmax: o.minmax,
            zero_omit: o.zero_omit,
        },
        colors: fmt::Colors::from_env(env.var, env.tty_rows.is_some()),
        rows: env.rows(),
        interval: o.interval,
        count: o.count,
        tm_start: o.tm_start,
        tm_end: o.tm_end,
        comments: o.comments,
        cpu_nr,
    }
}

/// sar's first line: system, release, host, date, machine and CPUs.
fn host_line(out: &mut dyn Write, h: &sarkit_format::FileHeader, style: TimeStyle) -> io::Result<()> {
    let tm = broken_down(h.sa_ust_time as i64, false).unwrap_or_default();
    let cstr = |b: &[u8]| -> Vec<u8> { b.iter().take_while(|&&c| c != 0).copied().collect() };
    let cpus = if h.sa_cpu_nr > 1 { h.sa_cpu_nr - 1 } else { 1 };
    out.write_all(&cstr(&h.sa_sysname))?;
    out.write_all(b" ")?;
    out.write_all(&cstr(&h.sa_release))?;
    out.write_all(b" (")?;
    out.write_all(&cstr(&h.sa_nodename))?;
    out.write_all(b") \t")?;
    out.write_all(Stamp::date(&tm, style).as_bytes())?;
    out.write_all(b" \t_")?;
    out.write_all(&cstr(&h.sa_machine))?;
    writeln!(out, "_\t({cpus} CPU)")
}

/// Flush what was printed, then say what sysstat says about a bad file.
fn sa_error(out: &mut dyn Write, err: &mut dyn Write, e: &sarkit_format::Error, path: &str) -> io::Result<i32> {
    if e.kind() == SysstatKind::SilentStop {
        return Ok(0);
    }
    out.flush()?;
    let (msg, code) = e.sysstat_report(path);
    err.write_all(msg.as_bytes())?;
    Ok(code)
}

/// Walk every record, for sysstat's errors, when the reports cannot be printed.
fn walk(f: &mut SaFile) -> Result<(), sarkit_format::Error> {
    loop {
        match f.next_record() {
            Ok(Some(_)) => {}
            Ok(None) | Err(sarkit_format::Error::Unmappable { .. }) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// Run `sar ARGS` (without argv[0]) and return its exit status. Only an
/// error writing `out` is returned as an error (the caller decides what a
/// closed pipe means).
pub fn run(
    progname: &str,
    args: &[String],
    env: &mut RunEnv<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let daily = DailyFiles { lookup: DailyLookup::from_env(env.var, env.now) };
    let mut o = match options::parse(args, &daily) {
        Ok(o) => o,
        Err(Exit::Usage) => {
            err.write_all(options::usage_text(progname).as_bytes())?;
            return Ok(1);
        }
        Err(Exit::Message(m, code)) => {
            err.write_all(m.as_bytes())?;
            return Ok(code);
        }
        Err(Exit::Help) => {
            out.write_all(options::help_text(progname).as_bytes())?;
            return Ok(0);
        }
        Err(Exit::Stdout(m)) => {
            out.write_all(m.as_bytes())?;
            return Ok(0);
        }
    };
    o.device_lookup = env.devices.clone();
    let Some(mut path) = o.from_file.clone() else {
        return live::run(progname, o, env, out, err);
    };
    let mut paths: Vec<String> = std::iter::once(path.clone()).chain(o.more_files.iter().cloned()).collect();
    if let Some(from) = o.from_day {
        paths = match crate::files::files_of_days(progname, &daily.lookup, o.from_dir.as_deref(), from, o.to_day, err)?
        {
            Ok(p) => p,
            Err(code) => return Ok(code),
        };
        path = paths[0].clone();
        o.default_file_used = false;
    }
    if paths.len() > 1 {
        return run_files(progname, o, &paths, env, out, err);
    }
    let mut f = match crate::files::open_file(progname, &path, o.default_file_used, &mut o, err)? {
        Ok(f) => f,
        Err(code) => return Ok(code),
    };

    // Reports in file order: the order sar prints them.
    let (reports, missing) = make_reports(&f.info, &o);
    if !missing.is_empty() {
        if let Err(e) = walk(&mut f) {
            return sa_error(out, err, &e, &path);
        }
        writeln!(err, "{progname}: {} is not implemented yet", missing.join(", "))?;
        return Ok(1);
    }

    print_reports(Cursor::new(&path, f), reports, &o, env, out, err)
}

/// [`run`] over several files read as one stream: one host's, with the
/// reports every file has (see [`crate::files`]). The host line is the
/// first file's, as the first day's is for a file holding several days.
fn run_files(
    progname: &str,
    mut o: Options,
    paths: &[String],
    env: &mut RunEnv<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let (paths, f) = match crate::files::open_files(progname, paths, &mut o, err)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let (reports, missing) = make_reports(&f.info, &o);
    if !missing.is_empty() {
        writeln!(err, "{progname}: {} is not implemented yet", missing.join(", "))?;
        return Ok(1);
    }
    print_reports(Cursor::chain(paths, f), reports, &o, env, out, err)
}

/// The host line, then every report over the records of `cur`; a file
/// error is reported with the name of the file it came from.
fn print_reports(
    cur: Cursor,
    reports: Vec<Box<dyn Report>>,
    o: &Options,
    env: &mut RunEnv<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let first = cur.path().to_string();
    let set = settings(o, env, cur.header().sa_cpu_nr);
    host_line(out, cur.header(), set.style)?;
    match engine::run(cur, reports, &set, out) {
        Ok(()) => Ok(0),
        Err(Fail::Io(e)) => Err(e),
        Err(fail) => match fail.sa_error(&first) {
            Some((e, p)) => sa_error(out, err, e, p),
            None => Ok(0),
        },
    }
}
