//! Software network processing per CPU (`-n SOFT`, with `-P`).
//!
//! The kernel has no "all" line: it is rebuilt in both slots as the sum of
//! the CPUs, as sysstat's `get_global_soft_statistics` does. A CPU with no
//! previous counters is not shown (its rates would jump from zero); one whose
//! counters read zero now is offline and keeps its previous values. Counters
//! are C `unsigned int`, so sums and differences wrap at 2^32.

use std::io;

use sarkit_format::stats::StatsSoftnet;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, u, Col, Item, Meta, RowSink, Shape, Val};
use super::{cpu_item, CpuSlots, Ctx, Report, FIRST};
use crate::sar::fmt::{hdr_line, minmax_lines, s_value_u32, u64s, write_decimals, write_rounded, Extrema};
use crate::sar::options::NR_CPUS;

/// Every counter.
fn counters(s: &mut StatsSoftnet) -> [&mut u32; 6] {
    [&mut s.processed, &mut s.dropped, &mut s.time_squeeze, &mut s.received_rps, &mut s.flow_limit, &mut s.backlog_len]
}

fn total(s: &StatsSoftnet) -> u32 {
    let mut s = *s;
    counters(&mut s).iter().fold(0u32, |t, v| t.wrapping_add(**v))
}

fn add(a: &mut StatsSoftnet, s: &StatsSoftnet) {
    let mut s = *s;
    for (x, y) in counters(a).into_iter().zip(counters(&mut s)) {
        *x = x.wrapping_add(*y);
    }
}

/// The five rates of a row; with `clamp`, a counter gone backwards gives 0
/// (what `-x` records).
fn rates(p: &StatsSoftnet, c: &StatsSoftnet, itv: u64, clamp: bool) -> [f64; 5] {
    [
        (p.processed, c.processed),
        (p.dropped, c.dropped),
        (p.time_squeeze, c.time_squeeze),
        (p.received_rps, c.received_rps),
        (p.flow_limit, c.flow_limit),
    ]
    .map(|(a, b)| if clamp && b < a { 0.0 } else { s_value_u32(a, b, itv) })
}

const COLS: &[Col] = &[
    f("total/s", "total"),
    f("dropd/s", "dropd"),
    f("squeezd/s", "squeezd"),
    f("rx_rps/s", "rx_rps"),
    f("flw_lim/s", "flw_lim"),
    u("blg_len", "blg_len"),
];

/// JSON `"softnet": [{"cpu": "all", ...}]`, XML `<softnet cpu="all" .../>`.
const META: Meta = crate::table!(
    "CPU",
    COLS,
    Meta::EMPTY,
    group: Some("network"),
    tag: "softnet",
    item_tag: "softnet",
    item_key: "cpu",
    shape: Shape::List,
);

pub struct Soft {
    s: CpuSlots<StatsSoftnet>,
    /// `sar 0` (`S_F_SINCE_BOOT`): the previous sample is the zeros of boot
    /// time, so CPUs with no previous values are shown.
    since_boot: bool,

    offline: Vec<bool>,
    /// Sum of printed backlog lengths per CPU, for the Average.
    blg_sums: Vec<u64>,
    x: Extrema,
}

impl Soft {
    pub fn new(nr_ini: i64, bitmap: Vec<u8>, bits: u64, since_boot: bool) -> Soft {
        Soft {
            s: CpuSlots::new(nr_ini, bitmap, bits, 1),
            since_boot,
            offline: Vec::new(),
            blg_sums: Vec::new(),
            x: Extrema::new(6),
        }
    }

    fn global(&mut self, prev: usize, curr: usize) {
        let (offline, since_boot) = (&mut self.offline, self.since_boot);
        self.s.sum_all(prev, curr, add, |i, c, p| {
            if total(p) == 0 && !since_boot {
                offline[i] = true;
                return false;
            }
            if total(c) == 0 {
                *c = *p;
                offline[i] = true;
            }
            true
        });
    }

    /// `get_global_soft_statistics` for an interval; returns the CPU slots to show.
    fn prepare(&mut self, prev: usize, curr: usize) -> usize {
        self.s.grow_to(curr);
        let n = (self.s.nr_ini.max(1) as usize).min(NR_CPUS + 1);
        self.s.ensure(n);
        if self.blg_sums.len() < n {
            self.blg_sums.resize(n, 0);
        }
        self.offline.clear();
        self.offline.resize(n, false);
        self.global(prev, curr);
        n
    }
}

impl Report for Soft {
    crate::slot_access!(s, ActivityId::A_NET_SOFT);
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr_ini.max(1) as usize);
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        self.s.grow_to(curr);
        // The file has no CPU "all".
        let n = (self.s.nr_ini.max(1) as usize).min(NR_CPUS + 1);
        for i in (1..n).filter(|&i| self.s.selected(i)) {
            let (c, p) = (self.s.get(curr, i as i64), self.s.get(prev, i as i64));
            r.head(META.fields, 0)?;
            r.value(i - 1)?;
            r.next_pair(p.processed.into(), c.processed.into())?;
            r.next_pair(p.dropped.into(), c.dropped.into())?;
            r.next_pair(p.time_squeeze.into(), c.time_squeeze.into())?;
            r.next_pair(p.received_rps.into(), c.received_rps.into())?;
            r.next_pair(p.flow_limit.into(), c.flow_limit.into())?;
            r.next_value(c.backlog_len)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let n = self.prepare(prev, curr);
        for i in 0..n {
            if !self.s.selected(i) || self.offline[i] {
                continue;
            }
            let (c, p) = (self.s.buf[curr][i], self.s.buf[prev][i]);
            let r = rates(&p, &c, itv, false);
            let v = [
                Val::F(r[0]),
                Val::F(r[1]),
                Val::F(r[2]),
                Val::F(r[3]),
                Val::F(r[4]),
                Val::U(u64::from(c.backlog_len)),
            ];
            sink.row(Item::Cpu(i), &v)?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let avg = prev == FIRST;
        let d = cx.out.display();
        let minmax_avg = avg && d.minmax;
        if (cx.show_header || d.zero_omit) && !minmax_avg {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names(), 7)?;
        }
        let n = self.prepare(prev, curr);
        for i in 0..n {
            if !self.s.selected(i) || self.offline[i] {
                continue;
            }
            let (c, p) = (self.s.buf[curr][i], self.s.buf[prev][i]);
            if d.zero_omit && c == p {
                continue;
            }
            if d.minmax {
                if !avg {
                    self.x.save_row(i, &rates(&p, &c, itv, true));
                    self.x.save(i, 5, f64::from(c.backlog_len));
                } else if self.x.seen(i, 0) {
                    hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names(), 7)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        cpu_item(w, i)?;
                        let r = self.x.row(i, ismax);
                        write_decimals(w, &r[..5])?;
                        u64s(w, &[r[5] as u64])
                    })?;
                }
            }
            cx.stamp(curr)?;
            cpu_item(&mut cx.out, i)?;
            write_decimals(&mut cx.out, &rates(&p, &c, itv, false))?;
            if avg {
                write_rounded(&mut cx.out, &[self.blg_sums[i] as f64 / cx.avg_count as f64])?;
            } else {
                u64s(&mut cx.out, &[u64::from(c.backlog_len)])?;
                self.blg_sums[i] = self.blg_sums[i].wrapping_add(u64::from(c.backlog_len));
            }
            cx.out.write_all(b"\n")?;
        }
        if avg {
            self.blg_sums.iter_mut().for_each(|s| *s = 0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sn(processed: u32, backlog_len: u32) -> StatsSoftnet {
        StatsSoftnet { processed, backlog_len, ..Default::default() }
    }

    #[test]
    fn all_is_the_sum_and_offline_cpus_are_hidden() {
        let mut r = Soft::new(4, vec![0xff], 4, false);
        r.s.nr = [4, 4, 4];
        // CPU 0 online, CPU 1 offline now, CPU 2 never seen before.
        r.s.buf[0][1..4].copy_from_slice(&[sn(100, 1), sn(50, 0), sn(0, 0)]);
        r.s.buf[1][1..4].copy_from_slice(&[sn(300, 2), sn(0, 0), sn(7, 0)]);
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], false, 1);
        r.print(&mut cx, 0, 1, 100).unwrap();
        assert_eq!(r.s.buf[1][2], sn(50, 0));
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "b               all    200.00      0.00      0.00      0.00      0.00         2\n\
             b                 0    200.00      0.00      0.00      0.00      0.00         2\n"
        );
    }
}
