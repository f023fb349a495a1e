//! One module per activity report.
//!
//! sar's reports are not pure functions of two samples: CPU "all" is rebuilt
//! from the per-CPU values in place, offline CPUs inherit their previous
//! values, memory averages accumulate every printed sample. To be faithful,
//! each report keeps sar's three sample slots (current, previous, first of
//! the segment) and the engine drives them exactly as sar's `curr`/`!curr`/2
//! indices are driven. A report defines its header columns, how two slots
//! and an interval make its rows, and how the first and last slots (plus any
//! accumulated state) make its Average rows.

pub mod cgroup;
pub mod cpu;
pub mod disk;
pub mod fs;
pub mod irq;
pub mod memory;
pub mod net;
pub mod net_fc;
pub mod net_snmp;
pub mod net_sock;
pub mod net_soft;
pub mod paging;
pub mod pcsw;
pub mod power;
pub mod psi;
pub mod rates;
pub mod raw;
pub mod sensors;
pub mod serial;
pub mod tables;
pub mod usb_bat;
pub mod values;

use std::io::{self, Write};

use sarkit_format::stats::Stats;
use sarkit_format::{Block, StatsRecord};

use super::fmt::{
    formatted, item, minmax_lines, write_decimals, write_floats, write_percents, write_uints, Extrema, Out, Xtrem,
};
use super::timefmt::Stamp;
use values::{Meta, RowSink, Val};

/// What every report prints into, shared with the engine.
pub struct Ctx<'a> {
    pub out: Out<'a>,
    /// sar's `timestamp[0]` and `timestamp[1]`, indexed by slot.
    pub ts: [Stamp; 2],
    /// Print the header line before the next rows (sar's `dish`).
    #[doc(alias = "dish")]
    pub show_header: bool,
    /// Rows printed since the last Average (sar's `avg_count`).
    pub avg_count: u64,
}

impl<'a> Ctx<'a> {
    /// Plain output (no flags, no colours) into `out`, with the times of
    /// slots 0 and 1 as `ts`: what a report's tests print with.
    pub fn plain(out: &'a mut dyn Write, ts: [&str; 2], show_header: bool, avg_count: u64) -> Ctx<'a> {
        Ctx { out: Out::plain(out), ts: ts.map(Stamp::text), show_header, avg_count }
    }

    /// Start a row with the time of slot `curr` (sar's `timestamp[curr]`).
    pub fn stamp(&mut self, curr: usize) -> io::Result<()> {
        self.ts[curr.min(1)].write_padded(&mut self.out)
    }
}

/// Whether CPU slot `i` (0 is "all") is in the `-P` bitmap.
pub fn cpu_selected(bitmap: &[u8], i: usize) -> bool {
    bitmap.get(i >> 3).is_some_and(|b| b & (1 << (i & 7)) != 0)
}

/// `cprintf_in` of the CPU column of `-u` and `-n SOFT`: "all" or ` %7d`.
pub fn cpu_item(w: &mut Out<'_>, cpu: usize) -> io::Result<()> {
    if cpu == 0 {
        return item(w, b"     all");
    }
    item(w, formatted(&mut [0; 24], format_args!(" {:>7}", cpu - 1)))
}

/// sar's columns for a whole-machine row of values: counts and sizes (in
/// `unit`) as `%9llu`, rounded values as `%9.0f`, other floats as `%9.2f`,
/// or as percentages coloured by `pct` of their column when it says how.
pub fn write_vals(
    w: &mut Out<'_>,
    unit: i32,
    vals: &[Val<'_>],
    pct: impl Fn(usize) -> Option<Xtrem>,
) -> io::Result<()> {
    for (k, v) in vals.iter().enumerate() {
        match *v {
            Val::U(x) => write_uints(w, unit, &[x])?,
            Val::F(x) => match pct(k) {
                Some(xt) => write_percents(w, xt, 2, &[x])?,
                None => write_decimals(w, &[x])?,
            },
            Val::R(x) => write_floats(w, unit, 0, &[x])?,
            Val::S(_) => {}
        }
    }
    Ok(())
}

/// `-x` for a whole-machine row of values: record them on an interval; before
/// the Average, print the extrema with `write`, each shaped as its column's value.
pub fn minmax_vals(
    w: &mut Out<'_>,
    x: &mut Extrema,
    avg: bool,
    vals: &[Val<'_>],
    write: impl Fn(&mut Out<'_>, &[Val<'_>]) -> io::Result<()>,
) -> io::Result<()> {
    if !avg {
        for (col, v) in vals.iter().enumerate() {
            x.save(0, col, v.num());
        }
        return Ok(());
    }
    minmax_lines(w, |w, ismax| {
        let mut e = [Val::U(0); 32];
        let n = vals.len().min(e.len());
        for (d, (v, &m)) in e.iter_mut().zip(vals.iter().zip(x.row(0, ismax))) {
            *d = v.with_num(m);
        }
        write(w, &e[..n])
    })
}

/// Slot index of the segment's first sample.
pub const FIRST: usize = 2;

/// One activity's report.
pub trait Report {
    /// The file activity whose items this report reads.
    fn id(&self) -> sarkit_format::ActivityId;
    /// Bit mask of the outputs the command line selected; the engine runs one
    /// pass per set bit, lowest first, as sar does for multi-output activities.
    fn outputs(&self) -> u32 {
        1
    }
    /// Restrict the next pass to one output.
    fn set_output(&mut self, _mask: u32) {}
    /// The report's sample slots (see [`slot_access`](crate::slot_access)).
    fn slots(&self) -> &dyn SampleSlots;
    /// The report's sample slots, to load and move.
    fn slots_mut(&mut self) -> &mut dyn SampleSlots;
    /// Read this activity's items of a statistics record into `slot`.
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        let id = self.id();
        self.slots_mut().load_slot(slot, rec.block(id));
    }
    /// Copy slot `src` (items and counts) into slot `dest`.
    fn copy(&mut self, dest: usize, src: usize) {
        self.slots_mut().copy_slot(dest, src);
    }
    /// Make slot `dest` as many zero items as slot `like` has: boot time.
    fn zero(&mut self, dest: usize, like: usize) {
        self.slots_mut().zero_slot(dest, like);
    }
    /// Items in `slot` (sar's `nr[slot]`).
    fn nr(&self, slot: usize) -> i64 {
        self.slots().slot_nr(slot)
    }
    /// Lines a sample counts for header repetition, if fixed by a bitmap.
    fn line_inc(&self) -> Option<u64> {
        self.slots().line_inc()
    }
    /// Forget the `-x` extrema: a new pass over a segment starts.
    fn reset_extrema(&mut self) {}
    /// A LINUX RESTART record announced `cpu_nr` (CPUs plus one).
    fn restart(&mut self, cpu_nr: u32) {
        self.slots_mut().restart(cpu_nr);
    }
    /// Rows for the interval from slot `prev` to slot `curr`.
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()>;
    /// Average rows, from slot [`FIRST`] to slot `curr`: by default the
    /// interval rows over the whole segment, as sar's rate reports print.
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.print(cx, FIRST, curr, itv)
    }
    /// Names of the activity and of the columns [`Report::values`] fills, for
    /// the current output; `None` while the report has no exports.
    fn meta(&self) -> Option<&'static Meta> {
        None
    }
    /// The rows of the interval from slot `prev` to slot `curr`, as values
    /// (see [`values`]): what sadf's exports and the graphs print.
    fn values(&mut self, _prev: usize, _curr: usize, _itv: u64, _sink: &mut dyn RowSink) -> io::Result<()> {
        Ok(())
    }
    /// Whether [`Report::raw`] prints this report (sadf `-r`): every
    /// report's does.
    fn has_raw(&self) -> bool {
        true
    }
    /// sadf `-r`: the counters of slots `prev` and `curr` as they are, for
    /// the current output.
    fn raw(&mut self, _prev: usize, _curr: usize, _r: &mut raw::Raw<'_>) -> io::Result<()> {
        Ok(())
    }
}

/// What the engine does with a report's samples, whatever their item type:
/// sar's `read_file_stat_bunch`, `copy_structures` and `nr[]`, plus the CPU
/// count a restart announces. [`Report`]'s defaults call these, so a report
/// only says where its slots are.
pub trait SampleSlots {
    /// Read an activity's block (or its absence) into `slot`.
    fn load_slot(&mut self, slot: usize, block: Option<Block<'_>>);
    /// Copy slot `src` (items and counts) into slot `dest`.
    fn copy_slot(&mut self, dest: usize, src: usize);
    /// Make slot `dest` as many zero items as slot `like` has.
    fn zero_slot(&mut self, dest: usize, like: usize);
    /// Items in `slot` (sar's `nr[slot]`).
    fn slot_nr(&self, slot: usize) -> i64;
    /// A LINUX RESTART record announced `cpu_nr` (CPUs plus one).
    fn restart(&mut self, _cpu_nr: u32) {}
    /// Lines a sample counts for header repetition, if fixed by a bitmap.
    fn line_inc(&self) -> Option<u64> {
        None
    }
}

/// The [`Report::slots`] and [`Report::slots_mut`] of a report whose slots
/// are its field `$field`, and with an activity, its [`Report::id`].
#[macro_export]
macro_rules! slot_access {
    ($field:ident, $id:expr) => {
        fn id(&self) -> ::sarkit_format::ActivityId {
            $id
        }
        $crate::slot_access!($field);
    };
    ($field:ident) => {
        fn slots(&self) -> &dyn $crate::sar::report::SampleSlots {
            &self.$field
        }
        fn slots_mut(&mut self) -> &mut dyn $crate::sar::report::SampleSlots {
            &mut self.$field
        }
    };
}

impl<T: Stats> SampleSlots for Slots<T> {
    fn load_slot(&mut self, slot: usize, block: Option<Block<'_>>) {
        self.load(slot, block, None)
    }
    fn copy_slot(&mut self, dest: usize, src: usize) {
        self.copy(dest, src)
    }
    fn zero_slot(&mut self, dest: usize, like: usize) {
        self.zero(dest, like)
    }
    fn slot_nr(&self, slot: usize) -> i64 {
        self.nr[slot]
    }
}

/// The slots of a report indexed by CPU slot ("all" first, `per_cpu` items
/// each): CPUs missing from a record read as offline, a restart resizes
/// them, and the `-P` selection is kept with them.
pub struct CpuSlots<T: Stats> {
    pub s: Slots<T>,
    /// CPUs plus one, as the file header or the last restart says; grows if a
    /// record carries more (a restart sadc did not mark).
    pub nr_ini: i64,
    /// The `-P` bitmap, and how many of its bits are set.
    pub bitmap: Vec<u8>,
    pub bits: u64,
    /// Items per CPU: interrupts for `-I`, 1 otherwise.
    pub per_cpu: usize,
}

impl<T: Stats> CpuSlots<T> {
    pub fn new(nr_ini: i64, bitmap: Vec<u8>, bits: u64, per_cpu: usize) -> Self {
        let per_cpu = per_cpu.max(1);
        CpuSlots { s: Slots::new(nr_ini.max(1) as usize * per_cpu), nr_ini, bitmap, bits, per_cpu }
    }

    /// Whether CPU slot `i` is in the `-P` selection.
    pub fn selected(&self, i: usize) -> bool {
        cpu_selected(&self.bitmap, i)
    }

    /// Count the CPUs of `slot` in, when it has more than announced.
    pub fn grow_to(&mut self, slot: usize) {
        self.nr_ini = self.nr_ini.max(self.s.nr[slot]);
    }

    /// sysstat's rebuilt CPU "all": slot 0 of `prev` and `curr` becomes the
    /// sum (by `add`) of the CPUs `cpu` counts in. `cpu` sees each CPU's
    /// current and previous values, which it may fix (as sysstat does for a
    /// CPU offline), and says whether the CPU counts.
    pub fn sum_all(
        &mut self,
        prev: usize,
        curr: usize,
        add: impl Fn(&mut T, &T),
        mut cpu: impl FnMut(usize, &mut T, &mut T) -> bool,
    ) {
        let n = (self.nr_ini.max(0) as usize).min(crate::sar::options::NR_CPUS + 1).min(self.s.buf[0].len());
        let (mut all_c, mut all_p) = (T::default(), T::default());
        for i in 1..n {
            let (mut c, mut p) = (self.s.buf[curr][i], self.s.buf[prev][i]);
            let counts = cpu(i, &mut c, &mut p);
            (self.s.buf[curr][i], self.s.buf[prev][i]) = (c, p);
            if counts {
                add(&mut all_c, &c);
                add(&mut all_p, &p);
            }
        }
        self.s.buf[curr][0] = all_c;
        self.s.buf[prev][0] = all_p;
    }
}

impl<T: Stats> std::ops::Deref for CpuSlots<T> {
    type Target = Slots<T>;
    fn deref(&self) -> &Slots<T> {
        &self.s
    }
}

impl<T: Stats> std::ops::DerefMut for CpuSlots<T> {
    fn deref_mut(&mut self) -> &mut Slots<T> {
        &mut self.s
    }
}

impl<T: Stats> SampleSlots for CpuSlots<T> {
    fn load_slot(&mut self, slot: usize, block: Option<Block<'_>>) {
        let n = self.nr_ini.max(0) as usize * self.per_cpu;
        self.s.load(slot, block, Some(n))
    }
    fn copy_slot(&mut self, dest: usize, src: usize) {
        self.s.copy(dest, src)
    }
    fn zero_slot(&mut self, dest: usize, like: usize) {
        self.s.zero(dest, like)
    }
    fn slot_nr(&self, slot: usize) -> i64 {
        self.s.nr[slot]
    }
    /// sar's `nr_ini` follows a restart only for a per-CPU report (one
    /// whose file list had CPUs).
    fn restart(&mut self, cpu_nr: u32) {
        if self.nr_ini > 0 {
            self.nr_ini = cpu_nr as i64;
            self.s.ensure(cpu_nr as usize * self.per_cpu);
        }
    }
    fn line_inc(&self) -> Option<u64> {
        Some(self.bits)
    }
}

/// sar's `buf[3]`/`nr[3]` for one activity: three equally long vectors,
/// grown (zero-filled) but never shrunk, so copies never allocate.
pub struct Slots<T: Stats> {
    pub buf: [Vec<T>; 3],
    pub nr: [i64; 3],
}

impl<T: Stats> Slots<T> {
    pub fn new(alloc: usize) -> Self {
        let v = vec![T::default(); alloc.max(1)];
        Slots { buf: [v.clone(), v.clone(), v], nr: [-1; 3] }
    }

    pub fn ensure(&mut self, n: usize) {
        if self.buf[0].len() < n {
            let n = n.max(self.buf[0].len() * 2);
            self.buf.iter_mut().for_each(|b| b.resize(n, T::default()));
        }
    }

    /// `read_file_stat_bunch` for one activity; `persistent` zeroes the first
    /// `n` items first, so CPUs missing from this record read as offline.
    pub fn load(&mut self, slot: usize, block: Option<Block<'_>>, persistent: Option<usize>) {
        let nr = block.map_or(0, |b| b.len());
        self.ensure(nr);
        let buf = &mut self.buf[slot];
        if let Some(n) = persistent {
            let n = n.min(buf.len());
            buf[..n].iter_mut().for_each(|x| *x = T::default());
        }
        if let Some(b) = block {
            for (dst, v) in buf.iter_mut().zip(b.items::<T>()) {
                *dst = v;
            }
        }
        self.nr[slot] = nr as i64;
    }

    pub fn copy(&mut self, dest: usize, src: usize) {
        if dest == src {
            return;
        }
        let [a, b, c] = &mut self.buf;
        let (d, s): (&mut Vec<T>, &Vec<T>) = match (dest, src) {
            (0, 1) => (a, b),
            (0, 2) => (a, c),
            (1, 0) => (b, a),
            (1, 2) => (b, c),
            (2, 0) => (c, a),
            (2, 1) => (c, b),
            _ => return,
        };
        d.copy_from_slice(s);
        self.nr[dest] = self.nr[src];
    }

    /// `write_stats_startup` for one activity: slot `dest` becomes zeros, as
    /// many items as `like` has.
    pub fn zero(&mut self, dest: usize, like: usize) {
        self.buf[dest].iter_mut().for_each(|x| *x = T::default());
        self.nr[dest] = self.nr[like];
    }

    /// Items of `slot` to show: `nr` bounded by what the buffer holds.
    pub fn count(&self, slot: usize) -> usize {
        (self.nr[slot].max(0) as usize).min(self.buf[slot].len())
    }

    /// The items of `slot` to show.
    pub fn items(&self, slot: usize) -> &[T] {
        &self.buf[slot][..self.count(slot)]
    }

    /// Where in `slot` an item matching `pred` is, searching round the list
    /// from position `from`: how sysstat pairs an item with its previous
    /// sample when items come and go.
    pub fn find(&self, slot: usize, from: usize, pred: impl Fn(&T) -> bool) -> Option<usize> {
        let n = self.count(slot);
        if n == 0 {
            return None;
        }
        let j0 = from.min(n - 1);
        let mut j = j0;
        loop {
            if pred(&self.buf[slot][j]) {
                return Some(j);
            }
            j = if j + 1 >= n { 0 } else { j + 1 };
            if j == j0 {
                return None;
            }
        }
    }

    /// Item `i` of `slot`, or the zero structure.
    pub fn get(&self, slot: usize, i: i64) -> T {
        usize::try_from(i).ok().and_then(|i| self.buf[slot].get(i).copied()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::StatsPcsw;

    #[test]
    fn slots_copy_without_reallocating() {
        let mut s: Slots<StatsPcsw> = Slots::new(2);
        s.buf[0][1].processes = 7;
        s.nr[0] = 2;
        s.copy(2, 0);
        assert_eq!(s.buf[2][1].processes, 7);
        assert_eq!(s.nr[2], 2);
        assert_eq!(s.get(2, 5), StatsPcsw::default());
        assert_eq!(s.get(2, -1), StatsPcsw::default());
    }
}
