//! What the recorder's integration tests share.

use std::path::Path;

use sarkit_format::{RecordKind, SaFile};

/// (records, stats times) of a file that must read to its end without error.
pub fn read_fully(path: &Path) -> (usize, Vec<u64>) {
    let mut f = SaFile::open(path).unwrap();
    let (mut n, mut times) = (0, Vec::new());
    while let Some(r) = f.next_record().unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        n += 1;
        if let RecordKind::Stats(_) = r.kind {
            times.push(r.header.ust_time);
        }
    }
    (n, times)
}
