//! The activities sysstat knows: identifiers, format magics, layouts and the
//! item limits a reader enforces (sysstat's `act[]` array in activity.c).

use crate::remap::Layout;
use crate::stats::*;

/// An activity identifier as stored in `file_activity.id`. Unknown values
/// are representable: files from newer releases may list activities we skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActivityId(pub u32);

#[allow(non_upper_case_globals)]
impl ActivityId {
    pub const A_CPU: ActivityId = ActivityId(1);
    pub const A_PCSW: ActivityId = ActivityId(2);
    pub const A_IRQ: ActivityId = ActivityId(3);
    pub const A_SWAP: ActivityId = ActivityId(4);
    pub const A_PAGE: ActivityId = ActivityId(5);
    pub const A_IO: ActivityId = ActivityId(6);
    pub const A_MEMORY: ActivityId = ActivityId(7);
    pub const A_KTABLES: ActivityId = ActivityId(8);
    pub const A_QUEUE: ActivityId = ActivityId(9);
    pub const A_SERIAL: ActivityId = ActivityId(10);
    pub const A_DISK: ActivityId = ActivityId(11);
    pub const A_NET_DEV: ActivityId = ActivityId(12);
    pub const A_NET_EDEV: ActivityId = ActivityId(13);
    pub const A_NET_NFS: ActivityId = ActivityId(14);
    pub const A_NET_NFSD: ActivityId = ActivityId(15);
    pub const A_NET_SOCK: ActivityId = ActivityId(16);
    pub const A_NET_IP: ActivityId = ActivityId(17);
    pub const A_NET_EIP: ActivityId = ActivityId(18);
    pub const A_NET_ICMP: ActivityId = ActivityId(19);
    pub const A_NET_EICMP: ActivityId = ActivityId(20);
    pub const A_NET_TCP: ActivityId = ActivityId(21);
    pub const A_NET_ETCP: ActivityId = ActivityId(22);
    pub const A_NET_UDP: ActivityId = ActivityId(23);
    pub const A_NET_SOCK6: ActivityId = ActivityId(24);
    pub const A_NET_IP6: ActivityId = ActivityId(25);
    pub const A_NET_EIP6: ActivityId = ActivityId(26);
    pub const A_NET_ICMP6: ActivityId = ActivityId(27);
    pub const A_NET_EICMP6: ActivityId = ActivityId(28);
    pub const A_NET_UDP6: ActivityId = ActivityId(29);
    pub const A_PWR_CPU: ActivityId = ActivityId(30);
    pub const A_PWR_FAN: ActivityId = ActivityId(31);
    pub const A_PWR_TEMP: ActivityId = ActivityId(32);
    pub const A_PWR_IN: ActivityId = ActivityId(33);
    pub const A_HUGE: ActivityId = ActivityId(34);
    pub const A_PWR_FREQ: ActivityId = ActivityId(35);
    pub const A_PWR_USB: ActivityId = ActivityId(36);
    pub const A_FS: ActivityId = ActivityId(37);
    pub const A_NET_FC: ActivityId = ActivityId(38);
    pub const A_NET_SOFT: ActivityId = ActivityId(39);
    pub const A_PSI_CPU: ActivityId = ActivityId(40);
    pub const A_PSI_IO: ActivityId = ActivityId(41);
    pub const A_PSI_MEM: ActivityId = ActivityId(42);
    pub const A_PWR_BAT: ActivityId = ActivityId(43);
    /// sarkit's per-cgroup (per-pod) activity, an extension no sysstat
    /// release knows (spec section 17).
    pub const A_CGROUP: ActivityId = ActivityId(1001);

    /// Whether this id is in the range sarkit reserves for its extension
    /// activities, which sysstat's readers skip.
    pub fn is_extension(self) -> bool {
        SARKIT_IDS.contains(&self.0)
    }

    /// What we know of this activity, if anything.
    pub fn info(self) -> Option<&'static ActivityInfo> {
        ACTIVITIES.iter().find(|a| a.id == self)
    }
}

/// Base of every activity's format magic (`ACTIVITY_MAGIC_BASE`).
pub const ACTIVITY_MAGIC_BASE: u32 = 0x8a;
/// Ids sarkit reserves for its extension activities: far above sysstat's,
/// which are numbered from 1 without gaps (43 in 12.7.9).
pub const SARKIT_IDS: std::ops::RangeInclusive<u32> = 1000..=1099;
/// Base of the extension activities' format magics, distinct from
/// sysstat's so that an id clash with another writer is noticed.
pub const SARKIT_MAGIC_BASE: u32 = 0x5300;
/// Most cgroups one record may hold.
const MAX_NR_CGROUPS: i32 = 65536;
/// Largest CPU count sysstat accepts, plus one for "all" (`NR_CPUS + 1`).
pub const NR_CPUS_MAX: i32 = 8192 + 1;
const MAX_NR_SERIAL_LINES: i32 = 65536;
const MAX_NR_DISKS: i32 = 65536 * 4096;
const MAX_NR_IFACES: i32 = 65536;
const MAX_NR_FANS: i32 = 4096;
const MAX_NR_TEMP_SENSORS: i32 = 4096;
const MAX_NR_IN_SENSORS: i32 = 4096;
const MAX_NR_USB: i32 = 65536;
const MAX_NR_FS: i32 = 65536 * 4096;
const MAX_NR_FCHOSTS: i32 = 65536;
const MAX_NR_BATS: i32 = 4096;

/// What sysstat 12.7.9 knows of one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityInfo {
    pub id: ActivityId,
    /// sysstat's name, as `sadf -H` prints it.
    pub name: &'static str,
    /// Format magic; a file whose entry has another magic is of a layout we
    /// cannot remap, and readers skip the activity.
    pub magic: u32,
    /// The current layout of one item.
    pub layout: Layout,
    /// Largest item count a file may declare (`nr_max`).
    pub nr_max: i32,
    /// Whether the item count is the CPU count and sysstat resets it to the
    /// new count at each restart (`AO_PERSISTENT`: A_CPU, A_IRQ, A_NET_SOFT).
    pub per_cpu: bool,
    /// Whether items carry sub-items (`nr2` > 1: interrupts, frequencies).
    pub matrix: bool,
}

macro_rules! info {
    ($id:ident, $ty:ty, $magic:expr, $nr_max:expr, per_cpu = $pc:expr, matrix = $mx:expr) => {
        info!($id, $ty, ACTIVITY_MAGIC_BASE + $magic, $nr_max, $pc, $mx)
    };
    ($id:ident, $ty:ty, $magic:expr, $nr_max:expr, $pc:expr, $mx:expr) => {
        ActivityInfo {
            id: ActivityId::$id,
            name: stringify!($id),
            magic: $magic,
            layout: <$ty as Stats>::LAYOUT,
            nr_max: $nr_max,
            per_cpu: $pc,
            matrix: $mx,
        }
    };
}

/// Every known activity, in the order sysstat lists, collects and reports
/// them, then sarkit's extensions.
pub static ACTIVITIES: [ActivityInfo; 44] = [
    info!(A_CPU, StatsCpu, 1, NR_CPUS_MAX, per_cpu = true, matrix = false),
    info!(A_PCSW, StatsPcsw, 1, 1, per_cpu = false, matrix = false),
    info!(A_IRQ, StatsIrq, 2, NR_CPUS_MAX, per_cpu = true, matrix = true),
    info!(A_SWAP, StatsSwap, 0, 1, per_cpu = false, matrix = false),
    info!(A_PAGE, StatsPaging, 0, 1, per_cpu = false, matrix = false),
    info!(A_IO, StatsIo, 1, 1, per_cpu = false, matrix = false),
    info!(A_MEMORY, StatsMemory, 1, 1, per_cpu = false, matrix = false),
    info!(A_HUGE, StatsHuge, 1, 1, per_cpu = false, matrix = false),
    info!(A_KTABLES, StatsKtables, 1, 1, per_cpu = false, matrix = false),
    info!(A_QUEUE, StatsQueue, 2, 1, per_cpu = false, matrix = false),
    info!(A_SERIAL, StatsSerial, 1, MAX_NR_SERIAL_LINES, per_cpu = false, matrix = false),
    info!(A_DISK, StatsDisk, 2, MAX_NR_DISKS, per_cpu = false, matrix = false),
    info!(A_NET_DEV, StatsNetDev, 3, MAX_NR_IFACES, per_cpu = false, matrix = false),
    info!(A_NET_EDEV, StatsNetEdev, 2, MAX_NR_IFACES, per_cpu = false, matrix = false),
    info!(A_NET_NFS, StatsNetNfs, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_NFSD, StatsNetNfsd, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_SOCK, StatsNetSock, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_IP, StatsNetIp, 2, 1, per_cpu = false, matrix = false),
    info!(A_NET_EIP, StatsNetEip, 2, 1, per_cpu = false, matrix = false),
    info!(A_NET_ICMP, StatsNetIcmp, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_EICMP, StatsNetEicmp, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_TCP, StatsNetTcp, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_ETCP, StatsNetEtcp, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_UDP, StatsNetUdp, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_SOCK6, StatsNetSock6, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_IP6, StatsNetIp6, 2, 1, per_cpu = false, matrix = false),
    info!(A_NET_EIP6, StatsNetEip6, 2, 1, per_cpu = false, matrix = false),
    info!(A_NET_ICMP6, StatsNetIcmp6, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_EICMP6, StatsNetEicmp6, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_UDP6, StatsNetUdp6, 0, 1, per_cpu = false, matrix = false),
    info!(A_NET_FC, StatsFchost, 0, MAX_NR_FCHOSTS, per_cpu = false, matrix = false),
    info!(A_NET_SOFT, StatsSoftnet, 0, NR_CPUS_MAX, per_cpu = true, matrix = false),
    info!(A_PWR_CPU, StatsPwrCpufreq, 0, NR_CPUS_MAX, per_cpu = false, matrix = false),
    info!(A_PWR_FAN, StatsPwrFan, 0, MAX_NR_FANS, per_cpu = false, matrix = false),
    info!(A_PWR_TEMP, StatsPwrTemp, 0, MAX_NR_TEMP_SENSORS, per_cpu = false, matrix = false),
    info!(A_PWR_IN, StatsPwrIn, 0, MAX_NR_IN_SENSORS, per_cpu = false, matrix = false),
    info!(A_PWR_FREQ, StatsPwrWghfreq, 1, NR_CPUS_MAX, per_cpu = false, matrix = true),
    info!(A_PWR_BAT, StatsPwrBat, 0, MAX_NR_BATS, per_cpu = false, matrix = false),
    info!(A_PWR_USB, StatsPwrUsb, 0, MAX_NR_USB, per_cpu = false, matrix = false),
    info!(A_FS, StatsFilesystem, 1, MAX_NR_FS, per_cpu = false, matrix = false),
    info!(A_PSI_CPU, StatsPsiCpu, 0, 1, per_cpu = false, matrix = false),
    info!(A_PSI_IO, StatsPsiIo, 0, 1, per_cpu = false, matrix = false),
    info!(A_PSI_MEM, StatsPsiMem, 0, 1, per_cpu = false, matrix = false),
    info!(A_CGROUP, StatsCgroup, SARKIT_MAGIC_BASE + 1, MAX_NR_CGROUPS, false, false),
];

/// sysstat's own activities: [`ACTIVITIES`] less sarkit's extensions.
pub fn sysstat_activities() -> impl Iterator<Item = &'static ActivityInfo> {
    ACTIVITIES.iter().filter(|a| !a.id.is_extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_every_id_once() {
        let mut ids: Vec<u32> = sysstat_activities().map(|a| a.id.0).collect();
        ids.sort_unstable();
        assert_eq!(ids, (1..=43).collect::<Vec<_>>());
        let ext: Vec<u32> = ACTIVITIES.iter().filter(|a| a.id.is_extension()).map(|a| a.id.0).collect();
        assert_eq!(ext, [1001]);
    }

    #[test]
    fn extensions_have_magics_of_their_own() {
        let cg = ActivityId::A_CGROUP.info().unwrap();
        assert_eq!((cg.name, cg.magic, cg.nr_max), ("A_CGROUP", 0x5301, 65536));
        assert!(!ActivityId(43).is_extension() && ActivityId(1001).is_extension());
    }

    #[test]
    fn names_and_magics_match_sysstat() {
        let cpu = ActivityId::A_CPU.info().unwrap();
        assert_eq!((cpu.name, cpu.magic), ("A_CPU", 0x8b));
        assert_eq!(ActivityId::A_NET_DEV.info().unwrap().magic, 0x8d);
        assert_eq!(ActivityId::A_IRQ.info().unwrap().magic, 0x8c);
        assert!(ActivityId(44).info().is_none());
    }
}
