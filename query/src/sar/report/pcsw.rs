//! Task creation and context switches (`-w`): a [`Rates`] report.

use sarkit_format::stats::StatsPcsw;

use super::rates::{Counters, Rates, MAX_COUNTERS};
use super::values::Meta;

/// `-w`'s report.
pub type Pcsw = Rates<StatsPcsw>;

impl Counters for StatsPcsw {
    const META: &'static Meta =
        &Meta { attrs: " per=\"second\"", ..crate::rate_meta!("process-and-context-switch", ["proc/s", "cswch/s"]) };
    const NARROW: bool = false;
    fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize {
        out[..2].copy_from_slice(&[self.processes, self.context_switch]);
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::report::{Ctx, Report};

    #[test]
    fn rates_per_second() {
        let mut r = Pcsw::new();
        let rec0 = StatsPcsw { context_switch: 1000, processes: 10 };
        let rec1 = StatsPcsw { context_switch: 3000, processes: 30 };
        r.set_sample(0, rec0);
        r.set_sample(1, rec1);
        let mut out = Vec::new();
        let mut cx = Ctx::plain(&mut out, ["a", "12:00:00"], false, 0);
        r.print(&mut cx, 0, 1, 1000).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "12:00:00         2.00    200.00\n");
    }
}
