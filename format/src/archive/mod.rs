//! The sarkit day archive: a data file stored as compressed columns, read
//! in place and restored byte for byte (`spec/archive.md`).
//!
//! A plain file is the file header and activity list, then records. The
//! archive keeps the header bytes as they are (the *prefix*), and cuts the
//! records into *blocks*. Inside a block, regular statistics records (all
//! with the same item counts) are stored as columns per segment
//! ([`columns`]), one zstd frame for the record headers and one per
//! activity; anything else (restart and comment records, extra structures,
//! records whose counts differ, a damaged tail) is kept verbatim in the
//! block's raw frame, in place. An index at the end gives every block's
//! place, its span of the plain file, its first and last record times and
//! a CRC-32 of its table; every frame carries its own CRC-32, so damage is
//! found where it is and named by block.
//!
//! [`SaFile`](crate::SaFile) opens an archive as it opens a plain file: the
//! record headers of a block are decoded when the block is entered, an
//! activity's columns only when a report asks for that activity.

mod columns;
mod read;
mod write;

use std::fmt;

pub use read::{restore, Archive, BlockRef, FrameRef, Index, RestoreError};
pub(crate) use read::{Cursor, LoadedBlock, Step};
#[cfg(test)]
use write::write_with_rows;
pub use write::{write_archive, write_archive_bytes, Summary};

/// The first 8 bytes of an archive (PNG-style: a high byte, CR LF and ^Z
/// catch transfers that mangle binary files).
pub const ARCHIVE_MAGIC: [u8; 8] = *b"\x89sarc\r\n\x1a";
/// The archive layout version this code reads and writes.
pub const ARCHIVE_VERSION: u32 = 1;
/// What an archive's name ends with: `sa20240209` becomes `sa20240209.sarc`.
pub const ARCHIVE_SUFFIX: &str = ".sarc";

/// Bytes before the prefix frame: magic, version and flags.
const PREAMBLE_LEN: u64 = 16;
/// The fixed footer: index offset and length, index CRC, version, magic.
const FOOTER_LEN: u64 = 32;
/// Bytes of one index entry.
const BLOCK_REF_LEN: usize = 56;
/// A block is closed when it holds this many regular records...
const MAX_ROWS: usize = 3600;
/// ...or this many plain bytes of them, so that a report holding every
/// activity of one block stays well under 64 MB.
const MAX_BLOCK_PLAIN: usize = 8 << 20;
/// The largest frame a reader decompresses: more is damage, not data.
const MAX_FRAME: u64 = 1 << 30;
/// zstd level of every frame; see `spec/archive.md` for the measurements.
const ZSTD_LEVEL: i32 = 9;

/// Whether `head` starts like an archive.
pub fn is_archive(head: &[u8]) -> bool {
    head.starts_with(&ARCHIVE_MAGIC)
}

/// Where an archive is damaged, with the time span of the records lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The block, counted from 0; `None` for the preamble, footer, index or prefix.
    pub block: Option<u32>,
    /// `ust_time` of the block's first and last record (0 when unknown).
    pub first_time: u64,
    pub last_time: u64,
    /// Offset in the archive of the damaged structure.
    pub offset: u64,
    pub what: String,
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let utc = |t: u64| {
            i64::try_from(t)
                .ok()
                .and_then(crate::time::BrokenDown::utc)
                .and_then(|tm| tm.format("%Y-%m-%d %H:%M:%S"))
                .unwrap_or_else(|| t.to_string())
        };
        match self.block {
            Some(b) => write!(
                f,
                "block {b} (records from {} to {} UTC) at archive offset {}: {}",
                utc(self.first_time),
                utc(self.last_time),
                self.offset,
                self.what
            ),
            None => write!(f, "archive offset {}: {}", self.offset, self.what),
        }
    }
}

/// The error for an archive whose file header frame does not end where
/// its records start.
pub(crate) fn header_mismatch(ar: &Archive) -> crate::Error {
    crate::Error::Archive(Box::new(Damage {
        block: None,
        first_time: 0,
        last_time: 0,
        offset: ar.index.prefix.offset,
        what: "the file header's length differs from its frame's".into(),
    }))
}

/// CRC-32 (IEEE) of `bytes`, the checksum of every frame and table.
fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Recompute every checksum of the archive `ar` in place, as far as its
/// structure can be followed, so that fuzzing and damage tests reach the
/// parsing behind the checksums. A reader never needs it.
pub fn reseal(ar: &mut [u8]) {
    // Every number read is at most the archive's length, and every sum saturates:
    // whatever the bytes say, nothing overflows and every loop ends.
    fn num(b: &[u8], at: usize, n: usize) -> Option<usize> {
        let s = b.get(at..at.checked_add(n)?)?;
        let mut v = [0u8; 8];
        v[..n].copy_from_slice(s);
        usize::try_from(u64::from_le_bytes(v)).ok().filter(|&v| v <= b.len())
    }
    fn put_crc(b: &mut [u8], data: (usize, usize), at: usize) -> Option<()> {
        let c = crc32(b.get(data.0..data.0.checked_add(data.1)?)?);
        b.get_mut(at..at.checked_add(4)?)?.copy_from_slice(&c.to_le_bytes());
        Some(())
    }
    let step = |ar: &mut [u8]| -> Option<()> {
        let foot = ar.len().checked_sub(FOOTER_LEN as usize)?;
        let (ix, ix_len) = (num(ar, foot, 8)?, num(ar, foot + 8, 8)?);
        // Index: plain length, whole flag, prefix frame (offset, clen, rawlen, crc), block count, blocks.
        let _ = put_crc(ar, (num(ar, ix.saturating_add(9), 8)?, num(ar, ix.saturating_add(17), 8)?), ix + 33);
        for i in 0..num(ar, ix.saturating_add(37), 4)? {
            let e = ix.saturating_add(41).saturating_add(i.saturating_mul(BLOCK_REF_LEN));
            if e.saturating_add(BLOCK_REF_LEN) > ix.saturating_add(ix_len) {
                break;
            }
            let (off, table_len) = (num(ar, e, 8)?, num(ar, e + 12, 4)?);
            // Table: rows, entries (9 bytes each), item counts, frames (clen, rawlen, crc).
            let t = off.saturating_add(8).saturating_add(num(ar, off.saturating_add(4), 4)?.saturating_mul(9));
            let t = t.saturating_add(4).saturating_add(num(ar, t, 4)?.saturating_mul(4));
            let mut data = off.saturating_add(table_len);
            for f in 0..num(ar, t, 4)? {
                let at = t.saturating_add(4).saturating_add(f.saturating_mul(12));
                let Some(clen) = num(ar, at, 4).filter(|_| data <= ar.len()) else { break };
                let _ = put_crc(ar, (data, clen), at.saturating_add(8));
                data = data.saturating_add(clen);
            }
            let _ = put_crc(ar, (off, table_len), e + 52);
        }
        put_crc(ar, (ix, ix_len), foot + 16)
    };
    let _ = step(ar);
}

/// Little-endian fields of the archive's own structures, bounds-checked.
struct Le<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Le<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Le { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes(crate::endian::fixed(b)))
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| u64::from_le_bytes(crate::endian::fixed(b)))
    }

    fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }
}

#[cfg(test)]
mod tests;
