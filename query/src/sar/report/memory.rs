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
use crate::sar::fmt::{hdr_line, sp_value, Extrema, Out, Xtrem, NO_UNIT, UNIT_KILOBYTE};

pub const OUT_MEMORY: u32 = 1;
pub const OUT_SWAP: u32 = 2;

/// A quantity a memory row is computed from: a sample's counter (`u64`,
/// differences wrapping as in C) or, for the Average, a mean (`f64`).
trait Quantity: Copy + Default + PartialEq {
    fn minus(self, other: Self) -> Self;
    /// `self` as a percentage of `whole` (sar's `SP_VALUE(0, self, whole)`).
    fn percent_of(self, whole: Self) -> f64;
    /// How the row shows it: a count, or a mean rounded to an integer.
    fn val(self) -> Val<'static>;
}

impl Quantity for u64 {
    fn minus(self, other: u64) -> u64 {
        self.wrapping_sub(other)
    }
    fn percent_of(self, whole: u64) -> f64 {
        sp_value(0, self, whole)
    }
    fn val(self) -> Val<'static> {
        Val::U(self)
    }
}

impl Quantity for f64 {
    fn minus(self, other: f64) -> f64 {
        self - other
    }
    fn percent_of(self, whole: f64) -> f64 {
        self / whole * 100.0
    }
    fn val(self) -> Val<'static> {
        Val::R(self)
    }
}

/// What the memory and swap rows are computed from: one sample, or the
/// means of the rows printed since the last Average.
#[derive(Clone, Copy, Default)]
struct MemInputs<N> {
    free: N,
    avail: N,
    buffers: N,
    cached: N,
    commit: N,
    active: N,
    inact: N,
    dirty: N,
    shared: N,
    anonpg: N,
    slab: N,
    kstack: N,
    pgtbl: N,
    vmused: N,
    swap_free: N,
    swap_total: N,
    swap_cached: N,
    /// MemTotal and MemTotal + SwapTotal: the current sample's even in
    /// the Average, which sar does not average them into.
    total: N,
    total_with_swap: N,
    /// The operands of %memused and %commit: sar's Average divides these
    /// two sums in integers.
    avail_for_pct: N,
    commit_for_pct: N,
}

impl MemInputs<u64> {
    fn of(m: &StatsMemory) -> Self {
        MemInputs {
            free: m.frmkb,
            avail: m.availablekb,
            buffers: m.bufkb,
            cached: m.camkb,
            commit: m.comkb,
            active: m.activekb,
            inact: m.inactkb,
            dirty: m.dirtykb,
            shared: m.shmemkb,
            anonpg: m.anonpgkb,
            slab: m.slabkb,
            kstack: m.kstackkb,
            pgtbl: m.pgtblkb,
            vmused: m.vmusedkb,
            swap_free: m.frskb,
            swap_total: m.tlskb,
            swap_cached: m.caskb,
            total: m.tlmkb,
            total_with_swap: m.tlmkb.wrapping_add(m.tlskb),
            avail_for_pct: m.availablekb,
            commit_for_pct: m.comkb,
        }
    }

    /// The fields of `self` and `b` pairwise (sar's static accumulators).
    fn zip(&self, b: &Self, f: impl Fn(u64, u64) -> u64) -> Self {
        let a = self;
        MemInputs {
            free: f(a.free, b.free),
            avail: f(a.avail, b.avail),
            buffers: f(a.buffers, b.buffers),
            cached: f(a.cached, b.cached),
            commit: f(a.commit, b.commit),
            active: f(a.active, b.active),
            inact: f(a.inact, b.inact),
            dirty: f(a.dirty, b.dirty),
            shared: f(a.shared, b.shared),
            anonpg: f(a.anonpg, b.anonpg),
            slab: f(a.slab, b.slab),
            kstack: f(a.kstack, b.kstack),
            pgtbl: f(a.pgtbl, b.pgtbl),
            vmused: f(a.vmused, b.vmused),
            swap_free: f(a.swap_free, b.swap_free),
            swap_total: f(a.swap_total, b.swap_total),
            swap_cached: f(a.swap_cached, b.swap_cached),
            total: f(a.total, b.total),
            total_with_swap: f(a.total_with_swap, b.total_with_swap),
            avail_for_pct: f(a.avail_for_pct, b.avail_for_pct),
            commit_for_pct: f(a.commit_for_pct, b.commit_for_pct),
        }
    }

    /// The Average's inputs: the means of these sums over `n` rows, with
    /// the totals of the current sample `now`.
    fn means(&self, n: u64, now: &Self) -> MemInputs<f64> {
        let a = |v: u64| v as f64 / n as f64;
        MemInputs {
            free: a(self.free),
            avail: a(self.avail),
            buffers: a(self.buffers),
            cached: a(self.cached),
            commit: a(self.commit),
            active: a(self.active),
            inact: a(self.inact),
            dirty: a(self.dirty),
            shared: a(self.shared),
            anonpg: a(self.anonpg),
            slab: a(self.slab),
            kstack: a(self.kstack),
            pgtbl: a(self.pgtbl),
            vmused: a(self.vmused),
            swap_free: a(self.swap_free),
            swap_total: a(self.swap_total),
            swap_cached: a(self.swap_cached),
            total: now.total as f64,
            total_with_swap: now.total_with_swap as f64,
            avail_for_pct: (self.avail / n) as f64,
            commit_for_pct: (self.commit / n) as f64,
        }
    }
}

/// The memory (12 or, with `all`, 17 values) and then swap values (5) of
/// one row, as `outputs` selects, into `out`; returns how many. Rows and
/// the Average alike are computed here.
fn mem_row<N: Quantity>(q: &MemInputs<N>, outputs: u32, all: bool, out: &mut [Val<'static>; 22]) -> usize {
    let pct = |part: N, whole: N| Val::F(if whole != N::default() { part.percent_of(whole) } else { 0.0 });
    let mut n = 0;
    if outputs & OUT_MEMORY != 0 {
        let v = [
            q.free.val(),
            q.avail.val(),
            q.total.minus(q.avail).val(),
            pct(q.total.minus(q.avail_for_pct), q.total),
            q.buffers.val(),
            q.cached.val(),
            q.commit.val(),
            pct(q.commit_for_pct, q.total_with_swap),
            q.active.val(),
            q.inact.val(),
            q.dirty.val(),
            q.shared.val(),
            q.anonpg.val(),
            q.slab.val(),
            q.kstack.val(),
            q.pgtbl.val(),
            q.vmused.val(),
        ];
        n = if all { 17 } else { 12 };
        out[..n].copy_from_slice(&v[..n]);
    }
    if outputs & OUT_SWAP != 0 {
        let used = q.swap_total.minus(q.swap_free);
        out[n..n + 5].copy_from_slice(&[
            q.swap_free.val(),
            used.val(),
            pct(used, q.swap_total),
            q.swap_cached.val(),
            pct(q.swap_cached, used),
        ]);
        n += 5;
    }
    n
}

pub struct Memory {
    s: Slots<StatsMemory>,
    outputs: u32,
    current: u32,
    all: bool,
    /// Sums of the memory and of the swap rows printed since the last Average.
    mem_sums: MemInputs<u64>,
    swap_sums: MemInputs<u64>,
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
            mem_sums: MemInputs::default(),
            swap_sums: MemInputs::default(),
            x: Extrema::new(17),
            xs: Extrema::new(5),
        }
    }

    fn show(&mut self, cx: &mut Ctx<'_>, curr: usize, avg: bool) -> io::Result<()> {
        let d = cx.out.display();
        let unit = if d.human { UNIT_KILOBYTE } else { NO_UNIT };
        let now = MemInputs::of(&self.s.get(curr, 0));
        let mut v = [Val::U(0); 22];
        // %swpcad (the swap output's last column) is never coloured as high.
        for (output, plain) in [(OUT_MEMORY, usize::MAX), (OUT_SWAP, 4)] {
            if self.current & output == 0 {
                continue;
            }
            let (meta, x, sums) = if output == OUT_MEMORY {
                (if self.all { &META_MEM_ALL } else { &META_MEM }, &mut self.x, &mut self.mem_sums)
            } else {
                (&META_SWAP, &mut self.xs, &mut self.swap_sums)
            };
            if cx.show_header || (avg && d.minmax) {
                hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], meta.hdr_names(), 0)?;
            }
            let write = |w: &mut Out<'_>, v: &[Val<'_>]| sar_vals(w, unit, v, plain);
            if d.minmax {
                let n = mem_row(&now, output, self.all, &mut v);
                minmax_vals(&mut cx.out, x, avg, &v[..n], write)?;
            }
            cx.stamp(curr)?;
            let n = if avg {
                let rows = cx.avg_count.max(1);
                mem_row(&std::mem::take(sums).means(rows, &now), output, self.all, &mut v)
            } else {
                *sums = sums.zip(&now, u64::wrapping_add);
                mem_row(&now, output, self.all, &mut v)
            };
            write(&mut cx.out, &v[..n])?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
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
        let mut v = [Val::U(0); 22];
        let n = mem_row(&MemInputs::of(&self.s.get(curr, 0)), self.current, self.all, &mut v);
        sink.row(Item::None, &v[..n])
    }
}

/// sar's columns for row values: sizes in `unit`, percentages coloured as
/// high values except column `plain`.
fn sar_vals(w: &mut Out<'_>, unit: i32, vals: &[Val<'_>], plain: usize) -> io::Result<()> {
    write_vals(w, unit, vals, |k| Some(if k == plain { Xtrem::None } else { Xtrem::High }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_is_mean_of_rows() {
        let mut r = Memory::new(true, false, false);
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["t", "t"], false, 0);
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

    #[test]
    fn average_of_one_row_is_that_row() {
        let m = StatsMemory {
            frmkb: 100,
            availablekb: 400,
            tlmkb: 1000,
            comkb: 300,
            frskb: 50,
            tlskb: 200,
            caskb: 30,
            ..Default::default()
        };
        let now = MemInputs::of(&m);
        let (mut row, mut avg) = ([Val::U(0); 22], [Val::U(0); 22]);
        let n = mem_row(&now, OUT_MEMORY | OUT_SWAP, true, &mut row);
        assert_eq!(mem_row(&now.means(1, &now), OUT_MEMORY | OUT_SWAP, true, &mut avg), n);
        for (r, a) in row[..n].iter().zip(&avg[..n]) {
            assert_eq!(r.num(), a.num());
        }
        assert_eq!(row[3], Val::F(60.0));
        assert_eq!(row[19], Val::F(75.0));
    }
}
