//! What the command-line tests share: sysstat's test environment, the header
//! of the files they write, and the setup of the differential tests.
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sarkit_format::{Encoding, HeaderInfo, Version, Writer};

/// Where Debian's sadf and sar look for ioconf rules.
pub const DEBIAN_IOCONF: &str = "/etc/sysstat/sysstat.ioconf";

/// `bin` under sysstat's test conditions: nothing inherited, C locale, GMT.
pub fn sysstat_command(bin: &str) -> Command {
    let mut c = Command::new(bin);
    c.env_clear().env("LC_ALL", "C").env("TZ", "GMT");
    c
}

/// `bin args -f file` under sysstat's test conditions.
pub fn file_command(bin: &str, args: &[&str], file: &Path) -> Command {
    let mut c = sysstat_command(bin);
    c.args(args).arg("-f").arg(file);
    c
}

/// Exit status, stdout and stderr as one text, for snapshots and comparisons.
pub fn transcript(o: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The header of the files the tests write: a 12.7.9 file of `cpu_nr`
/// (CPU count plus one) from Linux 6.1.0-test on x86_64, 2023-11-14 UTC.
pub fn test_header(nodename: &str, cpu_nr: u32) -> HeaderInfo {
    HeaderInfo {
        version: Version::new(12, 7, 9),
        sa_ust_time: 1_700_000_000,
        sa_hz: 100,
        sa_cpu_nr: cpu_nr,
        sa_year: 123,
        sa_day: 14,
        sa_month: 10,
        sysname: "Linux".into(),
        nodename: nodename.into(),
        release: "6.1.0-test".into(),
        machine: "x86_64".into(),
        tzname: "UTC".into(),
    }
}

/// A current-format file whose header lists no activity.
pub fn write_empty_file(path: &Path) {
    let f = std::fs::File::create(path).unwrap();
    Writer::create(f, &test_header("empty", 2), Vec::new(), Encoding::NATIVE).unwrap().flush().unwrap();
}

/// A zstd-compressed copy of `src` in `dir`, named as `src` plus `.zst`.
pub fn zstd_copy(src: &Path, dir: &Path) -> PathBuf {
    let z = dir.join(format!("{}.zst", src.file_name().unwrap().to_str().unwrap()));
    std::fs::write(&z, zstd::encode_all(&std::fs::read(src).unwrap()[..], 3).unwrap()).unwrap();
    z
}

/// The files the differential tests compare on: the file Debian's sysstat
/// wrote (testdata) and, where the conformance corpus is present, its
/// `corpus_file`.
pub fn debian_comparison_files(corpus_file: &str) -> Vec<PathBuf> {
    let mut v = vec![sarkit_testkit::testdata("sa-debian-12.6.1-xall")];
    if cfg!(sarkit_corpus) {
        v.push(sarkit_testkit::corpus_data(corpus_file));
    } else {
        println!("../shared/conformance is absent: comparing on testdata only");
    }
    v
}

/// A folder to run the sarkit side of a device-name comparison in: Debian's
/// tools apply ioconf rules when `DEBIAN_IOCONF` exists, ours when they find
/// a `./sysstat.ioconf`, so the folder holds one exactly then.
pub fn ioconf_cwd() -> tempfile::TempDir {
    let cwd = tempfile::tempdir().unwrap();
    if Path::new(DEBIAN_IOCONF).exists() {
        std::fs::write(cwd.path().join("sysstat.ioconf"), "").unwrap();
    }
    cwd
}

/// How both tools end on the corpus's `data/data-12.7.1-A_IRQ_overflow`,
/// whose A_IRQ claims more items than can be read: sysstat's message, exit 4.
pub fn assert_oversized_activity_is_reported(out: &Output) {
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr.clone()).unwrap(),
        "Invalid system activity file: data/data-12.7.1-A_IRQ_overflow\n\
         A_IRQ: 8193 x 4096 items of 1024 bytes are more than can be read\n"
    );
}
