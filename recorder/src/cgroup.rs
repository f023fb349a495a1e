//! A_CGROUP: which cgroups a node has, what to call them, and their
//! figures, read under the recorder's root (spec section 17).
//!
//! The cgroup file systems are looked for where every distribution mounts
//! them, `ROOT/sys/fs/cgroup`: cgroup v2 there, or v1 controllers in its
//! subfolders, with the unified hierarchy of a hybrid node in `unified/`.
//! The items are the pods of a Kubernetes node (or their containers), else
//! systemd's services and user slice, else the first level of cgroups.
//! Pods are named from the host's `/var/log/pods/NAMESPACE_NAME_UID`
//! folders, containers from `/var/log/containers`, without an API call.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sarkit_format::stats::{cgroup_flags as flags, CChars, CgroupKind, CgroupQos, StatsCgroup, CGROUP_NO_LIMIT};

use crate::proc::cgroup as parse;

/// Longest item name: the name field's bytes less its NUL.
pub const MAX_NAME_LEN: usize = 55;

/// What the recorder is asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CgroupOptions {
    /// One item per container instead of one per pod.
    pub per_container: bool,
}

/// The cgroup hierarchies of a node, as folders under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mounts {
    /// No cgroup file system: A_CGROUP is left out of the file.
    None,
    /// cgroup v2 only (the unified hierarchy at `sys/fs/cgroup`).
    V2(PathBuf),
    /// cgroup v1 controllers, and on a hybrid node the unified hierarchy.
    V1(V1Mounts),
}

/// The v1 hierarchies A_CGROUP reads; each may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct V1Mounts {
    pub cpuacct: Option<PathBuf>,
    pub cpu: Option<PathBuf>,
    pub memory: Option<PathBuf>,
    pub blkio: Option<PathBuf>,
    /// systemd's own `name=systemd` hierarchy, which holds every unit.
    pub systemd: Option<PathBuf>,
    /// A hybrid node's cgroup v2 hierarchy (often empty).
    pub unified: Option<PathBuf>,
}

impl Mounts {
    /// Probe `root/sys/fs/cgroup`.
    pub fn find(root: &Path) -> Mounts {
        let base = root.join("sys/fs/cgroup");
        if base.join("cgroup.controllers").is_file() {
            return Mounts::V2(base);
        }
        let dir = |names: &[&str]| names.iter().map(|n| base.join(n)).find(|p| p.join("cgroup.procs").is_file());
        let m = V1Mounts {
            cpuacct: dir(&["cpu,cpuacct", "cpuacct,cpu", "cpuacct"]),
            cpu: dir(&["cpu,cpuacct", "cpuacct,cpu", "cpu"]),
            memory: dir(&["memory"]),
            blkio: dir(&["blkio"]),
            systemd: dir(&["systemd"]),
            unified: Some(base.join("unified")).filter(|u| u.join("cgroup.controllers").is_file()),
        };
        if m == V1Mounts::default() {
            Mounts::None
        } else {
            Mounts::V1(m)
        }
    }

    /// The hierarchies whose folders stand for cgroups, most complete first.
    fn hierarchies(&self) -> Vec<&Path> {
        match self {
            Mounts::None => Vec::new(),
            Mounts::V2(p) => vec![p],
            Mounts::V1(m) => [&m.memory, &m.cpuacct, &m.cpu, &m.blkio, &m.systemd, &m.unified]
                .into_iter()
                .filter_map(|p| p.as_deref())
                .collect(),
        }
    }

    /// Whether the node has a cgroup file system at all.
    pub fn present(&self) -> bool {
        *self != Mounts::None
    }
}

/// One cgroup to record: its folder relative to each hierarchy's root and
/// the item it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub rel: String,
    pub name: String,
    pub qos: CgroupQos,
    pub kind: CgroupKind,
}

/// Subfolder names of `dir`, sorted; none when it cannot be read.
fn subdirs(dir: &Path) -> Vec<String> {
    let Ok(rd) = fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort_unstable();
    v
}

/// Subfolders of `rel` in any hierarchy, sorted, each once.
fn union_subdirs(hs: &[&Path], rel: &str) -> Vec<String> {
    let mut v: Vec<String> = hs.iter().flat_map(|h| subdirs(&h.join(rel))).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn join(rel: &str, child: &str) -> String {
    if rel.is_empty() {
        child.to_string()
    } else {
        format!("{rel}/{child}")
    }
}

/// A pod's UID from its folder name: `pod<UID>` (cgroupfs driver) or
/// `kubepods[-QOS]-pod<UID with _ for ->.slice` (systemd driver).
pub fn pod_uid(dir: &str) -> Option<String> {
    if let Some(uid) = dir.strip_prefix("pod") {
        return (!uid.is_empty()).then(|| uid.to_string());
    }
    let inner = dir.strip_prefix("kubepods")?.strip_suffix(".slice")?;
    let at = inner.find("-pod")?;
    let uid = &inner[at + 4..];
    (!uid.is_empty()).then(|| uid.replace('_', "-"))
}

/// A container's id from its folder name: `<id>` (cgroupfs driver) or
/// `RUNTIME-<id>.scope` (systemd driver: cri-containerd, crio, docker);
/// CRI-O's `crio-conmon-<id>.scope` monitors are not containers.
pub fn container_id(dir: &str) -> Option<&str> {
    if dir.starts_with("crio-conmon-") {
        return None;
    }
    let id = match dir.strip_suffix(".scope") {
        Some(s) => &s[s.rfind('-')? + 1..],
        None => dir,
    };
    (id.len() >= 12 && id.bytes().all(|c| c.is_ascii_hexdigit())).then_some(id)
}

/// `name` cut to [`MAX_NAME_LEN`] bytes: when longer, its head and its
/// tail joined by `~`, so that a pod name's unique suffix survives.
pub fn fit_name(name: &str) -> String {
    if name.len() <= MAX_NAME_LEN {
        return name.to_string();
    }
    let b = name.as_bytes();
    let head = (MAX_NAME_LEN - 1) / 2;
    let tail = MAX_NAME_LEN - 1 - head;
    let mut out = Vec::with_capacity(MAX_NAME_LEN);
    out.extend_from_slice(&b[..head]);
    out.push(b'~');
    out.extend_from_slice(&b[b.len() - tail..]);
    String::from_utf8_lossy(&out).into_owned()
}

/// What the host's log folders say about pods and containers.
#[derive(Debug, Default)]
struct Names {
    /// Pod UID to `NAMESPACE/NAME`.
    pods: HashMap<String, String>,
    /// Container id to container name.
    containers: HashMap<String, String>,
}

impl Names {
    fn read(root: &Path, containers: bool) -> Names {
        let list = |rel: &str| fs::read_dir(root.join(rel)).into_iter().flatten().filter_map(|e| e.ok());
        let mut n = Names::default();
        for e in list("var/log/pods") {
            let f = e.file_name().to_string_lossy().into_owned();
            // NAMESPACE_NAME_UID: neither a namespace nor a pod name has a `_`.
            let mut parts = f.splitn(3, '_');
            if let (Some(ns), Some(name), Some(uid)) = (parts.next(), parts.next(), parts.next()) {
                n.pods.insert(uid.to_string(), format!("{ns}/{name}"));
            }
        }
        if containers {
            for e in list("var/log/containers") {
                let f = e.file_name().to_string_lossy().into_owned();
                // POD_NAMESPACE_CONTAINER-ID.log
                let Some(stem) = f.strip_suffix(".log") else { continue };
                let Some((front, id)) = stem.rsplit_once('-') else { continue };
                if let Some(c) = front.splitn(3, '_').nth(2) {
                    n.containers.insert(id.to_string(), c.to_string());
                }
            }
        }
        n
    }

    fn pod(&self, uid: &str) -> String {
        self.pods.get(uid).cloned().unwrap_or_else(|| uid.to_string())
    }
}

/// Where a QoS class's pods are, under `kubepods` (cgroupfs) or
/// `kubepods.slice` (systemd).
const QOS_DIRS: [(CgroupQos, &str, &str); 3] = [
    (CgroupQos::Guaranteed, "", ""),
    (CgroupQos::Burstable, "burstable", "kubepods-burstable.slice"),
    (CgroupQos::BestEffort, "besteffort", "kubepods-besteffort.slice"),
];

/// The cgroups to record now, sorted by name.
pub fn targets(root: &Path, mounts: &Mounts, opts: CgroupOptions) -> Vec<Target> {
    let hs = mounts.hierarchies();
    let exists = |rel: &str| hs.iter().any(|h| h.join(rel).is_dir());
    let kube = ["kubepods.slice", "kubepods"].into_iter().find(|k| exists(k));
    let mut out = Vec::new();
    if let Some(kube) = kube {
        let systemd = kube.ends_with(".slice");
        let names = Names::read(root, opts.per_container);
        for (qos, cgroupfs_dir, slice_dir) in QOS_DIRS {
            let qdir = if systemd { slice_dir } else { cgroupfs_dir };
            let qrel = if qdir.is_empty() { kube.to_string() } else { join(kube, qdir) };
            for d in union_subdirs(&hs, &qrel) {
                let Some(uid) = pod_uid(&d) else { continue };
                let rel = join(&qrel, &d);
                let pod = names.pod(&uid);
                if !opts.per_container {
                    out.push(Target { rel, name: fit_name(&pod), qos, kind: CgroupKind::Pod });
                    continue;
                }
                for c in union_subdirs(&hs, &rel) {
                    let Some(id) = container_id(&c) else { continue };
                    let cname = names.containers.get(id).cloned().unwrap_or_else(|| id[..12].to_string());
                    out.push(Target {
                        rel: join(&rel, &c),
                        name: fit_name(&format!("{pod}/{cname}")),
                        qos,
                        kind: CgroupKind::Container,
                    });
                }
            }
        }
    } else if exists("system.slice") {
        for d in union_subdirs(&hs, "system.slice") {
            let rel = join("system.slice", &d);
            out.push(Target { name: fit_name(&rel), rel, qos: CgroupQos::None, kind: CgroupKind::Unit });
        }
        if exists("user.slice") {
            out.push(Target {
                rel: "user.slice".into(),
                name: "user.slice".into(),
                qos: CgroupQos::None,
                kind: CgroupKind::Unit,
            });
        }
    } else {
        for d in union_subdirs(&hs, "") {
            out.push(Target { name: fit_name(&d), rel: d, qos: CgroupQos::None, kind: CgroupKind::Plain });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Reads a cgroup's files into one reusable buffer.
struct Files {
    buf: Vec<u8>,
}

impl Files {
    /// The content of `dir/name`, if it can be read.
    fn read(&mut self, dir: &Path, name: &str) -> Option<&[u8]> {
        self.buf.clear();
        let mut f = fs::File::open(dir.join(name)).ok()?;
        f.read_to_end(&mut self.buf).ok()?;
        Some(&self.buf)
    }

    fn value(&mut self, dir: &Path, name: &str, p: fn(&[u8]) -> Option<u64>) -> Option<u64> {
        self.read(dir, name).and_then(p)
    }
}

/// Reads every target's figures; built once per sample.
pub struct Reader<'a> {
    root: &'a Path,
    mounts: &'a Mounts,
    /// Microseconds per clock tick, for task times.
    usec_per_tick: u64,
    files: Files,
}

impl<'a> Reader<'a> {
    pub fn new(root: &'a Path, mounts: &'a Mounts, hz: u64) -> Reader<'a> {
        Reader { root, mounts, usec_per_tick: 1_000_000 / hz.max(1), files: Files { buf: Vec::with_capacity(4096) } }
    }

    /// One target's item.
    pub fn read(&mut self, t: &Target) -> StatsCgroup {
        let mut s = StatsCgroup {
            quota_usec: CGROUP_NO_LIMIT,
            mem_max: CGROUP_NO_LIMIT,
            cgroup: CChars::new(&t.name),
            qos: t.qos as u8,
            kind: t.kind as u8,
            ..Default::default()
        };
        match self.mounts {
            Mounts::None => {}
            Mounts::V2(base) => {
                let dir = base.join(&t.rel);
                s.flags |= flags::V2;
                self.v2_cpu(&dir, &mut s);
                self.v2_memory(&dir, &mut s);
                self.v2_io(&dir, &mut s);
                self.v2_pressure(&dir, &mut s);
            }
            Mounts::V1(m) => self.v1(m, t, &mut s),
        }
        s
    }

    fn v2_cpu(&mut self, dir: &Path, s: &mut StatsCgroup) {
        let f = &mut self.files;
        if let Some(d) = f.read(dir, "cpu.stat") {
            s.flags |= flags::CPU;
            s.user_usec = parse::keyed(d, "user_usec").unwrap_or(0);
            s.system_usec = parse::keyed(d, "system_usec").unwrap_or(0);
            s.nr_periods = parse::keyed(d, "nr_periods").unwrap_or(0) as u32;
            s.nr_throttled = parse::keyed(d, "nr_throttled").unwrap_or(0) as u32;
            s.throttled_usec = parse::keyed(d, "throttled_usec").unwrap_or(0);
        }
        if let Some((q, p)) = f.read(dir, "cpu.max").and_then(parse::cpu_max) {
            s.quota_usec = q;
            s.period_usec = u32::try_from(p).unwrap_or(u32::MAX);
        }
    }

    fn v2_memory(&mut self, dir: &Path, s: &mut StatsCgroup) {
        let f = &mut self.files;
        let Some(cur) = f.value(dir, "memory.current", parse::single) else { return };
        s.flags |= flags::MEMORY;
        s.mem_current = cur;
        s.mem_max = f.value(dir, "memory.max", parse::single).unwrap_or(CGROUP_NO_LIMIT);
        s.mem_peak = f.value(dir, "memory.peak", parse::single).unwrap_or(0);
        if let Some(d) = f.read(dir, "memory.stat") {
            let mut refault = (0u64, None::<u64>);
            for (k, v) in parse::pairs(d) {
                match k {
                    b"anon" => s.anon = v,
                    b"file" => s.file = v,
                    b"kernel" => s.kernel = v,
                    b"shmem" => s.shmem = v,
                    b"file_dirty" => s.file_dirty = v,
                    b"file_writeback" => s.file_writeback = v,
                    b"pgfault" => s.pgfault = v,
                    b"pgmajfault" => s.pgmajfault = v,
                    b"workingset_refault_anon" | b"workingset_refault_file" => refault.0 = refault.0.wrapping_add(v),
                    // Kernels before 5.9 have one count.
                    b"workingset_refault" => refault.1 = Some(v),
                    _ => {}
                }
            }
            s.workingset_refault = refault.1.unwrap_or(refault.0);
        }
        if let Some(d) = f.read(dir, "memory.events") {
            s.oom = parse::keyed(d, "oom").unwrap_or(0) as u32;
            s.oom_kill = parse::keyed(d, "oom_kill").unwrap_or(0) as u32;
        }
    }

    fn v2_io(&mut self, dir: &Path, s: &mut StatsCgroup) {
        if let Some(d) = self.files.read(dir, "io.stat") {
            s.flags |= flags::IO;
            let io = parse::io_stat(d);
            (s.rbytes, s.wbytes, s.rios, s.wios, s.dbytes) = (io.rbytes, io.wbytes, io.rios, io.wios, io.dbytes);
        }
    }

    fn v2_pressure(&mut self, dir: &Path, s: &mut StatsCgroup) {
        let mut any = false;
        for (file, some, full) in [
            ("cpu.pressure", &mut s.cpu_some_usec, &mut s.cpu_full_usec),
            ("memory.pressure", &mut s.mem_some_usec, &mut s.mem_full_usec),
            ("io.pressure", &mut s.io_some_usec, &mut s.io_full_usec),
        ] {
            if let Some((a, b)) = self.files.read(dir, file).and_then(parse::pressure) {
                (*some, *full, any) = (a, b, true);
            }
        }
        if any {
            s.flags |= flags::PRESSURE;
        }
    }

    /// v1: each controller's hierarchy, where it has the cgroup (spec 17.4).
    fn v1(&mut self, m: &V1Mounts, t: &Target, s: &mut StatsCgroup) {
        let at = |h: &Option<PathBuf>| h.as_ref().map(|h| h.join(&t.rel)).filter(|d| d.is_dir());
        let unified = at(&m.unified);
        if let Some(dir) = at(&m.cpuacct) {
            let f = &mut self.files;
            let user = f.value(&dir, "cpuacct.usage_user", parse::single);
            let sys = f.value(&dir, "cpuacct.usage_sys", parse::single);
            let usage = f.value(&dir, "cpuacct.usage", parse::single);
            let (user, sys) = match (user, sys) {
                (Some(u), Some(y)) => (Some(u), Some(y)),
                // Before Linux 4.7: split the usage as cpuacct.stat's ticks split.
                _ => match (usage, f.read(&dir, "cpuacct.stat")) {
                    (Some(total), Some(d)) => {
                        let (u, y) = (parse::keyed(d, "user").unwrap_or(0), parse::keyed(d, "system").unwrap_or(0));
                        let u_ns =
                            if u + y == 0 { total } else { (total as u128 * u as u128 / (u + y) as u128) as u64 };
                        (Some(u_ns), Some(total - u_ns))
                    }
                    (Some(total), None) => (Some(total), Some(0)),
                    _ => (None, None),
                },
            };
            if let (Some(u), Some(y)) = (user, sys) {
                s.flags |= flags::CPU;
                (s.user_usec, s.system_usec) = (u / 1000, y / 1000);
            }
        } else if let Some(dir) = &unified {
            // A hybrid node's unified hierarchy keeps CPU time without a controller.
            if let Some(d) = self.files.read(dir, "cpu.stat") {
                s.flags |= flags::CPU;
                s.user_usec = parse::keyed(d, "user_usec").unwrap_or(0);
                s.system_usec = parse::keyed(d, "system_usec").unwrap_or(0);
            }
        } else if let Some((user, sys)) = self.task_ticks(m, &t.rel) {
            s.flags |= flags::CPU | flags::CPU_FROM_TASKS;
            s.user_usec = user.wrapping_mul(self.usec_per_tick);
            s.system_usec = sys.wrapping_mul(self.usec_per_tick);
        }
        if let Some(dir) = at(&m.cpu) {
            let f = &mut self.files;
            if let Some(d) = f.read(&dir, "cpu.stat") {
                s.nr_periods = parse::keyed(d, "nr_periods").unwrap_or(0) as u32;
                s.nr_throttled = parse::keyed(d, "nr_throttled").unwrap_or(0) as u32;
                s.throttled_usec = parse::keyed(d, "throttled_time").unwrap_or(0) / 1000;
            }
            s.quota_usec = f.value(&dir, "cpu.cfs_quota_us", parse::quota_v1).unwrap_or(CGROUP_NO_LIMIT);
            s.period_usec =
                f.value(&dir, "cpu.cfs_period_us", parse::single).map_or(0, |p| p.min(u32::MAX as u64) as u32);
        }
        if let Some(dir) = at(&m.memory) {
            self.v1_memory(&dir, s);
        }
        if let Some(dir) = at(&m.blkio) {
            self.v1_io(&dir, s);
        }
        if let Some(dir) = &unified {
            self.v2_pressure(dir, s);
        }
    }

    fn v1_memory(&mut self, dir: &Path, s: &mut StatsCgroup) {
        let f = &mut self.files;
        let Some(cur) = f.value(dir, "memory.usage_in_bytes", parse::single) else { return };
        s.flags |= flags::MEMORY;
        s.mem_current = cur;
        s.mem_max = f.value(dir, "memory.limit_in_bytes", parse::limit_v1).unwrap_or(CGROUP_NO_LIMIT);
        s.mem_peak = f.value(dir, "memory.max_usage_in_bytes", parse::single).unwrap_or(0);
        s.kernel = f.value(dir, "memory.kmem.usage_in_bytes", parse::single).unwrap_or(0);
        if let Some(d) = f.read(dir, "memory.stat") {
            // The total_ counts include the cgroup's descendants, as v2's do.
            let mut refault = (0u64, None::<u64>);
            for (k, v) in parse::pairs(d) {
                match k {
                    b"total_rss" => s.anon = v,
                    b"total_cache" => s.file = v,
                    b"total_shmem" => s.shmem = v,
                    b"total_dirty" => s.file_dirty = v,
                    b"total_writeback" => s.file_writeback = v,
                    b"total_pgfault" => s.pgfault = v,
                    b"total_pgmajfault" => s.pgmajfault = v,
                    b"total_workingset_refault_anon" | b"total_workingset_refault_file" => {
                        refault.0 = refault.0.wrapping_add(v)
                    }
                    b"total_workingset_refault" => refault.1 = Some(v),
                    _ => {}
                }
            }
            s.workingset_refault = refault.1.unwrap_or(refault.0);
        }
        if let Some(d) = f.read(dir, "memory.oom_control") {
            s.oom_kill = parse::keyed(d, "oom_kill").unwrap_or(0) as u32;
        }
    }

    fn v1_io(&mut self, dir: &Path, s: &mut StatsCgroup) {
        let f = &mut self.files;
        // The _recursive files include the cgroup's descendants (a pod's containers).
        let read = |f: &mut Files, name: &str| {
            f.read(dir, &format!("{name}_recursive")).map(parse::blkio).or_else(|| f.read(dir, name).map(parse::blkio))
        };
        if let Some((r, w, d)) = read(f, "blkio.throttle.io_service_bytes") {
            s.flags |= flags::IO;
            (s.rbytes, s.wbytes, s.dbytes) = (r, w, d);
        }
        if let Some((r, w, _)) = read(f, "blkio.throttle.io_serviced") {
            (s.rios, s.wios) = (r, w);
        }
    }

    /// The user and system ticks of the processes in `rel` and its
    /// descendants, in the first v1 hierarchy that has it.
    fn task_ticks(&mut self, m: &V1Mounts, rel: &str) -> Option<(u64, u64)> {
        let dir = [&m.memory, &m.systemd, &m.blkio].into_iter().flatten().map(|h| h.join(rel)).find(|d| d.is_dir())?;
        let mut pids = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            if let Some(data) = self.files.read(&d, "cgroup.procs") {
                pids.extend(parse::procs(data));
            }
            stack.extend(subdirs(&d).into_iter().map(|c| d.join(c)));
        }
        let proc = self.root.join("proc");
        let mut sum = (0u64, 0u64);
        for pid in pids {
            if let Some((u, s)) = self.files.read(&proc.join(pid.to_string()), "stat").and_then(parse::task_ticks) {
                sum = (sum.0.wrapping_add(u), sum.1.wrapping_add(s));
            }
        }
        Some(sum)
    }
}

/// A_CGROUP's items now; `None` when the node has no cgroup file system.
pub fn collect(root: &Path, opts: CgroupOptions, hz: u64) -> Option<Vec<StatsCgroup>> {
    let mounts = Mounts::find(root);
    if !mounts.present() {
        return None;
    }
    let targets = targets(root, &mounts, opts);
    let mut r = Reader::new(root, &mounts, hz);
    Some(targets.iter().map(|t| r.read(t)).collect())
}

/// How many items [`collect`] finds now, for a new file's activity list.
pub fn count(root: &Path, opts: CgroupOptions) -> Option<u32> {
    let mounts = Mounts::find(root);
    mounts.present().then(|| targets(root, &mounts, opts).len() as u32)
}

/// The note a recorder logs once when the node has no cgroup file system.
pub fn absent_note(root: &Path) -> String {
    format!(
        "no cgroup file system under {}: A_CGROUP (per-pod activity) is not recorded",
        root.join("sys/fs/cgroup").display()
    )
}

/// Item counts per QoS class, for tests and logs.
pub fn by_qos(items: &[StatsCgroup]) -> BTreeMap<CgroupQos, usize> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(CgroupQos::from_u8(i.qos)).or_insert(0) += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_folders_give_uids() {
        assert_eq!(
            pod_uid("pod1b2c3d4e-0000-4000-8000-00000000000a").as_deref(),
            Some("1b2c3d4e-0000-4000-8000-00000000000a")
        );
        assert_eq!(
            pod_uid("kubepods-burstable-pod1b2c3d4e_0000_4000_8000_00000000000a.slice").as_deref(),
            Some("1b2c3d4e-0000-4000-8000-00000000000a")
        );
        assert_eq!(pod_uid("kubepods-pod42.slice").as_deref(), Some("42"));
        assert_eq!(pod_uid("kubepods-burstable.slice"), None);
        assert_eq!(pod_uid("burstable"), None);
        assert_eq!(pod_uid("pod"), None);
    }

    #[test]
    fn container_folders_give_ids() {
        let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(container_id(&format!("cri-containerd-{id}.scope")), Some(id));
        assert_eq!(container_id(&format!("crio-{id}.scope")), Some(id));
        assert_eq!(container_id(&format!("crio-conmon-{id}.scope")), None);
        assert_eq!(container_id(id), Some(id));
        assert_eq!(container_id("init.scope"), None);
    }

    #[test]
    fn long_names_keep_head_and_tail() {
        assert_eq!(fit_name("kube-system/coredns-5d78c9869d-abcde"), "kube-system/coredns-5d78c9869d-abcde");
        let long = "monitoring/prometheus-kube-prometheus-stack-prometheus-operator-7f8d9c6b5-x2k4p";
        let f = fit_name(long);
        assert_eq!(f.len(), MAX_NAME_LEN);
        assert!(f.starts_with("monitoring/prometheus-kube") && f.ends_with("-7f8d9c6b5-x2k4p"), "{f}");
        assert!(f.contains('~'));
    }
}
