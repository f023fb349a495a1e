//! What a build script tells a crate's tests about this machine: whether the
//! conformance corpus, Debian's sysstat, xmllint and the analysis engines
//! (DuckDB, promtool, VictoriaMetrics) are here.
//!
//! Each one found sets a cfg (`sarkit_corpus`, `sarkit_sysstat`,
//! `sarkit_xmllint`, and for the engine tests `sarkit_duckdb`,
//! `sarkit_promtool`, `sarkit_victoriametrics`). A test that needs one is
//! `#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]`,
//! so that `cargo test` on a bare machine counts what it did not run instead
//! of passing it. With `SARKIT_REQUIRE_CORPUS=1` (or `_SYSSTAT`, `_XMLLINT`,
//! `_ENGINES`), as CI sets them, an absence stops the build instead.
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

/// Where `python3` finds `module`: its package folder, or a path that does
/// not exist when python3 or the module is absent.
fn python_module(module: &str) -> Vec<PathBuf> {
    let find = format!("import importlib.util as u; s = u.find_spec('{module}'); print(s.origin if s else '')");
    let found = std::process::Command::new(on_path("python3"))
        .args(["-c", &find])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|p| !p.is_empty());
    vec![found.map_or_else(|| PathBuf::from(format!("/nonexistent/python3-module-{module}")), PathBuf::from)]
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
        Need {
            cfg: "sarkit_duckdb",
            require: "SARKIT_REQUIRE_ENGINES",
            what: "DuckDB's Python module (pip install duckdb)",
            files: python_module("duckdb"),
        },
        Need {
            cfg: "sarkit_promtool",
            require: "SARKIT_REQUIRE_ENGINES",
            what: "Prometheus's promtool (apt-get install prometheus)",
            files: vec![on_path("promtool")],
        },
        Need {
            cfg: "sarkit_victoriametrics",
            require: "SARKIT_REQUIRE_ENGINES",
            what: "VictoriaMetrics (apt-get install victoria-metrics)",
            files: vec![on_path("victoria-metrics")],
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
