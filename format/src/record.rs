//! Record headers (`struct record_header`) and the extra structures that may
//! follow a header or a record (`struct extra_desc`).

use crate::endian::{ByteOrder, Encoding};
use crate::error::{Error, Result};
use crate::remap::{map_size, Item, ItemWriter, Layout};

/// Layout of `struct record_header` in the current format.
pub const RECORD_HEADER_LAYOUT: Layout = Layout::new([2, 0, 1], 24);
/// Length of a comment record's text (`MAX_COMMENT_LEN`).
pub const MAX_COMMENT_LEN: usize = 64;
/// Size of `struct extra_desc`, which never changes (`EXTRA_DESC_SIZE`).
pub const EXTRA_DESC_SIZE: usize = 24;
/// Most extra structures in one group (`MAX_EXTRA_NR`).
pub const MAX_EXTRA_NR: u32 = 8192;
/// Largest extra structure (`MAX_EXTRA_SIZE`).
pub const MAX_EXTRA_SIZE: u32 = 1024;
/// Timestamps below this are refused as corrupt, as sysstat does.
pub const MIN_UST_TIME: u64 = 1_000_000_000;

/// The kind of a record (`record_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// Statistics of every activity in the list (`R_STATS`).
    Stats,
    /// The machine restarted; the new CPU count follows (`R_RESTART`).
    Restart,
    /// A 64-byte comment follows (`R_COMMENT`).
    Comment,
    /// Only extra structures follow (`R_EXTRA_MIN` to `R_EXTRA_MAX`); readers skip it.
    Extra(u8),
}

impl RecordType {
    pub const R_STATS: u8 = 1;
    pub const R_RESTART: u8 = 2;
    pub const R_LAST_STATS: u8 = 3;
    pub const R_COMMENT: u8 = 4;
    pub const R_EXTRA_MIN: u8 = 5;
    pub const R_EXTRA_MAX: u8 = 15;

    /// `R_LAST_STATS` is written as `R_STATS`; a reader treats any other
    /// value in 1..=4 by its name.
    pub fn from_u8(v: u8) -> Option<RecordType> {
        match v {
            Self::R_STATS | Self::R_LAST_STATS => Some(RecordType::Stats),
            Self::R_RESTART => Some(RecordType::Restart),
            Self::R_COMMENT => Some(RecordType::Comment),
            Self::R_EXTRA_MIN..=Self::R_EXTRA_MAX => Some(RecordType::Extra(v)),
            _ => None,
        }
    }
}

/// `struct record_header`, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHeader {
    /// Machine uptime in hundredths of a second.
    pub uptime_cs: u64,
    /// Seconds since the epoch.
    pub ust_time: u64,
    pub extra_next: u32,
    pub record_type: u8,
    /// Local time of the recorder, kept for `sar -t`.
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl RecordHeader {
    pub fn decode(bytes: &[u8], layout: Layout, enc: Encoding) -> RecordHeader {
        let it = Item::new(bytes, layout.types_nr, enc);
        let t = it.tail::<4>(0);
        RecordHeader {
            uptime_cs: it.ull(0),
            ust_time: it.ull(1),
            extra_next: it.u(0),
            record_type: t[0],
            hour: t[1],
            minute: t[2],
            second: t[3],
        }
    }

    /// sysstat's sanity checks: a known type and a plausible time.
    pub fn validate(&self, offset: usize) -> Result<RecordType> {
        let bad = |what, value: u64| Err(Error::InvalidRecord { offset, what, value });
        let Some(kind) = RecordType::from_u8(self.record_type) else {
            return bad("record_type", self.record_type.into());
        };
        if self.hour > 23 {
            return bad("hour", self.hour.into());
        }
        if self.minute > 59 {
            return bad("minute", self.minute.into());
        }
        if self.second > 60 {
            return bad("second", self.second.into());
        }
        if self.ust_time < MIN_UST_TIME {
            return bad("ust_time", self.ust_time);
        }
        Ok(kind)
    }

    pub fn encode(&self, out: &mut Vec<u8>, enc: Encoding) {
        let mut w = ItemWriter::new(out, RECORD_HEADER_LAYOUT, enc);
        w.ull(0, self.uptime_cs);
        w.ull(1, self.ust_time);
        w.u(0, self.extra_next);
        w.tail(0, &[self.record_type, self.hour, self.minute, self.second]);
    }
}

/// `struct extra_desc`: announces `extra_nr` structures of `extra_size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtraDesc {
    pub extra_nr: u32,
    pub extra_size: u32,
    /// Non-zero when another description follows the structures.
    pub extra_next: u32,
    pub extra_types_nr: crate::remap::TypesNr,
}

impl ExtraDesc {
    /// `bytes` holds exactly [`EXTRA_DESC_SIZE`] bytes.
    pub fn decode(bytes: &[u8], order: ByteOrder) -> ExtraDesc {
        let it = Item::new(bytes, [0, 0, 6], Encoding { order, long64: true });
        ExtraDesc {
            extra_nr: it.u(0),
            extra_size: it.u(1),
            extra_next: it.u(2),
            extra_types_nr: [it.u(3), it.u(4), it.u(5)],
        }
    }

    /// sysstat's checks before skipping the structures; the byte count to skip.
    pub fn validate(&self, offset: usize) -> Result<usize> {
        let bad = |what, value: u64| Err(Error::Invalid { what, offset, value });
        if map_size(self.extra_types_nr) > u64::from(self.extra_size) {
            return bad("extra_types_nr", map_size(self.extra_types_nr));
        }
        if self.extra_nr > MAX_EXTRA_NR {
            return bad("extra_nr", self.extra_nr.into());
        }
        if self.extra_size > MAX_EXTRA_SIZE {
            return bad("extra_size", self.extra_size.into());
        }
        Ok(self.extra_nr as usize * self.extra_size as usize)
    }

    pub fn encode(&self, out: &mut Vec<u8>, order: ByteOrder) {
        let t = self.extra_types_nr;
        for v in [self.extra_nr, self.extra_size, self.extra_next, t[0], t[1], t[2]] {
            out.extend_from_slice(&order.u32_bytes(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LE: Encoding = Encoding { order: ByteOrder::Little, long64: true };

    #[test]
    fn record_header_round_trips_and_validates() {
        let h = RecordHeader {
            uptime_cs: 12345,
            ust_time: 1_555_593_619,
            extra_next: 0,
            record_type: 1,
            hour: 13,
            minute: 20,
            second: 19,
        };
        let mut out = Vec::new();
        h.encode(&mut out, LE);
        assert_eq!(out.len(), 24);
        let d = RecordHeader::decode(&out, RECORD_HEADER_LAYOUT, LE);
        assert_eq!(d, h);
        assert_eq!(d.validate(0).unwrap(), RecordType::Stats);
    }

    #[test]
    fn implausible_headers_are_invalid_data() {
        let base = RecordHeader {
            uptime_cs: 0,
            ust_time: 1_555_593_619,
            extra_next: 0,
            record_type: 1,
            hour: 0,
            minute: 0,
            second: 0,
        };
        for bad in [
            RecordHeader { record_type: 0, ..base },
            RecordHeader { record_type: 16, ..base },
            RecordHeader { hour: 24, ..base },
            RecordHeader { minute: 60, ..base },
            RecordHeader { second: 61, ..base },
            RecordHeader { ust_time: 999_999_999, ..base },
        ] {
            assert!(matches!(bad.validate(7), Err(Error::InvalidRecord { offset: 7, .. })), "{bad:?}");
        }
    }

    #[test]
    fn extra_desc_round_trips_and_checks_limits() {
        let d = ExtraDesc { extra_nr: 2, extra_size: 4, extra_next: 1, extra_types_nr: [0, 0, 1] };
        let mut b = Vec::new();
        d.encode(&mut b, ByteOrder::Big);
        assert_eq!(b.len(), EXTRA_DESC_SIZE);
        let back = ExtraDesc::decode(&b, ByteOrder::Big);
        assert_eq!(back, d);
        assert_eq!(back.validate(0).unwrap(), 8);
        let too_small = ExtraDesc { extra_size: 2, ..d };
        assert!(too_small.validate(0).is_err());
        let too_many = ExtraDesc { extra_nr: MAX_EXTRA_NR + 1, ..d };
        assert!(too_many.validate(0).is_err());
    }
}
