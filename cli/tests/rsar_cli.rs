//! Golden tests of rsar's command-line errors: exact stderr, stdout and exit status.

mod common;
use common::{assert_oversized_activity_is_reported, sysstat_command, transcript, write_empty_file, zstd_copy};

const BIN: &str = env!("CARGO_BIN_EXE_rsar");

use sarkit_testkit::corpus as conformance;

/// Run rsar under sysstat's test conditions and render everything it did.
fn run(args: &[&str]) -> String {
    let out = sysstat_command(BIN).args(args).output().expect("run rsar");
    transcript(&out).replace(BIN, "rsar")
}

#[test]
fn unknown_option_prints_usage() {
    insta::assert_snapshot!("unknown_option", run(&["-k", "-f", "x"]));
}

#[test]
fn unknown_long_option_prints_usage() {
    insta::assert_snapshot!("unknown_long_option", run(&["--bogus"]));
}

#[test]
fn missing_file() {
    insta::assert_snapshot!("missing_file", run(&["-u", "-f", "/nonexistent/sa01"]));
}

#[test]
fn directory_without_todays_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let text = run(&["-f", d]).replace(d, "<DIR>");
    // The day of month changes; keep the shape of the name.
    let text = match text.find("<DIR>/sa") {
        Some(i) => {
            let (a, b) = text.split_at(i + 8);
            let digits = b.bytes().take_while(u8::is_ascii_digit).count();
            format!("{a}{}{}", "D".repeat(digits), &b[digits..])
        }
        None => text,
    };
    insta::assert_snapshot!("directory_without_todays_file", text);
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn unknown_interface_prints_header_only() {
    let c = conformance();
    let f = c.join("data/real-1261-5min");
    insta::assert_snapshot!("unknown_interface", run(&["-n", "DEV", "--iface=nosuch0", "-f", f.to_str().unwrap()]));
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn unimplemented_report_says_so() {
    let c = conformance();
    let f = c.join("data/real-1261-5min");
    insta::assert_snapshot!("unimplemented_report", run(&["-u", "-t", "-f", f.to_str().unwrap()]));
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn activity_absent_from_file() {
    let c = conformance();
    let f = c.join("data/data0");
    let text = run(&["-r", "-f", f.to_str().unwrap()]).replace(f.to_str().unwrap(), "data0");
    insta::assert_snapshot!("activity_absent", text);
}

#[test]
fn bad_time_and_interval() {
    insta::assert_snapshot!("bad_start_time", run(&["-s", "25:00:00", "-f", "x"]));
    insta::assert_snapshot!("zero_interval", run(&["0", "-f", "x"]));
}

/// rsar started under another name (argv[0]), as a user's path would give it.
fn run_as(name: &str, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    sysstat_command(BIN).arg0(name).current_dir(dir).args(args).output().expect("run rsar")
}

#[test]
fn help_lists_every_option_and_report() {
    insta::assert_snapshot!("help", run(&["--help"]));
}

#[test]
fn help_and_usage_name_the_program_alike() {
    // As sar: argv[0] as invoked, in the --help text and in the usage.
    let dir = tempfile::tempdir().unwrap();
    let help = run_as("some/where/rsar", dir.path(), &["--help"]);
    let usage = run_as("some/where/rsar", dir.path(), &["-Z"]);
    assert_eq!((help.status.code(), usage.status.code()), (Some(0), Some(1)));
    let title = "Usage: some/where/rsar [ options ] [ <interval> [ <count> ] ]\n";
    assert!(String::from_utf8(help.stdout).unwrap().starts_with(title));
    assert!(String::from_utf8(usage.stderr).unwrap().starts_with(title));
}

/// `src` compressed with zstd into `dir`.
#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn old_files_are_read_directly_with_one_note() {
    let c = conformance();
    let dir = tempfile::tempdir().unwrap();
    for (file, version, magic) in [("data-9.1.6", "9.1.6", "0x2171"), ("data-11.6.5", "11.6.5", "0x2173")] {
        let want = std::fs::read(c.join(format!("expected/convert-{file}-u-ALL-P-ALL.out"))).unwrap();
        let plain = c.join("data").join(file);
        let packed = zstd_copy(&plain, dir.path());
        for path in [plain, packed] {
            let p = path.to_str().unwrap();
            let out = run_as("rsar", &c, &["-u", "ALL", "-P", "ALL", "-f", p]);
            assert_eq!(out.status.code(), Some(0), "{p}");
            assert_eq!(
                String::from_utf8(out.stderr).unwrap(),
                format!("rsar: {p}: read from sysstat {version}'s format ({magic}); rsadf -c makes a current copy\n")
            );
            // What sysstat prints from its own conversion of the file.
            assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&want), "{p}");
        }
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn current_zstd_file_reads_like_the_plain_one() {
    let c = conformance();
    let dir = tempfile::tempdir().unwrap();
    let plain = c.join("data/data");
    let packed = zstd_copy(&plain, dir.path());
    let a = run_as("rsar", &c, &["-A", "-f", plain.to_str().unwrap()]);
    let b = run_as("rsar", &c, &["-A", "-f", packed.to_str().unwrap()]);
    assert_eq!((a.status.code(), b.status.code()), (Some(0), Some(0)));
    assert!(b.stderr.is_empty(), "{}", String::from_utf8_lossy(&b.stderr));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn empty_activity_list_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_empty_file(&dir.path().join("sa01"));
    let out = run_as("rsar", dir.path(), &["-f", "sa01"]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "Invalid system activity file: sa01\nthe file header lists no activity (sa_act_nr is 0)\n"
    );
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn oversized_activity_is_reported() {
    let c = conformance();
    let out = run_as("rsar", &c, &["-A", "-f", "data/data-12.7.1-A_IRQ_overflow"]);
    assert_oversized_activity_is_reported(&out);
}
