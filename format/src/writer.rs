//! Writing data files in the current format, and the owned model both the
//! writer and the round-trip tests use.
//!
//! A [`Writer`] takes typed statistics ([`ActivityData`]) and lays them out
//! in the activity layouts it was given: 12.7.9's by default, or an older
//! release's prefix layouts so that an older `sar` reads the file in full.
//! Each record is built in memory and handed to the output in one `write`
//! call, so a reader of a growing file never sees half a record from us.

use std::io::{self, Write};

use crate::activity::{ActivityId, ActivityInfo};
use crate::endian::Encoding;
use crate::error::Version;
use crate::header::{FileActivity, FileHeader, FILE_ACTIVITY_LAYOUT, FILE_HEADER_LAYOUT};
use crate::magic::{FileMagic, FORMAT_MAGIC};
use crate::reader::{Block, RecordKind, StatsRecord};
use crate::record::{RecordHeader, RecordType, MAX_COMMENT_LEN, RECORD_HEADER_LAYOUT};
use crate::remap::{ItemWriter, Layout};
use crate::stats::*;

macro_rules! any_stats {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// The items of one activity, typed.
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyStats {
            $($variant(Vec<$ty>),)*
        }

        impl AnyStats {
            /// An empty list of the structure `id` uses, if `id` is known.
            pub fn empty(id: ActivityId) -> Option<AnyStats> {
                $(if id == <$ty as Stats>::ID { return Some(AnyStats::$variant(Vec::new())); })*
                None
            }

            pub fn id(&self) -> ActivityId {
                match self { $(AnyStats::$variant(_) => <$ty as Stats>::ID,)* }
            }

            pub fn len(&self) -> usize {
                match self { $(AnyStats::$variant(v) => v.len(),)* }
            }

            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Decode every structure of a block.
            pub fn from_block(b: &Block<'_>) -> Option<AnyStats> {
                $(if b.id() == <$ty as Stats>::ID {
                    return Some(AnyStats::$variant(b.items::<$ty>().collect()));
                })*
                None
            }

            /// Append one item decoded through this activity's structure.
            pub fn push_item(&mut self, it: &crate::remap::Item<'_>) {
                match self { $(AnyStats::$variant(v) => v.push(<$ty as Stats>::decode(it)),)* }
            }

            /// `n` zeroed structures of activity `id`, if `id` is known.
            pub fn zeroed(id: ActivityId, n: usize) -> Option<AnyStats> {
                $(if id == <$ty as Stats>::ID { return Some(AnyStats::$variant(vec![<$ty>::default(); n])); })*
                None
            }

            /// The same items with `to` sub-items each instead of `from`:
            /// sub-items past `from` are zero, those past `to` dropped.
            pub fn reshaped(&self, from: u32, to: u32) -> AnyStats {
                fn resize<T: Copy + Default>(v: &[T], from: u32, to: u32) -> Vec<T> {
                    let (from, to) = (from.max(1) as usize, to.max(1) as usize);
                    v.chunks(from).flat_map(|item| (0..to).map(move |i| item.get(i).copied().unwrap_or_default())).collect()
                }
                match self { $(AnyStats::$variant(v) => AnyStats::$variant(resize(v, from, to)),)* }
            }

            /// Keep the first `n` items.
            pub fn truncate(&mut self, n: usize) {
                match self { $(AnyStats::$variant(v) => v.truncate(n),)* }
            }

            /// Append every item in `layout` and `enc`.
            pub fn encode(&self, out: &mut Vec<u8>, layout: Layout, enc: Encoding) {
                match self {
                    $(AnyStats::$variant(v) => for s in v {
                        s.encode(&mut ItemWriter::new(out, layout, enc));
                    },)*
                }
            }
        }
    };
}

crate::for_each_stats!(any_stats);

/// One activity's statistics in one record.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityData {
    /// Sub-items per item; `stats` holds items times `nr2` structures.
    pub nr2: u32,
    pub stats: AnyStats,
}

impl ActivityData {
    pub fn id(&self) -> ActivityId {
        self.stats.id()
    }

    /// Items in this record (structures divided by sub-items).
    pub fn nr(&self) -> u32 {
        (self.stats.len() / self.nr2.max(1) as usize) as u32
    }
}

/// What a record holds, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleBody {
    Stats(Vec<ActivityData>),
    /// CPU count plus one, as stored.
    Restart {
        cpu_nr: u32,
    },
    Comment([u8; MAX_COMMENT_LEN]),
}

/// One owned record: what the recorder produces and the writer consumes.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub header: RecordHeader,
    pub body: SampleBody,
}

impl Sample {
    /// An owned copy of a record read from a file (readable activities only).
    pub fn from_record(header: RecordHeader, kind: &RecordKind<'_>) -> Sample {
        let body = match kind {
            RecordKind::Stats(s) => SampleBody::Stats(stats_of(s)),
            RecordKind::Restart { cpu_nr } => SampleBody::Restart { cpu_nr: *cpu_nr },
            RecordKind::Comment(c) => {
                let mut a = [0u8; MAX_COMMENT_LEN];
                let n = c.len().min(MAX_COMMENT_LEN);
                a[..n].copy_from_slice(&c[..n]);
                SampleBody::Comment(a)
            }
        };
        Sample { header, body }
    }
}

fn stats_of(s: &StatsRecord<'_>) -> Vec<ActivityData> {
    s.blocks().filter_map(|b| Some(ActivityData { nr2: b.nr2(), stats: AnyStats::from_block(&b)? })).collect()
}

/// How one activity is declared in a file we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivitySpec {
    pub info: &'static ActivityInfo,
    /// Items at creation (`file_activity.nr`).
    pub nr: u32,
    /// Sub-items per item.
    pub nr2: u32,
    /// The item layout to write: the current one, or an older prefix of it.
    pub layout: Layout,
}

impl ActivitySpec {
    /// An activity in its current (12.7.9) layout.
    pub fn current(id: ActivityId, nr: u32, nr2: u32) -> Option<ActivitySpec> {
        let info = id.info()?;
        Some(ActivitySpec { info, nr, nr2, layout: info.layout })
    }

    fn file_activity(&self) -> FileActivity {
        FileActivity {
            id: self.info.id.0,
            magic: self.info.magic,
            nr: self.nr as i32,
            nr2: self.nr2 as i32,
            // Every activity whose item count may change carries a count in
            // each record; sadc does the same for all but single-item ones.
            has_nr: self.info.nr_max > 1,
            size: self.layout.size as i32,
            types_nr: self.layout.types_nr,
        }
    }
}

/// What the file header says, apart from what the writer derives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderInfo {
    /// The release the file claims to come from (the magic's version).
    pub version: Version,
    pub sa_ust_time: u64,
    pub sa_hz: u64,
    /// CPU count plus one.
    pub sa_cpu_nr: u32,
    /// Years since 1900, day of month, month 0–11 (local date at creation).
    pub sa_year: i32,
    pub sa_day: u8,
    pub sa_month: u8,
    pub sysname: String,
    pub nodename: String,
    pub release: String,
    pub machine: String,
    pub tzname: String,
}

impl HeaderInfo {
    /// A header of which only the release and the tick rate are known, every
    /// other field zero or empty: where reading an old file's header starts.
    pub fn unknown(version: Version, sa_hz: u64) -> HeaderInfo {
        HeaderInfo {
            version,
            sa_ust_time: 0,
            sa_hz,
            sa_cpu_nr: 0,
            sa_year: 0,
            sa_day: 0,
            sa_month: 0,
            sysname: String::new(),
            nodename: String::new(),
            release: String::new(),
            machine: String::new(),
            tzname: String::new(),
        }
    }

    /// The header fields of an existing file, to write a copy of it.
    pub fn from_file(magic: &FileMagic, h: &FileHeader) -> HeaderInfo {
        let s = |b: &[u8]| crate::header::c_str(b).into_owned();
        HeaderInfo {
            version: magic.version,
            sa_ust_time: h.sa_ust_time,
            sa_hz: h.sa_hz,
            sa_cpu_nr: h.sa_cpu_nr,
            sa_year: h.sa_year,
            sa_day: h.sa_day,
            sa_month: h.sa_month,
            sysname: s(&h.sa_sysname),
            nodename: s(&h.sa_nodename),
            release: s(&h.sa_release),
            machine: s(&h.sa_machine),
            tzname: s(&h.sa_tzname),
        }
    }
}

/// Errors a writer reports: what it was given does not fit the file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("activity {0} is not in this file's activity list")]
    NotDeclared(u32),
    #[error("activity {id}: {nr} items, but the file declares {declared} and no per-record count")]
    WrongCount { id: u32, nr: u32, declared: u32 },
    #[error("activity {id}: {got} sub-items per item, but the file declares {declared}")]
    WrongNr2 { id: u32, got: u32, declared: u32 },
}

/// Writes a data file: the magic, header and activity list at creation,
/// then one record per call.
pub struct Writer<W: Write> {
    out: W,
    enc: Encoding,
    specs: Vec<ActivitySpec>,
    buf: Vec<u8>,
    upgraded: u32,
}

impl<W: Write> Writer<W> {
    /// Start a file: writes the magic, header and activity list at once.
    pub fn create(out: W, hdr: &HeaderInfo, specs: Vec<ActivitySpec>, enc: Encoding) -> io::Result<Self> {
        Self::create_upgraded(out, hdr, specs, enc, 0)
    }

    /// Start a file converted from an older format: `upgraded` is the value
    /// `sadf -c` leaves in the magic (see [`crate::legacy::upgraded_value`]).
    pub fn create_upgraded(
        out: W,
        hdr: &HeaderInfo,
        specs: Vec<ActivitySpec>,
        enc: Encoding,
        upgraded: u32,
    ) -> io::Result<Self> {
        let mut w = Writer { out, enc, specs, buf: Vec::new(), upgraded };
        let bytes = w.file_prologue(hdr);
        w.out.write_all(&bytes)?;
        Ok(w)
    }

    /// Continue a file whose prologue is already written (appending).
    pub fn append(out: W, specs: Vec<ActivitySpec>, enc: Encoding) -> Self {
        Writer { out, enc, specs, buf: Vec::new(), upgraded: 0 }
    }

    /// The magic, header and activity list of a file with these activities.
    pub fn file_prologue(&self, hdr: &HeaderInfo) -> Vec<u8> {
        let enc = self.enc;
        let magic = FileMagic {
            order: enc.order,
            format_magic: FORMAT_MAGIC,
            version: hdr.version,
            header_size: FILE_HEADER_LAYOUT.size,
            upgraded: self.upgraded,
            hdr_types_nr: FILE_HEADER_LAYOUT.types_nr,
        };
        let header = FileHeader {
            sa_ust_time: hdr.sa_ust_time,
            sa_hz: hdr.sa_hz,
            sa_cpu_nr: hdr.sa_cpu_nr,
            sa_act_nr: self.specs.len() as u32,
            sa_year: hdr.sa_year,
            act_types_nr: FILE_ACTIVITY_LAYOUT.types_nr,
            rec_types_nr: RECORD_HEADER_LAYOUT.types_nr,
            act_size: FILE_ACTIVITY_LAYOUT.size,
            rec_size: RECORD_HEADER_LAYOUT.size,
            extra_next: 0,
            sa_day: hdr.sa_day,
            sa_month: hdr.sa_month,
            sa_sizeof_long: if enc.long64 { 8 } else { 4 },
            sa_sysname: crate::header::to_c_field(&hdr.sysname),
            sa_nodename: crate::header::to_c_field(&hdr.nodename),
            sa_release: crate::header::to_c_field(&hdr.release),
            sa_machine: crate::header::to_c_field(&hdr.machine),
            sa_tzname: crate::header::to_c_field(&hdr.tzname),
        };
        let mut out = magic.encode().to_vec();
        header.encode(&mut out, enc);
        for s in &self.specs {
            s.file_activity().encode(&mut out, enc);
        }
        out
    }

    pub fn specs(&self) -> &[ActivitySpec] {
        &self.specs
    }

    /// Encode one record into bytes without writing it.
    pub fn encode_sample(&mut self, s: &Sample) -> Result<Vec<u8>, WriteError> {
        self.buf.clear();
        let mut buf = std::mem::take(&mut self.buf);
        let r = self.encode_into(s, &mut buf);
        let out = buf.clone();
        self.buf = buf;
        r.map(|()| out)
    }

    fn encode_into(&self, s: &Sample, out: &mut Vec<u8>) -> Result<(), WriteError> {
        let enc = self.enc;
        let mut hdr = s.header;
        hdr.extra_next = 0;
        hdr.record_type = match &s.body {
            SampleBody::Stats(_) => RecordType::R_STATS,
            SampleBody::Restart { .. } => RecordType::R_RESTART,
            SampleBody::Comment(_) => RecordType::R_COMMENT,
        };
        hdr.encode(out, enc);
        match &s.body {
            SampleBody::Restart { cpu_nr } => out.extend_from_slice(&enc.order.u32_bytes(*cpu_nr)),
            SampleBody::Comment(c) => out.extend_from_slice(c),
            SampleBody::Stats(data) => {
                if let Some(d) = data.iter().find(|d| !self.specs.iter().any(|s| s.info.id == d.id())) {
                    return Err(WriteError::NotDeclared(d.id().0));
                }
                for spec in &self.specs {
                    let fa = spec.file_activity();
                    let d = data.iter().find(|d| d.id() == spec.info.id);
                    let nr = d.map_or(0, |d| d.nr());
                    if let Some(d) = d {
                        if d.nr2 != spec.nr2 {
                            return Err(WriteError::WrongNr2 { id: fa.id, got: d.nr2, declared: spec.nr2 });
                        }
                    }
                    if fa.has_nr {
                        out.extend_from_slice(&enc.order.u32_bytes(nr));
                    } else if nr != spec.nr {
                        return Err(WriteError::WrongCount { id: fa.id, nr, declared: spec.nr });
                    }
                    if let Some(d) = d {
                        d.stats.encode(out, spec.layout, enc);
                    }
                }
            }
        }
        Ok(())
    }

    /// Write one record in a single `write` call.
    pub fn write_sample(&mut self, s: &Sample) -> Result<(), WriteError> {
        let bytes = self.encode_sample(s)?;
        self.out.write_all(&bytes)?;
        Ok(())
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The header of the files the crate's tests write: a 12.7.9 file of two
/// CPUs from Linux 6.1.0 on x86_64, 2023-11-14 22:13:20 UTC.
#[cfg(test)]
pub(crate) fn test_header() -> HeaderInfo {
    HeaderInfo {
        version: Version::new(12, 7, 9),
        sa_ust_time: 1_700_000_000,
        sa_hz: 100,
        sa_cpu_nr: 3,
        sa_year: 123,
        sa_day: 14,
        sa_month: 10,
        sysname: "Linux".into(),
        nodename: "node".into(),
        release: "6.1.0".into(),
        machine: "x86_64".into(),
        tzname: "UTC".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endian::ByteOrder;
    use crate::reader::{OpenOptions, SaFile};

    fn rec(t: u64, body: SampleBody) -> Sample {
        let header = RecordHeader {
            uptime_cs: (t - 1_699_990_000) * 100,
            ust_time: t,
            extra_next: 0,
            record_type: 0,
            hour: 22,
            minute: 13,
            second: (t % 60) as u8,
        };
        Sample { header, body }
    }

    #[test]
    fn write_then_read_gives_the_same_samples_in_every_encoding() {
        let cpus: Vec<StatsCpu> =
            (0..3).map(|i| StatsCpu { cpu_user: 10 * i, cpu_idle: 1000 + i, ..Default::default() }).collect();
        let mem = StatsMemory { tlmkb: 16 << 20, frmkb: 1 << 20, shmemkb: 7, ..Default::default() };
        let samples = vec![
            rec(1_700_000_001, SampleBody::Stats(vec![
                ActivityData { nr2: 1, stats: AnyStats::Cpu(cpus.clone()) },
                ActivityData { nr2: 1, stats: AnyStats::Memory(vec![mem]) },
            ])),
            rec(1_700_000_002, SampleBody::Comment(*b"hello\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")),
            rec(1_700_000_003, SampleBody::Restart { cpu_nr: 5 }),
        ];
        for order in [ByteOrder::Little, ByteOrder::Big] {
            for long64 in [false, true] {
                let enc = Encoding { order, long64 };
                let specs = vec![
                    ActivitySpec::current(ActivityId::A_CPU, 3, 1).unwrap(),
                    ActivitySpec::current(ActivityId::A_MEMORY, 1, 1).unwrap(),
                ];
                let mut w = Writer::create(Vec::new(), &test_header(), specs, enc).unwrap();
                for s in &samples {
                    w.write_sample(s).unwrap();
                }
                let bytes = w.into_inner();
                let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
                assert_eq!(f.info.enc, enc);
                assert_eq!(HeaderInfo::from_file(&f.info.magic, &f.info.header), test_header());
                let mut back = Vec::new();
                while let Some(r) = f.next_record().unwrap() {
                    back.push(Sample::from_record(r.header, &r.kind));
                }
                let want: Vec<Sample> = samples
                    .iter()
                    .map(|s| {
                        let mut s = s.clone();
                        s.header.record_type = match s.body {
                            SampleBody::Stats(_) => 1,
                            SampleBody::Restart { .. } => 2,
                            SampleBody::Comment(_) => 4,
                        };
                        s
                    })
                    .collect();
                assert_eq!(back, want, "{enc:?}");
            }
        }
    }

    #[test]
    fn undeclared_activity_is_refused() {
        let specs = vec![ActivitySpec::current(ActivityId::A_CPU, 1, 1).unwrap()];
        let mut w = Writer::create(Vec::new(), &test_header(), specs, Encoding::NATIVE).unwrap();
        let s = rec(
            1_700_000_001,
            SampleBody::Stats(vec![ActivityData { nr2: 1, stats: AnyStats::Queue(vec![Default::default()]) }]),
        );
        assert!(matches!(w.write_sample(&s), Err(WriteError::NotDeclared(9))));
    }
}
