//! sadf `-r`: an interval's raw counters, previous and current, named by
//! the activity's field list (`raw_stats.c`'s layout).
//!
//! A row is `TIME; FIELD` then pairs `; prev; curr;` or single values
//! `; value;`, each after the next field name. Field names come from a list
//! like sadf `-d`'s, sections split by `|` (one per output) and fields by
//! `;` or `&`; a field ending in `*` names one CPU per value (`CPU0`...).

use std::fmt::Display;
use std::io::{self, Write};

/// Where a report writes its raw rows.
pub struct Raw<'a> {
    pub out: &'a mut dyn Write,
    /// The record's time and zone (`09:34:34 UTC`).
    pub time: &'a [u8],
    /// The section of the field list in use, and the next field's offset.
    line: &'static str,
    idx: usize,
}

impl<'a> Raw<'a> {
    pub fn new(out: &'a mut dyn Write, time: &'a [u8]) -> Raw<'a> {
        Raw { out, time, line: "", idx: 0 }
    }

    /// Start a row with `TIME; FIELD`: the first field of section `sec` of
    /// `fields`.
    pub fn head(&mut self, fields: &'static str, sec: usize) -> io::Result<()> {
        self.head_pre(fields, sec, format_args!(""))
    }

    /// [`Raw::head`] with `pre` between the time and the field (the disk
    /// report's `major; 8; minor; 0; `).
    pub fn head_pre(&mut self, fields: &'static str, sec: usize, pre: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.line = fields.split('|').nth(sec).unwrap_or("");
        self.idx = 0;
        self.out.write_all(self.time)?;
        write!(self.out, "; {pre}")?;
        let f = self.field();
        self.out.write_all(f.as_bytes())
    }

    /// The next field name.
    pub fn field(&mut self) -> &'static str {
        let rest = self.line.get(self.idx..).unwrap_or("");
        match rest.find([';', '&']) {
            Some(j) => {
                self.idx += j + 1;
                &rest[..j]
            }
            None => {
                self.idx = self.line.len();
                rest
            }
        }
    }

    /// Skip a field that has no raw counter (a percentage, say).
    pub fn skip(&mut self) {
        self.field();
    }

    /// `; prev; curr;`
    pub fn pair(&mut self, p: u64, c: u64) -> io::Result<()> {
        write!(self.out, "; {p}; {c};")
    }

    /// ` FIELD; prev; curr;`
    pub fn next_pair(&mut self, p: u64, c: u64) -> io::Result<()> {
        let f = self.field();
        write!(self.out, " {f}; {p}; {c};")
    }

    /// ` FIELD; value;`
    pub fn next_value(&mut self, v: impl Display) -> io::Result<()> {
        let f = self.field();
        write!(self.out, " {f}; {v};")
    }

    /// ` NAME; prev; curr;` with a name of its own.
    pub fn named_pair(&mut self, name: &str, p: u64, c: u64) -> io::Result<()> {
        write!(self.out, " {name}; {p}; {c};")
    }

    /// ` NAME; value;` with a name of its own.
    pub fn named_value(&mut self, name: &str, v: impl Display) -> io::Result<()> {
        write!(self.out, " {name}; {v};")
    }

    /// ` FIELD; bytes;`
    pub fn next_bytes(&mut self, b: &[u8]) -> io::Result<()> {
        let f = self.field();
        write!(self.out, " {f}; ")?;
        self.out.write_all(b)?;
        self.out.write_all(b";")
    }

    /// `; value;`
    pub fn value(&mut self, v: impl Display) -> io::Result<()> {
        write!(self.out, "; {v};")
    }

    /// ` CPUn; prev; curr;` for CPU slot `cpu` (0 is "all") of a `CPU*` field.
    pub fn cpu_pair(&mut self, cpu: usize, p: u64, c: u64) -> io::Result<()> {
        let rest = self.line.get(self.idx..).unwrap_or("");
        let pfx = rest.split('*').next().unwrap_or("");
        if cpu == 0 {
            write!(self.out, " all; {p}; {c};")
        } else {
            write!(self.out, " {pfx}{}; {p}; {c};", cpu - 1)
        }
    }

    /// Raw bytes.
    pub fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)
    }

    pub fn end(&mut self) -> io::Result<()> {
        self.out.write_all(b"\n")
    }
}

/// C's `%f`.
pub struct F6(pub f64);

impl Display for F6 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.6}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_sections_and_cpus() {
        let mut out = Vec::new();
        let mut r = Raw::new(&mut out, b"t");
        r.head("a;b&c|s1;s2", 0).unwrap();
        r.pair(1, 2).unwrap();
        r.next_pair(3, 4).unwrap();
        r.skip();
        r.end().unwrap();
        r.head("a;b&c|s1;s2", 1).unwrap();
        r.next_value(5).unwrap();
        r.end().unwrap();
        r.head_pre("INTR;CPU*", 0, format_args!("n; {}; ", 7)).unwrap();
        r.cpu_pair(0, 1, 2).unwrap();
        r.cpu_pair(3, 1, 2).unwrap();
        r.end().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "t; a; 1; 2; b; 3; 4;\nt; s1 s2; 5;\nt; n; 7; INTR all; 1; 2; CPU2; 1; 2;\n"
        );
    }
}
