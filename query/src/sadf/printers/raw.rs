//! `-r`: the reports' counters as they are ([`Raw`]), after each record's time.

use std::io;

use super::{Common, Printer, Stamp};
use crate::sar::report::raw::Raw;
use crate::sar::report::values::{Item, RowSink, Val};

pub struct RawPrinter<'w> {
    c: Common<'w>,
    /// The line prefix of the current record: its time.
    pre: Vec<u8>,
}

impl<'w> RawPrinter<'w> {
    pub fn new(c: Common<'w>) -> RawPrinter<'w> {
        RawPrinter { c, pre: Vec::with_capacity(64) }
    }

    /// A restart's or comment's time: `TIME ZONE` (or the epoch).
    fn time(&mut self, st: &Stamp) -> io::Result<()> {
        self.c.out.write_all(st.time())?;
        if !st.date().is_empty() {
            self.c.out.write_all(b" ")?;
            self.c.out.write_all(&self.c.tz)?;
        }
        Ok(())
    }
}

impl<'w> Printer<'w> for RawPrinter<'w> {
    fn common(&mut self) -> &mut Common<'w> {
        &mut self.c
    }

    fn restart(&mut self, st: &Stamp) -> io::Result<()> {
        // The file header's CPU count, not the restart's.
        let n = if self.c.hdr.sa_cpu_nr > 1 { self.c.hdr.sa_cpu_nr - 1 } else { 1 };
        self.time(st)?;
        writeln!(self.c.out, "; LINUX-RESTART ({n} CPU)")
    }

    fn comment(&mut self, st: &Stamp, text: &[u8]) -> io::Result<()> {
        if !self.c.comments {
            return Ok(());
        }
        self.time(st)?;
        self.c.out.write_all(b"; COM ")?;
        self.c.out.write_all(text)?;
        self.c.out.write_all(b"\n")
    }

    fn begin_record(&mut self, st: &Stamp, _dt: u64) -> io::Result<()> {
        self.pre.clear();
        self.c.pre_time(&mut self.pre, st);
        Ok(())
    }

    fn raw(&mut self) -> Option<Raw<'_>> {
        Some(Raw::new(&mut *self.c.out, &self.pre))
    }
}

/// `-r` prints counters, not rows.
impl RowSink for RawPrinter<'_> {
    fn row(&mut self, _item: Item<'_>, _vals: &[Val<'_>]) -> io::Result<()> {
        Ok(())
    }
}
