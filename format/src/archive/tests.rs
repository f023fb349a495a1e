//! Round trips and reading in place, on the corpus, fixtures and damage.

use super::*;
use crate::reader::{OpenOptions, RecordKind, SaFile};
use proptest::prelude::*;

fn archive(plain: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    write_archive_bytes(plain, &mut v).unwrap();
    v
}

fn restored(ar: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    restore(&Archive::from_vec(ar.to_vec()).unwrap(), &mut out).unwrap();
    out
}

/// Everything a reader sees in a file, as text: records, their statistics
/// byte for byte, and the error that ends them.
fn reading(bytes: Vec<u8>, opts: OpenOptions) -> Vec<String> {
    let mut f = match SaFile::from_bytes(bytes, opts) {
        Ok(f) => f,
        Err(e) => return vec![format!("open: {e:?}")],
    };
    let mut out = vec![format!("{:?} {:?} {}", f.info.header, f.info.activities, f.info.data_offset)];
    loop {
        match f.next_record() {
            Ok(Some(r)) => {
                let mut line = format!("{} {} {:?}", r.offset, r.len, r.header);
                match r.kind {
                    RecordKind::Stats(s) => {
                        for b in s.blocks() {
                            line += &format!(" [{} {} {:?}]", b.id().0, b.nr, b.bytes());
                        }
                    }
                    RecordKind::Restart { cpu_nr } => line += &format!(" restart {cpu_nr}"),
                    RecordKind::Comment(c) => line += &format!(" comment {c:?}"),
                }
                out.push(line);
            }
            Ok(None) => return out,
            Err(e) => {
                out.push(format!("error: {e:?}"));
                return out;
            }
        }
    }
}

/// The archive of `plain` restores it exactly and reads as it does.
fn check(plain: &[u8]) -> Vec<u8> {
    let ar = archive(plain);
    assert_eq!(restored(&ar), plain, "restore is byte for byte");
    for opts in [OpenOptions::default(), OpenOptions { convert_old: true, ..Default::default() }] {
        assert_eq!(reading(ar.clone(), opts), reading(plain.to_vec(), opts), "reading in place");
    }
    ar
}

fn fixture() -> Vec<u8> {
    std::fs::read(sarkit_testkit::testdata("sa-debian-12.6.1-xall")).unwrap()
}

#[test]
fn a_real_xall_file_round_trips_and_reads_in_place() {
    let plain = fixture();
    let ar = check(&plain);
    let a = Archive::from_vec(ar.clone()).unwrap();
    assert!(!a.index.whole);
    assert!(ar.len() * 4 < plain.len(), "{} of {}", ar.len(), plain.len());
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn every_corpus_file_round_trips_and_reads_in_place() {
    let dir = sarkit_testkit::corpus().join("data");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            check(&std::fs::read(&p).unwrap());
            n += 1;
        }
    }
    assert!(n > 40, "{n} files");
}

#[test]
fn empty_and_foreign_files_are_kept_whole() {
    for plain in [Vec::new(), b"not sysstat at all".to_vec(), zstd::encode_all(&fixture()[..], 3).unwrap()] {
        let ar = check(&plain);
        assert!(Archive::from_vec(ar).unwrap().index.whole);
    }
}

#[test]
fn seeking_lands_on_the_same_records() {
    let plain = fixture();
    let mut ar = Vec::new();
    write_with_rows(&plain, &mut ar, 2).unwrap();
    assert_eq!(restored(&ar), plain);
    let mut a = SaFile::from_bytes(ar, OpenOptions::default()).unwrap();
    let mut p = SaFile::from_bytes(plain, OpenOptions::default()).unwrap();
    let mut marks = Vec::new();
    while let Some(r) = p.next_record().unwrap() {
        marks.push((r.offset, r.header));
    }
    for &(off, hdr) in marks.iter().rev().step_by(3) {
        assert!(a.seek(off), "seek to {off}");
        let r = a.next_record().unwrap().unwrap();
        assert_eq!((r.offset, r.header), (off, hdr));
    }
    assert!(!a.seek(marks[1].0 + 1), "a record's middle is no place to seek");
}

#[test]
fn damage_names_the_block_and_the_rest_reads() {
    let plain = fixture();
    let mut ar = Vec::new();
    write_with_rows(&plain, &mut ar, 3).unwrap();
    check(&plain);
    let a = Archive::from_vec(ar.clone()).unwrap();
    let offsets = |bytes: Vec<u8>| {
        let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
        let (mut seen, mut errors) = (Vec::new(), Vec::new());
        loop {
            match f.next_record() {
                Ok(Some(r)) => {
                    seen.push(r.offset);
                    if let RecordKind::Stats(s) = r.kind {
                        s.blocks().for_each(drop);
                    }
                }
                Ok(None) => return (seen, errors),
                Err(e) => errors.push(e.to_string()),
            }
        }
    };
    let (all, _) = offsets(plain.clone());
    assert!(a.index.blocks.len() > 1);
    // One byte flipped in each block's table, then in its last frame, in turn.
    for (no, b) in a.index.blocks.iter().enumerate() {
        for at in [b.offset + 2, b.offset + u64::from(b.len) - 1] {
            let mut bad = ar.clone();
            bad[at as usize] ^= 0x40;
            let lines = reading(bad.clone(), OpenOptions::default());
            let last = lines.last().unwrap();
            assert!(last.contains(&format!("block: Some({no})")), "{last}");
            let err = restore(&Archive::from_vec(bad.clone()).unwrap(), &mut Vec::new()).unwrap_err().to_string();
            assert!(err.contains(&format!("block {no} (records from ")), "{err}");
            // A reader that goes on after the error reads every later block.
            let (seen, errors) = offsets(bad);
            assert_eq!(errors.len(), 1, "{errors:?}");
            let end = b.plain_start + b.plain_len;
            let later = |v: &[u64]| v.iter().filter(|&&o| o >= end).count();
            assert_eq!(later(&seen), later(&all), "block {no}");
        }
    }
}

#[test]
fn truncated_and_flipped_archives_are_errors_not_panics() {
    let ar = archive(&fixture());
    for cut in (0..ar.len()).step_by(97) {
        let e = SaFile::from_bytes(ar[..cut].to_vec(), OpenOptions::default()).err();
        assert!(matches!(e, Some(crate::Error::Archive(_))) || cut < 8, "cut at {cut}: {e:?}");
    }
    for at in (0..ar.len()).step_by(13) {
        let mut bad = ar.clone();
        bad[at] ^= 1 << (at % 8);
        let _ = reading(bad.clone(), OpenOptions::default());
        let _ = Archive::from_vec(bad).map(|a| restore(&a, &mut Vec::new()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Files made from a real recording by cutting it short, flipping a
    /// byte or repeating a stretch: whatever their records, the archive
    /// restores them and reads as they do.
    #[test]
    fn real_recordings_changed_anyhow_round_trip(cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(),
            bit in 0u8..8, from in any::<prop::sample::Index>(), len in 0usize..3000, how in 0u8..4) {
        let mut plain = fixture();
        match how {
            0 => plain.truncate(cut.index(plain.len())),
            1 => { let i = flip.index(plain.len()); plain[i] ^= 1 << bit; }
            2 => { let i = from.index(plain.len()); let s = plain[i..(i + len).min(plain.len())].to_vec(); plain.extend(s); }
            _ => { let i = flip.index(plain.len()); plain[i] ^= 1 << bit; plain.truncate(cut.index(plain.len()).max(i)); }
        }
        check(&plain);
    }
}

#[test]
fn damage_behind_the_checksums_is_an_error_not_a_panic() {
    let ar = archive(&fixture());
    let mut resealed = ar.clone();
    reseal(&mut resealed);
    assert_eq!(resealed, ar, "resealing a sound archive changes nothing");
    for at in (0..ar.len()).step_by(7) {
        let mut bad = ar.clone();
        bad[at] = bad[at].wrapping_add(1 + (at % 200) as u8);
        reseal(&mut bad);
        let _ = reading(bad.clone(), OpenOptions::default());
        if let Ok(a) = Archive::from_vec(bad) {
            let _ = restore(&a, &mut std::io::sink());
        }
    }
}

/// The committed real recording (21 minutes at one second, `-S XALL`, by
/// Debian's sadc on a busy 2-CPU machine) exists only as its archive: it
/// restores to the original (length and CRC-32 of the file recorded; the
/// SHA-256 in `testdata/real-xall-21min.sa.sha256` is checked by CI), reads
/// as the original does, and archiving the original again gives the same bytes.
#[test]
fn the_committed_real_recording_restores_to_the_original() {
    let ar = std::fs::read(sarkit_testkit::testdata("real-xall-21min.sa.sarc")).unwrap();
    let plain = restored(&ar);
    assert_eq!((plain.len(), crc32(&plain)), (5_409_628, 0xdd5b_b914));
    assert_eq!(check(&plain), ar, "archiving is deterministic");
}
