//! /proc/loadavg for A_QUEUE (blocked tasks come from /proc/stat).

use nom::bytes::complete::tag;
use nom::character::complete::{char, digit1, space1, u64 as dec};
use nom::combinator::map;
use nom::sequence::{separated_pair, tuple};
use nom::IResult;
use sarkit_format::stats::StatsQueue;

use super::ParseError;

/// "3.16" as hundredths, the way sadc reads it: integer part times 100
/// plus the digits after the point taken as a number.
fn load(i: &[u8]) -> IResult<&[u8], u32> {
    map(separated_pair(digit1, char('.'), digit1), |(a, b): (&[u8], &[u8])| {
        let n = |d: &[u8]| d.iter().fold(0u32, |v, &c| v.wrapping_mul(10).wrapping_add(u32::from(c - b'0')));
        n(a).wrapping_mul(100).wrapping_add(n(b))
    })(i)
}

/// Load averages, runnable tasks (minus the reader) and threads.
pub fn parse(data: &[u8]) -> Result<StatsQueue, ParseError> {
    let data = super::scan::c_str(data);
    let start = data.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(data.len());
    let r: IResult<&[u8], _> =
        tuple((load, space1, load, space1, load, space1, separated_pair(dec, tag("/"), dec)))(&data[start..]);
    let (_, (l1, _, l5, _, l15, _, (running, threads))) = r.map_err(|_| ParseError("loadavg"))?;
    Ok(StatsQueue {
        nr_running: running.saturating_sub(1),
        nr_threads: threads,
        load_avg_1: l1,
        load_avg_5: l5,
        load_avg_15: l15,
        procs_blocked: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_loads_and_tasks() {
        let q = parse(b"3.16 3.24 13.43 4/956 27015\n").unwrap();
        assert_eq!((q.load_avg_1, q.load_avg_5, q.load_avg_15), (316, 324, 1343));
        assert_eq!((q.nr_running, q.nr_threads), (3, 956));
        assert_eq!(parse(b"0.00 0.00 0.00 0/5 1").unwrap().nr_running, 0);
    }

    #[test]
    fn malformed_input_is_an_error() {
        assert!(parse(b"").is_err());
        assert!(parse(b"3.16 3.24 x 4/956").is_err());
        assert!(parse(b"3 3 3 4/956").is_err());
    }
}
