//! One data file being written: created or reopened for appending, locked,
//! its partial tail trimmed, and every record appended whole or not at all.
//!
//! The rules for reopening are sadc's "strict writing" rules, which the
//! format crate owns (`sarkit_format::append`): records are only appended to
//! a file whose header and activity layouts are exactly those this recorder
//! writes (with `--compat`, those of that release), and the file's activity
//! list prevails over the one asked for. `-F` replaces a file that breaks the
//! rules instead of refusing it.

use std::borrow::Cow;
use std::fs::{File, OpenOptions as FsOpen};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use sarkit_format::append::{self, AppendRules, Refusal, Tail};
use sarkit_format::header::NR2_MAX;
use sarkit_format::{
    ActivityData, ActivitySpec, AnyStats, Compat, Encoding, Error as FormatError, HeaderInfo, Sample, SampleBody,
    WriteError, Writer,
};

/// Why a file cannot be recorded into. `Display` gives sadc's words.
#[derive(Debug)]
pub enum RecError {
    /// The file cannot be opened or created.
    CannotOpen(PathBuf, io::Error),
    /// Another process holds the lock on the file.
    Locked(PathBuf),
    /// Not a sysstat file, or one in a format we do not write.
    Invalid(PathBuf, FormatError),
    /// A valid file whose layouts or contents we must not append to.
    CannotAppend(PathBuf, String),
    /// Writing failed; the file was restored to its last whole record.
    Write(io::Error),
    /// The statistics could not be read.
    Source(io::Error),
    /// No requested activity is available.
    NoActivity,
}

impl RecError {
    /// sadc's exit status for the same failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            RecError::CannotOpen(..) | RecError::Write(_) | RecError::Source(_) => 2,
            RecError::Invalid(_, e) => e.sysstat_report("").1.max(2),
            RecError::Locked(_) | RecError::CannotAppend(..) | RecError::NoActivity => 1,
        }
    }
}

impl std::fmt::Display for RecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecError::CannotOpen(p, e) => write!(f, "Cannot open {}: {}", p.display(), reason(e)),
            RecError::Locked(p) => {
                write!(
                    f,
                    "flock: {}: Resource temporarily unavailable (another recorder is writing to it)",
                    p.display()
                )
            }
            RecError::Invalid(p, e) => {
                let (msg, _) = e.sysstat_report(&p.display().to_string());
                write!(f, "{}", msg.trim_end())
            }
            RecError::CannotAppend(p, why) => {
                write!(f, "Cannot append data to that file ({})\n{why}", p.display())
            }
            RecError::Write(e) => write!(f, "Cannot write data to system activity file: {}", reason(e)),
            RecError::Source(e) => write!(f, "Cannot read statistics: {}", reason(e)),
            RecError::NoActivity => write!(f, "Requested activities not available"),
        }
    }
}

impl std::error::Error for RecError {}

/// strerror()-style text, without Rust's " (os error N)".
pub fn reason(e: &io::Error) -> String {
    let s = e.to_string();
    s.find(" (os error").map_or(s.clone(), |i| s[..i].to_string())
}

/// Where a data file's bytes go. Writes land at the end of the file (it is
/// opened for appending); `set_len` undoes a write that failed midway.
pub trait Storage {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize>;
    fn set_len(&mut self, len: u64) -> io::Result<()>;
    fn sync_data(&mut self) -> io::Result<()>;
}

impl Storage for File {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Write::write(self, buf)
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
    fn sync_data(&mut self) -> io::Result<()> {
        File::sync_data(self)
    }
}

/// A file in memory, for tests and for building a file before writing it out.
impl Storage for Vec<u8> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        self.resize(len as usize, 0);
        Ok(())
    }
    fn sync_data(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How a file is opened for recording.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileOptions {
    /// The layouts to write, and to require of a file appended to.
    pub compat: Compat,
    /// `-F`: replace a file we may not append to.
    pub force: bool,
    /// `-f`: `fdatasync` after every record.
    pub fdatasync: bool,
    /// Replace a file from another month (daily `saDD` files are reused monthly).
    pub replace_stale_month: Option<(i32, u8)>,
    /// Layouts also accepted in a file appended to, and then kept: when
    /// `compat` was chosen for the machine rather than asked for, a file
    /// an earlier choice created (today's daily file before an upgrade)
    /// is still appended to.
    pub also_append: Option<Compat>,
}

/// A data file open for appending whole records.
pub struct DataFile<S: Storage = File> {
    path: PathBuf,
    out: S,
    /// Length after the last whole record: what a failed write goes back to.
    len: u64,
    /// A rollback failed: the file must be cut back before the next write.
    dirty: bool,
    enc: Writer<io::Sink>,
    fdatasync: bool,
    /// Local date in the header: (years since 1900, month 0-11, day).
    pub date: (i32, u8, u8),
    pub tail: Tail,
    /// Whether the file was created by this open.
    pub created: bool,
}

impl DataFile<File> {
    /// Open `path` as sadc does: create it if missing or empty, else check
    /// it may be appended to and trim a record cut short by a crash.
    /// `create` gives the header and activity list of a new file.
    pub fn open(
        path: &Path,
        opts: FileOptions,
        create: &mut dyn FnMut() -> Result<(HeaderInfo, Vec<ActivitySpec>), RecError>,
    ) -> Result<DataFile<File>, RecError> {
        let cannot_open = |e| RecError::CannotOpen(path.to_path_buf(), e);
        let file = FsOpen::new().read(true).append(true).create(true).mode(0o644).open(path).map_err(cannot_open)?;
        lock(&file).map_err(|e| {
            if e.kind() == io::ErrorKind::WouldBlock {
                RecError::Locked(path.to_path_buf())
            } else {
                cannot_open(e)
            }
        })?;
        let size = file.metadata().map_err(cannot_open)?.len();
        if size == 0 {
            let (hdr, specs) = create()?;
            return DataFile::create_in(file, path, hdr, specs, opts);
        }
        let rules = AppendRules { compat: opts.compat, also: opts.also_append, month: opts.replace_stale_month };
        match append::inspect(path, size, &rules) {
            Ok(found) => {
                let mut df = DataFile {
                    path: path.to_path_buf(),
                    out: file,
                    len: found.whole_len,
                    dirty: found.whole_len != size,
                    enc: Writer::append(io::sink(), found.specs, found.enc),
                    fdatasync: opts.fdatasync,
                    date: found.date,
                    tail: found.tail,
                    created: false,
                };
                df.cut_back().map_err(RecError::Write)?;
                Ok(df)
            }
            Err(Refusal::Recreate) => {
                let (hdr, specs) = create()?;
                DataFile::create_in(file, path, hdr, specs, opts)
            }
            Err(Refusal::Invalid(e)) if !opts.force => Err(RecError::Invalid(path.to_path_buf(), e)),
            Err(Refusal::Layout(why)) if !opts.force => Err(RecError::CannotAppend(path.to_path_buf(), why)),
            Err(Refusal::Damaged(why)) => Err(RecError::CannotAppend(path.to_path_buf(), why)),
            Err(Refusal::Io(e)) => Err(cannot_open(e)),
            Err(_) => {
                let (hdr, specs) = create()?;
                DataFile::create_in(file, path, hdr, specs, opts)
            }
        }
    }

    fn create_in(
        file: File,
        path: &Path,
        hdr: HeaderInfo,
        specs: Vec<ActivitySpec>,
        opts: FileOptions,
    ) -> Result<DataFile<File>, RecError> {
        file.set_len(0).map_err(RecError::Write)?;
        DataFile::create(file, path, &hdr, specs, opts, Encoding::NATIVE)
    }
}

impl<S: Storage> DataFile<S> {
    /// Write a new file's magic, header and activity list into empty `out`.
    pub fn create(
        out: S,
        path: &Path,
        hdr: &HeaderInfo,
        specs: Vec<ActivitySpec>,
        opts: FileOptions,
        enc: Encoding,
    ) -> Result<DataFile<S>, RecError> {
        let specs = prepare_specs(opts.compat, specs);
        if specs.is_empty() {
            return Err(RecError::NoActivity);
        }
        let mut hdr = hdr.clone();
        hdr.version = opts.compat.version();
        let enc = Writer::append(io::sink(), specs, enc);
        let prologue = enc.file_prologue(&hdr);
        let mut df = DataFile {
            path: path.to_path_buf(),
            out,
            len: 0,
            dirty: false,
            enc,
            fdatasync: opts.fdatasync,
            date: (hdr.sa_year, hdr.sa_month, hdr.sa_day),
            tail: Tail::default(),
            created: true,
        };
        df.append_bytes(&prologue).map_err(RecError::Write)?;
        Ok(df)
    }

    /// Continue a file already checked by the caller, whose whole records end at `len`.
    pub fn resume(out: S, path: &Path, specs: Vec<ActivitySpec>, enc: Encoding, len: u64) -> DataFile<S> {
        DataFile {
            path: path.to_path_buf(),
            out,
            len,
            dirty: false,
            enc: Writer::append(io::sink(), specs, enc),
            fdatasync: false,
            date: (0, 0, 0),
            tail: Tail::default(),
            created: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes of whole records written so far (with the file's prologue).
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The activity list records are written in.
    pub fn specs(&self) -> &[ActivitySpec] {
        self.enc.specs()
    }

    pub fn into_inner(self) -> S {
        self.out
    }

    /// Append one record, fitted to the file's activity list.
    pub fn write(&mut self, s: &Sample) -> Result<(), RecError> {
        let s = fit(s, self.enc.specs());
        let bytes = self.enc.encode_sample(&s).map_err(|e| match e {
            WriteError::Io(e) => RecError::Write(e),
            e => RecError::Write(io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
        })?;
        self.append_bytes(&bytes).map_err(RecError::Write)?;
        self.tail.records += 1;
        self.tail.last_time = Some(s.header.ust_time);
        if matches!(s.body, SampleBody::Stats(_)) {
            self.tail.last_uptime_cs = Some(s.header.uptime_cs);
        }
        Ok(())
    }

    /// Append bytes in one write; on failure, cut the file back to where it was.
    fn append_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.cut_back()?;
        let mut done = 0;
        while done < bytes.len() {
            match self.out.write(&bytes[done..]) {
                Ok(0) => return Err(self.roll_back(io::ErrorKind::WriteZero.into())),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.roll_back(e)),
            }
        }
        if self.fdatasync {
            if let Err(e) = self.out.sync_data() {
                return Err(self.roll_back(e));
            }
        }
        self.len += bytes.len() as u64;
        Ok(())
    }

    fn roll_back(&mut self, e: io::Error) -> io::Error {
        self.dirty = true;
        let _ = self.cut_back();
        e
    }

    /// Remove bytes past the last whole record, if any were left behind.
    fn cut_back(&mut self) -> io::Result<()> {
        if self.dirty {
            self.out.set_len(self.len)?;
            self.dirty = false;
        }
        Ok(())
    }
}

/// The activity list of a new file for `compat`, with the item counts a
/// reader accepts (sysstat refuses a declared count of zero).
pub fn prepare_specs(compat: Compat, specs: Vec<ActivitySpec>) -> Vec<ActivitySpec> {
    compat
        .apply(specs)
        .into_iter()
        .map(|s| ActivitySpec { nr: s.nr.clamp(1, s.info.nr_max as u32), nr2: s.nr2.clamp(1, NR2_MAX as u32), ..s })
        .collect()
}

/// Take the writer's lock without waiting for another writer. A reader
/// that meets a partial last record takes a shared lock for an instant to ask
/// whether a writer is at work (`sarkit_format`'s reader): such a lock is
/// gone within microseconds, so a few short retries tell it from a writer,
/// which holds its lock for as long as it records.
fn lock(f: &File) -> io::Result<()> {
    const TRIES: u32 = 20;
    for attempt in 1..=TRIES {
        // SAFETY: flock on a descriptor we own; no memory is passed.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::WouldBlock || attempt == TRIES {
            return Err(e);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    unreachable!("the last attempt returns")
}

/// Rewrite a sample for a file's activity list, as sadc does when the file's
/// list prevails: activities the file lacks are dropped, single-item ones the
/// sample lacks are written as zeros, and sub-item counts are cut or padded
/// to the file's.
pub fn fit<'a>(s: &'a Sample, specs: &[ActivitySpec]) -> Cow<'a, Sample> {
    let SampleBody::Stats(data) = &s.body else { return Cow::Borrowed(s) };
    let fits = |d: &ActivityData, spec: &ActivitySpec| {
        d.id() == spec.info.id && d.nr2 == spec.nr2 && (spec.info.nr_max > 1 || d.nr() == spec.nr)
    };
    if data.len() == specs.len() && data.iter().zip(specs).all(|(d, spec)| fits(d, spec)) {
        return Cow::Borrowed(s);
    }
    let mut out = Vec::with_capacity(specs.len());
    for spec in specs {
        let d = data.iter().find(|d| d.id() == spec.info.id);
        let has_nr = spec.info.nr_max > 1;
        let d = match d {
            Some(d) if d.nr2 == spec.nr2 && (has_nr || d.nr() == spec.nr) => d.clone(),
            Some(d) if has_nr => ActivityData { nr2: spec.nr2, stats: d.stats.reshaped(d.nr2, spec.nr2) },
            _ => match AnyStats::zeroed(spec.info.id, (spec.nr * spec.nr2) as usize) {
                Some(stats) => ActivityData { nr2: spec.nr2, stats },
                None => continue,
            },
        };
        out.push(d);
    }
    Cow::Owned(Sample { header: s.header, body: SampleBody::Stats(out) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::{StatsIrq, StatsMemory};
    use sarkit_format::{ActivityId, RecordHeader};

    fn header(t: u64) -> RecordHeader {
        RecordHeader { uptime_cs: 100, ust_time: t, extra_next: 0, record_type: 1, hour: 1, minute: 2, second: 3 }
    }

    #[test]
    fn fit_drops_pads_and_reshapes() {
        let specs = vec![
            ActivitySpec::current(ActivityId::A_IRQ, 2, 3).unwrap(),
            ActivitySpec::current(ActivityId::A_MEMORY, 1, 1).unwrap(),
        ];
        let irq: Vec<StatsIrq> = (0..4).map(|i| StatsIrq { irq_nr: i, ..Default::default() }).collect();
        let s = Sample {
            header: header(1_700_000_000),
            body: SampleBody::Stats(vec![
                ActivityData { nr2: 2, stats: AnyStats::Irq(irq) },
                ActivityData { nr2: 1, stats: AnyStats::Queue(vec![Default::default()]) },
            ]),
        };
        let SampleBody::Stats(d) = fit(&s, &specs).into_owned().body else { panic!() };
        assert_eq!(d.len(), 2);
        let AnyStats::Irq(v) = &d[0].stats else { panic!() };
        assert_eq!(v.iter().map(|x| x.irq_nr).collect::<Vec<_>>(), vec![0, 1, 0, 2, 3, 0]);
        assert_eq!(d[1].stats, AnyStats::Memory(vec![StatsMemory::default()]));
    }
}
