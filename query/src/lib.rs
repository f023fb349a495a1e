//! The report engine: sar text and sadf exports.
pub mod compare;
pub mod convert;
pub mod daily;
pub mod files;
pub mod header_report;
pub mod registry;
pub mod sadf;
pub mod sar;
pub mod walk;

use sarkit_format::{FileInfo, OpenOptions};

/// How the reports open data files: 0x2171 and 0x2173 files are read
/// through an in-memory conversion, where sysstat refuses them and asks for
/// `sadf -c` first. Every report reads every version sarkit can convert.
pub fn open_options() -> OpenOptions {
    OpenOptions { convert_old: true, ..Default::default() }
}

/// The one line a report writes on stderr after reading an old format
/// directly, so that the user knows and can make a current copy; `None`
/// for a current file.
pub fn old_format_note(progname: &str, path: &str, info: &FileInfo) -> Option<String> {
    let m = info.converted_from?;
    Some(format!(
        "{progname}: {path}: read from sysstat {}'s format ({:#x}); rsadf -c makes a current copy\n",
        m.version, m.format_magic
    ))
}

/// sysstat's `allocate_structures`: sar and sadf size three buffers per
/// activity from the list's item counts (`mul_check_overflow3(msize, nr,
/// nr2)`) and exit 4 when one would exceed `UINT_MAX` bytes, before any
/// output, without a word. We exit 4 too, but say why: the message for the
/// first such activity, or `None` when every buffer fits.
pub(crate) fn oversized_activity(info: &FileInfo, path: &str) -> Option<String> {
    let max = u64::from(u32::MAX);
    info.activities.iter().zip(&info.status).find_map(|(fa, st)| {
        let sarkit_format::reader::ActivityStatus::Known(known) = st else { return None };
        let msize = u64::from(known.layout.size).max(fa.size.max(0) as u64);
        let (nr, nr2) = (fa.nr.max(0) as u64, fa.nr2.max(0) as u64);
        if nr == 0 || msize == 0 || nr2 == 0 {
            return None;
        }
        let overflows = msize > max || nr > max / msize || nr2 > max / (msize * nr);
        overflows.then(|| {
            format!(
                "Invalid system activity file: {path}\n{}: {nr} x {nr2} items of {msize} bytes are more than can be read\n",
                known.name
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn old_format_note_names_the_version_and_the_converter() {
        let data = std::fs::read(sarkit_testkit::corpus_data("data-9.1.6")).unwrap();
        let f = sarkit_format::SaFile::from_bytes(data, open_options()).unwrap();
        assert_eq!(
            old_format_note("rsar", "sa01", &f.info).as_deref(),
            Some("rsar: sa01: read from sysstat 9.1.6's format (0x2171); rsadf -c makes a current copy\n")
        );
        let current = sarkit_format::legacy::convert_for_reading(
            std::fs::read(sarkit_testkit::corpus_data("data-9.1.6")).unwrap(),
            100,
        )
        .unwrap();
        let f = sarkit_format::SaFile::from_bytes(current, open_options()).unwrap();
        assert_eq!(old_format_note("rsar", "sa01", &f.info), None);
    }
}
