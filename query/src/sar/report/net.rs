//! Network interfaces: traffic (`-n DEV`) and errors (`-n EDEV`), with `--iface`.
//!
//! Interfaces come and go between samples, so each row looks up its previous
//! values by name, as sysstat's `check_net_dev_reg` does: a counter that went
//! backwards means the interface was re-registered (rates from zero), unless
//! bytes and packets disagree in a way that can only be a wrap.

use std::io::{self, Write};

use sarkit_format::stats::{Stats, StatsNetDev, StatsNetEdev};
use sarkit_format::{ActivityId, StatsRecord};

use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{f2, hdr_line, s_value};

const HDR_DEV: &[&str] = &["IFACE", "rxpck/s", "txpck/s", "rxkB/s", "txkB/s", "rxcmp/s", "txcmp/s", "rxmcst/s", "%ifutil"];
const HDR_EDEV: &[&str] =
    &["IFACE", "rxerr/s", "txerr/s", "coll/s", "rxdrop/s", "txdrop/s", "txcarr/s", "rxfram/s", "rxfifo/s", "txfifo/s"];
const DUPLEX_FULL: u8 = 2;
const HALF_U64: u64 = u64::MAX >> 1;

/// What the two interface reports need from their structure.
pub trait Iface: Stats {
    const ACT: ActivityId;
    const HDR: &'static [&'static str];
    fn name(&self) -> &[u8];
    /// Whether the counters say the interface was re-registered since `p`.
    fn reregistered(&self, p: &Self) -> bool;
    fn write_values(&self, p: &Self, itv: u64, w: &mut dyn Write) -> io::Result<()>;
}

impl Iface for StatsNetDev {
    const ACT: ActivityId = ActivityId::A_NET_DEV;
    const HDR: &'static [&'static str] = HDR_DEV;
    fn name(&self) -> &[u8] {
        self.interface.as_bytes()
    }
    fn reregistered(&self, p: &Self) -> bool {
        let c = self;
        let dec = c.rx_packets < p.rx_packets
            || c.tx_packets < p.tx_packets
            || c.rx_bytes < p.rx_bytes
            || c.tx_bytes < p.tx_bytes
            || c.rx_compressed < p.rx_compressed
            || c.tx_compressed < p.tx_compressed
            || c.multicast < p.multicast;
        if !dec {
            return false;
        }
        let ovfw = (c.rx_bytes < p.rx_bytes && c.rx_packets > p.rx_packets && p.rx_bytes > HALF_U64)
            || (c.tx_bytes < p.tx_bytes && c.tx_packets > p.tx_packets && p.tx_bytes > HALF_U64)
            || (c.rx_packets < p.rx_packets && c.rx_bytes > p.rx_bytes && p.rx_packets > HALF_U64)
            || (c.tx_packets < p.tx_packets && c.tx_bytes > p.tx_bytes && p.tx_packets > HALF_U64);
        !ovfw
    }
    fn write_values(&self, p: &Self, itv: u64, w: &mut dyn Write) -> io::Result<()> {
        let c = self;
        let rxkb = s_value(p.rx_bytes, c.rx_bytes, itv);
        let txkb = s_value(p.tx_bytes, c.tx_bytes, itv);
        f2(
            w,
            &[
                s_value(p.rx_packets, c.rx_packets, itv),
                s_value(p.tx_packets, c.tx_packets, itv),
                rxkb / 1024.0,
                txkb / 1024.0,
                s_value(p.rx_compressed, c.rx_compressed, itv),
                s_value(p.tx_compressed, c.tx_compressed, itv),
                s_value(p.multicast, c.multicast, itv),
                ifutil(c, rxkb, txkb),
            ],
        )
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

impl Iface for StatsNetEdev {
    const ACT: ActivityId = ActivityId::A_NET_EDEV;
    const HDR: &'static [&'static str] = HDR_EDEV;
    fn name(&self) -> &[u8] {
        self.interface.as_bytes()
    }
    fn reregistered(&self, p: &Self) -> bool {
        let c = self;
        c.tx_errors < p.tx_errors
            || c.collisions < p.collisions
            || c.rx_dropped < p.rx_dropped
            || c.tx_dropped < p.tx_dropped
            || c.tx_carrier_errors < p.tx_carrier_errors
            || c.rx_frame_errors < p.rx_frame_errors
            || c.rx_fifo_errors < p.rx_fifo_errors
            || c.tx_fifo_errors < p.tx_fifo_errors
    }
    fn write_values(&self, p: &Self, itv: u64, w: &mut dyn Write) -> io::Result<()> {
        let c = self;
        let v = |a: u64, b: u64| s_value(a, b, itv);
        f2(
            w,
            &[
                v(p.rx_errors, c.rx_errors),
                v(p.tx_errors, c.tx_errors),
                v(p.collisions, c.collisions),
                v(p.rx_dropped, c.rx_dropped),
                v(p.tx_dropped, c.tx_dropped),
                v(p.tx_carrier_errors, c.tx_carrier_errors),
                v(p.rx_frame_errors, c.rx_frame_errors),
                v(p.rx_fifo_errors, c.rx_fifo_errors),
                v(p.tx_fifo_errors, c.tx_fifo_errors),
            ],
        )
    }
}

pub struct Net<T: Iface> {
    s: Slots<T>,
    list: Option<Vec<Vec<u8>>>,
}

impl<T: Iface> Net<T> {
    pub fn new(list: Option<Vec<Vec<u8>>>) -> Self {
        Net { s: Slots::new(1), list }
    }

    /// `check_net_dev_reg`: where interface `pos` of `curr` sits in `rf`;
    /// `None` for a new or re-registered interface.
    fn find_prev(&self, curr: usize, rf: usize, pos: usize) -> Option<usize> {
        let n = self.s.nr[rf];
        if n <= 0 {
            return None;
        }
        let n = (n as usize).min(self.s.buf[rf].len());
        if n == 0 {
            return None;
        }
        let c = self.s.buf[curr].get(pos)?;
        let mut j = pos.min(n - 1);
        let j0 = j;
        loop {
            let p = &self.s.buf[rf][j];
            if c.name() == p.name() {
                return if c.reregistered(p) { None } else { Some(j) };
            }
            j += 1;
            if j >= n {
                j = 0;
            }
            if j == j0 {
                return None;
            }
        }
    }

    fn rows(&self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        if cx.dish {
            hdr_line(cx.out, &cx.ts[1 - curr.min(1)], T::HDR, 0)?;
        }
        let n = (self.s.nr[curr].max(0) as usize).min(self.s.buf[curr].len());
        let zero = T::default();
        for i in 0..n {
            let c = &self.s.buf[curr][i];
            if let Some(list) = &self.list {
                if !list.iter().any(|x| x.as_slice() == c.name()) {
                    continue;
                }
            }
            let p = match self.find_prev(curr, prev, i) {
                Some(j) => &self.s.buf[prev][j],
                None => &zero,
            };
            cx.ts[curr.min(1)].write_padded(cx.out)?;
            let name = c.name();
            cx.out.write_all(&b"          "[..10usize.saturating_sub(name.len())])?;
            if name.len() >= 10 {
                cx.out.write_all(b" ")?;
            }
            cx.out.write_all(name)?;
            c.write_values(p, itv, cx.out)?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl<T: Iface> Report for Net<T> {
    fn id(&self) -> ActivityId {
        T::ACT
    }
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        self.s.load(slot, rec.block(T::ACT), None);
    }
    fn copy(&mut self, dest: usize, src: usize) {
        self.s.copy(dest, src)
    }
    fn nr(&self, slot: usize) -> i64 {
        self.s.nr[slot]
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.rows(cx, prev, curr, itv)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.rows(cx, FIRST, curr, itv)
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
