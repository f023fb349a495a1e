//! `-x`: sadf's XML document, every activity of a record in one element.

use std::io;

use super::{fmt_val, item_value, ordered, split_key, Common, Printer, Stamp};
use crate::sar::report::values::{Fmt, Item, Meta, RowSink, Shape, Val};

pub struct Xml<'w> {
    c: Common<'w>,
    /// Indentation.
    tab: usize,
    /// The group (`network`...) open in this record.
    group: Option<&'static str>,
    meta: Option<&'static Meta>,
}

impl<'w> Xml<'w> {
    pub fn new(c: Common<'w>) -> Xml<'w> {
        Xml { c, tab: 0, group: None, meta: None }
    }

    /// `<tag date="…" time="…" tz="…` at the current indentation (the
    /// attribute's closing quote is the caller's).
    fn when(&mut self, st: &Stamp, tag: &str) -> io::Result<()> {
        self.c.tabs(self.tab)?;
        let out = &mut *self.c.out;
        write!(out, "<{tag} date=\"")?;
        out.write_all(st.date())?;
        out.write_all(b"\" time=\"")?;
        out.write_all(st.time())?;
        out.write_all(b"\" tz=\"")?;
        out.write_all(&self.c.tz)
    }

    fn close_group(&mut self) -> io::Result<()> {
        if let Some(g) = self.group.take() {
            self.tab -= 1;
            self.c.tabs(self.tab)?;
            writeln!(self.c.out, "</{g}>")?;
        }
        Ok(())
    }

    /// The columns of a row as attributes ` key="value"`.
    fn attrs(&mut self, m: &Meta, vals: &[Val<'_>]) -> io::Result<()> {
        let out = &mut *self.c.out;
        for (v, c) in ordered(m, vals) {
            write!(out, " {}=\"", c.key)?;
            fmt_val(out, c.fmt, v, b"")?;
            out.write_all(b"\"")?;
        }
        Ok(())
    }

    /// The columns of a row as child elements `<key>value</key>`, keys
    /// `a/b` as attributes of one element `<a b="value"/>`.
    fn elements(&mut self, m: &Meta, vals: &[Val<'_>], tab: usize) -> io::Result<()> {
        let mut open: Option<&str> = None;
        for (v, c) in ordered(m, vals) {
            let (pfx, leaf) = split_key(c.key);
            if pfx != open && open.is_some() {
                self.c.out.write_all(b"/>\n")?;
            }
            match pfx {
                None => {
                    self.c.tabs(tab)?;
                    write!(self.c.out, "<{leaf}>")?;
                    fmt_val(self.c.out, c.fmt, v, b"")?;
                    writeln!(self.c.out, "</{leaf}>")?;
                }
                Some(p) => {
                    if pfx != open {
                        self.c.tabs(tab)?;
                        write!(self.c.out, "<{p}")?;
                    }
                    write!(self.c.out, " {leaf}=\"")?;
                    fmt_val(self.c.out, c.fmt, v, b"")?;
                    self.c.out.write_all(b"\"")?;
                }
            }
            open = pfx;
        }
        if open.is_some() {
            self.c.out.write_all(b"/>\n")?;
        }
        Ok(())
    }

    /// Indentation of the current activity's rows.
    fn row_tab(&self, m: &Meta) -> usize {
        self.tab + usize::from(m.shape == Shape::List && m.tag != m.item_tag)
    }
}

impl<'w> Printer<'w> for Xml<'w> {
    fn common(&mut self) -> &mut Common<'w> {
        &mut self.c
    }

    fn header(&mut self) -> io::Result<()> {
        let w = &mut *self.c.out;
        w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sysstat\nxmlns=\"https://sysstat.github.io\"\nxmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\nxsi:schemaLocation=\"https://sysstat.github.io https://sysstat.github.io/sysstat.xsd\">\n")?;
        w.write_all(b"\t<sysdata-version>3.18</sysdata-version>\n")?;
        // The node name is the host's attribute; the other fields its elements.
        for (name, value, _) in &super::host_fields(&self.c.hdr) {
            if *name == "nodename" {
                w.write_all(b"\t<host nodename=\"")?;
                w.write_all(value)?;
                w.write_all(b"\">\n")?;
            } else {
                write!(w, "\t\t<{name}>")?;
                w.write_all(value)?;
                writeln!(w, "</{name}>")?;
            }
        }
        self.tab = 2;
        Ok(())
    }

    fn header_end(&mut self) -> io::Result<()> {
        self.c.out.write_all(b"\t</host>\n</sysstat>\n")
    }

    fn statistics_begin(&mut self) -> io::Result<()> {
        self.specials_begin("statistics")
    }

    fn statistics_end(&mut self) -> io::Result<()> {
        self.specials_end("statistics")
    }

    fn specials_begin(&mut self, name: &str) -> io::Result<()> {
        self.c.tabs(self.tab)?;
        writeln!(self.c.out, "<{name}>")?;
        self.tab += 1;
        Ok(())
    }

    fn specials_end(&mut self, name: &str) -> io::Result<()> {
        self.tab -= 1;
        self.c.tabs(self.tab)?;
        writeln!(self.c.out, "</{name}>")
    }

    fn restart(&mut self, st: &Stamp) -> io::Result<()> {
        let n = self.c.cpus();
        self.when(st, "boot")?;
        writeln!(self.c.out, "\" cpu_count=\"{n}\"/>")
    }

    fn comment(&mut self, st: &Stamp, text: &[u8]) -> io::Result<()> {
        if !self.c.comments {
            return Ok(());
        }
        self.when(st, "comment")?;
        self.c.out.write_all(b"\" com=\"")?;
        self.c.out.write_all(text)?;
        self.c.out.write_all(b"\"/>\n")
    }

    fn begin_record(&mut self, st: &Stamp, dt: u64) -> io::Result<()> {
        self.when(st, "timestamp")?;
        writeln!(self.c.out, "\" interval=\"{dt}\">")?;
        self.tab += 1;
        Ok(())
    }

    fn end_record(&mut self) -> io::Result<()> {
        self.close_group()?;
        self.tab -= 1;
        self.c.tabs(self.tab)?;
        self.c.out.write_all(b"</timestamp>\n")
    }

    fn begin_activity(&mut self, meta: Option<&'static Meta>) -> io::Result<()> {
        let meta = meta.map(Meta::for_xml);
        self.meta = meta;
        let Some(m) = meta else { return Ok(()) };
        if self.group.is_some() && self.group != m.group {
            self.close_group()?;
        }
        if let (Some(g), None) = (m.group, self.group) {
            self.c.tabs(self.tab)?;
            let attrs = match g {
                "network" | "psi" => " per=\"second\"",
                _ => "",
            };
            writeln!(self.c.out, "<{g}{attrs}>")?;
            self.group = Some(g);
            self.tab += 1;
        }
        if m.shape == Shape::List && m.tag != m.item_tag {
            self.c.tabs(self.tab)?;
            writeln!(self.c.out, "<{}{}>", m.tag, m.attrs)?;
        }
        Ok(())
    }

    fn end_activity(&mut self) -> io::Result<()> {
        let Some(m) = self.meta.take() else { return Ok(()) };
        if m.shape == Shape::List && m.tag != m.item_tag {
            self.c.tabs(self.tab)?;
            writeln!(self.c.out, "</{}>", m.tag)?;
        }
        Ok(())
    }

    fn joins_outputs(&self) -> bool {
        true
    }
}

impl RowSink for Xml<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.meta else { return Ok(()) };
        let tab = self.row_tab(m);
        self.c.tabs(tab)?;
        write!(self.c.out, "<{}", m.item_tag)?;
        if m.shape == Shape::Single {
            self.c.out.write_all(m.attrs.as_bytes())?;
        }
        if item != Item::None {
            write!(self.c.out, " {}=", m.item_key)?;
            item_value(self.c.out, item, true)?;
        }
        if m.elements {
            self.c.out.write_all(b">\n")?;
            self.elements(m, vals, tab + 1)?;
            self.c.tabs(tab)?;
            writeln!(self.c.out, "</{}>", m.item_tag)
        } else {
            self.attrs(m, vals)?;
            self.c.out.write_all(b"/>\n")
        }
    }

    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.meta else { return Ok(()) };
        let tab = self.row_tab(m);
        let key = m.cols.first().map_or("value", |c| c.key);
        for (&c, v) in cpus.iter().zip(vals) {
            self.c.tabs(tab)?;
            let out = &mut *self.c.out;
            write!(out, "<{} {}=", m.item_tag, m.item_key)?;
            item_value(out, item, true)?;
            out.write_all(b" cpu=")?;
            item_value(out, Item::Cpu(c), true)?;
            write!(out, " {key}=\"")?;
            fmt_val(out, Fmt::F2, v, b"")?;
            out.write_all(b"\"/>\n")?;
        }
        Ok(())
    }
}
