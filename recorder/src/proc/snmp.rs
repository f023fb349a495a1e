//! /proc/net/snmp: IPv4, ICMP, TCP and UDP counters (the SNMP group).
//!
//! Each protocol has a line of names then a line of values; values are
//! taken by name, which for every kernel layout gives the columns sadc
//! picks by position.

use sarkit_format::stats::*;

use super::scan::{fgets_lines, Scan};

const LINE: usize = 1024;

/// Every SNMP-group structure sadc fills from this file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snmp {
    pub ip: StatsNetIp,
    pub eip: StatsNetEip,
    pub icmp: StatsNetIcmp,
    pub eicmp: StatsNetEicmp,
    pub tcp: StatsNetTcp,
    pub etcp: StatsNetEtcp,
    pub udp: StatsNetUdp,
}

/// The first names/values pair of lines starting with `proto`, as
/// (name, value) pairs; a value that does not parse ends the list.
fn table<'a>(lines: &[&'a [u8]], proto: &str) -> impl Iterator<Item = (&'a [u8], u64)> + Clone {
    let mut it = lines.iter().filter(|l| l.starts_with(proto.as_bytes()));
    let (mut n, mut v) = match (it.next(), it.next()) {
        (Some(names), Some(values)) => {
            (Scan::new(super::scan::from(names, proto.len())), Scan::new(super::scan::from(values, proto.len())))
        }
        _ => (Scan::new(&[]), Scan::new(&[])),
    };
    std::iter::from_fn(move || Some((n.word(usize::MAX)?, v.u64()?)))
}

macro_rules! fill {
    ($t:expr, $s:expr, $($f:ident),*) => {
        for (name, value) in $t.clone() {
            $(if name == stringify!($f).as_bytes() { $s.$f = value; })*
        }
    };
}

pub fn parse(data: &[u8]) -> Snmp {
    let lines: Vec<&[u8]> = fgets_lines(data, LINE).collect();
    let mut s = Snmp::default();
    let ip = table(&lines, "Ip:");
    fill!(ip, s.ip, InReceives, ForwDatagrams, InDelivers, OutRequests, ReasmReqds, ReasmOKs, FragOKs, FragCreates);
    fill!(
        ip,
        s.eip,
        InHdrErrors,
        InAddrErrors,
        InUnknownProtos,
        InDiscards,
        OutDiscards,
        OutNoRoutes,
        ReasmFails,
        FragFails
    );
    let icmp = table(&lines, "Icmp:");
    fill!(
        icmp,
        s.icmp,
        InMsgs,
        OutMsgs,
        InEchos,
        InEchoReps,
        OutEchos,
        OutEchoReps,
        InTimestamps,
        InTimestampReps,
        OutTimestamps,
        OutTimestampReps,
        InAddrMasks,
        InAddrMaskReps,
        OutAddrMasks,
        OutAddrMaskReps
    );
    fill!(
        icmp,
        s.eicmp,
        InErrors,
        OutErrors,
        InDestUnreachs,
        OutDestUnreachs,
        InTimeExcds,
        OutTimeExcds,
        InParmProbs,
        OutParmProbs,
        InSrcQuenchs,
        OutSrcQuenchs,
        InRedirects,
        OutRedirects
    );
    let tcp = table(&lines, "Tcp:");
    fill!(tcp, s.tcp, ActiveOpens, PassiveOpens, InSegs, OutSegs);
    fill!(tcp, s.etcp, AttemptFails, EstabResets, RetransSegs, InErrs, OutRsts);
    let udp = table(&lines, "Udp:");
    fill!(udp, s.udp, InDatagrams, OutDatagrams, NoPorts, InErrors);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNMP: &[u8] = b"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates\n\
Ip: 1 64 100 1 2 3 4 5 6 7 8 9 0 10 11 12 13 14 15\n\
Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps OutMsgs OutErrors OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps\n\
Icmp: 45 1 0 44 2 3 4 5 6 7 8 9 10 11 50 12 49 13 14 15 16 17 18 19 20 21 22\n\
IcmpMsg: InType3 OutType3\n\
IcmpMsg: 44 49\n\
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n\
Tcp: 1 200 120000 -1 1000 20 30 40 5 6000 7000 80 90 100 0\n\
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors\n\
Udp: 500 6 7 600 0 0 0\n";

    #[test]
    fn reads_every_protocol_by_name() {
        let s = parse(SNMP);
        assert_eq!((s.ip.InReceives, s.ip.ForwDatagrams, s.ip.FragCreates), (100, 3, 15));
        assert_eq!((s.eip.InHdrErrors, s.eip.OutNoRoutes, s.eip.FragFails), (1, 9, 14));
        assert_eq!((s.icmp.InMsgs, s.icmp.OutMsgs, s.icmp.InEchos, s.icmp.OutAddrMaskReps), (45, 50, 6, 22));
        assert_eq!((s.eicmp.InErrors, s.eicmp.InDestUnreachs, s.eicmp.OutRedirects), (1, 44, 16));
        assert_eq!((s.tcp.ActiveOpens, s.tcp.PassiveOpens, s.tcp.InSegs, s.tcp.OutSegs), (1000, 20, 6000, 7000));
        assert_eq!((s.etcp.AttemptFails, s.etcp.RetransSegs, s.etcp.OutRsts), (30, 80, 100));
        assert_eq!((s.udp.InDatagrams, s.udp.OutDatagrams, s.udp.NoPorts, s.udp.InErrors), (500, 600, 6, 7));
    }

    #[test]
    fn missing_or_short_tables_leave_zeros() {
        let s = parse(b"Ip: Forwarding DefaultTTL InReceives\nIp: 1 64 x\nTcp: ActiveOpens\n");
        assert_eq!(s, Snmp::default());
        assert_eq!(parse(b""), Snmp::default());
    }
}
