//! Memory (`-r [ALL]`) and swap (`-S`) utilization: two outputs of one activity.
//!
//! Unlike rate reports, these print the sample itself, and the Average line
//! is the mean of the printed samples, so sums are kept across rows (sar's
//! static accumulators) and cleared when the Average is printed.

use std::io;

use sarkit_format::stats::StatsMemory;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, u, Col, Item, Meta, RowSink, Val};
use super::{minmax_vals, write_vals, Ctx, Report, Slots};

const C_MEM: [Col; 17] = [
    u("kbmemfree", "memfree"),
    u("kbavail", "avail"),
    u("kbmemused", "memused"),
    f("%memused", "memused-percent"),
    u("kbbuffers", "buffers"),
    u("kbcached", "cached"),
    u("kbcommit", "commit"),
    f("%commit", "commit-percent"),
    u("kbactive", "active"),
    u("kbinact", "inactive"),
    u("kbdirty", "dirty"),
    u("kbshared", "shared").in_sar("kbshmem"),
    u("kbanonpg", "anonpg"),
    u("kbslab", "slab"),
    u("kbkstack", "kstack"),
    u("kbpgtbl", "pgtbl"),
    u("kbvmused", "vmused"),
];
const C_SWAP: [Col; 5] = [
    u("kbswpfree", "swpfree"),
    u("kbswpused", "swpused"),
    f("%swpused", "swpused-percent"),
    u("kbswpcad", "swpcad"),
    f("%swpcad", "swpcad-percent"),
];

/// `a` then `b`, in a const.
const fn cat<const N: usize>(a: &[Col], b: &[Col]) -> [Col; N] {
    let mut out = [u("", ""); N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}
const C_MEM12: [Col; 12] = cat(&C_MEM, &[]);
const C_MEM12_SWAP: [Col; 17] = cat(&C_MEM12, &C_SWAP);
const C_MEM17_SWAP: [Col; 22] = cat(&C_MEM, &C_SWAP);

const MEM_FIELDS: &str = crate::fields!("", &C_MEM12);
const ALL_FIELDS: &str = crate::fields!("", &C_MEM);
const SWAP_FIELDS: &str = crate::fields!("", &C_SWAP);

/// JSON `"memory": {...}`; XML `<memory unit="kB">` of child elements,
/// holding the swap values too when both outputs are on.
const META_MEM_B: Meta = Meta { fields: MEM_FIELDS, tag: "memory", item_tag: "memory", cols: &C_MEM12, ..Meta::EMPTY };
const META_MEM: Meta = Meta { xml: Some(&META_MEM_X), ..META_MEM_B };
const META_MEM_X: Meta = Meta { attrs: " unit=\"kB\"", elements: true, ..META_MEM_B };
const META_MEM_ALL: Meta = Meta { fields: ALL_FIELDS, cols: &C_MEM, xml: Some(&META_MEM_ALL_X), ..META_MEM };
const META_MEM_ALL_X: Meta = Meta { fields: ALL_FIELDS, cols: &C_MEM, ..META_MEM_X };
const META_SWAP: Meta = Meta { fields: SWAP_FIELDS, cols: &C_SWAP, xml: Some(&META_SWAP_X), ..META_MEM };
const META_SWAP_X: Meta = Meta { fields: SWAP_FIELDS, cols: &C_SWAP, ..META_MEM_X };
const META_MEM_SWAP: Meta = Meta { cols: &C_MEM12_SWAP, xml: Some(&META_MEM_SWAP_X), ..META_MEM };
const META_MEM_SWAP_X: Meta = Meta { cols: &C_MEM12_SWAP, ..META_MEM_X };
const META_ALL_SWAP: Meta = Meta { fields: ALL_FIELDS, cols: &C_MEM17_SWAP, xml: Some(&META_ALL_SWAP_X), ..META_MEM };
const META_ALL_SWAP_X: Meta = Meta { fields: ALL_FIELDS, cols: &C_MEM17_SWAP, ..META_MEM_X };
use crate::sar::fmt::{
    display, hdr_line, sp_value, write_floats, write_percents, Extrema, Xtrem, NO_UNIT, UNIT_KILOBYTE,
};

pub const OUT_MEMORY: u32 = 1;
pub const OUT_SWAP: u32 = 2;

/// Running sums for the Average line.
#[derive(Default)]
struct MemSums {
    frmkb: u64,
    bufkb: u64,
    camkb: u64,
    comkb: u64,
    activekb: u64,
    inactkb: u64,
    dirtykb: u64,
    anonpgkb: u64,
    slabkb: u64,
    kstackkb: u64,
    pgtblkb: u64,
    vmusedkb: u64,
    availablekb: u64,
    shmemkb: u64,
}

#[derive(Default)]
struct SwapSums {
    frskb: u64,
    tlskb: u64,
    caskb: u64,
}

pub struct Memory {
    s: Slots<StatsMemory>,
    outputs: u32,
    current: u32,
    all: bool,
    mem: MemSums,
    swap: SwapSums,
    /// `-x` extrema of the memory and of the swap columns.
    x: Extrema,
    xs: Extrema,
}

impl Memory {
    pub fn new(memory: bool, swap: bool, all: bool) -> Memory {
        let outputs = if memory { OUT_MEMORY } else { 0 } | if swap { OUT_SWAP } else { 0 };
        Memory {
            s: Slots::new(1),
            outputs,
            current: outputs,
            all,
            mem: MemSums::default(),
            swap: SwapSums::default(),
            x: Extrema::new(17),
            xs: Extrema::new(5),
        }
    }

    fn show(&mut self, cx: &mut Ctx<'_>, curr: usize, avg: bool) -> io::Result<()> {
        let d = display();
        let unit = if d.human { UNIT_KILOBYTE } else { NO_UNIT };
        let m = self.s.get(curr, 0);
        if self.current & OUT_MEMORY != 0 {
            if cx.show_header || (avg && d.minmax) {
                let meta = if self.all { &META_MEM_ALL } else { &META_MEM };
                hdr_line(cx.out, &cx.ts[1 - curr.min(1)], meta.hdr_names(), 0)?;
            }
            if d.minmax {
                let mut v = [Val::U(0); 22];
                let n = mem_values(&m, OUT_MEMORY, self.all, &mut v);
                minmax_vals(cx.out, &mut self.x, avg, &v[..n], |w, v| sar_vals(w, unit, v, usize::MAX))?;
            }
            cx.stamp(curr)?;
            if avg {
                self.mem_avg(cx, &m, unit)?
            } else {
                self.mem_now(cx, &m, unit)?
            }
        }
        if self.current & OUT_SWAP != 0 {
            if cx.show_header || (avg && d.minmax) {
                hdr_line(cx.out, &cx.ts[1 - curr.min(1)], META_SWAP.hdr_names(), 0)?;
            }
            if d.minmax {
                let mut v = [Val::U(0); 22];
                let n = mem_values(&m, OUT_SWAP, false, &mut v);
                minmax_vals(cx.out, &mut self.xs, avg, &v[..n], |w, v| sar_vals(w, unit, v, 4))?;
            }
            cx.stamp(curr)?;
            if avg {
                self.swap_avg(cx, unit)?
            } else {
                self.swap_now(cx, &m, unit)?
            }
        }
        Ok(())
    }

    fn mem_now(&mut self, cx: &mut Ctx<'_>, m: &StatsMemory, unit: i32) -> io::Result<()> {
        let w = &mut *cx.out;
        let mut v = [Val::U(0); 22];
        let n = mem_values(m, OUT_MEMORY, self.all, &mut v);
        sar_vals(w, unit, &v[..n], usize::MAX)?;
        let s = &mut self.mem;
        for (acc, v) in [
            (&mut s.frmkb, m.frmkb),
            (&mut s.bufkb, m.bufkb),
            (&mut s.camkb, m.camkb),
            (&mut s.comkb, m.comkb),
            (&mut s.activekb, m.activekb),
            (&mut s.inactkb, m.inactkb),
            (&mut s.dirtykb, m.dirtykb),
            (&mut s.anonpgkb, m.anonpgkb),
            (&mut s.slabkb, m.slabkb),
            (&mut s.kstackkb, m.kstackkb),
            (&mut s.pgtblkb, m.pgtblkb),
            (&mut s.vmusedkb, m.vmusedkb),
            (&mut s.availablekb, m.availablekb),
            (&mut s.shmemkb, m.shmemkb),
        ] {
            *acc = acc.wrapping_add(v);
        }
        w.write_all(b"\n")
    }

    fn mem_avg(&mut self, cx: &mut Ctx<'_>, m: &StatsMemory, unit: i32) -> io::Result<()> {
        let w = &mut *cx.out;
        let n = cx.avg_count.max(1);
        let s = std::mem::take(&mut self.mem);
        let a = |v: u64| v as f64 / n as f64;
        write_floats(w, unit, 0, &[a(s.frmkb), a(s.availablekb), m.tlmkb as f64 - a(s.availablekb)])?;
        // sysstat divides these two in integers before going to double.
        let avail_i = (s.availablekb / n) as f64;
        write_percents(
            w,
            Xtrem::High,
            2,
            &[if m.tlmkb != 0 { (m.tlmkb as f64 - avail_i) / m.tlmkb as f64 * 100.0 } else { 0.0 }],
        )?;
        write_floats(w, unit, 0, &[a(s.bufkb), a(s.camkb), a(s.comkb)])?;
        let tot = m.tlmkb.wrapping_add(m.tlskb);
        let com_i = (s.comkb / n) as f64;
        write_percents(w, Xtrem::High, 2, &[if tot != 0 { (com_i - 0.0) / tot as f64 * 100.0 } else { 0.0 }])?;
        write_floats(w, unit, 0, &[a(s.activekb), a(s.inactkb), a(s.dirtykb), a(s.shmemkb)])?;
        if self.all {
            write_floats(w, unit, 0, &[a(s.anonpgkb), a(s.slabkb), a(s.kstackkb), a(s.pgtblkb), a(s.vmusedkb)])?;
        }
        w.write_all(b"\n")
    }

    fn swap_now(&mut self, cx: &mut Ctx<'_>, m: &StatsMemory, unit: i32) -> io::Result<()> {
        let w = &mut *cx.out;
        let mut v = [Val::U(0); 22];
        let n = mem_values(m, OUT_SWAP, false, &mut v);
        // %swpcad is never coloured as a high value.
        sar_vals(w, unit, &v[..n], 4)?;
        let s = &mut self.swap;
        s.frskb = s.frskb.wrapping_add(m.frskb);
        s.tlskb = s.tlskb.wrapping_add(m.tlskb);
        s.caskb = s.caskb.wrapping_add(m.caskb);
        w.write_all(b"\n")
    }

    fn swap_avg(&mut self, cx: &mut Ctx<'_>, unit: i32) -> io::Result<()> {
        let w = &mut *cx.out;
        let n = cx.avg_count.max(1) as f64;
        let s = std::mem::take(&mut self.swap);
        let (fr, tl, ca) = (s.frskb as f64 / n, s.tlskb as f64 / n, s.caskb as f64 / n);
        write_floats(w, unit, 0, &[fr, tl - fr])?;
        write_percents(w, Xtrem::High, 2, &[if s.tlskb != 0 { (tl - fr) / tl * 100.0 } else { 0.0 }])?;
        write_floats(w, unit, 0, &[ca])?;
        write_percents(w, Xtrem::None, 2, &[if s.tlskb != s.frskb { (ca - 0.0) / (tl - fr) * 100.0 } else { 0.0 }])?;
        w.write_all(b"\n")
    }
}

impl Report for Memory {
    fn id(&self) -> ActivityId {
        ActivityId::A_MEMORY
    }
    fn outputs(&self) -> u32 {
        self.outputs
    }
    fn set_output(&mut self, mask: u32) {
        self.current = mask;
    }
    crate::slot_access!(s);
    fn reset_extrema(&mut self) {
        self.x.reset(1);
        self.xs.reset(1);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, _prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.show(cx, curr, false)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, _itv: u64) -> io::Result<()> {
        self.show(cx, curr, true)
    }
    fn meta(&self) -> Option<&'static Meta> {
        let mem = self.current & OUT_MEMORY != 0;
        let swap = self.current & OUT_SWAP != 0;
        Some(match (mem, swap, self.all) {
            (true, false, false) => &META_MEM,
            (true, false, true) => &META_MEM_ALL,
            (true, true, false) => &META_MEM_SWAP,
            (true, true, true) => &META_ALL_SWAP,
            _ => &META_SWAP,
        })
    }
    fn has_raw(&self) -> bool {
        true
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let m = self.s.get(curr, 0);
        if self.current & OUT_MEMORY != 0 {
            r.head(ALL_FIELDS, 0)?;
            r.value(m.frmkb)?;
            r.next_value(m.availablekb)?;
            r.named_value("kbttlmem", m.tlmkb)?;
            r.skip();
            r.skip();
            r.next_value(m.bufkb)?;
            r.next_value(m.camkb)?;
            r.next_value(m.comkb)?;
            r.skip();
            r.next_value(m.activekb)?;
            r.next_value(m.inactkb)?;
            r.next_value(m.dirtykb)?;
            r.next_value(m.shmemkb)?;
            if self.all {
                for v in [m.anonpgkb, m.slabkb, m.kstackkb, m.pgtblkb, m.vmusedkb] {
                    r.next_value(v)?;
                }
            }
            r.end()?;
        }
        if self.current & OUT_SWAP != 0 {
            r.head(SWAP_FIELDS, 0)?;
            r.value(m.frskb)?;
            r.named_value("kbttlswp", m.tlskb)?;
            r.skip();
            r.skip();
            r.next_value(m.caskb)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let m = self.s.get(curr, 0);
        let mut v = [Val::U(0); 22];
        let n = mem_values(&m, self.current, self.all, &mut v);
        sink.row(Item::None, &v[..n])
    }
}

/// One sample's memory (12 or, with `all`, 17 values) and then swap
/// values (5), as `outputs` selects, into `out`; returns how many.
fn mem_values<'a>(m: &StatsMemory, outputs: u32, all: bool, out: &mut [Val<'a>; 22]) -> usize {
    let mut n = 0;
    if outputs & OUT_MEMORY != 0 {
        let tot = m.tlmkb.wrapping_add(m.tlskb);
        let v = [
            Val::U(m.frmkb),
            Val::U(m.availablekb),
            Val::U(m.tlmkb.wrapping_sub(m.availablekb)),
            Val::F(if m.tlmkb != 0 { sp_value(m.availablekb, m.tlmkb, m.tlmkb) } else { 0.0 }),
            Val::U(m.bufkb),
            Val::U(m.camkb),
            Val::U(m.comkb),
            Val::F(if tot != 0 { sp_value(0, m.comkb, tot) } else { 0.0 }),
            Val::U(m.activekb),
            Val::U(m.inactkb),
            Val::U(m.dirtykb),
            Val::U(m.shmemkb),
            Val::U(m.anonpgkb),
            Val::U(m.slabkb),
            Val::U(m.kstackkb),
            Val::U(m.pgtblkb),
            Val::U(m.vmusedkb),
        ];
        n = if all { 17 } else { 12 };
        out[..n].copy_from_slice(&v[..n]);
    }
    if outputs & OUT_SWAP != 0 {
        let used = m.tlskb.wrapping_sub(m.frskb);
        out[n..n + 5].copy_from_slice(&[
            Val::U(m.frskb),
            Val::U(used),
            Val::F(if m.tlskb != 0 { sp_value(m.frskb, m.tlskb, m.tlskb) } else { 0.0 }),
            Val::U(m.caskb),
            Val::F(if used != 0 { sp_value(0, m.caskb, used) } else { 0.0 }),
        ]);
        n += 5;
    }
    n
}

/// sar's columns for row values: sizes in `unit`, percentages coloured as
/// high values except column `plain`.
fn sar_vals(w: &mut dyn std::io::Write, unit: i32, vals: &[Val<'_>], plain: usize) -> io::Result<()> {
    write_vals(w, unit, vals, |k| Some(if k == plain { Xtrem::None } else { Xtrem::High }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::timefmt::Stamp;

    #[test]
    fn average_is_mean_of_rows() {
        let mut r = Memory::new(true, false, false);
        let mut out = Vec::new();
        let mut cx = Ctx { out: &mut out, ts: [Stamp::text("t"), Stamp::text("t")], show_header: false, avg_count: 0 };
        for free in [100, 201] {
            r.s.buf[0][0] = StatsMemory { frmkb: free, tlmkb: 1000, availablekb: 500, ..Default::default() };
            r.print(&mut cx, 1, 0, 100).unwrap();
            cx.avg_count += 1;
        }
        r.print_avg(&mut cx, 0, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        let last = s.lines().last().unwrap();
        assert!(last.starts_with("t                 150       500       500     50.00"), "{last}");
    }
}
