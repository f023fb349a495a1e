//! One group's samples: every interval of every file, walked as sadf `-d`
//! walks a file ([`crate::walk`]), each interval's rows turned into one
//! value per metric ([`super::metrics`]).

use std::io::{self, Write};

use super::metrics::{Across, Items, Metric, METRICS};
use crate::sadf::options::Options as SadfOptions;
use crate::sar::report::values::{Item, RowSink, Val};
use crate::sar::report::Report;
use crate::walk::{Clock, Cursor, Dating, Fail, Interval, Pass, Selection, Sink, Structure, Walk};

/// A metric's values over a group: one per interval that had its rows.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    pub values: Vec<f64>,
    /// Σ value × weight and Σ weight, for the weighted mean.
    pub weighted: f64,
    pub weight: f64,
}

impl Samples {
    pub(crate) fn push(&mut self, v: f64, w: f64) {
        self.values.push(v);
        self.weighted += v * w;
        self.weight += w;
    }
}

/// What a group's files hold.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub files: usize,
    /// The hosts, sorted, each once.
    pub hosts: Vec<String>,
    /// Intervals walked, over every file.
    pub intervals: u64,
    /// One per [`METRICS`] entry.
    pub samples: Vec<Samples>,
}

/// The activity flags that select every metric's activity, for sar's
/// option parser (each activity once, in table order).
fn sar_args() -> Vec<String> {
    let mut ids = Vec::new();
    for mt in METRICS {
        if !ids.contains(&mt.activity) {
            ids.push(mt.activity);
        }
    }
    ids.into_iter()
        .flat_map(|id| crate::registry::flag_of(id).split(' ').map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Read `files` into one group. `Err` is the exit status, once sysstat's
/// message for the file is on `err`.
pub fn group(o: &SadfOptions, files: &[String], err: &mut dyn Write) -> io::Result<Result<Group, i32>> {
    let mut g = Group { samples: vec![Samples::default(); METRICS.len()], ..Group::default() };
    for file in files {
        if let Err(code) = add_file(o, file, &mut g, err)? {
            return Ok(Err(code));
        }
    }
    g.hosts.sort();
    g.hosts.dedup();
    Ok(Ok(g))
}

/// Where one metric's column is in its report's rows.
#[derive(Debug, Clone, Copy)]
struct Target {
    metric: usize,
    col: usize,
    /// The weight column of [`Across::Per`].
    per: Option<usize>,
}

/// One report's outputs and, for each, the metrics it answers.
struct Plan {
    outputs: Vec<(u32, Vec<Target>)>,
}

fn plan(r: &mut dyn Report) -> Plan {
    let all = r.outputs();
    let mut outputs = Vec::new();
    for mask in (0..8).map(|b| 1u32 << b).filter(|m| all & m != 0) {
        r.set_output(mask);
        let Some(meta) = r.meta() else { continue };
        let find = |name: &str| meta.dp().iter().position(|c| c.hdr == name);
        let targets: Vec<Target> = METRICS
            .iter()
            .enumerate()
            .filter(|(_, mt)| mt.activity == r.id() && mt.output == mask)
            .filter_map(|(metric, mt)| {
                let per = match mt.across {
                    Across::Per(w) => Some(find(w)?),
                    _ => None,
                };
                Some(Target { metric, col: find(mt.col)?, per })
            })
            .collect();
        if !targets.is_empty() {
            outputs.push((mask, targets));
        }
    }
    r.set_output(all);
    Plan { outputs }
}

fn add_file(o: &SadfOptions, file: &str, g: &mut Group, err: &mut dyn Write) -> io::Result<Result<(), i32>> {
    let fo = SadfOptions { file: Some(file.to_string()), sar_args: sar_args(), ..o.clone() };
    let (paths, f, mut so) = match crate::sadf::export::open(&fo, err)? {
        Ok(opened) => opened,
        Err(code) => return Ok(Err(code)),
    };
    // `-u ALL`'s shares, `-r ALL` and `-S`: every metric's column.
    so.cpu_all = true;
    so.mem_all = true;
    so.mem_swap = true;
    let mut reports: Vec<Box<dyn Report>> = Vec::new();
    let mut plans = Vec::new();
    for (_, report) in crate::registry::selected_reports(&f.info, &so) {
        if let Some(mut r) = report {
            let p = plan(r.as_mut());
            if !p.outputs.is_empty() {
                reports.push(r);
                plans.push(p);
            }
        }
    }
    g.files += 1;
    g.hosts.push(crate::files::nodename(&f.info));
    let sel = Selection { interval: so.interval, count: so.count, start: so.tm_start, end: so.tm_end };
    let mut sink = ToSamples { plans: &plans, group: g };
    let mut walk =
        Walk::new(&mut reports, sel, Clock { utc: true, recorder: false }, Dating::Sadf, Structure::AllReports);
    let path = paths[0].clone();
    match walk.run(Cursor::chain(paths, f), &mut sink) {
        Ok(()) => Ok(Ok(())),
        Err(Fail::Io(e)) => Err(e),
        Err(fail) => {
            let Some((e, name)) = fail.sa_error(&path) else { return Ok(Ok(())) };
            if e.kind() == sarkit_format::SysstatKind::SilentStop {
                return Ok(Ok(()));
            }
            let (msg, code) = e.sysstat_report(name);
            err.write_all(msg.as_bytes())?;
            Ok(Err(code))
        }
    }
}

/// The walk's sink: each interval's rows into the group's samples.
struct ToSamples<'a> {
    plans: &'a [Plan],
    group: &'a mut Group,
}

impl Sink for ToSamples<'_> {
    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        self.group.intervals += 1;
        let itv = iv.itv as f64;
        for ri in pass.reports(reports.len()) {
            let (r, plan) = (&mut reports[ri], &self.plans[ri]);
            if r.nr(iv.curr) <= 0 {
                continue;
            }
            let all = r.outputs();
            for (mask, targets) in &plan.outputs {
                r.set_output(*mask);
                let mut rows = Rows { targets, acc: vec![Acc::default(); targets.len()] };
                let res = r.values(iv.prev, iv.curr, iv.itv, &mut rows);
                if let Err(e) = res {
                    r.set_output(all);
                    return Err(Fail::Io(e));
                }
                for (t, a) in targets.iter().zip(&rows.acc) {
                    if let Some((v, w)) = a.value(&METRICS[t.metric], itv) {
                        self.group.samples[t.metric].push(v, w);
                    }
                }
            }
            r.set_output(all);
        }
        Ok(true)
    }
}

/// One metric's rows of one interval, combined as they come.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    rows: u32,
    sum: f64,
    max: f64,
    /// Σ value × row weight and Σ row weight, for [`Across::Per`].
    per_sum: f64,
    per_weight: f64,
}

impl Acc {
    /// A row's value `v` and, for [`Across::Per`], its weight.
    fn add(&mut self, v: f64, per: Option<f64>) {
        self.max = if self.rows == 0 { v } else { self.max.max(v) };
        self.rows += 1;
        self.sum += v;
        if let Some(w) = per {
            self.per_sum += v * w;
            self.per_weight += w;
        }
    }

    /// The interval's value and its weight in the mean, if a row counted.
    fn value(&self, mt: &Metric, itv: f64) -> Option<(f64, f64)> {
        if self.rows == 0 {
            return None;
        }
        Some(match mt.across {
            Across::Only | Across::Sum => (self.sum, itv),
            Across::Max => (self.max, itv),
            Across::Per(_) if self.per_weight > 0.0 => (self.per_sum / self.per_weight, self.per_weight * itv),
            Across::Per(_) => (0.0, 0.0),
        })
    }
}

struct Rows<'t> {
    targets: &'t [Target],
    acc: Vec<Acc>,
}

fn counts(items: Items, item: Item<'_>) -> bool {
    match items {
        Items::Machine => item == Item::None,
        Items::CpuAll => item == Item::Cpu(0),
        Items::Every => true,
        Items::NotLoopback => item != Item::Name(b"lo"),
    }
}

impl RowSink for Rows<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        for (t, a) in self.targets.iter().zip(self.acc.iter_mut()) {
            let mt = &METRICS[t.metric];
            let Some(v) = vals.get(t.col).map(Val::num) else { continue };
            if !counts(mt.items, item) {
                continue;
            }
            a.add(v, t.per.and_then(|k| vals.get(k)).map(Val::num));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_select_each_activity_once() {
        let args = sar_args();
        assert_eq!(args.iter().filter(|a| *a == "-u").count(), 1);
        assert!(args.windows(2).any(|w| w == ["-n", "DEV"]), "{args:?}");
        assert!(args.windows(2).any(|w| w == ["-q", "MEM"]), "{args:?}");
    }

    #[test]
    fn rows_combine_as_the_table_says() {
        let m = |across| Metric { across, ..METRICS[0] };
        let acc = |vals: &[(f64, f64)]| {
            let mut a = Acc::default();
            for &(v, w) in vals {
                a.add(v, Some(w));
            }
            a
        };
        let rows = acc(&[(2.0, 10.0), (4.0, 30.0)]);
        assert_eq!(rows.value(&m(Across::Sum), 100.0), Some((6.0, 100.0)));
        assert_eq!(rows.value(&m(Across::Max), 100.0), Some((4.0, 100.0)));
        assert_eq!(rows.value(&m(Across::Per("tps")), 100.0), Some((3.5, 4000.0)));
        assert_eq!(acc(&[(0.0, 0.0)]).value(&m(Across::Per("tps")), 100.0), Some((0.0, 0.0)));
        assert_eq!(Acc::default().value(&m(Across::Sum), 100.0), None);
        assert!(counts(Items::NotLoopback, Item::Name(b"eth0")) && !counts(Items::NotLoopback, Item::Name(b"lo")));
        assert!(counts(Items::CpuAll, Item::Cpu(0)) && !counts(Items::CpuAll, Item::Cpu(1)));
    }
}
