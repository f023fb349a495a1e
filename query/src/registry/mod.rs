//! The activity registry: one entry per activity sar reports, read by every
//! output.
//!
//! An entry says how sar selects the activity (its flag, for messages),
//! how the report is built from the command line, and where its column
//! tables are: every [`Meta`] the report answers, whose [`Col`]umns name
//! each column once for sar's header, sadf's `-d`/`-p` field lists, the
//! JSON/XML keys and the graphs.
//!
//! [`Col`]: crate::sar::report::values::Col

use sarkit_format::stats::{
    StatsIo, StatsNetDev, StatsNetEdev, StatsNetEicmp, StatsNetEicmp6, StatsNetEip, StatsNetEip6, StatsNetEtcp,
    StatsNetIcmp, StatsNetIcmp6, StatsNetIp, StatsNetIp6, StatsNetNfs, StatsNetNfsd, StatsNetSock, StatsNetSock6,
    StatsNetTcp, StatsNetUdp, StatsNetUdp6, StatsPaging, StatsPwrFan, StatsPwrIn, StatsPwrTemp, StatsSwap,
};
use sarkit_format::ActivityId;

use views::ActivityViews;

pub mod views;

use crate::sar::options::Options;
use crate::sar::report::net::Net;
use crate::sar::report::net_sock::Sock;
use crate::sar::report::rates::Rates;
use crate::sar::report::sensors::Sensors;
use crate::sar::report::{
    cgroup, cpu, disk, fs, irq, memory, net_fc, net_soft, pcsw, power, psi, serial, tables, usb_bat, Report,
};

/// Builds an activity's report from the command line and the file's item
/// counts (`nr` and `nr2` of its activity list entry).
pub type MakeReport = fn(o: &Options, nr_ini: i64, nr2: i64) -> Box<dyn Report>;

/// One activity.
pub struct Activity {
    pub id: ActivityId,
    /// The command-line flag that selects it, as sar's messages name it.
    pub flag: &'static str,
    pub make: MakeReport,
    /// What sadf's graphs draw of it, if anything.
    pub views: Option<&'static ActivityViews>,
}

/// Every activity rsar reports, by activity id (reports run in the file's order).
pub static ACTIVITIES: &[Activity] = &[
    Activity {
        id: ActivityId::A_CPU,
        views: Some(&views::A_CPU),
        flag: "-u",
        make: |o, nr, _| Box::new(cpu::Cpu::new(nr, o.cpu_all, o.cpu_bitmap.clone(), o.cpu_bits(), o.since_boot)),
    },
    Activity {
        id: ActivityId::A_PCSW,
        views: Some(&views::A_PCSW),
        flag: "-w",
        make: |_, _, _| Box::new(pcsw::Pcsw::new()),
    },
    Activity {
        id: ActivityId::A_IRQ,
        views: None,
        flag: "-I",
        make: |o, nr, nr2| {
            let nr2 = nr2.max(1) as usize;
            Box::new(irq::Irq::new(nr, nr2, o.cpu_bitmap.clone(), o.cpu_bits(), o.int_list.clone(), o.since_boot))
        },
    },
    Activity {
        id: ActivityId::A_SWAP,
        views: Some(&views::A_SWAP),
        flag: "-W",
        make: |_, _, _| Box::new(Rates::<StatsSwap>::new()),
    },
    Activity {
        id: ActivityId::A_PAGE,
        views: Some(&views::A_PAGE),
        flag: "-B",
        make: |_, _, _| Box::new(Rates::<StatsPaging>::new()),
    },
    Activity {
        id: ActivityId::A_IO,
        views: Some(&views::A_IO),
        flag: "-b",
        make: |_, _, _| Box::new(Rates::<StatsIo>::new()),
    },
    Activity {
        id: ActivityId::A_MEMORY,
        views: Some(&views::A_MEMORY),
        flag: "-r",
        make: |o, _, _| Box::new(memory::Memory::new(o.mem_memory, o.mem_swap, o.mem_all)),
    },
    Activity {
        id: ActivityId::A_KTABLES,
        views: Some(&views::A_KTABLES),
        flag: "-v",
        make: |_, _, _| Box::new(tables::Gauges::new(tables::Kind::Ktables)),
    },
    Activity {
        id: ActivityId::A_QUEUE,
        views: Some(&views::A_QUEUE),
        flag: "-q",
        make: |_, _, _| Box::new(tables::Gauges::new(tables::Kind::Queue)),
    },
    Activity {
        id: ActivityId::A_SERIAL,
        views: None,
        flag: "-y",
        make: |o, _, _| Box::new(serial::Serial::new(o.since_boot)),
    },
    Activity {
        id: ActivityId::A_DISK,
        views: Some(&views::A_DISK),
        flag: "-d",
        make: |o, _, _| Box::new(disk::Disk::new(o.dev_list.clone(), &o.device_lookup, o.pretty)),
    },
    Activity {
        id: ActivityId::A_NET_DEV,
        views: Some(&views::A_NET_DEV),
        flag: "-n DEV",
        make: |o, _, _| Box::new(Net::<StatsNetDev>::new(o.iface_list.clone())),
    },
    Activity {
        id: ActivityId::A_NET_EDEV,
        views: Some(&views::A_NET_EDEV),
        flag: "-n EDEV",
        make: |o, _, _| Box::new(Net::<StatsNetEdev>::new(o.iface_list.clone())),
    },
    Activity {
        id: ActivityId::A_NET_NFS,
        views: Some(&views::A_NET_NFS),
        flag: "-n NFS",
        make: |_, _, _| Box::new(Rates::<StatsNetNfs>::new()),
    },
    Activity {
        id: ActivityId::A_NET_NFSD,
        views: Some(&views::A_NET_NFSD),
        flag: "-n NFSD",
        make: |_, _, _| Box::new(Rates::<StatsNetNfsd>::new()),
    },
    Activity {
        id: ActivityId::A_NET_SOCK,
        views: Some(&views::A_NET_SOCK),
        flag: "-n SOCK",
        make: |_, _, _| Box::new(Sock::<StatsNetSock>::new()),
    },
    Activity {
        id: ActivityId::A_NET_IP,
        views: Some(&views::A_NET_IP),
        flag: "-n IP",
        make: |_, _, _| Box::new(Rates::<StatsNetIp>::new()),
    },
    Activity {
        id: ActivityId::A_NET_EIP,
        views: Some(&views::A_NET_EIP),
        flag: "-n EIP",
        make: |_, _, _| Box::new(Rates::<StatsNetEip>::new()),
    },
    Activity {
        id: ActivityId::A_NET_ICMP,
        views: Some(&views::A_NET_ICMP),
        flag: "-n ICMP",
        make: |_, _, _| Box::new(Rates::<StatsNetIcmp>::new()),
    },
    Activity {
        id: ActivityId::A_NET_EICMP,
        views: Some(&views::A_NET_EICMP),
        flag: "-n EICMP",
        make: |_, _, _| Box::new(Rates::<StatsNetEicmp>::new()),
    },
    Activity {
        id: ActivityId::A_NET_TCP,
        views: Some(&views::A_NET_TCP),
        flag: "-n TCP",
        make: |_, _, _| Box::new(Rates::<StatsNetTcp>::new()),
    },
    Activity {
        id: ActivityId::A_NET_ETCP,
        views: Some(&views::A_NET_ETCP),
        flag: "-n ETCP",
        make: |_, _, _| Box::new(Rates::<StatsNetEtcp>::new()),
    },
    Activity {
        id: ActivityId::A_NET_UDP,
        views: Some(&views::A_NET_UDP),
        flag: "-n UDP",
        make: |_, _, _| Box::new(Rates::<StatsNetUdp>::new()),
    },
    Activity {
        id: ActivityId::A_NET_SOCK6,
        views: Some(&views::A_NET_SOCK6),
        flag: "-n SOCK6",
        make: |_, _, _| Box::new(Sock::<StatsNetSock6>::new()),
    },
    Activity {
        id: ActivityId::A_NET_IP6,
        views: Some(&views::A_NET_IP6),
        flag: "-n IP6",
        make: |_, _, _| Box::new(Rates::<StatsNetIp6>::new()),
    },
    Activity {
        id: ActivityId::A_NET_EIP6,
        views: Some(&views::A_NET_EIP6),
        flag: "-n EIP6",
        make: |_, _, _| Box::new(Rates::<StatsNetEip6>::new()),
    },
    Activity {
        id: ActivityId::A_NET_ICMP6,
        views: Some(&views::A_NET_ICMP6),
        flag: "-n ICMP6",
        make: |_, _, _| Box::new(Rates::<StatsNetIcmp6>::new()),
    },
    Activity {
        id: ActivityId::A_NET_EICMP6,
        views: Some(&views::A_NET_EICMP6),
        flag: "-n EICMP6",
        make: |_, _, _| Box::new(Rates::<StatsNetEicmp6>::new()),
    },
    Activity {
        id: ActivityId::A_NET_UDP6,
        views: Some(&views::A_NET_UDP6),
        flag: "-n UDP6",
        make: |_, _, _| Box::new(Rates::<StatsNetUdp6>::new()),
    },
    Activity {
        id: ActivityId::A_PWR_CPU,
        views: Some(&views::A_PWR_CPU),
        flag: "-m CPU",
        make: |o, _, _| Box::new(power::CpuFreq::new(o.cpu_bitmap.clone(), o.cpu_bits())),
    },
    Activity {
        id: ActivityId::A_PWR_FAN,
        views: Some(&views::A_PWR_FAN),
        flag: "-m FAN",
        make: |_, _, _| Box::new(Sensors::<StatsPwrFan>::new()),
    },
    Activity {
        id: ActivityId::A_PWR_TEMP,
        views: Some(&views::A_PWR_TEMP),
        flag: "-m TEMP",
        make: |_, _, _| Box::new(Sensors::<StatsPwrTemp>::new()),
    },
    Activity {
        id: ActivityId::A_PWR_IN,
        views: Some(&views::A_PWR_IN),
        flag: "-m IN",
        make: |_, _, _| Box::new(Sensors::<StatsPwrIn>::new()),
    },
    Activity {
        id: ActivityId::A_HUGE,
        views: Some(&views::A_HUGE),
        flag: "-H",
        make: |_, _, _| Box::new(tables::Gauges::new(tables::Kind::Huge)),
    },
    Activity {
        id: ActivityId::A_PWR_FREQ,
        views: None,
        flag: "-m FREQ",
        make: |o, _, _| Box::new(power::WghFreq::new(o.cpu_bitmap.clone(), o.cpu_bits())),
    },
    Activity {
        id: ActivityId::A_PWR_USB,
        views: None,
        flag: "-m USB",
        make: |_, nr, _| Box::new(usb_bat::Usb::new(nr)),
    },
    Activity {
        id: ActivityId::A_FS,
        views: Some(&views::A_FS),
        flag: "-F",
        make: |o, _, _| Box::new(fs::Fs::new(o.fs_list.clone(), o.fs_mount)),
    },
    Activity {
        id: ActivityId::A_NET_FC,
        views: Some(&views::A_NET_FC),
        flag: "-n FC",
        make: |_, _, _| Box::new(net_fc::Fc::new()),
    },
    Activity {
        id: ActivityId::A_NET_SOFT,
        views: Some(&views::A_NET_SOFT),
        flag: "-n SOFT",
        make: |o, nr, _| Box::new(net_soft::Soft::new(nr, o.cpu_bitmap.clone(), o.cpu_bits(), o.since_boot)),
    },
    Activity {
        id: ActivityId::A_PSI_CPU,
        views: Some(&views::A_PSI_CPU),
        flag: "-q CPU",
        make: |_, _, _| Box::new(psi::PsiReport::new(psi::Kind::Cpu)),
    },
    Activity {
        id: ActivityId::A_PSI_IO,
        views: Some(&views::A_PSI_IO),
        flag: "-q IO",
        make: |_, _, _| Box::new(psi::PsiReport::new(psi::Kind::Io)),
    },
    Activity {
        id: ActivityId::A_PSI_MEM,
        views: Some(&views::A_PSI_MEM),
        flag: "-q MEM",
        make: |_, _, _| Box::new(psi::PsiReport::new(psi::Kind::Mem)),
    },
    Activity {
        id: ActivityId::A_PWR_BAT,
        views: Some(&views::A_PWR_BAT),
        flag: "-m BAT",
        make: |_, _, _| Box::new(usb_bat::Bat::new()),
    },
    Activity {
        id: ActivityId::A_CGROUP,
        views: Some(&views::A_CGROUP),
        flag: "--cgroup",
        make: |o, _, _| Box::new(cgroup::Cgroup::new(o.cgroup_outputs, o.pod_list.clone(), o.cgroup_top)),
    },
];

/// The registry entry of `id`.
pub fn activity(id: ActivityId) -> Option<&'static Activity> {
    ACTIVITIES.iter().find(|a| a.id == id)
}

/// The command-line flag that selects `id`, for "not implemented" messages.
pub fn flag_of(id: ActivityId) -> String {
    activity(id).map_or_else(|| format!("activity {}", id.0), |a| a.flag.to_string())
}

/// The report of `id`, if rsar implements it.
pub fn make_report(id: ActivityId, o: &Options, nr_ini: i64, nr2: i64) -> Option<Box<dyn Report>> {
    activity(id).map(|a| (a.make)(o, nr_ini, nr2))
}

/// The activities of `info` that `o` selects and this file holds in a
/// readable layout, in file order (the order sar prints them, sadf's
/// `id_seq`), each once, with its list entry and its report (`None` where
/// sarkit has none). Every output builds its reports from this one list.
pub fn selected_reports<'a>(
    info: &'a sarkit_format::FileInfo,
    o: &'a Options,
) -> impl Iterator<Item = (&'a sarkit_format::FileActivity, Option<Box<dyn Report>>)> + 'a {
    let mut seen: Vec<ActivityId> = Vec::new();
    info.activities.iter().zip(&info.status).filter_map(move |(fa, st)| {
        let id = ActivityId(fa.id);
        let readable = matches!(st, sarkit_format::reader::ActivityStatus::Known(_));
        if !o.is_selected(id) || !readable || seen.contains(&id) {
            return None;
        }
        seen.push(id);
        Some((fa, make_report(id, o, fa.nr as i64, fa.nr2 as i64)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::report::values::{Col, Fmt, Meta, ValueKind};
    use crate::sar::report::Ctx;

    #[test]
    fn every_entry_builds_its_own_activity_once() {
        let o = Options::default();
        for (k, a) in ACTIVITIES.iter().enumerate() {
            assert_eq!((a.make)(&o, 2, 1).id(), a.id, "{}", a.flag);
            assert!(ACTIVITIES[..k].iter().all(|b| b.id != a.id && b.flag != a.flag), "{}", a.flag);
        }
        // Every activity the format knows is reported.
        let mut known: Vec<u32> = sarkit_format::ACTIVITIES.iter().map(|a| a.id.0).collect();
        known.sort_unstable();
        assert_eq!(ACTIVITIES.iter().map(|a| a.id.0).collect::<Vec<_>>(), known);
        assert_eq!(flag_of(ActivityId::A_NET_SOFT), "-n SOFT");
        assert_eq!(flag_of(ActivityId(200)), "activity 200");
    }

    /// The command lines whose outputs differ in columns.
    fn variants() -> Vec<Options> {
        let set = |f: fn(&mut Options)| {
            let mut o = Options::default();
            f(&mut o);
            o
        };
        vec![
            set(|o| o.mem_memory = true),
            set(|o| (o.cpu_all, o.mem_memory, o.mem_swap, o.mem_all, o.fs_mount) = (true, true, true, true, true)),
            set(|o| o.mem_swap = true),
        ]
    }

    /// sar's header line of `r`'s current output, as words, less the time.
    fn sar_header(r: &mut dyn Report) -> Vec<String> {
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["t", "t"], true, 1);
        r.print(&mut cx, 0, 1, 100).unwrap();
        let text = String::from_utf8(out).unwrap();
        let line = text.lines().find(|l| l.starts_with('t')).unwrap_or("").to_string();
        line.split_whitespace().skip(1).map(str::to_string).collect()
    }

    /// Every output's sar header, sadf `-d` field list, `-p` names and
    /// JSON/XML keys come from one column table, which says what each
    /// column measures.
    #[test]
    fn sar_header_and_sadf_fields_come_from_the_column_table() {
        for o in variants() {
            for a in ACTIVITIES {
                let mut r = (a.make)(&o, 2, 1);
                let outputs = r.outputs();
                for bit in (0..32).map(|b| 1u32 << b).filter(|b| outputs & b != 0) {
                    r.set_output(bit);
                    let m: &Meta = r.meta().unwrap_or_else(|| panic!("{}: no column table", a.flag));
                    let names: Vec<&str> = m.hdr_names().collect();
                    // sadf -d: the item's header and the columns', in order
                    // (USB's -d list has an order of its own).
                    let mut fields: Vec<&str> = m.fields.split(';').collect();
                    if a.id == ActivityId::A_PWR_USB {
                        fields.sort_unstable();
                        let mut sorted = names.clone();
                        sorted.sort_unstable();
                        assert_eq!(fields, sorted, "{}", a.flag);
                    } else {
                        assert_eq!(fields, names, "{}: -d fields", a.flag);
                    }
                    // sar: the same names, the item column possibly moved to the end.
                    let mut hdr = sar_header(r.as_mut());
                    if !hdr.is_empty() && a.id != ActivityId::A_IRQ {
                        let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
                        hdr.sort_unstable();
                        want.sort_unstable();
                        assert_eq!(hdr, want, "{}: sar header", a.flag);
                    }
                    // JSON/XML: one key per column, XML's table pairing up with JSON's.
                    for c in m.cols {
                        assert!(!c.key.is_empty() && !c.hdr.is_empty(), "{}: {c:?}", a.flag);
                        check_kind(a.flag, c);
                    }
                    let x = m.for_xml();
                    assert_eq!(x.cols.len(), m.cols.len(), "{}: XML columns", a.flag);
                    for (xc, jc) in x.cols.iter().zip(m.cols) {
                        assert_eq!((xc.name, xc.hdr, xc.kind), (jc.name, jc.hdr, jc.kind), "{}: XML column", a.flag);
                    }
                }
            }
        }
    }

    /// A column's kind agrees with how it is printed and named, and with
    /// the rule by which OpenMetrics exports plain rates as counters.
    fn check_kind(flag: &str, c: &Col) {
        let what = format!("{flag}: {} is {:?}", c.hdr, c.kind);
        assert_eq!(c.kind == ValueKind::Text, c.fmt == Fmt::S, "{what}");
        assert_eq!(c.kind == ValueKind::Percent, c.hdr.starts_with('%'), "{what}");
        if c.kind == ValueKind::Level {
            assert!(matches!(c.fmt, Fmt::U | Fmt::F0), "{what}");
        }
        if crate::sadf::openmetrics::plain_rate(c.hdr) {
            assert_eq!(c.kind, ValueKind::Rate, "{what}");
        }
    }
}
