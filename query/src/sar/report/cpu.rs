//! CPU utilization (`-u`, `-u ALL`, `-P`).

use std::io;

use sarkit_format::stats::StatsCpu;
use sarkit_format::ActivityId;

use super::values::{f, Col, Item, Meta, RowSink, Shape, Val};
use super::{cpu_item, CpuSlots, Ctx, Report, FIRST};
use crate::sar::fmt::{hdr_line, ll_sp_value, minmax_lines, write_percents, Extrema, Xtrem};
use crate::sar::options::NR_CPUS;

/// Counters near the top of their range are taken to have wrapped, not to
/// have restarted from zero (sysstat's `ULLONG_MAX - 0x7ffff`).
const NEAR_MAX: u64 = u64::MAX - 0x7ffff;

pub struct Cpu {
    s: CpuSlots<StatsCpu>,
    all: bool,
    /// `sar 0` (`S_F_SINCE_BOOT`): the previous sample is the zeros of boot
    /// time, so CPUs with no previous values are shown.
    since_boot: bool,

    offline: Vec<bool>,
    x: Extrema,
}

impl Cpu {
    pub fn new(nr_ini: i64, all: bool, bitmap: Vec<u8>, bits: u64, since_boot: bool) -> Cpu {
        Cpu { s: CpuSlots::new(nr_ini, bitmap, bits, 1), all, since_boot, offline: Vec::new(), x: Extrema::new(10) }
    }

    /// `get_global_cpu_statistics`: rebuild CPU "all" in both slots as the sum
    /// of the online CPUs, mark offline ones, and return the total interval.
    fn global(&mut self, prev: usize, curr: usize) -> u64 {
        let mut deltot = 0u64;
        let (offline, since_boot) = (&mut self.offline, self.since_boot);
        self.s.sum_all(prev, curr, add, |i, scc, scp| {
            if total(scc) == 0 {
                *scc = *scp;
                offline[i] = true;
            }
            // No previous values: back online since the last sample, not
            // shown, unless the previous sample is boot time (`sar 0`).
            if total(scp) == 0 && !since_boot {
                offline[i] = true;
                return false;
            }
            deltot = deltot.wrapping_add(per_cpu_interval(scc, scp));
            true
        });
        deltot
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize) -> io::Result<()> {
        let d = cx.out.display();
        let avg = prev == FIRST;
        let hdr = self.meta().map_or(META_DEF.hdr_names(), Meta::hdr_names);
        if cx.show_header && !(avg && d.minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], hdr.clone(), 7)?;
        }
        let all = self.all;
        let mut x = std::mem::replace(&mut self.x, Extrema::new(10));
        let r = self.each_row(prev, curr, |me, i, deltot, scc, scp| {
            if d.minmax {
                if !avg {
                    save_x(&mut x, all, i, deltot, scc, scp);
                } else if x.seen(i, 0) {
                    hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], hdr.clone(), 7)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        cpu_item(w, i)?;
                        let r = x.row(i, ismax);
                        write_percents(w, Xtrem::High, 2, if all { &r[..9] } else { &r[..5] })?;
                        write_percents(w, Xtrem::Low, 2, &r[9..10])
                    })?;
                }
            }
            cx.stamp(curr)?;
            me.one_line(cx, i, deltot, scc, scp)
        });
        self.x = x;
        r
    }
}

/// `save_cpu_xstats`: the columns of one row, into the extrema.
fn save_x(x: &mut Extrema, all: bool, cpu: usize, deltot: u64, c: &StatsCpu, p: &StatsCpu) {
    if cpu == 0 && deltot == 0 {
        let n = if all { 9 } else { 5 };
        for k in 0..n {
            x.save(cpu, k, 0.0);
        }
        x.save(cpu, 9, 100.0);
        return;
    }
    let v = |a: u64, b: u64| ll_sp_value(a, b, deltot);
    if !all {
        x.save(cpu, 0, v(p.cpu_user, c.cpu_user));
        x.save(cpu, 1, v(p.cpu_nice, c.cpu_nice));
        x.save(
            cpu,
            2,
            v(
                p.cpu_sys.wrapping_add(p.cpu_hardirq).wrapping_add(p.cpu_softirq),
                c.cpu_sys.wrapping_add(c.cpu_hardirq).wrapping_add(c.cpu_softirq),
            ),
        );
    } else {
        let (uc, up) = (c.cpu_user.wrapping_sub(c.cpu_guest), p.cpu_user.wrapping_sub(p.cpu_guest));
        let (nc, np) = (c.cpu_nice.wrapping_sub(c.cpu_guest_nice), p.cpu_nice.wrapping_sub(p.cpu_guest_nice));
        x.save(cpu, 0, if uc < up { 0.0 } else { v(up, uc) });
        x.save(cpu, 1, if nc < np { 0.0 } else { v(np, nc) });
        x.save(cpu, 2, v(p.cpu_sys, c.cpu_sys));
        x.save(cpu, 5, v(p.cpu_hardirq, c.cpu_hardirq));
        x.save(cpu, 6, v(p.cpu_softirq, c.cpu_softirq));
        x.save(cpu, 7, v(p.cpu_guest, c.cpu_guest));
        x.save(cpu, 8, v(p.cpu_guest_nice, c.cpu_guest_nice));
    }
    x.save(cpu, 3, v(p.cpu_iowait, c.cpu_iowait));
    x.save(cpu, 4, v(p.cpu_steal, c.cpu_steal));
    x.save(cpu, 9, if c.cpu_idle < p.cpu_idle { 0.0 } else { v(p.cpu_idle, c.cpu_idle) });
}

impl Cpu {
    fn one_line(&self, cx: &mut Ctx<'_>, cpu: usize, deltot: u64, c: &StatsCpu, p: &StatsCpu) -> io::Result<()> {
        let w = &mut cx.out;
        cpu_item(w, cpu)?;
        let (v, n) = cpu_values(self.all, cpu, deltot, c, p);
        let xt = if cpu != 0 && deltot == 0 { Xtrem::None } else { Xtrem::High };
        write_percents(w, xt, 2, &v[..n - 1])?;
        write_percents(w, if xt == Xtrem::None { Xtrem::None } else { Xtrem::Low }, 2, &v[n - 1..n])?;
        w.write_all(b"\n")
    }

    /// The CPUs a row is printed for, in order, with their interval; sar's
    /// loop of `print_cpu_stats`, shared by every output.
    fn each_row(
        &mut self,
        prev: usize,
        curr: usize,
        mut f: impl FnMut(&Self, usize, u64, &StatsCpu, &StatsCpu) -> io::Result<()>,
    ) -> io::Result<()> {
        self.s.grow_to(curr);
        self.s.s.ensure(self.s.nr_ini.max(1) as usize);
        self.offline.clear();
        self.offline.resize(self.s.nr_ini.max(1) as usize, false);
        let mut deltot = 1u64;
        if self.s.nr_ini > 1 {
            deltot = self.global(prev, curr);
        }
        let n = (self.s.nr_ini.max(0) as usize).min(NR_CPUS + 1);
        for i in 0..n {
            if !self.s.selected(i) || self.offline[i] {
                continue;
            }
            let scc = self.s.buf[curr][i];
            let mut scp = self.s.buf[prev][i];
            if i == 0 {
                if self.s.nr_ini == 1 {
                    deltot = per_cpu_interval(&scc, &mut scp);
                    self.s.buf[prev][0] = scp;
                }
                if deltot == 0 {
                    deltot = 1;
                }
            } else {
                deltot = per_cpu_interval(&scc, &mut scp);
                self.s.buf[prev][i] = scp;
            }
            f(self, i, deltot, &scc, &scp)?;
        }
        Ok(())
    }
}

/// One CPU's percentages in column order (`-u`: 6, `-u ALL`: 10), with
/// their count; a tickless CPU (no jiffies, not "all") is idle.
pub fn cpu_values(all: bool, cpu: usize, deltot: u64, c: &StatsCpu, p: &StatsCpu) -> ([f64; 10], usize) {
    let mut o = [0.0; 10];
    let n = if all { 10 } else { 6 };
    if cpu != 0 && deltot == 0 {
        o[n - 1] = 100.0;
        return (o, n);
    }
    let v = |a: u64, b: u64| ll_sp_value(a, b, deltot);
    let idle = if c.cpu_idle < p.cpu_idle { 0.0 } else { v(p.cpu_idle, c.cpu_idle) };
    if !all {
        o[0] = v(p.cpu_user, c.cpu_user);
        o[1] = v(p.cpu_nice, c.cpu_nice);
        o[2] = v(
            p.cpu_sys.wrapping_add(p.cpu_hardirq).wrapping_add(p.cpu_softirq),
            c.cpu_sys.wrapping_add(c.cpu_hardirq).wrapping_add(c.cpu_softirq),
        );
        o[3] = v(p.cpu_iowait, c.cpu_iowait);
        o[4] = v(p.cpu_steal, c.cpu_steal);
        o[5] = idle;
    } else {
        let (uc, up) = (c.cpu_user.wrapping_sub(c.cpu_guest), p.cpu_user.wrapping_sub(p.cpu_guest));
        let (nc, np) = (c.cpu_nice.wrapping_sub(c.cpu_guest_nice), p.cpu_nice.wrapping_sub(p.cpu_guest_nice));
        o = [
            if uc < up { 0.0 } else { v(up, uc) },
            if nc < np { 0.0 } else { v(np, nc) },
            v(p.cpu_sys, c.cpu_sys),
            v(p.cpu_iowait, c.cpu_iowait),
            v(p.cpu_steal, c.cpu_steal),
            v(p.cpu_hardirq, c.cpu_hardirq),
            v(p.cpu_softirq, c.cpu_softirq),
            v(p.cpu_guest, c.cpu_guest),
            v(p.cpu_guest_nice, c.cpu_guest_nice),
            idle,
        ];
    }
    (o, n)
}

const COLS_DEF: &[Col] = &[
    f("%user", "user"),
    f("%nice", "nice"),
    f("%system", "system"),
    f("%iowait", "iowait"),
    f("%steal", "steal"),
    f("%idle", "idle"),
];
const COLS_ALL: &[Col] = &[
    f("%usr", "usr"),
    f("%nice", "nice"),
    f("%sys", "sys"),
    f("%iowait", "iowait"),
    f("%steal", "steal"),
    f("%irq", "irq"),
    f("%soft", "soft"),
    f("%guest", "guest"),
    f("%gnice", "gnice"),
    f("%idle", "idle"),
];
const META_DEF_B: Meta = crate::table!(
    "CPU",
    COLS_DEF,
    Meta::EMPTY,
    group: None,
    tag: "cpu-load",
    item_tag: "cpu",
    item_key: "cpu",
    attrs: "",
    shape: Shape::List,
    order: &[],
);
const META_DEF: Meta = Meta { xml: Some(&META_DEF_XML), ..META_DEF_B };
const META_DEF_XML: Meta = Meta { item_key: "number", ..META_DEF_B };
const META_ALL_B: Meta = crate::table!(META_DEF_B.item_hdr, COLS_ALL, META_DEF_B);
const META_ALL: Meta = Meta { xml: Some(&META_ALL_XML), ..META_ALL_B };
const META_ALL_XML: Meta = Meta { item_key: "number", ..META_ALL_B };

/// The tick counters, the eight of a CPU's total first (guest time is in
/// user time too).
fn ticks(s: &mut StatsCpu) -> [&mut u64; 10] {
    [
        &mut s.cpu_user,
        &mut s.cpu_nice,
        &mut s.cpu_sys,
        &mut s.cpu_idle,
        &mut s.cpu_iowait,
        &mut s.cpu_hardirq,
        &mut s.cpu_steal,
        &mut s.cpu_softirq,
        &mut s.cpu_guest,
        &mut s.cpu_guest_nice,
    ]
}

fn total(s: &StatsCpu) -> u64 {
    let mut s = *s;
    ticks(&mut s)[..8].iter().fold(0u64, |t, v| t.wrapping_add(**v))
}

fn add(a: &mut StatsCpu, s: &StatsCpu) {
    let mut s = *s;
    for (x, y) in ticks(a).into_iter().zip(ticks(&mut s)) {
        *x = x.wrapping_add(*y);
    }
}

/// `get_per_cpu_interval`: one CPU's interval in jiffies. It may rewrite the
/// previous idle/iowait values, as sysstat does for CPUs back from offline.
pub fn per_cpu_interval(scc: &StatsCpu, scp: &mut StatsCpu) -> u64 {
    let mut ishift = 0u64;
    let (uc, up) = (scc.cpu_user.wrapping_sub(scc.cpu_guest), scp.cpu_user.wrapping_sub(scp.cpu_guest));
    if uc < up {
        ishift = ishift.wrapping_add(up.wrapping_sub(uc));
    }
    let (nc, np) = (scc.cpu_nice.wrapping_sub(scc.cpu_guest_nice), scp.cpu_nice.wrapping_sub(scp.cpu_guest_nice));
    if nc < np {
        ishift = ishift.wrapping_add(np.wrapping_sub(nc));
    }
    if scc.cpu_iowait < scp.cpu_iowait && scp.cpu_iowait < NEAR_MAX {
        if scc.cpu_idle > scp.cpu_idle || scp.cpu_idle >= NEAR_MAX {
            scp.cpu_iowait = scc.cpu_iowait;
        } else {
            scp.cpu_iowait = 0;
        }
    }
    if scc.cpu_idle < scp.cpu_idle && scp.cpu_idle < NEAR_MAX {
        scp.cpu_idle = 0;
    }
    total(scc).wrapping_sub(total(scp)).wrapping_add(ishift)
}

impl Report for Cpu {
    crate::slot_access!(s, ActivityId::A_CPU);
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr_ini.max(1) as usize);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, prev, curr)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(if self.all { &META_ALL } else { &META_DEF })
    }
    fn values(&mut self, prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let all = self.all;
        self.each_row(prev, curr, |_, i, deltot, c, p| {
            let (v, n) = cpu_values(all, i, deltot, c, p);
            let mut vals = [Val::F(0.0); 10];
            for (d, &x) in vals.iter_mut().zip(&v[..n]) {
                *d = Val::F(x);
            }
            sink.row(Item::Cpu(i), &vals[..n])
        })
    }
    /// `raw_print_cpu_stats`: the counters as read, "all" included, not
    /// rebuilt from the CPUs as sar's report does.
    fn raw(&mut self, prev: usize, curr: usize, r: &mut super::raw::Raw<'_>) -> io::Result<()> {
        self.s.grow_to(curr);
        let n = (self.s.nr_ini.max(0) as usize).min(NR_CPUS + 1).min(self.s.buf[curr].len());
        for i in (0..n).filter(|&i| self.s.selected(i)) {
            let (c, p) = (&self.s.buf[curr][i], &self.s.buf[prev][i]);
            r.head(if self.all { META_ALL.fields } else { META_DEF.fields }, 0)?;
            r.value(i as i64 - 1)?;
            let pairs: &[(u64, u64)] = if self.all {
                &[
                    (p.cpu_user.wrapping_sub(p.cpu_guest), c.cpu_user.wrapping_sub(c.cpu_guest)),
                    (p.cpu_nice.wrapping_sub(p.cpu_guest_nice), c.cpu_nice.wrapping_sub(c.cpu_guest_nice)),
                    (p.cpu_sys, c.cpu_sys),
                    (p.cpu_iowait, c.cpu_iowait),
                    (p.cpu_steal, c.cpu_steal),
                    (p.cpu_hardirq, c.cpu_hardirq),
                    (p.cpu_softirq, c.cpu_softirq),
                    (p.cpu_guest, c.cpu_guest),
                    (p.cpu_guest_nice, c.cpu_guest_nice),
                    (p.cpu_idle, c.cpu_idle),
                ]
            } else {
                let sys = |s: &StatsCpu| s.cpu_sys.wrapping_add(s.cpu_hardirq).wrapping_add(s.cpu_softirq);
                &[
                    (p.cpu_user, c.cpu_user),
                    (p.cpu_nice, c.cpu_nice),
                    (sys(p), sys(c)),
                    (p.cpu_iowait, c.cpu_iowait),
                    (p.cpu_steal, c.cpu_steal),
                    (p.cpu_idle, c.cpu_idle),
                ]
            };
            for &(a, b) in pairs {
                r.next_pair(a, b)?;
            }
            r.end()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_reset_when_cpu_returns() {
        let c = StatsCpu { cpu_user: 10, cpu_idle: 5, ..Default::default() };
        let mut p = StatsCpu { cpu_user: 5, cpu_idle: 100, ..Default::default() };
        assert_eq!(per_cpu_interval(&c, &mut p), 10);
        assert_eq!(p.cpu_idle, 0);
    }
}
