//! /proc/net/dev (A_NET_DEV, A_NET_EDEV) and the link speed and duplex
//! from /sys/class/net/IFACE.

use sarkit_format::stats::{StatsNetDev, StatsNetEdev};

use super::scan::{c_chars, fgets_lines, from, Scan};

/// sadc counts interfaces with a short buffer and reads with a longer one.
const COUNT_LINE: usize = 128;
const LINE: usize = 256;
/// Interface names are cut to this length minus one (`MAX_IFACE_LEN`).
const MAX_IFACE_LEN: usize = 16;

/// `duplex` codes as sysstat stores them.
pub const C_DUPLEX_HALF: u8 = 1;
pub const C_DUPLEX_FULL: u8 = 2;

/// Interfaces: lines with a colon.
pub fn count(data: &[u8]) -> u32 {
    fgets_lines(data, COUNT_LINE).filter(|l| l.contains(&b':')).count() as u32
}

/// Numbers used from a line: the kernel writes 16.
const FIELDS: usize = 16;

/// One interface: its name and the numbers after the colon (zero where
/// the line stops short).
fn interfaces(data: &[u8]) -> impl Iterator<Item = ([u8; MAX_IFACE_LEN], [u64; FIELDS])> + '_ {
    fgets_lines(data, LINE).filter_map(|line| {
        let colon = line.iter().position(|&c| c == b':')?;
        let head = &line[..colon.min(MAX_IFACE_LEN - 1)];
        let name = Scan::new(head).word(MAX_IFACE_LEN - 1).unwrap_or(&[]);
        Some((c_chars::<MAX_IFACE_LEN>(name).0, Scan::new(from(line, colon + 1)).first_u64s().0))
    })
}

/// Traffic per interface, in file order; speed and duplex are left zero.
pub fn parse_dev(data: &[u8]) -> Vec<StatsNetDev> {
    interfaces(data)
        .map(|(name, v)| {
            let f = |i: usize| v[i];
            StatsNetDev {
                rx_bytes: f(0),
                rx_packets: f(1),
                rx_compressed: f(6),
                multicast: f(7),
                tx_bytes: f(8),
                tx_packets: f(9),
                tx_compressed: f(15),
                interface: sarkit_format::stats::CChars(name),
                ..Default::default()
            }
        })
        .collect()
}

/// Errors per interface, in file order.
pub fn parse_edev(data: &[u8]) -> Vec<StatsNetEdev> {
    interfaces(data)
        .map(|(name, v)| {
            let f = |i: usize| v[i];
            StatsNetEdev {
                rx_errors: f(2),
                rx_dropped: f(3),
                rx_fifo_errors: f(4),
                rx_frame_errors: f(5),
                tx_errors: f(10),
                tx_dropped: f(11),
                tx_fifo_errors: f(12),
                collisions: f(13),
                tx_carrier_errors: f(14),
                interface: sarkit_format::stats::CChars(name),
            }
        })
        .collect()
}

/// /sys/class/net/IFACE/duplex: "full" or "half"; anything else is unknown.
pub fn parse_duplex(data: &[u8]) -> Option<u8> {
    match Scan::new(data).word(31)? {
        b"full" => Some(C_DUPLEX_FULL),
        b"half" => Some(C_DUPLEX_HALF),
        _ => None,
    }
}

/// /sys/class/net/IFACE/speed in Mb/s; unreadable (e.g. "-1" on a link
/// that is down) is whatever `%u` makes of it, as in sadc.
pub fn parse_speed(data: &[u8]) -> Option<u32> {
    Scan::new(data).u32()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV: &[u8] = b"Inter-|   Receive                                                |  Transmit\n \
face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    \
lo: 81228574   95831    0    0    0     0          0         0 81228574   95831    0    0    0     0       0          0\n\
enp6s0: 205916976  167307    1    2    3     4          5      2891 10811120   54567    6    7    8     9       10          11\n\
averyveryverylongname: 1 2\n";

    #[test]
    fn counts_and_reads_interfaces() {
        assert_eq!(count(DEV), 3);
        let d = parse_dev(DEV);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].interface.to_str_lossy(), "lo");
        let e = &d[1];
        assert_eq!((e.rx_bytes, e.rx_packets, e.rx_compressed, e.multicast), (205916976, 167307, 5, 2891));
        assert_eq!((e.tx_bytes, e.tx_packets, e.tx_compressed), (10811120, 54567, 11));
        assert_eq!(d[2].interface.to_str_lossy(), "averyveryverylo");
        assert_eq!((d[2].rx_bytes, d[2].tx_bytes), (1, 0));
        let x = parse_edev(DEV)[1];
        assert_eq!((x.rx_errors, x.rx_dropped, x.rx_fifo_errors, x.rx_frame_errors), (1, 2, 3, 4));
        assert_eq!((x.tx_errors, x.tx_dropped, x.tx_fifo_errors, x.collisions, x.tx_carrier_errors), (6, 7, 8, 9, 10));
    }

    #[test]
    fn speed_and_duplex() {
        assert_eq!(parse_duplex(b"full\n"), Some(C_DUPLEX_FULL));
        assert_eq!(parse_duplex(b"half"), Some(C_DUPLEX_HALF));
        assert_eq!(parse_duplex(b"unknown\n"), None);
        assert_eq!(parse_duplex(b""), None);
        assert_eq!(parse_speed(b"1000\n"), Some(1000));
        assert_eq!(parse_speed(b"-1\n"), Some(u32::MAX));
        assert_eq!(parse_speed(b"x"), None);
    }

    #[test]
    fn malformed_lines_are_skipped_or_partial() {
        assert!(parse_dev(b"no colon here\n\n").is_empty());
        let d = parse_dev(b":  \n");
        assert_eq!((d.len(), d[0].interface.to_str_lossy().len()), (1, 0));
    }
}
