//! Byte order and word size of a data file.
//!
//! sysstat writes its structures in the byte order of the machine that ran
//! sadc, with `long` fields as wide as that machine's `long`. Both facts are
//! decided once, when a file is opened, into an [`Encoding`]: a small `Copy`
//! value that every decoder takes. Nothing in this crate casts bytes to a
//! native struct.

/// Byte order of the multi-byte fields of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    Little,
    Big,
}

impl ByteOrder {
    /// The byte order of the machine running this code.
    pub const NATIVE: ByteOrder = if cfg!(target_endian = "big") { ByteOrder::Big } else { ByteOrder::Little };

    #[inline]
    pub fn u16(self, b: [u8; 2]) -> u16 {
        match self {
            ByteOrder::Little => u16::from_le_bytes(b),
            ByteOrder::Big => u16::from_be_bytes(b),
        }
    }

    #[inline]
    pub fn u32(self, b: [u8; 4]) -> u32 {
        match self {
            ByteOrder::Little => u32::from_le_bytes(b),
            ByteOrder::Big => u32::from_be_bytes(b),
        }
    }

    #[inline]
    pub fn u64(self, b: [u8; 8]) -> u64 {
        match self {
            ByteOrder::Little => u64::from_le_bytes(b),
            ByteOrder::Big => u64::from_be_bytes(b),
        }
    }

    #[inline]
    pub fn u16_bytes(self, v: u16) -> [u8; 2] {
        match self {
            ByteOrder::Little => v.to_le_bytes(),
            ByteOrder::Big => v.to_be_bytes(),
        }
    }

    #[inline]
    pub fn u32_bytes(self, v: u32) -> [u8; 4] {
        match self {
            ByteOrder::Little => v.to_le_bytes(),
            ByteOrder::Big => v.to_be_bytes(),
        }
    }

    #[inline]
    pub fn u64_bytes(self, v: u64) -> [u8; 8] {
        match self {
            ByteOrder::Little => v.to_le_bytes(),
            ByteOrder::Big => v.to_be_bytes(),
        }
    }
}

/// How a file's fields are encoded: byte order and the size of a C `long`.
///
/// sysstat aligns every `long` field on 8 bytes on both 32- and 64-bit
/// machines (`UL_ALIGNMENT_WIDTH`), so the long size changes only how many
/// of those 8 bytes carry the value, never where a field sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Encoding {
    pub order: ByteOrder,
    /// `true` when the file's `long` is 8 bytes (`sa_sizeof_long == 8`).
    pub long64: bool,
}

impl Encoding {
    /// What this machine writes: native byte order and native `long`.
    pub const NATIVE: Encoding = Encoding { order: ByteOrder::NATIVE, long64: cfg!(target_pointer_width = "64") };

    /// Decode a `long` from its 8-byte slot.
    ///
    /// On a 32-bit machine the value is the first four bytes of the slot in
    /// that machine's byte order; the other four are alignment padding.
    #[inline]
    pub fn ul(self, slot: [u8; 8]) -> u64 {
        if self.long64 {
            self.order.u64(slot)
        } else {
            u64::from(self.order.u32([slot[0], slot[1], slot[2], slot[3]]))
        }
    }

    /// Encode a `long` into its 8-byte slot (truncated to 32 bits on a 32-bit layout).
    #[inline]
    pub fn ul_bytes(self, v: u64) -> [u8; 8] {
        if self.long64 {
            self.order.u64_bytes(v)
        } else {
            let b = self.order.u32_bytes(v as u32);
            [b[0], b[1], b[2], b[3], 0, 0, 0, 0]
        }
    }
}

/// Copy a slice of known length into an array; callers guarantee the length.
#[inline]
pub(crate) fn fixed<const N: usize>(s: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&s[..N]);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_slot_32_bit_uses_first_four_bytes() {
        let le32 = Encoding { order: ByteOrder::Little, long64: false };
        let be32 = Encoding { order: ByteOrder::Big, long64: false };
        assert_eq!(le32.ul([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), 1);
        assert_eq!(be32.ul([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]), 1);
        assert_eq!(be32.ul_bytes(0x0102_0304), [1, 2, 3, 4, 0, 0, 0, 0]);
    }
}
