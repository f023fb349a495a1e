//! The recorder: /proc and /sys parsers under an injectable root, the
//! sampling loop, daily files, rotation, retention and compression.

pub mod source;
