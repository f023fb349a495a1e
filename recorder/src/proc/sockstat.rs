//! /proc/net/sockstat (A_NET_SOCK) and /proc/net/sockstat6 (A_NET_SOCK6).

use sarkit_format::stats::{StatsNetSock, StatsNetSock6};

use super::scan::{fgets_lines, Scan};

const LINE: usize = 96;

/// A line "PROTO: key value key value …" as (proto, the rest).
fn pairs(line: &[u8]) -> Option<(&[u8], Scan<'_>)> {
    let mut s = Scan::new(line);
    let proto = s.word(usize::MAX)?;
    Some((proto, s))
}

/// The value of `key` among the pairs, which end at the first that does not parse.
fn get(kv: &Scan<'_>, key: &[u8]) -> Option<u32> {
    let mut s = kv.clone();
    std::iter::from_fn(|| Some((s.word(usize::MAX)?, s.u32()?))).find(|(k, _)| *k == key).map(|(_, v)| v)
}

pub fn parse(data: &[u8]) -> StatsNetSock {
    let mut s = StatsNetSock::default();
    for line in fgets_lines(data, LINE) {
        let Some((proto, kv)) = pairs(line) else { continue };
        let inuse = get(&kv, b"inuse");
        let slot = match proto {
            b"sockets:" => {
                s.sock_inuse = get(&kv, b"used").unwrap_or(s.sock_inuse);
                continue;
            }
            b"TCP:" => {
                s.tcp_tw = get(&kv, b"tw").unwrap_or(s.tcp_tw);
                &mut s.tcp_inuse
            }
            b"UDP:" => &mut s.udp_inuse,
            b"RAW:" => &mut s.raw_inuse,
            b"FRAG:" => &mut s.frag_inuse,
            _ => continue,
        };
        *slot = inuse.unwrap_or(*slot);
    }
    s
}

pub fn parse6(data: &[u8]) -> StatsNetSock6 {
    let mut s = StatsNetSock6::default();
    for line in fgets_lines(data, LINE) {
        let Some((proto, kv)) = pairs(line) else { continue };
        let slot = match proto {
            b"TCP6:" => &mut s.tcp6_inuse,
            b"UDP6:" => &mut s.udp6_inuse,
            b"RAW6:" => &mut s.raw6_inuse,
            b"FRAG6:" => &mut s.frag6_inuse,
            _ => continue,
        };
        *slot = get(&kv, b"inuse").unwrap_or(*slot);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sockets_in_use() {
        let s = parse(
            b"sockets: used 1024\nTCP: inuse 50 orphan 1 tw 7 alloc 60 mem 3\nUDP: inuse 9 mem 2\n\
UDPLITE: inuse 0\nRAW: inuse 1\nFRAG: inuse 2 memory 0\n",
        );
        assert_eq!(
            (s.sock_inuse, s.tcp_inuse, s.tcp_tw, s.udp_inuse, s.raw_inuse, s.frag_inuse),
            (1024, 50, 7, 9, 1, 2)
        );
        let s6 = parse6(b"TCP6: inuse 4\nUDP6: inuse 5\nUDPLITE6: inuse 0\nRAW6: inuse 6\nFRAG6: inuse 7 memory 0\n");
        assert_eq!((s6.tcp6_inuse, s6.udp6_inuse, s6.raw6_inuse, s6.frag6_inuse), (4, 5, 6, 7));
    }

    #[test]
    fn malformed_lines_are_skipped() {
        assert_eq!(parse(b"TCP: inuse\nsockets:\n\nUDP: inuse x\n"), StatsNetSock::default());
        assert_eq!(parse6(b"TCP6 inuse 3\n"), StatsNetSock6::default());
    }
}
