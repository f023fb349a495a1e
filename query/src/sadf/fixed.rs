//! sadf `-d`'s fixed-point numbers (`%.2f`, `%.0f`, printed with Rust's
//! `{:.2}` and `{:.0}`) without `fmt`: the exports print or round hundreds
//! of millions of them.
//!
//! The fast path scales the number to an integer and rounds. Below 2^40
//! the scaled product is off by less than 2^-14, so away from a half
//! (by 10^-4) its rounding is fmt's exact decimal rounding; near a half
//! the number is compared with the half exactly, in integers, and a half
//! itself goes to even, as fmt does. Every other number (huge, NaN,
//! infinite) goes through `fmt` itself.

use std::io::Write;

/// 10^d for the decimals d the fast path takes.
const SCALES: [u64; 3] = [1, 10, 100];

/// The number scaled by 10^`decimals` and rounded as fmt rounds it, its
/// sign and the scale, where the fast path is exact.
#[inline]
fn scaled(x: f64, decimals: u32) -> Option<(bool, u64, u64)> {
    let scale = *SCALES.get(decimals as usize)?;
    let a = x.abs();
    let y = a * scale as f64;
    // Also refuses NaN, which compares as nothing.
    if y.partial_cmp(&((1u64 << 40) as f64)) != Some(std::cmp::Ordering::Less) {
        return None;
    }
    // Non-negative and below 2^40: the cast is the floor.
    let whole = y as i64 as u64;
    let frac = y - whole as f64;
    let neg = x.is_sign_negative();
    if (frac - 0.5).abs() >= 1e-4 {
        return Some((neg, whole + u64::from(frac > 0.5), scale));
    }
    // Near a half: compare a = m / 2^shift with the half, (2 whole + 1) /
    // (2 scale), exactly; a half itself goes to the even neighbour, as in fmt.
    let bits = a.to_bits();
    let m = (bits & ((1 << 52) - 1)) | (1 << 52);
    let shift = 1075 - (bits >> 52) as i64;
    if !(0..=80).contains(&shift) || bits >> 52 == 0 {
        return None;
    }
    let lhs = u128::from(m) * u128::from(2 * scale);
    let rhs = u128::from(2 * whole + 1) << shift;
    let up = match lhs.cmp(&rhs) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => whole & 1 == 1,
    };
    Some((neg, whole + u64::from(up), scale))
}

/// Append `x` as `format!("{x:.decimals$}")` writes it.
pub fn write(out: &mut Vec<u8>, x: f64, decimals: u32) {
    let Some((neg, n, scale)) = scaled(x, decimals) else {
        let _ = write!(out, "{x:.*}", decimals as usize);
        return;
    };
    if neg {
        out.push(b'-');
    }
    let mut buf = itoa::Buffer::new();
    if decimals == 0 {
        out.extend_from_slice(buf.format(n).as_bytes());
        return;
    }
    out.extend_from_slice(buf.format(n / scale).as_bytes());
    out.push(b'.');
    // The decimals, zeros in front kept: the digits of scale + n % scale after the 1.
    let frac = buf.format(n % scale + scale).as_bytes();
    out.extend_from_slice(frac.get(1..).unwrap_or_default());
}

/// The number `format!("{x:.decimals$}")` prints, read back: the `f64`
/// nearest to the decimal sadf `-d` shows.
pub fn round(x: f64, decimals: u32) -> f64 {
    match scaled(x, decimals) {
        // n is below 2^40, so exact; the division rounds correctly, as parsing does.
        Some((neg, n, scale)) => {
            let v = n as i64 as f64 / scale as f64;
            if neg {
                -v
            } else {
                v
            }
        }
        None => format!("{x:.*}", decimals as usize).parse().unwrap_or(x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(x: f64) {
        for d in [0, 1, 2] {
            let mut out = Vec::new();
            write(&mut out, x, d);
            let want = format!("{x:.*}", d as usize);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{x:e} .{d}");
            let r = round(x, d);
            let back: f64 = want.parse().unwrap();
            assert!(r.to_bits() == back.to_bits() || (r.is_nan() && back.is_nan()), "{x:e} .{d}: {r} vs {back}");
        }
    }

    #[test]
    fn edges_print_as_fmt_does() {
        for x in [
            0.0,
            -0.0,
            -0.001,
            0.005,
            1.005,
            0.125,
            0.375,
            2.5,
            0.5,
            1.5,
            -0.5,
            99.995,
            1e12,
            1.1e12,
            1e300,
            -1e-300,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
            4503599627370495.5,
        ] {
            check(x);
        }
    }

    #[test]
    fn ratios_of_counts_print_as_fmt_does() {
        // What the reports compute: differences of counts over intervals.
        for a in 0..2000u64 {
            for b in [1u64, 2, 3, 4, 7, 8, 16, 40, 100, 1600, 6000, 86_400] {
                check(a as f64 / b as f64 * 100.0);
                check(a as f64 * 1.5 / b as f64);
                check(a as f64 / b as f64);
            }
        }
    }

    proptest! {
        #[test]
        fn any_number_prints_as_fmt_does(x in proptest::num::f64::ANY) {
            check(x);
        }

        #[test]
        fn usual_numbers_print_as_fmt_does(x in -1e13f64..1e13) {
            check(x);
        }

        /// The doubles around halves (0.125, 0.025...), a few ulps either side.
        #[test]
        fn numbers_near_halves_print_as_fmt_does(w in 0u64..1 << 38, d in 0u32..3, ulps in -4i64..5) {
            let half = (2 * w + 1) as f64 / (2.0 * 10f64.powi(d as i32));
            check(f64::from_bits((half.to_bits() as i64 + ulps) as u64));
        }
    }
}
