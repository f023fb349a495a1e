//! /proc/net/softnet_stat (A_NET_SOFT): one hexadecimal line per online CPU.

use sarkit_format::stats::StatsSoftnet;

use super::scan::{fgets_lines, Scan};

const LINE: usize = 1024;

/// CPU items the file itself calls for: the highest CPU number its lines
/// carry (Linux 5.10 on) plus two, or 0 when no line carries one. sadc
/// sizes A_NET_SOFT on /proc/stat alone and drops lines of CPUs beyond it.
/// CPU numbers from `NR_CPUS` on are ignored, as `parse` ignores them.
pub fn cpu_items(data: &[u8]) -> u32 {
    fgets_lines(data, LINE)
        .filter_map(|line| {
            let mut s = Scan::new(line);
            let fields: Vec<u64> = std::iter::from_fn(|| s.hex()).take(13).collect();
            // parse() takes the CPU number as a 32-bit value too.
            (fields.len() == 13).then(|| fields[12] as u32).filter(|&cpu| cpu < super::stat::NR_CPUS)
        })
        .max()
        .map_or(0, |highest| highest + 2)
}

/// The A_NET_SOFT items: "all" (left zero; readers sum the CPUs) then one
/// per CPU, `nr` items in all. Lines carry their CPU number from Linux
/// 5.10 on; older lines are given to the next online CPU in turn.
pub fn parse(data: &[u8], online: &[bool], nr: u32) -> Vec<StatsSoftnet> {
    let mut v = vec![StatsSoftnet::default(); nr as usize];
    let mut cpu = 1usize;
    // Fields a short line lacks keep their previous values, as in sadc.
    let mut cur = StatsSoftnet::default();
    let limit = super::stat::NR_CPUS as usize + 1;
    for line in fgets_lines(data, LINE) {
        let mut s = Scan::new(line);
        cur.backlog_len = 0;
        let mut n = 0;
        let mut cpu_id = None;
        for i in 0..13 {
            let Some(x) = s.hex() else { break };
            let x = x as u32;
            match i {
                0 => cur.processed = x,
                1 => cur.dropped = x,
                2 => cur.time_squeeze = x,
                9 => cur.received_rps = x,
                10 => cur.flow_limit = x,
                11 => cur.backlog_len = x,
                12 => cpu_id = Some(x as usize),
                _ => {}
            }
            n = i + 1;
        }
        if n == 0 && line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match cpu_id {
            Some(id) => cpu = id.saturating_add(1),
            None => {
                while cpu < limit && !online.get(cpu - 1).copied().unwrap_or(false) {
                    cpu += 1;
                }
            }
        }
        if cpu >= limit {
            break;
        }
        if let Some(slot) = v.get_mut(cpu) {
            *slot = cur;
        }
        cpu += 1;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(p: u32, cpu: Option<u32>) -> String {
        let mut s = format!("{p:08x} 00000001 00000002 0 0 0 0 0 0 00000003 00000004");
        if let Some(c) = cpu {
            s += &format!(" 00000005 {c:08x}");
        }
        s + "\n"
    }

    #[test]
    fn lines_with_cpu_numbers_go_to_their_cpu() {
        let data = line(16, Some(0)) + &line(32, Some(2));
        let v = parse(data.as_bytes(), &[true, false, true], 4);
        assert_eq!(v.len(), 4);
        assert_eq!(v[0], StatsSoftnet::default());
        assert_eq!((v[1].processed, v[1].dropped, v[1].time_squeeze), (16, 1, 2));
        assert_eq!((v[1].received_rps, v[1].flow_limit, v[1].backlog_len), (3, 4, 5));
        assert_eq!(v[2], StatsSoftnet::default());
        assert_eq!(v[3].processed, 32);
    }

    #[test]
    fn cpu_numbers_give_the_item_count() {
        let data = line(16, Some(0)) + &line(32, Some(5));
        assert_eq!(cpu_items(data.as_bytes()), 7);
        assert_eq!(cpu_items((line(16, None) + &line(1, None)).as_bytes()), 0);
        assert_eq!(cpu_items(b"zz\n"), 0);
        assert_eq!(cpu_items(line(1, Some(0xffff_ffff)).as_bytes()), 0);
        let v = parse(data.as_bytes(), &[true], 7);
        assert_eq!(v[6].processed, 32);
    }

    #[test]
    fn old_lines_skip_offline_cpus() {
        let data = line(16, None) + &line(32, None);
        let v = parse(data.as_bytes(), &[true, false, true], 4);
        assert_eq!((v[1].processed, v[2].processed, v[3].processed), (16, 0, 32));
        assert_eq!(v[3].backlog_len, 0);
    }

    #[test]
    fn malformed_lines_do_not_panic() {
        let v = parse(b"zz\n\n", &[true], 2);
        assert_eq!(v.len(), 2);
        assert!(parse(b"1 2 3", &[], 0).is_empty());
        let v = parse(line(1, Some(0xffff_ffff)).as_bytes(), &[true], 2);
        assert_eq!(v[1], StatsSoftnet::default());
    }
}
