use proptest::prelude::*;

use super::*;
use crate::reader::{OpenOptions, SaFile};
use crate::writer::AnyStats;

fn conformance(name: &str) -> Vec<u8> {
    std::fs::read(sarkit_testkit::corpus_data(name)).unwrap()
}

/// sysstat's test suite ships the files its converter made (with a build
/// numbered 99.9.9, hence another `upgraded`): ours must match byte for byte.
#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn corpus_conversions_match_sysstats_own() {
    for (old, conv, hz) in [
        ("data-9.1.6", "data-9.1.6.conv", 100),
        ("data-9.1.6", "data-9.1.6-hz", 250),
        ("data-11.6.5", "data-11.6.5.conv", 100),
    ] {
        let o = conformance(old);
        let theirs = conformance(conv);
        let ours = convert_bytes(o, hz).unwrap();
        assert_eq!(ours.len(), theirs.len(), "{conv}");
        assert_eq!(ours[..12], theirs[..12], "{conv}");
        assert_eq!(ours[12..16], 0x70au32.to_le_bytes(), "{conv}");
        assert_eq!(ours[16..], theirs[16..], "{conv}");
    }
}

#[test]
fn upgraded_names_the_converter_release() {
    assert_eq!(upgraded_value(CONVERTER_VERSION), 0x70a);
    assert_eq!(upgraded_value(Version::new(99, 9, 9)), 0x90a);
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn every_truncation_of_an_old_file_fails_cleanly() {
    for name in ["data-9.1.6", "data-11.6.5"] {
        let full = conformance(name);
        let records_at = if name == "data-9.1.6" { 928 } else { 1084 };
        for len in (0..full.len()).step_by(7) {
            let r = LegacyFile::parse(full[..len].to_vec(), 100).and_then(|mut f| {
                while f.next_sample()?.is_some() {}
                Ok(())
            });
            match r {
                Ok(()) => assert!(len >= records_at, "{name} cut at {len} converted"),
                Err(LegacyError::Truncated { .. }) | Err(LegacyError::Format(_)) => {}
                Err(e) => panic!("{name} cut at {len}: {e:?}"),
            }
        }
    }
}

#[cfg_attr(not(sarkit_corpus), ignore = "needs ../shared/conformance")]
#[test]
fn a_cut_file_reads_up_to_the_cut_then_ends_unexpectedly() {
    let full = conformance("data-11.6.5");
    let bytes = convert_for_reading(full[..30000].to_vec(), 100).unwrap();
    let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
    let mut n = 0;
    let e = loop {
        match f.next_record() {
            Ok(Some(_)) => n += 1,
            Ok(None) => panic!("no error at the cut"),
            Err(e) => break e,
        }
    };
    assert!(n >= 2, "{n}");
    assert!(matches!(e, Error::Truncated { .. }), "{e:?}");
}

// ---- Synthetic old files, in every byte order and long size ----

struct Old {
    enc: Encoding,
    format: u16,
    out: Vec<u8>,
}

impl Old {
    fn new(format: u16, enc: Encoding) -> Old {
        Old { enc, format, out: Vec::new() }
    }
    fn u8(&mut self, v: u8) -> &mut Self {
        self.out.push(v);
        self
    }
    fn u32(&mut self, v: u32) -> &mut Self {
        let b = self.enc.order.u32_bytes(v);
        self.out.extend_from_slice(&b);
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        let b = self.enc.order.u64_bytes(v);
        self.out.extend_from_slice(&b);
        self
    }
    /// A `long` in an 8-byte slot.
    fn ul(&mut self, v: u64) -> &mut Self {
        let b = self.enc.ul_bytes(v);
        self.out.extend_from_slice(&b);
        self
    }
    fn pad(&mut self, n: usize) -> &mut Self {
        self.out.resize(self.out.len() + n, 0);
        self
    }
    fn chars(&mut self, s: &str, n: usize) -> &mut Self {
        let start = self.out.len();
        self.out.extend_from_slice(s.as_bytes());
        self.out.resize(start + n, 0);
        self
    }

    fn prologue(&mut self, acts: &[OldActivity], vol: u32) {
        let o = self.enc.order;
        self.out.extend_from_slice(&o.u16_bytes(crate::magic::SYSSTAT_MAGIC));
        self.out.extend_from_slice(&o.u16_bytes(self.format));
        let long = if self.enc.long64 { 8 } else { 4 };
        if self.format == FORMAT_MAGIC_2171 {
            self.out.extend_from_slice(&[9, 1, 6, 0]);
            self.ul(1_600_000_000).u32(acts.len() as u32).u8(21).u8(0).u8(117).u8(long);
            for s in ["Linux", "oldhost", "2.6.32", "x86_64"] {
                self.chars(s, 65);
            }
            self.pad(4);
        } else {
            self.out.extend_from_slice(&[11, 6, 5, 0]);
            self.u32(288).pad(64);
            self.ul(1_600_000_000).u32(3).u32(acts.len() as u32).u32(vol).u8(21).u8(0).u8(117).u8(long);
            for s in ["Linux", "oldhost", "4.17", "x86_64"] {
                self.chars(s, 65);
            }
            self.pad(4);
        }
        for a in acts {
            self.u32(a.id).u32(a.magic).u32(a.nr as u32).u32(a.nr2 as u32).u32(a.size as u32);
        }
    }

    fn record(&mut self, t: u64, kind: u8) {
        self.u64(999).pad(8).u64(12_345 * 4).pad(8).ul(t).u8(kind).u8(10).u8(20).u8((t % 60) as u8).pad(4);
    }
}

fn act(id: ActivityId, magic: u32, nr: i32, size: i32) -> OldActivity {
    OldActivity { id: id.0, magic, nr, nr2: 1, size }
}

/// The stats record of [`synthetic`] for `seed`, as the converter must see it.
fn stats_record(b: &mut Old, seed: u64, cpus: usize) {
    // A_CPU 0x8a, 144 bytes: nine u64 in 16-byte slots.
    for c in 0..cpus {
        for f in 0..9 {
            b.u64(seed + 10 * c as u64 + f).pad(8);
        }
    }
    // A_MEMORY 0x8a, 64 bytes: eight longs.
    for f in 0..8 {
        b.ul(seed * 2 + f);
    }
    // A_IRQ 0x8a: three u64 in 16-byte slots (sum, irq 0, irq 1).
    for i in 0..3 {
        b.u64(seed + i).pad(8);
    }
    // A_QUEUE 0x8b, 32 bytes.
    b.ul(seed % 7).ul(seed % 3).u32(101).u32(102).u32(103).u32(seed as u32);
    // A_SERIAL 0x8a: lines 1 and 2 used, then an empty slot.
    for line in [1u32, 2, 0] {
        b.u32(seed as u32).u32(5).u32(0).u32(0).u32(0).u32(0).u32(line);
    }
    // A_NET_DEV 0x8a, 72 bytes: eth0 then an empty slot.
    for name in ["eth0", ""] {
        for f in 0..7 {
            b.ul(seed * 3 + f);
        }
        b.chars(name, 16);
    }
    // A_PAGE, current magic, 64 bytes: copied, the two newer longs zero.
    for f in 0..8 {
        b.ul(seed + f);
    }
}

fn synthetic(format: u16, enc: Encoding, seed: u64) -> Vec<u8> {
    let mut b = Old::new(format, enc);
    let acts = [
        act(ActivityId::A_CPU, 0x8a, 3, 144),
        act(ActivityId::A_MEMORY, 0x8a, 1, 64),
        act(ActivityId::A_IRQ, 0x8a, 3, 16),
        act(ActivityId::A_QUEUE, 0x8b, 1, 32),
        act(ActivityId::A_SERIAL, 0x8a, 3, 28),
        act(ActivityId::A_NET_DEV, 0x8a, 2, 72),
        act(ActivityId::A_PAGE, 0x8a, 1, 64),
    ];
    b.prologue(&acts, 2);
    b.record(1_600_000_000, 2);
    if format == FORMAT_MAGIC_2173 {
        // Volatile list: A_CPU shrinks to two slots, then an unused entry.
        b.u32(1).u32(0x8a).u32(2).u32(1).u32(144);
        b.pad(20);
    }
    let cpus = if format == FORMAT_MAGIC_2173 { 2 } else { 3 };
    b.record(1_600_000_060, 1);
    stats_record(&mut b, seed, cpus);
    b.record(1_600_000_090, 4);
    b.chars("a comment", 64);
    b.out
}

fn samples(bytes: Vec<u8>) -> (SaFile, Vec<Sample>) {
    let mut f = SaFile::from_bytes(bytes, OpenOptions::default()).unwrap();
    let mut v = Vec::new();
    while let Some(r) = f.next_record().unwrap() {
        v.push(Sample::from_record(r.header, &r.kind));
    }
    (f, v)
}

fn check_synthetic(format: u16, enc: Encoding, seed: u64) {
    let bytes = convert_bytes(synthetic(format, enc, seed), 250).unwrap();
    let (f, s) = samples(bytes);
    assert_eq!(f.info.enc, enc);
    assert_eq!(f.info.magic.upgraded, 0x70a);
    assert_eq!(f.info.header.sa_hz, 250);
    assert_eq!(f.info.header.sa_cpu_nr, 3);
    assert_eq!(crate::header::c_str(&f.info.header.sa_nodename), "oldhost");
    assert_eq!(s.len(), 3);
    let cpus = if format == FORMAT_MAGIC_2173 { 2 } else { 3 };
    assert_eq!(s[0].body, SampleBody::Restart { cpu_nr: cpus as u32 });
    assert_eq!(s[1].header.uptime_cs, 12_345 * 4 * 100 / 250);
    assert_eq!(s[1].header.ust_time, 1_600_000_060);
    let SampleBody::Stats(d) = &s[1].body else { panic!("{:?}", s[1].body) };
    let get = |id: ActivityId| d.iter().find(|a| a.id() == id).unwrap();
    let AnyStats::Cpu(c) = &get(ActivityId::A_CPU).stats else { panic!() };
    assert_eq!(c.len(), cpus);
    assert_eq!((c[1].cpu_user, c[1].cpu_guest, c[1].cpu_guest_nice), (seed + 10, seed + 18, 0));
    let AnyStats::Memory(m) = &get(ActivityId::A_MEMORY).stats else { panic!() };
    let ul = |v: u64| if enc.long64 { v } else { v & 0xffff_ffff };
    assert_eq!((m[0].frmkb, m[0].comkb, m[0].activekb), (ul(seed * 2), ul(seed * 2 + 7), 0));
    assert_eq!(m[0].availablekb, m[0].frmkb);
    let irq = get(ActivityId::A_IRQ);
    assert_eq!((irq.nr(), irq.nr2), (1, 3));
    let AnyStats::Irq(i) = &irq.stats else { panic!() };
    assert_eq!(i[0].irq_name.to_str_lossy(), "sum");
    assert_eq!((i[2].irq_nr, i[2].irq_name.to_str_lossy().as_ref()), (seed as u32 + 2, "1"));
    let AnyStats::Queue(q) = &get(ActivityId::A_QUEUE).stats else { panic!() };
    assert_eq!((q[0].procs_blocked, q[0].load_avg_15, q[0].nr_threads), (seed % 3, 103, u64::from(seed as u32)));
    let AnyStats::Serial(sl) = &get(ActivityId::A_SERIAL).stats else { panic!() };
    assert_eq!(sl.iter().map(|x| x.line).collect::<Vec<_>>(), [0, 1]);
    let AnyStats::NetDev(n) = &get(ActivityId::A_NET_DEV).stats else { panic!() };
    assert_eq!(n.len(), 1);
    assert_eq!((n[0].interface.to_str_lossy().as_ref(), n[0].multicast), ("eth0", ul(seed * 3 + 6)));
    let AnyStats::Paging(p) = &get(ActivityId::A_PAGE).stats else { panic!() };
    assert_eq!((p[0].pgsteal, p[0].pgdemote), (ul(seed + 7), 0));
    let SampleBody::Comment(c) = &s[2].body else { panic!() };
    assert!(c.starts_with(b"a comment\0"));
}

#[test]
fn synthetic_files_convert_in_every_encoding() {
    for format in [FORMAT_MAGIC_2171, FORMAT_MAGIC_2173] {
        for order in [ByteOrder::Little, ByteOrder::Big] {
            for long64 in [true, false] {
                check_synthetic(format, Encoding { order, long64 }, 1_000);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn synthetic_round_trip(seed in 0u64..u64::MAX / 4, big in any::<bool>(), long64 in any::<bool>(), new in any::<bool>()) {
        let order = if big { ByteOrder::Big } else { ByteOrder::Little };
        let format = if new { FORMAT_MAGIC_2173 } else { FORMAT_MAGIC_2171 };
        check_synthetic(format, Encoding { order, long64 }, seed);
    }

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), cut in 0usize..2048) {
        let mut f = synthetic(FORMAT_MAGIC_2173, Encoding::NATIVE, 5);
        let at = cut % f.len();
        for (i, b) in bytes.iter().enumerate() {
            if let Some(x) = f.get_mut(at + i) { *x ^= b; }
        }
        if let Ok(mut l) = LegacyFile::parse(f, 100) {
            while let Ok(Some(_)) = l.next_sample() {}
        }
    }
}

#[test]
fn files_sysstat_refuses_are_refused() {
    let enc = Encoding::NATIVE;
    // No A_CPU entry.
    let mut b = Old::new(FORMAT_MAGIC_2171, enc);
    b.prologue(&[act(ActivityId::A_PCSW, 0x8a, 1, 32)], 0);
    assert!(matches!(LegacyFile::parse(b.out, 100), Err(LegacyError::NoCpu)));
    // An activity 12.7.9 does not know.
    let mut b = Old::new(FORMAT_MAGIC_2171, enc);
    b.prologue(&[act(ActivityId::A_CPU, 0x8a, 1, 144), act(ActivityId(99), 0x8a, 1, 8)], 0);
    assert!(matches!(LegacyFile::parse(b.out, 100), Err(LegacyError::UnknownActivity { id: 99, .. })));
    // Zero items.
    let mut b = Old::new(FORMAT_MAGIC_2173, enc);
    b.prologue(&[act(ActivityId::A_CPU, 0x8a, 0, 144)], 0);
    assert!(matches!(LegacyFile::parse(b.out, 100), Err(LegacyError::InvalidHeader { what: "nr", .. })));
    // Another format magic.
    let mut b = Old::new(0x2170, enc);
    b.prologue(&[act(ActivityId::A_CPU, 0x8a, 1, 144)], 0);
    assert!(matches!(LegacyFile::parse(b.out, 100), Err(LegacyError::NotConvertible { format_magic: 0x2170 })));
    let (msg, code) = LegacyError::NotConvertible { format_magic: 0x2170 }.sysstat_report("f");
    assert_eq!((msg.as_str(), code), ("Cannot convert the format of this file\n", 2));
}

#[test]
fn readers_convert_old_files_only_when_asked() {
    let old = synthetic(FORMAT_MAGIC_2171, Encoding::NATIVE, 3);
    assert!(matches!(
        SaFile::from_bytes(old.clone(), OpenOptions::default()),
        Err(Error::UnsupportedFormat { format_magic: 0x2171, .. })
    ));
    let f = SaFile::from_bytes(old, OpenOptions { convert_old: true, ..Default::default() }).unwrap();
    assert_eq!(f.info.magic.upgraded, 0x70a);
    // The file's own magic is kept, so that reports can say what they read.
    let from = f.info.converted_from.expect("an old file read through a conversion");
    assert_eq!(from.format_magic, FORMAT_MAGIC_2171);
}

#[test]
fn current_files_are_not_marked_converted() {
    let old = synthetic(FORMAT_MAGIC_2171, Encoding::NATIVE, 3);
    let current = crate::legacy::convert_for_reading(old, 100).unwrap();
    let f = SaFile::from_bytes(current, OpenOptions { convert_old: true, ..Default::default() }).unwrap();
    assert!(f.info.converted_from.is_none());
}
