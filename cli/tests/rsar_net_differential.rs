//! rsar against Debian's sar (12.6.1) for the `-n` and `-m` reports whose
//! columns did not change between 12.6.1 and 12.7.9 (everything but ETCP,
//! which gained `orsts/s` and renamed `retrans/s`), on files 12.6.1 wrote.

use std::path::Path;

mod common;
use common::{debian_comparison_files, file_command};

use sarkit_testkit::SAR;
const RSAR: &str = env!("CARGO_BIN_EXE_rsar");

const REPORTS: &[&[&str]] = &[
    &["-n", "NFS"],
    &["-n", "NFSD"],
    &["-n", "SOCK"],
    &["-n", "IP"],
    &["-n", "EIP"],
    &["-n", "ICMP"],
    &["-n", "EICMP"],
    &["-n", "TCP"],
    &["-n", "UDP"],
    &["-n", "SOCK6"],
    &["-n", "IP6"],
    &["-n", "EIP6"],
    &["-n", "ICMP6"],
    &["-n", "EICMP6"],
    &["-n", "UDP6"],
    &["-n", "FC"],
    &["-n", "SOFT"],
    &["-n", "SOFT", "-P", "ALL"],
    &["-n", "SOFT", "-P", "0,1"],
    &["-n", "SOCK,SOCK6,UDP", "-i", "10"],
    &["-n", "SOFT,TCP", "-P", "ALL", "-s", "00:01:00"],
    &["-m", "CPU"],
    &["-m", "CPU", "-P", "ALL"],
    &["-m", "FAN,TEMP,IN,USB"],
    &["-m", "FREQ", "-P", "ALL"],
    &["-z", "-n", "SOFT", "-P", "ALL"],
    &["--dec=1", "-n", "IP,SOCK,SOFT", "-m", "CPU,TEMP", "-P", "ALL"],
    &["--human", "-m", "TEMP,IN,CPU"],
];

fn run(bin: &str, args: &[&str], file: &Path, tz: &str) -> (Option<i32>, Vec<u8>) {
    let out = file_command(bin, args, file).env("TZ", tz).output().expect("run");
    (out.status.code(), out.stdout)
}

#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn net_and_power_reports_match_debian_sar() {
    let (mut compared, mut failures) = (0, Vec::new());
    for f in debian_comparison_files("real-1261-5min") {
        for args in REPORTS {
            for tz in ["GMT", "America/New_York"] {
                let (code, want) = run(SAR, args, &f, tz);
                // Activities the file lacks: both fail, with nothing to compare.
                if code != Some(0) {
                    continue;
                }
                let (rcode, got) = run(RSAR, args, &f, tz);
                compared += 1;
                if rcode != Some(0) || got != want {
                    failures.push(format!("{} {:?} TZ={tz}: exit {:?}", f.display(), args, rcode));
                }
            }
        }
    }
    println!("compared {compared} runs with {SAR}");
    assert!(compared > 0, "nothing compared");
    assert!(failures.is_empty(), "differences from {SAR}:\n{}", failures.join("\n"));
}
