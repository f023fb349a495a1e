//! `rsadf --parquet`: every value of every dataset, read back with the
//! `parquet` crate's reader, is `rsadf -d`'s field for field (a double is
//! the decimal `-d` prints), every row once, for the Debian fixture and
//! for a synthetic recording of every activity the synthetic machine has.

mod parquet_support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use parquet::record::Field;
use parquet_support::{read_datasets, rsadf, synthetic_day, Dataset, FIXTURE};
use sarkit_query::sadf::parquet::naming::column_name;

/// `rsadf -d`'s option sets: `-A`, then sets that each cover whole
/// datasets (every item) on their own.
const OPTION_SETS: &[&[&str]] = &[
    &["-A"],
    &["-u", "ALL", "-P", "ALL"],
    &["-r", "ALL", "-S"],
    &["-n", "ALL", "-P", "ALL"],
    &["-I", "ALL", "-P", "ALL"],
    &["-m", "ALL", "-P", "ALL"],
    &["-q", "ALL"],
    &["-bBdFHvwWy"],
];

fn utc_text(micros: i64) -> String {
    let t = chrono::DateTime::from_timestamp(micros.div_euclid(1_000_000), 0).expect("a valid time");
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Whether a Parquet value is what `-d` prints as `text`: a double is the
/// printed decimal read back (the nearest `f64`), so it also prints so.
fn same(text: &str, f: &Field) -> bool {
    match f {
        Field::Double(x) => {
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            let back: f64 = text.parse().unwrap_or(f64::NAN);
            format!("{x:.decimals$}") == text && (back.to_bits() == x.to_bits() || back.is_nan() && x.is_nan())
        }
        Field::ULong(x) => x.to_string() == text,
        Field::Long(x) => x.to_string() == text,
        Field::Str(s) => s == text,
        other => panic!("unexpected Parquet value {other:?}"),
    }
}

/// The dataset a `-d` field list belongs to.
fn dataset_of<'d>(fields: &[&str], sets: &'d BTreeMap<String, Dataset>) -> &'d str {
    if fields == ["INTR", "CPU*"] {
        return "interrupts";
    }
    let mut want: Vec<String> = fields.iter().map(|f| column_name(f)).collect();
    want.sort();
    for (name, d) in sets {
        let mut have: Vec<String> = d.columns[3..].to_vec();
        have.sort();
        if have == want {
            return name;
        }
    }
    panic!("no dataset has the columns {fields:?}");
}

/// A row's key: its time as `-d` prints it, its item (or "" for an
/// activity without items, which has one row a time) and, for interrupts,
/// its CPU. Rows have no order in a dataset (parts are written series by
/// series), so rows are found by key.
type Key = (String, String, String);

fn key_of(row: &[Field], interrupts: bool) -> Key {
    let text = |f: Option<&Field>| match f {
        Some(Field::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let time = match row[1] {
        Field::TimestampMicros(t) => utc_text(t),
        ref other => panic!("timestamp is {other:?}"),
    };
    (time, text(row.get(3)), if interrupts { text(row.get(4)) } else { String::new() })
}

/// A dataset's rows by key; a key appears once.
fn index(name: &str, d: &Dataset) -> HashMap<Key, usize> {
    let mut ix = HashMap::new();
    for (i, row) in d.rows.iter().enumerate() {
        let k = key_of(row, name == "interrupts");
        assert!(ix.insert(k.clone(), i).is_none(), "{name}: two rows for {k:?}");
    }
    ix
}

/// Compare `rsadf -d FILE -- OPTS` with the datasets; returns the
/// datasets it covered (each to its last row).
fn compare(file: &str, opts: &[&str], sets: &BTreeMap<String, Dataset>) -> Vec<String> {
    let mut args = vec!["-d", file, "--"];
    args.extend_from_slice(opts);
    let out = rsadf(&args);
    let mut indexes: BTreeMap<&str, HashMap<Key, usize>> = BTreeMap::new();
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    let mut current: Option<&str> = None;
    let mut lines = 0usize;
    for line in out.lines() {
        if let Some(h) = line.strip_prefix("# hostname;interval;timestamp;") {
            current = Some(dataset_of(&h.split(';').collect::<Vec<_>>(), sets));
            continue;
        }
        let f: Vec<&str> = line.split(';').collect();
        if f.get(1) == Some(&"-1") {
            continue; // LINUX-RESTART
        }
        let name = current.unwrap_or_else(|| panic!("a row before any field list: {line}"));
        let d = &sets[name];
        let ix = indexes.entry(name).or_insert_with(|| index(name, d));
        let where_ = || format!("{opts:?} {name}: {line}");
        let mut take = |item: &str, cpu: &str| {
            let k = (f[2].to_string(), item.to_string(), cpu.to_string());
            let at = ix.remove(&k).unwrap_or_else(|| panic!("no row (or two -d lines) for {k:?}: {}", where_()));
            *found.entry(name).or_insert(0) += 1;
            let row = &d.rows[at];
            assert_eq!(row[0], Field::Str(f[0].to_string()), "host: {}", where_());
            assert_eq!(row[2], Field::Long(f[1].parse().unwrap()), "interval: {}", where_());
            row
        };
        if name == "interrupts" {
            // INTR, then one value per CPU shown (all, 0, 1...): one row each.
            for (k, v) in f[4..].iter().enumerate() {
                let cpu = if k == 0 { "all".to_string() } else { (k - 1).to_string() };
                let row = take(f[3], &cpu);
                assert!(same(v, &row[5]), "{v} vs {:?}: {}", row[5], where_());
            }
        } else {
            let has_item = matches!(d.rows[0].get(3), Some(Field::Str(_)));
            let item = if !has_item {
                ""
            } else if d.columns[3] == "cpu" && f[3] == "-1" {
                "all"
            } else {
                f[3]
            };
            let row = take(item, "");
            assert_eq!(row.len(), f.len(), "field count: {}", where_());
            for (k, (text, v)) in f[3..].iter().zip(&row[3..]).enumerate() {
                let text = if k == 0 && d.columns[3] == "cpu" && *text == "-1" { "all" } else { text };
                assert!(same(text, v), "{} = {v:?}, -d prints {text}: {}", d.columns[3 + k], where_());
            }
        }
        lines += 1;
    }
    assert!(lines > 0, "{opts:?}: no rows");
    for (name, &n) in &found {
        assert_eq!(n, sets[*name].rows.len(), "{opts:?}: {name} has rows -d does not print");
    }
    found.keys().map(|s| s.to_string()).collect()
}

fn check_every_activity(file: &str) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ds");
    rsadf(&["--parquet", dir.to_str().unwrap(), file, "--", "-A"]);
    let sets = read_datasets(&dir);
    for (name, d) in &sets {
        let mut cols = d.columns.clone();
        cols.sort();
        cols.dedup();
        assert_eq!(cols.len(), d.columns.len(), "{name}: column names repeat: {:?}", d.columns);
        assert_eq!(d.columns[..3], ["host", "timestamp", "interval_s"], "{name}");
        assert!(!d.rows.is_empty(), "{name}");
    }
    let mut covered = Vec::new();
    for opts in OPTION_SETS {
        let c = compare(file, opts, &sets);
        if *opts == ["-A"] {
            covered = c;
        }
    }
    let all: Vec<String> = sets.keys().cloned().collect();
    assert_eq!(covered, all, "-A covers every dataset");
    all
}

#[test]
fn every_value_of_the_fixture_equals_sadf_d() {
    let sets = check_every_activity(FIXTURE);
    assert!(sets.len() >= 30, "{sets:?}");
}

#[test]
fn every_value_of_a_synthetic_recording_equals_sadf_d() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("sa");
    synthetic_day(&file, "synth", 4, 1_699_920_000, 10, 30);
    let sets = check_every_activity(file.to_str().unwrap());
    // Every activity the synthetic machine has: all 43, memory twice (-r, -S).
    assert_eq!(sets.len(), 44, "{sets:?}");
}

/// spec/export.md's table of datasets is what the files hold.
#[test]
fn the_spec_lists_every_dataset_as_written() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("sa");
    synthetic_day(&file, "synth", 2, 1_699_920_000, 10, 3);
    let dir = d.path().join("ds");
    rsadf(&["--parquet", dir.to_str().unwrap(), file.to_str().unwrap()]);
    for (name, d) in read_datasets(&dir) {
        let line = parquet_support::spec_row(&name, &d);
        assert!(parquet_support::spec_lists(&line), "spec/export.md lacks\n{line}");
    }
}

#[test]
fn a_partition_written_again_is_replaced_and_days_split_at_utc_midnight() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("sa");
    // 23:50 to 00:10 UTC: two dates.
    synthetic_day(&file, "edge", 2, 1_699_919_400, 60, 20);
    let dir = d.path().join("ds");
    for _ in 0..2 {
        rsadf(&["--parquet", dir.to_str().unwrap(), file.to_str().unwrap(), "--", "-u"]);
    }
    let mut parts: Vec<String> =
        walk(&dir).iter().map(|p| p.strip_prefix(&dir).unwrap().display().to_string()).collect();
    parts.sort();
    assert_eq!(parts, ["cpu/host=edge/date=2023-11-13/part.parquet", "cpu/host=edge/date=2023-11-14/part.parquet"]);
    let sets = read_datasets(&dir);
    assert_eq!(sets["cpu"].rows.len(), 19 * 3, "19 intervals of all + 2 CPUs, once");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn an_unwritable_outdir_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let blocker = d.path().join("file");
    std::fs::write(&blocker, b"").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rsadf"))
        .args(["--parquet", blocker.join("out").to_str().unwrap(), FIXTURE])
        .current_dir(parquet_support::root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("rsadf: --parquet ") && err.contains("cannot create"), "{err}");
}

/// Several files are one stream for -d, -p, -j, -x, -r and -g (cli/tests/many_days.rs);
/// the one-file modes refuse them.
#[test]
fn several_files_for_a_one_file_mode_are_a_usage_error() {
    for mode in ["-H", "-c"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rsadf"))
            .args([mode, FIXTURE, FIXTURE])
            .current_dir(parquet_support::root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{mode}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("reads one file"), "{mode}");
    }
}
