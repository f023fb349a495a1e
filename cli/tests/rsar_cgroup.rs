//! Per-pod activity end to end: fake cgroup trees recorded into a file, then
//! `rsar --cgroup` and `rsadf` show the figures computed by hand from the
//! trees' counters; and Debian's sar, which skips the extension activity,
//! prints every report of such a file exactly as of the same file without it.

mod common;
mod parquet_support;

use std::path::{Path, PathBuf};

use sarkit_format::{Compat, Encoding, Writer};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::outfile::{fit, prepare_specs};
use sarkit_recorder::select::{self, Selection};
use sarkit_recorder::source::SampleSource;
use sarkit_testkit::cgroup_tree::{Counters, Driver, FakeNode, Pod, Qos, Version};

const T0: u64 = 1_700_000_000;

/// Record one sample per step of `roots` (a step may change its tree
/// between samples) with `sel`, in `compat`'s layouts, into `file`.
fn record(roots: &[PathBuf], sel: &Selection, compat: Compat, file: &Path) {
    let mut w: Option<Writer<Vec<u8>>> = None;
    for (k, root) in roots.iter().enumerate() {
        let mut c = Collector::new(root.clone(), sel.clone());
        let w = w.get_or_insert_with(|| {
            let hdr = c.header_info(T0).unwrap();
            Writer::create(Vec::new(), &hdr, prepare_specs(compat, c.specs().unwrap()), Encoding::NATIVE).unwrap()
        });
        let specs = w.specs().to_vec();
        w.write_sample(&fit(&c.sample(T0 + 10 * k as u64).unwrap(), &specs)).unwrap();
    }
    std::fs::write(file, w.unwrap().into_inner()).unwrap();
}

fn run(bin: &str, args: &[&str]) -> String {
    let out = common::sysstat_command(bin).args(args).output().unwrap();
    assert!(out.status.success(), "{bin} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn rsar(args: &[&str]) -> String {
    run(env!("CARGO_BIN_EXE_rsar"), args)
}

fn rsadf(args: &[&str]) -> String {
    run(env!("CARGO_BIN_EXE_rsadf"), args)
}

/// The first sample's counters: what the pod had used when recording began.
fn before() -> Counters {
    Counters {
        user_usec: 5_000_000,
        system_usec: 1_000_000,
        nr_periods: 1_000,
        nr_throttled: 100,
        throttled_usec: 400_000,
        pgfault: 50_000,
        pgmajfault: 500,
        refault_anon: 10,
        refault_file: 20,
        oom: 3,
        oom_kill: 1,
        rbytes: 100 << 20,
        wbytes: 300 << 20,
        rios: 10_000,
        wios: 30_000,
        dbytes: 1 << 20,
        pressure: [(1_000_000, 500_000), (2_000_000, 0), (3_000_000, 1_000_000)],
        // A quota of half a CPU, a 256 MiB limit (Counters::example).
        ..Counters::example()
    }
}

/// Ten seconds later (the uptime moves by 1000 hundredths).
fn after() -> Counters {
    let b = before();
    Counters {
        // 2.5 s user and 0.5 s system in 10 s: 25 % and 5 % of one CPU;
        // 3 s of the 5 s the half-CPU quota allows: 60 %.
        user_usec: b.user_usec + 2_500_000,
        system_usec: b.system_usec + 500_000,
        // 50 of 100 periods throttled, 200 ms in all: 20 ms per second.
        nr_periods: b.nr_periods + 100,
        nr_throttled: b.nr_throttled + 50,
        throttled_usec: b.throttled_usec + 200_000,
        current: 128 << 20,
        peak: 130 << 20,
        anon: 80 << 20,
        // 10,000 faults, 100 major, 50 refaults in 10 s.
        pgfault: b.pgfault + 10_000,
        pgmajfault: b.pgmajfault + 100,
        refault_anon: b.refault_anon + 20,
        refault_file: b.refault_file + 30,
        oom: b.oom + 2,
        oom_kill: b.oom_kill + 1,
        // 1,000 reads of 10 MiB, 3,000 writes of 30 MiB, 1 MiB discarded.
        rbytes: b.rbytes + (10 << 20),
        wbytes: b.wbytes + (30 << 20),
        rios: b.rios + 1_000,
        wios: b.wios + 3_000,
        dbytes: b.dbytes + (1 << 20),
        // Stalls of 1 s, 0.5 s, 2 s, 0, 3 s and 1 s in 10 s.
        pressure: [(2_000_000, 1_000_000), (4_000_000, 0), (6_000_000, 2_000_000)],
        ..b
    }
}

/// `--cgroup` rows (time less) for the pod of `before` and `after`, by hand.
fn expected(version: Version) -> [String; 4] {
    let v2 = version == Version::V2;
    let f = |v: &[f64]| v.iter().map(|x| format!(" {x:>9.2}")).collect::<String>();
    let u = |v: &[u64]| v.iter().map(|x| format!(" {x:>9}")).collect::<String>();
    let cpu = f(&[25.0, 5.0, 60.0, 50.0, 20.0]);
    // kB: 128 MiB of 256 MiB used (50 %), peak 130 MiB, anon 80 MiB, file 20,
    // kernel 4, shmem 1 MiB, dirty 8 kB, writeback 4 kB; oom events only in v2.
    let mem = u(&[131072])
        + &f(&[50.0])
        + &u(&[133120, 81920, 20480, 4096, 1024, 8, 4])
        + &f(&[1000.0, 10.0, 5.0])
        + &u(&[if v2 { 2 } else { 0 }, 1]);
    let io = f(&[100.0, 300.0, 1024.0, 3072.0, 102.4]);
    let psi = if v2 { f(&[10.0, 5.0, 20.0, 0.0, 30.0, 10.0]) } else { f(&[0.0; 6]) };
    [cpu, mem, io, psi]
}

/// A node of `version` and `driver` with one burstable pod, sampled twice.
fn recorded(dir: &Path, version: Version, driver: Driver) -> PathBuf {
    let pod = Pod::numbered("web", "front-7c9d8b5f4-xk2lp", 7, Qos::Burstable);
    let roots: Vec<PathBuf> = [before(), after()]
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let root = dir.join(format!("step{k}"));
            let node = FakeNode::new(&root, version, driver);
            node.set_pod(&pod, c);
            node.log_pod(&pod);
            node.set_uptime(100_000 + 1_000 * k as u64);
            root
        })
        .collect();
    let file = dir.join("sa");
    record(&roots, &select::parse("A_NULL,CGROUP").unwrap(), Compat::Current, &file);
    file
}

#[test]
fn rsar_shows_the_figures_computed_from_each_tree() {
    for (version, driver) in [
        (Version::V2, Driver::Systemd),
        (Version::V2, Driver::Cgroupfs),
        (Version::V1, Driver::Cgroupfs),
        (Version::Hybrid, Driver::Systemd),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = recorded(dir.path(), version, driver);
        let f = file.to_str().unwrap();
        let text = rsar(&["--cgroup", "-f", f]);
        let rows: Vec<&str> = text.lines().filter(|l| l.ends_with(" web/front-7c9d8b5f4-xk2lp")).collect();
        let want = expected(version);
        // Each output's row then its Average, equal over one interval.
        assert_eq!(rows.len(), 8, "{version:?} {driver:?}:\n{text}");
        for (k, w) in want.iter().enumerate() {
            for row in &rows[2 * k..2 * k + 2] {
                let body = &row[row.find(' ').unwrap()..row.len() - " web/front-7c9d8b5f4-xk2lp".len()];
                assert_eq!(body.trim_start(), w.trim_start(), "{version:?} {driver:?} output {k}:\n{text}");
            }
        }
        assert!(text.contains("   %usr      %sys    %limit    %thrtl  thrtms/s CGROUP\n"), "{text}");
    }
}

/// sar's display options apply: `-x` prints each cgroup's extrema before
/// its Average, `--human` gives units to sizes and not to counts.
#[test]
fn extrema_and_units() {
    let dir = tempfile::tempdir().unwrap();
    let file = recorded(dir.path(), Version::V2, Driver::Cgroupfs);
    let text = rsar(&["--cgroup=MEM", "-x", "--human", "-f", file.to_str().unwrap()]);
    let row = |label: &str| text.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("{label}\n{text}"));
    // One interval: minimum, maximum and average are its row; 128 MiB used
    // of 256 MiB, 2 OOM events and 1 kill.
    for label in ["Minimum:", "Maximum:", "Average:"] {
        let words: Vec<&str> = row(label).split_whitespace().collect();
        assert_eq!(&words[1..3], ["128.0M", "50.0%"], "{label}: {text}");
        assert_eq!(&words[13..16], ["2", "1", "web/front-7c9d8b5f4-xk2lp"], "{label}: {text}");
    }
    assert!(text.contains("\nSummary:       kbused    %limit"), "{text}");
}

#[test]
fn rsadf_exports_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = recorded(dir.path(), Version::V2, Driver::Systemd);
    let f = file.to_str().unwrap();
    let d = rsadf(&["-d", f, "--", "--cgroup=CPU"]);
    let mut lines = d.lines();
    assert_eq!(lines.next().unwrap(), "# hostname;interval;timestamp;CGROUP;%usr;%sys;%limit;%thrtl;thrtms/s");
    let row = lines.next().unwrap();
    assert!(
        row.ends_with(";10;2023-11-14 22:13:30 UTC;web/front-7c9d8b5f4-xk2lp;25.00;5.00;60.00;50.00;20.00"),
        "{row}"
    );
    let j: serde_json::Value = serde_json::from_str(&rsadf(&["-j", f, "--", "--cgroup"])).unwrap();
    let stats = &j["sysstat"]["hosts"][0]["statistics"][0];
    let pod = &stats["cgroups"][0];
    assert_eq!(pod["cgroup"], "web/front-7c9d8b5f4-xk2lp", "{stats}");
    assert_eq!(pod["usr"].as_f64(), Some(25.0));
    assert_eq!(pod["mem-limit"].as_f64(), Some(50.0));
    assert_eq!(pod["used"].as_u64(), Some(131072));
    assert_eq!(pod["some-io"].as_f64(), Some(30.0));
    let x = rsadf(&["-x", f, "--", "--cgroup=IO"]);
    assert!(x.contains("<cgroup-io>") && x.contains("cgroup=\"web/front-7c9d8b5f4-xk2lp\""), "{x}");
    let raw = rsadf(&["-r", f, "--", "--cgroup=CPU"]);
    assert!(
        raw.ends_with(
            "; CGROUP; web/front-7c9d8b5f4-xk2lp; user_usec; 5000000; 7500000; system_usec; 1000000; 1500000; \
             nr_periods; 1000; 1100; nr_throttled; 100; 150; throttled_usec; 400000; 600000; quota_usec; 50000; \
             period_usec; 100000; qos; 2; flags; 59;\n"
        ),
        "{raw}"
    );
    let svg = rsadf(&["-g", f, "--", "--cgroup"]);
    for title in ["Cgroup CPU utilization", "Cgroup memory utilization (1)", "Cgroup I/O (2)", "Cgroup pressure stalls"]
    {
        assert!(svg.contains(&format!("{title} [web/front-7c9d8b5f4-xk2lp]")), "{title}");
    }
}

/// `rsadf --parquet` writes one dataset per output, as spec/export.md lists
/// them, holding `-d`'s figures.
#[test]
fn parquet_datasets_are_the_specs() {
    let dir = tempfile::tempdir().unwrap();
    let file = recorded(dir.path(), Version::V2, Driver::Systemd);
    let out = dir.path().join("ds");
    rsadf(&["--parquet", out.to_str().unwrap(), file.to_str().unwrap(), "--", "--cgroup"]);
    let sets = parquet_support::read_datasets(&out);
    assert_eq!(sets.keys().collect::<Vec<_>>(), ["cgroup_cpu", "cgroup_io", "cgroup_memory", "cgroup_psi"]);
    for (name, d) in &sets {
        let row = parquet_support::spec_row(name, d);
        assert!(parquet_support::spec_lists(&row), "spec/export.md lacks\n{row}");
    }
    let cpu = &sets["cgroup_cpu"];
    assert_eq!(cpu.rows.len(), 1);
    assert_eq!(cpu.rows[0][4], parquet::record::Field::Double(25.0), "{:?}", cpu.rows[0]);
}

#[test]
fn pod_and_top_pick_cgroups() {
    let dir = tempfile::tempdir().unwrap();
    let pods: Vec<Pod> =
        (1..=4).map(|n| Pod::numbered(["a", "b"][n as usize % 2], &format!("p{n}"), n, Qos::BestEffort)).collect();
    let roots: Vec<PathBuf> = (0..2u64)
        .map(|k| {
            let root = dir.path().join(format!("step{k}"));
            let node = FakeNode::new(&root, Version::V2, Driver::Cgroupfs);
            for (i, p) in pods.iter().enumerate() {
                // Pod n uses n × 10 % of a CPU.
                let c = Counters { user_usec: k * 100_000 * (i as u64 + 1), ..Default::default() };
                node.set_pod(p, &c);
                node.log_pod(p);
            }
            node.set_uptime(100 * (k + 1));
            root
        })
        .collect();
    let file = dir.path().join("sa");
    record(&roots, &select::parse("A_NULL,CGROUP").unwrap(), Compat::Current, &file);
    let f = file.to_str().unwrap();
    let names = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["--cgroup=CPU", "-f", f];
        a.extend_from_slice(args);
        rsar(&a)
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()) && !l.contains("CGROUP"))
            .map(|l| format!("{} {}", l.rsplit(' ').next().unwrap(), l.split_whitespace().nth(1).unwrap()))
            .collect()
    };
    assert_eq!(names(&["--pod=a"]), ["a/p2 20.00", "a/p4 40.00"]);
    assert_eq!(names(&["--pod=b/p3,a/p2"]), ["a/p2 20.00", "b/p3 30.00"]);
    assert_eq!(names(&["--top=3"]), ["a/p4 40.00", "b/p3 30.00", "a/p2 20.00"]);
}

/// Copy a tree, its symbolic links as links.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let t = e.file_type().unwrap();
        if t.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if t.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Debian's sar 12.6.1 on sysstat's fake /proc trees recorded with and
/// without A_CGROUP (110 pods added to each tree): every report it knows,
/// and sadf's exports, are the same bytes.
#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn debian_sar_reads_a_file_with_pods_as_without() {
    const ACTS: &str =
        "XALL,-A_FS,-A_PWR_CPU,-A_PWR_FAN,-A_PWR_IN,-A_PWR_TEMP,-A_PWR_FREQ,-A_PWR_USB,-A_PWR_BAT,-A_NET_FC";
    let dir = tempfile::tempdir().unwrap();
    let pods: Vec<Pod> = (0..110).map(|n| Pod::numbered("ns", &format!("pod-{n}"), n, Qos::Burstable)).collect();
    let roots: Vec<PathBuf> = (1..=5)
        .map(|k| {
            let root = dir.path().join(format!("root{k}"));
            copy_tree(&sarkit_testkit::corpus().join(format!("roots/root{k}")), &root);
            let node = FakeNode::new(&root, Version::V2, Driver::Systemd);
            for p in &pods {
                node.set_pod(p, &Counters { user_usec: 1000 * k, ..before() });
                node.log_pod(p);
            }
            root
        })
        .collect();
    let (with, without) = (dir.path().join("with"), dir.path().join("without"));
    let compat = Compat::parse("12.6").unwrap();
    record(&roots, &select::parse(ACTS).unwrap(), compat, &with);
    record(&roots, &select::parse(&format!("{ACTS},-A_CGROUP")).unwrap(), compat, &without);
    let (a, b) = (std::fs::read(&with).unwrap(), std::fs::read(&without).unwrap());
    assert!(a.len() > b.len() + 5 * 110 * 296, "{} {}", a.len(), b.len());
    // The recording has A_CGROUP, and sar sees it as an activity it skips.
    let h = run(sarkit_testkit::SADF, &["-H", with.to_str().unwrap()]);
    assert!(h.contains("1001: [5301] Unknown activity     Y: 110\t(27,0,5)"), "{h}");
    let sar = |file: &Path, args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["-f", file.to_str().unwrap()]);
        run(sarkit_testkit::SAR, &a)
    };
    let sadf = |file: &Path, args: &[&str]| {
        let mut a = args.to_vec();
        a.insert(1, file.to_str().unwrap());
        run(sarkit_testkit::SADF, &a)
    };
    for args in [&["-A"][..], &["-u", "ALL", "-P", "ALL"], &["-n", "ALL"], &["-r", "ALL"], &["-d", "-p"]] {
        let x = sar(&with, args);
        assert!(x.lines().count() > 6, "{args:?}: {x}");
        assert_eq!(x, sar(&without, args), "sar {args:?}");
    }
    for args in [&["-d", "--", "-A"][..], &["-j", "--", "-A"], &["-x", "--", "-A"], &["-p", "--", "-A"]] {
        assert_eq!(sadf(&with, args), sadf(&without, args), "sadf {args:?}");
    }
    // And rsar reads the pods of the same file.
    let ours = rsar(&["--cgroup=CPU", "-f", with.to_str().unwrap()]);
    assert_eq!(ours.lines().filter(|l| l.starts_with("Average:") && l.contains(" ns/pod-")).count(), 110);
}
