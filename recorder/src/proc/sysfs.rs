//! Small /sys files: USB devices (A_PWR_USB), batteries (A_PWR_BAT), Fibre
//! Channel hosts (A_NET_FC) and hardware monitors (A_PWR_FAN/TEMP/IN).

use super::scan::{c_str, fgets_lines, Scan};

/// `manufacturer` and `product` as sadc stores them: `fgets` into a buffer
/// one byte shorter than the field, then the last character dropped (the
/// newline, normally).
pub fn usb_string<const N: usize>(data: &[u8]) -> Option<sarkit_format::stats::CChars<N>> {
    let first = fgets_lines(data, N.saturating_sub(1)).next()?;
    let s = c_str(first);
    let s = s.get(..s.len().saturating_sub(1)).unwrap_or(&[]);
    Some(super::scan::c_chars(s))
}

/// `idVendor`, `idProduct`: hexadecimal.
pub fn parse_hex(data: &[u8]) -> Option<u32> {
    Scan::new(data).hex().map(|v| v as u32)
}

/// `bMaxPower` ("100mA"), `capacity`: leading decimal number.
pub fn parse_u32(data: &[u8]) -> Option<u32> {
    Scan::new(data).u32()
}

/// Battery `status` as sysstat codes it.
pub fn battery_status(data: &[u8]) -> u8 {
    let s = fgets_lines(data, 64).next().unwrap_or(&[]);
    if s.starts_with(b"Charging") {
        1
    } else if s.starts_with(b"Discharging") {
        2
    } else if s.starts_with(b"Not charging") {
        3
    } else if s.starts_with(b"Full") {
        4
    } else {
        0
    }
}

/// Fibre Channel statistics files: hexadecimal on the first line.
pub fn parse_fc_counter(data: &[u8]) -> u64 {
    fgets_lines(data, 256).next().and_then(|l| Scan::new(l).hex()).unwrap_or(0)
}

/// hwmon values in thousandths (m°C, mV) as a float in degrees or volts.
pub fn parse_milli(data: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(c_str(data)).ok()?;
    s.split_whitespace().next()?.parse::<f64>().ok().map(|v| v / 1000.0)
}

/// hwmon fan speeds, in rpm.
pub fn parse_rpm(data: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(c_str(data)).ok()?;
    s.split_whitespace().next()?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usb_fields() {
        let m: sarkit_format::stats::CChars<24> = usb_string(b"Linux Foundation\n").unwrap();
        assert_eq!(m.to_str_lossy(), "Linux Foundation");
        let long: sarkit_format::stats::CChars<24> = usb_string(b"abcdefghijklmnopqrstuvwxyz\n").unwrap();
        assert_eq!(long.to_str_lossy(), "abcdefghijklmnopqrstu");
        assert!(usb_string::<24>(b"").is_none());
        assert_eq!(parse_hex(b"1d6b\n"), Some(0x1d6b));
        assert_eq!(parse_u32(b"100mA\n"), Some(100));
        assert_eq!(parse_hex(b"zz"), None);
    }

    #[test]
    fn battery_and_fc() {
        assert_eq!(battery_status(b"Discharging\n"), 2);
        assert_eq!(battery_status(b"Not charging\n"), 3);
        assert_eq!(battery_status(b"Full\n"), 4);
        assert_eq!(battery_status(b"weird"), 0);
        assert_eq!(parse_fc_counter(b"0x1f\n"), 31);
        assert_eq!(parse_fc_counter(b"nope\n"), 0);
    }

    #[test]
    fn hwmon_values() {
        assert_eq!(parse_milli(b"45000\n"), Some(45.0));
        assert_eq!(parse_rpm(b"1200\n"), Some(1200.0));
        assert_eq!(parse_milli(b"x"), None);
        assert_eq!(parse_rpm(b"\xff"), None);
    }
}
