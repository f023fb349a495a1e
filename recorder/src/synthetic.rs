//! A deterministic machine for benchmarks and tests (`rsadc --synthetic`).
//!
//! Every value is a pure function of the time asked for, so a day of
//! one-second records is produced without sleeping, two runs give identical
//! files, and a process restarted halfway continues the same series.
//! Counters integrate a rate that swings over the day with a little bounded
//! jitter, which keeps them monotonic and keeps CPU times summing to HZ per
//! second; gauges wander around a base value.

// `Option::is_none_or` would read better but needs Rust 1.82; the MSRV is 1.80.
#![allow(clippy::unnecessary_map_or)]

use std::f64::consts::TAU;
use std::io;

use sarkit_format::stats::*;
use sarkit_format::{ActivityData, ActivityId, ActivitySpec, AnyStats, HeaderInfo, Sample, SampleBody};

use crate::daily::{local_time, record_header};
use crate::source::SampleSource;

const HZ: u64 = 100;
/// The machine "reboots" every this many seconds, at fixed points in time.
const BOOT_PERIOD: u64 = 1 << 22;
const IRQS: usize = 8;
const FREQS: usize = 4;
const SERIALS: usize = 2;
const SENSORS: usize = 2;
const USBS: usize = 2;
const FILESYSTEMS: usize = 2;

/// A synthetic machine with `cpus` CPUs, `ifaces` interfaces and `disks` disks.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub cpus: u32,
    pub ifaces: u32,
    pub disks: u32,
    /// Fixed boot time; by default the machine boots every ~48 days.
    pub boot_time: Option<u64>,
    pub nodename: String,
    /// Record only these activities (`-S`); all of them when `None`.
    pub only: Option<Vec<ActivityId>>,
    last_time: u64,
}

impl Default for Synthetic {
    fn default() -> Self {
        Synthetic::new(16, 8, 8)
    }
}

impl Synthetic {
    pub fn new(cpus: u32, ifaces: u32, disks: u32) -> Self {
        Synthetic {
            cpus: cpus.clamp(1, 8192),
            ifaces: ifaces.min(65536),
            disks: disks.min(65536),
            boot_time: None,
            nodename: "synthetic".into(),
            only: None,
            last_time: 0,
        }
    }

    fn wanted(&self, id: ActivityId) -> bool {
        self.only.as_ref().map_or(true, |v| v.contains(&id))
    }

    fn uptime_s(&self, t: u64) -> u64 {
        match self.boot_time {
            Some(b) => t.saturating_sub(b),
            None => t % BOOT_PERIOD + 3600,
        }
    }

    /// Every activity's statistics at `t`.
    pub fn stats(&self, t: u64) -> Vec<ActivityData> {
        let g = Gen::new(self.uptime_s(t), t);
        let n = self.cpus as usize;
        let one = |stats| ActivityData { nr2: 1, stats };
        let mut out = Vec::with_capacity(43);

        // CPU times: per-CPU counters, "all" is their sum (as /proc/stat).
        let mut cpus = Vec::with_capacity(n + 1);
        cpus.push(StatsCpu::default());
        for c in 0..n {
            let k = 0.5 + (c % 4) as f64 * 0.25;
            let seed = 1000 + c as u64 * 16;
            let user = g.ctr(seed, 12.0 * k, 8.0 * k, 3.0);
            let nice = g.ctr(seed + 1, 0.5, 0.3, 0.2);
            let sys = g.ctr(seed + 2, 5.0 * k, 3.0 * k, 1.0);
            let iowait = g.ctr(seed + 3, 1.0, 0.8, 0.5);
            let hardirq = g.ctr(seed + 4, 0.2, 0.1, 0.1);
            let softirq = g.ctr(seed + 5, 0.8, 0.5, 0.3);
            let steal = g.ctr(seed + 6, 0.1, 0.05, 0.05);
            let guest = user / 10;
            let total = g.s as u64 * HZ;
            let busy = user + nice + sys + iowait + hardirq + softirq + steal;
            cpus.push(StatsCpu {
                cpu_user: user,
                cpu_nice: nice,
                cpu_sys: sys,
                cpu_idle: total.saturating_sub(busy),
                cpu_iowait: iowait,
                cpu_steal: steal,
                cpu_hardirq: hardirq,
                cpu_softirq: softirq,
                cpu_guest: guest,
                cpu_guest_nice: 0,
            });
        }
        let all = cpus[1..].iter().fold(StatsCpu::default(), |a, c| StatsCpu {
            cpu_user: a.cpu_user + c.cpu_user,
            cpu_nice: a.cpu_nice + c.cpu_nice,
            cpu_sys: a.cpu_sys + c.cpu_sys,
            cpu_idle: a.cpu_idle + c.cpu_idle,
            cpu_iowait: a.cpu_iowait + c.cpu_iowait,
            cpu_steal: a.cpu_steal + c.cpu_steal,
            cpu_hardirq: a.cpu_hardirq + c.cpu_hardirq,
            cpu_softirq: a.cpu_softirq + c.cpu_softirq,
            cpu_guest: a.cpu_guest + c.cpu_guest,
            cpu_guest_nice: 0,
        });
        cpus[0] = all;
        out.push(one(AnyStats::Cpu(cpus)));

        let nf = n as f64;
        out.push(one(AnyStats::Pcsw(vec![StatsPcsw {
            context_switch: g.ctr(2, 2000.0 * nf, 1200.0 * nf, 100.0 * nf),
            processes: g.ctr(3, 4.0, 3.0, 1.0),
        }])));

        // Interrupts: CPU "all" then each CPU; the first interrupt is the total.
        const NAMES: [&str; IRQS - 1] = ["0", "8", "9", "NMI", "LOC", "RES", "CAL"];
        let mut irq = vec![StatsIrq::default(); (n + 1) * IRQS];
        for c in 0..n {
            let mut sum = 0u32;
            for i in 1..IRQS {
                let v = g.ctr(5000 + (c * IRQS + i) as u64, 40.0 / i as f64, 20.0 / i as f64, 2.0) as u32;
                irq[(c + 1) * IRQS + i].irq_nr = v;
                irq[i].irq_nr = irq[i].irq_nr.wrapping_add(v);
                sum = sum.wrapping_add(v);
            }
            irq[(c + 1) * IRQS].irq_nr = sum;
            irq[0].irq_nr = irq[0].irq_nr.wrapping_add(sum);
        }
        irq[0].irq_name = CChars::new("sum");
        for (i, name) in NAMES.iter().enumerate() {
            irq[i + 1].irq_name = CChars::new(name);
        }
        out.push(ActivityData { nr2: IRQS as u32, stats: AnyStats::Irq(irq) });

        out.push(one(AnyStats::Swap(vec![StatsSwap {
            pswpin: g.ctr(4, 2.0, 2.0, 1.0),
            pswpout: g.ctr(5, 3.0, 3.0, 1.0),
        }])));
        out.push(one(AnyStats::Paging(vec![StatsPaging {
            pgpgin: g.ctr(6, 800.0, 600.0, 100.0),
            pgpgout: g.ctr(7, 1500.0, 1000.0, 200.0),
            pgfault: g.ctr(8, 30000.0, 20000.0, 3000.0),
            pgmajfault: g.ctr(9, 3.0, 2.0, 1.0),
            pgfree: g.ctr(10, 40000.0, 25000.0, 4000.0),
            pgscan_kswapd: g.ctr(11, 50.0, 50.0, 10.0),
            pgscan_direct: g.ctr(12, 5.0, 5.0, 2.0),
            pgsteal: g.ctr(13, 50.0, 50.0, 10.0),
            pgpromote: 0,
            pgdemote: 0,
        }])));

        // Disks first, so that A_IO is their sum.
        let disks: Vec<StatsDisk> = (0..self.disks as usize)
            .map(|d| {
                let seed = 20_000 + d as u64 * 16;
                let k = 1.0 / (1 + d % 3) as f64;
                let rio = g.ctr(seed, 60.0 * k, 50.0 * k, 10.0 * k);
                let wio = g.ctr(seed + 1, 120.0 * k, 80.0 * k, 20.0 * k);
                let dio = g.ctr(seed + 2, 1.0 * k, 1.0 * k, 0.5 * k);
                StatsDisk {
                    nr_ios: rio + wio + dio,
                    wwn0: 0,
                    wwn1: 0,
                    rd_sect: rio * 16,
                    wr_sect: wio * 24,
                    dc_sect: dio * 2048,
                    rd_ticks: (rio / 2) as u32,
                    wr_ticks: wio as u32,
                    tot_ticks: ((rio + wio) / 3) as u32,
                    rq_ticks: ((rio + wio) * 2 / 3) as u32,
                    major: if d < 4 { 259 } else { 8 },
                    minor: if d < 4 { d as u32 * 2 } else { (d as u32 - 4) * 16 },
                    dc_ticks: dio as u32,
                    part_nr: 0,
                }
            })
            .collect();
        let io = disks.iter().fold(StatsIo::default(), |a, d| StatsIo {
            dk_drive: a.dk_drive + d.nr_ios,
            dk_drive_rio: a.dk_drive_rio + d.rd_sect / 16,
            dk_drive_wio: a.dk_drive_wio + d.wr_sect / 24,
            dk_drive_rblk: a.dk_drive_rblk + d.rd_sect,
            dk_drive_wblk: a.dk_drive_wblk + d.wr_sect,
            dk_drive_dio: a.dk_drive_dio + d.dc_sect / 2048,
            dk_drive_dblk: a.dk_drive_dblk + d.dc_sect,
        });
        out.push(one(AnyStats::Io(vec![io])));

        let tl = 64 << 20;
        let fr = g.gauge(30, 20 << 20, 6 << 20);
        let ca = g.gauge(31, 24 << 20, 4 << 20);
        out.push(one(AnyStats::Memory(vec![StatsMemory {
            frmkb: fr,
            bufkb: g.gauge(32, 512 << 10, 128 << 10),
            camkb: ca,
            tlmkb: tl,
            frskb: g.gauge(33, 7 << 20, 1 << 20),
            tlskb: 8 << 20,
            caskb: g.gauge(34, 64 << 10, 16 << 10),
            comkb: g.gauge(35, 48 << 20, 8 << 20),
            activekb: g.gauge(36, 20 << 20, 4 << 20),
            inactkb: g.gauge(37, 16 << 20, 4 << 20),
            dirtykb: g.gauge(38, 64 << 10, 60 << 10),
            anonpgkb: g.gauge(39, 16 << 20, 4 << 20),
            slabkb: g.gauge(40, 1 << 20, 256 << 10),
            kstackkb: g.gauge(41, 32 << 10, 4 << 10),
            pgtblkb: g.gauge(42, 128 << 10, 32 << 10),
            vmusedkb: g.gauge(43, 256 << 10, 16 << 10),
            availablekb: fr + ca,
            shmemkb: g.gauge(44, 512 << 10, 64 << 10),
        }])));
        out.push(one(AnyStats::Huge(vec![StatsHuge { frhkb: 1 << 20, tlhkb: 2 << 20, rsvdhkb: 0, surphkb: 0 }])));
        out.push(one(AnyStats::Ktables(vec![StatsKtables {
            file_used: g.gauge(45, 20_000, 5000),
            inode_used: g.gauge(46, 300_000, 50_000),
            dentry_stat: g.gauge(47, 500_000, 100_000),
            pty_nr: g.gauge(48, 6, 4),
        }])));
        let load = |seed, base| g.gauge(seed, base * n as u64 / 4, base * n as u64 / 8) as u32;
        out.push(one(AnyStats::Queue(vec![StatsQueue {
            nr_running: g.gauge(49, 2 + n as u64 / 4, n as u64 / 4),
            procs_blocked: g.gauge(50, 1, 1),
            nr_threads: g.gauge(51, 1500, 300),
            load_avg_1: load(52, 100),
            load_avg_5: load(53, 100),
            load_avg_15: load(54, 100),
        }])));
        out.push(one(AnyStats::Serial(
            (0..SERIALS)
                .map(|i| StatsSerial {
                    rx: g.ctr(60 + i as u64, 2.0, 2.0, 1.0) as u32,
                    tx: g.ctr(62 + i as u64, 2.0, 2.0, 1.0) as u32,
                    line: i as u32,
                    ..Default::default()
                })
                .collect(),
        )));
        out.push(one(AnyStats::Disk(disks)));

        let (mut dev, mut edev) = (Vec::new(), Vec::new());
        for i in 0..self.ifaces as usize {
            let seed = 30_000 + i as u64 * 32;
            let k = 1.0 / (1 + i) as f64;
            let name = if i == 0 { "lo".to_string() } else { format!("eth{}", i - 1) };
            let rxp = g.ctr(seed, 3000.0 * k, 2500.0 * k, 200.0 * k);
            let txp = g.ctr(seed + 1, 2000.0 * k, 1500.0 * k, 200.0 * k);
            dev.push(StatsNetDev {
                rx_packets: rxp,
                tx_packets: txp,
                rx_bytes: rxp * 900,
                tx_bytes: txp * 400,
                rx_compressed: 0,
                tx_compressed: 0,
                multicast: g.ctr(seed + 2, 1.0, 1.0, 0.5),
                speed: if i == 0 { 0 } else { 10_000 },
                interface: CChars::new(&name),
                duplex: if i == 0 { 0 } else { 2 },
            });
            edev.push(StatsNetEdev {
                rx_dropped: g.ctr(seed + 3, 0.2, 0.2, 0.1),
                tx_dropped: 0,
                rx_errors: g.ctr(seed + 4, 0.01, 0.01, 0.01),
                interface: CChars::new(&name),
                ..Default::default()
            });
        }
        out.push(one(AnyStats::NetDev(dev)));
        out.push(one(AnyStats::NetEdev(edev)));

        let c = |seed, rate: f64| g.ctr(seed, rate, rate * 0.6, rate * 0.1 + 0.1);
        let c32 = |seed, rate: f64| c(seed, rate) as u32;
        out.push(one(AnyStats::NetNfs(vec![StatsNetNfs {
            nfs_rpccnt: c32(70, 50.0),
            nfs_rpcretrans: c32(71, 0.1),
            nfs_readcnt: c32(72, 20.0),
            nfs_writecnt: c32(73, 10.0),
            nfs_accesscnt: c32(74, 8.0),
            nfs_getattcnt: c32(75, 12.0),
        }])));
        out.push(one(AnyStats::NetNfsd(vec![StatsNetNfsd {
            nfsd_rpccnt: c32(76, 40.0),
            nfsd_rpcbad: 0,
            nfsd_netcnt: c32(77, 40.0),
            nfsd_netudpcnt: c32(78, 1.0),
            nfsd_nettcpcnt: c32(79, 39.0),
            nfsd_rchits: c32(80, 5.0),
            nfsd_rcmisses: c32(81, 30.0),
            nfsd_readcnt: c32(82, 15.0),
            nfsd_writecnt: c32(83, 10.0),
            nfsd_accesscnt: c32(84, 5.0),
            nfsd_getattcnt: c32(85, 10.0),
        }])));
        let gg = |seed, base: u64| g.gauge(seed, base, base / 4) as u32;
        out.push(one(AnyStats::NetSock(vec![StatsNetSock {
            sock_inuse: gg(86, 800),
            tcp_inuse: gg(87, 200),
            tcp_tw: gg(88, 100),
            udp_inuse: gg(89, 20),
            raw_inuse: 1,
            frag_inuse: 0,
        }])));
        out.push(one(AnyStats::NetIp(vec![StatsNetIp {
            InReceives: c(90, 5000.0),
            ForwDatagrams: c(91, 10.0),
            InDelivers: c(92, 4900.0),
            OutRequests: c(93, 3500.0),
            ReasmReqds: c(94, 0.5),
            ReasmOKs: c(95, 0.25),
            FragOKs: c(96, 0.25),
            FragCreates: c(97, 0.5),
        }])));
        out.push(one(AnyStats::NetEip(vec![StatsNetEip {
            InHdrErrors: c(98, 0.01),
            InAddrErrors: c(99, 0.5),
            InDiscards: c(100, 0.1),
            OutNoRoutes: c(101, 0.05),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetIcmp(vec![StatsNetIcmp {
            InMsgs: c(102, 3.0),
            OutMsgs: c(103, 3.0),
            InEchos: c(104, 1.0),
            InEchoReps: c(105, 1.0),
            OutEchos: c(106, 1.0),
            OutEchoReps: c(107, 1.0),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetEicmp(vec![StatsNetEicmp {
            InDestUnreachs: c(108, 0.5),
            OutDestUnreachs: c(109, 0.5),
            InTimeExcds: c(110, 0.05),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetTcp(vec![StatsNetTcp {
            ActiveOpens: c(111, 20.0),
            PassiveOpens: c(112, 15.0),
            InSegs: c(113, 4000.0),
            OutSegs: c(114, 3000.0),
        }])));
        out.push(one(AnyStats::NetEtcp(vec![StatsNetEtcp {
            AttemptFails: c(115, 0.5),
            EstabResets: c(116, 1.0),
            RetransSegs: c(117, 5.0),
            InErrs: c(118, 0.01),
            OutRsts: c(119, 2.0),
        }])));
        out.push(one(AnyStats::NetUdp(vec![StatsNetUdp {
            InDatagrams: c(120, 800.0),
            OutDatagrams: c(121, 500.0),
            NoPorts: c(122, 1.0),
            InErrors: c(123, 0.01),
        }])));
        out.push(one(AnyStats::NetSock6(vec![StatsNetSock6 {
            tcp6_inuse: gg(124, 40),
            udp6_inuse: gg(125, 8),
            raw6_inuse: 1,
            frag6_inuse: 0,
        }])));
        out.push(one(AnyStats::NetIp6(vec![StatsNetIp6 {
            InReceives6: c(126, 500.0),
            OutForwDatagrams6: c(127, 1.0),
            InDelivers6: c(128, 490.0),
            OutRequests6: c(129, 400.0),
            InMcastPkts6: c(130, 2.0),
            OutMcastPkts6: c(131, 1.0),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetEip6(vec![StatsNetEip6 {
            InAddrErrors6: c(132, 0.05),
            InDiscards6: c(133, 0.05),
            InNoRoutes6: c(134, 0.02),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetIcmp6(vec![StatsNetIcmp6 {
            InMsgs6: c(135, 2.0),
            OutMsgs6: c(136, 2.0),
            InNeighborSolicits6: c(137, 0.5),
            OutNeighborSolicits6: c(138, 0.5),
            InNeighborAdvertisements6: c(139, 0.5),
            OutNeighborAdvertisements6: c(140, 0.5),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetEicmp6(vec![StatsNetEicmp6 {
            InDestUnreachs6: c(141, 0.1),
            OutDestUnreachs6: c(142, 0.1),
            ..Default::default()
        }])));
        out.push(one(AnyStats::NetUdp6(vec![StatsNetUdp6 {
            InDatagrams6: c(143, 100.0),
            OutDatagrams6: c(144, 90.0),
            NoPorts6: c(145, 0.1),
            InErrors6: 0,
        }])));
        out.push(one(AnyStats::Fchost(vec![StatsFchost {
            f_rxframes: c(146, 500.0),
            f_txframes: c(147, 400.0),
            f_rxwords: c(148, 500.0) * 512,
            f_txwords: c(149, 400.0) * 512,
            fchost_name: CChars::new("host0"),
        }])));
        let mut soft = vec![StatsSoftnet::default()];
        for i in 0..n {
            let s = StatsSoftnet {
                processed: c32(40_000 + i as u64 * 4, 300.0),
                dropped: 0,
                time_squeeze: c32(40_001 + i as u64 * 4, 0.1),
                received_rps: c32(40_002 + i as u64 * 4, 5.0),
                flow_limit: 0,
                backlog_len: gg(40_003 + i as u64 * 4, 4),
            };
            let a = soft[0];
            soft[0] = StatsSoftnet {
                processed: a.processed.wrapping_add(s.processed),
                dropped: 0,
                time_squeeze: a.time_squeeze.wrapping_add(s.time_squeeze),
                received_rps: a.received_rps.wrapping_add(s.received_rps),
                flow_limit: 0,
                backlog_len: a.backlog_len + s.backlog_len,
            };
            soft.push(s);
        }
        out.push(one(AnyStats::Softnet(soft)));

        // Power management.
        let freqs: Vec<StatsPwrCpufreq> =
            (0..=n).map(|i| StatsPwrCpufreq { cpufreq: g.gauge(50_000 + i as u64, 240_000, 120_000) }).collect();
        out.push(one(AnyStats::PwrCpufreq(freqs)));
        let sensor = |kind: &str, i: usize| CChars::new(&format!("{kind}-isa-{i:04}"));
        out.push(one(AnyStats::PwrFan(
            (0..SENSORS)
                .map(|i| StatsPwrFan {
                    rpm: g.gauge(150 + i as u64, 2400, 600) as f64,
                    rpm_min: 600.0,
                    device: sensor("fan", i),
                })
                .collect(),
        )));
        out.push(one(AnyStats::PwrTemp(
            (0..SENSORS)
                .map(|i| StatsPwrTemp {
                    temp: g.gauge(152 + i as u64, 5500, 1500) as f64 / 100.0,
                    temp_min: 0.0,
                    temp_max: 100.0,
                    device: sensor("coretemp", i),
                })
                .collect(),
        )));
        out.push(one(AnyStats::PwrIn(
            (0..SENSORS)
                .map(|i| StatsPwrIn {
                    r#in: g.gauge(154 + i as u64, 1200, 30) as f64 / 1000.0,
                    in_min: 1.0,
                    in_max: 1.5,
                    device: sensor("in", i),
                })
                .collect(),
        )));
        let mut wgh = Vec::with_capacity((n + 1) * FREQS);
        for cpu in 0..=n {
            for f in 0..FREQS {
                wgh.push(StatsPwrWghfreq {
                    time_in_state: g.ctr(60_000 + (cpu * FREQS + f) as u64, 25.0, 20.0, 2.0),
                    freq: 800_000 + f as u64 * 800_000,
                });
            }
        }
        out.push(ActivityData { nr2: FREQS as u32, stats: AnyStats::PwrWghfreq(wgh) });
        out.push(one(AnyStats::PwrBat(vec![StatsPwrBat {
            bat_id: 0,
            capacity: g.gauge(156, 80, 15) as u8,
            status: 3,
        }])));
        out.push(one(AnyStats::PwrUsb(
            (0..USBS)
                .map(|i| StatsPwrUsb {
                    bus_nr: i as u32 + 1,
                    vendor_id: 0x1d6b,
                    product_id: 2 + i as u32,
                    bmaxpower: 0,
                    manufacturer: CChars::new("Linux Foundation"),
                    product: CChars::new(&format!("{}.0 root hub", 2 + i)),
                })
                .collect(),
        )));
        out.push(one(AnyStats::Filesystem(
            (0..FILESYSTEMS)
                .map(|i| {
                    let blocks = (512u64 << 30) >> i;
                    let free = g.gauge(160 + i as u64, blocks / 2, blocks / 16);
                    StatsFilesystem {
                        f_blocks: blocks,
                        f_bfree: free,
                        f_bavail: free - free / 20,
                        f_files: 32 << 20,
                        f_ffree: g.gauge(162 + i as u64, 30 << 20, 1 << 20),
                        fs_name: CChars::new(&format!("/dev/nvme0n1p{}", i + 1)),
                        mountp: CChars::new(if i == 0 { "/" } else { "/home" }),
                    }
                })
                .collect(),
        )));
        let avg = |seed| g.gauge(seed, 300, 250);
        out.push(one(AnyStats::PsiCpu(vec![StatsPsiCpu {
            some_cpu_total: g.ctr(170, 20_000.0, 15_000.0, 2000.0),
            some_acpu_10: avg(171),
            some_acpu_60: avg(172),
            some_acpu_300: avg(173),
        }])));
        out.push(one(AnyStats::PsiIo(vec![StatsPsiIo {
            some_io_total: g.ctr(174, 5000.0, 4000.0, 500.0),
            full_io_total: g.ctr(175, 4000.0, 3000.0, 500.0),
            some_aio_10: avg(176),
            some_aio_60: avg(177),
            some_aio_300: avg(178),
            full_aio_10: avg(179),
            full_aio_60: avg(180),
            full_aio_300: avg(181),
        }])));
        out.push(one(AnyStats::PsiMem(vec![StatsPsiMem {
            some_mem_total: g.ctr(182, 1000.0, 900.0, 100.0),
            full_mem_total: g.ctr(183, 500.0, 400.0, 100.0),
            some_amem_10: avg(184),
            some_amem_60: avg(185),
            some_amem_300: avg(186),
            full_amem_10: avg(187),
            full_amem_60: avg(188),
            full_amem_300: avg(189),
        }])));
        out
    }
}

impl SampleSource for Synthetic {
    fn header_info(&mut self, unix_time: u64) -> io::Result<HeaderInfo> {
        let lt = local_time(unix_time);
        Ok(HeaderInfo {
            version: sarkit_format::Compat::Current.version(),
            sa_ust_time: unix_time,
            sa_hz: HZ,
            sa_cpu_nr: self.cpus + 1,
            sa_year: lt.year - 1900,
            sa_day: lt.mday,
            sa_month: lt.month0,
            sysname: "Linux".into(),
            nodename: self.nodename.clone(),
            release: "6.1.0-synthetic".into(),
            machine: "x86_64".into(),
            tzname: lt.zone,
        })
    }

    fn specs(&mut self) -> io::Result<Vec<ActivitySpec>> {
        Ok(self
            .stats(self.last_time.max(sarkit_format::record::MIN_UST_TIME))
            .iter()
            .filter(|d| self.wanted(d.id()))
            .filter_map(|d| ActivitySpec::current(d.id(), d.nr().max(1), d.nr2))
            .collect())
    }

    fn sample(&mut self, unix_time: u64) -> io::Result<Sample> {
        self.last_time = unix_time;
        Ok(Sample {
            header: record_header(unix_time, self.uptime_s(unix_time) * HZ),
            body: SampleBody::Stats(self.stats(unix_time).into_iter().filter(|d| self.wanted(d.id())).collect()),
        })
    }

    fn cpu_nr(&mut self) -> io::Result<u32> {
        Ok(self.cpus + 1)
    }

    fn uptime_cs(&mut self) -> io::Result<u64> {
        Ok(self.uptime_s(self.last_time) * HZ)
    }

    fn collect_only(&mut self, ids: &[ActivityId]) {
        self.only = Some(ids.to_vec());
    }
}

/// Values at one instant: `s` seconds of uptime, `t` seconds since the epoch.
/// The day-long waves are evaluated once per instant and shifted per seed
/// by angle addition, which keeps a benchmark day cheap.
struct Gen {
    s: f64,
    t: f64,
    /// cos and sin of the uptime wave's angle.
    up: (f64, f64),
    /// cos and sin of the time-of-day angle.
    day: (f64, f64),
}

/// One day, in radians per second.
const W: f64 = TAU / 86_400.0;

impl Gen {
    fn new(s: u64, t: u64) -> Gen {
        let (s, t) = (s as f64, t as f64);
        let a = W * s;
        let d = W * (t % 86_400.0);
        Gen { s, t, up: (a.cos(), a.sin()), day: (d.cos(), d.sin()) }
    }

    /// A counter whose rate per second swings between `rate - swing` and
    /// `rate + swing` over the day, plus jitter in `[0, jitter)`; monotonic
    /// as long as `swing + jitter <= rate`, which is enforced.
    fn ctr(&self, seed: u64, rate: f64, swing: f64, jitter: f64) -> u64 {
        let (pc, ps) = phase(seed % 97);
        let swing = swing.min(rate);
        let jitter = jitter.min(rate - swing);
        // cos(a + p) by angle addition.
        let cos_now = self.up.0 * pc - self.up.1 * ps;
        let integral = rate * self.s + swing / W * (pc - cos_now);
        let v = integral + jitter * noise(seed, self.s as u64);
        v.max(0.0) as u64
    }

    /// A level around `base`, following the time of day, with ±`amp` range.
    fn gauge(&self, seed: u64, base: u64, amp: u64) -> u64 {
        let (pc, ps) = phase(seed % 13 * 7);
        let day = self.day.1 * pc + self.day.0 * ps;
        let n = noise(seed, self.t as u64) * 2.0 - 1.0;
        let v = base as f64 + amp as f64 * (0.7 * day + 0.3 * n);
        v.max(0.0) as u64
    }
}

/// cos and sin of phase number `i` (0.05 rad apart).
fn phase(i: u64) -> (f64, f64) {
    static TABLE: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        (0..97).map(|k| (k as f64 * 0.05).cos()).zip((0..97).map(|k| (k as f64 * 0.05).sin())).collect()
    });
    t[(i % 97) as usize]
}

/// A uniform value in [0, 1) from a seed and a second (splitmix64).
fn noise(seed: u64, s: u64) -> f64 {
    let mut z = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ s.wrapping_add(0x6A09_E667_F3BC_C909);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu(d: &[ActivityData]) -> Vec<StatsCpu> {
        match &d[0].stats {
            AnyStats::Cpu(v) => v.clone(),
            _ => panic!("A_CPU comes first"),
        }
    }

    #[test]
    fn every_activity_is_produced_once() {
        let s = Synthetic::new(4, 3, 2);
        let mut ids: Vec<u32> = s.stats(1_700_000_000).iter().map(|d| d.id().0).collect();
        ids.sort_unstable();
        assert_eq!(ids, (1..=43).collect::<Vec<_>>());
    }

    #[test]
    fn counters_are_monotonic_and_cpu_times_sum_to_hz() {
        let s = Synthetic::new(4, 3, 2);
        let t0 = 1_700_000_000;
        let mut prev = cpu(&s.stats(t0));
        for t in t0 + 1..t0 + 2000 {
            let now = cpu(&s.stats(t));
            for (a, b) in prev.iter().zip(&now).skip(1) {
                assert!(b.cpu_user >= a.cpu_user && b.cpu_idle >= a.cpu_idle && b.cpu_sys >= a.cpu_sys, "{t}");
                let total = |c: &StatsCpu| {
                    c.cpu_user
                        + c.cpu_nice
                        + c.cpu_sys
                        + c.cpu_idle
                        + c.cpu_iowait
                        + c.cpu_steal
                        + c.cpu_hardirq
                        + c.cpu_softirq
                };
                assert_eq!(total(b) - total(a), HZ, "{t}");
            }
            prev = now;
        }
    }

    #[test]
    fn same_time_same_values() {
        let (a, b) = (Synthetic::default(), Synthetic::default());
        assert_eq!(a.stats(1_700_012_345), b.stats(1_700_012_345));
    }

    #[test]
    fn specs_match_the_samples() {
        let mut s = Synthetic::new(2, 2, 2);
        let specs = s.specs().unwrap();
        assert_eq!(specs.len(), 43);
        let irq = specs.iter().find(|x| x.info.id == ActivityId::A_IRQ).unwrap();
        assert_eq!((irq.nr, irq.nr2), (3, IRQS as u32));
    }
}
