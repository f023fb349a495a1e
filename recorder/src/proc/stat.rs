//! /proc/stat: CPU times (A_CPU), context switches and forks (A_PCSW),
//! blocked tasks (A_QUEUE), and the online CPU list A_NET_SOFT relies on.

use sarkit_format::stats::StatsCpu;

use super::scan::{fgets_lines, from, Scan};

/// sadc's line buffer for /proc/stat.
const LINE: usize = 8192;
/// CPU numbers at or above this are ignored (sysstat's `NR_CPUS`).
pub const NR_CPUS: u32 = 8192;

/// What sadc takes from /proc/stat.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcStat {
    /// The `cpu` line (all CPUs).
    pub all: Option<StatsCpu>,
    /// The `cpuN` lines, in file order: offline CPUs have none.
    pub cpus: Vec<(u32, StatsCpu)>,
    pub ctxt: Option<u64>,
    pub processes: Option<u64>,
    pub procs_running: Option<u64>,
    pub procs_blocked: Option<u64>,
    pub btime: Option<u64>,
    /// First number of the `intr` line: interrupts since boot.
    pub intr: Option<u64>,
}

/// Fields absent on old kernels (steal, guest, guest_nice) stay zero.
fn cpu_times(s: &mut Scan<'_>) -> StatsCpu {
    let (v, _) = s.first_u64s::<10>();
    let f = |i: usize| v[i];
    StatsCpu {
        cpu_user: f(0),
        cpu_nice: f(1),
        cpu_sys: f(2),
        cpu_idle: f(3),
        cpu_iowait: f(4),
        cpu_hardirq: f(5),
        cpu_softirq: f(6),
        cpu_steal: f(7),
        cpu_guest: f(8),
        cpu_guest_nice: f(9),
    }
}

fn first_number(line: &[u8], key: &str) -> Option<u64> {
    Scan::new(from(line, key.len())).u64()
}

pub fn parse(data: &[u8]) -> ProcStat {
    let mut st = ProcStat::default();
    for line in fgets_lines(data, LINE) {
        if line.starts_with(b"cpu ") {
            st.all = Some(cpu_times(&mut Scan::new(from(line, 4))));
        } else if line.starts_with(b"cpu") && line.get(3).is_some_and(u8::is_ascii_digit) {
            let mut s = Scan::new(from(line, 3));
            match s.u64() {
                Some(n) if n < u64::from(NR_CPUS) => st.cpus.push((n as u32, cpu_times(&mut s))),
                _ => {}
            }
        } else {
            let keyed = [
                ("ctxt ", &mut st.ctxt),
                ("processes ", &mut st.processes),
                ("procs_running ", &mut st.procs_running),
                ("procs_blocked ", &mut st.procs_blocked),
                ("btime ", &mut st.btime),
                ("intr ", &mut st.intr),
            ];
            if let Some((key, slot)) = keyed.into_iter().find(|(key, _)| line.starts_with(key.as_bytes())) {
                *slot = first_number(line, key);
            }
        }
    }
    st
}

impl ProcStat {
    /// The A_CPU items as sadc records them: "all" first, then one per CPU
    /// up to the highest online one; offline CPUs below it are zero.
    pub fn cpu_items(&self) -> Vec<StatsCpu> {
        let highest = self.cpus.iter().map(|&(n, _)| n as usize + 2).max().unwrap_or(0);
        let len = highest.max(usize::from(self.all.is_some()));
        let mut v = vec![StatsCpu::default(); len];
        if let (Some(a), Some(slot)) = (self.all, v.first_mut()) {
            *slot = a;
        }
        for &(n, c) in &self.cpus {
            if let Some(slot) = v.get_mut(n as usize + 1) {
                *slot = c;
            }
        }
        v
    }

    /// CPU count from /proc/stat when /sys is absent: highest CPU plus one.
    pub fn cpu_count(&self) -> u32 {
        self.cpus.iter().map(|&(n, _)| n + 1).max().unwrap_or(0)
    }

    /// Online CPUs, and the A_NET_SOFT item count sadc derives from the
    /// last `cpuN` line (its number plus two), or 0 without such lines.
    pub fn online_cpus(&self) -> (Vec<bool>, u32) {
        let mut online = vec![false; self.cpu_count() as usize];
        for &(n, _) in &self.cpus {
            if let Some(b) = online.get_mut(n as usize) {
                *b = true;
            }
        }
        let nr = self.cpus.last().map_or(0, |&(n, _)| n + 2);
        (online, nr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &[u8] = b"cpu  10 20 30 40 50 60 70 80 90 100\n\
cpu0 1 2 3 4 5 6 7 8 9 10\n\
cpu2 11 12 13 14 15 16 17\n\
intr 95105080 8 0 0\n\
ctxt 130465866\n\
btime 1555568347\n\
processes 46972\n\
procs_running 2\n\
procs_blocked 1\n";

    #[test]
    fn reads_cpus_and_counters() {
        let st = parse(STAT);
        let all = st.all.unwrap();
        assert_eq!((all.cpu_user, all.cpu_hardirq, all.cpu_steal, all.cpu_guest_nice), (10, 60, 80, 100));
        assert_eq!(st.cpus.len(), 2);
        assert_eq!((st.ctxt, st.processes, st.procs_blocked), (Some(130465866), Some(46972), Some(1)));
        assert_eq!((st.btime, st.intr, st.procs_running), (Some(1555568347), Some(95105080), Some(2)));
    }

    #[test]
    fn offline_cpus_are_zero_and_old_kernels_lack_steal() {
        let items = parse(STAT).cpu_items();
        assert_eq!(items.len(), 4);
        assert_eq!(items[2], StatsCpu::default());
        assert_eq!(items[3].cpu_softirq, 17);
        assert_eq!(items[3].cpu_steal, 0);
        let (online, nr) = parse(STAT).online_cpus();
        assert_eq!(online, vec![true, false, true]);
        assert_eq!(nr, 4);
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let st = parse(b"cpu\ncpux 1 2\ncpu99999999999 1\ncpu1 a\nctxt\n\xff\xfe\n");
        assert_eq!(st.all, None);
        assert_eq!(st.cpus, vec![(1, StatsCpu::default())]);
        assert_eq!(st.ctxt, None);
        assert_eq!(parse(b"").cpu_items(), vec![]);
    }
}
