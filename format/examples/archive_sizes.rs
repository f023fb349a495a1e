//! Bytes of each frame kind over an archive: where the size goes.
use sarkit_format::archive::Archive;
use std::collections::BTreeMap;
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let ar = Archive::open(std::path::Path::new(&p)).unwrap();
    let f = sarkit_format::SaFile::open(&p).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let mut sizes: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for b in &ar.index.blocks {
        let t = &bytes[b.offset as usize..(b.offset + b.table_len as u64) as usize];
        let u = |at: usize| u32::from_le_bytes(t[at..at + 4].try_into().unwrap()) as usize;
        let ne = u(4);
        let mut at = 8 + 9 * ne;
        let nn = u(at);
        at += 4 + 4 * nn;
        let nf = u(at);
        at += 4;
        for i in 0..nf {
            let (c, r) = (u(at + 12 * i), u(at + 12 * i + 4));
            let name = match i {
                0 => "raw".to_string(),
                1 => "headers".to_string(),
                k => format!(
                    "{:?}",
                    sarkit_format::ActivityId(f.info.activities[k - 2].id).info().map(|a| a.name).unwrap_or("?")
                ),
            };
            let e = sizes.entry(name).or_default();
            e.0 += c as u64;
            e.1 += r as u64;
        }
    }
    let mut v: Vec<_> = sizes.into_iter().collect();
    v.sort_by_key(|(_, (c, _))| std::cmp::Reverse(*c));
    for (n, (c, r)) in v.iter().take(25) {
        println!("{n:24} {c:>12} {r:>12}");
    }
    println!("blocks {}", ar.index.blocks.len());
}
