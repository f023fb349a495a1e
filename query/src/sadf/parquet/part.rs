//! One Parquet part file: `OUTDIR/DATASET/host=H/date=D/part.parquet`.
//!
//! Rows arrive one at a time from the reports, but a Parquet row group is
//! written column by column, so a part keeps its rows in typed column
//! buffers and writes a row group when the buffers hold
//! [`ROW_GROUP_VALUES`] values, or when the exporter asks (after each
//! input file, which keeps memory bounded by one file's share of a part).
//! The file is written as `part.parquet.tmp` and renamed over
//! `part.parquet` when complete: readers never see half a file, and a part
//! written again replaces the old one (it is derived data).

use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;

/// Values (rows times columns) buffered before a row group is written:
/// about 8 MB of doubles, large enough for good compression and for
/// DuckDB's row-group parallelism, small enough for many open parts.
pub const ROW_GROUP_VALUES: usize = 1 << 20;

/// How a value column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    /// DOUBLE: sadf's `%.2f` and `%.0f` values, at full precision.
    Double,
    /// INT64 annotated as unsigned (UBIGINT in DuckDB): sadf's `%llu` counts.
    Count,
    /// STRING (BYTE_ARRAY, UTF8): names, statuses, hexadecimal ids.
    Text,
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

/// A part being written.
pub struct Part {
    path: PathBuf,
    tmp: PathBuf,
    writer: SerializedFileWriter<BufWriter<File>>,
    host: ByteArray,
    pub schema: Schema,
    ts: Vec<i64>,
    interval: Vec<i64>,
    items: Vec<Vec<ByteArray>>,
    values: Vec<Buf>,
    /// Values (not counting host, time and items) written or buffered.
    pub value_count: u64,
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// The writer settings: zstd, dictionaries (strings repeat: hosts, items),
/// and delta encoding for the times, which rise steadily.
fn properties() -> io::Result<WriterProperties> {
    let level = ZstdLevel::try_new(3).map_err(other)?;
    Ok(WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_dictionary_enabled(true)
        .set_statistics_enabled(EnabledStatistics::Chunk)
        .set_column_dictionary_enabled(ColumnPath::from("timestamp"), false)
        .set_column_encoding(ColumnPath::from("timestamp"), Encoding::DELTA_BINARY_PACKED)
        .build())
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
        let message = parse_message_type(&schema.message()).map_err(other)?;
        let writer = SerializedFileWriter::new(BufWriter::new(file), Arc::new(message), Arc::new(properties()?))
            .map_err(other)?;
        Ok(Part {
            path: path.to_path_buf(),
            tmp,
            writer,
            host: ByteArray::from(host.to_vec()),
            items: schema.items.iter().map(|_| Vec::new()).collect(),
            values: schema.values.iter().map(|&(_, k)| Buf::new(k)).collect(),
            schema,
            ts: Vec::new(),
            interval: Vec::new(),
            value_count: 0,
        })
    }

    /// Add a row: the time (seconds since the epoch), the interval, the
    /// items, then one value per value column.
    pub fn push(&mut self, epoch: i64, interval_s: i64, items: &[&[u8]], vals: &[Value<'_>]) -> io::Result<()> {
        self.ts.push(epoch.saturating_mul(1_000_000));
        self.interval.push(interval_s);
        for (b, it) in self.items.iter_mut().zip(items) {
            b.push(ByteArray::from(it.to_vec()));
        }
        for (b, v) in self.values.iter_mut().zip(vals) {
            match (b, *v) {
                (Buf::Double(b), v) => b.push(v.as_f64()),
                (Buf::Count(b), Value::Count(x)) => b.push(x as i64),
                (Buf::Count(b), v) => b.push(v.as_f64() as u64 as i64),
                (Buf::Text(b), Value::Text(s)) => b.push(ByteArray::from(s.to_vec())),
                (Buf::Text(b), v) => b.push(ByteArray::from(format!("{}", v.as_f64()).into_bytes())),
            }
        }
        self.value_count += self.values.len() as u64;
        if self.ts.len() * self.values.len().max(1) >= ROW_GROUP_VALUES {
            self.flush()?;
        }
        Ok(())
    }

    /// Where the part goes once finished.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write the buffered rows as a row group.
    pub fn flush(&mut self) -> io::Result<()> {
        let n = self.ts.len();
        if n == 0 {
            return Ok(());
        }
        let mut rg = self.writer.next_row_group().map_err(other)?;
        let hosts = vec![self.host.clone(); n];
        let mut k = 0usize;
        while let Some(mut col) = rg.next_column().map_err(other)? {
            let r = match k {
                0 => col.typed::<ByteArrayType>().write_batch(&hosts, None, None),
                1 => col.typed::<Int64Type>().write_batch(&self.ts, None, None),
                2 => col.typed::<Int64Type>().write_batch(&self.interval, None, None),
                k if k < 3 + self.items.len() => {
                    col.typed::<ByteArrayType>().write_batch(&self.items[k - 3], None, None)
                }
                k => match self.values.get(k - 3 - self.items.len()) {
                    Some(Buf::Double(b)) => col.typed::<DoubleType>().write_batch(b, None, None),
                    Some(Buf::Count(b)) => col.typed::<Int64Type>().write_batch(b, None, None),
                    Some(Buf::Text(b)) => col.typed::<ByteArrayType>().write_batch(b, None, None),
                    None => return Err(other("more Parquet columns than values")),
                },
            };
            r.map_err(other)?;
            col.close().map_err(other)?;
            k += 1;
        }
        rg.close().map_err(other)?;
        self.ts.clear();
        self.interval.clear();
        self.items.iter_mut().for_each(Vec::clear);
        for b in &mut self.values {
            match b {
                Buf::Double(b) => b.clear(),
                Buf::Count(b) => b.clear(),
                Buf::Text(b) => b.clear(),
            }
        }
        Ok(())
    }

    /// Write what is left, close the file and put it in place.
    pub fn finish(mut self) -> io::Result<PathBuf> {
        self.flush()?;
        let inner = self.writer.into_inner().map_err(other)?;
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

/// A value as a report hands it over, for [`Part::push`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Double(f64),
    Count(u64),
    Text(&'a [u8]),
}

impl Value<'_> {
    fn as_f64(&self) -> f64 {
        match *self {
            Value::Double(v) => v,
            Value::Count(v) => v as f64,
            Value::Text(_) => 0.0,
        }
    }

    pub fn kind(&self) -> ColKind {
        match self {
            Value::Double(_) => ColKind::Double,
            Value::Count(_) => ColKind::Count,
            Value::Text(_) => ColKind::Text,
        }
    }
}
