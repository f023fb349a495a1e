//! `rsadf` end to end: the header report, usage errors and file errors.

use std::path::Path;
use std::process::Output;

use sarkit_format::{ActivityId, ActivitySpec, ByteOrder, Encoding, HeaderInfo, Writer};

mod common;
use common::{assert_oversized_activity_is_reported, sysstat_command, test_header, write_empty_file, zstd_copy};

use sarkit_testkit::corpus;

/// Run rsadf in `dir` with sysstat's test environment (C locale, GMT).
fn rsadf(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = sysstat_command(env!("CARGO_BIN_EXE_rsadf"));
    c.current_dir(dir).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("rsadf runs")
}

/// A small file from the format crate's writer: big-endian with 4-byte
/// longs, so the report's decoding is not just the native case.
fn write_sample_file(path: &Path) {
    let hdr = HeaderInfo { machine: "ppc64".into(), ..test_header("golden", 5) };
    let specs = [
        (ActivityId::A_CPU, 5, 1),
        (ActivityId::A_PCSW, 1, 1),
        (ActivityId::A_IRQ, 5, 16),
        (ActivityId::A_NET_DEV, 2, 1),
    ]
    .into_iter()
    .map(|(id, nr, nr2)| ActivitySpec::current(id, nr, nr2).unwrap())
    .collect();
    let f = std::fs::File::create(path).unwrap();
    let mut w = Writer::create(f, &hdr, specs, Encoding { order: ByteOrder::Big, long64: false }).unwrap();
    w.flush().unwrap();
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn rsadf_header_of_corpus_data_matches_sysstat() {
    let root = corpus();
    let out = rsadf(&root, &["-H", "data/data"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = std::fs::read(root.join("expected/sadf-H-data.out")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&want));
    assert_eq!(out.stdout, want);
}

#[test]
fn rsadf_header_of_written_file() {
    let dir = tempfile::tempdir().unwrap();
    write_sample_file(&dir.path().join("sa14"));
    let out = rsadf(dir.path(), &["-H", "sa14"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn rsadf_header_dates_follow_tz_and_iso_setting() {
    let dir = tempfile::tempdir().unwrap();
    write_sample_file(&dir.path().join("sa14"));
    // 22:13:20 UTC is the next day nine hours east.
    let out = rsadf(dir.path(), &["-H", "sa14"], &[("TZ", "JST-9"), ("S_TIME_FORMAT", "ISO")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(golden) \t2023-11-15 \t_ppc64_\t(4 CPU)\n"), "{text}");
    assert!(text.contains("File date: 2023-11-15\nFile time: 22:13:20 UTC (1700000000)\n"), "{text}");
}

#[test]
fn rsadf_conflicting_formats_print_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = rsadf(dir.path(), &["-x", "-j", "data"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stderr = stderr.replace(env!("CARGO_BIN_EXE_rsadf"), "rsadf");
    insta::assert_snapshot!(stderr);
}

#[test]
fn rsadf_missing_file_is_reported_like_sysstat() {
    let dir = tempfile::tempdir().unwrap();
    let out = rsadf(dir.path(), &["-H", "nosuchfile"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "Cannot open nosuchfile: No such file or directory\n");
}

#[test]
fn rsadf_non_sysstat_file_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("junk"), b"not a data file at all").unwrap();
    let out = rsadf(dir.path(), &["-H", "junk"], &[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "Invalid system activity file: junk\n");
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn rsadf_old_format_prints_magic_and_version_only() {
    let root = corpus();
    let out = rsadf(&root, &["-H", "data/data-9.1.6"], &[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "System activity data file: data/data-9.1.6 (0x2171)\nFile created by sar/sadc from sysstat version 9.1.6\n"
    );
}

/// rsadf started under another name (argv[0]), as a user's path would give it.
fn rsadf_as(name: &str, dir: &Path, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    sysstat_command(env!("CARGO_BIN_EXE_rsadf")).arg0(name).current_dir(dir).args(args).output().expect("rsadf runs")
}

#[test]
fn rsadf_l_is_an_invalid_option() {
    let dir = tempfile::tempdir().unwrap();
    let out = rsadf_as("rsadf", dir.path(), &["-l", "f"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("Usage: rsadf [ options ]"), "{stderr}");
    // The usage no longer offers it.
    assert!(stderr.contains("[ -c | -d | -g | -j | -p | -r | -x ]"), "{stderr}");
    assert!(!stderr.contains("-l"), "{stderr}");
}

#[test]
fn rsadf_help_and_bad_options_name_the_program_alike() {
    // sadf has no --help: it is an invalid option, usage on stderr, exit 1,
    // naming argv[0] as invoked, like every other usage error.
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--help"][..], &["-Z"], &["-x", "-j", "f"], &["f", "--", "-Z"]] {
        let out = rsadf_as("some/where/rsadf", dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("Usage: some/where/rsadf [ options ] [ <interval>"), "{args:?}: {stderr}");
    }
}

/// `SRC` compressed with zstd into `dir`.
#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn rsadf_reads_old_files_directly_with_one_note() {
    let root = corpus();
    for (file, version, magic) in [("data-9.1.6", "9.1.6", "0x2171"), ("data-11.6.5", "11.6.5", "0x2173")] {
        let path = format!("data/{file}");
        for mode in ["-d", "-p", "-j", "-x", "-r", "-g"] {
            let out = rsadf_as("rsadf", &root, &[mode, &path]);
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(0), "{mode} {file}: {stderr}");
            assert!(!out.stdout.is_empty(), "{mode} {file}");
            assert_eq!(
                stderr,
                format!(
                    "rsadf: {path}: read from sysstat {version}'s format ({magic}); rsadf -c makes a current copy\n"
                ),
                "{mode} {file}"
            );
        }
        // The header report still shows the file as it is.
        let out = rsadf_as("rsadf", &root, &["-H", &path]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stderr.is_empty());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("System activity data file: {path} ({magic})\nFile created by sar/sadc from sysstat version {version}\n")
        );
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn rsadf_reads_zstd_files_in_every_mode() {
    let root = corpus();
    let dir = tempfile::tempdir().unwrap();
    for file in ["data", "data-11.6.5"] {
        let plain = root.join("data").join(file);
        let packed = zstd_copy(&plain, dir.path());
        for mode in ["-H", "-c", "-d", "-p", "-j", "-x", "-r", "-g"] {
            let a = rsadf_as("rsadf", dir.path(), &[mode, plain.to_str().unwrap()]);
            let b = rsadf_as("rsadf", dir.path(), &[mode, packed.to_str().unwrap()]);
            let (ea, eb) = (String::from_utf8_lossy(&a.stderr), String::from_utf8_lossy(&b.stderr));
            assert_eq!(b.status.code(), a.status.code(), "{mode} {file}: {eb}");
            assert_eq!(a.status.code(), Some(0), "{mode} {file}: {ea}");
            // -H and -x name the file they read; the rest prints the same bytes.
            let names = |o: &Output, p: &Path| String::from_utf8_lossy(&o.stdout).replace(p.to_str().unwrap(), "FILE");
            assert_eq!(names(&b, &packed), names(&a, &plain), "{mode} {file}");
            assert_eq!(
                eb.replace(packed.to_str().unwrap(), "FILE"),
                ea.replace(plain.to_str().unwrap(), "FILE"),
                "{mode} {file}"
            );
        }
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn rsadf_converts_an_old_zstd_file() {
    let root = corpus();
    let dir = tempfile::tempdir().unwrap();
    let packed = zstd_copy(&root.join("data/data-9.1.6"), dir.path());
    let out = rsadf_as("rsadf", dir.path(), &["-c", packed.to_str().unwrap(), "-O", "hz=250"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.ends_with("File successfully converted to sysstat format version 12.7.9\n"), "{stderr}");
    // sysstat's own conversion at hz=250, but for `upgraded`, which names the converter.
    let theirs = std::fs::read(root.join("data/data-9.1.6-hz")).unwrap();
    assert_eq!(out.stdout.len(), theirs.len());
    assert_eq!(out.stdout[16..], theirs[16..]);
}

#[test]
fn rsadf_empty_activity_list_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_empty_file(&dir.path().join("sa01"));
    for mode in ["-d", "-H", "-j"] {
        let out = rsadf_as("rsadf", dir.path(), &[mode, "sa01"]);
        assert_eq!(out.status.code(), Some(4), "{mode}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            "Invalid system activity file: sa01\nthe file header lists no activity (sa_act_nr is 0)\n",
            "{mode}"
        );
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn rsadf_oversized_activity_is_reported() {
    let root = corpus();
    let out = rsadf_as("rsadf", &root, &["-d", "data/data-12.7.1-A_IRQ_overflow", "--", "-A"]);
    assert_oversized_activity_is_reported(&out);
}
