//! The C library's time calls, wrapped once for every crate.
//!
//! Local time comes from libc (`localtime_r`, `tzset`, `tzname`) rather than
//! a Rust time zone library so that `TZ` means exactly what it means to
//! sysstat: POSIX rules, zoneinfo files, leap seconds. Dates formatted with
//! `strftime` follow `LC_TIME` as the process has set it with `setlocale`.

use std::ffi::{CStr, CString};

/// Load the time zone rules from `TZ`, as sysstat does at start. After the
/// first call libc only compares `TZ` with what it loaded, so callers may
/// call it before each conversion that needs `tzname`.
pub fn tzset() {
    extern "C" {
        fn tzset();
    }
    // SAFETY: tzset only reads the environment and initialises libc's zone data.
    unsafe { tzset() }
}

/// The local zone's standard name, `tzname[0]` (what sadc stores in the
/// header and sadf prints), as raw bytes; empty if libc has none.
#[doc(alias = "tzname")]
pub fn standard_zone_name() -> Vec<u8> {
    extern "C" {
        static tzname: [*const libc::c_char; 2];
    }
    tzset();
    // SAFETY: tzset has run; tzname[0] is null or a NUL-terminated string
    // libc keeps for the life of the process.
    unsafe {
        let p = tzname[0];
        if p.is_null() {
            Vec::new()
        } else {
            CStr::from_ptr(p).to_bytes().to_vec()
        }
    }
}

/// A unix time broken down into calendar fields (`struct tm`), local or UTC.
/// The fields are libc's, unconverted: callers narrow them as sysstat does.
#[derive(Clone, Copy)]
pub struct BrokenDown {
    tm: libc::tm,
}

impl BrokenDown {
    /// Local time at `t`; `None` if libc cannot represent it.
    #[doc(alias = "localtime_r")]
    pub fn local(t: i64) -> Option<BrokenDown> {
        convert(t, libc::localtime_r)
    }

    /// UTC at `t`; `None` if libc cannot represent it.
    #[doc(alias = "gmtime_r")]
    pub fn utc(t: i64) -> Option<BrokenDown> {
        convert(t, libc::gmtime_r)
    }

    /// The full year, e.g. 2019.
    pub fn year(&self) -> i32 {
        self.tm.tm_year + 1900
    }

    /// Years since 1900, as the file header stores them.
    #[doc(alias = "tm_year")]
    pub fn years_since_1900(&self) -> i32 {
        self.tm.tm_year
    }

    /// 0 to 11.
    #[doc(alias = "tm_mon")]
    pub fn month0(&self) -> i32 {
        self.tm.tm_mon
    }

    /// Day of the month, 1 to 31.
    #[doc(alias = "tm_mday")]
    pub fn day(&self) -> i32 {
        self.tm.tm_mday
    }

    #[doc(alias = "tm_hour")]
    pub fn hour(&self) -> i32 {
        self.tm.tm_hour
    }

    #[doc(alias = "tm_min")]
    pub fn minute(&self) -> i32 {
        self.tm.tm_min
    }

    /// 0 to 60 (a leap second).
    #[doc(alias = "tm_sec")]
    pub fn second(&self) -> i32 {
        self.tm.tm_sec
    }

    /// Seconds east of UTC.
    #[doc(alias = "tm_gmtoff")]
    // `c_long` is narrower than i64 on 32-bit targets.
    #[allow(clippy::unnecessary_cast)]
    pub fn utc_offset(&self) -> i64 {
        self.tm.tm_gmtoff as i64
    }

    /// The zone abbreviation in effect, e.g. "CEST"; empty if libc gives none.
    #[doc(alias = "tm_zone")]
    pub fn zone(&self) -> String {
        if self.tm.tm_zone.is_null() {
            String::new()
        } else {
            // SAFETY: libc points tm_zone at a NUL-terminated string it owns
            // for the life of the process.
            unsafe { CStr::from_ptr(self.tm.tm_zone) }.to_string_lossy().into_owned()
        }
    }

    /// `strftime(fmt)`; `None` if the result is empty or longer than 127 bytes.
    #[doc(alias = "strftime")]
    pub fn format(&self, fmt: &str) -> Option<String> {
        let fmt = CString::new(fmt).ok()?;
        let mut buf = [0u8; 128];
        // SAFETY: buf is writable for its length, fmt is NUL-terminated and
        // tm was filled by libc.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), buf.len(), fmt.as_ptr(), &self.tm) };
        (n > 0).then(|| String::from_utf8_lossy(&buf[..n]).into_owned())
    }
}

impl std::fmt::Debug for BrokenDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {:+}s",
            self.year(),
            self.month0() + 1,
            self.day(),
            self.hour(),
            self.minute(),
            self.second(),
            self.utc_offset()
        )
    }
}

fn convert(t: i64, f: unsafe extern "C" fn(*const libc::time_t, *mut libc::tm) -> *mut libc::tm) -> Option<BrokenDown> {
    let t = libc::time_t::try_from(t).ok()?;
    // SAFETY: an all-zero tm is valid (tm_zone null); both pointers are
    // valid for the call, the _r functions are re-entrant, and the result
    // is checked before tm is used.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if f(&t, &mut tm).is_null() {
            None
        } else {
            Some(BrokenDown { tm })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_fields_and_strftime() {
        let tm = BrokenDown::utc(1_555_593_609).unwrap();
        assert_eq!((tm.year(), tm.years_since_1900(), tm.month0(), tm.day()), (2019, 119, 3, 18));
        assert_eq!((tm.hour(), tm.minute(), tm.second(), tm.utc_offset()), (13, 20, 9, 0));
        assert_eq!(tm.format("%T").unwrap(), "13:20:09");
        assert_eq!(tm.format("%Y-%m-%d").unwrap(), "2019-04-18");
        assert_eq!(tm.format("").as_deref(), None);
        assert_eq!(format!("{tm:?}"), "2019-04-18 13:20:09 +0s");
    }

    #[test]
    fn times_libc_cannot_break_down_are_none() {
        assert!(BrokenDown::utc(i64::MAX).is_none());
        assert!(BrokenDown::local(i64::MAX).is_none());
    }
}
