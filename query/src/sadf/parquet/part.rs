//! One Parquet part file: `OUTDIR/DATASET/host=H/date=D/part.parquet`.
//!
//! Rows arrive one at a time from the reports, interval after interval,
//! but a Parquet row group is written column by column, so a part keeps
//! its rows in typed column buffers and writes a row group when the
//! buffers hold [`ROW_GROUP_VALUES`] values, or when the exporter asks
//! (after each input file, which keeps memory bounded by one file's share
//! of a part).
//!
//! A row group is written series by series (a series is one item: a CPU,
//! an interface, an interrupt and CPU), each in time order: a series'
//! values then sit together, which is what the encodings and zstd need
//! (a rate's successive values are close, its timestamps one interval
//! apart). A row keeps its item as a series number, not as bytes, so a
//! row costs no allocation.
//!
//! The file is written as `part.parquet.tmp` and renamed over
//! `part.parquet` when complete: readers never see half a file, and a part
//! written again replaces the old one (it is derived data).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::column::writer::ColumnWriterImpl;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;

use crate::sadf::fixed;
use crate::sar::report::values::Val;

/// Values (rows times columns) buffered before a row group is written:
/// about 8 MB of doubles, large enough for good compression and for
/// DuckDB's row-group parallelism, small enough for many open parts.
pub const ROW_GROUP_VALUES: usize = 1 << 20;

/// How a value column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// DOUBLE: sadf's `%.2f` and `%.0f` values, as printed (the decimal
    /// read back, the nearest `f64`).
    Double,
    /// INT64 annotated as unsigned (UBIGINT in DuckDB): sadf's `%llu` counts.
    Count,
    /// STRING (BYTE_ARRAY, UTF8): names, statuses, hexadecimal ids.
    Text,
}

impl ColKind {
    /// The column a report's value goes to.
    pub fn of(v: &Val<'_>) -> ColKind {
        match v {
            Val::F(_) | Val::R(_) => ColKind::Double,
            Val::U(_) => ColKind::Count,
            Val::S(_) => ColKind::Text,
        }
    }
}

/// A column's buffered values.
enum Buf {
    Double(Vec<f64>),
    Count(Vec<i64>),
    Text(Vec<ByteArray>),
}

impl Buf {
    fn new(kind: ColKind) -> Buf {
        match kind {
            ColKind::Double => Buf::Double(Vec::new()),
            ColKind::Count => Buf::Count(Vec::new()),
            ColKind::Text => Buf::Text(Vec::new()),
        }
    }

    fn push(&mut self, v: &Val<'_>) {
        let num = |v: &Val<'_>| match *v {
            Val::F(x) | Val::R(x) => x,
            Val::U(x) => x as f64,
            Val::S(_) => 0.0,
        };
        match (self, *v) {
            // The value sadf -d prints: what a sar user sees, and what compresses.
            (Buf::Double(b), Val::F(x)) => b.push(fixed::round(x, 2)),
            (Buf::Double(b), Val::R(x)) => b.push(fixed::round(x, 0)),
            (Buf::Double(b), v) => b.push(num(&v)),
            (Buf::Count(b), Val::U(x)) => b.push(x as i64),
            (Buf::Count(b), v) => b.push(num(&v) as u64 as i64),
            (Buf::Text(b), Val::S(s)) => {
                // Text repeats (a sensor's device, a USB product): share the bytes.
                match b.last() {
                    Some(last) if last.data() == s => {
                        let same = last.clone();
                        b.push(same);
                    }
                    _ => b.push(ByteArray::from(s.to_vec())),
                }
            }
            (Buf::Text(b), v) => b.push(ByteArray::from(num(&v).to_string().into_bytes())),
        }
    }

    fn clear(&mut self) {
        match self {
            Buf::Double(b) => b.clear(),
            Buf::Count(b) => b.clear(),
            Buf::Text(b) => b.clear(),
        }
    }
}

/// A part's columns after `host`, `timestamp` and `interval_s`.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The item columns (`cpu`, `iface`...; interrupts have `intr` and `cpu`), strings.
    pub items: Vec<String>,
    pub values: Vec<(String, ColKind)>,
}

impl Schema {
    /// The Parquet message type.
    fn message(&self) -> String {
        let mut m = String::from(
            "message sarkit {\n  REQUIRED BYTE_ARRAY host (STRING);\n  REQUIRED INT64 timestamp (TIMESTAMP(MICROS,true));\n  REQUIRED INT64 interval_s;\n",
        );
        for i in &self.items {
            m.push_str(&format!("  REQUIRED BYTE_ARRAY {i} (STRING);\n"));
        }
        for (name, kind) in &self.values {
            m.push_str(&match kind {
                ColKind::Double => format!("  REQUIRED DOUBLE {name};\n"),
                ColKind::Count => format!("  REQUIRED INT64 {name} (INTEGER(64,false));\n"),
                ColKind::Text => format!("  REQUIRED BYTE_ARRAY {name} (STRING);\n"),
            });
        }
        m.push('}');
        m
    }
}

/// One series' buffered rows: one item (a CPU, an interface, an
/// interrupt and CPU), in the order they came (time order).
struct SeriesRows {
    /// The series' item values, one per item column.
    items: Vec<ByteArray>,
    /// Microseconds since the epoch.
    ts: Vec<i64>,
    interval: Vec<i64>,
    values: Vec<Buf>,
}

/// The series of a part, numbered in the order first seen.
#[derive(Default)]
struct Series {
    rows: Vec<SeriesRows>,
    /// A series' items, each length-prefixed, to its number.
    index: HashMap<Vec<u8>, usize>,
    /// The number the next row most likely has: the reports hand over an
    /// interval's items in the same order every interval.
    next: usize,
    key: Vec<u8>,
}

impl Series {
    /// The rows of the series of `items`, new (with columns of `kinds`) if unseen.
    fn of(&mut self, items: &[&[u8]], kinds: &[(String, ColKind)]) -> &mut SeriesRows {
        let guess = if self.next < self.rows.len() { self.next } else { 0 };
        let same =
            |s: &SeriesRows| s.items.len() == items.len() && s.items.iter().zip(items).all(|(a, b)| a.data() == *b);
        let id = match self.rows.get(guess) {
            Some(s) if same(s) => guess,
            _ => {
                self.key.clear();
                for it in items {
                    self.key.extend_from_slice(&(it.len() as u64).to_le_bytes());
                    self.key.extend_from_slice(it);
                }
                match self.index.get(&self.key) {
                    Some(&i) => i,
                    None => {
                        let i = self.rows.len();
                        self.rows.push(SeriesRows {
                            items: items.iter().map(|b| ByteArray::from(b.to_vec())).collect(),
                            ts: Vec::new(),
                            interval: Vec::new(),
                            values: kinds.iter().map(|&(_, k)| Buf::new(k)).collect(),
                        });
                        self.index.insert(self.key.clone(), i);
                        i
                    }
                }
            }
        };
        self.next = id + 1;
        &mut self.rows[id]
    }
}

/// A part being written.
pub struct Part {
    path: PathBuf,
    tmp: PathBuf,
    /// The file, until the first row group says how to encode it.
    file: Option<File>,
    writer: Option<SerializedFileWriter<BufWriter<File>>>,
    host: ByteArray,
    pub schema: Schema,
    series: Series,
    /// Rows buffered, over every series.
    buffered: usize,
    /// Values (not counting host, time and items) written or buffered.
    pub value_count: u64,
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// The zstd level. On the synthetic day (`bench/parquet.sh`), 3 (zstd's
/// default) wrote 2% more bytes than 5, which costs 7% more instructions
/// (callgrind, two hours of the day); 6 saved 1% more for 4% more.
const ZSTD_LEVEL: i32 = 5;

/// A data page's size, before compression: larger pages than parquet's
/// 1 MB or 20,000 rows give zstd more to work with (0.6% smaller here);
/// readers read a page at a time either way.
const PAGE_BYTES: usize = 4 << 20;

/// How a DOUBLE column is encoded, from a sample of its first row group:
/// BYTE_STREAM_SPLIT where most values are multiples of 1/256 (rates of
/// whole counts over whole seconds, kB of sectors) and many differ, for
/// their high bytes repeat and their low bytes are zero; a dictionary
/// otherwise (decimals, few distinct values). Measured on the synthetic
/// day (`bench/parquet.sh`), this chose the smaller of the two for every
/// column but a few, within 1% of the total.
fn double_encoding(sample: &mut [f64]) -> Encoding {
    let short = sample.iter().filter(|x| (**x * 256.0).fract() == 0.0).count();
    sample.sort_unstable_by(f64::total_cmp);
    let distinct = 1 + sample.windows(2).filter(|w| w[0].to_bits() != w[1].to_bits()).count();
    if distinct > 32 && short * 10 >= sample.len() * 9 {
        Encoding::BYTE_STREAM_SPLIT
    } else {
        Encoding::RLE_DICTIONARY
    }
}

/// The writer settings: zstd; dictionaries for strings (hosts, items,
/// statuses) and the interval; delta encoding for the times and counts,
/// which change little from one row of a series to the next; each DOUBLE
/// column as [`double_encoding`] chose (`doubles`, in column order).
fn properties(schema: &Schema, doubles: &[Encoding]) -> io::Result<WriterProperties> {
    let level = ZstdLevel::try_new(ZSTD_LEVEL).map_err(other)?;
    let mut b = WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_dictionary_enabled(true)
        // Room for a gauge's distinct values (a CPU clock's 72,000 in a
        // row group), which would otherwise fall back to plain doubles.
        .set_dictionary_page_size_limit(PAGE_BYTES)
        .set_data_page_size_limit(PAGE_BYTES)
        .set_data_page_row_count_limit(usize::MAX)
        .set_statistics_enabled(EnabledStatistics::Chunk);
    let plain = |b: WriterPropertiesBuilder, name: &str, enc: Encoding| {
        let col = ColumnPath::from(name);
        b.set_column_dictionary_enabled(col.clone(), false).set_column_encoding(col, enc)
    };
    b = plain(b, "timestamp", Encoding::DELTA_BINARY_PACKED);
    // Every row group has every series, so the host's and the items'
    // minimum and maximum would never skip one: no statistics (they cost a
    // comparison a row).
    for name in std::iter::once("host").chain(schema.items.iter().map(String::as_str)) {
        b = b.set_column_statistics_enabled(ColumnPath::from(name), EnabledStatistics::None);
    }
    let mut doubles = doubles.iter();
    for (name, kind) in &schema.values {
        let enc = match kind {
            ColKind::Count => Encoding::DELTA_BINARY_PACKED,
            ColKind::Double => doubles.next().copied().unwrap_or(Encoding::RLE_DICTIONARY),
            ColKind::Text => Encoding::RLE_DICTIONARY,
        };
        if enc != Encoding::RLE_DICTIONARY {
            b = plain(b, name, enc);
        }
    }
    Ok(b.build())
}

impl Part {
    /// Start the part file at `path` (its folders are made).
    pub fn create(path: &Path, host: &[u8], schema: Schema) -> io::Result<Part> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot create {}: {e}", dir.display())))?;
        let tmp = path.with_extension("parquet.tmp");
        let file = File::create(&tmp)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot create {}: {e}", tmp.display())))?;
        Ok(Part {
            path: path.to_path_buf(),
            tmp,
            file: Some(file),
            writer: None,
            host: ByteArray::from(host.to_vec()),
            schema,
            series: Series::default(),
            buffered: 0,
            value_count: 0,
        })
    }

    /// Add a row: the time (seconds since the epoch), the interval, the
    /// items (one per item column), then one value per value column.
    pub fn push(&mut self, epoch: i64, interval_s: i64, items: &[&[u8]], vals: &[Val<'_>]) -> io::Result<()> {
        let rows = self.series.of(items, &self.schema.values);
        rows.ts.push(epoch.saturating_mul(1_000_000));
        rows.interval.push(interval_s);
        for (b, v) in rows.values.iter_mut().zip(vals) {
            b.push(v);
        }
        let ncols = self.schema.values.len();
        self.value_count += ncols as u64;
        self.buffered += 1;
        if self.buffered * ncols.max(1) >= ROW_GROUP_VALUES {
            self.flush()?;
        }
        Ok(())
    }

    /// Where the part goes once finished.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write the buffered rows as a row group, series after series.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        if self.writer.is_none() {
            let w = self.start()?;
            self.writer = Some(w);
        }
        let Some(writer) = self.writer.as_mut() else { return Err(other("no writer")) };
        let series = &self.series.rows;
        let nitems = self.schema.items.len();
        // A string column that repeats one value a series: the value, cloned (no copy).
        let mut fill: Vec<ByteArray> = Vec::new();
        let mut same = |col: &mut ColumnWriterImpl<'_, ByteArrayType>, v: &ByteArray, n: usize| {
            fill.clear();
            fill.resize(n, v.clone());
            col.write_batch(&fill, None, None).map(|_| ())
        };
        let mut rg = writer.next_row_group().map_err(other)?;
        let mut k = 0usize;
        while let Some(mut col) = rg.next_column().map_err(other)? {
            for s in series.iter().filter(|s| !s.ts.is_empty()) {
                let n = s.ts.len();
                let r = match k {
                    0 => same(col.typed::<ByteArrayType>(), &self.host, n),
                    1 => col.typed::<Int64Type>().write_batch(&s.ts, None, None).map(|_| ()),
                    2 => col.typed::<Int64Type>().write_batch(&s.interval, None, None).map(|_| ()),
                    k if k < 3 + nitems => match s.items.get(k - 3) {
                        Some(item) => same(col.typed::<ByteArrayType>(), item, n),
                        None => return Err(other("a series without its item")),
                    },
                    k => match s.values.get(k - 3 - nitems) {
                        Some(Buf::Double(b)) => col.typed::<DoubleType>().write_batch(b, None, None).map(|_| ()),
                        Some(Buf::Count(b)) => col.typed::<Int64Type>().write_batch(b, None, None).map(|_| ()),
                        Some(Buf::Text(b)) => col.typed::<ByteArrayType>().write_batch(b, None, None).map(|_| ()),
                        None => return Err(other("more Parquet columns than values")),
                    },
                };
                r.map_err(other)?;
            }
            col.close().map_err(other)?;
            k += 1;
        }
        rg.close().map_err(other)?;
        for s in &mut self.series.rows {
            s.ts.clear();
            s.interval.clear();
            s.values.iter_mut().for_each(Buf::clear);
        }
        self.buffered = 0;
        Ok(())
    }

    /// The file's writer, its DOUBLE columns encoded as a sample of the
    /// first row group's values (the first of each series) suits best.
    fn start(&mut self) -> io::Result<SerializedFileWriter<BufWriter<File>>> {
        const SAMPLE: usize = 1 << 13;
        let each = SAMPLE.div_ceil(self.series.rows.len().max(1));
        let mut doubles = Vec::new();
        let mut sample = Vec::with_capacity(SAMPLE + each);
        for (k, (_, kind)) in self.schema.values.iter().enumerate() {
            if *kind != ColKind::Double {
                continue;
            }
            sample.clear();
            for s in &self.series.rows {
                if let Some(Buf::Double(b)) = s.values.get(k) {
                    sample.extend_from_slice(&b[..b.len().min(each)]);
                }
            }
            doubles.push(double_encoding(&mut sample));
        }
        let file = self.file.take().ok_or_else(|| other("the part's file is gone"))?;
        let message = parse_message_type(&self.schema.message()).map_err(other)?;
        let props = properties(&self.schema, &doubles)?;
        SerializedFileWriter::new(BufWriter::new(file), Arc::new(message), Arc::new(props)).map_err(other)
    }

    /// Write what is left, close the file and put it in place.
    pub fn finish(mut self) -> io::Result<PathBuf> {
        self.flush()?;
        let writer = match self.writer.take() {
            Some(w) => w,
            None => self.start()?,
        };
        let inner = writer.into_inner().map_err(other)?;
        inner.into_inner().map_err(|e| other(e.error()))?.sync_all()?;
        fs::rename(&self.tmp, &self.path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", self.path.display())))?;
        Ok(self.path)
    }

    /// Drop the unfinished file (after an error).
    pub fn abandon(self) {
        let tmp = self.tmp.clone();
        drop(self);
        let _ = fs::remove_file(tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    #[test]
    fn whole_rates_split_their_bytes_and_decimals_get_a_dictionary() {
        let mut rates: Vec<f64> = (0..1000).map(|i| f64::from(1000 + i % 97)).collect();
        assert_eq!(double_encoding(&mut rates), Encoding::BYTE_STREAM_SPLIT);
        let mut decimals: Vec<f64> = (0..1000).map(|i| f64::from(i % 97) / 100.0 + 0.01).collect();
        assert_eq!(double_encoding(&mut decimals), Encoding::RLE_DICTIONARY);
        let mut few: Vec<f64> = (0..1000).map(|i| f64::from(i % 5)).collect();
        assert_eq!(double_encoding(&mut few), Encoding::RLE_DICTIONARY);
        assert_eq!(double_encoding(&mut []), Encoding::RLE_DICTIONARY);
    }

    /// Rows come interval by interval; the part holds them series by
    /// series, each in time order, values as `-d` prints them.
    #[test]
    fn rows_are_written_series_by_series() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("ds/host=h/date=d/part.parquet");
        let schema = Schema {
            items: vec!["cpu".into()],
            values: vec![("pct".into(), ColKind::Double), ("n".into(), ColKind::Count)],
        };
        let mut p = Part::create(&path, b"h", schema).unwrap();
        for t in 0..3i64 {
            // CPU 1 appears in the second interval.
            let cpus: &[&[u8]] = if t == 0 { &[b"all", b"0"] } else { &[b"all", b"0", b"1"] };
            for (i, cpu) in cpus.iter().enumerate() {
                let v = [Val::F(t as f64 + i as f64 / 8.0), Val::U(t as u64)];
                p.push(100 + t, 1, &[cpu], &v).unwrap();
            }
            if t == 1 {
                p.flush().unwrap();
            }
        }
        let path = p.finish().unwrap();
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let rows: Vec<(String, i64, f64)> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                let c = r.unwrap().into_columns();
                let Field::Str(cpu) = &c[3].1 else { panic!() };
                let Field::TimestampMicros(t) = c[1].1 else { panic!() };
                let Field::Double(v) = c[4].1 else { panic!() };
                (cpu.clone(), t / 1_000_000, v)
            })
            .collect();
        let want = [
            // The first row group: two intervals.
            ("all", 100, 0.0),
            ("all", 101, 1.0),
            ("0", 100, 0.12),
            ("0", 101, 1.12),
            ("1", 101, 1.25),
            // The second: one.
            ("all", 102, 2.0),
            ("0", 102, 2.12),
            ("1", 102, 2.25),
        ];
        let want: Vec<(String, i64, f64)> = want.iter().map(|&(c, t, v)| (c.to_string(), t, v)).collect();
        assert_eq!(rows, want);
    }
}
