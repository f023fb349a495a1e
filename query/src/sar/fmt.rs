//! sar's column printers (`cprintf_f`, `cprintf_xpc`, `cprintf_u64`), writing
//! straight into an [`Out`], which carries the display flags and colours of
//! the run. Rust's `{:.2}` rounds ties to even on the exact binary value, as
//! glibc's printf does, so values match.

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

/// sar's display flags (`flags`, `dplaces_nr`), from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Display {
    /// `--dec`: decimal places replacing 1 or 2 (never 0), if given.
    pub dec: Option<u32>,
    /// `--human` (`S_F_UNIT`): sizes with a unit suffix, percentages with `%`.
    pub human: bool,
    /// `--pretty` (`S_F_PRETTY`): item names at the end of the line.
    pub pretty: bool,
    /// `-x` (`S_F_MINMAX`).
    pub minmax: bool,
    /// `-z` (`S_F_ZERO_OMIT`).
    pub zero_omit: bool,
}

impl Display {
    pub const PLAIN: Display = Display { dec: None, human: false, pretty: false, minmax: false, zero_omit: false };
}

/// SGR sequences for each kind of value, as `init_colors` sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colors {
    pub percent_warn: String,
    pub percent_xtreme: String,
    pub zero_int: String,
    pub int_stat: String,
    pub item_name: String,
    pub comment: String,
    pub restart: String,
    pub normal: String,
}

impl Default for Colors {
    fn default() -> Self {
        Colors {
            percent_warn: "\x1b[35;1m".into(),
            percent_xtreme: "\x1b[31;1m".into(),
            zero_int: "\x1b[34;22m".into(),
            int_stat: "\x1b[34;1m".into(),
            item_name: "\x1b[32;22m".into(),
            comment: "\x1b[33;22m".into(),
            restart: "\x1b[31;22m".into(),
            normal: "\x1b[0m".into(),
        }
    }
}

impl Colors {
    /// `init_colors`: `S_COLORS` decides whether colours are used at all
    /// (`never`, `always`, else only on a terminal); `S_COLORS_SGR`
    /// overrides single entries (`M=`, `X=`, `Z=`, `N=`, `I=`, `C=`, `R=`...).
    pub fn from_env(var: &dyn Fn(&str) -> Option<String>, tty: bool) -> Option<Colors> {
        let on = match var("S_COLORS").as_deref() {
            None => tty,
            Some("never") => false,
            Some("always") => true,
            Some(_) => tty,
        };
        if !on {
            return None;
        }
        let mut c = Colors::default();
        if let Some(sgr) = var("S_COLORS_SGR") {
            for p in sgr.split(':').filter(|p| !p.is_empty()) {
                let b = p.as_bytes();
                if b.len() > 18
                    || b.len() < 3
                    || b[1] != b'='
                    || !b[2..].iter().all(|&c| c.is_ascii_digit() || c == b';')
                {
                    continue;
                }
                let seq = format!("\x1b[{}m", &p[2..]);
                match b[0] {
                    b'M' | b'W' => c.percent_warn = seq,
                    b'X' | b'H' => c.percent_xtreme = seq,
                    b'Z' => c.zero_int = seq,
                    b'N' => c.int_stat = seq,
                    b'I' => c.item_name = seq,
                    b'C' => c.comment = seq,
                    b'R' => c.restart = seq,
                    _ => {}
                }
            }
        }
        Some(c)
    }
}

/// sar's text output: the writer, with the display flags and colours
/// every column printer obeys, so a report carries them to each value it
/// writes without any shared state.
pub struct Out<'a> {
    w: &'a mut dyn Write,
    display: Display,
    /// The colours, when they are on.
    colors: Option<&'a Colors>,
}

impl<'a> Out<'a> {
    pub fn new(w: &'a mut dyn Write, display: Display, colors: Option<&'a Colors>) -> Out<'a> {
        Out { w, display, colors }
    }

    /// Plain output: no flags, no colours.
    pub fn plain(w: &'a mut dyn Write) -> Out<'a> {
        Out::new(w, Display::PLAIN, None)
    }

    /// The flags in force.
    #[inline]
    pub fn display(&self) -> Display {
        self.display
    }

    /// Bytes as they are (inherent, so reports need not import [`Write`]).
    #[inline]
    pub fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf)
    }

    /// The SGR sequence `pick` chooses, when colours are on.
    fn paint(&mut self, pick: impl FnOnce(&Colors) -> &String) -> io::Result<()> {
        match self.colors {
            Some(c) => self.w.write_all(pick(c).as_bytes()),
            None => Ok(()),
        }
    }

    /// Back to normal after a coloured value.
    fn unpaint(&mut self) -> io::Result<()> {
        self.paint(|c| &c.normal)
    }
}

impl Write for Out<'_> {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf)
    }
    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Which colour a value gets in `cprintf_xpc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Xtrem {
    None,
    /// High values are alarming (`XHIGH`).
    High,
    /// Low values are alarming (`XLOW`).
    Low,
    /// Low but non-zero values are alarming (`XLOW0`).
    Low0,
}

/// sar's `units[]`: sectors, bytes, kB, MB...
const UNITS: &[u8; 8] = b"sBkMGTP?";
/// `UNIT_SECTOR`, `UNIT_BYTE`, `UNIT_KILOBYTE` for the `unit` arguments; `NO_UNIT` is -1.
pub const UNIT_SECTOR: i32 = 0;
pub const UNIT_BYTE: i32 = 1;
pub const UNIT_KILOBYTE: i32 = 2;
pub const NO_UNIT: i32 = -1;

/// `cprintf_unit`: a value scaled to the largest unit under 1024.
fn write_unit(w: &mut Out<'_>, unit: i32, wi: usize, v: f64) -> io::Result<()> {
    let wi = wi.max(4);
    let (mut v, mut unit) = (v, unit);
    if unit == 0 {
        v /= 2.0;
        unit = 2;
    }
    while v >= 1024.0 {
        v /= 1024.0;
        unit += 1;
    }
    let prec = if w.display.dec == Some(0) { 0 } else { 1 };
    write!(w, " {:>1$.2$}", v, wi - 1, prec)?;
    w.unpaint()?;
    let u = (unit.max(0) as usize).min(UNITS.len() - 1);
    w.write_all(&UNITS[u..u + 1])
}

/// `cprintf_f` (no explicit sign): values ` %9.*f`, or with a unit when `unit >= 0`.
#[doc(alias = "cprintf_f")]
pub fn write_floats(w: &mut Out<'_>, unit: i32, wd: u32, vals: &[f64]) -> io::Result<()> {
    let d = w.display;
    let wd = if wd > 0 { d.dec.unwrap_or(wd) } else { wd };
    if w.colors.is_none() && unit < 0 {
        return floats(w, vals, wd);
    }
    let lim = if wd == 1 { 0.05 } else { 0.005 };
    for &v in vals {
        let zero = if wd > 0 { v < lim && v > -lim } else { (-0.5..=0.5).contains(&v) };
        w.paint(|c| if zero { &c.zero_int } else { &c.int_stat })?;
        if unit < 0 {
            write!(w, " {:>9.*}", wd as usize, v)?;
            w.unpaint()?;
        } else {
            write_unit(w, unit, 9, v)?;
        }
    }
    Ok(())
}

/// `cprintf_f` with an explicit sign (` %+9.*f`), coloured by how negative.
#[doc(alias = "cprintf_f")]
pub fn write_signed_floats(w: &mut Out<'_>, wd: u32, vals: &[f64]) -> io::Result<()> {
    let wd = if wd > 0 { w.display.dec.unwrap_or(wd) } else { wd };
    let lim = if wd == 1 { 0.05 } else { 0.005 };
    for &v in vals {
        let zero = if wd > 0 { v < lim && v > -lim } else { (-0.5..=0.5).contains(&v) };
        w.paint(|c| {
            if zero {
                &c.zero_int
            } else if v <= -10.0 {
                &c.percent_xtreme
            } else if v <= -5.0 {
                &c.percent_warn
            } else {
                &c.int_stat
            }
        })?;
        write!(w, " {:>+9.*}", wd as usize, v)?;
        w.unpaint()?;
    }
    Ok(())
}

/// `cprintf_xpc(DISPLAY_UNIT(flags), xtrem, n, 9, wd, ...)`: percentages,
/// followed by `%` (one decimal less, one column less) under `--human`.
#[doc(alias = "cprintf_xpc")]
pub fn write_percents(w: &mut Out<'_>, xtrem: Xtrem, wd: u32, vals: &[f64]) -> io::Result<()> {
    let d = w.display;
    let mut wd = if wd > 0 { d.dec.unwrap_or(wd) } else { wd };
    let mut wi = 9usize;
    if d.human {
        wi = 8;
        if wd > 1 {
            wd -= 1;
        }
    }
    if w.colors.is_none() && !d.human && wi == 9 {
        return floats(w, vals, wd);
    }
    let lim = if wd == 1 { 0.05 } else { 0.005 };
    for &v in vals {
        w.paint(|c| match xtrem {
            Xtrem::High if v >= 90.0 => &c.percent_xtreme,
            Xtrem::High if v >= 75.0 => &c.percent_warn,
            Xtrem::Low if v <= 10.0 => &c.percent_xtreme,
            Xtrem::Low0 if v <= 10.0 && v >= lim => &c.percent_xtreme,
            Xtrem::Low if v <= 25.0 => &c.percent_warn,
            Xtrem::Low0 if v <= 25.0 && v >= lim => &c.percent_warn,
            _ if (wd > 0 && v < lim) || (wd == 0 && v <= 0.5) => &c.zero_int,
            _ => &c.int_stat,
        })?;
        write!(w, " {:>1$.2$}", v, wi, wd as usize)?;
        w.unpaint()?;
        if d.human {
            w.write_all(b"%")?;
        }
    }
    Ok(())
}

/// `cprintf_u64`: integers ` %9llu`, or with a unit when `unit >= 0`.
#[doc(alias = "cprintf_u64")]
pub fn write_uints(w: &mut Out<'_>, unit: i32, vals: &[u64]) -> io::Result<()> {
    if w.colors.is_none() && unit < 0 {
        let mut line = Line::new();
        for &v in vals {
            line.push_num(v, 0, 0);
        }
        return line.flush(w);
    }
    for &v in vals {
        w.paint(|c| if v == 0 { &c.zero_int } else { &c.int_stat })?;
        if unit < 0 {
            write!(w, " {:>9}", v)?;
            w.unpaint()?;
        } else {
            write_unit(w, unit, 9, v as f64)?;
        }
    }
    Ok(())
}

/// `parts` in the colour `pick` chooses, then back to normal, when colours are on.
fn painted(w: &mut Out<'_>, pick: impl FnOnce(&Colors) -> &String, parts: &[&[u8]]) -> io::Result<()> {
    w.paint(pick)?;
    for p in parts {
        w.write_all(p)?;
    }
    w.unpaint()
}

/// `args` formatted into `buf` (cut at its end), for a column built on
/// the stack.
pub fn formatted<'b>(buf: &'b mut [u8], args: std::fmt::Arguments<'_>) -> &'b [u8] {
    let mut c = io::Cursor::new(&mut buf[..]);
    let _ = c.write_fmt(args);
    let n = c.position() as usize;
    &buf[..n]
}

/// `cprintf_in`: an item name (or number already formatted) in the item colour.
pub fn item(w: &mut Out<'_>, text: &[u8]) -> io::Result<()> {
    painted(w, |c| &c.item_name, &[text])
}

/// `cprintf_in(IS_STR, " %9s", name)`: a right-aligned item name column.
pub fn item9(w: &mut Out<'_>, name: &[u8]) -> io::Result<()> {
    let mut buf = [b' '; 10];
    if name.len() < 9 {
        buf[10 - name.len()..].copy_from_slice(name);
        item(w, &buf)
    } else {
        item_tail(w, name)
    }
}

/// ` %s` of an item name: the last column under `--pretty`.
pub fn item_tail(w: &mut Out<'_>, name: &[u8]) -> io::Result<()> {
    painted(w, |c| &c.item_name, &[b" ", name])
}

/// An item name where sar puts it: first (` %9s`) normally, last under `--pretty`.
/// Call with `last == false` before the values and `last == true` after them.
pub fn item_pos(w: &mut Out<'_>, name: &[u8], last: bool) -> io::Result<()> {
    match (w.display.pretty, last) {
        (false, false) => item9(w, name),
        (true, true) => item_tail(w, name),
        _ => Ok(()),
    }
}

/// `print_minmax`: the `Minimum:`/`Maximum:` label of `-x`.
pub fn minmax_label(w: &mut dyn Write, ismax: bool) -> io::Result<()> {
    w.write_all(if ismax { b"Maximum:   " } else { b"Minimum:   " })
}

/// `print_minmax`: the Minimum then the Maximum line, `line` writing each
/// one's columns after its label.
pub fn minmax_lines(w: &mut Out<'_>, mut line: impl FnMut(&mut Out<'_>, bool) -> io::Result<()>) -> io::Result<()> {
    for ismax in [false, true] {
        minmax_label(w, ismax)?;
        line(w, ismax)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// A comment or restart text in its colour (`cprintf_s`).
pub fn special_text(w: &mut Out<'_>, restart: bool, text: &[u8]) -> io::Result<()> {
    painted(w, |c| if restart { &c.restart } else { &c.comment }, &[text])
}

/// sar's running minimum and maximum of each column (`spmin`/`spmax`).
#[derive(Debug, Clone)]
pub struct Extrema {
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    width: usize,
}

impl Extrema {
    /// `width` values per item.
    pub fn new(width: usize) -> Extrema {
        Extrema { min: Vec::new(), max: Vec::new(), width }
    }

    /// `init_extrema_values` for `items` items.
    pub fn reset(&mut self, items: usize) {
        let n = items * self.width;
        self.min.clear();
        self.max.clear();
        self.min.resize(n, f64::MAX);
        self.max.resize(n, f64::MIN);
    }

    fn grow(&mut self, item: usize) {
        let n = (item + 1) * self.width;
        if self.min.len() < n {
            let n = n.max(self.min.len() * 2);
            self.min.resize(n, f64::MAX);
            self.max.resize(n, f64::MIN);
        }
    }

    /// `save_minmax` of column `col` of item `item`.
    #[inline]
    pub fn save(&mut self, item: usize, col: usize, v: f64) {
        self.grow(item);
        let i = item * self.width + col;
        if v < self.min[i] {
            self.min[i] = v;
        }
        if v > self.max[i] {
            self.max[i] = v;
        }
    }

    /// `save_minmax` of a row's columns, from the first.
    pub fn save_row(&mut self, item: usize, vals: &[f64]) {
        for (col, &v) in vals.iter().enumerate() {
            self.save(item, col, v);
        }
    }

    /// The minima (`false`) or maxima (`true`) of item `item`.
    pub fn row(&mut self, item: usize, ismax: bool) -> &[f64] {
        self.grow(item);
        let r = item * self.width..(item + 1) * self.width;
        if ismax {
            &self.max[r]
        } else {
            &self.min[r]
        }
    }

    /// Whether item `item` saw any value.
    pub fn seen(&self, item: usize, col: usize) -> bool {
        let i = item * self.width + col;
        self.min.get(i).is_some_and(|&v| v != f64::MAX) && self.max.get(i).is_some_and(|&v| v != f64::MIN)
    }
}

/// sar's `xdev_list` for `-x`: item names in first-seen order, whose
/// position indexes [`Extrema`]. Names are kept in one buffer so lookups
/// after the first sample allocate nothing.
#[derive(Debug, Default, Clone)]
pub struct NameList {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl NameList {
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    /// `add_list_item`: the position of `name`, added if new.
    pub fn pos(&mut self, name: &[u8]) -> usize {
        let mut start = 0;
        for (i, &e) in self.ends.iter().enumerate() {
            if &self.bytes[start..e] == name {
                return i;
            }
            start = e;
        }
        self.bytes.extend_from_slice(name);
        self.ends.push(self.bytes.len());
        self.ends.len() - 1
    }

    pub fn contains(&self, name: &[u8]) -> bool {
        let mut start = 0;
        for &e in &self.ends {
            if &self.bytes[start..e] == name {
                return true;
            }
            start = e;
        }
        false
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
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

/// `cprintf_f` with no unit: ` %9.2f` per value (or `--dec` places).
#[inline]
#[doc(alias = "cprintf_f")]
pub fn write_decimals(w: &mut Out<'_>, vals: &[f64]) -> io::Result<()> {
    write_floats(w, NO_UNIT, 2, vals)
}

/// ` %9.0f` per value (averages of instantaneous counts).
#[inline]
pub fn write_rounded(w: &mut Out<'_>, vals: &[f64]) -> io::Result<()> {
    write_floats(w, NO_UNIT, 0, vals)
}

/// ` %9llu` per value.
#[inline]
pub fn u64s(w: &mut Out<'_>, vals: &[u64]) -> io::Result<()> {
    write_uints(w, NO_UNIT, vals)
}

/// sar's `S_VALUE`: a per-second rate from two counters and an interval in
/// hundredths, the difference taken modulo 2^64 as C does.
#[inline]
pub fn s_value(prev: u64, curr: u64, itv: u64) -> f64 {
    curr.wrapping_sub(prev) as f64 / itv as f64 * 100.0
}

/// [`s_value`] of C `unsigned int` counters: the difference wraps at 2^32.
#[inline]
pub fn s_value_u32(prev: u32, curr: u32, itv: u64) -> f64 {
    curr.wrapping_sub(prev) as f64 / itv as f64 * 100.0
}

/// sar's `SP_VALUE`: `n - m` as a percentage of `p`; the arithmetic is
/// [`s_value`]'s.
#[inline]
pub fn sp_value(m: u64, n: u64, p: u64) -> f64 {
    s_value(m, n, p)
}

/// `ll_sp_value`: [`s_value`], but zero when the counter went backwards (also
/// the rate sar's `save_extrema` records).
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
pub fn hdr_line<'a>(
    w: &mut dyn Write,
    stamp: &super::timefmt::Stamp,
    fields: impl IntoIterator<Item = &'a str>,
    iwidth: usize,
) -> io::Result<()> {
    w.write_all(b"\n")?;
    stamp.write_padded(w)?;
    for (i, f) in fields.into_iter().enumerate() {
        if i == 0 && iwidth > 0 {
            write!(w, " {:>iwidth$}", f)?;
        } else {
            write!(w, " {:>9}", f)?;
        }
    }
    w.write_all(b"\n")
}

/// `print_hdr_line` with sar's `iwidth` rules: `iwidth > 0` is the first
/// column's width, `-1` moves the first field to the end (`--pretty`).
pub fn hdr<'a, I>(w: &mut dyn Write, stamp: &super::timefmt::Stamp, fields: I, iwidth: i32) -> io::Result<()>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let fields = fields.into_iter();
    if iwidth >= 0 {
        return hdr_line(w, stamp, fields, iwidth as usize);
    }
    w.write_all(b"\n")?;
    stamp.write_padded(w)?;
    for f in fields.clone().skip(1) {
        write!(w, " {:>9}", f)?;
    }
    if let Some(f) = fields.clone().next() {
        write!(w, " {f}")?;
    }
    w.write_all(b"\n")
}

/// A header with the item column first, or last under `--pretty`.
pub fn hdr_item<'a, I>(w: &mut Out<'_>, stamp: &super::timefmt::Stamp, fields: I) -> io::Result<()>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let iwidth = if w.display.pretty { -1 } else { 0 };
    hdr(w, stamp, fields, iwidth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_wrap() {
        let mut v = Vec::new();
        let mut w = Out::plain(&mut v);
        write_decimals(&mut w, &[0.125, 100.0]).unwrap();
        u64s(&mut w, &[7]).unwrap();
        write_rounded(&mut w, &[2.5]).unwrap();
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
                _ => f64::from_bits(x).abs().min(1e14),
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
        write_decimals(&mut Out::plain(&mut a), &[-0.001, f64::INFINITY, 1e20]).unwrap();
        assert_eq!(String::from_utf8(a).unwrap(), format!(" {:>9.2} {:>9.2} {:>9.2}", -0.001, f64::INFINITY, 1e20));
    }
}
