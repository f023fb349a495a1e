//! Writing an archive from a plain data file (`spec/archive.md`, "Writing").
//!
//! The plain file is walked with [`SaFile`], so the archive cuts records
//! exactly where every reader of the file does. A file whose header cannot
//! be walked (an old format, a damaged header) is stored whole, in one frame.

use std::io::{self, Write};
use std::path::Path;

use super::columns::{self, push_fields};
use super::read::{BlockRef, FrameRef};
use super::{crc32, ARCHIVE_MAGIC, ARCHIVE_VERSION, BLOCK_REF_LEN, MAX_BLOCK_PLAIN, MAX_FRAME, MAX_ROWS, ZSTD_LEVEL};
use crate::header::FileActivity;
use crate::reader::{FileInfo, OpenOptions, RecordKind, SaFile};

/// What writing an archive did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub plain_len: u64,
    pub archive_len: u64,
    pub blocks: u32,
    /// Records stored as columns.
    pub regular_records: u64,
    /// Records kept verbatim (restarts, comments, irregular ones).
    pub other_records: u64,
}

/// Archive the data file at `plain` onto `out`. Plain files are mapped,
/// not read into memory.
pub fn write_archive(plain: &Path, out: &mut impl Write) -> io::Result<Summary> {
    match SaFile::open_with(plain, OpenOptions { mmap: true, ..Default::default() }) {
        Ok(f) if f.whole_bytes().is_some() => build(f, out, MAX_ROWS),
        _ => whole(&std::fs::read(plain)?, out),
    }
}

/// Archive a data file held in memory.
pub fn write_archive_bytes(plain: &[u8], out: &mut impl Write) -> io::Result<Summary> {
    write_with_rows(plain, out, MAX_ROWS)
}

/// [`write_archive_bytes`] with blocks of at most `max_rows` regular records.
pub(crate) fn write_with_rows(plain: &[u8], out: &mut impl Write, max_rows: usize) -> io::Result<Summary> {
    match SaFile::from_bytes(plain.to_vec(), OpenOptions::default()) {
        Ok(f) if f.whole_bytes().is_some() => build(f, out, max_rows),
        _ => whole(plain, out),
    }
}

/// A writer that counts what it wrote, for the offsets in the index.
struct Counted<'w, W: Write> {
    out: &'w mut W,
    pos: u64,
}

impl<W: Write> Counted<'_, W> {
    fn put(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }

    fn preamble(&mut self) -> io::Result<()> {
        self.put(&ARCHIVE_MAGIC)?;
        self.put(&ARCHIVE_VERSION.to_le_bytes())?;
        self.put(&0u32.to_le_bytes())
    }

    /// The index and footer, which end the archive.
    fn finish(mut self, whole: bool, plain_len: u64, prefix: FrameRef, blocks: &[BlockRef]) -> io::Result<u64> {
        let mut ix = Vec::with_capacity(64 + blocks.len() * BLOCK_REF_LEN);
        ix.extend(plain_len.to_le_bytes());
        ix.push(u8::from(whole));
        ix.extend(prefix.offset.to_le_bytes());
        ix.extend(prefix.clen.to_le_bytes());
        ix.extend(prefix.rawlen.to_le_bytes());
        ix.extend(prefix.crc.to_le_bytes());
        ix.extend((blocks.len() as u32).to_le_bytes());
        for b in blocks {
            ix.extend(b.offset.to_le_bytes());
            ix.extend(b.len.to_le_bytes());
            ix.extend(b.table_len.to_le_bytes());
            ix.extend(b.plain_start.to_le_bytes());
            ix.extend(b.plain_len.to_le_bytes());
            ix.extend(b.first_time.to_le_bytes());
            ix.extend(b.last_time.to_le_bytes());
            ix.extend(b.records.to_le_bytes());
            ix.extend(b.crc.to_le_bytes());
        }
        let at = self.pos;
        self.put(&ix)?;
        self.put(&at.to_le_bytes())?;
        self.put(&(ix.len() as u64).to_le_bytes())?;
        self.put(&crc32(&ix).to_le_bytes())?;
        self.put(&ARCHIVE_VERSION.to_le_bytes())?;
        self.put(&ARCHIVE_MAGIC)?;
        self.out.flush()?;
        Ok(self.pos)
    }
}

fn zstd_frame(z: &mut zstd::bulk::Compressor<'_>, data: &[u8]) -> io::Result<Vec<u8>> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    z.compress(data)
}

/// A file stored whole: the prefix frame is the file, there are no blocks.
fn whole(bytes: &[u8], out: &mut impl Write) -> io::Result<Summary> {
    if bytes.len() as u64 > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a file sarkit cannot walk is archived whole, up to 1 GiB",
        ));
    }
    let mut z = zstd::bulk::Compressor::new(ZSTD_LEVEL)?;
    let mut w = Counted { out, pos: 0 };
    w.preamble()?;
    let c = zstd_frame(&mut z, bytes)?;
    let prefix = FrameRef { offset: w.pos, clen: c.len() as u64, rawlen: bytes.len() as u64, crc: crc32(&c) };
    w.put(&c)?;
    let archive_len = w.finish(true, bytes.len() as u64, prefix, &[])?;
    Ok(Summary { plain_len: bytes.len() as u64, archive_len, ..Default::default() })
}

fn build(mut f: SaFile, out: &mut impl Write, max_rows: usize) -> io::Result<Summary> {
    let total = f.whole_bytes().map_or(0, |b| b.len() as u64);
    let data_offset = f.info.data_offset;
    if data_offset > total {
        // Header extras said to run past the end: nothing to cut.
        let bytes = f.whole_bytes().unwrap_or_default().to_vec();
        return whole(&bytes, out);
    }
    let info = f.info.clone();
    let mut z = zstd::bulk::Compressor::new(ZSTD_LEVEL)?;
    let mut w = Counted { out, pos: 0 };
    w.preamble()?;
    let c = zstd_frame(&mut z, f.whole_bytes().and_then(|b| b.get(..data_offset as usize)).unwrap_or_default())?;
    let prefix = FrameRef { offset: w.pos, clen: c.len() as u64, rawlen: data_offset, crc: crc32(&c) };
    w.put(&c)?;

    let mut summary = Summary { plain_len: total, ..Default::default() };
    let mut blocks = Vec::new();
    let mut blk = BlockBuilder::new(&info, data_offset);
    let mut pos = data_offset;
    loop {
        let next = match f.next_record() {
            Ok(Some(r)) => Some((r.offset, r.end(), r.header, matches!(r.kind, RecordKind::Stats(_)))),
            _ => None,
        };
        let bytes = f.whole_bytes().unwrap_or_default();
        let Some((offset, end, hdr, stats)) = next.filter(|n| n.1 <= total) else {
            // The end, or what no reader gets past: kept as it is.
            if let Some(tail) = bytes.get(pos as usize..).filter(|t| !t.is_empty()) {
                blk.raw(tail, None);
            }
            break;
        };
        if offset > pos {
            blk.raw(bytes.get(pos as usize..offset as usize).unwrap_or_default(), None);
        }
        let rec = bytes.get(offset as usize..end as usize).unwrap_or_default();
        match stats.then(|| regular_counts(&info, rec, hdr.extra_next)).flatten() {
            Some(nrs) => {
                if blk.nrs.as_ref().is_some_and(|b| *b != nrs) {
                    blocks.push(blk.flush(&mut z, &mut w)?);
                }
                blk.row(nrs, rec, hdr.ust_time);
                summary.regular_records += 1;
            }
            None => {
                blk.raw(rec, Some(hdr.ust_time));
                summary.other_records += 1;
            }
        }
        pos = end;
        if blk.rows >= max_rows || blk.plain_len() >= MAX_BLOCK_PLAIN as u64 {
            blocks.push(blk.flush(&mut z, &mut w)?);
        }
    }
    if !blk.is_empty() {
        blocks.push(blk.flush(&mut z, &mut w)?);
    }
    summary.blocks = blocks.len() as u32;
    summary.archive_len = w.finish(false, total, prefix, &blocks)?;
    Ok(summary)
}

/// The item counts of a statistics record, when it is regular: no extra
/// structures and nothing but its activities' items, as the list says.
fn regular_counts(info: &FileInfo, rec: &[u8], extra_next: u32) -> Option<Vec<u32>> {
    if extra_next != 0 {
        return None;
    }
    let order = info.magic.order;
    let mut off = u64::from(info.header.rec_size);
    let mut nrs = Vec::with_capacity(info.activities.len());
    for fa in &info.activities {
        let nr = if fa.has_nr {
            let at = usize::try_from(off).ok()?;
            order.u32(crate::endian::fixed(rec.get(at..at.checked_add(4)?)?))
        } else {
            fa.nr as u32
        };
        off = off.checked_add(segment_len(fa, nr))?;
        nrs.push(nr);
    }
    (off == rec.len() as u64).then_some(nrs)
}

/// Bytes of `fa`'s part of a record with `nr` items: the count, if the
/// record has one, and the items.
pub(super) fn segment_len(fa: &FileActivity, nr: u32) -> u64 {
    u64::from(fa.has_nr) * 4 + u64::from(nr) * fa.nr2.max(0) as u64 * fa.size.max(0) as u64
}

/// The field widths of `fa`'s part of a record with `nr` items.
pub(super) fn segment_fields(fa: &FileActivity, nr: u32) -> Vec<u8> {
    let mut f = Vec::new();
    if fa.has_nr {
        f.push(4);
    }
    let mut item = Vec::new();
    push_fields(&mut item, fa.types_nr, fa.size.max(0) as u32);
    for _ in 0..u64::from(nr) * fa.nr2.max(0) as u64 {
        f.extend_from_slice(&item);
    }
    f
}

/// The shape of `fa`'s segment when its first item sums the others: the
/// per-CPU activities (CPU, interrupts, softnet), whose item 0 is "all".
pub(super) fn per_cpu(fa: &FileActivity, nr: u32) -> Option<columns::PerCpu> {
    crate::ActivityId(fa.id).info().filter(|i| i.per_cpu)?;
    Some(columns::PerCpu {
        skip: if fa.has_nr { 4 } else { 0 },
        nr: nr as usize,
        nr2: fa.nr2.max(0) as usize,
        size: fa.size.max(0) as usize,
        types_nr: fa.types_nr,
    })
}

/// The field widths of a record header.
pub(super) fn header_fields(info: &FileInfo) -> Vec<u8> {
    let mut f = Vec::new();
    push_fields(&mut f, info.header.rec_types_nr, info.header.rec_size);
    f
}

/// One block being filled.
struct BlockBuilder<'i> {
    info: &'i FileInfo,
    /// (0, bytes) for raw data, (1, rows) for a run of regular records.
    entries: Vec<(u8, u64)>,
    raw: Vec<u8>,
    /// The item counts every row of this block has.
    nrs: Option<Vec<u32>>,
    seg_lens: Vec<usize>,
    rows: usize,
    headers: Vec<u8>,
    segs: Vec<Vec<u8>>,
    plain_start: u64,
    times: Option<(u64, u64)>,
    records: u32,
}

impl<'i> BlockBuilder<'i> {
    fn new(info: &'i FileInfo, plain_start: u64) -> Self {
        BlockBuilder {
            info,
            entries: Vec::new(),
            raw: Vec::new(),
            nrs: None,
            seg_lens: Vec::new(),
            rows: 0,
            headers: Vec::new(),
            segs: Vec::new(),
            plain_start,
            times: None,
            records: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn plain_len(&self) -> u64 {
        (self.raw.len() + self.headers.len() + self.segs.iter().map(Vec::len).sum::<usize>()) as u64
    }

    fn saw(&mut self, t: u64) {
        self.records += 1;
        self.times = Some(self.times.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
    }

    fn raw(&mut self, bytes: &[u8], time: Option<u64>) {
        if let Some(t) = time {
            self.saw(t);
        }
        self.raw.extend_from_slice(bytes);
        match self.entries.last_mut() {
            Some((0, n)) => *n += bytes.len() as u64,
            _ => self.entries.push((0, bytes.len() as u64)),
        }
    }

    fn row(&mut self, nrs: Vec<u32>, rec: &[u8], time: u64) {
        if self.nrs.is_none() {
            self.seg_lens = self.info.activities.iter().zip(&nrs).map(|(fa, &n)| segment_len(fa, n) as usize).collect();
            self.segs = vec![Vec::new(); nrs.len()];
            self.nrs = Some(nrs);
        }
        self.saw(time);
        let hs = self.info.header.rec_size as usize;
        self.headers.extend_from_slice(&rec[..hs]);
        let mut off = hs;
        for (seg, &len) in self.segs.iter_mut().zip(&self.seg_lens) {
            seg.extend_from_slice(&rec[off..off + len]);
            off += len;
        }
        self.rows += 1;
        match self.entries.last_mut() {
            Some((1, n)) => *n += 1,
            _ => self.entries.push((1, 1)),
        }
    }

    /// Write the block and start the next one where it ends.
    fn flush<W: Write>(&mut self, z: &mut zstd::bulk::Compressor<'_>, w: &mut Counted<'_, W>) -> io::Result<BlockRef> {
        if self.raw.len() as u64 > MAX_FRAME {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "more than 1 GiB of irregular records in a row"));
        }
        let order = self.info.magic.order;
        let mut frames = vec![zstd_frame(z, &self.raw)?];
        let mut rawlens = vec![self.raw.len()];
        let nrs = self.nrs.clone().unwrap_or_default();
        if self.rows > 0 {
            let mut enc = Vec::new();
            columns::encode(&self.headers, &header_fields(self.info), order, &mut enc);
            rawlens.push(enc.len());
            frames.push(zstd_frame(z, &enc)?);
            for ((fa, seg), &nr) in self.info.activities.iter().zip(&self.segs).zip(&nrs) {
                enc.clear();
                let residuals;
                let seg = match per_cpu(fa, nr) {
                    Some(shape) => {
                        let mut t = seg.clone();
                        shape.residuals(&mut t, order, true);
                        residuals = t;
                        &residuals
                    }
                    None => seg,
                };
                columns::encode(seg, &segment_fields(fa, nr), order, &mut enc);
                rawlens.push(enc.len());
                frames.push(zstd_frame(z, &enc)?);
            }
        }
        let mut t = Vec::new();
        t.extend((self.rows as u32).to_le_bytes());
        t.extend((self.entries.len() as u32).to_le_bytes());
        for &(kind, n) in &self.entries {
            t.push(kind);
            t.extend(n.to_le_bytes());
        }
        t.extend((nrs.len() as u32).to_le_bytes());
        for n in &nrs {
            t.extend(n.to_le_bytes());
        }
        t.extend((frames.len() as u32).to_le_bytes());
        for (c, &raw) in frames.iter().zip(&rawlens) {
            t.extend((c.len() as u32).to_le_bytes());
            t.extend((raw as u32).to_le_bytes());
            t.extend(crc32(c).to_le_bytes());
        }
        let offset = w.pos;
        w.put(&t)?;
        for c in &frames {
            w.put(c)?;
        }
        let plain_len = self.plain_len();
        let (first_time, last_time) = self.times.unwrap_or_default();
        let r = BlockRef {
            offset,
            len: (w.pos - offset) as u32,
            table_len: t.len() as u32,
            plain_start: self.plain_start,
            plain_len,
            first_time,
            last_time,
            records: self.records,
            crc: crc32(&t),
        };
        *self = BlockBuilder::new(self.info, self.plain_start + plain_len);
        Ok(r)
    }
}
