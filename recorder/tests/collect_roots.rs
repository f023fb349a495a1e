//! Records sysstat's fake /proc and /sys trees (roots/root1..root5 of the
//! conformance corpus) as run.py's recorder cases do, one sample per tree,
//! and checks what the file holds; then, when Debian's `sar` is installed,
//! that it reads the same recording written in 12.6 layouts.

use std::path::{Path, PathBuf};
use std::process::Command;

use sarkit_format::{ActivityId, AnyStats, Encoding, OpenOptions, RecordKind, SaFile, Writer};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::compat::Compat;
use sarkit_recorder::outfile::{fit, prepare_specs};
use sarkit_recorder::select;
use sarkit_recorder::source::SampleSource;

/// run.py's recorder cases: the activity list and one step per tree.
const ACTIVITIES: &str =
    "XALL,-A_FS,-A_PWR_CPU,-A_PWR_FAN,-A_PWR_IN,-A_PWR_TEMP,-A_PWR_FREQ,-A_PWR_USB,-A_PWR_BAT,-A_NET_FC";
const STEPS: [(&str, u64); 5] =
    [("root1", 1555593609), ("root2", 1555593619), ("root3", 1555593629), ("root4", 1555593639), ("root5", 1555593649)];

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if p.join("roots").is_dir() {
        Some(p)
    } else {
        println!("conformance corpus not found at {}: skipping", p.display());
        None
    }
}

/// The recording: created at the first step, appended at the others, each
/// sample fitted to the file's activity list as the recorder does.
fn record(corpus: &Path, compat: Compat) -> Vec<u8> {
    let sel = select::parse(ACTIVITIES).unwrap();
    let (root, t0) = STEPS[0];
    let mut first = Collector::new(corpus.join("roots").join(root), sel.clone());
    let hdr = first.header_info(t0).unwrap();
    let specs = prepare_specs(compat, first.specs().unwrap());
    let mut w = Writer::create(Vec::new(), &hdr, specs.clone(), Encoding::NATIVE).unwrap();
    for (i, (root, t)) in STEPS.iter().enumerate() {
        let sample = if i == 0 {
            first.sample(*t).unwrap()
        } else {
            Collector::new(corpus.join("roots").join(root), sel.clone()).sample(*t).unwrap()
        };
        w.write_sample(&fit(&sample, &specs)).unwrap();
    }
    w.into_inner()
}

#[test]
fn roots_record_the_activities_and_items_sysstat_saw() {
    let Some(corpus) = corpus() else { return };
    let bytes = record(&corpus, Compat::Current);
    let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
    assert_eq!(f.info.header.sa_cpu_nr, 10, "cpu0..cpu8 in root1's /sys, plus all");

    let declared: Vec<(u32, i32, i32)> = f.info.activities.iter().map(|a| (a.id, a.nr, a.nr2)).collect();
    assert_eq!(declared.len(), 34);
    let decl = |id: ActivityId| declared.iter().find(|a| a.0 == id.0).map(|a| (a.1, a.2));
    assert_eq!(decl(ActivityId::A_CPU), Some((10, 1)));
    // 43 interrupt lines in root1's /proc/interrupts, plus "sum".
    assert_eq!(decl(ActivityId::A_IRQ), Some((10, 44)));
    // With partitions, every /proc/diskstats line counts at creation.
    assert_eq!(decl(ActivityId::A_DISK), Some((22, 1)));
    assert_eq!(decl(ActivityId::A_NET_DEV), Some((6, 1)));
    assert_eq!(decl(ActivityId::A_SERIAL), Some((2, 1)));
    assert_eq!(decl(ActivityId::A_NET_SOFT), Some((10, 1)));
    assert_eq!(decl(ActivityId::A_PSI_MEM), Some((1, 1)));
    assert_eq!(decl(ActivityId::A_FS), None);
    assert_eq!(decl(ActivityId::A_NET_FC), None);

    let mut per_record = Vec::new();
    while let Some(r) = f.next_record().unwrap() {
        let RecordKind::Stats(s) = &r.kind else { panic!("only statistics records") };
        let items = |id: ActivityId| s.blocks().find(|b| b.id() == id).map(|b| b.nr);
        let names = s
            .blocks()
            .find(|b| b.id() == ActivityId::A_NET_DEV)
            .and_then(|b| match AnyStats::from_block(&b) {
                Some(AnyStats::NetDev(v)) => Some(v.iter().map(|d| d.interface.to_str_lossy().into_owned()).collect()),
                _ => None,
            })
            .unwrap_or_else(Vec::<String>::new);
        per_record.push((
            r.header.ust_time,
            r.header.uptime_cs,
            items(ActivityId::A_CPU),
            items(ActivityId::A_IRQ),
            items(ActivityId::A_NET_SOFT),
            items(ActivityId::A_DISK),
            names,
        ));
    }
    let times: Vec<u64> = per_record.iter().map(|r| r.0).collect();
    assert_eq!(times, STEPS.iter().map(|s| s.1).collect::<Vec<_>>());
    assert_eq!(per_record[0].1, 719255);
    // CPUs up to the highest online one: root2 lacks cpu8, root3 cpu6 and cpu8.
    let cpus: Vec<_> = per_record.iter().map(|r| r.2).collect();
    assert_eq!(cpus, [Some(10), Some(9), Some(9), Some(10), Some(10)]);
    let irqs: Vec<_> = per_record.iter().map(|r| r.3).collect();
    assert_eq!(irqs, [Some(10), Some(9), Some(9), Some(10), Some(10)]);
    let soft: Vec<_> = per_record.iter().map(|r| r.4).collect();
    assert_eq!(soft, [Some(10), Some(9), Some(9), Some(10), Some(10)]);
    // Used devices and partitions only: 17 of root1's 22 lines.
    assert_eq!(per_record[0].5, Some(17));
    assert_eq!(per_record[3].6, ["lo", "enp6s0", "enp6s1", "virbr0-1", "wlp5s0", "wlp5s1"]);
    assert_eq!(per_record[4].6.len(), 8, "interfaces appearing after creation are recorded");
}

/// Lines of `sar` output from the second on, without columns 12.6 lacks.
fn sar(file: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("/usr/bin/sar")
        .args(args)
        .arg("-f")
        .arg(file)
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .ok()?;
    assert!(out.status.success(), "sar failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).lines().skip(1).map(|l| l.to_string() + "\n").collect())
}

#[test]
fn debian_sar_reads_the_recording_in_12_6_layouts() {
    let Some(corpus) = corpus() else { return };
    if !Path::new("/usr/bin/sar").exists() {
        println!("/usr/bin/sar not installed: skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa-roots");
    std::fs::write(&file, record(&corpus, Compat::parse("12.6.1").unwrap())).unwrap();
    let Some(got) = sar(&file, &["-u", "ALL", "-P", "ALL", "-n", "DEV,EDEV", "-w"]) else { return };
    let want = std::fs::read_to_string(corpus.join("expected/record-root1-5-core.out")).unwrap();
    // CPU, task, and network sections print the same in 12.6.1 and 12.7.9;
    // the memory section (absent here) differs by release.
    let mut want_sections: Vec<&str> = want.split("\n\n").collect();
    want_sections.retain(|s| !s.contains("kbmemfree"));
    let got_sections: Vec<&str> = got.split("\n\n").collect();
    assert_eq!(got_sections.len(), want_sections.len(), "{got}");
    for (g, w) in got_sections.iter().zip(&want_sections) {
        assert_eq!(g.trim_end(), w.trim_end());
    }
}
