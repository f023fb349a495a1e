//! /proc/uptime: machine uptime for record headers.

use nom::character::complete::{char, digit1, u64 as dec};
use nom::sequence::separated_pair;
use nom::IResult;

use super::ParseError;

/// Uptime in hundredths of a second: seconds times 100 plus the digits
/// after the point taken as a number, as sadc computes it.
pub fn parse(data: &[u8]) -> Result<u64, ParseError> {
    let data = super::scan::c_str(data);
    let start = data.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(data.len());
    let r: IResult<&[u8], (u64, &[u8])> = separated_pair(dec, char('.'), digit1)(&data[start..]);
    let (_, (sec, cent)) = r.map_err(|_| ParseError("uptime"))?;
    let cent = cent.iter().fold(0u64, |v, &c| v.wrapping_mul(10).wrapping_add(u64::from(c - b'0')));
    Ok(sec.wrapping_mul(100).wrapping_add(cent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hundredths() {
        assert_eq!(parse(b"7192.55 29212.05\n"), Ok(719255));
        assert_eq!(parse(b"  12.5 1.0"), Ok(1205));
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(parse(b"").is_err());
        assert!(parse(b"12 5").is_err());
        assert!(parse(b"abc").is_err());
    }
}
