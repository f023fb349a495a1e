//! Fake cgroup trees: a node's `/sys/fs/cgroup` and `/var/log/pods` under a
//! root folder, as the recorder's `--root` reads them, in each layout a
//! node may have (cgroup v2, v1, or hybrid: v1 controllers plus a unified
//! mount) with either Kubernetes cgroup driver. Every file holds the
//! counters a test sets, in the kernel's format and units.

use std::fs;
use std::path::{Path, PathBuf};

/// Which cgroup file systems the node mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2,
    V1,
    /// v1 controllers and an empty cgroup v2 hierarchy at `unified/`.
    Hybrid,
}

/// How the kubelet names its cgroups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<UID>.slice`
    Systemd,
    /// `kubepods/burstable/pod<UID>`
    Cgroupfs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qos {
    Guaranteed,
    Burstable,
    BestEffort,
}

/// A pod as the kubelet lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub qos: Qos,
    /// (64-hex id, name) of each container.
    pub containers: Vec<(String, String)>,
}

impl Pod {
    /// Pod number `n` of namespace `ns`, with one container `app`.
    pub fn numbered(ns: &str, name: &str, n: u32, qos: Qos) -> Pod {
        Pod {
            namespace: ns.into(),
            name: name.into(),
            uid: format!("{n:08x}-0000-4000-8000-{n:012x}"),
            qos,
            containers: vec![(format!("{n:064x}"), "app".into())],
        }
    }
}

/// One cgroup's counters, in the units of cgroup v2's files: µs, bytes,
/// counts. A v1 tree writes each in its own file and unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub user_usec: u64,
    pub system_usec: u64,
    pub nr_periods: u64,
    pub nr_throttled: u64,
    pub throttled_usec: u64,
    /// `None`: no limit.
    pub quota_usec: Option<u64>,
    pub period_usec: u64,
    pub current: u64,
    pub max: Option<u64>,
    pub peak: u64,
    pub anon: u64,
    pub file: u64,
    pub kernel: u64,
    pub shmem: u64,
    pub file_dirty: u64,
    pub file_writeback: u64,
    pub pgfault: u64,
    pub pgmajfault: u64,
    pub refault_anon: u64,
    pub refault_file: u64,
    pub oom: u64,
    pub oom_kill: u64,
    pub rbytes: u64,
    pub wbytes: u64,
    pub rios: u64,
    pub wios: u64,
    pub dbytes: u64,
    /// some/full stall totals (µs) of cpu, memory and io.
    pub pressure: [(u64, u64); 3],
}

impl Counters {
    /// A pod's counters for a test to start from: a quota of half a CPU,
    /// 64 MiB used of a 256 MiB limit, counters at zero.
    pub fn example() -> Counters {
        Counters {
            quota_usec: Some(50_000),
            period_usec: 100_000,
            current: 64 << 20,
            max: Some(256 << 20),
            peak: 100 << 20,
            anon: 40 << 20,
            file: 20 << 20,
            kernel: 4 << 20,
            shmem: 1 << 20,
            file_dirty: 8 << 10,
            file_writeback: 4 << 10,
            ..Default::default()
        }
    }
}

/// `KEY VALUE` lines, as flat keyed cgroup files have them.
fn keyed(pairs: &[(&str, u64)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k} {v}\n")).collect()
}

/// A fake node under `root`.
#[derive(Debug, Clone)]
pub struct FakeNode {
    pub root: PathBuf,
    pub version: Version,
    pub driver: Driver,
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a file in a folder")).expect("create folder");
    fs::write(path, text).expect("write fake cgroup file");
}

/// The keys a 6.x kernel's `memory.stat` has besides those the recorder
/// reads: written as zeros, so that files are as long as real ones.
const OTHER_MEMORY_STAT_KEYS: &[&str] = &[
    "kernel_stack",
    "pagetables",
    "sec_pagetables",
    "percpu",
    "sock",
    "vmalloc",
    "zswap",
    "zswapped",
    "file_mapped",
    "swapcached",
    "anon_thp",
    "file_thp",
    "shmem_thp",
    "inactive_anon",
    "active_anon",
    "inactive_file",
    "active_file",
    "unevictable",
    "slab_reclaimable",
    "slab_unreclaimable",
    "slab",
    "workingset_activate_anon",
    "workingset_activate_file",
    "workingset_restore_anon",
    "workingset_restore_file",
    "workingset_nodereclaim",
    "pgscan",
    "pgsteal",
    "pgscan_kswapd",
    "pgscan_direct",
    "pgscan_khugepaged",
    "pgsteal_kswapd",
    "pgsteal_direct",
    "pgsteal_khugepaged",
    "pgrefill",
    "pgactivate",
    "pgdeactivate",
    "pglazyfree",
    "pglazyfreed",
    "zswpin",
    "zswpout",
    "zswpwb",
    "thp_fault_alloc",
    "thp_collapse_alloc",
];

fn psi_line(kind: &str, total: u64) -> String {
    format!("{kind} avg10=0.00 avg60=0.00 avg300=0.00 total={total}\n")
}

impl FakeNode {
    /// The node's cgroup mounts under `root`, with no cgroup yet.
    pub fn new(root: &Path, version: Version, driver: Driver) -> FakeNode {
        let n = FakeNode { root: root.to_path_buf(), version, driver };
        for h in n.hierarchies() {
            write(&h.join("cgroup.procs"), "1\n");
        }
        match version {
            Version::V2 => write(&n.base().join("cgroup.controllers"), "cpuset cpu io memory pids\n"),
            Version::Hybrid => write(&n.base().join("unified/cgroup.controllers"), ""),
            Version::V1 => {}
        }
        n
    }

    fn base(&self) -> PathBuf {
        self.root.join("sys/fs/cgroup")
    }

    fn hierarchies(&self) -> Vec<PathBuf> {
        match self.version {
            Version::V2 => vec![self.base()],
            _ => ["cpu,cpuacct", "memory", "blkio", "systemd"].iter().map(|h| self.base().join(h)).collect(),
        }
    }

    /// A pod's cgroup, relative to each hierarchy's root.
    pub fn pod_rel(&self, p: &Pod) -> String {
        let (cls, cls_slice) = match p.qos {
            Qos::Guaranteed => ("", ""),
            Qos::Burstable => ("burstable", "burstable"),
            Qos::BestEffort => ("besteffort", "besteffort"),
        };
        match self.driver {
            Driver::Cgroupfs if cls.is_empty() => format!("kubepods/pod{}", p.uid),
            Driver::Cgroupfs => format!("kubepods/{cls}/pod{}", p.uid),
            Driver::Systemd => {
                let uid = p.uid.replace('-', "_");
                if cls_slice.is_empty() {
                    format!("kubepods.slice/kubepods-pod{uid}.slice")
                } else {
                    format!("kubepods.slice/kubepods-{cls_slice}.slice/kubepods-{cls_slice}-pod{uid}.slice")
                }
            }
        }
    }

    /// A container's cgroup, relative to each hierarchy's root.
    pub fn container_rel(&self, p: &Pod, id: &str) -> String {
        match self.driver {
            Driver::Cgroupfs => format!("{}/{id}", self.pod_rel(p)),
            Driver::Systemd => format!("{}/cri-containerd-{id}.scope", self.pod_rel(p)),
        }
    }

    /// The pod's log folder (`NAMESPACE_NAME_UID`) and its containers' log
    /// links, which name them.
    pub fn log_pod(&self, p: &Pod) {
        let dir = format!("{}_{}_{}", p.namespace, p.name, p.uid);
        for (id, name) in &p.containers {
            write(&self.root.join(format!("var/log/pods/{dir}/{name}/0.log")), "");
            write(&self.root.join(format!("var/log/containers/{}_{}_{name}-{id}.log", p.name, p.namespace)), "");
        }
    }

    /// Set the pod's counters (its containers' cgroups are made empty).
    pub fn set_pod(&self, p: &Pod, c: &Counters) {
        self.set(&self.pod_rel(p), c);
        for (id, _) in &p.containers {
            self.set(&self.container_rel(p, id), &Counters::default());
        }
    }

    /// Remove a cgroup, as the kubelet does when a pod goes.
    pub fn remove(&self, rel: &str) {
        for h in self.hierarchies() {
            let _ = fs::remove_dir_all(h.join(rel));
        }
    }

    /// Write cgroup `rel`'s files.
    pub fn set(&self, rel: &str, c: &Counters) {
        match self.version {
            Version::V2 => self.set_v2(&self.base().join(rel), c),
            _ => self.set_v1(rel, c),
        }
    }

    fn set_v2(&self, d: &Path, c: &Counters) {
        write(&d.join("cgroup.procs"), "");
        write(
            &d.join("cpu.stat"),
            &keyed(&[
                ("usage_usec", c.user_usec + c.system_usec),
                ("user_usec", c.user_usec),
                ("system_usec", c.system_usec),
                ("nr_periods", c.nr_periods),
                ("nr_throttled", c.nr_throttled),
                ("throttled_usec", c.throttled_usec),
            ]),
        );
        let quota = c.quota_usec.map_or("max".to_string(), |q| q.to_string());
        write(&d.join("cpu.max"), &format!("{quota} {}\n", c.period_usec));
        write(&d.join("memory.current"), &format!("{}\n", c.current));
        write(&d.join("memory.max"), &format!("{}\n", c.max.map_or("max".to_string(), |m| m.to_string())));
        write(&d.join("memory.peak"), &format!("{}\n", c.peak));
        let others: Vec<(&str, u64)> = OTHER_MEMORY_STAT_KEYS.iter().map(|k| (*k, 0)).collect();
        let stat = [
            ("anon", c.anon),
            ("file", c.file),
            ("kernel", c.kernel),
            ("shmem", c.shmem),
            ("file_dirty", c.file_dirty),
            ("file_writeback", c.file_writeback),
            ("pgfault", c.pgfault),
            ("pgmajfault", c.pgmajfault),
            ("workingset_refault_anon", c.refault_anon),
            ("workingset_refault_file", c.refault_file),
        ];
        write(&d.join("memory.stat"), &(keyed(&stat) + &keyed(&others)));
        let events = [("low", 0), ("high", 0), ("max", 0), ("oom", c.oom), ("oom_kill", c.oom_kill)];
        write(&d.join("memory.events"), &keyed(&events));
        // Two devices, each holding half.
        let half = |v: u64| (v / 2, v - v / 2);
        let (r, w, ri, wi, db) = (half(c.rbytes), half(c.wbytes), half(c.rios), half(c.wios), half(c.dbytes));
        write(
            &d.join("io.stat"),
            &format!(
                "8:0 rbytes={} wbytes={} rios={} wios={} dbytes={} dios=0\n\
                 253:0 rbytes={} wbytes={} rios={} wios={} dbytes={} dios=0\n",
                r.0, w.0, ri.0, wi.0, db.0, r.1, w.1, ri.1, wi.1, db.1
            ),
        );
        for (file, (some, full)) in ["cpu.pressure", "memory.pressure", "io.pressure"].iter().zip(c.pressure) {
            write(&d.join(file), &(psi_line("some", some) + &psi_line("full", full)));
        }
    }

    fn set_v1(&self, rel: &str, c: &Counters) {
        let b = self.base();
        let cpu = b.join("cpu,cpuacct").join(rel);
        let ns = |us: u64| us * 1000;
        write(&cpu.join("cgroup.procs"), "");
        write(&cpu.join("cpuacct.usage"), &format!("{}\n", ns(c.user_usec + c.system_usec)));
        write(&cpu.join("cpuacct.usage_user"), &format!("{}\n", ns(c.user_usec)));
        write(&cpu.join("cpuacct.usage_sys"), &format!("{}\n", ns(c.system_usec)));
        write(
            &cpu.join("cpuacct.stat"),
            &format!("user {}\nsystem {}\n", c.user_usec / 10_000, c.system_usec / 10_000),
        );
        let throttling =
            [("nr_periods", c.nr_periods), ("nr_throttled", c.nr_throttled), ("throttled_time", ns(c.throttled_usec))];
        write(&cpu.join("cpu.stat"), &keyed(&throttling));
        let quota = c.quota_usec.map_or("-1".to_string(), |q| q.to_string());
        write(&cpu.join("cpu.cfs_quota_us"), &format!("{quota}\n"));
        write(&cpu.join("cpu.cfs_period_us"), &format!("{}\n", c.period_usec));
        let mem = b.join("memory").join(rel);
        write(&mem.join("cgroup.procs"), "");
        write(&mem.join("memory.usage_in_bytes"), &format!("{}\n", c.current));
        write(&mem.join("memory.limit_in_bytes"), &format!("{}\n", c.max.unwrap_or(9223372036854771712)));
        write(&mem.join("memory.max_usage_in_bytes"), &format!("{}\n", c.peak));
        write(&mem.join("memory.kmem.usage_in_bytes"), &format!("{}\n", c.kernel));
        let stat = [
            ("cache", 0),
            ("rss", 0),
            ("total_cache", c.file),
            ("total_rss", c.anon),
            ("total_shmem", c.shmem),
            ("total_dirty", c.file_dirty),
            ("total_writeback", c.file_writeback),
            ("total_pgfault", c.pgfault),
            ("total_pgmajfault", c.pgmajfault),
            ("total_workingset_refault_anon", c.refault_anon),
            ("total_workingset_refault_file", c.refault_file),
        ];
        write(&mem.join("memory.stat"), &keyed(&stat));
        write(&mem.join("memory.oom_control"), &format!("oom_kill_disable 0\nunder_oom 0\noom_kill {}\n", c.oom_kill));
        let blk = b.join("blkio").join(rel);
        write(&blk.join("cgroup.procs"), "");
        write(
            &blk.join("blkio.throttle.io_service_bytes_recursive"),
            &format!(
                "8:0 Read {}\n8:0 Write {}\n8:0 Sync 0\n8:0 Async 0\n8:0 Discard {}\n8:0 Total {}\nTotal {}\n",
                c.rbytes,
                c.wbytes,
                c.dbytes,
                c.rbytes + c.wbytes + c.dbytes,
                c.rbytes + c.wbytes + c.dbytes
            ),
        );
        write(
            &blk.join("blkio.throttle.io_serviced_recursive"),
            &format!("8:0 Read {}\n8:0 Write {}\n8:0 Discard 0\nTotal {}\n", c.rios, c.wios, c.rios + c.wios),
        );
        write(&b.join("systemd").join(rel).join("cgroup.procs"), "");
    }

    /// `/proc/uptime` saying `cs` hundredths of a second, which each
    /// sample's interval comes from.
    pub fn set_uptime(&self, cs: u64) {
        write(&self.root.join("proc/uptime"), &format!("{}.{:02} 0.00\n", cs / 100, cs % 100));
    }
}
