//! What reading each source file costs the kernel, two ways, in CPU time:
//! as sadc reads it (open, fstat, 1 KB reads to the end, close, as many
//! times per sample as sadc does) and as rsadc reads it (once, from a
//! descriptor kept open, from offset 0, a mount table only once changed:
//! `sarkit_recorder::files::Files`).
//! The second is the floor of a recorder that reads the same files: only
//! the kernel's cost of producing them. `bench/recorder.sh` runs it beside
//! both recorders.
//!
//! `source_cost INTERVAL_MS SAMPLES PATH[:READS]...` (READS: sadc's reads
//! per sample, default 1) prints, per path, microseconds of CPU per sample
//! each way, then the totals.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use sarkit_recorder::files::Files;

/// CPU time of this thread, in nanoseconds.
fn cpu_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// CPU time of `f`, less what reading the clock costs.
fn timed(overhead: u64, f: impl FnOnce()) -> u64 {
    let t0 = cpu_ns();
    f();
    (cpu_ns() - t0).saturating_sub(overhead)
}

/// sadc's way: a new descriptor per read, `fgets` through a 1 KB stdio buffer.
fn read_as_sadc(path: &str) {
    let Ok(mut f) = File::open(path) else { return };
    let _ = f.metadata();
    let mut chunk = [0u8; 1024];
    while matches!(f.read(&mut chunk), Ok(n) if n > 0) {}
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(interval), Some(samples)) =
        (args.first().and_then(|a| a.parse().ok()), args.get(1).and_then(|a| a.parse::<u32>().ok()))
    else {
        eprintln!("usage: source_cost INTERVAL_MS SAMPLES PATH[:READS]...");
        std::process::exit(1);
    };
    let sources: Vec<(String, u32)> = args[2..]
        .iter()
        .map(|a| match a.rsplit_once(':') {
            Some((p, n)) if n.parse::<u32>().is_ok() => (p.to_string(), n.parse().unwrap_or(1)),
            _ => (a.clone(), 1),
        })
        .collect();
    let overhead = (0..1000).map(|_| timed(0, || {})).min().unwrap_or(0);
    let mut files = Files::new(PathBuf::from("/"));
    let (mut sadc_way, mut kept_way) = (vec![0u64; sources.len()], vec![0u64; sources.len()]);
    for k in 0..samples {
        files.refresh(true);
        for (i, (path, reads)) in sources.iter().enumerate() {
            // Both ways alternate which goes first, so that neither always finds the other's work cached.
            let mut sadc = || sadc_way[i] += timed(overhead, || (0..*reads).for_each(|_| read_as_sadc(path)));
            // rsadc reads its mount table only after poll() reports a change.
            let mount_table = path.ends_with("mtab") || path.ends_with("mounts");
            let mut kept = || {
                kept_way[i] += timed(overhead, || match mount_table {
                    true => files.with_mount_table(path, |_| ()),
                    false => files.with(path, |_| ()),
                })
            };
            if k % 2 == 0 {
                sadc();
                kept();
            } else {
                kept();
                sadc();
            }
        }
        if k + 1 < samples {
            std::thread::sleep(Duration::from_millis(interval));
        }
    }
    let per_sample = |ns: u64| ns as f64 / f64::from(samples.max(1)) / 1000.0;
    println!("{:<44} {:>5} {:>10} {:>10}", "source", "reads", "sadc µs", "kept µs");
    for (i, (path, reads)) in sources.iter().enumerate() {
        println!("{path:<44} {reads:>5} {:>10.1} {:>10.1}", per_sample(sadc_way[i]), per_sample(kept_way[i]));
    }
    let (s, k): (u64, u64) = (sadc_way.iter().sum(), kept_way.iter().sum());
    println!("{:<44} {:>5} {:>10.1} {:>10.1}", "total", "", per_sample(s), per_sample(k));
}
