//! Drawing one view with plotters, the same code for SVG and PNG.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::decimate::{decimate, decimate_iter};
use crate::layout::*;
use crate::model::{Kind, Point};
use crate::options::Options;

pub fn rgb(c: u32) -> RGBColor {
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

/// plotters' SVG backend writes `font-size` as size / 1.24.
pub fn font(px: f64, c: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    ("sans-serif", px * 1.24).into_font().color(&rgb(c)).pos(Pos::new(h, v))
}

type Res<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Text failures (no font for the bitmap) leave the text out, nothing else.
fn text<DB: DrawingBackend>(a: &DrawingArea<DB, Shift>, s: &str, at: (i32, i32), st: &TextStyle<'_>) {
    let _ = a.draw(&Text::new(xml_chars(s), at, st.clone()));
}

/// Replaces the characters XML 1.0 cannot carry even escaped (plotters
/// escapes markup only), so names from a file cannot break the document.
pub fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

pub struct Info<'a> {
    pub host: &'a str,
    pub date: &'a str,
}

/// Draws `v` into `a`, a `VIEW_W` × `VIEW_H` area.
pub fn view<DB: DrawingBackend>(
    a: &DrawingArea<DB, Shift>,
    v: &Placed<'_>,
    plan: &Plan<'_>,
    o: &Options,
    info: &Info<'_>,
) -> Res<DB> {
    let pal = &o.palette;
    let (g, p) = (v.graph, v.panel);
    a.draw(&Rectangle::new([(0, 0), (VIEW_W, VIEW_H)], rgb(pal.background).filled()))?;
    let title = if p.title.is_empty() { g.title.clone() } else { format!("{} [{}]", g.title, p.title) };
    text(a, &title, (0, 20), &font(16.0, pal.title, HPos::Left, VPos::Bottom));
    let legend_x = PLOT_X + PLOT_W + 5;
    text(a, "(Min, Max values)", (legend_x, 25), &font(12.0, pal.info, HPos::Left, VPos::Bottom));
    if !g.unit.is_empty() {
        text(a, &g.unit, (5, 40), &font(12.0, pal.info, HPos::Left, VPos::Bottom));
    }
    let scale = if plan.time.has_data { Scale::new(g, p, o) } else { None };
    let Some(scale) = scale else {
        text(a, "No data", (0, PLOT_Y), &font(16.0, pal.error, HPos::Left, VPos::Bottom));
        return Ok(());
    };
    let base = if pal.restart_per_view { 0 } else { v.color_base };
    let color = |j: usize| rgb(pal.series[p.series[j].color.unwrap_or(base + j) & 0xf]);

    // Legend.
    for (j, s) in p.series.iter().enumerate() {
        let f = scale.factor[j];
        let dp = if s.integer { 0 } else { 2 };
        let fx = if f == 1 { String::new() } else { format!("x{f} ") };
        let line = match scale.extrema[j] {
            Some((lo, hi)) => format!("{} {fx}({:.dp$}, {:.dp$})", s.name, lo * f as f64, hi * f as f64),
            None => s.name.clone(),
        };
        let y = PLOT_Y.saturating_add(15 * j.min(1000) as i32);
        text(a, &line, (legend_x, y), &font(12.0, 0, HPos::Left, VPos::Bottom).color(&color(j)));
    }
    if o.show_info {
        let st = font(14.0, pal.info, HPos::Right, VPos::Bottom);
        text(a, info.host, (VIEW_W - 5, PLOT_Y + PLOT_H), &st);
        text(a, info.date, (VIEW_W - 5, PLOT_Y + PLOT_H + 14), &st);
    }

    // Grid, bottom-up and left to right, with their labels.
    let bottom = PLOT_Y + PLOT_H;
    let grid = rgb(pal.grid);
    let axis_label = font(12.0, pal.axis, HPos::Right, VPos::Center);
    for (j, val) in scale.lines().into_iter().enumerate() {
        let y = bottom - px(scale.y(val));
        if j > 0 {
            a.draw(&PathElement::new(vec![(PLOT_X, y), (PLOT_X + PLOT_W, y)], grid))?;
        }
        text(a, &format!("{:.*}.", scale.decimals, val), (PLOT_X - 3, y), &axis_label);
    }
    let time_label = font(12.0, pal.axis, HPos::Center, VPos::Top);
    for (t, label) in plan.time.ticks() {
        let x = PLOT_X + px(plan.time.x(t));
        a.draw(&PathElement::new(vec![(x, PLOT_Y), (x, bottom)], grid))?;
        text(a, &label, (x, bottom + 6), &time_label);
    }
    text(a, &o.tz_name, (PLOT_X - 10, bottom + 30), &font(12.0, pal.info, HPos::Right, VPos::Bottom));

    // Data.
    match g.kind {
        Kind::Line => {
            for (j, s) in p.series.iter().enumerate() {
                let f = scale.factor[j] as f64;
                let c = color(j);
                for run in runs(&decimate(&s.points, plan.time.start, plan.time.end, PLOT_W as u32)) {
                    let mut pts = to_pixels(run, plan, &scale, f);
                    simplify(&mut pts);
                    if pts.len() == 1 {
                        pts.push((pts[0].0 + 1, pts[0].1));
                    }
                    a.draw(&PathElement::new(pts, c))?;
                }
            }
        }
        Kind::Stacked => {
            let all: Vec<&[Point]> = p.series.iter().map(|s| s.points.as_slice()).collect();
            let tops = stack(&all, plan.time.start, plan.time.end, PLOT_W as u32);
            for (j, top) in tops.iter().enumerate().rev() {
                let c = color(j).filled();
                for run in runs(top) {
                    let mut pts = to_pixels(run, plan, &scale, 1.0);
                    simplify(&mut pts);
                    let (Some(&(x0, _)), Some(&(x1, _))) = (pts.first(), pts.last()) else { continue };
                    pts.insert(0, (x0, bottom));
                    pts.push((x1.max(x0 + 1), bottom));
                    a.draw(&Polygon::new(pts, c))?;
                }
            }
        }
    }

    // Axes last, over the data's ends.
    a.draw(&PathElement::new(
        vec![(PLOT_X, PLOT_Y), (PLOT_X, bottom), (PLOT_X + PLOT_W, bottom)],
        rgb(pal.axis).stroke_width(2),
    ))?;
    Ok(())
}

/// Round to a pixel, never panicking on NaN or huge values.
fn px(v: f64) -> i32 {
    v.round().clamp(-1e6, 1e6) as i32
}

fn runs(d: &[Point]) -> impl Iterator<Item = &[Point]> {
    d.split(|p| p.is_none()).filter(|r| !r.is_empty())
}

fn to_pixels(run: &[Point], plan: &Plan<'_>, scale: &Scale, factor: f64) -> Vec<(i32, i32)> {
    let bottom = (PLOT_Y + PLOT_H) as f64;
    run.iter()
        .flatten()
        .map(|&(t, v)| {
            let x = (PLOT_X as f64 + plan.time.x(t)).clamp(0.0, VIEW_W as f64);
            // Clamped to the view: out-of-range values touch its edges.
            let y = (bottom - scale.y(v * factor)).clamp(0.0, VIEW_H as f64);
            (px(x), px(y))
        })
        .collect()
}

/// Drops points that change nothing drawn: repeats, and the middle of three
/// points on one horizontal or vertical line when it lies between the others.
pub fn simplify(p: &mut Vec<(i32, i32)>) {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(p.len());
    for &q in p.iter() {
        if out.last() == Some(&q) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let between = |a: i32, b: i32, c: i32| (a <= b && b <= c) || (a >= b && b >= c);
            if (a.1 == b.1 && b.1 == q.1 && between(a.0, b.0, q.0))
                || (a.0 == b.0 && b.0 == q.0 && between(a.1, b.1, q.1))
            {
                out.pop();
            }
        }
        out.push(q);
    }
    *p = out;
}

/// The top edge of each band of a stacked view, decimated, as steps: each
/// value holds over the interval that ends at its time stamp (the first of
/// a run borrows the next interval's length). A point stacks on the ones
/// below taken at the same time and index; negative values count as zero.
pub fn stack(series: &[&[Point]], start: i64, end: i64, columns: u32) -> Vec<Vec<Point>> {
    let n = series.iter().map(|s| s.len()).max().unwrap_or(0);
    // Running total at each index, and the time it was taken at.
    let mut sum: Vec<Option<(i64, f64)>> = vec![None; n];
    let mut out = Vec::with_capacity(series.len());
    for s in series {
        let cum = s.iter().enumerate().map(|(i, p)| {
            let (t, v) = p.filter(|(_, v)| v.is_finite())?;
            let c = match sum[i] {
                Some((ts, below)) if ts == t => below + v.max(0.0),
                _ => v.max(0.0),
            };
            Some((t, c))
        });
        let cum: Vec<Point> = cum.collect();
        for (i, c) in cum.iter().enumerate() {
            if let Some(c) = c {
                sum[i] = Some(*c);
            }
        }
        out.push(decimate_iter(steps(&cum), start, end, columns));
    }
    out
}

fn steps(p: &[Point]) -> impl Iterator<Item = Point> + '_ {
    p.iter().enumerate().flat_map(move |(i, q)| {
        let Some((t, v)) = *q else {
            return [None, None].into_iter().take(1);
        };
        let prev = if i > 0 { p[i - 1] } else { None };
        let from = match (prev, p.get(i + 1).copied().flatten()) {
            (Some((tp, _)), _) if tp <= t => tp,
            (None, Some((tn, _))) if tn >= t => t.saturating_sub(tn.saturating_sub(t)),
            _ => t,
        };
        [Some((from, v)), Some((t, v))].into_iter().take(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_keeps_shape() {
        let mut p = vec![(0, 5), (1, 5), (2, 5), (2, 5), (2, 1), (2, 3), (2, 9), (3, 9)];
        simplify(&mut p);
        assert_eq!(p, vec![(0, 5), (2, 5), (2, 1), (2, 9), (3, 9)]);
        let mut e: Vec<(i32, i32)> = vec![];
        simplify(&mut e);
        assert!(e.is_empty());
    }

    #[test]
    fn stack_sums_aligned_points_as_steps() {
        let a = vec![Some((10, 1.0)), Some((20, 2.0)), None, Some((40, 1.0))];
        let b = vec![Some((10, 3.0)), Some((20, -5.0)), None, Some((41, 1.0))];
        // Enough columns that nothing is decimated away.
        let s = stack(&[&a, &b], 0, 50, 1000);
        assert_eq!(
            s[0],
            vec![
                Some((0, 1.0)),
                Some((10, 1.0)),
                Some((10, 2.0)),
                Some((20, 2.0)),
                None,
                Some((40, 1.0)),
                Some((40, 1.0))
            ]
        );
        assert_eq!(s[1][1], Some((10, 4.0)));
        assert_eq!(s[1][3], Some((20, 2.0)));
        // Not at the same time as the point below: stacked on zero.
        assert_eq!(s[1][6], Some((41, 1.0)));
        assert!(stack(&[], 0, 0, 0).is_empty());
    }
}
