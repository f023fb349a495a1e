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
