//! `rsadf -r` against Debian's `sadf -r` (12.6.1) for the reports whose
//! raw fields did not change between 12.6.1 and 12.7.9: CPU, disks,
//! network interfaces and their errors.
//!
//! Disk names depend on this machine's /sys and, for disks it lacks, on
//! ioconf rules: Debian's sadf applies them when /etc/sysstat/sysstat.ioconf
//! exists, rsadf when it finds a `./sysstat.ioconf`, so rsadf runs where it
//! finds one exactly then.

use std::path::Path;

mod common;
use common::{debian_comparison_files, ioconf_cwd, sysstat_command};

use sarkit_testkit::SADF;
const RSADF: &str = env!("CARGO_BIN_EXE_rsadf");

const REPORTS: &[&[&str]] = &[
    &["-d"],
    &["-d", "-p"],
    &["-d", "--dev=vda,sda,sdq"],
    &["-u"],
    &["-u", "ALL"],
    &["-P", "ALL"],
    &["-u", "ALL", "-P", "1"],
    &["-n", "DEV"],
    &["-n", "EDEV", "--iface=lo,eth0"],
];

fn run(bin: &str, file: &Path, args: &[&str], cwd: &Path) -> (Option<i32>, String) {
    let out = sysstat_command(bin).arg("-r").arg(file).arg("--").args(args).current_dir(cwd).output().expect("run");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn same_raw_output_as_debian_sadf() {
    // The corpus file has disks this machine lacks.
    let files = debian_comparison_files("data-long");
    let cwd = ioconf_cwd();
    let mut failures = Vec::new();
    for f in &files {
        for args in REPORTS {
            let want = run(SADF, f, args, cwd.path());
            // The Debian file has every one of these reports.
            assert!(f != &files[0] || !want.1.is_empty(), "sadf -r printed nothing for {}", args.join(" "));
            let got = run(RSADF, f, args, cwd.path());
            if got != want {
                failures.push(format!("rsadf -r {} -- {}", f.display(), args.join(" ")));
            }
        }
    }
    assert!(failures.is_empty(), "output differs from Debian's sadf:\n{}", failures.join("\n"));
}
