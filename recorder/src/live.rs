//! Samples for a live report (`rsar 1 5` without a file): the same sources
//! as the recorder, paced by the wall clock, handed out rather than written.
//!
//! [`LiveStream`] is what sadc sends sar through its pipe: the bytes of a
//! data file (prologue, then one record per sample), produced on demand so
//! a reader gets each record as soon as it is taken. With a file to save
//! to (`sar -o`), every record is appended there too, whole, so the file is
//! valid while it grows; saving into a folder's daily files goes on into
//! the new day's file at midnight, as sadc does.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sarkit_format::{Compat, Encoding, Sample, WriteError, Writer};

use crate::daily::{self, Clock, Output, RunOptions};
use crate::outfile::{fit, prepare_specs, DataFile, RecError};
use crate::source::SampleSource;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// How a [`LiveStream`] samples.
#[derive(Debug, Clone, Copy)]
pub struct LiveOptions {
    /// Seconds between samples.
    pub interval: u64,
    /// Samples to take; `None` until stopped.
    pub samples: Option<u64>,
    /// `Real` sleeps between samples; `Fixed(t)` dates sample `k` at
    /// `t + k * interval` and does not sleep (tests).
    pub clock: Clock,
    /// Layouts of the stream and of a new saved file.
    pub compat: Compat,
}

/// Where a stream also saves its records (`sar -o`): a file, or the day's
/// file of a folder, as rsadc's output. Of `run`, only the file options
/// and the daily files' names count; the stream paces itself.
#[derive(Debug, Clone)]
pub struct Save {
    pub output: Output,
    pub run: RunOptions,
}

/// The file a stream saves to now.
struct Saving {
    to: Save,
    file: DataFile,
}

impl Saving {
    /// Open (create or append to) the file of `to` for a sample at `t`;
    /// the stream's layouts are `compat`'s.
    fn open(source: &mut dyn SampleSource, mut to: Save, compat: Compat, t: u64) -> Result<Saving, RecError> {
        to.run.file.compat = compat;
        let file = Self::open_file(source, &to, t)?;
        Ok(Saving { to, file })
    }

    fn open_file(source: &mut dyn SampleSource, to: &Save, t: u64) -> Result<DataFile, RecError> {
        let path = daily::file_for(&to.output, t, &to.run);
        DataFile::open(&path, daily::file_options(&to.output, &to.run, t), &mut || {
            Ok((source.header_info(t).map_err(RecError::Source)?, source.specs().map_err(RecError::Source)?))
        })
    }

    /// Append `s`, taken at `t`; when `t` is of another day than the file,
    /// `s` ends the old day's file and starts the new one, as in sadc.
    fn write(&mut self, source: &mut dyn SampleSource, s: &Sample, t: u64) -> Result<(), RecError> {
        if daily::file_for(&self.to.output, t, &self.to.run) != self.file.path() {
            self.file.write(s)?;
            self.file = Self::open_file(source, &self.to, t)?;
        }
        self.file.write(s)
    }
}

/// Why a stream ended early, for the reader to report once it sees the end.
pub type Failure = Arc<Mutex<Option<RecError>>>;

/// The byte stream of a data file being recorded now. Reading blocks until
/// the next sample is due; the stream ends after the last sample, when
/// `stop` is raised (checked at least every 50 ms while waiting), or on a
/// failure, which [`LiveStream::failure`] then holds.
pub struct LiveStream {
    source: Box<dyn SampleSource + Send>,
    opts: LiveOptions,
    enc: Writer<io::Sink>,
    save: Option<Saving>,
    buf: Vec<u8>,
    pos: usize,
    taken: u64,
    began: Option<Instant>,
    stop: &'static AtomicBool,
    failure: Failure,
}

impl LiveStream {
    /// Prepare the stream: header and activity list now, samples when read.
    /// With `save`, the file is created or appended to as sadc does, and
    /// its activity list (which prevails for a file appended to) is the
    /// stream's too.
    pub fn new(
        mut source: Box<dyn SampleSource + Send>,
        opts: LiveOptions,
        save: Option<Save>,
        stop: &'static AtomicBool,
    ) -> Result<LiveStream, RecError> {
        let start = match opts.clock {
            Clock::Fixed(t) => t,
            Clock::Real => now(),
        };
        let mut hdr = source.header_info(start).map_err(RecError::Source)?;
        let (save, specs) = match save {
            Some(to) => {
                let saving = Saving::open(source.as_mut(), to, opts.compat, start)?;
                let specs = saving.file.specs().to_vec();
                (Some(saving), specs)
            }
            None => (None, prepare_specs(opts.compat, source.specs().map_err(RecError::Source)?)),
        };
        if specs.is_empty() {
            return Err(RecError::NoActivity);
        }
        hdr.version = opts.compat.version();
        let enc = Writer::append(io::sink(), specs, Encoding::NATIVE);
        let buf = enc.file_prologue(&hdr);
        Ok(LiveStream { source, opts, enc, save, buf, pos: 0, taken: 0, began: None, stop, failure: Arc::default() })
    }

    /// Where the reason for an early end is left.
    pub fn failure(&self) -> Failure {
        Arc::clone(&self.failure)
    }

    fn failed(&self) -> bool {
        self.failure.lock().map_or(true, |f| f.is_some())
    }

    fn fail(&self, e: RecError) {
        if let Ok(mut f) = self.failure.lock() {
            f.get_or_insert(e);
        }
    }

    /// Wait until sample `taken` is due; false if stopped meanwhile.
    fn wait(&self) -> bool {
        let (Clock::Real, Some(began)) = (self.opts.clock, self.began) else { return true };
        let k = u32::try_from(self.taken).unwrap_or(u32::MAX);
        let due = began + Duration::from_secs(self.opts.interval).saturating_mul(k);
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return false;
            }
            let left = due.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
    }

    /// Take the next sample into `buf`; false at the end of the stream.
    fn next_sample(&mut self) -> bool {
        if self.failed() || self.opts.samples.is_some_and(|n| self.taken >= n) || !self.wait() {
            return false;
        }
        if self.stop.load(Ordering::SeqCst) {
            return false;
        }
        let t = match self.opts.clock {
            Clock::Fixed(t0) => t0.saturating_add(self.taken.saturating_mul(self.opts.interval)),
            Clock::Real => now(),
        };
        if self.began.is_none() {
            self.began = Some(Instant::now());
        }
        let s = match self.source.sample(t) {
            Ok(s) => s,
            Err(e) => {
                self.fail(RecError::Source(e));
                return false;
            }
        };
        let fitted = fit(&s, self.enc.specs());
        match self.enc.encode_sample(&fitted) {
            Ok(bytes) => self.buf = bytes,
            Err(e) => {
                self.fail(write_error(e));
                return false;
            }
        }
        self.pos = 0;
        self.taken += 1;
        // As sadc: the reader's copy first, then the file's; a file that
        // cannot be written ends the stream after this record.
        if let Some(f) = self.save.as_mut() {
            if let Err(e) = f.write(self.source.as_mut(), &s, t) {
                self.fail(e);
            }
        }
        true
    }
}

fn write_error(e: WriteError) -> RecError {
    match e {
        WriteError::Io(e) => RecError::Write(e),
        e => RecError::Write(io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
    }
}

impl Read for LiveStream {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.buf.len() && !self.next_sample() {
            return Ok(0);
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::Synthetic;
    use sarkit_format::{OpenOptions, RecordKind, SaFile};

    fn opts(samples: Option<u64>) -> LiveOptions {
        LiveOptions { interval: 10, samples, clock: Clock::Fixed(1_700_000_000), compat: Compat::Current }
    }

    fn records(f: &mut SaFile) -> Vec<u64> {
        let mut times = Vec::new();
        while let Ok(Some(r)) = f.next_record() {
            assert!(matches!(r.kind, RecordKind::Stats(_)));
            times.push(r.header.ust_time);
        }
        times
    }

    #[test]
    fn stream_reads_as_a_data_file() {
        static STOP: AtomicBool = AtomicBool::new(false);
        let s = LiveStream::new(Box::new(Synthetic::new(2, 1, 1)), opts(Some(3)), None, &STOP).unwrap();
        let mut f = SaFile::from_reader(Box::new(s), OpenOptions::default()).unwrap();
        assert_eq!(f.info.header.sa_cpu_nr, 3);
        assert_eq!(records(&mut f), vec![1_700_000_000, 1_700_000_010, 1_700_000_020]);
    }

    #[test]
    fn stop_ends_the_stream_and_the_saved_file_matches() {
        static STOP: AtomicBool = AtomicBool::new(false);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sa01");
        let save = Some(Save { output: Output::File(path.clone()), run: RunOptions::default() });
        let mut s = LiveStream::new(Box::new(Synthetic::new(2, 1, 1)), opts(None), save, &STOP).unwrap();
        // Each read hands out what one step produced: the prologue, then a record.
        let mut bytes = Vec::new();
        let mut chunk = vec![0u8; 1 << 20];
        for _ in 0..3 {
            let n = s.read(&mut chunk).unwrap();
            assert!(n > 0);
            bytes.extend_from_slice(&chunk[..n]);
        }
        STOP.store(true, Ordering::SeqCst);
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).unwrap();
        bytes.extend(rest);
        assert!(s.failure().lock().unwrap().is_none());
        let mut streamed = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
        let mut saved = SaFile::open(&path).unwrap();
        let (a, b) = (records(&mut streamed), records(&mut saved));
        assert_eq!(a.len(), 2);
        assert_eq!(a, b);
    }

    #[test]
    fn a_folder_gets_a_file_per_day_the_first_record_after_midnight_in_both() {
        static STOP: AtomicBool = AtomicBool::new(false);
        let dir = tempfile::tempdir().unwrap();
        // Four samples a minute apart from 2023-11-14 23:58:00 UTC.
        let opts = LiveOptions { interval: 60, samples: Some(4), clock: Clock::Fixed(1_700_006_280), ..opts(None) };
        let run = RunOptions { yyyymmdd: true, utc_dates: true, ..RunOptions::default() };
        let save = Some(Save { output: Output::Dir(dir.path().to_path_buf()), run });
        let s = LiveStream::new(Box::new(Synthetic::new(2, 1, 1)), opts, save, &STOP).unwrap();
        let mut streamed = SaFile::from_reader(Box::new(s), OpenOptions::default()).unwrap();
        let all = records(&mut streamed);
        assert_eq!(all, [1_700_006_280, 1_700_006_340, 1_700_006_400, 1_700_006_460]);
        let day = |name: &str| records(&mut SaFile::open(dir.path().join(name)).unwrap());
        assert_eq!(day("sa20231114"), all[..3]);
        assert_eq!(day("sa20231115"), all[2..]);
    }

    #[test]
    fn nothing_to_collect_is_an_error() {
        static STOP: AtomicBool = AtomicBool::new(false);
        let mut syn = Synthetic::new(1, 1, 1);
        syn.only = Some(Vec::new());
        let r = LiveStream::new(Box::new(syn), opts(Some(1)), None, &STOP);
        assert!(matches!(r, Err(RecError::NoActivity)));
    }
}
