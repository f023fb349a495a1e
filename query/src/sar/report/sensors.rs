//! Fans, temperature and voltage sensors (`-m FAN`, `-m TEMP`, `-m IN`).
//!
//! These print the sample itself; the Average is the mean of the printed
//! samples per sensor position, kept in sums that are cleared when it is
//! printed (sar's static arrays). A sensor's range is taken from the last
//! printed sample, as sysstat assumes it never changes.

use std::io::{self, Write};

use sarkit_format::stats::{Stats, StatsPwrFan, StatsPwrIn, StatsPwrTemp};
use sarkit_format::ActivityId;

use super::raw::{Raw, F6};
use super::values::{f, s, u, Col, Item, Meta, RowSink, Shape, Val};
use super::{Ctx, Report, Slots};
use crate::sar::fmt::{item, item_tail, minmax_lines, write_decimals, write_percents, Extrema, Out, Xtrem};
use crate::sar::timefmt::Stamp;

/// `print_hdr_line` with a negative item width: the named column moves to
/// the end of the line, unpadded.
pub fn hdr_tail<'a>(
    w: &mut Out<'_>,
    stamp: &Stamp,
    fields: impl IntoIterator<Item = &'a str>,
    tail: &str,
) -> io::Result<()> {
    w.write_all(b"\n")?;
    stamp.write_padded(w)?;
    for f in fields {
        write!(w, " {:>9}", f)?;
    }
    writeln!(w, " {tail}")
}

/// One sensor structure.
pub trait Sensor: Stats {
    /// Sensors are numbered from 1, except voltage inputs (from 0).
    const FIRST_NUMBER: usize;
    /// Value, minimum, maximum.
    fn reading(&self) -> (f64, f64, f64);
    fn device(&self) -> &[u8];
    const META: &'static Meta;
    /// The reading and its percentage (rpm and drpm for fans).
    fn values(&self) -> (f64, f64) {
        let (v, lo, hi) = self.reading();
        if is_fan::<Self>() {
            (v, v - lo)
        } else {
            (v, if hi - lo != 0.0 { (v - lo) / (hi - lo) * 100.0 } else { 0.0 })
        }
    }
}

/// What the three sensor tables share.
const SENSOR_BASE: Meta =
    Meta { group: Some("power-management"), item_key: "number", shape: Shape::List, order: &[1, 2, 0], ..Meta::EMPTY };

const COLS_FAN: &[Col] = &[s("DEVICE", "device"), u("rpm", "rpm"), u("drpm", "drpm")];

impl Sensor for StatsPwrFan {
    const META: &'static Meta =
        &crate::table!("FAN", COLS_FAN, SENSOR_BASE, tag: "fan-speed", item_tag: "fan", attrs: " unit=\"rpm\"");
    const FIRST_NUMBER: usize = 1;
    fn reading(&self) -> (f64, f64, f64) {
        (self.rpm, self.rpm_min, 0.0)
    }
    fn device(&self) -> &[u8] {
        self.device.as_bytes()
    }
}

const COLS_TEMP: &[Col] = &[s("DEVICE", "device"), f("degC", "degC"), f("%temp", "percent-temp")];

impl Sensor for StatsPwrTemp {
    const META: &'static Meta = &crate::table!(
        "TEMP",
        COLS_TEMP,
        SENSOR_BASE,
        tag: "temperature",
        item_tag: "temp",
        attrs: " unit=\"degree Celsius\"",
    );
    const FIRST_NUMBER: usize = 1;
    fn reading(&self) -> (f64, f64, f64) {
        (self.temp, self.temp_min, self.temp_max)
    }
    fn device(&self) -> &[u8] {
        self.device.as_bytes()
    }
}

const COLS_IN: &[Col] = &[s("DEVICE", "device"), f("inV", "inV"), f("%in", "percent-in")];

impl Sensor for StatsPwrIn {
    const META: &'static Meta =
        &crate::table!("IN", COLS_IN, SENSOR_BASE, tag: "voltage-input", item_tag: "in", attrs: " unit=\"V\"");
    const FIRST_NUMBER: usize = 0;
    fn reading(&self) -> (f64, f64, f64) {
        (self.r#in, self.in_min, self.in_max)
    }
    fn device(&self) -> &[u8] {
        self.device.as_bytes()
    }
}

fn is_fan<T: Sensor>() -> bool {
    T::ID == ActivityId::A_PWR_FAN
}

/// Where `v` sits between `lo` and `hi`, in percent; 0 for an empty range.
fn pct(v: f64, lo: f64, hi: f64) -> f64 {
    if hi - lo != 0.0 {
        (v - lo) / (hi - lo) * 100.0
    } else {
        0.0
    }
}

pub struct Sensors<T: Sensor> {
    s: Slots<T>,
    /// Per position: sum of values, then (fans) sum of minimums or
    /// (others) the last minimum and maximum.
    sums: Vec<[f64; 3]>,
    x: Extrema,
}

impl<T: Sensor> Sensors<T> {
    pub fn new() -> Self {
        Sensors { s: Slots::new(1), sums: Vec::new(), x: Extrema::new(2) }
    }

    /// The two value columns: plain then (fans) plain or (others) a percentage.
    fn values(w: &mut Out<'_>, a: f64, b: f64) -> io::Result<()> {
        if is_fan::<T>() {
            write_decimals(w, &[a, b])
        } else {
            write_decimals(w, &[a])?;
            write_percents(w, Xtrem::High, 2, &[b])
        }
    }

    fn rows(&mut self, cx: &mut Ctx<'_>, curr: usize, avg: bool) -> io::Result<()> {
        let minmax = cx.out.display().minmax;
        let n = self.s.count(curr);
        if self.sums.len() < n {
            self.sums.resize(n, [0.0; 3]);
        }
        // The label, the values, then the device column (the first) last.
        let cols = T::META.cols;
        let hdr = std::iter::once(T::META.item_hdr).chain(cols[1..].iter().map(|c| c.hdr));
        let tail = cols[0].hdr;
        if cx.show_header && !(avg && minmax) {
            hdr_tail(&mut cx.out, &cx.ts[1 - curr.min(1)], hdr.clone(), tail)?;
        }
        let cnt = cx.avg_count as f64;
        for i in 0..n {
            let it = self.s.buf[curr][i];
            let (v, lo, hi) = it.reading();
            let second = if is_fan::<T>() { v - lo } else { pct(v, lo, hi) };
            let mut label = [0u8; 24];
            let label = number(&mut label, i + T::FIRST_NUMBER);
            if minmax {
                if !avg {
                    self.x.save_row(i, &[v, second]);
                } else {
                    hdr_tail(&mut cx.out, &cx.ts[1 - curr.min(1)], hdr.clone(), tail)?;
                    minmax_lines(&mut cx.out, |w, ismax| {
                        item(w, label)?;
                        let r = self.x.row(i, ismax);
                        Self::values(w, r[0], r[1])?;
                        item_tail(w, it.device())
                    })?;
                }
            }
            let acc = &mut self.sums[i];
            cx.stamp(curr)?;
            item(&mut cx.out, label)?;
            if avg {
                let a = acc[0] / cnt;
                let b = if is_fan::<T>() { (acc[0] - acc[1]) / cnt } else { pct(a, acc[1], acc[2]) };
                Self::values(&mut cx.out, a, b)?;
            } else {
                Self::values(&mut cx.out, v, second)?;
                if is_fan::<T>() {
                    acc[0] += v;
                    acc[1] += lo;
                } else {
                    *acc = [acc[0] + v, lo, hi];
                }
            }
            item_tail(&mut cx.out, it.device())?;
            cx.out.write_all(b"\n")?;
        }
        if avg {
            self.sums.iter_mut().for_each(|a| *a = [0.0; 3]);
        }
        Ok(())
    }
}

/// `     %5d` of a sensor number, into `buf`.
fn number(buf: &mut [u8; 24], n: usize) -> &[u8] {
    let mut c = io::Cursor::new(&mut buf[..]);
    let _ = write!(c, "     {:>5}", n);
    let len = c.position() as usize;
    &buf[..len]
}

impl<T: Sensor> Default for Sensors<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Sensor> Report for Sensors<T> {
    crate::slot_access!(s, T::ID);
    fn reset_extrema(&mut self) {
        self.x.reset(self.s.nr[super::FIRST].max(1) as usize);
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(T::META)
    }
    fn raw(&mut self, _prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let n = self.s.count(curr);
        let (lo, hi) = match T::META.item_hdr {
            "FAN" => ("rpm_min", ""),
            "TEMP" => ("temp_min", "temp_max"),
            _ => ("in_min", "in_max"),
        };
        for (i, it) in self.s.buf[curr][..n].iter().enumerate() {
            let (v, min, max) = it.reading();
            r.head(T::META.fields, 0)?;
            r.value(i + T::FIRST_NUMBER)?;
            r.next_bytes(it.device())?;
            r.next_value(F6(v))?;
            r.named_value(lo, F6(min))?;
            if !hi.is_empty() {
                r.named_value(hi, F6(max))?;
            }
            r.end()?;
        }
        Ok(())
    }
    fn values(&mut self, _prev: usize, curr: usize, _itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let n = self.s.count(curr);
        let prefix = if is_fan::<T>() {
            "fan"
        } else if T::FIRST_NUMBER == 0 {
            "in"
        } else {
            "temp"
        };
        for i in 0..n {
            let it = self.s.buf[curr][i];
            let (a, b) = it.values();
            sink.row(Item::Num(prefix, (i + T::FIRST_NUMBER) as u64), &[Val::S(it.device()), Val::F(a), Val::F(b)])?;
        }
        Ok(())
    }
    fn print(&mut self, cx: &mut Ctx<'_>, _prev: usize, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, curr, false)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, _itv: u64) -> io::Result<()> {
        self.rows(cx, curr, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sarkit_format::stats::CChars;

    #[test]
    fn temperature_rows_and_average() {
        let mut r: Sensors<StatsPwrTemp> = Sensors::new();
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], true, 0);
        for t in [30.0, 40.0] {
            r.s.buf[1][0] = StatsPwrTemp { temp: t, temp_min: 0.0, temp_max: 80.0, device: CChars::new("core") };
            r.s.nr[1] = 1;
            cx.avg_count += 1;
            r.print(&mut cx, 0, 1, 100).unwrap();
            cx.show_header = false;
        }
        r.print_avg(&mut cx, 1, 100).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "\na                TEMP      degC     %temp DEVICE\n\
             b                   1     30.00     37.50 core\n\
             b                   1     40.00     50.00 core\n\
             b                   1     35.00     43.75 core\n"
        );
        assert_eq!(r.sums[0], [0.0; 3]);
    }

    #[test]
    fn voltage_inputs_count_from_zero() {
        let mut r: Sensors<StatsPwrIn> = Sensors::new();
        r.s.buf[0][0] = StatsPwrIn { r#in: 3.3, ..Default::default() };
        r.s.nr[0] = 1;
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "b"], false, 1);
        r.print(&mut cx, 1, 0, 100).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a                   0      3.30      0.00 \n");
    }
}
