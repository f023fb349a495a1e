//! A_CGROUP recorded from fake cgroup trees under `--root`: cgroup v2 with
//! the systemd and the cgroupfs driver, v1, hybrid, pods coming and going,
//! containers, systemd units, plain cgroups, and no cgroup file system.

use std::path::Path;

use sarkit_format::stats::{cgroup_flags as flags, CgroupKind, CgroupQos, StatsCgroup, CGROUP_NO_LIMIT};
use sarkit_format::{ActivityId, AnyStats, Encoding, OpenOptions, RecordKind, SaFile, SampleBody, Writer};
use sarkit_recorder::cgroup::CgroupOptions;
use sarkit_recorder::collect::Collector;
use sarkit_recorder::outfile::{fit, prepare_specs};
use sarkit_recorder::select;
use sarkit_recorder::source::SampleSource;
use sarkit_testkit::cgroup_tree::{Counters, Driver, FakeNode, Pod, Qos, Version};

fn collector(root: &Path) -> Collector {
    Collector::new(root.to_path_buf(), select::parse("A_NULL,CGROUP").unwrap())
}

/// The A_CGROUP items of one sample.
fn items(c: &mut Collector, t: u64) -> Vec<StatsCgroup> {
    let s = c.sample(t).unwrap();
    let SampleBody::Stats(data) = s.body else { panic!("a statistics record") };
    match data.into_iter().find(|d| d.id() == ActivityId::A_CGROUP).map(|d| d.stats) {
        Some(AnyStats::Cgroup(v)) => v,
        other => panic!("no A_CGROUP: {other:?}"),
    }
}

fn names(v: &[StatsCgroup]) -> Vec<String> {
    v.iter().map(|c| c.cgroup.to_str_lossy().into_owned()).collect()
}

fn counters(k: u64) -> Counters {
    Counters {
        user_usec: 1_000_000 * k,
        system_usec: 200_000 * k,
        nr_periods: 100 * k,
        nr_throttled: 7 * k,
        throttled_usec: 3_000 * k,
        pgfault: 1000 * k,
        pgmajfault: 10 * k,
        refault_anon: 3 * k,
        refault_file: 5 * k,
        oom: k,
        oom_kill: k,
        rbytes: 1 << 20,
        wbytes: 3 << 20,
        rios: 100,
        wios: 300,
        dbytes: 4096,
        pressure: [(11, 1), (22, 2), (33, 3)],
        ..Counters::example()
    }
}

/// Three pods, one per QoS class; the besteffort one has no log folder.
fn three_pods(node: &FakeNode) -> Vec<Pod> {
    let pods = vec![
        Pod::numbered("kube-system", "coredns-5d78c9869d-abcde", 1, Qos::Guaranteed),
        Pod::numbered("web", "front-7c9d8b5f4-xk2lp", 2, Qos::Burstable),
        Pod::numbered("batch", "job-x", 3, Qos::BestEffort),
    ];
    for (k, p) in pods.iter().enumerate() {
        node.set_pod(p, &counters(k as u64 + 1));
        if k < 2 {
            node.log_pod(p);
        }
    }
    node.set_uptime(100_000);
    pods
}

fn check_pods(version: Version, driver: Driver) {
    let d = tempfile::tempdir().unwrap();
    let node = FakeNode::new(d.path(), version, driver);
    let pods = three_pods(&node);
    let mut c = collector(d.path());
    let specs = c.specs().unwrap();
    assert_eq!(specs.iter().map(|s| (s.info.id, s.nr)).collect::<Vec<_>>(), [(ActivityId::A_CGROUP, 3)]);
    let v = items(&mut c, 1_700_000_000);
    // Sorted by name; the pod without a log folder is named by its UID.
    assert_eq!(names(&v), [pods[2].uid.as_str(), "kube-system/coredns-5d78c9869d-abcde", "web/front-7c9d8b5f4-xk2lp"]);
    assert_eq!(
        v.iter().map(|c| CgroupQos::from_u8(c.qos)).collect::<Vec<_>>(),
        [CgroupQos::BestEffort, CgroupQos::Guaranteed, CgroupQos::Burstable]
    );
    assert!(v.iter().all(|c| CgroupKind::from_u8(c.kind) == CgroupKind::Pod));
    // The burstable pod has counters(2).
    let b = &v[2];
    assert_eq!((b.user_usec, b.system_usec, b.throttled_usec), (2_000_000, 400_000, 6_000));
    assert_eq!((b.nr_periods, b.nr_throttled, b.quota_usec, b.period_usec), (200, 14, 50_000, 100_000));
    assert_eq!((b.mem_current, b.mem_max, b.mem_peak), (64 << 20, 256 << 20, 100 << 20));
    assert_eq!(
        (b.anon, b.file, b.kernel, b.shmem, b.file_dirty, b.file_writeback),
        (40 << 20, 20 << 20, 4 << 20, 1 << 20, 8192, 4096)
    );
    assert_eq!((b.pgfault, b.pgmajfault, b.workingset_refault), (2000, 20, 16));
    assert_eq!((b.rbytes, b.wbytes, b.rios, b.wios, b.dbytes), (1 << 20, 3 << 20, 100, 300, 4096));
    assert_eq!(b.oom_kill, 2);
    let wanted = flags::CPU | flags::MEMORY | flags::IO;
    assert_eq!(b.flags & wanted, wanted);
    if version == Version::V2 {
        assert_eq!(b.flags & (flags::V2 | flags::PRESSURE), flags::V2 | flags::PRESSURE);
        assert_eq!(b.oom, 2);
        assert_eq!(
            [b.cpu_some_usec, b.cpu_full_usec, b.mem_some_usec, b.mem_full_usec, b.io_some_usec, b.io_full_usec],
            [11, 1, 22, 2, 33, 3]
        );
    } else {
        // No pressure under v1 (a hybrid node's unified hierarchy is empty), no oom count.
        assert_eq!(b.flags & (flags::V2 | flags::PRESSURE | flags::CPU_FROM_TASKS), 0);
        assert_eq!((b.oom, b.cpu_some_usec), (0, 0));
    }
}

#[test]
fn v2_node_with_the_systemd_driver() {
    check_pods(Version::V2, Driver::Systemd);
}

#[test]
fn v2_node_with_the_cgroupfs_driver() {
    check_pods(Version::V2, Driver::Cgroupfs);
}

#[test]
fn v1_node() {
    check_pods(Version::V1, Driver::Cgroupfs);
}

#[test]
fn hybrid_node() {
    check_pods(Version::Hybrid, Driver::Systemd);
}

#[test]
fn limits_absent_read_as_no_limit() {
    for version in [Version::V2, Version::V1] {
        let d = tempfile::tempdir().unwrap();
        let node = FakeNode::new(d.path(), version, Driver::Cgroupfs);
        let p = Pod::numbered("a", "b", 1, Qos::BestEffort);
        node.set_pod(&p, &Counters { quota_usec: None, max: None, period_usec: 100_000, ..counters(1) });
        node.set_uptime(100);
        let v = items(&mut collector(d.path()), 1_700_000_000);
        assert_eq!((v[0].quota_usec, v[0].mem_max), (CGROUP_NO_LIMIT, CGROUP_NO_LIMIT), "{version:?}");
    }
}

#[test]
fn per_container_items_are_named_after_their_pod() {
    let d = tempfile::tempdir().unwrap();
    let node = FakeNode::new(d.path(), Version::V2, Driver::Systemd);
    let mut p = Pod::numbered("web", "front", 2, Qos::Burstable);
    p.containers.push((format!("{:064x}", 99), "sidecar".into()));
    node.set_pod(&p, &counters(1));
    node.log_pod(&p);
    // A container no log names is known by its id's first 12 digits.
    node.set(&node.container_rel(&p, &format!("{:064x}", 7)), &counters(1));
    node.set_uptime(100);
    let mut c = collector(d.path()).with_cgroup_options(CgroupOptions { per_container: true });
    let v = items(&mut c, 1_700_000_000);
    assert_eq!(names(&v), ["web/front/000000000000", "web/front/app", "web/front/sidecar"]);
    assert!(v.iter().all(|c| CgroupKind::from_u8(c.kind) == CgroupKind::Container));
}

/// Pods come and go between samples: each record holds the pods of its
/// time, the file's item count grows past the count it was created with,
/// and every record is read back.
#[test]
fn pods_appear_and_vanish_between_samples() {
    let d = tempfile::tempdir().unwrap();
    let node = FakeNode::new(d.path(), Version::V2, Driver::Cgroupfs);
    let pod = |n: u32| Pod::numbered("ns", &format!("p{n}"), n, Qos::Burstable);
    let steps: [&[u32]; 4] = [&[1, 2], &[2, 3], &[], &[1, 2, 3, 4]];
    let mut c = collector(d.path());
    let mut w = None;
    let mut shown = Vec::new();
    for (k, live) in steps.iter().enumerate() {
        for n in 1..=4 {
            if live.contains(&n) {
                node.set_pod(&pod(n), &counters(k as u64 + 1));
                node.log_pod(&pod(n));
            } else {
                node.remove(&node.pod_rel(&pod(n)));
            }
        }
        node.set_uptime(100 * (k as u64 + 1));
        if w.is_none() {
            let specs = prepare_specs(Default::default(), c.specs().unwrap());
            let hdr = c.header_info(1_700_000_000).unwrap();
            w = Some(Writer::create(Vec::new(), &hdr, specs, Encoding::NATIVE).unwrap());
        }
        let w = w.as_mut().unwrap();
        let s = c.sample(1_700_000_000 + k as u64).unwrap();
        w.write_sample(&fit(&s, w.specs())).unwrap();
        shown.push(names(&items(&mut c, 1_700_000_000 + k as u64)));
    }
    let bytes = w.unwrap().into_inner();
    let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
    assert_eq!(f.info.activities[0].nr, 2, "declared with the pods at creation");
    let mut read = Vec::new();
    while let Some(r) = f.next_record().unwrap() {
        let RecordKind::Stats(s) = r.kind else { continue };
        let b = s.block(ActivityId::A_CGROUP).unwrap();
        read.push(b.items::<StatsCgroup>().map(|c| c.cgroup.to_str_lossy().into_owned()).collect::<Vec<_>>());
    }
    let want: Vec<Vec<String>> = steps.iter().map(|l| l.iter().map(|n| format!("ns/p{n}")).collect()).collect();
    assert_eq!(read, want);
    assert_eq!(shown, want);
}

#[test]
fn systemd_units_outside_kubernetes() {
    let d = tempfile::tempdir().unwrap();
    let node = FakeNode::new(d.path(), Version::V2, Driver::Systemd);
    for rel in ["system.slice/ssh.service", "system.slice/cron.service", "user.slice", "user.slice/user-1000.slice"] {
        node.set(rel, &counters(1));
    }
    node.set_uptime(100);
    let v = items(&mut collector(d.path()), 1_700_000_000);
    assert_eq!(names(&v), ["system.slice/cron.service", "system.slice/ssh.service", "user.slice"]);
    assert!(v.iter().all(|c| CgroupKind::from_u8(c.kind) == CgroupKind::Unit && c.qos == 0));
}

#[test]
fn first_level_cgroups_without_systemd() {
    let d = tempfile::tempdir().unwrap();
    let node = FakeNode::new(d.path(), Version::V1, Driver::Cgroupfs);
    node.set("db", &counters(1));
    node.set("web/worker", &counters(2));
    node.set_uptime(100);
    let v = items(&mut collector(d.path()), 1_700_000_000);
    assert_eq!(names(&v), ["db", "web"]);
    assert!(v.iter().all(|c| CgroupKind::from_u8(c.kind) == CgroupKind::Plain));
    assert_eq!(v[0].user_usec, 1_000_000);
}

/// A v1 node whose cgroup is only in the memory hierarchy (this project's
/// build machine): CPU times are its processes', from /proc.
#[test]
fn v1_cpu_from_tasks_without_cpuacct() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    FakeNode::new(root, Version::V1, Driver::Cgroupfs);
    let mem = root.join("sys/fs/cgroup/memory/session");
    std::fs::create_dir_all(mem.join("child")).unwrap();
    std::fs::write(mem.join("cgroup.procs"), "10\n").unwrap();
    std::fs::write(mem.join("memory.usage_in_bytes"), "4096\n").unwrap();
    std::fs::write(mem.join("child/cgroup.procs"), "11\n").unwrap();
    for (pid, times) in [(10, "5 3 2 1"), (11, "10 20 0 0")] {
        let p = root.join(format!("proc/{pid}"));
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("stat"), format!("{pid} (x y) S 1 1 1 0 -1 0 0 0 0 0 {times} 20 0 1 0 0\n")).unwrap();
    }
    std::fs::write(root.join("proc/uptime"), "1.00 1.00\n").unwrap();
    let v = items(&mut collector(root), 1_700_000_000);
    assert_eq!(names(&v), ["session"]);
    let ticks_us = 1_000_000 / 100;
    // Ticks, children's included: user 5+2+10, system 3+1+20 (at 100 per second).
    assert_eq!((v[0].user_usec, v[0].system_usec), (17 * ticks_us, 24 * ticks_us));
    assert_eq!(v[0].flags & flags::CPU_FROM_TASKS, flags::CPU_FROM_TASKS);
    assert_eq!(v[0].mem_current, 4096);
}

#[test]
fn no_cgroup_file_system_is_absent_with_one_note() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("proc")).unwrap();
    std::fs::write(d.path().join("proc/uptime"), "1.00 1.00\n").unwrap();
    std::fs::write(d.path().join("proc/stat"), "cpu  1 2 3 4\ncpu0 1 2 3 4\n").unwrap();
    let mut c = Collector::new(d.path().to_path_buf(), select::parse("A_NULL,A_CPU,CGROUP").unwrap());
    let specs = c.specs().unwrap();
    assert_eq!(specs.iter().map(|s| s.info.id).collect::<Vec<_>>(), [ActivityId::A_CPU]);
    c.sample(1_700_000_000).unwrap();
    c.specs().unwrap();
    let notes = c.take_notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("no cgroup file system") && notes[0].contains("A_CGROUP"), "{}", notes[0]);
    assert!(c.take_notes().is_empty());
    // Appending to a file that has the activity: no items, the same note once.
    let mut c = collector(d.path());
    c.collect_only(&[ActivityId::A_CGROUP]);
    assert!(items(&mut c, 1_700_000_000).is_empty());
    items(&mut c, 1_700_000_001);
    assert_eq!(c.take_notes().len(), 1);
}

/// A pod's cgroup may come before its log folder: it is named by its UID
/// until the folders are read again, within ten samples.
#[test]
fn a_pod_named_late_gets_its_name() {
    let d = tempfile::tempdir().unwrap();
    let node = FakeNode::new(d.path(), Version::V2, Driver::Systemd);
    let p = Pod::numbered("web", "late", 5, Qos::Burstable);
    node.set_pod(&p, &counters(1));
    node.set_uptime(100);
    let mut c = collector(d.path());
    assert_eq!(names(&items(&mut c, 1_700_000_000)), [p.uid.as_str()]);
    node.log_pod(&p);
    let seen: Vec<String> = (1..=10).map(|k| names(&items(&mut c, 1_700_000_000 + k))[0].clone()).collect();
    assert_eq!(seen.last().unwrap(), "web/late", "{seen:?}");
    assert_eq!(seen[0], p.uid, "the folders are not read at every sample");
}
