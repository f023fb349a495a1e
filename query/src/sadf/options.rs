//! Parsing sadf's arguments.
//!
//! The rules follow `sadf.c`'s `main` loop in order, because the order is
//! observable: `-V` exits in the middle of the line, a file name after a day
//! offset is refused, and sar options are only understood after `--`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::daily::DailyLookup;
use crate::sar::timefmt::TimeStyle;
use crate::sar::DeviceLookup;

/// Largest CPU number plus one that `-P` accepts (`NR_CPUS`).
const NR_CPUS: u32 = 8192;

/// An output format, by the letter that selects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `-c`: convert an old file to the current format.
    Convert,
    /// `-d`: database-friendly, semicolon separated.
    Database,
    /// `-g`: SVG graphs.
    Svg,
    /// `-j`: JSON.
    Json,
    /// `-p`: awk-friendly (the default).
    Ppc,
    /// `-r`: raw.
    Raw,
    /// `-x`: XML.
    Xml,
    /// `-H` alone: the header report.
    Header,
}

impl Format {
    /// The option letter, for messages.
    pub fn letter(self) -> char {
        match self {
            Format::Convert => 'c',
            Format::Database => 'd',
            Format::Svg => 'g',
            Format::Json => 'j',
            Format::Ppc => 'p',
            Format::Raw => 'r',
            Format::Xml => 'x',
            Format::Header => 'H',
        }
    }

    /// Whether `-H` changes this format into a header display
    /// (`FO_HEADER_ONLY`); the others drop `-H` silently.
    pub fn accepts_header_only(self) -> bool {
        matches!(self, Format::Header | Format::Xml | Format::Json | Format::Svg)
    }
}

/// A `-s` or `-e` limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLimit {
    /// `HH:MM[:SS]`, or the default 08:00:00 / 18:00:00. sysstat adds 24 to
    /// an end hour earlier than the start hour; [`parse`] does the same.
    Hms { hour: u32, min: u32, sec: u32 },
    /// Ten digits: seconds since the epoch.
    Epoch(u64),
}

/// A `-P` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpuList {
    /// `-P ALL`: every CPU and the "all" line.
    pub every: bool,
    /// The keyword `all` was listed: the "all" line.
    pub total: bool,
    /// Inclusive ranges of CPU numbers.
    pub ranges: Vec<(u32, u32)>,
}

/// Colour palette of `-g` (`-O customcol`, `-O bwcol`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Palette {
    #[default]
    Default,
    Custom,
    BlackAndWhite,
}

/// `-O` keywords.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputOptions {
    pub skip_empty: bool,
    pub autoscale: bool,
    pub one_day: bool,
    pub show_idle: bool,
    pub show_info: bool,
    pub debug: bool,
    pub height: Option<u32>,
    pub packed: bool,
    pub show_toc: bool,
    pub palette: Palette,
    pub hz: Option<u64>,
    /// `png` (sarkit): `-g` draws a PNG image instead of SVG.
    pub png: bool,
}

/// Everything on a sadf command line but `-V`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The format letter given, if any.
    pub format: Option<Format>,
    /// `-H`, before [`Options::header_only`] checks it against the format.
    pub header_flag: bool,
    /// `-C`: show comments.
    pub comments: bool,
    /// `-h`: one line per record.
    pub horizontally: bool,
    /// `-T`, `-t`, `-U` (mutually exclusive).
    pub local_time: bool,
    pub true_time: bool,
    pub epoch: bool,
    pub cpus: Option<CpuList>,
    pub devices: Vec<String>,
    pub filesystems: Vec<String>,
    pub interfaces: Vec<String>,
    pub interrupts: Vec<String>,
    pub start: Option<TimeLimit>,
    pub end: Option<TimeLimit>,
    pub output: OutputOptions,
    /// sar options after `--`, checked but kept as typed for the report engine.
    pub sar_args: Vec<String>,
    /// `-N`: read the file of N days ago.
    pub day_offset: u32,
    /// How to find the day's file when none, or a folder, is named: set by
    /// the binary from `SA_DIR`, `S_TIME_DEF_TIME` and the clock.
    pub daily: DailyLookup,
    /// What the environment says about the output: set by the binary.
    pub environment: Environment,
    /// The data file or directory, as given.
    pub file: Option<String>,
    /// `--parquet OUTDIR` (sarkit, no sysstat release has it): export
    /// Parquet datasets into OUTDIR (`sadf::parquet`).
    pub parquet: Option<String>,
    /// Files named after the first (sarkit): read after it, in order, as
    /// one stream. sadf takes one file.
    pub more_files: Vec<String>,
    /// `--from YYYY-MM-DD` (sarkit): the first day of the folder's (or the
    /// default folder's) daily files to read as one stream.
    pub from_day: Option<sarkit_format::daily::Day>,
    /// `--to YYYY-MM-DD` (sarkit): the last day, today when not given.
    pub to_day: Option<sarkit_format::daily::Day>,
    /// `--openmetrics` (sarkit): the OpenMetrics export ([`super::openmetrics`]);
    /// each file it is given is read on its own.
    pub openmetrics: bool,
    pub interval: Option<u64>,
    /// 0 stands for "continuously", as sysstat's -1.
    pub count: Option<u64>,
    /// `--compat VERSION` (sarkit): with `-c`, write the layouts that
    /// release's `sar` reads in full.
    pub compat: Option<String>,
    /// The program's name as invoked (argv[0]), for usage and messages;
    /// set by the binary, since parsing sees only the arguments.
    pub progname: String,
}

/// What sadf takes from the environment, looked up by the binary and
/// carried here so that the engine reads none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// `S_TIME_FORMAT` and the locale (`LC_ALL`, `LC_TIME`, `LANG`): how
    /// `-g` writes the date.
    pub time_style: TimeStyle,
    /// `S_COLORS_PALETTE`: the colours of `-O customcol`.
    pub colors_palette: Option<String>,
    /// `SARKIT_FONT` (sarkit): a font file for `-O png`'s text, tried
    /// before the usual places.
    pub font: Option<PathBuf>,
    /// A font for `-O png`'s text is registered (the binary calls
    /// `sarkit_render::register_font` with [`Environment::font`]).
    pub png_text: bool,
    /// Where the disk report looks device names up (the binary says).
    pub devices: DeviceLookup,
}

impl Environment {
    /// The environment `var` looks up.
    pub fn from_env(var: &dyn Fn(&str) -> Option<String>) -> Environment {
        Environment {
            time_style: TimeStyle::from_env(var),
            colors_palette: var("S_COLORS_PALETTE"),
            font: var("SARKIT_FONT").map(PathBuf::from),
            png_text: false,
            devices: DeviceLookup::default(),
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `-V`: print the version and exit 0.
    Version,
    Run(Box<Options>),
}

/// The arguments are refused: print [`usage`] and exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageError;

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid sadf arguments")
    }
}

impl std::error::Error for UsageError {}

/// sadf's usage text, for stderr.
pub fn usage(progname: &str) -> String {
    format!(
        "Usage: {progname} [ options ] [ <interval> [ <count> ] ] [ <datafile> | -[0-9]+ ]\n\
         Options are:\n\
         [ -C ] [ -c | -d | -g | -j | -p | -r | -x ] [ -H ] [ -h ] [ -T | -t | -U ] [ -V ]\n\
         [ -O <opts> [,...] ] [ -P {{ <cpu> [,...] | ALL }} ]\n\
         [ --dev=<dev_list> ] [ --fs=<fs_list> ] [ --iface=<iface_list> ] [ --int=<int_list> ]\n\
         [ -s [ <start_time> ] ] [ -e [ <end_time> ] ]\n\
         [ -- <sar_options> ]\n"
    )
}

impl Options {
    /// The name messages give the program: argv[0] as invoked, as sadf
    /// prints it, or `rsadf` when no name was set.
    pub fn program(&self) -> &str {
        if self.progname.is_empty() {
            "rsadf"
        } else {
            &self.progname
        }
    }

    /// The format that will run (`check_format_options`).
    pub fn effective_format(&self) -> Format {
        match self.format {
            Some(f) => f,
            None if self.header_flag => Format::Header,
            None => Format::Ppc,
        }
    }

    /// Whether only the header is displayed: `-H` survives only with
    /// formats that have a header display.
    pub fn header_only(&self) -> bool {
        self.header_flag && self.effective_format().accepts_header_only()
    }

    /// Whether several files are read as one (more than one named, or
    /// `--from`).
    pub fn several_files(&self) -> bool {
        !self.more_files.is_empty() || self.from_day.is_some()
    }

    /// The file to read, and whether it is the default daily file (which
    /// adds a hint when it is missing). A directory stands for the daily
    /// file inside it, as with sysstat.
    pub fn data_file(&self) -> (String, bool) {
        match &self.file {
            Some(f) if Path::new(f).is_dir() => (self.daily.file_in(f, 0), true),
            Some(f) => (f.clone(), false),
            None => (self.daily.default_file(i64::from(self.day_offset)), true),
        }
    }
}

/// Parse sadf's arguments (without the program name).
pub fn parse<S: AsRef<str>>(args: &[S]) -> Result<Command, UsageError> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let mut o = Options::default();
    let mut sar_mode = false;
    let mut i = 0;
    let next = |i: usize| args.get(i).copied();
    while i < args.len() {
        let a = args[i];
        if a == "-P" {
            i += 1;
            o.cpus = Some(parse_cpu_list(next(i).ok_or(UsageError)?)?);
            i += 1;
        } else if let Some(v) = a.strip_prefix("--dev=") {
            o.devices.extend(split_list(v));
            i += 1;
        } else if let Some(v) = a.strip_prefix("--fs=") {
            o.filesystems.extend(split_list(v));
            i += 1;
        } else if let Some(v) = a.strip_prefix("--iface=") {
            o.interfaces.extend(split_list(v));
            i += 1;
        } else if let Some(v) = a.strip_prefix("--int=") {
            o.interrupts.extend(split_list(v));
            i += 1;
        } else if let Some(v) = a.strip_prefix("--compat=") {
            o.compat = Some(v.to_string());
            i += 1;
        } else if let Some(v) = a.strip_prefix("--parquet=") {
            o.parquet = Some(v.to_string());
            i += 1;
        } else if a == "--parquet" {
            o.parquet = Some(next(i + 1).ok_or(UsageError)?.to_string());
            i += 2;
        } else if a == "--openmetrics" && !sar_mode {
            o.openmetrics = true;
            i += 1;
        } else if a == "--compat" {
            o.compat = Some(next(i + 1).ok_or(UsageError)?.to_string());
            i += 2;
        } else if a == "-s" || a == "-e" {
            let (limit, used) = parse_time_limit(next(i + 1), if a == "-s" { "08:00:00" } else { "18:00:00" })?;
            i += 1 + used;
            *(if a == "-s" { &mut o.start } else { &mut o.end }) = Some(limit);
        } else if a == "-O" {
            i += 1;
            let v = next(i).ok_or(UsageError)?;
            if sar_mode {
                return Err(UsageError);
            }
            parse_output_options(v, &mut o.output)?;
            i += 1;
        } else if (2..4).contains(&a.len()) && a.starts_with('-') && is_digits(&a[1..]) {
            if o.file.is_some() || o.day_offset != 0 {
                return Err(UsageError);
            }
            o.day_offset = a[1..].parse().unwrap_or(0);
            i += 1;
        } else if a == "--" {
            sar_mode = true;
            i += 1;
        } else if a == "-m" || a == "-n" {
            i += 1;
            let v = next(i).ok_or(UsageError)?;
            if !sar_mode {
                return Err(UsageError);
            }
            let keys: &[&str] = if a == "-m" { M_KEYWORDS } else { N_KEYWORDS };
            if !v.split(',').filter(|t| !t.is_empty()).all(|t| keys.contains(&t)) {
                return Err(UsageError);
            }
            o.sar_args.extend([a.to_string(), v.to_string()]);
            i += 1;
        } else if a == "-q" {
            if !sar_mode {
                return Err(UsageError);
            }
            o.sar_args.push(a.to_string());
            i += 1;
            // A keyword list is taken only if every keyword is known;
            // otherwise the next word is read on its own.
            if let Some(v) = next(i) {
                if v.split(',').filter(|t| !t.is_empty()).all(|t| Q_KEYWORDS.contains(&t)) {
                    o.sar_args.push(v.to_string());
                    i += 1;
                }
            }
        } else if sar_mode && is_cgroup_option(a) {
            // sarkit's per-cgroup options, checked by sar's parser.
            o.sar_args.push(a.to_string());
            i += 1;
        } else if !sar_mode && (a == "--from" || a == "--to") {
            let day = next(i + 1).and_then(crate::daily::parse_day).ok_or(UsageError)?;
            *(if a == "--from" { &mut o.from_day } else { &mut o.to_day }) = Some(day);
            i += 2;
        } else if let Some(flags) = a.strip_prefix('-') {
            if sar_mode {
                i = parse_sar_flags(&args, i, &mut o.sar_args)?;
            } else {
                for c in flags.chars() {
                    let mut set_format = |f| {
                        if o.format.is_some() {
                            return Err(UsageError);
                        }
                        o.format = Some(f);
                        Ok(())
                    };
                    match c {
                        'C' => o.comments = true,
                        'c' => set_format(Format::Convert)?,
                        'd' => set_format(Format::Database)?,
                        'g' => set_format(Format::Svg)?,
                        'j' => set_format(Format::Json)?,
                        'p' => set_format(Format::Ppc)?,
                        'r' => set_format(Format::Raw)?,
                        'x' => set_format(Format::Xml)?,
                        'h' => o.horizontally = true,
                        'H' => o.header_flag = true,
                        'T' => o.local_time = true,
                        't' => o.true_time = true,
                        'U' => o.epoch = true,
                        'V' => return Ok(Command::Version),
                        _ => return Err(UsageError),
                    }
                }
            }
            i += 1;
        } else if !is_digits(a) && o.file.is_some() && o.day_offset == 0 && !a.starts_with('-') {
            // sarkit: another file of the same stream.
            o.more_files.push(a.to_string());
            i += 1;
        } else if !is_digits(a) {
            if o.file.is_some() || o.day_offset != 0 {
                return Err(UsageError);
            }
            o.file = Some(a.to_string());
            i += 1;
        } else if o.interval.is_none() {
            let v = atou(a);
            if v < 1 {
                return Err(UsageError);
            }
            o.interval = Some(v);
            i += 1;
        } else {
            if o.count.is_some() {
                return Err(UsageError);
            }
            o.count = Some(atou(a));
            i += 1;
        }
    }

    if let (Some(TimeLimit::Epoch(s)), Some(TimeLimit::Epoch(e))) = (o.start, o.end) {
        if e < s {
            return Err(UsageError);
        }
    }
    if let (Some(TimeLimit::Hms { hour: sh, .. }), Some(TimeLimit::Hms { hour, .. })) = (o.start, &mut o.end) {
        if *hour < sh {
            *hour += 24;
        }
    }
    if u8::from(o.local_time) + u8::from(o.true_time) + u8::from(o.epoch) > 1 {
        return Err(UsageError);
    }
    // No sadf format beside --openmetrics; the exports read each file on
    // its own, so a day range (one stream) is not theirs.
    if (o.openmetrics && o.format.is_some())
        || ((o.openmetrics || o.parquet.is_some()) && (o.from_day.is_some() || o.to_day.is_some()))
    {
        return Err(UsageError);
    }
    Ok(Command::Run(Box::new(o)))
}

const M_KEYWORDS: &[&str] = &["CPU", "FAN", "IN", "TEMP", "FREQ", "USB", "BAT", "ALL"];
const N_KEYWORDS: &[&str] = &[
    "DEV", "EDEV", "SOCK", "NFS", "NFSD", "IP", "EIP", "ICMP", "EICMP", "TCP", "ETCP", "UDP", "SOCK6", "IP6", "EIP6",
    "ICMP6", "EICMP6", "UDP6", "FC", "SOFT", "ALL",
];
const Q_KEYWORDS: &[&str] = &["LOAD", "CPU", "IO", "MEM", "PSI", "ALL"];

/// sarkit's options after `--` that select or filter the A_CGROUP reports.
fn is_cgroup_option(a: &str) -> bool {
    a == "--cgroup" || ["--cgroup=", "--pod=", "--top="].iter().any(|p| a.starts_with(p))
}

/// One group of sar flags after `--` (`parse_sar_opt` as sadf calls it),
/// with the keyword some flags may take from the next word. Returns the
/// index of the last word used.
fn parse_sar_flags(args: &[&str], mut i: usize, out: &mut Vec<String>) -> Result<usize, UsageError> {
    let a = args[i];
    out.push(a.to_string());
    let letters: Vec<char> = a[1..].chars().collect();
    for (k, &c) in letters.iter().enumerate() {
        let last = k + 1 == letters.len();
        let next = args.get(i + 1).copied();
        let takes = |kw: &[&str]| last && next.is_some_and(|n| kw.contains(&n));
        match c {
            'A' | 'B' | 'b' | 'C' | 'd' | 'H' | 'h' | 'p' | 'q' | 'S' | 'v' | 'w' | 'W' | 'x' | 'y' | 'z' => {}
            'F' | 'I' | 'r' | 'u' => {
                let kw: &[&str] = match c {
                    'F' => &["MOUNT"],
                    'I' => &["ALL", "SUM"],
                    _ => &["ALL"],
                };
                if takes(kw) {
                    i += 1;
                    out.push(args[i].to_string());
                    return Ok(i);
                }
            }
            // -j takes a persistent-name type, whatever letters follow.
            'j' => {
                let n = next.ok_or(UsageError)?;
                i += 1;
                out.push(n.to_string());
                return Ok(i);
            }
            // sar's -t has no meaning in sadf, which has its own.
            _ => return Err(UsageError),
        }
    }
    Ok(i)
}

/// `-s`/`-e`: an optional `HH:MM`, `HH:MM:SS` or ten-digit epoch; anything
/// else is left for the next round and the default applies. Returns the
/// limit and how many words it used.
fn parse_time_limit(word: Option<&str>, default: &str) -> Result<(TimeLimit, usize), UsageError> {
    if let Some(w) = word.filter(|w| !w.starts_with('-')) {
        let b = w.as_bytes();
        match b.len() {
            5 if b[2] == b':' => return Ok((hms(&format!("{w}:00"))?, 1)),
            8 if b[2] == b':' && b[5] == b':' => return Ok((hms(w)?, 1)),
            10 if is_digits(w) => {
                let t = atou(w);
                return if t == 0 { Err(UsageError) } else { Ok((TimeLimit::Epoch(t), 1)) };
            }
            _ => {}
        }
    }
    Ok((hms(default)?, 0))
}

fn hms(s: &str) -> Result<TimeLimit, UsageError> {
    let part = |r: std::ops::Range<usize>| {
        let p = s.get(r).ok_or(UsageError)?;
        if p.len() == 2 && is_digits(p) {
            Ok(p.parse::<u32>().unwrap_or(99))
        } else {
            Err(UsageError)
        }
    };
    let (hour, min, sec) = (part(0..2)?, part(3..5)?, part(6..8)?);
    if hour > 23 || min > 59 || sec > 59 {
        return Err(UsageError);
    }
    Ok(TimeLimit::Hms { hour, min, sec })
}

fn parse_output_options(v: &str, o: &mut OutputOptions) -> Result<(), UsageError> {
    fn digits(n: &str) -> Result<&str, UsageError> {
        if !n.is_empty() && is_digits(n) {
            Ok(n)
        } else {
            Err(UsageError)
        }
    }
    for t in v.split(',').filter(|t| !t.is_empty()) {
        match t {
            "skipempty" => o.skip_empty = true,
            "autoscale" => o.autoscale = true,
            "oneday" => o.one_day = true,
            "showidle" => o.show_idle = true,
            "showinfo" => o.show_info = true,
            "debug" => o.debug = true,
            "packed" => o.packed = true,
            "showtoc" => o.show_toc = true,
            "customcol" => o.palette = Palette::Custom,
            "bwcol" => o.palette = Palette::BlackAndWhite,
            "png" => o.png = true,
            _ => {
                if let Some(n) = t.strip_prefix("height=") {
                    o.height = Some(atou(digits(n)?) as u32);
                } else if t.starts_with("pcparchive=") {
                    // sadf takes it with any format; only its -l (not in
                    // sarkit) would use it.
                } else if let Some(n) = t.strip_prefix("hz=") {
                    o.hz = Some(atou(digits(n)?));
                } else {
                    return Err(UsageError);
                }
            }
        }
    }
    Ok(())
}

/// `-P`: `ALL`, or a comma list of `all`, `N`, `N-M` and `N-`.
fn parse_cpu_list(v: &str) -> Result<CpuList, UsageError> {
    let mut l = CpuList::default();
    if v == "ALL" {
        l.every = true;
        return Ok(l);
    }
    for t in v.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            l.total = true;
            continue;
        }
        let num = |s: &str| -> Result<Option<u32>, UsageError> {
            if s.is_empty() {
                return Ok(None);
            }
            if !is_digits(s) {
                return Err(UsageError);
            }
            match s.parse::<u32>() {
                Ok(n) if n < NR_CPUS => Ok(Some(n)),
                _ => Err(UsageError),
            }
        };
        let range = match t.split_once('-') {
            Some((lo, hi)) => {
                let lo = num(lo)?.ok_or(UsageError)?;
                let hi = num(hi)?.unwrap_or(NR_CPUS - 1);
                if hi < lo {
                    return Err(UsageError);
                }
                (lo, hi)
            }
            None => {
                let n = num(t)?.ok_or(UsageError)?;
                (n, n)
            }
        };
        l.ranges.push(range);
    }
    Ok(l)
}

fn split_list(v: &str) -> impl Iterator<Item = String> + '_ {
    v.split(',').filter(|t| !t.is_empty()).map(str::to_string)
}

/// True for an empty string too, as `strspn(s, DIGITS) == strlen(s)`.
fn is_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `atol` on a string of digits, saturating instead of overflowing.
fn atou(s: &str) -> u64 {
    s.bytes().take_while(u8::is_ascii_digit).fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, UsageError> {
        match parse(args)? {
            Command::Run(o) => Ok(*o),
            Command::Version => panic!("unexpected -V"),
        }
    }

    #[test]
    fn header_alone_selects_the_header_format() {
        let o = run(&["-H", "data"]).unwrap();
        assert_eq!(o.effective_format(), Format::Header);
        assert!(o.header_only());
        assert_eq!(o.file.as_deref(), Some("data"));
    }

    #[test]
    fn two_formats_are_a_usage_error() {
        assert_eq!(run(&["-x", "-j", "data"]), Err(UsageError));
        assert_eq!(run(&["-dp"]), Err(UsageError));
    }

    #[test]
    fn header_is_dropped_by_formats_without_a_header_display() {
        let o = run(&["-d", "-H", "f"]).unwrap();
        assert!(!o.header_only());
        assert!(run(&["-j", "-H", "f"]).unwrap().header_only());
    }

    #[test]
    fn interval_count_and_day_offset() {
        let o = run(&["-p", "2", "5", "-1"]).unwrap();
        assert_eq!((o.interval, o.count, o.day_offset), (Some(2), Some(5), 1));
        assert_eq!(run(&["-1", "file"]), Err(UsageError));
        assert_eq!(run(&["0"]), Err(UsageError));
        assert_eq!(run(&["1", "2", "3"]), Err(UsageError));
    }

    #[test]
    fn time_limits_take_optional_values() {
        let o = run(&["-s", "-e", "07:30", "f"]).unwrap();
        assert_eq!(o.start, Some(TimeLimit::Hms { hour: 8, min: 0, sec: 0 }));
        assert_eq!(o.end, Some(TimeLimit::Hms { hour: 31, min: 30, sec: 0 }));
        assert_eq!(run(&["-s", "25:00:00"]), Err(UsageError));
        assert_eq!(run(&["-s", "1700000000", "-e", "1600000000"]), Err(UsageError));
    }

    #[test]
    fn sar_options_only_after_double_dash() {
        assert_eq!(run(&["-n", "DEV"]), Err(UsageError));
        let o = run(&["-d", "f", "--", "-n", "DEV,EDEV", "-r", "ALL", "-u", "-q"]).unwrap();
        assert_eq!(o.sar_args, ["-n", "DEV,EDEV", "-r", "ALL", "-u", "-q"]);
        assert_eq!(run(&["--", "-t"]), Err(UsageError));
        assert_eq!(run(&["--", "-O", "packed"]), Err(UsageError));
    }

    #[test]
    fn cpu_lists_and_output_options() {
        let o = run(&["-P", "all,0,2-3,8190-", "-O", "height=40,bwcol", "f"]).unwrap();
        let c = o.cpus.unwrap();
        assert!(c.total && !c.every);
        assert_eq!(c.ranges, [(0, 0), (2, 3), (8190, 8191)]);
        assert_eq!(o.output.height, Some(40));
        assert_eq!(o.output.palette, Palette::BlackAndWhite);
        assert_eq!(run(&["-P", "8192"]), Err(UsageError));
        assert_eq!(run(&["-O", "height="]), Err(UsageError));
        assert_eq!(run(&["-P"]), Err(UsageError));
    }

    #[test]
    fn parquet_takes_a_folder_and_several_files() {
        let o = run(&["--parquet", "out", "a", "b", "-s", "c", "--", "-u"]).unwrap();
        assert_eq!(o.parquet.as_deref(), Some("out"));
        assert_eq!(o.file.as_deref(), Some("a"));
        assert_eq!(o.more_files, ["b", "c"]);
        assert_eq!(o.sar_args, ["-u"]);
        assert_eq!(run(&["a", "b"]).unwrap().more_files, ["b"], "several files are one stream without --parquet too");
        assert_eq!(run(&["--parquet"]), Err(UsageError));
        assert_eq!(run(&["--parquet=out", "a"]).unwrap().parquet.as_deref(), Some("out"));
    }

    #[test]
    fn exclusive_time_flags_and_version() {
        assert_eq!(run(&["-T", "-U"]), Err(UsageError));
        assert_eq!(parse(&["-HV", "-x", "-j"]), Ok(Command::Version));
    }

    #[test]
    fn usage_names_the_program() {
        let u = usage("rsadf");
        assert!(u.starts_with("Usage: rsadf [ options ]"));
        assert!(u.ends_with("[ -- <sar_options> ]\n"));
    }

    #[test]
    fn the_environment_is_read_through_the_lookup() {
        let var = |k: &str| match k {
            "S_TIME_FORMAT" => Some("ISO".to_string()),
            "S_COLORS_PALETTE" => Some("H=ff0000".to_string()),
            "SARKIT_FONT" => Some("/fonts/a.ttf".to_string()),
            _ => None,
        };
        let e = Environment::from_env(&var);
        assert_eq!(e.time_style, TimeStyle::Iso);
        assert_eq!(e.colors_palette.as_deref(), Some("H=ff0000"));
        assert_eq!(e.font, Some(PathBuf::from("/fonts/a.ttf")));
        assert_eq!(Environment::from_env(&|_| None), Environment::default());
    }
}
