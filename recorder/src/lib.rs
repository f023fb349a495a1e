//! The recorder: /proc and /sys parsers under an injectable root, the
//! sampling loop, daily files, rotation, retention and compression.

pub mod source;
pub mod compat;
pub mod daily;
pub mod live;
pub mod outfile;
pub mod synthetic;
pub mod proc;
pub mod collect;
pub mod select;
