//! Creating, appending, rotating, restarting, retaining and compressing
//! data files, through the library with the synthetic source.

use std::path::{Path, PathBuf};

use sarkit_format::{Compat, RecordKind, SaFile};
use sarkit_recorder::daily::{self, local_time, Clock, Output, RunOptions, Special};
use sarkit_recorder::outfile::{DataFile, FileOptions, RecError};
use sarkit_recorder::source::SampleSource;
use sarkit_recorder::synthetic::Synthetic;

const T0: u64 = 1_700_000_000;

/// Record kinds in file order: 'S' stats, 'R' restart, 'C' comment; and stats times.
fn walk(path: &Path) -> (String, Vec<u64>) {
    let mut f = SaFile::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut kinds, mut times) = (String::new(), Vec::new());
    while let Some(r) = f.next_record().unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        kinds.push(match r.kind {
            RecordKind::Stats(_) => {
                times.push(r.header.ust_time);
                'S'
            }
            RecordKind::Restart { .. } => 'R',
            RecordKind::Comment(_) => 'C',
        });
    }
    (kinds, times)
}

fn small() -> Synthetic {
    Synthetic::new(2, 2, 2)
}

fn run(
    src: &mut dyn SampleSource,
    out: &Output,
    start: u64,
    count: u64,
    f: impl Fn(&mut RunOptions),
) -> daily::Summary {
    let mut o = RunOptions { clock: Clock::Fixed(start), count: Some(count), ..Default::default() };
    f(&mut o);
    daily::record(src, out, &o, &mut |m| eprintln!("log: {m}")).unwrap()
}

#[test]
fn runs_append_to_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let out = Output::File(p.clone());
    for i in 0..5 {
        // As the test harness does: one process per sample.
        run(&mut small(), &out, T0 + i, 1, |_| {});
    }
    run(&mut small(), &out, T0 + 5, 3, |_| {});
    let (kinds, times) = walk(&p);
    assert_eq!(kinds, "SSSSSSSS");
    assert_eq!(times, (T0..T0 + 8).collect::<Vec<_>>());
}

#[test]
fn the_files_activity_list_prevails() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    // A file listing only A_CPU and A_MEMORY, then samples of every activity.
    let mut s = small();
    let specs: Vec<_> =
        s.specs().unwrap().into_iter().filter(|x| x.info.name == "A_CPU" || x.info.name == "A_MEMORY").collect();
    let hdr = s.header_info(T0).unwrap();
    let mut f = DataFile::open(&p, FileOptions::default(), &mut || Ok((hdr.clone(), specs.clone()))).unwrap();
    f.write(&s.sample(T0).unwrap()).unwrap();
    drop(f);
    run(&mut small(), &Output::File(p.clone()), T0 + 1, 2, |_| {});
    let f = SaFile::open(&p).unwrap();
    assert_eq!(f.info.activities.len(), 2);
    assert_eq!(walk(&p).0, "SSS");
}

#[test]
fn other_layouts_are_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let out = Output::File(p.clone());
    let compat = Compat::parse("12.6").unwrap();
    run(&mut small(), &out, T0, 2, |o| o.file.compat = compat);
    let before = std::fs::read(&p).unwrap();
    let o = RunOptions { clock: Clock::Fixed(T0 + 2), ..Default::default() };
    let err = daily::record(&mut small(), &out, &o, &mut |_| {}).unwrap_err();
    assert!(matches!(err, RecError::CannotAppend(..)), "{err}");
    assert!(err.to_string().starts_with(&format!("Cannot append data to that file ({})", p.display())));
    assert_eq!(err.exit_code(), 1);
    assert_eq!(std::fs::read(&p).unwrap(), before, "a refused file is left alone");
    // The same release appends; -F starts the file again in the current layout.
    run(&mut small(), &out, T0 + 2, 1, |o| o.file.compat = compat);
    assert_eq!(walk(&p).0, "SSS");
    run(&mut small(), &out, T0 + 3, 1, |o| o.file.force = true);
    assert_eq!(walk(&p).1, vec![T0 + 3]);
}

#[test]
fn an_automatic_choice_still_appends_to_the_previous_choices_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let out = Output::File(p.clone());
    // Created in 12.7.9 layouts, then recorded into with 12.6 chosen for
    // the machine: appended to, in the file's layouts.
    run(&mut small(), &out, T0, 1, |_| {});
    let compat = Compat::parse("12.6").unwrap();
    run(&mut small(), &out, T0 + 1, 1, |o| {
        o.file.compat = compat;
        o.file.also_append = Some(Compat::Current);
    });
    assert_eq!(walk(&p).0, "SS");
    assert_eq!(SaFile::open(&p).unwrap().info.magic.version, Compat::Current.version());
    // A new file gets the chosen layouts.
    let q = dir.path().join("sa2");
    run(&mut small(), &Output::File(q.clone()), T0, 1, |o| {
        o.file.compat = compat;
        o.file.also_append = Some(Compat::Current);
    });
    assert_eq!(SaFile::open(&q).unwrap().info.magic.version, compat.version());
}

#[test]
fn not_a_data_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, b"hello, this is not a sysstat file at all, but it is long enough to be read as one....")
        .unwrap();
    let o = RunOptions { clock: Clock::Fixed(T0), ..Default::default() };
    let err = daily::record(&mut small(), &Output::File(p.clone()), &o, &mut |_| {}).unwrap_err();
    assert_eq!(err.to_string(), format!("Invalid system activity file: {}", p.display()));
    assert_eq!(err.exit_code(), 3);
}

#[test]
fn a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let mut s = small();
    let (hdr, specs) = (s.header_info(T0).unwrap(), s.specs().unwrap());
    let _held = DataFile::open(&p, FileOptions::default(), &mut || Ok((hdr.clone(), specs.clone()))).unwrap();
    let o = RunOptions { clock: Clock::Fixed(T0), ..Default::default() };
    let err = daily::record(&mut small(), &Output::File(p.clone()), &o, &mut |_| {}).unwrap_err();
    assert!(matches!(err, RecError::Locked(_)), "{err}");
    assert!(err.to_string().contains("another recorder"));
}

#[test]
fn a_reboot_inserts_linux_restart() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let out = Output::File(p.clone());
    let mut before = small();
    before.boot_time = Some(T0 - 10_000);
    run(&mut before, &out, T0, 3, |_| {});
    // Same machine, same boot: no mark.
    run(&mut before, &out, T0 + 3, 1, |_| {});
    let mut after = small();
    after.boot_time = Some(T0 + 100);
    let sum = run(&mut after, &out, T0 + 160, 2, |_| {});
    assert_eq!(sum.restarts, 1);
    assert_eq!(walk(&p).0, "SSSSRSS");
}

#[test]
fn no_interval_writes_restart_or_comment() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let out = Output::File(p.clone());
    let o = RunOptions::default();
    daily::write_special(&mut small(), &out, &o, &Special::Restart, Some(T0)).unwrap();
    daily::write_special(&mut small(), &out, &o, &Special::Comment("backup started".into()), Some(T0 + 1)).unwrap();
    run(&mut small(), &out, T0 + 2, 1, |_| {});
    assert_eq!(walk(&p).0, "RCS");
    let mut f = SaFile::open(&p).unwrap();
    f.next_record().unwrap();
    let r = f.next_record().unwrap().unwrap();
    let RecordKind::Comment(c) = r.kind else { panic!() };
    assert!(c.starts_with(b"backup started\0"));
}

/// The time of the next local midnight after `t` (no DST change assumed).
fn next_midnight(t: u64) -> u64 {
    let lt = local_time(t);
    t - (lt.hour as u64 * 3600 + lt.minute as u64 * 60 + lt.second as u64) + 86_400
}

#[test]
fn midnight_starts_a_new_file_with_its_own_header() {
    let dir = tempfile::tempdir().unwrap();
    let out = Output::Dir(dir.path().to_path_buf());
    let mid = next_midnight(T0);
    let sum = run(&mut small(), &out, mid - 3, 6, |o| o.yyyymmdd = true);
    assert_eq!(sum.files.len(), 2);
    let (old, new) = (&sum.files[0], &sum.files[1]);
    assert_eq!(old.file_name().unwrap().to_str().unwrap(), daily::daily_name(mid - 1, true, false));
    assert_eq!(new.file_name().unwrap().to_str().unwrap(), daily::daily_name(mid, true, false));
    // sadc writes the first record of the day at the end of the old file too.
    assert_eq!(walk(old).1, vec![mid - 3, mid - 2, mid - 1, mid]);
    assert_eq!(walk(new).1, vec![mid, mid + 1, mid + 2]);
    let h = SaFile::open(new).unwrap().info.header;
    let lt = local_time(mid);
    assert_eq!((h.sa_year + 1900, h.sa_month, h.sa_day), (lt.year, lt.month0, lt.mday));
}

#[test]
fn sadd_files_from_last_month_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = Output::Dir(dir.path().to_path_buf());
    // The day 28 to 31 days back that has the same saDD name.
    let old = (28..=31)
        .map(|d| T0 - d * 86_400)
        .find(|t| daily::daily_name(*t, false, false) == daily::daily_name(T0, false, false));
    let Some(old) = old else { return };
    run(&mut small(), &out, old, 2, |_| {});
    run(&mut small(), &out, T0, 1, |_| {});
    let p = dir.path().join(daily::daily_name(T0, false, false));
    assert_eq!(walk(&p).1, vec![T0]);
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn closed_days_are_compressed_and_old_ones_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let out = Output::Dir(dir.path().to_path_buf());
    let day = |d: u64| T0 - d * 86_400;
    for d in [10, 3, 1] {
        run(&mut small(), &out, day(d), 5, |o| o.yyyymmdd = true);
    }
    std::fs::write(dir.path().join("sar05"), b"a text report, not ours").unwrap();
    let yesterday = dir.path().join(daily::daily_name(day(1), true, false));
    let want = walk(&yesterday);
    run(&mut small(), &out, T0, 3, |o| {
        o.yyyymmdd = true;
        o.keep_days = Some(7);
        o.close = daily::CloseDays::Compress;
    });
    let today = daily::daily_name(T0, true, false);
    let mut expect = vec![
        format!("{}.zst", daily::daily_name(day(3), true, false)),
        format!("{}.zst", daily::daily_name(day(1), true, false)),
        today.clone(),
        "sar05".to_string(),
    ];
    expect.sort();
    assert_eq!(names(dir.path()), expect);
    assert_eq!(walk(&PathBuf::from(format!("{}.zst", yesterday.display()))), want);
    assert_eq!(walk(&dir.path().join(today)).0, "SSS");
}

#[test]
fn rotation_compresses_the_day_just_closed() {
    let dir = tempfile::tempdir().unwrap();
    let out = Output::Dir(dir.path().to_path_buf());
    let mid = next_midnight(T0);
    run(&mut small(), &out, mid - 2, 4, |o| {
        o.yyyymmdd = true;
        o.close = daily::CloseDays::Compress;
    });
    let old = daily::daily_name(mid - 1, true, false);
    assert_eq!(names(dir.path()), vec![format!("{old}.zst"), daily::daily_name(mid, true, false)]);
    assert_eq!(walk(&dir.path().join(format!("{old}.zst"))).1, vec![mid - 2, mid - 1, mid]);
}

#[test]
fn a_corrupt_copy_is_never_substituted() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa20231101");
    run(&mut small(), &Output::File(p.clone()), T0, 3, |_| {});
    let z = dir.path().join("bad.zst");
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0xff;
    std::fs::write(&z, zstd::encode_all(&bytes[..], 3).unwrap()).unwrap();
    assert!(daily::verify_copy(&p, &z).is_err());
    let good = dir.path().join("good.zst");
    std::fs::write(&good, zstd::encode_all(&std::fs::read(&p).unwrap()[..], 3).unwrap()).unwrap();
    daily::verify_copy(&p, &good).unwrap();
}

#[test]
fn rotation_archives_the_day_just_closed() {
    let dir = tempfile::tempdir().unwrap();
    let out = Output::Dir(dir.path().to_path_buf());
    let mid = next_midnight(T0);
    run(&mut small(), &out, mid - 2, 4, |o| {
        o.yyyymmdd = true;
        o.close = daily::CloseDays::Archive;
    });
    let old = daily::daily_name(mid - 1, true, false);
    assert_eq!(names(dir.path()), vec![format!("{old}.sarc"), daily::daily_name(mid, true, false)]);
    assert_eq!(walk(&dir.path().join(format!("{old}.sarc"))).1, vec![mid - 2, mid - 1, mid]);
}
