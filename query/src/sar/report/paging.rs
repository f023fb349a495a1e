//! Per-second rates of one whole-machine structure: swapping (`-W`), paging
//! (`-B`) and block I/O (`-b`).
//!
//! The three differ only in columns and in how a counter that went
//! backwards is shown, so one generic report serves them.

use std::io;

use sarkit_format::stats::{Stats, StatsIo, StatsPaging, StatsSwap};
use sarkit_format::{ActivityId, StatsRecord};

use super::values::{f, row_f, Item, Meta, RowSink};
use super::raw::Raw;
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{display, f2, hdr_line, minmax_label, s_value, Extrema};

/// Up to this many columns.
const MAXC: usize = 10;

/// One whole-machine structure shown as rates.
pub trait RateStats: Stats {
    const HDR: &'static [&'static str];
    const META: &'static Meta;
    /// The printed rates, in column order.
    fn rates(c: &Self, p: &Self, itv: u64, out: &mut [f64; MAXC]);
    /// The rates `-x` records (`save_extrema`: zero where a counter decreased).
    fn extrema(c: &Self, p: &Self, itv: u64, out: &mut [f64; MAXC]);
    /// The (previous, current) counters behind the columns, for sadf `-r`.
    fn pairs(c: &Self, p: &Self, out: &mut [(u64, u64); MAXC]) -> usize;
}

/// `save_extrema`'s rate: zero when the counter went backwards.
fn xs(p: u64, c: u64, itv: u64) -> f64 {
    if c < p {
        0.0
    } else {
        s_value(p, c, itv)
    }
}

impl RateStats for StatsSwap {
    const HDR: &'static [&'static str] = &["pswpin/s", "pswpout/s"];
    const META: &'static Meta = &Meta { attrs: " per=\"second\"", ..crate::rate_meta!("swap-pages", ["pswpin/s", "pswpout/s"]) };
    fn rates(c: &Self, p: &Self, itv: u64, o: &mut [f64; MAXC]) {
        o[0] = s_value(p.pswpin, c.pswpin, itv);
        o[1] = s_value(p.pswpout, c.pswpout, itv);
    }
    fn extrema(c: &Self, p: &Self, itv: u64, o: &mut [f64; MAXC]) {
        o[0] = xs(p.pswpin, c.pswpin, itv);
        o[1] = xs(p.pswpout, c.pswpout, itv);
    }
    fn pairs(c: &Self, p: &Self, o: &mut [(u64, u64); MAXC]) -> usize {
        o[..2].copy_from_slice(&[(p.pswpin, c.pswpin), (p.pswpout, c.pswpout)]);
        2
    }
}

impl RateStats for StatsPaging {
    const HDR: &'static [&'static str] = &[
        "pgpgin/s", "pgpgout/s", "fault/s", "majflt/s", "pgfree/s", "pgscank/s", "pgscand/s", "pgsteal/s",
        "pgprom/s", "pgdem/s",
    ];
    const META: &'static Meta = &Meta {
        attrs: " per=\"second\"",
        ..crate::rate_meta!("paging", [
            "pgpgin/s", "pgpgout/s", "fault/s", "majflt/s", "pgfree/s", "pgscank/s", "pgscand/s", "pgsteal/s",
            "pgprom/s", "pgdem/s",
        ])
    };
    fn rates(c: &Self, p: &Self, itv: u64, o: &mut [f64; MAXC]) {
        let pairs = pairs_paging(c, p);
        for (o, (a, b)) in o.iter_mut().zip(pairs) {
            *o = s_value(a, b, itv);
        }
    }
    fn extrema(c: &Self, p: &Self, itv: u64, o: &mut [f64; MAXC]) {
        let pairs = pairs_paging(c, p);
        for (o, (a, b)) in o.iter_mut().zip(pairs) {
            *o = xs(a, b, itv);
        }
    }
    fn pairs(c: &Self, p: &Self, o: &mut [(u64, u64); MAXC]) -> usize {
        *o = pairs_paging(c, p);
        MAXC
    }
}

fn pairs_paging(c: &StatsPaging, p: &StatsPaging) -> [(u64, u64); 10] {
    [
        (p.pgpgin, c.pgpgin),
        (p.pgpgout, c.pgpgout),
        (p.pgfault, c.pgfault),
        (p.pgmajfault, c.pgmajfault),
        (p.pgfree, c.pgfree),
        (p.pgscan_kswapd, c.pgscan_kswapd),
        (p.pgscan_direct, c.pgscan_direct),
        (p.pgsteal, c.pgsteal),
        (p.pgpromote, c.pgpromote),
        (p.pgdemote, c.pgdemote),
    ]
}

impl RateStats for StatsIo {
    const HDR: &'static [&'static str] = &["tps", "rtps", "wtps", "dtps", "bread/s", "bwrtn/s", "bdscd/s"];
    /// JSON `"io": {"tps": 1, "io-reads": {"rtps": 1, "bread": 1}, ...}`; XML
    /// `<io per="second"><tps>1</tps><io-reads rtps="1" bread="1"/>...</io>`.
    const META: &'static Meta = &Meta {
        attrs: " per=\"second\"",
        order: &[0, 1, 4, 2, 5, 3, 6],
        cols: &[
            f("tps", "tps"), f("rtps", "io-reads/rtps"), f("wtps", "io-writes/wtps"), f("dtps", "io-discard/dtps"),
            f("bread/s", "io-reads/bread"), f("bwrtn/s", "io-writes/bwrtn"), f("bdscd/s", "io-discard/bdscd"),
        ],
        elements: true,
        ..crate::rate_meta!("io", ["tps", "rtps", "wtps", "dtps", "bread/s", "bwrtn/s", "bdscd/s"])
    };
    fn rates(c: &Self, p: &Self, itv: u64, o: &mut [f64; MAXC]) {
        // Unmounted devices make totals go backwards: shown as zero.
        let pairs = [
            (p.dk_drive, c.dk_drive),
            (p.dk_drive_rio, c.dk_drive_rio),
            (p.dk_drive_wio, c.dk_drive_wio),
            (p.dk_drive_dio, c.dk_drive_dio),
            (p.dk_drive_rblk, c.dk_drive_rblk),
            (p.dk_drive_wblk, c.dk_drive_wblk),
            (p.dk_drive_dblk, c.dk_drive_dblk),
        ];
        for (o, (a, b)) in o.iter_mut().zip(pairs) {
            *o = xs(a, b, itv);
        }
    }
    fn extrema(c: &Self, p: &Self, itv: u64, o: &mut [f64; MAXC]) {
        Self::rates(c, p, itv, o)
    }
    fn pairs(c: &Self, p: &Self, o: &mut [(u64, u64); MAXC]) -> usize {
        o[..7].copy_from_slice(&[
            (p.dk_drive, c.dk_drive),
            (p.dk_drive_rio, c.dk_drive_rio),
            (p.dk_drive_wio, c.dk_drive_wio),
            (p.dk_drive_dio, c.dk_drive_dio),
            (p.dk_drive_rblk, c.dk_drive_rblk),
            (p.dk_drive_wblk, c.dk_drive_wblk),
            (p.dk_drive_dblk, c.dk_drive_dblk),
        ]);
        7
    }
}

pub struct Rates<T: RateStats> {
    s: Slots<T>,
    x: Extrema,
}

impl<T: RateStats> Rates<T> {
    pub fn new() -> Self {
        Rates { s: Slots::new(1), x: Extrema::new(T::HDR.len()) }
    }

    fn row(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = display();
        let n = T::HDR.len();
        let avg = prev == FIRST;
        if cx.dish || (avg && d.minmax) {
            hdr_line(cx.out, &cx.ts[1 - curr.min(1)], T::HDR, 0)?;
        }
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut v = [0.0; MAXC];
        if d.minmax {
            if !avg {
                T::extrema(&c, &p, itv, &mut v);
                for (k, &val) in v[..n].iter().enumerate() {
                    self.x.save(0, k, val);
                }
            } else {
                for ismax in [false, true] {
                    minmax_label(cx.out, ismax)?;
                    f2(cx.out, self.x.row(0, ismax))?;
                    cx.out.write_all(b"\n")?;
                }
            }
        }
        T::rates(&c, &p, itv, &mut v);
        cx.ts[curr.min(1)].write_padded(cx.out)?;
        f2(cx.out, &v[..n])?;
        cx.out.write_all(b"\n")
    }
}

impl<T: RateStats> Default for Rates<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: RateStats> Report for Rates<T> {
    fn id(&self) -> ActivityId {
        T::ID
    }
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        self.s.load(slot, rec.block(T::ID), None);
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
        Some(T::META)
    }
    fn has_raw(&self) -> bool {
        true
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut pairs = [(0u64, 0u64); MAXC];
        let n = T::pairs(&c, &p, &mut pairs);
        r.head(T::META.fields, 0)?;
        for (k, &(a, b)) in pairs[..n].iter().enumerate() {
            if k == 0 { r.pv(a, b)? } else { r.npv(a, b)? }
        }
        r.end()
    }

    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut v = [0.0; MAXC];
        T::rates(&c, &p, itv, &mut v);
        row_f(sink, Item::None, &v[..T::HDR.len()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::timefmt::Stamp;

    #[test]
    fn io_counter_going_back_is_zero() {
        let mut r: Rates<StatsIo> = Rates::new();
        r.s.buf[0][0] = StatsIo { dk_drive: 100, dk_drive_rio: 50, ..Default::default() };
        r.s.buf[1][0] = StatsIo { dk_drive: 300, dk_drive_rio: 10, ..Default::default() };
        let mut out = Vec::new();
        let mut cx = Ctx { out: &mut out, ts: [Stamp::text("a"), Stamp::text("t")], dish: false, avg_count: 0 };
        r.print(&mut cx, 0, 1, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("t              200.00      0.00"), "{s}");
    }
}
