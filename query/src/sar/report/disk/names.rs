//! Block device names from major:minor numbers, as sar 12.7.9 finds them.
//!
//! In order: the basename of the `/sys/dev/block/M:m` link; under
//! `--pretty`/`-p`/`-h` first, a device-mapper device's `/dev/mapper`
//! name; then the kernel's fixed numbering (sysstat reads the same rules
//! from `sysstat.ioconf`); else `devM-m`.
//!
//! sysstat only applies its numbering rules when its ioconf file exists
//! (`/etc/sysconfig/sysstat.ioconf`, or `./sysstat.ioconf`), so the
//! built-in [`FAMILIES`] are used under the same condition: without the
//! file sar prints `dev8-0`, not `sda`.
//!
//! Which machine's files are read is a [`DeviceLookup`] the binaries give:
//! the library reads no file it was not pointed at.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// sysstat's `MAX_NAME_LEN`, less its terminating NUL.
const MAX_NAME: usize = 255;
/// Highest major and minor numbers sysstat's rules accept.
const MAX_MAJOR: u32 = 511;
const MAX_MINOR: u32 = (1 << 20) - 1;

/// How a family's disk number is written.
#[derive(Clone, Copy)]
enum Unit {
    /// `a`..`z`, `aa`... (`sda`, `hdc`, `xvdb`).
    Letters,
    /// A decimal number (`loop3`, `md0`).
    Decimal,
    /// A controller and a disk number: `PREFIX/c<ctrl>d<disk>` (`cciss/c0d1`).
    Controller,
}

/// Block devices the kernel numbers statically (Documentation/admin-guide/
/// devices.txt): a name, the majors it spans in order, and how minors split
/// into disks and partitions. Dynamic majors (device-mapper, blkext/NVMe,
/// MMC on most kernels) are absent: only `/sys` can name them.
struct Family {
    name: &'static str,
    majors: &'static [u32],
    disks_per_major: u32,
    /// Minors per disk: 1 means no partitions.
    minors_per_disk: u32,
    unit: Unit,
    /// Between a disk name and a partition number (`cciss/c0d0p1`).
    part_sep: &'static str,
}

const fn fam(
    name: &'static str,
    majors: &'static [u32],
    disks: u32,
    minors: u32,
    unit: Unit,
    sep: &'static str,
) -> Family {
    Family { name, majors, disks_per_major: disks, minors_per_disk: minors, unit, part_sep: sep }
}

const FAMILIES: &[Family] = &[
    fam("ram", &[1], 256, 1, Unit::Decimal, ""),
    fam("fd", &[2], 4, 1, Unit::Decimal, ""),
    // IDE: two drives (master, slave) per interface, 63 partitions each.
    fam("hd", &[3, 22, 33, 34, 56, 57, 88, 89, 90, 91], 2, 64, Unit::Letters, ""),
    fam("loop", &[7], 256, 1, Unit::Decimal, ""),
    // SCSI disks: sixteen per major, fifteen partitions each.
    fam("sd", &[8, 65, 66, 67, 68, 69, 70, 71, 128, 129, 130, 131, 132, 133, 134, 135], 16, 16, Unit::Letters, ""),
    fam("md", &[9], 256, 1, Unit::Decimal, ""),
    // SCSI CD-ROMs, under sysstat's older name (the kernel's sr).
    fam("scd", &[11], 256, 1, Unit::Decimal, ""),
    // HP Smart Array: one major per controller.
    fam("cciss", &[104, 105, 106, 107, 108, 109, 110, 111], 16, 16, Unit::Controller, "p"),
    // Xen virtual disks; sysstat writes their partitions `xvdap1`.
    fam("xvd", &[202], 16, 16, Unit::Letters, "p"),
];

/// Major 1's minor 250 is the initial RAM disk, not `ram250`.
const INITRD: (u32, u32) = (1, 250);

/// `a`, `b`... `z`, `aa`, `ab`...: disk `n` (from 0) in bijective base 26.
fn letters(mut n: u64) -> String {
    let mut out = Vec::new();
    n += 1;
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The name the kernel's fixed numbering gives `major:minor`, if any.
fn rule_name(major: u32, minor: u32) -> Option<String> {
    if major > MAX_MAJOR || minor > MAX_MINOR {
        return None;
    }
    if (major, minor) == INITRD {
        return Some("initrd".into());
    }
    let f = FAMILIES.iter().find(|f| f.majors.contains(&major))?;
    let ctrl = f.majors.iter().position(|&m| m == major)? as u64;
    let (disks, per) = (f.disks_per_major as u64, f.minors_per_disk as u64);
    let low = (minor & 0xff) as u64;
    if low >= disks * per {
        return None;
    }
    // Minors past 255 continue the family after all its majors' first 256.
    let disk = low / per + ctrl * disks + disks * f.majors.len() as u64 * (minor >> 8) as u64;
    let mut name = match f.unit {
        Unit::Letters => format!("{}{}", f.name, letters(disk)),
        Unit::Decimal => format!("{}{}", f.name, disk),
        Unit::Controller => format!("{}/c{}d{}", f.name, ctrl, low / per),
    };
    let part = minor as u64 % per;
    if part != 0 {
        name.push_str(f.part_sep);
        name.push_str(&part.to_string());
    }
    Some(name)
}

/// Linux's `major()`/`minor()` of a `dev_t`.
fn split_dev(d: u64) -> (u32, u32) {
    let major = ((d >> 8) & 0xfff) | ((d >> 32) & !0xfff);
    let minor = (d & 0xff) | ((d >> 12) & !0xff);
    (major as u32, minor as u32)
}

/// Where device names are looked up: the machine the binary points at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceLookup {
    /// The folder the machine's `sys/dev/block`, `proc/devices`,
    /// `dev/mapper` and `etc/sysconfig/sysstat.ioconf` are read under (`/`
    /// for this machine); `None` reads none, so devices are named by number.
    pub root: Option<PathBuf>,
    /// A `sysstat.ioconf` in the working directory, which sysstat also
    /// takes as the sign to apply its rules.
    pub local_ioconf: bool,
}

impl DeviceLookup {
    /// This machine's files, under `root` (`/`), with the working
    /// directory's ioconf file as sysstat looks for it.
    pub fn under(root: &Path, local_ioconf: bool) -> DeviceLookup {
        DeviceLookup { root: Some(root.to_path_buf()), local_ioconf }
    }
}

/// Resolves and remembers device names; one per report, so rows do no
/// system calls after a device's first sight.
pub struct DevNames {
    root: Option<PathBuf>,
    /// Whether `--pretty` names device-mapper devices.
    devmap: bool,
    /// The device-mapper major from `/proc/devices`, read on first need.
    dm_major: Option<Option<u32>>,
    /// Whether sysstat would find its ioconf file.
    rules: bool,
    cache: Vec<(u32, u32, Vec<u8>)>,
}

impl DevNames {
    /// Names as `lookup` finds them; `pretty` is sar's `S_F_PRETTY`.
    pub fn new(lookup: &DeviceLookup, pretty: bool) -> DevNames {
        let root = lookup.root.clone();
        let rules =
            lookup.local_ioconf || root.as_ref().is_some_and(|r| r.join("etc/sysconfig/sysstat.ioconf").exists());
        DevNames { root, devmap: pretty, dm_major: None, rules, cache: Vec::new() }
    }

    /// `path` under the machine's root, if there is one.
    fn path(&self, path: impl AsRef<Path>) -> Option<PathBuf> {
        self.root.as_ref().map(|r| r.join(path))
    }

    /// A handle on the name of `major:minor`, for [`DevNames::name`].
    pub fn index(&mut self, major: u32, minor: u32) -> usize {
        if let Some(i) = self.cache.iter().position(|(a, b, _)| *a == major && *b == minor) {
            return i;
        }
        let mut name = self.resolve(major, minor);
        name.truncate(MAX_NAME);
        // sysfs writes a `/` in a name as `!` (`cciss!c0d0`).
        name.iter_mut().filter(|b| **b == b'!').for_each(|b| *b = b'/');
        self.cache.push((major, minor, name));
        self.cache.len() - 1
    }

    pub fn name(&self, i: usize) -> &[u8] {
        self.cache.get(i).map_or(&[], |c| &c.2)
    }

    #[cfg(test)]
    pub fn get(&mut self, major: u32, minor: u32) -> &[u8] {
        let i = self.index(major, minor);
        self.name(i)
    }

    fn resolve(&mut self, major: u32, minor: u32) -> Vec<u8> {
        if self.devmap && Some(major) == self.dm_major() {
            // sysstat exits when /dev/mapper cannot be read; the plain name
            // is more useful than no report.
            if let Some(n) = self.mapper_name(major, minor) {
                return n;
            }
        }
        if let Some(n) = self.sysfs_name(major, minor) {
            return n;
        }
        if self.rules {
            if let Some(n) = rule_name(major, minor) {
                return n.into_bytes();
            }
        }
        format!("dev{major}-{minor}").into_bytes()
    }

    fn sysfs_name(&self, major: u32, minor: u32) -> Option<Vec<u8>> {
        let link = self.path(format!("sys/dev/block/{major}:{minor}"))?;
        let target = std::fs::read_link(link).ok()?;
        let base = target.file_name()?.as_bytes().to_vec();
        (!base.is_empty()).then_some(base)
    }

    fn dm_major(&mut self) -> Option<u32> {
        if self.dm_major.is_none() {
            let text = self.path("proc/devices").and_then(|p| std::fs::read(p).ok()).unwrap_or_default();
            let found = String::from_utf8_lossy(&text)
                .lines()
                .filter(|l| l.contains("device-mapper"))
                .find_map(|l| l.split_whitespace().next().and_then(|n| n.parse::<u32>().ok()));
            self.dm_major = Some(found);
        }
        self.dm_major.flatten()
    }

    /// The entry of `/dev/mapper` whose device (links followed) is `major:minor`.
    fn mapper_name(&self, major: u32, minor: u32) -> Option<Vec<u8>> {
        use std::os::unix::fs::MetadataExt;
        let dir = self.path("dev/mapper")?;
        std::fs::read_dir(&dir).ok()?.flatten().find_map(|e| {
            let md = std::fs::metadata(e.path()).ok()?;
            (split_dev(md.rdev()) == (major, minor)).then(|| e.file_name().as_bytes().to_vec())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_bijective_base_26() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].into_iter().map(letters).collect();
        assert_eq!(got, ["a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa"]);
    }

    #[test]
    fn kernel_numbering() {
        let n = |a, b| rule_name(a, b);
        assert_eq!(n(8, 0).as_deref(), Some("sda"));
        assert_eq!(n(8, 17).as_deref(), Some("sdb1"));
        assert_eq!(n(65, 0).as_deref(), Some("sdq"));
        assert_eq!(n(65, 32).as_deref(), Some("sds"));
        assert_eq!(n(135, 240).as_deref(), Some("sdiv"));
        // Disk 256 onwards: minors past 255 on the first major.
        assert_eq!(n(8, 256).as_deref(), Some("sdiw"));
        assert_eq!(n(3, 65).as_deref(), Some("hdb1"));
        assert_eq!(n(22, 0).as_deref(), Some("hdc"));
        assert_eq!(n(3, 128), None);
        assert_eq!(n(7, 3).as_deref(), Some("loop3"));
        assert_eq!(n(1, 250).as_deref(), Some("initrd"));
        assert_eq!(n(2, 4), None);
        assert_eq!(n(104, 0).as_deref(), Some("cciss/c0d0"));
        assert_eq!(n(105, 18).as_deref(), Some("cciss/c1d1p2"));
        assert_eq!(n(202, 240).as_deref(), Some("xvdp"));
        assert_eq!(n(202, 1).as_deref(), Some("xvdap1"));
        assert_eq!(n(253, 0), None);
        assert_eq!(n(259, 0), None);
        assert_eq!(n(8, 1 << 20), None);
    }

    #[test]
    fn dev_t_halves() {
        assert_eq!(split_dev(0x0801), (8, 1));
        assert_eq!(split_dev(libc::makedev(259, 0x12345)), (259, 0x12345));
        assert_eq!(split_dev(libc::makedev(0x1234, 7)), (0x1234, 7));
    }

    fn link(root: &Path, majmin: &str, target: &str) {
        let dir = root.join("sys/dev/block");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(target, dir.join(majmin)).unwrap();
    }

    #[test]
    fn sysfs_then_rules_then_numbers() {
        let t = tempfile::tempdir().unwrap();
        link(t.path(), "8:0", "../../devices/pci0/host0/block/sda");
        link(t.path(), "104:0", "../../devices/x/block/cciss!c0d0");
        let mut d = DevNames::new(&DeviceLookup::under(t.path(), false), false);
        assert_eq!(d.get(8, 0), b"sda");
        assert_eq!(d.get(104, 0), b"cciss/c0d0");
        // No ioconf file: no rules, as sysstat.
        assert_eq!(d.get(8, 16), b"dev8-16");
        std::fs::create_dir_all(t.path().join("etc/sysconfig")).unwrap();
        std::fs::write(t.path().join("etc/sysconfig/sysstat.ioconf"), "").unwrap();
        let mut d = DevNames::new(&DeviceLookup::under(t.path(), false), false);
        assert_eq!(d.get(8, 16), b"sdb");
        assert_eq!(d.get(253, 0), b"dev253-0");
    }

    #[test]
    fn pretty_names_device_mapper_devices() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        link(root, "253:0", "../../devices/virtual/block/dm-0");
        std::fs::create_dir_all(root.join("proc")).unwrap();
        std::fs::write(
            root.join("proc/devices"),
            "Character devices:\n  1 mem\n\nBlock devices:\n  8 sd\n253 device-mapper\n",
        )
        .unwrap();
        let mapper = root.join("dev/mapper");
        std::fs::create_dir_all(&mapper).unwrap();
        let node = std::ffi::CString::new(root.join("dev/dm-0").into_os_string().into_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path and a plain dev_t.
        let made = unsafe { libc::mknod(node.as_ptr(), libc::S_IFBLK | 0o600, libc::makedev(253, 0)) } == 0;
        if !made {
            println!("skipped: cannot mknod a block device here");
            return;
        }
        std::os::unix::fs::symlink("../dm-0", mapper.join("vg0-root")).unwrap();
        assert_eq!(DevNames::new(&DeviceLookup::under(root, false), false).get(253, 0), b"dm-0");
        assert_eq!(DevNames::new(&DeviceLookup::under(root, false), true).get(253, 0), b"vg0-root");
        // Not in /dev/mapper: the plain name.
        assert_eq!(DevNames::new(&DeviceLookup::under(root, false), true).get(253, 1), b"dev253-1");
    }
}
