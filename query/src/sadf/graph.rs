//! `sadf -g`: the selected activities as graphs, in SVG or (`-O png`) PNG.
//!
//! Records are selected once for every activity by the walk
//! ([`Structure::Rebase`], as sadf's SVG loop does): the first statistics
//! record within `-s`/`-e` starts the axis, then every record up to `-e` or
//! `count`, thinned by the interval; a LINUX RESTART breaks every line. Each record's numbers come
//! from the reports' [`Report::values`]; this module only chooses which
//! columns each view shows (sadf's `svg_stats.c` layout), divides by 1024
//! where sadf shows MB, and builds a [`sarkit_render::Document`]. Each
//! item's values are kept as compact columns until the last record is
//! known, then streamed through render's [`Decimation`], which keeps what
//! the picture can show.

use std::io::{self, Write};

use sarkit_format::time::{self, BrokenDown};
use sarkit_format::ActivityId;
use sarkit_render::{self as render, Decimation, Document, Graph, Kind, Panel, Section, Series};

use crate::registry::views::{ActivityViews, SeriesSpec, View};

use super::export::open;
use super::options::{Options as SadfOptions, Palette as SadfPalette};
use crate::sar::report::values::{Item, RowSink, Shape, Val};
use crate::sar::report::Report;
use crate::sar::timefmt::{broken_down, Stamp};
use crate::walk::{self, Clock, Cursor, Dating, Fail, Hdr, Interval, Pass, Selection, Sink, Special, Structure, Walk};

/// The views the registry gives activity `id`.
fn act_spec(id: ActivityId) -> Option<&'static ActivityViews> {
    crate::registry::activity(id).and_then(|a| a.views)
}

/// Which item a panel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    None,
    Cpu(usize),
    Num(&'static str, u64),
    Name(Vec<u8>),
}

impl Key {
    fn of(item: Item<'_>) -> Key {
        match item {
            Item::None => Key::None,
            Item::Cpu(i) => Key::Cpu(i),
            Item::Num(p, n) => Key::Num(p, n),
            Item::Name(n) => Key::Name(n.to_vec()),
        }
    }

    fn is(&self, item: Item<'_>) -> bool {
        match (self, item) {
            (Key::None, Item::None) => true,
            (Key::Cpu(a), Item::Cpu(b)) => *a == b,
            (Key::Num(p, a), Item::Num(q, b)) => *p == q && *a == b,
            (Key::Name(a), Item::Name(b)) => a.as_slice() == b,
            _ => false,
        }
    }
}

/// sadf's item name: `all` or the CPU number, `1: coretemp` for sensors
/// (the row's rank and device), the interface or device name.
fn label(item: Item<'_>, vals: &[Val<'_>], rank: usize) -> String {
    match item {
        Item::None => String::new(),
        Item::Cpu(0) => "all".into(),
        Item::Cpu(i) => (i - 1).to_string(),
        Item::Num(p, n) => match vals.first() {
            Some(Val::S(dev)) => format!("{}: {}", rank + 1, String::from_utf8_lossy(dev)),
            _ => format!("{p}{n}"),
        },
        Item::Name(n) => String::from_utf8_lossy(n).into_owned(),
    }
}

/// One item's values over time, compact: shared time stamps, the indices
/// before which a line breaks, and one column of numbers per series.
struct Store {
    key: Key,
    label: String,
    times: Vec<i64>,
    breaks: Vec<u32>,
    vals: Vec<Vec<f64>>,
    /// The displayed record this item was last seen in.
    last: u64,
}

impl Store {
    fn new(key: Key, label: String, nser: usize) -> Store {
        Store { key, label, times: Vec::new(), breaks: Vec::new(), vals: vec![Vec::new(); nser], last: 0 }
    }

    /// Series `k`, divided by `div`, with its breaks, through a line decimator.
    fn line(&self, k: usize, div: f64, dec: &Decimation) -> Vec<render::Point> {
        let mut line = dec.line();
        let mut b = self.breaks.iter().peekable();
        let vals = self.vals.get(k).map_or(&[][..], Vec::as_slice);
        for (n, (&t, &v)) in self.times.iter().zip(vals).enumerate() {
            if self.break_before(&mut b, n) {
                line.push(None);
            }
            line.push(Some((t, if div == 1.0 { v } else { v / div })));
        }
        line.finish()
    }

    /// Series `ks`, each divided by its `divs`, as the bands of a stacked
    /// view, through a stacked decimator.
    fn stacked(&self, ks: &[usize], divs: &[f64], dec: &Decimation) -> Vec<Vec<render::Point>> {
        let mut bands = dec.stacked(ks.len());
        let mut b = self.breaks.iter().peekable();
        let cols: Vec<&[f64]> = ks.iter().map(|&k| self.vals.get(k).map_or(&[][..], Vec::as_slice)).collect();
        let mut row = vec![0.0; ks.len()];
        for (n, &t) in self.times.iter().enumerate() {
            if self.break_before(&mut b, n) {
                bands.push_break();
            }
            for ((v, col), &div) in row.iter_mut().zip(&cols).zip(divs) {
                let x = col.get(n).copied().unwrap_or(f64::NAN);
                *v = if div == 1.0 { x } else { x / div };
            }
            bands.push(t, &row);
        }
        bands.finish()
    }

    /// Whether a line breaks before record `n`, consuming the breaks up to it.
    fn break_before(&self, b: &mut std::iter::Peekable<std::slice::Iter<'_, u32>>, n: usize) -> bool {
        let mut brk = false;
        while b.peek().is_some_and(|&&i| i as usize <= n) {
            brk = true;
            b.next();
        }
        brk
    }
}

/// One output of one selected report and what it has gathered.
struct ReportOutput {
    report: usize,
    /// The output to select before reading (0: leave the report as it is).
    mask: u32,
    views: &'static [View],
    /// Kept series: view index, spec, column in the report's row.
    series: Vec<(usize, &'static SeriesSpec, usize)>,
    /// Items without rows (`Shape::Single`) get one unnamed panel.
    single: bool,
    panels: Vec<Store>,
    cpu_map: Vec<usize>,
    hint: usize,
}

impl ReportOutput {
    fn find(&mut self, item: Item<'_>, vals: &[Val<'_>], rank: usize) -> usize {
        if let Item::Cpu(i) = item {
            if let Some(&k) = self.cpu_map.get(i).filter(|&&k| k != usize::MAX) {
                return k;
            }
        } else if self.panels.get(self.hint).is_some_and(|p| p.key.is(item)) {
            let k = self.hint;
            self.hint += 1;
            return k;
        } else if let Some(k) = self.panels.iter().position(|p| p.key.is(item)) {
            self.hint = k + 1;
            return k;
        }
        let k = self.panels.len();
        self.panels.push(Store::new(Key::of(item), label(item, vals, rank), self.series.len()));
        if let Item::Cpu(i) = item {
            if self.cpu_map.len() <= i {
                self.cpu_map.resize(i + 1, usize::MAX);
            }
            self.cpu_map[i] = k;
        } else {
            self.hint = k + 1;
        }
        k
    }
}

/// Receives one report's rows for one record.
struct Rows<'a> {
    part: &'a mut ReportOutput,
    t: i64,
    rec: u64,
    restart: bool,
    rank: usize,
}

impl RowSink for Rows<'_> {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let k = self.part.find(item, vals, self.rank);
        self.rank += 1;
        let p = &mut self.part.panels[k];
        if !p.times.is_empty() && (self.restart || p.last + 1 != self.rec) {
            p.breaks.push(p.times.len().min(u32::MAX as usize) as u32);
        }
        p.times.push(self.t);
        p.last = self.rec;
        for ((_, _, col), out) in self.part.series.iter().zip(p.vals.iter_mut()) {
            out.push(vals.get(*col).map_or(f64::NAN, Val::num));
        }
        Ok(())
    }
}

/// The first record read and the last one shown.
struct Span {
    first: Hdr,
    last: Option<i64>,
}

/// The parts as the walk's sink: each interval's rows go to every part.
struct Collect<'a> {
    parts: &'a mut [ReportOutput],
    /// Intervals taken so far.
    rec: u64,
    /// A restart since the last interval: every line breaks.
    restart: bool,
    last: Option<i64>,
    /// The walk found a first record.
    ended: bool,
}

impl Sink for Collect<'_> {
    fn interval(&mut self, reports: &mut [Box<dyn Report>], _pass: Pass, iv: &Interval) -> Result<bool, Fail> {
        let t = iv.hdr.ust_time as i64;
        let (rec, restart) = (self.rec, self.restart);
        for part in self.parts.iter_mut() {
            let Some(r) = reports.get_mut(part.report) else { continue };
            if r.nr(iv.curr) <= 0 {
                continue;
            }
            let all = r.outputs();
            if part.mask != 0 {
                r.set_output(part.mask);
            }
            let res = r.values(iv.prev, iv.curr, iv.itv, &mut Rows { part, t, rec, restart, rank: 0 });
            if part.mask != 0 {
                r.set_output(all);
            }
            res?;
        }
        self.rec += 1;
        self.restart = false;
        self.last = Some(t);
        Ok(true)
    }

    fn end_pass(&mut self, _: &mut [Box<dyn Report>], _: Pass, _: &walk::Average) -> Result<(), Fail> {
        self.ended = true;
        Ok(())
    }

    fn restart(&mut self, _sp: &Special<'_>) -> Result<(), Fail> {
        self.restart = true;
        Ok(())
    }
}

/// Reads the records, feeding every part; `None` if no record qualifies.
fn collect(
    cur: Cursor,
    reports: &mut [Box<dyn Report>],
    parts: &mut [ReportOutput],
    sel: Selection,
    clock: Clock,
) -> Result<Option<Span>, Fail> {
    let mut sink = Collect { parts, rec: 0, restart: true, last: None, ended: false };
    let mut walk = Walk::new(reports, sel, clock, Dating::Sadf, Structure::Rebase);
    walk.run(cur, &mut sink)?;
    Ok(sink.ended.then(|| Span { first: *walk.first(), last: sink.last }))
}

/// Local UTC offset at `t` (`tm_gmtoff`).
fn local_offset(t: i64) -> i64 {
    BrokenDown::local(t).map_or(0, |tm| tm.utc_offset())
}

/// `tzname[0]`, as sadf names the local zone under `-T`.
fn local_zone_name() -> String {
    String::from_utf8_lossy(&time::standard_zone_name()).into_owned()
}

/// The recorder's UTC offset: its clock (`hms`) against the record's UTC
/// time, within a day.
fn recorder_offset(h: &Hdr) -> i64 {
    let local = h.hms[0] as i64 * 3600 + h.hms[1] as i64 * 60 + h.hms[2] as i64;
    let mut off = local - (h.ust_time as i64).rem_euclid(86_400);
    if off > 14 * 3600 {
        off -= 86_400;
    } else if off < -12 * 3600 {
        off += 86_400;
    }
    off
}

fn cstr(b: &[u8]) -> String {
    let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..n]).into_owned()
}

/// A part's panels turned into its views, appended to `graphs`.
fn graphs_of(part: ReportOutput, want_all: bool, dec: &Decimation, graphs: &mut Vec<Graph>) {
    let ReportOutput { views, series, mut panels, single, .. } = part;
    if panels.iter().any(|p| matches!(p.key, Key::Cpu(_))) || want_all {
        if want_all && !panels.iter().any(|p| p.key == Key::Cpu(0)) {
            panels.push(Store::new(Key::Cpu(0), "all".into(), series.len()));
        }
        panels.sort_by_key(|p| match p.key {
            Key::Cpu(i) => i,
            _ => usize::MAX,
        });
    } else if single && panels.is_empty() {
        panels.push(Store::new(Key::None, String::new(), series.len()));
    }
    for (vi, v) in views.iter().enumerate() {
        if !series.iter().any(|s| s.0 == vi) {
            continue;
        }
        let ks: Vec<usize> = (0..series.len()).filter(|&k| series[k].0 == vi).collect();
        let specs: Vec<&SeriesSpec> = ks.iter().map(|&k| series[k].1).collect();
        let divs: Vec<f64> = specs.iter().map(|s| s.div).collect();
        let panels = panels
            .iter()
            .map(|p| {
                let points = match v.kind {
                    Kind::Stacked => p.stacked(&ks, &divs, dec),
                    Kind::Line => ks.iter().zip(&divs).map(|(&k, &div)| p.line(k, div, dec)).collect(),
                };
                let series = ks
                    .iter()
                    .zip(&specs)
                    .zip(points)
                    .map(|((&k, spec), points)| Series {
                        name: spec.name.into(),
                        points,
                        integer: spec.int,
                        color: Some(k),
                    })
                    .collect();
                Panel { title: p.label.clone(), series }
            })
            .collect();
        graphs.push(Graph { title: v.title.into(), unit: String::new(), kind: v.kind, panels });
    }
}

/// Run `sadf -g`: write the picture to `out`, messages to `err`; returns
/// the exit status. Only a failure to write `out` is an error.
pub fn run(o: &SadfOptions, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let (paths, f, so) = match open(o, err)? {
        Ok(opened) => opened,
        Err(code) => return Ok(code),
    };
    let show_idle = o.output.show_idle;

    // Reports in file order, as sadf draws them; activities sadf has no
    // graphs for are left out, as sadf does.
    let mut reports: Vec<Box<dyn Report>> = Vec::new();
    let mut parts: Vec<ReportOutput> = Vec::new();
    let mut part_ids: Vec<u32> = Vec::new();
    let mut missing: Vec<String> = so.unsupported_flags.iter().map(|s| s.to_string()).collect();
    for (fa, st) in f.info.activities.iter().zip(&f.info.status) {
        let id = ActivityId(fa.id);
        if !so.is_selected(id)
            || !matches!(st, sarkit_format::reader::ActivityStatus::Known(_))
            || reports.iter().any(|r| r.id() == id)
        {
            continue;
        }
        let Some(spec) = act_spec(id) else { continue };
        let Some(mut r) = crate::sar::make_report(id, &so, fa.nr as i64, fa.nr2 as i64) else {
            missing.push(crate::sar::flag_of(id));
            continue;
        };
        let all = r.outputs();
        let mut found = false;
        for &(mask, views) in spec.outputs {
            if mask != 0 && all & mask == 0 {
                continue;
            }
            if mask != 0 {
                r.set_output(mask);
            }
            let meta = r.meta();
            if mask != 0 {
                r.set_output(all);
            }
            let Some(meta) = meta else { continue };
            found = true;
            let mut series = Vec::new();
            for (vi, v) in views.iter().enumerate() {
                for s in v.series {
                    if s.name == "%idle" && !show_idle {
                        continue;
                    }
                    let col = s.cols.split('|').find_map(|n| meta.cols.iter().position(|c| c.name == n));
                    if let Some(col) = col {
                        series.push((vi, s, col));
                    }
                }
            }
            let part = ReportOutput {
                report: reports.len(),
                mask,
                views,
                series,
                single: meta.shape == Shape::Single,
                panels: Vec::new(),
                cpu_map: Vec::new(),
                hint: 0,
            };
            parts.push(part);
            part_ids.push(id.0);
        }
        if found {
            reports.push(r);
        } else {
            missing.push(crate::sar::flag_of(id));
        }
    }
    // What is not implemented yet is left out, said once, and only fails
    // the run when nothing else can be drawn.
    if !missing.is_empty() {
        writeln!(err, "rsadf: -g of {} is not implemented yet", missing.join(", "))?;
        if reports.is_empty() {
            return Ok(1);
        }
    }

    let sel = Selection { interval: so.interval, count: so.count, start: so.tm_start, end: so.tm_end };
    // `-s`/`-e` compare UTC times, local ones with `-T`, the recorder's clock with `-t`.
    let clock = Clock { utc: !(o.local_time || o.true_time), recorder: o.true_time };
    let hdr = f.info.header.clone();
    let span = match collect(Cursor::chain(paths.clone(), f), &mut reports, &mut parts, sel, clock) {
        Ok(s) => s,
        Err(Fail::Io(e)) => return Err(e),
        Err(fail) => {
            let Some((e, path)) = fail.sa_error(&paths[0]) else { return Ok(0) };
            if e.kind() != sarkit_format::SysstatKind::SilentStop {
                let (msg, code) = e.sysstat_report(path);
                err.write_all(msg.as_bytes())?;
                return Ok(code);
            }
            None
        }
    };

    let style = o.environment.time_style;
    let (tz_offset, tz_name) = if o.local_time {
        let t = span.as_ref().map_or(hdr.sa_ust_time as i64, |s| s.first.ust_time as i64);
        (local_offset(t), local_zone_name())
    } else if o.true_time {
        (span.as_ref().map_or(0, |s| recorder_offset(&s.first)), cstr(&hdr.sa_tzname))
    } else {
        (0, "UTC".to_string())
    };
    let ropts = render::Options {
        autoscale: o.output.autoscale,
        height: o.output.height,
        one_day: o.output.one_day,
        packed: o.output.packed,
        show_idle,
        show_info: o.output.show_info,
        show_toc: o.output.show_toc,
        skip_empty: o.output.skip_empty,
        palette: match o.output.palette {
            SadfPalette::Default => render::Palette::default(),
            SadfPalette::BlackAndWhite => render::Palette::black_and_white(),
            SadfPalette::Custom => render::Palette::custom(o.environment.colors_palette.as_deref()),
        },
        tz_offset,
        tz_name,
        png_text: o.environment.png_text,
    };

    let tm = broken_down(hdr.sa_ust_time as i64, false).unwrap_or_default();
    let date = String::from_utf8_lossy(Stamp::date(&tm, style).as_bytes()).into_owned();
    let host = cstr(&hdr.sa_nodename);
    let cpus = if hdr.sa_cpu_nr > 1 { hdr.sa_cpu_nr - 1 } else { 1 };
    let header = format!(
        "{} {} ({}) \t{} \t_{}_\t({} CPU)",
        cstr(&hdr.sa_sysname),
        cstr(&hdr.sa_release),
        host,
        date,
        cstr(&hdr.sa_machine),
        cpus
    );
    let want_all = o.cpus.as_ref().is_none_or(|c| c.every || c.total);
    let mut doc = Document { header, host, date, start: None, end: None, sections: Vec::new() };
    if let Some(span) = &span {
        let start = span.first.ust_time as i64;
        doc.start = Some(start);
        doc.end = Some(span.last.unwrap_or(start));
        let dec = Decimation::new(start, span.last.unwrap_or(start), &ropts);
        for (id, part) in part_ids.iter().zip(parts) {
            if doc.sections.last().is_none_or(|s| s.id != *id) {
                let Some(spec) = act_spec(ActivityId(*id)) else { continue };
                let name = ActivityId(*id).info().map_or("", |i| i.name);
                doc.sections.push(Section { id: *id, name: name.into(), desc: spec.desc.into(), graphs: Vec::new() });
            }
            if let Some(s) = doc.sections.last_mut() {
                graphs_of(part, want_all && *id == 1, &dec, &mut s.graphs);
            }
        }
    }

    let r = if o.output.png { render::render_png(&doc, &ropts, out) } else { render::render_svg(&doc, &ropts, out) };
    match r {
        Ok(()) => Ok(0),
        Err(render::RenderError::Io(e)) => Err(e),
        Err(e) => {
            writeln!(err, "rsadf: {e}")?;
            Ok(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_part() -> ReportOutput {
        ReportOutput {
            report: usize::MAX,
            mask: 0,
            views: &[],
            series: Vec::new(),
            single: false,
            panels: Vec::new(),
            cpu_map: Vec::new(),
            hint: 0,
        }
    }

    #[test]
    fn every_view_has_series() {
        for a in crate::registry::ACTIVITIES {
            for (_, views) in a.views.map_or(&[][..], |v| v.outputs) {
                assert!(views.iter().all(|v| !v.series.is_empty() && !v.title.is_empty()), "{}", a.flag);
            }
        }
        assert!(act_spec(ActivityId::A_IRQ).is_none());
    }

    /// A graph's series name columns of the registry's tables: each one is
    /// a column (by sadf `-p` name) of some output of its activity.
    #[test]
    fn every_series_reads_a_registry_column() {
        let mut o = crate::sar::options::Options::default();
        let (mut names, mut o_all) = (Vec::new(), o.clone());
        (o.mem_memory, o_all.mem_memory, o_all.mem_swap, o_all.mem_all, o_all.cpu_all) = (true, true, true, true, true);
        for entry in crate::registry::ACTIVITIES {
            let Some(views) = entry.views else { continue };
            names.clear();
            for o in [&o, &o_all] {
                let mut r = (entry.make)(o, 2, 1);
                let outputs = r.outputs();
                for bit in (0..32).map(|b| 1u32 << b).filter(|b| outputs & b != 0) {
                    r.set_output(bit);
                    names.extend(r.meta().into_iter().flat_map(|m| m.cols.iter().map(|c| c.name)));
                }
            }
            for (_, views) in views.outputs {
                for s in views.iter().flat_map(|v| v.series) {
                    assert!(s.cols.split('|').any(|c| names.contains(&c)), "{}: {}", entry.flag, s.cols);
                }
            }
        }
    }

    #[test]
    fn labels_follow_sadf() {
        assert_eq!(label(Item::Cpu(0), &[], 0), "all");
        assert_eq!(label(Item::Cpu(3), &[], 0), "2");
        assert_eq!(label(Item::Num("temp", 1), &[Val::S(b"coretemp"), Val::F(1.0)], 2), "3: coretemp");
        assert_eq!(label(Item::Num("BAT", 0), &[Val::U(50)], 0), "BAT0");
        assert_eq!(label(Item::Name(b"eth0"), &[], 0), "eth0");
    }

    #[test]
    fn store_points_carry_breaks_and_scale() {
        let mut s = Store::new(Key::None, String::new(), 2);
        s.times = vec![10, 20, 30];
        s.vals[0] = vec![1024.0, 2048.0, 3072.0];
        s.vals[1] = vec![1.0, 2.0, 3.0];
        s.breaks = vec![2];
        // An axis with more pixels than points: nothing is decimated away.
        let dec = Decimation::new(10, 30, &render::Options::default());
        assert_eq!(s.line(0, 1024.0, &dec), vec![Some((10, 1.0)), Some((20, 2.0)), None, Some((30, 3.0))]);
        assert!(s.line(5, 1.0, &dec).is_empty());
        let bands = s.stacked(&[1, 0], &[1.0, 1024.0], &dec);
        assert_eq!(bands[0], vec![Some((10, 1.0)), Some((20, 2.0)), None, Some((30, 3.0))]);
        assert_eq!(bands[1], vec![Some((10, 1.0)), Some((20, 2.0)), None, Some((30, 3.0))]);
    }

    #[test]
    fn rows_break_on_restart_and_on_missing_records() {
        let mut part = empty_part();
        part.series = vec![(0, &crate::registry::views::A_CPU.outputs[0].1[0].series[0], 0)];
        for (rec, restart) in [(0, true), (1, false), (3, false), (4, true)] {
            let mut r = Rows { part: &mut part, t: rec as i64, rec, restart, rank: 0 };
            r.row(Item::Name(b"eth0"), &[Val::F(rec as f64)]).unwrap();
        }
        let p = &part.panels[0];
        assert_eq!(p.label, "eth0");
        assert_eq!(p.times, vec![0, 1, 3, 4]);
        assert_eq!(p.breaks, vec![2, 3]);
    }

    #[test]
    fn recorder_offset_within_a_day() {
        let h = Hdr { ust_time: 86_400 * 10 + 23 * 3600, hms: [1, 0, 0], ..Hdr::default() };
        assert_eq!(recorder_offset(&h), 2 * 3600);
        let h = Hdr { ust_time: 86_400 * 10 + 3600, hms: [20, 0, 0], ..Hdr::default() };
        assert_eq!(recorder_offset(&h), -5 * 3600);
    }
}
