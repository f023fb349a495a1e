//! Column encoding of one segment of a block's rows (`spec/archive.md`,
//! "Columns").
//!
//! A segment is the same stretch of every regular record in a block: the
//! record header, or one activity's item count and items. Its bytes are cut
//! into fields by the structure's composition (`long long`, `long` and `int`
//! slots, then single tail bytes), and each field becomes a column over the
//! rows: the difference from the row before, in the field's width, wrapping.
//! Counters then become small numbers, gauges and names that do not move
//! become zeros, and zstd does the rest. 4- and 8-byte differences are
//! zigzag-coded LEB128 varints; 1-byte ones are stored as they are.

use crate::endian::ByteOrder;
use crate::remap::{map_size, TypesNr, ULL_WIDTH, UL_WIDTH, U_WIDTH};

/// Append the field widths of one structure of composition `types_nr` and
/// `size` bytes. A composition that does not fit its size (possible only
/// for activities we do not read) is cut into bytes.
pub(crate) fn push_fields(out: &mut Vec<u8>, types_nr: TypesNr, size: u32) {
    let map = map_size(types_nr);
    if map > u64::from(size) {
        out.extend(std::iter::repeat_n(1u8, size as usize));
        return;
    }
    out.extend(std::iter::repeat_n(ULL_WIDTH as u8, types_nr[0] as usize));
    out.extend(std::iter::repeat_n(UL_WIDTH as u8, types_nr[1] as usize));
    out.extend(std::iter::repeat_n(U_WIDTH as u8, types_nr[2] as usize));
    out.extend(std::iter::repeat_n(1u8, (u64::from(size) - map) as usize));
}

/// Encode `rows` (row-major, `fields` summing to the row length) column by
/// column onto `out`.
pub(crate) fn encode(rows: &[u8], fields: &[u8], order: ByteOrder, out: &mut Vec<u8>) {
    let seg: usize = fields.iter().map(|&w| w as usize).sum();
    if seg == 0 {
        return;
    }
    let n = rows.len() / seg;
    let mut off = 0;
    for &w in fields {
        match w {
            8 => {
                let mut prev = 0u64;
                for r in 0..n {
                    let at = r * seg + off;
                    let v = order.u64(rows[at..at + 8].try_into().expect("8 bytes"));
                    let d = v.wrapping_sub(prev) as i64;
                    put_varint(out, ((d << 1) ^ (d >> 63)) as u64);
                    prev = v;
                }
            }
            4 => {
                let mut prev = 0u32;
                for r in 0..n {
                    let at = r * seg + off;
                    let v = order.u32(rows[at..at + 4].try_into().expect("4 bytes"));
                    let d = v.wrapping_sub(prev) as i32;
                    put_varint(out, u64::from(((d << 1) ^ (d >> 31)) as u32));
                    prev = v;
                }
            }
            _ => {
                let mut prev = 0u8;
                for r in 0..n {
                    let v = rows[r * seg + off];
                    out.push(v.wrapping_sub(prev));
                    prev = v;
                }
            }
        }
        off += w as usize;
    }
}

/// The inverse of [`encode`]: `n` rows of the fields in `fields`, or `None`
/// when `stream` is too short, too long or holds a malformed varint.
pub(crate) fn decode(stream: &[u8], n: usize, fields: &[u8], order: ByteOrder) -> Option<Vec<u8>> {
    let seg: usize = fields.iter().map(|&w| w as usize).sum();
    let mut rows = vec![0u8; n.checked_mul(seg)?];
    let mut s = Stream { bytes: stream, at: 0 };
    let mut off = 0;
    for &w in fields {
        match w {
            8 => {
                let mut acc = 0u64;
                for r in 0..n {
                    let z = s.varint()?;
                    acc = acc.wrapping_add(((z >> 1) as i64 ^ -((z & 1) as i64)) as u64);
                    let at = r * seg + off;
                    rows[at..at + 8].copy_from_slice(&order.u64_bytes(acc));
                }
            }
            4 => {
                let mut acc = 0u32;
                for r in 0..n {
                    let z = u32::try_from(s.varint()?).ok()?;
                    acc = acc.wrapping_add(((z >> 1) as i32 ^ -((z & 1) as i32)) as u32);
                    let at = r * seg + off;
                    rows[at..at + 4].copy_from_slice(&order.u32_bytes(acc));
                }
            }
            _ => {
                let col = s.take(n)?;
                let mut acc = 0u8;
                for (r, d) in col.iter().enumerate() {
                    acc = acc.wrapping_add(*d);
                    rows[r * seg + off] = acc;
                }
            }
        }
        off += w as usize;
    }
    (s.at == stream.len()).then_some(rows)
}

/// The shape of a per-CPU activity's segment: `skip` bytes (its item
/// count), then `nr` items of `nr2` sub-items of `size` bytes, item 0 being
/// the sum of the others ("all" CPUs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PerCpu {
    pub skip: usize,
    pub nr: usize,
    pub nr2: usize,
    pub size: usize,
    pub types_nr: TypesNr,
}

impl PerCpu {
    fn len(&self) -> usize {
        self.skip + self.nr * self.nr2 * self.size
    }

    /// Store item 0's numeric fields as their difference from the sum of the
    /// other items' (`forward`), or give them back (`!forward`), in every
    /// row: where item 0 is exactly that sum, as sysstat writes it, its
    /// columns become zeros.
    pub(crate) fn residuals(&self, rows: &mut [u8], order: ByteOrder, forward: bool) {
        let mut fields = Vec::new();
        push_fields(&mut fields, self.types_nr, self.size as u32);
        let seg = self.len();
        if self.nr < 2 || seg == 0 {
            return;
        }
        for row in rows.chunks_exact_mut(seg) {
            for j in 0..self.nr2 {
                let at = |c: usize| self.skip + (c * self.nr2 + j) * self.size;
                let mut off = 0;
                for &w in &fields {
                    let w = w as usize;
                    if w == 8 {
                        let v =
                            |row: &[u8], c: usize| order.u64(row[at(c) + off..at(c) + off + 8].try_into().expect("8"));
                        let sum = (1..self.nr).fold(0u64, |s, c| s.wrapping_add(v(row, c)));
                        let x = if forward { v(row, 0).wrapping_sub(sum) } else { v(row, 0).wrapping_add(sum) };
                        row[at(0) + off..at(0) + off + 8].copy_from_slice(&order.u64_bytes(x));
                    } else if w == 4 {
                        let v =
                            |row: &[u8], c: usize| order.u32(row[at(c) + off..at(c) + off + 4].try_into().expect("4"));
                        let sum = (1..self.nr).fold(0u32, |s, c| s.wrapping_add(v(row, c)));
                        let x = if forward { v(row, 0).wrapping_sub(sum) } else { v(row, 0).wrapping_add(sum) };
                        row[at(0) + off..at(0) + off + 4].copy_from_slice(&order.u32_bytes(x));
                    }
                    off += w;
                }
            }
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A bounds-checked reader over an encoded stream.
struct Stream<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Stream<'a> {
    #[inline]
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fields_follow_the_composition_then_the_tail() {
        let mut f = Vec::new();
        push_fields(&mut f, [1, 1, 2], 30);
        assert_eq!(f, [8, 8, 4, 4, 1, 1, 1, 1, 1, 1]);
        f.clear();
        push_fields(&mut f, [4, 0, 0], 8);
        assert_eq!(f, [1; 8], "a composition larger than its size is cut into bytes");
    }

    #[test]
    fn counters_become_small_and_constants_zero() {
        let order = ByteOrder::Little;
        let rows: Vec<u8> =
            (0..100u64).flat_map(|i| [(1000 + 7 * i).to_le_bytes(), 5u64.to_le_bytes()]).flatten().collect();
        let mut out = Vec::new();
        encode(&rows, &[8, 8], order, &mut out);
        assert_eq!(out.len(), 2 + 99 + 1 + 99, "one byte a value but the first counter");
        assert_eq!(decode(&out, 100, &[8, 8], order).unwrap(), rows);
        assert!(decode(&out[..out.len() - 1], 100, &[8, 8], order).is_none());
        assert!(decode(&[out.clone(), vec![0]].concat(), 100, &[8, 8], order).is_none());
    }

    #[test]
    fn a_first_item_that_sums_the_others_becomes_zeros_and_comes_back() {
        // Three items of one u64 and one u32, then a tail byte; item 0 sums 1 and 2.
        let shape = PerCpu { skip: 4, nr: 3, nr2: 1, size: 13, types_nr: [1, 0, 1] };
        let item = |a: u64, b: u32| [&a.to_le_bytes()[..], &b.to_le_bytes(), &[7]].concat();
        let row = [vec![3, 0, 0, 0], item(30, 9), item(10, 4), item(20, 5)].concat();
        let rows = [row.clone(), row].concat();
        let mut t = rows.clone();
        shape.residuals(&mut t, ByteOrder::Little, true);
        for r in [0, 43] {
            assert_eq!(&t[r + 4..r + 17], &item(0, 0)[..]);
            assert_eq!(&t[r + 17..r + 43], &rows[r + 17..r + 43], "the other items stay");
        }
        shape.residuals(&mut t, ByteOrder::Little, false);
        assert_eq!(t, rows);
    }

    proptest! {
        #[test]
        fn any_rows_round_trip(
            fields in proptest::collection::vec(prop_oneof![Just(1u8), Just(4u8), Just(8u8)], 1..12),
            n in 0usize..20,
            seed in any::<u64>(),
            big in any::<bool>(),
        ) {
            let seg: usize = fields.iter().map(|&w| w as usize).sum();
            let mut x = seed | 1;
            let rows: Vec<u8> = (0..n * seg).map(|_| { x ^= x << 13; x ^= x >> 7; x ^= x << 17; x as u8 }).collect();
            let order = if big { ByteOrder::Big } else { ByteOrder::Little };
            let mut out = Vec::new();
            encode(&rows, &fields, order, &mut out);
            prop_assert_eq!(decode(&out, n, &fields, order).unwrap(), rows.clone());
            // Any bytes in a per-CPU shape come back from their residuals.
            let shape = PerCpu { skip: 0, nr: 3, nr2: 2, size: 12, types_nr: [1, 0, 1] };
            let mut t: Vec<u8> = rows.iter().copied().cycle().take(72 * 3).collect();
            let orig = t.clone();
            shape.residuals(&mut t, order, true);
            shape.residuals(&mut t, order, false);
            prop_assert_eq!(t, orig);
        }
    }
}
