//! CPU clock frequency (`-m CPU`) and weighted frequency (`-m FREQ`), per
//! CPU with `-P`.
//!
//! `-m CPU` prints the sample itself (a CPU reading zero is offline and
//! skipped) and averages the printed samples; `-m FREQ` weighs each
//! frequency by the time spent at it during the interval, so its Average is
//! the same computation from the segment's first sample.

use std::io;

use sarkit_format::stats::{StatsPwrCpufreq, StatsPwrWghfreq};
use sarkit_format::{ActivityId, StatsRecord};

use super::raw::Raw;
use super::values::{f, row_f, Col, Item, Meta, RowSink, Shape};
use super::{cpu_selected, Ctx, Report, Slots, FIRST};

const COLS_CPU: &[Col] = &[f("MHz", "frequency")];

const META_CPU: Meta = crate::table!(
    "CPU",
    COLS_CPU,
    Meta::EMPTY,
    group: Some("power-management"),
    tag: "cpu-frequency",
    item_tag: "cpufreq",
    item_key: "number",
    attrs: " unit=\"MHz\"",
    shape: Shape::List,
);
const COLS_FREQ: &[Col] = &[f("wghMHz", "weighted-frequency")];

const META_FREQ: Meta = crate::table!(
    "CPU",
    COLS_FREQ,
    Meta::EMPTY,
    group: Some("power-management"),
    tag: "cpu-weighted-frequency",
    item_tag: "cpuwfreq",
    item_key: "number",
    attrs: " unit=\"MHz\"",
    shape: Shape::List,
    order: &[],
);
use crate::sar::fmt::{formatted, hdr_line, item, minmax_lines, write_decimals, Extrema, Out};
use crate::sar::options::NR_CPUS;

/// The CPU column of these two reports: `     all` or `     %3d`.
fn cpu_name(w: &mut Out<'_>, i: usize) -> io::Result<()> {
    if i == 0 {
        return item(w, b"     all");
    }
    item(w, formatted(&mut [0; 24], format_args!("     {:>3}", i - 1)))
}

/// `-x` under an Average: a header, then the extrema of one CPU.
fn minmax_rows(cx: &mut Ctx<'_>, curr: usize, meta: &Meta, i: usize, x: &mut Extrema) -> io::Result<()> {
    hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], meta.hdr_names(), 7)?;
    minmax_lines(&mut cx.out, |w, ismax| {
        cpu_name(w, i)?;
        write_decimals(w, x.row(i, ismax))
    })
}

pub struct CpuFreq {
    s: Slots<StatsPwrCpufreq>,
    bitmap: Vec<u8>,
    bits: u64,
    /// Sum of printed frequencies per CPU, for the Average.
    sums: Vec<u64>,
    x: Extrema,
}

impl CpuFreq {
    pub fn new(bitmap: Vec<u8>, bits: u64) -> CpuFreq {
        CpuFreq { s: Slots::new(1), bitmap, bits, sums: Vec::new(), x: Extrema::new(1) }
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, curr: usize, avg: bool) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        if cx.show_header && !(avg && minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META_CPU.hdr_names(), 7)?;
        }
        let n = self.s.count(curr).min(NR_CPUS + 1);
        if self.sums.len() < n {
            self.sums.resize(n, 0);
        }
        for i in 0..n {
            let f = self.s.buf[curr][i].cpufreq;
            if f == 0 || !cpu_selected(&self.bitmap, i) {
                continue;
            }
            if minmax {
                if avg {
                    minmax_rows(cx, curr, &META_CPU, i, &mut self.x)?;
                } else {
                    self.x.save(i, 0, f as f64 / 100.0);
                }
            }
            cx.stamp(curr)?;
            cpu_name(&mut cx.out, i)?;
            if avg {
                let div = 100u64.wrapping_mul(cx.avg_count);
                write_decimals(&mut cx.out, &[self.sums[i] as f64 / div as f64])?;
            } else {
                write_decimals(&mut cx.out, &[f as f64 / 100.0])?;
                self.sums[i] = self.sums[i].wrapping_add(f);
            }
            cx.out.write_all(b"\n")?;
        }
        if avg {
            self.sums.iter_mut().for_each(|s| *s = 0);
        }
        Ok(())
    }
}

impl Report for CpuFreq {
    crate::slot_access!(s, ActivityId::A_PWR_CPU);
    fn line_inc(&self) -> Option<u64> {
        Some(self.bits)
    }
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr[FIRST].max(1) as usize);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, _prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, curr, false)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META_CPU)
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let n = self.s.count(curr).min(NR_CPUS + 1);
        for i in (0..n).filter(|&i| cpu_selected(&self.bitmap, i)) {
            r.head(META_CPU.fields, 0)?;
            r.value(i as i64 - 1)?;
            r.next_value(self.s.buf[curr][i].cpufreq)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let n = self.s.count(curr).min(NR_CPUS + 1);
        for i in 0..n {
            let f = self.s.buf[curr][i].cpufreq;
            if f != 0 && cpu_selected(&self.bitmap, i) {
                row_f(sink, Item::Cpu(i), &[f as f64 / 100.0])?;
            }
        }
        Ok(())
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, curr, true)
    }
}

/// `-m FREQ`: a matrix of CPUs by frequencies.
pub struct WghFreq {
    s: Slots<StatsPwrWghfreq>,
    /// Frequencies per CPU (the file's `nr2`).
    nr2: usize,
    bitmap: Vec<u8>,
    bits: u64,
    x: Extrema,
}

/// Frequency weighted by time in state between two rows of the matrix, in MHz.
/// The selected CPUs of `curr` and their weighted frequency since `prev`;
/// each CPU has `nr2` states.
fn cpu_mhz<'a>(
    s: &'a Slots<StatsPwrWghfreq>,
    nr2: usize,
    bitmap: &'a [u8],
    prev: usize,
    curr: usize,
) -> impl Iterator<Item = (usize, f64)> + 'a {
    let nr2 = nr2.max(1);
    let n = (s.nr[curr].max(0) as usize).min(NR_CPUS + 1);
    let states = move |slot: usize, i: usize| -> &'a [StatsPwrWghfreq] {
        let b = &s.buf[slot];
        let lo = (i * nr2).min(b.len());
        &b[lo..(lo + nr2).min(b.len())]
    };
    (0..n).filter(|&i| cpu_selected(bitmap, i)).map(move |i| (i, weighted_mhz(states(curr, i), states(prev, i))))
}

pub fn weighted_mhz(c: &[StatsPwrWghfreq], p: &[StatsPwrWghfreq]) -> f64 {
    let (mut tisfreq, mut tis) = (0u64, 0u64);
    for (k, ck) in c.iter().enumerate() {
        if ck.freq == 0 {
            break;
        }
        let d = ck.time_in_state.wrapping_sub(p.get(k).map_or(0, |x| x.time_in_state));
        tisfreq = tisfreq.wrapping_add((ck.freq / 1000).wrapping_mul(d));
        tis = tis.wrapping_add(d);
    }
    if tis != 0 {
        tisfreq as f64 / tis as f64
    } else {
        0.0
    }
}

impl WghFreq {
    pub fn new(bitmap: Vec<u8>, bits: u64) -> WghFreq {
        WghFreq { s: Slots::new(1), nr2: 1, bitmap, bits, x: Extrema::new(1) }
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        let avg = prev == FIRST;
        if cx.show_header && !(avg && minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META_FREQ.hdr_names(), 7)?;
        }
        for (i, mhz) in cpu_mhz(&self.s, self.nr2, &self.bitmap, prev, curr) {
            if minmax {
                if avg {
                    minmax_rows(cx, curr, &META_FREQ, i, &mut self.x)?;
                } else {
                    self.x.save(i, 0, mhz);
                }
            }
            cx.stamp(curr)?;
            cpu_name(&mut cx.out, i)?;
            write_decimals(&mut cx.out, &[mhz])?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Report for WghFreq {
    fn id(&self) -> ActivityId {
        ActivityId::A_PWR_FREQ
    }
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        let b = rec.block(ActivityId::A_PWR_FREQ);
        self.s.load(slot, b, None);
        if let Some(b) = b {
            self.nr2 = b.nr2() as usize;
            self.s.nr[slot] = b.nr as i64;
        }
    }
    crate::slot_access!(s);
    fn line_inc(&self) -> Option<u64> {
        Some(self.bits)
    }
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr[FIRST].max(1) as usize);
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META_FREQ)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let nr2 = self.nr2.max(1);
        let n = (self.s.nr[curr].max(0) as usize).min(NR_CPUS + 1);
        for i in (0..n).filter(|&i| cpu_selected(&self.bitmap, i)) {
            r.head(META_FREQ.fields, 0)?;
            r.value(i as i64 - 1)?;
            for k in 0..nr2 {
                let c = self.s.get(curr, (i * nr2 + k) as i64);
                if c.freq == 0 {
                    break;
                }
                let p = self.s.get(prev, (i * nr2 + k) as i64);
                r.named_value("freq", c.freq)?;
                r.bytes(b" tminst")?;
                r.pair(p.time_in_state, c.time_in_state)?;
            }
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        cpu_mhz(&self.s, self.nr2, &self.bitmap, prev, curr).try_for_each(|(i, mhz)| row_f(sink, Item::Cpu(i), &[mhz]))
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, prev, curr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_frequency_stops_at_first_empty_state() {
        let p = [
            StatsPwrWghfreq { time_in_state: 0, freq: 1_000_000 },
            StatsPwrWghfreq { time_in_state: 0, freq: 2_000_000 },
            StatsPwrWghfreq { time_in_state: 0, freq: 0 },
        ];
        let c = [
            StatsPwrWghfreq { time_in_state: 30, freq: 1_000_000 },
            StatsPwrWghfreq { time_in_state: 10, freq: 2_000_000 },
            StatsPwrWghfreq { time_in_state: 99, freq: 0 },
        ];
        assert_eq!(weighted_mhz(&c, &p), 1250.0);
        assert_eq!(weighted_mhz(&p, &p), 0.0);
    }

    #[test]
    fn offline_cpu_is_skipped_and_average_is_mean() {
        let mut r = CpuFreq::new(vec![0xff], 8);
        r.s.ensure(3);
        r.s.nr[0] = 3;
        r.s.buf[0][0].cpufreq = 150_000;
        r.s.buf[0][2].cpufreq = 100_000;
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], false, 1);
        r.print(&mut cx, 1, 0, 100).unwrap();
        r.print_avg(&mut cx, 0, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "a               all   1500.00\na                 1   1000.00\na               all   1500.00\na                 1   1000.00\n"
        );
    }
}
