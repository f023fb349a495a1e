//! rsar and rsadf with no file named: the day's file in `SA_DIR`, plain or
//! zstd, `saDD` or `saYYYYMMDD`, and sysstat's hint when it is missing.
//!
//! Days are UTC days (`TZ=GMT`, `S_TIME_DEF_TIME=UTC`) and "today" is the
//! clock's: a run that straddles midnight UTC could see two days.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use chrono::{Datelike, Utc};

mod common;
use common::{sysstat_command, transcript as text};

/// A real Debian 12.6.1 recording (`-S XALL`), shipped with the project.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/sa-debian-12.6.1-xall")
}

/// `(saDD, saYYYYMMDD)` for `days_ago` days before today, in UTC.
fn names(days_ago: i64) -> (String, String) {
    let d = (Utc::now() - chrono::Duration::days(days_ago)).date_naive();
    (format!("sa{:02}", d.day()), format!("sa{:04}{:02}{:02}", d.year(), d.month(), d.day()))
}

fn run(bin: &str, args: &[&str], sa_dir: &Path) -> Output {
    sysstat_command(bin)
        .args(args)
        .env("S_TIME_DEF_TIME", "UTC")
        .env("SA_DIR", sa_dir)
        .output()
        .expect("run the binary")
}

fn rsar(args: &[&str], sa_dir: &Path) -> Output {
    run(env!("CARGO_BIN_EXE_rsar"), args, sa_dir)
}

fn rsadf(args: &[&str], sa_dir: &Path) -> Output {
    run(env!("CARGO_BIN_EXE_rsadf"), args, sa_dir)
}

/// Each run of `cases` (arguments, and how many days ago the file they
/// choose is dated) with `SA_DIR` an empty `sa_dir`: sysstat's missing-file message
/// with its hint to check data collection.
fn assert_missing_daily_file_hint(run: fn(&[&str], &Path) -> Output, sa_dir: &Path, cases: &[(&[&str], i64)]) {
    let d = sa_dir.to_str().unwrap();
    for &(args, days_ago) in cases {
        let (dd, _) = names(days_ago);
        let got = run(args, sa_dir);
        let want = format!(
            "exit: Some(2)\n--- stdout\n--- stderr\nCannot open {d}/{dd}: No such file or directory\n\
             Please check if data collecting is enabled\n"
        );
        assert_eq!(text(&got), want, "{args:?}");
    }
}

fn copy_plain(dest: &Path) {
    fs::copy(fixture(), dest).unwrap();
}

fn copy_zst(dest: &Path) {
    let data = fs::read(fixture()).unwrap();
    fs::write(dest, zstd::encode_all(&data[..], 3).unwrap()).unwrap();
}

fn set_mtime(p: &Path, secs_ago: u64) {
    let f = File::options().write(true).open(p).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(secs_ago)).unwrap();
}

/// What `rsar ARGS -f FIXTURE` prints: the report the day's file must give.
fn rsar_of_fixture(args: &[&str]) -> Output {
    let mut a: Vec<&str> = args.to_vec();
    let f = fixture();
    a.extend(["-f", f.to_str().unwrap()]);
    rsar(&a, Path::new("/nonexistent"))
}

#[test]
fn rsar_finds_todays_file_under_each_name() {
    let expected = rsar_of_fixture(&["-u"]);
    assert_eq!(expected.status.code(), Some(0), "{}", text(&expected));
    let (dd, yyyymmdd) = names(0);
    for (name, zst) in [(&dd, false), (&yyyymmdd, false), (&dd, true), (&yyyymmdd, true)] {
        let dir = tempfile::tempdir().unwrap();
        if zst {
            copy_zst(&dir.path().join(format!("{name}.zst")));
        } else {
            copy_plain(&dir.path().join(name));
        }
        let got = rsar(&["-u"], dir.path());
        assert_eq!(text(&got), text(&expected), "{name} zst={zst}");
    }
}

#[test]
fn rsar_day_offset_finds_a_compressed_closed_day() {
    let expected = rsar_of_fixture(&["-r"]);
    let dir = tempfile::tempdir().unwrap();
    let (_, yesterday) = names(1);
    copy_zst(&dir.path().join(format!("{yesterday}.zst")));
    assert_eq!(text(&rsar(&["-r", "-1"], dir.path())), text(&expected));
    // A folder given with -f is searched the same way.
    let d = dir.path().to_str().unwrap();
    let (today, _) = names(0);
    fs::rename(dir.path().join(format!("{yesterday}.zst")), dir.path().join(format!("{today}.zst"))).unwrap();
    assert_eq!(text(&rsar(&["-r", "-f", d], Path::new("/nonexistent"))), text(&expected));
}

#[test]
fn rsar_takes_the_more_recent_of_the_two_names() {
    let expected = rsar_of_fixture(&["-u"]);
    let dir = tempfile::tempdir().unwrap();
    let (dd, yyyymmdd) = names(0);
    let (short, long) = (dir.path().join(&dd), dir.path().join(&yyyymmdd));
    // saDD is a stale non-sysstat file; saYYYYMMDD is newer: it is read.
    fs::write(&short, b"not a sysstat file").unwrap();
    copy_plain(&long);
    set_mtime(&short, 3600);
    set_mtime(&long, 60);
    assert_eq!(text(&rsar(&["-u"], dir.path())), text(&expected));
    // Now saDD is the newer: it is read, and refused.
    set_mtime(&long, 7200);
    let got = rsar(&["-u"], dir.path());
    assert_eq!(got.status.code(), Some(3), "{}", text(&got));
    assert!(String::from_utf8_lossy(&got.stderr).contains("Invalid system activity file"), "{}", text(&got));
}

#[test]
fn rsar_missing_daily_file_asks_to_check_data_collection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_missing_daily_file_hint(
        rsar,
        dir.path(),
        &[(&["-u"], 0), (&["-u", "-1"], 1), (&["-u", "-f", d], 0), (&["-u", "-f"], 0)],
    );
    // A file named, not chosen: no hint.
    let missing = format!("{d}/sa99");
    let got = rsar(&["-u", "-f", &missing], dir.path());
    assert_eq!(
        text(&got),
        format!("exit: Some(2)\n--- stdout\n--- stderr\nCannot open {missing}: No such file or directory\n")
    );
}

#[test]
fn rsadf_finds_todays_file_plain_or_compressed() {
    let f = fixture();
    let expected = rsadf(&["-d", f.to_str().unwrap(), "--", "-u"], Path::new("/nonexistent"));
    assert_eq!(expected.status.code(), Some(0), "{}", text(&expected));
    let (dd, yyyymmdd) = names(0);
    for name in [dd.clone(), yyyymmdd.clone(), format!("{dd}.zst"), format!("{yyyymmdd}.zst")] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(&name);
        if name.ends_with(".zst") {
            copy_zst(&p);
        } else {
            copy_plain(&p);
        }
        assert_eq!(text(&rsadf(&["-d", "--", "-u"], dir.path())), text(&expected), "{name}");
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, yesterday) = names(1);
    copy_zst(&dir.path().join(format!("{yesterday}.zst")));
    assert_eq!(text(&rsadf(&["-d", "-1", "--", "-u"], dir.path())), text(&expected));
}

#[test]
fn rsadf_missing_daily_file_asks_to_check_data_collection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_missing_daily_file_hint(rsadf, dir.path(), &[(&[], 0), (&["-1"], 1), (&[d], 0), (&["-H"], 0)]);
}
