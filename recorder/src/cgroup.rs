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

use std::collections::HashMap;
use std::fs;
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

/// What the host's log folders say about pods and containers, read again
/// when a pod or container shows up that they do not name (the kubelet may
/// make a pod's cgroup before its log folder), at most every
/// [`NAME_RETRY`] samples for the same one.
#[derive(Debug, Default)]
struct Names {
    /// Pod UID to `NAMESPACE/NAME`.
    pods: HashMap<String, String>,
    /// Container id to container name.
    containers: HashMap<String, String>,
    /// Pods and containers the folders did not name, with the sample when
    /// they were last looked for.
    unnamed: HashMap<String, u64>,
    read: bool,
    /// The sample being read.
    sample: u64,
}

/// Samples between two readings of the log folders for the same unnamed pod.
const NAME_RETRY: u64 = 10;

impl Names {
    fn refresh(&mut self, root: &Path, containers: bool) {
        let list = |rel: &str| fs::read_dir(root.join(rel)).into_iter().flatten().filter_map(|e| e.ok());
        self.pods.clear();
        self.containers.clear();
        self.read = true;
        for e in list("var/log/pods") {
            let f = e.file_name().to_string_lossy().into_owned();
            // NAMESPACE_NAME_UID: neither a namespace nor a pod name has a `_`.
            let mut parts = f.splitn(3, '_');
            if let (Some(ns), Some(name), Some(uid)) = (parts.next(), parts.next(), parts.next()) {
                self.pods.insert(uid.to_string(), format!("{ns}/{name}"));
            }
        }
        if containers {
            for e in list("var/log/containers") {
                let f = e.file_name().to_string_lossy().into_owned();
                // POD_NAMESPACE_CONTAINER-ID.log
                let Some(stem) = f.strip_suffix(".log") else { continue };
                let Some((front, id)) = stem.rsplit_once('-') else { continue };
                if let Some(c) = front.splitn(3, '_').nth(2) {
                    self.containers.insert(id.to_string(), c.to_string());
                }
            }
        }
        // Still unnamed: not read again for them. Pods come and go, so the
        // list is forgotten once long.
        let (pods, containers) = (&self.pods, &self.containers);
        self.unnamed.retain(|k, _| !pods.contains_key(k) && !containers.contains_key(k));
        if self.unnamed.len() > 4096 {
            self.unnamed.clear();
        }
    }

    /// `key`'s name in `map` (pods or containers), reading the folders
    /// again first if it is new to them.
    fn lookup(&mut self, root: &Path, containers: bool, key: &str, pod: bool) -> Option<String> {
        let known = |n: &Names| if pod { n.pods.contains_key(key) } else { n.containers.contains_key(key) };
        let due = |n: &Names| n.unnamed.get(key).is_none_or(|&t| n.sample >= t + NAME_RETRY);
        if !self.read || (!known(self) && due(self)) {
            self.refresh(root, containers);
        }
        let found = if pod { self.pods.get(key) } else { self.containers.get(key) };
        if found.is_none() && due(self) {
            self.unnamed.insert(key.to_string(), self.sample);
        }
        found.cloned()
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
fn targets(root: &Path, mounts: &Mounts, opts: CgroupOptions, names: &mut Names) -> Vec<Target> {
    let hs = mounts.hierarchies();
    let exists = |rel: &str| hs.iter().any(|h| h.join(rel).is_dir());
    let kube = ["kubepods.slice", "kubepods"].into_iter().find(|k| exists(k));
    let mut out = Vec::new();
    if let Some(kube) = kube {
        let systemd = kube.ends_with(".slice");
        let containers = opts.per_container;
        for (qos, cgroupfs_dir, slice_dir) in QOS_DIRS {
            let qdir = if systemd { slice_dir } else { cgroupfs_dir };
            let qrel = if qdir.is_empty() { kube.to_string() } else { join(kube, qdir) };
            for d in union_subdirs(&hs, &qrel) {
                let Some(uid) = pod_uid(&d) else { continue };
                let rel = join(&qrel, &d);
                let pod = names.lookup(root, containers, &uid, true).unwrap_or(uid);
                if !containers {
                    out.push(Target { rel, name: fit_name(&pod), qos, kind: CgroupKind::Pod });
                    continue;
                }
                for c in union_subdirs(&hs, &rel) {
                    let Some(id) = container_id(&c) else { continue };
                    let cname = names.lookup(root, containers, id, false).unwrap_or_else(|| id[..12].to_string());
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

/// Files kept open from one sample to the next and read again from their
/// start (`pread`), which a cgroup file answers with fresh figures: an open
/// costs four to six times a read, and a node has about ten files per pod.
/// Files are grouped by folder, one lookup per cgroup. A folder not read in
/// a sample (its cgroup went) has its files closed; a file that does not
/// exist is remembered as such for a while; past `cap` open files, files are
/// opened for each reading.
struct FileCache {
    dirs: HashMap<PathBuf, DirFiles>,
    /// The sample being read, which marks the folders it uses.
    generation: u64,
    open: usize,
    cap: usize,
    buf: Vec<u8>,
}

/// One folder's files: each name with its open file, or `None` if missing.
#[derive(Default)]
struct DirFiles {
    seen: u64,
    files: Vec<(&'static str, Option<fs::File>)>,
}

/// Samples after which files found missing are looked for again.
const RECHECK_MISSING: u64 = 60;

impl FileCache {
    fn new() -> FileCache {
        // Keep a margin of the descriptor limit for everything else.
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit writes the struct it is given.
        let soft = if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 { lim.rlim_cur } else { 1024 };
        let cap = (soft.min(1 << 20) as usize).saturating_sub(256);
        FileCache { dirs: HashMap::new(), generation: 0, open: 0, cap, buf: vec![0; 8192] }
    }

    /// Start a sample: close the files of folders the last one did not read.
    fn begin(&mut self) {
        let last = self.generation;
        self.generation += 1;
        let recheck = self.generation.is_multiple_of(RECHECK_MISSING);
        self.dirs.retain(|_, d| d.seen == last);
        if recheck {
            self.dirs.values_mut().for_each(|d| d.files.retain(|(_, f)| f.is_some()));
        }
        self.open = self.dirs.values().map(|d| d.files.iter().filter(|(_, f)| f.is_some()).count()).sum();
    }

    /// The folder `path`, to read files of.
    fn dir<'a>(&'a mut self, path: &'a Path) -> Dir<'a> {
        let g = self.generation;
        if !self.dirs.contains_key(path) {
            self.dirs.insert(path.to_path_buf(), DirFiles::default());
        }
        let files = self.dirs.get_mut(path).expect("inserted above");
        files.seen = g;
        Dir { path, files, open: &mut self.open, cap: self.cap, buf: &mut self.buf }
    }
}

/// A folder of a [`FileCache`].
struct Dir<'a> {
    path: &'a Path,
    files: &'a mut DirFiles,
    open: &'a mut usize,
    cap: usize,
    buf: &'a mut Vec<u8>,
}

impl Dir<'_> {
    /// The content of file `name` now, if it can be read.
    fn read(&mut self, name: &'static str) -> Option<&[u8]> {
        if let Some(k) = self.files.files.iter().position(|(n, _)| *n == name) {
            let file = self.files.files[k].1.as_ref()?;
            if let Ok(n) = read_from_start(file, self.buf) {
                return Some(&self.buf[..n]);
            }
            // The cgroup went between listing and reading.
            self.files.files.remove(k);
            *self.open -= 1;
            return None;
        }
        let Ok(file) = fs::File::open(self.path.join(name)) else {
            self.files.files.push((name, None));
            return None;
        };
        let n = read_from_start(&file, self.buf).ok()?;
        if *self.open < self.cap {
            self.files.files.push((name, Some(file)));
            *self.open += 1;
        }
        Some(&self.buf[..n])
    }

    fn value(&mut self, name: &'static str, p: fn(&[u8]) -> Option<u64>) -> Option<u64> {
        self.read(name).and_then(p)
    }
}

/// Read a whole file from offset 0 into `buf`, which keeps its length (its
/// bytes are zeroed once, not at every read); the file's bytes are
/// `buf[..n]`. A read that leaves room in the buffer reached the end (of a
/// regular file, and of the text a cgroup file generates at once), which
/// saves the read that would return 0.
fn read_from_start(f: &fs::File, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut len = 0;
    loop {
        if buf.len() - len < 4096 {
            buf.resize((buf.len() * 2).max(8192), 0);
        }
        match f.read_at(&mut buf[len..], len as u64) {
            Ok(n) => {
                len += n;
                if len < buf.len() {
                    return Ok(len);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A_CGROUP's source: the node's cgroups, read under the recorder's root,
/// with what is worth keeping from one sample to the next (the hierarchies
/// found, the names, the open files).
pub struct Cgroups {
    root: PathBuf,
    opts: CgroupOptions,
    /// Microseconds per clock tick, for task times.
    usec_per_tick: u64,
    mounts: Option<Mounts>,
    names: Names,
    files: FileCache,
}

impl std::fmt::Debug for Cgroups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cgroups").field("root", &self.root).field("opts", &self.opts).finish_non_exhaustive()
    }
}

/// A copy starts with nothing found or open.
impl Clone for Cgroups {
    fn clone(&self) -> Cgroups {
        Cgroups::new(self.root.clone(), self.opts, 1_000_000 / self.usec_per_tick.max(1))
    }
}

impl Cgroups {
    /// `hz` is the clock-tick rate of `/proc/PID/stat`'s times.
    pub fn new(root: PathBuf, opts: CgroupOptions, hz: u64) -> Cgroups {
        Cgroups {
            root,
            opts,
            usec_per_tick: 1_000_000 / hz.max(1),
            mounts: None,
            names: Names::default(),
            files: FileCache::new(),
        }
    }

    /// The hierarchies, looked for until found.
    fn mounts(&mut self) -> Option<Mounts> {
        if self.mounts.is_none() {
            self.mounts = Some(Mounts::find(&self.root)).filter(Mounts::present);
        }
        self.mounts.clone()
    }

    /// The cgroups to record now, sorted by name; `None` without a cgroup
    /// file system.
    pub fn targets(&mut self) -> Option<Vec<Target>> {
        let mounts = self.mounts()?;
        Some(targets(&self.root, &mounts, self.opts, &mut self.names))
    }

    /// A_CGROUP's items now; `None` when the node has no cgroup file system.
    pub fn collect(&mut self) -> Option<Vec<StatsCgroup>> {
        let mounts = self.mounts()?;
        self.names.sample += 1;
        let targets = targets(&self.root, &mounts, self.opts, &mut self.names);
        self.files.begin();
        Some(targets.iter().map(|t| self.read(&mounts, t)).collect())
    }

    /// One target's item.
    fn read(&mut self, mounts: &Mounts, t: &Target) -> StatsCgroup {
        let mut s = StatsCgroup {
            quota_usec: CGROUP_NO_LIMIT,
            mem_max: CGROUP_NO_LIMIT,
            cgroup: CChars::new(&t.name),
            qos: t.qos as u8,
            kind: t.kind as u8,
            ..Default::default()
        };
        match mounts {
            Mounts::None => {}
            Mounts::V2(base) => {
                let dir = base.join(&t.rel);
                let mut d = self.files.dir(&dir);
                s.flags |= flags::V2;
                Self::v2_cpu(&mut d, &mut s);
                Self::v2_memory(&mut d, &mut s);
                Self::v2_io(&mut d, &mut s);
                Self::v2_pressure(&mut d, &mut s);
            }
            Mounts::V1(m) => self.v1(m, t, &mut s),
        }
        s
    }

    fn v2_cpu(d: &mut Dir<'_>, s: &mut StatsCgroup) {
        if let Some(data) = d.read("cpu.stat") {
            s.flags |= flags::CPU;
            for (k, v) in parse::pairs(data) {
                let slot = match k {
                    b"user_usec" => &mut s.user_usec,
                    b"system_usec" => &mut s.system_usec,
                    b"throttled_usec" => &mut s.throttled_usec,
                    b"nr_periods" => {
                        s.nr_periods = parse::number(v) as u32;
                        continue;
                    }
                    b"nr_throttled" => {
                        s.nr_throttled = parse::number(v) as u32;
                        continue;
                    }
                    _ => continue,
                };
                *slot = parse::number(v);
            }
        }
        if let Some((q, p)) = d.read("cpu.max").and_then(parse::cpu_max) {
            s.quota_usec = q;
            s.period_usec = u32::try_from(p).unwrap_or(u32::MAX);
        }
    }

    fn v2_memory(d: &mut Dir<'_>, s: &mut StatsCgroup) {
        let Some(cur) = d.value("memory.current", parse::single) else { return };
        s.flags |= flags::MEMORY;
        s.mem_current = cur;
        s.mem_max = d.value("memory.max", parse::single).unwrap_or(CGROUP_NO_LIMIT);
        s.mem_peak = d.value("memory.peak", parse::single).unwrap_or(0);
        if let Some(data) = d.read("memory.stat") {
            memory_stat(data, false, s);
        }
        if let Some(data) = d.read("memory.events") {
            s.oom = parse::keyed(data, "oom").unwrap_or(0) as u32;
            s.oom_kill = parse::keyed(data, "oom_kill").unwrap_or(0) as u32;
        }
    }

    fn v2_io(d: &mut Dir<'_>, s: &mut StatsCgroup) {
        if let Some(data) = d.read("io.stat") {
            s.flags |= flags::IO;
            let io = parse::io_stat(data);
            (s.rbytes, s.wbytes, s.rios, s.wios, s.dbytes) = (io.rbytes, io.wbytes, io.rios, io.wios, io.dbytes);
        }
    }

    fn v2_pressure(d: &mut Dir<'_>, s: &mut StatsCgroup) {
        let mut any = false;
        for (file, some, full) in [
            ("cpu.pressure", &mut s.cpu_some_usec, &mut s.cpu_full_usec),
            ("memory.pressure", &mut s.mem_some_usec, &mut s.mem_full_usec),
            ("io.pressure", &mut s.io_some_usec, &mut s.io_full_usec),
        ] {
            if let Some((a, b)) = d.read(file).and_then(parse::pressure) {
                (*some, *full, any) = (a, b, true);
            }
        }
        if any {
            s.flags |= flags::PRESSURE;
        }
    }

    /// v1: each controller's hierarchy, where it has the cgroup (spec 17.4).
    fn v1(&mut self, m: &V1Mounts, t: &Target, s: &mut StatsCgroup) {
        let at = |h: &Option<PathBuf>| h.as_ref().map(|h| h.join(&t.rel));
        let unified = at(&m.unified);
        let cpu_read = at(&m.cpuacct).is_some_and(|dir| Self::v1_cpuacct(&mut self.files.dir(&dir), s));
        if !cpu_read {
            let times = unified.as_ref().and_then(|dir| self.files.dir(dir).read("cpu.stat").map(parse::cpu_times));
            if let Some((user, sys)) = times {
                // A hybrid node's unified hierarchy keeps CPU time without a controller.
                s.flags |= flags::CPU;
                (s.user_usec, s.system_usec) = (user, sys);
            } else if let Some((user, sys)) = self.task_ticks(m, &t.rel) {
                s.flags |= flags::CPU | flags::CPU_FROM_TASKS;
                s.user_usec = user.wrapping_mul(self.usec_per_tick);
                s.system_usec = sys.wrapping_mul(self.usec_per_tick);
            }
        }
        if let Some(dir) = at(&m.cpu) {
            let mut d = self.files.dir(&dir);
            if let Some(data) = d.read("cpu.stat") {
                s.nr_periods = parse::keyed(data, "nr_periods").unwrap_or(0) as u32;
                s.nr_throttled = parse::keyed(data, "nr_throttled").unwrap_or(0) as u32;
                s.throttled_usec = parse::keyed(data, "throttled_time").unwrap_or(0) / 1000;
            }
            s.quota_usec = d.value("cpu.cfs_quota_us", parse::quota_v1).unwrap_or(CGROUP_NO_LIMIT);
            s.period_usec = d.value("cpu.cfs_period_us", parse::single).map_or(0, |p| p.min(u32::MAX as u64) as u32);
        }
        if let Some(dir) = at(&m.memory) {
            Self::v1_memory(&mut self.files.dir(&dir), s);
        }
        if let Some(dir) = at(&m.blkio) {
            Self::v1_io(&mut self.files.dir(&dir), s);
        }
        if let Some(dir) = &unified {
            Self::v2_pressure(&mut self.files.dir(dir), s);
        }
    }

    /// CPU times from `cpuacct`; false when it lacks the cgroup.
    fn v1_cpuacct(d: &mut Dir<'_>, s: &mut StatsCgroup) -> bool {
        let Some(usage) = d.value("cpuacct.usage", parse::single) else { return false };
        let (user, sys) =
            match (d.value("cpuacct.usage_user", parse::single), d.value("cpuacct.usage_sys", parse::single)) {
                (Some(u), Some(y)) => (u, y),
                // Before Linux 4.7: split the usage as cpuacct.stat's ticks split.
                _ => {
                    let (u, y) = d.read("cpuacct.stat").map_or((1, 0), |data| {
                        (parse::keyed(data, "user").unwrap_or(0), parse::keyed(data, "system").unwrap_or(0))
                    });
                    let user = if u + y == 0 { usage } else { (usage as u128 * u as u128 / (u + y) as u128) as u64 };
                    (user, usage - user)
                }
            };
        s.flags |= flags::CPU;
        (s.user_usec, s.system_usec) = (user / 1000, sys / 1000);
        true
    }

    fn v1_memory(d: &mut Dir<'_>, s: &mut StatsCgroup) {
        let Some(cur) = d.value("memory.usage_in_bytes", parse::single) else { return };
        s.flags |= flags::MEMORY;
        s.mem_current = cur;
        s.mem_max = d.value("memory.limit_in_bytes", parse::limit_v1).unwrap_or(CGROUP_NO_LIMIT);
        s.mem_peak = d.value("memory.max_usage_in_bytes", parse::single).unwrap_or(0);
        s.kernel = d.value("memory.kmem.usage_in_bytes", parse::single).unwrap_or(0);
        if let Some(data) = d.read("memory.stat") {
            memory_stat(data, true, s);
        }
        if let Some(data) = d.read("memory.oom_control") {
            s.oom_kill = parse::keyed(data, "oom_kill").unwrap_or(0) as u32;
        }
    }

    fn v1_io(d: &mut Dir<'_>, s: &mut StatsCgroup) {
        // The _recursive files include the cgroup's descendants (a pod's containers).
        let mut read = |recursive: &'static str, local: &'static str| {
            d.read(recursive).map(parse::blkio).or_else(|| d.read(local).map(parse::blkio))
        };
        if let Some((r, w, dis)) = read("blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_service_bytes")
        {
            s.flags |= flags::IO;
            (s.rbytes, s.wbytes, s.dbytes) = (r, w, dis);
        }
        if let Some((r, w, _)) = read("blkio.throttle.io_serviced_recursive", "blkio.throttle.io_serviced") {
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
            if let Some(data) = self.files.dir(&d).read("cgroup.procs") {
                pids.extend(parse::procs(data));
            }
            stack.extend(subdirs(&d).into_iter().map(|c| d.join(c)));
        }
        let proc = self.root.join("proc");
        let mut sum = (0u64, 0u64);
        for pid in pids {
            // Processes come and go: their files are not kept open.
            let Ok(data) = fs::read(proc.join(pid.to_string()).join("stat")) else { continue };
            if let Some((u, s)) = parse::task_ticks(&data) {
                sum = (sum.0.wrapping_add(u), sum.1.wrapping_add(s));
            }
        }
        Some(sum)
    }
}

/// The fields of a `memory.stat`: v2's keys, or v1's `total_` ones, which
/// include the cgroup's descendants as v2's do (spec 17.3 and 17.4).
fn memory_stat(data: &[u8], v1: bool, s: &mut StatsCgroup) {
    let mut refault = (0u64, None::<u64>);
    for (k, v) in parse::pairs(data) {
        let k = match (v1, k.strip_prefix(b"total_")) {
            (false, _) => k,
            (true, Some(k)) => k,
            (true, None) => continue,
        };
        let slot = match (k, v1) {
            (b"anon", false) | (b"rss", true) => &mut s.anon,
            (b"file", false) | (b"cache", true) => &mut s.file,
            (b"kernel", false) => &mut s.kernel,
            (b"shmem", _) => &mut s.shmem,
            (b"file_dirty", false) | (b"dirty", true) => &mut s.file_dirty,
            (b"file_writeback", false) | (b"writeback", true) => &mut s.file_writeback,
            (b"pgfault", _) => &mut s.pgfault,
            (b"pgmajfault", _) => &mut s.pgmajfault,
            (b"workingset_refault_anon" | b"workingset_refault_file", _) => &mut refault.0,
            // Kernels before 5.9 have one count.
            (b"workingset_refault", _) => {
                refault.1 = Some(parse::number(v));
                continue;
            }
            _ => continue,
        };
        *slot = slot.wrapping_add(parse::number(v));
    }
    s.workingset_refault = refault.1.unwrap_or(refault.0);
}

/// The note a recorder logs once when the node has no cgroup file system.
pub fn absent_note(root: &Path) -> String {
    format!(
        "no cgroup file system under {}: A_CGROUP (per-pod activity) is not recorded",
        root.join("sys/fs/cgroup").display()
    )
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
