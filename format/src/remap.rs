//! Reading a structure whose layout differs from the one this crate knows.
//!
//! Every sysstat structure on disk is described by its size and by three
//! counts: how many `long long` (or `double`) fields it starts with, how many
//! `long` fields follow, then how many `int` fields; anything after those
//! (character arrays) is the tail. Fields are only ever appended to a group,
//! so field *i* of a group in our layout is field *i* of the same group in the
//! file, if the file has it, and zero otherwise. The tail moves with the end of
//! the `int` group. This is how sysstat's `remap_struct` reads files of older
//! and newer releases; [`Item`] does it on demand without copying.

use crate::endian::{fixed, Encoding};

/// Width of a `long long` slot (`ULL_ALIGNMENT_WIDTH`).
pub const ULL_WIDTH: u32 = 8;
/// Width of a `long` slot (`UL_ALIGNMENT_WIDTH`), whatever the long size.
pub const UL_WIDTH: u32 = 8;
/// Width of an `int` slot (`U_ALIGNMENT_WIDTH`).
pub const U_WIDTH: u32 = 4;

/// A structure's composition: counts of (`long long`, `long`, `int`) fields.
pub type TypesNr = [u32; 3];

/// Bytes the three field groups occupy (sysstat's `MAP_SIZE`), without overflow.
pub fn map_size(t: TypesNr) -> u64 {
    u64::from(t[0]) * u64::from(ULL_WIDTH)
        + u64::from(t[1]) * u64::from(UL_WIDTH)
        + u64::from(t[2]) * u64::from(U_WIDTH)
}

/// A structure layout: field counts and total size in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    pub types_nr: TypesNr,
    pub size: u32,
}

impl Layout {
    pub const fn new(types_nr: TypesNr, size: u32) -> Self {
        Layout { types_nr, size }
    }

    /// Whether sysstat's `remap_struct` accepts mapping a structure of layout
    /// `file` onto `self`, given a buffer as large as the larger of the two.
    ///
    /// It refuses more than a declared size too small for its fields: a move
    /// whose source or destination would leave the buffer is refused too, and
    /// sysstat then stops reading. We refuse exactly the same cases.
    pub fn accepts(&self, file: Layout) -> bool {
        self.accepts_in(file, u64::from(self.size.max(file.size)))
    }

    /// [`Layout::accepts`] for a buffer of `b` bytes: sar reads record
    /// headers into a fixed buffer of `MAX_RECORD_HEADER_SIZE` bytes.
    pub fn accepts_in(&self, file: Layout, b: u64) -> bool {
        let (g, f) = (self.types_nr.map(u64::from), file.types_nr.map(u64::from));
        let (gs, fs) = (u64::from(self.size), u64::from(file.size));
        let (ull, ul, u) = (u64::from(ULL_WIDTH), u64::from(UL_WIDTH), u64::from(U_WIDTH));
        if map_size(file.types_nr) > fs {
            return false;
        }
        // Each step moves what follows a group to its new place; the three
        // steps differ only in how much of the structure precedes the group.
        let steps = [
            (0u64, 0u64, g[0], f[0], ull),
            (g[0] * ull, f[0] * ull, g[1], f[1], ul),
            (g[0] * ull + g[1] * ul, f[0] * ull + f[1] * ul, g[2], f[2], u),
        ];
        for (gpre, fpre, gn, fn_, w) in steps {
            if gn == fn_ {
                continue;
            }
            // Bytes left after this group, in the file and in our layout.
            let Some(frest) = fs.checked_sub(fpre + fn_ * w) else { return false };
            let Some(grest) = gs.checked_sub(gpre + gn * w) else { return false };
            let n = frest.min(grest);
            if gpre + fn_ * w >= b || gpre + gn * w + n > b || gpre + fn_ * w + n > b {
                return false;
            }
        }
        true
    }
}

/// One item of an activity as stored in a file, read through our layout.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    bytes: &'a [u8],
    file: TypesNr,
    enc: Encoding,
}

impl<'a> Item<'a> {
    /// `bytes` is the item as stored: exactly the file's declared size, which
    /// the caller has checked is at least `map_size(file)`.
    pub fn new(bytes: &'a [u8], file: TypesNr, enc: Encoding) -> Self {
        Item { bytes, file, enc }
    }

    fn slot<const N: usize>(&self, off: u64) -> Option<[u8; N]> {
        let start = usize::try_from(off).ok()?;
        self.bytes.get(start..start.checked_add(N)?).map(fixed::<N>)
    }

    /// Field `i` of the `long long` group, as raw 64 bits (0 when absent).
    #[inline]
    pub fn ull(&self, i: u32) -> u64 {
        if i >= self.file[0] {
            return 0;
        }
        self.slot::<8>(u64::from(i) * u64::from(ULL_WIDTH)).map_or(0, |b| self.enc.order.u64(b))
    }

    /// Field `i` of the `long` group (0 when absent).
    #[inline]
    pub fn ul(&self, i: u32) -> u64 {
        if i >= self.file[1] {
            return 0;
        }
        let off = u64::from(self.file[0]) * u64::from(ULL_WIDTH) + u64::from(i) * u64::from(UL_WIDTH);
        self.slot::<8>(off).map_or(0, |b| self.enc.ul(b))
    }

    /// Field `i` of the `int` group (0 when absent).
    #[inline]
    pub fn u(&self, i: u32) -> u32 {
        if i >= self.file[2] {
            return 0;
        }
        let off = u64::from(self.file[0]) * u64::from(ULL_WIDTH)
            + u64::from(self.file[1]) * u64::from(UL_WIDTH)
            + u64::from(i) * u64::from(U_WIDTH);
        self.slot::<4>(off).map_or(0, |b| self.enc.order.u32(b))
    }

    /// `N` tail bytes starting `off` bytes after the `int` group; bytes the
    /// file does not have read as zero.
    pub fn tail<const N: usize>(&self, off: usize) -> [u8; N] {
        let mut out = [0u8; N];
        let start = map_size(self.file).saturating_add(off as u64);
        if let Ok(start) = usize::try_from(start) {
            if let Some(src) = self.bytes.get(start..) {
                let n = src.len().min(N);
                out[..n].copy_from_slice(&src[..n]);
            }
        }
        out
    }
}

/// Builds one item in a given layout and encoding; the mirror of [`Item`].
///
/// Fields beyond what the target layout declares are dropped, so the same
/// typed value can be written in an older release's layout.
#[derive(Debug)]
pub struct ItemWriter<'w> {
    out: &'w mut Vec<u8>,
    start: usize,
    layout: Layout,
    enc: Encoding,
}

impl<'w> ItemWriter<'w> {
    /// Appends `layout.size` zero bytes to `out` and fills them as fields are set.
    pub fn new(out: &'w mut Vec<u8>, layout: Layout, enc: Encoding) -> Self {
        let start = out.len();
        out.resize(start + layout.size as usize, 0);
        ItemWriter { out, start, layout, enc }
    }

    fn put(&mut self, off: u64, b: &[u8]) {
        let Ok(off) = usize::try_from(off) else { return };
        let size = self.layout.size as usize;
        if off >= size {
            return;
        }
        let n = b.len().min(size - off);
        let at = self.start + off;
        self.out[at..at + n].copy_from_slice(&b[..n]);
    }

    pub fn ull(&mut self, i: u32, v: u64) {
        if i < self.layout.types_nr[0] {
            let b = self.enc.order.u64_bytes(v);
            self.put(u64::from(i) * u64::from(ULL_WIDTH), &b);
        }
    }

    pub fn ul(&mut self, i: u32, v: u64) {
        if i < self.layout.types_nr[1] {
            let t = self.layout.types_nr;
            let b = self.enc.ul_bytes(v);
            self.put(u64::from(t[0]) * u64::from(ULL_WIDTH) + u64::from(i) * u64::from(UL_WIDTH), &b);
        }
    }

    pub fn u(&mut self, i: u32, v: u32) {
        if i < self.layout.types_nr[2] {
            let t = self.layout.types_nr;
            let b = self.enc.order.u32_bytes(v);
            let off = u64::from(t[0]) * u64::from(ULL_WIDTH)
                + u64::from(t[1]) * u64::from(UL_WIDTH)
                + u64::from(i) * u64::from(U_WIDTH);
            self.put(off, &b);
        }
    }

    pub fn tail(&mut self, off: usize, b: &[u8]) {
        let start = map_size(self.layout.types_nr) + off as u64;
        self.put(start, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endian::ByteOrder;

    const LE64: Encoding = Encoding { order: ByteOrder::Little, long64: true };

    #[test]
    fn missing_fields_read_as_zero_and_tail_follows_int_group() {
        // File layout: 1 ull, 0 ul, 1 int, then a 4-byte tail "abcd".
        let mut b = Vec::new();
        b.extend_from_slice(&7u64.to_le_bytes());
        b.extend_from_slice(&9u32.to_le_bytes());
        b.extend_from_slice(b"abcd");
        let it = Item::new(&b, [1, 0, 1], LE64);
        assert_eq!(it.ull(0), 7);
        assert_eq!(it.ull(1), 0);
        assert_eq!(it.ul(0), 0);
        assert_eq!(it.u(0), 9);
        assert_eq!(it.u(1), 0);
        assert_eq!(it.tail::<6>(0), *b"abcd\0\0");
        assert_eq!(it.tail::<2>(2), *b"cd");
    }

    #[test]
    fn writer_drops_fields_the_layout_lacks() {
        let mut out = Vec::new();
        let mut w = ItemWriter::new(&mut out, Layout::new([1, 0, 0], 8), LE64);
        w.ull(0, 5);
        w.ull(1, 6);
        w.u(0, 1);
        w.tail(0, b"xyz");
        assert_eq!(out, 5u64.to_le_bytes());
    }

    #[test]
    fn remap_refuses_what_sysstat_refuses() {
        let current = Layout::new([3, 0, 0], 24);
        // Declared size too small for the declared fields.
        assert!(!current.accepts(Layout::new([4, 0, 0], 24)));
        // More long longs than ours, filling the whole buffer: sysstat's check
        // `ftypes[0] * 8 >= buffer size` refuses it.
        assert!(!current.accepts(Layout::new([5, 0, 0], 40)));
        // Older, smaller, or identical layouts are fine.
        assert!(current.accepts(Layout::new([2, 0, 0], 16)));
        assert!(current.accepts(current));
        assert!(current.accepts(Layout::new([3, 0, 1], 32)));
    }

    #[test]
    fn a_larger_buffer_accepts_more() {
        // A record header of three long longs in 24 bytes: refused with a
        // 24-byte buffer, accepted in sar's 512-byte one.
        let rec = Layout::new([2, 0, 1], 24);
        assert!(!rec.accepts(Layout::new([3, 0, 0], 24)));
        assert!(rec.accepts_in(Layout::new([3, 0, 0], 24), 512));
    }
}
