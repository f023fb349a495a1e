//! `-j`: sadf's JSON document, every activity of a record in one object.

use std::io;

use super::{fmt_val, item_value, ordered, split_key, Common, Printer, Stamp};
use crate::sar::report::values::{Fmt, Item, Meta, RowSink, Shape, Val};

pub struct Json<'w> {
    c: Common<'w>,
    /// Indentation.
    tab: usize,
    /// The group (`network`...) open in this record.
    group: Option<&'static str>,
    meta: Option<&'static Meta>,
    /// Rows written in the current activity.
    rows: usize,
    /// A statistics object is open.
    stats_sep: bool,
    /// A restart or comment was written.
    special_sep: bool,
}

impl<'w> Json<'w> {
    pub fn new(c: Common<'w>) -> Json<'w> {
        Json { c, tab: 0, group: None, meta: None, rows: 0, stats_sep: false, special_sep: false }
    }

    /// `"key": {"date": "…", "time": "…", "tz": "…` (the value's closing
    /// quote is the caller's).
    fn when(&mut self, st: &Stamp, key: &str) -> io::Result<()> {
        let out = &mut *self.c.out;
        write!(out, "\"{key}\": {{\"date\": \"")?;
        out.write_all(st.date())?;
        out.write_all(b"\", \"time\": \"")?;
        out.write_all(st.time())?;
        out.write_all(b"\", \"tz\": \"")?;
        out.write_all(&self.c.tz)
    }

    /// Open a restart's or comment's object, after the previous one's comma.
    fn special(&mut self, st: &Stamp, key: &str) -> io::Result<()> {
        if self.special_sep {
            self.c.out.write_all(b",\n")?;
        }
        self.c.tabs(self.tab)?;
        self.c.out.write_all(b"{\n")?;
        self.c.tabs(self.tab + 1)?;
        self.when(st, key)
    }

    /// Close a restart's or comment's object.
    fn special_end(&mut self) -> io::Result<()> {
        self.c.tabs(self.tab)?;
        self.c.out.write_all(b"}")?;
        self.special_sep = true;
        Ok(())
    }

    fn close_group(&mut self) -> io::Result<()> {
        if self.group.take().is_some() {
            self.c.out.write_all(b"\n")?;
            self.c.tabs(self.tab)?;
            self.c.out.write_all(b"}")?;
        }
        Ok(())
    }

    /// The columns of a row as `"key": value` pairs, keys `a/b` nested in
    /// objects `"a": {...}`.
    fn cols(&mut self, m: &Meta, vals: &[Val<'_>], mut sep: bool) -> io::Result<()> {
        let out = &mut *self.c.out;
        let mut open: Option<&str> = None;
        for (v, c) in ordered(m, vals) {
            let (pfx, leaf) = split_key(c.key);
            if pfx != open {
                if open.is_some() {
                    out.write_all(b"}")?;
                }
                if let Some(p) = pfx {
                    if sep {
                        out.write_all(b", ")?;
                    }
                    write!(out, "\"{p}\": {{")?;
                    sep = false;
                }
                open = pfx;
            }
            if sep {
                out.write_all(b", ")?;
            }
            sep = true;
            write!(out, "\"{leaf}\": ")?;
            fmt_val(out, c.fmt, v, b"\"")?;
        }
        if open.is_some() {
            out.write_all(b"}")?;
        }
        Ok(())
    }

    /// Indentation of the current activity's rows.
    fn row_tab(&self) -> usize {
        self.tab + usize::from(self.group.is_some()) + 1
    }

    fn specials_sep(&mut self) -> io::Result<()> {
        self.c.out.write_all(b",\n")?;
        self.c.tabs(self.tab)
    }
}

impl<'w> Printer<'w> for Json<'w> {
    fn common(&mut self) -> &mut Common<'w> {
        &mut self.c
    }

    fn header(&mut self) -> io::Result<()> {
        let w = &mut *self.c.out;
        w.write_all(b"{\"sysstat\": {\n\t\"hosts\": [\n\t\t{")?;
        for (i, (name, value, number)) in super::host_fields(&self.c.hdr).iter().enumerate() {
            w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            let q: &[u8] = if *number { b"" } else { b"\"" };
            write!(w, "\t\t\t\"{name}\": ")?;
            w.write_all(q)?;
            w.write_all(value)?;
            w.write_all(q)?;
        }
        self.tab = 3;
        Ok(())
    }

    fn header_end(&mut self) -> io::Result<()> {
        self.c.out.write_all(b"\n\t\t}\n\t]\n}}\n")
    }

    fn statistics_begin(&mut self) -> io::Result<()> {
        self.specials_sep()?;
        self.c.out.write_all(b"\"statistics\": [\n")?;
        self.tab += 1;
        Ok(())
    }

    /// Each statistics record read opens an object.
    fn statistics_main(&mut self) -> io::Result<()> {
        if self.stats_sep {
            self.tab -= 1;
            self.c.tabs(self.tab)?;
            self.c.out.write_all(b"},\n")?;
        }
        self.c.tabs(self.tab)?;
        self.c.out.write_all(b"{\n")?;
        self.tab += 1;
        self.stats_sep = true;
        Ok(())
    }

    fn statistics_end(&mut self) -> io::Result<()> {
        if self.stats_sep {
            self.tab -= 1;
            self.c.tabs(self.tab)?;
            self.c.out.write_all(b"}\n")?;
            self.stats_sep = false;
        }
        self.tab -= 1;
        self.c.tabs(self.tab)?;
        self.c.out.write_all(b"]")
    }

    fn specials_begin(&mut self, name: &str) -> io::Result<()> {
        self.specials_sep()?;
        writeln!(self.c.out, "\"{name}\": [")?;
        self.tab += 1;
        self.special_sep = false;
        Ok(())
    }

    fn specials_end(&mut self, _name: &str) -> io::Result<()> {
        if self.special_sep {
            self.c.out.write_all(b"\n")?;
            self.special_sep = false;
        }
        self.tab -= 1;
        self.c.tabs(self.tab)?;
        self.c.out.write_all(b"]")
    }

    fn restart(&mut self, st: &Stamp) -> io::Result<()> {
        let n = self.c.cpus();
        self.special(st, "boot")?;
        writeln!(self.c.out, "\", \"cpu_count\": {n}}}")?;
        self.special_end()
    }

    fn comment(&mut self, st: &Stamp, text: &[u8]) -> io::Result<()> {
        if !self.c.comments {
            return Ok(());
        }
        self.special(st, "comment")?;
        self.c.out.write_all(b"\", \"com\": \"")?;
        self.c.out.write_all(text)?;
        self.c.out.write_all(b"\"}\n")?;
        self.special_end()
    }

    fn begin_record(&mut self, st: &Stamp, dt: u64) -> io::Result<()> {
        self.c.tabs(self.tab)?;
        self.when(st, "timestamp")?;
        write!(self.c.out, "\", \"interval\": {dt}}}")
    }

    fn end_record(&mut self) -> io::Result<()> {
        self.close_group()?;
        self.c.out.write_all(b"\n")
    }

    fn begin_activity(&mut self, meta: Option<&'static Meta>) -> io::Result<()> {
        self.meta = meta;
        self.rows = 0;
        let Some(m) = meta else { return Ok(()) };
        if self.group.is_some() && self.group != m.group {
            self.close_group()?;
        }
        self.c.out.write_all(b",\n")?;
        if let (Some(g), None) = (m.group, self.group) {
            self.c.tabs(self.tab)?;
            writeln!(self.c.out, "\"{g}\": {{")?;
            self.group = Some(g);
        }
        self.c.tabs(self.row_tab() - 1)?;
        match m.shape {
            Shape::List => writeln!(self.c.out, "\"{}\": [", m.tag),
            Shape::Single => write!(self.c.out, "\"{}\": {{", m.tag),
        }
    }

    fn end_activity(&mut self) -> io::Result<()> {
        let Some(m) = self.meta.take() else { return Ok(()) };
        match m.shape {
            Shape::List => {
                self.c.out.write_all(b"\n")?;
                self.c.tabs(self.row_tab() - 1)?;
                self.c.out.write_all(b"]")
            }
            Shape::Single => self.c.out.write_all(b"}"),
        }
    }

    fn joins_outputs(&self) -> bool {
        true
    }
}

impl RowSink for Json<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.meta else { return Ok(()) };
        let mut sep = false;
        if m.shape == Shape::List {
            if self.rows > 0 {
                self.c.out.write_all(b",\n")?;
            }
            self.c.tabs(self.row_tab())?;
            self.c.out.write_all(b"{")?;
            if item != Item::None {
                write!(self.c.out, "\"{}\": ", m.item_key)?;
                item_value(self.c.out, item, false)?;
                sep = true;
            }
        }
        self.cols(m, vals, sep)?;
        if m.shape == Shape::List {
            self.c.out.write_all(b"}")?;
        }
        self.rows += 1;
        Ok(())
    }

    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.meta else { return Ok(()) };
        if self.rows > 0 {
            self.c.out.write_all(b",\n")?;
        }
        self.c.tabs(self.row_tab())?;
        let out = &mut *self.c.out;
        write!(out, "{{\"{}\": ", m.item_key)?;
        item_value(out, item, false)?;
        for (&c, v) in cpus.iter().zip(vals) {
            if c == 0 {
                out.write_all(b", \"all\": ")?;
            } else {
                write!(out, ", \"CPU{}\": ", c - 1)?;
            }
            fmt_val(out, Fmt::F2, v, b"\"")?;
        }
        out.write_all(b"}")?;
        self.rows += 1;
        Ok(())
    }
}
