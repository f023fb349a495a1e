//! Round-trip properties of the writer and reader.
//!
//! A random *model* (header, a shuffled subset of activities with their item
//! counts, and a few statistics, restart and comment records whose typed
//! values come from random bytes) is written with [`Writer`] and read back
//! with [`SaFile`]:
//!
//! * in each of the four encodings (little/big endian, 32/64-bit `long`), in
//!   the current layouts, reading gives back exactly the samples written;
//! * in an older *prefix* layout of every activity (fewer fields in each
//!   group, as older 0x2175 releases wrote), reading gives the same values
//!   with the dropped fields zero;
//! * any mutation of a valid file (bit flips, overwritten words,
//!   truncation) reads to `Ok` or `Err`, never a panic.
//!
//! `f64` fields may hold NaN, which is not equal to itself: samples are first
//! compared with `==`, and where that fails because of NaN, compared by their
//! encoded bytes (bit for bit).

use std::io::Cursor;

use proptest::prelude::*;
use proptest::sample::subsequence;
use sarkit_format::header::{FILE_ACTIVITY_LAYOUT, FILE_HEADER_LAYOUT};
use sarkit_format::magic::FILE_MAGIC_SIZE;
use sarkit_format::record::{MAX_COMMENT_LEN, RECORD_HEADER_LAYOUT};
use sarkit_format::remap::{Item, Layout};
use sarkit_format::stats::*;
use sarkit_format::{
    ActivityData, ActivityId, ActivityInfo, ActivitySpec, AnyStats, ByteOrder, Encoding, HeaderInfo, OpenOptions,
    RecordHeader, SaFile, Sample, SampleBody, Version, Writer, ACTIVITIES,
};

// The walk the fuzz targets run (every block of every record decoded).
#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod harness;
use harness::{walk, End};

const ENCODINGS: [Encoding; 4] = [
    Encoding { order: ByteOrder::Little, long64: true },
    Encoding { order: ByteOrder::Little, long64: false },
    Encoding { order: ByteOrder::Big, long64: true },
    Encoding { order: ByteOrder::Big, long64: false },
];

macro_rules! by_type {
    ($($v:ident($t:ty)),* $(,)?) => {
        /// Decode `n` consecutive structures of activity `id`, stored in its
        /// current layout in `enc`.
        fn decode_many(id: ActivityId, bytes: &[u8], n: usize, enc: Encoding) -> AnyStats {
            $(if id == <$t as Stats>::ID {
                let sz = <$t as Stats>::LAYOUT.size as usize;
                assert_eq!(bytes.len(), n * sz);
                return AnyStats::$v(
                    bytes
                        .chunks_exact(sz)
                        .map(|b| <$t as Stats>::decode(&Item::new(b, <$t as Stats>::LAYOUT.types_nr, enc)))
                        .collect(),
                );
            })*
            unreachable!("unknown activity {id:?}")
        }

        /// Every activity has a typed structure in this list (and in `AnyStats`).
        #[test]
        fn every_activity_has_a_structure() {
            let ids: Vec<ActivityId> = vec![$(<$t as Stats>::ID),*];
            assert_eq!(ids.len(), ACTIVITIES.len());
            for a in ACTIVITIES.iter() {
                assert!(ids.contains(&a.id), "{:?}", a.id);
                assert_eq!(AnyStats::empty(a.id).map(|s| s.id()), Some(a.id));
            }
        }
    };
}

sarkit_format::for_each_stats!(by_type);

// ---------------------------------------------------------------------------
// The model

/// One activity of the file.
#[derive(Debug, Clone)]
struct ActModel {
    info: &'static ActivityInfo,
    /// `file_activity.nr`.
    nr: u32,
    nr2: u32,
    /// How many trailing fields of each group an older layout lacks.
    drop: [u32; 3],
}

impl ActModel {
    fn has_nr(&self) -> bool {
        self.info.nr_max > 1
    }

    /// The older prefix layout: `drop` fields fewer per group, size reduced to match.
    fn old_layout(&self) -> Layout {
        let cur = self.info.layout;
        let t = cur.types_nr;
        let d = self.drop;
        let size = cur.size - d[0] * 8 - d[1] * 8 - d[2] * 4;
        Layout::new([t[0] - d[0], t[1] - d[1], t[2] - d[2]], size)
    }
}

#[derive(Debug, Clone)]
enum BodyModel {
    /// Per activity of the file, in file order: item count and the raw bytes
    /// of `count * nr2` structures in the current layout.
    Stats(Vec<(u32, Vec<u8>)>),
    Restart(u32),
    Comment([u8; MAX_COMMENT_LEN]),
}

#[derive(Debug, Clone)]
struct Model {
    header: HeaderInfo,
    acts: Vec<ActModel>,
    records: Vec<(RecordHeader, BodyModel)>,
}

fn header_strategy() -> impl Strategy<Value = HeaderInfo> {
    (
        (any::<[u8; 4]>(), any::<u64>(), any::<u64>(), any::<u32>(), any::<i32>(), any::<u8>(), any::<u8>()),
        ("[ -~]{0,64}", "[ -~]{0,64}", "[ -~]{0,64}", "[ -~]{0,64}", "[ -~]{0,7}"),
    )
        .prop_map(|((v, ust, hz, cpu, year, day, month), (sys, node, rel, mach, tz))| HeaderInfo {
            version: Version { version: v[0], patchlevel: v[1], sublevel: v[2], extraversion: v[3] },
            sa_ust_time: ust,
            sa_hz: hz,
            sa_cpu_nr: cpu,
            sa_year: year,
            sa_day: day,
            sa_month: month,
            sysname: sys,
            nodename: node,
            release: rel,
            machine: mach,
            tzname: tz,
        })
}

fn act_strategy(info: &'static ActivityInfo) -> impl Strategy<Value = ActModel> {
    let t = info.layout.types_nr;
    let nr = if info.nr_max > 1 { (1u32..=4).boxed() } else { Just(1u32).boxed() };
    let nr2 = if info.matrix { (1u32..=3).boxed() } else { Just(1u32).boxed() };
    (nr, nr2, 0..=t[0], 0..=t[1], 0..=t[2])
        .prop_map(move |(nr, nr2, d0, d1, d2)| ActModel { info, nr, nr2, drop: [d0, d1, d2] })
        // A structure has at least one byte (sysstat refuses size 0).
        .prop_filter("empty layout", |a| a.old_layout().size > 0)
}

fn record_header_strategy() -> impl Strategy<Value = RecordHeader> {
    (any::<u64>(), 1_000_000_000u64.., 0u8..24, 0u8..60, 0u8..=60).prop_map(|(up, t, h, m, s)| RecordHeader {
        uptime_cs: up,
        ust_time: t,
        extra_next: 0,
        record_type: 0,
        hour: h,
        minute: m,
        second: s,
    })
}

fn body_strategy(acts: Vec<ActModel>) -> BoxedStrategy<BodyModel> {
    let blocks: Vec<BoxedStrategy<(u32, Vec<u8>)>> = acts
        .iter()
        .map(|a| {
            let per_item = (a.nr2 * a.info.layout.size) as usize;
            let count = if a.has_nr() { (0u32..=3).boxed() } else { Just(a.nr).boxed() };
            count.prop_flat_map(move |c| (Just(c), prop::collection::vec(any::<u8>(), c as usize * per_item))).boxed()
        })
        .collect();
    prop_oneof![
        6 => blocks.prop_map(BodyModel::Stats),
        1 => (1u32..=8193).prop_map(BodyModel::Restart),
        1 => any::<[u8; MAX_COMMENT_LEN]>().prop_map(BodyModel::Comment),
    ]
    .boxed()
}

fn model_strategy(max_acts: usize, max_records: usize) -> impl Strategy<Value = Model> {
    let all: Vec<&'static ActivityInfo> = ACTIVITIES.iter().collect();
    // At least one activity: sysstat refuses a file listing none (exit 4).
    (header_strategy(), subsequence(all, 1..=max_acts).prop_shuffle())
        .prop_flat_map(|(h, infos)| {
            let acts: Vec<_> = infos.into_iter().map(act_strategy).collect();
            (Just(h), acts)
        })
        .prop_flat_map(move |(h, acts)| {
            let rec = (record_header_strategy(), body_strategy(acts.clone()));
            (Just(h), Just(acts), prop::collection::vec(rec, 0..=max_records))
        })
        .prop_map(|(header, acts, records)| Model { header, acts, records })
}

// ---------------------------------------------------------------------------
// Materialising a model in an encoding

fn record_type(b: &SampleBody) -> u8 {
    match b {
        SampleBody::Stats(_) => 1,
        SampleBody::Restart { .. } => 2,
        SampleBody::Comment(_) => 4,
    }
}

/// What a reader must give back: the header as `enc` stores it.
fn header_in(m: &Model, enc: Encoding) -> HeaderInfo {
    let mut h = m.header.clone();
    if !enc.long64 {
        h.sa_hz &= 0xffff_ffff;
    }
    h
}

/// The typed samples of the model, as `enc` can hold them (`long` fields
/// decoded from the random bytes with `enc`'s long size), with the record
/// type a reader sees.
fn samples_in(m: &Model, enc: Encoding) -> Vec<Sample> {
    m.records
        .iter()
        .map(|(h, body)| {
            let body = match body {
                BodyModel::Stats(blocks) => SampleBody::Stats(
                    m.acts
                        .iter()
                        .zip(blocks)
                        .map(|(a, (count, bytes))| ActivityData {
                            nr2: a.nr2,
                            stats: decode_many(a.info.id, bytes, (count * a.nr2) as usize, enc),
                        })
                        .collect(),
                ),
                BodyModel::Restart(n) => SampleBody::Restart { cpu_nr: *n },
                BodyModel::Comment(c) => SampleBody::Comment(*c),
            };
            let header = RecordHeader { record_type: record_type(&body), ..*h };
            Sample { header, body }
        })
        .collect()
}

fn specs(m: &Model, old: bool) -> Vec<ActivitySpec> {
    m.acts
        .iter()
        .map(|a| ActivitySpec {
            info: a.info,
            nr: a.nr,
            nr2: a.nr2,
            layout: if old { a.old_layout() } else { a.info.layout },
        })
        .collect()
}

fn write(m: &Model, samples: &[Sample], specs: Vec<ActivitySpec>, enc: Encoding) -> Vec<u8> {
    let mut w = Writer::create(Vec::new(), &header_in(m, enc), specs, enc).unwrap();
    for s in samples {
        w.write_sample(s).unwrap();
    }
    w.into_inner()
}

/// Every record of a file, owned; panics on a read error.
fn read_all(bytes: Vec<u8>) -> (SaFile, Vec<Sample>) {
    let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).expect("open");
    let mut out = Vec::new();
    while let Some(r) = f.next_record().expect("record") {
        out.push(Sample::from_record(r.header, &r.kind));
    }
    (f, out)
}

/// `want` with the fields an older layout lacks set to zero: each item's
/// current-layout bytes with the dropped slots cleared, decoded again.
fn zero_dropped(m: &Model, want: &[Sample], enc: Encoding) -> Vec<Sample> {
    want.iter()
        .map(|s| {
            let SampleBody::Stats(data) = &s.body else { return s.clone() };
            let data = data
                .iter()
                .zip(&m.acts)
                .map(|(d, a)| {
                    let cur = a.info.layout;
                    let mut bytes = Vec::new();
                    d.stats.encode(&mut bytes, cur, enc);
                    let t = cur.types_nr;
                    let keep = a.old_layout().types_nr;
                    for item in bytes.chunks_exact_mut(cur.size as usize) {
                        let mut clear = |from: u32, to: u32, base: u32, w: u32| {
                            item[(base + from * w) as usize..(base + to * w) as usize].fill(0);
                        };
                        clear(keep[0], t[0], 0, 8);
                        clear(keep[1], t[1], t[0] * 8, 8);
                        clear(keep[2], t[2], t[0] * 8 + t[1] * 8, 4);
                    }
                    ActivityData { nr2: d.nr2, stats: decode_many(a.info.id, &bytes, d.stats.len(), enc) }
                })
                .collect();
            Sample { header: s.header, body: SampleBody::Stats(data) }
        })
        .collect()
}

/// `got == want`, or — when NaNs make `==` fail — the same bits: both
/// encoded by a writer of the current layouts, little endian, 64-bit.
fn assert_same_samples(m: &Model, got: &[Sample], want: &[Sample], what: &str) {
    if got == want {
        return;
    }
    let canon = Encoding { order: ByteOrder::Little, long64: true };
    let a = write(m, got, specs(m, false), canon);
    let b = write(m, want, specs(m, false), canon);
    assert_eq!(got.len(), want.len(), "{what}: record count");
    assert!(a == b, "{what}: samples differ\n got: {got:?}\nwant: {want:?}");
}

// ---------------------------------------------------------------------------
// Properties

/// `cases` by default (a few seconds for the suite in debug);
/// `SARKIT_PROPTEST_CASES=N` runs N cases instead, for a deeper search.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("SARKIT_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    // Failures are kept as named tests, not in a persistence file.
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(48))]

    /// Written in the current layouts, in each encoding, a model reads back whole.
    #[test]
    fn current_layouts_round_trip_in_every_encoding(m in model_strategy(8, 5)) {
        for enc in ENCODINGS {
            let want = samples_in(&m, enc);
            let bytes = write(&m, &want, specs(&m, false), enc);
            let (f, got) = read_all(bytes.clone());
            prop_assert_eq!(f.info.enc, enc);
            prop_assert_eq!(f.info.magic.order, enc.order);
            prop_assert_eq!(&HeaderInfo::from_file(&f.info.magic, &f.info.header), &header_in(&m, enc));
            prop_assert_eq!(f.info.header.sa_act_nr as usize, m.acts.len());
            prop_assert_eq!(f.info.data_offset as usize,
                FILE_MAGIC_SIZE + FILE_HEADER_LAYOUT.size as usize + m.acts.len() * FILE_ACTIVITY_LAYOUT.size as usize);
            prop_assert_eq!(f.info.header.rec_size, RECORD_HEADER_LAYOUT.size);
            for (fa, a) in f.info.activities.iter().zip(&m.acts) {
                prop_assert_eq!(fa.id, a.info.id.0);
                prop_assert_eq!(fa.magic, a.info.magic);
                prop_assert_eq!((fa.nr as u32, fa.nr2 as u32), (a.nr, a.nr2));
                prop_assert_eq!(fa.has_nr, a.has_nr());
                prop_assert_eq!(fa.layout(), a.info.layout);
            }
            assert_same_samples(&m, &got, &want, &format!("{enc:?}"));
            // Writing what was read gives the same bytes (this also checks NaN payloads).
            prop_assert!(write(&m, &got, specs(&m, false), enc) == bytes, "{:?}: rewrite differs", enc);
        }
    }

    /// In each encoding and in older layouts, a file's archive
    /// (spec/archive.md) restores it byte for byte and reads to the same
    /// samples; so do the file cut short and its records repeated.
    #[test]
    fn archives_restore_and_read_the_same_in_every_encoding(m in model_strategy(8, 6), cut in any::<prop::sample::Index>()) {
        use sarkit_format::archive::{restore, write_archive_bytes, Archive};
        for (enc, old) in ENCODINGS.iter().flat_map(|&e| [(e, false), (e, true)]) {
            let want = samples_in(&m, enc);
            let plain = write(&m, &want, specs(&m, old), enc);
            let start = SaFile::from_bytes(plain.clone(), OpenOptions::default()).unwrap().info.data_offset as usize;
            let mut longer = plain.clone();
            longer.extend_from_slice(&plain[start..]);
            for bytes in [plain.clone(), longer, plain[..cut.index(plain.len() + 1)].to_vec()] {
                let mut ar = Vec::new();
                write_archive_bytes(&bytes, &mut ar).unwrap();
                let mut back = Vec::new();
                restore(&Archive::from_vec(ar.clone()).unwrap(), &mut back).unwrap();
                prop_assert!(back == bytes, "{:?} (old layouts {}): restore differs", enc, old);
                prop_assert_eq!(walk(SaFile::from_bytes(ar.clone(), OpenOptions::default())),
                    walk(SaFile::from_bytes(bytes.clone(), OpenOptions::default())));
                if bytes.len() == plain.len() {
                    let (_, got) = read_all(ar);
                    let (_, direct) = read_all(bytes);
                    assert_same_samples(&m, &got, &direct, &format!("{enc:?} archive"));
                }
            }
        }
    }

    /// Written in older prefix layouts (every format version of the 0x2175
    /// family), a model reads back with the fields the layout lacks zero.
    #[test]
    fn older_prefix_layouts_read_with_dropped_fields_zero(m in model_strategy(8, 4)) {
        for enc in ENCODINGS {
            let full = samples_in(&m, enc);
            let bytes = write(&m, &full, specs(&m, true), enc);
            let (f, got) = read_all(bytes);
            for (fa, a) in f.info.activities.iter().zip(&m.acts) {
                prop_assert_eq!(fa.layout(), a.old_layout());
            }
            let want = zero_dropped(&m, &full, enc);
            assert_same_samples(&m, &got, &want, &format!("old layouts, {enc:?}"));
        }
    }

    /// The big- and little-endian files of a model differ only in byte
    /// order: each 64-bit file reads to the same samples as the other.
    #[test]
    fn byte_orders_agree(m in model_strategy(6, 3)) {
        let le = Encoding { order: ByteOrder::Little, long64: true };
        let be = Encoding { order: ByteOrder::Big, long64: true };
        let want = samples_in(&m, le);
        let (_, a) = read_all(write(&m, &want, specs(&m, false), le));
        let (_, b) = read_all(write(&m, &want, specs(&m, false), be));
        assert_same_samples(&m, &a, &b, "LE vs BE");
    }
}

// ---------------------------------------------------------------------------
// Robustness: mutated files never panic

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(usize, u8),
    SetByte(usize, u8),
    /// Overwrite 4 bytes with an interesting 32-bit value (counts, sizes).
    SetWord(usize, u32),
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let word = prop_oneof![
        Just(0u32),
        Just(1),
        Just(0x7fff_ffff),
        Just(0x8000_0000),
        Just(0xffff_ffff),
        Just(0x0100_0000),
        Just(4096),
        Just(4097),
        Just(65536 * 4096),
        Just(65536 * 4096 + 1),
        any::<u32>(),
    ];
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, v)| Mutation::SetByte(i, v)),
        (any::<usize>(), word).prop_map(|(i, v)| Mutation::SetWord(i, v)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, muts: &[Mutation], cut: Option<usize>) {
    let n = bytes.len();
    if n == 0 {
        return;
    }
    for m in muts {
        match *m {
            // Aim half of the mutations at the prologue, where the sizes live.
            Mutation::FlipBit(i, b) => bytes[pick(i, n)] ^= 1 << b,
            Mutation::SetByte(i, v) => bytes[pick(i, n)] = v,
            Mutation::SetWord(i, v) => {
                let at = pick(i, n.saturating_sub(3).max(1));
                let w = if i & 1 == 0 { v.to_le_bytes() } else { v.to_be_bytes() };
                for (k, b) in w.iter().enumerate() {
                    if let Some(x) = bytes.get_mut(at + k) {
                        *x = *b;
                    }
                }
            }
        }
    }
    if let Some(c) = cut {
        bytes.truncate(c % (n + 1));
    }
}

fn pick(i: usize, n: usize) -> usize {
    let prologue = 800.min(n);
    if (i >> 1) & 1 == 0 {
        (i >> 2) % prologue
    } else {
        (i >> 2) % n
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Bit flips, overwritten words and truncations of a valid file make the
    /// reader return `Ok` or `Err`, from memory or from a stream, alike.
    #[test]
    fn mutated_files_never_panic(
        m in model_strategy(6, 4),
        big in any::<bool>(),
        long64 in any::<bool>(),
        muts in prop::collection::vec(mutation_strategy(), 0..6),
        cut in prop::option::weighted(0.3, any::<usize>()),
    ) {
        let enc = Encoding { order: if big { ByteOrder::Big } else { ByteOrder::Little }, long64 };
        let mut bytes = write(&m, &samples_in(&m, enc), specs(&m, false), enc);
        mutate(&mut bytes, &muts, cut);
        let whole = walk(SaFile::from_bytes(bytes.clone(), OpenOptions::default()));
        let streamed = walk(SaFile::from_reader(Box::new(Cursor::new(bytes.clone())), OpenOptions::default()));
        // Both inputs see the same bytes, so they end the same way.
        match (&whole, &streamed) {
            (End::Records(a), End::Records(b)) => prop_assert_eq!(a, b),
            (End::Error(a, _), End::Error(b, _)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "memory {:?} vs stream {:?}", whole, streamed),
        }
        let _ = walk(SaFile::from_bytes(bytes, OpenOptions { header_only: true, ..OpenOptions::default() }));
    }
}

/// A deterministic check that the smallest model (no activity, no record)
/// is a valid file in every encoding.
#[test]
fn a_file_without_records_round_trips() {
    let m = Model {
        header: HeaderInfo {
            sa_cpu_nr: 1,
            sa_year: 124,
            sa_day: 1,
            ..HeaderInfo::unknown(Version::new(12, 7, 9), 100)
        },
        acts: vec![],
        records: vec![],
    };
    let cpu = vec![ActivitySpec::current(ActivityId::A_CPU, 1, 1).unwrap()];
    for enc in ENCODINGS {
        let (f, got) = read_all(write(&m, &[], cpu.clone(), enc));
        assert!(got.is_empty());
        assert_eq!(f.info.enc, enc);
    }
}
