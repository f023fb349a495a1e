//! /proc/interrupts for A_IRQ, a matrix in 12.7: one item per CPU ("all"
//! first), each holding one structure per interrupt with "sum" first.

use sarkit_format::stats::StatsIrq;

use super::scan::{c_chars, fgets_lines, from};

/// sadc's line buffer: this much plus 11 bytes per CPU.
const INTERRUPTS_LINE: usize = 128;
/// Interrupt names are cut to this length minus one (`MAX_SA_IRQ_LEN`).
const MAX_SA_IRQ_LEN: usize = 8;
/// Most interrupts sadc counts (the size of its CPU bitmap).
pub const MAX_IRQ: u32 = 8192;

fn line_size(cpu_nr: usize) -> usize {
    INTERRUPTS_LINE + 11 * cpu_nr.max(1)
}

/// Interrupt lines: those with a colon after 1 to 15 leading bytes.
/// `cpu_nr` is the CPU count, which sizes sadc's line buffer.
pub fn count(data: &[u8], cpu_nr: usize) -> u32 {
    let n = fgets_lines(data, line_size(cpu_nr))
        .filter(|l| l.iter().position(|&c| c == b':').is_some_and(|p| p > 0 && p < 16))
        .count();
    (n as u32).min(MAX_IRQ)
}

/// The A_IRQ sub-item count sadc declares: interrupts plus one for "sum",
/// or 0 without interrupts.
pub fn nr2(data: &[u8], cpu_nr: usize) -> u32 {
    match count(data, cpu_nr) {
        0 => 0,
        n => n + 1,
    }
}

/// CPU items /proc/interrupts itself calls for: the highest CPU of its
/// header line plus two ("all" first), or 0 without a header. sadc reads
/// only as many header columns as the machine's CPU count (from /sys) and
/// would drop the others, so this is what sizes A_IRQ instead. CPU numbers
/// from `NR_CPUS` on are ignored.
pub fn cpu_items(data: &[u8]) -> u32 {
    let header = data
        .split(|&c| c == b'\n')
        .map(|l| header_cpus(l, super::stat::NR_CPUS as usize))
        .find(|cpus| !cpus.is_empty());
    let nr_cpus = super::stat::NR_CPUS as usize;
    header.and_then(|cpus| cpus.into_iter().filter(|&c| c < nr_cpus).max()).map_or(0, |highest| highest as u32 + 2)
}

/// `strtoul` on a per-CPU column: no digits leaves the cursor in place.
fn column(sc: &mut super::scan::Scan<'_>) -> u32 {
    let before = sc.clone();
    sc.u64().map_or_else(
        || {
            *sc = before;
            0
        },
        |v| v as u32,
    )
}

/// CPU numbers of the header line, at most `max` of them.
fn header_cpus(line: &[u8], max: usize) -> Vec<usize> {
    let mut cpus = Vec::new();
    let mut rest = line;
    while cpus.len() < max {
        let Some(p) = rest.windows(3).position(|w| w == b"CPU") else { break };
        let mut sc = super::scan::Scan::new(from(rest, p + 3));
        let n = sc.u64().unwrap_or(0);
        rest = sc.rest();
        cpus.push(n.min(u64::from(MAX_IRQ) * 2) as usize);
    }
    cpus
}

/// One try with room for `nr_alloc` CPU items; `None` when a CPU does not fit.
fn read(data: &[u8], nr_int: usize, nr_alloc: usize) -> Option<Vec<StatsIrq>> {
    let cpu_nr = nr_alloc.saturating_sub(1).max(1);
    let mut lines = fgets_lines(data, line_size(cpu_nr));
    let mut cpus = Vec::new();
    for line in lines.by_ref() {
        cpus = header_cpus(line, cpu_nr);
        if cpus.iter().any(|&c| c + 2 > nr_alloc) {
            return None;
        }
        if !cpus.is_empty() {
            break;
        }
    }
    let Some(&last) = cpus.last() else { return Some(Vec::new()) };
    let items = last + 2;
    let mut v = vec![StatsIrq::default(); items * nr_int];
    if let Some(sum) = v.first_mut() {
        sum.irq_name = c_chars(b"sum");
    }
    let mut irq = 0;
    for line in lines {
        if irq + 1 >= nr_int {
            break;
        }
        let Some(colon) = line.iter().position(|&c| c == b':') else { continue };
        irq += 1;
        let name = line.iter().position(|&c| c != b' ').map_or(&[][..], |s| &line[s..]);
        let name = &name[..name.iter().position(|&c| c == b':').unwrap_or(name.len())];
        let name = &name[..name.len().min(MAX_SA_IRQ_LEN - 1)];
        let mut total = 0u32;
        let mut rest = super::scan::Scan::new(from(line, colon + 1));
        for &cpu in &cpus {
            let n = column(&mut rest);
            if let Some(s) = v.get_mut((cpu + 1) * nr_int + irq) {
                s.irq_nr = n;
            }
            if let Some(s) = v.get_mut((cpu + 1) * nr_int) {
                s.irq_nr = s.irq_nr.wrapping_add(n);
            }
            total = total.wrapping_add(n);
        }
        if let Some(s) = v.get_mut(irq) {
            s.irq_name = c_chars(name);
            s.irq_nr = total;
        }
        if let Some(sum) = v.first_mut() {
            sum.irq_nr = sum.irq_nr.wrapping_add(total);
        }
    }
    Some(v)
}

/// The A_IRQ structures: `items × nr_int`, CPU-major, "all" first. Items
/// run up to the highest CPU in the header, so CPUs that went offline
/// below it are zero. `nr_alloc` is the CPU item count sadc has room for
/// (it grows as needed, which only changes how long lines are cut).
pub fn parse(data: &[u8], nr_int: u32, nr_alloc: u32) -> Vec<StatsIrq> {
    let nr_int = nr_int as usize;
    if nr_int == 0 {
        return Vec::new();
    }
    let mut alloc = (nr_alloc as usize).max(1);
    loop {
        if let Some(v) = read(data, nr_int, alloc) {
            return v;
        }
        if alloc > 2 * super::stat::NR_CPUS as usize {
            return Vec::new();
        }
        alloc *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTR: &[u8] = b"           CPU0       CPU2\n\
  0:          8          1   IO-APIC   2-edge      timer\n\
  9:          0          5   IO-APIC   9-fasteoi   acpi\n\
NMI:          3          4   Non-maskable interrupts\n\
ERR:          7\n";

    fn name(s: &StatsIrq) -> String {
        s.irq_name.to_str_lossy().into_owned()
    }

    #[test]
    fn header_columns_size_the_cpu_items() {
        assert_eq!(cpu_items(INTR), 4);
        assert_eq!(cpu_items(b"no header\n0: 1\n"), 0);
        assert_eq!(cpu_items(b""), 0);
        let wide: String = (0..12).map(|c| format!("  CPU{c}")).collect::<String>() + "\n";
        assert_eq!(cpu_items(wide.as_bytes()), 13);
        assert_eq!(cpu_items(b"CPU99999999\n"), 0);
        assert_eq!(cpu_items(b"CPU0 CPU99999999\n"), 2);
    }

    #[test]
    fn counts_interrupt_lines() {
        assert_eq!(count(INTR, 2), 4);
        assert_eq!(nr2(INTR, 2), 5);
        assert_eq!(nr2(b"", 2), 0);
        assert_eq!(count(b"a very long name before the colon: 1\n:x\n", 1), 0);
    }

    #[test]
    fn builds_the_cpu_by_interrupt_matrix() {
        let v = parse(INTR, 5, 4);
        assert_eq!(v.len(), 4 * 5);
        // CPU "all": sum then each interrupt, named.
        assert_eq!((name(&v[0]), v[0].irq_nr), ("sum".into(), 28));
        assert_eq!((name(&v[1]), v[1].irq_nr), ("0".into(), 9));
        assert_eq!((name(&v[3]), v[3].irq_nr), ("NMI".into(), 7));
        assert_eq!((name(&v[4]), v[4].irq_nr), ("ERR".into(), 7));
        // CPU0: per-CPU sum, values, no names.
        assert_eq!(v[5].irq_nr, 8 + 3 + 7);
        assert_eq!((name(&v[6]), v[6].irq_nr), (String::new(), 8));
        // CPU1 is offline: zero.
        assert!(v[10..15].iter().all(|s| *s == StatsIrq::default()));
        // CPU2: the ERR line has a single column.
        assert_eq!(v[15].irq_nr, 1 + 5 + 4);
        assert_eq!(v[19].irq_nr, 0);
    }

    #[test]
    fn grows_for_cpus_beyond_the_allocation_and_truncates_names() {
        assert_eq!(parse(b"  CPU0 CPU5\nX: 1 2\n", 2, 2).len(), 2 * 2);
        let v = parse(b"  CPU0 CPU5\nLONGNAME99: 1 2\n", 2, 3);
        assert_eq!(v.len(), 7 * 2);
        assert_eq!(name(&v[1]), "LONGNAM");
        assert_eq!(v[13].irq_nr, 2);
    }

    #[test]
    fn malformed_input_gives_no_or_partial_items() {
        assert!(parse(b"", 3, 2).is_empty());
        assert!(parse(b"no header\n1: 2\n", 3, 2).is_empty());
        assert!(parse(INTR, 0, 2).is_empty());
        let v = parse(b"CPU0\n0: x 5\n", 2, 2);
        assert_eq!(v[1].irq_nr, 0);
    }
}
