//! Samples for a live report (`rsar 1 5` without a file): the same sources
//! as the recorder, paced by the wall clock, handed out rather than written.

use std::io;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sarkit_format::Sample;

use crate::source::SampleSource;

/// Take `count` samples (`None`: without end), `interval` apart, sleeping
/// in between. The first is taken at once. Sleeps are measured from the
/// start, so the series does not drift with the time sampling takes.
pub fn live_samples<S: SampleSource>(
    mut source: S,
    interval: Duration,
    count: Option<u64>,
) -> impl Iterator<Item = io::Result<Sample>> {
    let start = Instant::now();
    let mut k: u64 = 0;
    std::iter::from_fn(move || {
        if count.is_some_and(|c| k >= c) {
            return None;
        }
        if k > 0 {
            let due = start + interval.saturating_mul(k.min(u32::MAX as u64) as u32);
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
        }
        k += 1;
        let t = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Some(source.sample(t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::Synthetic;

    #[test]
    fn takes_count_samples_spaced_by_interval() {
        let t0 = Instant::now();
        let v: Vec<_> = live_samples(Synthetic::new(1, 1, 1), Duration::from_millis(20), Some(3)).collect();
        assert_eq!(v.len(), 3);
        assert!(v.iter().all(|s| s.is_ok()));
        assert!(t0.elapsed() >= Duration::from_millis(40));
    }
}
