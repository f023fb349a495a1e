//! rsadc: sadc's command line over sarkit's recorder.
//!
//! `rsadc [-S activity_list] [-C comment] [-D] [-F] [-L] [-f] [interval [count]] [outfile|outdir]`
//! plus `--daemon DIR`, `--compat VERSION`, `--synthetic` and the test hooks
//! `--root DIR` and `--unix-time T`.
//!
//! `-` records into the day's file in `$SA_DIR`, else in
//! `/var/log/sysstat` (`sarkit_format::daily`), the folder rsar and rsadf
//! read by default; `S_TIME_DEF_TIME=UTC` dates the files in UTC.

// `Option::is_none_or` would read better but needs Rust 1.82; the MSRV is 1.80.
#![allow(clippy::unnecessary_map_or)]

use std::io::Write;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use sarkit_format::daily as daily_files;
use sarkit_format::{Compat, Encoding, WriteError, Writer};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::daily::{self, Clock, CloseDays, Output, RunOptions, Special};
use sarkit_recorder::installed;
use sarkit_recorder::outfile::{fit, prepare_specs, reason, FileOptions, RecError};
use sarkit_recorder::select;
use sarkit_recorder::source::SampleSource;
use sarkit_recorder::synthetic::Synthetic;

#[derive(Parser, Debug)]
#[command(name = "rsadc", version, about = "System activity data collector (sysstat sadc compatible)")]
struct Cli {
    /// Activities to collect (sadc's -S keywords: INT, DISK, SNMP, IPV6, POWER, XDISK, ALL, XALL, A_*...,
    /// and sarkit's CGROUP: per-pod activity, also in XALL).
    #[arg(short = 'S', value_name = "activity_list", action = clap::ArgAction::Append)]
    activities: Vec<String>,
    /// Insert a comment record and exit.
    #[arg(short = 'C', value_name = "comment")]
    comment: Option<String>,
    /// Name daily files saYYYYMMDD instead of saDD.
    #[arg(short = 'D')]
    yyyymmdd: bool,
    /// Replace an existing file we may not append to.
    #[arg(short = 'F')]
    force: bool,
    /// Lock the output file (always done; accepted for compatibility).
    #[arg(short = 'L')]
    lock: bool,
    /// fdatasync the file after each record.
    #[arg(short = 'f')]
    fdatasync: bool,
    /// Record into a file per day in DIR, without end: saYYYYMMDD names,
    /// closed days archived to NAME.sarc and retention (see --keep-days).
    #[arg(long, value_name = "DIR")]
    daemon: Option<PathBuf>,
    /// Delete daily files older than N days (default 7 with --daemon).
    #[arg(long, value_name = "N")]
    keep_days: Option<u32>,
    /// Compress closed days to NAME.zst instead of archiving them to NAME.sarc.
    #[arg(long, overrides_with = "no_compress")]
    compress: bool,
    /// Keep closed days plain (sysstat's sar reads neither .zst nor .sarc;
    /// `rsadf --restore` gives a .sarc back).
    #[arg(long)]
    no_compress: bool,
    /// Archive FILE to FILE.sarc (spec/archive.md) and remove FILE once the
    /// archive reads back identical; then exit.
    #[arg(long, value_name = "FILE")]
    archive: Option<PathBuf>,
    /// Write the layouts sysstat VERSION reads in full (11.7 to 12.7, or X.Y.Z,
    /// or current). Default: those of the sysstat installed under --root when
    /// older than 12.7 (found in var/lib/dpkg/status, else in sadc's binary),
    /// else 12.7.9's.
    #[arg(long, value_name = "VERSION")]
    compat: Option<String>,
    /// A_CGROUP: one item per container of each pod, rather than one per pod.
    #[arg(long)]
    per_container: bool,
    /// Read /proc and /sys under this folder.
    #[arg(long, value_name = "DIR", default_value = "/")]
    root: PathBuf,
    /// Take the first sample at this time (seconds since the epoch) and do not sleep.
    #[arg(long, value_name = "T")]
    unix_time: Option<u64>,
    /// Record a deterministic synthetic machine instead of this one.
    #[arg(long)]
    synthetic: bool,
    /// CPUs of the synthetic machine.
    #[arg(long, default_value_t = 16)]
    cpus: u32,
    /// Network interfaces of the synthetic machine.
    #[arg(long, default_value_t = 8)]
    ifaces: u32,
    /// Disks of the synthetic machine.
    #[arg(long, default_value_t = 8)]
    disks: u32,
    /// Host name (nodename) of the synthetic machine: a fleet of synthetic
    /// machines for tests and examples.
    #[arg(long, value_name = "NAME", default_value = "synthetic")]
    synthetic_host: String,
    /// [interval [count]] [outfile|outdir|-], in any order as sadc takes them;
    /// "-" is the day's file in $SA_DIR, else in /var/log/sysstat.
    #[arg(value_name = "ARGS", allow_hyphen_values = false)]
    args: Vec<String>,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("{msg}");
    eprintln!(
        "Usage: rsadc [ -C <comment> ] [ -D ] [ -F ] [ -f ] [ -L ] [ -V ]\n\
         [ -S <activity> [,...] ] [ --compat <version> ] [ --daemon <dir> ]\n\
         [ <interval> [ <count> ] ] [ <outfile> | <outdir> | - ]"
    );
    ExitCode::from(1)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => return usage(&e.to_string()),
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => usage(&m),
        Err(Failure::Other(m)) => {
            eprintln!("rsadc: {m}");
            ExitCode::from(2)
        }
        Err(Failure::ReaderGone) => die_of_sigpipe(),
        Err(Failure::Rec(e)) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

enum Failure {
    Usage(String),
    Rec(RecError),
    /// Standard output is a pipe whose reader went away (EPIPE).
    ReaderGone,
    /// Anything else, said in full; exit 2.
    Other(String),
}

/// End as sadc ends when its reader goes away: killed by SIGPIPE, silently.
/// The Rust runtime ignores SIGPIPE, so writes fail with EPIPE instead; put
/// the default disposition back and raise the signal. A shell pipeline
/// (`rsadc 1 3 | head -c 10`) then sees the usual 128 + 13.
#[doc(alias = "SIGPIPE")]
fn die_of_sigpipe() -> ExitCode {
    // SAFETY: signal() and raise() with valid constants; nothing else runs
    // concurrently that depends on SIGPIPE's disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    // Only reached if SIGPIPE is blocked: exit as the shell would report it.
    ExitCode::from(128 + libc::SIGPIPE as u8)
}

/// A failed write to standard output: [`Failure::ReaderGone`] for a closed
/// pipe, else sadc's write error.
fn stdout_failure(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::ReaderGone
    } else {
        Failure::Rec(RecError::Write(e))
    }
}

impl From<RecError> for Failure {
    fn from(e: RecError) -> Self {
        Failure::Rec(e)
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    if let Some(path) = &cli.archive {
        return archive_one(path, &cli);
    }
    // sadc's positional arguments: digits are interval then count, anything else the output.
    let (mut interval, mut count, mut out) = (None::<u64>, None::<u64>, None::<String>);
    for a in &cli.args {
        if !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit()) {
            let v: u64 = a.parse().map_err(|_| Failure::Usage(format!("invalid number {a}")))?;
            if v < 1 {
                return Err(Failure::Usage(format!("invalid value {a}")));
            }
            if interval.is_none() {
                interval = Some(v);
            } else if count.is_none() {
                count = Some(v);
            } else {
                return Err(Failure::Usage("too many numbers".into()));
            }
        } else if out.is_some() || cli.daemon.is_some() {
            return Err(Failure::Usage(format!("outfile already specified: {a}")));
        } else {
            out = Some(a.clone());
        }
    }
    let (compat, also_append, note) = match &cli.compat {
        Some(v) => (Compat::parse(v).map_err(Failure::Usage)?, None, None),
        None if cli.synthetic => (Compat::Current, None, None),
        None => default_compat(&cli.root),
    };
    let daemon = cli.daemon.is_some();
    let output = match (&cli.daemon, out.as_deref()) {
        (Some(d), _) => Some(Output::Dir(d.clone())),
        // "-": the day's file in SA_DIR, else the default folder rsar and
        // rsadf read.
        (None, Some("-")) => {
            let sa_dir = std::env::var(daily_files::SA_DIR_ENV).ok();
            Some(Output::Dir(PathBuf::from(daily_files::write_dir(sa_dir.as_deref()))))
        }
        (None, Some(p)) if Path::new(p).is_dir() => Some(Output::Dir(PathBuf::from(p))),
        (None, Some(p)) => Some(Output::File(PathBuf::from(p))),
        (None, None) => None,
    };
    let utc = daily_files::dates_in_utc(std::env::var(daily_files::TIME_DEF_ENV).ok().as_deref());
    let mut source = make_source(&cli, utc)?;
    // A synthetic run of known length does not sleep; one without end
    // (a demo daemon) keeps to the wall clock rather than fill the disk.
    let endless = daemon && count.is_none();
    let clock = match (cli.unix_time, cli.synthetic && !endless) {
        (Some(t), _) => Clock::Fixed(t),
        (None, true) => Clock::Fixed(now()),
        (None, false) => Clock::Real,
    };
    let opts = RunOptions {
        file: FileOptions {
            compat,
            force: cli.force,
            fdatasync: cli.fdatasync,
            replace_stale_month: None,
            also_append,
        },
        yyyymmdd: cli.yyyymmdd || daemon,
        utc_dates: utc,
        interval: interval.unwrap_or(if daemon { 60 } else { 1 }),
        count: if interval.is_none() && !daemon { Some(1) } else { count },
        clock,
        keep_days: cli.keep_days.or(if daemon { Some(7) } else { None }),
        close: match (cli.no_compress, cli.compress, daemon) {
            (true, _, _) => CloseDays::Keep,
            (false, true, _) => CloseDays::Compress,
            (false, false, true) => CloseDays::Archive,
            (false, false, false) => CloseDays::Keep,
        },
    };
    if output.is_none() && interval.is_none() {
        // sadc without interval nor file has nothing to do.
        return Ok(());
    }
    // The layouts matter where a file is started: appending keeps the
    // file's own, and a run every ten minutes from cron stays quiet.
    let starts_a_file = |output: &Output| {
        let t = cli.unix_time.unwrap_or_else(now);
        std::fs::metadata(daily::file_for(output, t, &opts)).map_or(true, |m| m.len() == 0 || cli.force)
    };
    if let Some(note) = note.filter(|_| output.as_ref().map_or(true, starts_a_file)) {
        eprintln!("rsadc: {note}");
    }
    let Some(output) = output else {
        return to_stdout(source.as_mut(), &opts);
    };
    if interval.is_none() && !daemon {
        let what = match &cli.comment {
            Some(c) => Special::Comment(c.clone()),
            None => Special::Restart,
        };
        daily::write_special(source.as_mut(), &output, &opts, &what, cli.unix_time)?;
        return Ok(());
    }
    let mut log = |m: &str| eprintln!("rsadc: {m}");
    daily::record(source.as_mut(), &output, &opts, &mut log)?;
    Ok(())
}

/// `--archive FILE`: FILE to FILE.sarc, then FILE removed.
fn archive_one(path: &Path, cli: &Cli) -> Result<(), Failure> {
    if !cli.args.is_empty() || cli.daemon.is_some() {
        return Err(Failure::Usage("--archive takes one file and nothing else".into()));
    }
    let before = std::fs::metadata(path).map(|m| m.len());
    match daily::close_day(path, CloseDays::Archive) {
        Ok(Some(dest)) => {
            let after = std::fs::metadata(&dest).map(|m| m.len());
            if let (Ok(b), Ok(a)) = (before, after) {
                let ratio = b as f64 / a.max(1) as f64;
                eprintln!("rsadc: archived {} to {} ({b} to {a} bytes, {ratio:.1}x)", path.display(), dest.display());
            }
            Ok(())
        }
        Ok(None) => Err(Failure::Other(format!("{} is being written (locked): not archived", path.display()))),
        Err(e) => Err(Failure::Other(format!("Cannot archive {}: {}", path.display(), reason(&e)))),
    }
}

/// Without `--compat`: the layouts of the sysstat installed on the machine
/// recorded (under `root`) when it is older than 12.7, whose `sar` would
/// read nothing of a file in 12.7 layouts; else the current ones. A file
/// in the current layouts is still appended to. Also the note saying so.
fn default_compat(root: &Path) -> (Compat, Option<Compat>, Option<String>) {
    let Some(found) = installed::installed_sysstat(root) else { return (Compat::Current, None, None) };
    let Some(compat) = Compat::for_installed(found.version) else { return (Compat::Current, None, None) };
    let place = if root == Path::new("/") { "here".to_string() } else { format!("under {}", root.display()) };
    let note = format!(
        "writing sysstat {} layouts, for the sysstat {} installed {place} (--compat overrides)",
        compat.version(),
        found.version
    );
    (compat, Some(Compat::Current), Some(note))
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Raise the soft limit on open files to the hard one (at most 65536), as
/// most daemons do: A_CGROUP keeps about ten files open per pod and, past
/// the limit, opens them for every sample instead.
fn raise_open_files_limit() {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit read and write the struct they are given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max.min(65536).max(lim.rlim_cur);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// The machine to sample; `utc` dates its records in UTC.
fn make_source(cli: &Cli, utc: bool) -> Result<Box<dyn SampleSource>, Failure> {
    let selection =
        select::parse_all(cli.activities.iter().map(String::as_str)).map_err(|e| Failure::Usage(e.to_string()))?;
    if cli.synthetic {
        let mut s = Synthetic::new(cli.cpus, cli.ifaces, cli.disks);
        s.nodename = cli.synthetic_host.clone();
        // Without -S the synthetic machine records everything (a benchmark day).
        if !cli.activities.is_empty() {
            s.only = Some(selection.ids());
        }
        return Ok(Box::new(s));
    }
    if selection.contains(sarkit_format::ActivityId::A_CGROUP) {
        raise_open_files_limit();
    }
    let cgroup = sarkit_recorder::cgroup::CgroupOptions { per_container: cli.per_container };
    Ok(Box::new(Collector::new(cli.root.clone(), selection).with_cgroup_options(cgroup).with_utc_times(utc)))
}

/// No output file: the header then the records on standard output, as
/// sadc does for sar's live mode.
fn to_stdout(source: &mut dyn SampleSource, opts: &RunOptions) -> Result<(), Failure> {
    let start = match opts.clock {
        Clock::Fixed(t) => t,
        Clock::Real => now(),
    };
    let hdr = source.header_info(start).map_err(RecError::Source)?;
    let specs = prepare_specs(opts.file.compat, source.specs().map_err(RecError::Source)?);
    let mut hdr = hdr;
    hdr.version = opts.file.compat.version();
    // Each record in one write(2), as sadc writes to sar's pipe: standard
    // output's line buffering would cut records at their newline bytes.
    let stdout = std::io::stdout().as_fd().try_clone_to_owned().map_err(stdout_failure)?;
    let mut w = Writer::create(std::fs::File::from(stdout), &hdr, specs, Encoding::NATIVE).map_err(stdout_failure)?;
    let began = std::time::Instant::now();
    let mut k = 0u64;
    while opts.count.map_or(true, |c| k < c) {
        let t = match opts.clock {
            Clock::Fixed(t0) => t0 + k * opts.interval,
            Clock::Real => {
                if k > 0 {
                    let due = began + std::time::Duration::from_secs(k * opts.interval);
                    std::thread::sleep(due.saturating_duration_since(std::time::Instant::now()));
                }
                now()
            }
        };
        k += 1;
        let s = source.sample(t).map_err(RecError::Source)?;
        source.take_notes().iter().for_each(|n| eprintln!("rsadc: {n}"));
        let s = fit(&s, w.specs());
        w.write_sample(&s).map_err(|e| match e {
            WriteError::Io(e) => stdout_failure(e),
            e => Failure::Rec(RecError::Write(std::io::Error::other(e.to_string()))),
        })?;
        w.flush().map_err(stdout_failure)?;
    }
    std::io::stdout().flush().map_err(stdout_failure)?;
    Ok(())
}
