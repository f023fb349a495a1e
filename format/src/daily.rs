//! Daily data files: the folder they live in and how a day's file is named.
//!
//! sadc writes one file per day, `saDD` (sysstat's default) or `saYYYYMMDD`
//! (`-D`), and rsadc may compress a closed day to `NAME.zst` or archive it
//! to `NAME.sarc` (`spec/archive.md`). rsadc, rsar
//! and rsadf all name and find daily files here, so that the recorder and
//! the readers agree on the folder and the names.
//!
//! Nothing here reads the environment or the clock: the binaries read
//! `SA_DIR` and `S_TIME_DEF_TIME`, turn the time into a [`Day`] (local or
//! UTC) and pass both in.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder daily files live in when `SA_DIR` is not set: the one of the
/// distribution sarkit is built for (Debian's sysstat writes there too).
pub const DEFAULT_SA_DIR: &str = "/var/log/sysstat";

/// The folders a day's file is looked for in, in order, when `SA_DIR` is
/// not set: the default, then where `deploy/` records, then RHEL's and
/// Fedora's (sysstat's own default).
pub const CONVENTIONAL_SA_DIRS: [&str; 3] = [DEFAULT_SA_DIR, "/var/log/sarkit", "/var/log/sa"];

/// The environment variable that replaces the default folder, for recording
/// and reading alike.
pub const SA_DIR_ENV: &str = "SA_DIR";

/// The environment variable that, set to `UTC`, dates daily files in UTC
/// rather than local time (sysstat's `S_TIME_DEF_TIME`).
pub const TIME_DEF_ENV: &str = "S_TIME_DEF_TIME";

/// The suffix of a compressed daily file.
pub const ZST_SUFFIX: &str = ".zst";

/// Whether `S_TIME_DEF_TIME`'s value asks for UTC dates.
pub fn dates_in_utc(s_time_def_time: Option<&str>) -> bool {
    s_time_def_time == Some("UTC")
}

/// The folder `SA_DIR`'s value names, if any: an empty value counts as unset.
pub fn sa_dir_override(sa_dir: Option<&str>) -> Option<&str> {
    sa_dir.filter(|d| !d.is_empty())
}

/// The folder daily files are written to: `SA_DIR`, else the default.
pub fn write_dir(sa_dir: Option<&str>) -> &str {
    sa_dir_override(sa_dir).unwrap_or(DEFAULT_SA_DIR)
}

/// A calendar day, as `localtime` or `gmtime` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

impl Day {
    /// The day, if it exists in the calendar.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let last = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=last).contains(&day).then_some(Day { year, month, day })
    }
}

/// How a daily file is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameStyle {
    /// `saDD`: sysstat's default; the name comes round every month.
    DayOfMonth,
    /// `saYYYYMMDD`: sadc's `-D`.
    FullDate,
}

impl NameStyle {
    /// The style `-D` (`true`) or its absence selects.
    pub fn from_full_date(full_date: bool) -> NameStyle {
        if full_date {
            NameStyle::FullDate
        } else {
            NameStyle::DayOfMonth
        }
    }
}

/// The uncompressed file name of `day` in `style`.
pub fn file_name(day: Day, style: NameStyle) -> String {
    match style {
        NameStyle::DayOfMonth => format!("sa{:02}", day.day),
        NameStyle::FullDate => format!("sa{:04}{:02}{:02}", day.year, day.month, day.day),
    }
}

/// The suffix of an archived daily file (`spec/archive.md`).
pub const ARCHIVE_SUFFIX: &str = crate::archive::ARCHIVE_SUFFIX;

/// A name a day's file may have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub style: NameStyle,
    /// `NAME.zst` or `NAME.sarc`, a closed day rsadc compressed or archived.
    pub compressed: bool,
}

/// Every name `day`'s file may have, in the order that breaks ties between
/// files of the same age: `saDD`, `saYYYYMMDD`, then the same with `.zst`,
/// then with `.sarc`. (sysstat takes `saYYYYMMDD` only when it is strictly
/// more recent.)
pub fn candidates(day: Day) -> [Candidate; 6] {
    let c = |style, suffix: &str| {
        let name = file_name(day, style) + suffix;
        Candidate { name, style, compressed: !suffix.is_empty() }
    };
    [
        c(NameStyle::DayOfMonth, ""),
        c(NameStyle::FullDate, ""),
        c(NameStyle::DayOfMonth, ZST_SUFFIX),
        c(NameStyle::FullDate, ZST_SUFFIX),
        c(NameStyle::DayOfMonth, ARCHIVE_SUFFIX),
        c(NameStyle::FullDate, ARCHIVE_SUFFIX),
    ]
}

/// The modification time of `path` if it exists, from the file system.
/// A file system without modification times gives the epoch, so that the
/// file still counts as present.
pub fn fs_mtime(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    Some(meta.modified().unwrap_or(UNIX_EPOCH))
}

/// `name` in `dir`, joined as sysstat joins them (`DIR/NAME`, so that a
/// folder given with a trailing slash reads `DIR//NAME` in messages, as
/// sysstat's do).
pub fn join(dir: &str, name: &str) -> String {
    format!("{dir}/{name}")
}

/// `day`'s file in `dir`, if one of the [`candidates`] exists there: the
/// most recently modified, ties going to the earlier candidate. With plain
/// names only this is sysstat's rule (`guess_sa_name`).
pub fn existing_in(dir: &str, day: Day, mtime: &dyn Fn(&Path) -> Option<SystemTime>) -> Option<String> {
    let mut best: Option<(SystemTime, String)> = None;
    for c in candidates(day) {
        let path = join(dir, &c.name);
        if let Some(t) = mtime(Path::new(&path)) {
            let newer = match &best {
                Some((b, _)) => t > *b,
                None => true,
            };
            if newer {
                best = Some((t, path));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// `day`'s file in `dir`: the existing one, else `saDD` (the name sysstat
/// reports as missing).
pub fn file_in(dir: &str, day: Day, mtime: &dyn Fn(&Path) -> Option<SystemTime>) -> String {
    existing_in(dir, day, mtime).unwrap_or_else(|| join(dir, &file_name(day, NameStyle::DayOfMonth)))
}

/// `day`'s default file. With `SA_DIR` set, its folder alone; otherwise the
/// first of the [`CONVENTIONAL_SA_DIRS`] that holds a file for the day,
/// else `saDD` in the default folder.
pub fn default_file(sa_dir: Option<&str>, day: Day, mtime: &dyn Fn(&Path) -> Option<SystemTime>) -> String {
    if let Some(dir) = sa_dir_override(sa_dir) {
        return file_in(dir, day, mtime);
    }
    CONVENTIONAL_SA_DIRS
        .iter()
        .find_map(|d| existing_in(d, day, mtime))
        .unwrap_or_else(|| join(DEFAULT_SA_DIR, &file_name(day, NameStyle::DayOfMonth)))
}

/// A daily file name read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedName {
    pub style: NameStyle,
    /// The day of the month the name gives.
    pub day_of_month: u8,
    /// The full date, for `saYYYYMMDD` names.
    pub date: Option<Day>,
    pub compressed: bool,
}

/// Read a daily file name back: `saDD` or `saYYYYMMDD` (a day that exists),
/// optionally `.zst` or `.sarc`. Anything else is not a daily file.
pub fn parse_name(name: &str) -> Option<ParsedName> {
    let (stem, compressed) = match name.strip_suffix(ZST_SUFFIX).or_else(|| name.strip_suffix(ARCHIVE_SUFFIX)) {
        Some(s) => (s, true),
        None => (name, false),
    };
    let digits = stem.strip_prefix("sa")?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| digits.get(r)?.parse::<u16>().ok();
    match digits.len() {
        2 => {
            let dd = u8::try_from(num(0..2)?).ok().filter(|d| (1..=31).contains(d))?;
            Some(ParsedName { style: NameStyle::DayOfMonth, day_of_month: dd, date: None, compressed })
        }
        8 => {
            let month = u8::try_from(num(4..6)?).ok()?;
            let dd = u8::try_from(num(6..8)?).ok()?;
            let date = Day::new(i32::from(num(0..4)?), month, dd)?;
            Some(ParsedName { style: NameStyle::FullDate, day_of_month: dd, date: Some(date), compressed })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::time::Duration;

    const DAY: Day = Day { year: 2024, month: 2, day: 9 };

    /// A fake file system: path -> seconds after the epoch.
    fn fake(files: &[(&str, u64)]) -> impl Fn(&Path) -> Option<SystemTime> {
        let map: HashMap<PathBuf, u64> = files.iter().map(|(p, t)| (PathBuf::from(p), *t)).collect();
        move |p: &Path| map.get(p).map(|t| UNIX_EPOCH + Duration::from_secs(*t))
    }

    #[test]
    fn names_in_both_styles() {
        assert_eq!(file_name(DAY, NameStyle::DayOfMonth), "sa09");
        assert_eq!(file_name(DAY, NameStyle::FullDate), "sa20240209");
        assert_eq!(NameStyle::from_full_date(true), NameStyle::FullDate);
        let names: Vec<String> = candidates(DAY).into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["sa09", "sa20240209", "sa09.zst", "sa20240209.zst", "sa09.sarc", "sa20240209.sarc"]);
    }

    #[test]
    fn days_are_checked_against_the_calendar() {
        assert!(Day::new(2024, 2, 29).is_some());
        assert!(Day::new(2023, 2, 29).is_none());
        assert!(Day::new(1900, 2, 29).is_none());
        assert!(Day::new(2000, 2, 29).is_some());
        assert!(Day::new(2024, 13, 1).is_none());
        assert!(Day::new(2024, 4, 31).is_none());
        assert!(Day::new(2024, 1, 0).is_none());
    }

    #[test]
    fn the_environment_values_are_read_as_sysstat_reads_them() {
        assert!(dates_in_utc(Some("UTC")));
        assert!(!dates_in_utc(Some("utc")) && !dates_in_utc(None));
        assert_eq!(sa_dir_override(Some("")), None);
        assert_eq!(write_dir(None), "/var/log/sysstat");
        assert_eq!(write_dir(Some("")), "/var/log/sysstat");
        assert_eq!(write_dir(Some("/tmp/x")), "/tmp/x");
    }

    #[test]
    fn plain_names_follow_sysstat() {
        let d = "/d";
        // Neither: saDD.
        assert_eq!(file_in(d, DAY, &fake(&[])), "/d/sa09");
        assert_eq!(existing_in(d, DAY, &fake(&[])), None);
        // One of them: that one.
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa20240209", 5)])), "/d/sa20240209");
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09", 5)])), "/d/sa09");
        // Both: the more recent; saDD when they are as old.
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09", 5), ("/d/sa20240209", 6)])), "/d/sa20240209");
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09", 6), ("/d/sa20240209", 5)])), "/d/sa09");
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09", 5), ("/d/sa20240209", 5)])), "/d/sa09");
    }

    #[test]
    fn compressed_days_are_found() {
        let d = "/d";
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa20240209.zst", 5)])), "/d/sa20240209.zst");
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09.zst", 5)])), "/d/sa09.zst");
        // Today's plain file, written now, beats last month's compressed saDD.
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09.zst", 5), ("/d/sa09", 9)])), "/d/sa09");
        // As old: the plain name first.
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa20240209.zst", 5), ("/d/sa20240209", 5)])), "/d/sa20240209");
        // Files of other days do not count.
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa20240208.zst", 5), ("/d/sa08", 5)])), "/d/sa09");
        // Archived days too, after the plain and zstd names.
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa20240209.sarc", 5)])), "/d/sa20240209.sarc");
        assert_eq!(file_in(d, DAY, &fake(&[("/d/sa09.sarc", 5), ("/d/sa09.zst", 5)])), "/d/sa09.zst");
    }

    #[test]
    fn sa_dir_alone_when_set() {
        let fs = fake(&[("/var/log/sa/sa09", 5)]);
        assert_eq!(default_file(Some("/mine"), DAY, &fs), "/mine/sa09");
        let fs = fake(&[("/mine/sa20240209.zst", 5), ("/var/log/sysstat/sa09", 6)]);
        assert_eq!(default_file(Some("/mine"), DAY, &fs), "/mine/sa20240209.zst");
    }

    #[test]
    fn conventional_folders_in_order_otherwise() {
        assert_eq!(default_file(None, DAY, &fake(&[])), "/var/log/sysstat/sa09");
        assert_eq!(file_in("/d/", DAY, &fake(&[])), "/d//sa09");
        assert_eq!(default_file(Some(""), DAY, &fake(&[])), "/var/log/sysstat/sa09");
        let fs = fake(&[("/var/log/sa/sa09", 9), ("/var/log/sarkit/sa20240209.zst", 5)]);
        assert_eq!(default_file(None, DAY, &fs), "/var/log/sarkit/sa20240209.zst");
        let fs = fake(&[("/var/log/sa/sa09", 9)]);
        assert_eq!(default_file(None, DAY, &fs), "/var/log/sa/sa09");
        let fs = fake(&[("/var/log/sa/sa09", 9), ("/var/log/sysstat/sa09", 1)]);
        assert_eq!(default_file(None, DAY, &fs), "/var/log/sysstat/sa09");
    }

    #[test]
    fn names_parse_back() {
        assert!(parse_name("sa20240229.sarc").unwrap().compressed);
        let p = parse_name("sa20240229.zst").unwrap();
        assert_eq!(p.date, Day::new(2024, 2, 29));
        assert_eq!((p.style, p.day_of_month, p.compressed), (NameStyle::FullDate, 29, true));
        let p = parse_name("sa07").unwrap();
        assert_eq!((p.style, p.day_of_month, p.date, p.compressed), (NameStyle::DayOfMonth, 7, None, false));
        for bad in ["sar07", "sa7", "sa00", "sa32", "sa2024022", "sa20241341", "sa20230229", ".sa07.zst.tmp", "sa07.gz"]
        {
            assert!(parse_name(bad).is_none(), "{bad}");
        }
        for c in candidates(DAY) {
            let p = parse_name(&c.name).unwrap();
            assert_eq!((p.style, p.compressed, p.day_of_month), (c.style, c.compressed, DAY.day));
        }
    }
}
