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
