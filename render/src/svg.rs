//! The SVG page: header, contents and section anchors written here (plotters
//! cannot make links), each view drawn by plotters as a nested `<svg>`, so
//! its coordinates stay small and its drawing is clipped to the view.

use std::io::Write;

use plotters::prelude::*;

use crate::draw::{self, Info};
use crate::layout::{plan, VIEW_H, VIEW_W};
use crate::model::Document;
use crate::options::Options;
use crate::RenderError;

pub fn render(doc: &Document, o: &Options, out: &mut dyn Write) -> Result<(), RenderError> {
    let plan = plan(doc, o);
    let pal = &o.palette;
    let mut s = String::with_capacity(1 << 16);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"");
    if o.show_toc {
        s.push_str(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    }
    s.push_str(&format!(
        " width=\"{}\" height=\"{}\" font-family=\"sans-serif\">\n<text x=\"0\" y=\"30\" fill=\"#{:06x}\" stroke=\"#{:06x}\">{}</text>\n",
        plan.width,
        plan.height,
        pal.header,
        pal.header,
        esc(&doc.header)
    ));
    if o.show_toc {
        for (i, sec) in plan.toc.iter().enumerate() {
            s.push_str(&format!(
                "<a xlink:href=\"#g{}-0\" xlink:title=\"{}\"><text x=\"10\" y=\"{}\" fill=\"#{:06x}\">{}</text></a>\n",
                sec.id,
                esc(&sec.name),
                crate::layout::HEADER_H as i64 + 20 * i as i64,
                pal.default,
                esc(&sec.desc)
            ));
        }
    }
    out.write_all(s.as_bytes())?;
    let info = Info { host: &doc.host, date: &doc.date };
    let mut buf = String::with_capacity(1 << 16);
    for ps in &plan.sections {
        if ps.views.is_empty() {
            continue;
        }
        writeln!(out, "<g id=\"g{}-0\">", ps.section.id)?;
        for v in &ps.views {
            buf.clear();
            {
                let area = SVGBackend::with_string(&mut buf, (VIEW_W as u32, VIEW_H as u32)).into_drawing_area();
                draw::view(&area, v, &plan, o, &info).map_err(|e| RenderError::Draw(e.to_string()))?;
                area.present().map_err(|e| RenderError::Draw(e.to_string()))?;
            }
            let body = buf.strip_prefix("<svg ").unwrap_or(&buf);
            write!(out, "<svg x=\"{}\" y=\"{}\" ", v.x, v.y)?;
            out.write_all(body.as_bytes())?;
        }
        out.write_all(b"</g>\n")?;
    }
    if plan.is_empty() {
        writeln!(out, "<text x=\"0\" y=\"{}\" fill=\"#{:06x}\">No data!</text>", plan.top, pal.error)?;
    }
    writeln!(out, "</svg>")?;
    Ok(())
}

/// `s` as XML text or attribute value: `&`, `<`, `>` and `"` escaped,
/// characters XML cannot hold replaced (`draw::xml_chars`).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    draw::xml_chars(&o)
}
