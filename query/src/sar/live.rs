//! `sar` without `-f`: live statistics (sar's `read_stats`).
//!
//! sar forks sadc and reads a data file's bytes through a pipe; rsar's
//! binary hands the same bytes to this module through a [`LiveSource`]
//! (the recorder, in-process), and they are read with the same reader and
//! reports and walk ([`crate::walk::Walk::live`]) as files: each sample
//! prints every selected report at once, in sysstat's activity order, and
//! the Average ends the run when `count` is reached or when the source says
//! it was interrupted (SIGINT/SIGTERM in the binary).

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sarkit_format::daily as sa_daily;
use sarkit_format::{ActivityId, SaFile, ACTIVITIES};

use super::engine::run_live;
use super::options::{self, Options};
use super::report::Report;
use super::RunEnv;
use crate::daily::DailyLookup;
use crate::walk::{Cursor, Fail};

/// The activities sar asks sadc for (the `-S` list sar builds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveActivities {
    /// Everything, A_DISK's partitions included (`-S XALL`): what sar
    /// records when it also saves to a file (`-o`).
    All,
    /// Only these, in sysstat's activity order: what is displayed.
    Only(Vec<ActivityId>),
}

/// What live sar asks its source to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRequest<'a> {
    /// Seconds between samples.
    pub interval: u64,
    /// Samples to take, the first (the reference) included; `None` until
    /// interrupted.
    pub samples: Option<u64>,
    pub activities: LiveActivities,
    /// The data file to append every sample to as well (`-o`).
    pub save: Option<&'a Path>,
}

/// sadc's side of sar's pipe, as the binary wires it: where the samples
/// come from, and the interrupts that end a run without a count. The
/// library never touches the machine, the environment or signals itself.
pub trait LiveSource {
    /// When the first sample is dated (seconds since the epoch): its day
    /// names the file `-o` saves to.
    fn start_time(&self) -> u64;
    /// Start recording: the bytes of a data file (prologue, then one record
    /// per sample as it is taken), or sadc's complaint, which sar prints
    /// before exiting 3.
    fn open(&mut self, request: &LiveRequest<'_>) -> Result<Box<dyn Read + Send>, String>;
    /// Called once the host line is out, where sar sets up its SIGINT
    /// handler: from then on an interrupt ends the run with the Average.
    fn catch_interrupts(&mut self);
    /// Whether an interrupt asked the run to end.
    fn interrupted(&self) -> bool;
    /// Why the stream ended early, once it has: printed after the reports.
    fn failure(&mut self) -> Option<String>;
}

/// sadc's `-S` list as sar builds it: everything when saving to a file,
/// else only what is displayed.
fn activities(o: &Options) -> LiveActivities {
    if o.to_file.is_some() {
        return LiveActivities::All;
    }
    LiveActivities::Only(ACTIVITIES.iter().map(|a| a.id).filter(|&id| o.is_selected(id)).collect())
}

/// The file `-o` names: the day's file for `-o` alone (in `SA_DIR`, else
/// the default folder, as rsadc's "-") or for a folder, else the file
/// itself. The day is the first sample's.
fn save_path(o: &Options, env: &RunEnv<'_>, start: u64) -> Option<PathBuf> {
    let f = o.to_file.as_deref()?;
    let lookup = DailyLookup::from_env(env.var, i64::try_from(start).unwrap_or(i64::MAX));
    Some(PathBuf::from(if f == "-" {
        lookup.save_file(o.sa_yyyymmdd)
    } else if Path::new(f).is_dir() {
        let name = sa_daily::file_name(lookup.day(0), sa_daily::NameStyle::from_full_date(o.sa_yyyymmdd));
        sa_daily::join(f, &name)
    } else {
        f.to_string()
    }))
}

/// Run sar's live mode for parsed options without `-f`.
pub(super) fn run(
    progname: &str,
    mut o: Options,
    env: &mut RunEnv<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    if o.interval < 0 {
        // `sar -o FILE` without interval: sar's child prints the usage and
        // sar, receiving no data, exits 3.
        err.write_all(options::usage_text(progname).as_bytes())?;
        return Ok(3);
    }
    if o.interval == 0 {
        writeln!(err, "{progname}: statistics since boot (interval 0) are not implemented yet")?;
        return Ok(1);
    }
    let start = env.live.start_time();
    let save = save_path(&o, env, start);
    let request = LiveRequest {
        interval: o.interval as u64,
        // sadc takes one sample more than sar prints: the first is the reference.
        samples: (o.count > 0).then(|| o.count as u64 + 1),
        activities: activities(&o),
        save: save.as_deref(),
    };
    let stream = match env.live.open(&request) {
        Ok(s) => s,
        Err(e) => {
            // sadc's complaint; sar, receiving nothing, exits 3.
            writeln!(err, "{e}")?;
            return Ok(3);
        }
    };
    let f = match SaFile::from_reader(stream, crate::open_options()) {
        Ok(f) => f,
        Err(_) => {
            writeln!(err, "Inconsistent input data")?;
            return Ok(3);
        }
    };

    // reverse_check_act: what sadc did not send is not displayed.
    if !o.keep_available(|id| f.info.has_activity(id)) {
        writeln!(err, "Requested activities not available")?;
        return Ok(1);
    }
    let (mut reports, missing) = super::make_reports(&f.info, &o);
    if !missing.is_empty() {
        writeln!(err, "{progname}: {} is not implemented yet", missing.join(", "))?;
        return Ok(1);
    }
    // sar prints a sample's reports in its own activity order.
    let rank = |id: ActivityId| ACTIVITIES.iter().position(|a| a.id == id).unwrap_or(usize::MAX);
    reports.sort_by_key(|r| rank(r.id()));
    let dis_hdr = check_line_hdr(&reports, &f.info);

    let set = super::settings(&o, env, f.info.header.sa_cpu_nr);
    super::host_line(out, &f.info.header, set.style)?;
    out.flush()?;
    env.live.catch_interrupts();
    let live = &*env.live;
    let stopped = || live.interrupted();
    let ended = run_live(Cursor::new("-", f), reports, &set, dis_hdr, out, &stopped);
    let why = env.live.failure();
    match ended {
        Ok(complete) => {
            out.flush()?;
            if let Some(e) = why {
                writeln!(err, "{e}")?;
            }
            if complete {
                Ok(0)
            } else {
                writeln!(err, "End of data collecting unexpected")?;
                Ok(3)
            }
        }
        Err(Fail::Io(e)) => Err(e),
        Err(Fail::Sa(_) | Fail::SaIn { .. }) => {
            out.flush()?;
            writeln!(err, "Inconsistent input data")?;
            Ok(3)
        }
    }
}

/// sar's `check_line_hdr`: whether every sample repeats the header lines
/// (several outputs, or one activity printing several lines).
fn check_line_hdr(reports: &[Box<dyn Report>], info: &sarkit_format::FileInfo) -> bool {
    let outputs: u32 = reports.iter().map(|r| r.outputs().count_ones()).sum();
    if outputs > 1 {
        return true;
    }
    reports.first().is_some_and(|r| match r.line_inc() {
        Some(bits) => bits > 1,
        None => info.known(r.id()).is_some_and(|fa| fa.nr > 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str]) -> Options {
        struct NoFiles;
        impl options::DefaultFile for NoFiles {
            fn default_file(&self, _: Option<&str>, _: i64) -> String {
                "/nonexistent".into()
            }
            fn is_dir(&self, _: &str) -> bool {
                false
            }
        }
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        options::parse(&args, &NoFiles).unwrap_or_default()
    }

    #[test]
    fn asks_for_what_is_displayed_or_everything_when_saving() {
        assert_eq!(activities(&opts(&["-u", "1", "3"])), LiveActivities::Only(vec![ActivityId::A_CPU]));
        assert_eq!(
            activities(&opts(&["-n", "DEV", "-r", "1"])),
            LiveActivities::Only(vec![ActivityId::A_MEMORY, ActivityId::A_NET_DEV])
        );
        assert_eq!(activities(&opts(&["-u", "-o", "/tmp/x", "1"])), LiveActivities::All);
    }

    /// A recorded file played back as if sampled now.
    struct Replay {
        bytes: Vec<u8>,
        asked: Option<(u64, Option<u64>, LiveActivities, Option<PathBuf>)>,
        caught: bool,
    }

    impl LiveSource for Replay {
        fn start_time(&self) -> u64 {
            1_700_000_000
        }
        fn open(&mut self, r: &LiveRequest<'_>) -> Result<Box<dyn Read + Send>, String> {
            self.asked = Some((r.interval, r.samples, r.activities.clone(), r.save.map(Path::to_path_buf)));
            Ok(Box::new(io::Cursor::new(std::mem::take(&mut self.bytes))))
        }
        fn catch_interrupts(&mut self) {
            self.caught = true;
        }
        fn interrupted(&self) -> bool {
            false
        }
        fn failure(&mut self) -> Option<String> {
            None
        }
    }

    #[test]
    fn reports_each_sample_of_the_source_then_the_average() {
        let bytes = std::fs::read(sarkit_testkit::testdata("sa-debian-12.6.1-xall")).unwrap();
        let mut source = Replay { bytes, asked: None, caught: false };
        let var = |_: &str| None;
        let mut env = RunEnv { var: &var, tty_rows: None, now: 0, live: &mut source, devices: Default::default() };
        let args: Vec<String> = ["-u", "1", "2"].iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(super::super::run("rsar", &args, &mut env, &mut out, &mut err).unwrap(), 0);
        assert_eq!(source.asked, Some((1, Some(3), LiveActivities::Only(vec![ActivityId::A_CPU]), None)));
        assert!(source.caught);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out.lines().filter(|l| l.contains(" all ")).count(), 3, "{out}");
        assert!(out.lines().last().unwrap().starts_with("Average:"), "{out}");
        assert!(err.is_empty());
    }
}
