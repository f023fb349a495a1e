//! Fibre Channel hosts (`-n FC`).
//!
//! Hosts come and go between samples: each row finds its previous values by
//! name, and a host new since the previous sample counts from zero.

use std::io;

use sarkit_format::stats::StatsFchost;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::sensors::hdr_tail;
use super::values::{f, row_f, Col, Item, Meta, RowSink, Shape};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{item_tail, ll_sp_value, minmax_lines, s_value, write_decimals, Extrema, NameList};

const COLS: &[Col] =
    &[f("fch_rxf/s", "fch_rxf"), f("fch_txf/s", "fch_txf"), f("fch_rxw/s", "fch_rxw"), f("fch_txw/s", "fch_txw")];

/// JSON `"fchosts": [{"fchost": "host0", ...}]`.
const META_B: Meta = crate::table!(
    "FCHOST",
    COLS,
    Meta::EMPTY,
    group: Some("network"),
    tag: "fchosts",
    item_tag: "fchost",
    item_key: "fchost",
    shape: Shape::List,
);
const META: Meta = Meta { xml: Some(&META_XML), ..META_B };
/// XML `<fchost name="host0" .../>`, straight under `<network>`.
const META_XML: Meta = Meta { tag: "fchost", item_key: "name", ..META_B };

pub struct Fc {
    s: Slots<StatsFchost>,
    x: Extrema,
    /// `-x` extrema are kept per host name, in first-seen order.
    names: NameList,
}

impl Fc {
    pub fn new() -> Fc {
        Fc { s: Slots::new(1), x: Extrema::new(4), names: NameList::default() }
    }

    /// Where host `pos` of `curr` sits in `rf`, searching from the same
    /// position round the list, as sysstat does.
    fn find_prev(&self, curr: usize, rf: usize, pos: usize) -> Option<usize> {
        let name = self.s.buf[curr].get(pos)?.fchost_name.as_bytes();
        self.s.find(rf, pos, |p| p.fchost_name.as_bytes() == name)
    }

    /// Host `i` of `curr` and its previous sample (zero if new).
    fn pair(&self, prev: usize, curr: usize, i: usize) -> (StatsFchost, StatsFchost) {
        let c = self.s.buf[curr][i];
        let p = self.find_prev(curr, prev, i).map_or_else(StatsFchost::default, |j| self.s.buf[prev][j]);
        (c, p)
    }
}

fn rates(c: &StatsFchost, p: &StatsFchost, itv: u64) -> [f64; 4] {
    [
        s_value(p.f_rxframes, c.f_rxframes, itv),
        s_value(p.f_txframes, c.f_txframes, itv),
        s_value(p.f_rxwords, c.f_rxwords, itv),
        s_value(p.f_txwords, c.f_txwords, itv),
    ]
}

impl Default for Fc {
    fn default() -> Self {
        Self::new()
    }
}

impl Report for Fc {
    crate::slot_access!(s, ActivityId::A_NET_FC);
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr[FIRST].max(1) as usize);
        self.names.clear();
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for i in 0..self.s.count(curr) {
            let (c, p) = self.pair(prev, curr, i);
            r.head(META.fields, 0)?;
            r.bytes(b"; ")?;
            r.bytes(c.fchost_name.as_bytes())?;
            r.bytes(b";")?;
            r.next_pair(p.f_rxframes, c.f_rxframes)?;
            r.next_pair(p.f_txframes, c.f_txframes)?;
            r.next_pair(p.f_rxwords, c.f_rxwords)?;
            r.next_pair(p.f_txwords, c.f_txwords)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        for i in 0..self.s.count(curr) {
            let (c, p) = self.pair(prev, curr, i);
            row_f(sink, Item::Name(self.s.buf[curr][i].fchost_name.as_bytes()), &rates(&c, &p, itv))?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        let avg = prev == FIRST;
        if cx.show_header && !(avg && minmax) {
            hdr_tail(&mut cx.out, &cx.ts[1 - curr.min(1)], COLS.iter().map(|c| c.hdr), META.item_hdr)?;
        }
        for i in 0..self.s.count(curr) {
            let (c, p) = self.pair(prev, curr, i);
            let pairs = [
                (p.f_rxframes, c.f_rxframes),
                (p.f_txframes, c.f_txframes),
                (p.f_rxwords, c.f_rxwords),
                (p.f_txwords, c.f_txwords),
            ];
            let name = c.fchost_name.as_bytes();
            if minmax {
                let k = self.names.pos(name);
                if !avg {
                    self.x.save_row(k, &pairs.map(|(a, b)| ll_sp_value(a, b, itv)));
                } else {
                    hdr_tail(&mut cx.out, &cx.ts[1 - curr.min(1)], COLS.iter().map(|c| c.hdr), META.item_hdr)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        write_decimals(w, self.x.row(k, ismax))?;
                        item_tail(w, name)
                    })?;
                }
            }
            cx.stamp(curr)?;
            write_decimals(&mut cx.out, &rates(&c, &p, itv))?;
            item_tail(&mut cx.out, name)?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::CChars;

    #[test]
    fn new_host_counts_from_zero() {
        let mut r = Fc::new();
        r.s.ensure(2);
        r.s.buf[0][0] = StatsFchost { f_rxframes: 100, fchost_name: CChars::new("host0"), ..Default::default() };
        r.s.buf[1][0] = StatsFchost { f_rxframes: 100, fchost_name: CChars::new("host1"), ..Default::default() };
        r.s.buf[1][1] = StatsFchost { f_rxframes: 300, fchost_name: CChars::new("host0"), ..Default::default() };
        r.s.nr = [1, 2, 0];
        assert_eq!(r.find_prev(1, 0, 1), Some(0));
        assert_eq!(r.find_prev(1, 0, 0), None);
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], false, 0);
        r.print(&mut cx, 0, 1, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "b              100.00      0.00      0.00      0.00 host1\nb              200.00      0.00      0.00      0.00 host0\n"
        );
    }
}
