//! Parsers for the /proc, /sys and /etc files sadc reads, one module per
//! source. Each is a pure function of the file's bytes and reads what
//! sysstat 12.7.9 reads, with its quirks (line buffer lengths, fields kept
//! from the previous line when a line is short); malformed lines are
//! skipped or partly read, never a panic.

pub mod cgroup;
pub mod cpufreq;
pub mod cpuinfo;
pub mod diskstats;
pub mod interrupts;
pub mod ktables;
pub mod loadavg;
pub mod meminfo;
pub mod mtab;
pub mod net_dev;
pub mod nfs;
pub mod pressure;
pub mod scan;
pub mod serial;
pub mod snmp;
pub mod snmp6;
pub mod sockstat;
pub mod softnet;
pub mod stat;
pub mod sysfs;
pub mod uptime;
pub mod vmstat;

/// A file whose whole content is unusable; names the file kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError(pub &'static str);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot parse {}", self.0)
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod no_panic {
    use proptest::prelude::*;

    proptest! {
        /// Arbitrary bytes, and lines built from plausible words, go
        /// through every parser without a panic.
        #[test]
        fn parsers_never_panic(
            raw in proptest::collection::vec(any::<u8>(), 0..400),
            words in proptest::collection::vec(
                prop_oneof![
                    Just("cpu".to_string()), Just("cpu7".to_string()), Just("CPU3".to_string()),
                    Just(":".to_string()), Just("\n".to_string()), Just("-1".to_string()),
                    Just("tx:".to_string()), Just("some".to_string()), Just("avg10=1.5".to_string()),
                    Just("proc3".to_string()), Just("Ip:".to_string()), Just("/dev/x".to_string()),
                    "[0-9a-fx.]{1,24}",
                ],
                0..60,
            ),
        ) {
            let joined = words.join(" ");
            for d in [&raw[..], joined.as_bytes()] {
                let st = super::stat::parse(d);
                let _ = (st.cpu_items(), st.online_cpus(), st.cpu_count());
                let _ = super::interrupts::parse(d, super::interrupts::nr2(d, 4), 5);
                let _ = super::interrupts::parse(d, 3, 0);
                let _ = super::meminfo::parse(d);
                let _ = super::vmstat::parse(d);
                let _ = super::loadavg::parse(d);
                let _ = super::uptime::parse(d);
                let _ = super::diskstats::io(d, |_| true);
                let _ = super::diskstats::disks(d, true, |_| true, |_| None);
                let _ = super::diskstats::count(d, false, |_| true);
                let _ = (super::net_dev::parse_dev(d), super::net_dev::parse_edev(d), super::net_dev::count(d));
                let _ = (super::snmp::parse(d), super::snmp6::parse(d));
                let _ = (super::sockstat::parse(d), super::sockstat::parse6(d));
                let _ = super::softnet::parse(d, &[true, false, true], 4);
                let _ = (super::nfs::parse_nfs(d), super::nfs::parse_nfsd(d));
                let _ = (super::pressure::parse(d, "some"), super::pressure::parse(d, "full"));
                let _ = (super::cgroup::single(d), super::cgroup::quota_v1(d), super::cgroup::limit_v1(d));
                let _ = (super::cgroup::keyed(d, "oom"), super::cgroup::pairs(d).count(), super::cgroup::cpu_max(d));
                let _ = (super::cgroup::io_stat(d), super::cgroup::blkio(d), super::cgroup::pressure(d));
                let _ = (super::cgroup::task_ticks(d), super::cgroup::procs(d).count());
                let _ = (super::ktables::parse_used(d), super::ktables::parse_dentry_state(d));
                let _ = (super::serial::parse(d), super::serial::count(d));
                let _ = super::cpuinfo::parse(d);
                let _ = (super::cpufreq::parse(d, 3), super::cpufreq::count(d));
                let _ = (super::mtab::parse(d), super::mtab::unescape(d));
                let _ = super::sysfs::usb_string::<24>(d);
                let _ = (super::sysfs::battery_status(d), super::sysfs::parse_fc_counter(d));
                let _ = (super::sysfs::parse_milli(d), super::sysfs::parse_hex(d));
                if let Ok(s) = std::str::from_utf8(d) {
                    let _ = super::diskstats::parse_wwn_name(s);
                }
            }
        }
    }
}
