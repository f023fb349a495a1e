//! The sysstat data-file format (`sa` files), as sysstat 12.7.9 defines it.
//!
//! This crate knows bytes and nothing else: no /proc, no printing, no rates.
//! [`SaFile`] opens a file of any byte order and `long` size, checks it as
//! sysstat does, and walks its records; [`Writer`] writes the current format.
//! The layouts are described in `spec/format.md`, which names the module
//! behind each section.

pub mod activity;
pub mod append;
pub mod archive;
pub mod compat;
pub mod daily;
pub mod endian;
pub mod error;
pub mod header;
pub mod legacy;
pub mod magic;
pub mod reader;
pub mod record;
pub mod remap;
mod source;
pub mod stats;
pub mod time;
pub mod writer;

pub use activity::{ActivityId, ActivityInfo, ACTIVITIES};
pub use compat::Compat;
pub use endian::{ByteOrder, Encoding};
pub use error::{Error, Result, SysstatKind, Version};
pub use header::{FileActivity, FileHeader};
pub use magic::FileMagic;
pub use reader::{Block, FileInfo, OpenOptions, Record, RecordKind, SaFile, StatsRecord};
pub use record::{RecordHeader, RecordType};
pub use source::{read_decompressed, ZSTD_MAGIC};
pub use writer::{ActivityData, ActivitySpec, AnyStats, HeaderInfo, Sample, SampleBody, WriteError, Writer};
