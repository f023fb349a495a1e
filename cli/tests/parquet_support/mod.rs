//! What the Parquet tests share: running rsadf, recording synthetic
//! machines through the recorder library (what `rsadc --synthetic
//! --synthetic-host NAME` runs) and reading datasets back with the
//! `parquet` crate's record reader.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use sarkit_format::Compat;
use sarkit_recorder::daily::{record, Clock, Output, RunOptions};
use sarkit_recorder::outfile::FileOptions;
use sarkit_recorder::synthetic::Synthetic;

pub const FIXTURE: &str = "testdata/sa-debian-12.6.1-xall";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(root())
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .expect("the program runs");
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub fn rsadf(args: &[&str]) -> String {
    run(env!("CARGO_BIN_EXE_rsadf"), args)
}

pub fn rsar(args: &[&str]) -> String {
    run(env!("CARGO_BIN_EXE_rsar"), args)
}

/// `rsadc --synthetic --synthetic-host HOST --cpus CPUS --unix-time START
/// INTERVAL COUNT FILE`: every activity, 12.7.9's layouts.
pub fn synthetic_day(file: &Path, host: &str, cpus: u32, start: u64, interval: u64, count: u64) {
    synthetic_day_of(file, host, cpus, start, interval, count, None);
}

/// [`synthetic_day`] of only the activities `only` (`rsadc -S`), if given.
pub fn synthetic_day_of(
    file: &Path,
    host: &str,
    cpus: u32,
    start: u64,
    interval: u64,
    count: u64,
    only: Option<Vec<sarkit_format::ActivityId>>,
) {
    let mut s = Synthetic::new(cpus, 2, 2);
    s.nodename = host.to_string();
    s.only = only;
    let opts = RunOptions {
        file: FileOptions { compat: Compat::Current, ..FileOptions::default() },
        interval,
        count: Some(count),
        clock: Clock::Fixed(start),
        ..RunOptions::default()
    };
    record(&mut s, &Output::File(file.to_path_buf()), &opts, &mut |m| panic!("{m}")).expect("recorded");
}

/// A dataset read back: column names and rows, parts in path order
/// (host, then date), rows in file order.
pub struct Dataset {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Field>>,
}

/// Every dataset under `dir`.
pub fn read_datasets(dir: &Path) -> BTreeMap<String, Dataset> {
    let mut sets = BTreeMap::new();
    for e in std::fs::read_dir(dir).expect("the dataset folder") {
        let ds = e.unwrap().path();
        let mut parts = Vec::new();
        collect_parts(&ds, &mut parts);
        parts.sort();
        let mut d = Dataset { columns: Vec::new(), rows: Vec::new() };
        for p in parts {
            let reader = SerializedFileReader::new(File::open(&p).unwrap()).expect("a Parquet file");
            let schema = reader.metadata().file_metadata().schema_descr();
            let columns: Vec<String> = schema.columns().iter().map(|c| c.name().to_string()).collect();
            if d.columns.is_empty() {
                d.columns = columns.clone();
            }
            assert_eq!(d.columns, columns, "{}", p.display());
            for row in reader.get_row_iter(None).expect("rows") {
                d.rows.push(row.expect("a row").into_columns().into_iter().map(|(_, f)| f).collect());
            }
        }
        sets.insert(ds.file_name().unwrap().to_string_lossy().into_owned(), d);
    }
    sets
}

/// spec/export.md's row for dataset `name`: its columns after `host`,
/// `timestamp` and `interval_s`, typed from its first row.
pub fn spec_row(name: &str, d: &Dataset) -> String {
    let cols: Vec<String> = d.columns[3..]
        .iter()
        .zip(&d.rows[0][3..])
        .map(|(c, f)| match f {
            Field::Double(_) => format!("`{c}` d"),
            Field::ULong(_) => format!("`{c}` u"),
            _ => format!("`{c}`"),
        })
        .collect();
    format!("| `{name}` | {} |", cols.join(", "))
}

/// Whether spec/export.md lists `row`.
pub fn spec_lists(row: &str) -> bool {
    let spec = std::fs::read_to_string(root().join("spec/export.md")).unwrap();
    spec.lines().any(|l| l == row)
}

fn collect_parts(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect_parts(&p, out);
        } else if p.extension().is_some_and(|x| x == "parquet") {
            out.push(p);
        }
    }
}
