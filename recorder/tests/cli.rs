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

#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn compat_12_6_is_read_in_full_by_debian_sar() {
    let sar = sarkit_testkit::SAR;
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

/// A pipe whose read end is already closed: its write end for a child's stdout.
fn pipe_without_reader() -> std::process::Stdio {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe() returns; each is
    // then owned exactly once (the read end closed here, the write end by
    // the OwnedFd).
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        libc::close(fds[0]);
        std::process::Stdio::from(std::os::fd::OwnedFd::from_raw_fd(fds[1]))
    }
}

#[test]
fn a_closed_stdout_pipe_ends_rsadc_by_sigpipe_silently() {
    use std::os::unix::process::ExitStatusExt;
    for extra in [&["--synthetic"][..], &["--root", "/", "--compat", "current"]] {
        let o = Command::new(env!("CARGO_BIN_EXE_rsadc"))
            .args(extra)
            .args(["--unix-time", &T0.to_string(), "1", "3"])
            .stdout(pipe_without_reader())
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stderr), "", "{extra:?}");
        assert_eq!(o.status.signal(), Some(libc::SIGPIPE), "{extra:?}: {:?}", o.status);
    }
}

#[test]
fn a_file_write_error_keeps_sadc_wording() {
    if !Path::new("/dev/full").exists() {
        eprintln!("/dev/full is absent: skipping");
        return;
    }
    let o = rsadc(&["--synthetic", "--unix-time", &T0.to_string(), "1", "1"], Path::new("/dev/full"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("Cannot write data to system activity file: "));
}

/// A small machine under `root`: CPUs, memory, load and paging, and the
/// sysstat files `extra` gives (path under the root, content).
fn fake_root(root: &Path, step: u32, extra: &[(&str, &[u8])]) {
    let files: [(&str, String); 6] = [
        (
            "proc/stat",
            format!(
                "cpu  {0} 0 10 100 0 0 0 0 0 0\ncpu0 {0} 0 10 100 0 0 0 0 0 0\nctxt {1}\nprocesses {1}\n",
                10 + step,
                100 + step
            ),
        ),
        ("proc/uptime", format!("{}.00 0.00\n", 1000 + step)),
        ("proc/meminfo", "MemTotal: 2000000 kB\nMemFree: 1000000 kB\nBuffers: 1000 kB\nCached: 2000 kB\n".into()),
        ("proc/loadavg", "0.10 0.20 0.30 1/100 1234\n".into()),
        ("proc/vmstat", format!("pgpgin {}\npgpgout 10\npswpin 0\npswpout 0\n", 100 * step)),
        ("proc/net/dev", "Inter-|\n face |bytes\n    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n".into()),
    ];
    for (rel, text) in files.iter().map(|(r, t)| (*r, t.as_bytes())).chain(extra.iter().copied()) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

const DPKG_12_6_1: &[u8] = b"Package: sysstat\nStatus: install ok installed\nPriority: optional\nVersion: 12.6.1-1\n\n";

/// Record two samples under `root` (as separate runs) into `file`, with `args`.
fn record_root(root: &Path, file: &Path, args: &[&str]) -> Vec<String> {
    let mut notes = Vec::new();
    for step in 0..2u64 {
        let o = Command::new(env!("CARGO_BIN_EXE_rsadc"))
            .arg("--root")
            .arg(root)
            .args(args)
            .args(["--unix-time", &(T0 + step).to_string(), "1", "1"])
            .arg(file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        notes.push(String::from_utf8_lossy(&o.stderr).into_owned());
    }
    notes
}

fn magic_version(file: &Path) -> String {
    SaFile::open(file).unwrap().info.magic.version.to_string()
}

/// A fake root's sysstat files, rsadc's extra arguments, the version the
/// file must claim, and whether rsadc notes its choice.
type Case<'a> = (&'a str, &'a [(&'a str, &'a [u8])], &'a [&'a str], &'a str, bool);

#[test]
fn the_installed_sysstat_chooses_the_default_layouts() {
    let dir = tempfile::tempdir().unwrap();
    let sadc_12_5_4: &[u8] = b"\x7fELF\0GCC: (GNU) 11.4.1\0sysstat version %s\x0012.5.4\0";
    let cases: [Case; 6] = [
        ("dpkg", &[("var/lib/dpkg/status", DPKG_12_6_1)], &[], "12.6.1", true),
        ("rpm", &[("usr/lib64/sa/sadc", sadc_12_5_4)], &[], "12.5.4", true),
        ("override", &[("var/lib/dpkg/status", DPKG_12_6_1)], &["--compat", "current"], "12.7.9", false),
        ("none", &[], &[], "12.7.9", false),
        (
            "newer",
            &[("var/lib/dpkg/status", b"Package: sysstat\nStatus: install ok installed\nVersion: 12.7.9-1\n")],
            &[],
            "12.7.9",
            false,
        ),
        (
            "removed",
            &[("var/lib/dpkg/status", b"Package: sysstat\nStatus: deinstall ok config-files\nVersion: 12.6.1-1\n")],
            &[],
            "12.7.9",
            false,
        ),
    ];
    for (name, extra, args, version, noted) in cases {
        let root = dir.path().join(name);
        fake_root(&root, 0, extra);
        let file = dir.path().join(format!("sa-{name}"));
        let notes = record_root(&root, &file, args);
        assert_eq!(magic_version(&file), version, "{name}");
        let want = if noted {
            format!(
                "rsadc: writing sysstat {version} layouts, for the sysstat {version} installed under {} (--compat overrides)\n",
                root.display()
            )
        } else {
            String::new()
        };
        // Said where the file is started, not on each run that appends to it.
        assert_eq!(notes, [want, String::new()], "{name}");
        assert_eq!(kinds(&file), "SS", "{name}");
    }
}

#[cfg_attr(not(sarkit_sysstat), ignore = "needs Debian's sysstat (apt-get install sysstat)")]
#[test]
fn a_default_recording_on_a_sysstat_12_6_1_machine_is_read_in_full_by_debian_sar() {
    let sar = sarkit_testkit::SAR;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    let file = dir.path().join("sa");
    for step in 0..2u32 {
        fake_root(&root, step, &[("var/lib/dpkg/status", DPKG_12_6_1)]);
        let o = Command::new(env!("CARGO_BIN_EXE_rsadc"))
            .arg("--root")
            .arg(&root)
            .args(["--unix-time", &(T0 + u64::from(step)).to_string(), "1", "1"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let out = Command::new(sar).env("LC_ALL", "C").env("TZ", "GMT").args(["-A", "-f"]).arg(&file).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "sar failed: {}", String::from_utf8_lossy(&out.stderr));
    for heading in ["%usr", "proc/s", "pgpgin/s", "kbmemfree", "runq-sz", "IFACE"] {
        assert!(text.contains(heading), "no {heading} report in:\n{text}");
    }
    // CPU 0 went from 10 to 11 user ticks out of 111 to 112: 100 %usr.
    assert!(text.lines().any(|l| l.starts_with("Average:") && l.contains(" all ") && l.contains("100.00")), "{text}");
}

#[test]
fn archive_replaces_the_file_by_its_archive_only_once_it_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa20231114");
    let o = rsadc(&["--synthetic", "--cpus", "2", "--unix-time", &T0.to_string(), "1", "30"], &p);
    assert!(o.status.success());
    let plain = std::fs::read(&p).unwrap();
    let before = kinds(&p);
    let o = Command::new(env!("CARGO_BIN_EXE_rsadc")).arg("--archive").arg(&p).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sa20231114.sarc ("));
    assert!(!p.exists(), "the plain file is removed");
    let a = dir.path().join("sa20231114.sarc");
    assert_eq!(kinds(&a), before);
    let mut back = Vec::new();
    sarkit_format::archive::restore(&sarkit_format::archive::Archive::open(&a).unwrap(), &mut back).unwrap();
    assert_eq!(back, plain);
    // A file a recorder is writing is left alone.
    std::fs::write(&p, &plain).unwrap();
    let f = std::fs::File::options().append(true).open(&p).unwrap();
    assert_eq!(unsafe { libc::flock(std::os::unix::io::AsRawFd::as_raw_fd(&f), libc::LOCK_EX) }, 0);
    let o = Command::new(env!("CARGO_BIN_EXE_rsadc")).arg("--archive").arg(&p).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is being written"));
    assert_eq!(std::fs::read(&p).unwrap(), plain);
}
