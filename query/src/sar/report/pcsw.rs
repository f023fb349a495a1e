//! Task creation and context switches (`-w`).

use std::io;

use sarkit_format::stats::StatsPcsw;
use sarkit_format::{ActivityId, StatsRecord};

use super::raw::Raw;
use super::values::{row_f, Item, Meta, RowSink};
use super::{Ctx, Report, Slots, FIRST};

const META: Meta =
    Meta { attrs: " per=\"second\"", ..crate::rate_meta!("process-and-context-switch", ["proc/s", "cswch/s"]) };
use crate::sar::fmt::{display, f2, hdr_line, ll_sp_value, minmax_lines, s_value, Extrema};

const HDR: &[&str] = &["proc/s", "cswch/s"];

pub struct Pcsw {
    s: Slots<StatsPcsw>,
    x: Extrema,
}

impl Pcsw {
    pub fn new() -> Pcsw {
        Pcsw { s: Slots::new(1), x: Extrema::new(2) }
    }

    fn row(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = display();
        let avg = prev == FIRST;
        if cx.dish || (avg && d.minmax) {
            hdr_line(cx.out, &cx.ts[1 - curr.min(1)], HDR, 0)?;
        }
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        if d.minmax {
            if !avg {
                let xs = |a: u64, b: u64| ll_sp_value(a, b, itv);
                self.x.save_row(0, &[xs(p.processes, c.processes), xs(p.context_switch, c.context_switch)]);
            } else {
                minmax_lines(cx.out, |w, ismax| f2(w, self.x.row(0, ismax)))?;
            }
        }
        cx.stamp(curr)?;
        f2(cx.out, &rates(&c, &p, itv))?;
        cx.out.write_all(b"\n")
    }
}

/// proc/s and cswch/s.
fn rates(c: &StatsPcsw, p: &StatsPcsw, itv: u64) -> [f64; 2] {
    [s_value(p.processes, c.processes, itv), s_value(p.context_switch, c.context_switch, itv)]
}

impl Default for Pcsw {
    fn default() -> Self {
        Self::new()
    }
}

impl Report for Pcsw {
    fn id(&self) -> ActivityId {
        ActivityId::A_PCSW
    }
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        self.s.load(slot, rec.block(ActivityId::A_PCSW), None);
    }
    fn copy(&mut self, dest: usize, src: usize) {
        self.s.copy(dest, src)
    }
    fn nr(&self, slot: usize) -> i64 {
        self.s.nr[slot]
    }
    fn reset_extrema(&mut self) {
        self.x.reset(1);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, prev, curr, itv)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, FIRST, curr, itv)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META)
    }
    fn has_raw(&self) -> bool {
        true
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        r.head(META.fields, 0)?;
        r.pv(p.processes, c.processes)?;
        r.npv(p.context_switch, c.context_switch)?;
        r.end()
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        row_f(sink, Item::None, &rates(&c, &p, itv))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::timefmt::Stamp;

    #[test]
    fn rates_per_second() {
        let mut r = Pcsw::new();
        r.s.buf[0][0] = StatsPcsw { context_switch: 1000, processes: 10 };
        r.s.buf[1][0] = StatsPcsw { context_switch: 3000, processes: 30 };
        let mut out = Vec::new();
        let mut cx = Ctx { out: &mut out, ts: [Stamp::text("a"), Stamp::text("12:00:00")], dish: false, avg_count: 0 };
        r.print(&mut cx, 0, 1, 1000).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "12:00:00         2.00    200.00\n");
    }
}
