//! Collecting samples from a machine, or from a copy of its /proc, /sys,
//! /dev and /etc under a root folder (sysstat's test trees).
//!
//! Each activity is read the way sadc 12.7.9 reads it: the same files, the
//! same item counts at file creation, and per record as many items as the
//! machine has then (CPUs up to the highest online one, interfaces and
//! disks as listed). Directory listings honour the `_list` files of
//! sysstat's test trees, which stand for `readdir` there.
//!
//! Files are read through [`Files`]: once per sample, from descriptors kept
//! open. Sources several activities share (/proc/stat, /proc/net/snmp, …)
//! are also parsed once per sample ([`Parsed`]).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ffi::{CStr, CString};
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use sarkit_format::error::Version;
use sarkit_format::stats::*;
use sarkit_format::time::{self, BrokenDown};
use sarkit_format::{ActivityData, ActivityId, ActivitySpec, AnyStats, HeaderInfo, RecordHeader, Sample, SampleBody};

use crate::cgroup::{self, CgroupOptions, Cgroups};
use crate::files::Files;
use crate::proc::{self, scan::c_chars};
use crate::select::Selection;
use crate::source::SampleSource;

/// One activity of the file being written: item count at creation, and
/// sub-items per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Planned {
    id: ActivityId,
    nr: u32,
    nr2: u32,
}

/// Reads the selected activities under `root`.
#[derive(Debug)]
pub struct Collector {
    files: Files,
    selection: Selection,
    plan: Option<Vec<Planned>>,
    parsed: Parsed,
    cgroups: Cgroups,
    /// The activity list is an existing file's (`collect_only`).
    appending: bool,
    /// Notes for the log not yet taken, and whether the missing cgroup
    /// file system was noted.
    notes: Vec<String>,
    noted_no_cgroup: bool,
    /// Records carry UTC times (`S_TIME_DEF_TIME=UTC`, read by the binary).
    utc: bool,
}

/// Sources several activities read, parsed once per sample.
#[derive(Debug, Default)]
struct Parsed {
    /// /proc/stat (empty when unreadable), and whether it could be read.
    stat: OnceCell<(proc::stat::ProcStat, bool)>,
    vmstat: OnceCell<(StatsSwap, StatsPaging)>,
    meminfo: OnceCell<(StatsMemory, StatsHuge)>,
    snmp: OnceCell<proc::snmp::Snmp>,
    snmp6: OnceCell<proc::snmp6::Snmp6>,
    /// The `wwn-0x…` links of /dev/disk/by-id: (link name, device it points to).
    wwn_links: OnceCell<Vec<(String, Vec<u8>)>>,
}

/// Local (or, when `utc`, universal) broken-down time: (years since 1900,
/// month 0-11, day, hour, minute, second), all zero if even UTC cannot
/// represent `t`.
fn broken_down(t: u64, utc: bool) -> [i32; 6] {
    let t = t.min(i64::MAX as u64) as i64;
    let local = if utc {
        None
    } else {
        time::tzset();
        BrokenDown::local(t)
    };
    local
        .or_else(|| BrokenDown::utc(t))
        .map_or([0; 6], |tm| [tm.years_since_1900(), tm.month0(), tm.day(), tm.hour(), tm.minute(), tm.second()])
}

/// `tzname[0]` after `tzset()`, as sadc stores it.
fn standard_zone_name() -> String {
    String::from_utf8_lossy(&time::standard_zone_name()).into_owned()
}

fn uname() -> [String; 4] {
    // SAFETY: an all-zero utsname is valid; uname fills NUL-terminated fields.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return Default::default();
        }
        let f = |b: &[libc::c_char]| CStr::from_ptr(b.as_ptr()).to_string_lossy().into_owned();
        [f(&u.sysname), f(&u.nodename), f(&u.release), f(&u.machine)]
    }
}

fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
        n if n > 0 => n as u64,
        _ => 100,
    }
}

/// Sizes of a mounted filesystem: blocks, free, available (in fragments
/// of `frsize` bytes), inodes, free inodes.
struct FsSize {
    blocks: u64,
    bfree: u64,
    bavail: u64,
    files: u64,
    ffree: u64,
    frsize: u64,
}

fn statvfs(path: &Path) -> Option<FsSize> {
    let c = CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is NUL-terminated and `buf` is valid to be written.
    unsafe {
        let mut buf: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(c.as_ptr(), &mut buf) != 0 {
            return None;
        }
        Some(FsSize {
            blocks: buf.f_blocks as u64,
            bfree: buf.f_bfree as u64,
            bavail: buf.f_bavail as u64,
            files: buf.f_files as u64,
            ffree: buf.f_ffree as u64,
            frsize: buf.f_frsize as u64,
        })
    }
}

/// Per-feature readings of hwmon sensors: device name, input, min, max.
type Sensor = (String, f64, f64, f64);

impl Collector {
    pub fn new(root: PathBuf, selection: Selection) -> Self {
        Collector {
            cgroups: Cgroups::new(root.clone(), CgroupOptions::default(), clock_ticks()),
            files: Files::new(root),
            selection,
            plan: None,
            parsed: Parsed::default(),
            appending: false,
            notes: Vec::new(),
            noted_no_cgroup: false,
            utc: false,
        }
    }

    /// Date the header and records in UTC rather than local time
    /// (sysstat's `S_TIME_DEF_TIME=UTC`).
    pub fn with_utc_times(self, utc: bool) -> Self {
        Collector { utc, ..self }
    }

    /// How A_CGROUP picks its cgroups (per pod, or per container).
    pub fn with_cgroup_options(mut self, o: CgroupOptions) -> Self {
        self.cgroups = Cgroups::new(self.files.root().to_path_buf(), o, clock_ticks());
        self
    }

    /// A_CGROUP's items now: none, noted once, without a cgroup file system.
    fn cgroups(&mut self) -> Vec<StatsCgroup> {
        self.cgroups.collect().unwrap_or_else(|| {
            self.note_no_cgroup();
            Vec::new()
        })
    }

    /// Note once that A_CGROUP has nothing to read here.
    fn note_no_cgroup(&mut self) {
        if !self.noted_no_cgroup {
            self.noted_no_cgroup = true;
            self.notes.push(cgroup::absent_note(self.files.root()));
        }
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Read the machine anew: what follows sees its state from now on.
    /// `sample`: a statistics sample begins (see [`Files::refresh`]).
    fn refresh(&mut self, sample: bool) {
        self.files.refresh(sample);
        self.parsed = Parsed::default();
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.files.path(rel)
    }

    fn read<T>(&self, rel: &str, f: impl FnOnce(&[u8]) -> T) -> Option<T> {
        self.files.read(rel, f)
    }

    fn read_or_empty<T>(&self, rel: &str, f: impl FnOnce(&[u8]) -> T) -> T {
        self.files.read_or_empty(rel, f)
    }

    fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    fn stat(&self) -> &(proc::stat::ProcStat, bool) {
        self.parsed
            .stat
            .get_or_init(|| self.files.with("proc/stat", |d| (proc::stat::parse(d.unwrap_or_default()), d.is_some())))
    }

    fn vmstat(&self) -> &(StatsSwap, StatsPaging) {
        self.parsed.vmstat.get_or_init(|| self.read_or_empty("proc/vmstat", proc::vmstat::parse))
    }

    fn meminfo(&self) -> &(StatsMemory, StatsHuge) {
        self.parsed.meminfo.get_or_init(|| self.read_or_empty("proc/meminfo", proc::meminfo::parse))
    }

    fn snmp(&self) -> &proc::snmp::Snmp {
        self.parsed.snmp.get_or_init(|| self.read_or_empty("proc/net/snmp", proc::snmp::parse))
    }

    fn snmp6(&self) -> &proc::snmp6::Snmp6 {
        self.parsed.snmp6.get_or_init(|| self.read_or_empty("proc/net/snmp6", proc::snmp6::parse))
    }

    /// Entry names of a folder: its `_list` file in a test tree, else `readdir` order.
    fn list_dir(&self, rel: &str) -> Option<Vec<String>> {
        let dir = self.path(rel);
        if let Ok(list) = fs::read(dir.join("_list")) {
            let names = list
                .split(|&c| c == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .collect();
            return Some(names);
        }
        let rd = fs::read_dir(&dir).ok()?;
        Some(rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
    }

    /// CPUs of the machine, online or not: `cpuN` entries in
    /// /sys/devices/system/cpu, else the highest CPU in /proc/stat plus one.
    pub fn cpu_count(&self) -> u32 {
        let sys = self.list_dir("sys/devices/system/cpu").map_or(0, |names| {
            names
                .iter()
                .filter(|n| n.strip_prefix("cpu").and_then(|r| r.bytes().next()).is_some_and(|c| c.is_ascii_digit()))
                .count() as u32
        });
        let n = if sys > 0 { sys } else { self.stat().0.cpu_count() };
        n.min(proc::stat::NR_CPUS)
    }

    /// A_CPU's item count, which sadc also puts in the header and in
    /// restart records: the machine's CPUs plus "all", or more when
    /// /proc/stat lists more (see `own_cpu_items`).
    pub fn cpu_items(&self) -> u32 {
        (self.cpu_count() + 1).max(self.own_cpu_items(ActivityId::A_CPU))
    }

    /// `/sys/block/NAME` exists (`virtual`), or `/sys/block/NAME/device`;
    /// remembered while NAME is in /proc/diskstats ([`Files::exists_lasting`]).
    fn is_device(&self, name: &str, virtual_ok: bool) -> bool {
        let name = if name.contains('/') { Cow::Owned(name.replace('/', "!")) } else { Cow::Borrowed(name) };
        let rel = if virtual_ok { format!("sys/block/{name}") } else { format!("sys/block/{name}/device") };
        self.files.exists_lasting(&rel)
    }

    /// The WWN of a device from the `wwn-0x…` links of /dev/disk/by-id.
    fn wwn(&self, name: &str) -> Option<proc::diskstats::Wwn> {
        let links = self.parsed.wwn_links.get_or_init(|| {
            let Ok(dir) = fs::read_dir(self.path("dev/disk/by-id")) else { return Vec::new() };
            dir.filter_map(|e| {
                let e = e.ok()?;
                let link = e.file_name().to_string_lossy().into_owned();
                if !link.starts_with("wwn-0x") {
                    return None;
                }
                let target = fs::read_link(e.path()).ok()?;
                Some((link, target.file_name()?.as_bytes().to_vec()))
            })
            .collect()
        });
        links
            .iter()
            .filter(|(_, target)| target == name.as_bytes())
            .find_map(|(link, _)| proc::diskstats::parse_wwn_name(link))
    }

    /// Mounted filesystems with their sizes, in /etc/mtab order;
    /// statvfs is applied to the mount point under the root.
    fn filesystems(&self) -> Vec<(proc::mtab::Mount, FsSize)> {
        self.files
            .with_mount_table("etc/mtab", |d| proc::mtab::parse(d.unwrap_or_default()))
            .into_iter()
            .filter_map(|m| {
                let rel = String::from_utf8_lossy(&m.mountp).into_owned();
                let size = statvfs(&self.path(&rel))?;
                (size.blocks != 0).then_some((m, size))
            })
            .collect()
    }

    /// Sensors of one kind ("fan", "temp", "in") under /sys/class/hwmon,
    /// named as libsensors names chips ("name-bus-0").
    fn sensors(&self, kind: &str) -> Vec<Sensor> {
        let Some(mut chips) = self.list_dir("sys/class/hwmon") else { return Vec::new() };
        chips.retain(|c| c.starts_with("hwmon"));
        chips.sort_by_key(|c| c.get(5..).and_then(|n| n.parse::<u32>().ok()).unwrap_or(u32::MAX));
        let mut out = Vec::new();
        for chip in chips {
            let dir = format!("sys/class/hwmon/{chip}");
            let name = self
                .read(&format!("{dir}/name"), |n| {
                    String::from_utf8_lossy(n.split(|&c| c == b'\n').next().unwrap_or(&[])).into_owned()
                })
                .unwrap_or_else(|| chip.clone());
            let bus = fs::read_link(self.path(&format!("{dir}/device/subsystem")))
                .ok()
                .and_then(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()));
            let bus = match bus.as_deref() {
                Some("platform" | "isa") => "isa",
                Some("pci") => "pci",
                Some("i2c") => "i2c",
                Some("acpi") => "acpi",
                _ => "virtual",
            };
            let device = format!("{name}-{bus}-0");
            let Some(files) = self.list_dir(&dir) else { continue };
            let mut nums: Vec<u32> =
                files.iter().filter_map(|f| f.strip_prefix(kind)?.strip_suffix("_input")?.parse().ok()).collect();
            nums.sort_unstable();
            for n in nums {
                let value = |what: &str| {
                    let parse = if kind == "fan" { proc::sysfs::parse_rpm } else { proc::sysfs::parse_milli };
                    self.read(&format!("{dir}/{kind}{n}_{what}"), parse)?
                };
                let input = value("input").unwrap_or(0.0);
                out.push((device.clone(), input, value("min").unwrap_or(0.0), value("max").unwrap_or(0.0)));
            }
        }
        out
    }

    fn usb_devices(&self) -> Option<Vec<String>> {
        let names = self.list_dir("sys/bus/usb/devices")?;
        Some(
            names
                .into_iter()
                .filter(|n| n.bytes().next().is_some_and(|c| c.is_ascii_digit()) && !n.contains(':'))
                .collect(),
        )
    }

    fn fc_hosts(&self) -> Option<Vec<String>> {
        Some(self.list_dir("sys/class/fc_host")?.into_iter().filter(|n| n.starts_with("host")).collect())
    }

    fn batteries(&self) -> Option<Vec<String>> {
        let names = self.list_dir("sys/class/power_supply")?;
        Some(
            names
                .into_iter()
                .filter(|n| n.strip_prefix("BAT").and_then(|r| r.bytes().next()).is_some_and(|c| c.is_ascii_digit()))
                .collect(),
        )
    }

    /// CPU items (with "all") the source of per-CPU activity `id` lists
    /// now, whatever the machine's CPU count says: the highest `cpuN` of
    /// /proc/stat (A_CPU), CPU column of /proc/interrupts (A_IRQ), CPU number
    /// of /proc/net/softnet_stat or /proc/stat (A_NET_SOFT), `processor`
    /// of /proc/cpuinfo (A_PWR_CPU), or the cpuN/cpufreq/stats files
    /// (A_PWR_FREQ); 0 for other activities.
    ///
    /// sadc declares every per-CPU activity with the machine's count (cpuN
    /// entries of /sys, else /proc/stat) and reads no more /proc/interrupts
    /// columns than that, so where /sys lists fewer CPUs than a source it
    /// records A_IRQ for too few CPUs and an "all" column summing only
    /// those. Taking the larger of both counts gives the same file as sadc
    /// wherever the sources agree, and every CPU where they do not.
    fn own_cpu_items(&self, id: ActivityId) -> u32 {
        use ActivityId as A;
        match id {
            A::A_CPU => self.stat().0.cpu_items().len() as u32,
            A::A_IRQ => self.read_or_empty("proc/interrupts", proc::interrupts::cpu_items),
            A::A_NET_SOFT => {
                let from_stat = self.stat().0.online_cpus().1;
                from_stat.max(self.read_or_empty("proc/net/softnet_stat", proc::softnet::cpu_items))
            }
            A::A_PWR_CPU => self.read("proc/cpuinfo", |d| proc::cpuinfo::parse(d).len() as u32).unwrap_or(0),
            A::A_PWR_FREQ => match self.cpufreq_cpus() {
                0 => 0,
                n => n + 1,
            },
            _ => 0,
        }
    }

    /// CPUs 0, 1, … with a cpufreq time_in_state file, up to the first without.
    fn cpufreq_cpus(&self) -> u32 {
        (0..proc::stat::NR_CPUS)
            .find(|n| !self.exists(&format!("sys/devices/system/cpu/cpu{n}/cpufreq/stats/time_in_state")))
            .unwrap_or(proc::stat::NR_CPUS)
    }

    /// Items and sub-items sadc declares for `id` in a new file; `None`
    /// when it finds none and leaves the activity out.
    fn count(&mut self, id: ActivityId, cpu_nr: u32) -> Option<(u32, u32)> {
        use ActivityId as A;
        let positive = |n: u32| (n > 0).then_some((n, 1));
        let len = |v: Option<Vec<String>>| v.map_or(0, |v| v.len() as u32);
        match id {
            A::A_CPU | A::A_NET_SOFT | A::A_PWR_CPU => Some((cpu_nr.max(self.own_cpu_items(id)), 1)),
            A::A_IRQ => {
                let (nr, nr2) = self.read_or_empty("proc/interrupts", |data| {
                    let nr = cpu_nr.max(proc::interrupts::cpu_items(data));
                    (nr, proc::interrupts::nr2(data, nr as usize - 1))
                });
                (nr2 > 0).then_some((nr, nr2))
            }
            A::A_PWR_FREQ => {
                let nr2 =
                    self.read_or_empty("sys/devices/system/cpu/cpu0/cpufreq/stats/time_in_state", proc::cpufreq::count);
                (nr2 > 0).then_some((cpu_nr.max(self.own_cpu_items(id)), nr2))
            }
            A::A_SERIAL => positive(self.read_or_empty("proc/tty/driver/serial", proc::serial::count)),
            A::A_DISK => positive(self.read_or_empty("proc/diskstats", |d| {
                proc::diskstats::count(d, self.selection.partitions(), |n| self.is_device(n, true))
            })),
            A::A_NET_DEV | A::A_NET_EDEV => positive(self.read_or_empty("proc/net/dev", proc::net_dev::count)),
            A::A_PWR_FAN => positive(self.sensors("fan").len() as u32),
            A::A_PWR_TEMP => positive(self.sensors("temp").len() as u32),
            A::A_PWR_IN => positive(self.sensors("in").len() as u32),
            A::A_PWR_USB => positive(len(self.usb_devices())),
            A::A_PWR_BAT => positive(len(self.batteries())),
            A::A_NET_FC => positive(len(self.fc_hosts())),
            A::A_FS => positive(self.filesystems().len() as u32),
            A::A_PSI_CPU | A::A_PSI_IO | A::A_PSI_MEM => self.path("proc/pressure").is_dir().then_some((1, 1)),
            // No cgroup file system: left out. Cgroups come and go, so
            // none now is a count of zero, which the file declares as one.
            A::A_CGROUP => self.cgroups.targets().map(|t| (t.len() as u32, 1)),
            _ => Some((1, 1)),
        }
    }

    /// The activity list of a file created now (sadc's `sa_sys_init`).
    fn make_plan(&mut self) -> Vec<Planned> {
        let cpu_nr = self.cpu_count() + 1;
        self.selection
            .ids()
            .into_iter()
            .filter_map(|id| self.count(id, cpu_nr).map(|(nr, nr2)| Planned { id, nr, nr2 }))
            .collect()
    }

    /// The items of every planned activity now.
    fn collect_plan(&mut self, plan: &[Planned]) -> io::Result<Vec<ActivityData>> {
        let mut data = Vec::with_capacity(plan.len());
        for p in plan {
            let stats = match p.id {
                ActivityId::A_CGROUP => AnyStats::Cgroup(self.cgroups()),
                _ => self.collect(p.id, p.nr, p.nr2)?,
            };
            data.push(ActivityData { nr2: p.nr2, stats });
        }
        Ok(data)
    }

    /// One activity's items now. `nr` (items at creation) only sizes
    /// sadc's buffers; `nr2` is the file's sub-item count.
    fn collect(&self, id: ActivityId, nr: u32, nr2: u32) -> io::Result<AnyStats> {
        use ActivityId as A;
        let one = |s| Ok(s);
        match id {
            A::A_CPU => {
                let (st, readable) = self.stat();
                if !readable {
                    let path = self.path("proc/stat");
                    return Err(io::Error::new(io::ErrorKind::NotFound, format!("Cannot open {}", path.display())));
                }
                Ok(AnyStats::Cpu(st.cpu_items()))
            }
            A::A_PCSW => {
                let st = &self.stat().0;
                one(AnyStats::Pcsw(vec![StatsPcsw {
                    context_switch: st.ctxt.unwrap_or(0),
                    processes: st.processes.unwrap_or(0),
                }]))
            }
            A::A_IRQ => {
                // Room for every CPU column, so that none is dropped (see
                // `own_cpu_items`): `nr` counts the machine's CPUs at file
                // creation, and CPUs brought online since are in the header.
                Ok(AnyStats::Irq(self.read_or_empty("proc/interrupts", |data| {
                    proc::interrupts::parse(data, nr2, nr.max(proc::interrupts::cpu_items(data)))
                })))
            }
            A::A_SWAP => one(AnyStats::Swap(vec![self.vmstat().0])),
            A::A_PAGE => one(AnyStats::Paging(vec![self.vmstat().1])),
            A::A_IO => one(AnyStats::Io(vec![
                self.read_or_empty("proc/diskstats", |d| proc::diskstats::io(d, |n| self.is_device(n, false)))
            ])),
            A::A_MEMORY => one(AnyStats::Memory(vec![self.meminfo().0])),
            A::A_HUGE => one(AnyStats::Huge(vec![self.meminfo().1])),
            A::A_KTABLES => {
                let f = |rel: &str, p: fn(&[u8]) -> u64| self.read(rel, p).unwrap_or(0);
                one(AnyStats::Ktables(vec![StatsKtables {
                    dentry_stat: f("proc/sys/fs/dentry-state", proc::ktables::parse_dentry_state),
                    file_used: f("proc/sys/fs/file-nr", proc::ktables::parse_used),
                    inode_used: f("proc/sys/fs/inode-state", proc::ktables::parse_used),
                    pty_nr: f("proc/sys/kernel/pty/nr", proc::ktables::parse_pty_nr),
                }]))
            }
            A::A_QUEUE => {
                let q = self.read("proc/loadavg", proc::loadavg::parse).and_then(Result::ok);
                let q = q.map(|mut q| {
                    q.procs_blocked = self.stat().0.procs_blocked.unwrap_or(0);
                    q
                });
                one(AnyStats::Queue(vec![q.unwrap_or_default()]))
            }
            A::A_SERIAL => Ok(AnyStats::Serial(self.read_or_empty("proc/tty/driver/serial", proc::serial::parse))),
            A::A_DISK => Ok(AnyStats::Disk(self.read_or_empty("proc/diskstats", |d| {
                proc::diskstats::disks(d, self.selection.partitions(), |n| self.is_device(n, true), |n| self.wwn(n))
            }))),
            A::A_NET_DEV => {
                let mut v = self.read_or_empty("proc/net/dev", proc::net_dev::parse_dev);
                for d in &mut v {
                    let iface = d.interface.to_str_lossy().into_owned();
                    let duplex = self.read(&format!("sys/class/net/{iface}/duplex"), proc::net_dev::parse_duplex);
                    let Some(Some(duplex)) = duplex else { continue };
                    d.duplex = duplex;
                    if let Some(speed) = self.read(&format!("sys/class/net/{iface}/speed"), proc::net_dev::parse_speed)
                    {
                        d.speed = speed.unwrap_or(0);
                    }
                }
                Ok(AnyStats::NetDev(v))
            }
            A::A_NET_EDEV => Ok(AnyStats::NetEdev(self.read_or_empty("proc/net/dev", proc::net_dev::parse_edev))),
            A::A_NET_NFS => {
                one(AnyStats::NetNfs(vec![self.read("proc/net/rpc/nfs", proc::nfs::parse_nfs).unwrap_or_default()]))
            }
            A::A_NET_NFSD => {
                one(AnyStats::NetNfsd(vec![self.read("proc/net/rpc/nfsd", proc::nfs::parse_nfsd).unwrap_or_default()]))
            }
            A::A_NET_SOCK => {
                one(AnyStats::NetSock(vec![self.read_or_empty("proc/net/sockstat", proc::sockstat::parse)]))
            }
            A::A_NET_SOCK6 => {
                one(AnyStats::NetSock6(vec![self.read_or_empty("proc/net/sockstat6", proc::sockstat::parse6)]))
            }
            A::A_NET_IP
            | A::A_NET_EIP
            | A::A_NET_ICMP
            | A::A_NET_EICMP
            | A::A_NET_TCP
            | A::A_NET_ETCP
            | A::A_NET_UDP => {
                let s = self.snmp();
                one(match id {
                    A::A_NET_IP => AnyStats::NetIp(vec![s.ip]),
                    A::A_NET_EIP => AnyStats::NetEip(vec![s.eip]),
                    A::A_NET_ICMP => AnyStats::NetIcmp(vec![s.icmp]),
                    A::A_NET_EICMP => AnyStats::NetEicmp(vec![s.eicmp]),
                    A::A_NET_TCP => AnyStats::NetTcp(vec![s.tcp]),
                    A::A_NET_ETCP => AnyStats::NetEtcp(vec![s.etcp]),
                    _ => AnyStats::NetUdp(vec![s.udp]),
                })
            }
            A::A_NET_IP6 | A::A_NET_EIP6 | A::A_NET_ICMP6 | A::A_NET_EICMP6 | A::A_NET_UDP6 => {
                let s = self.snmp6();
                one(match id {
                    A::A_NET_IP6 => AnyStats::NetIp6(vec![s.ip6]),
                    A::A_NET_EIP6 => AnyStats::NetEip6(vec![s.eip6]),
                    A::A_NET_ICMP6 => AnyStats::NetIcmp6(vec![s.icmp6]),
                    A::A_NET_EICMP6 => AnyStats::NetEicmp6(vec![s.eicmp6]),
                    _ => AnyStats::NetUdp6(vec![s.udp6]),
                })
            }
            A::A_PWR_CPU => {
                Ok(AnyStats::PwrCpufreq(self.read("proc/cpuinfo", proc::cpuinfo::parse).unwrap_or_default()))
            }
            A::A_PWR_FAN => Ok(AnyStats::PwrFan(
                self.sensors("fan")
                    .into_iter()
                    .map(|(dev, rpm, min, _)| StatsPwrFan { rpm, rpm_min: min, device: c_chars(dev.as_bytes()) })
                    .collect(),
            )),
            A::A_PWR_TEMP => Ok(AnyStats::PwrTemp(
                self.sensors("temp")
                    .into_iter()
                    .map(|(dev, t, min, max)| StatsPwrTemp {
                        temp: t,
                        temp_min: min,
                        temp_max: max,
                        device: c_chars(dev.as_bytes()),
                    })
                    .collect(),
            )),
            A::A_PWR_IN => Ok(AnyStats::PwrIn(
                self.sensors("in")
                    .into_iter()
                    .map(|(dev, v, min, max)| StatsPwrIn {
                        r#in: v,
                        in_min: min,
                        in_max: max,
                        device: c_chars(dev.as_bytes()),
                    })
                    .collect(),
            )),
            A::A_PWR_FREQ => {
                let mut per_cpu = Vec::new();
                while per_cpu.len() < proc::stat::NR_CPUS as usize {
                    let rel = format!("sys/devices/system/cpu/cpu{}/cpufreq/stats/time_in_state", per_cpu.len());
                    let Some(freqs) = self.read(&rel, |d| proc::cpufreq::parse(d, nr2)) else { break };
                    per_cpu.push(freqs);
                }
                Ok(AnyStats::PwrWghfreq(proc::cpufreq::matrix(&per_cpu, nr2)))
            }
            A::A_PWR_USB => {
                Ok(AnyStats::PwrUsb(self.usb_devices().unwrap_or_default().iter().map(|d| self.usb(d)).collect()))
            }
            A::A_PWR_BAT => Ok(AnyStats::PwrBat(
                self.batteries()
                    .unwrap_or_default()
                    .iter()
                    .map(|b| {
                        let dir = format!("sys/class/power_supply/{b}");
                        let capacity = self
                            .read(&format!("{dir}/capacity"), |d| {
                                proc::sysfs::parse_u32(proc::scan::fgets_lines(d, 256).next().unwrap_or(&[]))
                            })
                            .flatten()
                            .unwrap_or(0);
                        StatsPwrBat {
                            bat_id: proc::scan::Scan::new(b.get(3..).unwrap_or("").as_bytes()).u32().unwrap_or(0) as u8,
                            capacity: capacity as u8,
                            status: self.read(&format!("{dir}/status"), proc::sysfs::battery_status).unwrap_or(0),
                        }
                    })
                    .collect(),
            )),
            A::A_NET_FC => Ok(AnyStats::Fchost(
                self.fc_hosts()
                    .unwrap_or_default()
                    .iter()
                    .map(|h| {
                        let f = |what: &str| {
                            self.read(
                                &format!("sys/class/fc_host/{h}/statistics/{what}"),
                                proc::sysfs::parse_fc_counter,
                            )
                            .unwrap_or(0)
                        };
                        StatsFchost {
                            f_rxframes: f("rx_frames"),
                            f_txframes: f("tx_frames"),
                            f_rxwords: f("rx_words"),
                            f_txwords: f("tx_words"),
                            fchost_name: c_chars(h.as_bytes()),
                        }
                    })
                    .collect(),
            )),
            A::A_FS => {
                let mut v: Vec<StatsFilesystem> = Vec::new();
                for (m, s) in self.filesystems() {
                    let fs_name = c_chars::<128>(&m.fs_name);
                    if v.iter().any(|f| f.fs_name == fs_name) {
                        continue;
                    }
                    v.push(StatsFilesystem {
                        f_blocks: s.blocks.wrapping_mul(s.frsize),
                        f_bfree: s.bfree.wrapping_mul(s.frsize),
                        f_bavail: s.bavail.wrapping_mul(s.frsize),
                        f_files: s.files,
                        f_ffree: s.ffree,
                        fs_name,
                        mountp: c_chars(&m.mountp),
                    });
                }
                Ok(AnyStats::Filesystem(v))
            }
            A::A_NET_SOFT => {
                let (online, from_stat) = self.stat().0.online_cpus();
                let v = self.files.with("proc/net/softnet_stat", |d| match d {
                    // Lines of CPUs /proc/stat does not list are kept (see `own_cpu_items`).
                    Some(d) if from_stat > 0 => {
                        proc::softnet::parse(d, &online, from_stat.max(proc::softnet::cpu_items(d)))
                    }
                    _ => Vec::new(),
                });
                Ok(AnyStats::Softnet(v))
            }
            A::A_PSI_CPU | A::A_PSI_IO | A::A_PSI_MEM => Ok(self.psi(id)),
            _ => AnyStats::empty(id).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "unknown activity")),
        }
    }

    fn usb(&self, dev: &str) -> StatsPwrUsb {
        let dir = format!("sys/bus/usb/devices/{dev}");
        let file = |f: &str, parse: fn(&[u8]) -> Option<u32>| self.read(&format!("{dir}/{f}"), parse).flatten();
        let mut u = StatsPwrUsb {
            bus_nr: proc::scan::Scan::new(dev.as_bytes()).u32().unwrap_or(0),
            vendor_id: file("idVendor", proc::sysfs::parse_hex).unwrap_or(0),
            product_id: file("idProduct", proc::sysfs::parse_hex).unwrap_or(0),
            bmaxpower: file("bMaxPower", proc::sysfs::parse_u32).unwrap_or(0),
            ..Default::default()
        };
        if let Some(m) = self.read(&format!("{dir}/manufacturer"), proc::sysfs::usb_string).flatten() {
            u.manufacturer = m;
        }
        if let Some(p) = self.read(&format!("{dir}/product"), proc::sysfs::usb_string).flatten() {
            u.product = p;
        }
        u
    }

    /// Pressure: each structure stays zero unless its "some" line parses;
    /// the "full" half needs its own line too.
    fn psi(&self, id: ActivityId) -> AnyStats {
        use proc::pressure::parse;
        let some_full = |rel: &str| self.read_or_empty(rel, |d| (parse(d, "some"), parse(d, "full")));
        match id {
            ActivityId::A_PSI_CPU => {
                let mut s = StatsPsiCpu::default();
                if let (Some(p), _) = some_full("proc/pressure/cpu") {
                    s = StatsPsiCpu {
                        some_cpu_total: p.total,
                        some_acpu_10: p.avg10,
                        some_acpu_60: p.avg60,
                        some_acpu_300: p.avg300,
                    };
                }
                AnyStats::PsiCpu(vec![s])
            }
            ActivityId::A_PSI_IO => {
                let mut s = StatsPsiIo::default();
                if let (Some(p), full) = some_full("proc/pressure/io") {
                    (s.some_io_total, s.some_aio_10, s.some_aio_60, s.some_aio_300) =
                        (p.total, p.avg10, p.avg60, p.avg300);
                    if let Some(f) = full {
                        (s.full_io_total, s.full_aio_10, s.full_aio_60, s.full_aio_300) =
                            (f.total, f.avg10, f.avg60, f.avg300);
                    }
                }
                AnyStats::PsiIo(vec![s])
            }
            _ => {
                let mut s = StatsPsiMem::default();
                if let (Some(p), full) = some_full("proc/pressure/memory") {
                    (s.some_mem_total, s.some_amem_10, s.some_amem_60, s.some_amem_300) =
                        (p.total, p.avg10, p.avg60, p.avg300);
                    if let Some(f) = full {
                        (s.full_mem_total, s.full_amem_10, s.full_amem_60, s.full_amem_300) =
                            (f.total, f.avg10, f.avg60, f.avg300);
                    }
                }
                AnyStats::PsiMem(vec![s])
            }
        }
    }

    fn read_uptime(&self) -> io::Result<u64> {
        self.read_or_empty("proc/uptime", proc::uptime::parse).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, format!("Cannot read {}", self.path("proc/uptime").display()))
        })
    }
}

impl SampleSource for Collector {
    fn header_info(&mut self, unix_time: u64) -> io::Result<HeaderInfo> {
        self.refresh(false);
        let [year, month0, day, ..] = broken_down(unix_time, self.utc);
        let [sysname, nodename, release, machine] = uname();
        Ok(HeaderInfo {
            version: Version::new(12, 7, 9),
            sa_ust_time: unix_time,
            sa_hz: clock_ticks(),
            sa_cpu_nr: self.cpu_items(),
            sa_year: year,
            sa_day: day as u8,
            sa_month: month0 as u8,
            sysname,
            nodename,
            release,
            machine,
            tzname: standard_zone_name(),
        })
    }

    /// Counts are taken now; samples taken afterwards follow this list.
    fn specs(&mut self) -> io::Result<Vec<ActivitySpec>> {
        self.refresh(false);
        let plan = self.make_plan();
        if self.selection.contains(ActivityId::A_CGROUP) && !plan.iter().any(|p| p.id == ActivityId::A_CGROUP) {
            self.note_no_cgroup();
        }
        self.plan = Some(plan.clone());
        Ok(plan.iter().filter_map(|p| ActivitySpec::current(p.id, p.nr, p.nr2)).collect())
    }

    fn sample(&mut self, unix_time: u64) -> io::Result<Sample> {
        self.refresh(true);
        let uptime_cs = self.read_uptime()?;
        let [.., hour, minute, second] = broken_down(unix_time, self.utc);
        let header = RecordHeader {
            uptime_cs,
            ust_time: unix_time,
            extra_next: 0,
            record_type: sarkit_format::RecordType::R_STATS,
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
        };
        let plan = match self.plan.take() {
            Some(p) => p,
            None => self.make_plan(),
        };
        let data = self.collect_plan(&plan);
        let cgroups_absent = !plan.iter().any(|p| p.id == ActivityId::A_CGROUP);
        self.plan = Some(plan);
        let mut data = data?;
        // Appending to a file with cgroups on a node without them now: no
        // items, rather than the zeroed one a fitted record would get.
        if self.appending && self.selection.contains(ActivityId::A_CGROUP) && cgroups_absent {
            data.push(ActivityData { nr2: 1, stats: AnyStats::Cgroup(self.cgroups()) });
        }
        Ok(Sample { header, body: SampleBody::Stats(data) })
    }

    fn cpu_nr(&mut self) -> io::Result<u32> {
        self.refresh(false);
        Ok(self.cpu_items())
    }

    fn uptime_cs(&mut self) -> io::Result<u64> {
        self.refresh(false);
        self.read_uptime()
    }

    fn collect_only(&mut self, ids: &[ActivityId]) {
        self.selection = Selection::only(ids, self.selection.partitions());
        self.plan = None;
        self.appending = true;
    }

    fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::tree;

    fn ids(specs: &[ActivitySpec]) -> Vec<(&'static str, u32, u32)> {
        specs.iter().map(|s| (s.info.name, s.nr, s.nr2)).collect()
    }

    #[test]
    fn counts_cpus_from_sys_then_proc() {
        let d = tree(&[("proc/stat", "cpu  1 2 3 4\ncpu0 1 2 3 4\ncpu3 1 2 3 4\n"), ("proc/uptime", "1.00 2.00\n")]);
        let c = Collector::new(d.path().into(), Selection::default());
        assert_eq!(c.cpu_count(), 4);
        for n in ["cpu0", "cpu1", "cpufreq", "cpuidle"] {
            fs::create_dir_all(d.path().join("sys/devices/system/cpu").join(n)).unwrap();
        }
        assert_eq!(c.cpu_count(), 2);
    }

    #[test]
    fn per_cpu_activities_take_their_sources_count_when_larger() {
        let d = tree(&[
            ("proc/stat", "cpu  1 2 3 4\ncpu0 1 2 3 4\ncpu1 1 2 3 4\ncpu2 1 2 3 4\n"),
            ("proc/interrupts", "  CPU0 CPU1 CPU2 CPU3 CPU4\n0: 1 2 3 4 5\n"),
            ("proc/cpuinfo", "processor\t: 0\ncpu MHz\t\t: 1000.000\n"),
            ("proc/uptime", "1.00 2.00\n"),
        ]);
        fs::create_dir_all(d.path().join("sys/devices/system/cpu/cpu0")).unwrap();
        let mut c = Collector::new(d.path().into(), crate::select::parse("A_NULL,A_CPU,A_IRQ,A_PWR_CPU").unwrap());
        assert_eq!((c.cpu_count(), c.cpu_items()), (1, 4));
        let specs = c.specs().unwrap();
        assert_eq!(ids(&specs), [("A_CPU", 4, 1), ("A_IRQ", 6, 2), ("A_PWR_CPU", 2, 1)]);
        assert_eq!(c.header_info(1_600_000_000).unwrap().sa_cpu_nr, 4);
    }

    #[test]
    fn missing_sources_drop_counted_activities() {
        let d = tree(&[("proc/stat", "cpu  1 2 3 4\ncpu0 1 2 3 4\n"), ("proc/uptime", "12.34 0\n")]);
        let mut c = Collector::new(d.path().into(), crate::select::parse("XALL").unwrap());
        let specs = c.specs().unwrap();
        let names: Vec<_> = ids(&specs).into_iter().map(|(n, _, _)| n).collect();
        for gone in ["A_IRQ", "A_SERIAL", "A_DISK", "A_NET_DEV", "A_PWR_USB", "A_FS", "A_PSI_CPU", "A_PWR_FREQ"] {
            assert!(!names.contains(&gone), "{gone}");
        }
        assert_eq!(ids(&specs)[0], ("A_CPU", 2, 1));
        let s = c.sample(1_555_593_609).unwrap();
        assert_eq!(s.header.uptime_cs, 1234);
        let SampleBody::Stats(data) = s.body else { panic!() };
        assert_eq!(data.len(), specs.len());
        assert_eq!(data[0].nr(), 2);
    }

    #[test]
    fn missing_uptime_or_stat_is_an_error() {
        let d = tree(&[("proc/stat", "cpu  1 2 3 4\n")]);
        let mut c = Collector::new(d.path().into(), Selection::default());
        assert!(c.sample(1_600_000_000).is_err());
        let d = tree(&[("proc/uptime", "1.00 2.00\n")]);
        let mut c = Collector::new(d.path().into(), Selection::default());
        assert!(c.sample(1_600_000_000).is_err());
    }

    #[test]
    fn list_files_stand_for_readdir() {
        let d = tree(&[
            ("sys/class/power_supply/_list", ".\n..\nBAT1\nAC\n"),
            ("sys/class/power_supply/BAT1/capacity", "87\n"),
            ("sys/class/power_supply/BAT1/status", "Charging\n"),
            ("sys/class/power_supply/BAT0/capacity", "10\n"),
        ]);
        let c = Collector::new(d.path().into(), crate::select::parse("A_NULL,A_PWR_BAT").unwrap());
        let AnyStats::PwrBat(b) = c.collect(ActivityId::A_PWR_BAT, 1, 1).unwrap() else { panic!() };
        assert_eq!(b, vec![StatsPwrBat { bat_id: 1, capacity: 87, status: 1 }]);
    }
}
