//! Serial lines (`-y`): a line is matched to its previous sample by number,
//! and lines missing from the previous sample are not shown.

use std::io;

use sarkit_format::stats::StatsSerial;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, row_f, Col, Item, Meta, RowSink, Shape};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{
    formatted, hdr_line, item, ll_sp_value, minmax_lines, s_value, write_decimals, Extrema, NameList,
};

pub struct Serial {
    s: Slots<StatsSerial>,
    x: Extrema,
    names: NameList,
    /// `sar 0` (`S_F_SINCE_BOOT`): the previous sample is the zeros of boot
    /// time, so lines with no previous values are shown.
    since_boot: bool,
}

impl Serial {
    pub fn new(since_boot: bool) -> Serial {
        Serial { s: Slots::new(1), x: Extrema::new(6), names: NameList::default(), since_boot }
    }

    /// Where line `line` (item `i` of the current slot) was in `prev`;
    /// since boot (`sar 0`), every line's previous values are zeros.
    fn find(&self, prev: usize, i: usize, line: u32) -> Option<usize> {
        if self.since_boot {
            return Some(0);
        }
        self.s.find(prev, i, |p| p.line == line)
    }
}

/// A line's six counters, in column order. sar reads these C `unsigned
/// int`s as `unsigned long`s: differences wrap at 2^64.
fn counters(s: &StatsSerial) -> [u64; 6] {
    [s.rx, s.tx, s.frame, s.parity, s.brk, s.overrun].map(u64::from)
}

/// `rate` (sar's `S_VALUE` or `ll_sp_value`) of each counter of a line.
fn rates(p: &StatsSerial, c: &StatsSerial, itv: u64, rate: impl Fn(u64, u64, u64) -> f64) -> [f64; 6] {
    let (pc, cc) = (counters(p), counters(c));
    std::array::from_fn(|k| rate(pc[k], cc[k], itv))
}

const COLS: &[Col] = &[
    f("rcvin/s", "rcvin"),
    f("xmtin/s", "xmtin"),
    f("framerr/s", "framerr"),
    f("prtyerr/s", "prtyerr"),
    f("brk/s", "brk"),
    f("ovrun/s", "ovrun"),
];

const META: Meta = crate::table!(
    "TTY",
    COLS,
    Meta::EMPTY,
    group: None,
    tag: "serial",
    item_tag: "tty",
    item_key: "line",
    attrs: " per=\"second\"",
    shape: Shape::List,
    order: &[],
);

/// `"       %3d"` of the line number (a C `int`).
fn ttyname(line: u32, buf: &mut [u8; 16]) -> &[u8] {
    formatted(buf, format_args!("       {:>3}", line as i32))
}

impl Report for Serial {
    crate::slot_access!(s, ActivityId::A_SERIAL);
    fn reset_extrema(&mut self) {
        self.x.reset(0);
        self.names.clear();
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            r.head(META.fields, 0)?;
            r.value(c.line)?;
            // A line new since the previous sample shows no counters.
            if let Some(j) = self.find(prev, i, c.line) {
                let p = self.s.buf[prev][j];
                for (a, b) in counters(&p).into_iter().zip(counters(&c)) {
                    r.next_pair(a, b)?;
                }
            }
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            let Some(j) = self.find(prev, i, c.line) else { continue };
            let p = self.s.buf[prev][j];
            row_f(sink, Item::Num("ttyS", c.line as u64), &rates(&p, &c, itv, s_value))?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = cx.out.display();
        let avg = prev == FIRST;
        if (cx.show_header || d.zero_omit) && !(avg && d.minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names(), 0)?;
        }
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            let Some(j) = self.find(prev, i, c.line) else { continue };
            let p = self.s.buf[prev][j];
            if d.zero_omit && p == c {
                continue;
            }
            let v = rates(&p, &c, itv, s_value);
            let mut name = [0u8; 16];
            let label = ttyname(c.line, &mut name);
            if d.minmax {
                let mut nb = [0u8; 12];
                let key = formatted(&mut nb, format_args!("{}", c.line as i32));
                let k = self.names.pos(key);
                if !avg {
                    self.x.save_row(k, &rates(&p, &c, itv, ll_sp_value));
                } else {
                    hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names(), 0)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        item(w, label)?;
                        write_decimals(w, self.x.row(k, ismax))
                    })?;
                }
            }
            cx.stamp(curr)?;
            item(&mut cx.out, label)?;
            write_decimals(&mut cx.out, &v)?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tty_label() {
        let mut b = [0u8; 16];
        assert_eq!(ttyname(3, &mut b), b"         3");
        assert_eq!(ttyname(1234, &mut b), b"       1234");
    }
}
