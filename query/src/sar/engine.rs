//! sar's text, printed through the record walk ([`crate::walk`]).
//!
//! From a file (sar's `read_stats_from_file`) each pass over a segment
//! prints one report output, then its Average; live (`read_stats`) each
//! interval prints every report, and the Average ends the run. The walk
//! selects the records; the sinks here only print them, with sar's header
//! repetition.

use std::io::{self, Write};

use super::fmt::{special_text, Colors, Display, Out};
use super::options::TimeLimit;
use super::report::{Ctx, Report};
use super::timefmt::{Stamp, TimeStyle};
use crate::walk::{
    Average, Clock, Cursor, Dating, Fail, Interval, Kind, Pass, Selection, Sink, Special, Structure, Walk,
};

/// The settings a run needs besides the reports.
pub struct Settings {
    pub style: TimeStyle,
    pub display: Display,
    /// The colours, when on.
    pub colors: Option<Colors>,
    pub rows: u64,
    pub interval: i64,
    pub count: i64,
    pub tm_start: TimeLimit,
    pub tm_end: TimeLimit,
    pub comments: bool,
    pub cpu_nr: u32,
}

impl Settings {
    fn selection(&self) -> Selection {
        Selection { interval: self.interval, count: self.count, start: self.tm_start, end: self.tm_end }
    }
}

/// What sar's text prints with, from a file or live.
struct Text<'w> {
    style: TimeStyle,
    cx: Ctx<'w>,
    /// CPUs plus one, as the last restart said.
    cpu_nr: u32,
    comments: bool,
}

impl Text<'_> {
    /// sar's `write_stats`: the rows of the pass's reports for one
    /// interval; true if a report had items to show.
    fn stats(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> io::Result<bool> {
        let Some(pt) = iv.prev_time else { return Ok(false) };
        self.cx.ts[iv.prev] = Stamp::time(&pt.tm, self.style);
        self.cx.ts[iv.curr] = Stamp::time(&iv.time.tm, self.style);
        self.cx.avg_count += 1;
        let mut shown = false;
        let n = reports.len();
        for r in &mut reports[pass.reports(n)] {
            if r.nr(iv.curr) > 0 {
                r.print(&mut self.cx, iv.prev, iv.curr, iv.itv)?;
                shown = true;
            }
        }
        Ok(shown)
    }

    /// sar's `write_stats_avg`: the Average rows of the pass's reports.
    fn average(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, avg: &Average) -> io::Result<()> {
        let curr = avg.last;
        let text = Stamp::text("Average:");
        self.cx.ts[curr] = text;
        self.cx.ts[1 - curr] = if self.cx.out.display().minmax { Stamp::text("Summary:") } else { text };
        let n = reports.len();
        for r in &mut reports[pass.reports(n)] {
            if r.nr(curr) > 0 {
                r.print_avg(&mut self.cx, curr, avg.itv)?;
            }
        }
        Ok(())
    }

    /// `print_special_record`: a restart or a comment; true if printed.
    fn special(&mut self, sp: &Special<'_>) -> io::Result<bool> {
        let Some(rt) = sp.time else { return Ok(false) };
        let stamp = Stamp::time(&rt.tm, self.style);
        let out = &mut self.cx.out;
        match sp.hdr.kind {
            Kind::Restart => {
                self.cpu_nr = sp.hdr.cpu_nr;
                if !sp.in_range {
                    return Ok(false);
                }
                out.write_all(b"\n")?;
                stamp.write_padded(out)?;
                let text = format!("  LINUX RESTART\t({} CPU)", if self.cpu_nr > 1 { self.cpu_nr - 1 } else { 1 });
                special_text(out, true, text.as_bytes())?;
                out.write_all(b"\n")?;
            }
            Kind::Comment => {
                if !sp.in_range || !self.comments {
                    return Ok(false);
                }
                stamp.write_padded(out)?;
                let mut buf = [0u8; 63];
                let c = sp.hdr.comment_text(&mut buf);
                let mut text = [0u8; 69];
                text[..6].copy_from_slice(b"  COM ");
                text[6..6 + c.len()].copy_from_slice(c);
                special_text(out, false, &text[..6 + c.len()])?;
                out.write_all(b"\n")?;
            }
            Kind::Stats => return Ok(false),
        }
        Ok(true)
    }
}

/// sar's text from a file: one report output per pass, its header again
/// every `rows` lines.
struct FileText<'w> {
    text: Text<'w>,
    rows: u64,
    /// Lines since the header.
    lines: u64,
    /// Lines a sample of the pass's report counts, if fixed.
    inc: Option<u64>,
}

impl Sink for FileText<'_> {
    fn begin_pass(&mut self, reports: &mut [Box<dyn Report>], pass: Pass) -> Result<(), Fail> {
        if let Pass::One(ri) = pass {
            if let Some(r) = reports.get_mut(ri) {
                // sar's `xinit`: extrema cover one report's samples of one segment.
                r.reset_extrema();
                self.inc = r.line_inc();
            }
        }
        self.lines = 0;
        Ok(())
    }

    fn record(&mut self, _kind: Option<Kind>) -> Result<(), Fail> {
        if self.lines >= self.rows || self.lines == 0 {
            self.lines = 0;
            self.text.cx.show_header = true;
        } else {
            self.text.cx.show_header = false;
        }
        Ok(())
    }

    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        let shown = self.text.stats(reports, pass, iv)?;
        if shown {
            let n = reports.len();
            self.lines +=
                self.inc.unwrap_or_else(|| reports[pass.reports(n)].iter().map(|r| r.nr(iv.prev).max(0) as u64).sum());
        }
        Ok(shown)
    }

    fn end_pass(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, avg: &Average) -> Result<(), Fail> {
        if avg.taken > 0 {
            self.text.average(reports, pass, avg)?;
            self.text.cx.avg_count = 0;
        }
        Ok(())
    }

    fn restart(&mut self, sp: &Special<'_>) -> Result<(), Fail> {
        self.text.special(sp)?;
        Ok(())
    }

    fn comment(&mut self, sp: &Special<'_>) -> Result<bool, Fail> {
        let shown = self.text.special(sp)?;
        if shown && self.lines > 0 {
            self.lines += 1;
        }
        Ok(shown)
    }
}

/// Live sar's text: every report each interval, the header again every
/// `rows` samples unless every sample repeats it.
struct LiveText<'w> {
    text: Text<'w>,
    /// sar's `dis_hdr`: every sample prints its header lines.
    every_header: bool,
    rows: u64,
    lines: u64,
}

impl Sink for LiveText<'_> {
    fn record(&mut self, kind: Option<Kind>) -> Result<(), Fail> {
        match kind {
            // The stream ended on an interrupt: sar's handler skips the
            // "^C" echoed on the terminal.
            None => self.text.cx.out.write_all(b"\n")?,
            Some(_) if !self.every_header => {
                self.text.cx.show_header = self.lines / self.rows != 0;
                if self.text.cx.show_header {
                    self.lines %= self.rows;
                }
                self.lines += 1;
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn interval(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        self.text.stats(reports, pass, iv)?;
        self.text.cx.out.flush()?;
        Ok(true)
    }

    fn end_pass(&mut self, reports: &mut [Box<dyn Report>], pass: Pass, avg: &Average) -> Result<(), Fail> {
        self.text.cx.show_header = self.every_header;
        if self.text.cx.avg_count > 0 {
            self.text.average(reports, pass, avg)?;
        }
        self.text.cx.out.flush()?;
        Ok(())
    }
}

fn text<'w>(set: &'w Settings, out: &'w mut dyn Write) -> Text<'w> {
    Text {
        style: set.style,
        cx: Ctx {
            out: Out::new(out, set.display, set.colors.as_ref()),
            ts: [Stamp::default(); 2],
            show_header: true,
            avg_count: 0,
        },
        cpu_nr: set.cpu_nr,
        comments: set.comments,
    }
}

/// Print every report of an open file: sar's `read_stats_from_file`, from
/// the first record on (the host line is printed by the caller).
pub fn run(cursor: Cursor, mut reports: Vec<Box<dyn Report>>, set: &Settings, out: &mut dyn Write) -> Result<(), Fail> {
    let mut sink = FileText { text: text(set, out), rows: set.rows, lines: 0, inc: None };
    Walk::new(&mut reports, set.selection(), Clock::default(), Dating::Sar, Structure::PerOutput).run(cursor, &mut sink)
}

/// `sar 0`: every report once, since boot, from a live stream's first record.
pub fn run_since_boot(
    cursor: Cursor,
    mut reports: Vec<Box<dyn Report>>,
    set: &Settings,
    out: &mut dyn Write,
) -> Result<(), Fail> {
    let mut sink = LiveText { text: text(set, out), every_header: true, rows: 1, lines: 0 };
    Walk::new(&mut reports, set.selection(), Clock::default(), Dating::Sar, Structure::PerOutput)
        .since_boot(cursor, &mut sink)
}

/// Print every report of a live stream, in the order given: sar's
/// `read_stats`. Returns false when the stream ended without `interrupted`.
pub fn run_live(
    cursor: Cursor,
    mut reports: Vec<Box<dyn Report>>,
    set: &Settings,
    every_header: bool,
    out: &mut dyn Write,
    interrupted: &dyn Fn() -> bool,
) -> Result<bool, Fail> {
    let rows = set.rows.max(1);
    let mut sink = LiveText { text: text(set, out), every_header, rows, lines: rows };
    Walk::new(&mut reports, set.selection(), Clock::default(), Dating::Sar, Structure::PerOutput).live(
        cursor,
        &mut sink,
        interrupted,
    )
}
