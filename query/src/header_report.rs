//! `sadf -H`: the file's magic, header and activity list, as sysstat 12.7.9
//! prints them (`print_hdr_header`).
//!
//! Dates go through the C library (`localtime_r`, `gmtime_r`, `strftime`,
//! wrapped in `sarkit_format::time`) so that `TZ` and the `LC_TIME` locale behave exactly as in sysstat.

use std::io::{self, Write};
use std::path::Path;

use sarkit_format::header::{TZNAME_LEN, UTSNAME_LEN};
use sarkit_format::magic::FORMAT_MAGIC;
use sarkit_format::time::BrokenDown;
use sarkit_format::{ActivityId, Error, FileInfo, OpenOptions, SaFile, Version};

/// Why a report could not be written: the file, or the output.
#[derive(Debug)]
pub enum ReportError {
    /// The data file is unreadable or invalid; sysstat's words for it come
    /// from [`Error::sysstat_report`].
    File(Error),
    /// Writing the report failed (a closed pipe, a full disk).
    Output(io::Error),
}

impl From<io::Error> for ReportError {
    fn from(e: io::Error) -> Self {
        ReportError::Output(e)
    }
}

/// How the Host line shows the creation date (`S_TIME_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// The locale's date (`%x`): `04/18/19` in the C locale.
    Locale,
    /// `S_TIME_FORMAT=ISO`: `2019-04-18`.
    Iso,
}

impl DateStyle {
    /// The style sysstat picks from the environment (`var` looks it up).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> DateStyle {
        match var("S_TIME_FORMAT") {
            Some(v) if v == "ISO" => DateStyle::Iso,
            _ => DateStyle::Locale,
        }
    }
}

/// Print the header report of the file at `path`; `label` is the name as
/// given on the command line, which sadf echoes; `style` is from
/// [`DateStyle::from_env`].
///
/// A sysstat file of another format generation gets only its first two
/// lines and is not an error, as in sadf.
pub fn header_report(
    w: &mut impl Write,
    label: &str,
    path: impl AsRef<Path>,
    style: DateStyle,
) -> Result<(), ReportError> {
    match SaFile::open_with(path, OpenOptions { header_only: true, ..Default::default() }) {
        Ok(f) => write_header(w, label, &f.info, style)?,
        Err(Error::UnsupportedFormat { format_magic, version }) => write_old_format(w, label, format_magic, version)?,
        Err(e) => return Err(ReportError::File(e)),
    }
    Ok(())
}

/// The two lines sadf prints for any sysstat file before looking further.
pub fn write_old_format(w: &mut impl Write, label: &str, format_magic: u16, version: Version) -> io::Result<()> {
    write!(w, "System activity data file: ")?;
    w.write_all(label.as_bytes())?;
    writeln!(w, " ({})", c_alt_hex(format_magic.into()))?;
    writeln!(w, "File created by sar/sadc from sysstat version {version}")
}

/// The full report for a file of the current format.
pub fn write_header(w: &mut impl Write, label: &str, info: &FileInfo, style: DateStyle) -> io::Result<()> {
    let m = &info.magic;
    let h = &info.header;
    write_old_format(w, label, m.format_magic, m.version)?;
    if m.format_magic != FORMAT_MAGIC {
        return Ok(());
    }
    let yes_no = if m.upgraded != 0 { "no" } else { "yes" };
    writeln!(w, "Genuine sa datafile: {yes_no} ({:x})", m.upgraded)?;

    // time_t is signed: a huge u64 wraps, as the C cast does.
    let t = h.sa_ust_time as i64;
    let local = BrokenDown::local(t);
    let host_date = local
        .as_ref()
        .and_then(|tm| tm.format(if style == DateStyle::Iso { "%Y-%m-%d" } else { "%x" }))
        .unwrap_or_else(|| "?/?/?".to_string());
    // The host strings are one C struct: a field without its NUL runs on
    // into the next, as printf("%s") does.
    let strs = host_strings(info);
    let field = |i: usize| -> &[u8] {
        let s = &strs[i * UTSNAME_LEN..];
        &s[..s.iter().position(|&b| b == 0).unwrap_or(s.len())]
    };
    let cpu_nr = if h.sa_cpu_nr > 1 { h.sa_cpu_nr.wrapping_sub(1) as i32 } else { 1 };
    w.write_all(b"Host: ")?;
    w.write_all(field(0))?;
    w.write_all(b" ")?;
    w.write_all(field(2))?;
    w.write_all(b" (")?;
    w.write_all(field(1))?;
    write!(w, ") \t{host_date} \t_")?;
    w.write_all(field(3))?;
    writeln!(w, "_\t({cpu_nr} CPU)")?;

    // sysstat leaves the date unset when localtime fails; say so instead.
    let file_date = local.as_ref().and_then(|tm| tm.format("%Y-%m-%d"));
    writeln!(w, "File date: {}", file_date.as_deref().unwrap_or("?/?/?"))?;
    if let Some(tm) = BrokenDown::utc(t) {
        let hms = tm.format("%T").unwrap_or_default();
        writeln!(w, "File time: {hms} UTC ({})", h.sa_ust_time)?;
    }
    w.write_all(b"Timezone: ")?;
    w.write_all(field(4))?;
    w.write_all(b"\n")?;

    let [a, b, c] = m.hdr_types_nr;
    let [d, e, f] = h.act_types_nr;
    let [g, i, j] = h.rec_types_nr;
    writeln!(w, "File composition: ({a},{b},{c}),({d},{e},{f}),({g},{i},{j})")?;
    writeln!(w, "Size of a long int: {}", h.sa_sizeof_long)?;
    writeln!(w, "HZ = {}", h.sa_hz)?;
    writeln!(w, "Number of activities in file: {}", h.sa_act_nr)?;
    writeln!(w, "Extra structures available: {}", if h.extra_next != 0 { 'Y' } else { 'N' })?;
    writeln!(w, "List of activities:")?;
    for fa in &info.activities {
        let known = ActivityId(fa.id).info();
        let name = known.map_or("Unknown activity", |k| k.name);
        write!(w, "{:02}: [{:02x}] {name:<20} {}:{:4}", fa.id, fa.magic, if fa.has_nr { 'Y' } else { 'N' }, fa.nr)?;
        if fa.nr2 > 1 {
            write!(w, "x{}", fa.nr2)?;
        }
        let [x, y, z] = fa.types_nr;
        write!(w, "\t({x},{y},{z})")?;
        // Looked up afresh: header-only opening marks every known id readable.
        if known.is_some_and(|k| k.magic != fa.magic) {
            write!(w, " \t[Unknown format]")?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// sysname, nodename, release, machine and tzname, back to back as in
/// `struct file_header`.
fn host_strings(info: &FileInfo) -> Vec<u8> {
    let h = &info.header;
    let mut v = Vec::with_capacity(4 * UTSNAME_LEN + TZNAME_LEN);
    for f in [&h.sa_sysname, &h.sa_nodename, &h.sa_release, &h.sa_machine] {
        v.extend_from_slice(f);
    }
    v.extend_from_slice(&h.sa_tzname);
    v
}

/// C's `%#x`: no prefix for zero.
fn c_alt_hex(v: u32) -> String {
    if v == 0 {
        "0".to_string()
    } else {
        format!("{v:#x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_hex_matches_printf() {
        assert_eq!(c_alt_hex(0x2175), "0x2175");
        assert_eq!(c_alt_hex(0), "0");
    }

    #[test]
    fn old_format_prints_two_lines() {
        let mut out = Vec::new();
        write_old_format(&mut out, "sa01", 0x2171, Version::new(9, 1, 6)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "System activity data file: sa01 (0x2171)\nFile created by sar/sadc from sysstat version 9.1.6\n"
        );
    }

    #[test]
    fn utc_time_formats_like_strftime() {
        let tm = BrokenDown::utc(1_555_593_609).unwrap();
        assert_eq!(tm.format("%T").unwrap(), "13:20:09");
        assert_eq!(tm.format("%Y-%m-%d").unwrap(), "2019-04-18");
        assert_eq!(tm.format("%x").unwrap(), "04/18/19");
    }
}
