//! Finding the day's data file for rsar and rsadf, from what the binary
//! read of the environment and the clock (the naming and the folders are
//! `sarkit_format::daily`'s).

use sarkit_format::daily::{self, Day};

use crate::sar::timefmt::broken_down;

/// What finding a day's file depends on, read by the binary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyLookup {
    /// `SA_DIR`, if set.
    pub sa_dir: Option<String>,
    /// `S_TIME_DEF_TIME=UTC`: days are UTC days.
    pub utc: bool,
    /// Seconds since the epoch: what "today" is.
    pub now: i64,
}

impl DailyLookup {
    /// The lookup `var` (an environment lookup) and the time `now` describe.
    pub fn from_env(var: &dyn Fn(&str) -> Option<String>, now: i64) -> DailyLookup {
        DailyLookup {
            sa_dir: var(daily::SA_DIR_ENV),
            utc: daily::dates_in_utc(var(daily::TIME_DEF_ENV).as_deref()),
            now,
        }
    }

    /// The day `day_offset` days before today (sar's and sadf's `-N`).
    pub fn day(&self, day_offset: i64) -> Day {
        let t = self.now.saturating_sub(day_offset.saturating_mul(86_400));
        broken_down(t, self.utc)
            .and_then(|tm| Day::new(tm.year, u8::try_from(tm.month).ok()?, u8::try_from(tm.day).ok()?))
            .unwrap_or(Day { year: 1970, month: 1, day: 1 })
    }

    /// The day's file when no file is named: in `SA_DIR`, else in the first
    /// conventional folder that has it.
    pub fn default_file(&self, day_offset: i64) -> String {
        daily::default_file(self.sa_dir.as_deref(), self.day(day_offset), &daily::fs_mtime)
    }

    /// The day's file in a folder named on the command line.
    pub fn file_in(&self, dir: &str, day_offset: i64) -> String {
        daily::file_in(dir, self.day(day_offset), &daily::fs_mtime)
    }

    /// The folder whose day's file `-o` without a file name saves to:
    /// `SA_DIR` or the default folder (where rsadc writes for "-").
    pub fn save_dir(&self) -> &str {
        daily::write_dir(self.sa_dir.as_deref())
    }
}

/// A day written `YYYY-MM-DD` (`--from`, `--to`), if it exists.
pub fn parse_day(s: &str) -> Option<Day> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    Day::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The day after `day`.
pub fn next_day(day: Day) -> Day {
    Day::new(day.year, day.month, day.day + 1).or_else(|| Day::new(day.year, day.month + 1, 1)).unwrap_or(Day {
        year: day.year + 1,
        month: 1,
        day: 1,
    })
}

/// The longest range of days `--from`/`--to` may cover: a hundred years of
/// daily files, far beyond any retention, so that a mistyped year fails
/// at once rather than looking for a million files.
pub const MAX_RANGE_DAYS: usize = 36_600;

impl DailyLookup {
    /// The daily files of the days `from` to `to` that exist, each with its
    /// day, oldest first: in `dir`, else in `SA_DIR`, else in the first
    /// conventional folder holding that day's file. `None` when the range
    /// is longer than [`MAX_RANGE_DAYS`].
    pub fn files_between(&self, dir: Option<&str>, from: Day, to: Day) -> Option<Vec<(Day, String)>> {
        let mut found = Vec::new();
        let mut day = from;
        for _ in 0..MAX_RANGE_DAYS {
            if day > to {
                return Some(found);
            }
            let file = match dir.or(daily::sa_dir_override(self.sa_dir.as_deref())) {
                Some(d) => daily::existing_in(d, day, &daily::fs_mtime),
                None => daily::CONVENTIONAL_SA_DIRS.iter().find_map(|d| daily::existing_in(d, day, &daily::fs_mtime)),
            };
            if let Some(f) = file {
                found.push((day, f));
            }
            day = next_day(day);
        }
        (day > to).then_some(found)
    }

    /// Whether a file header dated `sa_ust_time` belongs to `day`: a `saDD`
    /// name repeats every month, and last month's file must not stand in
    /// for a missing day.
    pub fn dated(&self, sa_ust_time: u64, day: Day) -> bool {
        broken_down(sa_ust_time as i64, self.utc)
            .is_some_and(|tm| (tm.year, tm.month, tm.day) == (day.year, u32::from(day.month), u32::from(day.day)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_written_and_walked_day_by_day() {
        assert_eq!(parse_day("2023-11-14"), Day::new(2023, 11, 14));
        assert_eq!(parse_day("2023-02-29"), None);
        assert_eq!(parse_day("2023-1-14"), None);
        assert_eq!(parse_day("14"), None);
        assert_eq!(next_day(Day::new(2023, 12, 31).unwrap()), Day::new(2024, 1, 1).unwrap());
        assert_eq!(next_day(Day::new(2024, 2, 28).unwrap()), Day::new(2024, 2, 29).unwrap());
        assert_eq!(next_day(Day::new(2023, 11, 30).unwrap()), Day::new(2023, 12, 1).unwrap());
    }

    #[test]
    fn a_range_finds_each_existing_day_once_in_either_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        std::fs::write(dir.path().join("sa20231113.zst"), b"x").unwrap();
        std::fs::write(dir.path().join("sa15"), b"x").unwrap();
        let l = DailyLookup { sa_dir: None, utc: true, now: 0 };
        let (from, to) = (Day::new(2023, 11, 12).unwrap(), Day::new(2023, 11, 16).unwrap());
        let found = l.files_between(Some(d), from, to).unwrap();
        assert_eq!(
            found,
            vec![
                (Day::new(2023, 11, 13).unwrap(), format!("{d}/sa20231113.zst")),
                (Day::new(2023, 11, 15).unwrap(), format!("{d}/sa15"))
            ]
        );
        assert!(l.files_between(Some(d), Day::new(1, 1, 1).unwrap(), Day::new(9999, 1, 1).unwrap()).is_none());
        // 2023-11-14 00:00 UTC is the 14th, not the 15th.
        assert!(l.dated(1_699_920_000, Day::new(2023, 11, 14).unwrap()));
        assert!(!l.dated(1_699_920_000, Day::new(2023, 10, 14).unwrap()));
    }

    #[test]
    fn days_and_names_follow_the_settings() {
        // 2023-11-14 23:30 UTC.
        let l = DailyLookup { sa_dir: Some("/x".into()), utc: true, now: 1_700_004_600 };
        assert_eq!(l.day(0), Day { year: 2023, month: 11, day: 14 });
        assert_eq!(l.day(1), Day { year: 2023, month: 11, day: 13 });
        assert_eq!(l.day(14), Day { year: 2023, month: 10, day: 31 });
        assert_eq!(l.save_dir(), "/x");
        let none = DailyLookup { sa_dir: None, ..l.clone() };
        assert_eq!(none.save_dir(), "/var/log/sysstat");
        let empty = DailyLookup { sa_dir: Some(String::new()), ..l };
        assert_eq!(empty.save_dir(), "/var/log/sysstat");
    }

    #[test]
    fn the_environment_is_read_through_the_lookup() {
        let var = |k: &str| match k {
            "SA_DIR" => Some("/data".to_string()),
            "S_TIME_DEF_TIME" => Some("UTC".to_string()),
            _ => None,
        };
        let l = DailyLookup::from_env(&var, 5);
        assert_eq!(l, DailyLookup { sa_dir: Some("/data".into()), utc: true, now: 5 });
        let l = DailyLookup::from_env(&|_| None, 5);
        assert!(!l.utc && l.sa_dir.is_none());
    }

    #[test]
    fn a_missing_file_in_a_folder_is_its_sadd() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        let l = DailyLookup { sa_dir: None, utc: true, now: 1_700_004_600 };
        assert_eq!(l.file_in(d, 0), format!("{d}/sa14"));
        std::fs::write(dir.path().join("sa20231114.zst"), b"x").unwrap();
        assert_eq!(l.file_in(d, 0), format!("{d}/sa20231114.zst"));
        let l = DailyLookup { sa_dir: Some(d.into()), ..l };
        assert_eq!(l.default_file(0), format!("{d}/sa20231114.zst"));
    }
}
