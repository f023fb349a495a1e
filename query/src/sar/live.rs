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

use sarkit_format::{ActivityId, SaFile, ACTIVITIES};

use super::engine::{run_live, run_since_boot};
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

/// Where `-o` saves the samples, as sar hands it to sadc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveSave {
    /// This file, whatever the day.
    File(PathBuf),
    /// The day's file in this folder (`-o` alone: `SA_DIR` or the default
    /// folder), `saDD` or with `-D` `saYYYYMMDD`, of UTC days when `utc`:
    /// the first sample after midnight goes on into the new day's file, as
    /// sadc does for "-" and a folder.
    Daily { dir: PathBuf, yyyymmdd: bool, utc: bool },
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
    /// Where to append every sample as well (`-o`).
    pub save: Option<&'a LiveSave>,
}

/// sadc's side of sar's pipe, as the binary wires it: where the samples
/// come from, and the interrupts that end a run without a count. The
/// library never touches the machine, the environment or signals itself.
pub trait LiveSource {
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

/// Where `-o` saves: the day's files of `SA_DIR` or the default folder for
/// `-o` alone (as rsadc's "-"), of the folder it names, else the file.
fn save_target(o: &Options, env: &RunEnv<'_>) -> Option<LiveSave> {
    let f = o.to_file.as_deref()?;
    let lookup = DailyLookup::from_env(env.var, env.now);
    let daily = |dir: &str| LiveSave::Daily { dir: PathBuf::from(dir), yyyymmdd: o.sa_yyyymmdd, utc: lookup.utc };
    Some(if f == "-" {
        daily(lookup.save_dir())
    } else if Path::new(f).is_dir() {
        daily(f)
    } else {
        LiveSave::File(PathBuf::from(f))
    })
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
    // Interval 0: one sample, reported against boot time (sar runs `sadc 1 1`).
    let since_boot = o.interval == 0;
    let save = save_target(&o, env);
    let request = LiveRequest {
        interval: o.interval.max(1) as u64,
        // sadc takes one sample more than sar prints: the first is the reference.
        samples: if since_boot { Some(1) } else { (o.count > 0).then(|| o.count as u64 + 1) },
        activities: activities(&o),
        save: save.as_ref(),
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
    let ended = if since_boot {
        run_since_boot(Cursor::new("-", f), reports, &set, out).map(|()| true)
    } else {
        env.live.catch_interrupts();
        let live = &*env.live;
        let stopped = || live.interrupted();
        run_live(Cursor::new("-", f), reports, &set, dis_hdr, out, &stopped)
    };
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

    /// What a source was asked for: interval, samples, activities, `-o`.
    type Asked = (u64, Option<u64>, LiveActivities, Option<LiveSave>);

    /// A recorded file played back as if sampled now.
    struct Replay {
        bytes: Vec<u8>,
        asked: Option<Asked>,
        caught: bool,
    }

    impl LiveSource for Replay {
        fn open(&mut self, r: &LiveRequest<'_>) -> Result<Box<dyn Read + Send>, String> {
            self.asked = Some((r.interval, r.samples, r.activities.clone(), r.save.cloned()));
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

    /// rsar on the fixture's records, played back as if sampled now: its
    /// status and output, what it asked for, and whether it caught interrupts.
    fn replay(args: &[&str]) -> (i32, String, Option<Asked>, bool) {
        let bytes = std::fs::read(sarkit_testkit::testdata("sa-debian-12.6.1-xall")).unwrap();
        let mut source = Replay { bytes, asked: None, caught: false };
        let var = |_: &str| None;
        let mut env = RunEnv { var: &var, tty_rows: None, now: 0, live: &mut source, devices: Default::default() };
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = super::super::run("rsar", &args, &mut env, &mut out, &mut err).unwrap();
        assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
        (code, String::from_utf8(out).unwrap(), source.asked, source.caught)
    }

    #[test]
    fn reports_each_sample_of_the_source_then_the_average() {
        let (code, out, asked, caught) = replay(&["-u", "1", "2"]);
        assert_eq!(code, 0);
        assert_eq!(asked, Some((1, Some(3), LiveActivities::Only(vec![ActivityId::A_CPU]), None)));
        assert!(caught);
        assert_eq!(out.lines().filter(|l| l.contains(" all ")).count(), 3, "{out}");
        assert!(out.lines().last().unwrap().starts_with("Average:"), "{out}");
    }

    #[test]
    fn interval_zero_is_one_sample_against_boot_time() {
        let (code, out, asked, caught) = replay(&["-w", "0"]);
        assert!(code == 0 && !caught);
        assert_eq!(asked, Some((1, Some(1), LiveActivities::Only(vec![ActivityId::A_PCSW]), None)));
        // The first record's counters over its uptime, no Average.
        let mut f = SaFile::open(sarkit_testkit::testdata("sa-debian-12.6.1-xall")).unwrap();
        let Ok(Some(r)) = f.next_record() else { panic!("no record") };
        let sarkit_format::RecordKind::Stats(st) = r.kind else { panic!("not statistics") };
        let pcsw: sarkit_format::stats::StatsPcsw = st.block(ActivityId::A_PCSW).unwrap().items().next().unwrap();
        let secs = r.header.uptime_cs as f64 / 100.0;
        let row = format!("{:9.2} {:9.2}", pcsw.processes as f64 / secs, pcsw.context_switch as f64 / secs);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(lines[2].ends_with("proc/s   cswch/s") && lines[3].ends_with(&row), "{out}\n{row}");
        assert_eq!(lines[2][..8], lines[3][..8], "both ends of the interval are the sample's time");
        // Every CPU has values since boot: none is taken for one back online.
        // sa_cpu_nr counts "all" and each CPU.
        let (_, out, ..) = replay(&["-u", "-P", "ALL", "0"]);
        let rows = out.lines().filter(|l| l.ends_with(char::is_numeric)).count();
        assert_eq!(rows, f.info.header.sa_cpu_nr as usize, "{out}");
    }
}
