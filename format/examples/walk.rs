//! Walk a data file and summarise it: `cargo run --example walk -- FILE...`.
//! A debugging aid: shows how far a file reads and which error stops it.

use sarkit_format::{RecordKind, SaFile};

fn main() {
    for path in std::env::args().skip(1) {
        let mut f = match SaFile::open(&path) {
            Ok(f) => f,
            Err(e) => {
                println!("{path}: open: {e}");
                continue;
            }
        };
        let (mut stats, mut restarts, mut comments) = (0, 0, 0);
        let end = loop {
            match f.next_record() {
                Ok(Some(r)) => match r.kind {
                    RecordKind::Stats(_) => stats += 1,
                    RecordKind::Restart { .. } => restarts += 1,
                    RecordKind::Comment(_) => comments += 1,
                },
                Ok(None) => break "end".to_string(),
                Err(e) => break format!("error: {e}"),
            }
        };
        let v = f.info.magic.version;
        println!(
            "{path}: {v} {:?} long{} acts={} stats={stats} restarts={restarts} comments={comments} {end}",
            f.info.enc.order,
            if f.info.enc.long64 { 64 } else { 32 },
            f.info.activities.len()
        );
    }
}
