//! rsar's live mode (no `-f`): what it prints from fake /proc trees equals
//! what it prints from a file the recorder wrote from the same trees, and
//! it runs on this machine.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use sarkit_recorder::collect::Collector;
use sarkit_recorder::outfile::{DataFile, FileOptions};
use sarkit_recorder::select;
use sarkit_recorder::source::SampleSource;

const BIN: &str = env!("CARGO_BIN_EXE_rsar");
const T0: u64 = 1555593609;
const STEP: u64 = 10;

/// The corpus's five fake /proc and /sys trees.
fn roots() -> Vec<PathBuf> {
    let p = sarkit_testkit::corpus().join("roots");
    (1..=5).map(|i| p.join(format!("root{i}"))).collect()
}

fn rsar(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .envs(env.iter().copied())
        .output()
        .expect("run rsar")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// One sample per tree into `file`, as `rsadc --root R --unix-time T -S LIST FILE 1 1`
/// does per step: the file is created from the first tree, and each sample,
/// taken by a fresh collector, is fitted to its activity list. The file is
/// opened once: other tests' children could hold its lock for a moment.
fn record(trees: &[PathBuf], list: &str, file: &Path) {
    let sel = select::parse(list).unwrap();
    let mut first = Collector::new(trees[0].clone(), sel.clone());
    let mut f = DataFile::open(file, FileOptions::default(), &mut || {
        Ok((first.header_info(T0).unwrap(), first.specs().unwrap()))
    })
    .unwrap();
    for (k, root) in trees.iter().enumerate() {
        let mut c = Collector::new(root.clone(), sel.clone());
        f.write(&c.sample(T0 + k as u64 * STEP).unwrap()).unwrap();
    }
}

/// Live mode over the same trees: `rsar ARGS 10 4` samples each tree once.
fn live(trees: &[PathBuf], args: &[&str], extra: &[&str]) -> Output {
    let list = trees.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>().join(":");
    let t0 = T0.to_string();
    let mut a = args.to_vec();
    a.extend_from_slice(extra);
    a.extend_from_slice(&["10", "4"]);
    rsar(&a, &[("SARKIT_LIVE_ROOT", &list), ("SARKIT_LIVE_UNIX_TIME", &t0)])
}

/// The line without its time column.
fn body(l: &str) -> &str {
    l.split_once(' ').map_or("", |(_, b)| b.trim_start())
}

/// Live output is file output with its rows in sample order and with the
/// header lines sar repeats each sample when a report has several lines:
/// every line of one is in the other, and what live adds is blank lines
/// and headers the file output has too (at another time).
fn same_rows(file: &str, live: &str) {
    let mut rest: Vec<&str> = live.lines().collect();
    for l in file.lines() {
        let i = rest.iter().position(|x| *x == l).unwrap_or_else(|| panic!("live output lacks {l:?}\n{live}"));
        rest.remove(i);
    }
    let headers: HashSet<&str> = file.lines().map(body).collect();
    for l in rest {
        assert!(l.is_empty() || headers.contains(body(l)), "live output adds {l:?}\n{live}");
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn live_equals_the_file_recorded_from_the_same_trees() {
    let trees = roots();
    let dir = tempfile::tempdir().unwrap();
    // What sar asks sadc for: only the displayed activities (so disks
    // without partitions).
    let record_as_sar = |args: &[&str], list: &str| {
        let file = dir.path().join(list.replace(',', "_"));
        if !file.exists() {
            record(&trees, list, &file);
        }
        rsar(&[args, &["-f", file.to_str().unwrap()]].concat(), &[])
    };
    // One line per sample: byte for byte.
    for (args, list) in [
        (&["-u"][..], "A_NULL,A_CPU"),
        (&["-r"], "A_NULL,A_MEMORY"),
        (&["-r", "ALL"], "A_NULL,A_MEMORY"),
        (&["-q"], "A_NULL,A_QUEUE"),
        (&["-w"], "A_NULL,A_PCSW"),
        (&["-B"], "A_NULL,A_PAGE"),
        (&["-W"], "A_NULL,A_SWAP"),
        (&["-v"], "A_NULL,A_KTABLES"),
        (&["-b"], "A_NULL,A_IO"),
        (&["-H"], "A_NULL,A_HUGE"),
    ] {
        let from_file = record_as_sar(args, list);
        let from_live = live(&trees, args, &[]);
        assert_eq!(from_live.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&from_live.stderr));
        assert_eq!(text(&from_live), text(&from_file), "{args:?}");
    }
    // Several lines per sample, or several reports.
    for (args, list) in [
        (&["-n", "DEV"][..], "A_NULL,A_NET_DEV"),
        (&["-d"], "A_NULL,A_DISK"),
        (&["-u", "ALL", "-P", "ALL"], "A_NULL,A_CPU"),
        (&["-n", "EDEV"], "A_NULL,A_NET_EDEV"),
        (&["-y"], "A_NULL,A_SERIAL"),
        (&["-u", "-r", "-S", "-n", "DEV"], "A_NULL,A_CPU,A_MEMORY,A_NET_DEV"),
        // -A but -F, whose sizes are the real disk's under the trees, changing between runs.
        (
            &[
                "-u", "ALL", "-P", "ALL", "-r", "ALL", "-S", "-w", "-W", "-B", "-b", "-d", "-H", "-I", "ALL", "-n",
                "ALL", "-q", "ALL", "-v", "-y", "-m", "ALL",
            ],
            "A_NULL,ALL",
        ),
    ] {
        let from_file = record_as_sar(args, list);
        let from_live = live(&trees, args, &[]);
        assert_eq!(from_live.status.code(), Some(0), "{args:?}");
        same_rows(&text(&from_file), &text(&from_live));
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn live_repeats_headers_of_multi_line_reports_each_sample() {
    let trees = roots();
    let out = text(&live(&trees, &["-n", "DEV"], &[]));
    assert_eq!(out.matches("IFACE").count(), 5, "{out}");
    assert!(out.contains("\n\nAverage:        IFACE"), "{out}");
    let out = text(&live(&trees, &["-u"], &[]));
    assert_eq!(out.matches("%user").count(), 1, "{out}");
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn no_activity_flag_is_cpu() {
    let trees = roots();
    assert_eq!(text(&live(&trees, &[], &[])), text(&live(&trees, &["-u"], &[])));
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn o_saves_every_activity_to_a_file_sar_reads() {
    let trees = roots();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved");
    let s = saved.to_str().unwrap();
    let shown = live(&trees, &["-u"], &["-o", s]);
    assert_eq!(shown.status.code(), Some(0));
    assert_eq!(text(&rsar(&["-u", "-f", s], &[])), text(&shown));
    // -o collects XALL: other reports are in the file too.
    let dev = rsar(&["-n", "DEV", "-f", s], &[]);
    assert_eq!(dev.status.code(), Some(0));
    assert!(text(&dev).contains("IFACE"));
}

/// `-o` with a folder, or alone (`SA_DIR`), saves into the day's file and,
/// as sadc, goes on into the new day's at midnight: the first record of the
/// new day is the last of the old file and the first of the new one.
#[test]
fn o_into_a_folder_turns_over_at_midnight() {
    // Four samples a minute apart from 2023-11-14 23:58:00 (TZ is GMT).
    let clock = [("SARKIT_LIVE_SYNTHETIC", "2"), ("SARKIT_LIVE_UNIX_TIME", "1700006280")];
    let times = |f: &Path| {
        let out = rsar(&["-u", "-f", f.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        text(&out)
            .lines()
            .filter(|l| l.ends_with(char::is_numeric) && l.contains(" all "))
            .map(|l| l[..8].to_string())
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = rsar(&["-u", "-o", d, "-D", "60", "3"], &clock);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(text(&out).matches(" all ").count(), 4, "three intervals and the Average");
    assert_eq!(times(&dir.path().join("sa20231114")), ["23:59:00", "00:00:00", "Average:"]);
    assert_eq!(times(&dir.path().join("sa20231115")), ["00:01:00", "Average:"]);
    let sa_dir = tempfile::tempdir().unwrap();
    let env = [clock[0], clock[1], ("SA_DIR", sa_dir.path().to_str().unwrap())];
    assert_eq!(rsar(&["-u", "-o", "60", "3"], &env).status.code(), Some(0));
    assert_eq!(times(&sa_dir.path().join("sa14")), ["23:59:00", "00:00:00", "Average:"]);
    assert_eq!(times(&sa_dir.path().join("sa15")), ["00:01:00", "Average:"]);
}

#[test]
fn synthetic_source_without_sleeping() {
    let out =
        rsar(&["-u", "-q", "60", "3"], &[("SARKIT_LIVE_SYNTHETIC", "4"), ("SARKIT_LIVE_UNIX_TIME", "1700000000")]);
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out);
    assert!(t.starts_with("Linux 6.1.0-synthetic (synthetic) \t11/14/23 \t_x86_64_\t(4 CPU)\n"), "{t}");
    assert_eq!(t.matches("Average:").count(), 4, "{t}");
    assert!(t.contains("22:14:20        CPU") && t.contains("22:16:20        all"), "{t}");
}

#[test]
fn errors_are_sars() {
    let out = rsar(&["-u", "-s", "10:00", "1", "2"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Not reading from a system activity file (use -f option)\n");
    let out = rsar(&["-u", "-o", "/tmp/never-written"], &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Usage: "));
    let empty = tempfile::tempdir().unwrap();
    let out = rsar(&["-m", "FAN", "1", "1"], &[("SARKIT_LIVE_ROOT", empty.path().to_str().unwrap())]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Requested activities not available\n");
    let out = rsar(&["-u", "-o", "/nonexistent/dir/sa", "1", "1"], &[("SARKIT_LIVE_SYNTHETIC", "2")]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Cannot open /nonexistent/dir/sa: No such file or directory\n");
}

#[test]
fn this_machine_two_samples() {
    if !Path::new("/proc/stat").exists() {
        println!("no /proc: skipping this test");
        return;
    }
    let out = rsar(&["-u", "1", "2"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let t = text(&out);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 6, "{t}");
    assert!(lines[0].ends_with(" CPU)") && lines[1].is_empty(), "{t}");
    assert!(lines[2].contains("CPU     %user     %nice   %system   %iowait    %steal     %idle"), "{t}");
    assert!(lines[3].contains("  all  ") && lines[4].contains("  all  "), "{t}");
    assert!(lines[5].starts_with("Average:        all"), "{t}");
}

#[test]
fn sigint_ends_with_the_average() {
    if !Path::new("/proc/stat").exists() {
        return;
    }
    let child = Command::new(BIN)
        .args(["-u", "1"])
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "GMT")
        .stdout(Stdio::piped())
        .spawn()
        .expect("run rsar");
    std::thread::sleep(Duration::from_millis(2500));
    // SAFETY: signalling our own child by its pid.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out);
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines.len() >= 6, "{t}");
    assert_eq!(lines[lines.len() - 2], "", "{t}");
    assert!(lines[lines.len() - 1].starts_with("Average:        all"), "{t}");
}

/// `rsar 0` beside Debian's `sar 0` on this machine: the same lines, with
/// values since boot a moment apart, so equal to within what that moment
/// moves an average over the whole uptime. Reports whose columns 12.6 and
/// 12.7 share.
#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn interval_zero_is_sars_statistics_since_boot() {
    if !Path::new("/proc/stat").exists() {
        println!("no /proc: skipping this test");
        return;
    }
    let lines = |o: &Output| -> Vec<Vec<String>> {
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        text(o).lines().skip(2).map(|l| l.split_whitespace().skip(1).map(String::from).collect()).collect()
    };
    for report in [&["-u", "ALL", "-P", "ALL"][..], &["-n", "DEV"], &["-I", "SUM"], &["-w"], &["-b"], &["-d"], &["-y"]]
    {
        let mut args = report.to_vec();
        args.push("0");
        let sar = Command::new(sarkit_testkit::SAR).args(&args).env("LC_ALL", "C").output().unwrap();
        let (sar, ours) = (lines(&sar), lines(&rsar(&args, &[])));
        assert_eq!(sar.len(), ours.len(), "{report:?}: {sar:?}\n{ours:?}");
        for (a, b) in sar.iter().zip(&ours) {
            assert_eq!(a.len(), b.len(), "{report:?}: {a:?} {b:?}");
            for (x, y) in a.iter().zip(b) {
                match (x.parse::<f64>(), y.parse::<f64>()) {
                    (Ok(x), Ok(y)) => assert!((x - y).abs() <= 0.5 + 0.02 * x.abs(), "{report:?}: {a:?} {b:?}"),
                    _ => assert_eq!(x, y, "{report:?}"),
                }
            }
        }
    }
}
