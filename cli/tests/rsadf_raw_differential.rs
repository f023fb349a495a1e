//! `rsadf -r` against Debian's `sadf -r` (12.6.1) for the reports whose
//! raw fields did not change between 12.6.1 and 12.7.9: CPU, disks,
//! network interfaces and their errors.
//!
//! Disk names depend on this machine's /sys and, for disks it lacks, on
//! ioconf rules: Debian's sadf applies them when /etc/sysstat/sysstat.ioconf
//! exists, rsadf when it finds a `./sysstat.ioconf`, so rsadf runs where it
//! finds one exactly then.

use std::path::Path;
use std::process::Command;

use sarkit_testkit::SADF;
const DEBIAN_IOCONF: &str = "/etc/sysstat/sysstat.ioconf";
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
    let out = Command::new(bin)
        .arg("-r")
        .arg(file)
        .arg("--")
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .expect("run");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn same_raw_output_as_debian_sadf() {
    let mut files = vec![sarkit_testkit::testdata("sa-debian-12.6.1-xall")];
    // A file with disks this machine lacks; from the conformance corpus.
    if cfg!(sarkit_corpus) {
        files.push(sarkit_testkit::corpus_data("data-long"));
    } else {
        println!("../shared/conformance is absent: comparing the Debian file only");
    }
    let cwd = tempfile::tempdir().unwrap();
    if Path::new(DEBIAN_IOCONF).exists() {
        std::fs::write(cwd.path().join("sysstat.ioconf"), "").unwrap();
    }
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
