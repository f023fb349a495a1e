//! Several daily files read as one query: `rsar -f A -f B`, `rsadf -d A B`,
//! and `--from`/`--to` over a folder.
//!
//! The days are recorded as `rsadc --synthetic --unix-time T 60 1440 FILE`
//! records them (the same library calls, in-process), one file per UTC day,
//! and compared with one file holding every record of the same days: read
//! as one, the files must print exactly what that file prints.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sarkit_format::Compat;
use sarkit_recorder::daily::{self, Clock, Output as Dest, RunOptions, Special};
use sarkit_recorder::outfile::FileOptions;
use sarkit_recorder::synthetic::Synthetic;

/// 2023-11-14 00:00:00 UTC.
const DAY0: u64 = 1_699_920_000;
const DAY: u64 = 86_400;

fn options(start: u64, count: u64) -> RunOptions {
    RunOptions {
        file: FileOptions {
            compat: Compat::Current,
            force: false,
            fdatasync: false,
            replace_stale_month: None,
            also_append: None,
        },
        yyyymmdd: false,
        utc_dates: true,
        interval: 60,
        count: Some(count),
        clock: Clock::Fixed(start),
        keep_days: None,
        close: daily::CloseDays::Keep,
    }
}

/// `rsadc --synthetic --unix-time START 60 COUNT FILE` (a small machine,
/// to keep the test quick).
fn record(machine: &mut Synthetic, file: &Path, start: u64, count: u64) {
    daily::record(machine, &Dest::File(file.to_path_buf()), &options(start, count), &mut |_| {}).unwrap();
}

/// `rsadc --synthetic --unix-time T FILE`: a LINUX RESTART mark.
fn restart(machine: &mut Synthetic, file: &Path, t: u64) {
    daily::write_special(machine, &Dest::File(file.to_path_buf()), &options(t, 1), &Special::Restart, Some(t)).unwrap();
}

fn machine() -> Synthetic {
    Synthetic::new(2, 2, 2)
}

/// Three days, one file each (`day0`..`day2`), and `all`, the same records in one file.
fn three_days(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let days: Vec<PathBuf> = (0..3).map(|d| dir.join(format!("day{d}"))).collect();
    for (d, f) in days.iter().enumerate() {
        record(&mut machine(), f, DAY0 + d as u64 * DAY, 1440);
    }
    let all = dir.join("all");
    record(&mut machine(), &all, DAY0, 3 * 1440);
    (days, all)
}

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .env_clear()
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .env("S_TIME_DEF_TIME", "UTC")
        .output()
        .expect("run the binary")
}

fn rsar(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_rsar"), args)
}

fn rsadf(args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_rsadf"), args)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The arguments with `-f FILE` for each of `files`.
fn with_files<'a>(report: &[&'a str], files: &'a [PathBuf]) -> Vec<&'a str> {
    let mut a = report.to_vec();
    for f in files {
        a.extend(["-f", s(f)]);
    }
    a
}

fn assert_same(one: &Output, many: &Output, what: &str) {
    assert_eq!(one.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&one.stderr));
    assert_eq!(many.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&many.stderr));
    assert!(many.stderr.is_empty(), "{what}: {}", String::from_utf8_lossy(&many.stderr));
    assert!(one.stdout == many.stdout, "{what}: the days read as one differ from one file of them");
}

#[test]
fn three_days_read_as_one_are_one_file_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let (days, all) = three_days(dir.path());
    for report in [&["-u"][..], &["-r"], &["-n", "DEV"], &["-A"]] {
        let one = rsar(&[report, &["-f", s(&all)]].concat());
        assert_same(&one, &rsar(&with_files(report, &days)), &format!("rsar {report:?}"));
    }
    // Averages cover the whole span: one Average line per report, at the end.
    let u = String::from_utf8(rsar(&with_files(&["-u"], &days)).stdout).unwrap();
    assert_eq!(u.matches("Average:").count(), 1);
    assert_eq!(u.lines().filter(|l| l.contains(" all ")).count(), 3 * 1440 - 1 + 1);
    for format in ["-d", "-j"] {
        let one = rsadf(&[format, s(&all), "--", "-A"]);
        let mut many = vec![format];
        many.extend(days.iter().map(|p| s(p)));
        many.extend(["--", "-A"]);
        assert_same(&one, &rsadf(&many), &format!("rsadf {format}"));
    }
}

#[test]
fn files_are_read_in_time_order_whatever_the_order_named() {
    let dir = tempfile::tempdir().unwrap();
    let (days, all) = three_days(dir.path());
    let shuffled = [days[2].clone(), days[0].clone(), days[1].clone()];
    assert_same(&rsar(&["-u", "-f", s(&all)]), &rsar(&with_files(&["-u"], &shuffled)), "rsar -u");
}

#[test]
fn a_restart_between_days_is_shown_as_in_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (day0, day1, all) = (d.join("day0"), d.join("day1"), d.join("all"));
    record(&mut machine(), &day0, DAY0, 1440);
    restart(&mut machine(), &day1, DAY0 + DAY);
    record(&mut machine(), &day1, DAY0 + DAY, 1440);
    fs::copy(&day0, &all).unwrap();
    restart(&mut machine(), &all, DAY0 + DAY);
    record(&mut machine(), &all, DAY0 + DAY, 1440);
    let files = [day0, day1];
    for report in [&["-u"][..], &["-A"]] {
        let one = rsar(&[report, &["-f", s(&all)]].concat());
        assert_same(&one, &rsar(&with_files(report, &files)), &format!("rsar {report:?}"));
    }
    let u = String::from_utf8(rsar(&with_files(&["-u"], &files)).stdout).unwrap();
    assert!(u.contains("00:00:00     LINUX RESTART\t(2 CPU)"), "{u}");
    for format in ["-d", "-j"] {
        let one = rsadf(&[format, s(&all), "--", "-u"]);
        assert_same(&one, &rsadf(&[format, s(&files[0]), s(&files[1]), "--", "-u"]), &format!("rsadf {format}"));
    }
}

#[test]
fn a_reboot_between_files_without_a_mark_is_shown_as_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (day0, day1) = (d.join("day0"), d.join("day1"));
    record(&mut machine(), &day0, DAY0, 60);
    // Booted an hour before the next day's first sample: its uptime is lower.
    let mut rebooted = machine();
    rebooted.boot_time = Some(DAY0 + DAY - 3600);
    record(&mut rebooted, &day1, DAY0 + DAY, 60);
    let out = rsar(&["-u", "-f", s(&day0), "-f", s(&day1)]);
    let u = String::from_utf8(out.stdout).unwrap();
    assert!(u.contains("\n00:00:00     LINUX RESTART\t(2 CPU)\n"), "{u}");
    assert_eq!(u.matches("Average:").count(), 2, "{u}");
}

#[test]
fn files_of_two_hosts_are_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (d.join("sa-a"), d.join("sa-b"));
    record(&mut machine(), &a, DAY0, 10);
    let mut other = machine();
    other.nodename = "otherhost".into();
    record(&mut other, &b, DAY0 + DAY, 10);
    for out in [rsar(&["-u", "-f", s(&a), "-f", s(&b)]), rsadf(&["-d", s(&a), s(&b), "--", "-u"])] {
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(&format!("{} is from host synthetic, {} from host otherhost", s(&a), s(&b))), "{err}");
    }
}

#[test]
fn an_activity_some_days_lack_is_left_out_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (d.join("day0"), d.join("day1"));
    record(&mut machine(), &a, DAY0, 10);
    let mut fewer = machine();
    fewer.only = Some(vec![sarkit_format::ActivityId::A_CPU]);
    record(&mut fewer, &b, DAY0 + DAY, 10);
    let out = rsar(&["-u", "-r", "-f", s(&a), "-f", s(&b)]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("-r is left out: not in {}", s(&b))), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("%user") && !text.contains("kbmemfree"), "{text}");
    // Nothing left to show: sar's words, for the files.
    let out = rsar(&["-r", "-f", s(&a), "-f", s(&b)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("Requested activities not available in files"));
}

#[test]
fn a_folder_and_a_range_read_plain_and_zstd_days_in_either_name() {
    let dir = tempfile::tempdir().unwrap();
    let (days, all) = three_days(dir.path());
    let folder = dir.path().join("folder");
    fs::create_dir(&folder).unwrap();
    let zst = zstd::encode_all(&fs::read(&days[0]).unwrap()[..], 3).unwrap();
    fs::write(folder.join("sa20231114.zst"), zst).unwrap();
    fs::copy(&days[1], folder.join("sa20231115")).unwrap();
    fs::copy(&days[2], folder.join("sa16")).unwrap();
    // A saDD file of another month is not that day's.
    fs::copy(&days[2], folder.join("sa13")).unwrap();
    let one = rsar(&["-n", "DEV", "-f", s(&all)]);
    let range = ["--from", "2023-11-13", "--to", "2023-11-17"];
    assert_same(&one, &rsar(&[&["-n", "DEV", "-f", s(&folder)][..], &range].concat()), "rsar --from --to");
    let one = rsadf(&["-j", s(&all), "--", "-u"]);
    assert_same(&one, &rsadf(&[&["-j", s(&folder)][..], &range, &["--", "-u"]].concat()), "rsadf --from --to");
    // Named one by one, compressed or not.
    let named = [folder.join("sa20231114.zst"), folder.join("sa20231115"), folder.join("sa16")];
    assert_same(&rsar(&["-u", "-f", s(&all)]), &rsar(&with_files(&["-u"], &named)), "rsar .zst");
    // No file in the range: a message naming the folder, exit 2.
    let out = rsar(&["-u", "-f", s(&folder), "--from", "2023-12-01", "--to", "2023-12-02"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no daily file from 2023-12-01 to 2023-12-02 in"));
}

#[test]
fn one_file_options_stay_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let (days, _) = three_days(dir.path());
    // A range names a folder, not a file; -c and -H read one file.
    let out = rsar(&["-u", "-f", s(&days[0]), "--from", "2023-11-14"]);
    assert_eq!(out.status.code(), Some(1));
    let out = rsadf(&["-c", s(&days[0]), s(&days[1])]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("-c reads one file"));
}
