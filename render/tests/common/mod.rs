//! Synthetic documents shared by the tests.
#![allow(dead_code)]

use sarkit_render::*;

pub const T0: i64 = 1_555_593_600; // 2019-04-18 13:20:00 UTC

/// `n` one-second points from `T0 + 1`, valued by `f(i)`.
pub fn pts(n: i64, f: impl Fn(i64) -> f64) -> Vec<Point> {
    (0..n).map(|i| Some((T0 + 1 + i, f(i)))).collect()
}

pub fn doc(sections: Vec<Section>) -> Document {
    Document {
        header: "Linux 6.1.0 (test-host) \t04/18/19 \t_x86_64_\t(2 CPU)".into(),
        host: "test-host".into(),
        date: "2019-04-18".into(),
        start: Some(T0),
        end: None,
        sections,
    }
}

pub fn cpu(n: i64) -> Section {
    let panel = |title: &str, k: f64| Panel {
        title: title.into(),
        series: vec![
            Series::new("%user", pts(n, |i| k * (i % 7) as f64)),
            Series::new("%nice", pts(n, |_| 0.0)),
            Series::new("%system", pts(n, |i| (i % 3) as f64)),
        ],
    };
    cpu_section(Kind::Stacked, vec![panel("all", 2.0), panel("0", 3.0), panel("1", 1.0)])
}

/// The A_CPU section: one "CPU utilization" graph of `kind` with `panels`.
pub fn cpu_section(kind: Kind, panels: Vec<Panel>) -> Section {
    Section {
        id: 1,
        name: "A_CPU".into(),
        desc: "CPU utilization".into(),
        graphs: vec![Graph { title: "CPU utilization".into(), unit: String::new(), kind, panels }],
    }
}

pub fn net(n: i64) -> Section {
    let ifaces = ["eth0", "lo"];
    let graph = |title: &str, names: &[&str], scale: f64| Graph {
        title: title.into(),
        unit: String::new(),
        kind: Kind::Line,
        panels: ifaces
            .iter()
            .enumerate()
            .map(|(k, i)| Panel {
                title: i.to_string(),
                series: names
                    .iter()
                    .enumerate()
                    .map(|(j, s)| {
                        Series::new(
                            *s,
                            pts(n, |t| scale * (k as f64) * ((t + j as i64) % 5) as f64 * 10f64.powi(j as i32)),
                        )
                    })
                    .collect(),
            })
            .collect(),
    };
    Section {
        id: 12,
        name: "A_NET_DEV".into(),
        desc: "Network interfaces statistics".into(),
        graphs: vec![
            graph("Network interfaces statistics (1)", &["rxpck/s", "txpck/s"], 1.0),
            graph("Network interfaces statistics (2)", &["rxkB/s", "txkB/s"], 0.5),
        ],
    }
}
