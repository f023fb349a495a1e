//! The names of the Parquet datasets and of their columns.
//!
//! Query engines want plain identifiers (`pct_user`, not `"%user"`), and a
//! fleet's datasets must keep their names from one release to the next, so
//! both come from fixed rules here rather than from the JSON keys, which
//! sysstat changes between formats. `spec/export.md` lists the result.

use sarkit_format::ActivityId;

/// The dataset (folder) name of an activity's output: `mask` is the
/// report's output bit (memory's 1 is `-r`, 2 is `-S`; A_CGROUP's are
/// `--cgroup`'s CPU, MEM, IO and PSI).
pub fn dataset_name(id: ActivityId, mask: u32) -> &'static str {
    match id.0 {
        1 => "cpu",
        2 => "pcsw",
        3 => "interrupts",
        4 => "swap_paging",
        5 => "paging",
        6 => "io",
        7 if mask == 2 => "swap",
        7 => "memory",
        8 => "kernel_tables",
        9 => "queue",
        10 => "serial",
        11 => "disk",
        12 => "net_dev",
        13 => "net_edev",
        14 => "net_nfs",
        15 => "net_nfsd",
        16 => "net_sock",
        17 => "net_ip",
        18 => "net_eip",
        19 => "net_icmp",
        20 => "net_eicmp",
        21 => "net_tcp",
        22 => "net_etcp",
        23 => "net_udp",
        24 => "net_sock6",
        25 => "net_ip6",
        26 => "net_eip6",
        27 => "net_icmp6",
        28 => "net_eicmp6",
        29 => "net_udp6",
        30 => "cpu_freq",
        31 => "fan",
        32 => "temperature",
        33 => "voltage",
        34 => "hugepages",
        35 => "cpu_weighted_freq",
        36 => "usb",
        37 => "filesystem",
        38 => "net_fc",
        39 => "net_soft",
        40 => "psi_cpu",
        41 => "psi_io",
        42 => "psi_mem",
        43 => "battery",
        1001 => match mask {
            1 => "cgroup_cpu",
            2 => "cgroup_memory",
            4 => "cgroup_io",
            _ => "cgroup_psi",
        },
        _ => "unknown",
    }
}

/// A column's name from sar's header name (sadf `-d`'s field):
/// lower case; `%` becomes `pct_`; `/s` becomes `_per_s` and any other
/// `/` `_per_`; every other character that is not a letter or a digit
/// becomes `_`; runs of `_` become one, none is left at either end, and a
/// name starting with a digit gets a leading `c_`.
///
/// `%user` → `pct_user`, `rxkB/s` → `rxkb_per_s`, `ldavg-1` → `ldavg_1`,
/// `%scpu-10` → `pct_scpu_10`, `areq-sz` → `areq_sz`.
pub fn column_name(sar: &str) -> String {
    let mut out = String::with_capacity(sar.len() + 8);
    let b = sar.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'%' => out.push_str("_pct_"),
            b'/' if b.get(i + 1) == Some(&b's') && b.get(i + 2).is_none_or(|n| !n.is_ascii_alphanumeric()) => {
                out.push_str("_per_s_");
                i += 1;
            }
            b'/' => out.push_str("_per_"),
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase() as char),
            _ => out.push('_'),
        }
        i += 1;
    }
    let mut name = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '_' && (name.is_empty() || name.ends_with('_')) {
            continue;
        }
        name.push(c);
    }
    while name.ends_with('_') {
        name.pop();
    }
    if name.is_empty() || name.as_bytes()[0].is_ascii_digit() {
        name.insert_str(0, "c_");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sar_names_become_identifiers() {
        for (sar, want) in [
            ("%user", "pct_user"),
            ("rxkB/s", "rxkb_per_s"),
            ("ldavg-1", "ldavg_1"),
            ("%scpu-10", "pct_scpu_10"),
            ("areq-sz", "areq_sz"),
            ("tcp-tw", "tcp_tw"),
            ("%FSused", "pct_fsused"),
            ("IFACE", "iface"),
            ("CPU", "cpu"),
            ("MHz", "mhz"),
            ("rd_sec/s", "rd_sec_per_s"),
            ("sect/sz", "sect_per_sz"),
            ("1m", "c_1m"),
        ] {
            assert_eq!(column_name(sar), want, "{sar}");
        }
    }

    #[test]
    fn every_activity_has_its_own_dataset() {
        let mut names: Vec<&str> = (1..=43).map(|i| dataset_name(ActivityId(i), 1)).collect();
        names.push(dataset_name(ActivityId::A_MEMORY, 2));
        names.extend([1, 2, 4, 8].map(|m| dataset_name(ActivityId::A_CGROUP, m)));
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
        assert!(!names.contains(&"unknown"));
    }
}
