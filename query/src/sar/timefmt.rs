//! Local time and sar's time strings.
//!
//! Local time comes from the C library's `localtime_r` (wrapped in
//! `sarkit_format::time`), so that `TZ` means exactly what it means to
//! sysstat (POSIX rules, zoneinfo files, leap seconds). Formatting is done
//! here rather than with `strftime`: sar only uses `%H:%M:%S`, `%X`, `%x`
//! and `%Y-%m-%d`, and the locale they depend on is read from the
//! environment the way glibc resolves `LC_TIME`, so the 12-hour clock of
//! en_US appears even where that locale is not installed.

use std::io::{self, Write};

use sarkit_format::time::BrokenDown;

/// The broken-down time fields sar looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tm {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub day: u32,
    pub hour: i32,
    pub min: i32,
    pub sec: i32,
}

/// How `%X` and `%x` render: the only difference between locales sar shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TimeStyle {
    /// `S_TIME_FORMAT=ISO`: `%H:%M:%S` and `%Y-%m-%d`.
    Iso,
    /// C/POSIX: `%X` is `%H:%M:%S`, `%x` is `%m/%d/%y`.
    #[default]
    C,
    /// en_US: `%X` is `%I:%M:%S %p`, `%x` is `%m/%d/%Y`.
    EnUs,
}

impl TimeStyle {
    /// Resolve from an environment lookup (`LC_ALL`, then `LC_TIME`, then `LANG`).
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> TimeStyle {
        if get("S_TIME_FORMAT").as_deref() == Some("ISO") {
            return TimeStyle::Iso;
        }
        let loc = ["LC_ALL", "LC_TIME", "LANG"].iter().find_map(|k| get(k).filter(|v| !v.is_empty()));
        match loc {
            Some(l) if l.starts_with("en_US") => TimeStyle::EnUs,
            _ => TimeStyle::C,
        }
    }
}

/// Set up the C library's time zone from `TZ`, once.
pub fn init_tz() {
    sarkit_format::time::tzset();
}

/// Local time at `t`, or UTC if `utc`; `None` if the C library refuses.
pub fn broken_down(t: i64, utc: bool) -> Option<Tm> {
    let tm = if utc { BrokenDown::utc(t)? } else { BrokenDown::local(t)? };
    Some(Tm {
        year: tm.year(),
        month: (tm.month0() + 1) as u32,
        day: tm.day() as u32,
        hour: tm.hour(),
        min: tm.minute(),
        sec: tm.second(),
    })
}

/// A short string built without allocation (timestamps, "Average:").
#[derive(Clone, Copy, Default)]
pub struct Stamp {
    buf: [u8; 24],
    len: u8,
}

impl Stamp {
    pub fn text(s: &str) -> Stamp {
        let mut st = Stamp::default();
        let n = s.len().min(24);
        st.buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        st.len = n as u8;
        st
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }

    fn push(&mut self, b: &[u8]) {
        for &c in b {
            if (self.len as usize) < self.buf.len() {
                self.buf[self.len as usize] = c;
                self.len += 1;
            }
        }
    }

    fn two(&mut self, v: i64) {
        let v = v.rem_euclid(100) as u8;
        self.push(&[b'0' + v / 10, b'0' + v % 10]);
    }

    /// The record time as sar prints it (`%X` or `%H:%M:%S`).
    pub fn time(tm: &Tm, style: TimeStyle) -> Stamp {
        let mut s = Stamp::default();
        let h = match style {
            TimeStyle::EnUs => {
                let h = tm.hour % 12;
                if h == 0 {
                    12
                } else {
                    h
                }
            }
            _ => tm.hour,
        };
        s.two(h as i64);
        s.push(b":");
        s.two(tm.min as i64);
        s.push(b":");
        s.two(tm.sec as i64);
        if style == TimeStyle::EnUs {
            s.push(if tm.hour < 12 { b" AM" } else { b" PM" });
        }
        s
    }

    /// The report date of the host line (`%x` or `%Y-%m-%d`).
    pub fn date(tm: &Tm, style: TimeStyle) -> Stamp {
        let mut s = Stamp::default();
        match style {
            TimeStyle::Iso => {
                let y = tm.year.to_string();
                s.push(y.as_bytes());
                s.push(b"-");
                s.two(tm.month as i64);
                s.push(b"-");
                s.two(tm.day as i64);
            }
            TimeStyle::C | TimeStyle::EnUs => {
                s.two(tm.month as i64);
                s.push(b"/");
                s.two(tm.day as i64);
                s.push(b"/");
                if style == TimeStyle::EnUs {
                    s.push(tm.year.to_string().as_bytes());
                } else {
                    s.two(tm.year as i64);
                }
            }
        }
        s
    }

    /// Write as `%-11s`.
    pub fn write_padded(&self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(self.as_bytes())?;
        let pad = 11usize.saturating_sub(self.len as usize);
        w.write_all(&b"           "[..pad])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        let tm = Tm { year: 2019, month: 4, day: 18, hour: 13, min: 5, sec: 9 };
        assert_eq!(Stamp::time(&tm, TimeStyle::C).as_bytes(), b"13:05:09");
        assert_eq!(Stamp::time(&tm, TimeStyle::EnUs).as_bytes(), b"01:05:09 PM");
        let mid = Tm { hour: 0, ..tm };
        assert_eq!(Stamp::time(&mid, TimeStyle::EnUs).as_bytes(), b"12:05:09 AM");
        assert_eq!(Stamp::date(&tm, TimeStyle::C).as_bytes(), b"04/18/19");
        assert_eq!(Stamp::date(&tm, TimeStyle::EnUs).as_bytes(), b"04/18/2019");
        assert_eq!(Stamp::date(&tm, TimeStyle::Iso).as_bytes(), b"2019-04-18");
    }

    #[test]
    fn locale_resolution() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(a, _)| *a == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(TimeStyle::from_env(env(&[("LANG", "en_US.UTF-8")])), TimeStyle::EnUs);
        assert_eq!(TimeStyle::from_env(env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")])), TimeStyle::C);
        assert_eq!(TimeStyle::from_env(env(&[("S_TIME_FORMAT", "ISO"), ("LANG", "en_US")])), TimeStyle::Iso);
    }

    #[test]
    fn utc_broken_down() {
        let tm = broken_down(1555593609, true).unwrap();
        assert_eq!((tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec), (2019, 4, 18, 13, 20, 9));
    }
}
