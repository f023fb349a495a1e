//! Renders a synthetic day of one-second samples, as `sadf -g -- -u -P ALL
//! -r ALL -n DEV,EDEV` would for 16 CPUs and 8 interfaces, and prints how
//! long it took and how big the output is.
//!
//! cargo run --release -p sarkit-render --example day [-- png]

use std::time::Instant;

use sarkit_render::*;

const DAY: i64 = 86_400;
const T0: i64 = 1_555_545_600; // 2019-04-18 00:00:00 UTC

/// A small deterministic noise source, so runs compare.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn series(name: &str, rng: &mut Rng, f: impl Fn(f64, f64) -> f64) -> Series {
    let points = (1..=DAY)
        .map(|i| {
            // A restart at 12:00 breaks every line once.
            if i == DAY / 2 {
                return None;
            }
            let h = i as f64 / 3600.0;
            Some((T0 + i, f(h, rng.next()).max(0.0)))
        })
        .collect();
    Series::new(name, points)
}

fn line(title: &str, unit: &str, panels: Vec<Panel>) -> Graph {
    Graph { title: title.into(), unit: unit.into(), kind: Kind::Line, panels }
}

fn document() -> Document {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let wave = |h: f64| (h / 24.0 * std::f64::consts::TAU).sin();

    let cpu_panels = (0..17)
        .map(|c| Panel {
            title: if c == 0 { "all".into() } else { (c - 1).to_string() },
            series: vec![
                series("%user", &mut rng, |h, r| 25.0 + 15.0 * wave(h) + 10.0 * r),
                series("%nice", &mut rng, |_, r| if r > 0.999 { 30.0 } else { 0.5 * r }),
                series("%system", &mut rng, |h, r| 8.0 + 3.0 * wave(h) + 4.0 * r),
                series("%iowait", &mut rng, |_, r| 2.0 * r * r),
                series("%steal", &mut rng, |_, _| 0.0),
            ],
        })
        .collect();
    let cpu = Section {
        id: 1,
        name: "A_CPU".into(),
        desc: "CPU utilization".into(),
        graphs: vec![Graph {
            title: "CPU utilization".into(),
            unit: "%".into(),
            kind: Kind::Stacked,
            panels: cpu_panels,
        }],
    };

    let mem_views: [(&str, Kind, &[&str]); 6] = [
        ("Memory utilization (1)", Kind::Line, &["MBmemfree", "MBavail", "MBmemused"]),
        ("Memory utilization (2)", Kind::Stacked, &["%memused"]),
        ("Memory utilization (3)", Kind::Line, &["MBbuffers", "MBcached", "MBshared", "MBcommit"]),
        ("Memory utilization (4)", Kind::Stacked, &["%commit"]),
        ("Memory utilization (5)", Kind::Line, &["MBactive", "MBinact", "MBdirty"]),
        ("Memory utilization (6)", Kind::Line, &["MBanonpg", "MBslab", "MBkstack", "MBpgtbl", "MBvmused"]),
    ];
    let mem = Section {
        id: 7,
        name: "A_MEMORY".into(),
        desc: "Memory and/or swap utilization".into(),
        graphs: mem_views
            .iter()
            .enumerate()
            .map(|(k, (title, kind, names))| Graph {
                title: title.to_string(),
                unit: String::new(),
                kind: *kind,
                panels: vec![Panel {
                    title: String::new(),
                    series: names
                        .iter()
                        .enumerate()
                        .map(|(j, n)| {
                            let base = 1000.0 * (k + j + 1) as f64;
                            series(n, &mut rng, move |h, r| {
                                if *kind == Kind::Stacked {
                                    40.0 + 10.0 * wave(h) + r
                                } else {
                                    base + 200.0 * wave(h) + 20.0 * r
                                }
                            })
                        })
                        .collect(),
                }],
            })
            .collect(),
    };

    let ifaces: Vec<String> = (0..8).map(|i| format!("eth{i}")).collect();
    let dev_views: [(&str, &str, Kind, &[&str]); 4] = [
        ("Network interfaces statistics (1)", "packets/s", Kind::Line, &["rxpck/s", "txpck/s"]),
        ("Network interfaces statistics (2)", "kB/s", Kind::Line, &["rxkB/s", "txkB/s"]),
        ("Network interfaces statistics (3)", "packets/s", Kind::Line, &["rxcmp/s", "txcmp/s", "rxmcst/s"]),
        ("Network interfaces statistics (4)", "%", Kind::Stacked, &["%ifutil"]),
    ];
    let edev_views: [(&str, &[&str]); 4] = [
        ("Network interfaces errors statistics (1)", &["rxerr/s", "txerr/s"]),
        ("Network interfaces errors statistics (2)", &["rxdrop/s", "txdrop/s"]),
        ("Network interfaces errors statistics (3)", &["rxfifo/s", "txfifo/s"]),
        ("Network interfaces errors statistics (4)", &["coll/s", "txcarr/s", "rxfram/s"]),
    ];
    let dev = Section {
        id: 12,
        name: "A_NET_DEV".into(),
        desc: "Network interfaces statistics".into(),
        graphs: dev_views
            .iter()
            .map(|(title, unit, kind, names)| Graph {
                title: title.to_string(),
                unit: unit.to_string(),
                kind: *kind,
                panels: ifaces
                    .iter()
                    .map(|i| Panel {
                        title: i.clone(),
                        series: names
                            .iter()
                            .map(|n| series(n, &mut rng, |h, r| 500.0 + 400.0 * wave(h) + 300.0 * r * r * r))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let edev = Section {
        id: 13,
        name: "A_NET_EDEV".into(),
        desc: "Network interfaces errors statistics".into(),
        graphs: edev_views
            .iter()
            .map(|(title, names)| {
                line(
                    title,
                    "/s",
                    ifaces
                        .iter()
                        .map(|i| Panel {
                            title: i.clone(),
                            series: names
                                .iter()
                                .map(|n| series(n, &mut rng, |_, r| if r > 0.9995 { 1.0 } else { 0.0 }))
                                .collect(),
                        })
                        .collect(),
                )
            })
            .collect(),
    };
    Document {
        header: "Linux 6.1.0-synthetic (day) \t04/18/19 \t_x86_64_\t(16 CPU)".into(),
        host: "day".into(),
        date: "04/18/19".into(),
        start: Some(T0),
        end: None,
        sections: vec![cpu, mem, dev, edev],
    }
}

fn main() -> Result<(), RenderError> {
    let png = std::env::args().any(|a| a == "png");
    let t = Instant::now();
    let doc = document();
    let points: usize = doc
        .sections
        .iter()
        .flat_map(|s| &s.graphs)
        .flat_map(|g| &g.panels)
        .flat_map(|p| &p.series)
        .map(|s| s.points.len())
        .sum();
    println!("built {points} points in {:.2?}", t.elapsed());

    let opts = Options { show_toc: true, png_text: png && register_font(None), ..Options::default() };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let t = Instant::now();
    let mut svg = Vec::new();
    render_svg(&doc, &opts, &mut svg)?;
    println!("svg: {:.2?}, {} bytes ({:.2} MB)", t.elapsed(), svg.len(), svg.len() as f64 / 1e6);
    std::fs::write(dir.join("day.svg"), &svg)?;
    println!("wrote {}", dir.join("day.svg").display());
    if png {
        let t = Instant::now();
        let mut out = Vec::new();
        render_png(&doc, &opts, &mut out)?;
        println!("png: {:.2?}, {} bytes", t.elapsed(), out.len());
        std::fs::write(dir.join("day.png"), &out)?;
        println!("wrote {}", dir.join("day.png").display());
    }
    Ok(())
}
