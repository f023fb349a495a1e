//! What each fuzz target runs, one function per target.
//!
//! `format/tests/fuzz_regressions.rs` includes this file too, so every
//! crashing input kept under `testdata/fuzz-regressions/` is replayed by
//! `cargo test` through exactly the code the fuzzer ran. Only
//! `sarkit-format` and `zstd` (a dependency of it) are used here.

use std::io::Cursor;

use sarkit_format::header::FILE_HEADER_LAYOUT;
use sarkit_format::legacy;
use sarkit_format::record::RECORD_HEADER_LAYOUT;
use sarkit_format::remap::{map_size, Item, ItemWriter, Layout};
use sarkit_format::stats::{Stats, StatsDisk, StatsFilesystem, StatsNetDev, StatsPwrBat, StatsQueue};
use sarkit_format::{
    AnyStats, ByteOrder, Encoding, FileHeader, FileMagic, OpenOptions, RecordHeader, RecordKind, SaFile, Sample,
    ZSTD_MAGIC,
};

/// How a walk ended: records read, or the kind of error that stopped it.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    Records(usize),
    Error(sarkit_format::SysstatKind, usize),
}

/// Open and walk a file, decoding every block of every statistics record.
pub fn walk(f: sarkit_format::Result<SaFile>) -> End {
    let mut f = match f {
        Ok(f) => f,
        Err(e) => return End::Error(e.kind(), 0),
    };
    let mut n = 0;
    loop {
        match f.next_record() {
            Ok(Some(r)) => {
                if let RecordKind::Stats(s) = &r.kind {
                    for b in s.blocks() {
                        let st = AnyStats::from_block(&b).expect("a readable block decodes");
                        assert_eq!(st.len(), b.len());
                    }
                }
                let _ = Sample::from_record(r.header, &r.kind);
                n += 1;
            }
            Ok(None) => return End::Records(n),
            Err(e) => return End::Error(e.kind(), n),
        }
    }
}

/// `whole_file`: a data file from memory, then the same bytes as a stream;
/// both must end the same way. Then once more as `sadf -H` opens files.
pub fn whole_file(data: &[u8]) {
    let mem = walk(SaFile::from_bytes(data.to_vec(), OpenOptions::default()));
    let stream = walk(SaFile::from_reader(Box::new(Cursor::new(data.to_vec())), OpenOptions::default()));
    // A zstd magic makes from_bytes decode a stream too; both paths agree anyway.
    assert_eq!(mem, stream, "memory and stream readers disagree");
    walk(SaFile::from_bytes(data.to_vec(), OpenOptions { header_only: true, ..OpenOptions::default() }));
    // From a file, read in chunks and mapped: the same again.
    let path =
        std::env::temp_dir().join(format!("sarkit-fuzz-{}-{:?}", std::process::id(), std::thread::current().id()));
    if std::fs::write(&path, data).is_ok() {
        for mmap in [false, true] {
            let file = walk(SaFile::open_with(&path, OpenOptions { mmap, ..OpenOptions::default() }));
            assert_eq!(mem, file, "memory and file (mmap: {mmap}) readers disagree");
        }
        let _ = std::fs::remove_file(&path);
    }
}

/// `legacy_convert`: an old-format (0x2171, 0x2173) file converted as
/// `sadf -c` does, then read. Like sysstat's, the converter checks item
/// counts against `NR_MAX` only, so a converted file may list more items
/// than an activity allows and be refused as invalid when opened; it
/// must not be refused for any other reason.
pub fn legacy_convert(data: &[u8]) {
    let _ = legacy::convert_bytes(data.to_vec(), legacy::DEFAULT_HZ);
    if let Ok(out) = legacy::convert_for_reading(data.to_vec(), legacy::DEFAULT_HZ) {
        let f = SaFile::from_bytes(out, OpenOptions::default());
        if let Err(e) = &f {
            let kind = e.kind();
            assert_eq!(kind, sarkit_format::SysstatKind::InvalidFile, "a converted file does not open: {e}");
        }
        walk(f);
    }
}

/// `zstd_input`: the input compressed, then the input behind a zstd magic
/// (a corrupt frame), both through the reader. A compressed file reads as
/// its plain bytes do, unless those are themselves a container: an archive
/// is recognised only as a file of its own, never inside a zstd stream.
pub fn zstd_input(data: &[u8]) {
    let z = zstd::encode_all(data, 1).expect("compress");
    let plain = walk(SaFile::from_bytes(data.to_vec(), OpenOptions::default()));
    let packed = walk(SaFile::from_bytes(z.clone(), OpenOptions::default()));
    if !data.starts_with(&ZSTD_MAGIC) && !sarkit_format::archive::is_archive(data) {
        assert_eq!(plain, packed, "compressed and plain bytes read differently");
    }
    walk(SaFile::from_reader(Box::new(Cursor::new(z)), OpenOptions::default()));
    let mut raw = ZSTD_MAGIC.to_vec();
    raw.extend_from_slice(data);
    walk(SaFile::from_bytes(raw, OpenOptions::default()));
}

/// `archive_input`: the input as a plain file, archived: the archive
/// restores it byte for byte and reads as it does. Then the input as an
/// archive itself, its checksums made right so that the parsing behind
/// them is reached: any damage is an error, never a panic.
pub fn archive_input(data: &[u8]) {
    use sarkit_format::archive::{self, Archive};
    if !archive::is_archive(data) {
        let mut ar = Vec::new();
        archive::write_archive_bytes(data, &mut ar).expect("archive in memory");
        let mut back = Vec::new();
        archive::restore(&Archive::from_vec(ar.clone()).expect("open"), &mut back).expect("restore");
        assert!(back == data, "the archive restores other bytes");
        let plain = walk(SaFile::from_bytes(data.to_vec(), OpenOptions::default()));
        assert_eq!(walk(SaFile::from_bytes(ar, OpenOptions::default())), plain, "archive and plain read differently");
        return;
    }
    let mut ar = data.to_vec();
    archive::reseal(&mut ar);
    walk(SaFile::from_bytes(ar.clone(), OpenOptions::default()));
    if let Ok(a) = Archive::from_vec(ar) {
        let _ = archive::restore(&a, &mut std::io::sink());
    }
}

/// `file_magic`: parse; a parsed magic re-encodes to itself.
pub fn file_magic(data: &[u8]) {
    if let Ok(m) = FileMagic::parse(data) {
        let _ = m.require_current();
        assert_eq!(FileMagic::parse(&m.encode()).expect("re-parse"), m);
    }
}

/// A layout and encoding from the first bytes of the input, and the rest.
///
/// Byte 0: bit 0 big endian, bit 1 32-bit long, bit 2 full-width fields.
/// Then three type counts and a size: one byte each and two bytes for the
/// size, or (bit 2) four bytes each.
pub fn layout_prefix(data: &[u8]) -> Option<(Layout, Encoding, &[u8])> {
    let (&flags, rest) = data.split_first()?;
    let order = if flags & 1 != 0 { ByteOrder::Big } else { ByteOrder::Little };
    let enc = Encoding { order, long64: flags & 2 == 0 };
    if flags & 4 != 0 {
        let w = |i: usize| rest.get(4 * i..4 * i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let l = Layout::new([w(0)?, w(1)?, w(2)?], w(3)?);
        Some((l, enc, &rest[16..]))
    } else {
        let b = rest.get(..5)?;
        let l = Layout::new([b[0].into(), b[1].into(), b[2].into()], u32::from(u16::from_le_bytes([b[3], b[4]])));
        Some((l, enc, &rest[5..]))
    }
}

/// `file_header`: decode a header of an arbitrary layout, check it, and
/// check that one re-encoded in the current layout decodes to itself.
pub fn file_header(data: &[u8]) {
    let Some((layout, enc, bytes)) = layout_prefix(data) else { return };
    let _ = FILE_HEADER_LAYOUT.accepts(layout);
    let h = FileHeader::decode(bytes, layout, enc.order);
    let _ = h.validate(0);
    let mut out = Vec::new();
    h.encode(&mut out, h.encoding(enc.order));
    assert_eq!(out.len(), FILE_HEADER_LAYOUT.size as usize);
    assert_eq!(FileHeader::decode(&out, FILE_HEADER_LAYOUT, enc.order), h);
}

/// `record_header`: the same for record headers.
pub fn record_header(data: &[u8]) {
    let Some((layout, enc, bytes)) = layout_prefix(data) else { return };
    let _ = RECORD_HEADER_LAYOUT.accepts(layout);
    let h = RecordHeader::decode(bytes, layout, enc);
    let _ = h.validate(0);
    let mut out = Vec::new();
    h.encode(&mut out, enc);
    assert_eq!(RecordHeader::decode(&out, RECORD_HEADER_LAYOUT, enc), h);
}

/// Decode `T` from `bytes` in layout `l`, write it back in `l`, decode again:
/// the same value (every field `l` has survives, the others stay zero).
fn item_round_trip<T: Stats>(bytes: &[u8], l: Layout, enc: Encoding) {
    let s = T::decode(&Item::new(bytes, l.types_nr, enc));
    let mut out = Vec::new();
    s.encode(&mut ItemWriter::new(&mut out, l, enc));
    assert_eq!(out.len(), l.size as usize);
    assert_eq!(T::decode(&Item::new(&out, l.types_nr, enc)), s, "{l:?}");
}

/// `remap_item`: reads of arbitrary fields through arbitrary layouts, the
/// remap check both ways, and decode/encode/decode of a few structures.
pub fn remap_item(data: &[u8]) {
    let Some((file, enc, rest)) = layout_prefix(data) else { return };
    let Some((ours, _, rest)) = layout_prefix(rest) else { return };
    let _ = ours.accepts(file);
    let _ = file.accepts(ours);
    let _ = map_size(file.types_nr);
    let it = Item::new(rest, file.types_nr, enc);
    for i in 0..=file.types_nr[0].min(64) + 1 {
        let _ = it.ull(i);
    }
    for i in 0..=file.types_nr[1].min(64) + 1 {
        let _ = it.ul(i);
    }
    for i in 0..=file.types_nr[2].min(64) + 1 {
        let _ = it.u(i);
    }
    for off in [0usize, 1, 7, 128, usize::MAX / 2, usize::MAX] {
        let _ = it.tail::<3>(off);
        let _ = it.tail::<16>(off);
    }
    // The writer's buffer is `size` bytes: keep the input to that length so
    // both decodes see the same bytes. Sizes are kept small to bound memory.
    if map_size(file.types_nr) <= u64::from(file.size) && file.size <= 1 << 16 {
        let bytes = &rest[..rest.len().min(file.size as usize)];
        item_round_trip::<StatsDisk>(bytes, file, enc);
        item_round_trip::<StatsNetDev>(bytes, file, enc);
        item_round_trip::<StatsQueue>(bytes, file, enc);
        item_round_trip::<StatsFilesystem>(bytes, file, enc);
        item_round_trip::<StatsPwrBat>(bytes, file, enc);
    }
}
