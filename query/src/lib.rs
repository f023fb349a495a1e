//! The report engine: sar text and sadf exports.
pub mod convert;
pub mod header_report;
pub mod sadf;
pub mod sar;
