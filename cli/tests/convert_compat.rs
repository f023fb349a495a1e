//! `rsadf -c --compat 12.6` writes files Debian's sar 12.6.1 reads in full:
//! for each old file of the conformance corpus, `/usr/bin/sar` must read the
//! converted file without error and print what rsar prints on it.

use std::path::Path;
use std::process::Command;

mod common;
use common::file_command;

const REPORTS: &[&[&str]] = &[&["-u", "ALL", "-P", "ALL"], &["-n", "DEV"], &["-n", "EDEV"], &["-q"], &["-w"]];

fn run(bin: &str, args: &[&str], file: &Path) -> (i32, String, String) {
    let o = file_command(bin, args, file).output().unwrap_or_else(|e| panic!("{bin}: {e}"));
    let s = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (o.status.code().unwrap_or(-1), s(o.stdout), s(o.stderr))
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn debian_sar_reads_compat_conversions_as_rsar_does() {
    let sar = sarkit_testkit::SAR;
    let data = sarkit_testkit::corpus().join("data");
    let tmp = tempfile::tempdir().unwrap();
    for old in ["data-9.1.6", "data-11.6.5"] {
        let conv = tmp.path().join(format!("{old}.12.6"));
        let o = Command::new(env!("CARGO_BIN_EXE_rsadf"))
            .args(["-c", "--compat", "12.6"])
            .arg(data.join(old))
            .output()
            .unwrap();
        assert!(o.status.success(), "rsadf -c {old}: {}", String::from_utf8_lossy(&o.stderr));
        std::fs::write(&conv, &o.stdout).unwrap();

        let (code, _, err) = run(sar, &["-A"], &conv);
        assert_eq!(code, 0, "sar -A on {old}: {err}");
        assert!(err.is_empty(), "sar -A on {old}: {err}");
        for args in REPORTS {
            let theirs = run(sar, args, &conv);
            let ours = run(env!("CARGO_BIN_EXE_rsar"), args, &conv);
            assert_eq!(theirs.0, 0, "sar {args:?} on {old}: {}", theirs.2);
            assert_eq!(ours, theirs, "rsar and sar {args:?} differ on {old}");
        }
    }
}
