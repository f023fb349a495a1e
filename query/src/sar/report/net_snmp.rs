//! The one-line rate reports of `-n`: NFS, NFSD, IP, EIP, ICMP, EICMP, TCP,
//! ETCP, UDP, IP6, EIP6, ICMP6, EICMP6 and UDP6.
//!
//! All fourteen print per-second rates of a single structure's counters,
//! their Average being the same rates from the segment's first sample. One
//! generic report covers them; each structure only names its counters.
//! Counters narrower than 64 bits wrap as sysstat's C arithmetic does.

use std::io;

use sarkit_format::stats::{
    Stats, StatsNetEicmp, StatsNetEicmp6, StatsNetEip, StatsNetEip6, StatsNetEtcp, StatsNetIcmp, StatsNetIcmp6,
    StatsNetIp, StatsNetIp6, StatsNetNfs, StatsNetNfsd, StatsNetTcp, StatsNetUdp, StatsNetUdp6,
};
use sarkit_format::{ActivityId, StatsRecord};

use super::values::{row_f, Item, Meta, RowSink};
use super::raw::Raw;
use super::{Ctx, Report, Slots, FIRST};
use crate::sar::fmt::{display, f2, hdr_line, minmax_label, Extrema};

/// Most counters any of these structures has (ICMP6).
pub const MAX_COUNTERS: usize = 17;

/// A structure whose counters are printed as rates, in column order.
pub trait Counters: Stats {
    const HDR: &'static [&'static str];
    const META: &'static Meta;
    /// Whether the counters are C `unsigned int`, so differences wrap at 2^32.
    const NARROW: bool;
    /// The counters, in column order, into `out`; returns how many.
    fn counters(&self, out: &mut [u64; MAX_COUNTERS]) -> usize;
}

macro_rules! counters {
    ($t:ty, $tag:literal, narrow = $narrow:expr, [$($h:literal),* $(,)?], [$($f:ident),* $(,)?]) => {
        impl Counters for $t {
            const HDR: &'static [&'static str] = &[$($h),*];
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

counters!(StatsNetNfs, "net-nfs", narrow = true,
    ["call/s", "retrans/s", "read/s", "write/s", "access/s", "getatt/s"],
    [nfs_rpccnt, nfs_rpcretrans, nfs_readcnt, nfs_writecnt, nfs_accesscnt, nfs_getattcnt]);
counters!(StatsNetNfsd, "net-nfsd", narrow = true,
    ["scall/s", "badcall/s", "packet/s", "udp/s", "tcp/s", "hit/s", "miss/s", "sread/s", "swrite/s", "saccess/s",
     "sgetatt/s"],
    [nfsd_rpccnt, nfsd_rpcbad, nfsd_netcnt, nfsd_netudpcnt, nfsd_nettcpcnt, nfsd_rchits, nfsd_rcmisses,
     nfsd_readcnt, nfsd_writecnt, nfsd_accesscnt, nfsd_getattcnt]);
counters!(StatsNetIp, "net-ip", narrow = false,
    ["irec/s", "fwddgm/s", "idel/s", "orq/s", "asmrq/s", "asmok/s", "fragok/s", "fragcrt/s"],
    [InReceives, ForwDatagrams, InDelivers, OutRequests, ReasmReqds, ReasmOKs, FragOKs, FragCreates]);
counters!(StatsNetEip, "net-eip", narrow = false,
    ["ihdrerr/s", "iadrerr/s", "iukwnpr/s", "idisc/s", "odisc/s", "onort/s", "asmf/s", "fragf/s"],
    [InHdrErrors, InAddrErrors, InUnknownProtos, InDiscards, OutDiscards, OutNoRoutes, ReasmFails, FragFails]);
counters!(StatsNetIcmp, "net-icmp", narrow = false,
    ["imsg/s", "omsg/s", "iech/s", "iechr/s", "oech/s", "oechr/s", "itm/s", "itmr/s", "otm/s", "otmr/s",
     "iadrmk/s", "iadrmkr/s", "oadrmk/s", "oadrmkr/s"],
    [InMsgs, OutMsgs, InEchos, InEchoReps, OutEchos, OutEchoReps, InTimestamps, InTimestampReps, OutTimestamps,
     OutTimestampReps, InAddrMasks, InAddrMaskReps, OutAddrMasks, OutAddrMaskReps]);
counters!(StatsNetEicmp, "net-eicmp", narrow = false,
    ["ierr/s", "oerr/s", "idstunr/s", "odstunr/s", "itmex/s", "otmex/s", "iparmpb/s", "oparmpb/s", "isrcq/s",
     "osrcq/s", "iredir/s", "oredir/s"],
    [InErrors, OutErrors, InDestUnreachs, OutDestUnreachs, InTimeExcds, OutTimeExcds, InParmProbs, OutParmProbs,
     InSrcQuenchs, OutSrcQuenchs, InRedirects, OutRedirects]);
counters!(StatsNetTcp, "net-tcp", narrow = false,
    ["active/s", "passive/s", "iseg/s", "oseg/s"],
    [ActiveOpens, PassiveOpens, InSegs, OutSegs]);
// 12.7 added orsts/s (OutRsts); 12.6 printed four columns.
counters!(StatsNetEtcp, "net-etcp", narrow = false,
    ["atmptf/s", "estres/s", "retrseg/s", "isegerr/s", "orsts/s"],
    [AttemptFails, EstabResets, RetransSegs, InErrs, OutRsts]);
counters!(StatsNetUdp, "net-udp", narrow = false,
    ["idgm/s", "odgm/s", "noport/s", "idgmerr/s"],
    [InDatagrams, OutDatagrams, NoPorts, InErrors]);
counters!(StatsNetIp6, "net-ip6", narrow = false,
    ["irec6/s", "fwddgm6/s", "idel6/s", "orq6/s", "asmrq6/s", "asmok6/s", "imcpck6/s", "omcpck6/s", "fragok6/s",
     "fragcr6/s"],
    [InReceives6, OutForwDatagrams6, InDelivers6, OutRequests6, ReasmReqds6, ReasmOKs6, InMcastPkts6,
     OutMcastPkts6, FragOKs6, FragCreates6]);
counters!(StatsNetEip6, "net-eip6", narrow = false,
    ["ihdrer6/s", "iadrer6/s", "iukwnp6/s", "i2big6/s", "idisc6/s", "odisc6/s", "inort6/s", "onort6/s", "asmf6/s",
     "fragf6/s", "itrpck6/s"],
    [InHdrErrors6, InAddrErrors6, InUnknownProtos6, InTooBigErrors6, InDiscards6, OutDiscards6, InNoRoutes6,
     OutNoRoutes6, ReasmFails6, FragFails6, InTruncatedPkts6]);
counters!(StatsNetIcmp6, "net-icmp6", narrow = false,
    ["imsg6/s", "omsg6/s", "iech6/s", "iechr6/s", "oechr6/s", "igmbq6/s", "igmbr6/s", "ogmbr6/s", "igmbrd6/s",
     "ogmbrd6/s", "irtsol6/s", "ortsol6/s", "irtad6/s", "inbsol6/s", "onbsol6/s", "inbad6/s", "onbad6/s"],
    [InMsgs6, OutMsgs6, InEchos6, InEchoReplies6, OutEchoReplies6, InGroupMembQueries6, InGroupMembResponses6,
     OutGroupMembResponses6, InGroupMembReductions6, OutGroupMembReductions6, InRouterSolicits6,
     OutRouterSolicits6, InRouterAdvertisements6, InNeighborSolicits6, OutNeighborSolicits6,
     InNeighborAdvertisements6, OutNeighborAdvertisements6]);
counters!(StatsNetEicmp6, "net-eicmp6", narrow = false,
    ["ierr6/s", "idtunr6/s", "odtunr6/s", "itmex6/s", "otmex6/s", "iprmpb6/s", "oprmpb6/s", "iredir6/s",
     "oredir6/s", "ipck2b6/s", "opck2b6/s"],
    [InErrors6, InDestUnreachs6, OutDestUnreachs6, InTimeExcds6, OutTimeExcds6, InParmProblems6,
     OutParmProblems6, InRedirects6, OutRedirects6, InPktTooBigs6, OutPktTooBigs6]);
counters!(StatsNetUdp6, "net-udp6", narrow = false,
    ["idgm6/s", "odgm6/s", "noport6/s", "idgmer6/s"],
    [InDatagrams6, OutDatagrams6, NoPorts6, InErrors6]);

/// `S_VALUE` over the counters of two samples, into `out`; returns how
/// many. With `clamp`, a counter that went backwards gives 0 instead of
/// wrapping (what `-x` records as extrema).
pub fn rates<T: Counters>(c: &T, p: &T, itv: u64, clamp: bool, out: &mut [f64; MAX_COUNTERS]) -> usize {
    let (mut cv, mut pv) = ([0u64; MAX_COUNTERS], [0u64; MAX_COUNTERS]);
    let n = c.counters(&mut cv);
    p.counters(&mut pv);
    for i in 0..n {
        let d = if T::NARROW { (cv[i] as u32).wrapping_sub(pv[i] as u32) as u64 } else { cv[i].wrapping_sub(pv[i]) };
        out[i] = if clamp && cv[i] < pv[i] { 0.0 } else { d as f64 / itv as f64 * 100.0 };
    }
    n
}

/// One of the fourteen rate reports.
pub struct Rates<T: Counters> {
    s: Slots<T>,
    x: Extrema,
}

impl<T: Counters> Rates<T> {
    pub fn new() -> Self {
        Rates { s: Slots::new(1), x: Extrema::new(MAX_COUNTERS) }
    }

    fn row(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        let minmax = display().minmax;
        let avg = prev == FIRST;
        if cx.dish || (avg && minmax) {
            hdr_line(cx.out, &cx.ts[1 - curr.min(1)], T::HDR, 0)?;
        }
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut v = [0.0; MAX_COUNTERS];
        if minmax {
            if !avg {
                let n = rates(&c, &p, itv, true, &mut v);
                for (k, &x) in v[..n].iter().enumerate() {
                    self.x.save(0, k, x);
                }
            } else {
                let n = T::HDR.len();
                for ismax in [false, true] {
                    minmax_label(cx.out, ismax)?;
                    f2(cx.out, &self.x.row(0, ismax)[..n])?;
                    cx.out.write_all(b"\n")?;
                }
            }
        }
        let n = rates(&c, &p, itv, false, &mut v);
        cx.ts[curr.min(1)].write_padded(cx.out)?;
        f2(cx.out, &v[..n])?;
        cx.out.write_all(b"\n")
    }
}

impl<T: Counters> Default for Rates<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Counters> Report for Rates<T> {
    fn id(&self) -> ActivityId {
        T::ID
    }
    fn load(&mut self, slot: usize, rec: &StatsRecord<'_>) {
        self.s.load(slot, rec.block(T::ID), None);
    }
    fn copy(&mut self, dest: usize, src: usize) {
        self.s.copy(dest, src)
    }
    fn nr(&self, slot: usize) -> i64 {
        self.s.nr[slot]
    }
    fn reset_extrema(&mut self) {
        self.x.reset(1);
    }
    fn print(&mut self, cx: &mut Ctx<'_>, prev: usize, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, prev, curr, itv)
    }
    fn print_avg(&mut self, cx: &mut Ctx<'_>, curr: usize, itv: u64) -> io::Result<()> {
        self.row(cx, FIRST, curr, itv)
    }
    fn meta(&self) -> Option<&'static Meta> {
        Some(T::META)
    }
    fn has_raw(&self) -> bool {
        true
    }
    fn raw(&mut self, prev: usize, curr: usize, r: &mut Raw<'_>) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let (mut cv, mut pv) = ([0u64; MAX_COUNTERS], [0u64; MAX_COUNTERS]);
        let n = c.counters(&mut cv);
        p.counters(&mut pv);
        r.head(T::META.fields, 0)?;
        for k in 0..n {
            if k == 0 { r.pv(pv[k], cv[k])? } else { r.npv(pv[k], cv[k])? }
        }
        r.end()
    }
    fn values(&mut self, prev: usize, curr: usize, itv: u64, sink: &mut dyn RowSink) -> io::Result<()> {
        let (c, p) = (self.s.get(curr, 0), self.s.get(prev, 0));
        let mut v = [0.0; MAX_COUNTERS];
        let n = rates(&c, &p, itv, false, &mut v);
        row_f(sink, Item::None, &v[..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sar::timefmt::Stamp;

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
            assert_eq!(T::default().counters(&mut v), T::HDR.len());
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

    #[test]
    fn prints_header_then_rates() {
        let mut r: Rates<StatsNetUdp> = Rates::new();
        r.s.buf[0][0] = StatsNetUdp { InDatagrams: 10, ..Default::default() };
        r.s.buf[1][0] = StatsNetUdp { InDatagrams: 30, NoPorts: 1, ..Default::default() };
        let mut out = Vec::new();
        let mut cx = Ctx { out: &mut out, ts: [Stamp::text("12:00:00"), Stamp::text("12:00:10")], dish: true, avg_count: 0 };
        r.print(&mut cx, 0, 1, 1000).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\n12:00:00       idgm/s    odgm/s  noport/s idgmerr/s\n12:00:10         2.00      0.00      0.10      0.00\n"
        );
    }
}
