//! Upgrading one activity's items from an old layout (`sa_conv.c`'s
//! `upgrade_stats_*` and `count_stats_*`).
//!
//! sysstat reads each old item into a buffer of `msize` bytes per item
//! (the larger of the old and current sizes, zero beyond what was read),
//! then fills current structures field by field. A view over the record's
//! bytes stands in for that buffer: fields past the stored size read as
//! zero, exactly as they do there, and nothing is allocated per item.

use crate::activity::{ActivityId, ActivityInfo};
use crate::endian::Encoding;
use crate::remap::Item;
use crate::stats::*;
use crate::writer::{ActivityData, AnyStats};

use super::OldActivity;

const MAGIC_8A: u32 = crate::activity::ACTIVITY_MAGIC_BASE;
const MAGIC_8B: u32 = MAGIC_8A + 1;

/// What sysstat keeps per activity while converting: item counts, buffer
/// stride and, for `A_PWR_FREQ`, the previous record's values, which rows
/// ending early leave in place.
#[derive(Debug, Clone)]
pub struct ActState {
    pub info: &'static ActivityInfo,
    /// Items per record (changes at 0x2173 restarts for volatile activities).
    pub nr_ini: u32,
    pub nr2: u32,
    /// Item count declared in the converted activity list.
    pub spec_nr: u32,
    /// Stride of the read buffer: max(old size, current size).
    msize: usize,
    freq: Vec<StatsPwrWghfreq>,
}

impl ActState {
    pub(super) fn new(info: &'static ActivityInfo, oa: &OldActivity) -> ActState {
        // Old A_IRQ lists only CPU "all": its interrupts become sub-items.
        let (nr_ini, nr2) = if info.id == ActivityId::A_IRQ && oa.magic < MAGIC_8A + 2 {
            (1, oa.nr as u32)
        } else {
            (oa.nr as u32, oa.nr2 as u32)
        };
        let msize = (info.layout.size as usize).max(oa.size as usize);
        ActState { info, nr_ini, nr2, spec_nr: nr_ini, msize, freq: Vec::new() }
    }

    pub(super) fn set_nr_ini(&mut self, nr: u32) {
        self.nr_ini = nr;
    }

    /// Convert one record's block of this activity: `bytes` holds
    /// `nr_ini × nr2` items of `oa.size` bytes.
    pub(super) fn convert(&mut self, oa: &OldActivity, bytes: &[u8], enc: Encoding) -> ActivityData {
        let buf = Buf { bytes, size: oa.size as usize, msize: self.msize, enc };
        let n = self.nr_ini as usize * self.nr2 as usize;
        let nr_ini = self.nr_ini as usize;
        let id = self.info.id;
        let mut nr_struct = nr_ini;
        let mut stats = if oa.magic < self.info.magic {
            match id {
                ActivityId::A_CPU => AnyStats::Cpu(per_item(n, nr_ini, |i| cpu(&buf.item(i), oa.size))),
                ActivityId::A_PCSW => AnyStats::Pcsw(first(n, pcsw(&buf.item(0)))),
                ActivityId::A_IRQ => AnyStats::Irq(per_item(n, self.nr2 as usize, |i| irq(&buf.item(i), i))),
                ActivityId::A_IO => AnyStats::Io(first(n, io(&buf.item(0)))),
                ActivityId::A_QUEUE => AnyStats::Queue(first(n, queue(&buf.item(0), oa.magic))),
                ActivityId::A_MEMORY => AnyStats::Memory(first(n, memory(&buf.item(0), oa.size))),
                ActivityId::A_KTABLES => AnyStats::Ktables(first(n, ktables(&buf.item(0)))),
                ActivityId::A_SERIAL => {
                    let (v, count) = serial(&buf, n, nr_ini);
                    nr_struct = count;
                    AnyStats::Serial(v)
                }
                ActivityId::A_DISK => AnyStats::Disk(per_item(n, nr_ini, |i| disk(&buf.item(i), oa.magic))),
                ActivityId::A_NET_DEV => AnyStats::NetDev(per_item(n, nr_ini, |i| net_dev(&buf.item(i), oa.magic))),
                ActivityId::A_NET_EDEV => AnyStats::NetEdev(per_item(n, nr_ini, |i| net_edev(&buf.item(i), oa.magic))),
                ActivityId::A_NET_IP => AnyStats::NetIp(first(n, counter_struct::<_, 8>(&buf.item(0), oa.magic))),
                ActivityId::A_NET_EIP => AnyStats::NetEip(first(n, counter_struct::<_, 8>(&buf.item(0), oa.magic))),
                ActivityId::A_NET_IP6 => AnyStats::NetIp6(first(n, counter_struct::<_, 10>(&buf.item(0), oa.magic))),
                ActivityId::A_NET_EIP6 => AnyStats::NetEip6(first(n, counter_struct::<_, 11>(&buf.item(0), oa.magic))),
                ActivityId::A_HUGE => AnyStats::Huge(first(n, huge(&buf.item(0)))),
                ActivityId::A_PWR_FREQ => AnyStats::PwrWghfreq(self.wghfreq(&buf, n)),
                ActivityId::A_FS => AnyStats::Filesystem(per_item(n, nr_ini, |i| fs(&buf.item(i), oa.size))),
                // No upgrade exists: sysstat writes its zeroed buffer.
                _ => zeroed(id, n),
            }
        } else {
            copy_current(&buf, self.info, n)
        };
        if self.info.nr_max > 1 {
            nr_struct = match (&stats, id) {
                (AnyStats::Disk(v), _) => leading(v, nr_ini, |d| d.major.wrapping_add(d.minor) != 0),
                (AnyStats::NetDev(v), _) => leading(v, nr_ini, |d| d.interface.0[0] != 0),
                (AnyStats::NetEdev(v), _) => leading(v, nr_ini, |d| d.interface.0[0] != 0),
                (AnyStats::PwrUsb(v), _) => leading(v, nr_ini, |d| d.bus_nr != 0),
                (AnyStats::Filesystem(v), _) => leading(v, nr_ini, |d| d.f_blocks != 0),
                (AnyStats::Fchost(v), _) => leading(v, nr_ini, |d| d.fchost_name.0[0] != 0),
                _ => nr_struct,
            };
        }
        stats.truncate(nr_struct * self.nr2 as usize);
        ActivityData { nr2: self.nr2, stats }
    }

    /// `upgrade_stats_pwr_wghfreq`: a row stops at the first frequency of 0,
    /// and the rest of the row keeps what the previous record left there.
    fn wghfreq(&mut self, buf: &Buf<'_>, n: usize) -> Vec<StatsPwrWghfreq> {
        self.freq.resize(n, StatsPwrWghfreq::default());
        let nr2 = self.nr2 as usize;
        for i in 0..self.nr_ini as usize {
            for k in 0..nr2 {
                let it = buf.item(i * nr2 + k);
                let freq = it.ul(16);
                if freq == 0 {
                    break;
                }
                self.freq[i * nr2 + k] = StatsPwrWghfreq { time_in_state: it.u64(0), freq };
            }
        }
        self.freq[..n].to_vec()
    }
}

/// The read buffer: `nr` items of `size` bytes at a stride of `msize`,
/// zero-padded.
#[derive(Clone, Copy)]
struct Buf<'a> {
    bytes: &'a [u8],
    size: usize,
    msize: usize,
    enc: Encoding,
}

impl<'a> Buf<'a> {
    fn item(&self, i: usize) -> View<'a> {
        let start = i.saturating_mul(self.size);
        let b = self.bytes.get(start..start.saturating_add(self.size)).unwrap_or(&[]);
        View { b, enc: self.enc }
    }

    /// The byte at `off` of the buffer, as sysstat's `memcpy`s see it.
    fn byte(&self, off: usize) -> u8 {
        let (k, r) = (off / self.msize, off % self.msize);
        if r < self.size {
            self.bytes.get(k * self.size + r).copied().unwrap_or(0)
        } else {
            0
        }
    }
}

/// One old item; fields beyond its bytes read as zero.
struct View<'a> {
    b: &'a [u8],
    enc: Encoding,
}

impl View<'_> {
    fn bytes<const N: usize>(&self, off: usize) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(src) = self.b.get(off..) {
            let n = src.len().min(N);
            out[..n].copy_from_slice(&src[..n]);
        }
        out
    }
    fn u64(&self, off: usize) -> u64 {
        self.enc.order.u64(self.bytes(off))
    }
    fn u32(&self, off: usize) -> u32 {
        self.enc.order.u32(self.bytes(off))
    }
    /// A `long` in its 8-byte slot (`moveto_long_long`).
    fn ul(&self, off: usize) -> u64 {
        self.enc.ul(self.bytes(off))
    }
    /// A string copied with `snprintf("%s")`: up to the NUL, at most N-1 bytes.
    fn chars<const N: usize>(&self, off: usize) -> CChars<N> {
        let raw: [u8; N] = self.bytes(off);
        let end = raw.iter().position(|&c| c == 0).unwrap_or(N).min(N - 1);
        let mut out = [0u8; N];
        out[..end].copy_from_slice(&raw[..end]);
        CChars(out)
    }
}

/// `n` structures, the first `upgraded` of them filled by `f`.
fn per_item<T: Default + Clone>(n: usize, upgraded: usize, f: impl Fn(usize) -> T) -> Vec<T> {
    let mut v = vec![T::default(); n];
    for (i, slot) in v.iter_mut().enumerate().take(upgraded) {
        *slot = f(i);
    }
    v
}

/// `n` structures, only the first filled (single-item upgrades).
fn first<T: Default + Clone>(n: usize, t: T) -> Vec<T> {
    per_item(n, 1, |_| t.clone())
}

/// Items before the first empty slot, among the first `max`.
fn leading<T>(v: &[T], max: usize, used: impl Fn(&T) -> bool) -> usize {
    v.iter().take(max).take_while(|t| used(t)).count()
}

fn zeroed(id: ActivityId, n: usize) -> AnyStats {
    let mut s = AnyStats::empty(id).expect("known activity");
    let zero = vec![0u8; id.info().map_or(0, |i| i.layout.size as usize)];
    let types = id.info().map_or([0; 3], |i| i.layout.types_nr);
    for _ in 0..n {
        s.push_item(&Item::new(&zero, types, Encoding::NATIVE));
    }
    s
}

/// Same layout generation: sysstat copies `fsize` bytes per item, reading
/// and writing its buffers at the `msize` stride but writing the file at
/// the `fsize` stride (they differ only when the old items are larger).
fn copy_current(buf: &Buf<'_>, info: &ActivityInfo, n: usize) -> AnyStats {
    let mut s = AnyStats::empty(info.id).expect("known activity");
    let fsize = info.layout.size as usize;
    let mut item = vec![0u8; fsize];
    for j in 0..n {
        for (r, b) in item.iter_mut().enumerate() {
            // Offset in the output buffer, then which copy wrote it.
            let off = j * fsize + r;
            let (k, kr) = (off / buf.msize, off % buf.msize);
            *b = if kr < fsize { buf.byte(k * buf.msize + kr) } else { 0 };
        }
        s.push_item(&Item::new(&item, info.layout.types_nr, buf.enc));
    }
    s
}

fn cpu(v: &View<'_>, size: i32) -> StatsCpu {
    let f = |i: usize| v.u64(16 * i);
    StatsCpu {
        cpu_user: f(0),
        cpu_nice: f(1),
        cpu_sys: f(2),
        cpu_idle: f(3),
        cpu_iowait: f(4),
        cpu_steal: f(5),
        cpu_hardirq: f(6),
        cpu_softirq: f(7),
        cpu_guest: f(8),
        // Added without a format change: present only in 160-byte items.
        cpu_guest_nice: if size >= 160 { f(9) } else { 0 },
    }
}

fn pcsw(v: &View<'_>) -> StatsPcsw {
    StatsPcsw { context_switch: v.u64(0), processes: v.ul(16) }
}

fn irq(v: &View<'_>, i: usize) -> StatsIrq {
    // Both old layouts start with the count as a u64; sysstat keeps 32 bits.
    let irq_name = if i == 0 {
        CChars::new("sum")
    } else {
        CChars::new(&(i - 1).min(crate::header::NR2_MAX as usize).to_string())
    };
    StatsIrq { irq_nr: v.u64(0) as u32, irq_name }
}

fn io(v: &View<'_>) -> StatsIo {
    let f = |i: usize| u64::from(v.u32(4 * i));
    StatsIo {
        dk_drive: f(0),
        dk_drive_rio: f(1),
        dk_drive_wio: f(2),
        dk_drive_rblk: f(3),
        dk_drive_wblk: f(4),
        ..Default::default()
    }
}

fn queue(v: &View<'_>, magic: u32) -> StatsQueue {
    // 0x8a has no procs_blocked; the four ints follow the longs.
    let (blocked, ints) = if magic == MAGIC_8A { (0, 8) } else { (v.ul(8), 16) };
    StatsQueue {
        nr_running: v.ul(0),
        procs_blocked: blocked,
        nr_threads: u64::from(v.u32(ints + 12)),
        load_avg_1: v.u32(ints),
        load_avg_5: v.u32(ints + 4),
        load_avg_15: v.u32(ints + 8),
    }
}

fn memory(v: &View<'_>, size: i32) -> StatsMemory {
    let f = |i: usize| v.ul(8 * i);
    let mut m = StatsMemory {
        frmkb: f(0),
        bufkb: f(1),
        camkb: f(2),
        tlmkb: f(3),
        frskb: f(4),
        tlskb: f(5),
        caskb: f(6),
        comkb: f(7),
        activekb: f(8),
        inactkb: f(9),
        ..Default::default()
    };
    // Fields added without a format change, known by the item size.
    if size >= 80 {
        m.dirtykb = f(10);
    }
    if size >= 88 {
        m.anonpgkb = f(11);
        m.slabkb = f(12);
        m.kstackkb = f(13);
        m.pgtblkb = f(14);
        m.vmusedkb = f(15);
    }
    // Without availablekb, sysstat uses free memory so %memused is not 100%.
    m.availablekb = if size >= 136 { f(16) } else { m.frmkb };
    m
}

fn ktables(v: &View<'_>) -> StatsKtables {
    let f = |i: usize| u64::from(v.u32(4 * i));
    StatsKtables { file_used: f(0), inode_used: f(1), dentry_stat: f(2), pty_nr: f(3) }
}

/// `upgrade_stats_serial`: the items are copied as a block, then line
/// numbers (which started at 1) shift down until the first unused slot.
fn serial(buf: &Buf<'_>, n: usize, nr_ini: usize) -> (Vec<StatsSerial>, usize) {
    let fsize = StatsSerial::LAYOUT.size as usize;
    let copied = nr_ini * buf.size;
    let mut v = Vec::with_capacity(n);
    let mut item = vec![0u8; fsize];
    for j in 0..n {
        for (r, b) in item.iter_mut().enumerate() {
            let off = j * fsize + r;
            *b = if off < copied { buf.byte(off) } else { 0 };
        }
        v.push(StatsSerial::decode(&Item::new(&item, StatsSerial::LAYOUT.types_nr, buf.enc)));
    }
    let mut count = 0;
    for s in v.iter_mut().take(nr_ini) {
        if s.line == 0 {
            break;
        }
        s.line -= 1;
        count += 1;
    }
    (v, count)
}

fn disk(v: &View<'_>, magic: u32) -> StatsDisk {
    if magic == MAGIC_8A {
        StatsDisk {
            nr_ios: v.ul(64),
            rd_sect: v.u64(0),
            wr_sect: v.u64(16),
            rd_ticks: v.ul(32) as u32,
            wr_ticks: v.ul(40) as u32,
            tot_ticks: v.ul(48) as u32,
            rq_ticks: v.ul(56) as u32,
            major: v.u32(72),
            minor: v.u32(76),
            ..Default::default()
        }
    } else {
        StatsDisk {
            nr_ios: v.u64(0),
            rd_sect: v.ul(16),
            wr_sect: v.ul(24),
            rd_ticks: v.u32(32),
            wr_ticks: v.u32(36),
            tot_ticks: v.u32(40),
            rq_ticks: v.u32(44),
            major: v.u32(48),
            minor: v.u32(52),
            ..Default::default()
        }
    }
}

/// Seven or nine counters: `long`s in 0x8a, 16-byte-aligned u64 after.
fn counters<const N: usize>(v: &View<'_>, magic: u32) -> [u64; N] {
    std::array::from_fn(|i| if magic == MAGIC_8A { v.ul(8 * i) } else { v.u64(16 * i) })
}

fn net_dev(v: &View<'_>, magic: u32) -> StatsNetDev {
    let c: [u64; 7] = counters(v, magic);
    let (speed, interface, duplex) = match magic {
        MAGIC_8A => (0, v.chars(56), 0),
        MAGIC_8B => (0, v.chars(112), 0),
        _ => (v.u32(112), v.chars(116), v.bytes::<1>(132)[0]),
    };
    StatsNetDev {
        rx_packets: c[0],
        tx_packets: c[1],
        rx_bytes: c[2],
        tx_bytes: c[3],
        rx_compressed: c[4],
        tx_compressed: c[5],
        multicast: c[6],
        speed,
        interface,
        duplex,
    }
}

fn net_edev(v: &View<'_>, magic: u32) -> StatsNetEdev {
    let c: [u64; 9] = counters(v, magic);
    StatsNetEdev {
        collisions: c[0],
        rx_errors: c[1],
        tx_errors: c[2],
        rx_dropped: c[3],
        tx_dropped: c[4],
        rx_fifo_errors: c[5],
        tx_fifo_errors: c[6],
        rx_frame_errors: c[7],
        tx_carrier_errors: c[8],
        interface: v.chars(if magic == MAGIC_8A { 72 } else { 144 }),
    }
}

/// A structure of `long long` counters only (the IP and IPv6 families),
/// filled in the order it declares them: its old items hold the same
/// counters in the same order, so no field needs a mapping of its own.
fn counter_struct<T: Stats, const N: usize>(v: &View<'_>, magic: u32) -> T {
    const { assert!(N <= MAX_COUNTERS) };
    debug_assert_eq!(T::LAYOUT.types_nr, [N as u32, 0, 0]);
    let mut bytes = [0u8; 8 * MAX_COUNTERS];
    for (slot, c) in bytes.chunks_exact_mut(8).zip(counters::<N>(v, magic)) {
        slot.copy_from_slice(&c.to_ne_bytes());
    }
    T::decode(&Item::new(&bytes[..8 * N], T::LAYOUT.types_nr, Encoding::NATIVE))
}

/// The most counters of a [`counter_struct`] (`StatsNetEip6`'s eleven).
const MAX_COUNTERS: usize = 11;

fn huge(v: &View<'_>) -> StatsHuge {
    StatsHuge { frhkb: v.ul(0), tlhkb: v.ul(8), ..Default::default() }
}

fn fs(v: &View<'_>, size: i32) -> StatsFilesystem {
    let f = |i: usize| v.u64(16 * i);
    StatsFilesystem {
        f_blocks: f(0),
        f_bfree: f(1),
        f_bavail: f(2),
        f_files: f(3),
        f_ffree: f(4),
        fs_name: v.chars(80),
        // Items of 160 bytes or less predate the mount point.
        mountp: if size <= 160 { CChars::default() } else { v.chars(208) },
    }
}
