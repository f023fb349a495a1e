//! Graphs of sysstat reports: what `sadf -g` draws, as SVG or PNG.
//!
//! The renderer knows pictures, not files: the query side turns records into
//! [`Series`] and this crate lays them out as sadf does (one 1050×300 view per
//! graph and item, legend with min/max on the right, sysstat's palettes),
//! decimates each series to the 720-pixel axis, and draws with plotters.
//! Output size therefore grows with the number of views, not of records.
//!
//! # Connecting `rsadf -g` (for the query side)
//!
//! ```no_run
//! use sarkit_render::*;
//! # let (t0, usr, sys) = (0i64, 1.0, 2.0);
//! // One Section per selected activity, in sadf's activity order.
//! let cpu = Section {
//!     id: 1,                                  // sysstat's A_CPU id: anchor "g1-0"
//!     name: "A_CPU".into(),                   // contents tooltip
//!     desc: "CPU utilization".into(),         // contents text
//!     graphs: vec![Graph {
//!         title: "CPU utilization".into(),
//!         unit: String::new(),                // sadf draws none
//!         kind: Kind::Stacked,                // sadf's bar views; Kind::Line otherwise
//!         panels: vec![Panel {
//!             title: "all".into(),            // drawn as "CPU utilization [all]"
//!             series: vec![
//!                 // (end of interval, rate over it); None where a LINUX RESTART falls.
//!                 Series::new("%usr", vec![Some((t0 + 1, usr)), None, Some((t0 + 9, usr))]),
//!                 Series::new("%sys", vec![Some((t0 + 1, sys)), None, Some((t0 + 9, sys))]),
//!             ],
//!         }],
//!     }],
//! };
//! let doc = Document {
//!     header: "Linux 6.1.0 (host) \t04/18/19 \t_x86_64_\t(9 CPU)".into(), // sar's header line
//!     host: "host".into(),
//!     date: "04/18/19".into(),            // showinfo
//!     start: Some(t0),                    // first record read (sadf's X origin)
//!     end: None,                          // last point
//!     sections: vec![cpu],
//! };
//! let opts = Options {
//!     show_toc: true,                     // from -O, one field per keyword
//!     tz_offset: 0, tz_name: "UTC".into(), // -T: local offset and zone name
//!     palette: Palette::default(),        // or Palette::black_and_white(), Palette::custom(env)
//!     ..Options::default()
//! };
//! render_svg(&doc, &opts, &mut std::io::stdout().lock())?;  // -g
//! render_png(&doc, &opts, &mut std::io::stdout().lock())?;  // -g -O png
//! # Ok::<(), RenderError>(())
//! ```
//!
//! Rules the query side keeps:
//! - Times are UTC seconds; the picture shows `t + tz_offset`.
//! - Series of one panel of a [`Kind::Stacked`] graph share time stamps
//!   (same records); points are time-ordered.
//! - Panels are matched across a section's graphs by title: with `packed`,
//!   one item's views share a row; without, they follow each other.
//! - Leave out panels sadf leaves out (CPUs offline the whole period); a
//!   panel whose series are empty is drawn with "No data".
//! - `show_idle` is for the query side (add a `%idle` series); `skip_empty`,
//!   `autoscale`, `one_day`, `packed`, `show_info`, `show_toc` and `height`
//!   are applied here.
//! - [`Series::color`] overrides sadf's colour order if needed; by default it
//!   runs on across an item's views within a section, as sadf's does.
//! - [`Series::integer`] marks sadf's `~` metrics (legend without decimals).
//! - Decimation to the pixel width happens here. Pass every point, or, for
//!   long series, stream them through a [`Decimation`] made from the
//!   document's `start` and `end` ([`LineDecimator`] per line series,
//!   [`StackedDecimator`] per stacked panel): what it keeps draws the same
//!   picture, and a day of samples is never held point by point.
//! - `query::sadf::options::OutputOptions` maps field for field (`skip_empty`,
//!   `autoscale`, `one_day`, `show_idle`, `show_info`, `height`, `packed`,
//!   `show_toc`); its palette enum maps to [`Palette::default`],
//!   [`Palette::black_and_white`] or
//!   `Palette::custom(S_COLORS_PALETTE)` (the variable's value, if set).
//!   `png` is a new `-O` keyword that parser must accept.

mod decimate;
mod draw;
mod layout;
mod model;
mod options;
mod png;
mod svg;

use std::fmt;
use std::io::{self, Write};

pub use decimate::{decimate, Decimation, LineDecimator, StackedDecimator};
pub use model::{Document, Graph, Kind, Panel, Point, Section, Series};
pub use options::{Options, Palette};
pub use png::{register_font, MAX_PIXEL_BYTES};
pub use svg::esc as escape_xml;

/// Why a picture could not be made.
#[derive(Debug)]
pub enum RenderError {
    Io(io::Error),
    /// plotters refused to draw.
    Draw(String),
    /// The PNG would need more than [`MAX_PIXEL_BYTES`].
    TooLarge {
        width: u32,
        height: u32,
    },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Io(e) => write!(f, "{e}"),
            RenderError::Draw(e) => write!(f, "cannot draw: {e}"),
            RenderError::TooLarge { width, height } => {
                write!(f, "picture too large for PNG ({width}x{height}); use SVG or fewer activities")
            }
        }
    }
}

impl std::error::Error for RenderError {}

impl From<io::Error> for RenderError {
    fn from(e: io::Error) -> Self {
        RenderError::Io(e)
    }
}

/// Writes `doc` as an SVG document (`sadf -g`).
pub fn render_svg(doc: &Document, opts: &Options, out: &mut dyn Write) -> Result<(), RenderError> {
    svg::render(doc, opts, out)
}

/// Writes `doc` as a PNG image (`-O png`).
pub fn render_png(doc: &Document, opts: &Options, out: &mut dyn Write) -> Result<(), RenderError> {
    png::render(doc, opts, out)
}

/// Draws `doc` into RGB pixels: width, height and 3 bytes a pixel, row by row.
pub fn render_rgb(doc: &Document, opts: &Options) -> Result<(u32, u32, Vec<u8>), RenderError> {
    png::rgb(doc, opts)
}
