//! sar's column printers (`cprintf_f`, `cprintf_xpc`, `cprintf_u64` without
//! colours), writing straight into the output. Rust's `{:.2}` rounds ties to
//! even on the exact binary value, as glibc's printf does, so values match.

use std::io::{self, Write};

/// A line's worth of columns, built on the stack and written at once:
/// `core::fmt` dominated the profile otherwise.
struct Line {
    buf: [u8; 512],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line { buf: [0; 512], len: 0 }
    }

    fn flush(&mut self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(&self.buf[..self.len])?;
        self.len = 0;
        Ok(())
    }

    /// ` %9` + digits of `int`, then `dec` decimals from `frac`.
    fn push_num(&mut self, int: u64, frac: u64, dec: usize) {
        let mut tmp = [0u8; 32];
        let mut i = tmp.len();
        let mut f = frac;
        for _ in 0..dec {
            i -= 1;
            tmp[i] = b'0' + (f % 10) as u8;
            f /= 10;
        }
        if dec > 0 {
            i -= 1;
            tmp[i] = b'.';
        }
        let mut n = int;
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let digits = &tmp[i..];
        let pad = 9usize.saturating_sub(digits.len());
        if self.len + 1 + pad + digits.len() > self.buf.len() {
            return;
        }
        self.buf[self.len] = b' ';
        self.len += 1;
        self.buf[self.len..self.len + pad].fill(b' ');
        self.len += pad;
        self.buf[self.len..self.len + digits.len()].copy_from_slice(digits);
        self.len += digits.len();
    }
}

/// Fixed-point digits of a non-negative `v` with `dec` decimals, rounded as
/// printf rounds the exact binary value; `None` when a tie is too close to
/// call from the scaled product (then `core::fmt`, which is exact, decides).
fn fixed(v: f64, dec: u32) -> Option<(u64, u64)> {
    if v.is_nan() || v.is_sign_negative() || v >= 1e15 {
        return None;
    }
    let scale = 10u64.pow(dec);
    let s = v * scale as f64;
    // `s` is within one ulp of the exact product: only a near-tie is unsure.
    let d = (s - s.floor() - 0.5).abs();
    if d <= s * 1e-15 + 1e-300 {
        return None;
    }
    let r = s.round() as u64;
    Some((r / scale, r % scale))
}

fn floats(w: &mut dyn Write, vals: &[f64], dec: u32) -> io::Result<()> {
    let mut line = Line::new();
    for &v in vals {
        match fixed(v, dec) {
            Some((i, f)) => line.push_num(i, f, dec as usize),
            None => {
                line.flush(w)?;
                write!(w, " {:>9.*}", dec as usize, v)?;
            }
        }
    }
    line.flush(w)
}

/// `cprintf_f`/`cprintf_xpc` with no unit: ` %9.2f` per value.
#[inline]
pub fn f2(w: &mut dyn Write, vals: &[f64]) -> io::Result<()> {
    floats(w, vals, 2)
}

/// ` %9.0f` per value (memory averages).
#[inline]
pub fn f0(w: &mut dyn Write, vals: &[f64]) -> io::Result<()> {
    floats(w, vals, 0)
}

/// ` %9llu` per value.
#[inline]
pub fn u64s(w: &mut dyn Write, vals: &[u64]) -> io::Result<()> {
    let mut line = Line::new();
    for &v in vals {
        line.push_num(v, 0, 0);
    }
    line.flush(w)
}

/// sar's `S_VALUE`: a per-second rate from two counters and an interval in
/// hundredths, the difference taken modulo 2^64 as C does.
#[inline]
pub fn s_value(prev: u64, curr: u64, itv: u64) -> f64 {
    curr.wrapping_sub(prev) as f64 / itv as f64 * 100.0
}

/// `ll_sp_value`: a percentage that is zero when the counter went backwards.
#[inline]
pub fn ll_sp_value(prev: u64, curr: u64, itv: u64) -> f64 {
    if curr < prev {
        0.0
    } else {
        s_value(prev, curr, itv)
    }
}

/// `print_hdr_line` for plain output: blank line, timestamp, then the fields,
/// the first `iwidth` wide when `iwidth > 0`, the others 9 wide.
pub fn hdr_line(w: &mut dyn Write, stamp: &super::timefmt::Stamp, fields: &[&str], iwidth: usize) -> io::Result<()> {
    w.write_all(b"\n")?;
    stamp.write_padded(w)?;
    for (i, f) in fields.iter().enumerate() {
        if i == 0 && iwidth > 0 {
            write!(w, " {:>iwidth$}", f)?;
        } else {
            write!(w, " {:>9}", f)?;
        }
    }
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_wrap() {
        let mut v = Vec::new();
        f2(&mut v, &[0.125, 100.0]).unwrap();
        u64s(&mut v, &[7]).unwrap();
        f0(&mut v, &[2.5]).unwrap();
        assert_eq!(String::from_utf8(v).unwrap(), "      0.12    100.00         7         2");
        assert_eq!(s_value(u64::MAX, 0, 100), 1.0);
        assert_eq!(ll_sp_value(5, 3, 100), 0.0);
    }

    #[test]
    fn fast_path_matches_core_fmt() {
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for i in 0..200_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = match i % 4 {
                0 => (x % 1_000_000) as f64 / 1000.0,
                1 => (x >> 11) as f64 / (1u64 << 53) as f64 * 100.0,
                2 => (x % 100_000) as f64 / 8.0,
                _ => f64::from_bits(x) .abs().min(1e14),
            };
            if v.is_nan() {
                continue;
            }
            for dec in [0u32, 2] {
                let mut a = Vec::new();
                floats(&mut a, &[v], dec).unwrap();
                assert_eq!(String::from_utf8(a).unwrap(), format!(" {:>9.*}", dec as usize, v), "{v:e}");
            }
        }
        let mut a = Vec::new();
        f2(&mut a, &[-0.001, f64::INFINITY, 1e20]).unwrap();
        assert_eq!(String::from_utf8(a).unwrap(), format!(" {:>9.2} {:>9.2} {:>9.2}", -0.001, f64::INFINITY, 1e20));
    }
}
