//! Inputs that once crashed a fuzz target, replayed through the very code
//! the target runs (`fuzz/src/lib.rs`, included below).
//!
//! Each file `testdata/fuzz-regressions/TARGET--NAME.bin` is run through the
//! target named before `--`. The inputs are small, project-made bytes.

use std::path::Path;

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod harness;

fn run(target: &str, data: &[u8]) {
    match target {
        "whole_file" => harness::whole_file(data),
        "zstd_input" => harness::zstd_input(data),
        "file_magic" => harness::file_magic(data),
        "file_header" => harness::file_header(data),
        "record_header" => harness::record_header(data),
        "remap_item" => harness::remap_item(data),
        "legacy_convert" => harness::legacy_convert(data),
        "archive_input" => harness::archive_input(data),
        other => panic!("unknown fuzz target {other:?}"),
    }
}

/// Every kept input runs through its target without a panic.
#[test]
fn kept_fuzz_inputs_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("{} is absent: no kept fuzz input to replay", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "bin")) {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let target = name.split("--").next().unwrap();
        let data = std::fs::read(f).unwrap();
        eprintln!("{name}: {} bytes through {target}", data.len());
        run(target, &data);
    }
}

/// Each target also takes the empty input and a minimal valid file.
#[test]
fn every_target_takes_trivial_inputs() {
    let small = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/sa-debian-12.6.1-xall")).ok();
    for t in ["whole_file", "zstd_input", "file_magic", "file_header", "record_header", "remap_item", "legacy_convert"]
    {
        run(t, &[]);
        run(t, &[0xff; 40]);
        if let Some(s) = &small {
            run(t, s);
        }
    }
}

/// zstd_input once asserted that a compressed file reads as its plain bytes
/// do, also when those bytes are an archive: an archive is recognised only
/// as a file of its own, so inside a zstd stream it is refused, as it should
/// be. (The fuzzer's input came from corpus seeds; the project's own
/// archive shows the same.)
#[test]
fn an_archive_inside_zstd_is_not_an_archive() {
    let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/real-xall-21min.sa.sarc");
    harness::zstd_input(&std::fs::read(archive).unwrap());
}
