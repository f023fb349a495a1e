//! C-flavoured field scanning, so that values read from a file match what
//! sadc gets from `fgets` and `sscanf`: numbers may carry a sign, overflow
//! saturates like `strtoull`, a field that does not parse stops the scan and
//! leaves the fields after it unassigned.

/// Lines as `fgets` with a buffer of `size` bytes returns them: a line
/// longer than `size - 1` bytes comes in several pieces. Each piece keeps
/// its newline and ends at the first NUL, as C string functions see it.
pub fn fgets_lines(data: &[u8], size: usize) -> impl Iterator<Item = &[u8]> {
    let max = size.saturating_sub(1).max(1);
    let mut rest = data;
    // Files from /proc have no NUL: look for one once, not in every piece.
    let has_nul = memchr::memchr(0, data).is_some();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let window = rest.get(..max).unwrap_or(rest);
        let n = memchr::memchr(b'\n', window).map_or(window.len(), |p| p + 1);
        let (piece, tail) = rest.split_at(n);
        rest = tail;
        Some(if has_nul { c_str(piece) } else { piece })
    })
}

/// The bytes before the first NUL.
pub fn c_str(b: &[u8]) -> &[u8] {
    memchr::memchr(0, b).map_or(b, |p| &b[..p])
}

/// `b` as text, invalid UTF-8 replaced; borrowed when valid (the common
/// case, which `str::from_utf8` checks faster than `String::from_utf8_lossy`).
pub fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(b).map_or_else(|_| String::from_utf8_lossy(b), std::borrow::Cow::Borrowed)
}

/// `b` from byte `n` on, or an empty slice when shorter.
pub fn from(b: &[u8], n: usize) -> &[u8] {
    b.get(n..).unwrap_or(&[])
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// An optional sign, then at least one digit: (negative, digits, rest).
fn sign_digits(i: &[u8], radix: u32) -> Option<(bool, &[u8], &[u8])> {
    let (neg, body) = match i.first() {
        Some(b'-') => (true, from(i, 1)),
        Some(b'+') => (false, from(i, 1)),
        _ => (false, i),
    };
    let n = body.iter().take_while(|&&c| (c as char).is_digit(radix)).count();
    if n == 0 {
        return None;
    }
    let (digits, rest) = body.split_at(n);
    Some((neg, digits, rest))
}

fn fold(digits: &[u8], radix: u32, neg: bool) -> u64 {
    let mut v: u64 = 0;
    let mut over = false;
    for &d in digits {
        let x = (d as char).to_digit(radix).unwrap_or(0) as u64;
        match v.checked_mul(radix as u64).and_then(|v| v.checked_add(x)) {
            Some(n) => v = n,
            None => over = true,
        }
    }
    if over {
        v = u64::MAX;
    }
    if neg {
        v.wrapping_neg()
    } else {
        v
    }
}

/// A cursor over one line, reading fields the way `sscanf` does. The
/// line ends at its first NUL, as a C string: no field reads a NUL, so
/// none goes past one (which spares looking for it in every line).
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    s: &'a [u8],
}

impl<'a> Scan<'a> {
    pub fn new(s: &'a [u8]) -> Self {
        Scan { s }
    }

    /// What is left of the line.
    pub fn rest(&self) -> &'a [u8] {
        c_str(self.s)
    }

    fn skip_ws(&mut self) {
        let n = self.s.iter().position(|&c| !is_space(c)).unwrap_or(self.s.len());
        self.s = from(self.s, n);
    }

    /// `%llu` / `%lu`: optional sign then decimal digits. One pass: this
    /// reads most of the numbers of a sample.
    pub fn u64(&mut self) -> Option<u64> {
        self.skip_ws();
        let (neg, body) = match self.s {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            s => (false, s),
        };
        let (mut v, mut over, mut n) = (0u64, false, 0);
        for &c in body {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            let (m, o1) = v.overflowing_mul(10);
            let (a, o2) = m.overflowing_add(u64::from(d));
            (v, over, n) = (a, over | o1 | o2, n + 1);
        }
        if n == 0 {
            return None;
        }
        self.s = from(body, n);
        let v = if over { u64::MAX } else { v };
        Some(if neg { v.wrapping_neg() } else { v })
    }

    /// `%u`: the 64-bit value truncated to 32 bits, as glibc stores it.
    pub fn u32(&mut self) -> Option<u32> {
        self.u64().map(|v| v as u32)
    }

    /// `%x` / `%lx`: hexadecimal, with an optional `0x` prefix.
    pub fn hex(&mut self) -> Option<u64> {
        self.skip_ws();
        let (after_sign, neg) = match self.s.first() {
            Some(b'-') => (from(self.s, 1), true),
            Some(b'+') => (from(self.s, 1), false),
            _ => (self.s, false),
        };
        let body = match after_sign {
            [b'0', b'x' | b'X', c, ..] if (*c as char).is_ascii_hexdigit() => from(after_sign, 2),
            _ => after_sign,
        };
        let (_, digits, rest) = sign_digits(body, 16)?;
        self.s = rest;
        Some(fold(digits, 16, neg))
    }

    /// The next byte after blanks, left to be read.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.first().copied().filter(|&c| c != 0)
    }

    /// `%Ns`: up to `max` non-blank bytes after leading blanks.
    pub fn word(&mut self, max: usize) -> Option<&'a [u8]> {
        self.skip_ws();
        let n = self.s.iter().take(max).take_while(|&&c| c != 0 && !is_space(c)).count();
        if n == 0 {
            return None;
        }
        let (w, rest) = self.s.split_at(n);
        self.s = rest;
        Some(w)
    }

    /// A literal in a format: blanks in `lit` match any run of blanks,
    /// other bytes must match exactly.
    pub fn lit(&mut self, lit: &str) -> bool {
        let mut s = self.s;
        for &c in lit.as_bytes() {
            if is_space(c) {
                let n = s.iter().take_while(|&&c| is_space(c)).count();
                s = from(s, n);
            } else if s.first() == Some(&c) {
                s = from(s, 1);
            } else {
                return false;
            }
        }
        self.s = s;
        true
    }

    /// Decimal numbers until the first that does not parse.
    pub fn u64s(&mut self) -> Vec<u64> {
        std::iter::from_fn(|| self.u64()).collect()
    }

    /// The first `N` numbers `u64s` would return, without allocating,
    /// and how many there are (at most `N`).
    pub fn first_u64s<const N: usize>(&mut self) -> ([u64; N], usize) {
        let mut v = [0; N];
        let mut n = 0;
        while n < N {
            let Some(x) = self.u64() else { break };
            v[n] = x;
            n += 1;
        }
        (v, n)
    }
}

/// Decimal numbers at the start of `s`, until the first that does not parse.
pub fn numbers(s: &[u8]) -> Vec<u64> {
    Scan::new(s).u64s()
}

/// The value at `i` of a scan, if the scan got that far.
pub fn at(v: &[u64], i: usize) -> Option<u64> {
    v.get(i).copied()
}

/// Copy `s` into a NUL-terminated field of `N` bytes, truncating.
pub fn c_chars<const N: usize>(s: &[u8]) -> sarkit_format::stats::CChars<N> {
    let mut a = [0u8; N];
    let n = s.len().min(N.saturating_sub(1));
    a[..n].copy_from_slice(&s[..n]);
    sarkit_format::stats::CChars(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fgets_splits_long_lines() {
        let v: Vec<&[u8]> = fgets_lines(b"abcdef\ngh\n", 4).collect();
        assert_eq!(v, vec![&b"abc"[..], b"def", b"\n", b"gh\n"]);
        let v: Vec<&[u8]> = fgets_lines(b"a\0b\nc", 100).collect();
        assert_eq!(v, vec![&b"a"[..], b"c"]);
        assert_eq!(fgets_lines(b"", 10).count(), 0);
    }

    #[test]
    fn numbers_behave_like_strtoull() {
        let mut s = Scan::new(b"  12 -1 99999999999999999999999 7x 8");
        assert_eq!(s.u64(), Some(12));
        assert_eq!(s.u64(), Some(u64::MAX));
        assert_eq!(s.u64(), Some(u64::MAX));
        assert_eq!(s.u64(), Some(7));
        assert_eq!(s.u64(), None);
        assert_eq!(numbers(b"1 2 x 3"), vec![1, 2]);
        assert_eq!(Scan::new(b"4294967297").u32(), Some(1));
    }

    #[test]
    fn hex_words_and_literals() {
        let mut s = Scan::new(b"0x1f ff zz");
        assert_eq!(s.hex(), Some(31));
        assert_eq!(s.hex(), Some(255));
        assert_eq!(s.hex(), None);
        let mut s = Scan::new(b"  eth0 rest");
        assert_eq!(s.word(2), Some(&b"et"[..]));
        assert_eq!(s.word(15), Some(&b"h0"[..]));
        let mut s = Scan::new(b"avg10=1.50  avg60");
        assert!(s.lit("avg10="));
        assert_eq!(s.u64(), Some(1));
        assert!(s.lit("."));
        assert_eq!(s.u64(), Some(50));
        assert!(s.lit(" avg60"));
        assert!(!s.lit("x"));
    }

    #[test]
    fn a_line_ends_at_its_first_nul() {
        let mut s = Scan::new(b"12 ab\0cd 34");
        assert_eq!(s.u64(), Some(12));
        assert_eq!(s.rest(), b" ab");
        assert_eq!(s.word(10), Some(&b"ab"[..]));
        assert_eq!((s.peek(), s.word(10), s.u64(), s.rest()), (None, None, None, &b""[..]));
        assert_eq!(Scan::new(b"\0 5").u64(), None);
        assert!(!Scan::new(b"a\0b").lit("ab"));
    }

    #[test]
    fn c_chars_truncates_and_terminates() {
        let c: sarkit_format::stats::CChars<4> = c_chars(b"abcdef");
        assert_eq!(c.0, *b"abc\0");
    }
}
