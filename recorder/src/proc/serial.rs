//! /proc/tty/driver/serial (A_SERIAL): one item per line with a "tx:" counter.

use sarkit_format::stats::StatsSerial;

use super::scan::{fgets_lines, from, Scan};

const LINE: usize = 256;

fn find(line: &[u8], key: &[u8]) -> Option<u32> {
    let p = line.windows(key.len()).position(|w| w == key)?;
    Scan::new(from(line, p + key.len())).u32()
}

/// Serial lines: unknown UARTs have no counters and are not counted.
pub fn count(data: &[u8]) -> u32 {
    fgets_lines(data, LINE).filter(|l| l.windows(3).any(|w| w == b"tx:")).count() as u32
}

pub fn parse(data: &[u8]) -> Vec<StatsSerial> {
    fgets_lines(data, LINE)
        .filter(|l| l.windows(3).any(|w| w == b"tx:"))
        .map(|l| StatsSerial {
            line: Scan::new(l).u32().unwrap_or(0),
            tx: find(l, b"tx:").unwrap_or(0),
            rx: find(l, b"rx:").unwrap_or(0),
            frame: find(l, b"fe:").unwrap_or(0),
            parity: find(l, b"pe:").unwrap_or(0),
            brk: find(l, b"brk:").unwrap_or(0),
            overrun: find(l, b"oe:").unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIAL: &[u8] = b"serinfo:1.0 driver revision:\n\
0: uart:16650V2 port:000003F8 irq:4 tx:14323 rx:32543 fe:123 pe:124 brk:42 oe:13\n\
1: uart:16550A port:000002F8 irq:3 tx:0 rx:0\n\
2: uart:unknown port:000003E8 irq:4\n";

    #[test]
    fn reads_lines_with_counters() {
        assert_eq!(count(SERIAL), 2);
        let v = parse(SERIAL);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].line, v[0].tx, v[0].rx, v[0].frame, v[0].parity, v[0].brk, v[0].overrun),
            (0, 14323, 32543, 123, 124, 42, 13)
        );
        assert_eq!((v[1].line, v[1].frame), (1, 0));
    }

    #[test]
    fn malformed_lines_give_zeros() {
        let v = parse(b"x tx:y\n");
        assert_eq!(v, vec![StatsSerial::default()]);
        assert!(parse(b"").is_empty());
    }
}
