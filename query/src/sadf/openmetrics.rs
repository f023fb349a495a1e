//! `rsadf --openmetrics FILE... -- ACTIVITIES`: the files' statistics as
//! one OpenMetrics text exposition, for `promtool tsdb create-blocks-from
//! openmetrics` (Prometheus backfill) and VictoriaMetrics'
//! `/api/v1/import/prometheus`. `spec/export.md` ("OpenMetrics") is the
//! contract; this module is its only implementation.
//!
//! Why it is built this way:
//! - **Two sources per interval.** Counters are the raw cumulative values
//!   sadf `-r` prints ([`Report::raw`]'s `prev`/`curr` pairs), so they
//!   equal `-r` by construction; gauges are the values sadf `-d` prints
//!   ([`Report::values`]). A `-d` column that is a plain counter rate
//!   (`delta / interval`, [`plain_rate`]) is left to its counter, which
//!   `rate()` turns back into it; every other `-d` column is a gauge.
//! - **One activity at a time.** OpenMetrics wants each metric family's
//!   samples together, and promtool each series in time order. So the
//!   files are walked once per activity, its series are kept in memory
//!   (16 bytes a sample), written family by family and dropped before the
//!   next activity. Memory follows the largest activity, not the file.
//! - **The walk is sadf's** ([`crate::walk`], `-d`'s record selection), so
//!   `-s`, `-e` and the interval select the same records as `-d`.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use sarkit_format::{ActivityId, SaFile};

use super::export::{open, ACT_ORDER};
use super::options::Options as SadfOptions;
use crate::sar::report::raw::Raw;
use crate::sar::report::values::{Item, Meta, RowSink, Val};
use crate::sar::report::Report;
use crate::walk::{Clock, Cursor, Dating, Fail, Interval, Pass, Selection, Sink, Structure, Walk};

/// Run the export over the options' file and [`SadfOptions::more_files`];
/// returns the exit status. Only a failure to write `out` is an error;
/// a bad file gets sysstat's message on `err` and its status, and the
/// output then lacks its `# EOF`.
pub fn run(o: &SadfOptions, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    // Every file is opened first, so that a missing one fails before output.
    let mut files: Vec<FileJob> = Vec::new();
    let names: Vec<Option<String>> =
        std::iter::once(o.file.clone()).chain(o.more_files.iter().cloned().map(Some)).collect();
    for name in names {
        let fo = SadfOptions { file: name, more_files: Vec::new(), from_day: None, to_day: None, ..o.clone() };
        let (paths, f, so) = match open(&fo, err)? {
            Ok(opened) => opened,
            Err(code) => return Ok(code),
        };
        // One file in, one path out: the other names are this loop's.
        let path = paths[0].clone();
        let mut acts = Vec::new();
        for (fa, report) in crate::registry::selected_reports(&f.info, &so) {
            let id = ActivityId(fa.id);
            match report {
                Some(r) if r.meta().is_some() => acts.push((id, fa.nr as i64, fa.nr2 as i64)),
                _ => {
                    writeln!(err, "rsadf: --openmetrics of {} is not implemented yet", crate::registry::flag_of(id))?;
                    return Ok(1);
                }
            }
        }
        let host = String::from_utf8_lossy(cstr(&f.info.header.sa_nodename)).into_owned();
        files.push(FileJob { path, so, acts, host });
    }

    let sel_of = |so: &crate::sar::options::Options| Selection {
        interval: so.interval,
        count: so.count,
        start: so.tm_start,
        end: so.tm_end,
    };
    let clock = Clock { utc: true, recorder: false };
    for &act in ACT_ORDER {
        let id = ActivityId(act);
        if !files.iter().any(|j| j.acts.iter().any(|a| a.0 == id)) {
            continue;
        }
        let mut acc = Families::default();
        for job in &files {
            let Some(&(_, nr, nr2)) = job.acts.iter().find(|a| a.0 == id) else { continue };
            let Some(report) = crate::registry::make_report(id, &job.so, nr, nr2) else { continue };
            let f = match SaFile::open_with(&job.path, crate::open_options()) {
                Ok(f) => f,
                Err(e) => {
                    let (msg, code) = e.sysstat_report(&job.path);
                    err.write_all(msg.as_bytes())?;
                    return Ok(code);
                }
            };
            let mut reports = vec![report];
            let sel = sel_of(&job.so);
            let mut walk = Walk::new(&mut reports, sel, clock, Dating::Sadf, Structure::PerOutput);
            let mut sink = Collector { acc: &mut acc, host: &job.host, raw: Vec::new() };
            match walk.run(Cursor::new(&job.path, f), &mut sink) {
                Ok(()) => {}
                Err(Fail::Io(e)) => return Err(e),
                Err(fail) => {
                    let Some((e, name)) = fail.sa_error(&job.path) else { continue };
                    if e.kind() == sarkit_format::SysstatKind::SilentStop {
                        continue;
                    }
                    acc.write(out)?;
                    out.flush()?;
                    let (msg, code) = e.sysstat_report(name);
                    err.write_all(msg.as_bytes())?;
                    return Ok(code);
                }
            }
        }
        acc.write(out)?;
    }
    out.write_all(b"# EOF\n")?;
    Ok(0)
}

/// One input file, opened and checked.
struct FileJob {
    path: String,
    so: crate::sar::options::Options,
    /// Its exportable activities: id and the header's item counts.
    acts: Vec<(ActivityId, i64, i64)>,
    /// The `host` label: the file header's node name.
    host: String,
}

fn cstr(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

/// How a family's values are stored and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A raw counter (`u64`), printed as an integer, named `..._total`.
    Counter,
    /// A `-d` value printed as `%.2f` (stored as `f64` bits).
    GaugeF2,
    /// A `-d` value printed as `%.0f`.
    GaugeF0,
    /// A `-d` count or size (`u64`).
    GaugeU,
}

/// One metric family and its series.
struct Family {
    /// The family name (for a counter, without `_total`).
    name: String,
    help: String,
    unit: Option<&'static str>,
    kind: Kind,
    /// Rendered label set (`{host="a",cpu="0"}`) to samples `(seconds, value)`.
    series: HashMap<String, Vec<(i64, u64)>>,
}

/// The families of one activity, in the order first seen.
#[derive(Default)]
struct Families {
    fams: Vec<Family>,
    /// `tag \0 column` (gauges) or `tag \x01 field` (counters) to family.
    index: HashMap<String, usize>,
    key: String,
}

impl Families {
    /// The family for `kind` and column or field `col` of activity `meta`,
    /// created on first use.
    fn family(&mut self, meta: &Meta, col: &str, kind: Kind) -> usize {
        self.key.clear();
        self.key.push_str(meta.tag);
        self.key.push(if kind == Kind::Counter { '\x01' } else { '\0' });
        self.key.push_str(col);
        if let Some(&i) = self.index.get(self.key.as_str()) {
            return i;
        }
        let act = metric_name(meta.tag);
        let (name, unit, help) = if kind == Kind::Counter {
            let base = metric_name(rate_base(col));
            (
                format!("sarkit_{act}_{base}"),
                None,
                format!("Cumulative counter {col} of {} (the raw value sadf -r prints).", meta.tag),
            )
        } else {
            let unit = unit_of(col);
            let suffix = unit.map_or(String::new(), |u| format!("_{u}"));
            (
                format!("sarkit_{act}_{}{suffix}", metric_name(col)),
                unit,
                format!("{col} of {}, as sadf -d prints it.", meta.tag),
            )
        };
        let i = self.fams.len();
        self.fams.push(Family { name, help, unit, kind, series: HashMap::new() });
        self.index.insert(self.key.clone(), i);
        i
    }

    fn series(&mut self, fam: usize, labels: &str) -> &mut Vec<(i64, u64)> {
        let s = &mut self.fams[fam].series;
        if !s.contains_key(labels) {
            s.insert(labels.to_string(), Vec::new());
        }
        s.get_mut(labels).expect("inserted above")
    }

    /// Write every family: `# TYPE`, `# UNIT`, `# HELP`, then each series
    /// (sorted by labels) in time order. A counter whose name a gauge of
    /// the same activity already has is renamed `..._raw`.
    fn write(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let gauges: HashSet<String> =
            self.fams.iter().filter(|f| f.kind != Kind::Counter).map(|f| f.name.clone()).collect();
        let mut line = Vec::with_capacity(1 << 16);
        for f in &mut self.fams {
            if f.kind == Kind::Counter && gauges.contains(&f.name) {
                f.name.push_str("_raw");
            }
            let ty = if f.kind == Kind::Counter { "counter" } else { "gauge" };
            writeln!(out, "# TYPE {} {ty}", f.name)?;
            if let Some(u) = f.unit {
                writeln!(out, "# UNIT {} {u}", f.name)?;
            }
            writeln!(out, "# HELP {} {}", f.name, escape_help(&f.help))?;
            let sample_name = if f.kind == Kind::Counter { format!("{}_total", f.name) } else { f.name.clone() };
            let mut keys: Vec<&String> = f.series.keys().collect();
            keys.sort();
            for k in keys {
                let Some(samples) = f.series.get(k) else { continue };
                let sorted;
                let samples: &[(i64, u64)] = if samples.windows(2).all(|w| w[0].0 < w[1].0) {
                    samples
                } else {
                    // Files given out of order: time order, one sample a second.
                    let mut s = samples.clone();
                    s.sort_by_key(|s| s.0);
                    s.dedup_by_key(|s| s.0);
                    sorted = s;
                    &sorted
                };
                for &(t, v) in samples {
                    line.extend_from_slice(sample_name.as_bytes());
                    line.extend_from_slice(k.as_bytes());
                    line.push(b' ');
                    write_value(&mut line, f.kind, v);
                    line.push(b' ');
                    let _ = write!(line, "{t}");
                    line.push(b'\n');
                    if line.len() > (1 << 16) - 512 {
                        out.write_all(&line)?;
                        line.clear();
                    }
                }
            }
            out.write_all(&line)?;
            line.clear();
        }
        self.fams.clear();
        self.index.clear();
        Ok(())
    }
}

/// A value as OpenMetrics text: integers as they are, floats as sadf `-d`
/// prints them (`%.2f`, `%.0f`); non-finite values as `NaN`, `+Inf`, `-Inf`.
fn write_value(line: &mut Vec<u8>, kind: Kind, v: u64) {
    let x = f64::from_bits(v);
    let _ = match kind {
        Kind::Counter | Kind::GaugeU => write!(line, "{v}"),
        _ if x.is_nan() => write!(line, "NaN"),
        _ if x.is_infinite() => write!(line, "{}", if x > 0.0 { "+Inf" } else { "-Inf" }),
        Kind::GaugeF2 => write!(line, "{x:.2}"),
        Kind::GaugeF0 => write!(line, "{x:.0}"),
    };
}

fn escape_help(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A label value, escaped as OpenMetrics wants (`\\`, `\"`, `\n`).
fn push_label(out: &mut String, name: &str, value: &str) {
    if out.len() > 1 {
        out.push(',');
    }
    out.push_str(name);
    out.push_str("=\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A sar name as a metric name part: lower case, `%` as `pct_`, `/s` as
/// `_per_s`, any other character outside `[a-z0-9]` as `_`, runs of `_`
/// as one, none at either end (`%user` is `pct_user`, `rxkB/s` is
/// `rxkb_per_s`, `ldavg-1` is `ldavg_1`, `cpu-load` is `cpu_load`).
pub fn metric_name(sar: &str) -> String {
    let mut s = String::with_capacity(sar.len() + 8);
    let mut rest = sar;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("/s") {
            s.push_str("_per_s");
            rest = r;
            continue;
        }
        let c = rest.chars().next().unwrap_or('_');
        rest = &rest[c.len_utf8()..];
        match c {
            '%' => s.push_str("pct_"),
            c if c.is_ascii_alphanumeric() => s.push(c.to_ascii_lowercase()),
            _ => s.push('_'),
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A counter's name part from its sadf `-r` field: without `/s` (a
/// counter is a count, not a rate) and without a leading `%` (CPU ticks,
/// stall microseconds); the per-CPU interrupt counts (`CPU*`) are `intr`.
fn rate_base(field: &str) -> &str {
    if field == "CPU*" {
        return "intr";
    }
    let f = field.strip_suffix("/s").unwrap_or(field);
    f.strip_prefix('%').unwrap_or(f)
}

/// The OpenMetrics unit of a gauge, from sar's name: `kb...` sizes are
/// `kilobytes`, `MB...` sizes `megabytes`; the unit is also the name's
/// suffix, as OpenMetrics requires.
fn unit_of(col: &str) -> Option<&'static str> {
    if col.contains("/s") {
        None
    } else if col.starts_with("kb") {
        Some("kilobytes")
    } else if col.starts_with("MB") {
        Some("megabytes")
    } else {
        None
    }
}

/// Whether `-d` column `hdr` (printed as `%.2f`) is a plain counter rate:
/// the difference of the `-r` field of the same name over the interval,
/// per second. Those are exported as the counter only; `rate()` gives
/// the column back. Not plain: percentages (of ticks), and kB and MB
/// rates, whose `-r` fields count bytes or sectors.
/// `cli/tests/rsadf_openmetrics.rs` checks the rule on every activity.
pub fn plain_rate(hdr: &str) -> bool {
    if hdr == "CPU*" {
        return true;
    }
    let rate = hdr.ends_with("/s") || matches!(hdr, "tps" | "rtps" | "wtps" | "dtps");
    rate && !hdr.starts_with('%') && !hdr.contains("kB") && !hdr.contains("MB")
}

/// The label naming an activity's item, from sar's item header: `cpu`,
/// `iface`, `intr`; `device` for disks, serial lines, filesystems and
/// Fibre Channel hosts; otherwise the header in lower case (`fan`,
/// `temp`, `in`, `bus`).
pub fn item_label(meta: &Meta, item: Item<'_>) -> String {
    match meta.item_hdr {
        "CPU" => "cpu".into(),
        "IFACE" => "iface".into(),
        "INTR" => "intr".into(),
        "DEV" | "TTY" | "FILESYSTEM" | "FCHOST" => "device".into(),
        "" => match item {
            Item::Num(p, _) => metric_name(p),
            Item::Cpu(_) => "cpu".into(),
            _ => "item".into(),
        },
        h => metric_name(h),
    }
}

fn item_value(item: Item<'_>) -> Option<String> {
    match item {
        Item::None => None,
        Item::Cpu(0) => Some("all".into()),
        Item::Cpu(i) => Some((i - 1).to_string()),
        Item::Num(_, n) => Some(n.to_string()),
        Item::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
    }
}

/// sadf `-r`'s item fields, whose value names the row's item.
const RAW_ITEM_KEYS: &[&str] =
    &["CPU", "TTY", "DEV", "IFACE", "FCHOST", "INTR", "FILESYSTEM", "BUS", "FAN", "TEMP", "IN"];

/// One counter of a `-r` row.
#[derive(Debug, PartialEq, Eq)]
struct RawPair<'a> {
    field: &'a str,
    /// For a per-CPU field (`all`, `CPU3`), the CPU label.
    cpu: Option<String>,
    prev: u64,
    curr: u64,
}

/// A sadf `-r` row (after its time): the item it is about and its counters
/// (fields followed by two integers). Single values are levels, which
/// the gauges carry.
fn parse_raw_row(row: &str) -> (Option<String>, Vec<RawPair<'_>>) {
    let toks: Vec<&str> = row.trim_end().trim_end_matches(';').split("; ").collect();
    let numeric = |t: &str| t.parse::<f64>().is_ok();
    let mut item = None;
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let name = toks[i];
        let a = toks.get(i + 1).copied();
        let b = toks.get(i + 2).copied();
        if let (Some(Ok(p)), Some(Ok(c))) = (a.map(str::parse::<u64>), b.map(str::parse::<u64>)) {
            let cpu = if name == "all" {
                Some("all".to_string())
            } else {
                name.strip_prefix("CPU")
                    .filter(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
                    .map(String::from)
            };
            let field = if cpu.is_some() { "CPU*" } else { name };
            pairs.push(RawPair { field, cpu, prev: p, curr: c });
            i += 3;
            continue;
        }
        match a {
            Some(v) if RAW_ITEM_KEYS.contains(&name) && item.is_none() => {
                let v = v.trim_matches('"');
                item = Some(if name == "CPU" && v == "-1" { "all".to_string() } else { v.to_string() });
                i += 2;
            }
            Some(v) if numeric(v) || !numeric(name) => i += 2,
            _ => i += 1,
        }
    }
    (item, pairs)
}

/// The walk's sink: one activity's intervals into [`Families`].
struct Collector<'a> {
    acc: &'a mut Families,
    host: &'a str,
    /// The interval's `-r` rows.
    raw: Vec<u8>,
}

impl Sink for Collector<'_> {
    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        let ri = match pass {
            Pass::One(i) => i,
            Pass::All => 0,
        };
        let Some(r) = reports.get_mut(ri) else { return Ok(true) };
        if r.nr(iv.curr) <= 0 {
            return Ok(true);
        }
        let Some(meta) = r.meta() else { return Ok(true) };
        let (t, tp) = (iv.hdr.ust_time as i64, iv.prev_hdr.ust_time as i64);
        let mut fields: HashSet<String> = HashSet::new();
        if r.has_raw() {
            self.raw.clear();
            {
                let mut raw = Raw::new(&mut self.raw, b"");
                r.raw(iv.prev, iv.curr, &mut raw)?;
            }
            let text = String::from_utf8_lossy(&self.raw);
            let mut labels = String::new();
            for line in text.lines() {
                let row = line.strip_prefix("; ").unwrap_or(line);
                let (item, pairs) = parse_raw_row(row);
                for p in pairs {
                    if !fields.contains(p.field) {
                        fields.insert(p.field.to_string());
                    }
                    labels.clear();
                    labels.push('{');
                    push_label(&mut labels, "host", self.host);
                    if let Some(v) = &item {
                        let name = item_label(meta, Item::Name(b""));
                        push_label(&mut labels, &name, v);
                    }
                    if let Some(c) = &p.cpu {
                        push_label(&mut labels, "cpu", c);
                    }
                    labels.push('}');
                    let fam = self.acc.family(meta, p.field, Kind::Counter);
                    let s = self.acc.series(fam, &labels);
                    if s.last().is_none_or(|l| l.0 < tp) && tp < t {
                        s.push((tp, p.prev));
                    }
                    if s.last().is_none_or(|l| l.0 < t) {
                        s.push((t, p.curr));
                    }
                }
            }
        }
        let mut g = Gauges { acc: self.acc, meta, host: self.host, t, counters: &fields, labels: String::new() };
        r.values(iv.prev, iv.curr, iv.itv, &mut g)?;
        Ok(true)
    }
}

/// The `-d` rows of an interval into gauge families.
struct Gauges<'a> {
    acc: &'a mut Families,
    meta: &'static Meta,
    host: &'a str,
    t: i64,
    /// The interval's `-r` fields: counters that stand for the plain rates
    /// of the same names.
    counters: &'a HashSet<String>,
    labels: String,
}

impl Gauges<'_> {
    fn start_labels(&mut self, item: Item<'_>, vals: &[Val<'_>]) {
        self.labels.clear();
        self.labels.push('{');
        push_label(&mut self.labels, "host", self.host);
        if let Some(v) = item_value(item) {
            push_label(&mut self.labels, &item_label(self.meta, item), &v);
        }
        // Text columns (a sensor's device, a USB product) label the row.
        for (col, v) in self.meta.dp().iter().zip(vals) {
            if let Val::S(s) = v {
                push_label(&mut self.labels, &metric_name(col.hdr), &String::from_utf8_lossy(s));
            }
        }
    }

    fn push(&mut self, col: &str, v: &Val<'_>, labels: &str) {
        let (kind, bits) = match *v {
            Val::F(x) => (Kind::GaugeF2, x.to_bits()),
            Val::R(x) => (Kind::GaugeF0, x.to_bits()),
            Val::U(x) => (Kind::GaugeU, x),
            Val::S(_) => return,
        };
        if kind == Kind::GaugeF2 && plain_rate(col) && self.counters.contains(col) {
            return;
        }
        let fam = self.acc.family(self.meta, col, kind);
        let s = self.acc.series(fam, labels);
        if s.last().is_none_or(|l| l.0 < self.t) {
            s.push((self.t, bits));
        }
    }
}

impl RowSink for Gauges<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        self.start_labels(item, vals);
        self.labels.push('}');
        let labels = std::mem::take(&mut self.labels);
        for (col, v) in self.meta.dp().iter().zip(vals) {
            self.push(col.hdr, v, &labels);
        }
        self.labels = labels;
        Ok(())
    }

    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        let Some(col) = self.meta.dp().first() else { return Ok(()) };
        self.start_labels(item, &[]);
        let base = std::mem::take(&mut self.labels);
        let mut labels = String::new();
        for (&cpu, v) in cpus.iter().zip(vals) {
            labels.clear();
            labels.push_str(&base);
            let c = item_value(Item::Cpu(cpu)).unwrap_or_default();
            push_label(&mut labels, "cpu", &c);
            labels.push('}');
            self.push(col.hdr, v, &labels);
        }
        self.labels = base;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_sar() {
        assert_eq!(metric_name("%user"), "pct_user");
        assert_eq!(metric_name("rxkB/s"), "rxkb_per_s");
        assert_eq!(metric_name("ldavg-1"), "ldavg_1");
        assert_eq!(metric_name("cpu-load"), "cpu_load");
        assert_eq!(metric_name("%scpu-10"), "pct_scpu_10");
        assert_eq!(metric_name("1x"), "_1x");
        assert_eq!(rate_base("cswch/s"), "cswch");
        assert_eq!(rate_base("%usr"), "usr");
        assert_eq!(unit_of("kbmemfree"), Some("kilobytes"));
        assert_eq!(unit_of("rxkB/s"), None);
    }

    #[test]
    fn plain_rates() {
        assert!(plain_rate("cswch/s"));
        assert!(plain_rate("tps"));
        assert!(!plain_rate("rxkB/s"));
        assert!(!plain_rate("%user"));
        assert!(!plain_rate("aqu-sz"));
    }

    #[test]
    fn raw_rows_parse() {
        let (item, pairs) = parse_raw_row("CPU; -1; %usr; 1; 2; %nice; 0; 0;");
        assert_eq!(item.as_deref(), Some("all"));
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0], RawPair { field: "%usr", cpu: None, prev: 1, curr: 2 });
        let (item, pairs) = parse_raw_row("major; 8; minor; 0; DEV; sda; tps; 5; 7; aqu-sz; 1; 2;");
        assert_eq!(item.as_deref(), Some("sda"));
        assert_eq!(pairs.iter().map(|p| p.field).collect::<Vec<_>>(), ["tps", "aqu-sz"]);
        let (item, pairs) = parse_raw_row("INTR; sum; all; 10; 20; CPU0; 4; 9;");
        assert_eq!(item.as_deref(), Some("sum"));
        assert_eq!(pairs[1], RawPair { field: "CPU*", cpu: Some("0".into()), prev: 4, curr: 9 });
        let (item, pairs) = parse_raw_row("kbmemfree; 5; kbavail; 6;");
        assert_eq!((item, pairs.len()), (None, 0));
        let (item, _) = parse_raw_row("FILESYSTEM; \"/dev/vda\"; f_bfree; 2;");
        assert_eq!(item.as_deref(), Some("/dev/vda"));
    }

    #[test]
    fn values_print_as_sadf_d() {
        let mut l = Vec::new();
        write_value(&mut l, Kind::GaugeF2, 1.005f64.to_bits());
        l.push(b' ');
        write_value(&mut l, Kind::GaugeF2, f64::INFINITY.to_bits());
        l.push(b' ');
        write_value(&mut l, Kind::Counter, 42);
        assert_eq!(String::from_utf8(l).unwrap(), "1.00 +Inf 42");
    }

    #[test]
    fn labels_escape() {
        let mut s = String::from("{");
        push_label(&mut s, "device", "a\"b\\c");
        push_label(&mut s, "cpu", "0");
        assert_eq!(s, "{device=\"a\\\"b\\\\c\",cpu=\"0\"");
    }
}
