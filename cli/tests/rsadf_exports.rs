//! rsadf's JSON and XML exports of a fixture the project recorded
//! (`testdata/sa-debian-12.6.1-xall`): golden snapshots, JSON validity
//! (serde_json) and XML validity against sysstat's DTD and XSD (xmllint,
//! when it and `../shared/conformance/xml` are present).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn rsadf(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rsadf"))
        .args(args)
        .current_dir(root())
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .expect("rsadf runs");
    assert!(out.status.success(), "rsadf {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

const FIXTURE: &str = "testdata/sa-debian-12.6.1-xall";

#[test]
fn json_export_of_every_activity_is_valid_and_stable() {
    let out = rsadf(&["-j", FIXTURE, "--", "-A"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let first = &v["sysstat"]["hosts"][0]["statistics"][0];
    for key in ["cpu-load", "interrupts", "io", "memory", "hugepages", "kernel", "queue", "disk", "network", "psi"] {
        assert!(!first[key].is_null(), "no {key} in {first}");
    }
    assert!(first["io"]["io-reads"]["rtps"].is_number());
    assert!(first["memory"]["swpfree"].is_number());
    assert!(first["network"]["net-sock"]["totsck"].is_number());
    insta::assert_snapshot!("json_all", out);
}

#[test]
fn json_export_is_valid_and_stable() {
    let out = rsadf(&["-j", FIXTURE, "--", "-u", "-n", "DEV", "-q", "-r"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let stats = &v["sysstat"]["hosts"][0]["statistics"];
    assert!(stats.as_array().is_some_and(|a| !a.is_empty()));
    assert!(stats[0]["cpu-load"][0]["cpu"] == "all");
    insta::assert_snapshot!("json_u_dev_q_r", out);
}

#[test]
fn xml_export_is_valid_and_stable() {
    let out = rsadf(&["-x", FIXTURE, "--", "-u", "-n", "DEV"]);
    insta::assert_snapshot!("xml_u_dev", &out);
    validate_xml(&out);
}

#[test]
fn xml_export_of_every_activity_is_valid_and_stable() {
    let out = rsadf(&["-x", FIXTURE, "--", "-A"]);
    insta::assert_snapshot!("xml_all", &out);
    validate_xml(&out);
}

/// Validate against sysstat's DTD and XSD, when xmllint and the corpus are here.
fn validate_xml(out: &str) {
    if !cfg!(sarkit_xmllint) || !cfg!(sarkit_corpus) {
        println!("skipped the validation: xmllint or ../shared/conformance is absent");
        return;
    }
    let xml_dir = sarkit_testkit::corpus().join("xml");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.xml");
    std::fs::write(&file, out).unwrap();
    for entry in std::fs::read_dir(&xml_dir).unwrap().flatten() {
        let p = entry.path();
        let flag = match p.extension().and_then(|e| e.to_str()) {
            Some("dtd") => "--dtdvalid",
            Some("xsd") => "--schema",
            _ => continue,
        };
        let r = Command::new("xmllint").args(["--noout", flag]).arg(&p).arg(&file).output().unwrap();
        assert!(r.status.success(), "{flag} {}: {}", p.display(), String::from_utf8_lossy(&r.stderr));
    }
}

#[test]
fn database_and_ppc_agree_on_values() {
    let d = rsadf(&["-d", FIXTURE, "--", "-w"]);
    let p = rsadf(&["-p", FIXTURE, "--", "-w"]);
    let dvals: Vec<&str> = d.lines().skip(1).flat_map(|l| l.split(';').skip(3)).collect();
    let pvals: Vec<&str> = p.lines().map(|l| l.rsplit('\t').next().unwrap()).collect();
    assert_eq!(dvals, pvals);
}
