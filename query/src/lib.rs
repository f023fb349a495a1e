//! The report engine: sar text and sadf exports.
pub mod convert;
pub mod daily;
pub mod header_report;
pub mod sadf;
pub mod sar;

/// Environment variable that makes rsar and rsadf read 0x2171 and 0x2173
/// files directly, converting them in memory (sysstat refuses them).
pub const CONVERT_OLD_ENV: &str = "SARKIT_CONVERT_OLD";

/// How the reports open data files: as sysstat does, unless
/// `SARKIT_CONVERT_OLD` (set and not `0`) asks to read old formats too.
/// An environment variable rather than a flag, so sar's command line stays sar's.
pub fn open_options() -> sarkit_format::OpenOptions {
    let convert_old = std::env::var_os(CONVERT_OLD_ENV).is_some_and(|v| !v.is_empty() && v != "0");
    sarkit_format::OpenOptions { convert_old, ..Default::default() }
}
