//! The cgroup files A_CGROUP reads, v2 and v1 (spec section 17.3). Each
//! parser is a pure function of the file's bytes; a value that is missing
//! or does not parse reads as absent (`None`) or zero, never a panic.
//!
//! No sysstat release reads these files: the formats are the kernel's
//! (Documentation/admin-guide/cgroup-v2.rst and cgroup-v1/).

use sarkit_format::stats::CGROUP_NO_LIMIT;

/// Lines of `data`, without their newline.
fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&c| c == b'\n').filter(|l| !l.is_empty())
}

/// Whitespace-separated words of a line.
fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|c| c.is_ascii_whitespace()).filter(|w| !w.is_empty())
}

/// A decimal number, all digits, saturating.
fn digits(w: &[u8]) -> Option<u64> {
    if w.is_empty() || !w.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(w.iter().fold(0u64, |v, &d| v.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
}

/// A value of [`pairs`]: its number, 0 if it is not one.
pub fn number(w: &[u8]) -> u64 {
    digits(w).unwrap_or(0)
}

/// A file holding one number (`memory.current`, `cpuacct.usage`...); `max`
/// (v2's "no limit") reads as [`CGROUP_NO_LIMIT`].
pub fn single(data: &[u8]) -> Option<u64> {
    let w = words(lines(data).next()?).next()?;
    if w == b"max" {
        return Some(CGROUP_NO_LIMIT);
    }
    digits(w)
}

/// v1's `cpu.cfs_quota_us`, where -1 is no limit.
pub fn quota_v1(data: &[u8]) -> Option<u64> {
    let w = words(lines(data).next()?).next()?;
    if w.first() == Some(&b'-') {
        return Some(CGROUP_NO_LIMIT);
    }
    digits(w)
}

/// A v1 memory limit: the kernel shows "no limit" as the largest page
/// count times the page size (`0x7ffffffffffff000` with 4 KiB pages), so
/// anything within 1 MiB of 2^63 is no limit.
pub fn limit_v1(data: &[u8]) -> Option<u64> {
    single(data).map(|v| if v >= (1u64 << 63) - (1 << 20) { CGROUP_NO_LIMIT } else { v })
}

/// The value of `key` in a flat keyed file (`KEY VALUE` lines: `cpu.stat`,
/// `memory.stat`, `memory.events`, `cpuacct.stat`, v1's `memory.oom_control`).
pub fn keyed(data: &[u8], key: &str) -> Option<u64> {
    pairs(data).find(|(k, _)| *k == key.as_bytes()).and_then(|(_, v)| digits(v))
}

/// Every `KEY VALUE` line of a flat keyed file, in order, the value's
/// bytes left for the caller to convert ([`number`]) if it wants the key:
/// a `memory.stat` has some sixty lines and the recorder reads ten.
pub fn pairs(data: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    lines(data).filter_map(|l| {
        let sp = l.iter().position(|&c| c == b' ')?;
        Some((&l[..sp], l[sp + 1..].trim_ascii()))
    })
}

/// `user_usec` and `system_usec` of a v2 `cpu.stat`.
pub fn cpu_times(data: &[u8]) -> (u64, u64) {
    let (mut user, mut sys) = (0, 0);
    for (k, v) in pairs(data) {
        match k {
            b"user_usec" => user = number(v),
            b"system_usec" => sys = number(v),
            _ => {}
        }
    }
    (user, sys)
}

/// v2's `cpu.max`: `QUOTA PERIOD`, QUOTA `max` for no limit.
pub fn cpu_max(data: &[u8]) -> Option<(u64, u64)> {
    let mut w = words(lines(data).next()?);
    let q = w.next()?;
    let quota = if q == b"max" { CGROUP_NO_LIMIT } else { digits(q)? };
    Some((quota, digits(w.next()?)?))
}

/// Sums over devices of an I/O file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoSums {
    pub rbytes: u64,
    pub wbytes: u64,
    pub rios: u64,
    pub wios: u64,
    pub dbytes: u64,
}

/// v2's `io.stat`: `MAJ:MIN key=value...` lines, summed over devices.
pub fn io_stat(data: &[u8]) -> IoSums {
    let mut s = IoSums::default();
    for l in lines(data) {
        for w in words(l).skip(1) {
            let Some(eq) = w.iter().position(|&c| c == b'=') else { continue };
            let Some(v) = digits(&w[eq + 1..]) else { continue };
            let slot = match &w[..eq] {
                b"rbytes" => &mut s.rbytes,
                b"wbytes" => &mut s.wbytes,
                b"rios" => &mut s.rios,
                b"wios" => &mut s.wios,
                b"dbytes" => &mut s.dbytes,
                _ => continue,
            };
            *slot = slot.wrapping_add(v);
        }
    }
    s
}

/// v1's `blkio.throttle.io_service_bytes` or `io_serviced`: `MAJ:MIN OP
/// VALUE` lines summed over devices, as (Read, Write, Discard); the
/// closing `Total VALUE` line has no device and is left out.
pub fn blkio(data: &[u8]) -> (u64, u64, u64) {
    let (mut r, mut w, mut d) = (0u64, 0u64, 0u64);
    for l in lines(data) {
        let mut it = words(l);
        let (Some(dev), Some(op), Some(v)) = (it.next(), it.next(), it.next()) else { continue };
        if !dev.contains(&b':') {
            continue;
        }
        let Some(v) = digits(v) else { continue };
        match op {
            b"Read" => r = r.wrapping_add(v),
            b"Write" => w = w.wrapping_add(v),
            b"Discard" => d = d.wrapping_add(v),
            _ => {}
        }
    }
    (r, w, d)
}

/// The `total=` of a pressure file's `some` and `full` lines, in µs (no
/// `full` line, as in a cgroup's `cpu.pressure` before Linux 5.13: 0).
pub fn pressure(data: &[u8]) -> Option<(u64, u64)> {
    let total = |kind: &[u8]| {
        lines(data).find(|l| l.starts_with(kind)).and_then(|l| {
            let at = l.windows(6).position(|w| w == b"total=")?;
            let v = &l[at + 6..];
            digits(&v[..v.iter().position(|c| !c.is_ascii_digit()).unwrap_or(v.len())])
        })
    };
    Some((total(b"some ")?, total(b"full ").unwrap_or(0)))
}

/// User and system time of a `/proc/PID/stat` in ticks, its waited-for
/// children's included: `utime + cutime` and `stime + cstime`, the fields
/// after the command, whose parentheses may hold anything.
pub fn task_ticks(data: &[u8]) -> Option<(u64, u64)> {
    let close = data.iter().rposition(|&c| c == b')')?;
    // After ")": state is field 3; utime, stime, cutime, cstime are 14 to 17.
    let mut w = words(&data[close + 1..]).skip(11);
    let mut f = [0u64; 4];
    for v in &mut f {
        *v = digits(w.next()?)?;
    }
    Some((f[0].wrapping_add(f[2]), f[1].wrapping_add(f[3])))
}

/// Process ids of a `cgroup.procs` file.
pub fn procs(data: &[u8]) -> impl Iterator<Item = u32> + '_ {
    lines(data).filter_map(|l| digits(l.trim_ascii()).and_then(|v| u32::try_from(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_keyed_and_single_values() {
        let stat = b"usage_usec 912285017\nuser_usec 706517974\nsystem_usec 205767043\nnr_periods 12\n";
        assert_eq!(keyed(stat, "user_usec"), Some(706517974));
        assert_eq!(keyed(stat, "nr_throttled"), None);
        assert_eq!(keyed(b"user_usecx 1\nuser_usec 2\n", "user_usec"), Some(2));
        assert_eq!(pairs(stat).count(), 4);
        assert_eq!(pairs(b"a 1\nb  x \nc\n").collect::<Vec<_>>(), [(&b"a"[..], &b"1"[..]), (b"b", b"x")]);
        assert_eq!((number(b"12"), number(b"x")), (12, 0));
        assert_eq!(single(b"4096\n"), Some(4096));
        assert_eq!(single(b"max\n"), Some(CGROUP_NO_LIMIT));
        assert_eq!(single(b""), None);
        assert_eq!(single(b"-1\n"), None);
        assert_eq!(quota_v1(b"-1\n"), Some(CGROUP_NO_LIMIT));
        assert_eq!(quota_v1(b"50000\n"), Some(50000));
        assert_eq!(limit_v1(b"9223372036854771712\n"), Some(CGROUP_NO_LIMIT));
        assert_eq!(limit_v1(b"536870912\n"), Some(536870912));
    }

    #[test]
    fn cpu_max_has_quota_and_period() {
        assert_eq!(cpu_max(b"max 100000\n"), Some((CGROUP_NO_LIMIT, 100000)));
        assert_eq!(cpu_max(b"50000 100000\n"), Some((50000, 100000)));
        assert_eq!(cpu_max(b"50000\n"), None);
    }

    #[test]
    fn io_files_sum_over_devices() {
        let v2 = b"8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=5 dios=1\n\
                   253:0 rbytes=1000 wbytes=2000 rios=10 wios=20 dbytes=0 dios=0\n";
        assert_eq!(io_stat(v2), IoSums { rbytes: 1100, wbytes: 2200, rios: 11, wios: 22, dbytes: 5 });
        let v1 = b"8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 512\n\
                   8:0 Total 12288\n8:16 Read 4096\nTotal 16384\n";
        assert_eq!(blkio(v1), (8192, 8192, 512));
    }

    #[test]
    fn pressure_totals() {
        let p = b"some avg10=0.00 avg60=0.00 avg300=0.00 total=1234\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=56\n";
        assert_eq!(pressure(p), Some((1234, 56)));
        assert_eq!(pressure(b"some avg10=0.00 avg60=0.00 avg300=0.00 total=9\n"), Some((9, 0)));
        assert_eq!(pressure(b""), None);
    }

    #[test]
    fn task_times_follow_the_command() {
        let stat = b"42 (a b) c) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 5 0 0\n";
        assert_eq!(task_ticks(stat), Some((9, 4)));
        assert_eq!(task_ticks(b"42 (x) S 1"), None);
        assert_eq!(procs(b"1\n22\nx\n").collect::<Vec<_>>(), vec![1, 22]);
    }
}
