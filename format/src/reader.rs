//! Opening a data file and walking its records.
//!
//! [`SaFile::open`] reads and checks the magic, header and activity list
//! exactly as sysstat's `check_file_actlst` does, and decides the file's
//! [`Encoding`] once. [`SaFile::next_record`] then hands out one record at a
//! time, borrowing the file: statistics are not decoded until a report asks
//! for an activity's items, and no memory is allocated per record.

use std::io::Read;
use std::path::Path;

use crate::activity::{ActivityId, ActivityInfo, NR_CPUS_MAX};
use crate::archive::{Archive, Cursor, LoadedBlock, Step};
use crate::endian::{fixed, ByteOrder, Encoding};
use crate::error::{Error, Result};
use crate::header::{
    FileActivity, FileHeader, FILE_ACTIVITY_LAYOUT, FILE_HEADER_LAYOUT, MAX_RECORD_HEADER_SIZE, NR_MAX,
};
use crate::magic::{FileMagic, FILE_MAGIC_SIZE, MAX_FILE_HEADER_SIZE};
use crate::record::{ExtraDesc, RecordHeader, RecordType, EXTRA_DESC_SIZE, MAX_COMMENT_LEN, RECORD_HEADER_LAYOUT};
use crate::remap::{Item, Layout};
use crate::source::Input;
use crate::stats::Stats;

/// How an activity listed in the file is treated when records are read.
#[derive(Debug, Clone, Copy)]
pub enum ActivityStatus {
    /// Known to us, in a layout we can map: its items are readable.
    Known(&'static ActivityInfo),
    /// Known id, but its magic says the layout is one we cannot map.
    UnknownFormat(&'static ActivityInfo),
    /// An id this release does not know (from a newer sysstat).
    Unknown,
}

/// Options for [`SaFile::open_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Check only what `sadf -H` checks: activities of another magic are
    /// listed rather than refused, and their composition is not compared.
    pub header_only: bool,
    /// Map a plain file instead of reading it in chunks: no copy, but the
    /// resident set grows with the file.
    pub mmap: bool,
    /// Open 0x2171 and 0x2173 files by converting them in memory, as
    /// `sadf -c` would, instead of refusing them as sysstat does. Off by
    /// default: a writer appending to a file must not take an old file for
    /// a current one. [`FileInfo::converted_from`] tells the caller it happened.
    pub convert_old: bool,
}

/// Everything the header and activity list say about a file.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub magic: FileMagic,
    pub header: FileHeader,
    /// The activity list, in file order.
    pub activities: Vec<FileActivity>,
    /// How each entry of `activities` is read.
    pub status: Vec<ActivityStatus>,
    /// Byte order and long size of everything after the magic.
    pub enc: Encoding,
    /// Absolute offset of the first record.
    pub data_offset: u64,
    /// The file's own magic when it is an old format read through an
    /// in-memory conversion ([`OpenOptions::convert_old`]): `magic` is then
    /// the converted one. Reports use it to say which format they read.
    pub converted_from: Option<FileMagic>,
    rec_layout: Layout,
    /// Per listed activity: whether its items can be remapped (see [`Layout::accepts`]).
    remappable: Vec<bool>,
}

impl FileInfo {
    /// Whether the activity list names `id`, in any format.
    pub fn has_activity(&self, id: ActivityId) -> bool {
        self.activities.iter().any(|a| a.id == id.0)
    }

    /// The list entry for `id`, if readable.
    pub fn known(&self, id: ActivityId) -> Option<&FileActivity> {
        self.activities
            .iter()
            .zip(&self.status)
            .find(|(a, s)| a.id == id.0 && matches!(s, ActivityStatus::Known(_)))
            .map(|(a, _)| a)
    }
}

/// An open data file, positioned at its next record.
pub struct SaFile {
    pub info: FileInfo,
    walk: Walker,
    blocks: Vec<BlockDesc>,
    /// Set when the file is an archive (`spec/archive.md`): `walk` then
    /// reads only the verbatim stretches, regular records come from here.
    archive: Option<Box<InArchive>>,
    /// Where the statistics of the record last handed out are, for
    /// [`SaFile::current_stats`].
    current: Option<Current>,
}

#[derive(Debug, Clone, Copy)]
enum Current {
    Plain,
    Row(usize),
}

/// Where a reader of an archive is.
struct InArchive {
    cursor: Cursor,
    at: At,
}

enum At {
    /// Reading verbatim bytes with the plain walker.
    Raw,
    /// Rows `next..end` of the loaded block, `next` at plain offset `offset`.
    Rows {
        next: usize,
        end: usize,
        offset: u64,
    },
    End,
}

/// The input and the offset of the next byte to read.
struct Walker {
    input: Input,
    pos: u64,
}

/// Where one activity's statistics sit in the current record.
#[derive(Debug, Clone, Copy)]
struct BlockDesc {
    /// Index into the activity list.
    act: usize,
    /// Items (`nr`) in this record.
    nr: u32,
    offset: u64,
}

impl SaFile {
    /// Open a file by path: mapped, or decoded on the fly if zstd-compressed.
    pub fn open(path: impl AsRef<Path>) -> Result<SaFile> {
        Self::open_with(path, OpenOptions::default())
    }

    pub fn open_with(path: impl AsRef<Path>, opts: OpenOptions) -> Result<SaFile> {
        let path = path.as_ref();
        if crate::source::is_archive_file(path)? {
            return Self::from_archive(Archive::open(path)?, opts);
        }
        Self::from_input(Input::open(path, opts.mmap)?, opts)
    }

    /// Read a file held in memory (plain, zstd or archive).
    pub fn from_bytes(data: Vec<u8>, opts: OpenOptions) -> Result<SaFile> {
        if crate::archive::is_archive(&data) {
            return Self::from_archive(Archive::from_vec(data)?, opts);
        }
        Self::from_input(Input::from_vec(data), opts)
    }

    /// Read a file from a stream (plain, zstd or archive), e.g. standard
    /// input. An archive is read into memory first: its index is at its end.
    pub fn from_reader(mut r: Box<dyn Read + Send>, opts: OpenOptions) -> Result<SaFile> {
        let mut head = Vec::with_capacity(8);
        (&mut r).take(8).read_to_end(&mut head)?;
        if crate::archive::is_archive(&head) {
            r.read_to_end(&mut head)?;
            return Self::from_bytes(head, opts);
        }
        Self::from_input(Input::from_reader(Box::new(std::io::Cursor::new(head).chain(r)))?, opts)
    }

    /// An archive: its header is read as a plain file's, its records from
    /// its blocks as they are needed.
    fn from_archive(ar: Archive, opts: OpenOptions) -> Result<SaFile> {
        let prefix = ar.prefix()?;
        let mut f = Self::from_input(Input::from_vec(prefix), opts)?;
        if ar.index.whole {
            return Ok(f);
        }
        let data_offset = f.info.data_offset;
        if data_offset != ar.index.prefix.rawlen || f.info.converted_from.is_some() {
            return Err(crate::archive::header_mismatch(&ar));
        }
        f.walk = Walker { input: Input::chunk(Vec::new(), data_offset), pos: data_offset };
        let at = At::Rows { next: 0, end: 0, offset: data_offset };
        f.archive = Some(Box::new(InArchive { cursor: Cursor::new(ar), at }));
        Ok(f)
    }

    /// The whole plain file, when it is held whole in memory or mapped: the
    /// archive writer cuts records out of it.
    pub(crate) fn whole_bytes(&self) -> Option<&[u8]> {
        if self.archive.is_some() {
            return None;
        }
        self.walk.input.whole()
    }

    fn from_input(input: Input, opts: OpenOptions) -> Result<SaFile> {
        let mut walk = Walker { input, pos: 0 };
        walk.input.need(FILE_MAGIC_SIZE as u64).map_err(Error::Zstd)?;
        let magic = FileMagic::parse(walk.input.window().0)?;
        if crate::legacy::is_legacy(magic.format_magic) && opts.convert_old {
            let mut f = Self::from_legacy(walk.input, opts)?;
            f.info.converted_from = Some(magic);
            return Ok(f);
        }
        magic.require_current()?;
        walk.pos = FILE_MAGIC_SIZE as u64;
        let info = walk.read_file_header(magic, opts)?;
        Ok(SaFile { info, walk, blocks: Vec::new(), archive: None, current: None })
    }

    /// An old-format file, converted in memory as `sadf -c` would (only
    /// when [`OpenOptions::convert_old`] asks for it). Conversion errors
    /// are reported as the current reader's errors of the same kind.
    fn from_legacy(mut input: Input, opts: OpenOptions) -> Result<SaFile> {
        input.need(u64::MAX).map_err(Error::Zstd)?;
        let data = input.window().0.to_vec();
        drop(input);
        let bytes = crate::legacy::convert_for_reading(data, crate::legacy::DEFAULT_HZ).map_err(Error::from)?;
        Self::from_input(Input::from_vec(bytes), opts)
    }

    /// The file's magic alone, for files whose format we do not read
    /// (`sadf -H` prints their version).
    pub fn probe(path: impl AsRef<Path>) -> Result<FileMagic> {
        if crate::source::is_archive_file(path.as_ref())? {
            return FileMagic::parse(&Archive::open(path.as_ref())?.prefix()?);
        }
        let mut input = Input::open(path.as_ref(), false)?;
        input.need(FILE_MAGIC_SIZE as u64)?;
        FileMagic::parse(input.window().0)
    }

    /// Offset of the next record, to come back to with [`SaFile::seek`].
    pub fn position(&self) -> u64 {
        self.walk.pos
    }

    /// Go back (or forward) to a record offset from [`SaFile::position`],
    /// so a report needing several passes over a stretch of records does not
    /// reopen the file. A zstd stream cannot go back far: `false` means the
    /// caller must reopen.
    pub fn seek(&mut self, pos: u64) -> bool {
        if pos < self.info.data_offset {
            return false;
        }
        self.current = None;
        if let Some(a) = self.archive.as_deref_mut() {
            let Some(step) = a.cursor.seek(pos, &self.info) else { return false };
            return self.take_step(step).is_ok() && {
                self.walk.pos = pos;
                true
            };
        }
        match self.walk.input.rewind(pos) {
            Ok(true) => {
                self.walk.pos = pos;
                true
            }
            _ => false,
        }
    }

    /// The next record, or `None` at the end of the file.
    ///
    /// Errors are sysstat's: a partial record is
    /// [`Error::Truncated`], an implausible header [`Error::InvalidRecord`], a bad
    /// item count [`Error::Invalid`], and a layout sysstat cannot remap
    /// [`Error::Unmappable`] (where sar stops without a word).
    ///
    /// A partial last record while a recorder holds the file's lock is no
    /// damage but a record being written: the data ends before it, for now,
    /// and a later call reads it once it is whole. Without a writer it is
    /// [`Error::Truncated`], as for sysstat.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>> {
        self.current = None;
        let next = if self.archive.is_some() { self.archive_advance()? } else { self.advance_checked()? };
        let Some((header, offset, kind)) = next else { return Ok(None) };
        let len = self.walk.pos - offset;
        let kind = match kind {
            NextKind::Stats | NextKind::Row { .. } => {
                self.current = Some(match kind {
                    NextKind::Row { row } => Current::Row(row),
                    _ => Current::Plain,
                });
                RecordKind::Stats(self.current_stats().expect("just read"))
            }
            NextKind::Restart { cpu_nr } => RecordKind::Restart { cpu_nr },
            NextKind::Comment { at } => RecordKind::Comment(self.walk.bytes(at, MAX_COMMENT_LEN)),
        };
        Ok(Some(Record { header, offset, len, kind }))
    }

    /// The statistics of the record [`SaFile::next_record`] returned last,
    /// if it was a statistics record: a caller can look at the header
    /// first and read the statistics only of the records it keeps, which
    /// in an archive leaves the other records' columns undecoded.
    pub fn current_stats(&self) -> Option<StatsRecord<'_>> {
        let data = match self.current? {
            Current::Plain => {
                let (window, base) = self.walk.input.window();
                Data::Plain { window, base }
            }
            Current::Row(row) => Data::Archive { block: self.archive.as_ref()?.cursor.block.as_ref()?, row },
        };
        Some(StatsRecord { info: &self.info, blocks: &self.blocks, data })
    }

    /// [`SaFile::advance`], telling a record being written from a damaged
    /// end (see [`SaFile::next_record`]).
    fn advance_checked(&mut self) -> Result<Option<(RecordHeader, u64, NextKind)>> {
        let start = self.walk.pos;
        let mut looked_again = false;
        loop {
            match self.advance() {
                Err(e @ Error::Truncated { .. }) => {
                    self.walk.pos = start;
                    // Any bytes the file gains from here are read next time.
                    self.walk.input.read_again_at_end()?;
                    if self.walk.input.writer_holds_lock() {
                        return Ok(None);
                    }
                    // The writer may have finished the record and let go of
                    // the lock between our read and the question: look once more.
                    if looked_again {
                        return Err(e);
                    }
                    looked_again = true;
                }
                next => return next,
            }
        }
    }

    /// The next record of an archive: a row of the loaded block, or a
    /// record of a verbatim stretch read as a plain file's.
    fn archive_advance(&mut self) -> Result<Option<(RecordHeader, u64, NextKind)>> {
        loop {
            let a = self.archive.as_deref_mut().expect("an archive");
            if let Some(e) = a.cursor.block.as_ref().and_then(LoadedBlock::take_failure) {
                return Err(e);
            }
            let raw = match a.at {
                At::Raw => true,
                At::Rows { next, end, offset } if next < end => {
                    let b = a.cursor.block.as_ref().expect("rows are in a block");
                    let header =
                        b.header_row(next).map(|h| RecordHeader::decode(h, self.info.rec_layout, self.info.enc));
                    let header = header.ok_or_else(|| b.damage("a row past the record headers"))?;
                    if header.validate(offset as usize)? != RecordType::Stats || header.extra_next != 0 {
                        return Err(b.damage("a record stored as columns is not a plain statistics record"));
                    }
                    let row_len = b.row_len;
                    a.at = At::Rows { next: next + 1, end, offset: offset + row_len };
                    self.walk.pos = offset + row_len;
                    return Ok(Some((header, offset, NextKind::Row { row: next })));
                }
                At::Rows { .. } => false,
                At::End => return Ok(None),
            };
            if raw {
                if let Some(next) = self.advance_checked()? {
                    return Ok(Some(next));
                }
            }
            let a = self.archive.as_deref_mut().expect("an archive");
            let step = a.cursor.next_entry(&self.info)?;
            self.take_step(step)?;
        }
    }

    /// Read on from what the archive's cursor met.
    fn take_step(&mut self, step: Step) -> Result<()> {
        let a = self.archive.as_deref_mut().expect("an archive");
        match step {
            Step::Raw { bytes, base } => {
                self.walk = Walker { input: Input::chunk(bytes, base), pos: base };
                a.at = At::Raw;
            }
            Step::Rows { next, end, offset } => {
                let b = a.cursor.block.as_ref().expect("rows are in a block");
                self.blocks = row_blocks(&self.info, &b.nrs, offset)?;
                self.walk.pos = offset;
                a.at = At::Rows { next, end, offset };
            }
            Step::End => {
                self.walk.pos = a.cursor.ar.index.plain_len;
                a.at = At::End;
            }
        }
        Ok(())
    }

    /// Read the next record's header and body, skipping extra records: its
    /// header, offset and what [`SaFile::next_record`] hands out for it.
    fn advance(&mut self) -> Result<Option<(RecordHeader, u64, NextKind)>> {
        let order = self.info.magic.order;
        let rec_size = self.info.header.rec_size as usize;
        let (hdr, kind, offset) = loop {
            let start = self.walk.pos;
            self.walk.input.release(start);
            self.walk.input.need(start + rec_size as u64).map_err(Error::Zstd)?;
            let (w, base) = self.walk.input.window();
            if base + w.len() as u64 <= start {
                return Ok(None);
            }
            let at = self.walk.take(rec_size)?;
            if !RECORD_HEADER_LAYOUT.accepts_in(self.info.rec_layout, MAX_RECORD_HEADER_SIZE.into()) {
                return Err(Error::InvalidRecord { what: "rec_size", offset: at as usize, value: rec_size as u64 });
            }
            let hdr = RecordHeader::decode(self.walk.bytes(at, rec_size), self.info.rec_layout, self.info.enc);
            let kind = hdr.validate(at as usize)?;
            match kind {
                RecordType::Extra(_) => {
                    if hdr.extra_next != 0 {
                        self.walk.skip_extra(order)?;
                    }
                }
                _ => break (hdr, kind, at),
            }
        };
        let next = match kind {
            RecordType::Stats => {
                if hdr.extra_next != 0 {
                    self.walk.skip_extra(order)?;
                }
                self.read_stats_blocks()?;
                NextKind::Stats
            }
            RecordType::Restart => {
                let cpu_nr = self.walk.read_nr(order, true, NR_CPUS_MAX)?;
                if hdr.extra_next != 0 {
                    self.walk.skip_extra(order)?;
                }
                NextKind::Restart { cpu_nr }
            }
            RecordType::Comment => {
                let at = self.walk.take(MAX_COMMENT_LEN)?;
                if hdr.extra_next != 0 {
                    self.walk.skip_extra(order)?;
                }
                NextKind::Comment { at }
            }
            RecordType::Extra(_) => unreachable!("extra records are skipped above"),
        };
        Ok(Some((hdr, offset, next)))
    }

    /// Walk one statistics record, as sysstat's `read_file_stat_bunch` does.
    fn read_stats_blocks(&mut self) -> Result<()> {
        let order = self.info.magic.order;
        self.blocks.clear();
        for i in 0..self.info.activities.len() {
            let fa = self.info.activities[i];
            let nr = if fa.has_nr { self.walk.read_nr(order, false, NR_MAX)? } else { fa.nr as u32 };
            let len = u64::from(nr) * fa.nr2 as u64 * fa.size as u64;
            match self.info.status[i] {
                ActivityStatus::Known(info) => {
                    if nr as i32 > info.nr_max {
                        return Err(Error::Invalid {
                            what: "item count",
                            offset: self.walk.pos as usize,
                            value: nr.into(),
                        });
                    }
                    let at = self.walk.take(len as usize)?;
                    if nr > 0 && !self.info.remappable[i] {
                        return Err(Error::Unmappable { id: fa.id, offset: at as usize });
                    }
                    self.blocks.push(BlockDesc { act: i, nr, offset: at });
                }
                // sysstat seeks over what it cannot read, even past the end.
                _ => self.walk.pos += len,
            }
        }
        Ok(())
    }
}

/// The activities of an archive's rows, whose item counts are `nrs`: the
/// checks [`SaFile::read_stats_blocks`] makes on a plain record.
fn row_blocks(info: &FileInfo, nrs: &[u32], offset: u64) -> Result<Vec<BlockDesc>> {
    let mut blocks = Vec::new();
    for (i, (fa, &nr)) in info.activities.iter().zip(nrs).enumerate() {
        let bad_count = || Error::Invalid { what: "item count", offset: offset as usize, value: nr.into() };
        if (fa.has_nr && nr > NR_MAX as u32) || (!fa.has_nr && nr != fa.nr as u32) {
            return Err(bad_count());
        }
        if let ActivityStatus::Known(act) = info.status[i] {
            if nr as i32 > act.nr_max {
                return Err(bad_count());
            }
            if nr > 0 && !info.remappable[i] {
                return Err(Error::Unmappable { id: fa.id, offset: offset as usize });
            }
            blocks.push(BlockDesc { act: i, nr, offset: 0 });
        }
    }
    Ok(blocks)
}

impl Walker {
    fn read_file_header(&mut self, magic: FileMagic, opts: OpenOptions) -> Result<FileInfo> {
        let order = magic.order;
        let hs = magic.header_size;
        let invalid = |what, offset: u64, value: u64| Error::Invalid { what, offset: offset as usize, value };
        if hs == 0 || hs > MAX_FILE_HEADER_SIZE {
            return Err(invalid("header_size", 8, hs.into()));
        }
        // Read first, then check: a short file is "unexpected end" before it is "invalid".
        let at = self.take(hs as usize)?;
        let hdr_layout = Layout::new(magic.hdr_types_nr, hs);
        if !FILE_HEADER_LAYOUT.accepts(hdr_layout) {
            return Err(invalid("hdr_types_nr", 16, crate::remap::map_size(magic.hdr_types_nr)));
        }
        let header = FileHeader::decode(self.bytes(at, hs as usize), hdr_layout, order);
        header.validate(at as usize)?;
        if header.sa_act_nr == 0 {
            return Err(Error::NoActivity);
        }
        let enc = header.encoding(order);

        let act_layout = Layout::new(header.act_types_nr, header.act_size);
        let n = header.sa_act_nr as usize;
        let (mut activities, mut status, mut remappable) =
            (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let at = self.take(header.act_size as usize)?;
            if !FILE_ACTIVITY_LAYOUT.accepts(act_layout) {
                return Err(invalid("act_types_nr", at, header.act_size.into()));
            }
            let fa = FileActivity::decode(self.bytes(at, header.act_size as usize), act_layout, order);
            fa.validate(at as usize)?;
            let st = check_known(&fa, at, opts)?;
            remappable.push(match st {
                ActivityStatus::Known(i) => i.layout.accepts(fa.layout()),
                _ => true,
            });
            activities.push(fa);
            status.push(st);
        }
        if header.extra_next != 0 {
            self.skip_extra(order).map_err(|e| match e {
                Error::InvalidRecord { what, offset, value } => Error::Invalid { what, offset, value },
                e => e,
            })?;
        }
        let rec_layout = Layout::new(header.rec_types_nr, header.rec_size);
        Ok(FileInfo {
            magic,
            header,
            activities,
            status,
            enc,
            data_offset: self.pos,
            converted_from: None,
            rec_layout,
            remappable,
        })
    }

    /// Reserve the next `n` bytes, which must exist; returns their offset.
    fn take(&mut self, n: usize) -> Result<u64> {
        let at = self.pos;
        let end = at.checked_add(n as u64).ok_or(Error::Truncated { offset: at as usize, wanted: n, available: 0 })?;
        self.input.need(end).map_err(Error::Zstd)?;
        let (w, base) = self.input.window();
        let have = (base + w.len() as u64).saturating_sub(at);
        if have < n as u64 {
            return Err(Error::Truncated { offset: at as usize, wanted: n, available: have as usize });
        }
        self.pos = end;
        Ok(at)
    }

    /// Bytes at an absolute offset previously reserved with `take`.
    fn bytes(&self, at: u64, n: usize) -> &[u8] {
        let (w, base) = self.input.window();
        let start = (at - base) as usize;
        &w[start..start + n]
    }

    /// Skip a chain of extra structures. Skipping past the end is not an
    /// error here, as with sysstat's `lseek`: the next read finds the end.
    fn skip_extra(&mut self, order: ByteOrder) -> Result<()> {
        loop {
            let at = self.take(EXTRA_DESC_SIZE)?;
            let d = ExtraDesc::decode(self.bytes(at, EXTRA_DESC_SIZE), order);
            let len = d.validate(at as usize).map_err(|e| match e {
                Error::Invalid { what, offset, value } => Error::InvalidRecord { what, offset, value },
                e => e,
            })?;
            self.pos += len as u64;
            if d.extra_next == 0 {
                return Ok(());
            }
        }
    }

    /// Read an item count (`__nr_t`) and check it as sysstat's `read_nr_value` does.
    fn read_nr(&mut self, order: ByteOrder, non_zero: bool, max: i32) -> Result<u32> {
        let at = self.take(4)?;
        let v = order.u32(fixed(self.bytes(at, 4))) as i32;
        if (non_zero && v == 0) || v < 0 || v > max {
            return Err(Error::Invalid { what: "item count", offset: at as usize, value: v as u32 as u64 });
        }
        Ok(v as u32)
    }
}

/// The checks `check_file_actlst` makes on an activity this release knows.
fn check_known(fa: &FileActivity, at: u64, opts: OpenOptions) -> Result<ActivityStatus> {
    let Some(info) = ActivityId(fa.id).info() else { return Ok(ActivityStatus::Unknown) };
    let invalid = |what, value: u64| Err(Error::Invalid { what, offset: at as usize, value });
    if fa.nr > info.nr_max {
        return invalid("nr", fa.nr as u64);
    }
    let same_magic = fa.magic == info.magic;
    let (f, g) = (fa.types_nr, info.layout.types_nr);
    let all_ge = f.iter().zip(&g).all(|(a, b)| a >= b);
    let all_le = f.iter().zip(&g).all(|(a, b)| a <= b);
    if !(all_ge || all_le) && same_magic && !opts.header_only {
        return invalid("types_nr", crate::remap::map_size(f));
    }
    if crate::remap::map_size(f) > fa.size as u64 {
        return invalid("size", fa.size as u64);
    }
    Ok(if same_magic || opts.header_only { ActivityStatus::Known(info) } else { ActivityStatus::UnknownFormat(info) })
}

/// What [`SaFile::advance`] found, before it is lent out as a [`RecordKind`].
enum NextKind {
    Stats,
    /// Row `row` of the archive block being read.
    Row {
        row: usize,
    },
    Restart {
        cpu_nr: u32,
    },
    /// The comment's 64 bytes start at this offset.
    Comment {
        at: u64,
    },
}

/// One record, borrowed from the file.
#[derive(Debug)]
pub struct Record<'a> {
    pub header: RecordHeader,
    /// Absolute offset of the record header.
    pub offset: u64,
    /// Bytes from `offset` to the next record: header, body and any extra
    /// structures. A writer trimming a partial tail cuts at `offset + len`.
    pub len: u64,
    pub kind: RecordKind<'a>,
}

impl Record<'_> {
    /// Offset of the byte after this record.
    pub fn end(&self) -> u64 {
        self.offset + self.len
    }
}

#[derive(Debug)]
pub enum RecordKind<'a> {
    Stats(StatsRecord<'a>),
    /// The machine restarted; `cpu_nr` is its CPU count plus one.
    Restart {
        cpu_nr: u32,
    },
    /// The 64 bytes of a comment, NUL-padded.
    Comment(&'a [u8]),
}

/// The statistics of one record.
#[derive(Debug, Clone, Copy)]
pub struct StatsRecord<'a> {
    info: &'a FileInfo,
    blocks: &'a [BlockDesc],
    data: Data<'a>,
}

/// Where a record's statistics are.
#[derive(Debug, Clone, Copy)]
enum Data<'a> {
    /// In the plain bytes read, `window[0]` at file offset `base`.
    Plain { window: &'a [u8], base: u64 },
    /// In row `row` of an archive block, decoded per activity on demand.
    Archive { block: &'a LoadedBlock, row: usize },
}

impl<'a> StatsRecord<'a> {
    /// The statistics of `id`, if the file has it in a readable format.
    pub fn block(&self, id: ActivityId) -> Option<Block<'a>> {
        // Reports ask for one activity each per record: compare ids before
        // building anything (this search was a fifth of `rsar -A`).
        let d = self.blocks.iter().find(|d| self.info.activities[d.act].id == id.0)?;
        self.make_block(d)
    }

    /// Every readable activity, in file order.
    pub fn blocks(&self) -> impl Iterator<Item = Block<'a>> + 'a {
        let me = *self;
        self.blocks.iter().filter_map(move |d| me.make_block(d))
    }

    /// `None` only for an archive whose columns fail to decode; the next
    /// [`SaFile::next_record`] returns that error.
    fn make_block(&self, d: &BlockDesc) -> Option<Block<'a>> {
        let info = self.info;
        let fa = &info.activities[d.act];
        let len = d.nr as usize * fa.nr2 as usize * fa.size as usize;
        let ActivityStatus::Known(act) = info.status[d.act] else { return None };
        let bytes = match self.data {
            Data::Plain { window, base } => {
                let start = (d.offset - base) as usize;
                &window[start..start + len]
            }
            Data::Archive { block, row } => block.items(d.act, row)?,
        };
        Some(Block { info: act, file: fa, nr: d.nr, bytes, enc: info.enc })
    }
}

/// One activity's items in one record.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    pub info: &'static ActivityInfo,
    /// The activity's entry in the file's list (layout as stored).
    pub file: &'a FileActivity,
    /// Items in this record (CPUs, interfaces...).
    pub nr: u32,
    bytes: &'a [u8],
    enc: Encoding,
}

impl<'a> Block<'a> {
    pub fn id(&self) -> ActivityId {
        self.info.id
    }

    /// Sub-items per item (more than one for matrix activities).
    pub fn nr2(&self) -> u32 {
        self.file.nr2 as u32
    }

    /// Items times sub-items: how many structures the block holds.
    pub fn len(&self) -> usize {
        self.nr as usize * self.file.nr2 as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every structure as stored, back to back.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The `i`-th structure as stored, flattening items and sub-items.
    pub fn raw(&self, i: usize) -> Option<Item<'a>> {
        let size = self.file.size as usize;
        let start = i.checked_mul(size)?;
        let b = self.bytes.get(start..start.checked_add(size)?)?;
        Some(Item::new(b, self.file.types_nr, self.enc))
    }

    /// The `i`-th structure decoded as `T`; `None` past the end or if `T`
    /// is not this activity's structure.
    pub fn get<T: Stats>(&self, i: usize) -> Option<T> {
        if T::ID != self.info.id {
            return None;
        }
        self.raw(i).map(|it| T::decode(&it))
    }

    /// Every structure decoded as `T` (none if `T` is not this activity's).
    pub fn items<T: Stats>(&self) -> impl Iterator<Item = T> + 'a {
        let me = *self;
        let n = if T::ID == self.info.id { self.len() } else { 0 };
        (0..n).filter_map(move |i| me.raw(i).map(|it| T::decode(&it)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use sarkit_testkit::corpus_data as conformance;

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn walks_sysstat_test_file() {
        let p = conformance("data");
        let mut f = SaFile::open(&p).unwrap();
        assert_eq!(f.info.header.sa_act_nr, 39);
        let (mut stats, mut other) = (0, 0);
        while let Some(r) = f.next_record().unwrap() {
            match r.kind {
                RecordKind::Stats(s) => {
                    let cpu = s.block(ActivityId::A_CPU).unwrap();
                    let all: crate::stats::StatsCpu = cpu.get(0).unwrap();
                    assert!(all.cpu_user > 0);
                    stats += 1;
                }
                _ => other += 1,
            }
        }
        assert!(stats > 0 && other > 0, "{stats} {other}");
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn mapped_and_chunked_reads_agree() {
        let p = conformance("data");
        let offsets = |mmap| {
            let mut f = SaFile::open_with(&p, OpenOptions { mmap, ..Default::default() }).unwrap();
            let mut v = Vec::new();
            while let Some(r) = f.next_record().unwrap() {
                v.push((r.offset, r.header));
            }
            v
        };
        assert_eq!(offsets(true), offsets(false));
    }

    #[test]
    fn an_empty_activity_list_is_sysstats_silent_exit_4() {
        use crate::writer::{test_header, Writer};
        let bytes = Writer::create(Vec::new(), &test_header(), Vec::new(), Encoding::NATIVE).unwrap().into_inner();
        let err = SaFile::from_bytes(bytes, OpenOptions::default()).err().unwrap();
        assert!(matches!(err, Error::NoActivity));
        let (msg, code) = err.sysstat_report("f");
        assert_eq!(code, 4);
        assert!(msg.starts_with("Invalid system activity file: f\n"), "{msg}");
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn seek_returns_to_a_record() {
        let p = conformance("data");
        let mut f = SaFile::open(&p).unwrap();
        f.next_record().unwrap();
        let pos = f.position();
        let second = f.next_record().unwrap().unwrap().offset;
        while f.next_record().unwrap().is_some() {}
        assert!(f.seek(pos));
        assert_eq!(f.next_record().unwrap().unwrap().offset, second);
    }

    #[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
    #[test]
    fn truncated_file_reports_unexpected_end() {
        let p = conformance("data-trunc");
        let mut f = SaFile::open(&p).unwrap();
        let err = loop {
            match f.next_record() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("truncated file ended cleanly"),
                Err(e) => break e,
            }
        };
        assert!(matches!(err, Error::Truncated { .. }), "{err:?}");
    }
}
