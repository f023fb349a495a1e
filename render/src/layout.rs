//! Where each view goes and how its axes are scaled, following sadf's
//! geometry so a sadf user finds things where they expect them.

use crate::model::{finite, Document, Graph, Kind, Panel, Section};
use crate::options::Options;

/// A view and the gap to the next one.
pub const CELL_W: i32 = 1060;
pub const CELL_H: i32 = 310;
/// A view.
pub const VIEW_W: i32 = 1050;
pub const VIEW_H: i32 = 300;
/// The plot inside a view.
pub const PLOT_X: i32 = 70;
pub const PLOT_Y: i32 = 50;
pub const PLOT_W: i32 = 720;
pub const PLOT_H: i32 = 200;
/// Above the first view: the header line, then one line per contents entry.
pub const HEADER_H: i32 = 60;
pub const TOC_LINE_H: i32 = 20;
pub const MIN_CANVAS_H: i32 = 100;
const MAX_VIEWS_PER_ROW: usize = 6;

/// One view to draw, at (`x`, `y`) on the canvas.
pub struct Placed<'a> {
    pub graph: &'a Graph,
    pub panel: &'a Panel,
    /// Palette slot of the panel's first series.
    pub color_base: usize,
    pub x: i32,
    pub y: i32,
}

/// A section and the views it got.
pub struct PlacedSection<'a> {
    pub section: &'a Section,
    pub views: Vec<Placed<'a>>,
}

pub struct Plan<'a> {
    pub width: i32,
    pub height: i32,
    /// Where views start, after the header and contents.
    pub top: i32,
    pub sections: Vec<PlacedSection<'a>>,
    /// Sections listed in the contents (those with graphs).
    pub toc: Vec<&'a Section>,
    pub time: TimeAxis,
}

impl Plan<'_> {
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.views.is_empty())
    }
}

pub fn plan<'a>(doc: &'a Document, o: &Options) -> Plan<'a> {
    let toc: Vec<&Section> = doc.sections.iter().filter(|s| !s.graphs.is_empty()).collect();
    let top = HEADER_H + if o.show_toc { TOC_LINE_H.saturating_mul(toc.len() as i32) } else { 0 };
    let per_row = if o.packed {
        doc.sections.iter().map(|s| s.graphs.len()).max().unwrap_or(1).clamp(1, MAX_VIEWS_PER_ROW)
    } else {
        1
    };
    let mut rows: i64 = 0;
    let mut sections = Vec::new();
    for s in &doc.sections {
        let mut views = Vec::new();
        for item in items(s) {
            let mut base = 0usize;
            let mut in_row = 0usize;
            for g in &s.graphs {
                let Some(p) = g.panels.iter().find(|p| p.title == item) else { continue };
                let color_base = base;
                base += p.series.len();
                if o.skip_empty && is_empty(p) {
                    continue;
                }
                if in_row == per_row.max(1) || (!o.packed && in_row > 0) {
                    rows += 1;
                    in_row = 0;
                }
                let x = CELL_W * in_row as i32;
                let y = top as i64 + CELL_H as i64 * rows;
                views.push(Placed { graph: g, panel: p, color_base, x, y: y.min(i32::MAX as i64) as i32 });
                in_row += 1;
            }
            if in_row > 0 {
                rows += 1;
            }
        }
        sections.push(PlacedSection { section: s, views });
    }
    let needed = (top as i64 + CELL_H as i64 * rows).min(i32::MAX as i64) as i32;
    let height = o.height.map_or(needed, |h| h.min(i32::MAX as u32) as i32).max(MIN_CANVAS_H);
    Plan { width: CELL_W * per_row as i32, height, top, sections, toc, time: TimeAxis::new(doc, o) }
}

/// Item names of a section, in the order they first appear.
fn items(s: &Section) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    for g in &s.graphs {
        for p in &g.panels {
            if !v.contains(&p.title.as_str()) {
                v.push(&p.title);
            }
        }
    }
    v
}

/// sadf's `skipempty` test: the view's largest value rounds to zero.
fn is_empty(p: &Panel) -> bool {
    p.series.iter().flat_map(|s| finite(&s.points)).all(|(_, v)| v < 0.005)
}

/// The ends of the time axis of a picture from `start` to `end`: the whole
/// local day with `one_day`, at least a second.
pub(crate) fn axis_bounds(mut start: i64, mut end: i64, o: &Options) -> (i64, i64) {
    if o.one_day {
        let local = start.saturating_add(o.tz_offset);
        start = local.div_euclid(86_400).saturating_mul(86_400).saturating_sub(o.tz_offset);
        end = end.max(start.saturating_add(86_400));
    }
    if end <= start {
        end = start.saturating_add(1);
    }
    (start, end)
}

/// The time axis shared by all views.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeAxis {
    pub start: i64,
    pub end: i64,
    /// Seconds between vertical grid lines.
    pub step: i64,
    /// At most this many steps after the first line.
    pub max_lines: i64,
    pub offset: i64,
    pub one_day: bool,
    pub has_data: bool,
}

impl TimeAxis {
    fn new(doc: &Document, o: &Options) -> TimeAxis {
        let span = doc
            .sections
            .iter()
            .flat_map(|s| &s.graphs)
            .flat_map(|g| &g.panels)
            .flat_map(|p| &p.series)
            .filter_map(|s| s.time_span())
            .fold(None, |acc: Option<(i64, i64)>, (a, b)| Some(acc.map_or((a, b), |(x, y)| (x.min(a), y.max(b)))));
        let has_data = span.is_some();
        let (first, last) = span.unwrap_or((0, 0));
        let (start, end) = axis_bounds(doc.start.unwrap_or(first), doc.end.unwrap_or(last), o);
        let lines = if o.one_day { 12 } else { 10 };
        let width = end.saturating_sub(start);
        let step = if width <= lines { 1 } else { width / lines };
        TimeAxis { start, end, step, max_lines: 2 * lines, offset: o.tz_offset, one_day: o.one_day, has_data }
    }

    /// Horizontal pixel of `t`, from the plot's left edge, not rounded.
    pub fn x(&self, t: i64) -> f64 {
        (t as f64 - self.start as f64) * PLOT_W as f64 / (self.end as f64 - self.start as f64)
    }

    /// Grid lines: their time and label.
    pub fn ticks(&self) -> Vec<(i64, String)> {
        let mut v = Vec::new();
        let mut t = self.start;
        for _ in 0..=self.max_lines {
            if t > self.end {
                break;
            }
            let local = t.saturating_add(self.offset).rem_euclid(86_400);
            let (h, m, s) = (local / 3600, local / 60 % 60, local % 60);
            v.push((t, if self.one_day && m == 0 { format!("{h:2}:00") } else { format!("{h:02}:{m:02}:{s:02}") }));
            match t.checked_add(self.step) {
                Some(n) => t = n,
                None => break,
            }
        }
        v
    }
}

/// The vertical scale of one view.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Top of the axis.
    pub max: f64,
    /// Value between horizontal grid lines, and decimals of their labels.
    pub step: f64,
    pub decimals: usize,
    /// `autoscale` factor of each series.
    pub factor: Vec<u32>,
    /// Each series' smallest and largest value.
    pub extrema: Vec<Option<(f64, f64)>>,
}

impl Scale {
    /// `None`: no series has a value ("No data").
    pub fn new(g: &Graph, p: &Panel, o: &Options) -> Option<Scale> {
        let ext: Vec<Option<(f64, f64)>> = p.series.iter().map(|s| s.extrema()).collect();
        let gmax = ext.iter().flatten().map(|e| e.1).fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))))?;
        let mut factor = vec![1u32; p.series.len()];
        let (max, step, decimals) = match g.kind {
            Kind::Line => {
                let mut lmax = if gmax == 0.0 { 1.0 } else { gmax };
                lmax = lmax.max(0.03);
                let (step, dp) = ygrid(lmax);
                if o.autoscale && p.series.len() > 1 {
                    for (f, e) in factor.iter_mut().zip(&ext) {
                        if let Some((_, m)) = e {
                            if *m != 0.0 && *m != gmax {
                                // Saturating cast: a zero or negative ratio gives 0 -> factor 1.
                                let digits = ((gmax / m) as u32).to_string().len() as u32;
                                *f = 10u32.saturating_pow(digits - 1);
                            }
                        }
                    }
                }
                (lmax, step, dp)
            }
            Kind::Stacked => (if gmax > 100.0 { gmax } else { 100.0 }, 25.0, 0),
        };
        Some(Scale { max, step, decimals, factor, extrema: ext })
    }

    /// Grid values from 0 up, at most ten.
    pub fn lines(&self) -> Vec<f64> {
        let mut v = vec![0.0];
        let mut j = 1.0;
        while self.step > 0.0 && self.step * j <= self.max && v.len() < 10 {
            v.push(self.step * j);
            j += 1.0;
        }
        v
    }

    /// Vertical pixel of `v`, from the plot's bottom edge up, not rounded.
    pub fn y(&self, v: f64) -> f64 {
        v * PLOT_H as f64 / self.max
    }
}

/// sadf's choice of a round grid step for about three lines.
fn ygrid(lmax: f64) -> (f64, usize) {
    let n = (lmax / 3.0) as i64;
    if n == 0 {
        return (lmax / 3.0, 2);
    }
    let l = n.to_string().len() as u32;
    if l < 2 {
        return (n as f64, 0);
    }
    let e = 10i64.pow(l - 1);
    ((n / e * e) as f64, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Series;

    #[test]
    fn ygrid_matches_sadf() {
        assert_eq!(ygrid(32.08), (10.0, 0));
        assert_eq!(ygrid(0.31), (0.31 / 3.0, 2));
        assert_eq!(ygrid(4286.64), (1000.0, 0));
        assert!(ygrid(f64::MAX).0 > 0.0);
    }

    #[test]
    fn autoscale_factors() {
        let g = Graph { kind: Kind::Line, ..Default::default() };
        let p = Panel {
            title: String::new(),
            series: vec![
                Series::new("a", vec![Some((0, 1000.0))]),
                Series::new("b", vec![Some((0, 3.0))]),
                Series::new("c", vec![Some((0, 0.0))]),
            ],
        };
        let o = Options { autoscale: true, ..Default::default() };
        assert_eq!(Scale::new(&g, &p, &o).unwrap().factor, vec![1, 100, 1]);
        assert_eq!(Scale::new(&g, &p, &Options::default()).unwrap().factor, vec![1, 1, 1]);
    }

    #[test]
    fn ticks_and_one_day() {
        let doc = Document { start: Some(3600 * 5 + 7), end: Some(3600 * 7), ..Default::default() };
        let o = Options { one_day: true, tz_offset: 3600, ..Default::default() };
        let t = TimeAxis::new(&doc, &o);
        assert_eq!(t.start, -3600);
        assert_eq!(t.end, 86_400 - 3600);
        let ticks = t.ticks();
        assert_eq!(ticks.len(), 13);
        assert_eq!(ticks[0].1, " 0:00");
        assert_eq!(ticks[12].1, " 0:00");
        assert_eq!(ticks[1].1, " 2:00");
    }
}
