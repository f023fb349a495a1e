//! `rsadf --openmetrics` against `rsadf -d` (gauges, counter rates) and
//! `-r` (counters), and through promtool's backfill and VictoriaMetrics.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sarkit_query::sadf::openmetrics::{metric_name, plain_rate};

const RSADF: &str = env!("CARGO_BIN_EXE_rsadf");
const RSAR: &str = env!("CARGO_BIN_EXE_rsar");

/// One flag set per activity (or group of outputs).
const ACTIVITIES: &[&[&str]] = &[
    &["-u", "ALL", "-P", "ALL"],
    &["-w"],
    &["-I", "ALL"],
    &["-W"],
    &["-B"],
    &["-b"],
    &["-r", "ALL"],
    &["-S"],
    &["-H"],
    &["-v"],
    &["-q", "ALL"],
    &["-y"],
    &["-d"],
    &["-F"],
    &["-n", "DEV"],
    &["-n", "EDEV"],
    &["-n", "NFS"],
    &["-n", "NFSD"],
    &["-n", "SOCK"],
    &["-n", "IP"],
    &["-n", "EIP"],
    &["-n", "ICMP"],
    &["-n", "EICMP"],
    &["-n", "TCP"],
    &["-n", "ETCP"],
    &["-n", "UDP"],
    &["-n", "SOCK6"],
    &["-n", "IP6"],
    &["-n", "EIP6"],
    &["-n", "ICMP6"],
    &["-n", "EICMP6"],
    &["-n", "UDP6"],
    &["-n", "FC"],
    &["-n", "SOFT"],
    &["-m", "CPU"],
    &["-m", "FAN"],
    &["-m", "IN"],
    &["-m", "TEMP"],
    &["-m", "FREQ"],
    &["-m", "USB"],
    &["-m", "BAT"],
];

/// sar's item headers in `-d`'s field lists, and USB's hexadecimal ids
/// (text that may look like a number): labels, not values.
const ITEM_HDRS: &[&str] = &[
    "CPU",
    "IFACE",
    "DEV",
    "TTY",
    "INTR",
    "FILESYSTEM",
    "FCHOST",
    "FAN",
    "TEMP",
    "IN",
    "BUS",
    "BAT",
    "idvendor",
    "idprod",
];

fn rsadf(args: &[&str]) -> Output {
    Command::new(RSADF).args(args).output().expect("rsadf runs")
}

fn fixture() -> PathBuf {
    sarkit_testkit::testdata("sa-debian-12.6.1-xall")
}

/// A synthetic `-S XALL` recording of five one-second intervals at an old time.
fn synthetic(dir: &Path) -> PathBuf {
    let path = dir.join("sa-synthetic");
    let out = Command::new(RSAR)
        .args(["-u", "-o", path.to_str().unwrap(), "1", "5"])
        .env("SARKIT_LIVE_SYNTHETIC", "4")
        .env("SARKIT_LIVE_UNIX_TIME", "1700000000")
        .output()
        .expect("rsar runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

/// A series: its family and its label values but `host`, sorted.
type SeriesKey = (String, Vec<String>);
/// A `-d` row's label values and its `(column, value)` numbers.
type DRow<'a> = (Vec<String>, Vec<(&'a str, &'a str)>);

/// A parsed exposition: families (name to type and HELP) and series
/// (family, sorted label values without `host`) to samples.
#[derive(Default, Debug)]
struct Exposition {
    types: BTreeMap<String, String>,
    help: BTreeMap<String, String>,
    series: HashMap<SeriesKey, Vec<(i64, f64)>>,
    samples: usize,
}

fn parse_labels(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim_start_matches(',').to_string();
        let mut val = String::new();
        let mut chars = rest[eq + 2..].char_indices();
        let mut end = 0;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        val.push(if n == 'n' { '\n' } else { n });
                    }
                }
                '"' => {
                    end = eq + 2 + i + 1;
                    break;
                }
                c => val.push(c),
            }
        }
        out.push((name, val));
        rest = &rest[end..];
    }
    out
}

fn parse_exposition(text: &str) -> Exposition {
    let mut e = Exposition::default();
    assert!(text.ends_with("# EOF\n"), "ends with # EOF");
    let mut seen_families: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(r) = line.strip_prefix("# TYPE ") {
            let (n, t) = r.split_once(' ').unwrap();
            assert!(!e.types.contains_key(n), "one TYPE per family: {n}");
            e.types.insert(n.to_string(), t.to_string());
            seen_families.push(n.to_string());
            continue;
        }
        if let Some(r) = line.strip_prefix("# HELP ") {
            let (n, h) = r.split_once(' ').unwrap();
            e.help.insert(n.to_string(), h.to_string());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (name, rest) = line.split_once('{').unwrap();
        let (labels, rest) = rest.rsplit_once("} ").unwrap();
        let (v, t) = rest.split_once(' ').unwrap();
        let fam =
            name.strip_suffix("_total").filter(|f| e.types.get(*f).is_some_and(|t| t == "counter")).unwrap_or(name);
        assert_eq!(seen_families.last().map(String::as_str), Some(fam), "samples follow their family's TYPE: {line}");
        let labels = parse_labels(labels);
        assert_eq!(labels[0].0, "host");
        let mut key: Vec<String> = labels[1..].iter().map(|l| l.1.clone()).collect();
        key.sort();
        let s = e.series.entry((fam.to_string(), key)).or_default();
        let t: i64 = t.parse().unwrap();
        if let Some(last) = s.last() {
            assert!(last.0 < t, "series in time order: {line}");
        }
        s.push((t, v.parse().unwrap()));
        e.samples += 1;
    }
    e
}

/// The family whose HELP names sar's column `col` (gauges: `COL of TAG,
/// as sadf -d...`; counters: `Cumulative counter COL of TAG...`).
fn family_of<'a>(e: &'a Exposition, col: &str, counter: bool) -> Option<&'a String> {
    let want = if counter { format!("Cumulative counter {col} of ") } else { format!("{col} of ") };
    e.help.iter().find(|(n, h)| h.starts_with(&want) && (e.types[*n] == "counter") == counter).map(|(n, _)| n)
}

/// Checks one activity's export against `-d`; returns how many `-d` values
/// were checked.
fn check_activity(file: &Path, flags: &[&str]) -> usize {
    let f = file.to_str().unwrap();
    let mut dargs = vec!["-d", "-U", f, "--"];
    dargs.extend(flags);
    let d = rsadf(&dargs);
    if d.status.code() != Some(0) {
        // The activity is not in this file.
        assert!(String::from_utf8_lossy(&d.stderr).contains("not available"), "{flags:?}: {d:?}");
        return 0;
    }
    let mut oargs = vec!["--openmetrics", f, "--"];
    oargs.extend(flags);
    let om = rsadf(&oargs);
    assert_eq!(om.status.code(), Some(0), "{flags:?}: {}", String::from_utf8_lossy(&om.stderr));
    let e = parse_exposition(&String::from_utf8(om.stdout).unwrap());
    for n in e.types.keys() {
        assert!(n.starts_with("sarkit_") && n.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'), "{n}");
    }

    let mut checked = 0;
    let mut fields: Vec<String> = Vec::new();
    for line in String::from_utf8(d.stdout).unwrap().lines() {
        if let Some(h) = line.strip_prefix("# hostname;interval;timestamp;") {
            fields = h.split(';').map(String::from).collect();
            // sysstat's field list for USB names the strings first; its rows print them last.
            if h.starts_with("manufact;product;") {
                fields.rotate_left(2);
            }
            continue;
        }
        let vals: Vec<&str> = line.split(';').collect();
        let (itv, t): (f64, i64) = (vals[1].parse().unwrap(), vals[2].parse().unwrap());
        let vals = &vals[3..];
        // Item and text fields label the row; numbers are values.
        let mut key = Vec::new();
        let mut numbers: Vec<(&str, &str)> = Vec::new();
        let mut cpu_star = None;
        for (k, fld) in fields.iter().enumerate() {
            if fld == "CPU*" {
                cpu_star = Some(k);
                break;
            }
            let v = vals[k];
            if ITEM_HDRS.contains(&fld.as_str()) || v.parse::<f64>().is_err() {
                key.push(if fld == "CPU" && v == "-1" { "all".to_string() } else { v.to_string() });
            } else {
                numbers.push((fld, v));
            }
        }
        let mut rows: Vec<DRow<'_>> = Vec::new();
        if let Some(k) = cpu_star {
            for (j, v) in vals[k..].iter().enumerate() {
                let mut key = key.clone();
                key.push(if j == 0 { "all".to_string() } else { (j - 1).to_string() });
                key.sort();
                rows.push((key, vec![("CPU*", v)]));
            }
        } else {
            key.sort();
            rows.push((key, numbers));
        }
        for (key, numbers) in rows {
            for (col, v) in numbers {
                let v: f64 = v.parse().unwrap();
                let counter = family_of(&e, col, true).filter(|_| plain_rate(col));
                if let Some(fam) = counter {
                    // A plain rate: the counter's difference over the interval.
                    let s = e.series.get(&(fam.clone(), key.clone())).unwrap_or_else(|| panic!("{fam} {key:?}"));
                    let i = s.iter().position(|x| x.0 == t).unwrap_or_else(|| panic!("{fam} {key:?} at {t}"));
                    assert!(i > 0, "{fam} {key:?}: the interval's start is exported");
                    let (p, c) = (s[i - 1], s[i]);
                    assert_eq!(p.0 + itv as i64, c.0, "{fam}: the interval");
                    let rate = (c.1 - p.1) / itv;
                    assert!(
                        (rate - v).abs() <= 0.005 + 1e-6 * v.abs(),
                        "{flags:?} {fam} {key:?} at {t}: {rate} vs -d {v}"
                    );
                } else {
                    let fam = family_of(&e, col, false).unwrap_or_else(|| panic!("{flags:?}: no gauge for {col}"));
                    assert_eq!(e.types[fam], "gauge");
                    assert!(fam.contains(&metric_name(col)), "{fam} is named after {col}");
                    let s = e.series.get(&(fam.clone(), key.clone())).unwrap_or_else(|| panic!("{fam} {key:?}"));
                    let g = s.iter().find(|x| x.0 == t).unwrap_or_else(|| panic!("{fam} {key:?} at {t}"));
                    assert_eq!(g.1, v, "{flags:?} {fam} {key:?} at {t}");
                }
                checked += 1;
            }
        }
    }
    checked
}

/// Every activity in a file, against `-d`.
fn check_file(file: &Path) {
    let mut total = 0;
    for flags in ACTIVITIES {
        total += check_activity(file, flags);
    }
    assert!(total > 1000, "{total} values checked");
}

#[test]
fn gauges_and_counter_rates_match_sadf_d_on_the_fixture() {
    check_file(&fixture());
}

#[test]
fn gauges_and_counter_rates_match_sadf_d_on_a_synthetic_recording() {
    let dir = tempfile::tempdir().unwrap();
    check_file(&synthetic(dir.path()));
}

#[test]
fn counters_are_sadf_r_values() {
    let f = fixture();
    let f = f.to_str().unwrap();
    let e = parse_exposition(&String::from_utf8(rsadf(&["--openmetrics", f, "--", "-w"]).stdout).unwrap());
    let r = String::from_utf8(rsadf(&["-r", "-U", f, "--", "-w"]).stdout).unwrap();
    let s = &e.series[&("sarkit_process_and_context_switch_cswch".to_string(), vec![])];
    assert_eq!(e.types["sarkit_process_and_context_switch_cswch"], "counter");
    for line in r.lines() {
        let v: Vec<&str> = line.split("; ").collect();
        let t: i64 = v[0].parse().unwrap();
        let curr: f64 = v[6].trim_end_matches(';').parse().unwrap();
        assert_eq!(s.iter().find(|x| x.0 == t).map(|x| x.1), Some(curr), "{line}");
    }
}

#[test]
fn several_files_make_one_exposition() {
    let dir = tempfile::tempdir().unwrap();
    let syn = synthetic(dir.path());
    let f = fixture();
    let out = rsadf(&["--openmetrics", f.to_str().unwrap(), syn.to_str().unwrap(), "--", "-u", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    let e = parse_exposition(&String::from_utf8(out.stdout).unwrap());
    let hosts: std::collections::BTreeSet<_> = e.series.keys().map(|k| k.0.clone()).collect();
    assert!(hosts.contains("sarkit_queue_ldavg_1"), "{hosts:?}");
}

#[test]
fn errors_are_clear() {
    let out = rsadf(&["--openmetrics", "/nonexistent/sa01", "--", "-u"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!out.stderr.is_empty());
    assert_eq!(rsadf(&["--openmetrics", "-d", "f"]).status.code(), Some(1));
    // Each file is read on its own: a day range, one stream, is not the export's.
    assert_eq!(rsadf(&["--openmetrics", "--from", "2023-11-14", "f"]).status.code(), Some(1));
}

/// The export of `file` for `-A`, written to `dir/export.om`.
fn export_all(file: &Path, dir: &Path) -> (PathBuf, Exposition) {
    let out = rsadf(&["--openmetrics", file.to_str().unwrap(), "--", "-A"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.join("export.om");
    std::fs::write(&path, &out.stdout).unwrap();
    (path, parse_exposition(&String::from_utf8(out.stdout).unwrap()))
}

/// A sample line as Prometheus tools print it, `{__name__="n", a="b"} v t`
/// (promtool's dump) or `n{a="b"} v t`, into the exposition's key, value
/// and time (milliseconds when `ms`).
fn parse_dumped(e: &Exposition, line: &str, ms: bool) -> (SeriesKey, (i64, f64)) {
    let (head, rest) = line.rsplit_once("} ").unwrap();
    let (name, labels) = head.split_once('{').unwrap();
    let labels = parse_labels(&labels.replace(", ", ","));
    let mut name = name.to_string();
    let mut values = Vec::new();
    for (k, v) in labels {
        match k.as_str() {
            "__name__" => name = v,
            "host" => {}
            _ => values.push(v),
        }
    }
    values.sort();
    let fam = match name.strip_suffix("_total") {
        Some(f) if e.types.get(f).is_some_and(|t| t == "counter") => f.to_string(),
        _ => name,
    };
    let (v, t) = rest.split_once(' ').unwrap();
    let t: i64 = t.parse().unwrap();
    ((fam, values), (if ms { t / 1000 } else { t }, v.parse().unwrap()))
}

fn backfill_and_compare(file: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let (om, e) = export_all(file, dir.path());
    let blocks = dir.path().join("blocks");
    let out = Command::new("/usr/bin/promtool")
        .args(["tsdb", "create-blocks-from", "openmetrics", om.to_str().unwrap(), blocks.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "backfill: {}", String::from_utf8_lossy(&out.stderr));
    // `tsdb dump` opens the directory as a database, which wants a WAL folder.
    std::fs::create_dir_all(blocks.join("wal")).unwrap();
    let out = Command::new("/usr/bin/promtool").args(["tsdb", "dump", blocks.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "dump: {}", String::from_utf8_lossy(&out.stderr));
    let mut back: HashMap<SeriesKey, Vec<(i64, f64)>> = HashMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let (k, s) = parse_dumped(&e, line, true);
        back.entry(k).or_default().push(s);
    }
    assert_eq!(back.values().map(Vec::len).sum::<usize>(), e.samples, "every sample is back");
    for (k, s) in &e.series {
        assert_eq!(back.get(k), Some(s), "{k:?}");
    }
}

#[test]
#[cfg_attr(not(sarkit_promtool), ignore = "needs promtool (apt-get install prometheus)")]
fn promtool_backfills_the_fixture() {
    backfill_and_compare(&fixture());
}

#[test]
#[cfg_attr(not(sarkit_promtool), ignore = "needs promtool (apt-get install prometheus)")]
fn promtool_backfills_a_synthetic_recording() {
    let dir = tempfile::tempdir().unwrap();
    backfill_and_compare(&synthetic(dir.path()));
}

/// A VictoriaMetrics of its own: on a free loopback port, data in a
/// temporary folder, killed when dropped (also when a test fails).
struct VictoriaMetrics {
    child: std::process::Child,
    base: String,
    _data: tempfile::TempDir,
}

impl VictoriaMetrics {
    fn start() -> VictoriaMetrics {
        let data = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("/usr/bin/victoria-metrics")
            .arg(format!("-httpListenAddr=127.0.0.1:{port}"))
            .arg(format!("-storageDataPath={}", data.path().display()))
            .args(["-retentionPeriod=100y", "-loggerLevel=ERROR", "-search.latencyOffset=0s"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("victoria-metrics starts");
        let vm = VictoriaMetrics { child, base: format!("http://127.0.0.1:{port}"), _data: data };
        for _ in 0..100 {
            if vm.get("/health").is_some_and(|b| b.trim() == "OK") {
                return vm;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("victoria-metrics did not answer /health");
    }

    /// `curl` a path (with `args`), returning the body of a 2xx answer.
    fn curl(&self, path: &str, args: &[&str]) -> Option<String> {
        let out = Command::new("curl").args(["-sf"]).args(args).arg(format!("{}{path}", self.base)).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn get(&self, path: &str) -> Option<String> {
        self.curl(path, &[])
    }

    /// The sum of a counter of VictoriaMetrics' own `/metrics` over its labels.
    fn own_counter(&self, name: &str) -> f64 {
        let m = self.get("/metrics").unwrap();
        m.lines()
            .filter(|l| l.starts_with(name) && matches!(l.as_bytes().get(name.len()), Some(b'{' | b' ')))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }
}

impl Drop for VictoriaMetrics {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn import_into_victoriametrics(file: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let (om, e) = export_all(file, dir.path());
    let vm = VictoriaMetrics::start();
    let body = format!("@{}", om.display());
    vm.curl("/api/v1/import/prometheus", &["--data-binary", &body]).expect("import accepted");
    vm.get("/internal/force_flush").unwrap();
    assert_eq!(vm.own_counter("vm_rows_invalid_total"), 0.0, "no invalid rows");
    assert_eq!(vm.own_counter("vm_rows_ignored_total"), 0.0, "no ignored rows");
    assert_eq!(vm.own_counter("vm_rows_inserted_total") as usize, e.samples, "every sample inserted");
    // Every series back through /api/v1/export (JSON lines).
    let exported = vm.curl("/api/v1/export", &["-d", "match[]={__name__=~\"sarkit_.*\"}"]).unwrap();
    let mut back: HashMap<SeriesKey, Vec<(i64, f64)>> = HashMap::new();
    for line in exported.lines() {
        let j: serde_json::Value = serde_json::from_str(line).unwrap();
        let labels: Vec<String> = j["metric"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", v.as_str().unwrap().replace('\\', "\\\\").replace('"', "\\\"")))
            .collect();
        let head = format!("{{{}}}", labels.join(","));
        let times = j["timestamps"].as_array().unwrap();
        for (t, v) in times.iter().zip(j["values"].as_array().unwrap()) {
            let (k, s) = parse_dumped(&e, &format!("{head} {} {}", v.as_f64().unwrap(), t.as_i64().unwrap()), true);
            back.entry(k).or_default().push(s);
        }
    }
    assert_eq!(back.len(), e.series.len());
    for (k, s) in &e.series {
        let mut b = back.get(k).cloned().unwrap_or_default();
        b.sort_by_key(|x| x.0);
        assert_eq!(&b, s, "{k:?}");
    }
}

#[test]
#[cfg_attr(not(sarkit_victoriametrics), ignore = "needs VictoriaMetrics (apt-get install victoria-metrics)")]
fn victoriametrics_imports_the_fixture() {
    import_into_victoriametrics(&fixture());
}

#[test]
#[cfg_attr(not(sarkit_victoriametrics), ignore = "needs VictoriaMetrics (apt-get install victoria-metrics)")]
fn victoriametrics_imports_a_synthetic_recording() {
    let dir = tempfile::tempdir().unwrap();
    import_into_victoriametrics(&synthetic(dir.path()));
}
