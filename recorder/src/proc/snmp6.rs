//! /proc/net/snmp6: IPv6, ICMPv6 and UDPv6 counters, one "Name value" a line.

use sarkit_format::stats::*;

use super::scan::{fgets_lines, Scan};

const LINE: usize = 128;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snmp6 {
    pub ip6: StatsNetIp6,
    pub eip6: StatsNetEip6,
    pub icmp6: StatsNetIcmp6,
    pub eicmp6: StatsNetEicmp6,
    pub udp6: StatsNetUdp6,
}

macro_rules! fields {
    ($key:expr, $v:expr, $($name:literal => $slot:expr),* $(,)?) => {
        match $key { $($name => if let Some(v) = $v { $slot = v },)* _ => {} }
    };
}

pub fn parse(data: &[u8]) -> Snmp6 {
    let mut s = Snmp6::default();
    for line in fgets_lines(data, LINE) {
        let mut sc = Scan::new(line);
        let Some(key) = sc.word(usize::MAX) else { continue };
        // The value is read only for the counters kept; a line without one is skipped.
        fields!(key, sc.u64(),
            b"Ip6InReceives" => s.ip6.InReceives6,
            b"Ip6OutForwDatagrams" => s.ip6.OutForwDatagrams6,
            b"Ip6InDelivers" => s.ip6.InDelivers6,
            b"Ip6OutRequests" => s.ip6.OutRequests6,
            b"Ip6ReasmReqds" => s.ip6.ReasmReqds6,
            b"Ip6ReasmOKs" => s.ip6.ReasmOKs6,
            b"Ip6InMcastPkts" => s.ip6.InMcastPkts6,
            b"Ip6OutMcastPkts" => s.ip6.OutMcastPkts6,
            b"Ip6FragOKs" => s.ip6.FragOKs6,
            b"Ip6FragCreates" => s.ip6.FragCreates6,
            b"Ip6InHdrErrors" => s.eip6.InHdrErrors6,
            b"Ip6InAddrErrors" => s.eip6.InAddrErrors6,
            b"Ip6InUnknownProtos" => s.eip6.InUnknownProtos6,
            b"Ip6InTooBigErrors" => s.eip6.InTooBigErrors6,
            b"Ip6InDiscards" => s.eip6.InDiscards6,
            b"Ip6OutDiscards" => s.eip6.OutDiscards6,
            b"Ip6InNoRoutes" => s.eip6.InNoRoutes6,
            b"Ip6OutNoRoutes" => s.eip6.OutNoRoutes6,
            b"Ip6ReasmFails" => s.eip6.ReasmFails6,
            b"Ip6FragFails" => s.eip6.FragFails6,
            b"Ip6InTruncatedPkts" => s.eip6.InTruncatedPkts6,
            b"Icmp6InMsgs" => s.icmp6.InMsgs6,
            b"Icmp6OutMsgs" => s.icmp6.OutMsgs6,
            b"Icmp6InEchos" => s.icmp6.InEchos6,
            b"Icmp6InEchoReplies" => s.icmp6.InEchoReplies6,
            b"Icmp6OutEchoReplies" => s.icmp6.OutEchoReplies6,
            b"Icmp6InGroupMembQueries" => s.icmp6.InGroupMembQueries6,
            b"Icmp6InGroupMembResponses" => s.icmp6.InGroupMembResponses6,
            b"Icmp6OutGroupMembResponses" => s.icmp6.OutGroupMembResponses6,
            b"Icmp6InGroupMembReductions" => s.icmp6.InGroupMembReductions6,
            b"Icmp6OutGroupMembReductions" => s.icmp6.OutGroupMembReductions6,
            b"Icmp6InRouterSolicits" => s.icmp6.InRouterSolicits6,
            b"Icmp6OutRouterSolicits" => s.icmp6.OutRouterSolicits6,
            b"Icmp6InRouterAdvertisements" => s.icmp6.InRouterAdvertisements6,
            b"Icmp6InNeighborSolicits" => s.icmp6.InNeighborSolicits6,
            b"Icmp6OutNeighborSolicits" => s.icmp6.OutNeighborSolicits6,
            b"Icmp6InNeighborAdvertisements" => s.icmp6.InNeighborAdvertisements6,
            b"Icmp6OutNeighborAdvertisements" => s.icmp6.OutNeighborAdvertisements6,
            b"Icmp6InErrors" => s.eicmp6.InErrors6,
            b"Icmp6InDestUnreachs" => s.eicmp6.InDestUnreachs6,
            b"Icmp6OutDestUnreachs" => s.eicmp6.OutDestUnreachs6,
            b"Icmp6InTimeExcds" => s.eicmp6.InTimeExcds6,
            b"Icmp6OutTimeExcds" => s.eicmp6.OutTimeExcds6,
            b"Icmp6InParmProblems" => s.eicmp6.InParmProblems6,
            b"Icmp6OutParmProblems" => s.eicmp6.OutParmProblems6,
            b"Icmp6InRedirects" => s.eicmp6.InRedirects6,
            b"Icmp6OutRedirects" => s.eicmp6.OutRedirects6,
            b"Icmp6InPktTooBigs" => s.eicmp6.InPktTooBigs6,
            b"Icmp6OutPktTooBigs" => s.eicmp6.OutPktTooBigs6,
            b"Udp6InDatagrams" => s.udp6.InDatagrams6,
            b"Udp6OutDatagrams" => s.udp6.OutDatagrams6,
            b"Udp6NoPorts" => s.udp6.NoPorts6,
            b"Udp6InErrors" => s.udp6.InErrors6,
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_named_counters() {
        let s = parse(
            b"Ip6InReceives                   	1404\nIp6InTruncatedPkts 3\nIcmp6InMsgs 12\n\
Icmp6OutPktTooBigs 4\nUdp6NoPorts 5\nIcmp6InType133 9\n",
        );
        assert_eq!((s.ip6.InReceives6, s.eip6.InTruncatedPkts6, s.icmp6.InMsgs6), (1404, 3, 12));
        assert_eq!((s.eicmp6.OutPktTooBigs6, s.udp6.NoPorts6), (4, 5));
    }

    #[test]
    fn malformed_lines_are_skipped() {
        assert_eq!(parse(b"Ip6InReceives\nIp6InDelivers x\n\n"), Snmp6::default());
    }
}
