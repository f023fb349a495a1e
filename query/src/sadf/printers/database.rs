//! `-d` (and `-dh`, one line per record): `rndr_stats.c`'s database layout,
//! fields separated by semicolons.

use std::io::{self, Write};

use super::{val, Common, Printer, Stamp};
use crate::sar::report::values::{Item, RowSink, Val};

pub struct Database<'w> {
    c: Common<'w>,
    /// `-h`: every activity of a record on one line.
    horizontally: bool,
    /// The line prefix of the current record.
    pre: Vec<u8>,
}

impl<'w> Database<'w> {
    pub fn new(c: Common<'w>, horizontally: bool) -> Database<'w> {
        Database { c, horizontally, pre: Vec::with_capacity(128) }
    }

    /// The item column: -1 for all CPUs, the CPU number, the device's number or name.
    fn item(w: &mut dyn Write, item: Item<'_>) -> io::Result<()> {
        match item {
            Item::None => Ok(()),
            Item::Cpu(0) => w.write_all(b"-1"),
            Item::Cpu(i) => write!(w, "{}", i - 1),
            Item::Num(_, n) => write!(w, "{n}"),
            Item::Name(n) => w.write_all(n),
        }
    }

    /// One row: the prefix unless horizontally, the item column if any, the values.
    fn line<'v>(&mut self, item: Option<Item<'_>>, vals: impl Iterator<Item = &'v Val<'v>>) -> io::Result<()> {
        let out = &mut *self.c.out;
        if !self.horizontally {
            out.write_all(&self.pre)?;
        }
        if let Some(item) = item {
            out.write_all(b";")?;
            Self::item(out, item)?;
        }
        for v in vals {
            out.write_all(b";")?;
            val(out, v)?;
        }
        if !self.horizontally {
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl<'w> Printer<'w> for Database<'w> {
    fn common(&mut self) -> &mut Common<'w> {
        &mut self.c
    }

    fn begin_record(&mut self, st: &Stamp, dt: u64) -> io::Result<()> {
        self.c.record_prefix(&mut self.pre, st, dt, b";");
        if self.horizontally {
            self.c.out.write_all(&self.pre)?;
        }
        Ok(())
    }

    fn end_record(&mut self) -> io::Result<()> {
        if self.horizontally {
            self.c.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn fields_line(&mut self) -> Option<&mut dyn Write> {
        Some(&mut *self.c.out)
    }
}

impl RowSink for Database<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let Some(m) = self.c.meta else { return Ok(()) };
        let item = (item != Item::None).then_some(item);
        self.line(item, vals[..vals.len().min(m.dp().len())].iter())
    }

    fn cpu_row(&mut self, item: Item<'_>, _cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        if self.c.meta.is_none() {
            return Ok(());
        }
        self.line(Some(item), vals.iter())
    }
}
