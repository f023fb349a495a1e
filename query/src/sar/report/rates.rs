//! Per-second rates of one whole-machine structure's counters: the `-n`
//! protocol reports ([`super::net_snmp`]), swapping, paging and block I/O
//! ([`super::paging`]).
//!
//! All print the rates of the interval, their Average being the same rates
//! from the segment's first sample. One generic report covers them; each
//! structure only names its counters. Counters narrower than 64 bits wrap
//! as sysstat's C arithmetic does.

use std::io;

use sarkit_format::stats::Stats;

use super::raw::Raw;
use super::values::{row_f, Item, Meta, RowSink};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{hdr_line, minmax_lines, write_decimals, Extrema};

/// Most counters any of these structures has (ICMP6).
pub const MAX_COUNTERS: usize = 17;

/// A structure whose counters are printed as rates, in column order.
pub trait Counters: Stats {
    const META: &'static Meta;
    /// Whether the counters are C `unsigned int`, so differences wrap at 2^32.
    const NARROW: bool;
    /// Whether a counter that went backwards shows as zero in the rows too,
    /// not only in the `-x` extrema.
    const CLAMP: bool = false;
    /// The counters, in column order, into `out`; returns how many.
    fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize;
}

/// `S_VALUE` over the counters of two samples, into `out`; returns how
/// many. With `clamp`, a counter that went backwards gives 0 instead of
/// wrapping (what `-x` records as extrema).
pub fn rates<T: Counters>(c: &T, p: &T, itv: u64, clamp: bool, out: &mut [f64; MAX_COUNTERS]) -> usize {
    let (mut cv, mut pv) = ([0u64; MAX_COUNTERS], [0u64; MAX_COUNTERS]);
    let n = c.counters(&mut cv);
    p.counters(&mut pv);
    let clamp = clamp || T::CLAMP;
    for i in 0..n {
        let d = if T::NARROW { (cv[i] as u32).wrapping_sub(pv[i] as u32) as u64 } else { cv[i].wrapping_sub(pv[i]) };
        out[i] = if clamp && cv[i] < pv[i] { 0.0 } else { d as f64 / itv as f64 * 100.0 };
    }
    n
}

/// The report of one such structure.
pub struct Rates<T: Counters> {
    s: Slots<T>,
    x: Extrema,
}

impl<T: Counters> Rates<T> {
    pub fn new() -> Self {
        Rates { s: Slots::new(1), x: Extrema::new(MAX_COUNTERS) }
    }

    /// Put `v` in `slot` as its only item (tests and callers that build samples).
    pub fn set_sample(&mut self, slot: usize, v: T) {
        self.s.buf[slot][0] = v;
        self.s.nr[slot] = 1;
    }

    fn row(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        let avg = prev == FIRST;
        if cx.show_header || (avg && minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], T::META.hdr_names(), 0)?;
        }
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut v = [0.0; MAX_COUNTERS];
        if minmax {
            if !avg {
                let n = rates(&c, &p, itv, true, &mut v);
                self.x.save_row(0, &v[..n]);
            } else {
                let n = T::META.cols.len();
                minmax_lines(&mut cx.out, |w, ismax| write_decimals(w, &self.x.row(0, ismax)[..n]))?;
            }
        }
        let n = rates(&c, &p, itv, false, &mut v);
        cx.stamp(curr)?;
        write_decimals(&mut cx.out, &v[..n])?;
        cx.out.write_all(b"\n")
    }
}

impl<T: Counters> Default for Rates<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Counters> Report for Rates<T> {
    crate::slot_access!(s, T::ID);
    fn reset_extrema(&mut self) {
        self.x.reset(1);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, prev, curr, itv)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(T::META)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let (mut cv, mut pv) = ([0u64; MAX_COUNTERS], [0u64; MAX_COUNTERS]);
        let n = c.counters(&mut cv);
        p.counters(&mut pv);
        r.head(T::META.fields, 0)?;
        for k in 0..n {
            if k == 0 {
                r.pair(pv[k], cv[k])?
            } else {
                r.next_pair(pv[k], cv[k])?
            }
        }
        r.end()
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut v = [0.0; MAX_COUNTERS];
        let n = rates(&c, &p, itv, false, &mut v);
        row_f(sink, Item::None, &v[..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::{StatsIo, StatsNetUdp};

    #[test]
    fn prints_header_then_rates() {
        let mut r: Rates<StatsNetUdp> = Rates::new();
        r.s.buf[0][0] = StatsNetUdp { InDatagrams: 10, ..Default::default() };
        r.s.buf[1][0] = StatsNetUdp { InDatagrams: 30, NoPorts: 1, ..Default::default() };
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["12:00:00", "12:00:10"], true, 0);
        r.print(&mut cx, 0, 1, 1000).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\n12:00:00       idgm/s    odgm/s  noport/s idgmerr/s\n12:00:10         2.00      0.00      0.10      0.00\n"
        );
    }

    #[test]
    fn io_counter_going_back_is_zero() {
        let mut r: Rates<StatsIo> = Rates::new();
        r.s.buf[0][0] = StatsIo { dk_drive: 100, dk_drive_rio: 50, ..Default::default() };
        r.s.buf[1][0] = StatsIo { dk_drive: 300, dk_drive_rio: 10, ..Default::default() };
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "t"], false, 0);
        r.print(&mut cx, 0, 1, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("t              200.00      0.00"), "{s}");
    }
}
