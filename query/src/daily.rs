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

    /// Where `-o` without a file name saves: the day's file, named in the
    /// style `-D` chose, in `SA_DIR` or the default folder (what rsadc
    /// writes for "-").
    pub fn save_file(&self, full_date: bool) -> String {
        let name = daily::file_name(self.day(0), daily::NameStyle::from_full_date(full_date));
        daily::join(daily::write_dir(self.sa_dir.as_deref()), &name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_names_follow_the_settings() {
        // 2023-11-14 23:30 UTC.
        let l = DailyLookup { sa_dir: Some("/x".into()), utc: true, now: 1_700_004_600 };
        assert_eq!(l.day(0), Day { year: 2023, month: 11, day: 14 });
        assert_eq!(l.day(1), Day { year: 2023, month: 11, day: 13 });
        assert_eq!(l.day(14), Day { year: 2023, month: 10, day: 31 });
        assert_eq!(l.save_file(true), "/x/sa20231114");
        assert_eq!(l.save_file(false), "/x/sa14");
        let none = DailyLookup { sa_dir: None, ..l.clone() };
        assert_eq!(none.save_file(false), "/var/log/sysstat/sa14");
        let empty = DailyLookup { sa_dir: Some(String::new()), ..l };
        assert_eq!(empty.save_file(false), "/var/log/sysstat/sa14");
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
