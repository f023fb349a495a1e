//! The metrics a comparison reports, in one table.
//!
//! Each names a registry column (by sar's header name, as
//! [`Col::hdr`](crate::sar::report::values::Col::hdr)) of one activity's
//! output, which rows of it count, and how an interval's rows make one
//! value. The values themselves are the report's
//! [`values`](crate::sar::report::Report::values), the numbers sar and
//! sadf `-d` print for the interval.

use sarkit_format::ActivityId;

/// Which rows of an activity count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Items {
    /// The one row of a whole-machine activity.
    Machine,
    /// CPU `all`.
    CpuAll,
    /// Every item (every disk).
    Every,
    /// Every interface but `lo`.
    NotLoopback,
}

/// How an interval's rows make the interval's value, and what the mean
/// weighs it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Across {
    /// The one row's value; weighted by the interval.
    Only,
    /// The rows' sum; weighted by the interval.
    Sum,
    /// The largest row (the busiest disk); weighted by the interval.
    Max,
    /// The mean of the rows weighted by their column `.0` (`tps`: per I/O),
    /// and the interval weighted by that column's sum times the interval:
    /// `await` over every I/O, which is what sar's Average line says.
    Per(&'static str),
}

/// One metric of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// What it is about: `cpu`, `memory`, `load`, `disk`, `network`,
    /// `paging`, `pressure`.
    pub area: &'static str,
    pub activity: ActivityId,
    /// The report's output bit (memory's 2 is swap); 1 for a report of
    /// one output.
    pub output: u32,
    /// The column, by sar's header name.
    pub col: &'static str,
    pub items: Items,
    pub across: Across,
}

const fn m(area: &'static str, activity: ActivityId, col: &'static str, items: Items, across: Across) -> Metric {
    Metric { area, activity, output: 1, col, items, across }
}
const fn cpu(col: &'static str) -> Metric {
    m("cpu", ActivityId::A_CPU, col, Items::CpuAll, Across::Only)
}
const fn machine(area: &'static str, activity: ActivityId, col: &'static str) -> Metric {
    m(area, activity, col, Items::Machine, Across::Only)
}
const fn disk(col: &'static str, across: Across) -> Metric {
    m("disk", ActivityId::A_DISK, col, Items::Every, across)
}
const fn net(col: &'static str) -> Metric {
    m("network", ActivityId::A_NET_DEV, col, Items::NotLoopback, Across::Sum)
}

/// Every metric, in the order a tie in the difference keeps. CPU shares
/// are `-u ALL`'s (`%usr` is `%user` less `%guest`), as the Parquet
/// export has them.
pub const METRICS: &[Metric] = &[
    cpu("%usr"),
    cpu("%sys"),
    cpu("%iowait"),
    cpu("%steal"),
    cpu("%idle"),
    machine("memory", ActivityId::A_MEMORY, "%memused"),
    machine("memory", ActivityId::A_MEMORY, "kbavail"),
    machine("memory", ActivityId::A_MEMORY, "%commit"),
    Metric { output: 2, ..machine("memory", ActivityId::A_MEMORY, "%swpused") },
    machine("load", ActivityId::A_QUEUE, "runq-sz"),
    machine("load", ActivityId::A_QUEUE, "blocked"),
    machine("load", ActivityId::A_QUEUE, "ldavg-1"),
    machine("load", ActivityId::A_QUEUE, "ldavg-5"),
    disk("tps", Across::Sum),
    disk("rkB/s", Across::Sum),
    disk("wkB/s", Across::Sum),
    disk("aqu-sz", Across::Sum),
    disk("await", Across::Per("tps")),
    disk("%util", Across::Max),
    net("rxkB/s"),
    net("txkB/s"),
    net("rxpck/s"),
    net("txpck/s"),
    machine("network", ActivityId::A_NET_ETCP, "retrseg/s"),
    machine("paging", ActivityId::A_PAGE, "pgpgin/s"),
    machine("paging", ActivityId::A_PAGE, "pgpgout/s"),
    machine("paging", ActivityId::A_PAGE, "majflt/s"),
    machine("paging", ActivityId::A_PAGE, "pgscand/s"),
    machine("paging", ActivityId::A_SWAP, "pswpin/s"),
    machine("paging", ActivityId::A_SWAP, "pswpout/s"),
    machine("pressure", ActivityId::A_PSI_CPU, "%scpu"),
    machine("pressure", ActivityId::A_PSI_IO, "%sio"),
    machine("pressure", ActivityId::A_PSI_IO, "%fio"),
    machine("pressure", ActivityId::A_PSI_MEM, "%smem"),
    machine("pressure", ActivityId::A_PSI_MEM, "%fmem"),
];

/// What each area's rows are, for the report's notes.
pub const AREA_NOTES: &[(&str, &str)] = &[
    ("cpu", "CPU all"),
    ("disk", "every device summed; %util the busiest device, await per I/O"),
    ("network", "every interface but lo summed; retrseg/s TCP's"),
    ("pressure", "the share of each interval some (%s) or all (%f) tasks stalled"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::options::Options;

    /// Every metric names a column its activity's report has, once.
    #[test]
    fn every_metric_is_a_registry_column() {
        let mut o = Options::default();
        (o.cpu_all, o.mem_memory, o.mem_swap, o.mem_all) = (true, true, true, true);
        for (k, mt) in METRICS.iter().enumerate() {
            let mut r = crate::registry::make_report(mt.activity, &o, 2, 1).unwrap();
            assert!(r.outputs() & mt.output != 0, "{}", mt.col);
            r.set_output(mt.output);
            let meta = r.meta().unwrap();
            assert!(meta.dp().iter().any(|c| c.hdr == mt.col), "{}: not in {}", mt.col, meta.fields);
            if let Across::Per(w) = mt.across {
                assert!(meta.dp().iter().any(|c| c.hdr == w), "{w}");
            }
            assert_eq!(mt.items == Items::Machine, meta.item_hdr.is_empty(), "{}", mt.col);
            assert!(METRICS[..k].iter().all(|p| p.col != mt.col), "{} twice", mt.col);
        }
    }
}
