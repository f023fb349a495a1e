//! `rsadf -g`: the structure of the SVG (views, titles, legends: text and
//! element counts, not coordinates) as snapshots, its XML validity, a PNG
//! pixel, and, when `../shared/conformance` is present, view counts against
//! sysstat 12.7.9's reference pictures.

use std::path::{Path, PathBuf};
use std::process::Command;

use sarkit_format::{ActivityId, ActivitySpec, HeaderInfo, RecordHeader, SaFile, Sample, SampleBody, Writer};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

const FIXTURE: &str = "testdata/sa-debian-12.6.1-xall";

fn rsadf_bytes(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_rsadf"))
        .args(args)
        .current_dir(root())
        .env_remove("S_COLORS_PALETTE")
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .expect("rsadf runs");
    assert!(out.status.success(), "rsadf {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn rsadf(args: &[&str]) -> String {
    String::from_utf8(rsadf_bytes(args)).expect("UTF-8 output")
}

/// The first view (an `svg` directly in a `g`) whose text includes `title`.
fn view_titled<'a, 'i>(doc: &'a roxmltree::Document<'i>, title: &str) -> Option<roxmltree::Node<'a, 'i>> {
    doc.descendants().find(|n| {
        n.has_tag_name("svg")
            && n.parent().is_some_and(|p| p.has_tag_name("g"))
            && n.descendants().any(|d| d.is_text() && d.text().is_some_and(|t| t.contains(title)))
    })
}

/// The picture without coordinates: per element name its count, then every
/// text in document order (grid labels and times included).
fn structure(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    let mut texts = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        *counts.entry(n.tag_name().name().to_string()).or_default() += 1;
        if n.tag_name().name() == "text" {
            texts.push(text_of(n));
        }
        if n.tag_name().name() == "g" {
            if let Some(id) = n.attribute("id") {
                texts.push(format!("<g id={id}>"));
            }
        }
    }
    let mut s = String::new();
    for (k, v) in counts {
        s.push_str(&format!("{k}: {v}\n"));
    }
    s.push_str("---\n");
    for t in texts {
        s.push_str(&t);
        s.push('\n');
    }
    s
}

fn text_of(n: roxmltree::Node<'_, '_>) -> String {
    n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect::<String>().trim().to_string()
}

/// The title of each view: the first text of each view's own `<svg>`.
fn view_titles(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name("svg") && n.parent().is_some_and(|p| p.has_tag_name("g")))
        .filter_map(|v| v.descendants().find(|n| n.has_tag_name("text")).map(text_of))
        .collect()
}

#[test]
fn cpu_view_is_stable() {
    let svg = rsadf(&["-g", FIXTURE]);
    insta::assert_snapshot!("graph_u", structure(&svg));
}

#[test]
fn cpu_per_processor_with_idle_and_toc() {
    let svg = rsadf(&["-g", "-P", "ALL", "-O", "showidle,showtoc", FIXTURE, "--", "-u", "ALL"]);
    let s = structure(&svg);
    assert!(s.contains("CPU utilization [all]") && s.contains("CPU utilization [1]"));
    assert!(s.contains("%idle (") && s.contains("%gnice ("));
    insta::assert_snapshot!("graph_u_all_p_all", s);
}

#[test]
fn memory_views_are_stable() {
    let svg = rsadf(&["-g", FIXTURE, "--", "-r"]);
    insta::assert_snapshot!("graph_r", structure(&svg));
    let all = rsadf(&["-g", FIXTURE, "--", "-r", "ALL", "-S"]);
    let s = structure(&all);
    assert!(s.contains("Memory utilization (6)") && s.contains("Swap utilization (3)"));
    assert!(s.contains("MBvmused ("));
}

#[test]
fn interface_views_are_stable() {
    let svg = rsadf(&["-g", FIXTURE, "--", "-n", "DEV"]);
    insta::assert_snapshot!("graph_n_dev", structure(&svg));
}

#[test]
fn time_zones_limits_and_options() {
    // -s/-e keep a window; -t names the file's zone under the axis.
    let svg = rsadf(&["-g", "-t", "-s", "21:30:22", "-e", "21:30:25", FIXTURE]);
    let s = structure(&svg);
    assert!(s.contains("21:30:22") && !s.contains("21:30:26"), "{s}");
    let opts =
        rsadf(&["-g", "-T", "-O", "oneday,packed,skipempty,autoscale,bwcol,height=400", FIXTURE, "--", "-u", "-r"]);
    assert!(opts.contains("height=\"400\""));
    let s = structure(&opts);
    assert!(s.contains("\n0:00\n") && s.contains("\n2:00\n") && s.contains("\nGMT\n"), "{s}");
    // skipempty leaves out the all-zero views of an idle network.
    assert_eq!(view_titles(&rsadf(&["-g", "-O", "skipempty", FIXTURE, "--", "-n", "DEV"])), Vec::<String>::new());
}

/// Writes the fixture's records again with a LINUX RESTART in the middle.
fn with_restart(dst: &Path) {
    let mut f = SaFile::open(root().join(FIXTURE)).expect("fixture opens");
    let hdr = HeaderInfo::from_file(&f.info.magic, &f.info.header);
    let specs: Vec<ActivitySpec> = f
        .info
        .activities
        .iter()
        .filter_map(|a| ActivitySpec::current(ActivityId(a.id), a.nr.max(0) as u32, a.nr2.max(1) as u32))
        .collect();
    let cpu_nr = f.info.header.sa_cpu_nr;
    let mut w = Writer::create(Vec::new(), &hdr, specs, f.info.enc).unwrap();
    let mut n = 0;
    while let Some(r) = f.next_record().unwrap() {
        let s = Sample::from_record(r.header, &r.kind);
        if n == 5 {
            let header = RecordHeader { ust_time: s.header.ust_time, ..s.header };
            w.write_sample(&Sample { header, body: SampleBody::Restart { cpu_nr } }).unwrap();
        }
        w.write_sample(&s).unwrap();
        n += 1;
    }
    std::fs::write(dst, w.into_inner()).unwrap();
}

#[test]
fn restart_breaks_lines_in_every_panel() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa-restart");
    with_restart(&file);
    let f = file.to_str().unwrap();
    let svg = rsadf(&["-g", f, "--", "-n", "DEV", "-d"]);
    let titles = view_titles(&svg);
    let devs = titles.iter().filter(|t| t.starts_with("Block devices statistics (1)")).count();
    let ifaces = titles.iter().filter(|t| t.starts_with("Network interfaces statistics (1)")).count();
    assert!(devs >= 1 && ifaces >= 2, "{titles:?}");
    // One panel per device and interface, five and four views each.
    assert_eq!(titles.iter().filter(|t| t.starts_with("Block devices")).count(), 5 * devs);
    assert_eq!(titles.iter().filter(|t| t.starts_with("Network interfaces")).count(), 4 * ifaces);
    insta::assert_snapshot!("graph_d_n_dev_restart", structure(&svg));
    // Every line view is drawn as two runs: paths split at the restart.
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let view = view_titled(&doc, "Block devices statistics (2)").expect("a disk view");
    // Data lines, not the grid (#202020) or the axes (#FFFFFF).
    let lines = |v: roxmltree::Node<'_, '_>| {
        v.descendants()
            .filter(|n| n.has_tag_name("polyline") && !matches!(n.attribute("stroke"), Some("#202020" | "#FFFFFF")))
            .count()
    };
    let runs = lines(view);
    let no_restart = rsadf(&["-g", FIXTURE, "--", "-d"]);
    let d2 = roxmltree::Document::parse(&no_restart).unwrap();
    let plain = view_titled(&d2, "Block devices statistics (2)").map(lines).unwrap();
    assert_eq!((plain, runs), (3, 6), "three series, two runs each after the restart");
}

#[test]
fn svg_is_valid_xml_for_xmllint() {
    let svg = rsadf(&["-g", "-P", "ALL", "-O", "showtoc,showinfo", FIXTURE, "--", "-A"]);
    roxmltree::Document::parse(&svg).expect("well-formed");
    if !cfg!(sarkit_xmllint) {
        println!("skipped xmllint: not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.svg");
    std::fs::write(&p, &svg).unwrap();
    let r = Command::new("xmllint").arg("--noout").arg(&p).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

#[test]
fn png_has_the_view_background_and_header_colours() {
    let bytes = rsadf_bytes(&["-g", "-O", "png", FIXTURE]);
    let dec = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = dec.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!((info.width, info.height), (1060, 370));
    let px = |x: usize, y: usize| {
        let i = (y * info.width as usize + x) * info.color_type.samples();
        (buf[i], buf[i + 1], buf[i + 2])
    };
    // Above the views the page is white; inside a view, sadf's black background.
    assert_eq!(px(1055, 5), (255, 255, 255));
    assert_eq!(px(900, 300), (0, 0, 0));
    // The stacked %user band is sadf's first colour (#00cc00) at the bottom of the plot.
    let green = (0..720).filter(|&x| px(70 + x, 60 + 248) == (0x00, 0xcc, 0x00)).count();
    assert!(green > 100, "{green} green pixels");
}

/// sysstat 12.7.9's pictures: the same views, by title, for the cases whose
/// activities rsadf draws (counts we compute, no snapshot of shared data).
#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn view_titles_match_reference_pictures() {
    let conf = sarkit_testkit::corpus();
    let cases: &[(&str, &[&str])] = &[
        (
            "sadf-g-data-long-d-dev-sds-n-DEV-EDEV-iface-wlp5s0",
            &["-g", "data/data-long", "--", "-d", "--dev=sds", "-n", "DEV,EDEV", "--iface=wlp5s0"],
        ),
        ("sadf-g-data-11.6.5.conv-m-FAN-IN-TEMP", &["-g", "data/data-11.6.5.conv", "--", "-m", "FAN,IN,TEMP"]),
        ("sadf-O-height-370-g-data", &["-O", "height=370", "-g", "data/data"]),
    ];
    for (name, args) in cases {
        let args: Vec<String> = args
            .iter()
            .map(|a| if a.starts_with("data/") { conf.join(a).to_string_lossy().into_owned() } else { a.to_string() })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ours = view_titles(&rsadf(&args));
        let reference = std::fs::read_to_string(conf.join("reference-svg").join(format!("{name}.svg"))).unwrap();
        // sysstat's titles carry the "(Min, Max values)" tspan; take the first line.
        let refs: Vec<String> = reference
            .lines()
            .filter(|l| l.starts_with("<text x=\"0\" y=") && l.contains("stroke: none\">"))
            .filter_map(|l| l.split("stroke: none\">").nth(1))
            .map(|t| t.trim_end_matches("</text>").to_string())
            .filter(|t| t != "No data")
            .collect();
        assert_eq!(ours, refs, "{name}");
    }
}
