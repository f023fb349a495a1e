//! `rsadf --compare`: two groups of synthetic days from different hosts
//! (text and page as golden files), a one-file group's means against
//! `rsar`'s Average lines, and the errors.

mod common;
mod parquet_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use parquet_support::{rsar, synthetic_day, synthetic_day_of};
use sarkit_format::ActivityId;
use sarkit_query::compare::metrics::{Across, Items, METRICS};

const RSADF: &str = env!("CARGO_BIN_EXE_rsadf");

/// An hour at ten-second intervals of synthetic host `host`, in `dir/host`.
fn hour(dir: &Path, host: &str, cpus: u32, start: u64) -> String {
    let d = dir.join(host);
    let host = host.rsplit('/').next().unwrap_or(host);
    std::fs::create_dir_all(&d).unwrap();
    let file = d.join(format!("sa{start}"));
    synthetic_day(&file, host, cpus, start, 10, 360);
    file.to_string_lossy().into_owned()
}

/// `rsadf ARGS` in `dir`, in the C locale and UTC.
fn rsadf_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(RSADF).args(args).current_dir(dir).env("LC_ALL", "C").env("TZ", "GMT").output().unwrap()
}

/// Two cloud hosts (two hours of one, one of the other) against two
/// on-premises ones, of other CPU counts and times of day.
fn fleet(dir: &Path) {
    hour(dir, "cloud/c-1", 4, 1_699_920_000);
    hour(dir, "cloud/c-1", 4, 1_699_923_600);
    hour(dir, "cloud/c-2", 4, 1_699_960_000);
    hour(dir, "onprem/p-1", 8, 1_699_990_000);
    hour(dir, "onprem/p-2", 2, 1_700_010_000);
}

#[test]
fn two_groups_of_hosts_side_by_side() {
    let d = tempfile::tempdir().unwrap();
    fleet(d.path());
    let args =
        ["--compare", "--name-a", "cloud", "--name-b", "onprem", "cloud", "--against", "onprem", "--html", "c.html"];
    let out = rsadf_in(d.path(), &args);
    insta::assert_snapshot!("compare_text", common::transcript(&out));
    let page = std::fs::read_to_string(d.path().join("c.html")).unwrap();
    insta::assert_snapshot!("compare_html", page);

    // The page is well-formed, with one row and one picture per metric.
    let xml = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&page, xml).expect("well-formed XML");
    let count = |tag: &str| doc.descendants().filter(|n| n.tag_name().name() == tag).count();
    assert_eq!((count("tr"), count("svg")), (METRICS.len() + 1, METRICS.len()));
    if cfg!(sarkit_xmllint) {
        let r = Command::new("xmllint").arg("--noout").arg(d.path().join("c.html")).output().unwrap();
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    } else {
        println!("skipped xmllint: not installed");
    }

    // The same files named one by one, in another order: the same report.
    let files = |g: &str| {
        let mut f =
            sarkit_query::sadf::parquet::data_files(&[d.path().join(g).to_string_lossy().into_owned()]).unwrap();
        f.reverse();
        f
    };
    let mut by_file: Vec<String> = vec!["--compare".into(), "--name-a=cloud".into(), "--name-b=onprem".into()];
    by_file.extend(files("cloud"));
    by_file.push("--against".into());
    by_file.extend(files("onprem"));
    let again = rsadf_in(d.path(), &by_file.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(String::from_utf8_lossy(&again.stdout), String::from_utf8_lossy(&out.stdout));
}

/// The report's rows: metric → (A mean, B mean) as printed.
fn means(stdout: &str) -> BTreeMap<String, (String, String)> {
    stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|t| t.len() == 9 && METRICS.iter().any(|m| m.area == t[0]))
        .map(|t| (format!("{} {}", t[0], t[1]), (t[2].to_string(), t[3].to_string())))
        .collect()
}

/// rsar's Average rows: (header, values) of every section.
fn rsar_averages(file: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let text = rsar(&["-u", "ALL", "-r", "ALL", "-S", "-q", "ALL", "-d", "-n", "DEV,ETCP", "-B", "-W", "-f", file]);
    let mut header: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        let t: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if t.len() < 2 {
            continue;
        }
        if t[0] == "Average:" {
            rows.push((header.clone(), t[1..].to_vec()));
        } else if t.last().is_some_and(|w| w.parse::<f64>().is_err()) {
            header = t[1..].to_vec();
        }
    }
    rows
}

#[test]
fn a_one_file_group_means_what_rsar_averages_say() {
    let d = tempfile::tempdir().unwrap();
    let a = hour(d.path(), "db-1", 8, 1_700_000_000);
    let b = hour(d.path(), "web-1", 2, 1_699_950_000);
    let out = rsadf_in(d.path(), &["--compare", &a, "--against", &b]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = means(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(got.len(), METRICS.len());
    let avg = rsar_averages(&a);
    for m in METRICS {
        let mean: f64 = got[&format!("{} {}", m.area, m.col)].0.parse().unwrap();
        // The metric's Average rows: item, value as printed, weight.
        let rows: Vec<(&str, &str, f64)> = avg
            .iter()
            .filter_map(|(h, v)| {
                let k = h.iter().position(|c| c == m.col)?;
                let w = match m.across {
                    Across::Per(w) => v[h.iter().position(|c| c == w)?].parse().unwrap(),
                    _ => 1.0,
                };
                let item = if h[0].chars().all(|c| c.is_ascii_uppercase()) { v[0].as_str() } else { "" };
                Some((item, v[k].as_str(), w))
            })
            .filter(|(item, _, _)| match m.items {
                Items::CpuAll => *item == "all",
                Items::NotLoopback => *item != "lo",
                Items::Machine | Items::Every => true,
            })
            .collect();
        assert!(!rows.is_empty(), "{}: no Average", m.col);
        let num = |t: &str| t.parse::<f64>().unwrap();
        match m.across {
            // One row: the mean is the Average, to its printed precision.
            Across::Only => {
                let want = rows[0].1;
                let places = want.split('.').nth(1).map_or(0, str::len);
                assert_eq!(format!("{mean:.places$}"), want, "{}", m.col);
            }
            // Sums of printed Averages: within their rounding.
            Across::Sum => {
                let sum: f64 = rows.iter().map(|r| num(r.1)).sum();
                assert!((mean - sum).abs() <= 0.005 * rows.len() as f64 + 1e-9, "{}: {mean} against {sum}", m.col);
            }
            Across::Max => {
                let max = rows.iter().map(|r| num(r.1)).fold(0.0, f64::max);
                assert!(mean <= max + 0.005, "{}: the busiest device's mean is at most the largest Average", m.col);
            }
            Across::Per(_) => {
                let (vw, w) = rows.iter().fold((0.0, 0.0), |(a, b), r| (a + num(r.1) * r.2, b + r.2));
                assert!((mean - vw / w).abs() <= 0.01, "{}: {mean} against {}", m.col, vw / w);
            }
        }
    }
}

#[test]
fn a_metric_a_group_lacks_is_shown_as_missing() {
    let d = tempfile::tempdir().unwrap();
    let a = hour(d.path(), "full", 2, 1_700_000_000);
    // Neither pressure nor TCP recorded.
    let lacking = [ActivityId::A_PSI_CPU, ActivityId::A_PSI_IO, ActivityId::A_PSI_MEM, ActivityId::A_NET_ETCP];
    let only = sarkit_format::ACTIVITIES.iter().map(|x| x.id).filter(|id| !lacking.contains(id)).collect();
    let b = d.path().join("partial");
    synthetic_day_of(&b, "partial", 2, 1_700_000_000, 10, 360, Some(only));
    let out = rsadf_in(d.path(), &["--compare", &a, "--against", b.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|t| t.len() == 9 && METRICS.iter().any(|m| m.area == t[0]))
        .collect();
    let missing = METRICS.iter().filter(|m| lacking.contains(&m.activity)).count();
    assert_eq!(missing, 6);
    // The same machine otherwise: every difference is 0, and the six come last.
    for (k, t) in rows.iter().enumerate() {
        if k < METRICS.len() - missing {
            assert_eq!((t[4], t[2] == t[3]), ("+0.0%", true), "{t:?}");
        } else {
            assert!(lacking.contains(&METRICS.iter().find(|m| m.col == t[1]).unwrap().activity), "{t:?}");
            assert_eq!([t[3], t[4], t[6], t[8]], ["-"; 4], "{t:?}");
            assert_ne!(t[2], "-");
        }
    }
    assert!(text.contains("\n-: not in the group's files\n"), "{text}");
}

#[test]
fn errors_say_what_is_wrong() {
    let d = tempfile::tempdir().unwrap();
    let a = hour(d.path(), "h", 2, 1_700_000_000);
    std::fs::create_dir(d.path().join("empty")).unwrap();
    std::fs::write(d.path().join("garbage"), b"not a data file at all, no").unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("empty_group", &["--compare", "--name-b", "onprem", &a, "--against", "empty"]),
        ("no_file_named", &["--compare", &a, "--against"]),
        ("missing_file", &["--compare", &a, "--against", "no-such-file"]),
        ("not_a_data_file", &["--compare", "garbage", "--against", &a]),
        ("no_against", &["--compare", &a]),
        ("unknown_option", &["--compare", "-d", &a, "--against", &a]),
        ("page_not_writable", &["--compare", &a, "--against", &a, "--html", "no/such/folder/c.html"]),
    ];
    let mut all = String::new();
    for (name, args) in cases {
        let out = rsadf_in(d.path(), args);
        assert_ne!(out.status.code(), Some(0), "{name}");
        assert!(out.stdout.is_empty(), "{name}: no report");
        let t = common::transcript(&out).replace(d.path().to_str().unwrap(), "DIR").replace(RSADF, "rsadf");
        all.push_str(&format!("== {name}\n{t}"));
    }
    insta::assert_snapshot!("compare_errors", all);
}
