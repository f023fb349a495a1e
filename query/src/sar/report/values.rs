//! Row values: what one report shows for one interval, free of layout.
//!
//! sar's text, sadf's `-d`/`-p`/`-j`/`-x` and the graphs must agree on
//! every number, so a report computes an interval's rows once, through
//! [`super::Report::values`], and hands each row to a [`RowSink`]. A sink
//! decides the layout; the report never knows which one it feeds.
//!
//! The series API, for exporters and graphs:
//! - [`super::Report::meta`] names the activity ([`Meta`]): its sadf field
//!   list, its JSON/XML group and element names, and its [`Col`]umns in
//!   order, each with sar's header name (also sadf `-d`/`-p`'s), the JSON
//!   and XML key, how sadf's JSON and XML print it, and what it measures
//!   ([`ValueKind`]).
//! - [`super::Report::values`] with the engine's `(prev, curr, itv)` slots
//!   calls [`RowSink::row`] once per item (CPU, interface, device...), with
//!   an [`Item`] and one [`Val`] per column, in column order.
//! - A graph keeps, per (activity, item, column), the `f64` of
//!   [`Val::num`] against the record time; units follow the column name
//!   (`/s` rates, `%` percentages, `kB`/`MB` sizes).

use std::io;

/// One value of a row, tagged with how sadf's `-d`/`-p` print it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    /// A rate, percentage or ratio: `%.2f`.
    F(f64),
    /// A count or size: `%llu`.
    U(u64),
    /// A float rounded to an integer: `%.0f`.
    R(f64),
    /// Text (a status, a device name, a hexadecimal id).
    S(&'a [u8]),
}

impl<'a> Val<'a> {
    /// A value of the same kind holding `v` (truncated for an integer): an
    /// `-x` extremum printed as the row value it was taken from.
    pub fn with_num(&self, v: f64) -> Val<'a> {
        match *self {
            Val::F(_) => Val::F(v),
            Val::U(_) => Val::U(v as u64),
            Val::R(_) => Val::R(v),
            Val::S(s) => Val::S(s),
        }
    }

    /// The value as a number (text reads as zero), for graphs.
    pub fn num(&self) -> f64 {
        match *self {
            Val::F(v) | Val::R(v) => v,
            Val::U(v) => v as f64,
            Val::S(_) => 0.0,
        }
    }
}

/// What a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// A whole-machine activity: a single row, no item column.
    None,
    /// A CPU slot: 0 is "all", `i` is CPU `i - 1`.
    Cpu(usize),
    /// A numbered item, shown as `PREFIX` + number by `-p` (`ttyS0`, `fan1`, `bus2`, `BAT0`).
    Num(&'static str, u64),
    /// A named item: interface, disk, filesystem, FC host, interrupt.
    Name(&'a [u8]),
}

/// How sadf's JSON and XML exports print a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// `%.2f`.
    F2,
    /// `%llu` (an integer; floats are truncated).
    U,
    /// `%.0f`.
    F0,
    /// A quoted string.
    S,
}

/// What a column's numbers measure, for outputs that treat kinds apart
/// (OpenMetrics' counters and gauges, a comparison of two periods).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Per second over the interval, from a counter (`cswch/s`, `tps`, `rxkB/s`).
    Rate,
    /// A percentage (`%user`, `%memused`, `%util`).
    Percent,
    /// How many or how much there is at the sample: a count or a size
    /// (`kbmemfree`, `tcpsck`, `runq-sz`).
    Level,
    /// Any other measure: per request, averaged or read at the sample
    /// (`await`, `ldavg-1`, `MHz`, `degC`).
    Gauge,
    /// Text: a device's name, a status.
    Text,
}

impl ValueKind {
    /// The kind sar's column name `name`, printed as `fmt`, says: text is
    /// text, `%...` a percentage, `.../s` and the `tps` family rates,
    /// integers levels, other numbers gauges. [`Col::kind`] overrides it.
    pub const fn of(name: &str, fmt: Fmt) -> ValueKind {
        let b = name.as_bytes();
        let per_second = b.len() >= 2 && b[b.len() - 2] == b'/' && b[b.len() - 1] == b's';
        let tps = b.len() >= 3 && b[b.len() - 3] == b't' && b[b.len() - 2] == b'p' && b[b.len() - 1] == b's';
        match fmt {
            Fmt::S => ValueKind::Text,
            _ if !b.is_empty() && b[0] == b'%' => ValueKind::Percent,
            _ if per_second || tps => ValueKind::Rate,
            Fmt::U | Fmt::F0 => ValueKind::Level,
            Fmt::F2 => ValueKind::Gauge,
        }
    }
}

/// One column of a report: every name it has, declared once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// sadf `-p`'s name, which the graphs look columns up by.
    pub name: &'static str,
    /// sar's header name, also sadf `-d`'s field; [`Col::name`] unless
    /// [`Col::in_sar`] says otherwise.
    pub hdr: &'static str,
    /// The JSON key and XML attribute.
    pub key: &'static str,
    /// How JSON and XML print it.
    pub fmt: Fmt,
    /// What its numbers measure.
    pub kind: ValueKind,
}

impl Col {
    const fn new(name: &'static str, key: &'static str, fmt: Fmt) -> Col {
        Col { name, hdr: name, key, fmt, kind: ValueKind::of(name, fmt) }
    }

    /// The column measures `kind`, whatever its name suggests (the
    /// interrupts' `CPU*` columns are rates).
    pub const fn kind(self, kind: ValueKind) -> Col {
        Col { kind, ..self }
    }

    /// The column as sar's header and sadf `-d` name it, where that differs
    /// from sadf `-p`'s name (memory's `kbshmem`, `-p`'s `kbshared`).
    pub const fn in_sar(self, hdr: &'static str) -> Col {
        Col { hdr, ..self }
    }
}

/// A column whose JSON/XML form is `%.2f`.
pub const fn f(name: &'static str, key: &'static str) -> Col {
    Col::new(name, key, Fmt::F2)
}

/// A column whose JSON/XML form is `%llu`.
pub const fn u(name: &'static str, key: &'static str) -> Col {
    Col::new(name, key, Fmt::U)
}

/// A column whose JSON/XML form is a string.
pub const fn s(name: &'static str, key: &'static str) -> Col {
    Col::new(name, key, Fmt::S)
}

/// A column whose JSON/XML form is `%.0f`.
pub const fn r(name: &'static str, key: &'static str) -> Col {
    Col::new(name, key, Fmt::F0)
}

/// Length of [`join_fields`]'s list.
pub const fn fields_len(item: &str, cols: &[Col]) -> usize {
    let mut n = item.len();
    let mut i = 0;
    while i < cols.len() {
        if n > 0 {
            n += 1;
        }
        n += cols[i].hdr.len();
        i += 1;
    }
    n
}

/// sadf `-d`'s field list: the item column's header (if any), then each
/// column's [`Col::hdr`], `;`-separated. Use it through [`fields!`](crate::fields).
pub const fn join_fields<const N: usize>(item: &str, cols: &[Col]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut n = 0;
    let b = item.as_bytes();
    let mut j = 0;
    while j < b.len() {
        out[n] = b[j];
        n += 1;
        j += 1;
    }
    let mut i = 0;
    while i < cols.len() {
        if n > 0 {
            out[n] = b';';
            n += 1;
        }
        let b = cols[i].hdr.as_bytes();
        let mut j = 0;
        while j < b.len() {
            out[n] = b[j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// A [`Meta::fields`] list built, at compile time, from the item column's
/// header and the columns: `fields!("CPU", COLS)` is `"CPU;%user;..."`.
#[macro_export]
macro_rules! fields {
    ($item:expr, $cols:expr) => {{
        const BYTES: [u8; $crate::sar::report::values::fields_len($item, $cols)] =
            $crate::sar::report::values::join_fields($item, $cols);
        match ::core::str::from_utf8(&BYTES) {
            Ok(s) => s,
            Err(_) => panic!("column names are ASCII"),
        }
    }};
}

/// Where an activity's rows go in the JSON and XML trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One element/object of attributes: `<memory .../>`, `"io": {...}`.
    Single,
    /// A list of elements: `<cpu-load><cpu .../>...</cpu-load>`.
    List,
}

/// An activity's names, for every exporter.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// sadf `-d`'s field list after `hostname;interval;timestamp` (activity.c's
    /// `hdr_line`): [`Meta::item_hdr`] and the columns' [`Col::hdr`], built
    /// by [`fields!`](crate::fields).
    pub fields: &'static str,
    /// sar's header for the item column (`CPU`, `IFACE`, `DEV`...), or empty.
    pub item_hdr: &'static str,
    /// Enclosing group in JSON/XML (`network`, `power-management`...), if any.
    pub group: Option<&'static str>,
    /// The activity's element or key (`cpu-load`, `net-dev`...).
    pub tag: &'static str,
    /// The element of each item of a [`Shape::List`] (`cpu`, `net-dev`...).
    pub item_tag: &'static str,
    /// The JSON key / XML attribute naming an item (`cpu`/`number`, `iface`...).
    pub item_key: &'static str,
    /// Extra attributes of the activity element (`per="second"`, `unit="kB"`).
    pub attrs: &'static str,
    pub shape: Shape,
    /// JSON/XML column order when it is not `-d`/`-p`'s (indices into `cols`).
    pub order: &'static [usize],
    pub cols: &'static [Col],
    /// How many leading columns `-d`/`-p` print (0: all); the rest are for
    /// JSON/XML only (the disk report's sector units, say).
    pub dp_cols: usize,
    /// XML's names where they differ from JSON's; its `cols` pair up with
    /// these `cols` one to one.
    pub xml: Option<&'static Meta>,
    /// XML prints the columns as child elements (`<memfree>1</memfree>`)
    /// rather than attributes. In both JSON and XML a key `a/b` puts `b`
    /// in a nested object or element `a` (`"io-reads": {"rtps": 1}`).
    pub elements: bool,
}

impl Meta {
    /// An empty whole-machine activity, to build others from with `..`.
    pub const EMPTY: Meta = Meta {
        fields: "",
        item_hdr: "",
        group: None,
        tag: "",
        item_tag: "",
        item_key: "",
        attrs: "",
        shape: Shape::Single,
        order: &[],
        cols: &[],
        dp_cols: 0,
        xml: None,
        elements: false,
    };

    /// The columns `-d` and `-p` print.
    pub fn dp(&self) -> &'static [Col] {
        if self.dp_cols == 0 {
            self.cols
        } else {
            &self.cols[..self.dp_cols.min(self.cols.len())]
        }
    }

    /// sar's header names of the columns `-d` and `-p` print, item first.
    pub fn hdr_names(&self) -> impl Iterator<Item = &'static str> + Clone {
        let item = (!self.item_hdr.is_empty()).then_some(self.item_hdr);
        item.into_iter().chain(self.dp().iter().map(|c| c.hdr))
    }

    /// The names XML uses.
    pub fn for_xml(&'static self) -> &'static Meta {
        self.xml.unwrap_or(self)
    }
}

/// A sar column name without its `/s` (`cswch/s` is JSON's `cswch`).
pub const fn rate_key(name: &'static str) -> &'static str {
    let b = name.as_bytes();
    if b.len() < 2 || b[b.len() - 2] != b'/' || b[b.len() - 1] != b's' {
        return name;
    }
    match std::str::from_utf8(b.split_at(b.len() - 2).0) {
        Ok(k) => k,
        Err(_) => name,
    }
}

/// A [`Meta`] whose sadf `-d` field list and sar item header come from its
/// item column's header `$item` and its columns `$cols`, each named once:
/// `table!("CPU", COLS, Meta::EMPTY, tag: "cpu-load", ...)` sets the other
/// fields over those of the base.
#[macro_export]
macro_rules! table {
    ($item:expr, $cols:expr, $base:expr $(, $f:ident : $v:expr)* $(,)?) => {
        $crate::sar::report::values::Meta {
            fields: $crate::fields!($item, $cols),
            item_hdr: $item,
            cols: $cols,
            $($f: $v,)*
            ..$base
        }
    };
}

/// A whole-machine activity of `%.2f` columns keyed by their sar names
/// less `/s`.
#[macro_export]
macro_rules! rate_meta {
    ($tag:expr, [$h0:literal $(, $h:literal)* $(,)?]) => {
        $crate::sar::report::values::Meta {
            fields: concat!($h0 $(, ";", $h)*),
            item_hdr: "",
            group: None,
            tag: $tag,
            item_tag: $tag,
            item_key: "",
            attrs: "",
            shape: $crate::sar::report::values::Shape::Single,
            order: &[],
            cols: &[
                $crate::sar::report::values::f($h0, $crate::sar::report::values::rate_key($h0))
                $(, $crate::sar::report::values::f($h, $crate::sar::report::values::rate_key($h)))*
            ],
            dp_cols: 0,
            xml: None,
            elements: false,
        }
    };
}

/// A whole-machine activity of `%llu` columns keyed by their sar names
/// less `/s`.
#[macro_export]
macro_rules! gauge_meta {
    ($tag:expr, [$h0:literal $(, $h:literal)* $(,)?]) => {
        $crate::sar::report::values::Meta {
            cols: &[
                $crate::sar::report::values::u($h0, $crate::sar::report::values::rate_key($h0))
                $(, $crate::sar::report::values::u($h, $crate::sar::report::values::rate_key($h)))*
            ],
            ..$crate::rate_meta!($tag, [$h0 $(, $h)*])
        }
    };
}

/// Send one row of `%llu` values.
pub fn row_u(sink: &mut dyn RowSink, item: Item<'_>, v: &[u64]) -> io::Result<()> {
    let mut vals = [Val::U(0); 32];
    let n = v.len().min(32);
    for (d, &x) in vals.iter_mut().zip(&v[..n]) {
        *d = Val::U(x);
    }
    sink.row(item, &vals[..n])
}

/// Send one row of `%.2f` values.
pub fn row_f(sink: &mut dyn RowSink, item: Item<'_>, v: &[f64]) -> io::Result<()> {
    let mut vals = [Val::F(0.0); 32];
    let n = v.len().min(32);
    for (d, &x) in vals.iter_mut().zip(&v[..n]) {
        *d = Val::F(x);
    }
    sink.row(item, &vals[..n])
}

/// Receives the rows of one interval.
pub trait RowSink {
    /// One row: `vals` has one value per column of the report's [`Meta`].
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()>;

    /// A row of one value per CPU (interrupts): `vals[k]` belongs to CPU
    /// slot `cpus[k]` (0 is "all"). The report's [`Meta`] has one column,
    /// the value's. Sinks that do not care get it as a plain row.
    fn cpu_row(&mut self, item: Item<'_>, cpus: &[usize], vals: &[Val<'_>]) -> io::Result<()> {
        let _ = cpus;
        self.row(item, vals)
    }
}

/// A sink collecting rows, for tests and small consumers.
#[derive(Debug, Default)]
pub struct Collect {
    /// Item label (`all`, `cpu0`, a name, or empty) and numbers.
    pub rows: Vec<(String, Vec<f64>)>,
}

impl RowSink for Collect {
    fn row(&mut self, item: Item<'_>, vals: &[Val<'_>]) -> io::Result<()> {
        let label = match item {
            Item::None => String::new(),
            Item::Cpu(0) => "all".into(),
            Item::Cpu(i) => format!("cpu{}", i - 1),
            Item::Num(p, n) => format!("{p}{n}"),
            Item::Name(n) => String::from_utf8_lossy(n).into_owned(),
        };
        self.rows.push((label, vals.iter().map(Val::num).collect()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_keys_drop_per_second() {
        assert_eq!(rate_key("cswch/s"), "cswch");
        assert_eq!(rate_key("tcp-tw"), "tcp-tw");
        assert_eq!(rate_key("/s"), "");
    }

    #[test]
    fn collect_labels_items() {
        let mut c = Collect::default();
        c.row(Item::Cpu(0), &[Val::F(1.5)]).unwrap();
        c.row(Item::Cpu(3), &[Val::U(2)]).unwrap();
        c.row(Item::Num("ttyS", 1), &[Val::S(b"x")]).unwrap();
        assert_eq!(c.rows[0], ("all".to_string(), vec![1.5]));
        assert_eq!(c.rows[1], ("cpu2".to_string(), vec![2.0]));
        assert_eq!(c.rows[2], ("ttyS1".to_string(), vec![0.0]));
    }
}
