//! `rsadf --parquet OUTDIR FILE...`: one Parquet dataset per activity,
//! partitioned the Hive way, `OUTDIR/DATASET/host=H/date=D/part.parquet`,
//! so that DuckDB, Spark, ClickHouse or Polars read a fleet's files as one
//! table per activity (`spec/export.md`, `docs/fleet.md`).
//!
//! The rows are those sadf `-d` prints: each report's
//! [`Report::values`](crate::sar::report::Report::values) feeds a
//! [`RowSink`] here as it feeds the `-d` printer, over the same walk
//! ([`crate::walk`]), so the two agree by construction; a double is kept
//! as `-d` prints it (the printed decimal read back, [`super::fixed`]),
//! which is also what compresses. Every dataset always has its
//! full set of columns and items (as `-u ALL -P ALL` and `-r ALL`), so its
//! schema does not depend on the command line; the activity flags after
//! `--` only choose the datasets (all of them without any).

pub mod naming;
pub mod part;

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::export;
use super::options::Options as SadfOptions;
use crate::sar::report::values::{Item, Meta, RowSink, Val};
use crate::sar::report::Report;
use crate::walk::{Clock, Cursor, Dating, Fail, Interval, Pass, Selection, Sink, Structure, Walk};
use part::{ColKind, Part, Schema};

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Data files read.
    pub files: usize,
    /// Part files written, in the order they were finished.
    pub parts: Vec<PathBuf>,
    pub rows: u64,
    /// Values in the value columns (rows times value columns).
    pub values: u64,
}

/// The data files named by `inputs`: files as they are, folders searched
/// (recursively, in name order) for files that start with sysstat's or
/// zstd's magic.
pub fn data_files(inputs: &[String]) -> io::Result<Vec<String>> {
    fn looks_like_data(p: &Path) -> bool {
        let mut magic = [0u8; 4];
        match fs::File::open(p).and_then(|mut f| f.read_exact(&mut magic)) {
            Ok(()) => {
                matches!(magic, [0x96, 0xd5, ..] | [0xd5, 0x96, ..] | [0x28, 0xb5, 0x2f, 0xfd])
                    || magic[..] == sarkit_format::archive::ARCHIVE_MAGIC[..4]
            }
            Err(_) => false,
        }
    }
    fn walk(dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read {}: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if looks_like_data(&p) {
                out.push(p.to_string_lossy().into_owned());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for i in inputs {
        if Path::new(i).is_dir() {
            walk(Path::new(i), &mut out)?;
        } else {
            out.push(i.clone());
        }
    }
    Ok(out)
}

/// A host's folder name, `host=H`: characters other than letters, digits,
/// `.`, `_` and `-` are written `%XX`, as Hive escapes partition values.
fn host_dir(host: &[u8]) -> String {
    let mut s = String::from("host=");
    for &b in host {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// `date=YYYY-MM-DD` of a day number since 1970-01-01 (UTC).
fn date_dir(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("date={y:04}-{m:02}-{d:02}")
}

/// One host's open parts, by dataset and UTC day.
type HostParts = HashMap<(&'static str, i64), Part>;

/// Every open part of an export.
struct Parts {
    out_dir: PathBuf,
    by_host: HashMap<Vec<u8>, HostParts>,
    rows: u64,
}

impl Parts {
    fn flush(&mut self) -> io::Result<()> {
        self.by_host.values_mut().flat_map(|h| h.values_mut()).try_for_each(Part::flush)
    }

    /// Finish every part, in path order.
    fn finish(self, summary: &mut Summary) -> io::Result<()> {
        let mut all: Vec<Part> = self.by_host.into_values().flat_map(|h| h.into_values()).collect();
        all.sort_by(|a, b| a.path().cmp(b.path()));
        let mut first_err = None;
        for p in all {
            if first_err.is_some() {
                p.abandon();
                continue;
            }
            summary.values += p.value_count;
            match p.finish() {
                Ok(path) => summary.parts.push(path),
                Err(e) => first_err = Some(e),
            }
        }
        summary.rows = self.rows;
        first_err.map_or(Ok(()), Err)
    }

    fn abandon(self) {
        self.by_host.into_values().flat_map(|h| h.into_values()).for_each(Part::abandon);
    }
}

/// The walk's sink for one data file (one host).
struct ToParts<'p> {
    out_dir: &'p Path,
    host: &'p [u8],
    host_dir: String,
    parts: &'p mut HostParts,
    rows: u64,
    /// [`Rows`]' item buffers, kept from one interval to the next.
    name: Vec<u8>,
    cpu: Vec<u8>,
}

impl Sink for ToParts<'_> {
    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        // sadf -d's interval: hundredths of a second, rounded to seconds.
        let dt = (iv.itv + 50) / 100;
        let range = match pass {
            Pass::One(i) => i..i + 1,
            Pass::All => 0..reports.len(),
        };
        for ri in range {
            let Some(r) = reports.get_mut(ri) else { continue };
            if r.nr(iv.curr) <= 0 {
                continue;
            }
            let outs = r.outputs();
            for m in (0..8).map(|b| 1u32 << b).filter(|m| outs & m != 0) {
                r.set_output(m);
                let Some(meta) = r.meta() else { continue };
                let dataset = naming::dataset_name(r.id(), m);
                let mut rows = Rows {
                    out_dir: self.out_dir,
                    host: self.host,
                    host_dir: &self.host_dir,
                    parts: Some(&mut *self.parts),
                    part: None,
                    dataset,
                    meta,
                    epoch: iv.time.epoch,
                    dt: dt as i64,
                    rows: 0,
                    name: std::mem::take(&mut self.name),
                    cpu: std::mem::take(&mut self.cpu),
                };
                let res = r.values(iv.prev, iv.curr, iv.itv, &mut rows);
                self.rows += rows.rows;
                (self.name, self.cpu) = (rows.name, rows.cpu);
                if let Err(e) = res {
                    r.set_output(outs);
                    return Err(Fail::Io(e));
                }
            }
            r.set_output(outs);
        }
        Ok(true)
    }
}

/// One activity's rows of one interval, into its part.
struct Rows<'a> {
    out_dir: &'a Path,
    host: &'a [u8],
    host_dir: &'a str,
    /// The host's parts, until this activity's is found or made.
    parts: Option<&'a mut HostParts>,
    part: Option<&'a mut Part>,
    dataset: &'static str,
    meta: &'static Meta,
    epoch: i64,
    dt: i64,
    rows: u64,
    /// The item's text, and the CPU's (interrupts).
    name: Vec<u8>,
    cpu: Vec<u8>,
}

/// An item as the item column holds it: `all` or the CPU number, the
/// device's number or its name.
fn item_text(item: Item<'_>, buf: &mut Vec<u8>) {
    buf.clear();
    let mut n = itoa::Buffer::new();
    match item {
        Item::None => {}
        Item::Cpu(0) => buf.extend_from_slice(b"all"),
        Item::Cpu(i) => buf.extend_from_slice(n.format(i - 1).as_bytes()),
        Item::Num(_, v) => buf.extend_from_slice(n.format(v).as_bytes()),
        Item::Name(name) => buf.extend_from_slice(name),
    }
}

impl Rows<'_> {
    /// The part of this activity for the interval's UTC day, started with
    /// `schema()` if it is new.
    fn part(&mut self, schema: impl FnOnce() -> Schema) -> io::Result<&mut Part> {
        if self.part.is_none() {
            let parts = self.parts.take().ok_or_else(|| io::Error::other("no parts"))?;
            let key = (self.dataset, self.epoch.div_euclid(86_400));
            let part = match parts.entry(key) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let path =
                        self.out_dir.join(self.dataset).join(self.host_dir).join(date_dir(key.1)).join("part.parquet");
                    e.insert(Part::create(&path, self.host, schema())?)
                }
            };
            self.part = Some(part);
        }
        self.part.as_deref_mut().ok_or_else(|| io::Error::other("no part"))
    }
}

impl RowSink for Rows<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let m = self.meta;
        let vals = &vals[..vals.len().min(m.dp().len())];
        let has_item = !m.item_hdr.is_empty();
        let schema = || Schema {
            items: if has_item { vec![naming::column_name(m.item_hdr)] } else { Vec::new() },
            values: m.dp().iter().zip(vals).map(|(c, v)| (naming::column_name(c.hdr), ColKind::of(v))).collect(),
        };
        let mut name = std::mem::take(&mut self.name);
        item_text(item, &mut name);
        let (epoch, dt) = (self.epoch, self.dt);
        let items: &[&[u8]] = if has_item { &[&name] } else { &[] };
        let r = self.part(schema).and_then(|p| p.push(epoch, dt, items, vals));
        self.name = name;
        self.rows += 1;
        r
    }

    /// Interrupts: one row per interrupt and CPU (`intr`, `cpu`, `intr_per_s`).
    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        let (mut name, mut cpu) = (std::mem::take(&mut self.name), std::mem::take(&mut self.cpu));
        item_text(item, &mut name);
        let kind = vals.first().map_or(ColKind::Double, ColKind::of);
        let item_hdr = self.meta.item_hdr;
        let schema = || Schema {
            items: vec![naming::column_name(item_hdr), "cpu".into()],
            values: vec![("intr_per_s".into(), kind)],
        };
        let (epoch, dt) = (self.epoch, self.dt);
        let r = self.part(schema).and_then(|part| {
            for (&c, v) in cpus.iter().zip(vals) {
                item_text(Item::Cpu(c), &mut cpu);
                part.push(epoch, dt, &[&name, &cpu], std::slice::from_ref(v))?;
            }
            Ok(())
        });
        self.rows += cpus.len().min(vals.len()) as u64;
        (self.name, self.cpu) = (name, cpu);
        r
    }
}

/// Export `inputs` (files and folders, each file read on its own) into
/// `out_dir`. Messages about a file go to `err` and the export goes on
/// with the next; the status is the first file's failure, else 0. An
/// error writing the dataset stops the export (`Err`), leaving no
/// unfinished part behind.
pub fn run(o: &SadfOptions, out_dir: &Path, inputs: &[String], err: &mut dyn Write) -> io::Result<(i32, Summary)> {
    fs::create_dir_all(out_dir)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot create {}: {e}", out_dir.display())))?;
    let files = data_files(inputs)?;
    let mut parts = Parts { out_dir: out_dir.to_path_buf(), by_host: HashMap::new(), rows: 0 };
    let mut summary = Summary::default();
    let mut status = 0;
    for file in &files {
        match export_file(o, file, &mut parts, err) {
            Ok(0) => summary.files += 1,
            Ok(code) => {
                summary.files += 1;
                if status == 0 {
                    status = code;
                }
            }
            Err(e) => {
                parts.abandon();
                return Err(e);
            }
        }
        if let Err(e) = parts.flush() {
            parts.abandon();
            return Err(e);
        }
    }
    parts.finish(&mut summary)?;
    Ok((status, summary))
}

/// One data file into the open parts; returns sadf's status for it.
fn export_file(o: &SadfOptions, file: &str, parts: &mut Parts, err: &mut dyn Write) -> io::Result<i32> {
    let mut fo = o.clone();
    // Each input is exported on its own: the other inputs and a day range
    // are the caller's list, not one stream.
    fo.file = Some(file.to_string());
    fo.more_files.clear();
    fo.from_day = None;
    fo.to_day = None;
    if fo.sar_args.is_empty() {
        fo.sar_args.push("-A".into());
    }
    let (paths, f, mut so) = match export::open(&fo, err)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    // Every dataset has its full columns and every CPU.
    so.cpu_all = true;
    so.mem_all = true;
    so.cpu_bitmap.iter_mut().for_each(|b| *b = !0);

    let mut reports: Vec<Box<dyn Report>> = Vec::new();
    for (_, report) in crate::registry::selected_reports(&f.info, &so) {
        reports.extend(report.filter(|r| r.meta().is_some()));
    }
    let host = super::printers::cstr(&f.info.header.sa_nodename).to_vec();
    let sel = Selection { interval: so.interval, count: so.count, start: so.tm_start, end: so.tm_end };
    let clock = Clock { utc: true, recorder: false };
    let host_parts = parts.by_host.entry(host.clone()).or_default();
    let mut sink = ToParts {
        out_dir: &parts.out_dir,
        host: &host,
        host_dir: host_dir(&host),
        parts: host_parts,
        rows: 0,
        name: Vec::new(),
        cpu: Vec::new(),
    };
    let mut walk = Walk::new(&mut reports, sel, clock, Dating::Sadf, Structure::AllReports);
    let path = paths[0].clone();
    let r = walk.run(Cursor::chain(paths, f), &mut sink);
    parts.rows += sink.rows;
    match r {
        Ok(()) => Ok(0),
        Err(Fail::Io(e)) => Err(e),
        Err(fail) => {
            let Some((e, name)) = fail.sa_error(&path) else { return Ok(0) };
            if e.kind() == sarkit_format::SysstatKind::SilentStop {
                return Ok(0);
            }
            let (msg, code) = e.sysstat_report(name);
            err.write_all(msg.as_bytes())?;
            Ok(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_folders() {
        assert_eq!(date_dir(0), "date=1970-01-01");
        assert_eq!(date_dir(1_699_920_000 / 86_400), "date=2023-11-14");
        assert_eq!(date_dir(-1), "date=1969-12-31");
        assert_eq!(date_dir(11_016), "date=2000-02-29");
        assert_eq!(host_dir(b"web-1.example"), "host=web-1.example");
        assert_eq!(host_dir(b"a/b c"), "host=a%2Fb%20c");
    }

    #[test]
    fn folders_are_searched_for_data_files() {
        let d = tempfile::tempdir().unwrap();
        let sub = d.path().join("h1");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("sa01"), [0x96, 0xd5, 0, 0, 1]).unwrap();
        fs::write(sub.join("sa02.zst"), [0x28, 0xb5, 0x2f, 0xfd, 0]).unwrap();
        fs::write(sub.join("sa03.sarc"), sarkit_format::archive::ARCHIVE_MAGIC).unwrap();
        fs::write(sub.join("notes.txt"), b"hello").unwrap();
        let files = data_files(&[d.path().to_string_lossy().into_owned(), "x".into()]).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.rsplit('/').next().unwrap()).collect();
        assert_eq!(names, ["sa01", "sa02.zst", "sa03.sarc", "x"]);
    }

    #[test]
    fn an_unwritable_folder_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("plain");
        fs::write(&file, b"").unwrap();
        let o = SadfOptions::default();
        let e = run(&o, &file.join("out"), &[], &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("cannot create"), "{e}");
    }
}
