//! Pressure stall information (`-q CPU`, `-q IO`, `-q MEM`).
//!
//! The 10/60/300 s averages are gauges averaged over the printed rows; the
//! stall percentage is a rate of the total stall time between two samples.

use std::io;

use sarkit_format::stats::{StatsPsiCpu, StatsPsiIo, StatsPsiMem};
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, row_f, Col, Item, Meta, RowSink};
use super::{Ctx, Report, SampleSlots, Slots, FIRST};
use crate::sar::fmt::{hdr_line, minmax_lines, write_percents, Extrema, Xtrem};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Cpu,
    Io,
    Mem,
}

/// One sample in a common shape: totals (some, full) and averages (some x3, full x3).
#[derive(Debug, Clone, Copy, Default)]
struct Psi {
    total: [u64; 2],
    avg: [u64; 6],
}

const COLS_CPU: &[Col] =
    &[f("%scpu-10", "some_avg10"), f("%scpu-60", "some_avg60"), f("%scpu-300", "some_avg300"), f("%scpu", "some_avg")];
const COLS_IO: &[Col] = &[
    f("%sio-10", "some_avg10"),
    f("%sio-60", "some_avg60"),
    f("%sio-300", "some_avg300"),
    f("%sio", "some_avg"),
    f("%fio-10", "full_avg10"),
    f("%fio-60", "full_avg60"),
    f("%fio-300", "full_avg300"),
    f("%fio", "full_avg"),
];
const COLS_MEM: &[Col] = &[
    f("%smem-10", "some_avg10"),
    f("%smem-60", "some_avg60"),
    f("%smem-300", "some_avg300"),
    f("%smem", "some_avg"),
    f("%fmem-10", "full_avg10"),
    f("%fmem-60", "full_avg60"),
    f("%fmem-300", "full_avg300"),
    f("%fmem", "full_avg"),
];
const META_CPU: Meta = Meta {
    fields: crate::fields!("", COLS_CPU),
    group: Some("psi"),
    tag: "psi-cpu",
    item_tag: "psi-cpu",
    cols: COLS_CPU,
    ..Meta::EMPTY
};
const META_IO: Meta =
    Meta { fields: crate::fields!("", COLS_IO), tag: "psi-io", item_tag: "psi-io", cols: COLS_IO, ..META_CPU };
const META_MEM: Meta =
    Meta { fields: crate::fields!("", COLS_MEM), tag: "psi-mem", item_tag: "psi-mem", cols: COLS_MEM, ..META_CPU };

pub struct PsiReport {
    kind: Kind,
    cpu: Slots<StatsPsiCpu>,
    io: Slots<StatsPsiIo>,
    mem: Slots<StatsPsiMem>,
    sums: [u64; 6],
    x: Extrema,
}

impl PsiReport {
    pub fn new(kind: Kind) -> PsiReport {
        let w = if kind == Kind::Cpu { 4 } else { 8 };
        PsiReport { kind, cpu: Slots::new(1), io: Slots::new(1), mem: Slots::new(1), sums: [0; 6], x: Extrema::new(w) }
    }

    fn get(&self, slot: usize) -> Psi {
        match self.kind {
            Kind::Cpu => {
                let s = self.cpu.get(slot, 0);
                Psi { total: [s.some_cpu_total, 0], avg: [s.some_acpu_10, s.some_acpu_60, s.some_acpu_300, 0, 0, 0] }
            }
            Kind::Io => {
                let s = self.io.get(slot, 0);
                Psi {
                    total: [s.some_io_total, s.full_io_total],
                    avg: [s.some_aio_10, s.some_aio_60, s.some_aio_300, s.full_aio_10, s.full_aio_60, s.full_aio_300],
                }
            }
            Kind::Mem => {
                let s = self.mem.get(slot, 0);
                Psi {
                    total: [s.some_mem_total, s.full_mem_total],
                    avg: [
                        s.some_amem_10,
                        s.some_amem_60,
                        s.some_amem_300,
                        s.full_amem_10,
                        s.full_amem_60,
                        s.full_amem_300,
                    ],
                }
            }
        }
    }

    /// The row's values: per half (some, full), the 10/60/300 s averages and
    /// the stall percentage of the interval.
    fn vals(&self, prev: usize, curr: usize, itv: u64, out: &mut [f64; 8]) -> usize {
        let (c, p) = (self.get(curr), self.get(prev));
        let halves = if self.kind == Kind::Cpu { 1 } else { 2 };
        let div = 100u64.wrapping_mul(itv) as f64;
        for h in 0..halves {
            for k in 0..3 {
                out[h * 4 + k] = c.avg[h * 3 + k] as f64 / 100.0;
            }
            out[h * 4 + 3] = (c.total[h] as f64 - p.total[h] as f64) / div;
        }
        halves * 4
    }
}

impl Report for PsiReport {
    fn id(&self) -> ActivityId {
        match self.kind {
            Kind::Cpu => ActivityId::A_PSI_CPU,
            Kind::Io => ActivityId::A_PSI_IO,
            Kind::Mem => ActivityId::A_PSI_MEM,
        }
    }
    fn slots(&self) -> &dyn SampleSlots {
        match self.kind {
            Kind::Cpu => &self.cpu,
            Kind::Io => &self.io,
            Kind::Mem => &self.mem,
        }
    }
    fn slots_mut(&mut self) -> &mut dyn SampleSlots {
        match self.kind {
            Kind::Cpu => &mut self.cpu,
            Kind::Io => &mut self.io,
            Kind::Mem => &mut self.mem,
        }
    }
    fn reset_extrema(&mut self) {
        self.x.reset(1);
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let (c, p) = (self.get(curr), self.get(prev));
        let meta = self.meta().unwrap_or(&META_CPU);
        r.head(meta.fields, 0)?;
        let halves = if self.kind == Kind::Cpu { 1 } else { 2 };
        for h in 0..halves {
            if h == 0 {
                r.value(c.avg[0])?
            } else {
                r.next_value(c.avg[3])?
            }
            r.next_value(c.avg[h * 3 + 1])?;
            r.next_value(c.avg[h * 3 + 2])?;
            r.next_pair(p.total[h], c.total[h])?;
        }
        r.end()
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(match self.kind {
            Kind::Cpu => &META_CPU,
            Kind::Io => &META_IO,
            Kind::Mem => &META_MEM,
        })
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let mut v = [0.0; 8];
        let n = self.vals(prev, curr, itv, &mut v);
        row_f(sink, Item::None, &v[..n])
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = cx.out.display();
        let avg = prev == FIRST;
        if cx.show_header || (avg && d.minmax) {
            let hdr = self.meta().map_or(META_CPU.hdr_names(), Meta::hdr_names);
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], hdr, 0)?;
        }
        let (c, p) = (self.get(curr), self.get(prev));
        let halves = if self.kind == Kind::Cpu { 1 } else { 2 };
        let div = 100u64.wrapping_mul(itv) as f64;
        let pct = |h: usize| (c.total[h] as f64 - p.total[h] as f64) / div;
        if d.minmax {
            if !avg {
                for h in 0..halves {
                    for k in 0..3 {
                        self.x.save(0, h * 4 + k, c.avg[h * 3 + k] as f64 / 100.0);
                    }
                    self.x.save(0, h * 4 + 3, pct(h));
                }
            } else {
                minmax_lines(&mut cx.out, |w, ismax| write_percents(w, Xtrem::High, 2, self.x.row(0, ismax)))?;
            }
        }
        cx.stamp(curr)?;
        let w = &mut cx.out;
        let n100 = cx.avg_count.wrapping_mul(100) as f64;
        for h in 0..halves {
            let a = &c.avg[h * 3..h * 3 + 3];
            if !avg {
                write_percents(w, Xtrem::High, 2, &[a[0] as f64 / 100.0, a[1] as f64 / 100.0, a[2] as f64 / 100.0])?;
                for (s, &v) in self.sums[h * 3..h * 3 + 3].iter_mut().zip(a) {
                    *s = s.wrapping_add(v);
                }
            } else {
                let s = &mut self.sums[h * 3..h * 3 + 3];
                write_percents(w, Xtrem::High, 2, &[s[0] as f64 / n100, s[1] as f64 / n100, s[2] as f64 / n100])?;
                s.iter_mut().for_each(|v| *v = 0);
            }
            write_percents(w, Xtrem::High, 2, &[pct(h)])?;
        }
        w.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stall_percentage_from_totals() {
        let mut r = PsiReport::new(Kind::Cpu);
        r.cpu.buf[0][0] = StatsPsiCpu { some_cpu_total: 1_000_000, ..Default::default() };
        r.cpu.buf[1][0] = StatsPsiCpu { some_cpu_total: 1_500_000, some_acpu_10: 250, ..Default::default() };
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "t"], false, 0);
        r.print(&mut cx, 0, 1, 1000).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "t                2.50      0.00      0.00      5.00\n");
    }
}
