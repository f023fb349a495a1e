//! /etc/mtab (A_FS): mounted block filesystems. Sizes come from statvfs,
//! done by the collector.

use super::scan::{fgets_lines, Scan};

const LINE: usize = 1024;
/// Names are cut to this length minus one (`MAX_FS_LEN`).
pub const MAX_FS_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub fs_name: Vec<u8>,
    /// With `\ooo` escapes decoded.
    pub mountp: Vec<u8>,
}

/// `\040`-style escapes of /etc/mtab, decoded.
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        match s.get(i + 1..i + 4) {
            Some(&[a @ b'0'..=b'3', b @ b'0'..=b'7', d @ b'0'..=b'7']) if c == b'\\' => {
                out.push((a - b'0') * 64 + (b - b'0') * 8 + (d - b'0'));
                i += 4;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Lines naming a device path (starting with '/'), except autofs; pieces
/// of over-long lines are skipped.
pub fn parse(data: &[u8]) -> Vec<Mount> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for line in fgets_lines(data, LINE) {
        let skip = skip_next;
        skip_next = !line.contains(&b'\n');
        if skip || line.first() != Some(&b'/') {
            continue;
        }
        // Fields are found by single spaces, as sadc does.
        let Some(pos) = line.iter().position(|&c| c == b' ') else { continue };
        let Some(pos2) = line.iter().skip(pos + 1).position(|&c| c == b' ').map(|p| p + pos + 1) else { continue };
        let word = |from: usize, max: usize| Scan::new(super::scan::from(line, from)).word(max);
        let (Some(fs_name), Some(mountp), Some(fstype)) =
            (word(0, MAX_FS_LEN - 1), word(pos + 1, MAX_FS_LEN * 2 - 1), word(pos2 + 1, MAX_FS_LEN - 1))
        else {
            continue;
        };
        if fstype == b"autofs" {
            continue;
        }
        out.push(Mount { fs_name: fs_name.to_vec(), mountp: unescape(mountp) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_device_mounts() {
        let m = parse(
            b"/dev/sda1 / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/sdb1 /mnt/my\\040disk vfat rw 0 0\n\
/etc/auto.misc /misc autofs rw 0 0\n",
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].fs_name, b"/dev/sdb1");
        assert_eq!(m[1].mountp, b"/mnt/my disk");
    }

    #[test]
    fn malformed_and_long_lines_are_skipped() {
        let long = format!("/dev/x /{} ext4 rw 0 0\n/dev/y /y ext4 rw\n", "a".repeat(2000));
        let m = parse(long.as_bytes());
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].fs_name, b"/dev/y");
        assert!(parse(b"/dev/z\n/\n").is_empty());
        assert_eq!(unescape(b"a\\04\\1x\\400"), b"a\\04\\1x\\400");
    }
}
