//! Bounding a series by the picture's width instead of its record count.
//!
//! A day of one-second samples is 86,400 points for a 720-pixel axis. Per
//! pixel column and unbroken run, keeping the first, lowest, highest and last
//! point (in time order) draws the same pixels as the full line: the spikes
//! stay and the lines into and out of the column still join their neighbours.

use crate::layout::{axis_bounds, PLOT_W};
use crate::model::Point;
use crate::options::Options;

/// Decimates `points` for an axis from `start` to `end` drawn `columns`
/// pixels wide. Breaks stay (runs of them collapse to one), non-finite
/// values go, and each column keeps at most four points of each run.
pub fn decimate(points: &[Point], start: i64, end: i64, columns: u32) -> Vec<Point> {
    decimate_iter(points.iter().copied(), start, end, columns)
}

/// [`decimate`] over points made on the fly (stacked steps), so a day of
/// them is never stored.
pub(crate) fn decimate_iter(points: impl Iterator<Item = Point>, start: i64, end: i64, columns: u32) -> Vec<Point> {
    let mut line = LineDecimator::new(Columns::new(start, end, columns));
    points.for_each(|p| line.push(p));
    line.finish()
}

/// What a picture can show of its series: the pixel columns of the time
/// axis of a [`Document`](crate::Document) from `start` to `end`. Series
/// streamed through its decimators keep, per column, the points that draw
/// what all of them would, so a day of samples is never held point by point.
#[derive(Debug, Clone, Copy)]
pub struct Decimation {
    cols: Columns,
}

impl Decimation {
    /// For a document whose [`start`](crate::Document::start) and
    /// [`end`](crate::Document::end) are these, drawn with `o`.
    pub fn new(start: i64, end: i64, o: &Options) -> Decimation {
        let (start, end) = axis_bounds(start, end, o);
        Decimation { cols: Columns::new(start, end, PLOT_W as u32) }
    }

    /// A decimator for one series of a [`Kind::Line`](crate::Kind::Line) view.
    pub fn line(&self) -> LineDecimator {
        LineDecimator::new(self.cols)
    }

    /// A decimator for the `series` series of one panel of a
    /// [`Kind::Stacked`](crate::Kind::Stacked) view, which share their
    /// time stamps.
    pub fn stacked(&self, series: usize) -> StackedDecimator {
        StackedDecimator::new(self.cols, series)
    }
}

/// One line series, point by point: per pixel column and unbroken run, the
/// first four points, then only the first, lowest, highest and last.
pub struct LineDecimator {
    cols: Columns,
    out: Vec<Point>,
    /// The current column's points (none when empty).
    bucket: Bucket,
}

impl LineDecimator {
    fn new(cols: Columns) -> LineDecimator {
        LineDecimator { cols, out: Vec::with_capacity(cols.count() * 4 + 8), bucket: Bucket::EMPTY }
    }

    /// The next point, in time order; `None` breaks the line. Non-finite
    /// values are left out.
    #[inline]
    pub fn push(&mut self, p: Point) {
        match p {
            None => {
                self.bucket.flush(&mut self.out);
                if matches!(self.out.last(), Some(Some(_))) {
                    self.out.push(None);
                }
            }
            Some((t, v)) if v.is_finite() => {
                let c = self.cols.of(t);
                if self.bucket.n > 0 && self.bucket.col == c {
                    self.bucket.add(t, v);
                } else {
                    self.bucket.flush(&mut self.out);
                    self.bucket.start(c, t, v);
                }
            }
            Some(_) => {}
        }
    }

    /// The points kept.
    pub fn finish(mut self) -> Vec<Point> {
        self.bucket.flush(&mut self.out);
        self.out
    }
}

/// The rows of a stacked panel (one value per series at each time), row by
/// row: per pixel column and unbroken run, the first and last rows and
/// those where the top of each band (the sum of the series up to it,
/// negatives as zero, as [`stack`](crate::draw::stack) piles them) is
/// lowest and highest. The bands drawn from these are those of every row.
pub struct StackedDecimator {
    cols: Columns,
    series: usize,
    out: Vec<Vec<Point>>,
    /// The current column's rows: times, and `series` values each.
    times: Vec<i64>,
    vals: Vec<f64>,
    col: i64,
    /// Per band: lowest top and its row, highest top and its row.
    ext: Vec<(f64, usize, f64, usize)>,
    /// A break before the next row.
    broken: bool,
    /// The current column's rows follow a break.
    after_break: bool,
}

impl StackedDecimator {
    fn new(cols: Columns, series: usize) -> StackedDecimator {
        StackedDecimator {
            cols,
            series,
            // Most columns keep their first and last rows only.
            out: vec![Vec::with_capacity(cols.count() * 2 + 8); series],
            times: Vec::new(),
            vals: Vec::new(),
            col: 0,
            ext: vec![(0.0, 0, 0.0, 0); series],
            broken: false,
            after_break: false,
        }
    }

    /// The bands break before the next row.
    pub fn push_break(&mut self) {
        self.broken = true;
    }

    /// The next row, in time order: the value of each series at `t`
    /// (missing values as NaN).
    pub fn push(&mut self, t: i64, vals: &[f64]) {
        let c = self.cols.of(t);
        if self.broken || self.times.is_empty() || c != self.col {
            self.flush();
            self.after_break = self.broken;
            self.broken = false;
            self.col = c;
            self.ext.iter_mut().for_each(|e| *e = (f64::INFINITY, 0, f64::NEG_INFINITY, 0));
        }
        let row = self.times.len();
        self.times.push(t);
        let given = &vals[..vals.len().min(self.series)];
        self.vals.extend_from_slice(given);
        self.vals.resize((row + 1) * self.series, f64::NAN);
        let mut top = 0.0;
        for (e, &v) in self.ext.iter_mut().zip(&self.vals[row * self.series..]) {
            if v.is_finite() {
                top += v.max(0.0);
            }
            if top < e.0 {
                (e.0, e.1) = (top, row);
            }
            if top > e.2 {
                (e.2, e.3) = (top, row);
            }
        }
    }

    /// The kept rows of the current column, into every series.
    fn flush(&mut self) {
        let Some(last) = self.times.len().checked_sub(1) else { return };
        let mut keep: Vec<usize> = Vec::with_capacity(2 + 2 * self.series);
        keep.push(0);
        keep.extend(self.ext.iter().flat_map(|e| [e.1, e.3]));
        keep.push(last);
        keep.sort_unstable();
        keep.dedup();
        if self.after_break {
            for out in self.out.iter_mut().filter(|o| !o.is_empty()) {
                out.push(None);
            }
        }
        for r in keep {
            let (Some(&t), Some(row)) = (self.times.get(r), self.vals.get(r * self.series..(r + 1) * self.series))
            else {
                continue;
            };
            for (out, &v) in self.out.iter_mut().zip(row) {
                out.push(Some((t, v)));
            }
        }
        self.times.clear();
        self.vals.clear();
    }

    /// The points kept, one list per series.
    pub fn finish(mut self) -> Vec<Vec<Point>> {
        self.flush();
        self.out
    }
}

/// Which pixel column a time falls in; in floating point, as integer
/// division of 128-bit products was a fifth of the rendering time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    start: f64,
    per_second: f64,
    last: f64,
}

impl Columns {
    pub(crate) fn new(start: i64, end: i64, columns: u32) -> Columns {
        let columns = columns.max(1) as f64;
        let span = (end as f64 - start as f64).max(1.0);
        Columns { start: start as f64, per_second: columns / span, last: columns - 1.0 }
    }

    /// How many columns there are.
    fn count(&self) -> usize {
        self.last as usize + 1
    }

    pub(crate) fn of(&self, t: i64) -> i64 {
        // Truncation is floor once clamped at 0; `as` saturates and maps NaN
        // to 0: never a panic.
        ((t as f64 - self.start) * self.per_second).clamp(0.0, self.last) as i64
    }
}

/// The points of one run within one column, streamed: the first four as
/// they are, then only the extremes and the last.
struct Bucket {
    col: i64,
    n: u64,
    few: [(u64, i64, f64); 4],
    min: (u64, i64, f64),
    max: (u64, i64, f64),
    last: (u64, i64, f64),
}

impl Bucket {
    const EMPTY: Bucket =
        Bucket { col: 0, n: 0, few: [(0, 0, 0.0); 4], min: (0, 0, 0.0), max: (0, 0, 0.0), last: (0, 0, 0.0) };

    /// A new column's first point.
    fn start(&mut self, col: i64, t: i64, v: f64) {
        let p = (0, t, v);
        *self = Bucket { col, n: 1, few: [p; 4], min: p, max: p, last: p };
    }

    fn add(&mut self, t: i64, v: f64) {
        let p = (self.n, t, v);
        if self.n < 4 {
            self.few[self.n as usize] = p;
        }
        if v < self.min.2 {
            self.min = p;
        }
        if v > self.max.2 {
            self.max = p;
        }
        self.last = p;
        self.n += 1;
    }

    /// The kept points into `out`, leaving the bucket empty.
    fn flush(&mut self, out: &mut Vec<Point>) {
        let n = std::mem::take(&mut self.n);
        if n <= 4 {
            out.extend(self.few[..n as usize].iter().map(|&(_, t, v)| Some((t, v))));
            return;
        }
        let mut keep = [self.few[0], self.min, self.max, self.last];
        keep.sort_by_key(|p| p.0);
        let mut prev = None;
        for (seq, t, v) in keep {
            if prev != Some(seq) {
                out.push(Some((t, v)));
                prev = Some(seq);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pts(v: &[(i64, f64)]) -> Vec<Point> {
        v.iter().map(|&p| Some(p)).collect()
    }

    #[test]
    fn few_points_pass_through() {
        let p = pts(&[(0, 1.0), (5, 2.0), (10, 3.0)]);
        assert_eq!(decimate(&p, 0, 10, 720), p);
    }

    #[test]
    fn spike_survives_in_its_column() {
        let mut p: Vec<Point> = (0..1000).map(|t| Some((t, 1.0))).collect();
        p[517] = Some((517, 99.0));
        let d = decimate(&p, 0, 999, 10);
        assert!(d.contains(&Some((517, 99.0))));
        assert!(d.len() <= 40);
        assert_eq!(d[0], Some((0, 1.0)));
        assert_eq!(*d.last().unwrap(), Some((999, 1.0)));
    }

    #[test]
    fn breaks_split_runs_and_collapse() {
        let p = vec![None, Some((0, 1.0)), None, None, Some((1, 2.0)), None];
        assert_eq!(decimate(&p, 0, 1, 1), vec![Some((0, 1.0)), None, Some((1, 2.0)), None]);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        assert!(decimate(&[], 0, 0, 0).is_empty());
        let p = pts(&[(i64::MIN, f64::MAX), (i64::MAX, -f64::MAX), (3, f64::NAN), (3, f64::INFINITY)]);
        let d = decimate(&p, i64::MAX, i64::MIN, 0);
        assert_eq!(d.len(), 2);
        let d = decimate(&pts(&[(9, 1.0)]), 5, 5, 720);
        assert_eq!(d, pts(&[(9, 1.0)]));
    }

    #[test]
    fn one_day_axis_starts_at_local_midnight() {
        let o = Options { one_day: true, tz_offset: 3600, ..Default::default() };
        assert_eq!(axis_bounds(86_400 + 7200, 86_400 + 9000, &o), (86_400 - 3600, 2 * 86_400 - 3600));
        assert_eq!(axis_bounds(5, 5, &Options::default()), (5, 6));
    }

    #[test]
    fn line_decimator_is_decimate() {
        let p: Vec<Point> = (0..5000).map(|t| if t % 777 == 0 { None } else { Some((t, (t % 97) as f64)) }).collect();
        let dec = Decimation::new(0, 4999, &Options::default());
        let mut line = dec.line();
        p.iter().for_each(|&q| line.push(q));
        assert_eq!(line.finish(), decimate(&p, 0, 4999, PLOT_W as u32));
    }

    fn column(t: i64, start: i64, end: i64, columns: u32) -> i64 {
        Columns::new(start, end, columns).of(t)
    }

    proptest! {
        #[test]
        fn keeps_extremes_ends_and_bounds(
            steps in prop::collection::vec((0i64..50, -1e6f64..1e6), 1..2000),
            columns in 1u32..100,
        ) {
            let mut t = 1_000_000i64;
            let p: Vec<Point> = steps.iter().map(|&(dt, v)| { t += dt; Some((t, v)) }).collect();
            let start = p[0].unwrap().0;
            let end = t;
            let d = decimate(&p, start, end, columns);
            let vals: Vec<f64> = d.iter().flatten().map(|p| p.1).collect();
            let lo = steps.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
            let hi = steps.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(vals.contains(&lo));
            prop_assert!(vals.contains(&hi));
            prop_assert_eq!(d.first(), p.first());
            prop_assert_eq!(d.last(), p.last());
            let mut per_col = std::collections::HashMap::new();
            for q in d.iter().flatten() {
                *per_col.entry(column(q.0, start, end, columns)).or_insert(0) += 1;
            }
            prop_assert!(per_col.values().all(|&n| n <= 4));
            // A subsequence of the input, in order.
            let mut it = p.iter();
            for q in &d {
                prop_assert!(it.any(|x| x == q));
            }
        }

        /// The rows kept are exactly those [`reference_keep`] names.
        #[test]
        fn stacked_keeps_the_rows_it_always_kept(
            rows in prop::collection::vec(
                (0i64..30, prop::collection::vec(-5.0f64..50.0, 3), prop::bool::weighted(0.02)),
                1..3000,
            ),
            one_day in prop::bool::ANY,
        ) {
            let o = Options { one_day, ..Default::default() };
            let start = 50_000i64;
            let end = start + rows.iter().map(|r| r.0).sum::<i64>();
            let dec = Decimation::new(start, end, &o);
            let mut bands = dec.stacked(3);
            let (mut times, mut breaks, mut t) = (Vec::new(), Vec::new(), start);
            for (i, (dt, vals, brk)) in rows.iter().enumerate() {
                t += dt;
                if *brk {
                    bands.push_break();
                    if i > 0 {
                        breaks.push(i);
                    }
                }
                bands.push(t, vals);
                times.push(t);
            }
            let (s, e) = axis_bounds(start, end, &o);
            let keep = reference_keep(&times, &breaks, &rows, (s, e));
            let got = bands.finish();
            for (k, band) in got.iter().enumerate() {
                let mut want = Vec::new();
                let mut b = breaks.iter().peekable();
                for &n in &keep {
                    let mut brk = false;
                    while b.peek().is_some_and(|&&i| i <= n) {
                        brk = true;
                        b.next();
                    }
                    if brk && !want.is_empty() {
                        want.push(None);
                    }
                    want.push(Some((times[n], rows[n].1[k])));
                }
                prop_assert_eq!(band, &want);
            }
        }

        #[test]
        fn each_run_keeps_its_own_ends(
            runs in prop::collection::vec(prop::collection::vec(-5.0f64..5.0, 1..300), 1..5),
            columns in 1u32..40,
        ) {
            let mut p = Vec::new();
            let mut t = 0i64;
            for r in &runs {
                for &v in r {
                    p.push(Some((t, v)));
                    t += 1;
                }
                p.push(None);
            }
            let d = decimate(&p, 0, t, columns);
            let got: Vec<&[Point]> = d.split(|x| x.is_none()).filter(|s| !s.is_empty()).collect();
            let want: Vec<&[Point]> = p.split(|x| x.is_none()).filter(|s| !s.is_empty()).collect();
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                prop_assert_eq!(g.first(), w.first());
                prop_assert_eq!(g.last(), w.last());
                prop_assert!(g.len() <= 4 * columns as usize + 4);
            }
        }
    }

    /// The rows a stacked panel needs, said plainly: group consecutive rows
    /// by run and pixel column; keep each group's first and last rows and,
    /// per band, the first row where its top is lowest and where highest.
    fn reference_keep(times: &[i64], breaks: &[usize], rows: &[(i64, Vec<f64>, bool)], ax: (i64, i64)) -> Vec<usize> {
        let cols = Columns::new(ax.0, ax.1, PLOT_W as u32);
        let top = |i: usize, band: usize| rows[i].1[..=band].iter().filter(|v| v.is_finite()).map(|v| v.max(0.0)).sum();
        let mut keep = Vec::new();
        let mut from = 0;
        while from < times.len() {
            let same = |i: &usize| cols.of(times[*i]) == cols.of(times[from]) && !breaks.contains(i);
            let to = (from + 1..times.len()).find(|i| !same(i)).unwrap_or(times.len());
            let mut group = vec![from, to - 1];
            for band in 0..3 {
                let tops: Vec<(usize, f64)> = (from..to).map(|i| (i, top(i, band))).collect();
                group.push(tops.iter().fold(tops[0], |m, &x| if x.1 < m.1 { x } else { m }).0);
                group.push(tops.iter().fold(tops[0], |m, &x| if x.1 > m.1 { x } else { m }).0);
            }
            group.sort_unstable();
            group.dedup();
            keep.extend(group);
            from = to;
        }
        keep
    }
}
