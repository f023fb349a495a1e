//! The layouts of sadf's exports, one printer per format, fed with row
//! values ([`crate::sar::report::values`]) by the export's walk:
//! [`database`] (`-d`, `-dh`) and [`ppc`] (`-p`) are `rndr_stats.c`'s
//! `render`, [`raw`] is `-r`, [`json`] `-j` and [`xml`] `-x`. Everything is
//! written straight into the output.

pub mod database;
pub mod json;
pub mod ppc;
pub mod raw;
pub mod xml;

use std::io::{self, Write};

use sarkit_format::{time, FileHeader};

use super::export::TimeMode;
use super::options::Format;
use crate::sar::report::raw::Raw;
use crate::sar::report::values::{Col, Fmt, Item, Meta, RowSink, Val};
use crate::walk::RecTime;

/// A record's date, time and zone as sadf prints them.
pub struct Stamp {
    date: [u8; 16],
    date_len: usize,
    time: [u8; 24],
    time_len: usize,
}

impl Stamp {
    pub fn new(rt: &RecTime, mode: TimeMode) -> Stamp {
        let mut s = Stamp { date: [0; 16], date_len: 0, time: [0; 24], time_len: 0 };
        if mode == TimeMode::Epoch {
            let mut c = io::Cursor::new(&mut s.time[..]);
            let _ = write!(c, "{}", rt.epoch);
            s.time_len = c.position() as usize;
            return s;
        }
        let tm = &rt.tm;
        let mut c = io::Cursor::new(&mut s.date[..]);
        let _ = write!(c, "{:04}-{:02}-{:02}", tm.year, tm.month, tm.day);
        s.date_len = c.position() as usize;
        let mut c = io::Cursor::new(&mut s.time[..]);
        let _ = write!(c, "{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec);
        s.time_len = c.position() as usize;
        s
    }

    fn date(&self) -> &[u8] {
        &self.date[..self.date_len]
    }

    fn time(&self) -> &[u8] {
        &self.time[..self.time_len]
    }
}

pub(crate) fn cstr(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

/// The host fields of the JSON and XML headers, in sadf's order: name,
/// value, and whether the value is a number (unquoted in JSON).
pub(crate) fn host_fields(h: &FileHeader) -> [(&'static str, Vec<u8>, bool); 8] {
    let tm = crate::sar::timefmt::broken_down(h.sa_ust_time as i64, true).unwrap_or_default();
    let cpus = if h.sa_cpu_nr > 1 { h.sa_cpu_nr - 1 } else { 1 };
    let text = |b: &[u8]| cstr(b).to_vec();
    [
        ("nodename", text(&h.sa_nodename), false),
        ("sysname", text(&h.sa_sysname), false),
        ("release", text(&h.sa_release), false),
        ("machine", text(&h.sa_machine), false),
        ("number-of-cpus", cpus.to_string().into_bytes(), true),
        ("file-date", format!("{:04}-{:02}-{:02}", tm.year, tm.month, tm.day).into_bytes(), false),
        ("file-utc-time", format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec).into_bytes(), false),
        ("timezone", text(&h.sa_tzname), false),
    ]
}

/// What every printer writes with: the output, the file header, how times
/// are shown.
pub struct Common<'w> {
    pub out: &'w mut dyn Write,
    /// `-C`: comments are printed.
    pub comments: bool,
    /// CPU count plus one, as the last restart said (restart messages).
    pub cpu_nr: u32,
    /// The columns of the activity being printed (by default; JSON and XML
    /// keep their own).
    meta: Option<&'static Meta>,
    hdr: FileHeader,
    mode: TimeMode,
    tz: Vec<u8>,
}

impl<'w> Common<'w> {
    fn new(hdr: &FileHeader, mode: TimeMode, comments: bool, out: &'w mut dyn Write) -> Common<'w> {
        let tz = match mode {
            TimeMode::Local => time::standard_zone_name(),
            TimeMode::True => cstr(&hdr.sa_tzname).to_vec(),
            _ => b"UTC".to_vec(),
        };
        Common { out, comments, cpu_nr: hdr.sa_cpu_nr, meta: None, hdr: hdr.clone(), mode, tz }
    }

    fn tabs(&mut self, n: usize) -> io::Result<()> {
        for _ in 0..n {
            self.out.write_all(b"\t")?;
        }
        Ok(())
    }

    fn nodename(&self) -> &[u8] {
        cstr(&self.hdr.sa_nodename)
    }

    /// CPUs as the last restart said.
    fn cpus(&self) -> u32 {
        if self.cpu_nr > 1 {
            self.cpu_nr - 1
        } else {
            1
        }
    }

    /// `-d`/`-p`: `date time tz` (or the epoch) of a record.
    fn when(&mut self, st: &Stamp) -> io::Result<()> {
        let w = &mut *self.out;
        if !st.date().is_empty() {
            w.write_all(st.date())?;
            w.write_all(b" ")?;
        }
        w.write_all(st.time())?;
        if !st.date().is_empty() {
            w.write_all(b" ")?;
            w.write_all(&self.tz)?;
        }
        Ok(())
    }

    /// `-d`/`-p`: a restart's or comment's line up to its text: host, an
    /// interval of -1, date and time, each followed by `sep`.
    fn special_prefix(&mut self, st: &Stamp, sep: &[u8]) -> io::Result<()> {
        let node = self.nodename().to_vec();
        self.out.write_all(&node)?;
        self.out.write_all(sep)?;
        self.out.write_all(b"-1")?;
        self.out.write_all(sep)?;
        self.when(st)?;
        self.out.write_all(sep)
    }

    /// `-d`/`-p`: a restart's line, fields separated by `sep`.
    fn special_restart(&mut self, st: &Stamp, sep: &[u8]) -> io::Result<()> {
        let n = self.cpus();
        self.special_prefix(st, sep)?;
        writeln!(self.out, "LINUX-RESTART\t({n} CPU)")
    }

    /// `-d`/`-p`: a comment's line (with `-C`), fields separated by `sep`.
    fn special_comment(&mut self, st: &Stamp, sep: &[u8], text: &[u8]) -> io::Result<()> {
        if !self.comments {
            return Ok(());
        }
        self.special_prefix(st, sep)?;
        self.out.write_all(b"COM ")?;
        self.out.write_all(text)?;
        self.out.write_all(b"\n")
    }

    /// `-d`/`-p`/`-r`: a record's time into the line prefix, then its zone
    /// (none for an epoch, nor for `-t` without a zone name).
    fn pre_time(&self, pre: &mut Vec<u8>, st: &Stamp) {
        pre.extend_from_slice(st.time());
        if !st.date().is_empty() && (self.mode != TimeMode::True || !self.tz.is_empty()) {
            pre.push(b' ');
            pre.extend_from_slice(&self.tz);
        }
    }

    /// `-d`/`-p`: a record's line prefix: host, interval, date and time,
    /// separated by `sep`.
    fn record_prefix(&self, pre: &mut Vec<u8>, st: &Stamp, dt: u64, sep: &[u8]) {
        pre.clear();
        pre.extend_from_slice(self.nodename());
        pre.extend_from_slice(sep);
        let _ = write!(pre, "{dt}");
        pre.extend_from_slice(sep);
        if !st.date().is_empty() {
            pre.extend_from_slice(st.date());
            pre.push(b' ');
        }
        self.pre_time(pre, st);
    }
}

/// One output format: what an export writes, in the order its walk hands
/// it over. Rows come through [`RowSink`].
pub trait Printer<'w>: RowSink {
    fn common(&mut self) -> &mut Common<'w>;
    /// JSON/XML: the document up to the statistics.
    fn header(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn header_end(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn statistics_begin(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// A statistics record was read (JSON opens an object for each).
    fn statistics_main(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn statistics_end(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// JSON/XML: the list of restarts or comments (`name`) after the statistics.
    fn specials_begin(&mut self, _name: &str) -> io::Result<()> {
        Ok(())
    }
    fn specials_end(&mut self, _name: &str) -> io::Result<()> {
        Ok(())
    }
    /// `-d` and `-p`: what separates a line's fields.
    fn separator(&self) -> &'static [u8] {
        b";"
    }
    /// A restart: for `-d` and `-p`, a line of [`Printer::separator`]-separated fields.
    fn restart(&mut self, st: &Stamp) -> io::Result<()> {
        let sep = self.separator();
        self.common().special_restart(st, sep)
    }
    /// A comment, printed only with `-C`: for `-d` and `-p`, a line.
    fn comment(&mut self, st: &Stamp, text: &[u8]) -> io::Result<()> {
        let sep = self.separator();
        self.common().special_comment(st, sep, text)
    }
    /// A record's timestamp: the line prefix, or the JSON/XML element.
    fn begin_record(&mut self, st: &Stamp, dt: u64) -> io::Result<()>;
    fn end_record(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// The rows of an activity (`meta` names its columns) come next.
    fn begin_activity(&mut self, meta: Option<&'static Meta>) -> io::Result<()> {
        self.common().meta = meta;
        Ok(())
    }
    fn end_activity(&mut self) -> io::Result<()> {
        self.common().meta = None;
        Ok(())
    }
    /// JSON and XML print an activity's outputs as one element.
    fn joins_outputs(&self) -> bool {
        false
    }
    /// `-r`: where the reports print their counters as they are.
    fn raw(&mut self) -> Option<Raw<'_>> {
        None
    }
    /// `-d`: where each pass's `# hostname;...` line of field names goes.
    fn fields_line(&mut self) -> Option<&mut dyn Write> {
        None
    }
    fn flush(&mut self) -> io::Result<()> {
        self.common().out.flush()
    }
}

/// The printer for `format` (anything but the five exports prints as `-p`,
/// sadf's default).
pub fn new<'w>(
    format: Format,
    hdr: &FileHeader,
    mode: TimeMode,
    horizontally: bool,
    comments: bool,
    out: &'w mut dyn Write,
) -> Box<dyn Printer<'w> + 'w> {
    let c = Common::new(hdr, mode, comments, out);
    match format {
        Format::Database => Box::new(database::Database::new(c, horizontally)),
        Format::Raw => Box::new(raw::RawPrinter::new(c)),
        Format::Json => Box::new(json::Json::new(c)),
        Format::Xml => Box::new(xml::Xml::new(c)),
        _ => Box::new(ppc::Ppc::new(c)),
    }
}

/// `%.2f`, `%llu`, `%.0f` or text.
fn val(w: &mut dyn Write, v: &Val<'_>) -> io::Result<()> {
    match *v {
        Val::F(x) => write!(w, "{x:.2}"),
        Val::U(x) => write!(w, "{x}"),
        Val::R(x) => write!(w, "{x:.0}"),
        Val::S(s) => w.write_all(s),
    }
}

/// A value in its column's JSON/XML format, text between `quote`s.
fn fmt_val(w: &mut dyn Write, f: Fmt, v: &Val<'_>, quote: &[u8]) -> io::Result<()> {
    match (f, *v) {
        (Fmt::F2, v) => write!(w, "{:.2}", v.num()),
        (Fmt::F0, v) => write!(w, "{:.0}", v.num()),
        (Fmt::U, Val::U(x)) => write!(w, "{x}"),
        (Fmt::U, v) => write!(w, "{}", v.num() as u64),
        (Fmt::S, Val::S(s)) => {
            w.write_all(quote)?;
            w.write_all(s)?;
            w.write_all(quote)
        }
        (Fmt::S, v) => {
            w.write_all(quote)?;
            val(w, &v)?;
            w.write_all(quote)
        }
    }
}

/// JSON/XML: an item's name as a value.
fn item_value(w: &mut dyn Write, item: Item<'_>, quote_num: bool) -> io::Result<()> {
    let q: &[u8] = if quote_num { b"\"" } else { b"" };
    match item {
        Item::None => Ok(()),
        Item::Cpu(0) => w.write_all(b"\"all\""),
        Item::Cpu(i) => write!(w, "\"{}\"", i - 1),
        Item::Num(_, n) => {
            w.write_all(q)?;
            write!(w, "{n}")?;
            w.write_all(q)
        }
        Item::Name(n) => {
            w.write_all(b"\"")?;
            w.write_all(n)?;
            w.write_all(b"\"")
        }
    }
}

/// `a/b` into `(Some("a"), "b")`; `b` into `(None, "b")`.
fn split_key(key: &str) -> (Option<&str>, &str) {
    match key.split_once('/') {
        Some((a, b)) => (Some(a), b),
        None => (None, key),
    }
}

/// The columns of a row in the order JSON and XML list them.
fn ordered<'a>(m: &'a Meta, vals: &'a [Val<'a>]) -> impl Iterator<Item = (&'a Val<'a>, &'a Col)> + 'a {
    (0..vals.len().min(m.cols.len())).filter_map(move |k| {
        let k = m.order.get(k).copied().unwrap_or(k);
        Some((vals.get(k)?, m.cols.get(k)?))
    })
}
