//! The files a collector reads under its root, read the cheap way.
//!
//! Opening and closing a /proc or /sys file costs the kernel about as much
//! as producing its text (`bench/recorder.sh` measures both), and several
//! activities read the same file. So each file is read at most once per
//! sample into a buffer kept from sample to sample, and a file on procfs or
//! sysfs stays open and is read again from offset 0, which makes the kernel
//! produce it anew. Files on other filesystems (`/etc`, sysstat's test
//! trees under `--root`) are opened at each sample, so that a file replaced
//! between samples reads as it reads for sadc. A mount table kept open is
//! read again only when the kernel signals a change ([`Files::with_mount_table`]).

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

/// Most files kept open; others are opened at each read.
const MAX_KEPT: usize = 256;
/// A buffer's first size: most /proc files fit.
const FIRST_SIZE: usize = 4096;

/// The files read under one root, with the contents read in the current
/// sample. Reads take `&self`, so that parsers given one file may read
/// another.
#[derive(Debug)]
pub struct Files {
    root: PathBuf,
    slots: RefCell<Vec<Slot>>,
    /// Paths whose existence is remembered (see [`Files::exists_lasting`]).
    known: RefCell<Vec<Known>>,
    /// Which state of the machine is being read: contents read before are stale.
    epoch: u64,
    /// The epoch the previous sample began in: files not read since are forgotten.
    last_sample: u64,
    /// Where the last lookup stopped: files are read in the same order at every sample.
    hint: Cell<usize>,
}

#[derive(Debug)]
struct Known {
    rel: Box<str>,
    exists: bool,
    /// The last epoch it was asked for in.
    epoch: u64,
}

#[derive(Debug)]
struct Slot {
    rel: Box<str>,
    /// Kept open between samples (procfs and sysfs only).
    file: Option<File>,
    /// The file is not on procfs or sysfs: open it at each read.
    reopen: bool,
    /// Read as a mount table: its kept descriptor says when it changes.
    mount_table: bool,
    /// `buf[..len]` is the content; `buf` only grows.
    buf: Vec<u8>,
    len: usize,
    ok: bool,
    /// The epoch `buf` was read in.
    epoch: u64,
    /// Lent to a reader: a nested read of the same file reads it apart.
    lent: bool,
}

impl Files {
    pub fn new(root: PathBuf) -> Self {
        Files {
            root,
            slots: RefCell::new(Vec::new()),
            known: RefCell::new(Vec::new()),
            epoch: 1,
            last_sample: 1,
            hint: Cell::new(0),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `rel` (relative to the root, a leading `/` ignored) under the root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel.trim_start_matches('/'))
    }

    /// Read files anew from now on. At the start of a sample (`sample`),
    /// files not read since the previous sample began are also closed and
    /// forgotten, so that names that come and go (network interfaces) do
    /// not pile up.
    pub fn refresh(&mut self, sample: bool) {
        self.epoch += 1;
        if sample {
            let since = self.last_sample;
            self.slots.get_mut().retain(|s| s.epoch >= since);
            self.known.get_mut().retain(|k| k.epoch >= since);
            self.last_sample = self.epoch;
            self.hint.set(0);
        }
    }

    /// `f` of the file's content in this epoch, or of `None` when it cannot
    /// be opened or read.
    pub fn with<T>(&self, rel: &str, f: impl FnOnce(Option<&[u8]>) -> T) -> T {
        self.with_kind(rel, false, f)
    }

    /// [`Files::with`] for a mount table (`etc/mtab`, which links to
    /// /proc/self/mounts). Producing it costs the kernel more than any
    /// other file but /proc/interrupts (each mount's options), and it
    /// changes only with mounts: kept open, it is read again only after
    /// poll() reports a change (`POLLPRI`), as util-linux watches it.
    pub fn with_mount_table<T>(&self, rel: &str, f: impl FnOnce(Option<&[u8]>) -> T) -> T {
        self.with_kind(rel, true, f)
    }

    fn with_kind<T>(&self, rel: &str, mount_table: bool, f: impl FnOnce(Option<&[u8]>) -> T) -> T {
        let rel = rel.trim_start_matches('/');
        let taken = {
            let mut slots = self.slots.borrow_mut();
            let i = self.find(&slots, rel).unwrap_or_else(|| {
                slots.push(Slot::new(rel, mount_table));
                slots.len() - 1
            });
            self.hint.set(i + 1);
            let opens = slots[i].file.is_none() && !slots[i].reopen;
            let may_keep = opens && slots.iter().filter(|s| s.file.is_some()).count() < MAX_KEPT;
            let slot = &mut slots[i];
            if slot.lent {
                None
            } else {
                if slot.epoch != self.epoch && !slot.unchanged() {
                    slot.load(&self.root, may_keep);
                }
                slot.epoch = self.epoch;
                slot.lent = true;
                Some((i, std::mem::take(&mut slot.buf), slot.len, slot.ok))
            }
        };
        let Some((i, buf, len, ok)) = taken else {
            // The same file again from inside a reader of it: read it apart.
            return f(std::fs::read(self.path(rel)).ok().as_deref());
        };
        let out = f(ok.then(|| buf.get(..len).unwrap_or_default()));
        let mut slots = self.slots.borrow_mut();
        if let Some(slot) = slots.get_mut(i) {
            slot.buf = buf;
            slot.lent = false;
        }
        out
    }

    /// `f` of the content, or `None` when the file cannot be read.
    pub fn read<T>(&self, rel: &str, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
        self.with(rel, |d| d.map(f))
    }

    /// `f` of the content, empty when the file cannot be read.
    pub fn read_or_empty<T>(&self, rel: &str, f: impl FnOnce(&[u8]) -> T) -> T {
        self.with(rel, |d| f(d.unwrap_or_default()))
    }

    /// The content as an owned copy (for what is read once, at file creation).
    pub fn bytes(&self, rel: &str) -> Option<Vec<u8>> {
        self.read(rel, <[u8]>::to_vec)
    }

    /// Whether `rel` exists, looked up once and then remembered for as long
    /// as it is asked for at every sample (forgotten as files are, see
    /// [`Files::refresh`]). For what holds as long as a name does: whether
    /// /sys/block/NAME is a device (`NAME/device`) is a matter of the
    /// driver behind NAME, and a looked-up sysfs path costs more than
    /// reading most /proc files.
    pub fn exists_lasting(&self, rel: &str) -> bool {
        let rel = rel.trim_start_matches('/');
        let mut known = self.known.borrow_mut();
        if let Some(k) = known.iter_mut().find(|k| &*k.rel == rel) {
            k.epoch = self.epoch;
            return k.exists;
        }
        let exists = self.path(rel).exists();
        known.push(Known { rel: rel.into(), exists, epoch: self.epoch });
        exists
    }

    fn find(&self, slots: &[Slot], rel: &str) -> Option<usize> {
        let hint = self.hint.get().min(slots.len());
        (hint..slots.len()).chain(0..hint).find(|&i| &*slots[i].rel == rel)
    }
}

impl Slot {
    fn new(rel: &str, mount_table: bool) -> Slot {
        Slot {
            rel: rel.into(),
            file: None,
            reopen: false,
            mount_table,
            buf: Vec::new(),
            len: 0,
            ok: false,
            epoch: 0,
            lent: false,
        }
    }

    /// A mount table read from its kept descriptor, which poll() says has
    /// not changed since. Only /proc/PID/mounts files are kept as such
    /// (see `load`): other files do not answer `POLLPRI`.
    fn unchanged(&self) -> bool {
        let (true, true, Some(f)) = (self.mount_table, self.ok, &self.file) else { return false };
        let mut p = libc::pollfd { fd: f.as_raw_fd(), events: libc::POLLPRI, revents: 0 };
        // SAFETY: one valid pollfd, and no waiting.
        unsafe { libc::poll(&mut p, 1, 0) == 0 }
    }

    /// Read the file into `buf`: from the kept descriptor, else from a new
    /// one (`rel` under `root`), kept when it is on procfs or sysfs and `may_keep`.
    fn load(&mut self, root: &Path, may_keep: bool) {
        if let Some(f) = &self.file {
            match read_from_start(f, &mut self.buf) {
                // The file went away under the descriptor (a removed device's
                // sysfs entry, an unloaded module's /proc file): open it again.
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENODEV | libc::EIO | libc::ESTALE)) => {
                    self.file = None;
                }
                r => {
                    self.set(r);
                    return;
                }
            }
        }
        let path = root.join(&*self.rel);
        let r = File::open(&path).and_then(|f| {
            let r = read_from_start(&f, &mut self.buf);
            if may_keep && !self.reopen {
                // A mount table other than the kernel's is read at every sample.
                let polls = || std::fs::canonicalize(&path).is_ok_and(|p| p.ends_with("mounts"));
                if on_kernel_fs(&f) && (!self.mount_table || polls()) {
                    self.file = Some(f);
                } else {
                    self.reopen = true;
                }
            }
            r
        });
        self.set(r);
    }

    fn set(&mut self, r: io::Result<usize>) {
        (self.ok, self.len) = match r {
            Ok(n) => (true, n),
            Err(_) => (false, 0),
        };
    }
}

/// Read `f` from offset 0 to its end into `buf`, which grows as needed;
/// the length read. /proc files may come a page at a time: read until 0.
fn read_from_start(f: &File, buf: &mut Vec<u8>) -> io::Result<usize> {
    let mut len = 0;
    loop {
        if len == buf.len() {
            buf.resize((2 * len).max(FIRST_SIZE), 0);
        }
        let room = buf.get_mut(len..).unwrap_or_default();
        match f.read_at(room, len as u64) {
            Ok(0) => return Ok(len),
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Whether `f` is on procfs or sysfs, whose files are produced at each read.
fn on_kernel_fs(f: &File) -> bool {
    const PROC_SUPER_MAGIC: i64 = 0x9fa0;
    const SYSFS_MAGIC: i64 = 0x6265_6572;
    // SAFETY: an all-zero statfs is valid, and fstatfs fills it for an open descriptor.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstatfs(f.as_raw_fd(), &mut st) } != 0 {
        return false;
    }
    matches!(st.f_type as i64, PROC_SUPER_MAGIC | SYSFS_MAGIC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::tree;

    #[test]
    fn a_file_is_read_once_per_epoch() {
        let d = tree(&[("proc/stat", "one\n")]);
        let mut files = Files::new(d.path().into());
        assert_eq!(files.bytes("proc/stat").unwrap(), b"one\n");
        std::fs::write(d.path().join("proc/stat"), "two, longer\n").unwrap();
        assert_eq!(files.bytes("/proc/stat").unwrap(), b"one\n", "same epoch, same content");
        files.refresh(false);
        assert_eq!(files.bytes("proc/stat").unwrap(), b"two, longer\n");
    }

    #[test]
    fn files_elsewhere_than_proc_are_opened_anew() {
        let d = tree(&[("etc/mtab", "a\n")]);
        let mut files = Files::new(d.path().into());
        assert_eq!(files.bytes("etc/mtab").unwrap(), b"a\n");
        // Replaced, not rewritten: a kept descriptor would still read "a".
        std::fs::write(d.path().join("etc/mtab.new"), "b\n").unwrap();
        std::fs::rename(d.path().join("etc/mtab.new"), d.path().join("etc/mtab")).unwrap();
        files.refresh(true);
        assert_eq!(files.bytes("etc/mtab").unwrap(), b"b\n");
        std::fs::remove_file(d.path().join("etc/mtab")).unwrap();
        files.refresh(true);
        assert_eq!(files.bytes("etc/mtab"), None);
        assert_eq!(files.read_or_empty("etc/mtab", <[u8]>::len), 0);
    }

    #[test]
    fn proc_files_stay_open_and_read_whole() {
        let mut files = Files::new("/".into());
        let first = files.bytes("proc/self/stat").unwrap();
        assert!(files.slots.borrow()[0].file.is_some());
        files.refresh(true);
        // A file of several pages (seq_file hands out a page at a time).
        let maps = files.bytes("proc/self/smaps").unwrap();
        assert!(maps.len() > FIRST_SIZE, "{}", maps.len());
        assert_eq!(maps.last(), Some(&b'\n'));
        files.refresh(true);
        assert_eq!(
            files.bytes("proc/self/stat").unwrap().split(|&c| c == b' ').next(),
            first.split(|&c| c == b' ').next()
        );
    }

    #[test]
    fn the_mount_table_is_read_again_after_a_change_only() {
        let mut files = Files::new("/".into());
        let first = files.with_mount_table("proc/self/mounts", |d| d.map(<[u8]>::to_vec)).unwrap();
        assert!(files.slots.borrow()[0].file.is_some());
        files.refresh(true);
        assert!(files.slots.borrow()[0].unchanged());
        assert_eq!(files.with_mount_table("proc/self/mounts", |d| d.map(<[u8]>::to_vec)).unwrap(), first);
        // Elsewhere than /proc, a mount table is read at every sample.
        let d = tree(&[("etc/mtab", "a\n")]);
        let mut files = Files::new(d.path().into());
        files.with_mount_table("etc/mtab", |_| ());
        std::fs::write(d.path().join("etc/mtab"), "b\n").unwrap();
        files.refresh(true);
        assert_eq!(files.with_mount_table("etc/mtab", |d| d.map(<[u8]>::to_vec)).unwrap(), b"b\n");
    }

    #[test]
    fn files_not_read_for_a_sample_are_forgotten() {
        let d = tree(&[("a", "1"), ("b", "2")]);
        let mut files = Files::new(d.path().into());
        files.bytes("a");
        files.bytes("b");
        files.refresh(true);
        files.bytes("a");
        files.refresh(false);
        assert_eq!(files.slots.borrow().len(), 2, "b was read in the previous sample");
        files.refresh(true);
        assert_eq!(files.slots.borrow().iter().map(|s| &*s.rel).collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn existence_lasts_while_asked_for() {
        let d = tree(&[("sys/block/sda/device/x", "")]);
        let mut files = Files::new(d.path().into());
        assert!(files.exists_lasting("sys/block/sda/device"));
        assert!(!files.exists_lasting("sys/block/loop0/device"));
        std::fs::remove_dir_all(d.path().join("sys/block/sda")).unwrap();
        files.refresh(true);
        assert!(files.exists_lasting("sys/block/sda/device"), "remembered");
        files.refresh(true);
        files.refresh(true);
        assert!(!files.exists_lasting("sys/block/sda/device"), "not asked for during a sample: looked up again");
    }

    #[test]
    fn a_reader_may_read_other_files_and_the_same_one() {
        let d = tree(&[("a", "1"), ("b", "22")]);
        let files = Files::new(d.path().into());
        let n = files.read_or_empty("a", |a| {
            let b = files.read_or_empty("b", <[u8]>::len);
            let again = files.read_or_empty("a", <[u8]>::len);
            a.len() + b + again
        });
        assert_eq!(n, 4);
        assert_eq!(files.bytes("a").unwrap(), b"1");
    }
}
