//! Where live `rsar` (no `-f`) takes its samples: the recorder, in-process,
//! as sar takes them from sadc through a pipe.
//!
//! Test hooks, read from the environment: [`ROOT_ENV`] reads /proc and /sys
//! under fake trees, [`SYNTHETIC_ENV`] samples the synthetic machine, and
//! [`UNIX_TIME_ENV`] dates the samples from a fixed time without sleeping.

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use sarkit_format::Compat;
use sarkit_format::{HeaderInfo, Sample};
use sarkit_query::sar::{LiveActivities, LiveRequest, LiveSave, LiveSource};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::daily::{Clock, Output, RunOptions};
use sarkit_recorder::live::{Failure, LiveOptions, LiveStream, Save};
use sarkit_recorder::select::{self, Selection};
use sarkit_recorder::source::SampleSource;
use sarkit_recorder::synthetic::Synthetic;

/// Colon-separated folders to read /proc and /sys under: sample `k` reads
/// the `k`-th (the last one from then on).
pub const ROOT_ENV: &str = "SARKIT_LIVE_ROOT";
/// Sample the synthetic machine, with this many CPUs.
pub const SYNTHETIC_ENV: &str = "SARKIT_LIVE_SYNTHETIC";
/// Date sample `k` at this time plus `k` intervals, and do not sleep.
pub const UNIX_TIME_ENV: &str = "SARKIT_LIVE_UNIX_TIME";

/// Raised by SIGINT or SIGTERM: stop sampling and print the Average.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_sig: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// sar's `int_handler` for SIGINT and SIGTERM.
fn catch_signals() {
    // SAFETY: the handler only stores to an atomic, which is
    // async-signal-safe; the sigaction structure is fully initialised.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        sa.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGINT, &sa, std::ptr::null_mut());
        libc::sigaction(libc::SIGTERM, &sa, std::ptr::null_mut());
    }
}

/// What the samples are taken from.
enum Machine {
    /// This machine's /proc and /sys.
    Real,
    /// The synthetic machine with this many CPUs.
    Synthetic(u32),
    /// Fake trees, one per sample.
    Roots(Vec<PathBuf>),
}

/// The recorder as live rsar's source.
pub struct Recorder {
    machine: Machine,
    /// Samples carry UTC times (`S_TIME_DEF_TIME=UTC`).
    utc: bool,
    clock: Clock,
    failure: Option<Failure>,
}

impl Recorder {
    /// The source the environment `var` chooses, on the real clock unless
    /// [`UNIX_TIME_ENV`] fixes it.
    pub fn from_env(var: &dyn Fn(&str) -> Option<String>) -> Recorder {
        let set = |k: &str| var(k).filter(|v| !v.is_empty());
        let machine = if let Some(n) = set(SYNTHETIC_ENV) {
            Machine::Synthetic(n.parse().unwrap_or(4))
        } else {
            let roots: Vec<PathBuf> = set(ROOT_ENV)
                .map(|r| r.split(':').filter(|r| !r.is_empty()).map(PathBuf::from).collect())
                .unwrap_or_default();
            if roots.is_empty() {
                Machine::Real
            } else {
                Machine::Roots(roots)
            }
        };
        let clock = var(UNIX_TIME_ENV).and_then(|t| t.parse::<u64>().ok()).map_or(Clock::Real, Clock::Fixed);
        let utc = sarkit_format::daily::dates_in_utc(var(sarkit_format::daily::TIME_DEF_ENV).as_deref());
        Recorder { machine, utc, clock, failure: None }
    }

    fn source(&self, activities: &LiveActivities) -> Box<dyn SampleSource + Send> {
        let sel = match activities {
            LiveActivities::All => select::parse("XALL").unwrap_or_default(),
            LiveActivities::Only(ids) => Selection::only(ids, false),
        };
        match &self.machine {
            Machine::Synthetic(cpus) => {
                let mut s = Synthetic::new(*cpus, 2, 2);
                s.only = Some(sel.ids());
                Box::new(s)
            }
            Machine::Roots(roots) => {
                let trees =
                    roots.iter().map(|r| Collector::new(r.clone(), sel.clone()).with_utc_times(self.utc)).collect();
                Box::new(Roots { trees, next: 0 })
            }
            Machine::Real => Box::new(Collector::new(PathBuf::from("/"), sel).with_utc_times(self.utc)),
        }
    }
}

/// `-o`'s target as rsadc's output: a file, or a folder of daily files.
fn save(to: &LiveSave) -> Save {
    match to {
        LiveSave::File(p) => Save { output: Output::File(p.clone()), run: RunOptions::default() },
        LiveSave::Daily { dir, yyyymmdd, utc } => Save {
            output: Output::Dir(dir.clone()),
            run: RunOptions { yyyymmdd: *yyyymmdd, utc_dates: *utc, ..RunOptions::default() },
        },
    }
}

impl LiveSource for Recorder {
    fn open(&mut self, request: &LiveRequest<'_>) -> Result<Box<dyn Read + Send>, String> {
        let opts = LiveOptions {
            interval: request.interval,
            samples: request.samples,
            clock: self.clock,
            compat: Compat::Current,
        };
        STOP.store(false, Ordering::SeqCst);
        let save = request.save.map(save);
        let stream = LiveStream::new(self.source(&request.activities), opts, save, &STOP).map_err(|e| e.to_string())?;
        self.failure = Some(stream.failure());
        Ok(Box::new(stream))
    }

    fn catch_interrupts(&mut self) {
        catch_signals();
    }

    fn interrupted(&self) -> bool {
        STOP.load(Ordering::SeqCst)
    }

    fn failure(&mut self) -> Option<String> {
        let f = self.failure.as_ref()?;
        f.lock().ok().and_then(|mut f| f.take()).map(|e| e.to_string())
    }
}

/// A sequence of fake trees, one per sample (the `--root` steps of the
/// recorder's conformance cases, taken in one run).
struct Roots {
    trees: Vec<Collector>,
    next: usize,
}

impl SampleSource for Roots {
    fn header_info(&mut self, t: u64) -> io::Result<HeaderInfo> {
        self.trees[0].header_info(t)
    }
    fn specs(&mut self) -> io::Result<Vec<sarkit_format::ActivitySpec>> {
        self.trees[0].specs()
    }
    fn sample(&mut self, t: u64) -> io::Result<Sample> {
        let i = self.next.min(self.trees.len() - 1);
        self.next += 1;
        self.trees[i].sample(t)
    }
    fn cpu_nr(&mut self) -> io::Result<u32> {
        self.trees[0].cpu_nr()
    }
    fn uptime_cs(&mut self) -> io::Result<u64> {
        let i = self.next.saturating_sub(1).min(self.trees.len() - 1);
        self.trees[i].uptime_cs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::{ActivityId, ACTIVITIES};

    #[test]
    fn the_lists_are_sadc_s() {
        let r = Recorder::from_env(&|k| (k == SYNTHETIC_ENV).then(|| "2".to_string()));
        assert!(matches!(r.machine, Machine::Synthetic(2)));
        let all = select::parse("XALL").unwrap();
        assert_eq!(all.ids().len(), ACTIVITIES.len());
        assert!(all.partitions());
        let only = Selection::only(&[ActivityId::A_MEMORY, ActivityId::A_NET_DEV], false);
        assert_eq!(only, select::parse("A_NULL,A_MEMORY,A_NET_DEV").unwrap());
    }

    #[test]
    fn the_environment_chooses_the_machine_and_the_clock() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let r = Recorder::from_env(&env(&[]));
        assert!(matches!((r.machine, r.clock), (Machine::Real, Clock::Real)));
        let r = Recorder::from_env(&env(&[(ROOT_ENV, "::"), (UNIX_TIME_ENV, "7")]));
        assert!(matches!((r.machine, r.clock), (Machine::Real, Clock::Fixed(7))));
        let r = Recorder::from_env(&env(&[(ROOT_ENV, "a::b"), (SYNTHETIC_ENV, "")]));
        assert!(matches!(r.machine, Machine::Roots(ref v) if v == &[PathBuf::from("a"), PathBuf::from("b")]));
    }

    #[test]
    fn roots_advance_then_stay_on_the_last() {
        let mut r = Roots {
            trees: vec![
                Collector::new("/nonexistent-a".into(), Selection::none()),
                Collector::new("/nonexistent-b".into(), Selection::none()),
            ],
            next: 0,
        };
        for _ in 0..3 {
            assert!(r.sample(1).is_err());
        }
        assert_eq!(r.next, 3);
        assert!(r.uptime_cs().is_err());
    }
}
