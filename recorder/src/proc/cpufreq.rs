//! /sys/devices/system/cpu/cpuN/cpufreq/stats/time_in_state (A_PWR_FREQ):
//! "frequency time" lines, time in 10 ms units.

use sarkit_format::stats::StatsPwrWghfreq;

use super::scan::{fgets_lines, Scan};

const LINE: usize = 128;

/// Frequencies listed for one CPU (sadc sizes A_PWR_FREQ on CPU 0's file).
pub fn count(data: &[u8]) -> u32 {
    fgets_lines(data, LINE).count() as u32
}

/// The first `nr2` states of one CPU; fields that do not parse keep the
/// previous line's values, as in sadc.
pub fn parse(data: &[u8], nr2: u32) -> Vec<StatsPwrWghfreq> {
    let mut v = vec![StatsPwrWghfreq::default(); nr2 as usize];
    let (mut freq, mut time) = (0u64, 0u64);
    for (j, line) in fgets_lines(data, LINE).enumerate() {
        let mut s = Scan::new(line);
        if let Some(f) = s.u64() {
            freq = f;
            if let Some(t) = s.u64() {
                time = t;
            }
        }
        if let Some(slot) = v.get_mut(j) {
            *slot = StatsPwrWghfreq { freq, time_in_state: time };
        }
    }
    v
}

/// The matrix: "all" (CPU 0's frequencies, mean time) then each CPU, for
/// CPUs 0, 1, … until one has no file. Empty when CPU 0 has none.
pub fn matrix(per_cpu: &[Vec<StatsPwrWghfreq>], nr2: u32) -> Vec<StatsPwrWghfreq> {
    let n = per_cpu.len() as u64;
    if n == 0 {
        return Vec::new();
    }
    let mut all = vec![StatsPwrWghfreq::default(); nr2 as usize];
    for (j, a) in all.iter_mut().enumerate() {
        a.freq = per_cpu.first().and_then(|c| c.get(j)).map_or(0, |s| s.freq);
        let sum = per_cpu.iter().filter_map(|c| c.get(j)).fold(0u64, |t, s| t.wrapping_add(s.time_in_state));
        a.time_in_state = sum / n;
    }
    let mut out = all;
    for c in per_cpu {
        let mut row = c.clone();
        row.resize(nr2 as usize, StatsPwrWghfreq::default());
        out.extend(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_states_and_averages() {
        let d0 = b"3000000 100\n2000000 50\n";
        let d1 = b"3000000 300\n2000000 x\n1000000 7\n";
        assert_eq!(count(d1), 3);
        let c0 = parse(d0, 2);
        let c1 = parse(d1, 2);
        assert_eq!(c1[1], StatsPwrWghfreq { freq: 2000000, time_in_state: 300 });
        let m = matrix(&[c0, c1], 2);
        assert_eq!(m.len(), 6);
        assert_eq!((m[0].freq, m[0].time_in_state, m[1].time_in_state), (3000000, 200, 175));
        assert!(matrix(&[], 2).is_empty());
    }

    #[test]
    fn malformed_lines_do_not_panic() {
        assert_eq!(parse(b"x\n\n", 1), vec![StatsPwrWghfreq::default()]);
        assert!(parse(b"1 2", 0).is_empty());
    }
}
