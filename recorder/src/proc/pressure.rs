//! /proc/pressure/{cpu,io,memory} (A_PSI_*): stall averages in hundredths
//! of a percent and total stall time in microseconds.

use nom::bytes::complete::tag;
use nom::character::complete::{char, digit1, space1, u64 as dec};
use nom::combinator::map;
use nom::sequence::{preceded, separated_pair, tuple};
use nom::IResult;

use super::scan::fgets_lines;

const LINE: usize = 8192;

/// One "some" or "full" line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Psi {
    pub avg10: u64,
    pub avg60: u64,
    pub avg300: u64,
    pub total: u64,
}

fn avg<'a>(name: &'static str) -> impl FnMut(&'a [u8]) -> IResult<&'a [u8], u64> {
    preceded(
        tag(name),
        map(separated_pair(dec, char('.'), digit1), |(a, b): (u64, &[u8])| {
            let frac = b.iter().fold(0u64, |v, &c| v.wrapping_mul(10).wrapping_add(u64::from(c - b'0')));
            a.wrapping_mul(100).wrapping_add(frac)
        }),
    )
}

fn line(i: &[u8]) -> IResult<&[u8], Psi> {
    map(
        tuple((avg("avg10="), space1, avg("avg60="), space1, avg("avg300="), space1, preceded(tag("total="), dec))),
        |(avg10, _, avg60, _, avg300, _, total)| Psi { avg10, avg60, avg300, total },
    )(i)
}

/// The last line starting with `kind` ("some" or "full"); `None` when that
/// line does not parse or there is none.
pub fn parse(data: &[u8], kind: &str) -> Option<Psi> {
    let mut found = None;
    for l in fgets_lines(data, LINE) {
        if l.starts_with(kind.as_bytes()) {
            found = Some(line(super::scan::from(l, kind.len() + 1)).ok().map(|(_, p)| p));
        }
    }
    found.flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const IO: &[u8] =
        b"some avg10=0.45 avg60=10.34 avg300=0.20 total=96242289\nfull avg10=0.05 avg60=0.33 avg300=0.20 total=92732851\n";

    #[test]
    fn reads_some_and_full() {
        assert_eq!(parse(IO, "some"), Some(Psi { avg10: 45, avg60: 1034, avg300: 20, total: 96242289 }));
        assert_eq!(parse(IO, "full").map(|p| (p.avg10, p.total)), Some((5, 92732851)));
    }

    #[test]
    fn malformed_or_missing_lines_give_none() {
        assert_eq!(parse(b"some avg10=0.45\n", "some"), None);
        assert_eq!(parse(IO, "other"), None);
        assert_eq!(parse(b"", "some"), None);
        assert_eq!(parse(b"some\n", "some"), None);
    }
}
