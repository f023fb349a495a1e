//! What a build script tells a crate's tests about this machine: whether the
//! conformance corpus, Debian's sysstat and xmllint are here.
//!
//! Each one found sets a cfg (`sarkit_corpus`, `sarkit_sysstat`,
//! `sarkit_xmllint`). A test that needs one is
//! `#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]`,
//! so that `cargo test` on a bare machine counts what it did not run instead
//! of passing it. With `SARKIT_REQUIRE_CORPUS=1` (or `_SYSSTAT`, `_XMLLINT`),
//! as CI sets them, an absence stops the build instead.
//!
//! Included with `#[path]` by each crate's `build.rs`; it uses std only.

use std::env;
use std::path::{Path, PathBuf};

/// One thing some tests need.
struct Need {
    cfg: &'static str,
    require: &'static str,
    what: &'static str,
    /// The files that show it is here; all must exist.
    files: Vec<PathBuf>,
}

fn on_path(program: &str) -> PathBuf {
    env::var_os("PATH")
        .and_then(|p| env::split_paths(&p).map(|d| d.join(program)).find(|f| f.is_file()))
        .unwrap_or_else(|| PathBuf::from("/usr/bin").join(program))
}

/// Print the cargo directives for the crate whose build script calls this.
pub fn emit() {
    let manifest = env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo");
    let corpus = Path::new(&manifest).join("../../shared/conformance");
    let needs = [
        Need {
            cfg: "sarkit_corpus",
            require: "SARKIT_REQUIRE_CORPUS",
            what: "the conformance corpus in ../shared/conformance",
            files: vec![corpus.join("cases.jsonl"), corpus.join("data")],
        },
        Need {
            cfg: "sarkit_sysstat",
            require: "SARKIT_REQUIRE_SYSSTAT",
            what: "Debian's sysstat (/usr/bin/sar, /usr/bin/sadf: apt-get install sysstat)",
            files: vec![PathBuf::from("/usr/bin/sar"), PathBuf::from("/usr/bin/sadf")],
        },
        Need {
            cfg: "sarkit_xmllint",
            require: "SARKIT_REQUIRE_XMLLINT",
            what: "xmllint (apt-get install libxml2-utils)",
            files: vec![on_path("xmllint")],
        },
    ];
    println!("cargo::rerun-if-env-changed=PATH");
    for need in needs {
        println!("cargo::rustc-check-cfg=cfg({})", need.cfg);
        println!("cargo::rerun-if-env-changed={}", need.require);
        for f in &need.files {
            println!("cargo::rerun-if-changed={}", f.display());
        }
        if need.files.iter().all(|f| f.exists()) {
            println!("cargo::rustc-cfg={}", need.cfg);
        } else if env::var(need.require).is_ok_and(|v| v == "1") {
            panic!("{}=1, but {} is absent: the tests that need it cannot run", need.require, need.what);
        }
    }
}
