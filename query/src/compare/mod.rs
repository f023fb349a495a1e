//! `rsadf --compare A... --against B...`: two groups of data files (cloud
//! nodes against on-premises ones, last week against this one) side by
//! side: for each key metric of CPU, memory, load, disk, network, paging
//! and pressure ([`metrics::METRICS`]), each group's mean, p95 and
//! maximum, sorted by how much the means differ; as text, and as an HTML
//! page with inline SVG bars ([`page`]).
//!
//! Why it is built this way:
//! - **The values are sar's.** Every file is walked as sadf `-d` walks it
//!   ([`crate::walk`]) and each interval's values are the report's
//!   [`values`](crate::sar::report::Report::values), so one interval here
//!   is one line of `sar`, and a one-file group's mean is `rsar`'s Average
//!   line (`cli/tests/rsadf_compare.rs` checks it).
//! - **A group is a pool of intervals.** Files may be of any hosts and
//!   days; every interval of every file is one sample. The mean weighs
//!   each by its length, which for rates and CPU shares is exactly sar's
//!   Average, whatever the intervals, and for levels (memory, load) equals
//!   it when the intervals are equal, as a recording's are; `await` is
//!   weighted by I/Os instead, which is sar's Average too. p95 and max are
//!   of the intervals' values, unweighted. p95 is by nearest rank, a value
//!   some interval had (DuckDB's `quantile_disc`): interpolating would
//!   land on ties between printed decimals, which engines break
//!   differently.
//! - **The difference** is `(B − A) / max(|A|, |B|)` of the means: signed,
//!   within ±100 %, the same either way round, and 0 when both are 0. Rows
//!   are sorted by its size; a metric one group lacks comes last, shown as
//!   `-`, never as 0.
//! - **Memory**: every sample is kept (8 bytes per interval and metric)
//!   for the exact p95. A handful of nodes' days is megabytes; a fleet
//!   belongs in DuckDB over the Parquet export (`docs/fleet.md` has this
//!   comparison as SQL, and `cli/tests/fleet_duckdb.rs` checks that the
//!   two agree).

pub mod collect;
pub mod metrics;
pub mod page;

use std::io::{self, Write};

use collect::{Group, Samples};
use metrics::{Metric, AREA_NOTES, METRICS};

/// The arguments are refused: print [`usage`] and exit 1 (sadf's own).
pub use crate::sadf::UsageError;

/// The command line of `rsadf --compare`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The groups' names, A's then B's.
    pub names: [String; 2],
    /// Each group's files and folders, as named.
    pub inputs: [Vec<String>; 2],
    /// `--html FILE`: the page as well.
    pub html: Option<String>,
    /// argv[0], for messages; set by the binary.
    pub progname: String,
}

/// Whether an rsadf command line is a comparison's.
pub fn requested<S: AsRef<str>>(args: &[S]) -> bool {
    args.iter().map(AsRef::as_ref).take_while(|a| *a != "--").any(|a| a == "--compare")
}

/// The usage text, for stderr.
pub fn usage(progname: &str) -> String {
    format!(
        "Usage: {progname} --compare [ --name-a <name> ] [ --name-b <name> ] [ --html <file> ]\n\
         \x20      <file|folder>... --against <file|folder>...\n"
    )
}

/// Parse rsadf's arguments (without the program name) for `--compare`.
pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<Options, UsageError> {
    let mut o = Options { names: ["A".into(), "B".into()], ..Options::default() };
    let mut group = 0;
    let mut seen_compare = false;
    let mut it = args.iter().map(AsRef::as_ref);
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (a, None),
        };
        let mut value = || inline.or_else(|| it.next()).filter(|v| !v.is_empty()).map(str::to_string).ok_or(UsageError);
        match flag {
            "--compare" if inline.is_none() && !seen_compare => seen_compare = true,
            "--against" if inline.is_none() && group == 0 => group = 1,
            "--name-a" => o.names[0] = value()?,
            "--name-b" => o.names[1] = value()?,
            "--html" => o.html = Some(value()?),
            _ if a.starts_with('-') && a != "-" => return Err(UsageError),
            _ => o.inputs[group].push(a.to_string()),
        }
    }
    if !seen_compare || group == 0 || o.names[0] == o.names[1] {
        return Err(UsageError);
    }
    Ok(o)
}

/// A group's mean, p95 and maximum of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub mean: f64,
    pub p95: f64,
    pub max: f64,
}

/// The `pct` percentile of sorted `v` by nearest rank: the smallest value
/// that at least `pct` % of the values do not exceed, the value of rank
/// ⌈pct × n / 100⌉ (DuckDB's `quantile_disc`); `None` for no values.
/// Integer arithmetic, so that 95 % of 20 values is the 19th exactly.
pub fn nearest_rank(v: &[f64], pct: usize) -> Option<f64> {
    let rank = (pct.min(100) * v.len()).div_ceil(100);
    v.get(rank.max(1) - 1).copied()
}

impl Stat {
    /// `None` when the group has no value of the metric.
    pub fn of(s: &mut Samples) -> Option<Stat> {
        s.values.sort_by(f64::total_cmp);
        let max = *s.values.last()?;
        let mean = if s.weight > 0.0 { s.weighted / s.weight } else { 0.0 };
        Some(Stat { mean, p95: nearest_rank(&s.values, 95)?, max })
    }
}

/// One metric of both groups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub metric: &'static Metric,
    pub stats: [Option<Stat>; 2],
}

impl Row {
    /// `(B − A) / max(|A|, |B|)` of the means; `None` if a group lacks the
    /// metric.
    pub fn diff(&self) -> Option<f64> {
        let (a, b) = (self.stats[0]?.mean, self.stats[1]?.mean);
        let scale = a.abs().max(b.abs());
        Some(if scale > 0.0 { (b - a) / scale } else { 0.0 })
    }
}

/// What a group is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub name: String,
    pub files: usize,
    pub hosts: Vec<String>,
    pub intervals: u64,
}

impl Side {
    /// `cloud: 2 files from 2 hosts (web-1, web-2), 718 intervals`.
    pub fn describe(&self) -> String {
        let plural = |n: usize, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
        format!(
            "{}: {} from {} ({}), {} intervals",
            self.name,
            plural(self.files, "file"),
            plural(self.hosts.len(), "host"),
            self.hosts.join(", "),
            self.intervals
        )
    }
}

/// The report: both groups and their rows, sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub sides: [Side; 2],
    pub rows: Vec<Row>,
}

impl Comparison {
    /// Compare two groups read by [`collect::group`].
    pub fn new(names: &[String; 2], groups: [Group; 2]) -> Comparison {
        let [mut a, mut b] = groups;
        let mut rows: Vec<Row> = METRICS
            .iter()
            .zip(a.samples.iter_mut().zip(b.samples.iter_mut()))
            .map(|(metric, (sa, sb))| Row { metric, stats: [Stat::of(sa), Stat::of(sb)] })
            .collect();
        // Largest difference first; a missing metric last (stable: table order otherwise).
        rows.sort_by(|x, y| match (x.diff(), y.diff()) {
            (Some(dx), Some(dy)) => dy.abs().total_cmp(&dx.abs()),
            (dx, dy) => dx.is_none().cmp(&dy.is_none()),
        });
        let side = |name: &String, g: Group| Side {
            name: name.clone(),
            files: g.files,
            hosts: g.hosts,
            intervals: g.intervals,
        };
        Comparison { sides: [side(&names[0], a), side(&names[1], b)], rows }
    }

    /// The notes under the table: how the numbers are made.
    pub fn notes(&self) -> Vec<String> {
        let [a, b] = [&self.sides[0].name, &self.sides[1].name];
        let mut notes = vec![
            "mean: weighted by interval length (await: by I/O); p95: by nearest rank over the intervals".into(),
            format!("diff: ({b} - {a}) / max(|{a}|, |{b}|) of the means; rows sorted by its size"),
        ];
        notes.extend(AREA_NOTES.iter().map(|(area, note)| format!("{area}: {note}")));
        if self.rows.iter().any(|r| r.diff().is_none()) {
            notes.push("-: not in the group's files".into());
        }
        notes
    }
}

/// A value as the report prints it: `%.2f`.
pub fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" {
        "0.00".into()
    } else {
        s
    }
}

/// A difference as the report prints it: `+12.3%`.
pub fn percent(d: f64) -> String {
    format!("{:+.1}%", d * 100.0)
}

/// The table's cells, header first: area, metric, then each group's mean,
/// the difference, each group's p95 and each group's max.
pub fn cells(c: &Comparison) -> Vec<Vec<String>> {
    let [a, b] = [&c.sides[0].name, &c.sides[1].name];
    let mut out = vec![vec![
        "area".to_string(),
        "metric".to_string(),
        format!("{a} mean"),
        format!("{b} mean"),
        "diff".to_string(),
        format!("{a} p95"),
        format!("{b} p95"),
        format!("{a} max"),
        format!("{b} max"),
    ]];
    for r in &c.rows {
        let get = |k: usize, f: fn(&Stat) -> f64| r.stats[k].as_ref().map_or_else(|| "-".to_string(), |s| number(f(s)));
        out.push(vec![
            r.metric.area.to_string(),
            r.metric.col.to_string(),
            get(0, |s| s.mean),
            get(1, |s| s.mean),
            r.diff().map_or_else(|| "-".to_string(), percent),
            get(0, |s| s.p95),
            get(1, |s| s.p95),
            get(0, |s| s.max),
            get(1, |s| s.max),
        ]);
    }
    out
}

/// The text report: the groups, the table (names left, numbers right,
/// two spaces apart) and the notes.
pub fn write_text(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    for s in &c.sides {
        writeln!(out, "{}", s.describe())?;
    }
    writeln!(out)?;
    let cells = cells(c);
    let ncols = cells[0].len();
    let widths: Vec<usize> =
        (0..ncols).map(|k| cells.iter().map(|r| r[k].chars().count()).max().unwrap_or(0)).collect();
    for row in &cells {
        let mut line = String::new();
        for (k, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if k > 0 {
                line.push_str("  ");
            }
            if k < 2 {
                line.push_str(&format!("{cell:<w$}"));
            } else {
                line.push_str(&format!("{cell:>w$}"));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out)?;
    for n in c.notes() {
        writeln!(out, "{n}")?;
    }
    Ok(())
}

/// Run a comparison: the text on `out`, the page into `o.html` if named;
/// returns the exit status. Messages about the files go to `err`; only a
/// failure to write is an error.
pub fn run(o: &Options, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let prog = if o.progname.is_empty() { "rsadf" } else { o.progname.as_str() };
    let sadf = crate::sadf::Options { progname: prog.to_string(), ..crate::sadf::Options::default() };
    let mut groups = Vec::with_capacity(2);
    for (name, inputs) in o.names.iter().zip(&o.inputs) {
        let files = match crate::sadf::parquet::data_files(inputs) {
            Ok(f) => f,
            Err(e) => {
                writeln!(err, "{prog}: --compare: {e}")?;
                return Ok(2);
            }
        };
        if files.is_empty() {
            let named = if inputs.is_empty() { "none named".to_string() } else { inputs.join(", ") };
            writeln!(err, "{prog}: --compare: no data file in group {name} ({named})")?;
            return Ok(1);
        }
        match collect::group(&sadf, &files, err)? {
            Ok(g) => groups.push(g),
            Err(code) => return Ok(code),
        }
    }
    let (Some(b), Some(a)) = (groups.pop(), groups.pop()) else { return Ok(1) };
    let c = Comparison::new(&o.names, [a, b]);
    if let Some(path) = &o.html {
        let written = std::fs::File::create(path).and_then(|f| {
            let mut w = io::BufWriter::new(f);
            page::write_html(&c, &mut w)?;
            w.flush()
        });
        if let Err(e) = written {
            writeln!(err, "{prog}: --html {path}: {e}")?;
            return Ok(2);
        }
    }
    write_text(&c, out)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line() {
        let o = parse(&[
            "--compare",
            "--name-a",
            "cloud",
            "a",
            "b/",
            "--against",
            "c",
            "--name-b=onprem",
            "--html",
            "x.html",
        ])
        .unwrap();
        assert_eq!(o.names, ["cloud".to_string(), "onprem".to_string()]);
        assert_eq!(o.inputs, [vec!["a".to_string(), "b/".to_string()], vec!["c".to_string()]]);
        assert_eq!(o.html.as_deref(), Some("x.html"));
        assert_eq!(parse(&["--compare", "a", "--against"]).unwrap().inputs[1], Vec::<String>::new());
        assert_eq!(parse(&["--compare", "a"]), Err(UsageError), "no --against");
        assert_eq!(parse(&["a", "--against", "b"]), Err(UsageError), "no --compare");
        assert_eq!(parse(&["--compare", "a", "--against", "b", "--against", "c"]), Err(UsageError));
        assert_eq!(parse(&["--compare", "-d", "a", "--against", "b"]), Err(UsageError));
        assert_eq!(parse(&["--compare", "a", "--against", "b", "--html"]), Err(UsageError));
        assert_eq!(parse(&["--compare", "--name-a", "B", "a", "--against", "b"]), Err(UsageError), "same names");
        assert!(requested(&["-d", "--compare"]) && !requested(&["-d", "--", "--compare"]));
    }

    #[test]
    fn percentiles_are_nearest_ranks() {
        let upto = |n: u32| (1..=n).map(f64::from).collect::<Vec<_>>();
        // What DuckDB's quantile_disc(x, 0.95) gives over 1..=n.
        for (n, want) in [(1, 1.0), (2, 2.0), (19, 19.0), (20, 19.0), (21, 20.0), (100, 95.0), (718, 683.0)] {
            assert_eq!(nearest_rank(&upto(n), 95), Some(want), "{n}");
        }
        assert_eq!(nearest_rank(&upto(10), 100), Some(10.0));
        assert_eq!(nearest_rank(&upto(10), 0), Some(1.0));
        assert_eq!(nearest_rank(&[], 95), None);
    }

    #[test]
    fn stats_weigh_the_mean_and_not_the_rest() {
        let mut s = Samples { values: vec![4.0, 1.0], weighted: 4.0 * 3.0 + 1.0, weight: 4.0 };
        assert_eq!(Stat::of(&mut s), Some(Stat { mean: 3.25, p95: 4.0, max: 4.0 }));
        assert_eq!(Stat::of(&mut Samples::default()), None);
    }

    #[test]
    fn differences_are_relative_to_the_larger_and_missing_rows_come_last() {
        let st = |mean| Some(Stat { mean, p95: mean, max: mean });
        let row = |a, b| Row { metric: &METRICS[0], stats: [a, b] };
        assert_eq!(row(st(1.0), st(4.0)).diff(), Some(0.75));
        assert_eq!(row(st(4.0), st(1.0)).diff(), Some(-0.75));
        assert_eq!(row(st(0.0), st(0.0)).diff(), Some(0.0));
        assert_eq!(row(None, st(1.0)).diff(), None);
        assert_eq!((percent(0.75), percent(-0.0004), number(-0.001)), ("+75.0%".into(), "-0.0%".into(), "0.00".into()));

        let mut groups = [Group::default(), Group::default()];
        for g in &mut groups {
            g.samples = vec![Samples::default(); METRICS.len()];
        }
        let put = |g: &mut Group, k: usize, v: f64| g.samples[k].push(v, 1.0);
        put(&mut groups[0], 0, 10.0);
        put(&mut groups[1], 0, 11.0);
        put(&mut groups[0], 1, 10.0);
        put(&mut groups[1], 1, 5.0);
        put(&mut groups[0], 2, 1.0);
        let c = Comparison::new(&["a".into(), "b".into()], groups);
        let order: Vec<&str> = c.rows.iter().map(|r| r.metric.col).collect();
        assert_eq!(order[..3], [METRICS[1].col, METRICS[0].col, METRICS[2].col]);
        assert!(c.rows[2].stats[1].is_none() && c.rows[3].stats == [None, None]);
    }
}
