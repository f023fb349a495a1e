//! Bytes of every activity's columns (the first block's worth of records,
//! 3,600 at most) under three encodings, and the order-0 entropy of the
//! columns' differences; see spec/archive.md, section 10.

use std::collections::{BTreeMap, HashMap};

use sarkit_format::{ActivityId, RecordKind, SaFile};

/// Field widths of one structure, as spec/archive.md section 5 cuts it.
fn fields(t: [u32; 3], size: u32) -> Vec<u8> {
    let map = t[0] * 8 + t[1] * 8 + t[2] * 4;
    if map > size {
        return vec![1; size as usize];
    }
    let mut f = vec![8u8; (t[0] + t[1]) as usize];
    f.extend(std::iter::repeat_n(4u8, t[2] as usize));
    f.extend(std::iter::repeat_n(1u8, (size - map) as usize));
    f
}

fn varint(out: &mut Vec<u8>, mut z: u64) {
    while z >= 0x80 {
        out.push(z as u8 | 0x80);
        z >>= 7;
    }
    out.push(z as u8);
}

/// Empirical order-0 entropy of `v`, in bytes.
fn entropy(v: &[i64]) -> f64 {
    let mut m = HashMap::new();
    for x in v {
        *m.entry(*x).or_insert(0usize) += 1;
    }
    let n = v.len() as f64;
    m.values().map(|&c| -(c as f64) * (c as f64 / n).log2()).sum::<f64>() / 8.0
}

fn pco_len<T: pco::data_types::Number>(col: &[T], constant: bool, width: usize) -> usize {
    if col.is_empty() {
        0
    } else if constant {
        width + 1
    } else {
        pco::standalone::simple_compress(col, &pco::ChunkConfig::default()).expect("pco").len()
    }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: archive-codecs FILE");
    let mut f = SaFile::open(&path).expect("open");
    let info = f.info.clone();
    let mut rows: BTreeMap<usize, (u32, Vec<u8>)> = BTreeMap::new();
    let mut n = 0;
    while let Some(r) = f.next_record().expect("read") {
        if let RecordKind::Stats(s) = r.kind {
            for b in s.blocks() {
                let i = info.activities.iter().position(|a| a.id == b.id().0).expect("listed");
                let e = rows.entry(i).or_insert((b.nr, Vec::new()));
                if e.0 == b.nr {
                    e.1.extend_from_slice(b.bytes());
                }
            }
            n += 1;
            if n == 3600 {
                break;
            }
        }
    }
    let order = info.magic.order;
    let (mut tz, mut tcol, mut tcat, mut th) = (0, 0, 0, 0.0);
    for (i, (nr, data)) in &rows {
        let fa = info.activities[*i];
        let item = fields(fa.types_nr, fa.size as u32);
        let fl: Vec<u8> = (0..*nr as usize * fa.nr2 as usize).flat_map(|_| item.iter().copied()).collect();
        let seg: usize = fl.iter().map(|&w| w as usize).sum();
        if seg == 0 {
            continue;
        }
        let nrows = data.len() / seg;
        let (mut enc, mut bytes, mut c64, mut c32) = (Vec::new(), Vec::new(), Vec::<u64>::new(), Vec::<u32>::new());
        let (mut per_col, mut h, mut off) = (0, 0.0, 0);
        for &w in &fl {
            let col: Vec<u64> = (0..nrows)
                .map(|r| {
                    let a = r * seg + off;
                    match w {
                        8 => order.u64(data[a..a + 8].try_into().unwrap()),
                        4 => u64::from(order.u32(data[a..a + 4].try_into().unwrap())),
                        _ => u64::from(data[a]),
                    }
                })
                .collect();
            let constant = col.iter().all(|&v| v == col[0]);
            let mut prev = 0u64;
            let mut diffs = Vec::with_capacity(nrows);
            for &v in &col {
                let d = match w {
                    8 => v.wrapping_sub(prev) as i64,
                    4 => (v as u32).wrapping_sub(prev as u32) as i32 as i64,
                    _ => i64::from((v as u8).wrapping_sub(prev as u8)),
                };
                match w {
                    1 => {
                        enc.push(d as u8);
                        bytes.push(d as u8);
                    }
                    _ => varint(&mut enc, ((d << 1) ^ (d >> 63)) as u64),
                }
                diffs.push(d);
                prev = v;
            }
            h += entropy(&diffs[1.min(diffs.len())..]);
            match w {
                8 => {
                    per_col += pco_len(&col, constant, 8);
                    c64.extend(&col);
                }
                4 => {
                    let col: Vec<u32> = col.iter().map(|&v| v as u32).collect();
                    per_col += pco_len(&col, constant, 4);
                    c32.extend(col);
                }
                _ => {}
            }
            off += w as usize;
        }
        let z = zstd::bulk::compress(&enc, 9).expect("zstd").len();
        let zb = if bytes.is_empty() { 0 } else { zstd::bulk::compress(&bytes, 9).expect("zstd").len() };
        let cat = pco_len(&c64, false, 8) + pco_len(&c32, false, 4) + zb;
        let name = ActivityId(fa.id).info().map_or("?", |a| a.name);
        println!(
            "{name:14} rows {nrows:5} columns {:5}  zstd {z:9}  pco/column {:9}  pco/activity {cat:9}",
            fl.len(),
            per_col + zb
        );
        (tz, tcol, tcat, th) = (tz + z, tcol + per_col + zb, tcat + cat, th + h);
    }
    println!(
        "total: zstd {tz}, pco per column {tcol}, pco per activity {tcat}; order-0 entropy of the differences {th:.0}"
    );
}
