//! Serial lines (`-y`): a line is matched to its previous sample by number,
//! and lines missing from the previous sample are not shown.

use std::io;

use sarkit_format::stats::StatsSerial;
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, row_f, Col, Item, Meta, RowSink, Shape};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{display, hdr_line, item, ll_sp_value, minmax_lines, s_value, write_decimals, Extrema, NameList};

pub struct Serial {
    s: Slots<StatsSerial>,
    x: Extrema,
    names: NameList,
}

impl Serial {
    pub fn new() -> Serial {
        Serial { s: Slots::new(1), x: Extrema::new(6), names: NameList::default() }
    }

    /// Where line `line` (item `i` of the current slot) was in `prev`;
    /// since boot (`sar 0`), every line's previous values are zeros.
    fn find(&self, prev: usize, i: usize, line: u32) -> Option<usize> {
        if display().since_boot {
            return Some(0);
        }
        self.s.find(prev, i, |p| p.line == line)
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let d = display();
        let avg = prev == FIRST;
        if (cx.show_header || d.zero_omit) && !(avg && d.minmax) {
            hdr_line(cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names(), 0)?;
        }
        let n = self.s.count(curr);
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let Some(j) = self.find(prev, i, c.line) else { continue };
            let p = self.s.buf[prev][j];
            if d.zero_omit && p == c {
                continue;
            }
            let v = rates(&p, &c, itv);
            let mut name = [0u8; 16];
            let label = ttyname(c.line, &mut name);
            if d.minmax {
                let mut nb = itoa_buf();
                let key = itoa(c.line as i32, &mut nb);
                let k = self.names.pos(key);
                if !avg {
                    // save_extrema reads the u32 counters as unsigned longs.
                    let pairs = [
                        (p.rx, c.rx),
                        (p.tx, c.tx),
                        (p.frame, c.frame),
                        (p.parity, c.parity),
                        (p.brk, c.brk),
                        (p.overrun, c.overrun),
                    ];
                    self.x.save_row(k, &pairs.map(|(a, b)| ll_sp_value(a as u64, b as u64, itv)));
                } else {
                    hdr_line(cx.out, &cx.ts[1 - curr.min(1)], META.hdr_names(), 0)?;
                    minmax_lines(cx.out, |w, ismax| {
                        item(w, label)?;
                        write_decimals(w, self.x.row(k, ismax))
                    })?;
                }
            }
            cx.stamp(curr)?;
            item(cx.out, label)?;
            write_decimals(cx.out, &v)?;
            cx.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The six per-second rates of a line.
fn rates(p: &StatsSerial, c: &StatsSerial, itv: u64) -> [f64; 6] {
    [
        s_value(p.rx as u64, c.rx as u64, itv),
        s_value(p.tx as u64, c.tx as u64, itv),
        s_value(p.frame as u64, c.frame as u64, itv),
        s_value(p.parity as u64, c.parity as u64, itv),
        s_value(p.brk as u64, c.brk as u64, itv),
        s_value(p.overrun as u64, c.overrun as u64, itv),
    ]
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

fn itoa_buf() -> [u8; 12] {
    [0; 12]
}

/// `%d` of an int into a stack buffer.
fn itoa(v: i32, buf: &mut [u8; 12]) -> &[u8] {
    let mut i = buf.len();
    let neg = v < 0;
    let mut n = (v as i64).unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// `"       %3d"` of the line number.
fn ttyname(line: u32, buf: &mut [u8; 16]) -> &[u8] {
    let mut nb = itoa_buf();
    let digits = itoa(line as i32, &mut nb);
    let pad = 7 + 3usize.saturating_sub(digits.len());
    buf[..pad].fill(b' ');
    let len = (pad + digits.len()).min(16);
    buf[pad..len].copy_from_slice(&digits[..len - pad]);
    &buf[..len]
}

impl Default for Serial {
    fn default() -> Self {
        Self::new()
    }
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
    fn has_raw(&self) -> bool {
        true
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let n = self.s.count(curr);
        for i in 0..n {
            let c = self.s.buf[curr][i];
            r.head(META.fields, 0)?;
            r.value(c.line)?;
            // A line new since the previous sample shows no counters.
            if let Some(j) = self.find(prev, i, c.line) {
                let p = self.s.buf[prev][j];
                for (a, b) in [
                    (p.rx, c.rx),
                    (p.tx, c.tx),
                    (p.frame, c.frame),
                    (p.parity, c.parity),
                    (p.brk, c.brk),
                    (p.overrun, c.overrun),
                ] {
                    r.next_pair(u64::from(a), u64::from(b))?;
                }
            }
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let n = self.s.count(curr);
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let Some(j) = self.find(prev, i, c.line) else { continue };
            let p = self.s.buf[prev][j];
            row_f(sink, Item::Num("ttyS", c.line as u64), &rates(&p, &c, itv))?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.rows(cx, prev, curr, itv)
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
