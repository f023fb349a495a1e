//! Kernel tables (A_KTABLES): /proc/sys/fs/{dentry-state,file-nr,inode-state}
//! and /proc/sys/kernel/pty/nr.

use super::scan::Scan;

/// dentry-state: unused dentries, the second number.
pub fn parse_dentry_state(data: &[u8]) -> u64 {
    let mut s = Scan::new(data);
    s.u64().and_then(|_| s.u64()).unwrap_or(0)
}

/// file-nr and inode-state: allocated minus free, the first two numbers.
pub fn parse_used(data: &[u8]) -> u64 {
    let mut s = Scan::new(data);
    match (s.u64(), s.u64()) {
        (Some(a), Some(b)) => a.wrapping_sub(b),
        _ => 0,
    }
}

/// pty/nr: ptys in use.
pub fn parse_pty_nr(data: &[u8]) -> u64 {
    Scan::new(data).u64().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables() {
        assert_eq!(parse_dentry_state(b"181127\t156063\t45\t0\t22573\t0\n"), 156063);
        assert_eq!(parse_used(b"16704\t0\t809467\n"), 16704);
        assert_eq!(parse_used(b"158386\t651\t0\t0\t0\t0\t0\n"), 157735);
        assert_eq!(parse_pty_nr(b"3\n"), 3);
    }

    #[test]
    fn malformed_input_gives_zero() {
        assert_eq!(parse_dentry_state(b"1"), 0);
        assert_eq!(parse_used(b"x 1"), 0);
        assert_eq!(parse_used(b""), 0);
        assert_eq!(parse_pty_nr(b"-"), 0);
    }
}
