//! /proc/meminfo: A_MEMORY and A_HUGE, in kB.

use sarkit_format::stats::{StatsHuge, StatsMemory};

use super::scan::{fgets_lines, from, Scan};

const LINE: usize = 128;

pub fn parse(data: &[u8]) -> (StatsMemory, StatsHuge) {
    let mut m = StatsMemory::default();
    let mut h = StatsHuge::default();
    let mut page_kb = 0u64;
    for line in fgets_lines(data, LINE) {
        let Some(colon) = line.iter().position(|&c| c == b':') else { continue };
        let key = &line[..colon];
        let value = || Scan::new(from(line, colon + 1)).u64();
        // Keys match whole, as sadc matches "Key:" prefixes.
        let slot: Option<&mut u64> = match key {
            b"MemTotal" => Some(&mut m.tlmkb),
            b"MemFree" => Some(&mut m.frmkb),
            b"MemAvailable" => Some(&mut m.availablekb),
            b"Buffers" => Some(&mut m.bufkb),
            b"Cached" => Some(&mut m.camkb),
            b"SwapCached" => Some(&mut m.caskb),
            b"Active" => Some(&mut m.activekb),
            b"Inactive" => Some(&mut m.inactkb),
            b"SwapTotal" => Some(&mut m.tlskb),
            b"SwapFree" => Some(&mut m.frskb),
            b"Dirty" => Some(&mut m.dirtykb),
            b"Shmem" => Some(&mut m.shmemkb),
            b"Committed_AS" => Some(&mut m.comkb),
            b"AnonPages" => Some(&mut m.anonpgkb),
            b"Slab" => Some(&mut m.slabkb),
            b"KernelStack" => Some(&mut m.kstackkb),
            b"PageTables" => Some(&mut m.pgtblkb),
            b"VmallocUsed" => Some(&mut m.vmusedkb),
            b"HugePages_Total" => Some(&mut h.tlhkb),
            b"HugePages_Free" => Some(&mut h.frhkb),
            b"HugePages_Rsvd" => Some(&mut h.rsvdhkb),
            b"HugePages_Surp" => Some(&mut h.surphkb),
            b"Hugepagesize" => Some(&mut page_kb),
            _ => None,
        };
        if let (Some(slot), Some(v)) = (slot, value()) {
            *slot = v;
        }
    }
    // Kernels before 3.14 have no MemAvailable.
    if m.availablekb == 0 {
        m.availablekb = m.frmkb;
    }
    // Huge page counts become kB.
    for v in [&mut h.tlhkb, &mut h.frhkb, &mut h.rsvdhkb, &mut h.surphkb] {
        *v = v.wrapping_mul(page_kb);
    }
    (m, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_memory_and_huge_pages() {
        let (m, h) = parse(
            b"MemTotal:        8155312 kB\nMemFree:         1437740 kB\nActive(anon):  5 kB\n\
Active:          4042384 kB\nShmem:             87980 kB\nHugePages_Total:       4\n\
HugePages_Free:        2\nHugepagesize:       2048 kB\nVmallocUsed: 12 kB\n",
        );
        assert_eq!((m.tlmkb, m.frmkb, m.activekb, m.shmemkb, m.vmusedkb), (8155312, 1437740, 4042384, 87980, 12));
        assert_eq!(m.availablekb, 1437740, "MemAvailable defaults to MemFree");
        assert_eq!((h.tlhkb, h.frhkb, h.rsvdhkb), (8192, 4096, 0));
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let (m, _) = parse(b"MemTotal: x kB\nMemFree\n:\nMemAvailable: 7\n\xff\n");
        assert_eq!((m.tlmkb, m.frmkb, m.availablekb), (0, 0, 7));
    }
}
