//! rsar against Debian's sar (12.6.1) on the same files, for reports whose
//! output did not change between 12.6.1 and 12.7.9. Only files that sar
//! 12.6.1 reads are compared: it cannot read some 12.7 files.

use std::path::{Path, PathBuf};

mod common;
use common::file_command;

use sarkit_testkit::SAR;
const RSAR: &str = env!("CARGO_BIN_EXE_rsar");

const REPORTS: &[&[&str]] = &[
    &["-u"],
    &["-u", "ALL", "-P", "ALL"],
    &["-n", "DEV"],
    &["-n", "EDEV"],
    &["-w"],
    &["-C", "-uw", "-P", "0,1"],
    &["-n", "DEV", "--iface=lo,eth0", "-i", "10"],
];

fn run(bin: &str, args: &[&str], file: &Path, tz: &str) -> (Option<i32>, Vec<u8>) {
    let out = file_command(bin, args, file).env("TZ", tz).output().expect("run");
    (out.status.code(), out.stdout)
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn same_output_as_debian_sar() {
    let dir = sarkit_testkit::corpus().join("data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let (mut compared, mut failures) = (0, Vec::new());
    for f in &files {
        // Records dated before 2001: 12.7 rejects them ("Invalid data read"), 12.6.1 does not.
        if f.ends_with("data-small_ust") {
            continue;
        }
        for args in REPORTS {
            for tz in ["GMT", "America/New_York"] {
                let (code, want) = run(SAR, args, f, tz);
                // 12.6.1 exits 0 without a single row on 12.7 files (and 12.7
                // conversions) whose activities it cannot map, where 12.7.9
                // prints rows: only runs where it printed rows are comparable.
                if code != Some(0) || !want.windows(8).any(|w| w == b"Average:") {
                    continue;
                }
                let (rcode, got) = run(RSAR, args, f, tz);
                compared += 1;
                if rcode != Some(0) || got != want {
                    failures.push(format!("{} {:?} TZ={tz}: exit {:?}", f.display(), args, rcode));
                }
            }
        }
    }
    println!("compared {compared} runs with {SAR}");
    assert!(failures.is_empty(), "differences from {SAR}:\n{}", failures.join("\n"));
}
