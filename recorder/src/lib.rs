//! The recorder: /proc and /sys parsers under an injectable root, the
//! sampling loop, daily files, rotation, retention and compression.

pub mod cgroup;
pub mod collect;
pub mod daily;
pub mod files;
pub mod installed;
pub mod live;
pub mod outfile;
pub mod proc;
pub mod select;
pub mod source;
pub mod synthetic;
#[cfg(test)]
mod testutil;
