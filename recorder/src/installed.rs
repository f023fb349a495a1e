//! Which sysstat a machine has installed, found without running it, so
//! that rsadc's default layouts are those its `sar` reads in full.
//!
//! Debian's and Ubuntu's sar 12.6 print only the host line for a file in
//! 12.7 layouts; what they read is decided by the installed package, not
//! by the kernel, so the answer is looked up under the recorded root:
//!
//! 1. The dpkg database, `var/lib/dpkg/status`: the `sysstat` stanza whose
//!    `Status` is `install ok installed` gives `Version` (an epoch and a
//!    Debian revision are dropped: `1:12.6.1-1+b1` is 12.6.1). It is plain
//!    text, always present on dpkg systems, and says what is installed even
//!    when the binaries live elsewhere.
//! 2. Otherwise (RPM-based and source installs, whose databases are not
//!    plain text) the sadc binary at sysstat's conventional places, from
//!    the first that exists: `usr/lib/sysstat/sadc`, `usr/lib64/sa/sadc`,
//!    `usr/lib/sa/sadc`, `usr/libexec/sysstat/sadc`. sadc carries its
//!    version as a string constant for `-V` ("sysstat version %s" then
//!    "12.6.1"): the NUL-terminated `X.Y.Z` string right after that format
//!    is taken, else the only `X.Y.Z` string of the binary; several
//!    different ones and none are "unknown".
//!
//! Nothing found means no sysstat to suit, and rsadc keeps its own layouts.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use sarkit_format::error::Version;

/// Where the dpkg database lives, under the root.
const DPKG_STATUS: &str = "var/lib/dpkg/status";

/// Where distributions install sadc, under the root, in the order tried.
#[doc(alias = "SADC_PATH")]
pub const SADC_PATHS: [&str; 4] =
    ["usr/lib/sysstat/sadc", "usr/lib64/sa/sadc", "usr/lib/sa/sadc", "usr/libexec/sysstat/sadc"];

/// sadc's `-V` format, which its version string follows in the binary.
const VERSION_FORMAT: &[u8] = b"sysstat version %s\0";

/// A sysstat installation and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub version: Version,
    /// The file that told: the dpkg status file or a sadc binary.
    pub found_in: PathBuf,
}

/// The sysstat installed under `root`, if any can be found (see the module
/// documentation for how).
pub fn installed_sysstat(root: &Path) -> Option<Installed> {
    let status = root.join(DPKG_STATUS);
    // Read line by line: the database is large (700 kB here) and rsadc's peak memory counts.
    if let Some(version) = fs::File::open(&status).ok().and_then(|f| dpkg_version(BufReader::new(f))) {
        return Some(Installed { version, found_in: status });
    }
    let sadc = SADC_PATHS.iter().map(|p| root.join(p)).find(|p| p.is_file())?;
    let version = fs::read(&sadc).ok().and_then(|d| binary_version(&d))?;
    Some(Installed { version, found_in: sadc })
}

/// The version of the installed `sysstat` package in a dpkg status file:
/// stanzas end at empty lines, and a field is the first line of its stanza
/// that starts with its name and a colon.
pub fn dpkg_version(mut status: impl BufRead) -> Option<Version> {
    const NAMES: [&str; 3] = ["Package", "Status", "Version"];
    let mut fields: [Option<String>; 3] = Default::default();
    let installed =
        |f: &[Option<String>; 3]| f[0].as_deref() == Some("sysstat") && f[1].as_deref() == Some("install ok installed");
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if status.read_until(b'\n', &mut buf).ok()? == 0 {
            break;
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if line.is_empty() {
            if installed(&fields) {
                break;
            }
            fields = Default::default();
            continue;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        for (slot, name) in fields.iter_mut().zip(NAMES) {
            if slot.is_none() {
                let value = line.strip_prefix(name.as_bytes()).and_then(|r| r.strip_prefix(b":"));
                *slot = value.map(|v| String::from_utf8_lossy(v).trim().to_string());
            }
        }
    }
    if !installed(&fields) {
        return None;
    }
    fields[2].as_deref().and_then(debian_upstream)
}

/// `[epoch:]X.Y.Z[-revision]` → X.Y.Z; anything after Z's digits goes.
fn debian_upstream(v: &str) -> Option<Version> {
    let v = v.split_once(':').map_or(v, |(_, rest)| rest);
    parse_xyz(v, false)
}

/// `X.Y.Z` at the start of `s`; with `whole`, nothing may follow it.
fn parse_xyz(s: &str, whole: bool) -> Option<Version> {
    let mut parts = [0u8; 3];
    let mut rest = s;
    for (i, part) in parts.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix('.')?;
        }
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 3 {
            return None;
        }
        *part = rest[..n].parse().ok()?;
        rest = &rest[n..];
    }
    if whole && !rest.is_empty() {
        return None;
    }
    Some(Version::new(parts[0], parts[1], parts[2]))
}

/// The version string of a sadc binary (see the module documentation).
pub fn binary_version(data: &[u8]) -> Option<Version> {
    let strings = || data.split(|&c| c == 0).filter_map(|s| std::str::from_utf8(s).ok());
    if let Some(p) = data.windows(VERSION_FORMAT.len()).position(|w| w == VERSION_FORMAT) {
        let after = &data[p + VERSION_FORMAT.len()..];
        let next = after.split(|&c| c == 0).next().and_then(|s| std::str::from_utf8(s).ok());
        if let Some(v) = next.and_then(|s| parse_xyz(s, true)) {
            return Some(v);
        }
    }
    let mut found: Option<Version> = None;
    for v in strings().filter_map(|s| parse_xyz(s, true)) {
        match found {
            Some(f) if f != v => return None,
            _ => found = Some(v),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Package: sysstat-extra\nStatus: install ok installed\nVersion: 13.0.0\n\n\
Package: sysstat\nStatus: install ok installed\nPriority: optional\nVersion: 12.6.1-1\nDepends: ucf\n\n\
Package: zstd\nStatus: install ok installed\nVersion: 1.5.4+dfsg2-5\n";

    #[test]
    fn reads_the_installed_package_version() {
        assert_eq!(dpkg_version(STATUS.as_bytes()), Some(Version::new(12, 6, 1)));
        let removed = STATUS.replace("Status: install ok installed\nPriority", "Status: deinstall ok config-files\nP");
        assert_eq!(dpkg_version(removed.as_bytes()), None);
        assert_eq!(
            dpkg_version(&b"Package: sysstat\nStatus: install ok installed\nVersion: 1:12.5.2-2ubuntu0.1\n"[..]),
            Some(Version::new(12, 5, 2))
        );
        assert_eq!(dpkg_version(&b"Package: sysstat\nStatus: install ok installed\nVersion: garbage\n"[..]), None);
        assert_eq!(dpkg_version(&b"\xff\xfe"[..]), None);
        let crlf = &b"Package: sysstat\r\nStatus: install ok installed\r\nVersion: 12.6.1\r\n"[..];
        assert_eq!(dpkg_version(crlf), Some(Version::new(12, 6, 1)));
        assert_eq!(dpkg_version(STATUS.replace("\n\n", "\n\n\n").as_bytes()), Some(Version::new(12, 6, 1)));
    }

    #[test]
    fn reads_the_version_string_of_a_binary() {
        let bin = b"\x7fELF\0\x01GCC: (Debian 12.2.0-14) 12.2.0\0sysstat version %s\x0012.6.1\0%d.%d.%d\0";
        assert_eq!(binary_version(bin), Some(Version::new(12, 6, 1)));
        assert_eq!(binary_version(b"\0x\x0012.7.9\0"), Some(Version::new(12, 7, 9)));
        assert_eq!(binary_version(b"\x0011.7.1\0 \x0012.6.1\0"), None, "ambiguous");
        assert_eq!(binary_version(b"sysstat version %s\0"), None);
        assert_eq!(binary_version(b"1.2.3.4\0 1234.5.6\0"), None);
    }

    #[test]
    fn dpkg_first_then_sadc_binaries() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(installed_sysstat(d.path()), None);
        let sadc = d.path().join("usr/lib64/sa/sadc");
        fs::create_dir_all(sadc.parent().unwrap()).unwrap();
        fs::write(&sadc, b"ELF\0sysstat version %s\x0012.5.4\0").unwrap();
        assert_eq!(installed_sysstat(d.path()), Some(Installed { version: Version::new(12, 5, 4), found_in: sadc }));
        let status = d.path().join(DPKG_STATUS);
        fs::create_dir_all(status.parent().unwrap()).unwrap();
        fs::write(&status, STATUS).unwrap();
        assert_eq!(installed_sysstat(d.path()), Some(Installed { version: Version::new(12, 6, 1), found_in: status }));
    }
}
