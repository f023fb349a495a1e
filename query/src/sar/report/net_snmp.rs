//! The one-line rate reports of `-n`: NFS, NFSD, IP, EIP, ICMP, EICMP, TCP,
//! ETCP, UDP, IP6, EIP6, ICMP6, EICMP6 and UDP6.
//!
//! All fourteen are [`super::rates::Rates`] reports: each structure here
//! only names its counters.

use sarkit_format::stats::{
    StatsNetEicmp, StatsNetEicmp6, StatsNetEip, StatsNetEip6, StatsNetEtcp, StatsNetIcmp, StatsNetIcmp6, StatsNetIp,
    StatsNetIp6, StatsNetNfs, StatsNetNfsd, StatsNetTcp, StatsNetUdp, StatsNetUdp6,
};

use super::rates::{Counters, MAX_COUNTERS};
use super::values::Meta;

macro_rules! counters {
    ($t:ty, $tag:literal, narrow = $narrow:expr, [$($h:literal),* $(,)?], [$($f:ident),* $(,)?]) => {
        impl Counters for $t {
            const META: &'static Meta = &Meta { group: Some("network"), ..$crate::rate_meta!($tag, [$($h),*]) };
            const NARROW: bool = $narrow;
            fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize {
                let vals = [$(u64::from(self.$f)),*];
                out[..vals.len()].copy_from_slice(&vals);
                vals.len()
            }
        }
    };
}

counters!(
    StatsNetNfs,
    "net-nfs",
    narrow = true,
    ["call/s", "retrans/s", "read/s", "write/s", "access/s", "getatt/s"],
    [nfs_rpccnt, nfs_rpcretrans, nfs_readcnt, nfs_writecnt, nfs_accesscnt, nfs_getattcnt]
);
counters!(
    StatsNetNfsd,
    "net-nfsd",
    narrow = true,
    [
        "scall/s",
        "badcall/s",
        "packet/s",
        "udp/s",
        "tcp/s",
        "hit/s",
        "miss/s",
        "sread/s",
        "swrite/s",
        "saccess/s",
        "sgetatt/s"
    ],
    [
        nfsd_rpccnt,
        nfsd_rpcbad,
        nfsd_netcnt,
        nfsd_netudpcnt,
        nfsd_nettcpcnt,
        nfsd_rchits,
        nfsd_rcmisses,
        nfsd_readcnt,
        nfsd_writecnt,
        nfsd_accesscnt,
        nfsd_getattcnt
    ]
);
counters!(
    StatsNetIp,
    "net-ip",
    narrow = false,
    ["irec/s", "fwddgm/s", "idel/s", "orq/s", "asmrq/s", "asmok/s", "fragok/s", "fragcrt/s"],
    [InReceives, ForwDatagrams, InDelivers, OutRequests, ReasmReqds, ReasmOKs, FragOKs, FragCreates]
);
counters!(
    StatsNetEip,
    "net-eip",
    narrow = false,
    ["ihdrerr/s", "iadrerr/s", "iukwnpr/s", "idisc/s", "odisc/s", "onort/s", "asmf/s", "fragf/s"],
    [InHdrErrors, InAddrErrors, InUnknownProtos, InDiscards, OutDiscards, OutNoRoutes, ReasmFails, FragFails]
);
counters!(
    StatsNetIcmp,
    "net-icmp",
    narrow = false,
    [
        "imsg/s",
        "omsg/s",
        "iech/s",
        "iechr/s",
        "oech/s",
        "oechr/s",
        "itm/s",
        "itmr/s",
        "otm/s",
        "otmr/s",
        "iadrmk/s",
        "iadrmkr/s",
        "oadrmk/s",
        "oadrmkr/s"
    ],
    [
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
    ]
);
counters!(
    StatsNetEicmp,
    "net-eicmp",
    narrow = false,
    [
        "ierr/s",
        "oerr/s",
        "idstunr/s",
        "odstunr/s",
        "itmex/s",
        "otmex/s",
        "iparmpb/s",
        "oparmpb/s",
        "isrcq/s",
        "osrcq/s",
        "iredir/s",
        "oredir/s"
    ],
    [
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
    ]
);
counters!(
    StatsNetTcp,
    "net-tcp",
    narrow = false,
    ["active/s", "passive/s", "iseg/s", "oseg/s"],
    [ActiveOpens, PassiveOpens, InSegs, OutSegs]
);
// 12.7 added orsts/s (OutRsts); 12.6 printed four columns.
counters!(
    StatsNetEtcp,
    "net-etcp",
    narrow = false,
    ["atmptf/s", "estres/s", "retrseg/s", "isegerr/s", "orsts/s"],
    [AttemptFails, EstabResets, RetransSegs, InErrs, OutRsts]
);
counters!(
    StatsNetUdp,
    "net-udp",
    narrow = false,
    ["idgm/s", "odgm/s", "noport/s", "idgmerr/s"],
    [InDatagrams, OutDatagrams, NoPorts, InErrors]
);
counters!(
    StatsNetIp6,
    "net-ip6",
    narrow = false,
    [
        "irec6/s",
        "fwddgm6/s",
        "idel6/s",
        "orq6/s",
        "asmrq6/s",
        "asmok6/s",
        "imcpck6/s",
        "omcpck6/s",
        "fragok6/s",
        "fragcr6/s"
    ],
    [
        InReceives6,
        OutForwDatagrams6,
        InDelivers6,
        OutRequests6,
        ReasmReqds6,
        ReasmOKs6,
        InMcastPkts6,
        OutMcastPkts6,
        FragOKs6,
        FragCreates6
    ]
);
counters!(
    StatsNetEip6,
    "net-eip6",
    narrow = false,
    [
        "ihdrer6/s",
        "iadrer6/s",
        "iukwnp6/s",
        "i2big6/s",
        "idisc6/s",
        "odisc6/s",
        "inort6/s",
        "onort6/s",
        "asmf6/s",
        "fragf6/s",
        "itrpck6/s"
    ],
    [
        InHdrErrors6,
        InAddrErrors6,
        InUnknownProtos6,
        InTooBigErrors6,
        InDiscards6,
        OutDiscards6,
        InNoRoutes6,
        OutNoRoutes6,
        ReasmFails6,
        FragFails6,
        InTruncatedPkts6
    ]
);
counters!(
    StatsNetIcmp6,
    "net-icmp6",
    narrow = false,
    [
        "imsg6/s",
        "omsg6/s",
        "iech6/s",
        "iechr6/s",
        "oechr6/s",
        "igmbq6/s",
        "igmbr6/s",
        "ogmbr6/s",
        "igmbrd6/s",
        "ogmbrd6/s",
        "irtsol6/s",
        "ortsol6/s",
        "irtad6/s",
        "inbsol6/s",
        "onbsol6/s",
        "inbad6/s",
        "onbad6/s"
    ],
    [
        InMsgs6,
        OutMsgs6,
        InEchos6,
        InEchoReplies6,
        OutEchoReplies6,
        InGroupMembQueries6,
        InGroupMembResponses6,
        OutGroupMembResponses6,
        InGroupMembReductions6,
        OutGroupMembReductions6,
        InRouterSolicits6,
        OutRouterSolicits6,
        InRouterAdvertisements6,
        InNeighborSolicits6,
        OutNeighborSolicits6,
        InNeighborAdvertisements6,
        OutNeighborAdvertisements6
    ]
);
counters!(
    StatsNetEicmp6,
    "net-eicmp6",
    narrow = false,
    [
        "ierr6/s",
        "idtunr6/s",
        "odtunr6/s",
        "itmex6/s",
        "otmex6/s",
        "iprmpb6/s",
        "oprmpb6/s",
        "iredir6/s",
        "oredir6/s",
        "ipck2b6/s",
        "opck2b6/s"
    ],
    [
        InErrors6,
        InDestUnreachs6,
        OutDestUnreachs6,
        InTimeExcds6,
        OutTimeExcds6,
        InParmProblems6,
        OutParmProblems6,
        InRedirects6,
        OutRedirects6,
        InPktTooBigs6,
        OutPktTooBigs6
    ]
);
counters!(
    StatsNetUdp6,
    "net-udp6",
    narrow = false,
    ["idgm6/s", "odgm6/s", "noport6/s", "idgmer6/s"],
    [InDatagrams6, OutDatagrams6, NoPorts6, InErrors6]
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::report::rates::rates;

    #[test]
    fn narrow_counters_wrap_at_32_bits() {
        let p = StatsNetNfs { nfs_rpccnt: u32::MAX, ..Default::default() };
        let c = StatsNetNfs { nfs_rpccnt: 99, ..Default::default() };
        let mut v = [0.0; MAX_COUNTERS];
        assert_eq!(rates(&c, &p, 100, false, &mut v), 6);
        assert_eq!(v[0], 100.0);
        let p = StatsNetTcp { ActiveOpens: u64::MAX, ..Default::default() };
        let c = StatsNetTcp { ActiveOpens: 0, ..Default::default() };
        assert_eq!(rates(&c, &p, 100, false, &mut v), 4);
        assert_eq!(v[0], 1.0);
        rates(&c, &p, 100, true, &mut v);
        assert_eq!(v[0], 0.0);
    }

    #[test]
    fn headers_match_columns() {
        fn check<T: Counters>() {
            let mut v = [0u64; MAX_COUNTERS];
            assert_eq!(T::default().counters(&mut v), T::META.cols.len());
        }
        check::<StatsNetNfs>();
        check::<StatsNetNfsd>();
        check::<StatsNetIp>();
        check::<StatsNetEip>();
        check::<StatsNetIcmp>();
        check::<StatsNetEicmp>();
        check::<StatsNetTcp>();
        check::<StatsNetEtcp>();
        check::<StatsNetUdp>();
        check::<StatsNetIp6>();
        check::<StatsNetEip6>();
        check::<StatsNetIcmp6>();
        check::<StatsNetEicmp6>();
        check::<StatsNetUdp6>();
    }
}
