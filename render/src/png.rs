//! PNG output (`-O png`): the same layout, drawn into an RGB buffer.

use std::io::Write;
use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::draw::{self, font, Info};
use crate::layout::{plan, HEADER_H, TOC_LINE_H, VIEW_H, VIEW_W};
use crate::model::Document;
use crate::options::Options;
use crate::RenderError;

/// Above this many bytes of pixels we refuse rather than risk the memory
/// (a `-A` day is 116,000 pixels high; use SVG or fewer activities).
pub const MAX_PIXEL_BYTES: u64 = 256 << 20;

/// Draws `doc` into a new RGB buffer: (width, height, 3 bytes a pixel).
pub fn rgb(doc: &Document, o: &Options) -> Result<(u32, u32, Vec<u8>), RenderError> {
    let plan = plan(doc, o);
    let (w, h) = (plan.width.max(1) as u32, plan.height.max(1) as u32);
    if w as u64 * h as u64 * 3 > MAX_PIXEL_BYTES {
        return Err(RenderError::TooLarge { width: w, height: h });
    }
    let mut buf = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let d = |e: DrawingAreaErrorKind<_>| RenderError::Draw(e.to_string());
        if o.png_text {
            let pal = &o.palette;
            let _ = root.draw(&Text::new(
                doc.header.replace('\t', " "),
                (0, 30),
                font(16.0, pal.header, HPos::Left, VPos::Bottom),
            ));
            if o.show_toc {
                for (i, s) in plan.toc.iter().enumerate() {
                    let y = HEADER_H.saturating_add(TOC_LINE_H.saturating_mul(i as i32));
                    let _ = root.draw(&Text::new(
                        s.desc.clone(),
                        (10, y),
                        font(16.0, pal.default, HPos::Left, VPos::Bottom),
                    ));
                }
            }
            if plan.is_empty() {
                let _ =
                    root.draw(&Text::new("No data!", (0, plan.top), font(16.0, pal.error, HPos::Left, VPos::Bottom)));
            }
        }
        let info = Info { host: &doc.host, date: &doc.date };
        for v in plan.sections.iter().flat_map(|s| &s.views) {
            if v.y >= h as i32 {
                continue;
            }
            let area = root.clone().shrink((v.x, v.y), (VIEW_W, VIEW_H));
            draw::view(&area, v, &plan, o, &info).map_err(d)?;
        }
        root.present().map_err(d)?;
    }
    Ok((w, h, buf))
}

pub fn render(doc: &Document, o: &Options, out: &mut dyn Write) -> Result<(), RenderError> {
    let (w, h, buf) = rgb(doc, o)?;
    let mut enc = png::Encoder::new(out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().map_err(png_err)?;
    wr.write_image_data(&buf).map_err(png_err)?;
    wr.finish().map_err(png_err)?;
    Ok(())
}

fn png_err(e: png::EncodingError) -> RenderError {
    match e {
        png::EncodingError::IoError(e) => RenderError::Io(e),
        e => RenderError::Draw(e.to_string()),
    }
}

/// Fonts tried for PNG text, after the one [`register_font`] is given;
/// first found wins.
const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
];

/// Registers the font PNG text is drawn with: `first` if it loads, else
/// the first of the usual places that does; returns whether one did (then
/// set [`Options::png_text`]). plotters keeps fonts in a table of its own
/// for the life of the process, so a program calls this once, before its
/// first PNG; each call keeps another copy of the font.
pub fn register_font(first: Option<&Path>) -> bool {
    for path in first.into_iter().chain(FONT_PATHS.iter().map(Path::new)) {
        let Ok(bytes) = std::fs::read(path) else { continue };
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
            return true;
        }
    }
    false
}
