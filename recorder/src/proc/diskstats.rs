//! /proc/diskstats: whole-machine I/O (A_IO) and per-device statistics
//! (A_DISK). Which names are devices is decided by the caller, from /sys.

use std::borrow::Cow;

use sarkit_format::stats::{StatsDisk, StatsIo};

use super::scan::{fgets_lines, lossy, Scan};

const LINE: usize = 1024;
/// Longest device name sadc reads (`MAX_NAME_LEN - 1`).
const MAX_NAME: usize = 255;

/// Numbers kept from a line: the kernel writes 17 (Linux 5.5 on) and
/// the 15th is the last one read.
const KEPT: usize = 20;

/// One line: major, minor, name, then the numbers that parsed, in the
/// kernel's order (reads, merges, sectors, ms, writes, …, discards, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskLine<'a> {
    pub major: u32,
    pub minor: u32,
    pub name: Cow<'a, str>,
    /// How many numbers parsed, at most `KEPT`.
    pub len: usize,
    v: [u64; KEPT],
}

impl DiskLine<'_> {
    fn get(&self, i: usize) -> u64 {
        self.v.get(i).copied().unwrap_or(0)
    }
    fn rd_ios(&self) -> u64 {
        self.get(0)
    }
    fn wr_ios(&self) -> u64 {
        self.get(4)
    }
    /// Discards exist from Linux 4.18 on.
    fn dc_ios(&self) -> u64 {
        self.get(11)
    }
}

/// Lines with at least major, minor and name.
pub fn lines(data: &[u8]) -> impl Iterator<Item = DiskLine<'_>> {
    fgets_lines(data, LINE).filter_map(|l| {
        let mut s = Scan::new(l);
        let major = s.u32()?;
        let minor = s.u32()?;
        let name = lossy(s.word(MAX_NAME)?);
        let (v, len) = s.first_u64s();
        Some(DiskLine { major, minor, name, len, v })
    })
}

/// Items sadc declares for A_DISK: every line with partitions, else used
/// whole devices (`is_device` says whether /sys/block/NAME exists).
pub fn count(data: &[u8], partitions: bool, is_device: impl Fn(&str) -> bool) -> u32 {
    if partitions {
        return fgets_lines(data, LINE).count() as u32;
    }
    lines(data)
        // Old partition lines carry only 4 numbers: reads, sectors, writes, sectors.
        .filter(|d| d.len >= 5 && is_device(&d.name) && (d.rd_ios() != 0 || d.get(4) != 0))
        .count() as u32
}

/// Totals over whole physical devices (`is_device` checks
/// /sys/block/NAME/device, so virtual devices are left out).
pub fn io(data: &[u8], is_device: impl Fn(&str) -> bool) -> StatsIo {
    let mut io = StatsIo::default();
    for d in lines(data) {
        if d.len < 7 || !is_device(&d.name) {
            continue;
        }
        let (rd, wr, dc) = (d.rd_ios(), d.wr_ios(), d.dc_ios());
        io.dk_drive = io.dk_drive.wrapping_add(rd).wrapping_add(wr).wrapping_add(dc);
        io.dk_drive_rio = io.dk_drive_rio.wrapping_add(rd);
        io.dk_drive_rblk = io.dk_drive_rblk.wrapping_add(d.get(2));
        io.dk_drive_wio = io.dk_drive_wio.wrapping_add(wr);
        io.dk_drive_wblk = io.dk_drive_wblk.wrapping_add(d.get(6));
        io.dk_drive_dio = io.dk_drive_dio.wrapping_add(dc);
        io.dk_drive_dblk = io.dk_drive_dblk.wrapping_add(d.get(13));
    }
    io
}

/// World Wide Name of a device and its partition number, if /dev/disk/by-id knows it.
pub type Wwn = ([u64; 2], u32);

/// A_DISK items: devices with I/O, in file order; partitions too when
/// `partitions`, else only names `is_device` accepts.
pub fn disks(
    data: &[u8],
    partitions: bool,
    is_device: impl Fn(&str) -> bool,
    wwn: impl Fn(&str) -> Option<Wwn>,
) -> Vec<StatsDisk> {
    let mut out = Vec::new();
    for d in lines(data) {
        // Ticks in flight and queue time are the 10th and 11th numbers.
        if d.len < 11 || (d.rd_ios() == 0 && d.wr_ios() == 0 && d.dc_ios() == 0) {
            continue;
        }
        if !partitions && !is_device(&d.name) {
            continue;
        }
        let mut s = StatsDisk {
            major: d.major,
            minor: d.minor,
            nr_ios: d.rd_ios().wrapping_add(d.wr_ios()).wrapping_add(d.dc_ios()),
            rd_sect: d.get(2),
            rd_ticks: d.get(3) as u32,
            wr_sect: d.get(6),
            wr_ticks: d.get(7) as u32,
            tot_ticks: d.get(9) as u32,
            rq_ticks: d.get(10) as u32,
            dc_sect: d.get(13),
            dc_ticks: d.get(14) as u32,
            ..Default::default()
        };
        if let Some(([w0, w1], part)) = wwn(&d.name) {
            s.wwn0 = w0;
            s.wwn1 = w1;
            s.part_nr = part;
        }
        out.push(s);
    }
    out
}

/// The WWN in a /dev/disk/by-id name: `wwn-0x` then 16 or 32 hex digits,
/// optionally `-partN`.
pub fn parse_wwn_name(name: &str) -> Option<Wwn> {
    let id = name.strip_prefix("wwn-0x")?;
    if id.len() < 16 {
        return None;
    }
    let (hex, part) = match id.find("-part") {
        Some(p) => (&id[..p], Scan::new(&id.as_bytes()[p + 5..]).u32()?),
        None => (id, 0),
    };
    if hex.len() != 16 && hex.len() != 32 {
        return None;
    }
    let w0 = Scan::new(hex.get(..16)?.as_bytes()).hex()?;
    let w1 = match hex.get(16..) {
        Some(rest) if !rest.is_empty() => Scan::new(rest.as_bytes()).hex()?,
        _ => 0,
    };
    Some(([w0, w1], part))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISKSTATS: &[u8] = b"   8       0 sda 100 5 2000 30 50 6 800 40 0 70 80 1 0 8 2\n\
   8       1 sda1 10 0 200 3 5 0 80 4 0 7 8\n\
   8      16 sdb 0 0 0 0 0 0 0 0 0 0 0\n\
 253       0 dm-0 7 0 70 1 3 0 30 1 0 2 2\n\
   8       2 sda2 4 40 5 50\n\
 garbage\n";

    fn dev(n: &str) -> bool {
        matches!(n, "sda" | "sdb")
    }

    #[test]
    fn counts_devices_or_all_lines() {
        assert_eq!(count(DISKSTATS, true, dev), 6);
        assert_eq!(count(DISKSTATS, false, dev), 1);
        assert_eq!(count(DISKSTATS, false, |n| n == "dm-0" || dev(n)), 2);
    }

    #[test]
    fn sums_io_over_physical_devices() {
        let io = io(DISKSTATS, dev);
        assert_eq!((io.dk_drive, io.dk_drive_rio, io.dk_drive_wio, io.dk_drive_dio), (151, 100, 50, 1));
        assert_eq!((io.dk_drive_rblk, io.dk_drive_wblk, io.dk_drive_dblk), (2000, 800, 8));
    }

    #[test]
    fn lists_used_disks() {
        let v = disks(DISKSTATS, false, dev, |_| None);
        assert_eq!(v.len(), 1);
        let s = v[0];
        assert_eq!((s.major, s.minor, s.nr_ios, s.rd_sect, s.wr_sect, s.dc_sect), (8, 0, 151, 2000, 800, 8));
        assert_eq!((s.rd_ticks, s.wr_ticks, s.tot_ticks, s.rq_ticks, s.dc_ticks), (30, 40, 70, 80, 2));
        let v = disks(DISKSTATS, true, dev, |n| (n == "sda1").then_some(([1, 2], 1)));
        assert_eq!(v.iter().map(|d| d.minor).collect::<Vec<_>>(), vec![0, 1, 0]);
        assert_eq!((v[1].wwn0, v[1].wwn1, v[1].part_nr, v[1].dc_sect), (1, 2, 1, 0));
    }

    #[test]
    fn wwn_names() {
        assert_eq!(parse_wwn_name("wwn-0x5000cca369f193ac"), Some(([0x5000cca369f193ac, 0], 0)));
        assert_eq!(parse_wwn_name("wwn-0x5000cca369f193ac-part12"), Some(([0x5000cca369f193ac, 0], 12)));
        assert_eq!(
            parse_wwn_name("wwn-0x600508b1001c4d1b4f6a1e1e0b7e8e01"),
            Some(([0x600508b1001c4d1b, 0x4f6a1e1e0b7e8e01], 0))
        );
        assert_eq!(parse_wwn_name("wwn-0x1234"), None);
        assert_eq!(parse_wwn_name("ata-foo"), None);
        assert_eq!(parse_wwn_name("wwn-0x5000cca369f193ac-partx"), None);
    }
}
