//! `rsar -d` and `-d -p` device names against Debian's sar 12.6.1, which
//! names devices as 12.7.9 does. Both read this machine's /sys; Debian's
//! sar also applies its ioconf rules when /etc/sysstat/sysstat.ioconf
//! exists, and rsar applies its built-in ones when it finds a
//! `./sysstat.ioconf`, so rsar runs where it finds one exactly then.

use std::path::Path;

mod common;
use common::{debian_comparison_files, file_command, ioconf_cwd};

use sarkit_testkit::SAR;
const RSAR: &str = env!("CARGO_BIN_EXE_rsar");

fn run(bin: &str, args: &[&str], file: &Path, cwd: &Path) -> Vec<u8> {
    file_command(bin, args, file).current_dir(cwd).output().expect("run").stdout
}

#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn same_names_as_debian_sar() {
    // In the corpus file, disks 8:x and 65:x, absent from any /sys: named by the rules.
    let files = debian_comparison_files("data-long");
    let cwd = ioconf_cwd();
    let mut compared = 0;
    for f in &files {
        for args in [&["-d"][..], &["-d", "-p"], &["-d", "--dev=sda,sdq,vda"]] {
            let want = run(SAR, args, f, cwd.path());
            let got = run(RSAR, args, f, cwd.path());
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "rsar {} -f {}",
                args.join(" "),
                f.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 0, "no file to compare");
}
