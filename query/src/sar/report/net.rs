//! Network interfaces: traffic (`-n DEV`) and errors (`-n EDEV`), with `--iface`.
//!
//! Interfaces come and go between samples, so each row looks up its previous
//! values by name, as sysstat's `check_net_dev_reg` does: a counter that went
//! backwards means the interface was re-registered (rates from zero), unless
//! bytes and packets disagree in a way that can only be a wrap.

use std::io;

use sarkit_format::stats::{Stats, StatsNetDev, StatsNetEdev};

use super::raw::Raw;
use super::values::{f, row_f, Col, Item, Meta, RowSink, Shape};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{
    hdr_item, item_pos, ll_sp_value, minmax_lines, s_value, write_decimals, write_floats, write_percents, Extrema,
    NameList, Out, Xtrem, NO_UNIT, UNIT_BYTE,
};

const DUPLEX_FULL: u8 = 2;
const HALF_U64: u64 = u64::MAX >> 1;

/// What the two interface reports need from their structure.
pub trait Iface: Stats {
    /// How many of [`Iface::counters`] there are.
    const COUNTERS: usize;
    /// The counters, in sar's column order (the rest of the array zero).
    fn counters(&self) -> [u64; 9];
    fn name(&self) -> &[u8];
    /// Whether the counters say the interface was re-registered since `p`.
    fn reregistered(&self, p: &Self) -> bool;
    fn write_values(&self, p: &Self, itv: u64, w: &mut Out<'_>) -> io::Result<()>;
    const META: Meta;
    const META_STATIC: &'static Meta;
    /// The row's values for every export.
    fn values(&self, p: &Self, itv: u64, out: &mut [f64; 9]);
    /// The `-x` columns of a row (`save_extrema`, zero where a counter decreased).
    fn extrema(&self, p: &Self, itv: u64, out: &mut [f64; 9]) {
        rates_into(p, self, ll_sp_value, itv, out);
    }
    /// Print one `Minimum:`/`Maximum:` row's values (columns as
    /// [`Iface::extrema`] makes them).
    fn write_extrema(x: &[f64], w: &mut Out<'_>) -> io::Result<()>;
    /// `-z`: sar's `memcmp` of the compared part of the structure.
    fn unchanged(&self, p: &Self) -> bool {
        self.counters() == p.counters()
    }
    /// sadf `-r`: the counters after the interface's name.
    fn raw(&self, p: &Self, r: &mut Raw<'_>) -> io::Result<()> {
        pairs(p, self).try_for_each(|(a, b)| r.next_pair(a, b))
    }
}

/// Each counter, previous and current.
fn pairs<T: Iface>(p: &T, c: &T) -> impl Iterator<Item = (u64, u64)> {
    let (pc, cc) = (p.counters(), c.counters());
    (0..T::COUNTERS).map(move |k| (pc[k], cc[k]))
}

/// `rate` (sar's `S_VALUE` or `ll_sp_value`) of each counter, into `out`.
#[inline]
fn rates_into<T: Iface>(p: &T, c: &T, rate: impl Fn(u64, u64, u64) -> f64, itv: u64, out: &mut [f64; 9]) {
    let (pc, cc) = (p.counters(), c.counters());
    for k in 0..T::COUNTERS.min(9) {
        out[k] = rate(pc[k], cc[k], itv);
    }
}

fn byte_unit(w: &Out<'_>) -> i32 {
    if w.display().human {
        UNIT_BYTE
    } else {
        NO_UNIT
    }
}

const COLS_DEV: &[Col] = &[
    f("rxpck/s", "rxpck"),
    f("txpck/s", "txpck"),
    f("rxkB/s", "rxkB"),
    f("txkB/s", "txkB"),
    f("rxcmp/s", "rxcmp"),
    f("txcmp/s", "txcmp"),
    f("rxmcst/s", "rxmcst"),
    f("%ifutil", "ifutil-percent"),
];

impl Iface for StatsNetDev {
    const COUNTERS: usize = 7;
    fn counters(&self) -> [u64; 9] {
        let c = self;
        [c.rx_packets, c.tx_packets, c.rx_bytes, c.tx_bytes, c.rx_compressed, c.tx_compressed, c.multicast, 0, 0]
    }
    fn raw(&self, p: &Self, r: &mut Raw<'_>) -> io::Result<()> {
        pairs(p, self).try_for_each(|(a, b)| r.next_pair(a, b))?;
        write!(r.out, " speed; {}; duplex; {};", self.speed, self.duplex)
    }
    const META_STATIC: &'static Meta = &Self::META;
    fn name(&self) -> &[u8] {
        self.interface.as_bytes()
    }
    fn reregistered(&self, p: &Self) -> bool {
        let c = self;
        if !pairs(p, c).any(|(a, b)| b < a) {
            return false;
        }
        let ovfw = (c.rx_bytes < p.rx_bytes && c.rx_packets > p.rx_packets && p.rx_bytes > HALF_U64)
            || (c.tx_bytes < p.tx_bytes && c.tx_packets > p.tx_packets && p.tx_bytes > HALF_U64)
            || (c.rx_packets < p.rx_packets && c.rx_bytes > p.rx_bytes && p.rx_packets > HALF_U64)
            || (c.tx_packets < p.tx_packets && c.tx_bytes > p.tx_bytes && p.tx_packets > HALF_U64);
        !ovfw
    }
    const META: Meta = crate::table!(
        "IFACE",
        COLS_DEV,
        Meta::EMPTY,
        group: Some("network"),
        tag: "net-dev",
        item_tag: "net-dev",
        item_key: "iface",
        attrs: "",
        shape: Shape::List,
        order: &[],
    );
    /// Rates, with bytes as kB and the link's utilization.
    fn values(&self, p: &Self, itv: u64, o: &mut [f64; 9]) {
        rates_into(p, self, s_value, itv, o);
        let (rx, tx) = (o[2], o[3]);
        (o[2], o[3], o[7]) = (rx / 1024.0, tx / 1024.0, ifutil(self, rx, tx));
    }
    fn write_values(&self, p: &Self, itv: u64, w: &mut Out<'_>) -> io::Result<()> {
        let mut o = [0.0; 9];
        rates_into(p, self, s_value, itv, &mut o);
        o[7] = ifutil(self, o[2], o[3]);
        Self::write_extrema(&o, w)
    }
    fn extrema(&self, p: &Self, itv: u64, o: &mut [f64; 9]) {
        rates_into(p, self, ll_sp_value, itv, o);
        o[7] = ifutil(self, s_value(p.rx_bytes, self.rx_bytes, itv), s_value(p.tx_bytes, self.tx_bytes, itv));
    }
    /// Bytes are given per second, shown as kB, or with a unit under `--human`.
    fn write_extrema(x: &[f64], w: &mut Out<'_>) -> io::Result<()> {
        let unit = byte_unit(w);
        write_decimals(w, &x[..2])?;
        if unit < 0 {
            write_decimals(w, &[x[2] / 1024.0, x[3] / 1024.0])?;
        } else {
            write_floats(w, unit, 2, &x[2..4])?;
        }
        write_decimals(w, &x[4..7])?;
        write_percents(w, Xtrem::High, 2, &x[7..8])
    }
    fn unchanged(&self, p: &Self) -> bool {
        // STATS_NET_DEV_SIZE2CMP: the counters, the speed and 3 bytes of the name.
        self.counters() == p.counters() && self.speed == p.speed && self.interface.0[..3] == p.interface.0[..3]
    }
}

/// `compute_ifutil`: utilization of the link, from bytes per second.
pub fn ifutil(c: &StatsNetDev, rx: f64, tx: f64) -> f64 {
    if c.speed == 0 {
        return 0.0;
    }
    let speed = (c.speed as u64 * 1_000_000) as f64;
    if c.duplex == DUPLEX_FULL {
        rx.max(tx) * 800.0 / speed
    } else {
        (rx + tx) * 800.0 / speed
    }
}

const COLS_EDEV: &[Col] = &[
    f("rxerr/s", "rxerr"),
    f("txerr/s", "txerr"),
    f("coll/s", "coll"),
    f("rxdrop/s", "rxdrop"),
    f("txdrop/s", "txdrop"),
    f("txcarr/s", "txcarr"),
    f("rxfram/s", "rxfram"),
    f("rxfifo/s", "rxfifo"),
    f("txfifo/s", "txfifo"),
];

impl Iface for StatsNetEdev {
    const COUNTERS: usize = 9;
    fn counters(&self) -> [u64; 9] {
        let c = self;
        [
            c.rx_errors,
            c.tx_errors,
            c.collisions,
            c.rx_dropped,
            c.tx_dropped,
            c.tx_carrier_errors,
            c.rx_frame_errors,
            c.rx_fifo_errors,
            c.tx_fifo_errors,
        ]
    }
    const META_STATIC: &'static Meta = &Self::META;
    fn name(&self) -> &[u8] {
        self.interface.as_bytes()
    }
    /// Any counter but `rx_errors` went backwards.
    fn reregistered(&self, p: &Self) -> bool {
        pairs(p, self).skip(1).any(|(a, b)| b < a)
    }
    const META: Meta = crate::table!(
        "IFACE",
        COLS_EDEV,
        Meta::EMPTY,
        group: Some("network"),
        tag: "net-edev",
        item_tag: "net-edev",
        item_key: "iface",
        attrs: "",
        shape: Shape::List,
        order: &[],
    );
    fn values(&self, p: &Self, itv: u64, o: &mut [f64; 9]) {
        rates_into(p, self, s_value, itv, o);
    }
    fn write_values(&self, p: &Self, itv: u64, w: &mut Out<'_>) -> io::Result<()> {
        let mut o = [0.0; 9];
        self.values(p, itv, &mut o);
        write_decimals(w, &o)
    }
    fn write_extrema(x: &[f64], w: &mut Out<'_>) -> io::Result<()> {
        write_decimals(w, &x[..9])
    }
}

pub struct Net<T: Iface> {
    s: Slots<T>,
    list: Option<Vec<Vec<u8>>>,
    x: Extrema,
    xnames: NameList,
}

impl<T: Iface> Net<T> {
    pub fn new(list: Option<Vec<Vec<u8>>>) -> Self {
        Net { s: Slots::new(1), list, x: Extrema::new(9), xnames: NameList::default() }
    }

    /// `check_net_dev_reg`: where interface `pos` of `curr` sits in `rf`;
    /// `None` for a new or re-registered interface.
    fn find_prev(&self, curr: usize, rf: usize, pos: usize) -> Option<usize> {
        let c = self.s.buf[curr].get(pos)?;
        self.s.find(rf, pos, |p| p.name() == c.name()).filter(|&j| !c.reregistered(&self.s.buf[rf][j]))
    }
}

impl<T: Iface> Report for Net<T> {
    crate::slot_access!(s, T::ID);
    fn reset_extrema(&mut self) {
        self.x.reset(0);
        self.xnames.clear();
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = cx.out.display();
        let avg = prev == FIRST;
        if (cx.show_header || d.zero_omit) && !(avg && d.minmax) {
            hdr_item(&mut cx.out, &cx.ts[1 - curr.min(1)], T::META.hdr_names())?;
        }
        let n = self.s.count(curr);
        let zero = T::default();
        for i in 0..n {
            let c = self.s.buf[curr][i];
            if let Some(list) = &self.list {
                if !list.iter().any(|x| x.as_slice() == c.name()) {
                    continue;
                }
            }
            let p = match self.find_prev(curr, prev, i) {
                Some(j) => self.s.buf[prev][j],
                None => zero,
            };
            if d.zero_omit && c.unchanged(&p) {
                continue;
            }
            let name = c.name();
            if d.minmax {
                let k = self.xnames.pos(name);
                if !avg {
                    let mut v = [0.0; 9];
                    c.extrema(&p, itv, &mut v);
                    self.x.save_row(k, &v);
                } else {
                    hdr_item(&mut cx.out, &cx.ts[1 - curr.min(1)], T::META.hdr_names())?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        item_pos(w, name, false)?;
                        T::write_extrema(self.x.row(k, ismax), w)?;
                        item_pos(w, name, true)
                    })?;
                }
            }
            cx.stamp(curr)?;
            item_pos(&mut cx.out, name, false)?;
            c.write_values(&p, itv, &mut cx.out)?;
            item_pos(&mut cx.out, name, true)?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(T::META_STATIC)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            if self.list.as_ref().is_some_and(|l| !l.iter().any(|x| x.as_slice() == c.name())) {
                continue;
            }
            let p = self.find_prev(curr, prev, i).map_or_else(T::default, |j| self.s.buf[prev][j]);
            r.head(T::META.fields, 0)?;
            r.bytes(b"; ")?;
            r.bytes(c.name())?;
            r.bytes(b";")?;
            c.raw(&p, r)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            if let Some(list) = &self.list {
                if !list.iter().any(|x| x.as_slice() == c.name()) {
                    continue;
                }
            }
            let p = match self.find_prev(curr, prev, i) {
                Some(j) => self.s.buf[prev][j],
                None => T::default(),
            };
            let mut v = [0.0; 9];
            c.values(&p, itv, &mut v);
            row_f(sink, Item::Name(c.name()), &v[..T::META.cols.len()])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::CChars;

    #[test]
    fn wrap_is_not_reregistration() {
        let p = StatsNetDev { rx_bytes: u64::MAX - 5, rx_packets: 10, ..Default::default() };
        let c = StatsNetDev { rx_bytes: 100, rx_packets: 20, ..Default::default() };
        assert!(!c.reregistered(&p));
        let c2 = StatsNetDev { rx_bytes: 100, rx_packets: 5, ..Default::default() };
        assert!(c2.reregistered(&p));
    }

    #[test]
    fn finds_moved_interface_by_name() {
        let mut n: Net<StatsNetDev> = Net::new(None);
        n.s.ensure(2);
        n.s.buf[0][0].interface = CChars::new("eth0");
        n.s.buf[0][1].interface = CChars::new("lo");
        n.s.buf[1][0].interface = CChars::new("lo");
        n.s.nr = [2, 1, 0];
        assert_eq!(n.find_prev(1, 0, 0), Some(1));
        assert_eq!(n.find_prev(0, 1, 0), None);
    }
}
