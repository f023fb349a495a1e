//! `rsar -I ALL -P ALL` on a recording of a machine whose /sys lists fewer CPUs
//! than /proc/stat and /proc/interrupts (and whose /proc/softirqs lists
//! fewer still): every CPU column is printed, and "all" sums them all.

use std::path::Path;
use std::process::Command;

use sarkit_format::{Compat, Encoding, Writer};
use sarkit_recorder::collect::Collector;
use sarkit_recorder::outfile::{fit, prepare_specs};
use sarkit_recorder::select;
use sarkit_recorder::source::SampleSource;

/// Step `step` of the machine: 2 CPUs in /sys, 4 in /proc/stat and
/// /proc/interrupts, 1 in /proc/softirqs. Interrupt 0 rises by 10 × (CPU + 1)
/// per second, NMI by 1 on every CPU.
fn machine(dir: &Path, step: u32) {
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    for c in 0..2 {
        std::fs::create_dir_all(dir.join(format!("sys/devices/system/cpu/cpu{c}"))).unwrap();
    }
    let stat: String = (0..4).map(|c| format!("cpu{c} {} 0 10 100 0 0 0 0 0 0\n", 10 + step)).collect();
    write("proc/stat", &format!("cpu  40 0 40 400 0 0 0 0 0 0\n{stat}ctxt 1\nprocesses 1\n"));
    let zero: String = (0..4).map(|c| format!(" {:>10}", (c + 1) * 10 * (step + 1))).collect();
    let nmi: String = (0..4).map(|_| format!(" {:>10}", step + 1)).collect();
    write(
        "proc/interrupts",
        &format!(
            "{:>15}{:>11}{:>11}{:>11}\n  0:{zero}   IO-APIC timer\nNMI:{nmi}   Non-maskable\n",
            "CPU0", "CPU1", "CPU2", "CPU3"
        ),
    );
    write("proc/softirqs", &format!("                    CPU0\n          HI: {step}\n"));
    write("proc/uptime", &format!("{}.00 0.00\n", 1000 + step));
}

#[test]
fn rsar_prints_every_interrupt_column_of_a_recording() {
    let dir = tempfile::tempdir().unwrap();
    let sel = select::parse("A_NULL,A_CPU,A_IRQ").unwrap();
    let mut w = None;
    for step in 0..2 {
        let root = dir.path().join(format!("step{step}"));
        machine(&root, step);
        let mut c = Collector::new(root, sel.clone());
        let w = w.get_or_insert_with(|| {
            let hdr = c.header_info(1_700_000_000).unwrap();
            Writer::create(Vec::new(), &hdr, prepare_specs(Compat::Current, c.specs().unwrap()), Encoding::NATIVE)
                .unwrap()
        });
        let specs = w.specs().to_vec();
        w.write_sample(&fit(&c.sample(1_700_000_000 + u64::from(step)).unwrap(), &specs)).unwrap();
    }
    let file = dir.path().join("sa");
    std::fs::write(&file, w.unwrap().into_inner()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rsar"))
        .args(["-I", "ALL", "-P", "ALL", "-f"])
        .arg(&file)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> =
        text.lines().filter(|l| l.starts_with("Average:")).map(|l| l.split_whitespace().skip(1).collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["INTR", "all", "CPU0", "CPU1", "CPU2", "CPU3"],
            vec!["sum", "104.00", "11.00", "21.00", "31.00", "41.00"],
            vec!["0", "100.00", "10.00", "20.00", "30.00", "40.00"],
            vec!["NMI", "4.00", "1.00", "1.00", "1.00", "1.00"],
        ],
        "{text}"
    );
}
