//! Interrupts (`-I`, `--int`): sysstat 12.7's matrix of one row per
//! interrupt and one column per CPU ("all" first).
//!
//! A record holds `nr` CPUs of `nr2` interrupts each, CPU-major. The first
//! interrupt of each CPU is its "sum": a zero sum marks the CPU offline (its
//! previous values are kept) or, in the previous sample, not yet seen.

use std::io::{self, Write};

use sarkit_format::stats::StatsIrq;
use sarkit_format::{ActivityId, StatsRecord};

use super::raw::Raw;
use super::values::{f, Col, Item, Meta, RowSink, Shape, Val, ValueKind};
use super::{CpuSlots, Ctx, Report, SampleSlots, FIRST};
use crate::sar::fmt::{item_pos, minmax_lines, s_value_u32, write_decimals, Extrema};
use crate::sar::options::NR_CPUS;

/// JSON: `"interrupts": [{"intr": "sum", "all": 1.00, "CPU0": ...}]`.
/// One column: the rate of an interrupt, repeated for each CPU shown.
const COLS: &[Col] = &[f("CPU*", "value").kind(ValueKind::Rate)];
const META_B: Meta = crate::table!(
    "INTR",
    COLS,
    Meta::EMPTY,
    tag: "interrupts",
    item_tag: "irq",
    item_key: "intr",
    shape: Shape::List,
);
const META: Meta = Meta { xml: Some(&META_XML), ..META_B };
/// XML: `<interrupts><int-global per="second"><irq intr="sum" cpu="all" value="1.00"/>`.
const META_XML: Meta = Meta { group: Some("interrupts"), tag: "int-global", attrs: " per=\"second\"", ..META_B };

pub struct Irq {
    /// `per_cpu` is the file's `nr2`: interrupts per CPU.
    s: CpuSlots<StatsIrq>,
    /// `sar 0` (`S_F_SINCE_BOOT`): the previous sample is the zeros of boot
    /// time, so CPUs with no previous values are shown.
    since_boot: bool,
    list: Option<Vec<Vec<u8>>>,
    masked: Vec<bool>,
    x: Extrema,
    /// A row's CPU slots and values, kept between rows.
    cpus: Vec<usize>,
    vals: Vec<Val<'static>>,
}

impl Irq {
    pub fn new(
        nr_ini: i64,
        nr2: usize,
        bitmap: Vec<u8>,
        bits: u64,
        list: Option<Vec<Vec<u8>>>,
        since_boot: bool,
    ) -> Irq {
        Irq {
            s: CpuSlots::new(nr_ini, bitmap, bits, nr2),
            since_boot,
            list,
            masked: Vec::new(),
            x: Extrema::new(1),
            cpus: Vec::new(),
            vals: Vec::new(),
        }
    }

    fn at(&self, slot: usize, cpu: usize, irq: usize) -> StatsIrq {
        self.s.buf[slot].get(cpu * self.s.per_cpu + irq).copied().unwrap_or_default()
    }

    /// `get_global_int_statistics`: mark CPUs not to show, and give offline
    /// CPUs their previous values.
    fn mask(&mut self, prev: usize, curr: usize) {
        let n = (self.s.nr_ini.max(0) as usize).min(NR_CPUS + 1);
        self.masked.clear();
        self.masked.resize(n.max(self.s.nr[curr].max(0) as usize), false);
        self.s.s.ensure(n * self.s.per_cpu);
        for i in 0..n {
            let sp = self.at(prev, i, 0);
            if (sp.irq_nr == 0 && !self.since_boot) || !self.s.selected(i) {
                self.masked[i] = true;
                continue;
            }
            if self.at(curr, i, 0).irq_nr == 0 {
                self.masked[i] = true;
                let r = i * self.s.per_cpu..(i + 1) * self.s.per_cpu;
                let [a, b, c] = &mut self.s.buf;
                let (dst, src): (&mut Vec<StatsIrq>, &Vec<StatsIrq>) = match (curr, prev) {
                    (0, 1) => (a, b),
                    (0, 2) => (a, c),
                    (1, 0) => (b, a),
                    (1, 2) => (b, c),
                    _ => continue,
                };
                dst[r.clone()].copy_from_slice(&src[r]);
            }
        }
    }

    /// Interrupt `i`'s rate on CPU slot `c` (0 is "all", never negative).
    fn value(&self, prev: usize, curr: usize, c: usize, i: usize, itv: u64) -> f64 {
        let (sc, sp) = (self.at(curr, c, i), self.at(prev, c, i));
        if c == 0 && sc.irq_nr < sp.irq_nr {
            0.0
        } else {
            s_value_u32(sp.irq_nr, sc.irq_nr, itv)
        }
    }

    fn listed(&self, name: &[u8]) -> bool {
        self.list.as_ref().is_none_or(|l| l.iter().any(|x| x.as_slice() == name))
    }

    fn is_masked(&self, i: usize) -> bool {
        self.masked.get(i).copied().unwrap_or(false)
    }

    fn header(&self, cx: &mut Ctx<'_>, curr: usize) -> io::Result<()> {
        let pretty = cx.out.display().pretty;
        let w = &mut cx.out;
        w.write_all(b"\n")?;
        cx.ts[1 - curr.min(1)].write_padded(w)?;
        if !pretty {
            write!(w, " {:>9}", "INTR")?;
        }
        let n = (self.s.nr_ini.max(0) as usize).min(NR_CPUS + 1);
        for j in 0..n {
            if !self.s.selected(j) || self.is_masked(j) {
                continue;
            }
            if j == 0 {
                write!(w, " {:>9}", "all")?;
            } else {
                let mut b = [0u8; 16];
                let mut c = io::Cursor::new(&mut b[..]);
                let _ = write!(c, "CPU{}", j - 1);
                let len = c.position() as usize;
                write!(w, " {:>9}", std::str::from_utf8(&b[..len]).unwrap_or(""))?;
            }
        }
        if pretty {
            w.write_all(b" INTR")?;
        }
        w.write_all(b"\n")
    }
}

impl Report for Irq {
    fn id(&self) -> ActivityId {
        ActivityId::A_IRQ
    }
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        let b = rec.block(ActivityId::A_IRQ);
        if let Some(b) = b {
            self.s.per_cpu = (b.nr2() as usize).max(1);
        }
        self.s.load_slot(slot, b);
        // The block's items are CPUs times interrupts; `nr` counts CPUs.
        self.s.nr[slot] = b.map_or(0, |b| b.nr as i64);
    }
    crate::slot_access!(s);
    fn reset_extrema(&mut self) {
        self.x.reset(0);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = cx.out.display();
        let avg = prev == FIRST;
        self.s.grow_to(curr);
        self.mask(prev, curr);
        if !(avg && d.minmax) {
            self.header(cx, curr)?;
        }
        let ncpu = (self.s.nr[curr].max(0) as usize).min(NR_CPUS + 1);
        for i in 0..self.s.per_cpu {
            let call = self.at(curr, 0, i);
            let name = call.irq_name;
            let name = name.as_bytes();
            if !self.listed(name) {
                continue;
            }
            if d.zero_omit && call.irq_nr == self.at(prev, 0, i).irq_nr {
                continue;
            }
            if d.minmax && avg {
                self.header(cx, curr)?;
                minmax_lines(&mut cx.out, |w, ismax| {
                    item_pos(w, name, false)?;
                    for c in 0..ncpu {
                        if self.is_masked(c) {
                            continue;
                        }
                        if self.x.seen(c * self.s.per_cpu + i, 0) {
                            let v = self.x.row(c * self.s.per_cpu + i, ismax)[0];
                            write_decimals(w, &[v])?;
                        }
                    }
                    item_pos(w, name, true)
                })?;
            }
            cx.stamp(curr)?;
            let w = &mut cx.out;
            item_pos(w, name, false)?;
            for c in 0..ncpu {
                if self.is_masked(c) {
                    continue;
                }
                let v = self.value(prev, curr, c, i, itv);
                write_decimals(w, &[v])?;
                if d.minmax && !avg {
                    self.x.save(c * self.s.per_cpu + i, 0, v);
                }
            }
            item_pos(w, name, true)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        self.s.grow_to(curr);
        // Offline CPUs are shown too.
        let ncpu = (self.s.nr[curr].max(0) as usize).min(NR_CPUS + 1);
        for i in 0..self.s.per_cpu {
            let name = self.at(curr, 0, i).irq_name;
            if !self.listed(name.as_bytes()) {
                continue;
            }
            r.head(META.fields, 0)?;
            r.bytes(b"; ")?;
            r.bytes(name.as_bytes())?;
            r.bytes(b";")?;
            for c in (0..ncpu).filter(|&c| self.s.selected(c)) {
                r.cpu_pair(c, u64::from(self.at(prev, c, i).irq_nr), u64::from(self.at(curr, c, i).irq_nr))?;
            }
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        self.s.grow_to(curr);
        self.mask(prev, curr);
        let ncpu = (self.s.nr[curr].max(0) as usize).min(NR_CPUS + 1);
        for i in 0..self.s.per_cpu {
            let name = self.at(curr, 0, i).irq_name;
            if !self.listed(name.as_bytes()) {
                continue;
            }
            let (mut cpus, mut vals) = (std::mem::take(&mut self.cpus), std::mem::take(&mut self.vals));
            cpus.clear();
            vals.clear();
            for c in (0..ncpu).filter(|&c| !self.is_masked(c)) {
                cpus.push(c);
                vals.push(Val::F(self.value(prev, curr, c, i, itv)));
            }
            let r = sink.cpu_row(Item::Name(name.as_bytes()), &cpus, &vals);
            (self.cpus, self.vals) = (cpus, vals);
            r?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_rate_is_32_bit() {
        assert_eq!(s_value_u32(u32::MAX, 0, 100), 1.0);
    }
}
