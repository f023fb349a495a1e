//! `rsar`: sysstat's `sar`, reading data files.
//!
//! With no file named (or `-N`, or a folder given with `-f`), the day's
//! file is `saDD`, `saYYYYMMDD` or either `.zst`, in `$SA_DIR`, else in the
//! first of /var/log/sysstat, /var/log/sarkit and /var/log/sa that has
//! one (`sarkit_format::daily`). The environment is read here and passed
//! in through [`RunEnv`]; without a file, the samples come from the
//! recorder, wired in by [`live`].

mod live;

use std::io::{self, BufWriter, IsTerminal, Write};

use std::path::Path;

use sarkit_query::sar::{self, DeviceLookup, RunEnv};

/// Terminal height, as sar asks the tty for it (header repetition).
fn tty_rows() -> Option<u64> {
    if !io::stdout().is_terminal() {
        return None;
    }
    // SAFETY: TIOCGWINSZ only writes the winsize structure we pass.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) };
    (r != -1).then_some(ws.ws_row as u64)
}

fn main() {
    let mut argv = std::env::args_os().map(|a| a.to_string_lossy().into_owned());
    let progname = argv.next().unwrap_or_else(|| "rsar".into());
    let args: Vec<String> = argv.collect();
    sar::timefmt::init_tz();
    let var = |k: &str| std::env::var(k).ok();
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let mut recorder = live::Recorder::from_env(&var);
    // Device names from this machine's /sys, /proc and /dev, and the
    // working directory's sysstat.ioconf, as sar finds them.
    let devices = DeviceLookup::under(Path::new("/"), Path::new("sysstat.ioconf").exists());
    let mut env = RunEnv { var: &var, tty_rows: tty_rows(), now, live: &mut recorder, devices };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = io::stderr();
    let code = match sar::run(&progname, &args, &mut env, &mut out, &mut err).and_then(|c| out.flush().map(|_| c)) {
        Ok(c) => c,
        // A reader that went away (`rsar ... | head`) is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "{progname}: {e}");
            2
        }
    };
    // Avoid flushing again into a closed pipe on drop.
    std::mem::forget(out);
    std::process::exit(code);
}
