//! docs/fleet.md's queries, run verbatim in DuckDB (cli/tests/fleet_queries.py)
//! over `rsadf --parquet` datasets of three synthetic hosts, answer what
//! `rsar`'s Average lines say for the same files, and its comparison of two
//! groups what `rsadf --compare` says, to the printed precision.

mod parquet_support;

use std::collections::BTreeMap;
use std::process::Command;

use parquet_support::{root, rsadf, rsar, synthetic_day};
use sarkit_query::compare::metrics::METRICS;
use sarkit_query::sadf::parquet::naming::column_name;
use serde_json::Value;

/// Hosts: name, CPUs, first sample (different times give different loads).
const HOSTS: &[(&str, u32, u64)] =
    &[("db-1", 2, 1_699_920_000), ("web-1", 4, 1_699_950_000), ("web-2", 8, 1_700_000_000)];

/// The groups of docs/fleet.md's comparison (its `grp` table): name, hosts.
const GROUPS: [(&str, &[&str]); 2] = [("cloud", &["web-1", "web-2"]), ("onprem", &["db-1"])];

/// rsar's Average lines of one report: item (or "") → column → text.
fn averages(args: &[&str], file: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["-f", file]);
    let out = rsar(&a);
    let mut header: Vec<String> = Vec::new();
    let mut res = BTreeMap::new();
    for line in out.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.len() < 2 {
            continue;
        }
        if t[0] == "Average:" {
            let row: BTreeMap<String, String> =
                header.iter().cloned().zip(t[1..].iter().map(|s| s.to_string())).collect();
            let item = ["CPU", "DEV", "IFACE"].iter().find_map(|k| row.get(*k).cloned()).unwrap_or_default();
            res.insert(item, row);
        } else if t[1..].iter().any(|w| w.starts_with('%') || w.starts_with("kb") || *w == "tps" || *w == "IFACE") {
            header = t[1..].iter().map(|s| s.to_string()).collect();
        }
    }
    res
}

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

/// A query's rows as maps of column → value.
fn rows(results: &Value, name: &str) -> Vec<BTreeMap<String, Value>> {
    let q = &results[name];
    let cols: Vec<String> = q["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    q["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| cols.iter().cloned().zip(r.as_array().unwrap().iter().cloned()).collect())
        .collect()
}

fn check(what: &str, value: f64, decimals: usize, rsar_text: &str) {
    assert_eq!(format!("{value:.decimals$}"), rsar_text, "{what}");
}

#[test]
#[cfg_attr(not(sarkit_duckdb), ignore = "needs DuckDB (pip install duckdb)")]
fn fleet_queries_answer_what_rsar_averages_say() {
    let d = tempfile::tempdir().unwrap();
    let rec = d.path().join("recordings");
    let mut files = BTreeMap::new();
    for &(host, cpus, start) in HOSTS {
        let dir = rec.join(host);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("sa20231114");
        // An hour at ten-second intervals.
        synthetic_day(&file, host, cpus, start, 10, 360);
        files.insert(host, file.to_string_lossy().into_owned());
    }
    // One run over the folder of every host's folder.
    rsadf(&[
        "--parquet",
        d.path().join("fleet").to_str().unwrap(),
        rec.to_str().unwrap(),
        "--",
        "-u",
        "-r",
        "-S",
        "-q",
        "ALL",
        "-d",
        "-n",
        "DEV,ETCP",
        "-B",
        "-W",
    ]);

    let docs = root().join("docs/fleet.md");
    let out = Command::new("python3")
        .arg(root().join("cli/tests/fleet_queries.py"))
        .arg(&docs)
        .current_dir(d.path())
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "fleet_queries.py: {}", String::from_utf8_lossy(&out.stderr));
    let results: Value = serde_json::from_slice(&out.stdout).expect("JSON");

    // Which node spent the most time in iowait: every host, ranked.
    let iowait = rows(&results, "iowait");
    assert_eq!(iowait.len(), HOSTS.len());
    let mut want: Vec<(f64, String)> = Vec::new();
    for r in &iowait {
        let host = r["host"].as_str().unwrap();
        let avg = averages(&["-u"], &files[host]);
        check(&format!("{host} %iowait"), num(&r["pct_iowait"]), 2, &avg["all"]["%iowait"]);
        want.push((avg["all"]["%iowait"].parse().unwrap(), host.to_string()));
    }
    want.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let got: Vec<&str> = iowait.iter().map(|r| r["host"].as_str().unwrap()).collect();
    assert_eq!(got, want.iter().map(|w| w.1.as_str()).collect::<Vec<_>>(), "iowait ranking");

    for r in rows(&results, "cpu") {
        let host = r["host"].as_str().unwrap();
        let avg = &averages(&["-u", "ALL"], &files[host])["all"];
        check(&format!("{host} %usr"), num(&r["mean_usr"]), 2, &avg["%usr"]);
        check(&format!("{host} %sys"), num(&r["mean_sys"]), 2, &avg["%sys"]);
        check(&format!("{host} %idle"), num(&r["mean_idle"]), 2, &avg["%idle"]);
        let (mean_busy, p95, max) = (100.0 - num(&r["mean_idle"]), num(&r["p95_busy"]), num(&r["max_busy"]));
        assert!(p95 <= max && mean_busy <= max, "{host}: {r:?}");
    }

    for r in rows(&results, "memory") {
        let host = r["host"].as_str().unwrap();
        let avg = &averages(&["-r"], &files[host])[""];
        check(&format!("{host} kbmemused"), num(&r["mean_kbmemused"]), 0, &avg["kbmemused"]);
        check(&format!("{host} %memused"), num(&r["mean_pct_memused"]), 2, &avg["%memused"]);
        assert!(num(&r["p95_pct_memused"]) <= num(&r["max_pct_memused"]));
    }

    let disk = rows(&results, "disk");
    assert_eq!(disk.len(), HOSTS.len() * 2, "two disks per host");
    for r in disk {
        let (host, dev) = (r["host"].as_str().unwrap(), r["dev"].as_str().unwrap());
        let avg = &averages(&["-d"], &files[host])[dev];
        check(&format!("{host} {dev} tps"), num(&r["mean_tps"]), 2, &avg["tps"]);
        check(&format!("{host} {dev} rkB/s"), num(&r["mean_rkb_per_s"]), 2, &avg["rkB/s"]);
        check(&format!("{host} {dev} wkB/s"), num(&r["mean_wkb_per_s"]), 2, &avg["wkB/s"]);
        check(&format!("{host} {dev} %util"), num(&r["mean_pct_util"]), 2, &avg["%util"]);
    }

    let net = rows(&results, "network");
    assert_eq!(net.len(), HOSTS.len() * 2, "lo and eth0 on each host");
    for r in net {
        let (host, iface) = (r["host"].as_str().unwrap(), r["iface"].as_str().unwrap());
        let avg = &averages(&["-n", "DEV"], &files[host])[iface];
        check(&format!("{host} {iface} rxkB/s"), num(&r["mean_rxkb_per_s"]), 2, &avg["rxkB/s"]);
        check(&format!("{host} {iface} txkB/s"), num(&r["mean_txkb_per_s"]), 2, &avg["txkB/s"]);
        assert!(num(&r["p95_kb_per_s"]) <= num(&r["max_kb_per_s"]));
    }

    compare_is_rsadf_compare(&results, &rec, &std::fs::read_to_string(&docs).unwrap());
}

/// docs/fleet.md's `compare` query against `rsadf --compare` over the same
/// hosts' files: every metric, each value as rsadf prints it, in the same
/// order of difference.
fn compare_is_rsadf_compare(results: &Value, rec: &std::path::Path, docs: &str) {
    let table: Vec<String> =
        GROUPS.iter().flat_map(|(g, hosts)| hosts.iter().map(move |h| format!("('{h}', '{g}')"))).collect();
    assert!(docs.contains(&format!("VALUES {}", table.join(", "))), "docs/fleet.md's grp table is GROUPS");
    let folders = |k: usize| GROUPS[k].1.iter().map(|h| rec.join(h).to_string_lossy().into_owned()).collect::<Vec<_>>();
    let mut args: Vec<String> =
        vec!["--compare".into(), format!("--name-a={}", GROUPS[0].0), format!("--name-b={}", GROUPS[1].0)];
    args.extend(folders(0));
    args.push("--against".into());
    args.extend(folders(1));
    let text = rsadf(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let printed: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|t| t.len() == 9 && METRICS.iter().any(|m| m.area == t[0]))
        .collect();
    let sql = rows(results, "compare");
    assert_eq!((printed.len(), sql.len()), (METRICS.len(), METRICS.len()), "{text}");
    let by_metric: BTreeMap<String, &BTreeMap<String, Value>> =
        sql.iter().map(|r| (r["metric"].as_str().unwrap().to_string(), r)).collect();
    let (a, b) = (GROUPS[0].0, GROUPS[1].0);
    for t in &printed {
        let metric = column_name(t[1]);
        let r = by_metric.get(&metric).unwrap_or_else(|| panic!("{metric}: no row in the SQL's answer"));
        let cols = [
            format!("{a}_mean"),
            format!("{b}_mean"),
            "diff".into(),
            format!("{a}_p95"),
            format!("{b}_p95"),
            format!("{a}_max"),
            format!("{b}_max"),
        ];
        for (col, want) in cols.iter().zip(&t[2..]) {
            let v = num(&r[col.as_str()]);
            // The export holds each value as sadf -d prints it (two
            // decimals), and the SQL sums devices' rounded values, so its
            // figures may differ from rsadf's over unrounded values by the
            // rounding of up to ten of them (0.05); a difference moves with
            // its means, by 2 × that over the larger mean, in percent.
            let larger_mean = t[2].parse::<f64>().unwrap().abs().max(t[3].parse::<f64>().unwrap().abs());
            let (got, slack) = if col == "diff" {
                (v * 100.0, 0.1 + if larger_mean > 0.0 { 10.0 / larger_mean } else { 0.0 })
            } else {
                (v, 0.05)
            };
            let want_v: f64 = want.trim_end_matches('%').parse().unwrap();
            assert!((got - want_v).abs() <= slack * 1.01, "{metric} {col}: SQL {got}, rsadf {want}");
        }
    }
    // Sorted alike: the differences, largest first, in both (metrics whose
    // differences are within a printed unit may stand in either order).
    let diffs: Vec<f64> = sql.iter().map(|r| (num(&r["diff"]) * 100.0).abs()).collect();
    let printed_diffs: Vec<f64> =
        printed.iter().map(|t| t[4].trim_start_matches(['+', '-']).trim_end_matches('%').parse().unwrap()).collect();
    // Both lists are sorted, so where the values agree as above the order does
    // too: check each list is largest first.
    for list in [&diffs, &printed_diffs] {
        assert!(list.windows(2).all(|w| w[0] >= w[1] - 0.051), "not largest first: {list:?}");
    }
}
