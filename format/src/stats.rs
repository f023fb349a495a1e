//! The statistics structure of every activity, with sysstat's field names.
//!
//! Each structure is declared once, in the order its fields have on disk,
//! grouped as sysstat groups them: `long long` (and `double`) fields, then
//! `long`, then `int`, then a tail of characters at fixed offsets. From that
//! one declaration come the Rust struct, its current [`Layout`], a decoder
//! that reads any older or newer layout (see [`crate::remap`]) and an encoder
//! that writes any prefix layout. Units are those of the kernel source the
//! recorder reads: jiffies for CPU times, kB for memory, sectors for disks.

use std::fmt;

use crate::activity::ActivityId;
use crate::remap::{Item, ItemWriter, Layout};

/// A fixed-size, NUL-padded character array (`char name[N]` in C).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CChars<const N: usize>(pub [u8; N]);

impl<const N: usize> Default for CChars<N> {
    fn default() -> Self {
        CChars([0; N])
    }
}

impl<const N: usize> CChars<N> {
    /// The characters before the first NUL.
    pub fn as_bytes(&self) -> &[u8] {
        let end = self.0.iter().position(|&c| c == 0).unwrap_or(N);
        &self.0[..end]
    }

    /// The characters before the first NUL, lossily as UTF-8.
    pub fn to_str_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.as_bytes())
    }

    /// A field holding `s`, truncated so that a NUL terminator remains.
    pub fn new(s: &str) -> Self {
        CChars(crate::header::to_c_field(s))
    }
}

impl<const N: usize> fmt::Debug for CChars<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}

/// One activity's statistics structure.
pub trait Stats: Sized + Copy + Default + PartialEq + fmt::Debug {
    /// The activity whose records hold this structure.
    const ID: ActivityId;
    /// Composition and size in the current format (sysstat 12.7.9).
    const LAYOUT: Layout;
    /// Read one item, whatever layout the file declared for it.
    fn decode(item: &Item<'_>) -> Self;
    /// Write one item into the writer's layout, dropping fields it lacks.
    fn encode(&self, w: &mut ItemWriter<'_>);
}

/// A value stored in an 8-byte `long long` slot.
pub trait Slot64: Copy {
    fn from_bits(v: u64) -> Self;
    fn to_bits(self) -> u64;
}

impl Slot64 for u64 {
    fn from_bits(v: u64) -> Self {
        v
    }
    fn to_bits(self) -> u64 {
        self
    }
}

impl Slot64 for f64 {
    fn from_bits(v: u64) -> Self {
        f64::from_bits(v)
    }
    fn to_bits(self) -> u64 {
        f64::to_bits(self)
    }
}

/// A value stored in a 4-byte `int` slot.
pub trait Slot32: Copy {
    fn from_bits(v: u32) -> Self;
    fn to_bits(self) -> u32;
}

impl Slot32 for u32 {
    fn from_bits(v: u32) -> Self {
        v
    }
    fn to_bits(self) -> u32 {
        self
    }
}

impl Slot32 for i32 {
    fn from_bits(v: u32) -> Self {
        v as i32
    }
    fn to_bits(self) -> u32 {
        self as u32
    }
}

/// A value stored in the tail, at a fixed offset after the `int` group.
pub trait TailField: Copy {
    fn read(item: &Item<'_>, off: usize) -> Self;
    fn write(&self, w: &mut ItemWriter<'_>, off: usize);
}

impl TailField for u8 {
    fn read(item: &Item<'_>, off: usize) -> Self {
        item.tail::<1>(off)[0]
    }
    fn write(&self, w: &mut ItemWriter<'_>, off: usize) {
        w.tail(off, &[*self]);
    }
}

impl<const N: usize> TailField for CChars<N> {
    fn read(item: &Item<'_>, off: usize) -> Self {
        CChars(item.tail::<N>(off))
    }
    fn write(&self, w: &mut ItemWriter<'_>, off: usize) {
        w.tail(off, &self.0);
    }
}

macro_rules! count {
    () => { 0u32 };
    ($head:ident $($tail:ident)*) => { 1u32 + count!($($tail)*) };
}

macro_rules! sa_stats {
    ($(
        $(#[$meta:meta])*
        $name:ident ($id:ident, size $size:literal) {
            ull { $($ullf:ident : $ullt:ty),* $(,)? }
            ul { $($ulf:ident),* $(,)? }
            u { $($uf:ident : $ut:ty),* $(,)? }
            tail { $($tf:ident : $tt:ty = $toff:literal),* $(,)? }
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Default)]
        #[allow(non_snake_case)]
        pub struct $name {
            $(pub $ullf: $ullt,)*
            $(pub $ulf: u64,)*
            $(pub $uf: $ut,)*
            $(pub $tf: $tt,)*
        }

        #[allow(non_snake_case, unused_assignments, unused_mut, unused_variables)]
        impl Stats for $name {
            const ID: ActivityId = ActivityId::$id;
            const LAYOUT: Layout =
                Layout::new([count!($($ullf)*), count!($($ulf)*), count!($($uf)*)], $size);

            fn decode(it: &Item<'_>) -> Self {
                let mut i = 0u32;
                $(let $ullf = <$ullt as Slot64>::from_bits(it.ull(i)); i += 1;)*
                let mut i = 0u32;
                $(let $ulf = it.ul(i); i += 1;)*
                let mut i = 0u32;
                $(let $uf = <$ut as Slot32>::from_bits(it.u(i)); i += 1;)*
                $(let $tf = <$tt as TailField>::read(it, $toff);)*
                $name { $($ullf,)* $($ulf,)* $($uf,)* $($tf,)* }
            }

            fn encode(&self, w: &mut ItemWriter<'_>) {
                let mut i = 0u32;
                $(w.ull(i, Slot64::to_bits(self.$ullf)); i += 1;)*
                let mut i = 0u32;
                $(w.ul(i, self.$ulf); i += 1;)*
                let mut i = 0u32;
                $(w.u(i, Slot32::to_bits(self.$uf)); i += 1;)*
                $(TailField::write(&self.$tf, w, $toff);)*
            }
        }
    )*};
}

sa_stats! {
    /// CPU time, in jiffies, for "all" then each CPU (`struct stats_cpu`).
    StatsCpu (A_CPU, size 80) {
        ull {
            cpu_user: u64, cpu_nice: u64, cpu_sys: u64, cpu_idle: u64, cpu_iowait: u64,
            cpu_steal: u64, cpu_hardirq: u64, cpu_softirq: u64, cpu_guest: u64,
            cpu_guest_nice: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// Context switches and forks since boot (`struct stats_pcsw`).
    StatsPcsw (A_PCSW, size 16) {
        ull { context_switch: u64 }
        ul { processes }
        u {}
        tail {}
    }

    /// One interrupt's count on one CPU; CPU "all" first (`struct stats_irq`).
    StatsIrq (A_IRQ, size 12) {
        ull {}
        ul {}
        u { irq_nr: u32 }
        tail { irq_name: CChars<8> = 0 }
    }

    /// Pages swapped in and out since boot (`struct stats_swap`).
    StatsSwap (A_SWAP, size 16) {
        ull {}
        ul { pswpin, pswpout }
        u {}
        tail {}
    }

    /// Paging counters from /proc/vmstat, kB or pages (`struct stats_paging`).
    StatsPaging (A_PAGE, size 80) {
        ull {}
        ul {
            pgpgin, pgpgout, pgfault, pgmajfault, pgfree, pgscan_kswapd, pgscan_direct,
            pgsteal, pgpromote, pgdemote,
        }
        u {}
        tail {}
    }

    /// Whole-machine block I/O, requests and sectors (`struct stats_io`).
    StatsIo (A_IO, size 56) {
        ull {
            dk_drive: u64, dk_drive_rio: u64, dk_drive_wio: u64, dk_drive_rblk: u64,
            dk_drive_wblk: u64, dk_drive_dio: u64, dk_drive_dblk: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// Memory and swap, in kB, from /proc/meminfo (`struct stats_memory`).
    StatsMemory (A_MEMORY, size 144) {
        ull {
            frmkb: u64, bufkb: u64, camkb: u64, tlmkb: u64, frskb: u64, tlskb: u64,
            caskb: u64, comkb: u64, activekb: u64, inactkb: u64, dirtykb: u64,
            anonpgkb: u64, slabkb: u64, kstackkb: u64, pgtblkb: u64, vmusedkb: u64,
            availablekb: u64, shmemkb: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// Kernel table usage: files, inodes, dentries, ptys (`struct stats_ktables`).
    StatsKtables (A_KTABLES, size 32) {
        ull { file_used: u64, inode_used: u64, dentry_stat: u64, pty_nr: u64 }
        ul {}
        u {}
        tail {}
    }

    /// Run queue and load averages; loads are hundredths (`struct stats_queue`).
    StatsQueue (A_QUEUE, size 40) {
        ull { nr_running: u64, procs_blocked: u64, nr_threads: u64 }
        ul {}
        u { load_avg_1: u32, load_avg_5: u32, load_avg_15: u32 }
        tail {}
    }

    /// One serial line's counters (`struct stats_serial`).
    StatsSerial (A_SERIAL, size 28) {
        ull {}
        ul {}
        u { rx: u32, tx: u32, frame: u32, parity: u32, brk: u32, overrun: u32, line: u32 }
        tail {}
    }

    /// One block device; sectors of 512 bytes, ticks in ms (`struct stats_disk`).
    /// `wwn0` and `wwn1` are sysstat's `wwn[0]` and `wwn[1]`.
    StatsDisk (A_DISK, size 80) {
        ull { nr_ios: u64, wwn0: u64, wwn1: u64 }
        ul { rd_sect, wr_sect, dc_sect }
        u {
            rd_ticks: u32, wr_ticks: u32, tot_ticks: u32, rq_ticks: u32, major: u32,
            minor: u32, dc_ticks: u32, part_nr: u32,
        }
        tail {}
    }

    /// One network interface's traffic (`struct stats_net_dev`); speed in Mb/s.
    StatsNetDev (A_NET_DEV, size 80) {
        ull {
            rx_packets: u64, tx_packets: u64, rx_bytes: u64, tx_bytes: u64,
            rx_compressed: u64, tx_compressed: u64, multicast: u64,
        }
        ul {}
        u { speed: u32 }
        tail { interface: CChars<16> = 0, duplex: u8 = 16 }
    }

    /// One network interface's errors (`struct stats_net_edev`).
    StatsNetEdev (A_NET_EDEV, size 88) {
        ull {
            collisions: u64, rx_errors: u64, tx_errors: u64, rx_dropped: u64,
            tx_dropped: u64, rx_fifo_errors: u64, tx_fifo_errors: u64,
            rx_frame_errors: u64, tx_carrier_errors: u64,
        }
        ul {}
        u {}
        tail { interface: CChars<16> = 0 }
    }

    /// NFS client RPC counters (`struct stats_net_nfs`).
    StatsNetNfs (A_NET_NFS, size 24) {
        ull {}
        ul {}
        u {
            nfs_rpccnt: u32, nfs_rpcretrans: u32, nfs_readcnt: u32, nfs_writecnt: u32,
            nfs_accesscnt: u32, nfs_getattcnt: u32,
        }
        tail {}
    }

    /// NFS server counters (`struct stats_net_nfsd`).
    StatsNetNfsd (A_NET_NFSD, size 44) {
        ull {}
        ul {}
        u {
            nfsd_rpccnt: u32, nfsd_rpcbad: u32, nfsd_netcnt: u32, nfsd_netudpcnt: u32,
            nfsd_nettcpcnt: u32, nfsd_rchits: u32, nfsd_rcmisses: u32, nfsd_readcnt: u32,
            nfsd_writecnt: u32, nfsd_accesscnt: u32, nfsd_getattcnt: u32,
        }
        tail {}
    }

    /// IPv4 sockets in use (`struct stats_net_sock`).
    StatsNetSock (A_NET_SOCK, size 24) {
        ull {}
        ul {}
        u {
            sock_inuse: u32, tcp_inuse: u32, tcp_tw: u32, udp_inuse: u32, raw_inuse: u32,
            frag_inuse: u32,
        }
        tail {}
    }

    /// IPv4 traffic from /proc/net/snmp (`struct stats_net_ip`).
    StatsNetIp (A_NET_IP, size 64) {
        ull {
            InReceives: u64, ForwDatagrams: u64, InDelivers: u64, OutRequests: u64,
            ReasmReqds: u64, ReasmOKs: u64, FragOKs: u64, FragCreates: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// IPv4 errors (`struct stats_net_eip`).
    StatsNetEip (A_NET_EIP, size 64) {
        ull {
            InHdrErrors: u64, InAddrErrors: u64, InUnknownProtos: u64, InDiscards: u64,
            OutDiscards: u64, OutNoRoutes: u64, ReasmFails: u64, FragFails: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// ICMPv4 messages (`struct stats_net_icmp`).
    StatsNetIcmp (A_NET_ICMP, size 112) {
        ull {}
        ul {
            InMsgs, OutMsgs, InEchos, InEchoReps, OutEchos, OutEchoReps, InTimestamps,
            InTimestampReps, OutTimestamps, OutTimestampReps, InAddrMasks, InAddrMaskReps,
            OutAddrMasks, OutAddrMaskReps,
        }
        u {}
        tail {}
    }

    /// ICMPv4 errors (`struct stats_net_eicmp`).
    StatsNetEicmp (A_NET_EICMP, size 96) {
        ull {}
        ul {
            InErrors, OutErrors, InDestUnreachs, OutDestUnreachs, InTimeExcds,
            OutTimeExcds, InParmProbs, OutParmProbs, InSrcQuenchs, OutSrcQuenchs,
            InRedirects, OutRedirects,
        }
        u {}
        tail {}
    }

    /// TCPv4 traffic (`struct stats_net_tcp`).
    StatsNetTcp (A_NET_TCP, size 32) {
        ull {}
        ul { ActiveOpens, PassiveOpens, InSegs, OutSegs }
        u {}
        tail {}
    }

    /// TCPv4 errors (`struct stats_net_etcp`).
    StatsNetEtcp (A_NET_ETCP, size 40) {
        ull {}
        ul { AttemptFails, EstabResets, RetransSegs, InErrs, OutRsts }
        u {}
        tail {}
    }

    /// UDPv4 traffic (`struct stats_net_udp`).
    StatsNetUdp (A_NET_UDP, size 32) {
        ull {}
        ul { InDatagrams, OutDatagrams, NoPorts, InErrors }
        u {}
        tail {}
    }

    /// IPv6 sockets in use (`struct stats_net_sock6`).
    StatsNetSock6 (A_NET_SOCK6, size 16) {
        ull {}
        ul {}
        u { tcp6_inuse: u32, udp6_inuse: u32, raw6_inuse: u32, frag6_inuse: u32 }
        tail {}
    }

    /// IPv6 traffic (`struct stats_net_ip6`).
    StatsNetIp6 (A_NET_IP6, size 80) {
        ull {
            InReceives6: u64, OutForwDatagrams6: u64, InDelivers6: u64, OutRequests6: u64,
            ReasmReqds6: u64, ReasmOKs6: u64, InMcastPkts6: u64, OutMcastPkts6: u64,
            FragOKs6: u64, FragCreates6: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// IPv6 errors (`struct stats_net_eip6`).
    StatsNetEip6 (A_NET_EIP6, size 88) {
        ull {
            InHdrErrors6: u64, InAddrErrors6: u64, InUnknownProtos6: u64,
            InTooBigErrors6: u64, InDiscards6: u64, OutDiscards6: u64, InNoRoutes6: u64,
            OutNoRoutes6: u64, ReasmFails6: u64, FragFails6: u64, InTruncatedPkts6: u64,
        }
        ul {}
        u {}
        tail {}
    }

    /// ICMPv6 messages (`struct stats_net_icmp6`).
    StatsNetIcmp6 (A_NET_ICMP6, size 136) {
        ull {}
        ul {
            InMsgs6, OutMsgs6, InEchos6, InEchoReplies6, OutEchoReplies6,
            InGroupMembQueries6, InGroupMembResponses6, OutGroupMembResponses6,
            InGroupMembReductions6, OutGroupMembReductions6, InRouterSolicits6,
            OutRouterSolicits6, InRouterAdvertisements6, InNeighborSolicits6,
            OutNeighborSolicits6, InNeighborAdvertisements6, OutNeighborAdvertisements6,
        }
        u {}
        tail {}
    }

    /// ICMPv6 errors (`struct stats_net_eicmp6`).
    StatsNetEicmp6 (A_NET_EICMP6, size 88) {
        ull {}
        ul {
            InErrors6, InDestUnreachs6, OutDestUnreachs6, InTimeExcds6, OutTimeExcds6,
            InParmProblems6, OutParmProblems6, InRedirects6, OutRedirects6,
            InPktTooBigs6, OutPktTooBigs6,
        }
        u {}
        tail {}
    }

    /// UDPv6 traffic (`struct stats_net_udp6`).
    StatsNetUdp6 (A_NET_UDP6, size 32) {
        ull {}
        ul { InDatagrams6, OutDatagrams6, NoPorts6, InErrors6 }
        u {}
        tail {}
    }

    /// One CPU's clock frequency, in MHz x 100 (`struct stats_pwr_cpufreq`).
    StatsPwrCpufreq (A_PWR_CPU, size 8) {
        ull {}
        ul { cpufreq }
        u {}
        tail {}
    }

    /// One fan's speed, in rpm (`struct stats_pwr_fan`).
    StatsPwrFan (A_PWR_FAN, size 40) {
        ull { rpm: f64, rpm_min: f64 }
        ul {}
        u {}
        tail { device: CChars<20> = 0 }
    }

    /// One temperature sensor, in degrees Celsius (`struct stats_pwr_temp`).
    StatsPwrTemp (A_PWR_TEMP, size 48) {
        ull { temp: f64, temp_min: f64, temp_max: f64 }
        ul {}
        u {}
        tail { device: CChars<20> = 0 }
    }

    /// One voltage input, in volts (`struct stats_pwr_in`).
    StatsPwrIn (A_PWR_IN, size 48) {
        ull { r#in: f64, in_min: f64, in_max: f64 }
        ul {}
        u {}
        tail { device: CChars<20> = 0 }
    }

    /// Huge pages, in kB (`struct stats_huge`).
    StatsHuge (A_HUGE, size 32) {
        ull { frhkb: u64, tlhkb: u64, rsvdhkb: u64, surphkb: u64 }
        ul {}
        u {}
        tail {}
    }

    /// Time one CPU spent at one frequency, in 10 ms units (`struct stats_pwr_wghfreq`).
    StatsPwrWghfreq (A_PWR_FREQ, size 16) {
        ull { time_in_state: u64 }
        ul { freq }
        u {}
        tail {}
    }

    /// One USB device (`struct stats_pwr_usb`); `bmaxpower` in units of 2 mA.
    StatsPwrUsb (A_PWR_USB, size 88) {
        ull {}
        ul {}
        u { bus_nr: u32, vendor_id: u32, product_id: u32, bmaxpower: u32 }
        tail { manufacturer: CChars<24> = 0, product: CChars<48> = 24 }
    }

    /// One mounted filesystem, in bytes and inodes (`struct stats_filesystem`).
    StatsFilesystem (A_FS, size 296) {
        ull { f_blocks: u64, f_bfree: u64, f_bavail: u64, f_files: u64, f_ffree: u64 }
        ul {}
        u {}
        tail { fs_name: CChars<128> = 0, mountp: CChars<128> = 128 }
    }

    /// One Fibre Channel host's traffic (`struct stats_fchost`).
    StatsFchost (A_NET_FC, size 48) {
        ull {}
        ul { f_rxframes, f_txframes, f_rxwords, f_txwords }
        u {}
        tail { fchost_name: CChars<16> = 0 }
    }

    /// One CPU's softnet counters (`struct stats_softnet`).
    StatsSoftnet (A_NET_SOFT, size 24) {
        ull {}
        ul {}
        u {
            processed: u32, dropped: u32, time_squeeze: u32, received_rps: u32,
            flow_limit: u32, backlog_len: u32,
        }
        tail {}
    }

    /// CPU pressure: total stall in us, averages in hundredths of % (`struct stats_psi_cpu`).
    StatsPsiCpu (A_PSI_CPU, size 32) {
        ull { some_cpu_total: u64 }
        ul { some_acpu_10, some_acpu_60, some_acpu_300 }
        u {}
        tail {}
    }

    /// I/O pressure (`struct stats_psi_io`).
    StatsPsiIo (A_PSI_IO, size 64) {
        ull { some_io_total: u64, full_io_total: u64 }
        ul { some_aio_10, some_aio_60, some_aio_300, full_aio_10, full_aio_60, full_aio_300 }
        u {}
        tail {}
    }

    /// Memory pressure (`struct stats_psi_mem`).
    StatsPsiMem (A_PSI_MEM, size 64) {
        ull { some_mem_total: u64, full_mem_total: u64 }
        ul {
            some_amem_10, some_amem_60, some_amem_300, full_amem_10, full_amem_60,
            full_amem_300,
        }
        u {}
        tail {}
    }

    /// One battery: capacity in %, status a sysstat code (`struct stats_pwr_bat`).
    StatsPwrBat (A_PWR_BAT, size 3) {
        ull {}
        ul {}
        u {}
        tail { bat_id: u8 = 0, capacity: u8 = 1, status: u8 = 2 }
    }

    /// One cgroup (a pod, a container, a systemd unit...), sarkit's
    /// extension activity (spec section 17): times in microseconds, memory
    /// and I/O in bytes, [`CGROUP_NO_LIMIT`] for an absent limit. No `long`
    /// field, so the word size never matters; the last tail byte is padding.
    StatsCgroup (A_CGROUP, size 296) {
        ull {
            user_usec: u64, system_usec: u64, throttled_usec: u64, quota_usec: u64,
            mem_current: u64, mem_max: u64, mem_peak: u64, anon: u64, file: u64, kernel: u64,
            shmem: u64, file_dirty: u64, file_writeback: u64, pgfault: u64, pgmajfault: u64,
            workingset_refault: u64, rbytes: u64, wbytes: u64, rios: u64, wios: u64, dbytes: u64,
            cpu_some_usec: u64, cpu_full_usec: u64, mem_some_usec: u64, mem_full_usec: u64,
            io_some_usec: u64, io_full_usec: u64,
        }
        ul {}
        u { period_usec: u32, nr_periods: u32, nr_throttled: u32, oom: u32, oom_kill: u32 }
        tail { cgroup: CChars<56> = 0, qos: u8 = 56, kind: u8 = 57, flags: u8 = 58 }
    }
}

/// [`StatsCgroup`]'s `quota_usec` and `mem_max` when the cgroup has no limit
/// (`max` in cgroup v2, -1 or the page-rounded `LONG_MAX` in v1).
pub const CGROUP_NO_LIMIT: u64 = u64::MAX;

/// [`StatsCgroup::qos`]: a pod's Kubernetes QoS class, 0 for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum CgroupQos {
    None = 0,
    Guaranteed = 1,
    Burstable = 2,
    BestEffort = 3,
}

/// [`StatsCgroup::kind`]: what the cgroup stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum CgroupKind {
    /// A cgroup outside Kubernetes and systemd: a first level under the root.
    Plain = 0,
    /// A Kubernetes pod (`kubepods…/pod<UID>`).
    Pod = 1,
    /// One container of a pod (recorded per container).
    Container = 2,
    /// A systemd slice, service or scope.
    Unit = 3,
}

/// [`StatsCgroup::flags`] bits: where the figures came from.
pub mod cgroup_flags {
    /// Read from cgroup v2 (the unified hierarchy); else from v1 controllers.
    pub const V2: u8 = 0x01;
    /// The pressure (`*_some_usec`, `*_full_usec`) fields were read.
    pub const PRESSURE: u8 = 0x02;
    /// The CPU times are the sums of the cgroup's tasks' times (a v1 node
    /// whose cpuacct hierarchy lacks the cgroup): they fall when a task ends.
    pub const CPU_FROM_TASKS: u8 = 0x04;
    /// The CPU fields were read (a controller or the tasks had them).
    pub const CPU: u8 = 0x08;
    /// The memory fields were read.
    pub const MEMORY: u8 = 0x10;
    /// The I/O fields were read.
    pub const IO: u8 = 0x20;
}

impl CgroupQos {
    pub fn from_u8(v: u8) -> CgroupQos {
        match v {
            1 => CgroupQos::Guaranteed,
            2 => CgroupQos::Burstable,
            3 => CgroupQos::BestEffort,
            _ => CgroupQos::None,
        }
    }

    /// The class as Kubernetes names it, lower case; empty for none.
    pub fn name(self) -> &'static str {
        match self {
            CgroupQos::None => "",
            CgroupQos::Guaranteed => "guaranteed",
            CgroupQos::Burstable => "burstable",
            CgroupQos::BestEffort => "besteffort",
        }
    }
}

impl CgroupKind {
    pub fn from_u8(v: u8) -> CgroupKind {
        match v {
            1 => CgroupKind::Pod,
            2 => CgroupKind::Container,
            3 => CgroupKind::Unit,
            _ => CgroupKind::Plain,
        }
    }
}

impl StatsCgroup {
    /// CPU time used, user plus system: in cgroup v2 `usage_usec` is that
    /// sum (the kernel scales the two to add up to it), in v1 `cpuacct.usage`.
    pub fn usage_usec(&self) -> u64 {
        self.user_usec.wrapping_add(self.system_usec)
    }
}

/// Calls macro `$m` with every statistics structure of the 44 activities,
/// as `Variant(StatsType)` pairs: the one list of them, from which
/// [`crate::AnyStats`] and whatever else needs a case per structure are made.
#[macro_export]
macro_rules! for_each_stats {
    ($m:ident) => {
        $m! {
            Cpu(StatsCpu), Pcsw(StatsPcsw), Irq(StatsIrq), Swap(StatsSwap), Paging(StatsPaging),
            Io(StatsIo), Memory(StatsMemory), Ktables(StatsKtables), Queue(StatsQueue),
            Serial(StatsSerial), Disk(StatsDisk), NetDev(StatsNetDev), NetEdev(StatsNetEdev),
            NetNfs(StatsNetNfs), NetNfsd(StatsNetNfsd), NetSock(StatsNetSock), NetIp(StatsNetIp),
            NetEip(StatsNetEip), NetIcmp(StatsNetIcmp), NetEicmp(StatsNetEicmp), NetTcp(StatsNetTcp),
            NetEtcp(StatsNetEtcp), NetUdp(StatsNetUdp), NetSock6(StatsNetSock6), NetIp6(StatsNetIp6),
            NetEip6(StatsNetEip6), NetIcmp6(StatsNetIcmp6), NetEicmp6(StatsNetEicmp6),
            NetUdp6(StatsNetUdp6), PwrCpufreq(StatsPwrCpufreq), PwrFan(StatsPwrFan),
            PwrTemp(StatsPwrTemp), PwrIn(StatsPwrIn), Huge(StatsHuge), PwrWghfreq(StatsPwrWghfreq),
            PwrUsb(StatsPwrUsb), Filesystem(StatsFilesystem), Fchost(StatsFchost),
            Softnet(StatsSoftnet), PsiCpu(StatsPsiCpu), PsiIo(StatsPsiIo), PsiMem(StatsPsiMem),
            PwrBat(StatsPwrBat), Cgroup(StatsCgroup),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endian::{ByteOrder, Encoding};
    use crate::remap::map_size;

    /// sizeof() and the type counts of each structure in sysstat 12.7.9,
    /// measured by compiling its headers on x86_64.
    #[test]
    fn layouts_match_sysstat_12_7_9() {
        let expect: &[(Layout, [u32; 3], u32)] = &[
            (StatsCpu::LAYOUT, [10, 0, 0], 80),
            (StatsPcsw::LAYOUT, [1, 1, 0], 16),
            (StatsIrq::LAYOUT, [0, 0, 1], 12),
            (StatsSwap::LAYOUT, [0, 2, 0], 16),
            (StatsPaging::LAYOUT, [0, 10, 0], 80),
            (StatsIo::LAYOUT, [7, 0, 0], 56),
            (StatsMemory::LAYOUT, [18, 0, 0], 144),
            (StatsKtables::LAYOUT, [4, 0, 0], 32),
            (StatsQueue::LAYOUT, [3, 0, 3], 40),
            (StatsSerial::LAYOUT, [0, 0, 7], 28),
            (StatsDisk::LAYOUT, [3, 3, 8], 80),
            (StatsNetDev::LAYOUT, [7, 0, 1], 80),
            (StatsNetEdev::LAYOUT, [9, 0, 0], 88),
            (StatsNetNfs::LAYOUT, [0, 0, 6], 24),
            (StatsNetNfsd::LAYOUT, [0, 0, 11], 44),
            (StatsNetSock::LAYOUT, [0, 0, 6], 24),
            (StatsNetIp::LAYOUT, [8, 0, 0], 64),
            (StatsNetEip::LAYOUT, [8, 0, 0], 64),
            (StatsNetIcmp::LAYOUT, [0, 14, 0], 112),
            (StatsNetEicmp::LAYOUT, [0, 12, 0], 96),
            (StatsNetTcp::LAYOUT, [0, 4, 0], 32),
            (StatsNetEtcp::LAYOUT, [0, 5, 0], 40),
            (StatsNetUdp::LAYOUT, [0, 4, 0], 32),
            (StatsNetSock6::LAYOUT, [0, 0, 4], 16),
            (StatsNetIp6::LAYOUT, [10, 0, 0], 80),
            (StatsNetEip6::LAYOUT, [11, 0, 0], 88),
            (StatsNetIcmp6::LAYOUT, [0, 17, 0], 136),
            (StatsNetEicmp6::LAYOUT, [0, 11, 0], 88),
            (StatsNetUdp6::LAYOUT, [0, 4, 0], 32),
            (StatsPwrCpufreq::LAYOUT, [0, 1, 0], 8),
            (StatsPwrFan::LAYOUT, [2, 0, 0], 40),
            (StatsPwrTemp::LAYOUT, [3, 0, 0], 48),
            (StatsPwrIn::LAYOUT, [3, 0, 0], 48),
            (StatsHuge::LAYOUT, [4, 0, 0], 32),
            (StatsPwrWghfreq::LAYOUT, [1, 1, 0], 16),
            (StatsPwrUsb::LAYOUT, [0, 0, 4], 88),
            (StatsFilesystem::LAYOUT, [5, 0, 0], 296),
            (StatsFchost::LAYOUT, [0, 4, 0], 48),
            (StatsSoftnet::LAYOUT, [0, 0, 6], 24),
            (StatsPsiCpu::LAYOUT, [1, 3, 0], 32),
            (StatsPsiIo::LAYOUT, [2, 6, 0], 64),
            (StatsPsiMem::LAYOUT, [2, 6, 0], 64),
            (StatsPwrBat::LAYOUT, [0, 0, 0], 3),
            (StatsCgroup::LAYOUT, [27, 0, 5], 296),
        ];
        for (l, t, s) in expect {
            assert_eq!((l.types_nr, l.size), (*t, *s));
            assert!(map_size(l.types_nr) <= u64::from(l.size));
        }
    }

    #[test]
    fn net_dev_round_trips_with_its_tail() {
        let d = StatsNetDev {
            rx_packets: 1,
            tx_bytes: 1 << 40,
            speed: 1000,
            interface: CChars::new("enp6s0"),
            duplex: 1,
            ..Default::default()
        };
        for order in [ByteOrder::Little, ByteOrder::Big] {
            let enc = Encoding { order, long64: true };
            let mut out = Vec::new();
            d.encode(&mut ItemWriter::new(&mut out, StatsNetDev::LAYOUT, enc));
            assert_eq!(out.len(), 80);
            let back = StatsNetDev::decode(&Item::new(&out, StatsNetDev::LAYOUT.types_nr, enc));
            assert_eq!(back, d);
        }
    }

    #[test]
    fn cgroup_round_trips_in_every_encoding() {
        let c = StatsCgroup {
            user_usec: 1 << 40,
            quota_usec: CGROUP_NO_LIMIT,
            io_full_usec: 7,
            period_usec: 100_000,
            oom_kill: 3,
            cgroup: CChars::new("kube-system/coredns-5d78c9869d-abcde"),
            qos: CgroupQos::Burstable as u8,
            kind: CgroupKind::Pod as u8,
            flags: cgroup_flags::V2 | cgroup_flags::PRESSURE,
            ..Default::default()
        };
        // 27 long longs, 5 ints, the name at 236, the three bytes after it.
        assert_eq!(crate::remap::map_size(StatsCgroup::LAYOUT.types_nr), 236);
        for order in [ByteOrder::Little, ByteOrder::Big] {
            for long64 in [true, false] {
                let enc = Encoding { order, long64 };
                let mut out = Vec::new();
                c.encode(&mut ItemWriter::new(&mut out, StatsCgroup::LAYOUT, enc));
                assert_eq!(out.len(), 296);
                assert_eq!(&out[236..247], b"kube-system");
                assert_eq!(out[292..296], [2, 1, 3, 0]);
                let back = StatsCgroup::decode(&Item::new(&out, StatsCgroup::LAYOUT.types_nr, enc));
                assert_eq!(back, c);
            }
        }
    }

    #[test]
    fn an_older_memory_layout_leaves_new_fields_zero() {
        // sysstat 12.6 wrote A_MEMORY with 17 long longs.
        let old = Layout::new([17, 0, 0], 136);
        let m = StatsMemory { tlmkb: 8, shmemkb: 99, ..Default::default() };
        let enc = Encoding { order: ByteOrder::Little, long64: true };
        let mut out = Vec::new();
        m.encode(&mut ItemWriter::new(&mut out, old, enc));
        assert_eq!(out.len(), 136);
        let back = StatsMemory::decode(&Item::new(&out, old.types_nr, enc));
        assert_eq!(back, StatsMemory { shmemkb: 0, ..m });
    }
}
