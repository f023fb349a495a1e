//! `sar` without `-f`: live statistics (sar's `read_stats`).
//!
//! sar forks sadc and reads a data file's bytes through a pipe; rsar takes
//! the same bytes from the recorder in-process ([`LiveStream`]) and reads
//! them with the same reader and reports as files. Only the driver differs
//! from [`super::engine`]: each sample prints every selected report at
//! once, in sysstat's activity order, and the Average ends the run when
//! `count` is reached or on SIGINT/SIGTERM.
//!
//! Test hooks, read from the environment: [`ROOT_ENV`] reads /proc and
//! /sys under fake trees, [`SYNTHETIC_ENV`] samples the synthetic machine,
//! and [`UNIX_TIME_ENV`] dates the samples from a fixed time without
//! sleeping.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sarkit_format::daily as sa_daily;
use sarkit_format::{ActivityId, HeaderInfo, SaFile, Sample, ACTIVITIES};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::compat::Compat;
use sarkit_recorder::daily::Clock;
use sarkit_recorder::live::{LiveOptions, LiveStream};
use sarkit_recorder::outfile::FileOptions;
use sarkit_recorder::select::{self, Selection};
use sarkit_recorder::source::SampleSource;
use sarkit_recorder::synthetic::Synthetic;

use super::engine::{datecmp, interval, Cursor, Fail, Hdr, Kind, RecTime, Settings};
use super::options::{self, Options, TimeLimit};
use super::report::{Ctx, Report, FIRST};
use super::timefmt::Stamp;
use super::RunEnv;
use crate::daily::DailyLookup;

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

/// sadc's `-S` list as sar builds it: everything when saving to a file,
/// else only what is displayed.
fn selection(o: &Options) -> Selection {
    if o.to_file.is_some() {
        return select::parse("XALL").unwrap_or_default();
    }
    let mut list = String::from("A_NULL");
    for a in ACTIVITIES.iter().filter(|a| o.is_selected(a.id)) {
        list.push(',');
        list.push_str(a.name);
    }
    select::parse(&list).unwrap_or_else(|_| Selection::none())
}

fn make_source(o: &Options, env: &RunEnv<'_>) -> Box<dyn SampleSource + Send> {
    let var = |k: &str| (env.var)(k).filter(|v| !v.is_empty());
    let sel = selection(o);
    if let Some(n) = var(SYNTHETIC_ENV) {
        let mut s = Synthetic::new(n.parse().unwrap_or(4), 2, 2);
        s.only = Some(sel.ids());
        return Box::new(s);
    }
    if let Some(roots) = var(ROOT_ENV) {
        let trees: Vec<Collector> =
            roots.split(':').filter(|r| !r.is_empty()).map(|r| Collector::new(r.into(), sel.clone())).collect();
        if !trees.is_empty() {
            return Box::new(Roots { trees, next: 0 });
        }
    }
    Box::new(Collector::new(PathBuf::from("/"), sel))
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
    env: &RunEnv<'_>,
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
    let clock = match (env.var)(UNIX_TIME_ENV).and_then(|t| t.parse::<u64>().ok()) {
        Some(t) => Clock::Fixed(t),
        None => Clock::Real,
    };
    let start = match clock {
        Clock::Fixed(t) => t,
        Clock::Real => env.now.max(0) as u64,
    };
    let opts = LiveOptions {
        interval: o.interval as u64,
        // sadc takes one sample more than sar prints: the first is the reference.
        samples: (o.count > 0).then(|| o.count as u64 + 1),
        clock,
        compat: Compat::Current,
    };
    let save = save_path(&o, env, start);
    STOP.store(false, Ordering::SeqCst);
    let stream = match LiveStream::new(
        make_source(&o, env),
        opts,
        save.as_deref().map(|p| (p, FileOptions::default())),
        &STOP,
    ) {
        Ok(s) => s,
        Err(e) => {
            // sadc's complaint; sar, receiving nothing, exits 3.
            writeln!(err, "{e}")?;
            return Ok(3);
        }
    };
    let failure = stream.failure();
    let f = match SaFile::from_reader(Box::new(stream), crate::open_options()) {
        Ok(f) => f,
        Err(_) => {
            writeln!(err, "Inconsistent input data")?;
            return Ok(3);
        }
    };

    // reverse_check_act: what sadc did not send is not displayed.
    let ids: Vec<ActivityId> = o.selected_ids().collect();
    for id in ids {
        if !f.info.has_activity(id) {
            o.unselect(id);
        }
    }
    if !o.any_selected() {
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

    let style = super::set_display(&o, env);
    super::host_line(out, &f.info.header, style)?;
    out.flush()?;
    let set = Settings::from_options(&o, style, env.rows(), f.info.header.sa_cpu_nr);
    catch_signals();
    let stopped = || STOP.load(Ordering::SeqCst);
    let ended = read_stats(Cursor::new("-", f), reports, &set, dis_hdr, out, &stopped);
    let why = failure.lock().ok().and_then(|mut f| f.take());
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
        Err(Fail::Sa(_)) => {
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

/// What the live loop keeps between samples.
struct Live<'a, 'w> {
    set: &'a Settings,
    reports: Vec<Box<dyn Report>>,
    cx: Ctx<'w>,
    rh: [Hdr; 3],
    rectime: RecTime,
}

/// sar's `read_stats` over a live stream: the first record is the
/// reference, each later one prints every report. Returns false when the
/// stream ended without `stopped` (sadc went away).
fn read_stats(
    mut cur: Cursor,
    reports: Vec<Box<dyn Report>>,
    set: &Settings,
    dis_hdr: bool,
    out: &mut dyn Write,
    stopped: &dyn Fn() -> bool,
) -> Result<bool, Fail> {
    let mut l = Live {
        set,
        reports,
        cx: Ctx { out, ts: [Stamp::default(); 2], show_header: true, avg_count: 0 },
        rh: [Hdr::default(); 3],
        rectime: RecTime::default(),
    };
    let Some(h) = cur.next(&mut l.reports, 0)? else { return Ok(stopped()) };
    l.rh[0] = h;
    l.rh[FIRST] = h;
    for r in l.reports.iter_mut() {
        r.copy(FIRST, 0);
    }
    let rows = set.rows.max(1);
    let mut lines = rows;
    let mut count = set.count;
    let mut curr = 1;
    loop {
        let Some(h) = cur.next(&mut l.reports, curr)? else {
            if !stopped() {
                return Ok(false);
            }
            // sar's handler skips the "^C" echoed on the terminal.
            l.cx.out.write_all(b"\n")?;
            curr ^= 1;
            break;
        };
        if h.kind != Kind::Stats {
            continue;
        }
        l.rh[curr] = h;
        if !dis_hdr {
            l.cx.show_header = lines / rows != 0;
            if l.cx.show_header {
                lines %= rows;
            }
            lines += 1;
        }
        l.write_stats(curr, &mut count)?;
        if set.tm_end != TimeLimit::None && datecmp(&l.rectime, &set.tm_end, false) == 0 {
            count = 0;
        }
        l.cx.out.flush()?;
        if count > 0 {
            count -= 1;
        }
        if count == 0 {
            break;
        }
        curr ^= 1;
    }
    l.cx.show_header = dis_hdr;
    if l.cx.avg_count > 0 {
        l.write_avg(curr)?;
    }
    l.cx.out.flush()?;
    Ok(true)
}

impl Live<'_, '_> {
    fn rectime(h: &Hdr) -> Option<RecTime> {
        RecTime::of(h, false, false)
    }

    /// sar's `write_stats` for data from sadc: every report, no `-i` slicing.
    fn write_stats(&mut self, curr: usize, cnt: &mut i64) -> Result<(), Fail> {
        let prev = curr ^ 1;
        let Some(prt) = Self::rectime(&self.rh[prev]) else { return Ok(()) };
        self.cx.ts[prev] = Stamp::time(&prt.tm, self.set.style);
        let Some(rt) = Self::rectime(&self.rh[curr]) else { return Ok(()) };
        self.rectime = rt;
        self.cx.ts[curr] = Stamp::time(&rt.tm, self.set.style);
        if self.set.tm_end != TimeLimit::None && datecmp(&rt, &self.set.tm_end, false) > 0 {
            *cnt = 0;
            return Ok(());
        }
        let itv = interval(self.rh[prev].uptime_cs, self.rh[curr].uptime_cs);
        self.cx.avg_count += 1;
        for r in self.reports.iter_mut() {
            if r.nr(curr) > 0 {
                r.print(&mut self.cx, prev, curr, itv)?;
            }
        }
        Ok(())
    }

    /// sar's `write_stats_avg` for every report.
    fn write_avg(&mut self, curr: usize) -> Result<(), Fail> {
        let itv = interval(self.rh[FIRST].uptime_cs, self.rh[curr].uptime_cs);
        let avg = Stamp::text("Average:");
        self.cx.ts[curr] = avg;
        self.cx.ts[curr ^ 1] = if super::fmt::display().minmax { Stamp::text("Summary:") } else { avg };
        for r in self.reports.iter_mut() {
            if r.nr(curr) > 0 {
                r.print_avg(&mut self.cx, curr, itv)?;
            }
        }
        Ok(())
    }
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
    fn collects_what_is_displayed_or_everything_when_saving() {
        let names = |s: &Selection| s.ids().iter().filter_map(|id| id.info()).map(|i| i.name).collect::<Vec<_>>();
        assert_eq!(names(&selection(&opts(&["-u", "1", "3"]))), vec!["A_CPU"]);
        assert_eq!(names(&selection(&opts(&["-n", "DEV", "-r", "1"]))), vec!["A_MEMORY", "A_NET_DEV"]);
        let all = selection(&opts(&["-u", "-o", "/tmp/x", "1"]));
        assert_eq!(all.ids().len(), ACTIVITIES.len());
        assert!(all.partitions());
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
