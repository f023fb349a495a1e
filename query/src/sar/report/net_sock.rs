//! Sockets in use: `-n SOCK` and `-n SOCK6`.
//!
//! These print the sample itself, and the Average line is the mean of the
//! printed samples, so sums are kept across rows (sar's static
//! accumulators) and cleared when the Average is printed.

use std::io;

use sarkit_format::stats::{Stats, StatsNetSock, StatsNetSock6};

use super::raw::Raw;
use super::values::{row_u, Item, Meta, RowSink, Val};
use super::{minmax_vals, write_vals, Ctx, Report, Slots};
use crate::sar::fmt::{hdr_line, Extrema, Out, NO_UNIT};

const MAX_GAUGES: usize = 6;

/// A structure of gauges, in column order.
pub trait Gauges: Stats {
    const META: &'static Meta;
    fn gauges(&self, out: &mut [u64; MAX_GAUGES]) -> usize;
}

impl Gauges for StatsNetSock {
    const META: &'static Meta = &Meta {
        group: Some("network"),
        ..crate::gauge_meta!("net-sock", ["totsck", "tcpsck", "udpsck", "rawsck", "ip-frag", "tcp-tw"])
    };
    fn gauges(&self, out: &mut [u64; MAX_GAUGES]) -> usize {
        *out = [self.sock_inuse, self.tcp_inuse, self.udp_inuse, self.raw_inuse, self.frag_inuse, self.tcp_tw]
            .map(u64::from);
        MAX_GAUGES
    }
}

impl Gauges for StatsNetSock6 {
    const META: &'static Meta = &Meta {
        group: Some("network"),
        ..crate::gauge_meta!("net-sock6", ["tcp6sck", "udp6sck", "raw6sck", "ip6-frag"])
    };
    fn gauges(&self, out: &mut [u64; MAX_GAUGES]) -> usize {
        let v = [self.tcp6_inuse, self.udp6_inuse, self.raw6_inuse, self.frag6_inuse].map(u64::from);
        out[..4].copy_from_slice(&v);
        4
    }
}

pub struct Sock<T: Gauges> {
    s: Slots<T>,
    sums: [u64; MAX_GAUGES],
    x: Extrema,
}

impl<T: Gauges> Sock<T> {
    pub fn new() -> Self {
        Sock { s: Slots::new(1), sums: [0; MAX_GAUGES], x: Extrema::new(MAX_GAUGES) }
    }

    fn row(&mut self, cx: &mut Ctx<'_>, curr: usize, avg: bool) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        if cx.show_header || (avg && minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], T::META.hdr_names(), 0)?;
        }
        let mut g = [0u64; MAX_GAUGES];
        let n = self.s.get(curr, 0).gauges(&mut g);
        let v = g.map(Val::U);
        let write = |w: &mut Out<'_>, v: &[Val<'_>]| write_vals(w, NO_UNIT, v, |_| None);
        if minmax {
            minmax_vals(&mut cx.out, &mut self.x, avg, &v[..n], write)?;
        }
        cx.stamp(curr)?;
        if avg {
            let cnt = cx.avg_count as f64;
            let means = std::mem::take(&mut self.sums).map(|s| Val::R(s as f64 / cnt));
            write(&mut cx.out, &means[..n])?;
        } else {
            for (s, &x) in self.sums.iter_mut().zip(&g) {
                *s = s.wrapping_add(x);
            }
            write(&mut cx.out, &v[..n])?;
        }
        cx.out.write_all(b"\n")
    }
}

impl<T: Gauges> Default for Sock<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Gauges> Report for Sock<T> {
    crate::slot_access!(s, T::ID);
    fn reset_extrema(&mut self) {
        self.x.reset(1);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, _prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.row(cx, curr, false)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, _itv: u64) -> io::Result<()> {
        self.row(cx, curr, true)
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let mut g = [0u64; MAX_GAUGES];
        let n = self.s.get(curr, 0).gauges(&mut g);
        r.head(T::META.fields, 0)?;
        for (k, &v) in g[..n].iter().enumerate() {
            if k == 0 {
                r.value(v)?
            } else {
                r.next_value(v)?
            }
        }
        r.end()
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(T::META)
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let mut g = [0u64; MAX_GAUGES];
        let n = self.s.get(curr, 0).gauges(&mut g);
        row_u(sink, Item::None, &g[..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_is_mean_of_rows_and_resets() {
        let mut r: Sock<StatsNetSock6> = Sock::new();
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["t", "t"], false, 0);
        for n in [3, 4] {
            r.s.buf[0][0] = StatsNetSock6 { tcp6_inuse: n, ..Default::default() };
            cx.avg_count += 1;
            r.print(&mut cx, 1, 0, 100).unwrap();
        }
        r.print_avg(&mut cx, 0, 100).unwrap();
        assert_eq!(r.sums, [0; MAX_GAUGES]);
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s.lines().last().unwrap(), "t                   4         0         0         0");
    }
}
