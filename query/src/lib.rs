//! The report engine: sar text and sadf exports.
