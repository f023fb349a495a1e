//! USB devices (`-m USB`) and batteries (`-m BAT`).
//!
//! USB has no Average but a Summary: every device seen during the segment.
//! sar keeps that list in the slot of the segment's first sample, appending
//! devices not yet in it (matched on bus, vendor and product), so this
//! report does the same with its [`FIRST`] slot. Batteries print their
//! charge and its change per minute; the Average charge is the mean of the
//! printed samples.

use std::io::{self, Write};

use sarkit_format::stats::{StatsPwrBat, StatsPwrUsb};
use sarkit_format::ActivityId;

use super::raw::Raw;
use super::values::{f, s, u, Col, Item, Meta, RowSink, Shape, Val};
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{
    hdr_line, item, minmax_lines, u64s, write_percents, write_signed_floats, Extrema, NameList, Xtrem,
};
use crate::sar::timefmt::Stamp;

/// `-d` names the fields in an order of its own.
const META_USB: Meta = Meta {
    fields: "manufact;product;BUS;idvendor;idprod;maxpower",
    item_hdr: "BUS",
    group: Some("power-management"),
    tag: "usb-devices",
    item_tag: "usb",
    item_key: "bus_number",
    shape: Shape::List,
    cols: &[
        s("idvendor", "idvendor"),
        s("idprod", "idprod"),
        u("maxpower", "maxpower"),
        s("manufact", "manufact"),
        s("product", "product"),
    ],
    ..Meta::EMPTY
};

const COLS_BAT: &[Col] = &[u("%cap", "percent-capacity"), f("cap/min", "variation"), s("status", "status")];

const META_BAT: Meta = crate::table!(
    "BAT",
    COLS_BAT,
    Meta::EMPTY,
    group: Some("power-management"),
    tag: "battery",
    item_tag: "bat",
    item_key: "number",
    attrs: " unit=\"minute\"",
    shape: Shape::List,
);

/// sysstat's names of the battery states.
const BAT_STATUS: [&str; 5] = ["Unknown", "Charging", "Discharging", "NotCharging", "Full"];

/// `%x` of `v` into `buf`.
fn hex(buf: &mut [u8; 8], v: u32) -> &[u8] {
    let mut c = io::Cursor::new(&mut buf[..]);
    let _ = write!(c, "{v:x}");
    let n = c.position() as usize;
    &buf[..n]
}

/// A battery's change of charge, in percent per minute.
fn cap_per_min(c: &StatsPwrBat, p: &StatsPwrBat, itv: u64) -> f64 {
    (i32::from(c.capacity) - i32::from(p.capacity)) as f64 * 6000.0 / itv as f64
}

pub struct Usb {
    s: Slots<StatsPwrUsb>,
}

impl Usb {
    pub fn new(nr_ini: i64) -> Usb {
        Usb { s: Slots::new(nr_ini.max(1) as usize) }
    }

    /// Add device `d` to the summary list unless it is there already.
    fn remember(&mut self, d: StatsPwrUsb) {
        let list = &self.s.buf[FIRST];
        let mut j = 0;
        while j < list.len() {
            let m = &list[j];
            if m.bus_nr == d.bus_nr && m.vendor_id == d.vendor_id && m.product_id == d.product_id {
                return;
            }
            if m.bus_nr == 0 {
                break;
            }
            j += 1;
        }
        self.s.ensure(j + 1);
        self.s.buf[FIRST][j] = d;
        self.s.nr[FIRST] = j as i64 + 1;
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, curr: usize, summary: bool) -> io::Result<()> {
        let slot = if summary { FIRST } else { curr };
        let sum = Stamp::text("Summary:");
        if cx.show_header {
            let st = if summary { sum } else { cx.ts[1 - curr.min(1)] };
            cx.out.write_all(b"\n")?;
            st.write_padded(&mut cx.out)?;
            let c = META_USB.cols;
            let (bus, vendor, prod, power, manufact, product) =
                (META_USB.item_hdr, c[0].hdr, c[1].hdr, c[2].hdr, c[3].hdr, c[4].hdr);
            writeln!(&mut cx.out, " {bus:>7} {vendor:>9} {prod:>9} {power:>9} {manufact:<23} {product}")?;
        }
        for i in 0..self.s.count(slot) {
            let d = self.s.buf[slot][i];
            let st = if summary { sum } else { cx.ts[curr.min(1)] };
            st.write_padded(&mut cx.out)?;
            let mut buf = [0u8; 24];
            let mut c = io::Cursor::new(&mut buf[..]);
            let _ = write!(c, "  {:>6}", d.bus_nr as i32);
            let len = c.position() as usize;
            item(&mut cx.out, &buf[..len])?;
            write!(&mut cx.out, " {:>9x} {:>9x}", d.vendor_id, d.product_id)?;
            // bMaxPower is in units of 2 mA.
            u64s(&mut cx.out, &[u64::from(d.bmaxpower.wrapping_shl(1))])?;
            cx.out.write_all(b" ")?;
            let m = d.manufacturer.as_bytes();
            cx.out.write_all(m)?;
            cx.out.write_all(&[b' '; 23][..23usize.saturating_sub(m.len())])?;
            cx.out.write_all(b" ")?;
            cx.out.write_all(d.product.as_bytes())?;
            cx.out.write_all(b"\n")?;
            if !summary {
                self.remember(d);
            }
        }
        Ok(())
    }
}

impl Report for Usb {
    crate::slot_access!(s, ActivityId::A_PWR_USB);
    fn print(&mut self, cx: &mut Ctx<'_>, _prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, curr, false)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META_USB)
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for d in self.s.items(curr) {
            r.head(META_USB.fields, 0)?;
            r.bytes(b"; \"")?;
            r.bytes(d.manufacturer.as_bytes())?;
            r.bytes(b"\";")?;
            let f = r.field();
            write!(r.out, " {f}; \"")?;
            r.bytes(d.product.as_bytes())?;
            r.bytes(b"\";")?;
            r.next_value(d.bus_nr)?;
            r.next_value(format_args!("{:x}", d.vendor_id))?;
            r.next_value(format_args!("{:x}", d.product_id))?;
            r.next_value(d.bmaxpower)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        for d in self.s.items(curr) {
            let (mut vb, mut pb) = ([0u8; 8], [0u8; 8]);
            let v = [
                Val::S(hex(&mut vb, d.vendor_id)),
                Val::S(hex(&mut pb, d.product_id)),
                Val::U(u64::from(d.bmaxpower.wrapping_shl(1))),
                Val::S(d.manufacturer.as_bytes()),
                Val::S(d.product.as_bytes()),
            ];
            sink.row(Item::Num("bus", u64::from(d.bus_nr)), &v)?;
        }
        Ok(())
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, curr, true)
    }
}

pub struct Bat {
    s: Slots<StatsPwrBat>,
    /// Sum of printed capacities per position, for the Average.
    sums: Vec<u64>,
    x: Extrema,
    /// `-x` extrema are kept per battery number, in first-seen order.
    names: NameList,
}

impl Bat {
    pub fn new() -> Bat {
        Bat { s: Slots::new(1), sums: Vec::new(), x: Extrema::new(2), names: NameList::default() }
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64, avg: bool) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        let n = self.s.count(curr);
        if self.sums.len() < n {
            self.sums.resize(n, 0);
        }
        if cx.show_header && !(avg && minmax) {
            hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META_BAT.hdr_names(), 0)?;
        }
        for i in 0..n {
            let c = self.s.buf[curr][i];
            let p = self.s.get(prev, i as i64);
            let capmin = cap_per_min(&c, &p, itv);
            let mut buf = [0u8; 24];
            let (id, label) = bat_names(&mut buf, c.bat_id);
            if minmax {
                let k = self.names.pos(id);
                if !avg {
                    self.x.save_row(k, &[f64::from(c.capacity), capmin]);
                } else {
                    hdr_line(&mut cx.out, &cx.ts[1 - curr.min(1)], META_BAT.hdr_names(), 0)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        item(w, label)?;
                        let r = self.x.row(k, ismax);
                        write_percents(w, Xtrem::Low, 0, &r[..1])?;
                        write_signed_floats(w, 2, &r[1..2])
                    })?;
                }
            }
            cx.stamp(curr)?;
            item(&mut cx.out, label)?;
            if avg {
                write_percents(&mut cx.out, Xtrem::Low, 2, &[self.sums[i] as f64 / cx.avg_count as f64])?;
            } else {
                write_percents(&mut cx.out, Xtrem::Low, 0, &[f64::from(c.capacity)])?;
                self.sums[i] = self.sums[i].wrapping_add(u64::from(c.capacity));
            }
            write_signed_floats(&mut cx.out, 2, &[capmin])?;
            if !avg {
                // Arrows are three bytes that printf pads as three characters.
                let s: &[u8] = match c.status {
                    1 => "         \u{2197}".as_bytes(),
                    2 => "         \u{2198}".as_bytes(),
                    3 => "         \u{2192}".as_bytes(),
                    4 => "         \u{2191}".as_bytes(),
                    _ => b"         ?",
                };
                cx.out.write_all(s)?;
            }
            cx.out.write_all(b"\n")?;
        }
        if avg {
            self.sums.iter_mut().for_each(|s| *s = 0);
        }
        Ok(())
    }
}

/// A battery's number as `-x` names it (`%d`), and its column (`     %5d`),
/// both written into `buf`.
fn bat_names(buf: &mut [u8; 24], id: u8) -> (&[u8], &[u8]) {
    let (a, b) = buf.split_at_mut(8);
    let mut c = io::Cursor::new(&mut a[..]);
    let _ = write!(c, "{id}");
    let na = c.position() as usize;
    let mut c = io::Cursor::new(&mut b[..]);
    let _ = write!(c, "     {:>5}", id);
    let nb = c.position() as usize;
    (&a[..na], &b[..nb])
}

impl Default for Bat {
    fn default() -> Self {
        Self::new()
    }
}

impl Report for Bat {
    crate::slot_access!(s, ActivityId::A_PWR_BAT);
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr[FIRST].max(1) as usize);
        self.names.clear();
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.rows(cx, prev, curr, itv, false)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(&META_BAT)
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            let p = self.s.get(prev, i as i64);
            r.head(META_BAT.fields, 0)?;
            r.value(c.bat_id)?;
            let f = r.field();
            write!(r.out, " {f}; {}; {}; status; {};", p.capacity, c.capacity, c.status)?;
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        for (i, &c) in self.s.items(curr).iter().enumerate() {
            let p = self.s.get(prev, i as i64);
            let status = BAT_STATUS.get(usize::from(c.status)).unwrap_or(&BAT_STATUS[0]);
            let v = [Val::U(u64::from(c.capacity)), Val::F(cap_per_min(&c, &p, itv)), Val::S(status.as_bytes())];
            sink.row(Item::Num("BAT", u64::from(c.bat_id)), &v)?;
        }
        Ok(())
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.rows(cx, FIRST, curr, itv, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::CChars;

    fn usb(bus: u32, vendor: u32) -> StatsPwrUsb {
        StatsPwrUsb { bus_nr: bus, vendor_id: vendor, product: CChars::new("Hub"), ..Default::default() }
    }

    #[test]
    fn summary_lists_every_device_once() {
        let mut r = Usb::new(1);
        r.s.ensure(2);
        r.s.buf[FIRST][0] = usb(1, 0x3f0);
        r.s.nr[FIRST] = 1;
        r.s.buf[1][0] = usb(1, 0x3f0);
        r.s.buf[1][1] = usb(3, 0x174c);
        r.s.nr[1] = 2;
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], false, 1);
        r.print(&mut cx, 0, 1, 100).unwrap();
        r.print(&mut cx, 0, 1, 100).unwrap();
        assert_eq!(r.s.nr[FIRST], 2);
        r.print_avg(&mut cx, 1, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s.lines().nth(1).unwrap(),
            "b                 3      174c         0         0                         Hub"
        );
        assert!(s.lines().last().unwrap().starts_with("Summary:          3      174c"));
    }

    #[test]
    fn battery_change_per_minute_is_signed() {
        let mut r = Bat::new();
        r.s.buf[0][0] = StatsPwrBat { bat_id: 0, capacity: 100, status: 4 };
        r.s.buf[1][0] = StatsPwrBat { bat_id: 0, capacity: 90, status: 2 };
        r.s.nr = [1, 1, 1];
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], false, 1);
        r.print(&mut cx, 0, 1, 6000).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "b                   0        90    -10.00         \u{2198}\n");
    }
}
