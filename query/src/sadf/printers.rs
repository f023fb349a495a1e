//! The layouts of sadf's exports, fed with row values
//! ([`crate::sar::report::values`]): `-d` and `-p` (`rndr_stats.c`'s
//! `render`), `-j` and `-x`. Everything is written straight into the output.

use std::io::{self, Write};

use sarkit_format::{time, FileHeader};

use super::export::TimeMode;
use super::options::Format;
use crate::sar::report::values::{Fmt, Item, Meta, RowSink, Shape, Val};
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

fn cstr(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

/// One output format's state while an export runs.
pub struct Printer<'w> {
    pub format: Format,
    pub out: &'w mut dyn Write,
    pub comments: bool,
    /// CPU count plus one, as the last restart said (restart messages).
    pub cpu_nr: u32,
    hdr: FileHeader,
    mode: TimeMode,
    horizontally: bool,
    tz: Vec<u8>,
    /// `-d`/`-p`/`-r`: the line prefix of the current record.
    pub pre: Vec<u8>,
    /// JSON/XML indentation.
    tab: usize,
    /// JSON/XML: the group (`network`...) open in this record.
    group: Option<&'static str>,
    meta: Option<&'static Meta>,
    /// JSON: rows written in the current activity; a record began.
    rows: usize,
    stats_sep: bool,
    special_sep: bool,
}

impl<'w> Printer<'w> {
    pub fn new(
        format: Format,
        hdr: &FileHeader,
        mode: TimeMode,
        horizontally: bool,
        comments: bool,
        out: &'w mut dyn Write,
    ) -> Printer<'w> {
        let tz = match mode {
            TimeMode::Local => time::standard_zone_name(),
            TimeMode::True => cstr(&hdr.sa_tzname).to_vec(),
            _ => b"UTC".to_vec(),
        };
        Printer {
            format,
            out,
            comments,
            cpu_nr: hdr.sa_cpu_nr,
            hdr: hdr.clone(),
            mode,
            horizontally,
            tz,
            pre: Vec::with_capacity(128),
            tab: 0,
            group: None,
            meta: None,
            rows: 0,
            stats_sep: false,
            special_sep: false,
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn tabs(&mut self, n: usize) -> io::Result<()> {
        for _ in 0..n {
            self.out.write_all(b"\t")?;
        }
        Ok(())
    }

    fn sep(&self) -> &'static [u8] {
        if self.format == Format::Database {
            b";"
        } else {
            b"\t"
        }
    }

    fn nodename(&self) -> &[u8] {
        cstr(&self.hdr.sa_nodename)
    }

    fn cpus(&self) -> u32 {
        if self.cpu_nr > 1 {
            self.cpu_nr - 1
        } else {
            1
        }
    }

    /// `-d`/`-p`/`-r`: `date time tz` (or the epoch) of a record.
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

    pub fn restart(&mut self, st: &Stamp) -> io::Result<()> {
        let n = self.cpus();
        match self.format {
            Format::Raw => {
                // The file header's CPU count, not the restart's.
                let n = if self.hdr.sa_cpu_nr > 1 { self.hdr.sa_cpu_nr - 1 } else { 1 };
                self.raw_time(st)?;
                writeln!(self.out, "; LINUX-RESTART ({n} CPU)")
            }
            Format::Database | Format::Ppc => {
                self.dp_special(st)?;
                writeln!(self.out, "LINUX-RESTART\t({n} CPU)")
            }
            Format::Json => {
                self.json_special(st, "boot")?;
                writeln!(self.out, "\", \"cpu_count\": {n}}}")?;
                self.json_special_end()
            }
            Format::Xml => {
                self.xml_when(st, "boot")?;
                writeln!(self.out, "\" cpu_count=\"{n}\"/>")
            }
            _ => Ok(()),
        }
    }

    pub fn comment(&mut self, st: &Stamp, text: &[u8]) -> io::Result<()> {
        if !self.comments {
            return Ok(());
        }
        match self.format {
            Format::Raw => {
                self.raw_time(st)?;
                self.out.write_all(b"; COM ")?;
                self.out.write_all(text)?;
                self.out.write_all(b"\n")
            }
            Format::Database | Format::Ppc => {
                self.dp_special(st)?;
                self.out.write_all(b"COM ")?;
                self.out.write_all(text)?;
                self.out.write_all(b"\n")
            }
            Format::Json => {
                self.json_special(st, "comment")?;
                self.out.write_all(b"\", \"com\": \"")?;
                self.out.write_all(text)?;
                self.out.write_all(b"\"}\n")?;
                self.json_special_end()
            }
            Format::Xml => {
                self.xml_when(st, "comment")?;
                self.out.write_all(b"\" com=\"")?;
                self.out.write_all(text)?;
                self.out.write_all(b"\"/>\n")
            }
            _ => Ok(()),
        }
    }

    /// `-d`/`-p`: a restart's or comment's line up to its text: host, an
    /// interval of -1, date and time.
    fn dp_special(&mut self, st: &Stamp) -> io::Result<()> {
        let sep = self.sep();
        let node = self.nodename().to_vec();
        self.out.write_all(&node)?;
        self.out.write_all(sep)?;
        self.out.write_all(b"-1")?;
        self.out.write_all(sep)?;
        self.when(st)?;
        self.out.write_all(sep)
    }

    /// JSON: `"key": {"date": "…", "time": "…", "tz": "…` (the value's
    /// closing quote is the caller's).
    fn json_when(&mut self, st: &Stamp, key: &str) -> io::Result<()> {
        write!(self.out, "\"{key}\": {{\"date\": \"")?;
        self.out.write_all(st.date())?;
        self.out.write_all(b"\", \"time\": \"")?;
        self.out.write_all(st.time())?;
        self.out.write_all(b"\", \"tz\": \"")?;
        self.out.write_all(&self.tz)
    }

    /// XML: `<tag date="…" time="…" tz="…` at the current indentation (the
    /// attribute's closing quote is the caller's).
    fn xml_when(&mut self, st: &Stamp, tag: &str) -> io::Result<()> {
        self.tabs(self.tab)?;
        write!(self.out, "<{tag} date=\"")?;
        self.out.write_all(st.date())?;
        self.out.write_all(b"\" time=\"")?;
        self.out.write_all(st.time())?;
        self.out.write_all(b"\" tz=\"")?;
        self.out.write_all(&self.tz)
    }

    /// JSON: open a restart's or comment's object, after the previous one's comma.
    fn json_special(&mut self, st: &Stamp, key: &str) -> io::Result<()> {
        if self.special_sep {
            self.out.write_all(b",\n")?;
        }
        self.tabs(self.tab)?;
        self.out.write_all(b"{\n")?;
        self.tabs(self.tab + 1)?;
        self.json_when(st, key)
    }

    /// JSON: close a restart's or comment's object.
    fn json_special_end(&mut self) -> io::Result<()> {
        self.tabs(self.tab)?;
        self.out.write_all(b"}")?;
        self.special_sep = true;
        Ok(())
    }

    /// `-d`/`-p`/`-r`: a record's time into the line prefix, then its zone
    /// (none for an epoch, nor for `-t` without a zone name).
    fn pre_time(&mut self, st: &Stamp) {
        self.pre.extend_from_slice(st.time());
        if !st.date().is_empty() && (self.mode != TimeMode::True || !self.tz.is_empty()) {
            self.pre.push(b' ');
            self.pre.extend_from_slice(&self.tz);
        }
    }

    /// `-r`'s time of a restart or comment: `TIME ZONE` (or the epoch).
    fn raw_time(&mut self, st: &Stamp) -> io::Result<()> {
        self.out.write_all(st.time())?;
        if !st.date().is_empty() {
            self.out.write_all(b" ")?;
            self.out.write_all(&self.tz)?;
        }
        Ok(())
    }

    /// A record's timestamp: the `-d`/`-p`/`-r` prefix, or the JSON/XML element.
    pub fn begin_record(&mut self, st: &Stamp, dt: u64) -> io::Result<()> {
        match self.format {
            Format::Raw => {
                self.pre.clear();
                self.pre_time(st);
                Ok(())
            }
            Format::Database | Format::Ppc => {
                let sep = self.sep();
                self.pre.clear();
                self.pre.extend_from_slice(cstr(&self.hdr.sa_nodename));
                self.pre.extend_from_slice(sep);
                let _ = write!(self.pre, "{dt}");
                self.pre.extend_from_slice(sep);
                if !st.date().is_empty() {
                    self.pre.extend_from_slice(st.date());
                    self.pre.push(b' ');
                }
                self.pre_time(st);
                if self.horizontally {
                    self.out.write_all(&self.pre)?;
                }
                Ok(())
            }
            Format::Json => {
                self.tabs(self.tab)?;
                self.json_when(st, "timestamp")?;
                write!(self.out, "\", \"interval\": {dt}}}")
            }
            Format::Xml => {
                self.xml_when(st, "timestamp")?;
                writeln!(self.out, "\" interval=\"{dt}\">")?;
                self.tab += 1;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub fn end_record(&mut self) -> io::Result<()> {
        match self.format {
            Format::Database if self.horizontally => self.out.write_all(b"\n"),
            Format::Json => {
                self.close_group()?;
                self.out.write_all(b"\n")
            }
            Format::Xml => {
                self.close_group()?;
                self.tab -= 1;
                self.tabs(self.tab)?;
                self.out.write_all(b"</timestamp>\n")
            }
            _ => Ok(()),
        }
    }

    fn close_group(&mut self) -> io::Result<()> {
        if let Some(g) = self.group.take() {
            match self.format {
                Format::Json => {
                    self.out.write_all(b"\n")?;
                    self.tabs(self.tab)?;
                    self.out.write_all(b"}")?;
                }
                Format::Xml => {
                    self.tab -= 1;
                    self.tabs(self.tab)?;
                    writeln!(self.out, "</{g}>")?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub fn begin_activity(&mut self, meta: Option<&'static Meta>) -> io::Result<()> {
        let meta = if self.format == Format::Xml { meta.map(Meta::for_xml) } else { meta };
        self.meta = meta;
        self.rows = 0;
        let Some(m) = meta else { return Ok(()) };
        match self.format {
            Format::Json => {
                if self.group.is_some() && self.group != m.group {
                    self.close_group()?;
                }
                self.out.write_all(b",\n")?;
                if let (Some(g), None) = (m.group, self.group) {
                    self.tabs(self.tab)?;
                    writeln!(self.out, "\"{g}\": {{")?;
                    self.group = Some(g);
                }
                let t = self.tab + usize::from(self.group.is_some());
                self.tabs(t)?;
                match m.shape {
                    Shape::List => writeln!(self.out, "\"{}\": [", m.tag),
                    Shape::Single => write!(self.out, "\"{}\": {{", m.tag),
                }
            }
            Format::Xml => {
                if self.group.is_some() && self.group != m.group {
                    self.close_group()?;
                }
                if let (Some(g), None) = (m.group, self.group) {
                    self.tabs(self.tab)?;
                    let attrs = match g {
                        "network" | "psi" => " per=\"second\"",
                        _ => "",
                    };
                    writeln!(self.out, "<{g}{attrs}>")?;
                    self.group = Some(g);
                    self.tab += 1;
                }
                if m.shape == Shape::List && m.tag != m.item_tag {
                    self.tabs(self.tab)?;
                    writeln!(self.out, "<{}{}>", m.tag, m.attrs)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub fn end_activity(&mut self) -> io::Result<()> {
        let Some(m) = self.meta.take() else { return Ok(()) };
        match self.format {
            Format::Json => {
                let t = self.tab + usize::from(self.group.is_some());
                match m.shape {
                    Shape::List => {
                        self.out.write_all(b"\n")?;
                        self.tabs(t)?;
                        self.out.write_all(b"]")
                    }
                    Shape::Single => self.out.write_all(b"}"),
                }
            }
            Format::Xml => {
                if m.shape == Shape::List && m.tag != m.item_tag {
                    self.tabs(self.tab)?;
                    writeln!(self.out, "</{}>", m.tag)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The JSON/XML header up to the statistics.
    pub fn header(&mut self) -> io::Result<()> {
        let h = self.hdr.clone();
        let tm = crate::sar::timefmt::broken_down(h.sa_ust_time as i64, true).unwrap_or_default();
        let tz = time::standard_zone_name();
        let cpus = if h.sa_cpu_nr > 1 { h.sa_cpu_nr - 1 } else { 1 };
        let w = &mut *self.out;
        match self.format {
            Format::Json => {
                w.write_all(b"{\"sysstat\": {\n\t\"hosts\": [\n\t\t{\n\t\t\t\"nodename\": \"")?;
                w.write_all(cstr(&h.sa_nodename))?;
                w.write_all(b"\",\n\t\t\t\"sysname\": \"")?;
                w.write_all(cstr(&h.sa_sysname))?;
                w.write_all(b"\",\n\t\t\t\"release\": \"")?;
                w.write_all(cstr(&h.sa_release))?;
                w.write_all(b"\",\n\t\t\t\"machine\": \"")?;
                w.write_all(cstr(&h.sa_machine))?;
                write!(w, "\",\n\t\t\t\"number-of-cpus\": {cpus},\n")?;
                writeln!(w, "\t\t\t\"file-date\": \"{:04}-{:02}-{:02}\",", tm.year, tm.month, tm.day)?;
                writeln!(w, "\t\t\t\"file-utc-time\": \"{:02}:{:02}:{:02}\",", tm.hour, tm.min, tm.sec)?;
                w.write_all(b"\t\t\t\"timezone\": \"")?;
                w.write_all(cstr(&h.sa_tzname))?;
                w.write_all(b"\"")?;
                self.tab = 3;
            }
            Format::Xml => {
                w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sysstat\nxmlns=\"https://sysstat.github.io\"\nxmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\nxsi:schemaLocation=\"https://sysstat.github.io https://sysstat.github.io/sysstat.xsd\">\n")?;
                w.write_all(b"\t<sysdata-version>3.18</sysdata-version>\n\t<host nodename=\"")?;
                w.write_all(cstr(&h.sa_nodename))?;
                w.write_all(b"\">\n\t\t<sysname>")?;
                w.write_all(cstr(&h.sa_sysname))?;
                w.write_all(b"</sysname>\n\t\t<release>")?;
                w.write_all(cstr(&h.sa_release))?;
                w.write_all(b"</release>\n\t\t<machine>")?;
                w.write_all(cstr(&h.sa_machine))?;
                writeln!(w, "</machine>\n\t\t<number-of-cpus>{cpus}</number-of-cpus>")?;
                writeln!(w, "\t\t<file-date>{:04}-{:02}-{:02}</file-date>", tm.year, tm.month, tm.day)?;
                writeln!(w, "\t\t<file-utc-time>{:02}:{:02}:{:02}</file-utc-time>", tm.hour, tm.min, tm.sec)?;
                w.write_all(b"\t\t<timezone>")?;
                w.write_all(cstr(&h.sa_tzname))?;
                w.write_all(b"</timezone>\n")?;
                self.tab = 2;
            }
            _ => {}
        }
        let _ = tz;
        Ok(())
    }

    pub fn header_end(&mut self) -> io::Result<()> {
        match self.format {
            Format::Json => self.out.write_all(b"\n\t\t}\n\t]\n}}\n"),
            Format::Xml => self.out.write_all(b"\t</host>\n</sysstat>\n"),
            _ => Ok(()),
        }
    }

    pub fn statistics_begin(&mut self) -> io::Result<()> {
        match self.format {
            Format::Json => {
                self.out.write_all(b",\n")?;
                self.tabs(self.tab)?;
                self.out.write_all(b"\"statistics\": [\n")?;
                self.tab += 1;
            }
            Format::Xml => {
                self.tabs(self.tab)?;
                self.out.write_all(b"<statistics>\n")?;
                self.tab += 1;
            }
            _ => {}
        }
        Ok(())
    }

    /// JSON: each statistics record read opens an object.
    pub fn statistics_main(&mut self) -> io::Result<()> {
        if self.format == Format::Json {
            if self.stats_sep {
                self.tab -= 1;
                self.tabs(self.tab)?;
                self.out.write_all(b"},\n")?;
            }
            self.tabs(self.tab)?;
            self.out.write_all(b"{\n")?;
            self.tab += 1;
            self.stats_sep = true;
        }
        Ok(())
    }

    pub fn statistics_end(&mut self) -> io::Result<()> {
        match self.format {
            Format::Json => {
                if self.stats_sep {
                    self.tab -= 1;
                    self.tabs(self.tab)?;
                    self.out.write_all(b"}\n")?;
                    self.stats_sep = false;
                }
                self.tab -= 1;
                self.tabs(self.tab)?;
                self.out.write_all(b"]")
            }
            Format::Xml => {
                self.tab -= 1;
                self.tabs(self.tab)?;
                self.out.write_all(b"</statistics>\n")
            }
            _ => Ok(()),
        }
    }

    fn specials_begin(&mut self, name: &str) -> io::Result<()> {
        match self.format {
            Format::Json => {
                self.out.write_all(b",\n")?;
                self.tabs(self.tab)?;
                writeln!(self.out, "\"{name}\": [")?;
                self.tab += 1;
                self.special_sep = false;
            }
            Format::Xml => {
                self.tabs(self.tab)?;
                writeln!(self.out, "<{name}>")?;
                self.tab += 1;
            }
            _ => {}
        }
        Ok(())
    }

    fn specials_end(&mut self, name: &str) -> io::Result<()> {
        match self.format {
            Format::Json => {
                if self.special_sep {
                    self.out.write_all(b"\n")?;
                    self.special_sep = false;
                }
                self.tab -= 1;
                self.tabs(self.tab)?;
                self.out.write_all(b"]")
            }
            Format::Xml => {
                self.tab -= 1;
                self.tabs(self.tab)?;
                writeln!(self.out, "</{name}>")
            }
            _ => Ok(()),
        }
    }

    pub fn restarts_begin(&mut self) -> io::Result<()> {
        self.specials_begin("restarts")
    }
    pub fn restarts_end(&mut self) -> io::Result<()> {
        self.specials_end("restarts")
    }
    pub fn comments_begin(&mut self) -> io::Result<()> {
        self.specials_begin("comments")
    }
    pub fn comments_end(&mut self) -> io::Result<()> {
        self.specials_end("comments")
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
                Self::val(w, &v)?;
                w.write_all(quote)
            }
        }
    }

    fn db_item(w: &mut dyn Write, item: Item<'_>) -> io::Result<()> {
        match item {
            Item::None => Ok(()),
            Item::Cpu(0) => w.write_all(b"-1"),
            Item::Cpu(i) => write!(w, "{}", i - 1),
            Item::Num(_, n) => write!(w, "{n}"),
            Item::Name(n) => w.write_all(n),
        }
    }

    fn ppc_item(w: &mut dyn Write, item: Item<'_>) -> io::Result<()> {
        match item {
            Item::None => w.write_all(b"-"),
            Item::Cpu(0) => w.write_all(b"all"),
            Item::Cpu(i) => write!(w, "cpu{}", i - 1),
            Item::Num(p, n) => write!(w, "{p}{n}"),
            Item::Name(n) => w.write_all(n),
        }
    }
}

impl Printer<'_> {
    /// JSON: the columns of a row as `"key": value` pairs, keys `a/b`
    /// nested in objects `"a": {...}`.
    fn json_cols(&mut self, m: &Meta, vals: &[Val<'_>], mut sep: bool) -> io::Result<()> {
        let mut open: Option<&str> = None;
        for k in 0..vals.len().min(m.cols.len()) {
            let k = m.order.get(k).copied().unwrap_or(k);
            let (Some(v), Some(c)) = (vals.get(k), m.cols.get(k)) else { continue };
            let (pfx, leaf) = split_key(c.key);
            if pfx != open {
                if open.is_some() {
                    self.out.write_all(b"}")?;
                }
                if let Some(p) = pfx {
                    if sep {
                        self.out.write_all(b", ")?;
                    }
                    write!(self.out, "\"{p}\": {{")?;
                    sep = false;
                }
                open = pfx;
            }
            if sep {
                self.out.write_all(b", ")?;
            }
            sep = true;
            write!(self.out, "\"{leaf}\": ")?;
            Self::fmt_val(self.out, c.fmt, v, b"\"")?;
        }
        if open.is_some() {
            self.out.write_all(b"}")?;
        }
        Ok(())
    }

    /// XML: the columns of a row as attributes ` key="value"`.
    fn xml_attrs(&mut self, m: &Meta, vals: &[Val<'_>]) -> io::Result<()> {
        for k in 0..vals.len().min(m.cols.len()) {
            let k = m.order.get(k).copied().unwrap_or(k);
            let (Some(v), Some(c)) = (vals.get(k), m.cols.get(k)) else { continue };
            write!(self.out, " {}=\"", c.key)?;
            Self::fmt_val(self.out, c.fmt, v, b"")?;
            self.out.write_all(b"\"")?;
        }
        Ok(())
    }

    /// XML: the columns of a row as child elements `<key>value</key>`,
    /// keys `a/b` as attributes of one element `<a b="value"/>`.
    fn xml_elements(&mut self, m: &Meta, vals: &[Val<'_>], tab: usize) -> io::Result<()> {
        let mut open: Option<&str> = None;
        for k in 0..vals.len().min(m.cols.len()) {
            let k = m.order.get(k).copied().unwrap_or(k);
            let (Some(v), Some(c)) = (vals.get(k), m.cols.get(k)) else { continue };
            let (pfx, leaf) = split_key(c.key);
            if pfx != open && open.is_some() {
                self.out.write_all(b"/>\n")?;
            }
            match pfx {
                None => {
                    self.tabs(tab)?;
                    write!(self.out, "<{leaf}>")?;
                    Self::fmt_val(self.out, c.fmt, v, b"")?;
                    writeln!(self.out, "</{leaf}>")?;
                }
                Some(p) => {
                    if pfx != open {
                        self.tabs(tab)?;
                        write!(self.out, "<{p}")?;
                    }
                    write!(self.out, " {leaf}=\"")?;
                    Self::fmt_val(self.out, c.fmt, v, b"")?;
                    self.out.write_all(b"\"")?;
                }
            }
            open = pfx;
        }
        if open.is_some() {
            self.out.write_all(b"/>\n")?;
        }
        Ok(())
    }

    /// JSON/XML: an item's name as a value.
    fn item_value(&mut self, item: Item<'_>, quote_num: bool) -> io::Result<()> {
        let q: &[u8] = if quote_num { b"\"" } else { b"" };
        match item {
            Item::None => Ok(()),
            Item::Cpu(0) => self.out.write_all(b"\"all\""),
            Item::Cpu(i) => write!(self.out, "\"{}\"", i - 1),
            Item::Num(_, n) => {
                self.out.write_all(q)?;
                write!(self.out, "{n}")?;
                self.out.write_all(q)
            }
            Item::Name(n) => {
                self.out.write_all(b"\"")?;
                self.out.write_all(n)?;
                self.out.write_all(b"\"")
            }
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

impl RowSink for Printer<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.meta else { return Ok(()) };
        match self.format {
            Format::Database => {
                if !self.horizontally {
                    self.out.write_all(&self.pre)?;
                }
                if item != Item::None {
                    self.out.write_all(b";")?;
                    Self::db_item(self.out, item)?;
                }
                for v in &vals[..vals.len().min(m.dp().len())] {
                    self.out.write_all(b";")?;
                    Self::val(self.out, v)?;
                }
                if !self.horizontally {
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Ppc => {
                for (v, c) in vals.iter().zip(m.dp()) {
                    self.out.write_all(&self.pre)?;
                    self.out.write_all(b"\t")?;
                    Self::ppc_item(self.out, item)?;
                    self.out.write_all(b"\t")?;
                    self.out.write_all(c.name.as_bytes())?;
                    self.out.write_all(b"\t")?;
                    Self::val(self.out, v)?;
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => {
                let t = self.tab + usize::from(self.group.is_some());
                let mut sep = false;
                if m.shape == Shape::List {
                    if self.rows > 0 {
                        self.out.write_all(b",\n")?;
                    }
                    self.tabs(t + 1)?;
                    self.out.write_all(b"{")?;
                    if item != Item::None {
                        write!(self.out, "\"{}\": ", m.item_key)?;
                        self.item_value(item, false)?;
                        sep = true;
                    }
                }
                self.json_cols(m, vals, sep)?;
                if m.shape == Shape::List {
                    self.out.write_all(b"}")?;
                }
                self.rows += 1;
                Ok(())
            }
            Format::Xml => {
                let tab = self.tab + usize::from(m.shape == Shape::List && m.tag != m.item_tag);
                self.tabs(tab)?;
                write!(self.out, "<{}", m.item_tag)?;
                if m.shape == Shape::Single {
                    self.out.write_all(m.attrs.as_bytes())?;
                }
                if item != Item::None {
                    write!(self.out, " {}=", m.item_key)?;
                    self.item_value(item, true)?;
                }
                if m.elements {
                    self.out.write_all(b">\n")?;
                    self.xml_elements(m, vals, tab + 1)?;
                    self.tabs(tab)?;
                    writeln!(self.out, "</{}>", m.item_tag)?;
                } else {
                    self.xml_attrs(m, vals)?;
                    self.out.write_all(b"/>\n")?;
                }
                self.rows += 1;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.meta else { return Ok(()) };
        match self.format {
            Format::Ppc => {
                for (&c, v) in cpus.iter().zip(vals) {
                    self.out.write_all(&self.pre)?;
                    self.out.write_all(b"\t")?;
                    Self::ppc_item(self.out, item)?;
                    self.out.write_all(b"\t")?;
                    Self::ppc_item(self.out, Item::Cpu(c))?;
                    self.out.write_all(b"\t")?;
                    Self::val(self.out, v)?;
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => {
                let t = self.tab + usize::from(self.group.is_some());
                if self.rows > 0 {
                    self.out.write_all(b",\n")?;
                }
                self.tabs(t + 1)?;
                write!(self.out, "{{\"{}\": ", m.item_key)?;
                self.item_value(item, false)?;
                for (&c, v) in cpus.iter().zip(vals) {
                    if c == 0 {
                        self.out.write_all(b", \"all\": ")?;
                    } else {
                        write!(self.out, ", \"CPU{}\": ", c - 1)?;
                    }
                    Self::fmt_val(self.out, Fmt::F2, v, b"\"")?;
                }
                self.out.write_all(b"}")?;
                self.rows += 1;
                Ok(())
            }
            Format::Xml => {
                let tab = self.tab + usize::from(m.shape == Shape::List && m.tag != m.item_tag);
                let key = m.cols.first().map_or("value", |c| c.key);
                for (&c, v) in cpus.iter().zip(vals) {
                    self.tabs(tab)?;
                    write!(self.out, "<{} {}=", m.item_tag, m.item_key)?;
                    self.item_value(item, true)?;
                    self.out.write_all(b" cpu=")?;
                    self.item_value(Item::Cpu(c), true)?;
                    write!(self.out, " {key}=\"")?;
                    Self::fmt_val(self.out, Fmt::F2, v, b"")?;
                    self.out.write_all(b"\"/>\n")?;
                }
                self.rows += 1;
                Ok(())
            }
            Format::Database => {
                if !self.horizontally {
                    self.out.write_all(&self.pre)?;
                }
                self.out.write_all(b";")?;
                Self::db_item(self.out, item)?;
                for v in vals {
                    self.out.write_all(b";")?;
                    Self::val(self.out, v)?;
                }
                if !self.horizontally {
                    self.out.write_all(b"\n")?;
                }
                Ok(())
            }
            _ => self.row(item, vals),
        }
    }
}
