//! Task creation and context switches (`-w`).

use std::io;

use sarkit_format::stats::StatsPcsw;
use sarkit_format::{ActivityId, StatsRecord};

use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{f2, hdr_line, s_value};

const HDR: &[&str] = &["proc/s", "cswch/s"];

pub struct Pcsw {
    s: Slots<StatsPcsw>,
}

impl Pcsw {
    pub fn new() -> Pcsw {
        Pcsw { s: Slots::new(1) }
    }

    fn row(&self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        if cx.dish {
            hdr_line(cx.out, &cx.ts[1 - curr.min(1)], HDR, 0)?;
        }
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        cx.ts[curr.min(1)].write_padded(cx.out)?;
        f2(cx.out, &[s_value(p.processes, c.processes, itv), s_value(p.context_switch, c.context_switch, itv)])?;
        cx.out.write_all(b"\n")
    }
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
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, prev, curr, itv)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, FIRST, curr, itv)
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
