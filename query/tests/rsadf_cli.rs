//! `rsadf` end to end: the header report, usage errors and file errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sarkit_format::{ActivityId, ActivitySpec, ByteOrder, Encoding, HeaderInfo, Version, Writer};

/// The conformance corpus, if checked out beside the workspace.
fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if root.join("cases.jsonl").exists() {
        Some(root)
    } else {
        println!("conformance corpus not found at {}: skipping", root.display());
        None
    }
}

/// Run rsadf in `dir` with sysstat's test environment (C locale, GMT).
fn rsadf(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rsadf"));
    c.current_dir(dir).args(args).env_clear().env("LC_ALL", "C").env("TZ", "GMT");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("rsadf runs")
}

/// A small file from the format crate's writer: big-endian with 4-byte
/// longs, so the report's decoding is not just the native case.
fn write_sample_file(path: &Path) {
    let hdr = HeaderInfo {
        version: Version::new(12, 7, 9),
        sa_ust_time: 1_700_000_000,
        sa_hz: 100,
        sa_cpu_nr: 5,
        sa_year: 123,
        sa_day: 14,
        sa_month: 10,
        sysname: "Linux".into(),
        nodename: "golden".into(),
        release: "6.1.0-test".into(),
        machine: "ppc64".into(),
        tzname: "UTC".into(),
    };
    let specs = [
        (ActivityId::A_CPU, 5, 1),
        (ActivityId::A_PCSW, 1, 1),
        (ActivityId::A_IRQ, 5, 16),
        (ActivityId::A_NET_DEV, 2, 1),
    ]
    .into_iter()
    .map(|(id, nr, nr2)| ActivitySpec::current(id, nr, nr2).unwrap())
    .collect();
    let f = std::fs::File::create(path).unwrap();
    let mut w = Writer::create(f, &hdr, specs, Encoding { order: ByteOrder::Big, long64: false }).unwrap();
    w.flush().unwrap();
}

#[test]
fn rsadf_header_of_corpus_data_matches_sysstat() {
    let Some(root) = corpus() else { return };
    let out = rsadf(&root, &["-H", "data/data"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = std::fs::read(root.join("expected/sadf-H-data.out")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&want));
    assert_eq!(out.stdout, want);
}

#[test]
fn rsadf_header_of_written_file() {
    let dir = tempfile::tempdir().unwrap();
    write_sample_file(&dir.path().join("sa14"));
    let out = rsadf(dir.path(), &["-H", "sa14"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn rsadf_header_dates_follow_tz_and_iso_setting() {
    let dir = tempfile::tempdir().unwrap();
    write_sample_file(&dir.path().join("sa14"));
    // 22:13:20 UTC is the next day nine hours east.
    let out = rsadf(dir.path(), &["-H", "sa14"], &[("TZ", "JST-9"), ("S_TIME_FORMAT", "ISO")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(golden) \t2023-11-15 \t_ppc64_\t(4 CPU)\n"), "{text}");
    assert!(text.contains("File date: 2023-11-15\nFile time: 22:13:20 UTC (1700000000)\n"), "{text}");
}

#[test]
fn rsadf_conflicting_formats_print_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = rsadf(dir.path(), &["-x", "-j", "data"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stderr = stderr.replace(env!("CARGO_BIN_EXE_rsadf"), "rsadf");
    insta::assert_snapshot!(stderr);
}

#[test]
fn rsadf_missing_file_is_reported_like_sysstat() {
    let dir = tempfile::tempdir().unwrap();
    let out = rsadf(dir.path(), &["-H", "nosuchfile"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "Cannot open nosuchfile: No such file or directory\n");
}

#[test]
fn rsadf_non_sysstat_file_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("junk"), b"not a data file at all").unwrap();
    let out = rsadf(dir.path(), &["-H", "junk"], &[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "Invalid system activity file: junk\n");
}

#[test]
fn rsadf_old_format_prints_magic_and_version_only() {
    let Some(root) = corpus() else { return };
    let out = rsadf(&root, &["-H", "data/data-9.1.6"], &[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "System activity data file: data/data-9.1.6 (0x2171)\nFile created by sar/sadc from sysstat version 9.1.6\n"
    );
}

#[test]
fn rsadf_other_formats_are_not_implemented_yet() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (args, letter) = (&["-l", "f"][..], "-l");
        let out = rsadf(dir.path(), args, &[]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr, format!("rsadf: {letter} is not implemented yet\n"));
    }
}
