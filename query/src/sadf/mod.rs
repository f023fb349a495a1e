//! sadf's command line, parsed the way sysstat 12.7.9's `sadf.c` does:
//! one pass over the arguments, grouped single-letter flags, and a usage
//! error (exit 1) for anything it would refuse.

pub mod export;
pub mod fixed;
pub mod graph;
pub mod openmetrics;
pub mod options;
pub mod parquet;
pub mod printers;

pub use options::{parse, usage, Command, Environment, Format, Options, TimeLimit, UsageError};
