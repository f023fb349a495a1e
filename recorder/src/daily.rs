//! The recording loop: one record per interval into a file, or into a file
//! per local day (`saDD` / `saYYYYMMDD`) with rotation at midnight, a
//! `LINUX RESTART` mark after a reboot, retention and compression of closed
//! days.
//!
//! Timestamps come from a [`Clock`]: the real one sleeps between samples,
//! the fixed one (`--unix-time`, `--synthetic`) advances by the interval
//! without sleeping, so a day of one-second records takes seconds.

// `Option::is_none_or` would read better but needs Rust 1.82; the MSRV is 1.80.
#![allow(clippy::unnecessary_map_or)]

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use sarkit_format::daily::{self, Day, NameStyle};
use sarkit_format::record::{RecordType, MAX_COMMENT_LEN};
use sarkit_format::time::{self, BrokenDown};
use sarkit_format::{RecordHeader, SaFile, Sample, SampleBody};

use crate::outfile::{reason, DataFile, FileOptions, RecError};
use crate::source::SampleSource;

/// The recorder's local time, as `localtime_r` gives it (honours `TZ`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    /// 0 to 11.
    pub month0: u8,
    pub mday: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// Time zone abbreviation, e.g. "CET".
    pub zone: String,
}

impl LocalTime {
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.month0) + 1, u32::from(self.mday))
    }
}

/// Local time at `t` seconds since the epoch.
pub fn local_time(t: u64) -> LocalTime {
    time::tzset();
    let Some(tm) = BrokenDown::local(t.min(i64::MAX as u64) as i64) else {
        return LocalTime { year: 1970, month0: 0, mday: 1, hour: 0, minute: 0, second: 0, zone: "UTC".into() };
    };
    LocalTime {
        year: tm.year(),
        month0: tm.month0() as u8,
        mday: tm.day() as u8,
        hour: tm.hour() as u8,
        minute: tm.minute() as u8,
        second: tm.second() as u8,
        zone: tm.zone(),
    }
}

/// A statistics record header at `t` with the given uptime, stamped with
/// the recorder's local time of day (what `sar -t` prints).
pub fn record_header(t: u64, uptime_cs: u64) -> RecordHeader {
    let lt = local_time(t);
    RecordHeader {
        uptime_cs,
        ust_time: t,
        extra_next: 0,
        record_type: RecordType::R_STATS,
        hour: lt.hour,
        minute: lt.minute,
        second: lt.second,
    }
}

/// The calendar day `t` falls on for naming its daily file: local, or UTC
/// when `utc` (sysstat's `S_TIME_DEF_TIME=UTC`, read by the binary).
pub fn file_day(t: u64, utc: bool) -> Day {
    let (year, month0, mday) = if utc {
        match BrokenDown::utc(t.min(i64::MAX as u64) as i64) {
            Some(tm) => (tm.year(), tm.month0() as u8, tm.day() as u8),
            None => (1970, 0, 1),
        }
    } else {
        let lt = local_time(t);
        (lt.year, lt.month0, lt.mday)
    };
    Day::new(year, month0 + 1, mday).unwrap_or(Day { year: 1970, month: 1, day: 1 })
}

/// The daily file name for `t`: `saDD`, or `saYYYYMMDD` with `-D`.
pub fn daily_name(t: u64, yyyymmdd: bool, utc: bool) -> String {
    daily::file_name(file_day(t, utc), NameStyle::from_full_date(yyyymmdd))
}

/// Where records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// One file, whatever the date.
    File(PathBuf),
    /// A file per local day in this folder.
    Dir(PathBuf),
}

/// Where sample times come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Now, sleeping `interval` between samples.
    Real,
    /// Sample `k` is taken at `start + k * interval`, without sleeping.
    Fixed(u64),
}

/// Everything about a recording run but the source and the output.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub file: FileOptions,
    /// `-D`: `saYYYYMMDD` names.
    pub yyyymmdd: bool,
    /// Date daily files in UTC rather than local time (`S_TIME_DEF_TIME=UTC`).
    pub utc_dates: bool,
    /// Seconds between samples (at least 1).
    pub interval: u64,
    /// Samples to take; `None` runs until killed.
    pub count: Option<u64>,
    pub clock: Clock,
    /// Delete daily files older than this many days (daily output only).
    pub keep_days: Option<u32>,
    /// What becomes of closed days (daily output only).
    pub close: CloseDays,
}

/// What housekeeping does with a closed day's file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CloseDays {
    /// Leave it plain, for sysstat's `sar`.
    #[default]
    Keep,
    /// Compress it to `NAME.zst`.
    Compress,
    /// Archive it to `NAME.sarc` (`spec/archive.md`).
    Archive,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            file: FileOptions::default(),
            yyyymmdd: false,
            utc_dates: false,
            interval: 1,
            count: Some(1),
            clock: Clock::Real,
            keep_days: None,
            close: CloseDays::Keep,
        }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub records: u64,
    pub restarts: u64,
    pub files: Vec<PathBuf>,
    /// Records that could not be written (each was logged).
    pub failed: u64,
}

/// The record `sadc` writes when called without an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Special {
    /// `LINUX RESTART`, written at boot (sa1 --boot).
    Restart,
    /// `-C comment`.
    Comment(String),
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The file a sample taken at `t` goes to.
pub fn file_for(output: &Output, t: u64, opts: &RunOptions) -> PathBuf {
    match output {
        Output::File(p) => p.clone(),
        Output::Dir(d) => d.join(daily_name(t, opts.yyyymmdd, opts.utc_dates)),
    }
}

/// The options a file of `output` starting at `t` is opened with.
pub fn file_options(output: &Output, opts: &RunOptions, t: u64) -> FileOptions {
    let mut f = opts.file;
    if matches!(output, Output::Dir(_)) && !opts.yyyymmdd {
        // saDD names come round every month: last month's file is replaced.
        let day = file_day(t, opts.utc_dates);
        f.replace_stale_month = Some((day.year - 1900, day.month - 1));
    }
    f
}

fn open(source: &mut dyn SampleSource, path: &Path, fopts: FileOptions, t: u64) -> Result<DataFile, RecError> {
    let f = DataFile::open(path, fopts, &mut || {
        let hdr = source.header_info(t).map_err(RecError::Source)?;
        let specs = source.specs().map_err(RecError::Source)?;
        Ok((hdr, specs))
    })?;
    if !f.created {
        // The file's activity list prevails over -S, as in sadc.
        let ids: Vec<_> = f.specs().iter().map(|s| s.info.id).collect();
        source.collect_only(&ids);
    }
    Ok(f)
}

/// Write a `LINUX RESTART` or comment record at `t` (now if `None`), as
/// sadc does when given no interval.
pub fn write_special(
    source: &mut dyn SampleSource,
    output: &Output,
    opts: &RunOptions,
    what: &Special,
    t: Option<u64>,
) -> Result<PathBuf, RecError> {
    let t = t.unwrap_or_else(now);
    let path = file_for(output, t, opts);
    let mut f = open(source, &path, file_options(output, opts, t), t)?;
    let mut header = record_header(t, 0);
    let body = match what {
        Special::Restart => {
            header.record_type = RecordType::R_RESTART;
            SampleBody::Restart { cpu_nr: source.cpu_nr().map_err(RecError::Source)? }
        }
        Special::Comment(c) => {
            header.record_type = RecordType::R_COMMENT;
            let mut text = [0u8; MAX_COMMENT_LEN];
            let b = c.as_bytes();
            let n = b.len().min(MAX_COMMENT_LEN - 1);
            text[..n].copy_from_slice(&b[..n]);
            SampleBody::Comment(text)
        }
    };
    f.write(&Sample { header, body })?;
    Ok(path)
}

/// Take `opts.count` samples (or run forever) into `output`.
///
/// A record that cannot be written is logged and dropped, the file left as
/// it was, and the next interval tries again; the run then ends with the
/// last such error. In a run without end, failing to open a day's file or
/// to read statistics is logged and retried too.
pub fn record(
    source: &mut dyn SampleSource,
    output: &Output,
    opts: &RunOptions,
    log: &mut dyn FnMut(&str),
) -> Result<Summary, RecError> {
    let interval = opts.interval.max(1);
    let forever = opts.count.is_none();
    let daily = matches!(output, Output::Dir(_));
    let maintain = daily && (opts.close != CloseDays::Keep || opts.keep_days.is_some());
    let started = Instant::now();
    let start_time = match opts.clock {
        Clock::Fixed(t) => t,
        Clock::Real => now(),
    };
    let mut summary = Summary::default();
    let mut last_err = None;
    let mut cur: Option<DataFile> = None;
    let mut housekeeping: Option<JoinHandle<Vec<String>>> = None;
    let join = |h: &mut Option<JoinHandle<Vec<String>>>, log: &mut dyn FnMut(&str)| {
        if let Some(h) = h.take() {
            match h.join() {
                Ok(msgs) => msgs.iter().for_each(|m| log(m)),
                Err(_) => log("housekeeping thread failed"),
            }
        }
    };
    if maintain {
        if let Output::Dir(d) = output {
            housekeeping = Some(spawn_housekeeping(d.clone(), start_time, opts, None));
        }
    }

    let mut k: u64 = 0;
    while opts.count.map_or(true, |c| k < c) {
        let t = match opts.clock {
            Clock::Fixed(start) => start + k * interval,
            Clock::Real => {
                if k > 0 {
                    let due = started + Duration::from_secs(k * interval);
                    let wait = due.saturating_duration_since(Instant::now());
                    std::thread::sleep(wait);
                }
                now()
            }
        };
        k += 1;
        let mut sample = match source.sample(t) {
            Ok(s) => s,
            Err(e) if forever => {
                log(&RecError::Source(e).to_string());
                continue;
            }
            Err(e) => return Err(RecError::Source(e)),
        };
        let path = file_for(output, t, opts);
        if cur.as_ref().map_or(true, |f| f.path() != path) {
            if let Some(mut old) = cur.take() {
                // As sadc: the first record of the new day also ends the old one.
                if let Err(e) = old.write(&sample) {
                    log(&e.to_string());
                }
                let closed = old.path().to_path_buf();
                drop(old);
                if maintain {
                    if let Output::Dir(d) = output {
                        join(&mut housekeeping, log);
                        housekeeping = Some(spawn_housekeeping(d.clone(), t, opts, Some(closed)));
                    }
                }
            }
            match open(source, &path, file_options(output, opts, t), t) {
                Ok(f) => {
                    if !f.created {
                        // The file's activity list now decides what is
                        // collected: take this sample again with it.
                        match source.sample(t) {
                            Ok(s) => sample = s,
                            Err(e) if forever => {
                                log(&RecError::Source(e).to_string());
                                continue;
                            }
                            Err(e) => return Err(RecError::Source(e)),
                        }
                    }
                    summary.files.push(path.clone());
                    cur = Some(f);
                }
                Err(e) if forever && !matches!(e, RecError::Locked(_)) => {
                    log(&e.to_string());
                    last_err = Some(e);
                    continue;
                }
                Err(e) => {
                    join(&mut housekeeping, log);
                    return Err(e);
                }
            }
            let Some(f) = cur.as_mut() else { continue };
            if f.tail.last_uptime_cs.is_some_and(|u| sample.header.uptime_cs < u) {
                let restart = restart_record(source, &sample)?;
                match f.write(&restart) {
                    Ok(()) => summary.restarts += 1,
                    Err(e) => log(&e.to_string()),
                }
            }
        }
        let Some(f) = cur.as_mut() else { continue };
        match f.write(&sample) {
            Ok(()) => summary.records += 1,
            Err(e) => {
                log(&e.to_string());
                summary.failed += 1;
                last_err = Some(e);
            }
        }
        source.take_notes().iter().for_each(|n| log(n));
    }
    drop(cur);
    join(&mut housekeeping, log);
    match last_err {
        Some(e) if !forever => Err(e),
        _ => Ok(summary),
    }
}

fn restart_record(source: &mut dyn SampleSource, before: &Sample) -> Result<Sample, RecError> {
    let mut header = before.header;
    header.record_type = RecordType::R_RESTART;
    header.uptime_cs = 0;
    Ok(Sample { header, body: SampleBody::Restart { cpu_nr: source.cpu_nr().map_err(RecError::Source)? } })
}

fn spawn_housekeeping(dir: PathBuf, t: u64, opts: &RunOptions, closed: Option<PathBuf>) -> JoinHandle<Vec<String>> {
    let (keep, close, style) = (opts.keep_days, opts.close, NameStyle::from_full_date(opts.yyyymmdd));
    let today = file_day(t, opts.utc_dates);
    std::thread::spawn(move || housekeeping(&dir, today, keep, close, style, closed.as_deref()))
}

/// Delete days older than `keep_days` and compress or archive closed days, in `dir`,
/// as of the day `today` (whose file is named in `style`). Returns messages
/// for the log.
pub fn housekeeping(
    dir: &Path,
    today: Day,
    keep_days: Option<u32>,
    close: CloseDays,
    style: NameStyle,
    closed: Option<&Path>,
) -> Vec<String> {
    let mut log = Vec::new();
    let today_name = daily::file_name(today, style);
    let Some(today) = naive(today) else { return log };
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return vec![format!("Cannot open {}: {}", dir.display(), reason(&e))],
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        let Some(kind) = daily::parse_name(name) else { continue };
        let date = match kind.date {
            Some(d) => naive(d),
            None => header_date(&path),
        };
        if let (Some(keep), Some(date)) = (keep_days, date) {
            if (today - date).num_days() > i64::from(keep) {
                match fs::remove_file(&path) {
                    Ok(()) => log.push(format!("removed {} (older than {keep} days)", path.display())),
                    Err(e) => log.push(format!("Cannot remove {}: {}", path.display(), reason(&e))),
                }
                continue;
            }
        }
        let is_closed = closed == Some(path.as_path()) || date.is_some_and(|d| d < today);
        if close != CloseDays::Keep && !kind.compressed && name != today_name && is_closed {
            let verb = if close == CloseDays::Archive { "archive" } else { "compress" };
            match close_day(&path, close) {
                Ok(Some(z)) => log.push(format!("{verb}d {} to {}", path.display(), z.display())),
                Ok(None) => {}
                Err(e) => log.push(format!("Cannot {verb} {}: {}", path.display(), reason(&e))),
            }
        }
    }
    log
}

fn naive(day: Day) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(day.year, u32::from(day.month), u32::from(day.day))
}

fn header_date(path: &Path) -> Option<NaiveDate> {
    let f = SaFile::open(path).ok()?;
    let h = &f.info.header;
    NaiveDate::from_ymd_opt(h.sa_year + 1900, u32::from(h.sa_month) + 1, u32::from(h.sa_day))
}

/// Compress a closed day to `NAME.zst`, or archive it to `NAME.sarc`, and
/// remove the original once the copy reads back identical, byte for byte
/// and record by record. The copy is written under a temporary name,
/// synced, checked, then renamed: a crash at any point leaves the plain
/// day whole. A file still locked by a writer is left for later (`Ok(None)`).
pub fn close_day(path: &Path, how: CloseDays) -> io::Result<Option<PathBuf>> {
    let suffix = match how {
        CloseDays::Keep => return Ok(None),
        CloseDays::Compress => daily::ZST_SUFFIX,
        CloseDays::Archive => daily::ARCHIVE_SUFFIX,
    };
    let src = File::open(path)?;
    // SAFETY: flock on a descriptor we own.
    let locked = unsafe { libc::flock(std::os::unix::io::AsRawFd::as_raw_fd(&src), libc::LOCK_EX | libc::LOCK_NB) };
    if locked != 0 {
        let e = io::Error::last_os_error();
        return if e.kind() == io::ErrorKind::WouldBlock { Ok(None) } else { Err(e) };
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("sa");
    let dest = dir.join(format!("{name}{suffix}"));
    let tmp = dir.join(format!(".{name}{suffix}.tmp"));
    let result = (|| {
        let mut out = File::create(&tmp)?;
        if how == CloseDays::Archive {
            let mut w = io::BufWriter::with_capacity(1 << 20, &mut out);
            sarkit_format::archive::write_archive(path, &mut w)?;
            w.flush()?;
        } else {
            let mut enc = zstd::stream::Encoder::new(&mut out, 3)?;
            io::copy(&mut &src, &mut enc)?;
            enc.finish()?;
        }
        out.sync_all()?;
        verify_copy(path, &tmp)?;
        fs::rename(&tmp, &dest)?;
        sync_dir(dir)?;
        fs::remove_file(path)?;
        sync_dir(dir)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(Some(dest))
}

/// [`close_day`] to `NAME.zst`.
pub fn compress_day(path: &Path) -> io::Result<Option<PathBuf>> {
    close_day(path, CloseDays::Compress)
}

/// A writer that checks what it is given against the bytes of `orig`.
struct SameAs<R> {
    orig: R,
    at: u64,
}

impl<R: io::Read> io::Write for SameAs<R> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut want = Vec::with_capacity(buf.len());
        io::Read::read_to_end(&mut io::Read::take(&mut self.orig, buf.len() as u64), &mut want)?;
        if want != buf {
            let at = self.at + want.iter().zip(buf).take_while(|(a, b)| a == b).count() as u64;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("compressed copy differs: bytes near offset {at}"),
            ));
        }
        self.at += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Check that `copy` (zstd or archive) gives back exactly `orig`, and that
/// both walk to the same records with the same outcome.
pub fn verify_copy(orig: &Path, copy: &Path) -> io::Result<()> {
    let bad = |what: String| io::Error::new(io::ErrorKind::InvalidData, format!("compressed copy differs: {what}"));
    {
        let mut same = SameAs { orig: io::BufReader::with_capacity(1 << 16, File::open(orig)?), at: 0 };
        let mut head = [0u8; 8];
        let n = io::Read::read(&mut File::open(copy)?, &mut head)?;
        if sarkit_format::archive::is_archive(&head[..n]) {
            let ar = sarkit_format::archive::Archive::open(copy).map_err(|e| bad(e.to_string()))?;
            sarkit_format::archive::restore(&ar, &mut same).map_err(|e| match e {
                sarkit_format::archive::RestoreError::Write(e) => e,
                e => bad(e.to_string()),
            })?;
        } else {
            io::copy(&mut zstd::stream::Decoder::new(File::open(copy)?)?, &mut same)?;
        }
        if !io::BufRead::fill_buf(&mut same.orig)?.is_empty() {
            return Err(bad(format!("the copy ends at offset {}", same.at)));
        }
    }
    // The original is read as a stream, which never asks for the writer's
    // lock: the caller holds it, and a partial last record must read as the
    // damage it is, as it does in the copy.
    let plain = File::open(orig).map_err(sarkit_format::Error::Io).and_then(|f| {
        SaFile::from_reader(Box::new(io::BufReader::with_capacity(1 << 16, f)), sarkit_format::OpenOptions::default())
    });
    let (mut a, mut b) = match (plain, SaFile::open(copy)) {
        (Ok(a), Ok(b)) => (a, b),
        // A file no reader opens stays so in its copy, for the same reason.
        (Err(x), Err(y)) if x.to_string() == y.to_string() => return Ok(()),
        _ => return Err(bad("the copy opens differently".into())),
    };
    loop {
        let (ra, rb) = (a.next_record(), b.next_record());
        match (ra, rb) {
            (Ok(None), Ok(None)) => return Ok(()),
            (Ok(Some(x)), Ok(Some(y))) => {
                let same = x.offset == y.offset
                    && Sample::from_record(x.header, &x.kind) == Sample::from_record(y.header, &y.kind);
                if !same {
                    return Err(bad(format!("record at offset {}", x.offset)));
                }
            }
            // A file cut short by a crash stays cut short in its copy.
            (Err(x), Err(y)) if x.to_string() == y.to_string() => return Ok(()),
            _ => return Err(bad("the records end differently".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appending_collects_the_files_activities_whatever_s_said() {
        use crate::synthetic::Synthetic;
        use sarkit_format::{stats::StatsMemory, ActivityId, RecordKind, SaFile};
        let dir = tempfile::tempdir().unwrap();
        let out = Output::File(dir.path().join("sa"));
        let opts = RunOptions { clock: Clock::Fixed(1_700_000_000), ..Default::default() };
        let mut first = Synthetic::new(2, 1, 1);
        first.only = Some(vec![ActivityId::A_CPU, ActivityId::A_MEMORY]);
        record(&mut first, &out, &opts, &mut |_| {}).unwrap();
        // A second run asks for CPU only, as `rsadc -S A_CPU` would.
        let mut second = Synthetic::new(2, 1, 1);
        second.only = Some(vec![ActivityId::A_CPU]);
        let later = RunOptions { clock: Clock::Fixed(1_700_000_001), ..opts };
        record(&mut second, &out, &later, &mut |_| {}).unwrap();
        let Output::File(path) = &out else { unreachable!() };
        let mut f = SaFile::open(path).unwrap();
        let mut mem = Vec::new();
        while let Some(r) = f.next_record().unwrap() {
            if let RecordKind::Stats(s) = r.kind {
                let m: StatsMemory = s.block(ActivityId::A_MEMORY).unwrap().get(0).unwrap();
                mem.push(m.tlmkb);
            }
        }
        assert_eq!(mem.len(), 2);
        assert!(mem.iter().all(|&t| t > 0), "memory written as zeros: {mem:?}");
    }

    #[test]
    fn names_follow_the_local_date() {
        let t = 1_700_000_000; // 2023-11-14 22:13:20 UTC
        let lt = local_time(t);
        assert_eq!(daily_name(t, false, false), format!("sa{:02}", lt.mday));
        assert_eq!(daily_name(t, true, false), format!("sa{}{:02}{:02}", lt.year, lt.month0 + 1, lt.mday));
    }

    #[test]
    fn utc_names_follow_the_utc_date() {
        // 23:30 UTC on 2023-11-14.
        let t = 1_700_004_600;
        assert_eq!(daily_name(t, true, true), "sa20231114");
        assert_eq!(daily_name(t, false, true), "sa14");
        assert_eq!(file_day(t, true), Day { year: 2023, month: 11, day: 14 });
    }
}
