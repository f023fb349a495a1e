//! PNG output: lines land on the pixels the data says.

mod common;

use common::*;
use sarkit_render::*;

/// Top of the first view with no contents: the header's height.
const VIEW_TOP: usize = 60;
const PLOT_X: usize = 70;
const PLOT_BOTTOM: usize = 250;

fn pixel(buf: &[u8], w: u32, x: usize, y: usize) -> u32 {
    let i = (y * w as usize + x) * 3;
    (buf[i] as u32) << 16 | (buf[i + 1] as u32) << 8 | buf[i + 2] as u32
}

/// A line view: %usr at 10 for the first half, 40 for the second, so the
/// axis tops at 40 and 10 sits at a quarter of the 200-pixel plot.
fn cpu_line() -> Document {
    let usr = Series::new("%usr", pts(1000, |i| if i < 500 { 10.0 } else { 40.0 }));
    doc(vec![cpu_section(Kind::Line, vec![Panel { title: "all".into(), series: vec![usr] }])])
}

#[test]
fn cpu_line_is_where_the_data_says() {
    let o = Options::default();
    let green = o.palette.series[0];
    let (w, h, buf) = render_rgb(&cpu_line(), &o).unwrap();
    assert_eq!((w, h), (1060, 370));
    let quarter = PLOT_X + 180;
    let three_quarters = PLOT_X + 540;
    let row = |v: f64| VIEW_TOP + PLOT_BOTTOM - (v * 200.0 / 40.0) as usize;
    assert_eq!(pixel(&buf, w, quarter, row(10.0)), green);
    assert_ne!(pixel(&buf, w, quarter, row(40.0)), green);
    assert_eq!(pixel(&buf, w, three_quarters, row(40.0)), green);
    assert_ne!(pixel(&buf, w, three_quarters, row(10.0)), green);
    // Between the lines, the view's background.
    assert_eq!(pixel(&buf, w, quarter, row(25.0) + 3), o.palette.background);
    // The step at the middle is drawn as a vertical line.
    // The step at the middle is a steep line, which plotters antialiases:
    // look for green-dominated pixels rather than the exact colour.
    let greenish = |c: u32| {
        let (r, g, b) = (c >> 16, c >> 8 & 0xff, c & 0xff);
        g >= 0x40 && g > r && g > b
    };
    let mid = (PLOT_X..PLOT_X + 720).find(|&x| greenish(pixel(&buf, w, x, row(25.0))));
    assert!(mid.is_some_and(|x| x.abs_diff(PLOT_X + 360) <= 2), "{mid:?}");

    let mut png = Vec::new();
    render_png(&cpu_line(), &o, &mut png).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarkit-render-cpu-line.png");
    std::fs::write(&path, &png).unwrap();
    println!("PNG written to {}", path.display());
}

#[test]
fn stacked_cpu_fills_to_its_value() {
    let o = Options::default();
    let (w, _, buf) = render_rgb(&doc(vec![cpu(1000)]), &o).unwrap();
    // %user of "all" is 2 * (i % 7), %system i % 3: the bottom row is %user
    // green somewhere, and nothing reaches 50 %.
    let bottom = VIEW_TOP + PLOT_BOTTOM - 2;
    assert!((PLOT_X..PLOT_X + 720).any(|x| pixel(&buf, w, x, bottom) == o.palette.series[0]));
    let half = VIEW_TOP + PLOT_BOTTOM - 100 - 3;
    assert!((PLOT_X + 2..PLOT_X + 720).all(|x| !o.palette.series[..3].contains(&pixel(&buf, w, x, half))));
    let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarkit-render-cpu-stacked.png");
    let mut out = Vec::new();
    let o = Options { show_toc: true, png_text: register_font(None), ..o };
    render_png(&doc(vec![cpu(1000), net(1000)]), &o, &mut out).unwrap();
    std::fs::write(&png, out).unwrap();
    println!("PNG written to {}", png.display());
}

#[test]
fn empty_and_oversized() {
    let (w, h, _) = render_rgb(&doc(vec![]), &Options::default()).unwrap();
    assert_eq!((w, h), (1060, 100));
    let o = Options { height: Some(u32::MAX), ..Options::default() };
    assert!(matches!(render_rgb(&doc(vec![]), &o), Err(RenderError::TooLarge { .. })));
}
