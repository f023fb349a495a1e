//! Golden tests of rsar's command-line errors: exact stderr, stdout and exit status.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_rsar");

fn conformance() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if p.join("data").is_dir() {
        Some(p)
    } else {
        println!("../shared/conformance is absent: skipping this test");
        None
    }
}

/// Run rsar under sysstat's test conditions and render everything it did.
fn run(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).env_clear().env("LC_ALL", "C").env("TZ", "GMT").output().expect("run rsar");
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr).replace(BIN, "rsar")
    )
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

#[test]
fn unknown_interface_prints_header_only() {
    let Some(c) = conformance() else { return };
    let f = c.join("data/real-1261-5min");
    insta::assert_snapshot!("unknown_interface", run(&["-n", "DEV", "--iface=nosuch0", "-f", f.to_str().unwrap()]));
}

#[test]
fn unimplemented_report_says_so() {
    let Some(c) = conformance() else { return };
    let f = c.join("data/real-1261-5min");
    insta::assert_snapshot!("unimplemented_report", run(&["-u", "-t", "-f", f.to_str().unwrap()]));
}

#[test]
fn activity_absent_from_file() {
    let Some(c) = conformance() else { return };
    let f = c.join("data/data0");
    let text = run(&["-r", "-f", f.to_str().unwrap()]).replace(f.to_str().unwrap(), "data0");
    insta::assert_snapshot!("activity_absent", text);
}

#[test]
fn bad_time_and_interval() {
    insta::assert_snapshot!("bad_start_time", run(&["-s", "25:00:00", "-f", "x"]));
    insta::assert_snapshot!("zero_interval", run(&["0", "-f", "x"]));
}
