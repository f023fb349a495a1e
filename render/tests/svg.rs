//! SVG output: well-formed XML, and its structure (elements and text, not
//! coordinates) snapshotted for a few synthetic graphs.

mod common;

use std::collections::BTreeMap;

use common::*;
use sarkit_render::*;

fn svg(d: &Document, o: &Options) -> String {
    let mut out = Vec::new();
    render_svg(d, o, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

/// Element counts, then every text in document order.
fn structure(svg: &str) -> String {
    let x = roxmltree::Document::parse(svg).expect("well-formed XML");
    let mut counts = BTreeMap::new();
    let mut texts = Vec::new();
    for n in x.descendants() {
        if n.is_element() {
            *counts.entry(n.tag_name().name().to_string()).or_insert(0) += 1;
            if n.tag_name().name() == "text" {
                let t: String = n.descendants().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
                texts.push(t.trim().to_string());
            }
            if let Some(id) = n.attribute("id") {
                texts.push(format!("#{id}"));
            }
        }
    }
    let mut s: String = counts.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    s.push_str("--\n");
    s.push_str(&texts.join("\n"));
    s
}

#[test]
fn cpu_with_toc_and_info() {
    let o = Options { show_toc: true, show_info: true, ..Options::default() };
    insta::assert_snapshot!(structure(&svg(&doc(vec![cpu(100)]), &o)));
}

#[test]
fn net_packed_autoscaled() {
    let o = Options { packed: true, autoscale: true, ..Options::default() };
    let s = svg(&doc(vec![net(3000)]), &o);
    // Two views per row, one row per interface.
    assert!(s.contains("width=\"2120\" height=\"680\""), "{}", &s[..300]);
    insta::assert_snapshot!(structure(&s));
}

#[test]
fn skipempty_and_bw_one_day() {
    let o = Options { skip_empty: true, one_day: true, palette: Palette::black_and_white(), ..Options::default() };
    // The eth0 panels (k = 0) are all zero and go.
    insta::assert_snapshot!(structure(&svg(&doc(vec![net(10)]), &o)));
}

#[test]
fn no_data() {
    insta::assert_snapshot!(structure(&svg(&doc(vec![]), &Options::default())));
}

#[test]
fn height_option_sets_canvas() {
    let o = Options { height: Some(370), ..Options::default() };
    assert!(svg(&doc(vec![cpu(5)]), &o).contains("height=\"370\""));
    let o = Options { height: Some(3), ..Options::default() };
    assert!(svg(&doc(vec![]), &o).contains("height=\"100\""));
}

#[test]
fn hostile_inputs_stay_valid() {
    let nasty = Series::new(
        "<&\"'\u{1}>",
        vec![
            None,
            Some((T0, f64::NAN)),
            Some((i64::MAX, f64::MAX)),
            None,
            Some((i64::MIN, -f64::MAX)),
            Some((T0, f64::INFINITY)),
        ],
    );
    let one = Series::new("one", vec![Some((T0 + 5, 1e300))]);
    let empty = Series::new("empty", vec![]);
    let mk = |kind| Graph {
        title: "T&<".into(),
        unit: "u\"".into(),
        kind,
        panels: vec![
            Panel { title: "]]>".into(), series: vec![nasty.clone(), one.clone(), empty.clone()] },
            Panel { title: String::new(), series: vec![] },
        ],
    };
    let sec =
        Section { id: u32::MAX, name: "<".into(), desc: "&".into(), graphs: vec![mk(Kind::Line), mk(Kind::Stacked)] };
    for o in [
        Options::default(),
        Options {
            autoscale: true,
            one_day: true,
            packed: true,
            show_toc: true,
            show_info: true,
            skip_empty: true,
            tz_offset: i64::MIN,
            ..Options::default()
        },
    ] {
        let mut d = doc(vec![sec.clone(), Section::default()]);
        d.header = "\u{0}<x>".into();
        structure(&svg(&d, &o));
        render_rgb(&d, &o).unwrap();
        d.start = Some(i64::MAX);
        d.end = Some(i64::MIN);
        structure(&svg(&d, &o));
        render_rgb(&d, &o).unwrap();
    }
}

#[test]
fn day_sized_output_is_bounded_by_width() {
    // 86,400 points in one view cost about what a few thousand do.
    let sec = |n| Section {
        id: 1,
        name: "A".into(),
        desc: "a".into(),
        graphs: vec![Graph {
            title: "g".into(),
            unit: String::new(),
            kind: Kind::Line,
            panels: vec![Panel {
                title: String::new(),
                series: vec![Series::new("s", pts(n, |i| ((i * 7919) % 101) as f64))],
            }],
        }],
    };
    let small = svg(&doc(vec![sec(3000)]), &Options::default()).len();
    let big = svg(&doc(vec![sec(86_400)]), &Options::default()).len();
    assert!(big < small * 2, "{big} vs {small}");
    assert!(big < 60_000, "{big}");
}
