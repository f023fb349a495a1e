//! Instantaneous gauges averaged over the printed samples: kernel tables
//! (`-v`), run queue and load (`-q`), huge pages (`-H`).
//!
//! Like memory, the Average line is the mean of the rows printed since the
//! last Average, kept as integer sums (sar's static accumulators).

use std::io;

use sarkit_format::stats::{StatsHuge, StatsKtables, StatsQueue};
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, u, Col, Item, Meta, RowSink, Val};
use super::{minmax_vals, write_vals, Ctx, Report, SampleSlots, Slots};

const META_KT: Meta = crate::gauge_meta!("kernel", ["dentunusd", "file-nr", "inode-nr", "pty-nr"]);
const COLS_Q: &[Col] = &[
    u("runq-sz", "runq-sz"),
    u("plist-sz", "plist-sz"),
    f("ldavg-1", "ldavg-1"),
    f("ldavg-5", "ldavg-5"),
    f("ldavg-15", "ldavg-15"),
    u("blocked", "blocked"),
];
const META_Q: Meta =
    Meta { fields: crate::fields!("", COLS_Q), tag: "queue", item_tag: "queue", cols: COLS_Q, ..Meta::EMPTY };
const COLS_H: &[Col] = &[
    u("kbhugfree", "hugfree"),
    u("kbhugused", "hugused"),
    f("%hugused", "hugused-percent"),
    u("kbhugrsvd", "hugrsvd"),
    u("kbhugsurp", "hugsurp"),
];
const META_H: Meta = Meta {
    fields: crate::fields!("", COLS_H),
    tag: "hugepages",
    item_tag: "hugepages",
    attrs: " unit=\"kB\"",
    elements: true,
    cols: COLS_H,
    ..Meta::EMPTY
};
use crate::sar::fmt::{
    hdr_line, sp_value, write_decimals, write_floats, write_percents, write_rounded, Extrema, Out, Xtrem, NO_UNIT,
    UNIT_KILOBYTE,
};

/// Which gauge report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ktables,
    Queue,
    Huge,
}

pub struct Gauges {
    kind: Kind,
    kt: Slots<StatsKtables>,
    q: Slots<StatsQueue>,
    h: Slots<StatsHuge>,
    sums: [u64; 6],
    x: Extrema,
}

impl Gauges {
    pub fn new(kind: Kind) -> Gauges {
        let w = match kind {
            Kind::Ktables => 4,
            Kind::Queue => 6,
            Kind::Huge => 5,
        };
        Gauges { kind, kt: Slots::new(1), q: Slots::new(1), h: Slots::new(1), sums: [0; 6], x: Extrema::new(w) }
    }

    fn table(&self) -> &'static Meta {
        match self.kind {
            Kind::Ktables => &META_KT,
            Kind::Queue => &META_Q,
            Kind::Huge => &META_H,
        }
    }

    fn show(&mut self, cx: &mut Ctx<'_>, curr: usize, avg: bool) -> io::Result<()> {
        let d = cx.out.display();
        if cx.show_header || (avg && d.minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], self.table().hdr_names(), 0)?;
        }
        // Only huge pages are sizes and a percentage.
        let huge = self.kind == Kind::Huge;
        let unit = if huge && d.human { UNIT_KILOBYTE } else { NO_UNIT };
        let write = |w: &mut Out<'_>, v: &[Val<'_>]| write_vals(w, unit, v, |_| huge.then_some(Xtrem::High));
        let mut v = [Val::U(0); 6];
        let n = self.vals(curr, &mut v);
        if d.minmax {
            minmax_vals(&mut cx.out, &mut self.x, avg, &v[..n], write)?;
        }
        cx.stamp(curr)?;
        let w = &mut cx.out;
        if !avg {
            write(w, &v[..n])?;
            let vals = self.levels(curr);
            for (s, v) in self.sums.iter_mut().zip(vals) {
                *s = s.wrapping_add(v);
            }
            return w.write_all(b"\n");
        }
        let n = cx.avg_count.max(1);
        let s = std::mem::take(&mut self.sums);
        let nf = n as f64;
        match self.kind {
            Kind::Ktables => {
                write_rounded(w, &[s[0] as f64 / nf, s[1] as f64 / nf, s[2] as f64 / nf, s[3] as f64 / nf])?
            }
            Kind::Queue => {
                let n100 = n.wrapping_mul(100) as f64;
                write_rounded(w, &[s[0] as f64 / nf, s[1] as f64 / nf])?;
                write_decimals(w, &[s[2] as f64 / n100, s[3] as f64 / n100, s[4] as f64 / n100])?;
                write_rounded(w, &[s[5] as f64 / nf])?;
            }
            Kind::Huge => {
                let (fr, tl) = (s[0] as f64 / nf, s[1] as f64 / nf);
                write_floats(w, unit, 0, &[fr, tl - fr])?;
                write_percents(w, Xtrem::High, 2, &[if s[1] != 0 { (tl - fr) / tl * 100.0 } else { 0.0 }])?;
                write_floats(w, unit, 0, &[s[2] as f64 / nf, s[3] as f64 / nf])?;
            }
        }
        w.write_all(b"\n")
    }
}

impl Report for Gauges {
    fn id(&self) -> ActivityId {
        match self.kind {
            Kind::Ktables => ActivityId::A_KTABLES,
            Kind::Queue => ActivityId::A_QUEUE,
            Kind::Huge => ActivityId::A_HUGE,
        }
    }
    fn slots(&self) -> &dyn SampleSlots {
        match self.kind {
            Kind::Ktables => &self.kt,
            Kind::Queue => &self.q,
            Kind::Huge => &self.h,
        }
    }
    fn slots_mut(&mut self) -> &mut dyn SampleSlots {
        match self.kind {
            Kind::Ktables => &mut self.kt,
            Kind::Queue => &mut self.q,
            Kind::Huge => &mut self.h,
        }
    }
    fn reset_extrema(&mut self) {
        self.x.reset(1);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, _prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.show(cx, curr, false)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, _itv: u64) -> io::Result<()> {
        self.show(cx, curr, true)
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let l = self.levels(curr);
        r.head(self.table().fields, 0)?;
        r.value(l[0])?;
        match self.kind {
            Kind::Ktables => l[1..4].iter().try_for_each(|&v| r.next_value(v))?,
            Kind::Queue => l[1..6].iter().try_for_each(|&v| r.next_value(v))?,
            Kind::Huge => {
                r.named_value("hugtotal", l[1])?;
                r.skip();
                r.skip();
                r.next_value(l[2])?;
                r.next_value(l[3])?;
            }
        }
        r.end()
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(self.table())
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let mut v = [Val::U(0); 6];
        let n = self.vals(curr, &mut v);
        sink.row(Item::None, &v[..n])
    }
}

impl Gauges {
    /// The activity's levels as recorded, in column order (ktables 4,
    /// queue 6, huge pages 4: free and total, reserved, surplus): what the
    /// rows, their sums for the Average and sadf `-r` read.
    fn levels(&self, curr: usize) -> [u64; 6] {
        match self.kind {
            Kind::Ktables => {
                let k = self.kt.get(curr, 0);
                [k.dentry_stat, k.file_used, k.inode_used, k.pty_nr, 0, 0]
            }
            Kind::Queue => {
                let q = self.q.get(curr, 0);
                let loads = [q.load_avg_1, q.load_avg_5, q.load_avg_15].map(u64::from);
                [q.nr_running, q.nr_threads, loads[0], loads[1], loads[2], q.procs_blocked]
            }
            Kind::Huge => {
                let h = self.h.get(curr, 0);
                [h.frhkb, h.tlhkb, h.rsvdhkb, h.surphkb, 0, 0]
            }
        }
    }

    /// One sample's row values, shared by sar's rows and the exports.
    fn vals(&self, curr: usize, out: &mut [Val<'static>; 6]) -> usize {
        let l = self.levels(curr);
        match self.kind {
            Kind::Ktables => {
                out.iter_mut().zip(&l[..4]).for_each(|(o, &v)| *o = Val::U(v));
                4
            }
            Kind::Queue => {
                let load = |v: u64| Val::F(v as f64 / 100.0);
                *out = [Val::U(l[0]), Val::U(l[1]), load(l[2]), load(l[3]), load(l[4]), Val::U(l[5])];
                6
            }
            Kind::Huge => {
                let (fr, tl) = (l[0], l[1]);
                let pct = if tl != 0 { sp_value(fr, tl, tl) } else { 0.0 };
                out[..5].copy_from_slice(&[
                    Val::U(fr),
                    Val::U(tl.wrapping_sub(fr)),
                    Val::F(pct),
                    Val::U(l[2]),
                    Val::U(l[3]),
                ]);
                5
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_average_of_loads() {
        let mut r = Gauges::new(Kind::Queue);
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["t", "t"], false, 0);
        for l in [100, 201] {
            r.q.buf[0][0] = StatsQueue { nr_running: 2, load_avg_1: l, ..Default::default() };
            r.print(&mut cx, 1, 0, 100).unwrap();
            cx.avg_count += 1;
        }
        r.print_avg(&mut cx, 0, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.lines().last().unwrap().starts_with("t                   2         0      1.50"), "{s}");
    }
}
