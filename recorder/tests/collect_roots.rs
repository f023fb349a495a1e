//! Records sysstat's fake /proc and /sys trees (roots/root1..root5 of the
//! conformance corpus) as run.py's recorder cases do, one sample per tree,
//! and checks what the file holds; then, when Debian's `sar` is installed,
//! that it reads the same recording written in 12.6 layouts.

use std::path::Path;
use std::process::Command;

use sarkit_format::{ActivityId, AnyStats, Compat, Encoding, OpenOptions, RecordKind, SaFile, Writer};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::outfile::{fit, prepare_specs};
use sarkit_recorder::select;
use sarkit_recorder::source::SampleSource;

/// run.py's recorder cases: the activity list and one step per tree.
const ACTIVITIES: &str =
    "XALL,-A_FS,-A_PWR_CPU,-A_PWR_FAN,-A_PWR_IN,-A_PWR_TEMP,-A_PWR_FREQ,-A_PWR_USB,-A_PWR_BAT,-A_NET_FC";
const STEPS: [(&str, u64); 5] =
    [("root1", 1555593609), ("root2", 1555593619), ("root3", 1555593629), ("root4", 1555593639), ("root5", 1555593649)];

use sarkit_testkit::corpus;

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

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn roots_record_the_activities_and_items_sysstat_saw() {
    let corpus = corpus();
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
fn sar(file: &Path, args: &[&str]) -> String {
    let out = Command::new(sarkit_testkit::SAR)
        .args(args)
        .arg("-f")
        .arg(file)
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .unwrap();
    assert!(out.status.success(), "sar failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().skip(1).map(|l| l.to_string() + "\n").collect()
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn debian_sar_reads_the_recording_in_12_6_layouts() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sa-roots");
    std::fs::write(&file, record(&corpus, Compat::parse("12.6.1").unwrap())).unwrap();
    let got = sar(&file, &["-u", "ALL", "-P", "ALL", "-n", "DEV,EDEV", "-w"]);
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

/// CPU counts of a fake machine, one per source.
#[derive(Clone, Copy)]
struct Sources {
    sys: u32,
    stat: u32,
    interrupts: u32,
    softirqs: u32,
    softnet: u32,
    cpuinfo: u32,
}

/// Interrupt `irq` on CPU `cpu` at step `step`: distinct, and growing by
/// `(irq + 1) * (cpu + 1)` per step.
fn irq_count(irq: u32, cpu: u32, step: u32) -> u32 {
    (irq + 1) * (cpu + 1) * (10 + step)
}

/// A /proc and /sys tree whose sources list `n` CPUs each, at `step`.
fn machine(dir: &Path, n: Sources, step: u32) {
    let write = |rel: &str, text: String| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    for c in 0..n.sys {
        std::fs::create_dir_all(dir.join(format!("sys/devices/system/cpu/cpu{c}"))).unwrap();
    }
    let mut stat = format!("cpu  {} 0 {} {} 0 0 0 0 0 0\n", 10 * n.stat, 10 * n.stat, 100 * n.stat);
    for c in 0..n.stat {
        stat += &format!("cpu{c} {} 0 10 100 0 0 0 0 0 0\n", 10 + step);
    }
    write("proc/stat", stat + "intr 1000\nctxt 5000\nbtime 1555568347\nprocesses 100\n");
    let columns = |cpus: u32| (0..cpus).map(|c| format!("{:>11}", format!("CPU{c}"))).collect::<String>();
    let mut intr = format!("{columns}\n", columns = columns(n.interrupts));
    for (irq, name) in ["0", "1", "NMI"].iter().enumerate() {
        let vals: String = (0..n.interrupts).map(|c| format!(" {:>10}", irq_count(irq as u32, c, step))).collect();
        intr += &format!("{name:>3}:{vals}   IO-APIC   edge\n");
    }
    write("proc/interrupts", intr);
    let vals: String = (0..n.softirqs).map(|c| format!(" {:>10}", c + step)).collect();
    write("proc/softirqs", format!("      {}\n          HI:{vals}\n       TIMER:{vals}\n", columns(n.softirqs)));
    let softnet: String = (0..n.softnet)
        .map(|c| {
            format!(
                "{:08x} 00000001 00000002 0 0 0 0 0 0 00000003 00000004 00000005 {c:08x}\n",
                100 * (c + 1) * (step + 1)
            )
        })
        .collect();
    write("proc/net/softnet_stat", softnet);
    let cpuinfo: String =
        (0..n.cpuinfo).map(|c| format!("processor\t: {c}\ncpu MHz\t\t: {}.500\n\n", 1000 + 100 * c)).collect();
    write("proc/cpuinfo", cpuinfo);
    write("proc/uptime", format!("{}.00 0.00\n", 1000 + step));
}

/// Two samples of a machine whose sources list `n` CPUs, in 12.7.9 layouts.
fn record_machine(n: Sources) -> SaFile {
    let dir = tempfile::tempdir().unwrap();
    let sel = select::parse("A_NULL,A_CPU,A_IRQ,A_NET_SOFT,A_PWR_CPU").unwrap();
    let mut w = None;
    for step in 0..2 {
        let root = dir.path().join(format!("step{step}"));
        machine(&root, n, step);
        let mut c = Collector::new(root, sel.clone());
        let w = w.get_or_insert_with(|| {
            let hdr = c.header_info(1_700_000_000).unwrap();
            let specs = prepare_specs(Compat::Current, c.specs().unwrap());
            Writer::create(Vec::new(), &hdr, specs, Encoding::NATIVE).unwrap()
        });
        let specs = w.specs().to_vec();
        w.write_sample(&fit(&c.sample(1_700_000_000 + u64::from(step)).unwrap(), &specs)).unwrap();
    }
    SaFile::from_bytes(w.unwrap().into_inner(), OpenOptions::default()).unwrap()
}

/// What a recording holds for A_CPU, A_IRQ, A_NET_SOFT and A_PWR_CPU.
struct PerCpu {
    /// Items declared in the header, -1 for an absent activity.
    declared: Vec<i32>,
    /// Items of each record.
    per_record: Vec<Vec<u32>>,
    /// A_IRQ's structures, per record.
    irqs: Vec<Vec<sarkit_format::stats::StatsIrq>>,
}

fn per_cpu(f: &mut SaFile) -> PerCpu {
    let ids = [ActivityId::A_CPU, ActivityId::A_IRQ, ActivityId::A_NET_SOFT, ActivityId::A_PWR_CPU];
    let declared = ids.iter().map(|id| f.info.activities.iter().find(|a| a.id == id.0).map_or(-1, |a| a.nr)).collect();
    let (mut per_record, mut irqs) = (Vec::new(), Vec::new());
    while let Some(r) = f.next_record().unwrap() {
        let RecordKind::Stats(s) = &r.kind else { panic!("only statistics records") };
        per_record.push(ids.iter().map(|&id| s.block(id).map_or(0, |b| b.nr)).collect());
        let b = s.block(ActivityId::A_IRQ).unwrap();
        let Some(AnyStats::Irq(v)) = AnyStats::from_block(&b) else { panic!("A_IRQ") };
        irqs.push(v);
    }
    PerCpu { declared, per_record, irqs }
}

/// Each source sizes its own activity: a source listing fewer CPUs than
/// another (softirqs, softnet_stat) or more (interrupts, cpuinfo, stat
/// beyond /sys) neither shrinks nor grows the others.
#[test]
fn each_per_cpu_activity_is_sized_from_its_own_source() {
    // Issue #10's machine: /proc/softirqs and softnet_stat list fewer CPUs.
    let fewer = Sources { sys: 4, stat: 4, interrupts: 4, softirqs: 2, softnet: 2, cpuinfo: 4 };
    let mut f = record_machine(fewer);
    assert_eq!(f.info.header.sa_cpu_nr, 5);
    let got = per_cpu(&mut f);
    assert_eq!(got.declared, [5, 5, 5, 5]);
    assert_eq!(got.per_record, [[5, 5, 5, 5], [5, 5, 5, 5]]);
    check_irqs(&got.irqs[0], 4, 0);
    check_irqs(&got.irqs[1], 4, 1);

    // /sys lists 2 CPUs, /proc/stat 4, /proc/interrupts 6, /proc/cpuinfo 6,
    // softnet_stat 3 (CPU 3 has no line: zero), softirqs 1.
    let disagree = Sources { sys: 2, stat: 4, interrupts: 6, softirqs: 1, softnet: 3, cpuinfo: 6 };
    let mut f = record_machine(disagree);
    assert_eq!(f.info.header.sa_cpu_nr, 5, "A_CPU's count: /proc/stat's 4 CPUs");
    let got = per_cpu(&mut f);
    assert_eq!(got.declared, [5, 7, 5, 7]);
    assert_eq!(got.per_record, [[5, 7, 5, 7], [5, 7, 5, 7]]);
    check_irqs(&got.irqs[0], 6, 0);
    check_irqs(&got.irqs[1], 6, 1);

    // softnet_stat lists more CPUs than /proc/stat and /sys.
    let more = Sources { sys: 2, stat: 2, interrupts: 2, softirqs: 2, softnet: 4, cpuinfo: 2 };
    let got = per_cpu(&mut record_machine(more));
    assert_eq!(got.declared, [3, 3, 5, 3]);
    assert_eq!(got.per_record, [[3, 3, 5, 3], [3, 3, 5, 3]]);
}

/// A_IRQ of the record at `step`: every CPU column, the "all" item summing them all.
fn check_irqs(v: &[sarkit_format::stats::StatsIrq], cpus: u32, step: u32) {
    let nr2 = 4;
    assert_eq!(v.len() as u32, (cpus + 1) * nr2);
    let at = |cpu: u32, irq: u32| v[(cpu * nr2 + irq) as usize].irq_nr;
    for irq in 0..3 {
        let want: u32 = (0..cpus).map(|c| irq_count(irq, c, step)).sum();
        assert_eq!(at(0, irq + 1), want, "all, interrupt {irq}");
        for c in 0..cpus {
            assert_eq!(at(c + 1, irq + 1), irq_count(irq, c, step), "CPU{c}, interrupt {irq}");
        }
    }
    let total: u32 = (0..3).flat_map(|i| (0..cpus).map(move |c| irq_count(i, c, step))).sum();
    assert_eq!(at(0, 0), total, "sum of all CPUs");
}
