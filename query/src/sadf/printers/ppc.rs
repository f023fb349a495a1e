//! `-p`: `rndr_stats.c`'s awk-friendly layout, one value per line:
//! host, interval, time, item, column name and value, tab separated.

use std::io::{self, Write};

use super::{val, Common, Printer, Stamp};
use crate::sar::report::values::{Item, RowSink, Val};

pub struct Ppc<'w> {
    c: Common<'w>,
    /// The line prefix of the current record.
    pre: Vec<u8>,
}

impl<'w> Ppc<'w> {
    pub fn new(c: Common<'w>) -> Ppc<'w> {
        Ppc { c, pre: Vec::with_capacity(128) }
    }

    /// The item column: `-`, `all`, `cpuN`, the device's prefix and number, or its name.
    fn item(w: &mut dyn Write, item: Item<'_>) -> io::Result<()> {
        match item {
            Item::None => w.write_all(b"-"),
            Item::Cpu(0) => w.write_all(b"all"),
            Item::Cpu(i) => write!(w, "cpu{}", i - 1),
            Item::Num(p, n) => write!(w, "{p}{n}"),
            Item::Name(n) => w.write_all(n),
        }
    }

    /// One line: prefix, item, then `name` written by `name`, and the value.
    fn line(
        &mut self,
        item: Item<'_>,
        name: impl FnOnce(&mut dyn Write) -> io::Result<()>,
        v: &Val<'_>,
    ) -> io::Result<()> {
        let out = &mut *self.c.out;
        out.write_all(&self.pre)?;
        out.write_all(b"\t")?;
        Self::item(out, item)?;
        out.write_all(b"\t")?;
        name(out)?;
        out.write_all(b"\t")?;
        val(out, v)?;
        out.write_all(b"\n")
    }
}

impl<'w> Printer<'w> for Ppc<'w> {
    fn common(&mut self) -> &mut Common<'w> {
        &mut self.c
    }

    fn separator(&self) -> &'static [u8] {
        b"\t"
    }

    fn begin_record(&mut self, st: &Stamp, dt: u64) -> io::Result<()> {
        self.c.record_prefix(&mut self.pre, st, dt, b"\t");
        Ok(())
    }
}

impl RowSink for Ppc<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.c.meta else { return Ok(()) };
        for (v, c) in vals.iter().zip(m.dp()) {
            self.line(item, |w| w.write_all(c.name.as_bytes()), v)?;
        }
        Ok(())
    }

    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        if self.c.meta.is_none() {
            return Ok(());
        }
        for (&c, v) in cpus.iter().zip(vals) {
            self.line(item, |w| Self::item(w, Item::Cpu(c)), v)?;
        }
        Ok(())
    }
}
