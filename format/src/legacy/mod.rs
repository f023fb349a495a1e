//! Reading the two older format generations, 0x2171 (sysstat 9.1.6 to
//! 10.2.x) and 0x2173 (10.3.1 to 11.6.x), into the current model.
//!
//! sysstat 12.7.9 cannot read these files; `sadf -c` rewrites them. This
//! module does what that conversion does, with its quirks (fields it leaves
//! at zero, `availablekb` copied from `frmkb`, serial lines renumbered, item
//! counts found by scanning for the first empty slot), so that a file we
//! convert reports exactly as one sysstat converted. Where sysstat's handling
//! of a foreign byte order is broken (it swaps the old record header in
//! 8-byte strides and misses `ust_time`; it truncates a byte-swapped
//! interrupt count), we decode the value the file actually holds.
//!
//! Layouts: `spec/format.md` section 14.

mod items;

use std::io::Write;

use crate::activity::ActivityId;
use crate::endian::{fixed, ByteOrder, Encoding};
use crate::error::{Error, Version};
use crate::header::{c_str, MAX_ITEM_STRUCT_SIZE, MAX_NR_ACT, NR2_MAX, NR_MAX};
use crate::magic::{FileMagic, FILE_MAGIC_SIZE, FORMAT_MAGIC, FORMAT_MAGIC_2171, FORMAT_MAGIC_2173};
use crate::record::{RecordHeader, RecordType, MAX_COMMENT_LEN};
use crate::writer::{ActivityData, ActivitySpec, HeaderInfo, Sample, SampleBody, WriteError, Writer};

pub use items::ActState;

/// Size of the 0x2171 magic: the version bytes end it.
pub const MAGIC_SIZE_2171: usize = 8;
/// `struct file_header_2171` on a 64-bit converter (also its size on 32-bit).
pub const FILE_HEADER_SIZE_2171: usize = 280;
/// `struct old_file_activity`.
pub const OLD_FILE_ACTIVITY_SIZE: usize = 20;
/// `struct old_record_header`.
pub const OLD_RECORD_HEADER_SIZE: usize = 48;
/// The release whose `sadf -c` we reproduce; it names itself in `upgraded`.
pub const CONVERTER_VERSION: Version = Version::new(12, 7, 9);

/// The `upgraded` value `sadf -c` of release `v` leaves in the file magic:
/// patch level times 256, plus sublevel, plus one (never zero).
pub const fn upgraded_value(v: Version) -> u32 {
    ((v.patchlevel as u32) << 8) + v.sublevel as u32 + 1
}

/// Why an old file cannot be converted. [`LegacyError::sysstat_report`]
/// gives `sadf -c`'s words and exit status.
#[derive(Debug, thiserror::Error)]
pub enum LegacyError {
    /// Not readable as a sysstat file at all (open, magic checks).
    #[error(transparent)]
    Format(#[from] Error),
    /// Already the current format: nothing to convert.
    #[error("file format already up-to-date")]
    UpToDate,
    /// A format magic other than 0x2171, 0x2173 or the current one.
    #[error("cannot convert format {format_magic:#x}")]
    NotConvertible { format_magic: u16 },
    /// The header or the activity list fails `upgrade_header_section`'s checks.
    #[error("invalid {what} at offset {offset}: {value}")]
    InvalidHeader { what: &'static str, offset: usize, value: u64 },
    /// No `A_CPU` entry: sysstat needs it for the CPU count.
    #[error("CPU activity not found in file")]
    NoCpu,
    /// An activity id 12.7.9 does not know; sysstat stops with an internal error.
    #[error("unknown activity {id} in the activity list at offset {offset}")]
    UnknownActivity { id: u32, offset: usize },
    /// A restart record's activity entry is out of range.
    #[error("invalid restart entry at offset {offset}: activity {id}, nr {value}")]
    InvalidRestart { offset: usize, id: u32, value: u64 },
    /// The file ends inside a structure.
    #[error("truncated at offset {offset}: wanted {wanted} bytes, {available} left")]
    Truncated { offset: usize, wanted: usize, available: usize },
    /// The converted record does not fit the activity list (an item count
    /// changed for an activity that stores none per record).
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl LegacyError {
    /// What `sadf -c FILE` writes to stderr for this error, and its exit status.
    /// Progress text sysstat prints before the failure is not included.
    pub fn sysstat_report(&self, file: &str) -> (String, i32) {
        match self {
            LegacyError::Format(e) => e.sysstat_report(file),
            LegacyError::UpToDate => ("\nFile format already up-to-date\n".into(), 0),
            LegacyError::NotConvertible { .. } => ("Cannot convert the format of this file\n".into(), 2),
            LegacyError::InvalidHeader { .. } => {
                ("\nupgrade_header_section: Invalid data found. Aborting...\n".into(), 2)
            }
            LegacyError::NoCpu => ("\nCPU activity not found in file. Aborting...\n".into(), 2),
            LegacyError::UnknownActivity { .. } => ("sysstat: get_activity_position[1]: Internal error...\n".into(), 1),
            LegacyError::InvalidRestart { .. } => {
                ("\nupgrade_restart_record: Invalid data found. Aborting...\n".into(), 2)
            }
            LegacyError::Truncated { .. } => ("End of system activity file unexpected\n".into(), 2),
            LegacyError::Write(e) => (format!("\nwrite: {e}\n"), 2),
        }
    }
}

/// Readers that convert on open report a failed conversion as the
/// current-format error closest to sysstat's own wording for it.
impl From<LegacyError> for Error {
    fn from(e: LegacyError) -> Error {
        match e {
            LegacyError::Format(e) => e,
            LegacyError::Truncated { offset, wanted, available } => Error::Truncated { offset, wanted, available },
            LegacyError::InvalidHeader { what, offset, value } => Error::Invalid { what, offset, value },
            LegacyError::InvalidRestart { offset, value, .. } => Error::Invalid { what: "item count", offset, value },
            LegacyError::UnknownActivity { id, offset } => {
                Error::Invalid { what: "activity id", offset, value: id.into() }
            }
            LegacyError::NoCpu => Error::Invalid { what: "A_CPU entry", offset: 0, value: 0 },
            LegacyError::UpToDate | LegacyError::NotConvertible { .. } => {
                Error::Invalid { what: "format_magic", offset: 2, value: 0 }
            }
            LegacyError::Write(WriteError::Io(e)) => Error::Io(e),
            LegacyError::Write(_) => Error::Invalid { what: "item count", offset: 0, value: 0 },
        }
    }
}

type LResult<T> = Result<T, LegacyError>;

/// `struct old_file_activity`: one entry of an old activity list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OldActivity {
    pub id: u32,
    /// Item layout (see `spec/format.md` 14.4).
    pub magic: u32,
    pub nr: i32,
    pub nr2: i32,
    /// Item size in the file.
    pub size: i32,
}

impl OldActivity {
    fn decode(b: &[u8], order: ByteOrder) -> OldActivity {
        let u = |i: usize| order.u32(fixed(&b[4 * i..4 * i + 4]));
        OldActivity { id: u(0), magic: u(1), nr: u(2) as i32, nr2: u(3) as i32, size: u(4) as i32 }
    }
}

/// An old-format file, walked record by record into current-format samples.
pub struct LegacyFile {
    data: Vec<u8>,
    pos: usize,
    /// The file magic as stored (its version is kept by the conversion).
    pub magic: FileMagic,
    /// `FORMAT_MAGIC_2171` or `FORMAT_MAGIC_2173`.
    pub format_magic: u16,
    /// Byte order and long size of the recorder, kept by the conversion.
    pub enc: Encoding,
    /// The converted header: the converter's tick rate, no time zone.
    pub header: HeaderInfo,
    /// The activity list as stored.
    pub activities: Vec<OldActivity>,
    specs: Vec<ActivitySpec>,
    /// Entries following each restart record (0x2173 only).
    vol_act_nr: u32,
    state: Vec<ActState>,
}

/// Whether `format_magic` is one of the generations this module reads.
pub fn is_legacy(format_magic: u16) -> bool {
    format_magic == FORMAT_MAGIC_2171 || format_magic == FORMAT_MAGIC_2173
}

impl LegacyFile {
    /// Check and read the magic, header and activity list as `sadf -c` does.
    /// `hz` stands in for the tick rate the old header lacks.
    pub fn parse(data: Vec<u8>, hz: u64) -> LResult<LegacyFile> {
        let magic = FileMagic::parse(&data)?;
        let format_magic = magic.format_magic;
        if format_magic == FORMAT_MAGIC {
            return Err(LegacyError::UpToDate);
        }
        if !is_legacy(format_magic) {
            return Err(LegacyError::NotConvertible { format_magic });
        }
        let order = magic.order;
        let (hdr_at, hdr_size) = if format_magic == FORMAT_MAGIC_2171 {
            (MAGIC_SIZE_2171, FILE_HEADER_SIZE_2171)
        } else {
            (FILE_MAGIC_SIZE, magic.header_size as usize)
        };
        let mut f = LegacyFile {
            data,
            pos: hdr_at,
            magic,
            format_magic,
            enc: Encoding { order, long64: true },
            header: HeaderInfo::unknown(magic.version, hz.max(1)),
            activities: Vec::new(),
            specs: Vec::new(),
            vol_act_nr: 0,
            state: Vec::new(),
        };
        let at = f.take(hdr_size)?;
        let act_nr = f.read_header(at, hdr_size);
        if act_nr > MAX_NR_ACT {
            return Err(LegacyError::InvalidHeader { what: "sa_act_nr", offset: at, value: act_nr.into() });
        }
        let mut cpu_found = false;
        for _ in 0..act_nr {
            let at = f.take(OLD_FILE_ACTIVITY_SIZE)?;
            let oa = OldActivity::decode(&f.data[at..at + OLD_FILE_ACTIVITY_SIZE], order);
            let bad = |what, value: i64| LegacyError::InvalidHeader { what, offset: at, value: value as u64 };
            if oa.nr < 1 || oa.nr > NR_MAX {
                return Err(bad("nr", oa.nr.into()));
            }
            if oa.nr2 < 1 || oa.nr2 > NR2_MAX {
                return Err(bad("nr2", oa.nr2.into()));
            }
            let Some(info) = ActivityId(oa.id).info() else {
                // sysstat accepts it here, then stops on it when listing activities.
                return Err(LegacyError::UnknownActivity { id: oa.id, offset: at });
            };
            if oa.id == ActivityId::A_CPU.0 && !cpu_found {
                f.header.sa_cpu_nr = oa.nr as u32;
                cpu_found = true;
            }
            // sysstat tests `!size`; a negative size would make it read
            // garbage lengths later, so it is refused here.
            if oa.size <= 0 || oa.size > MAX_ITEM_STRUCT_SIZE {
                return Err(bad("size", oa.size.into()));
            }
            let st = ActState::new(info, &oa);
            f.specs.push(ActivitySpec { info, nr: st.spec_nr, nr2: st.nr2, layout: info.layout });
            f.state.push(st);
            f.activities.push(oa);
        }
        if !cpu_found {
            return Err(LegacyError::NoCpu);
        }
        Ok(f)
    }

    /// Decode the old header at `at`; returns `sa_act_nr`.
    fn read_header(&mut self, at: usize, size: usize) -> u32 {
        // Fields past a short declared header read as zero.
        let mut b = [0u8; 512];
        let n = size.min(b.len());
        b[..n].copy_from_slice(&self.data[at..at + n]);
        let order = self.magic.order;
        let u32_at = |o: usize| order.u32(fixed(&b[o..o + 4]));
        let (act_nr, chars) = if self.format_magic == FORMAT_MAGIC_2171 {
            (u32_at(8), 12)
        } else {
            self.vol_act_nr = u32_at(16);
            (u32_at(12), 20)
        };
        let long64 = b[chars + 3] == 8;
        self.enc = Encoding { order, long64 };
        let h = &mut self.header;
        h.sa_ust_time = self.enc.ul(fixed(&b[0..8]));
        h.sa_day = b[chars];
        h.sa_month = b[chars + 1];
        h.sa_year = i32::from(b[chars + 2]);
        let s = |i: usize| c_str(&b[chars + 4 + 65 * i..chars + 4 + 65 * (i + 1)]).into_owned();
        h.sysname = s(0);
        h.nodename = s(1);
        h.release = s(2);
        h.machine = s(3);
        act_nr
    }

    /// The activity list of the converted file, in the current layouts.
    pub fn specs(&self) -> &[ActivitySpec] {
        &self.specs
    }

    /// Whether activity `i` of the list is in an older layout than the
    /// current one and goes through an upgrade ('u' in sysstat's progress
    /// line) rather than a copy ('.').
    pub fn is_upgraded(&self, i: usize) -> bool {
        self.activities[i].magic < self.specs[i].info.magic
    }

    /// The `upgraded` value the converted file's magic carries.
    pub fn upgraded(&self) -> u32 {
        upgraded_value(CONVERTER_VERSION)
    }

    /// Reserve `n` bytes at the current position.
    fn take(&mut self, n: usize) -> LResult<usize> {
        let at = self.pos;
        let available = self.data.len().saturating_sub(at);
        if available < n {
            return Err(LegacyError::Truncated { offset: at, wanted: n, available });
        }
        self.pos = at + n;
        Ok(at)
    }

    /// The next record, converted; `None` at the end of the file.
    pub fn next_sample(&mut self) -> LResult<Option<Sample>> {
        if self.pos >= self.data.len() {
            return Ok(None);
        }
        let at = self.take(OLD_RECORD_HEADER_SIZE)?;
        let b: [u8; OLD_RECORD_HEADER_SIZE] = fixed(&self.data[at..at + OLD_RECORD_HEADER_SIZE]);
        let order = self.enc.order;
        let uptime0 = order.u64(fixed(&b[16..24]));
        let header = RecordHeader {
            // Hundredths of a second from one CPU's ticks, in u64 as sysstat computes it.
            uptime_cs: uptime0.wrapping_mul(100) / self.header.sa_hz,
            ust_time: self.enc.ul(fixed(&b[32..40])),
            extra_next: 0,
            record_type: b[40],
            hour: b[41],
            minute: b[42],
            second: b[43],
        };
        let body = match header.record_type {
            RecordType::R_COMMENT => {
                let at = self.take(MAX_COMMENT_LEN)?;
                let mut c: [u8; MAX_COMMENT_LEN] = fixed(&self.data[at..at + MAX_COMMENT_LEN]);
                c[MAX_COMMENT_LEN - 1] = 0;
                SampleBody::Comment(c)
            }
            RecordType::R_RESTART => SampleBody::Restart { cpu_nr: self.read_restart()? },
            // sysstat converts any other type as statistics, keeping the type.
            _ => SampleBody::Stats(self.read_stats()?),
        };
        Ok(Some(Sample { header, body }))
    }

    /// A restart record's body: 0x2173 lists the activities whose item
    /// count changes from here on. Returns the CPU count to write.
    fn read_restart(&mut self) -> LResult<u32> {
        let mut cpu_nr = self.header.sa_cpu_nr;
        if self.format_magic != FORMAT_MAGIC_2173 {
            return Ok(cpu_nr);
        }
        for _ in 0..self.vol_act_nr {
            let at = self.take(OLD_FILE_ACTIVITY_SIZE)?;
            let oa = OldActivity::decode(&self.data[at..at + OLD_FILE_ACTIVITY_SIZE], self.enc.order);
            if oa.id == 0 || oa.nr <= 0 {
                continue;
            }
            let Some(info) = ActivityId(oa.id).info() else {
                return Err(LegacyError::UnknownActivity { id: oa.id, offset: at });
            };
            if oa.nr > info.nr_max {
                return Err(LegacyError::InvalidRestart { offset: at, id: oa.id, value: oa.nr as u64 });
            }
            for st in self.state.iter_mut().filter(|s| s.info.id == info.id) {
                st.set_nr_ini(oa.nr as u32);
            }
            if info.id == ActivityId::A_CPU {
                cpu_nr = oa.nr as u32;
            }
        }
        Ok(cpu_nr)
    }

    /// A statistics record: every listed activity's fixed slots, upgraded.
    fn read_stats(&mut self) -> LResult<Vec<ActivityData>> {
        let mut out = Vec::with_capacity(self.state.len());
        for i in 0..self.state.len() {
            let size = self.activities[i].size as usize;
            let st = &self.state[i];
            let len = (st.nr_ini as usize)
                .checked_mul(st.nr2 as usize)
                .and_then(|n| n.checked_mul(size))
                .ok_or(LegacyError::Truncated { offset: self.pos, wanted: usize::MAX, available: 0 })?;
            let at = self.take(len)?;
            let oa = self.activities[i];
            let data = self.state[i].convert(&oa, &self.data[at..at + len], self.enc);
            out.push(data);
        }
        Ok(out)
    }

    /// Convert the whole file, writing the current format to `out`.
    /// `layouts` may rewrite each activity's spec (an older release's layout)
    /// or drop it (`None`); the identity keeps sysstat's conversion.
    pub fn write_to<W: Write>(mut self, out: W, layouts: impl Fn(ActivitySpec) -> Option<ActivitySpec>) -> LResult<W> {
        let specs: Vec<ActivitySpec> = self.specs.iter().copied().filter_map(&layouts).collect();
        let mut w =
            Writer::create_upgraded(out, &self.header, specs, self.enc, self.upgraded()).map_err(WriteError::Io)?;
        while let Some(mut s) = self.next_sample()? {
            keep_declared(&mut s, w.specs());
            w.write_sample(&s)?;
        }
        w.flush().map_err(WriteError::Io)?;
        Ok(w.into_inner())
    }
}

/// Drop the statistics of activities `specs` does not declare.
pub fn keep_declared(s: &mut Sample, specs: &[ActivitySpec]) {
    if let SampleBody::Stats(d) = &mut s.body {
        d.retain(|a| specs.iter().any(|sp| sp.info.id == a.id()));
    }
}

/// Convert an old file held in memory to the current format, in memory.
pub fn convert_bytes(data: Vec<u8>, hz: u64) -> LResult<Vec<u8>> {
    LegacyFile::parse(data, hz)?.write_to(Vec::new(), Some)
}

/// [`convert_bytes`] for a reader: a file cut short converts up to its last
/// whole record, followed by one stray byte, so that reading the result
/// gives the same records and then the same "unexpected end" as the original.
pub fn convert_for_reading(data: Vec<u8>, hz: u64) -> LResult<Vec<u8>> {
    let mut f = LegacyFile::parse(data, hz)?;
    let specs = f.specs.clone();
    let mut w = Writer::create_upgraded(Vec::new(), &f.header, specs, f.enc, f.upgraded()).map_err(WriteError::Io)?;
    loop {
        match f.next_sample() {
            Ok(Some(s)) => w.write_sample(&s)?,
            Ok(None) => break,
            Err(LegacyError::Truncated { .. }) => {
                let mut out = w.into_inner();
                out.push(0);
                return Ok(out);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(w.into_inner())
}

/// Tick rate used when converting on open: Linux's `USER_HZ`, which is what
/// `sysconf(_SC_CLK_TCK)` answers on every Linux `sadf -c` runs on.
pub const DEFAULT_HZ: u64 = 100;

#[cfg(test)]
mod tests;
