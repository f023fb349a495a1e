//! Per-second rates of one whole-machine structure: swapping (`-W`), paging
//! (`-B`) and block I/O (`-b`).
//!
//! All three are [`super::rates::Rates`] reports: each structure here only
//! names its counters.

use sarkit_format::stats::{StatsIo, StatsPaging, StatsSwap};

use super::rates::{Counters, MAX_COUNTERS};
use super::values::{f, Col, Meta};

/// `vals` into `out`; returns how many.
fn put(out: &mut [u64; MAX_COUNTERS], vals: &[u64]) -> usize {
    out[..vals.len()].copy_from_slice(vals);
    vals.len()
}

impl Counters for StatsSwap {
    const META: &'static Meta =
        &Meta { attrs: " per=\"second\"", ..crate::rate_meta!("swap-pages", ["pswpin/s", "pswpout/s"]) };
    const NARROW: bool = false;
    fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize {
        put(out, &[self.pswpin, self.pswpout])
    }
}

impl Counters for StatsPaging {
    const META: &'static Meta = &Meta {
        attrs: " per=\"second\"",
        ..crate::rate_meta!(
            "paging",
            [
                "pgpgin/s",
                "pgpgout/s",
                "fault/s",
                "majflt/s",
                "pgfree/s",
                "pgscank/s",
                "pgscand/s",
                "pgsteal/s",
                "pgprom/s",
                "pgdem/s",
            ]
        )
    };
    const NARROW: bool = false;
    fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize {
        put(
            out,
            &[
                self.pgpgin,
                self.pgpgout,
                self.pgfault,
                self.pgmajfault,
                self.pgfree,
                self.pgscan_kswapd,
                self.pgscan_direct,
                self.pgsteal,
                self.pgpromote,
                self.pgdemote,
            ],
        )
    }
}

const IO_COLS: &[Col] = &[
    f("tps", "tps"),
    f("rtps", "io-reads/rtps"),
    f("wtps", "io-writes/wtps"),
    f("dtps", "io-discard/dtps"),
    f("bread/s", "io-reads/bread"),
    f("bwrtn/s", "io-writes/bwrtn"),
    f("bdscd/s", "io-discard/bdscd"),
];

impl Counters for StatsIo {
    /// JSON `"io": {"tps": 1, "io-reads": {"rtps": 1, "bread": 1}, ...}`; XML
    /// `<io per="second"><tps>1</tps><io-reads rtps="1" bread="1"/>...</io>`.
    const META: &'static Meta = &Meta {
        fields: crate::fields!("", IO_COLS),
        tag: "io",
        item_tag: "io",
        attrs: " per=\"second\"",
        order: &[0, 1, 4, 2, 5, 3, 6],
        cols: IO_COLS,
        elements: true,
        ..Meta::EMPTY
    };
    const NARROW: bool = false;
    // Unmounted devices make totals go backwards: shown as zero.
    const CLAMP: bool = true;
    fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize {
        put(
            out,
            &[
                self.dk_drive,
                self.dk_drive_rio,
                self.dk_drive_wio,
                self.dk_drive_dio,
                self.dk_drive_rblk,
                self.dk_drive_wblk,
                self.dk_drive_dblk,
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_columns() {
        fn check<T: Counters>() {
            let mut v = [0u64; MAX_COUNTERS];
            assert_eq!(T::default().counters(&mut v), T::META.cols.len());
        }
        check::<StatsSwap>();
        check::<StatsPaging>();
        check::<StatsIo>();
    }
}
