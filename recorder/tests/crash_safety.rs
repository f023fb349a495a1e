//! A crash or a full disk loses at most the record in flight and never
//! damages earlier records.

use std::io;
use std::path::Path;

use sarkit_format::{Encoding, SaFile};
use sarkit_recorder::daily::{self, Clock, Output, RunOptions};
use sarkit_recorder::outfile::{DataFile, FileOptions, RecError, Storage};
use sarkit_recorder::source::SampleSource;
use sarkit_recorder::synthetic::Synthetic;
mod common;
use common::read_fully;

const T0: u64 = 1_700_000_000;

fn record(path: &Path, start: u64, count: u64) -> Result<daily::Summary, RecError> {
    let o = RunOptions { clock: Clock::Fixed(start), count: Some(count), ..Default::default() };
    daily::record(&mut Synthetic::new(1, 1, 1), &Output::File(path.to_path_buf()), &o, &mut |_| {})
}

/// The stats times of `path` after writing `bytes` there (a cut file) and
/// recording `count` samples from `start` onto it.
fn times_after_recording_on(path: &Path, bytes: &[u8], start: u64, count: u64) -> Vec<u64> {
    std::fs::write(path, bytes).unwrap();
    record(path, start, count).unwrap();
    read_fully(path).1
}

#[test]
fn a_cut_at_every_byte_of_the_last_record_is_trimmed_and_appending_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    record(&full, T0, 3).unwrap();
    let two = dir.path().join("two");
    record(&two, T0, 2).unwrap();
    let (start, end) = (std::fs::metadata(&two).unwrap().len(), std::fs::metadata(&full).unwrap().len());
    let bytes = std::fs::read(&full).unwrap();
    let p = dir.path().join("cut");
    for cut in start..end {
        let times = times_after_recording_on(&p, &bytes[..cut as usize], T0 + 2, 2);
        assert_eq!(times, vec![T0, T0 + 1, T0 + 2, T0 + 3], "cut at {cut}");
        // What was there before the cut is untouched.
        assert_eq!(std::fs::read(&p).unwrap()[..start as usize], bytes[..start as usize]);
    }
}

#[test]
fn a_cut_inside_the_header_starts_the_file_again() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    record(&full, T0, 1).unwrap();
    let bytes = std::fs::read(&full).unwrap();
    let p = dir.path().join("cut");
    let prologue = SaFile::open(&full).unwrap().info.data_offset as usize;
    for cut in [1, 2, 40, 75, 76, 100, prologue - 1] {
        assert_eq!(times_after_recording_on(&p, &bytes[..cut], T0 + 5, 1), vec![T0 + 5], "cut at {cut}");
    }
}

#[test]
fn zeros_left_by_a_crash_are_trimmed_but_other_bytes_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    record(&p, T0, 2).unwrap();
    let good = std::fs::read(&p).unwrap();
    let mut zeros = good.clone();
    zeros.extend_from_slice(&[0u8; 4096]);
    std::fs::write(&p, &zeros).unwrap();
    record(&p, T0 + 2, 1).unwrap();
    assert_eq!(read_fully(&p).1, vec![T0, T0 + 1, T0 + 2]);

    let mut junk = good.clone();
    junk.extend_from_slice(&[0u8; 24]);
    junk.extend_from_slice(b"not a record, and not zeros either");
    std::fs::write(&p, &junk).unwrap();
    let err = record(&p, T0 + 2, 1).unwrap_err();
    assert!(matches!(err, RecError::CannotAppend(..)), "{err}");
    assert_eq!(std::fs::read(&p).unwrap(), junk, "a damaged file is left as it is");
}

/// A disk that fills up after `room` more bytes: the write that crosses the
/// limit stores what fits, then fails, as write(2) does with ENOSPC.
struct FullDisk {
    data: Vec<u8>,
    room: usize,
}

impl Storage for FullDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::from_raw_os_error(libc::ENOSPC));
        }
        let n = buf.len().min(self.room);
        self.data.extend_from_slice(&buf[..n]);
        self.room -= n;
        Ok(n)
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        self.data.truncate(len as usize);
        Ok(())
    }
    fn sync_data(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_disk_leaves_the_file_as_it_was_and_a_later_write_succeeds() {
    let mut s = Synthetic::new(2, 2, 2);
    let hdr = s.header_info(T0).unwrap();
    let specs = s.specs().unwrap();
    let path = Path::new("mem");
    let mut f = DataFile::create(
        FullDisk { data: Vec::new(), room: usize::MAX },
        path,
        &hdr,
        specs.clone(),
        FileOptions::default(),
        Encoding::NATIVE,
    )
    .unwrap();
    f.write(&s.sample(T0).unwrap()).unwrap();
    let before = f.len();
    let reference = {
        let mut g = DataFile::create(Vec::new(), path, &hdr, specs, FileOptions::default(), Encoding::NATIVE).unwrap();
        g.write(&s.sample(T0).unwrap()).unwrap();
        g.write(&s.sample(T0 + 1).unwrap()).unwrap();
        g.into_inner()
    };
    let rec_len = reference.len() as u64 - before;
    let mut disk = f.into_inner();
    for room in (0..rec_len as usize).step_by(7).chain([rec_len as usize - 1]) {
        disk.room = room;
        let mut f = DataFile::resume(disk, path, specs_of(&reference), Encoding::NATIVE, before);
        let err = f.write(&s.sample(T0 + 1).unwrap()).unwrap_err();
        assert!(err.to_string().starts_with("Cannot write data to system activity file: No space left on device"));
        assert_eq!(err.exit_code(), 2);
        disk = f.into_inner();
        assert_eq!(disk.data.len() as u64, before, "room {room}");
    }
    disk.room = usize::MAX;
    let mut f = DataFile::resume(disk, path, specs_of(&reference), Encoding::NATIVE, before);
    f.write(&s.sample(T0 + 1).unwrap()).unwrap();
    assert_eq!(f.into_inner().data, reference);
}

fn specs_of(bytes: &[u8]) -> Vec<sarkit_format::ActivitySpec> {
    let f = SaFile::from_bytes(bytes.to_vec(), Default::default()).unwrap();
    f.info
        .activities
        .iter()
        .map(|fa| {
            let info = sarkit_format::ActivityId(fa.id).info().unwrap();
            sarkit_format::ActivitySpec {
                info,
                nr: fa.nr as u32,
                nr2: fa.nr2 as u32,
                layout: sarkit_format::remap::Layout::new(fa.types_nr, fa.size as u32),
            }
        })
        .collect()
}

#[test]
fn a_failing_real_file_is_cut_back_too() {
    // /dev/full accepts opens and fails every write with ENOSPC.
    if !Path::new("/dev/full").exists() {
        eprintln!("/dev/full is absent: skipping");
        return;
    }
    let f = std::fs::OpenOptions::new().append(true).open("/dev/full").unwrap();
    let mut s = Synthetic::new(1, 1, 1);
    let r = DataFile::create(
        f,
        Path::new("/dev/full"),
        &s.header_info(T0).unwrap(),
        s.specs().unwrap(),
        FileOptions::default(),
        Encoding::NATIVE,
    );
    let err = r.err().expect("a write to /dev/full fails");
    assert!(err.to_string().contains("No space left on device"), "{err}");
}
