//! Differential test against Debian's `sar` (sysstat 12.6.1).
//!
//! Every conformance data file that `sar -A -f FILE` reads with exit 0 is
//! read with [`SaFile`] and written back with [`Writer`]: the same header,
//! one [`ActivitySpec`] per readable activity in file order, with the file's
//! `nr`/`nr2` and the item layout *as stored in the file* (so sar 12.6.1
//! remaps it exactly as before), every record through [`Sample`]. `sar -A` on
//! the copy must print what it printed for the original, and exit the same.
//! The copy is also written big-endian: Debian's sar reads byte-swapped
//! files, so its output on that copy must be the same again.
//!
//! The test passes with a printed line when `/usr/bin/sar` or
//! `../shared/conformance` is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use sarkit_format::reader::ActivityStatus;
use sarkit_format::{ActivitySpec, ByteOrder, Encoding, HeaderInfo, SaFile, Sample, Writer};

use sarkit_testkit::SAR;

/// `sar -A -f FILE` in the C locale and GMT: (exit code, stdout, stderr).
fn sar_all(file: &Path) -> (i32, String, String) {
    let out = Command::new(SAR)
        .args(["-A", "-f"])
        .arg(file)
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .env_remove("S_COLORS")
        .output()
        .expect("run sar");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of `path` written by [`Writer`] in `enc`; `Err` says why it could not be made.
/// Also returns how many activities the copy lists, and how reading the
/// original ended (`None`: at its end).
fn copy(path: &Path, enc: Encoding) -> Result<(Vec<u8>, usize, Option<String>), String> {
    let mut f = SaFile::open(path).map_err(|e| format!("open: {e}"))?;
    let hdr = HeaderInfo::from_file(&f.info.magic, &f.info.header);
    let specs: Vec<ActivitySpec> = f
        .info
        .activities
        .iter()
        .zip(&f.info.status)
        .filter_map(|(fa, st)| match st {
            ActivityStatus::Known(info) => {
                Some(ActivitySpec { info, nr: fa.nr as u32, nr2: fa.nr2 as u32, layout: fa.layout() })
            }
            _ => None,
        })
        .collect();
    let n_acts = specs.len();
    let mut w = Writer::create(Vec::new(), &hdr, specs, enc).map_err(|e| e.to_string())?;
    let end = loop {
        match f.next_record() {
            Ok(Some(r)) => {
                let s = Sample::from_record(r.header, &r.kind);
                w.write_sample(&s).map_err(|e| format!("record at {}: {e}", r.offset))?;
            }
            Ok(None) => break None,
            Err(e) => break Some(e.to_string()),
        }
    };
    Ok((w.into_inner(), n_acts, end))
}

/// The first line where `a` and `b` differ, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  original: {x}\n  copy:     {y}", i + 1);
        }
    }
    format!("line counts differ: {} vs {}", a.lines().count(), b.lines().count())
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn sar_reads_our_copies_as_it_reads_the_originals() {
    let dir = sarkit_testkit::corpus().join("data");
    let tmp = tempfile::tempdir().unwrap();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let (mut compared, mut skipped, mut partial, mut failures) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for path in &names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (code, want, _) = sar_all(path);
        if code != 0 {
            skipped.push(format!("{name} (sar exit {code})"));
            continue;
        }
        let le = Encoding { order: ByteOrder::Little, long64: cfg!(target_pointer_width = "64") };
        let native = Encoding { order: ByteOrder::NATIVE, ..le };
        let foreign = Encoding {
            order: if native.order == ByteOrder::Little { ByteOrder::Big } else { ByteOrder::Little },
            ..le
        };
        let mut note = None;
        for (label, enc) in [("native", native), ("byte-swapped", foreign)] {
            let (bytes, n_acts, end) = match copy(path, enc) {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{name}: cannot copy: {e}"));
                    break;
                }
            };
            if n_acts == 0 {
                // sysstat refuses a file listing no activity (SREALLOC of
                // size 0: exit 4), and sadc never writes one.
                note = Some("no readable activity, so no copy to compare".to_string());
                break;
            }
            let out = tmp.path().join(format!("{name}.{label}"));
            std::fs::write(&out, &bytes).unwrap();
            let (c, got, err) = sar_all(&out);
            if let Some(e) = end {
                // sysstat 12.7.9 stops where 12.6.1 read on: the copy ends
                // there, so only the header line and a clean exit can match.
                note = Some(format!("12.7.9 stops reading ({e}), 12.6.1 does not: header line compared"));
                if c != 0 || got.lines().next() != want.lines().next() {
                    failures.push(format!("{name} ({label} copy): sar exit {c}; {}", first_difference(&want, &got)));
                }
                continue;
            }
            // The first line names no file, so it must be the same too.
            if c != code || got != want {
                failures.push(format!(
                    "{name} ({label} copy): sar exit {c} (original {code}); {}\n  stderr: {}",
                    first_difference(&want, &got),
                    err.trim()
                ));
            }
        }
        if let Some(n) = note {
            partial.push(format!("{name}: {n}"));
            continue;
        }
        compared.push(format!("{name} ({} lines)", want.lines().count()));
    }
    println!("compared {}: {}", compared.len(), compared.join(", "));
    println!("skipped {} (sar fails on the original): {}", skipped.len(), skipped.join(", "));
    for p in &partial {
        println!("not compared in full: {p}");
    }
    assert!(failures.is_empty(), "{} file(s) differ:\n{}", failures.len(), failures.join("\n"));
    assert!(!compared.is_empty(), "no data file was compared");
}
