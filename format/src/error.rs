//! Errors from reading a data file.
//!
//! Each variant carries the byte offset and the offending value, for
//! debugging; [`Error::sysstat_report`] gives the exact words and exit code
//! sysstat uses for the same condition, so the binaries can be faithful
//! without knowing the format.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while opening or walking a file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("cannot open: {0}")]
    Io(#[from] std::io::Error),

    /// Not a sysstat file: too short for the magic, or a wrong sysstat magic.
    #[error("not a sysstat data file (sysstat magic {magic:#06x}, {len} bytes read)")]
    NotSysstat { magic: u16, len: usize },

    /// A sysstat file whose format magic this reader does not decode.
    #[error("unsupported format magic {format_magic:#x} (file written by sysstat {version})")]
    UnsupportedFormat { format_magic: u16, version: Version },

    /// The magic's own size fields are out of range. sysstat reports this
    /// like an unreadable format, naming the file's version.
    #[error("invalid {what} {value} in the file magic (format {format_magic:#x}, sysstat {version})")]
    InvalidMagic { what: &'static str, value: u64, format_magic: u16, version: Version },

    /// A header, activity-list or size field fails sysstat's sanity checks.
    #[error("invalid {what} at offset {offset}: {value}")]
    Invalid { what: &'static str, offset: usize, value: u64 },

    /// The file ends in the middle of a structure.
    #[error("truncated at offset {offset}: wanted {wanted} bytes, {available} left")]
    Truncated { offset: usize, wanted: usize, available: usize },

    /// A record header fails sysstat's sanity checks (type, time fields).
    #[error("invalid record header at offset {offset}: {what} = {value}")]
    InvalidRecord { offset: usize, what: &'static str, value: u64 },

    /// An activity's statistics cannot be remapped to the current layout;
    /// sysstat stops reading the file quietly at this point.
    #[error("activity {id} at offset {offset} cannot be mapped onto the current layout")]
    Unmappable { id: u32, offset: usize },

    /// The activity list is empty. sysstat sizes the list's buffer from the
    /// count and exits with status 4 when that size is zero; its release
    /// build says nothing, which leaves the user guessing, so we say why.
    #[error("the file header lists no activity (sa_act_nr is 0)")]
    NoActivity,

    /// A zstd stream failed to decompress.
    #[error("zstd: {0}")]
    Zstd(std::io::Error),

    /// A sarkit archive is damaged (`spec/archive.md`): where, and which
    /// records are lost. sysstat has no such file, so no words of its own.
    #[error("damaged archive: {0}")]
    Archive(Box<crate::archive::Damage>),
}

/// Which message sysstat prints for an error, so callers can choose what to
/// do with the stream of records already read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SysstatKind {
    /// "Cannot open FILE: REASON", exit 2.
    CannotOpen,
    /// "Invalid system activity file: FILE" (plus the old-format hint), exit 3.
    InvalidFile,
    /// "End of system activity file unexpected", exit 2.
    UnexpectedEof,
    /// "Invalid data read", exit 2.
    InvalidData,
    /// Nothing printed; the report ends as if the file ended here.
    SilentStop,
    /// "Invalid system activity file: FILE" and why, exit 4: where sysstat
    /// fails an allocation sized from the file (and exits 4 without a word).
    AllocationFailure,
}

impl Error {
    pub fn kind(&self) -> SysstatKind {
        match self {
            Error::Io(_) => SysstatKind::CannotOpen,
            Error::NotSysstat { .. }
            | Error::UnsupportedFormat { .. }
            | Error::InvalidMagic { .. }
            | Error::Invalid { .. } => SysstatKind::InvalidFile,
            Error::Truncated { .. } | Error::Zstd(_) => SysstatKind::UnexpectedEof,
            Error::InvalidRecord { .. } | Error::Archive(_) => SysstatKind::InvalidData,
            Error::Unmappable { .. } => SysstatKind::SilentStop,
            Error::NoActivity => SysstatKind::AllocationFailure,
        }
    }

    /// The text sysstat writes to stderr for this error on `file`, and its exit status.
    pub fn sysstat_report(&self, file: &str) -> (String, i32) {
        match self {
            Error::Io(e) => (format!("Cannot open {file}: {}\n", io_reason(e)), 2),
            Error::UnsupportedFormat { format_magic, version } | Error::InvalidMagic { format_magic, version, .. } => {
                let mut s = format!("Invalid system activity file: {file}\n");
                s += &format!("File created by sar/sadc from sysstat version {version}\n");
                s += &format!("Current sysstat version cannot read the format of this file ({format_magic:#x})\n");
                // sysstat's advice, naming sarkit's converter.
                if *format_magic >= crate::magic::FORMAT_MAGIC_2171 {
                    s += "Try to convert it to current format. Enter:\n\n";
                    s += &format!("rsadf -c {file} > {file}.new\n\n");
                    s += &format!("You should then be able to read the new file created ({file}.new)\n");
                }
                (s, 3)
            }
            Error::NotSysstat { .. } | Error::Invalid { .. } => (format!("Invalid system activity file: {file}\n"), 3),
            Error::Truncated { .. } | Error::Zstd(_) => ("End of system activity file unexpected\n".to_string(), 2),
            Error::InvalidRecord { .. } => ("Invalid data read\n".to_string(), 2),
            Error::Unmappable { .. } => (String::new(), 0),
            Error::NoActivity => (format!("Invalid system activity file: {file}\n{self}\n"), 4),
            Error::Archive(d) => (format!("Damaged archive {file}: {d}\n"), 2),
        }
    }
}

/// strerror()-style reason without Rust's " (os error N)" suffix.
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A sysstat release number as stored in the file magic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Version {
    pub version: u8,
    pub patchlevel: u8,
    pub sublevel: u8,
    pub extraversion: u8,
}

impl Version {
    pub const fn new(version: u8, patchlevel: u8, sublevel: u8) -> Self {
        Version { version, patchlevel, sublevel, extraversion: 0 }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.version, self.patchlevel, self.sublevel)?;
        if self.extraversion != 0 {
            write!(f, ".{}", self.extraversion)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_format_report_matches_sysstat_wording() {
        let e = Error::UnsupportedFormat { format_magic: 0x2171, version: Version::new(9, 1, 6) };
        let (msg, code) = e.sysstat_report("sa01");
        assert_eq!(code, 3);
        assert!(msg.starts_with("Invalid system activity file: sa01\n"));
        assert!(msg.contains("sysstat version 9.1.6\n"));
        assert!(msg.contains("format of this file (0x2171)\n"));
        assert!(msg.contains("\nrsadf -c sa01 > sa01.new\n"));
    }

    #[test]
    fn empty_activity_list_is_reported_not_silent() {
        let (msg, code) = Error::NoActivity.sysstat_report("sa01");
        assert_eq!(code, 4);
        assert_eq!(msg, "Invalid system activity file: sa01\nthe file header lists no activity (sa_act_nr is 0)\n");
        assert_eq!(Error::NoActivity.kind(), SysstatKind::AllocationFailure);
    }

    #[test]
    fn io_reason_drops_os_error_suffix() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&e), "No such file or directory");
    }
}
