//! Paths the tests of every sarkit crate share. Which of them exist on this
//! machine is decided at build time (`probe.rs`, through each crate's
//! `build.rs`): a test that needs one is ignored where it is absent.

use std::path::PathBuf;

pub mod cgroup_tree;

/// Debian's sar and sadf, the peers the differential tests run (cfg `sarkit_sysstat`).
pub const SAR: &str = "/usr/bin/sar";
pub const SADF: &str = "/usr/bin/sadf";

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The conformance corpus beside the checkout (cfg `sarkit_corpus`).
pub fn corpus() -> PathBuf {
    workspace().join("../shared/conformance")
}

/// A data file of the corpus.
pub fn corpus_data(name: &str) -> PathBuf {
    corpus().join("data").join(name)
}

/// A fixture the project made (`testdata/`), always present.
pub fn testdata(name: &str) -> PathBuf {
    workspace().join("testdata").join(name)
}

/// The options a man page (`man/NAME.scd`, e.g. `rsar.1`) documents: each
/// `*-x*` or `*--long*` on a line that starts with one, a term of the page's
/// option lists. `man/build.sh` makes the completions by the same rule.
pub fn man_options(page: &str) -> std::collections::BTreeSet<String> {
    let path = workspace().join("man").join(format!("{page}.scd"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut found = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| l.starts_with("*-")) {
        for (k, part) in line.split('*').enumerate() {
            let name = part.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            // Odd parts lie between stars: the bold words.
            if k % 2 == 1
                && name.len() > 1
                && name == part
                && name.starts_with('-')
                && name.bytes().all(|b| b == b'-' || b.is_ascii_alphanumeric())
            {
                found.insert(name.to_string());
            }
        }
    }
    found
}
