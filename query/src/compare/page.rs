//! The comparison as one self-contained HTML page: the text report's
//! table, and per metric a small inline SVG with each group's mean as a
//! bar, its p95 as a tick and its maximum as a dot, both groups on the
//! row's own scale (its larger maximum). No script, no external file, no
//! date: the same files give the same bytes. The page is well-formed XML
//! too, so that xmllint checks it.

use std::io::{self, Write};

use sarkit_render::escape_xml as escape;

use super::{cells, Comparison, Stat};

/// The bars' drawing width; the picture is a little wider for the dots.
const BAR_W: f64 = 240.0;
const SVG_W: u32 = 250;
const SVG_H: u32 = 26;
/// Each group's bar: its top and height.
const BARS: [(f64, f64); 2] = [(3.0, 8.0), (15.0, 8.0)];
const CLASSES: [&str; 2] = ["a", "b"];

const STYLE: &str = "body { font: 14px sans-serif; margin: 2em; color: #222 }
table { border-collapse: collapse }
th, td { padding: 3px 8px; text-align: right; white-space: nowrap }
th { border-bottom: 1px solid #888 }
.l { text-align: left }
tbody tr:nth-child(even) td { background: #f3f3f3 }
rect.a, circle.a { fill: #3a74ad }
rect.b, circle.b { fill: #e0812f }
span.a { color: #3a74ad }
span.b { color: #e0812f }
line { stroke: #222; stroke-width: 1.5 }";

/// One row's picture.
fn bars(stats: &[Option<Stat>; 2], names: [&str; 2], out: &mut dyn Write) -> io::Result<()> {
    let top = stats.iter().flatten().map(|s| s.max).fold(0.0, f64::max);
    let scale = if top > 0.0 { BAR_W / top } else { 0.0 };
    let x = |v: f64| (v.max(0.0) * scale).min(BAR_W);
    write!(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{SVG_W}\" height=\"{SVG_H}\">")?;
    for (k, st) in stats.iter().enumerate() {
        let Some(s) = st else { continue };
        let ((y, h), class) = (BARS[k], CLASSES[k]);
        write!(
            out,
            "<g><title>{}: mean {}, p95 {}, max {}</title>\
             <rect class=\"{class}\" x=\"0\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>\
             <line x1=\"{p:.1}\" y1=\"{:.1}\" x2=\"{p:.1}\" y2=\"{:.1}\"/>\
             <circle class=\"{class}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/></g>",
            escape(names[k]),
            super::number(s.mean),
            super::number(s.p95),
            super::number(s.max),
            x(s.mean),
            y - 1.0,
            y + h + 1.0,
            x(s.max),
            y + h / 2.0,
            p = x(s.p95),
        )?;
    }
    write!(out, "</svg>")
}

/// Write the page.
pub fn write_html(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let names = [c.sides[0].name.as_str(), c.sides[1].name.as_str()];
    let title = escape(&format!("{} against {}", names[0], names[1]));
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>")?;
    writeln!(out, "<title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>")?;
    for (k, s) in c.sides.iter().enumerate() {
        let br = if k == 0 { "<br/>" } else { "" };
        writeln!(out, "<span class=\"{}\">&#9632;</span> {}{br}", CLASSES[k], escape(&s.describe()))?;
    }
    writeln!(out, "</p>\n<table>")?;
    let cells = cells(c);
    for (i, row) in cells.iter().enumerate() {
        let (tag, open) = if i == 0 { ("th", "<thead>") } else { ("td", if i == 1 { "<tbody>" } else { "" }) };
        write!(out, "{open}<tr>")?;
        for (k, cell) in row.iter().enumerate() {
            let class = if k < 2 { " class=\"l\"" } else { "" };
            write!(out, "<{tag}{class}>{}</{tag}>", escape(cell))?;
        }
        if i == 0 {
            write!(out, "<th class=\"l\">mean (bar), p95 (tick), max (dot)</th></tr></thead>")?;
        } else {
            write!(out, "<td class=\"l\">")?;
            bars(&c.rows[i - 1].stats, names, out)?;
            write!(out, "</td></tr>")?;
        }
        writeln!(out)?;
    }
    writeln!(out, "</tbody>\n</table>\n<ul>")?;
    for n in c.notes() {
        writeln!(out, "<li>{}</li>", escape(&n))?;
    }
    writeln!(out, "</ul>\n</body>\n</html>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::collect::Group;
    use crate::compare::metrics::METRICS;

    #[test]
    fn names_are_escaped() {
        let group = || Group { samples: vec![Default::default(); METRICS.len()], ..Default::default() };
        let c = Comparison::new(&["a<b".into(), "\"c\" & d\u{1}".into()], [group(), group()]);
        let mut out = Vec::new();
        write_html(&c, &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("<title>a&lt;b against &quot;c&quot; &amp; d\u{fffd}</title>"), "{page}");
    }

    #[test]
    fn bars_share_the_row_scale() {
        let st = |mean, p95, max| Some(Stat { mean, p95, max });
        let mut out = Vec::new();
        bars(&[st(1.0, 2.0, 4.0), st(2.0, 3.0, 8.0)], ["x", "y"], &mut out).unwrap();
        let svg = String::from_utf8(out).unwrap();
        assert!(svg.contains("<rect class=\"a\" x=\"0\" y=\"3.0\" width=\"30.0\""), "{svg}");
        assert!(svg.contains("<circle class=\"b\" cx=\"240.0\""), "{svg}");
        assert!(svg.contains("<title>x: mean 1.00, p95 2.00, max 4.00</title>"), "{svg}");
        let mut out = Vec::new();
        bars(&[None, st(0.0, 0.0, 0.0)], ["x", "y"], &mut out).unwrap();
        let svg = String::from_utf8(out).unwrap();
        assert!(!svg.contains("class=\"a\"") && svg.contains("width=\"0.0\""), "{svg}");
    }
}
