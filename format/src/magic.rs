//! The file magic: the first 76 bytes of every data file (`struct file_magic`).
//!
//! It is the only structure whose size never changes, so it is where a
//! reader learns the byte order, the format generation and the size of the
//! file header that follows.

use crate::endian::{fixed, ByteOrder};
use crate::error::{Error, Result, Version};
use crate::remap::{map_size, TypesNr};

/// Identifies a file written by sysstat (`SYSSTAT_MAGIC`).
pub const SYSSTAT_MAGIC: u16 = 0xd596;
/// The current format, written by sysstat 11.7.1 to 12.7.x (`FORMAT_MAGIC`).
pub const FORMAT_MAGIC: u16 = 0x2175;
/// Format of sysstat 9.1.6 to 10.2.x.
pub const FORMAT_MAGIC_2171: u16 = 0x2171;
/// Format of sysstat 10.3.1 to 11.6.x.
pub const FORMAT_MAGIC_2173: u16 = 0x2173;
/// Size of `struct file_magic` (`FILE_MAGIC_SIZE`).
pub const FILE_MAGIC_SIZE: usize = 76;
/// Reserved padding at the end of the magic (`FILE_MAGIC_PADDING`).
pub const FILE_MAGIC_PADDING: usize = 48;
/// Largest file header sysstat accepts (`MAX_FILE_HEADER_SIZE`).
pub const MAX_FILE_HEADER_SIZE: u32 = 8192;

/// `struct file_magic`, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileMagic {
    /// Byte order of the whole file, from how `SYSSTAT_MAGIC` reads.
    pub order: ByteOrder,
    pub format_magic: u16,
    pub version: Version,
    /// Size of the file header that follows (`header_size`).
    pub header_size: u32,
    /// Non-zero when `sadf -c` produced this file from an older format.
    pub upgraded: u32,
    /// Composition of the file header (`hdr_types_nr`).
    pub hdr_types_nr: TypesNr,
}

impl FileMagic {
    /// Decode and check the magic as sysstat does before anything else.
    ///
    /// An old or unknown `format_magic` is returned, not refused: `sadf -H`
    /// prints such files. [`FileMagic::require_current`] refuses it.
    pub fn parse(data: &[u8]) -> Result<FileMagic> {
        let head = data.get(..FILE_MAGIC_SIZE);
        let first = data.get(..2).map(fixed::<2>);
        let order = match first {
            Some(b) if u16::from_le_bytes(b) == SYSSTAT_MAGIC => ByteOrder::Little,
            Some(b) if u16::from_be_bytes(b) == SYSSTAT_MAGIC => ByteOrder::Big,
            _ => {
                let magic = first.map_or(0, u16::from_le_bytes);
                return Err(Error::NotSysstat { magic, len: data.len().min(FILE_MAGIC_SIZE) });
            }
        };
        let Some(m) = head else {
            return Err(Error::NotSysstat { magic: SYSSTAT_MAGIC, len: data.len() });
        };
        let u32_at = |off: usize| order.u32(fixed(&m[off..off + 4]));
        let fm = FileMagic {
            order,
            format_magic: order.u16(fixed(&m[2..4])),
            version: Version { version: m[4], patchlevel: m[5], sublevel: m[6], extraversion: m[7] },
            header_size: u32_at(8),
            upgraded: u32_at(12),
            hdr_types_nr: [u32_at(16), u32_at(20), u32_at(24)],
        };
        fm.check_sizes()?;
        Ok(fm)
    }

    /// The size checks sysstat makes on the magic of any format generation
    /// recent enough to have these fields.
    fn check_sizes(&self) -> Result<()> {
        let v = self.version;
        let invalid =
            |what, value: u64| Error::InvalidMagic { what, value, format_magic: self.format_magic, version: v };
        // header_size exists from 10.3.1 on.
        if (v.version, v.patchlevel) >= (10, 3) && (self.header_size == 0 || self.header_size > MAX_FILE_HEADER_SIZE) {
            return Err(invalid("header_size", u64::from(self.header_size)));
        }
        // hdr_types_nr exists from 11.7.1 on.
        if (v.version, v.patchlevel) >= (11, 7) && map_size(self.hdr_types_nr) > u64::from(self.header_size) {
            return Err(invalid("hdr_types_nr", map_size(self.hdr_types_nr)));
        }
        Ok(())
    }

    /// Refuse any format but the current one, as sar does.
    pub fn require_current(&self) -> Result<()> {
        if self.format_magic == FORMAT_MAGIC {
            Ok(())
        } else {
            Err(Error::UnsupportedFormat { format_magic: self.format_magic, version: self.version })
        }
    }

    /// The 76 bytes of this magic.
    pub fn encode(&self) -> [u8; FILE_MAGIC_SIZE] {
        let o = self.order;
        let mut b = [0u8; FILE_MAGIC_SIZE];
        b[0..2].copy_from_slice(&o.u16_bytes(SYSSTAT_MAGIC));
        b[2..4].copy_from_slice(&o.u16_bytes(self.format_magic));
        b[4] = self.version.version;
        b[5] = self.version.patchlevel;
        b[6] = self.version.sublevel;
        b[7] = self.version.extraversion;
        b[8..12].copy_from_slice(&o.u32_bytes(self.header_size));
        b[12..16].copy_from_slice(&o.u32_bytes(self.upgraded));
        for (i, t) in self.hdr_types_nr.iter().enumerate() {
            b[16 + 4 * i..20 + 4 * i].copy_from_slice(&o.u32_bytes(*t));
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(order: ByteOrder) -> FileMagic {
        FileMagic {
            order,
            format_magic: FORMAT_MAGIC,
            version: Version::new(12, 7, 9),
            header_size: 336,
            upgraded: 0,
            hdr_types_nr: [1, 1, 12],
        }
    }

    #[test]
    fn round_trips_in_both_orders() {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            let m = sample(order);
            assert_eq!(FileMagic::parse(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn short_or_foreign_input_is_not_sysstat() {
        assert!(matches!(FileMagic::parse(b""), Err(Error::NotSysstat { .. })));
        assert!(matches!(FileMagic::parse(&[0x96, 0xd5, 0x75]), Err(Error::NotSysstat { .. })));
        assert!(matches!(FileMagic::parse(&[0u8; 100]), Err(Error::NotSysstat { .. })));
    }

    #[test]
    fn header_size_out_of_range_names_the_version() {
        let mut m = sample(ByteOrder::Little);
        m.header_size = 9000;
        match FileMagic::parse(&m.encode()) {
            Err(Error::InvalidMagic { what: "header_size", value: 9000, .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn old_formats_parse_but_are_not_current() {
        let mut m = sample(ByteOrder::Big);
        m.format_magic = FORMAT_MAGIC_2171;
        m.version = Version::new(9, 1, 6);
        m.header_size = 0;
        let p = FileMagic::parse(&m.encode()).unwrap();
        assert!(matches!(p.require_current(), Err(Error::UnsupportedFormat { format_magic: 0x2171, .. })));
    }
}
