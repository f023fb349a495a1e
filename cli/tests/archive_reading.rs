//! Reports, exports and graphs read from an archive (spec/archive.md) print
//! the same bytes as from the plain file; `rsadf --restore` gives the plain
//! file back; a damaged archive is an error naming the block.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const RSAR: &str = env!("CARGO_BIN_EXE_rsar");
const RSADF: &str = env!("CARGO_BIN_EXE_rsadf");

fn run(bin: &str, args: &[&str]) -> Output {
    run_in(bin, args, Path::new("."))
}

fn run_in(bin: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(bin).args(args).current_dir(dir).env("LC_ALL", "C").env("TZ", "GMT").output().unwrap()
}

/// The plain file and its archive under the same name `sa`, each in a
/// folder of its own, as the outputs name the file.
fn pair(plain: &[u8]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (p, a) = (dir.path().join("plain"), dir.path().join("archive"));
    std::fs::create_dir(&p).unwrap();
    std::fs::create_dir(&a).unwrap();
    std::fs::write(p.join("sa"), plain).unwrap();
    let mut out = std::fs::File::create(a.join("sa")).unwrap();
    sarkit_format::archive::write_archive(&p.join("sa"), &mut out).unwrap();
    (dir, p, a)
}

/// The same command in the plain folder and in the archive's, `FILE` being `sa`.
fn same_output(bin: &str, args: &[&str], p: &Path, a: &Path) {
    let args: Vec<&str> = args.iter().map(|&x| if x == "FILE" { "sa" } else { x }).collect();
    let (x, y) = (run_in(bin, &args, p), run_in(bin, &args, a));
    assert!(x.status.success(), "{args:?}: {}", String::from_utf8_lossy(&x.stderr));
    assert_eq!(x.status.code(), y.status.code(), "{args:?}");
    assert!(x.stdout == y.stdout, "{args:?}: the archive prints other bytes");
}

fn real() -> Vec<u8> {
    let ar = std::fs::read(sarkit_testkit::testdata("real-xall-21min.sa.sarc")).unwrap();
    let mut plain = Vec::new();
    let ar = sarkit_format::archive::Archive::from_vec(ar).unwrap();
    sarkit_format::archive::restore(&ar, &mut plain).unwrap();
    plain
}

#[test]
fn every_kind_of_output_reads_the_same_from_an_archive() {
    let (_d, p, a) = pair(&real());
    for args in [
        &["-A", "-f", "FILE"][..],
        &["-u", "-f", "FILE"],
        &["-r", "ALL", "-f", "FILE"],
        &["-n", "DEV", "-f", "FILE"],
        &["-u", "-s", "18:50:00", "-e", "18:51:00", "-f", "FILE"],
        &["-I", "ALL", "-P", "ALL", "-f", "FILE", "10"],
    ] {
        same_output(RSAR, args, &p, &a);
    }
    for args in [
        &["-d", "FILE", "--", "-A"][..],
        &["-j", "FILE", "--", "-A"],
        &["-x", "FILE", "--", "-u", "-r"],
        &["-p", "FILE", "--", "-n", "DEV"],
        &["-g", "FILE", "--", "-u", "-q"],
        &["-H", "FILE"],
    ] {
        same_output(RSADF, args, &p, &a);
    }
}

#[test]
fn restore_gives_the_plain_file_back() {
    let plain = std::fs::read(sarkit_testkit::testdata("sa-debian-12.6.1-xall")).unwrap();
    let (_d, _p, a) = pair(&plain);
    let o = run(RSADF, &["--restore", a.join("sa").to_str().unwrap()]);
    assert!(o.status.success());
    assert!(o.stdout == plain, "restored bytes differ");
    let o = run(RSADF, &["--restore"]);
    assert_eq!(o.status.code(), Some(1));
    let plain = sarkit_testkit::testdata("sa-debian-12.6.1-xall");
    let o = run(RSADF, &["--restore", plain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).ends_with("is not a sarkit archive\n"));
    let o = run(RSADF, &["--restore", "/nonexistent/sa01.sarc"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "Cannot open /nonexistent/sa01.sarc: No such file or directory\n");
}

#[test]
fn a_damaged_archive_names_the_block() {
    let plain = std::fs::read(sarkit_testkit::testdata("sa-debian-12.6.1-xall")).unwrap();
    let (_d, _p, a) = pair(&plain);
    let a = a.join("sa");
    let mut bytes = std::fs::read(&a).unwrap();
    let b = sarkit_format::archive::Archive::from_vec(bytes.clone()).unwrap().index.blocks[0];
    bytes[(b.offset + 2) as usize] ^= 0x10;
    std::fs::write(&a, &bytes).unwrap();
    let f = a.to_str().unwrap();
    for (bin, args) in [(RSAR, &["-u", "-f", f][..]), (RSADF, &["--restore", f])] {
        let o = run(bin, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("Damaged archive {f}: block 0 (records from ")), "{err}");
    }
}
