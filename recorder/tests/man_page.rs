//! man/rsadc.8.scd against clap's `--help`: every option rsadc takes is
//! documented, and every documented one is an option rsadc takes.

use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn rsadc_page_documents_every_option() {
    let help = Command::new(env!("CARGO_BIN_EXE_rsadc")).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    // Option lines start with `-x` or `--long`, after the indent, and the
    // options end where two spaces start the description.
    let taken: BTreeSet<String> = help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .flat_map(|l| l.split("  ").next().unwrap_or("").split(|c: char| c.is_whitespace() || c == ','))
        .filter(|w| w.starts_with('-') && w.len() > 1)
        .map(String::from)
        .collect();
    assert!(taken.contains("-S") && taken.contains("--daemon") && taken.contains("--help"), "{taken:?}");
    let documented = sarkit_testkit::man_options("rsadc.8");
    assert_eq!(taken, documented, "rsadc --help's options, then man/rsadc.8.scd's");
}
