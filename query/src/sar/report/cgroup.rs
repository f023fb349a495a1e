//! Per-cgroup (per-pod) reports of sarkit's A_CGROUP (`--cgroup[=CPU,MEM,IO,PSI]`,
//! `--pod`, `--top`): four outputs of one activity, as `-r` and `-S` are
//! two of A_MEMORY.
//!
//! Cgroups come and go between samples, so each row finds its previous
//! values by name, as the interface reports do; one whose CPU time went
//! backwards is a new cgroup of the same name (a StatefulSet's pod made
//! again) and its rates count from zero, as a new cgroup's counters do.
//! Names are the last column, as `-F` prints filesystems: they are long.
//! Gauges (memory) average the rows printed, as `-r` does; rates average
//! over the whole segment. Spec section 17.6 gives every formula.

use std::io;

use sarkit_format::stats::{cgroup_flags, StatsCgroup, CGROUP_NO_LIMIT};
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, u, Col, Item, Meta, RowSink, Shape, Val};
use super::{write_vals, Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{hdr, item_tail, minmax_lines, s_value, Extrema, NameList, Out, Xtrem, NO_UNIT, UNIT_KILOBYTE};
use crate::sar::options::{CG_ALL, CG_CPU, CG_IO, CG_MEM, CG_PSI};

const ITEM: &str = "CGROUP";

const COLS_CPU: [Col; 5] =
    [f("%usr", "usr"), f("%sys", "sys"), f("%limit", "limit"), f("%thrtl", "throttled"), f("thrtms/s", "thrtms")];
const COLS_MEM: [Col; 14] = [
    u("kbused", "used"),
    f("%limit", "limit"),
    u("kbpeak", "peak"),
    u("kbanon", "anon"),
    u("kbfile", "file"),
    u("kbkernel", "kernel"),
    u("kbshmem", "shmem"),
    u("kbdirty", "dirty"),
    u("kbwback", "writeback"),
    f("fault/s", "fault"),
    f("majflt/s", "majflt"),
    f("refault/s", "refault"),
    u("oom", "oom"),
    u("oomkill", "oomkill"),
];
const COLS_IO: [Col; 5] = [f("r/s", "r"), f("w/s", "w"), f("rkB/s", "rkB"), f("wkB/s", "wkB"), f("dkB/s", "dkB")];
const COLS_PSI: [Col; 6] = [
    f("%scpu", "some-cpu"),
    f("%fcpu", "full-cpu"),
    f("%smem", "some-mem"),
    f("%fmem", "full-mem"),
    f("%sio", "some-io"),
    f("%fio", "full-io"),
];

/// Every column, for JSON and XML when several outputs print as one element.
const COLS_ALL: [Col; 30] = {
    let mut out = [u("", ""); 30];
    let mut i = 0;
    while i < 30 {
        out[i] = if i < 5 {
            COLS_CPU[i]
        } else if i < 19 {
            // Memory's %limit would repeat CPU's key.
            let c = COLS_MEM[i - 5];
            if i == 6 {
                f("%memlimit", "mem-limit")
            } else {
                c
            }
        } else if i < 24 {
            COLS_IO[i - 19]
        } else {
            COLS_PSI[i - 24]
        };
        i += 1;
    }
    out
};

const META_BASE: Meta =
    Meta { item_hdr: ITEM, group: None, item_tag: "cgroup", item_key: "cgroup", shape: Shape::List, ..Meta::EMPTY };
const META_CPU: Meta = crate::table!(ITEM, &COLS_CPU, META_BASE, tag: "cgroup-cpu");
const META_MEM: Meta = crate::table!(ITEM, &COLS_MEM, META_BASE, tag: "cgroup-memory", attrs: " unit=\"kB\"");
const META_IO: Meta = crate::table!(ITEM, &COLS_IO, META_BASE, tag: "cgroup-io");
const META_PSI: Meta = crate::table!(ITEM, &COLS_PSI, META_BASE, tag: "cgroup-psi");
const META_ALL: Meta = crate::table!(ITEM, &COLS_ALL, META_BASE, tag: "cgroups");

/// Microseconds in an interval of `itv` hundredths of a second.
fn usecs(itv: u64) -> f64 {
    itv as f64 * 10_000.0
}

/// `d` microseconds as a percentage of the interval.
fn pct_time(d: u64, itv: u64) -> f64 {
    if itv == 0 {
        0.0
    } else {
        d as f64 / usecs(itv) * 100.0
    }
}

/// A counter's growth; a counter that fell (a task left) grew by nothing.
fn grew(p: u64, c: u64) -> u64 {
    c.saturating_sub(p)
}

/// `v` as a percentage of a limit; zero without one.
fn pct_of_limit(v: f64, limit: u64) -> f64 {
    if limit == CGROUP_NO_LIMIT || limit == 0 {
        0.0
    } else {
        v / limit as f64 * 100.0
    }
}

/// The CPU row: percentages of one CPU, as pidstat shows them.
fn cpu_vals(p: &StatsCgroup, c: &StatsCgroup, itv: u64) -> [f64; 5] {
    let usage = grew(p.usage_usec(), c.usage_usec());
    let limit = if c.quota_usec != CGROUP_NO_LIMIT && c.period_usec > 0 {
        // CPUs the quota allows, times the interval.
        usecs(itv) * c.quota_usec as f64 / f64::from(c.period_usec)
    } else {
        0.0
    };
    let periods = c.nr_periods.wrapping_sub(p.nr_periods);
    let throttled = c.nr_throttled.wrapping_sub(p.nr_throttled);
    [
        pct_time(grew(p.user_usec, c.user_usec), itv),
        pct_time(grew(p.system_usec, c.system_usec), itv),
        if limit > 0.0 { usage as f64 / limit * 100.0 } else { 0.0 },
        if periods > 0 { f64::from(throttled) / f64::from(periods) * 100.0 } else { 0.0 },
        // ms per second: µs / 1000 over itv / 100 seconds.
        if itv > 0 { grew(p.throttled_usec, c.throttled_usec) as f64 / (10.0 * itv as f64) } else { 0.0 },
    ]
}

/// The memory gauges in kB: used, peak, anon, file, kernel, shmem, dirty,
/// writeback.
fn mem_gauges(c: &StatsCgroup) -> [f64; 8] {
    [c.mem_current, c.mem_peak, c.anon, c.file, c.kernel, c.shmem, c.file_dirty, c.file_writeback]
        .map(|b| b as f64 / 1024.0)
}

/// The memory row from gauges (a sample's, or means) and two samples'
/// counters; gauges print as counts (`%llu`) or, for means, rounded.
fn mem_vals(g: &[f64; 8], mean: bool, limit: u64, p: &StatsCgroup, c: &StatsCgroup, itv: u64) -> [Val<'static>; 14] {
    let gauge = |v: f64| if mean { Val::R(v) } else { Val::U(v as u64) };
    let rate = |a: u64, b: u64| Val::F(s_value(a, b.max(a), itv));
    [
        gauge(g[0]),
        Val::F(pct_of_limit(g[0] * 1024.0, limit)),
        gauge(g[1]),
        gauge(g[2]),
        gauge(g[3]),
        gauge(g[4]),
        gauge(g[5]),
        gauge(g[6]),
        gauge(g[7]),
        rate(p.pgfault, c.pgfault),
        rate(p.pgmajfault, c.pgmajfault),
        rate(p.workingset_refault, c.workingset_refault),
        Val::U(u64::from(c.oom.wrapping_sub(p.oom))),
        Val::U(u64::from(c.oom_kill.wrapping_sub(p.oom_kill))),
    ]
}

/// A counter of the item: its field name (sadf `-r`) and where it is.
type Counter = (&'static str, fn(&StatsCgroup) -> u64);

/// The I/O counters, in the I/O row's order, with the divisor of each
/// one's rate (bytes print as kB).
const IO_COUNTERS: [(Counter, f64); 5] = [
    (("rios", |s| s.rios), 1.0),
    (("wios", |s| s.wios), 1.0),
    (("rbytes", |s| s.rbytes), 1024.0),
    (("wbytes", |s| s.wbytes), 1024.0),
    (("dbytes", |s| s.dbytes), 1024.0),
];

/// The pressure-stall totals, in the pressure row's order.
const PSI_COUNTERS: [Counter; 6] = [
    ("cpu_some_usec", |s| s.cpu_some_usec),
    ("cpu_full_usec", |s| s.cpu_full_usec),
    ("mem_some_usec", |s| s.mem_some_usec),
    ("mem_full_usec", |s| s.mem_full_usec),
    ("io_some_usec", |s| s.io_some_usec),
    ("io_full_usec", |s| s.io_full_usec),
];

fn io_vals(p: &StatsCgroup, c: &StatsCgroup, itv: u64) -> [f64; 5] {
    IO_COUNTERS.map(|((_, field), unit)| s_value(field(p), field(c).max(field(p)), itv) / unit)
}

fn psi_vals(p: &StatsCgroup, c: &StatsCgroup, itv: u64) -> [f64; 6] {
    PSI_COUNTERS.map(|(_, field)| pct_time(grew(field(p), field(c)), itv))
}

/// One row's values in sar's columns: `--human` gives units to the kB
/// columns only, not to counts; percentages take sar's colours.
fn write_row(w: &mut Out<'_>, meta: &Meta, unit: i32, v: &[Val<'_>]) -> io::Result<()> {
    for (val, col) in v.iter().zip(meta.cols) {
        let unit = if col.name.starts_with("kb") { unit } else { NO_UNIT };
        write_vals(w, unit, std::slice::from_ref(val), |_| col.name.starts_with('%').then_some(Xtrem::High))?;
    }
    Ok(())
}

/// Whether the fields output `out` shows are the same in both samples (`-z`).
fn unchanged(out: u32, p: &StatsCgroup, c: &StatsCgroup) -> bool {
    match out {
        CG_CPU => (p.user_usec, p.system_usec, p.throttled_usec) == (c.user_usec, c.system_usec, c.throttled_usec),
        CG_MEM => mem_gauges(p) == mem_gauges(c) && (p.pgfault, p.oom_kill) == (c.pgfault, c.oom_kill),
        CG_IO => (p.rios, p.wios, p.rbytes, p.wbytes) == (c.rios, c.wios, c.rbytes, c.wbytes),
        _ => psi_vals(p, c, 1) == [0.0; 6],
    }
}

/// Means of a cgroup's printed memory gauges since the last Average.
#[derive(Debug, Clone, Default)]
struct Means {
    names: NameList,
    sums: Vec<([f64; 8], u32)>,
}

impl Means {
    /// The sums of `name`, new ones zero.
    fn sums(&mut self, name: &[u8]) -> &mut ([f64; 8], u32) {
        let k = self.names.pos(name);
        if self.sums.len() <= k {
            self.sums.resize(k + 1, ([0.0; 8], 0));
        }
        &mut self.sums[k]
    }

    fn add(&mut self, name: &[u8], g: &[f64; 8]) {
        let (s, n) = self.sums(name);
        s.iter_mut().zip(g).for_each(|(a, b)| *a += b);
        *n += 1;
    }

    fn mean(&mut self, name: &[u8]) -> Option<[f64; 8]> {
        let (s, n) = *self.sums(name);
        (n > 0).then(|| s.map(|v| v / f64::from(n)))
    }

    fn clear(&mut self) {
        self.names.clear();
        self.sums.clear();
    }
}

pub struct Cgroup {
    s: Slots<StatsCgroup>,
    /// The outputs asked for, and the one this pass prints.
    outputs: u32,
    out: u32,
    list: Option<Vec<Vec<u8>>>,
    top: Option<usize>,
    means: Means,
    /// `-x`: each output's extrema per cgroup, by name.
    extrema: [(Extrema, NameList); 4],
}

/// Index of an output bit in [`Cgroup::extrema`].
fn output_index(out: u32) -> usize {
    out.trailing_zeros().min(3) as usize
}

impl Cgroup {
    pub fn new(outputs: u32, list: Option<Vec<Vec<u8>>>, top: Option<usize>) -> Cgroup {
        let outputs = if outputs & CG_ALL == 0 { CG_ALL } else { outputs & CG_ALL };
        let x = || (Extrema::new(COLS_MEM.len()), NameList::default());
        Cgroup {
            s: Slots::new(1),
            outputs,
            out: outputs,
            list,
            top,
            means: Means::default(),
            extrema: [x(), x(), x(), x()],
        }
    }

    /// Whether `--pod` lets `name` through: the name itself, or a leading
    /// part of it up to a `/` (a namespace, `system.slice`).
    fn listed(&self, name: &[u8]) -> bool {
        self.list.as_ref().is_none_or(|l| {
            l.iter().any(|x| {
                let x = x.strip_suffix(b"/").unwrap_or(x);
                name == x || (name.len() > x.len() && name.starts_with(x) && name[x.len()] == b'/')
            })
        })
    }

    /// The rows from slot `prev` to slot `curr`: each shown cgroup of `curr`
    /// with its previous sample (zero for a new one), in file order, or
    /// the `--top` most CPU first.
    fn rows(&self, prev: usize, curr: usize) -> Vec<(StatsCgroup, StatsCgroup)> {
        let n = self.s.count(curr);
        let mut rows: Vec<(StatsCgroup, StatsCgroup)> = Vec::with_capacity(n);
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let name = c.cgroup.as_bytes();
            if !self.listed(name) {
                continue;
            }
            let p = self
                .s
                .find(prev, i, |p| p.cgroup.as_bytes() == name)
                .map(|j| self.s.buf[prev][j])
                .filter(|p| c.flags & cgroup_flags::CPU_FROM_TASKS != 0 || p.usage_usec() <= c.usage_usec())
                .unwrap_or_default();
            rows.push((p, c));
        }
        if let Some(top) = self.top {
            rows.sort_by_key(|(p, c)| std::cmp::Reverse(grew(p.usage_usec(), c.usage_usec())));
            rows.truncate(top);
        }
        rows
    }

    fn meta_of(out: u32) -> &'static Meta {
        match out {
            CG_CPU => &META_CPU,
            CG_MEM => &META_MEM,
            CG_IO => &META_IO,
            CG_PSI => &META_PSI,
            _ => &META_ALL,
        }
    }

    /// One row's values for output `out` (one bit), into `v`; memory's
    /// gauges are `means` when given.
    fn vals(out: u32, p: &StatsCgroup, c: &StatsCgroup, itv: u64, means: Option<&[f64; 8]>, v: &mut Vec<Val<'static>>) {
        match out {
            CG_CPU => v.extend(cpu_vals(p, c, itv).map(Val::F)),
            CG_MEM => v.extend(mem_vals(means.unwrap_or(&mem_gauges(c)), means.is_some(), c.mem_max, p, c, itv)),
            CG_IO => v.extend(io_vals(p, c, itv).map(Val::F)),
            _ => v.extend(psi_vals(p, c, itv).map(Val::F)),
        }
    }

    /// sar's text of each output on, in order (one per pass from a file,
    /// all of them each interval live).
    fn text(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64, avg: bool) -> io::Result<()> {
        for out in [CG_CPU, CG_MEM, CG_IO, CG_PSI] {
            if self.out & out != 0 {
                self.table(cx, out, prev, curr, itv, avg)?;
            }
        }
        if avg {
            self.means.clear();
        }
        Ok(())
    }

    /// One output's header (when due) and rows.
    fn table(&mut self, cx: &mut Ctx<'_>, out: u32, prev: usize, curr: usize, itv: u64, avg: bool) -> io::Result<()> {
        let d = cx.out.display();
        let meta = Self::meta_of(out);
        if (cx.show_header || d.zero_omit) && !(avg && d.minmax) {
            hdr(&mut cx.out, &cx.ts[1 - curr.min(1)], meta.hdr_names(), -1)?;
        }
        let unit = if d.human { UNIT_KILOBYTE } else { NO_UNIT };
        let mut v = Vec::with_capacity(16);
        for (p, c) in self.rows(prev, curr) {
            if d.zero_omit && !avg && unchanged(out, &p, &c) {
                continue;
            }
            let name = c.cgroup.as_bytes();
            let means = if avg && out == CG_MEM { self.means.mean(name) } else { None };
            if !avg && out == CG_MEM {
                self.means.add(name, &mem_gauges(&c));
            }
            v.clear();
            Self::vals(out, &p, &c, itv, means.as_ref(), &mut v);
            if d.minmax {
                let (x, names) = &mut self.extrema[output_index(out)];
                let k = names.pos(name);
                if !avg {
                    for (col, val) in v.iter().enumerate() {
                        x.save(k, col, val.num());
                    }
                } else {
                    // As for interfaces: the header, then each cgroup's extrema.
                    hdr(&mut cx.out, &cx.ts[1 - curr.min(1)], meta.hdr_names(), -1)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        let e: Vec<Val<'_>> = v.iter().zip(x.row(k, ismax)).map(|(val, &m)| val.with_num(m)).collect();
                        write_row(w, meta, unit, &e)?;
                        item_tail(w, name)
                    })?;
                }
            }
            cx.stamp(curr)?;
            write_row(&mut cx.out, meta, unit, &v)?;
            item_tail(&mut cx.out, name)?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Report for Cgroup {
    crate::slot_access!(s, ActivityId::A_CGROUP);
    fn outputs(&self) -> u32 {
        self.outputs
    }
    fn set_output(&mut self, mask: u32) {
        self.out = mask & self.outputs;
    }
    fn reset_extrema(&mut self) {
        for (x, names) in &mut self.extrema {
            x.reset(0);
            names.clear();
        }
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.text(cx, prev, curr, itv, false)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.text(cx, FIRST, curr, itv, true)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(Self::meta_of(self.out))
    }
    /// sadf `-r`: each shown cgroup's counters as recorded, named as the
    /// item's fields (spec section 17.2), the previous sample's then the
    /// current one's; limits once.
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for out in [CG_CPU, CG_MEM, CG_IO, CG_PSI] {
            if self.out & out == 0 {
                continue;
            }
            for (p, c) in self.rows(prev, curr) {
                r.head(Self::meta_of(out).fields, 0)?;
                r.bytes(b"; ")?;
                r.bytes(c.cgroup.as_bytes())?;
                r.bytes(b";")?;
                let pairs: &[(&str, u64, u64)] = match out {
                    CG_CPU => &[
                        ("user_usec", p.user_usec, c.user_usec),
                        ("system_usec", p.system_usec, c.system_usec),
                        ("nr_periods", p.nr_periods.into(), c.nr_periods.into()),
                        ("nr_throttled", p.nr_throttled.into(), c.nr_throttled.into()),
                        ("throttled_usec", p.throttled_usec, c.throttled_usec),
                    ],
                    CG_MEM => &[
                        ("mem_current", p.mem_current, c.mem_current),
                        ("mem_peak", p.mem_peak, c.mem_peak),
                        ("anon", p.anon, c.anon),
                        ("file", p.file, c.file),
                        ("kernel", p.kernel, c.kernel),
                        ("shmem", p.shmem, c.shmem),
                        ("file_dirty", p.file_dirty, c.file_dirty),
                        ("file_writeback", p.file_writeback, c.file_writeback),
                        ("pgfault", p.pgfault, c.pgfault),
                        ("pgmajfault", p.pgmajfault, c.pgmajfault),
                        ("workingset_refault", p.workingset_refault, c.workingset_refault),
                        ("oom", p.oom.into(), c.oom.into()),
                        ("oom_kill", p.oom_kill.into(), c.oom_kill.into()),
                    ],
                    CG_IO => &IO_COUNTERS.map(|((name, field), _)| (name, field(&p), field(&c))),
                    _ => &PSI_COUNTERS.map(|(name, field)| (name, field(&p), field(&c))),
                };
                for &(name, a, b) in pairs {
                    r.named_pair(name, a, b)?;
                }
                match out {
                    CG_CPU => {
                        r.named_value("quota_usec", c.quota_usec)?;
                        r.named_value("period_usec", c.period_usec)?;
                    }
                    CG_MEM => r.named_value("mem_max", c.mem_max)?,
                    _ => {}
                }
                r.named_value("qos", c.qos)?;
                r.named_value("flags", c.flags)?;
                r.end()?;
            }
        }
        Ok(())
    }
    /// One row per cgroup, every output's columns in order when several
    /// are on (JSON and XML print them as one element).
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let outs: Vec<u32> = match self.out {
            CG_CPU | CG_MEM | CG_IO | CG_PSI => vec![self.out],
            _ => vec![CG_CPU, CG_MEM, CG_IO, CG_PSI],
        };
        let mut v = Vec::with_capacity(32);
        for (p, c) in self.rows(prev, curr) {
            v.clear();
            for &o in &outs {
                Self::vals(o, &p, &c, itv, None, &mut v);
            }
            sink.row(Item::Name(c.cgroup.as_bytes()), &v)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::report::values::Collect;
    use sarkit_format::stats::CChars;

    fn cg(name: &str, user: u64, sys: u64) -> StatsCgroup {
        StatsCgroup { user_usec: user, system_usec: sys, cgroup: CChars::new(name), ..Default::default() }
    }

    fn report(outputs: u32, prev: &[StatsCgroup], curr: &[StatsCgroup]) -> Cgroup {
        let mut r = Cgroup::new(outputs, None, None);
        r.s.ensure(prev.len().max(curr.len()));
        r.s.buf[0][..prev.len()].copy_from_slice(prev);
        r.s.buf[1][..curr.len()].copy_from_slice(curr);
        r.s.nr = [prev.len() as i64, curr.len() as i64, 0];
        r
    }

    #[test]
    fn cpu_against_quota_and_throttling() {
        let p = StatsCgroup { nr_periods: 100, nr_throttled: 10, throttled_usec: 1_000, ..cg("a", 1_000_000, 0) };
        // One second (itv 100): 0.25 s user, 0.05 s system, quota half a CPU.
        let c = StatsCgroup {
            quota_usec: 50_000,
            period_usec: 100_000,
            nr_periods: 110,
            nr_throttled: 15,
            throttled_usec: 21_000,
            ..cg("a", 1_250_000, 50_000)
        };
        let v = cpu_vals(&p, &c, 100);
        assert_eq!(v, [25.0, 5.0, 60.0, 50.0, 20.0]);
        assert_eq!(cpu_vals(&p, &StatsCgroup { quota_usec: CGROUP_NO_LIMIT, ..c }, 100)[2], 0.0);
    }

    #[test]
    fn rows_pair_by_name_and_new_cgroups_count_from_zero() {
        let r = report(CG_CPU, &[cg("a", 100, 0), cg("b", 500, 0)], &[cg("b", 600, 0), cg("c", 50, 0), cg("a", 10, 0)]);
        let rows: Vec<(u64, u64)> = r.rows(0, 1).iter().map(|(p, c)| (p.user_usec, c.user_usec)).collect();
        // b found at another position; c is new; a went backwards: made again.
        assert_eq!(rows, vec![(500, 600), (0, 50), (0, 10)]);
    }

    #[test]
    fn pod_list_matches_names_and_namespaces_and_top_ranks_by_cpu() {
        let mut r = report(
            CG_CPU,
            &[],
            &[cg("kube-system/coredns-1", 10, 0), cg("web/front-1", 30, 0), cg("kube-system2/x", 99, 0)],
        );
        r.list = Some(vec![b"kube-system".to_vec(), b"web/front-1".to_vec()]);
        let names = |r: &Cgroup| -> Vec<String> {
            r.rows(0, 1).iter().map(|(_, c)| c.cgroup.to_str_lossy().into_owned()).collect()
        };
        assert_eq!(names(&r), ["kube-system/coredns-1", "web/front-1"]);
        r.list = None;
        r.top = Some(2);
        assert_eq!(names(&r), ["kube-system2/x", "web/front-1"]);
    }

    #[test]
    fn values_give_every_column_of_the_output() {
        let mut r = report(CG_ALL, &[cg("a", 0, 0)], &[StatsCgroup { mem_current: 2048, ..cg("a", 10_000, 0) }]);
        for (out, n) in [(CG_CPU, 5), (CG_MEM, 14), (CG_IO, 5), (CG_PSI, 6), (CG_ALL, 30)] {
            r.set_output(out);
            let mut c = Collect::default();
            r.values(0, 1, 100, &mut c).unwrap();
            assert_eq!(c.rows.len(), 1);
            assert_eq!(c.rows[0].1.len(), n, "{out}");
            assert_eq!(r.meta().unwrap().cols.len(), n);
        }
        r.set_output(CG_MEM);
        let mut c = Collect::default();
        r.values(0, 1, 100, &mut c).unwrap();
        assert_eq!(c.rows[0].1[0], 2.0);
    }
}
