//! `rsadf`: sysstat's `sadf`, over sarkit: `-H`, `-c` and the exports, and
//! sarkit's `--compare` of two groups of files.
//!
//! With no file named (or `-N`, or a folder), the day's file is found as
//! rsar finds it: `$SA_DIR`, else the conventional folders
//! (`sarkit_format::daily`). The environment is read here only: `SA_DIR`
//! and `S_TIME_DEF_TIME`, `S_TIME_FORMAT` and the locale, `S_COLORS_PALETTE`
//! and `SARKIT_FONT`.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use sarkit_format::{Compat, Error};
use sarkit_query::compare;
use sarkit_query::convert::{convert_file, ConvertOptions};
use sarkit_query::daily::DailyLookup;
use sarkit_query::header_report::{header_report, DateStyle, ReportError};
use sarkit_query::sadf::{self, Command, Environment, Format};
use sarkit_query::sar::DeviceLookup;

fn main() -> ExitCode {
    ExitCode::from(run())
}

fn run() -> u8 {
    let mut argv = std::env::args_os().map(|a| a.to_string_lossy().into_owned());
    let prog = argv.next().unwrap_or_else(|| "rsadf".into());
    let args: Vec<String> = argv.collect();
    if args.first().map(String::as_str) == Some("--restore") {
        return restore(&args[1..]);
    }
    if compare::requested(&args) {
        return run_compare(&prog, &args);
    }
    let mut opts = match sadf::parse(&args) {
        Ok(Command::Run(mut o)) => {
            o.progname = prog.clone();
            o
        }
        Ok(Command::Version) => return print_version(),
        Err(_) => {
            eprint!("{}", sadf::usage(&prog));
            return 1;
        }
    };
    // Where the day's file is: SA_DIR, S_TIME_DEF_TIME and today.
    sarkit_query::sar::timefmt::init_tz();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let var = |k: &str| std::env::var(k).ok();
    opts.daily = DailyLookup::from_env(&var, now);
    opts.environment = Environment::from_env(&var);
    opts.environment.devices = this_machine();
    if opts.output.png && opts.effective_format() == Format::Svg {
        // plotters keeps fonts for the process: registered once, here.
        opts.environment.png_text = sarkit_render::register_font(opts.environment.font.as_deref());
    }
    // sysstat formats dates in the user's LC_TIME locale.
    // SAFETY: called before any other thread exists; the string is static.
    unsafe { libc::setlocale(libc::LC_TIME, c"".as_ptr()) };

    if let Some(dir) = opts.parquet.clone() {
        return parquet(&opts, &dir);
    }
    if opts.openmetrics {
        let mut out = BufWriter::new(io::stdout().lock());
        let mut err = io::stderr().lock();
        return match sadf::openmetrics::run(&opts, &mut out, &mut err).and_then(|c| out.flush().map(|()| c)) {
            Ok(c) => u8::try_from(c).unwrap_or(1),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("rsadf: cannot write the export: {e}");
                2
            }
        };
    }
    let format = opts.effective_format();
    if opts.several_files() && (format == Format::Convert || opts.header_only()) {
        // A conversion writes one file, and a header is one file's.
        eprintln!(
            "rsadf: -{} reads one file; several files are read as one by -d, -p, -j, -x, -r and -g",
            format.letter()
        );
        return 1;
    }
    if format == Format::Convert {
        return convert(&opts);
    }
    if !opts.header_only() {
        let mut out = BufWriter::new(io::stdout().lock());
        let mut err = io::stderr().lock();
        let run = if format == Format::Svg { sadf::graph::run } else { sadf::export::run };
        return match run(&opts, &mut out, &mut err).and_then(|c| out.flush().map(|()| c)) {
            Ok(c) => u8::try_from(c).unwrap_or(1),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                eprintln!("rsadf: cannot write the report: {e}");
                2
            }
        };
    }
    if format != Format::Header {
        eprintln!("rsadf: -H with -{} is not implemented yet", format.letter());
        return 1;
    }

    let (file, default_used) = opts.data_file();
    let mut out = BufWriter::new(io::stdout().lock());
    let result = header_report(&mut out, &file, &file, DateStyle::from_env(var))
        .and_then(|()| out.flush().map_err(ReportError::Output));
    match result {
        Ok(()) => 0,
        Err(ReportError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(ReportError::Output(e)) => {
            eprintln!("rsadf: cannot write the report: {e}");
            2
        }
        Err(ReportError::File(e)) => {
            let (msg, code) = e.sysstat_report(&file);
            eprint!("{msg}");
            if default_used && matches!(&e, Error::Io(io) if io.kind() == io::ErrorKind::NotFound) {
                eprintln!("Please check if data collecting is enabled");
            }
            u8::try_from(code).unwrap_or(1)
        }
    }
}

/// `--restore ARCHIVE`: the plain file an archive holds, on standard
/// output, byte for byte (for sysstat's `sar`).
fn restore(args: &[String]) -> u8 {
    let [path] = args else {
        eprintln!("Usage: rsadf --restore ARCHIVE > FILE");
        return 1;
    };
    let mut head = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = io::Read::read_to_end(&mut io::Read::take(f, 8), &mut head);
        if !sarkit_format::archive::is_archive(&head) {
            eprintln!("rsadf: {path} is not a sarkit archive");
            return 1;
        }
    }
    let ar = match sarkit_format::archive::Archive::open(std::path::Path::new(path)) {
        Ok(a) => a,
        Err(e) => {
            let (msg, code) = e.sysstat_report(path);
            eprint!("{msg}");
            return u8::try_from(code).unwrap_or(2);
        }
    };
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    match sarkit_format::archive::restore(&ar, &mut out)
        .map(|_| ())
        .and_then(|()| out.flush().map_err(sarkit_format::archive::RestoreError::Write))
    {
        Ok(()) => 0,
        Err(sarkit_format::archive::RestoreError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(sarkit_format::archive::RestoreError::Write(e)) => {
            eprintln!("rsadf: cannot write the restored file: {e}");
            2
        }
        Err(sarkit_format::archive::RestoreError::Archive(e)) => {
            let (msg, code) = e.sysstat_report(path);
            eprint!("{msg}");
            u8::try_from(code).unwrap_or(2)
        }
    }
}

/// `--compare A... --against B...`: the text report on stdout, the page
/// into `--html`'s file; messages on stderr.
fn run_compare(prog: &str, args: &[String]) -> u8 {
    let Ok(mut o) = compare::parse(args) else {
        eprint!("{}", compare::usage(prog));
        return 1;
    };
    o.progname = prog.to_string();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr().lock();
    match compare::run(&o, &mut out, &mut err).and_then(|c| out.flush().map(|()| c)) {
        Ok(c) => u8::try_from(c).unwrap_or(1),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("{prog}: cannot write the comparison: {e}");
            2
        }
    }
}

/// `--parquet OUTDIR FILE...`: the datasets into OUTDIR; messages about
/// a file on stderr (its status is the exit status, the others are still
/// exported); a dataset that cannot be written stops with exit 2.
fn parquet(opts: &sadf::Options, dir: &str) -> u8 {
    let mut inputs: Vec<String> = opts.more_files.clone();
    match &opts.file {
        Some(f) => inputs.insert(0, f.clone()),
        None => inputs.push(opts.data_file().0),
    }
    let mut err = io::stderr().lock();
    match sadf::parquet::run(opts, std::path::Path::new(dir), &inputs, &mut err) {
        Ok((code, _)) => u8::try_from(code).unwrap_or(1),
        Err(e) => {
            eprintln!("rsadf: --parquet {dir}: {e}");
            2
        }
    }
}

/// `-c`: the converted file to stdout, progress and messages to stderr.
fn convert(opts: &sadf::Options) -> u8 {
    let compat = match opts.compat.as_deref().map(Compat::parse).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            eprintln!("rsadf: {e}");
            return 1;
        }
    };
    let (file, default_used) = opts.data_file();
    let copts = ConvertOptions { hz: opts.output.hz, machine_hz: clock_ticks(), compat };
    let mut out = BufWriter::new(io::stdout().lock());
    let mut err = io::stderr().lock();
    let code = convert_file(&file, copts, &mut out, &mut err).and_then(|c| out.flush().map(|()| c));
    match code {
        Ok(c) => {
            if c == 2 && default_used && !std::path::Path::new(&file).exists() {
                eprintln!("Please check if data collecting is enabled");
            }
            u8::try_from(c).unwrap_or(1)
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("\nwrite: {e}");
            2
        }
    }
}

/// Device names from this machine's /sys, /proc and /dev, as sar finds them.
fn this_machine() -> DeviceLookup {
    DeviceLookup::under(std::path::Path::new("/"), std::path::Path::new("sysstat.ioconf").exists())
}

/// This machine's clock ticks per second (`sysconf(_SC_CLK_TCK)`), 100 if unknown.
fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(t).ok().filter(|&t| t > 0).unwrap_or(100)
}

/// `-V`: the environment sadf reads, then the version.
fn print_version() -> u8 {
    for var in ["S_COLORS_PALETTE", "S_TIME_DEF_TIME"] {
        if let Some(v) = std::env::var_os(var) {
            println!("{var}={}", v.to_string_lossy());
        }
    }
    println!("rsadf (sarkit {}), compatible with sysstat version 12.7.9", env!("CARGO_PKG_VERSION"));
    0
}
