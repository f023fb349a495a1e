//! Where a file's bytes come from: a file read in chunks, a memory map, a
//! buffer, or a zstd stream.
//!
//! Plain files are read in 64 KiB chunks into a window that slides with the
//! records, so memory stays flat however long the day: a map of a day of
//! one-second records grows the resident set by the whole file, and on a
//! day of 86,400 records reading was no slower than faulting the map in.
//! Mapping remains available ([`crate::OpenOptions::mmap`]). Compressed days
//! (`saYYYYMMDD.zst`, or anything starting with the zstd magic) are
//! decompressed as they are read, without a temporary file. Archives
//! (`spec/archive.md`) are detected by their magic and read by
//! [`crate::archive`].

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use memmap2::Mmap;

/// The first bytes of every zstd frame.
pub const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Bytes read so far from the input, and a way to get more.
pub(crate) enum Input {
    /// The whole file is in memory (mapped or owned); `Input::need` never reads.
    Whole(Whole),
    /// A stream read on demand; `buf[0]` is at file offset `base`.
    Stream { reader: Reader, buf: Vec<u8>, base: u64, eof: bool },
}

/// What a stream reads from: a plain file can seek back for another pass.
pub(crate) enum Reader {
    File(File),
    Other(Box<dyn Read + Send>),
}

impl Read for Reader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Reader::File(f) => f.read(buf),
            Reader::Other(r) => r.read(buf),
        }
    }
}

pub(crate) enum Whole {
    /// The file stays open beside its map, for [`Input::writer_holds_lock`].
    Map(Mmap, File),
    Owned(Vec<u8>),
}

impl Whole {
    fn bytes(&self) -> &[u8] {
        match self {
            Whole::Map(m, _) => m,
            Whole::Owned(v) => v,
        }
    }
}

/// Reads are issued in chunks of this size when streaming.
const CHUNK: usize = 64 * 1024;

impl Input {
    /// Open `path`: zstd streams are decoded lazily, other files read in
    /// chunks, or mapped when `mmap` is asked for.
    pub(crate) fn open(path: &Path, mmap: bool) -> io::Result<Input> {
        let mut file = File::open(path)?;
        let mut head = [0u8; 4];
        let n = read_full(&mut file, &mut head)?;
        if n == 4 && head == ZSTD_MAGIC {
            file.seek(SeekFrom::Start(0))?;
            let dec = zstd::stream::read::Decoder::new(file)?;
            return Ok(Input::stream(Reader::Other(Box::new(dec))));
        }
        file.seek(SeekFrom::Start(0))?;
        if !mmap || file.metadata()?.len() == 0 {
            return Ok(Input::stream(Reader::File(file)));
        }
        // SAFETY: the map is read-only. A recorder appending to the file
        // while we read does not change bytes already written; a file
        // truncated under us could fault, which is the accepted trade of
        // reading live data files by mapping them.
        let map = unsafe { Mmap::map(&file)? };
        // Records are read front to back: let the kernel read ahead.
        // Advice only; failure changes nothing.
        let _ = map.advise(memmap2::Advice::Sequential);
        Ok(Input::Whole(Whole::Map(map, file)))
    }

    /// Bytes already in memory; zstd-compressed bytes are decoded lazily.
    pub(crate) fn from_vec(data: Vec<u8>) -> Input {
        if data.starts_with(&ZSTD_MAGIC) {
            let dec = zstd::stream::read::Decoder::new(io::Cursor::new(data));
            match dec {
                Ok(d) => return Input::stream(Reader::Other(Box::new(d))),
                Err(_) => return Input::Whole(Whole::Owned(Vec::new())),
            }
        }
        Input::Whole(Whole::Owned(data))
    }

    /// Any reader, decoded lazily (zstd frames are detected).
    pub(crate) fn from_reader(mut r: Box<dyn Read + Send>) -> io::Result<Input> {
        let mut head = [0u8; 4];
        let n = read_full(&mut r, &mut head)?;
        let chained: Box<dyn Read + Send> = Box::new(io::Cursor::new(head[..n].to_vec()).chain(r));
        if n == 4 && head == ZSTD_MAGIC {
            let dec = zstd::stream::read::Decoder::new(chained)?;
            Ok(Input::stream(Reader::Other(Box::new(dec))))
        } else {
            Ok(Input::stream(Reader::Other(chained)))
        }
    }

    /// A stretch of plain bytes held in memory whose first byte is at
    /// offset `base` of the file: an archive's verbatim records.
    pub(crate) fn chunk(bytes: Vec<u8>, base: u64) -> Input {
        Input::Stream { reader: Reader::Other(Box::new(io::empty())), buf: bytes, base, eof: true }
    }

    /// Every byte of the file, when it is all in memory or mapped.
    pub(crate) fn whole(&self) -> Option<&[u8]> {
        match self {
            Input::Whole(w) => Some(w.bytes()),
            Input::Stream { .. } => None,
        }
    }

    fn stream(reader: Reader) -> Input {
        Input::Stream { reader, buf: Vec::new(), base: 0, eof: false }
    }

    /// Make bytes up to absolute offset `end` available, as far as the input has them.
    pub(crate) fn need(&mut self, end: u64) -> io::Result<()> {
        if let Input::Stream { reader, buf, base, eof } = self {
            while !*eof && *base + (buf.len() as u64) < end {
                let want = usize::try_from(end - *base).unwrap_or(usize::MAX) - buf.len();
                let old = buf.len();
                // Grow by at most 16 MiB a step, so a corrupt length can only make
                // us read what the stream really holds.
                buf.resize(old + want.clamp(CHUNK, 16 << 20), 0);
                let n = loop {
                    match reader.read(&mut buf[old..]) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => {
                            buf.truncate(old);
                            return Err(e);
                        }
                    }
                };
                buf.truncate(old + n);
                if n == 0 {
                    *eof = true;
                }
            }
        }
        Ok(())
    }

    /// Forget bytes before absolute offset `upto`; later reads start after it.
    pub(crate) fn release(&mut self, upto: u64) {
        if let Input::Stream { buf, base, .. } = self {
            if upto > *base {
                let n = usize::try_from(upto - *base).unwrap_or(usize::MAX).min(buf.len());
                // Drain only when worthwhile, so short records do not each cost a move.
                if n >= CHUNK || n == buf.len() {
                    buf.drain(..n);
                    *base += n as u64;
                }
            }
        }
    }

    /// Make `pos` readable again after reading past it: always so for
    /// bytes in memory and plain files; a decompressing stream can only go
    /// back within the bytes it still holds. Returns whether it could.
    pub(crate) fn rewind(&mut self, pos: u64) -> io::Result<bool> {
        match self {
            Input::Whole(_) => Ok(true),
            Input::Stream { buf, base, .. } if pos >= *base && pos <= *base + buf.len() as u64 => Ok(true),
            Input::Stream { reader: Reader::File(f), buf, base, eof } => {
                f.seek(SeekFrom::Start(pos))?;
                buf.clear();
                *base = pos;
                *eof = false;
                Ok(true)
            }
            Input::Stream { .. } => Ok(false),
        }
    }

    /// After the end was met, let the next [`Input::need`] see what a plain
    /// file gained since: a stream reads on, a map is made anew if the file grew.
    pub(crate) fn read_again_at_end(&mut self) -> io::Result<()> {
        match self {
            Input::Stream { reader: Reader::File(_), eof, .. } => *eof = false,
            Input::Whole(Whole::Map(map, file)) if file.metadata()?.len() > map.len() as u64 => {
                // SAFETY: as in `Input::open`.
                *map = unsafe { Mmap::map(&*file)? };
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether another process holds the lock recorders take on a file they
    /// append to (`flock` exclusive, as sadc and rsadc take it). A reader that
    /// meets a partial last record uses this to tell a record being written
    /// from a damaged file. Only plain files can be asked; for anything else
    /// the answer is `false`.
    ///
    /// Asking takes a shared lock for an instant when nobody writes: a
    /// recorder starting in that instant retries its lock (see rsadc's
    /// `outfile::lock`), so the question never turns a writer away.
    pub(crate) fn writer_holds_lock(&self) -> bool {
        let file = match self {
            Input::Stream { reader: Reader::File(f), .. } | Input::Whole(Whole::Map(_, f)) => f,
            _ => return false,
        };
        let fd = std::os::unix::io::AsRawFd::as_raw_fd(file);
        // SAFETY: flock on a descriptor we own; no memory is passed.
        if unsafe { libc::flock(fd, libc::LOCK_SH | libc::LOCK_NB) } == 0 {
            // SAFETY: as above; releases the shared lock just taken.
            unsafe { libc::flock(fd, libc::LOCK_UN) };
            return false;
        }
        io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
    }

    /// The window of bytes in memory and the absolute offset of its first byte.
    pub(crate) fn window(&self) -> (&[u8], u64) {
        match self {
            Input::Whole(w) => (w.bytes(), 0),
            Input::Stream { buf, base, .. } => (buf, *base),
        }
    }
}

/// Every byte of the file at `path`, decompressed when it is a zstd stream.
/// For work that needs the whole file at once (`sadf -c` of an old file),
/// so that it reads the same containers as [`crate::SaFile`]. A file that
/// cannot be opened is [`crate::Error::Io`]; a corrupt stream, [`crate::Error::Zstd`].
pub fn read_decompressed(path: &Path) -> crate::Result<Vec<u8>> {
    if is_archive_file(path)? {
        let mut out = Vec::new();
        crate::archive::restore(&crate::archive::Archive::open(path)?, &mut out).map_err(|e| match e {
            crate::archive::RestoreError::Archive(e) => e,
            crate::archive::RestoreError::Write(e) => crate::Error::Io(e),
        })?;
        return Ok(out);
    }
    let mut input = Input::open(path, false)?;
    input.need(u64::MAX).map_err(crate::Error::Zstd)?;
    Ok(match input {
        Input::Whole(Whole::Owned(v)) => v,
        Input::Stream { buf, .. } => buf,
        other => other.window().0.to_vec(),
    })
}

/// Whether the file at `path` starts with [`crate::archive::ARCHIVE_MAGIC`].
pub(crate) fn is_archive_file(path: &Path) -> io::Result<bool> {
    let mut head = [0u8; 8];
    let n = read_full(&mut File::open(path)?, &mut head)?;
    Ok(crate::archive::is_archive(&head[..n]))
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::io::AsRawFd;

    #[test]
    fn stream_window_grows_and_releases() {
        let data: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let mut inp = Input::from_reader(Box::new(io::Cursor::new(data.clone()))).unwrap();
        inp.need(10).unwrap();
        let (w, base) = inp.window();
        assert_eq!(base, 0);
        assert!(w.len() >= 10);
        inp.release(100_000);
        inp.need(150_000).unwrap();
        let (w, base) = inp.window();
        assert_eq!(w[(149_999 - base) as usize], data[149_999]);
        inp.need(10_000_000).unwrap();
        let (w, base) = inp.window();
        assert_eq!(base + w.len() as u64, 200_000);
    }

    #[test]
    fn a_plain_file_rewinds_after_its_window_moved_on() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, &data).unwrap();
        let mut inp = Input::open(f.path(), false).unwrap();
        inp.need(250_000).unwrap();
        inp.release(200_000);
        assert!(inp.rewind(10).unwrap());
        inp.need(20).unwrap();
        let (w, base) = inp.window();
        assert_eq!(base, 10);
        assert_eq!(w[0], data[10]);
    }

    #[test]
    fn a_writers_lock_is_seen_and_released_when_it_goes() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), b"some bytes").unwrap();
        for mmap in [false, true] {
            let inp = Input::open(f.path(), mmap).unwrap();
            assert!(!inp.writer_holds_lock(), "nobody writes yet (mmap {mmap})");
            let writer = File::options().append(true).open(f.path()).unwrap();
            let fd = std::os::unix::io::AsRawFd::as_raw_fd(&writer);
            assert_eq!(unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) }, 0);
            assert!(inp.writer_holds_lock(), "the writer's lock (mmap {mmap})");
            drop(writer);
            assert!(!inp.writer_holds_lock(), "the writer has gone (mmap {mmap})");
            // Asking left no lock behind: a writer can still take its own.
            let again = File::options().append(true).open(f.path()).unwrap();
            assert_eq!(unsafe { libc::flock(again.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
        }
        let bytes = Input::from_vec(b"in memory".to_vec());
        assert!(!bytes.writer_holds_lock());
    }

    #[test]
    fn read_decompressed_reads_plain_and_zstd_files_alike() {
        let raw: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        let dir = tempfile::tempdir().unwrap();
        let (plain, packed) = (dir.path().join("sa01"), dir.path().join("sa01.zst"));
        std::fs::write(&plain, &raw).unwrap();
        std::fs::write(&packed, zstd::encode_all(&raw[..], 3).unwrap()).unwrap();
        assert_eq!(read_decompressed(&plain).unwrap(), raw);
        assert_eq!(read_decompressed(&packed).unwrap(), raw);
        // A stream cut short is a decompression error, not garbage.
        let z = zstd::encode_all(&raw[..], 3).unwrap();
        std::fs::write(&packed, &z[..z.len() / 2]).unwrap();
        assert!(matches!(read_decompressed(&packed), Err(crate::Error::Zstd(_))));
        assert!(matches!(read_decompressed(&dir.path().join("none")), Err(crate::Error::Io(_))));
    }

    #[test]
    fn zstd_bytes_are_detected() {
        let raw = b"hello sysstat".to_vec();
        let z = zstd::encode_all(&raw[..], 3).unwrap();
        let mut inp = Input::from_vec(z);
        inp.need(100).unwrap();
        assert_eq!(inp.window().0, &raw[..]);
    }
}
