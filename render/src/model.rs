//! What a picture shows, independent of how it is drawn.

/// One sample: seconds since the epoch (UTC) and the value over the interval
/// that ends then. `None` is a break: the line stops and starts again.
pub type Point = Option<(i64, f64)>;

/// A whole `sadf -g` picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The line sysstat prints above the graphs
    /// (`Linux 6.1.0 (host) \t04/18/19 \t_x86_64_\t(9 CPU)`).
    pub header: String,
    /// Host name and report date, shown on each view with `showinfo`.
    pub host: String,
    pub date: String,
    /// Start and end of the time axis; `None` takes the first and last point.
    /// sadf starts at the first record read, one interval before the first point.
    pub start: Option<i64>,
    pub end: Option<i64>,
    /// One per selected activity, in the order they are drawn.
    pub sections: Vec<Section>,
}

/// One activity: a table-of-contents entry and its graphs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// sysstat's activity id (`A_CPU` is 1); the anchor is `g<id>-0`.
    pub id: u32,
    /// sysstat's activity name (`A_CPU`), the link's tooltip.
    pub name: String,
    /// The table-of-contents text (`CPU utilization`).
    pub desc: String,
    pub graphs: Vec<Graph>,
}

/// One kind of view (`Network interfaces statistics (1)`), drawn once per item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub title: String,
    /// Axis label (`packets/s`); empty draws none, as sadf.
    pub unit: String,
    pub kind: Kind,
    /// One per device, CPU or interface.
    pub panels: Vec<Panel>,
}

/// How a view draws its series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Kind {
    /// One line per series (sadf's line graphs).
    #[default]
    Line,
    /// Series stacked on each other as bars, 0–100 % (sadf's CPU graphs).
    /// The series of a panel share their time stamps.
    Stacked,
}

/// One view of one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Panel {
    /// Item name shown as `[title]` after the graph title (`all`, `0`,
    /// `eth0`); empty for activities without items.
    pub title: String,
    pub series: Vec<Series>,
}

/// One metric of a view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Legend text (`%usr`, `rxpck/s`).
    pub name: String,
    /// Time-ordered; non-finite values are skipped.
    pub points: Vec<Point>,
    /// Integer metric: the legend shows its min and max without decimals.
    pub integer: bool,
    /// Palette slot (0–15). `None` takes sadf's: the series' rank among the
    /// item's series in this section, so colours run on across its views.
    pub color: Option<usize>,
}

impl Series {
    pub fn new(name: impl Into<String>, points: Vec<Point>) -> Series {
        Series { name: name.into(), points, integer: false, color: None }
    }

    /// Smallest and largest finite value, as the legend shows them.
    pub fn extrema(&self) -> Option<(f64, f64)> {
        finite(&self.points).fold(None, |acc, (_, v)| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }

    /// First and last time stamps.
    pub fn time_span(&self) -> Option<(i64, i64)> {
        finite(&self.points).fold(None, |acc, (t, _)| match acc {
            None => Some((t, t)),
            Some((lo, hi)) => Some((lo.min(t), hi.max(t))),
        })
    }
}

/// The usable points of a series.
pub(crate) fn finite(points: &[Point]) -> impl Iterator<Item = (i64, f64)> + '_ {
    points.iter().flatten().copied().filter(|(_, v)| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extrema_skip_breaks_and_nan() {
        let s = Series::new("x", vec![Some((5, f64::NAN)), None, Some((6, 2.0)), Some((7, -1.0))]);
        assert_eq!(s.extrema(), Some((-1.0, 2.0)));
        assert_eq!(s.time_span(), Some((6, 7)));
        assert_eq!(Series::new("y", vec![None]).extrema(), None);
    }
}
