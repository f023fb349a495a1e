//! The rsadc command line, and the Debian sar check for `--compat`.

use std::path::Path;
use std::process::{Command, Output};

use sarkit_format::{RecordKind, SaFile};

const T0: u64 = 1_700_000_000;

fn rsadc(args: &[&str], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rsadc")).args(args).arg(file).output().unwrap()
}

fn kinds(p: &Path) -> String {
    let mut f = SaFile::open(p).unwrap();
    let mut s = String::new();
    while let Some(r) = f.next_record().unwrap() {
        s.push(match r.kind {
            RecordKind::Stats(_) => 'S',
            RecordKind::Restart { .. } => 'R',
            RecordKind::Comment(_) => 'C',
        });
    }
    s
}

#[test]
fn one_sample_per_call_appends_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out");
    for i in 0..4 {
        let t = (T0 + i).to_string();
        let o = rsadc(&["--synthetic", "--cpus", "2", "--unix-time", &t, "1", "1"], &p);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = rsadc(&["--synthetic", "--cpus", "2", "--unix-time", &(T0 + 9).to_string(), "-C", "note"], &p);
    assert!(o.status.success());
    assert_eq!(kinds(&p), "SSSSC");
}

#[test]
fn bad_arguments_exit_1_with_usage() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("out");
    for args in [&["--synthetic", "0"][..], &["--synthetic", "1", "2", "3"], &["--compat", "9.9", "--synthetic", "1"]] {
        let o = rsadc(args, &p);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("Usage: rsadc"));
    }
}

#[test]
fn an_unreadable_folder_gives_sadc_wording() {
    let o = rsadc(&["--synthetic", "--unix-time", "1700000000", "1", "1"], Path::new("/nonexistent/dir/sa01"));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        "Cannot open /nonexistent/dir/sa01: No such file or directory"
    );
}

#[test]
fn compat_12_6_is_read_in_full_by_debian_sar() {
    let sar = Path::new("/usr/bin/sar");
    if !sar.exists() {
        eprintln!("/usr/bin/sar is absent (apt-get install sysstat): skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let o = rsadc(&["--synthetic", "--compat", "12.6", "--unix-time", &T0.to_string(), "1", "3"], &p);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out =
        Command::new(sar).env("LC_ALL", "C").env("S_TIME_FORMAT", "ISO").args(["-A", "-f"]).arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.is_empty(), "sar failed: {err}");
    // Every report sar -A prints for these activities, not just the host line.
    for heading in [
        "%usr",
        "proc/s",
        "INTR",
        "pswpin/s",
        "pgpgin/s",
        "tps",
        "kbmemfree",
        "kbhugfree",
        "dentunusd",
        "runq-sz",
        "TTY",
        "DEV",
        "IFACE",
        "rxerr/s",
        "call/s",
        "scall/s",
        "totsck",
        "irec/s",
        "ihdrerr/s",
        "imsg/s",
        "ierr/s",
        "active/s",
        "atmptf/s",
        "idgm/s",
        "tcp6sck",
        "irec6/s",
        "ihdrer6/s",
        "imsg6/s",
        "ierr6/s",
        "idgm6/s",
        "FCHOST",
        "total/s",
        "MHz",
        "rpm",
        "degC",
        "inV",
        "wghMHz",
        "BUS",
        "FILESYSTEM",
        "%scpu-10",
        "%sio-10",
        "%smem-10",
    ] {
        assert!(text.contains(heading), "no {heading} report in:\n{text}");
    }
    assert!(text.lines().filter(|l| l.starts_with("Average")).count() > 40);
}

/// `SA_DIR=DIR rsadc 1 2 -` records into the day's file in DIR, the file
/// `SA_DIR=DIR rsar -u` then reads: one default for both.
#[test]
fn dash_records_where_rsar_reads() {
    use sarkit_format::daily::{self, Day, NameStyle};
    let dir = tempfile::tempdir().unwrap();
    let today = || {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        sarkit_recorder::daily::file_day(now, true)
    };
    let before: Day = today();
    let o = Command::new(env!("CARGO_BIN_EXE_rsadc"))
        .args(["--synthetic", "--cpus", "2", "1", "2", "-"])
        .env("SA_DIR", dir.path())
        .env("S_TIME_DEF_TIME", "UTC")
        .env("TZ", "GMT")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d = dir.path().to_str().unwrap();
    let written: Vec<String> =
        [before, today()].iter().map(|day| daily::join(d, &daily::file_name(*day, NameStyle::DayOfMonth))).collect();
    let path = written.iter().find(|p| Path::new(p).exists()).expect("rsadc wrote saDD in SA_DIR");
    assert_eq!(kinds(Path::new(path)), "SS");
    // The lookup rsar and rsadf use finds it.
    let found = daily::default_file(Some(d), today(), &daily::fs_mtime);
    assert_eq!(&found, path);
    // And rsar itself, when the workspace built it beside rsadc.
    let rsar = Path::new(env!("CARGO_BIN_EXE_rsadc")).with_file_name("rsar");
    if !rsar.exists() {
        println!("{} not built: skipping the rsar run", rsar.display());
        return;
    }
    let r = Command::new(&rsar)
        .arg("-u")
        .env_clear()
        .env("SA_DIR", dir.path())
        .env("S_TIME_DEF_TIME", "UTC")
        .env("TZ", "GMT")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(0), "{out}{}", String::from_utf8_lossy(&r.stderr));
    assert!(out.contains("%user") && out.contains("Average:"), "{out}");
}
