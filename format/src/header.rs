//! The file header (`struct file_header`) and the activity list
//! (`struct file_activity`), which together tell a reader how every record
//! that follows is laid out.

use crate::endian::{ByteOrder, Encoding};
use crate::error::{Error, Result};
use crate::remap::{Item, ItemWriter, Layout, TypesNr};

/// Length of each `utsname` string in the header (`UTSNAME_LEN`).
pub const UTSNAME_LEN: usize = 65;
/// Length of the time-zone name in the header (`TZNAME_LEN`).
pub const TZNAME_LEN: usize = 8;
/// Layout of `struct file_header` in the current format.
pub const FILE_HEADER_LAYOUT: Layout = Layout::new([1, 1, 12], 336);
/// Layout of `struct file_activity` in the current format.
pub const FILE_ACTIVITY_LAYOUT: Layout = Layout::new([0, 0, 9], 36);
/// Most activities a file may list (`MAX_NR_ACT`).
pub const MAX_NR_ACT: u32 = 256;
/// Largest `file_activity` structure accepted (`MAX_FILE_ACTIVITY_SIZE`).
pub const MAX_FILE_ACTIVITY_SIZE: u32 = 1024;
/// Largest `record_header` structure accepted (`MAX_RECORD_HEADER_SIZE`).
pub const MAX_RECORD_HEADER_SIZE: u32 = 512;
/// Largest item count of any activity, known or not (`NR_MAX`).
pub const NR_MAX: i32 = 65536 * 4096;
/// Largest sub-item count (`NR2_MAX`).
pub const NR2_MAX: i32 = 4096;
/// Largest item structure accepted (`MAX_ITEM_STRUCT_SIZE`).
pub const MAX_ITEM_STRUCT_SIZE: i32 = 1024;

/// `struct file_header`, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHeader {
    /// Creation time, seconds since the epoch.
    pub sa_ust_time: u64,
    /// Clock ticks per second of the recording machine.
    pub sa_hz: u64,
    /// Number of CPUs plus one (the "all" line) at creation.
    pub sa_cpu_nr: u32,
    pub sa_act_nr: u32,
    /// Years since 1900.
    pub sa_year: i32,
    pub act_types_nr: TypesNr,
    pub rec_types_nr: TypesNr,
    pub act_size: u32,
    pub rec_size: u32,
    /// Non-zero when extra structures follow the activity list.
    pub extra_next: u32,
    pub sa_day: u8,
    /// Month, 0 to 11.
    pub sa_month: u8,
    /// `sizeof(long)` on the recording machine: 4 or 8.
    pub sa_sizeof_long: u8,
    pub sa_sysname: [u8; UTSNAME_LEN],
    pub sa_nodename: [u8; UTSNAME_LEN],
    pub sa_release: [u8; UTSNAME_LEN],
    pub sa_machine: [u8; UTSNAME_LEN],
    pub sa_tzname: [u8; TZNAME_LEN],
}

impl FileHeader {
    /// Decode a header of `layout` (as the magic declares it) through the
    /// current layout. The header's own `long` is as wide as the
    /// `sa_sizeof_long` it contains.
    pub fn decode(bytes: &[u8], layout: Layout, order: ByteOrder) -> FileHeader {
        let probe = Item::new(bytes, layout.types_nr, Encoding { order, long64: true });
        let sizeof_long = probe.tail::<1>(2)[0];
        let it = Item::new(bytes, layout.types_nr, Encoding { order, long64: sizeof_long == 8 });
        FileHeader {
            sa_ust_time: it.ull(0),
            sa_hz: it.ul(0),
            sa_cpu_nr: it.u(0),
            sa_act_nr: it.u(1),
            sa_year: it.u(2) as i32,
            act_types_nr: [it.u(3), it.u(4), it.u(5)],
            rec_types_nr: [it.u(6), it.u(7), it.u(8)],
            act_size: it.u(9),
            rec_size: it.u(10),
            extra_next: it.u(11),
            sa_day: it.tail::<1>(0)[0],
            sa_month: it.tail::<1>(1)[0],
            sa_sizeof_long: sizeof_long,
            sa_sysname: it.tail(3),
            sa_nodename: it.tail(3 + UTSNAME_LEN),
            sa_release: it.tail(3 + 2 * UTSNAME_LEN),
            sa_machine: it.tail(3 + 3 * UTSNAME_LEN),
            sa_tzname: it.tail(3 + 4 * UTSNAME_LEN),
        }
    }

    /// The checks sysstat makes on a header before trusting its sizes.
    pub fn validate(&self, offset: usize) -> Result<()> {
        let bad = |what, value: u64| Err(Error::Invalid { what, offset, value });
        if self.sa_act_nr > MAX_NR_ACT {
            return bad("sa_act_nr", self.sa_act_nr.into());
        }
        if self.act_size > MAX_FILE_ACTIVITY_SIZE {
            return bad("act_size", self.act_size.into());
        }
        if self.rec_size > MAX_RECORD_HEADER_SIZE {
            return bad("rec_size", self.rec_size.into());
        }
        if crate::remap::map_size(self.act_types_nr) > u64::from(self.act_size) {
            return bad("act_types_nr", crate::remap::map_size(self.act_types_nr));
        }
        if crate::remap::map_size(self.rec_types_nr) > u64::from(self.rec_size) {
            return bad("rec_types_nr", crate::remap::map_size(self.rec_types_nr));
        }
        Ok(())
    }

    /// The encoding of the statistics that follow this header.
    pub fn encoding(&self, order: ByteOrder) -> Encoding {
        Encoding { order, long64: self.sa_sizeof_long == 8 }
    }

    /// Append this header in the current layout.
    pub fn encode(&self, out: &mut Vec<u8>, enc: Encoding) {
        let mut w = ItemWriter::new(out, FILE_HEADER_LAYOUT, enc);
        w.ull(0, self.sa_ust_time);
        w.ul(0, self.sa_hz);
        let ints = [
            self.sa_cpu_nr,
            self.sa_act_nr,
            self.sa_year as u32,
            self.act_types_nr[0],
            self.act_types_nr[1],
            self.act_types_nr[2],
            self.rec_types_nr[0],
            self.rec_types_nr[1],
            self.rec_types_nr[2],
            self.act_size,
            self.rec_size,
            self.extra_next,
        ];
        for (i, v) in ints.into_iter().enumerate() {
            w.u(i as u32, v);
        }
        w.tail(0, &[self.sa_day, self.sa_month, self.sa_sizeof_long]);
        w.tail(3, &self.sa_sysname);
        w.tail(3 + UTSNAME_LEN, &self.sa_nodename);
        w.tail(3 + 2 * UTSNAME_LEN, &self.sa_release);
        w.tail(3 + 3 * UTSNAME_LEN, &self.sa_machine);
        w.tail(3 + 4 * UTSNAME_LEN, &self.sa_tzname);
    }
}

/// `struct file_activity`: one entry of the activity list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileActivity {
    pub id: u32,
    pub magic: u32,
    /// Items at creation (CPUs, interfaces...), used when `has_nr` is false.
    pub nr: i32,
    /// Sub-items per item (interrupts per CPU...).
    pub nr2: i32,
    /// Whether each record stores its own item count before the items.
    pub has_nr: bool,
    /// Size of one item in the file.
    pub size: i32,
    pub types_nr: TypesNr,
}

impl FileActivity {
    pub fn decode(bytes: &[u8], layout: Layout, order: ByteOrder) -> FileActivity {
        let it = Item::new(bytes, layout.types_nr, Encoding { order, long64: true });
        FileActivity {
            id: it.u(0),
            magic: it.u(1),
            nr: it.u(2) as i32,
            nr2: it.u(3) as i32,
            has_nr: it.u(4) != 0,
            size: it.u(5) as i32,
            types_nr: [it.u(6), it.u(7), it.u(8)],
        }
    }

    /// The checks sysstat makes on every listed activity, known or not.
    pub fn validate(&self, offset: usize) -> Result<()> {
        let bad = |what, value: i64| Err(Error::Invalid { what, offset, value: value as u64 });
        if self.nr < 1 || self.nr > NR_MAX {
            return bad("nr", self.nr.into());
        }
        if self.nr2 < 1 || self.nr2 > NR2_MAX {
            return bad("nr2", self.nr2.into());
        }
        if self.size <= 0 || self.size > MAX_ITEM_STRUCT_SIZE {
            return bad("size", self.size.into());
        }
        Ok(())
    }

    /// Layout of one item of this activity in the file.
    pub fn layout(&self) -> Layout {
        Layout::new(self.types_nr, self.size.max(0) as u32)
    }

    pub fn encode(&self, out: &mut Vec<u8>, enc: Encoding) {
        let mut w = ItemWriter::new(out, FILE_ACTIVITY_LAYOUT, enc);
        let ints = [
            self.id,
            self.magic,
            self.nr as u32,
            self.nr2 as u32,
            u32::from(self.has_nr),
            self.size as u32,
            self.types_nr[0],
            self.types_nr[1],
            self.types_nr[2],
        ];
        for (i, v) in ints.into_iter().enumerate() {
            w.u(i as u32, v);
        }
    }
}

/// A NUL-terminated C string from a fixed-size field, lossily as UTF-8.
pub fn c_str(b: &[u8]) -> std::borrow::Cow<'_, str> {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end])
}

/// Copy a string into a fixed-size, NUL-padded field, truncating so a NUL remains.
pub fn to_c_field<const N: usize>(s: &str) -> [u8; N] {
    let mut a = [0u8; N];
    let n = s.len().min(N.saturating_sub(1));
    a[..n].copy_from_slice(&s.as_bytes()[..n]);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample_header() -> FileHeader {
        FileHeader {
            sa_ust_time: 1_555_593_609,
            sa_hz: 100,
            sa_cpu_nr: 3,
            sa_act_nr: 1,
            sa_year: 119,
            act_types_nr: FILE_ACTIVITY_LAYOUT.types_nr,
            rec_types_nr: [2, 0, 1],
            act_size: 36,
            rec_size: 24,
            extra_next: 0,
            sa_day: 18,
            sa_month: 3,
            sa_sizeof_long: 8,
            sa_sysname: to_c_field("Linux"),
            sa_nodename: to_c_field("host"),
            sa_release: to_c_field("6.1.0"),
            sa_machine: to_c_field("x86_64"),
            sa_tzname: to_c_field("UTC"),
        }
    }

    #[test]
    fn header_round_trips_in_every_encoding() {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            for long in [4u8, 8] {
                let mut h = sample_header();
                h.sa_sizeof_long = long;
                let mut out = Vec::new();
                h.encode(&mut out, h.encoding(order));
                assert_eq!(out.len(), 336);
                assert_eq!(FileHeader::decode(&out, FILE_HEADER_LAYOUT, order), h);
            }
        }
    }

    #[test]
    fn a_shorter_older_header_reads_with_zeroed_missing_fields() {
        let h = sample_header();
        let mut out = Vec::new();
        h.encode(&mut out, h.encoding(ByteOrder::Little));
        // Pretend the file's header had one int fewer: the tail moves up 4 bytes.
        let mut older = out[..64 - 4].to_vec();
        older.extend_from_slice(&out[64..]);
        let d = FileHeader::decode(&older, Layout::new([1, 1, 11], 332), ByteOrder::Little);
        assert_eq!(d.extra_next, 0);
        assert_eq!(c_str(&d.sa_nodename), "host");
    }

    #[test]
    fn c_fields_truncate_and_terminate() {
        let f: [u8; 4] = to_c_field("abcdef");
        assert_eq!(&f, b"abc\0");
        assert_eq!(c_str(&f), "abc");
    }
}
