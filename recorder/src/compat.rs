//! Layouts for older readers: the table lives in the format crate so that
//! `rsadc --compat` and `rsadf -c --compat` share it.

pub use sarkit_format::compat::*;
