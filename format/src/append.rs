//! May an existing file be appended to, and where do its whole records end?
//!
//! These are sadc's "strict writing" rules (spec section 12.2): records are
//! only appended to a file whose header and activity layouts are exactly
//! those the writer would produce, and the file's activity list then
//! prevails over the one asked for. A file cut short by a crash is appended
//! to after its last whole record; bytes past that point are trimmed by the
//! writer only when they are a partial record or zeros.

use std::io;
use std::path::Path;

use crate::header::{FILE_ACTIVITY_LAYOUT, FILE_HEADER_LAYOUT, NR2_MAX};
use crate::magic::{FILE_MAGIC_SIZE, FORMAT_MAGIC};
use crate::record::RECORD_HEADER_LAYOUT;
use crate::remap::Layout;
use crate::{ActivityId, ActivitySpec, Compat, Encoding, Error, FileInfo, OpenOptions, RecordKind, SaFile};

/// What the rules ask of an existing file.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppendRules {
    /// The layouts the writer produces.
    pub compat: Compat,
    /// Layouts also accepted, and then kept, when the file is not in
    /// `compat`'s (a file an earlier choice of layouts created).
    pub also: Option<Compat>,
    /// The (years since 1900, month 0-11) a daily `saDD` file must be from;
    /// one from another month is stale and is started again.
    pub month: Option<(i32, u8)>,
}

/// What the end of an existing file says about the machine that wrote it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tail {
    /// Uptime of the last statistics record, if any.
    pub last_uptime_cs: Option<u64>,
    /// Time of the last record of any kind.
    pub last_time: Option<u64>,
    /// Records in the file.
    pub records: u64,
}

/// A file that may be appended to.
#[derive(Debug, Clone)]
pub struct Appendable {
    /// The file's activity list, in the layouts it stores: what records must use.
    pub specs: Vec<ActivitySpec>,
    pub enc: Encoding,
    /// Offset after the last whole record: the file is cut back to it.
    pub whole_len: u64,
    /// Local date in the header: (years since 1900, month 0-11, day).
    pub date: (i32, u8, u8),
    pub tail: Tail,
}

/// Why a file may not be appended to.
#[derive(Debug)]
pub enum Refusal {
    /// Holds no record (a creation cut short) or is a stale month: start it again.
    Recreate,
    /// Not a file of the current format.
    Invalid(Error),
    /// A valid file in layouts the writer does not produce.
    Layout(String),
    /// Damaged in the middle: never replaced, even when forced.
    Damaged(String),
    Io(io::Error),
}

/// Check the file at `path` (`size` bytes, not empty) against `rules` and
/// find where its whole records end.
pub fn inspect(path: &Path, size: u64, rules: &AppendRules) -> Result<Appendable, Refusal> {
    let mut f = match SaFile::open_with(path, OpenOptions::default()) {
        Ok(f) => f,
        Err(Error::Truncated { .. }) => return Err(Refusal::Recreate),
        Err(Error::NotSysstat { len, .. }) if size < FILE_MAGIC_SIZE as u64 && len == size as usize => {
            return Err(Refusal::Recreate)
        }
        Err(Error::Io(e)) => return Err(Refusal::Io(e)),
        Err(e) => return Err(Refusal::Invalid(e)),
    };
    let h = &f.info.header;
    let date = (h.sa_year, h.sa_month, h.sa_day);
    if rules.month.is_some_and(|m| m != (h.sa_year, h.sa_month)) {
        return Err(Refusal::Recreate);
    }
    let specs = appendable_specs(&f.info, rules.compat, rules.also)?;
    let enc = f.info.enc;
    let (whole_len, tail, failure) = whole_records(&mut f);
    drop(f);
    if let Some(why) = failure {
        // A crash may leave zeros past the end (space allocated, data never
        // written); anything else is damage that must not be cut away.
        if !zeros_from(path, whole_len).map_err(Refusal::Io)? {
            return Err(Refusal::Damaged(format!("{why}; data follows it, so the file is left as it is")));
        }
    }
    Ok(Appendable { specs, enc, whole_len, date, tail })
}

/// The activity list to append in, if the file's header and activity list
/// are exactly those written for `compat` (or for `also`, when the file is
/// entirely in that one's layouts).
pub fn appendable_specs(info: &FileInfo, compat: Compat, also: Option<Compat>) -> Result<Vec<ActivitySpec>, Refusal> {
    let h = &info.header;
    let refuse = |why: String| Err(Refusal::Layout(why));
    if info.magic.format_magic != FORMAT_MAGIC
        || info.magic.header_size != FILE_HEADER_LAYOUT.size
        || info.magic.hdr_types_nr != FILE_HEADER_LAYOUT.types_nr
        || Layout::new(h.act_types_nr, h.act_size) != FILE_ACTIVITY_LAYOUT
        || Layout::new(h.rec_types_nr, h.rec_size) != RECORD_HEADER_LAYOUT
        || h.extra_next != 0
    {
        return refuse("its header is not in the layout this recorder writes".into());
    }
    if info.activities.is_empty() {
        return refuse("it lists no activity".into());
    }
    let stored_as = |c: Compat| {
        info.activities.iter().all(|fa| {
            let layout = Layout::new(fa.types_nr, fa.size as u32);
            ActivityId(fa.id).info().is_some_and(|ai| fa.magic == ai.magic && Some(layout) == c.layout(ai.id))
        })
    };
    let compat = match also {
        Some(other) if !stored_as(compat) && stored_as(other) => other,
        _ => compat,
    };
    let mut specs = Vec::with_capacity(info.activities.len());
    for fa in &info.activities {
        let Some(ai) = ActivityId(fa.id).info() else {
            return refuse(format!("it lists activity {}, unknown to this recorder", fa.id));
        };
        let layout = Layout::new(fa.types_nr, fa.size as u32);
        if fa.magic != ai.magic || Some(layout) != compat.layout(ai.id) {
            return refuse(format!(
                "{} is stored as {:?}/{} (magic {:#x}); this recorder writes {}",
                ai.name,
                fa.types_nr,
                fa.size,
                fa.magic,
                match compat.layout(ai.id) {
                    Some(l) => format!("{:?}/{} (magic {:#x})", l.types_nr, l.size, ai.magic),
                    None => format!("no {} for sysstat {}", ai.name, compat.version()),
                }
            ));
        }
        if fa.nr <= 0 || fa.nr2 <= 0 || fa.nr > ai.nr_max || fa.nr2 > NR2_MAX || fa.has_nr != (ai.nr_max > 1) {
            return refuse(format!("{} has item counts this recorder does not write", ai.name));
        }
        specs.push(ActivitySpec { info: ai, nr: fa.nr as u32, nr2: fa.nr2 as u32, layout });
    }
    Ok(specs)
}

/// Walk `f` to its end: the offset after its last whole record, what the
/// records say, and why the walk stopped early if it did (a partial last
/// record is no reason: it is what a crash leaves).
pub fn whole_records(f: &mut SaFile) -> (u64, Tail, Option<String>) {
    let mut end = f.info.data_offset;
    let mut tail = Tail::default();
    let failure = loop {
        match f.next_record() {
            Ok(None) | Err(Error::Truncated { .. }) => break None,
            Ok(Some(r)) => {
                // sadc never writes extra structures: a record with them is not ours.
                if r.header.extra_next != 0 {
                    break Some(format!("record at offset {} carries extra structures", r.offset));
                }
                if let RecordKind::Stats(_) = r.kind {
                    tail.last_uptime_cs = Some(r.header.uptime_cs);
                }
                end = r.end();
                tail.last_time = Some(r.header.ust_time);
                tail.records += 1;
            }
            Err(e) => break Some(e.to_string()),
        }
    };
    (end, tail, failure)
}

fn zeros_from(path: &Path, from: u64) -> io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(true);
        }
        if buf[..n].iter().any(|&b| b != 0) {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RecordHeader, Sample, SampleBody, Writer};

    fn file(specs: Vec<ActivitySpec>) -> Vec<u8> {
        let hdr = crate::writer::test_header();
        let mut w = Writer::create(Vec::new(), &hdr, specs, Encoding::NATIVE).unwrap();
        let header = RecordHeader {
            uptime_cs: 100,
            ust_time: 1_700_000_000,
            extra_next: 0,
            record_type: 2,
            hour: 0,
            minute: 0,
            second: 0,
        };
        w.write_sample(&Sample { header, body: SampleBody::Restart { cpu_nr: 2 } }).unwrap();
        w.into_inner()
    }

    fn specs() -> Vec<ActivitySpec> {
        vec![ActivitySpec::current(ActivityId::A_CPU, 2, 1).unwrap()]
    }

    #[test]
    fn our_own_file_may_be_appended_to_after_its_last_record() {
        let bytes = file(specs());
        let mut f = SaFile::from_bytes(bytes.clone(), OpenOptions::default()).unwrap();
        let got = appendable_specs(&f.info, Compat::Current, None).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].nr, 2);
        let (end, tail, failure) = whole_records(&mut f);
        assert_eq!((end, tail.records, failure), (bytes.len() as u64, 1, None));
        assert_eq!(tail.last_uptime_cs, None);
    }

    #[test]
    fn a_partial_last_record_ends_the_whole_ones_where_it_starts() {
        let whole = file(specs());
        let mut f = SaFile::from_bytes(whole.clone(), OpenOptions::default()).unwrap();
        let start = f.info.data_offset;
        for cut in start..whole.len() as u64 {
            let mut f = SaFile::from_bytes(whole[..cut as usize].to_vec(), OpenOptions::default()).unwrap();
            assert_eq!(whole_records(&mut f), (start, Tail::default(), None), "cut at {cut}");
        }
        let r = f.next_record().unwrap().unwrap();
        assert_eq!((r.offset, r.end()), (start, whole.len() as u64));
    }

    #[test]
    fn other_layouts_are_refused_unless_also_accepted() {
        let old = Compat::parse("12.6").unwrap();
        let bytes = file(old.apply(vec![ActivitySpec::current(ActivityId::A_MEMORY, 1, 1).unwrap()]));
        let f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
        let Err(Refusal::Layout(why)) = appendable_specs(&f.info, Compat::Current, None) else { panic!() };
        assert!(why.starts_with("A_MEMORY is stored as [17, 0, 0]/136"), "{why}");
        assert_eq!(appendable_specs(&f.info, Compat::Current, Some(old)).unwrap()[0].layout.size, 136);
    }
}
