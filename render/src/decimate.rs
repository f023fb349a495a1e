//! Bounding a series by the picture's width instead of its record count.
//!
//! A day of one-second samples is 86,400 points for a 720-pixel axis. Per
//! pixel column and unbroken run, keeping the first, lowest, highest and last
//! point (in time order) draws the same pixels as the full line: the spikes
//! stay and the lines into and out of the column still join their neighbours.

use crate::model::Point;

/// Decimates `points` for an axis from `start` to `end` drawn `columns`
/// pixels wide. Breaks stay (runs of them collapse to one), non-finite
/// values go, and each column keeps at most four points of each run.
pub fn decimate(points: &[Point], start: i64, end: i64, columns: u32) -> Vec<Point> {
    decimate_iter(points.iter().copied(), start, end, columns)
}

/// [`decimate`] over points made on the fly (stacked steps), so a day of
/// them is never stored.
pub(crate) fn decimate_iter(points: impl Iterator<Item = Point>, start: i64, end: i64, columns: u32) -> Vec<Point> {
    let cols = Columns::new(start, end, columns);
    let mut out = Vec::with_capacity(columns as usize * 4 + 8);
    let mut bucket: Option<Bucket> = None;
    for p in points {
        match p {
            None => {
                if let Some(b) = bucket.take() {
                    b.flush(&mut out);
                }
                if matches!(out.last(), Some(Some(_))) {
                    out.push(None);
                }
            }
            Some((t, v)) if v.is_finite() => {
                let c = cols.of(t);
                match &mut bucket {
                    Some(b) if b.col == c => b.add(t, v),
                    _ => {
                        if let Some(b) = bucket.take() {
                            b.flush(&mut out);
                        }
                        bucket = Some(Bucket::new(c, t, v));
                    }
                }
            }
            Some(_) => {}
        }
    }
    if let Some(b) = bucket {
        b.flush(&mut out);
    }
    out
}

/// Which pixel column a time falls in; in floating point, as integer
/// division of 128-bit products was a fifth of the rendering time.
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
    fn new(col: i64, t: i64, v: f64) -> Bucket {
        let p = (0, t, v);
        Bucket { col, n: 1, few: [p; 4], min: p, max: p, last: p }
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

    fn flush(self, out: &mut Vec<Point>) {
        if self.n <= 4 {
            out.extend(self.few[..self.n as usize].iter().map(|&(_, t, v)| Some((t, v))));
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
}
