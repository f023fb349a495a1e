//! `sadf -c`: rewrite a 0x2171 or 0x2173 file in the current format.
//!
//! The conversion itself is [`sarkit_format::legacy`]; this adds what sadf
//! shows around it: the progress line on stderr (one letter per record
//! part, as sysstat prints them), its messages and exit statuses, and
//! sarkit's `--compat` choice of layouts.

use std::io::{self, Write};

use sarkit_format::legacy::{upgraded_value, LegacyError, LegacyFile, CONVERTER_VERSION};
use sarkit_format::magic::{FileMagic, FORMAT_MAGIC};
use sarkit_format::{header::FILE_HEADER_LAYOUT, ActivitySpec, Compat, SampleBody, Writer};

/// What `-c` was asked for beyond the file.
#[derive(Debug, Clone, Copy)]
pub struct ConvertOptions {
    /// `-O hz=N`; `None` or 0 for [`ConvertOptions::machine_hz`].
    pub hz: Option<u64>,
    /// This machine's clock ticks per second (`sysconf(_SC_CLK_TCK)`, which
    /// the binary asks): the rate of old files' headers, which lack it,
    /// unless `-O hz` says otherwise. 100 by default.
    pub machine_hz: u64,
    /// Layouts to write (`--compat`); sysstat writes the current ones.
    pub compat: Compat,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        ConvertOptions { hz: None, machine_hz: sarkit_format::legacy::DEFAULT_HZ, compat: Compat::default() }
    }
}

/// Convert `path`, writing the new file to `out` and sadf's messages to
/// `err`. Returns sadf's exit status; output errors are returned as errors.
/// A zstd-compressed file is decompressed first, as every reader does: its
/// content is then converted, or found already current, like a plain file's.
pub fn convert_file(path: &str, opts: ConvertOptions, out: &mut impl Write, err: &mut impl Write) -> io::Result<i32> {
    let data = match sarkit_format::read_decompressed(std::path::Path::new(path)) {
        Ok(d) => d,
        Err(e) => return report(LegacyError::Format(e), path, err),
    };
    convert_bytes(path, data, opts, out, err)
}

/// [`convert_file`] on bytes already read; `path` names the file in messages.
pub fn convert_bytes(
    path: &str,
    data: Vec<u8>,
    opts: ConvertOptions,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<i32> {
    let hz = match opts.hz {
        Some(h) if h > 0 => h,
        _ => opts.machine_hz,
    };
    // The magic is checked first, and written before anything else is read.
    let magic = match FileMagic::parse(&data) {
        Ok(m) => m,
        Err(e) => return report(LegacyError::Format(e), path, err),
    };
    let mut f = match LegacyFile::parse(data, hz) {
        Ok(f) => f,
        Err(e @ (LegacyError::UpToDate | LegacyError::NotConvertible { .. } | LegacyError::Format(_))) => {
            return report(e, path, err)
        }
        Err(e) => {
            err.write_all(b"file_magic: ")?;
            out.write_all(&new_magic(&magic).encode())?;
            writeln!(err, "OK\nHZ: Using current value: {hz}\nfile_header: ")?;
            return report(e, path, err);
        }
    };
    writeln!(err, "file_magic: OK\nHZ: Using current value: {hz}\nfile_header: OK")?;
    err.write_all(b"file_activity: ")?;
    for s in f.specs() {
        write!(err, "{} ", s.info.name)?;
    }
    writeln!(err, "OK\nStatistics:")?;

    let compat = opts.compat;
    let specs: Vec<ActivitySpec> =
        f.specs().iter().filter_map(|s| Some(ActivitySpec { layout: compat.layout(s.info.id)?, ..*s })).collect();
    let (header, enc, upgraded) = (f.header.clone(), f.enc, f.upgraded());
    let mut w = Writer::create_upgraded(&mut *out, &header, specs, enc, upgraded)?;
    let progress: Vec<(bool, bool)> =
        (0..f.specs().len()).map(|i| (f.specs()[i].info.nr_max > 1, f.is_upgraded(i))).collect();
    loop {
        let mut s = match f.next_sample() {
            Ok(Some(s)) => s,
            Ok(None) => break,
            Err(e) => {
                w.flush()?;
                return report(e, path, err);
            }
        };
        err.write_all(b"H")?;
        match &s.body {
            SampleBody::Comment(_) => err.write_all(b"C")?,
            SampleBody::Restart { .. } => err.write_all(b"R")?,
            SampleBody::Stats(_) => {
                for &(has_nr, up) in &progress {
                    if has_nr {
                        err.write_all(b"n")?;
                    }
                    err.write_all(if up { b"u" } else { b"." })?;
                }
            }
        }
        sarkit_format::legacy::keep_declared(&mut s, w.specs());
        if let Err(e) = w.write_sample(&s) {
            return report(LegacyError::Write(e), path, err);
        }
    }
    w.flush()?;
    writeln!(err, "\nFile successfully converted to sysstat format version {CONVERTER_VERSION}")?;
    Ok(0)
}

/// The magic sysstat writes for the converted file.
fn new_magic(m: &FileMagic) -> FileMagic {
    FileMagic {
        format_magic: FORMAT_MAGIC,
        header_size: FILE_HEADER_LAYOUT.size,
        upgraded: upgraded_value(CONVERTER_VERSION),
        hdr_types_nr: FILE_HEADER_LAYOUT.types_nr,
        ..*m
    }
}

fn report(e: LegacyError, path: &str, err: &mut impl Write) -> io::Result<i32> {
    if let LegacyError::Write(sarkit_format::WriteError::Io(io)) = e {
        return Err(io);
    }
    let (msg, code) = e.sysstat_report(path);
    err.write_all(msg.as_bytes())?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    use sarkit_testkit::corpus_data as corpus;

    fn run(path: &std::path::Path, opts: ConvertOptions) -> (Vec<u8>, String, i32) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = convert_file(path.to_str().unwrap(), opts, &mut out, &mut err).unwrap();
        (out, String::from_utf8(err).unwrap(), code)
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn converts_like_sysstat_and_reports_progress() {
        let p = corpus("data-9.1.6");
        let (out, err, code) = run(&p, ConvertOptions { hz: Some(250), ..Default::default() });
        assert_eq!(code, 0, "{err}");
        assert!(
            err.starts_with(
                "file_magic: OK\nHZ: Using current value: 250\nfile_header: OK\nfile_activity: A_CPU A_PCSW A_IRQ "
            ),
            "{err}"
        );
        assert!(err.contains("\nStatistics:\nHRHCHnuunu..uuuu"), "{err}");
        assert!(err.ends_with("\nFile successfully converted to sysstat format version 12.7.9\n"), "{err}");
        // sysstat's own conversion with hz=250, but for the converter's version in `upgraded`.
        let theirs = std::fs::read(corpus("data-9.1.6-hz")).unwrap();
        assert_eq!(out.len(), theirs.len());
        assert_eq!(&out[12..16], &0x70au32.to_le_bytes());
        assert_eq!(out[16..], theirs[16..]);
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn current_and_too_old_files_are_refused_with_sysstat_words() {
        let p = corpus("data");
        let (out, err, code) = run(&p, ConvertOptions::default());
        assert_eq!((out.len(), err.as_str(), code), (0, "\nFile format already up-to-date\n", 0));
        let (out, err, code) = run(&corpus("data-9.1.5"), ConvertOptions::default());
        assert_eq!((out.len(), err.as_str(), code), (0, "Cannot convert the format of this file\n", 2));
    }

    /// A file compressed with zstd, in a temporary directory.
    fn zst_of(p: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let z = dir.path().join(format!("{}.zst", p.file_name().unwrap().to_str().unwrap()));
        std::fs::write(&z, zstd::encode_all(&std::fs::read(p).unwrap()[..], 3).unwrap()).unwrap();
        (dir, z)
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn zstd_compressed_files_convert_like_plain_ones() {
        let p = corpus("data-11.6.5");
        let opts = ConvertOptions { hz: Some(100), ..Default::default() };
        let (plain_out, plain_err, plain_code) = run(&p, opts);
        let (_dir, z) = zst_of(&p);
        let (out, err, code) = run(&z, opts);
        assert_eq!((code, &err), (plain_code, &plain_err));
        assert_eq!(out, plain_out);
        // A current file, compressed, takes sadf's "already up-to-date" path.
        let (_dir, z) = zst_of(&corpus("data"));
        let (out, err, code) = run(&z, opts);
        assert_eq!((out.len(), err.as_str(), code), (0, "\nFile format already up-to-date\n", 0));
    }

    #[test]
    fn missing_file_cannot_be_opened() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = convert_file("/nonexistent/sa01", ConvertOptions::default(), &mut out, &mut err).unwrap();
        assert_eq!(code, 2);
        assert_eq!(String::from_utf8(err).unwrap(), "Cannot open /nonexistent/sa01: No such file or directory\n");
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn compat_drops_what_the_release_lacks_and_stays_readable() {
        let p = corpus("data-11.6.5");
        let compat = Compat::parse("12.6").unwrap();
        let (out, err, code) = run(&p, ConvertOptions { hz: Some(100), compat, ..Default::default() });
        assert_eq!(code, 0, "{err}");
        let mut f = sarkit_format::SaFile::from_bytes(out, Default::default()).unwrap();
        let mem = f.info.activities.iter().find(|a| a.id == 7).unwrap();
        assert_eq!((mem.size, mem.types_nr), (136, [17, 0, 0]));
        let mut n = 0;
        while f.next_record().unwrap().is_some() {
            n += 1;
        }
        assert!(n > 0);
    }
}
