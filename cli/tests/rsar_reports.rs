//! Golden tests of the reports beyond CPU, memory and interfaces, on a file
//! this test writes (no third-party data), plus the same file written as a
//! 32-bit big-endian machine would write it: sar's output must not change.

use std::path::Path;

use sarkit_format::stats::*;
use sarkit_format::{
    ActivityData, ActivityId, ActivitySpec, AnyStats, ByteOrder, Encoding, HeaderInfo, RecordHeader, Sample,
    SampleBody, Writer,
};

mod common;
use common::{file_command, test_header, transcript};

const BIN: &str = env!("CARGO_BIN_EXE_rsar");
const T0: u64 = 1_700_000_000;

fn header() -> HeaderInfo {
    HeaderInfo { sa_ust_time: T0, release: "6.1.0".into(), ..test_header("fixture", 3) }
}

fn one(stats: AnyStats) -> ActivityData {
    ActivityData { nr2: 1, stats }
}

/// Sample `k` (0-based) of a small but busy machine, ten seconds apart.
fn sample(k: u64) -> Sample {
    let t = T0 + 10 * (k + 1);
    let header = RecordHeader {
        uptime_cs: 100_000 + 1000 * (k + 1),
        ust_time: t,
        extra_next: 0,
        record_type: 0,
        hour: 0,
        minute: 0,
        second: 0,
    };
    let m = k * k + 1;
    let irq_names = ["sum", "0", "LOC"];
    let mut irqs = Vec::new();
    for cpu in 0..3u32 {
        for (i, n) in irq_names.iter().enumerate() {
            let v = if i == 0 { 0 } else { (1000 * m as u32 + cpu * 7) * i as u32 };
            irqs.push(StatsIrq { irq_nr: v, irq_name: CChars::new(n) });
        }
        let sum = irqs[irqs.len() - 2].irq_nr + irqs[irqs.len() - 1].irq_nr;
        let at = irqs.len() - 3;
        irqs[at].irq_nr = sum;
    }
    let disk = |maj: u32, min: u32, f: u64| StatsDisk {
        nr_ios: 100 * f * m,
        rd_sect: 800 * f * m,
        wr_sect: 400 * f * m,
        rd_ticks: (30 * f * m) as u32,
        wr_ticks: (10 * f * m) as u32,
        tot_ticks: (50 * f * m) as u32,
        rq_ticks: (70 * f * m) as u32,
        major: maj,
        minor: min,
        ..Default::default()
    };
    let fs = |name: &str, mnt: &str, used: u64| StatsFilesystem {
        f_blocks: 1 << 34,
        f_bfree: (1 << 33) - used * m * 4096,
        f_bavail: (1 << 32) - used * m * 4096,
        f_files: 1 << 20,
        f_ffree: (1 << 19) - used * m,
        fs_name: CChars::new(name),
        mountp: CChars::new(mnt),
    };
    let body = SampleBody::Stats(vec![
        one(AnyStats::Pcsw(vec![StatsPcsw { context_switch: 50_000 * m, processes: 40 * m }])),
        ActivityData { nr2: 3, stats: AnyStats::Irq(irqs) },
        one(AnyStats::Swap(vec![StatsSwap { pswpin: 3 * m, pswpout: 5 * m }])),
        one(AnyStats::Paging(vec![StatsPaging {
            pgpgin: 900 * m,
            pgpgout: 1200 * m,
            pgfault: 40_000 * m,
            pgmajfault: 2 * m,
            pgfree: 30_000 * m,
            pgscan_kswapd: 0,
            pgscan_direct: 0,
            pgsteal: 10 * m,
            pgpromote: m,
            pgdemote: 2 * m,
        }])),
        one(AnyStats::Io(vec![StatsIo {
            dk_drive: 300 * m,
            dk_drive_rio: 100 * m,
            dk_drive_wio: 200 * m,
            dk_drive_rblk: 800 * m,
            dk_drive_wblk: 1600 * m,
            dk_drive_dio: 0,
            dk_drive_dblk: 0,
        }])),
        one(AnyStats::Ktables(vec![StatsKtables {
            file_used: 2000 + k,
            inode_used: 50_000 + 3 * k,
            dentry_stat: 70_000 - k,
            pty_nr: 2,
        }])),
        one(AnyStats::Queue(vec![StatsQueue {
            nr_running: 1 + k,
            procs_blocked: k % 2,
            nr_threads: 400 + k,
            load_avg_1: 25 * k as u32,
            load_avg_5: 50,
            load_avg_15: 75,
        }])),
        one(AnyStats::Serial(vec![
            StatsSerial { rx: 10 * m as u32, tx: 20 * m as u32, line: 0, ..Default::default() },
            StatsSerial { line: 1, ..Default::default() },
        ])),
        one(AnyStats::Disk(vec![disk(8, 0, 1), disk(8, 16, 2)])),
        one(AnyStats::Huge(vec![StatsHuge { frhkb: 2048 * (10 - k), tlhkb: 2048 * 10, rsvdhkb: 2048, surphkb: 0 }])),
        one(AnyStats::Filesystem(vec![fs("/dev/sda1", "/", 3), fs("/dev/sdb1", "/home", 0)])),
        one(AnyStats::PsiCpu(vec![StatsPsiCpu {
            some_cpu_total: 1_000_000 * m,
            some_acpu_10: 150 + 10 * k,
            some_acpu_60: 120,
            some_acpu_300: 100,
        }])),
        one(AnyStats::PsiIo(vec![StatsPsiIo {
            some_io_total: 500_000 * m,
            full_io_total: 200_000 * m,
            some_aio_10: 40,
            some_aio_60: 30,
            some_aio_300: 20,
            full_aio_10: 10,
            full_aio_60: 5,
            full_aio_300: 1,
        }])),
    ]);
    Sample { header, body }
}

fn specs() -> Vec<ActivitySpec> {
    [
        (ActivityId::A_PCSW, 1, 1),
        (ActivityId::A_IRQ, 3, 3),
        (ActivityId::A_SWAP, 1, 1),
        (ActivityId::A_PAGE, 1, 1),
        (ActivityId::A_IO, 1, 1),
        (ActivityId::A_KTABLES, 1, 1),
        (ActivityId::A_QUEUE, 1, 1),
        (ActivityId::A_SERIAL, 2, 1),
        (ActivityId::A_DISK, 2, 1),
        (ActivityId::A_HUGE, 1, 1),
        (ActivityId::A_FS, 2, 1),
        (ActivityId::A_PSI_CPU, 1, 1),
        (ActivityId::A_PSI_IO, 1, 1),
    ]
    .into_iter()
    .map(|(id, nr, nr2)| ActivitySpec::current(id, nr, nr2).expect("known activity"))
    .collect()
}

fn write_fixture(path: &Path, enc: Encoding) {
    let mut w = Writer::create(Vec::new(), &header(), specs(), enc).unwrap();
    for k in 0..4 {
        w.write_sample(&sample(k)).unwrap();
    }
    std::fs::write(path, w.into_inner()).unwrap();
}

fn run(args: &[&str], file: &Path) -> String {
    transcript(&file_command(BIN, args, file).output().expect("run rsar"))
}

struct Fixture {
    _dir: tempfile::TempDir,
    le64: std::path::PathBuf,
    be32: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let le64 = dir.path().join("le64");
    let be32 = dir.path().join("be32");
    write_fixture(&le64, Encoding { order: ByteOrder::Little, long64: true });
    write_fixture(&be32, Encoding { order: ByteOrder::Big, long64: false });
    Fixture { _dir: dir, le64, be32 }
}

const CASES: &[(&str, &[&str])] = &[
    ("b_B_W", &["-bBW"]),
    ("v_q_H_y", &["-vHy", "-q", "ALL"]),
    ("I_all_pretty", &["-I", "ALL", "-P", "ALL", "--pretty"]),
    ("I_int_list", &["-I", "--int=0-1,LOC", "-P", "1"]),
    ("d_F", &["-d", "-F"]),
    ("F_mount_fs_list", &["-F", "MOUNT", "--fs=/home"]),
    ("x_everything", &["-x", "-bBWvHy", "-q", "ALL", "-d", "-F", "-w"]),
    ("human_dec1", &["-h", "--dec=1", "-d", "-F", "-H", "-q", "PSI"]),
    ("zero_omit", &["-z", "-y", "-d", "--dev=dev8-16"]),
];

#[test]
fn reports_on_a_written_file() {
    let f = fixture();
    for (name, args) in CASES {
        insta::assert_snapshot!(format!("reports_{name}"), run(args, &f.le64));
    }
}

#[test]
fn big_endian_32_bit_file_reads_the_same() {
    let f = fixture();
    for (_, args) in CASES {
        assert_eq!(run(args, &f.le64), run(args, &f.be32), "{args:?}");
    }
}
