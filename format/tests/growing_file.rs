//! Readers of a file a recorder is appending to.
//!
//! A recorder writes each record with one `write`, but a reader can see that
//! write half done: the kernel copies the bytes page by page and the file's
//! size moves with them. While the recorder holds its lock, a partial last
//! record is the end of the data for now; without a writer it is damage, and
//! sysstat's "End of system activity file unexpected" stands.

use std::fs::File;
use std::io::Write;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use sarkit_format::{Error, OpenOptions, SaFile};

/// A real recording, made by Debian's sadc 12.6.1 (`-S XALL`, ten seconds).
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/sa-debian-12.6.1-xall")
}

/// The fixture cut into its prologue (magic, header, activity list) and the
/// bytes of each record.
fn prologue_and_records() -> (Vec<u8>, Vec<Vec<u8>>) {
    let bytes = std::fs::read(fixture()).unwrap();
    let mut f = SaFile::open(fixture()).unwrap();
    let mut offsets = Vec::new();
    while let Some(r) = f.next_record().unwrap() {
        offsets.push(r.offset as usize);
    }
    offsets.push(bytes.len());
    let records = offsets.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect();
    (bytes[..offsets[0]].to_vec(), records)
}

fn flock(f: &File, how: i32) -> bool {
    // SAFETY: flock on a descriptor we own; no memory is passed.
    unsafe { libc::flock(f.as_raw_fd(), how | libc::LOCK_NB) == 0 }
}

/// Read every record; the number read, or the error that ended the walk.
fn read_all(path: &Path, opts: OpenOptions) -> Result<usize, Error> {
    let mut f = SaFile::open_with(path, opts)?;
    let mut n = 0;
    while f.next_record()?.is_some() {
        n += 1;
    }
    Ok(n)
}

#[test]
fn a_partial_last_record_ends_the_data_while_a_writer_holds_the_lock() {
    let (prologue, records) = prologue_and_records();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sa01");
    let whole: Vec<u8> = prologue.iter().chain(records[..3].concat().iter()).copied().collect();
    for cut in [1, 12, records[3].len() / 2, records[3].len() - 1] {
        let mut bytes = whole.clone();
        bytes.extend_from_slice(&records[3][..cut]);
        std::fs::write(&path, &bytes).unwrap();
        let writer = File::options().append(true).open(&path).unwrap();
        assert!(flock(&writer, libc::LOCK_EX));
        for mmap in [false, true] {
            let opts = OpenOptions { mmap, ..Default::default() };
            assert_eq!(read_all(&path, opts).unwrap(), 3, "cut {cut}, mmap {mmap}, writer at work");
        }
        drop(writer);
        for mmap in [false, true] {
            let opts = OpenOptions { mmap, ..Default::default() };
            let err = read_all(&path, opts).unwrap_err();
            assert!(matches!(err, Error::Truncated { .. }), "cut {cut}, mmap {mmap}, no writer: {err:?}");
            assert_eq!(err.sysstat_report("sa01"), ("End of system activity file unexpected\n".into(), 2));
        }
    }
}

#[test]
fn the_record_being_written_is_read_once_it_is_whole() {
    let (prologue, records) = prologue_and_records();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sa01");
    let mut writer = File::options().create_new(true).append(true).open(&path).unwrap();
    assert!(flock(&writer, libc::LOCK_EX));
    writer.write_all(&prologue).unwrap();
    writer.write_all(&records[0]).unwrap();
    writer.write_all(&records[1][..40]).unwrap();
    let mut f = SaFile::open(&path).unwrap();
    assert!(f.next_record().unwrap().is_some());
    assert!(f.next_record().unwrap().is_none(), "the second record is not whole yet");
    writer.write_all(&records[1][40..]).unwrap();
    assert_eq!(f.next_record().unwrap().unwrap().offset, (prologue.len() + records[0].len()) as u64);
    assert!(f.next_record().unwrap().is_none());
}

/// The race itself: a writer that never sleeps, each record one `write`
/// under the lock, and thousands of whole-file reads beside it. Before the
/// fix about a quarter of such reads failed with "End of system activity
/// file unexpected".
#[test]
fn thousands_of_reads_beside_a_writer_that_never_sleeps_all_succeed() {
    const READS: u64 = 5000;
    const RECORDS_PER_FILE: usize = 200;
    let (prologue, records) = prologue_and_records();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sa01");
    let done = Arc::new(AtomicBool::new(false));

    // Each round starts a new file under the lock and renames it into place,
    // so readers always find a file being written or one written whole,
    // and the files stay small enough to read thousands of times.
    let writer = {
        let (dir, path, done) = (dir.path().to_path_buf(), path.clone(), done.clone());
        std::thread::spawn(move || {
            let mut rounds = 0u64;
            while !done.load(Ordering::Relaxed) {
                let fresh = dir.join(format!("round{}", rounds % 4));
                let _ = std::fs::remove_file(&fresh);
                let mut f = File::options().create_new(true).append(true).open(&fresh).unwrap();
                assert!(flock(&f, libc::LOCK_EX));
                f.write_all(&prologue).unwrap();
                std::fs::rename(&fresh, &path).unwrap();
                for rec in records.iter().cycle().take(RECORDS_PER_FILE) {
                    f.write_all(rec).unwrap();
                    if done.load(Ordering::Relaxed) {
                        break;
                    }
                }
                rounds += 1;
            }
            rounds
        })
    };
    while !path.exists() {
        std::thread::yield_now();
    }

    let (failures, partial_views) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let readers: Vec<_> = [false, true]
        .into_iter()
        .map(|mmap| {
            let (path, failures, partial_views) = (path.clone(), failures.clone(), partial_views.clone());
            std::thread::spawn(move || {
                let mut first_error = None;
                for _ in 0..READS / 2 {
                    match read_all(&path, OpenOptions { mmap, ..Default::default() }) {
                        Ok(n) if n < RECORDS_PER_FILE => {
                            partial_views.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(_) => {}
                        Err(e) => {
                            failures.fetch_add(1, Ordering::Relaxed);
                            first_error.get_or_insert(e);
                        }
                    }
                }
                first_error
            })
        })
        .collect();
    let errors: Vec<Error> = readers.into_iter().filter_map(|r| r.join().unwrap()).collect();
    done.store(true, Ordering::Relaxed);
    let rounds = writer.join().unwrap();

    let (failures, partial_views) = (failures.load(Ordering::Relaxed), partial_views.load(Ordering::Relaxed));
    println!("{READS} reads over {rounds} files: {partial_views} met the writer at work, {failures} failed");
    assert_eq!(failures, 0, "reads that failed beside a live writer; first: {errors:?}");
    assert!(partial_views > 0, "no read met the writer at work: the race was not exercised");
}
