//! /proc/cpuinfo (A_PWR_CPU): each CPU's clock, in MHz × 100.

use sarkit_format::stats::StatsPwrCpufreq;

use super::scan::{fgets_lines, from, Scan};

const LINE: usize = 1024;

/// Items: "all" (the mean over CPUs that report a clock) then one per CPU
/// up to the highest reporting one; at least the "all" item.
pub fn parse(data: &[u8]) -> Vec<StatsPwrCpufreq> {
    let mut v = vec![StatsPwrCpufreq::default()];
    let (mut cpu, mut nr, mut sum) = (0usize, 0u64, 0u64);
    // A clock that does not parse reuses the last one read, as in sadc.
    let (mut ifreq, mut dfreq) = (0u32, 0u32);
    let limit = super::stat::NR_CPUS as usize;
    for line in fgets_lines(data, LINE) {
        let after_colon = || line.iter().position(|&c| c == b':').map(|p| from(line, p + 1));
        if line.starts_with(b"processor\t") {
            if let Some(n) = after_colon().and_then(|s| Scan::new(s).u32()) {
                cpu = n as usize;
            }
            if cpu >= limit {
                break;
            }
        } else if line.starts_with(b"cpu MHz\t") || line.starts_with(b"clock\t") {
            let Some(s) = after_colon() else { continue };
            let mut s = Scan::new(s);
            if let Some(i) = s.u32() {
                ifreq = i;
                if s.lit(".") {
                    if let Some(d) = s.u32() {
                        dfreq = d;
                    }
                }
            }
            let f = u64::from(ifreq.wrapping_mul(100).wrapping_add(dfreq / 10));
            if v.len() < cpu + 2 {
                v.resize(cpu + 2, StatsPwrCpufreq::default());
            }
            if let Some(slot) = v.get_mut(cpu + 1) {
                slot.cpufreq = f;
            }
            sum = sum.wrapping_add(f);
            nr += 1;
        }
    }
    if let (Some(all), true) = (v.first_mut(), nr > 0) {
        all.cpufreq = sum / nr;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_clocks_per_cpu() {
        let v = parse(b"processor\t: 0\ncpu MHz\t\t: 2394.454\nprocessor\t: 2\ncpu MHz\t\t: 1200.000\n");
        let f: Vec<u64> = v.iter().map(|s| s.cpufreq).collect();
        assert_eq!(f, vec![(239445 + 120000) / 2, 239445, 0, 120000]);
    }

    #[test]
    fn without_clocks_only_all_remains() {
        assert_eq!(parse(b"processor\t: 0\nmodel name\t: x\n"), vec![StatsPwrCpufreq::default()]);
        assert_eq!(parse(b"cpu MHz\t no colon\n").len(), 1);
    }
}
