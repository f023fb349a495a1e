//! Every report and export of a file whose last record is still being
//! written: while the recorder holds its lock, the output ends cleanly at the
//! last whole record; once no writer holds it, the cut record is damage and
//! sysstat's message and exit status stand (format/tests/growing_file.rs
//! has the race itself).

use std::fs::File;
use std::os::unix::io::AsRawFd;
use std::path::Path;
use std::process::{Command, Output};

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/sa-debian-12.6.1-xall")
}

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin).args(args).env_clear().env("LC_ALL", "C").env("TZ", "GMT").output().unwrap()
}

/// The commands sarkit reads files with: rsar's reports, every rsadf output.
fn commands(file: &str) -> Vec<(&'static str, Vec<String>)> {
    let (sar, sadf) = (env!("CARGO_BIN_EXE_rsar"), env!("CARGO_BIN_EXE_rsadf"));
    let v = |a: &[&str]| a.iter().map(|s| s.replace("FILE", file)).collect::<Vec<_>>();
    vec![
        (sar, v(&["-u", "-f", "FILE"])),
        (sar, v(&["-A", "-f", "FILE"])),
        (sadf, v(&["-d", "FILE", "--", "-A"])),
        (sadf, v(&["-p", "FILE", "--", "-A"])),
        (sadf, v(&["-j", "FILE", "--", "-A"])),
        (sadf, v(&["-x", "FILE", "--", "-A"])),
        (sadf, v(&["-r", "FILE", "--", "-A"])),
        (sadf, v(&["-g", "FILE", "--", "-u", "-r"])),
    ]
}

#[test]
fn every_output_ends_at_the_last_whole_record_while_a_writer_is_at_work() {
    let bytes = std::fs::read(fixture()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (whole, cut) = (dir.path().join("whole"), dir.path().join("cut"));
    // The fixture without its last record, and with half of it.
    let mut f = sarkit_format::SaFile::open(fixture()).unwrap();
    let mut last = 0;
    while let Some(r) = f.next_record().unwrap() {
        last = r.offset as usize;
    }
    std::fs::write(&whole, &bytes[..last]).unwrap();
    std::fs::write(&cut, &bytes[..last + (bytes.len() - last) / 2]).unwrap();

    let writer = File::options().append(true).open(&cut).unwrap();
    // SAFETY: flock on a descriptor we own.
    assert_eq!(unsafe { libc::flock(writer.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    let (whole, cut) = (whole.to_str().unwrap(), cut.to_str().unwrap());
    for ((bin, with_cut), (_, with_whole)) in commands(cut).into_iter().zip(commands(whole)) {
        let (got, want) = (
            run(bin, &with_cut.iter().map(String::as_str).collect::<Vec<_>>()),
            run(bin, &with_whole.iter().map(String::as_str).collect::<Vec<_>>()),
        );
        let name = format!("{} {}", Path::new(bin).file_name().unwrap().to_string_lossy(), with_cut.join(" "));
        assert_eq!(got.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&got.stderr));
        assert!(got.stderr.is_empty(), "{name}: {}", String::from_utf8_lossy(&got.stderr));
        // The same report as from the file without the record being written
        // (the file name aside, which JSON and XML exports print).
        let (got, want) = (String::from_utf8_lossy(&got.stdout), String::from_utf8_lossy(&want.stdout));
        assert_eq!(got.replace(cut, "F"), want.replace(whole, "F"), "{name}");
    }

    drop(writer);
    for (bin, args) in commands(cut) {
        let out = run(bin, &args.iter().map(String::as_str).collect::<Vec<_>>());
        let name = format!("{} {}", Path::new(bin).file_name().unwrap().to_string_lossy(), args.join(" "));
        assert_eq!(out.status.code(), Some(2), "{name}, no writer");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("End of system activity file unexpected"),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
