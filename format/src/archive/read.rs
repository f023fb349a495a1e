//! Reading an archive: its index, one block at a time, and the whole file
//! back (`spec/archive.md`, "Reading").
//!
//! Every length and offset read from the archive is checked before it is
//! used, against the archive's size and the plain spans the index gives;
//! a mismatch is [`Error::Archive`] naming the block and its time span.

use std::cell::{OnceCell, RefCell};
use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

use super::columns;
use super::write::{header_fields, per_cpu, segment_fields, segment_len};
use super::{crc32, Damage, Le, ARCHIVE_MAGIC, ARCHIVE_VERSION, BLOCK_REF_LEN, FOOTER_LEN, MAX_FRAME, PREAMBLE_LEN};
use crate::error::{Error, Result};
use crate::reader::{FileInfo, OpenOptions, SaFile};

/// Where a frame is, how long it is compressed and decompressed, its CRC-32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRef {
    pub offset: u64,
    pub clen: u64,
    pub rawlen: u64,
    pub crc: u32,
}

/// One block's entry in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRef {
    /// Offset and length of the block in the archive.
    pub offset: u64,
    pub len: u32,
    /// Length of the block's table, which starts it; `crc` covers it.
    pub table_len: u32,
    /// The span of the plain file the block restores.
    pub plain_start: u64,
    pub plain_len: u64,
    /// `ust_time` of its first and last record.
    pub first_time: u64,
    pub last_time: u64,
    /// Records (of any kind) that start in the block.
    pub records: u32,
    pub crc: u32,
}

/// The archive's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The plain file is the prefix frame alone (a file sarkit cannot walk).
    pub whole: bool,
    pub plain_len: u64,
    pub prefix: FrameRef,
    pub blocks: Vec<BlockRef>,
}

/// Where an archive's bytes are; blocks keep it to read their activity
/// frames when they are asked for.
enum Src {
    File(File),
    Bytes(Vec<u8>),
}

impl Src {
    /// Bytes `[offset, offset + len)`.
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>> {
        let short = || damage(offset, format!("the archive ends before {len} bytes at this offset"));
        match self {
            Src::Bytes(b) => {
                let start = usize::try_from(offset).map_err(|_| short())?;
                let end = start.checked_add(usize::try_from(len).map_err(|_| short())?).ok_or_else(short)?;
                b.get(start..end).map(<[u8]>::to_vec).ok_or_else(short)
            }
            Src::File(f) => {
                let end = offset.checked_add(len).ok_or_else(short)?;
                if end > f.metadata()?.len() {
                    return Err(short());
                }
                let mut v = vec![0u8; usize::try_from(len).map_err(|_| short())?];
                f.read_exact_at(&mut v, offset).map_err(|e| match e.kind() {
                    io::ErrorKind::UnexpectedEof => short(),
                    _ => Error::Io(e),
                })?;
                Ok(v)
            }
        }
    }
}

/// An open archive: where its bytes are, and its checked index.
pub struct Archive {
    src: Arc<Src>,
    pub index: Index,
}

fn damage(offset: u64, what: impl Into<String>) -> Error {
    Error::Archive(Box::new(Damage { block: None, first_time: 0, last_time: 0, offset, what: what.into() }))
}

fn block_damage(no: usize, r: &BlockRef, offset: u64, what: impl Into<String>) -> Error {
    Error::Archive(Box::new(Damage {
        block: Some(no as u32),
        first_time: r.first_time,
        last_time: r.last_time,
        offset,
        what: what.into(),
    }))
}

impl Archive {
    pub fn open(path: &Path) -> Result<Archive> {
        Self::from_file(File::open(path)?)
    }

    pub fn from_file(file: File) -> Result<Archive> {
        let len = file.metadata()?.len();
        Self::parse(Src::File(file), len)
    }

    pub fn from_vec(bytes: Vec<u8>) -> Result<Archive> {
        let len = bytes.len() as u64;
        Self::parse(Src::Bytes(bytes), len)
    }

    /// Bytes `[offset, offset + len)` of the archive.
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>> {
        self.src.read_at(offset, len)
    }

    fn parse(src: Src, len: u64) -> Result<Archive> {
        let mut ar = Archive {
            src: Arc::new(src),
            index: Index {
                whole: true,
                plain_len: 0,
                prefix: FrameRef { offset: 0, clen: 0, rawlen: 0, crc: 0 },
                blocks: Vec::new(),
            },
        };
        if len < PREAMBLE_LEN + FOOTER_LEN {
            return Err(damage(0, format!("{len} bytes are too few for an archive (truncated?)")));
        }
        let pre = ar.read_at(0, PREAMBLE_LEN)?;
        let mut p = Le::new(&pre);
        if p.take(8) != Some(&ARCHIVE_MAGIC[..]) {
            return Err(damage(0, "not a sarkit archive"));
        }
        let version = p.u32().unwrap_or(0);
        if version != ARCHIVE_VERSION {
            return Err(damage(8, format!("archive version {version}, this release reads {ARCHIVE_VERSION}")));
        }
        let foot_at = len - FOOTER_LEN;
        let foot = ar.read_at(foot_at, FOOTER_LEN)?;
        let mut f = Le::new(&foot);
        let (ix_at, ix_len, ix_crc, _version) =
            (f.u64().unwrap_or(0), f.u64().unwrap_or(0), f.u32().unwrap_or(0), f.u32().unwrap_or(0));
        if f.take(8) != Some(&ARCHIVE_MAGIC[..]) {
            return Err(damage(foot_at, "no footer at the end of the archive (truncated?)"));
        }
        if ix_at < PREAMBLE_LEN || ix_at.checked_add(ix_len) != Some(foot_at) {
            return Err(damage(foot_at, format!("the footer places the index at {ix_at}, {ix_len} bytes")));
        }
        let ix = ar.read_at(ix_at, ix_len)?;
        if crc32(&ix) != ix_crc {
            return Err(damage(ix_at, "the index fails its checksum"));
        }
        ar.index = parse_index(&ix, ix_at)?;
        Ok(ar)
    }

    /// The plain file's bytes before its first record (all of them when
    /// [`Index::whole`]).
    pub fn prefix(&self) -> Result<Vec<u8>> {
        let p = self.index.prefix;
        let c = self.read_at(p.offset, p.clen)?;
        inflate(&c, p.rawlen, p.crc).map_err(|what| damage(p.offset, format!("the file header frame {what}")))
    }

    /// Read and check block `no`: its table, raw data and record headers.
    pub(crate) fn load_block(&self, no: usize, info: &FileInfo) -> Result<LoadedBlock> {
        let Some(r) = self.index.blocks.get(no).copied() else {
            return Err(damage(0, format!("no block {no}")));
        };
        let bad = |at: u64, what: String| block_damage(no, &r, r.offset + at, what);
        let table = &self.read_at(r.offset, r.table_len.into())?;
        if crc32(table) != r.crc {
            return Err(bad(0, "the block table fails its checksum".into()));
        }
        let mut t = Le::new(table);
        let short = || bad(0, "the block table is cut short".into());
        let rows = t.u32().ok_or_else(short)? as usize;
        let n_entries = t.u32().ok_or_else(short)? as usize;
        if n_entries > table.len() / 9 {
            return Err(bad(4, format!("{n_entries} entries")));
        }
        let mut entries = Vec::with_capacity(n_entries);
        let (mut raw_total, mut row_total) = (0u64, 0u64);
        for _ in 0..n_entries {
            let (kind, n) = (t.u8().ok_or_else(short)?, t.u64().ok_or_else(short)?);
            match kind {
                0 => raw_total = raw_total.checked_add(n).ok_or_else(short)?,
                1 => row_total = row_total.checked_add(n).ok_or_else(short)?,
                k => return Err(bad(t.at as u64, format!("entry kind {k}"))),
            }
            entries.push((kind, n));
        }
        if row_total != rows as u64 {
            return Err(bad(0, format!("{rows} rows, entries holding {row_total}")));
        }
        let n_nrs = t.u32().ok_or_else(short)? as usize;
        let want_nrs = if rows > 0 { info.activities.len() } else { 0 };
        if n_nrs != want_nrs {
            return Err(bad(t.at as u64, format!("{n_nrs} item counts for {want_nrs} activities")));
        }
        let nrs: Vec<u32> = (0..n_nrs).map(|_| t.u32()).collect::<Option<_>>().ok_or_else(short)?;
        let n_frames = t.u32().ok_or_else(short)? as usize;
        if n_frames != if rows > 0 { 2 + n_nrs } else { 1 } {
            return Err(bad(t.at as u64, format!("{n_frames} frames")));
        }
        let mut frames = Vec::with_capacity(n_frames);
        let mut at = u64::from(r.table_len);
        for _ in 0..n_frames {
            let (clen, rawlen, crc) =
                (t.u32().ok_or_else(short)?, t.u32().ok_or_else(short)?, t.u32().ok_or_else(short)?);
            frames.push(FrameRef { offset: at, clen: clen.into(), rawlen: rawlen.into(), crc });
            at += u64::from(clen);
        }
        if !t.at_end() || at != u64::from(r.len) {
            return Err(bad(0, format!("frames end at {at} in a block of {}", r.len)));
        }
        let mut row_len = u64::from(info.header.rec_size);
        for (fa, &nr) in info.activities.iter().zip(&nrs) {
            row_len = row_len.saturating_add(segment_len(fa, nr));
        }
        let rows_len = row_len.saturating_mul(rows as u64);
        if rows_len.checked_add(raw_total) != Some(r.plain_len) || rows_len > MAX_FRAME {
            return Err(bad(
                0,
                format!("{rows} rows of {row_len} bytes and {raw_total} raw bytes for {}", r.plain_len),
            ));
        }
        // The raw and header frames now, the activities' when asked for.
        let first = &self.read_at(r.offset + frames[0].offset, frames.iter().take(2).map(|f| f.clen).sum())?;
        let frame = |i: usize| -> Result<Vec<u8>> {
            let f = frames[i];
            let start = (f.offset - frames[0].offset) as usize;
            let c = first.get(start..start + f.clen as usize).unwrap_or_default();
            inflate(c, f.rawlen, f.crc).map_err(|what| bad(f.offset, format!("frame {i} {what}")))
        };
        let raw = frame(0)?;
        if raw.len() as u64 != raw_total {
            return Err(bad(frames[0].offset, format!("{} raw bytes, entries holding {raw_total}", raw.len())));
        }
        let order = info.magic.order;
        let headers = if rows > 0 {
            columns::decode(&frame(1)?, rows, &header_fields(info), order)
                .ok_or_else(|| bad(frames[1].offset, "record header columns do not decode".into()))?
        } else {
            Vec::new()
        };
        let segs = info
            .activities
            .iter()
            .zip(&nrs)
            .enumerate()
            .map(|(i, (fa, &nr))| Seg {
                frame: frames[2 + i],
                nr,
                len: segment_len(fa, nr) as usize,
                skip: if fa.has_nr { 4 } else { 0 },
                fields: segment_fields(fa, nr),
                per_cpu: per_cpu(fa, nr),
                rows: OnceCell::new(),
            })
            .collect();
        Ok(LoadedBlock {
            no,
            r,
            src: Arc::clone(&self.src),
            entries,
            raw,
            rows,
            row_len,
            nrs,
            headers,
            rec_size: info.header.rec_size as usize,
            segs,
            order,
            failure: RefCell::new(None),
        })
    }
}

fn parse_index(ix: &[u8], ix_at: u64) -> Result<Index> {
    let short = || damage(ix_at, "the index is cut short");
    let mut t = Le::new(ix);
    let plain_len = t.u64().ok_or_else(short)?;
    let whole = t.u8().ok_or_else(short)? != 0;
    let prefix = FrameRef {
        offset: t.u64().ok_or_else(short)?,
        clen: t.u64().ok_or_else(short)?,
        rawlen: t.u64().ok_or_else(short)?,
        crc: t.u32().ok_or_else(short)?,
    };
    let n = t.u32().ok_or_else(short)? as usize;
    if n > ix.len() / BLOCK_REF_LEN {
        return Err(damage(ix_at, format!("{n} blocks in an index of {} bytes", ix.len())));
    }
    let mut blocks = Vec::with_capacity(n);
    for _ in 0..n {
        blocks.push(BlockRef {
            offset: t.u64().ok_or_else(short)?,
            len: t.u32().ok_or_else(short)?,
            table_len: t.u32().ok_or_else(short)?,
            plain_start: t.u64().ok_or_else(short)?,
            plain_len: t.u64().ok_or_else(short)?,
            first_time: t.u64().ok_or_else(short)?,
            last_time: t.u64().ok_or_else(short)?,
            records: t.u32().ok_or_else(short)?,
            crc: t.u32().ok_or_else(short)?,
        });
    }
    if !t.at_end() {
        return Err(damage(ix_at, "bytes after the last block of the index"));
    }
    // The frames lie between the preamble and the index, one after another,
    // and the blocks restore the plain file after the prefix, without gaps.
    let mut at = prefix.offset.checked_add(prefix.clen).ok_or_else(short)?;
    let mut plain = prefix.rawlen;
    if prefix.offset != PREAMBLE_LEN || prefix.rawlen > MAX_FRAME || (whole && n > 0) {
        return Err(damage(ix_at, "the index places the file header frame wrongly"));
    }
    for (i, b) in blocks.iter().enumerate() {
        if b.offset != at || b.plain_start != plain || b.table_len > b.len {
            return Err(block_damage(i, b, ix_at, "the index places this block wrongly"));
        }
        at = at.saturating_add(b.len.into());
        plain = plain.saturating_add(b.plain_len);
    }
    if at != ix_at || plain != plain_len {
        return Err(damage(ix_at, format!("the blocks end at {at} and restore {plain} of {plain_len} bytes")));
    }
    Ok(Index { whole, plain_len, prefix, blocks })
}

/// Decompress one frame after checking its CRC; the error says what is wrong.
fn inflate(c: &[u8], rawlen: u64, crc: u32) -> std::result::Result<Vec<u8>, String> {
    if crc32(c) != crc {
        return Err("fails its checksum".into());
    }
    if rawlen == 0 && c.is_empty() {
        return Ok(Vec::new());
    }
    if rawlen > MAX_FRAME {
        return Err(format!("claims {rawlen} bytes"));
    }
    match zstd::bulk::decompress(c, rawlen as usize) {
        Ok(v) if v.len() as u64 == rawlen => Ok(v),
        Ok(v) => Err(format!("holds {} bytes, not {rawlen}", v.len())),
        Err(e) => Err(format!("does not decompress: {e}")),
    }
}

/// One activity's segment in a loaded block, decoded when first asked for.
struct Seg {
    frame: FrameRef,
    nr: u32,
    /// Bytes of the segment in one row, and of its item count before the items.
    len: usize,
    skip: usize,
    fields: Vec<u8>,
    per_cpu: Option<columns::PerCpu>,
    rows: OnceCell<Option<Vec<u8>>>,
}

/// A block read and checked, ready to hand out its records.
pub(crate) struct LoadedBlock {
    pub(crate) no: usize,
    r: BlockRef,
    src: Arc<Src>,
    /// (0, bytes) raw data or (1, rows) a run of regular records.
    pub(crate) entries: Vec<(u8, u64)>,
    pub(crate) raw: Vec<u8>,
    pub(crate) rows: usize,
    pub(crate) row_len: u64,
    /// The item counts of every activity in every row.
    pub(crate) nrs: Vec<u32>,
    headers: Vec<u8>,
    rec_size: usize,
    segs: Vec<Seg>,
    order: crate::endian::ByteOrder,
    /// A segment that failed to decode when a report asked for it: the
    /// report saw no data, and the next record read returns this error.
    failure: RefCell<Option<Error>>,
}

impl std::fmt::Debug for LoadedBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadedBlock {{ no: {}, rows: {} }}", self.no, self.rows)
    }
}

impl LoadedBlock {
    /// The header bytes of row `row`.
    pub(crate) fn header_row(&self, row: usize) -> Option<&[u8]> {
        self.headers.get(row * self.rec_size..(row + 1) * self.rec_size)
    }

    /// Activity `act`'s items in row `row`, decoding its columns on first use.
    pub(crate) fn items(&self, act: usize, row: usize) -> Option<&[u8]> {
        let s = self.segs.get(act)?;
        let rows = s.rows.get_or_init(|| match self.decode(act) {
            Ok(v) => Some(v),
            Err(e) => {
                self.failure.borrow_mut().get_or_insert(e);
                None
            }
        });
        rows.as_ref()?.get(row * s.len + s.skip..(row + 1) * s.len)
    }

    fn decode(&self, act: usize) -> Result<Vec<u8>> {
        let s = &self.segs[act];
        let f = s.frame;
        let bad = |what: String| block_damage(self.no, &self.r, self.r.offset + f.offset, what);
        let c = self.src.read_at(self.r.offset + f.offset, f.clen)?;
        let stream = inflate(&c, f.rawlen, f.crc).map_err(|w| bad(format!("frame {} {w}", act + 2)))?;
        let mut rows = columns::decode(&stream, self.rows, &s.fields, self.order)
            .ok_or_else(|| bad(format!("the columns of activity {} ({} items) do not decode", act, s.nr)))?;
        if let Some(shape) = s.per_cpu {
            shape.residuals(&mut rows, self.order, false);
        }
        Ok(rows)
    }

    /// Damage in this block, found by the reader.
    pub(crate) fn damage(&self, what: &str) -> Error {
        block_damage(self.no, &self.r, self.r.offset, what)
    }

    /// The error a segment met when decoded, once.
    pub(crate) fn take_failure(&self) -> Option<Error> {
        self.failure.borrow_mut().take()
    }

    /// Every byte of row `row`, as the plain file has it.
    fn write_row(&self, row: usize, out: &mut Vec<u8>) -> Result<()> {
        out.extend_from_slice(self.header_row(row).unwrap_or_default());
        for (i, s) in self.segs.iter().enumerate() {
            if s.len == 0 {
                continue;
            }
            self.items(i, 0);
            if let Some(e) = self.take_failure() {
                return Err(e);
            }
            let rows = s.rows.get().and_then(Option::as_ref).map(Vec::as_slice).unwrap_or_default();
            out.extend_from_slice(rows.get(row * s.len..(row + 1) * s.len).unwrap_or_default());
        }
        Ok(())
    }
}

/// What the reader meets next in an archive.
pub(crate) enum Step {
    /// Verbatim plain bytes starting at plain offset `base`.
    Raw {
        bytes: Vec<u8>,
        base: u64,
    },
    /// A run of regular records: rows `next..end` of the loaded block, the
    /// first at plain offset `offset`.
    Rows {
        next: usize,
        end: usize,
        offset: u64,
    },
    End,
}

/// Where a reader is in an archive.
pub(crate) struct Cursor {
    pub(crate) ar: Archive,
    pub(crate) block: Option<LoadedBlock>,
    /// The block to load when the loaded one has no more entries.
    next_block: usize,
    /// The loaded block's next entry, the raw byte and row it starts at,
    /// and its plain offset.
    entry: usize,
    raw_at: usize,
    row_at: usize,
    plain_at: u64,
}

impl Cursor {
    pub(crate) fn new(ar: Archive) -> Cursor {
        Cursor { ar, block: None, next_block: 0, entry: 0, raw_at: 0, row_at: 0, plain_at: 0 }
    }

    fn enter(&mut self, no: usize, info: &FileInfo) -> Result<()> {
        // Past this block even if it is damaged: a reader that goes on
        // after the error reads the blocks after it.
        self.next_block = no + 1;
        if self.block.as_ref().is_none_or(|b| b.no != no) {
            self.block = None;
            self.block = Some(self.ar.load_block(no, info)?);
        }
        self.entry = 0;
        self.raw_at = 0;
        self.row_at = 0;
        self.plain_at = self.ar.index.blocks[no].plain_start;
        Ok(())
    }

    /// The next entry, from this block or the next.
    pub(crate) fn next_entry(&mut self, info: &FileInfo) -> Result<Step> {
        loop {
            if let Some(b) = &self.block {
                if let Some(&(kind, n)) = b.entries.get(self.entry) {
                    self.entry += 1;
                    let at = self.plain_at;
                    if kind == 0 {
                        let bytes = b.raw.get(self.raw_at..self.raw_at + n as usize).unwrap_or_default().to_vec();
                        self.raw_at += n as usize;
                        self.plain_at += n;
                        return Ok(Step::Raw { bytes, base: at });
                    }
                    let next = self.row_at;
                    self.row_at += n as usize;
                    self.plain_at += n * b.row_len;
                    return Ok(Step::Rows { next, end: self.row_at, offset: at });
                }
            }
            if self.next_block >= self.ar.index.blocks.len() {
                self.block = None;
                return Ok(Step::End);
            }
            self.enter(self.next_block, info)?;
        }
    }

    /// Place the cursor at plain offset `pos`, which must start a record
    /// (or be the end); `None` when it cannot.
    pub(crate) fn seek(&mut self, pos: u64, info: &FileInfo) -> Option<Step> {
        let blocks = &self.ar.index.blocks;
        if pos == self.ar.index.plain_len {
            self.block = None;
            self.next_block = blocks.len();
            return Some(Step::End);
        }
        let no = blocks.partition_point(|b| b.plain_start + b.plain_len <= pos);
        if no >= blocks.len() || pos < blocks[no].plain_start {
            return None;
        }
        self.enter(no, info).ok()?;
        let b = self.block.as_ref()?;
        let (mut plain, mut raw_at, mut row_at) = (b.r.plain_start, 0usize, 0usize);
        for (k, &(kind, n)) in b.entries.iter().enumerate() {
            let (raw_n, row_n) = if kind == 0 { (n as usize, 0) } else { (0, n as usize) };
            let len = if kind == 0 { n } else { n * b.row_len };
            if pos < plain + len {
                let step = if kind == 0 {
                    Step::Raw { bytes: b.raw.get(raw_at..raw_at + raw_n)?.to_vec(), base: plain }
                } else {
                    let skip = pos - plain;
                    if !skip.is_multiple_of(b.row_len) {
                        return None;
                    }
                    Step::Rows { next: row_at + (skip / b.row_len) as usize, end: row_at + row_n, offset: pos }
                };
                (self.entry, self.raw_at, self.row_at, self.plain_at) =
                    (k + 1, raw_at + raw_n, row_at + row_n, plain + len);
                return Some(step);
            }
            (plain, raw_at, row_at) = (plain + len, raw_at + raw_n, row_at + row_n);
        }
        None
    }
}

/// Why a restore stopped.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{0}")]
    Archive(#[from] Error),
    #[error("cannot write: {0}")]
    Write(io::Error),
}

/// Write the plain file `ar` holds onto `out`, byte for byte; returns its length.
pub fn restore(ar: &Archive, out: &mut impl Write) -> std::result::Result<u64, RestoreError> {
    let prefix = ar.prefix()?;
    out.write_all(&prefix).map_err(RestoreError::Write)?;
    if ar.index.whole {
        return Ok(prefix.len() as u64);
    }
    let info = SaFile::from_bytes(prefix, OpenOptions::default())
        .map_err(|e| damage(ar.index.prefix.offset, format!("the file header does not read: {e}")))?
        .info;
    if info.data_offset != ar.index.prefix.rawlen {
        return Err(damage(ar.index.prefix.offset, "the file header's length differs from its frame's").into());
    }
    let mut buf = Vec::new();
    for no in 0..ar.index.blocks.len() {
        let b = ar.load_block(no, &info)?;
        let (mut raw_at, mut row) = (0usize, 0usize);
        for &(kind, n) in &b.entries {
            if kind == 0 {
                out.write_all(b.raw.get(raw_at..raw_at + n as usize).unwrap_or_default())
                    .map_err(RestoreError::Write)?;
                raw_at += n as usize;
                continue;
            }
            for _ in 0..n {
                buf.clear();
                b.write_row(row, &mut buf)?;
                out.write_all(&buf).map_err(RestoreError::Write)?;
                row += 1;
            }
        }
    }
    Ok(ar.index.plain_len)
}
