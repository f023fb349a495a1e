//! sar's command line, parsed as sar 12.7.9 parses it.
//!
//! Hand-written over argv rather than with clap: sar's grammar is
//! positional and context-sensitive (`-u ALL` takes an optional keyword only
//! when it ends a bundle, `-f` takes a file unless the next word starts with
//! `-` or is all digits, `-12` is a day offset, `interval [count]` may come
//! anywhere), and a bad word must fall back to the usage text exactly where
//! sar's own loop would. clap cannot express those rules.

use crate::sar::report::disk::names::DeviceLookup;
use sarkit_format::daily::Day;
use sarkit_format::ActivityId;

/// sar's `NR_CPUS`: sizes the CPU bitmap, which also drives header repeats.
pub const NR_CPUS: usize = 8192;
/// `BITMAP_SIZE(NR_CPUS)` in bytes; `-P ALL` sets every bit of it.
pub const CPU_BITMAP_BYTES: usize = ((NR_CPUS + 1) >> 3) + 1;
/// Interface names this long or longer are dropped from `--iface` (sar's MAX_IFACE_LEN).
const MAX_IFACE_LEN: usize = 16;
/// `MAX_DEV_LEN`/`MAX_FS_LEN`: longer `--dev`/`--fs` names are dropped.
const MAX_DEV_LEN: usize = 128;
/// `MAX_SA_IRQ_LEN`: longer `--int` names are dropped.
const MAX_SA_IRQ_LEN: usize = 8;
/// `NR_IRQS`: `--int` ranges stop below this.
const NR_IRQS: i64 = 4096;
/// Highest activity id, for the selection table.
const MAX_ACT_ID: usize = 64;
/// Slots of the selection table: sysstat's ids, then sarkit's extensions.
const SELECTION_SLOTS: usize = MAX_ACT_ID + 100;

/// An activity's place in the selection table, if it has one.
fn selection_slot(id: ActivityId) -> Option<usize> {
    let i = id.0 as usize;
    if i < MAX_ACT_ID {
        Some(i)
    } else if id.is_extension() {
        Some(MAX_ACT_ID + (i - *sarkit_format::activity::SARKIT_IDS.start() as usize))
    } else {
        None
    }
}

/// `--cgroup`'s outputs: bits of the A_CGROUP report (see `report::cgroup`).
pub const CG_CPU: u32 = 1;
pub const CG_MEM: u32 = 2;
pub const CG_IO: u32 = 4;
pub const CG_PSI: u32 = 8;
pub const CG_ALL: u32 = CG_CPU | CG_MEM | CG_IO | CG_PSI;

/// A `-s`/`-e` limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeLimit {
    #[default]
    None,
    /// Local wall-clock time; the hour may exceed 23 after `check_time_limits`.
    Hms {
        hour: i32,
        min: i32,
        sec: i32,
    },
    Epoch(i64),
}

/// Why parsing stopped without producing a runnable command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// Print the usage text on stderr, exit 1.
    Usage,
    /// Print this message on stderr, exit with this code.
    Message(String, i32),
    /// Print this on stdout, exit 0 (`-V`, `--sadc`).
    Stdout(String),
    /// `--help`: print [`help_text`] on stdout, exit 0.
    Help,
}

/// Everything the command line selects.
#[derive(Debug, Clone)]
pub struct Options {
    selected: [bool; SELECTION_SLOTS],
    /// `AO_F_CPU_ALL` rather than the default `AO_F_CPU_DEF`.
    pub cpu_all: bool,
    /// `-r`, `-S` and `-r ALL` (memory's two outputs and its extended columns).
    pub mem_memory: bool,
    pub mem_swap: bool,
    pub mem_all: bool,
    pub cpu_bitmap: Vec<u8>,
    pub option_p: bool,
    pub option_a: bool,
    pub iface_list: Option<Vec<Vec<u8>>>,
    /// `--dev` list (names shorter than 128 bytes).
    pub dev_list: Option<Vec<Vec<u8>>>,
    /// `--fs` list.
    pub fs_list: Option<Vec<Vec<u8>>>,
    /// `--int` list, and `-I SUM` adds "sum".
    pub int_list: Option<Vec<Vec<u8>>>,
    /// `-F MOUNT`: name filesystems by mount point.
    pub fs_mount: bool,
    /// `--cgroup[=...]` (sarkit): the A_CGROUP outputs asked for, `CG_*` bits.
    pub cgroup_outputs: u32,
    /// `--pod=LIST` (sarkit): cgroup names, or leading parts of them
    /// (a namespace), whose items the A_CGROUP reports show.
    pub pod_list: Option<Vec<Vec<u8>>>,
    /// `--top=N` (sarkit): show the N cgroups that used the most CPU in
    /// each interval, most first.
    pub cgroup_top: Option<usize>,
    /// `--dec=N`.
    pub dec: Option<u32>,
    /// `--human` or `-h`.
    pub human: bool,
    /// `--pretty`, `-h` or `-p`.
    pub pretty: bool,
    /// `-x`.
    pub minmax: bool,
    /// `-z`.
    pub zero_omit: bool,
    /// `--getenv`: accepted as sysstat's test build accepts it.
    pub getenv: bool,
    pub comments: bool,
    pub interval: i64,
    pub interval_set: bool,
    pub count: i64,
    pub from_file: Option<String>,
    /// `from_file` is the daily file sar chose (no name, or a folder, was
    /// given): a missing one adds "Please check if data collecting is
    /// enabled", as sysstat's `default_file_used`.
    pub default_file_used: bool,
    /// Files named by a second and later `-f` (sarkit): read after
    /// `from_file`, in order, as one stream. sar refuses a second `-f`.
    pub more_files: Vec<String>,
    /// The folder `-f` named, if it named one: where `--from`/`--to` look.
    pub from_dir: Option<String>,
    /// `--from YYYY-MM-DD` (sarkit): the first day of the folder's daily
    /// files to read as one stream.
    pub from_day: Option<Day>,
    /// `--to YYYY-MM-DD` (sarkit): the last day, today when not given.
    pub to_day: Option<Day>,
    pub to_file: Option<String>,
    /// `-D`: `-o` without a file name saves to `saYYYYMMDD` rather than `saDD`.
    pub sa_yyyymmdd: bool,
    pub day_offset: i64,
    pub tm_start: TimeLimit,
    pub tm_end: TimeLimit,
    /// Flags accepted as sar accepts them but whose output rsar cannot yet produce.
    pub unsupported_flags: Vec<&'static str>,
    /// `sar 0` (`S_F_SINCE_BOOT`): statistics since boot, the previous
    /// sample being boot time's zeros.
    pub since_boot: bool,
    /// Where the disk report finds device names: not on the command line,
    /// the caller sets it ([`RunEnv`](crate::sar::RunEnv), sadf's
    /// `Environment`).
    pub device_lookup: DeviceLookup,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            selected: [false; SELECTION_SLOTS],
            cpu_all: false,
            mem_memory: false,
            mem_swap: false,
            mem_all: false,
            cpu_bitmap: vec![0; CPU_BITMAP_BYTES],
            option_p: false,
            option_a: false,
            iface_list: None,
            dev_list: None,
            fs_list: None,
            int_list: None,
            fs_mount: false,
            cgroup_outputs: 0,
            pod_list: None,
            cgroup_top: None,
            dec: None,
            human: false,
            pretty: false,
            minmax: false,
            zero_omit: false,
            getenv: false,
            comments: false,
            interval: -1,
            interval_set: false,
            count: 0,
            from_file: None,
            default_file_used: false,
            more_files: Vec::new(),
            from_dir: None,
            from_day: None,
            to_day: None,
            to_file: None,
            sa_yyyymmdd: false,
            day_offset: 0,
            tm_start: TimeLimit::None,
            tm_end: TimeLimit::None,
            unsupported_flags: Vec::new(),
            since_boot: false,
            device_lookup: DeviceLookup::default(),
        }
    }
}

impl Options {
    pub fn is_selected(&self, id: ActivityId) -> bool {
        selection_slot(id).is_some_and(|i| self.selected[i])
    }

    pub fn select(&mut self, id: ActivityId) {
        if let Some(i) = selection_slot(id) {
            self.selected[i] = true;
        }
    }

    pub fn unselect(&mut self, id: ActivityId) {
        if let Some(i) = selection_slot(id) {
            self.selected[i] = false;
        }
    }

    pub fn any_selected(&self) -> bool {
        self.selected.iter().any(|&s| s)
    }

    /// Keep selected only the activities `available` says are there (sar's
    /// `check_file_actlst`); whether any is left.
    pub fn keep_available(&mut self, available: impl Fn(ActivityId) -> bool) -> bool {
        let ids: Vec<ActivityId> = self.selected_ids().collect();
        ids.into_iter().filter(|&id| !available(id)).for_each(|id| self.unselect(id));
        self.any_selected()
    }

    pub fn selected_ids(&self) -> impl Iterator<Item = ActivityId> + '_ {
        let ext = *sarkit_format::activity::SARKIT_IDS.start() as usize;
        self.selected
            .iter()
            .enumerate()
            .filter(|(_, &s)| s)
            .map(move |(i, _)| ActivityId(if i < MAX_ACT_ID { i } else { ext + i - MAX_ACT_ID } as u32))
    }

    pub fn cpu_selected(&self, i: usize) -> bool {
        self.cpu_bitmap.get(i >> 3).is_some_and(|b| b & (1 << (i & 7)) != 0)
    }

    /// Bits set in the CPU bitmap: how many lines sar counts per CPU sample.
    pub fn cpu_bits(&self) -> u64 {
        self.cpu_bitmap.iter().map(|b| b.count_ones() as u64).sum()
    }

    fn unsupported(&mut self, what: &'static str) {
        if !self.unsupported_flags.contains(&what) {
            self.unsupported_flags.push(what);
        }
    }
}

/// The usage text sar prints on a bad command line.
pub fn usage_text(progname: &str) -> String {
    format!(
        "Usage: {progname} [ options ] [ <interval> [ <count> ] ]\n\
Options are:\n\
[ -A ] [ -B ] [ -b ] [ -C ] [ -D ] [ -d ] [ -F [ MOUNT ] ] [ -H ] [ -h ]\n\
[ -p ] [ -r [ ALL ] ] [ -S ] [ -t ] [ -u [ ALL ] ] [ -V ]\n\
[ -v ] [ -W ] [ -w ] [ -x ] [ -y ] [ -z ]\n\
[ -I [ SUM | ALL ] ] [ -P {{ <cpu_list> | ALL }} ]\n\
[ -m {{ <keyword> [,...] | ALL }} ] [ -n {{ <keyword> [,...] | ALL }} ]\n\
[ -q [ <keyword> [,...] | ALL ] ]\n\
[ --dev=<dev_list> ] [ --fs=<fs_list> ] [ --iface=<iface_list> ] [ --int=<int_list> ]\n\
[ --dec={{ 0 | 1 | 2 }} ] [ --help ] [ --human ] [ --pretty ] [ --sadc ]\n\
[ -j {{ SID | ID | LABEL | PATH | UUID | ... }} ]\n\
[ -f [ <filename> ] | -o [ <filename> ] | -[0-9]+ ]\n\
[ -i <interval> ] [ -s [ <start_time> ] ] [ -e [ <end_time> ] ]\n"
    )
}

/// What `--help` prints on stdout: the usage line, then every main option
/// with the report it selects (sar's `display_help`), then sarkit's own
/// options. `progname` is argv[0]
/// as invoked, as in [`usage_text`].
pub fn help_text(progname: &str) -> String {
    format!(
        "Usage: {progname} [ options ] [ <interval> [ <count> ] ]\n\
Main options and reports (report name between square brackets):\n\
\t-B\tPaging statistics [A_PAGE]\n\
\t-b\tI/O and transfer rate statistics [A_IO]\n\
\t-d\tBlock devices statistics [A_DISK]\n\
\t-F [ MOUNT ]\n\
\t\tFilesystems statistics [A_FS]\n\
\t-H\tHugepages utilization statistics [A_HUGE]\n\
\t-I [ SUM | ALL ]\n\
\t\tInterrupts statistics [A_IRQ]\n\
\t-m {{ <keyword> [,...] | ALL }}\n\
\t\tPower management statistics [A_PWR_...]\n\
\t\tKeywords are:\n\
\t\tBAT\tBatteries capacity\n\
\t\tCPU\tCPU instantaneous clock frequency\n\
\t\tFAN\tFans speed\n\
\t\tFREQ\tCPU average clock frequency\n\
\t\tIN\tVoltage inputs\n\
\t\tTEMP\tDevices temperature\n\
\t\tUSB\tUSB devices plugged into the system\n\
\t-n {{ <keyword> [,...] | ALL }}\n\
\t\tNetwork statistics [A_NET_...]\n\
\t\tKeywords are:\n\
\t\tDEV\tNetwork interfaces\n\
\t\tEDEV\tNetwork interfaces (errors)\n\
\t\tNFS\tNFS client\n\
\t\tNFSD\tNFS server\n\
\t\tSOCK\tSockets\t(v4)\n\
\t\tIP\tIP traffic\t(v4)\n\
\t\tEIP\tIP traffic\t(v4) (errors)\n\
\t\tICMP\tICMP traffic\t(v4)\n\
\t\tEICMP\tICMP traffic\t(v4) (errors)\n\
\t\tTCP\tTCP traffic\t(v4)\n\
\t\tETCP\tTCP traffic\t(v4) (errors)\n\
\t\tUDP\tUDP traffic\t(v4)\n\
\t\tSOCK6\tSockets\t(v6)\n\
\t\tIP6\tIP traffic\t(v6)\n\
\t\tEIP6\tIP traffic\t(v6) (errors)\n\
\t\tICMP6\tICMP traffic\t(v6)\n\
\t\tEICMP6\tICMP traffic\t(v6) (errors)\n\
\t\tUDP6\tUDP traffic\t(v6)\n\
\t\tFC\tFibre channel HBAs\n\
\t\tSOFT\tSoftware-based network processing\n\
\t-q [ <keyword> [,...] | PSI | ALL ]\n\
\t\tSystem load and pressure-stall statistics\n\
\t\tKeywords are:\n\
\t\tLOAD\tQueue length and load average statistics [A_QUEUE]\n\
\t\tCPU\tPressure-stall CPU statistics [A_PSI_CPU]\n\
\t\tIO\tPressure-stall I/O statistics [A_PSI_IO]\n\
\t\tMEM\tPressure-stall memory statistics [A_PSI_MEM]\n\
\t-r [ ALL ]\n\
\t\tMemory utilization statistics [A_MEMORY]\n\
\t-S\tSwap space utilization statistics [A_MEMORY]\n\
\t-u [ ALL ]\n\
\t\tCPU utilization statistics [A_CPU]\n\
\t-v\tKernel tables statistics [A_KTABLES]\n\
\t-W\tSwapping statistics [A_SWAP]\n\
\t-w\tTask creation and system switching statistics [A_PCSW]\n\
\t-y\tTTY devices statistics [A_SERIAL]\n\
sarkit options:\n\
\t-f <file> -f <file> ...\n\
\t\tRead several files as one (days of one host, in time order)\n\
\t[ -f <folder> ] --from YYYY-MM-DD [ --to YYYY-MM-DD ]\n\
\t\tRead the daily files of those days (default folder: the daily files' one; --to: today)\n\
\t--cgroup [=<keyword> [,...] | ALL ]\n\
\t\tPer-cgroup (per-pod) statistics [A_CGROUP]\n\
\t\tKeywords are:\n\
\t\tCPU\tCPU utilization, against the CPU limit, and throttling\n\
\t\tMEM\tMemory utilization, against the memory limit, faults and OOM kills\n\
\t\tIO\tI/O requests and throughput\n\
\t\tPSI\tPressure-stall times\n\
\t--pod=<cgroup_list>\n\
\t\tOnly these cgroups (pods), or those of these namespaces\n\
\t--top=<N>\tThe N cgroups that used the most CPU in each interval\n"
    )
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// C's `atol` on a string already checked to be digits: saturating, empty is 0.
fn atol(s: &str) -> i64 {
    s.bytes().take_while(u8::is_ascii_digit).fold(0i64, |v, b| v.saturating_mul(10).saturating_add((b - b'0') as i64))
}

/// Where the default daily file lives and how today is named: injected so
/// tests do not depend on the clock or the host.
pub trait DefaultFile {
    fn default_file(&self, dir: Option<&str>, day_offset: i64) -> String;
    fn is_dir(&self, path: &str) -> bool;
}

/// Parse `args` (without argv[0]).
pub fn parse(args: &[String], env: &dyn DefaultFile) -> Result<Options, Exit> {
    let mut o = Options::default();
    let mut i = 0usize;
    let arg = |i: usize| args.get(i).map(String::as_str);
    while let Some(a) = arg(i) {
        if a == "--sadc" {
            return Err(Exit::Stdout("sadc not found\n".into()));
        } else if let Some(v) = a.strip_prefix("--dev=") {
            add_items(&mut o.dev_list, v, MAX_DEV_LEN, 0);
            i += 1;
        } else if let Some(v) = a.strip_prefix("--fs=") {
            add_items(&mut o.fs_list, v, MAX_DEV_LEN, 0);
            i += 1;
        } else if a == "--getenv" {
            o.getenv = true;
            i += 1;
        } else if let Some(v) = a.strip_prefix("--iface=") {
            let list = o.iface_list.get_or_insert_with(Vec::new);
            for t in v.split(',').filter(|t| !t.is_empty()) {
                if t.len() < MAX_IFACE_LEN && !list.iter().any(|x| x == t.as_bytes()) {
                    list.push(t.as_bytes().to_vec());
                }
            }
            if list.is_empty() {
                o.iface_list = None;
            }
            i += 1;
        } else if let Some(v) = a.strip_prefix("--int=") {
            add_items(&mut o.int_list, v, MAX_SA_IRQ_LEN, NR_IRQS);
            i += 1;
        } else if a == "--cgroup" || a.starts_with("--cgroup=") {
            // sarkit: the per-cgroup reports; no keyword is all of them.
            let bits = match a.strip_prefix("--cgroup=") {
                None => CG_ALL,
                Some(v) => parse_cgroup_list(v).ok_or(Exit::Usage)?,
            };
            o.cgroup_outputs |= bits;
            o.select(ActivityId::A_CGROUP);
            i += 1;
        } else if let Some(v) = a.strip_prefix("--pod=") {
            add_items(&mut o.pod_list, v, MAX_DEV_LEN, 0);
            i += 1;
        } else if let Some(v) = a.strip_prefix("--top=") {
            match v.parse::<usize>() {
                Ok(n) if n > 0 && all_digits(v) => o.cgroup_top = Some(n),
                _ => return Err(Exit::Usage),
            }
            i += 1;
        } else if a == "--help" {
            return Err(Exit::Help);
        } else if a == "--human" {
            o.human = true;
            i += 1;
        } else if a == "--pretty" {
            o.pretty = true;
            i += 1;
        } else if a.starts_with("--dec=") && a.len() == 7 {
            let d = a.as_bytes()[6];
            if !d.is_ascii_digit() || d > b'2' {
                return Err(Exit::Usage);
            }
            o.dec = Some((d - b'0') as u32);
            i += 1;
        } else if a == "-D" {
            o.sa_yyyymmdd = true;
            i += 1;
        } else if a == "-P" {
            i += 1;
            let Some(v) = arg(i) else { return Err(Exit::Usage) };
            if parse_cpu_list(v, &mut o.cpu_bitmap).is_none() {
                return Err(Exit::Usage);
            }
            o.option_p = true;
            i += 1;
        } else if a == "-V" {
            return Err(Exit::Stdout("sysstat version 12.7.9\n(C) Sebastien Godard (sysstat <at> orange.fr)\n".into()));
        } else if a == "-o" {
            if o.to_file.is_some() {
                return Err(Exit::Usage);
            }
            i += 1;
            match arg(i) {
                Some(v) if !v.starts_with('-') && !all_digits(v) => {
                    o.to_file = Some(v.to_string());
                    i += 1;
                }
                _ => o.to_file = Some("-".into()),
            }
        } else if a == "-f" && o.from_file.is_some() && o.day_offset == 0 {
            // sarkit: another file of the same stream.
            i += 1;
            match arg(i) {
                Some(v) if !v.starts_with('-') && !all_digits(v) => {
                    let dir = env.is_dir(v);
                    o.more_files.push(if dir { env.default_file(Some(v), 0) } else { v.to_string() });
                    i += 1;
                }
                _ => return Err(Exit::Usage),
            }
        } else if a == "--from" || a == "--to" {
            let day = arg(i + 1).and_then(crate::daily::parse_day).ok_or_else(|| {
                Exit::Message(format!("{a} wants a day as YYYY-MM-DD (the first and last daily files to read)\n"), 1)
            })?;
            *(if a == "--from" { &mut o.from_day } else { &mut o.to_day }) = Some(day);
            i += 2;
        } else if a == "-f" {
            if o.from_file.is_some() || o.day_offset != 0 {
                return Err(Exit::Usage);
            }
            i += 1;
            match arg(i) {
                Some(v) if !v.starts_with('-') && !all_digits(v) => {
                    if env.is_dir(v) {
                        o.from_dir = Some(v.to_string());
                    }
                    // check_alt_sa_dir: a folder stands for the day's file in it.
                    o.default_file_used = env.is_dir(v);
                    o.from_file =
                        Some(if o.default_file_used { env.default_file(Some(v), o.day_offset) } else { v.to_string() });
                    i += 1;
                }
                _ => {
                    o.from_file = Some(env.default_file(None, o.day_offset));
                    o.default_file_used = true;
                }
            }
        } else if a == "-s" || a == "-e" {
            let (lim, next) = parse_timestamp(args, i, if a == "-s" { "00:00:00" } else { "23:59:59" })?;
            if a == "-s" {
                o.tm_start = lim;
            } else {
                o.tm_end = lim;
            }
            i = next;
        } else if a == "-i" {
            i += 1;
            let Some(v) = arg(i) else { return Err(Exit::Usage) };
            if !all_digits(v) {
                return Err(Exit::Usage);
            }
            o.interval = atol(v);
            if o.interval < 1 {
                return Err(Exit::Usage);
            }
            o.interval_set = true;
            i += 1;
        } else if a == "-m" {
            i += 1;
            let Some(v) = arg(i) else { return Err(Exit::Usage) };
            for t in v.split(',').filter(|t| !t.is_empty()) {
                let ids: &[u32] = match t {
                    "CPU" => &[30],
                    "FAN" => &[31],
                    "IN" => &[33],
                    "TEMP" => &[32],
                    "FREQ" => &[35],
                    "USB" => &[36],
                    "BAT" => &[43],
                    "ALL" => &[30, 31, 32, 33, 35, 36, 43],
                    _ => return Err(Exit::Usage),
                };
                ids.iter().for_each(|&id| o.select(ActivityId(id)));
            }
            i += 1;
        } else if a == "-n" {
            i += 1;
            let Some(v) = arg(i) else { return Err(Exit::Usage) };
            for t in v.split(',').filter(|t| !t.is_empty()) {
                let id = match t {
                    "DEV" => 12,
                    "EDEV" => 13,
                    "NFS" => 14,
                    "NFSD" => 15,
                    "SOCK" => 16,
                    "IP" => 17,
                    "EIP" => 18,
                    "ICMP" => 19,
                    "EICMP" => 20,
                    "TCP" => 21,
                    "ETCP" => 22,
                    "UDP" => 23,
                    "SOCK6" => 24,
                    "IP6" => 25,
                    "EIP6" => 26,
                    "ICMP6" => 27,
                    "EICMP6" => 28,
                    "UDP6" => 29,
                    "FC" => 38,
                    "SOFT" => 39,
                    "ALL" => {
                        (12..=29).chain([38, 39]).for_each(|id| o.select(ActivityId(id)));
                        continue;
                    }
                    _ => return Err(Exit::Usage),
                };
                o.select(ActivityId(id));
            }
            i += 1;
        } else if a == "-q" {
            i += 1;
            match arg(i).and_then(parse_q_list) {
                Some(ids) => {
                    ids.iter().for_each(|&id| o.select(ActivityId(id)));
                    i += 1;
                }
                None => o.select(ActivityId::A_QUEUE),
            }
        } else if a.len() > 1 && a.len() < 4 && a.starts_with('-') && all_digits(&a[1..]) {
            if o.from_file.is_some() || o.day_offset != 0 {
                return Err(Exit::Usage);
            }
            o.day_offset = atol(&a[1..]);
            i += 1;
        } else if a.starts_with('-') {
            i = parse_bundle(args, i, &mut o)?;
            i += 1;
        } else if o.interval < 0 {
            if !all_digits(a) {
                return Err(Exit::Usage);
            }
            o.interval = atol(a);
            i += 1;
        } else {
            if !all_digits(a) || o.interval == 0 || o.count != 0 {
                return Err(Exit::Usage);
            }
            o.count = atol(a);
            if o.count < 1 {
                return Err(Exit::Usage);
            }
            i += 1;
        }
    }

    if o.to_day.is_some() && o.from_day.is_none() {
        return Err(Exit::Message("--to needs --from: the first day to read\n".into(), 1));
    }
    if o.from_day.is_some()
        && (!o.more_files.is_empty() || (o.from_file.is_some() && o.from_dir.is_none() && !o.default_file_used))
    {
        return Err(Exit::Message(
            "--from and --to read a folder's daily files: give -f a folder, or no -f for the default one\n".into(),
            1,
        ));
    }
    if let (Some(from), Some(to)) = (o.from_day, o.to_day) {
        if to < from {
            return Err(Exit::Message("--to is before --from\n".into(), 1));
        }
    }
    if args.is_empty() || ((o.interval < 0 || o.interval_set) && o.from_file.is_none() && o.to_file.is_none()) {
        o.from_file = Some(env.default_file(None, o.day_offset));
        o.default_file_used = true;
    }
    // check_time_limits
    if let (TimeLimit::Hms { hour: sh, .. }, TimeLimit::Hms { hour: eh, .. }) = (o.tm_start, &mut o.tm_end) {
        if *eh < sh {
            *eh += 24;
        }
    }
    if let (TimeLimit::Epoch(s), TimeLimit::Epoch(e)) = (o.tm_start, o.tm_end) {
        if e < s {
            return Err(Exit::Usage);
        }
    }
    if o.from_file.is_some() && o.to_file.is_some() {
        return Err(Exit::Message("-f and -o options are mutually exclusive\n".into(), 1));
    }
    if o.option_a && !o.option_p {
        o.cpu_bitmap.iter_mut().for_each(|b| *b = !0);
    }
    if (o.tm_start != TimeLimit::None || o.interval_set) && o.from_file.is_none() {
        return Err(Exit::Message("Not reading from a system activity file (use -f option)\n".into(), 1));
    }
    if o.interval == 0 && (o.from_file.is_some() || o.to_file.is_some()) {
        return Err(Exit::Usage);
    }
    if o.to_file.is_some() && o.day_offset != 0 {
        return Err(Exit::Usage);
    }
    if o.count == 0 {
        o.count = -1;
    }
    if !o.any_selected() {
        o.select(ActivityId::A_CPU);
    }
    if o.cpu_bits() == 0 {
        o.cpu_bitmap[0] |= 1;
    }
    if o.from_file.is_some() && o.interval < 0 {
        o.interval = 1;
    }
    o.since_boot = o.interval == 0;
    Ok(o)
}

/// `parse_sa_devices`: a comma list of names, ranges expanded when
/// `max_val > 0`; names of `max_len` bytes or more are dropped, duplicates kept once.
fn add_items(list: &mut Option<Vec<Vec<u8>>>, v: &str, max_len: usize, max_val: i64) {
    let l = list.get_or_insert_with(Vec::new);
    let mut add = |t: &[u8]| {
        if t.len() < max_len && !l.iter().any(|x| x == t) {
            l.push(t.to_vec());
        }
    };
    for t in v.split(',').filter(|t| !t.is_empty()) {
        if max_val > 0 && t.len() <= 16 && t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            if let Some((lo, hi)) = parse_range(t, max_val) {
                for n in lo..=hi {
                    add(n.to_string().as_bytes());
                }
                continue;
            }
        }
        add(t.as_bytes());
    }
    if list.as_ref().is_some_and(|l| l.is_empty()) {
        *list = None;
    }
}

/// `--cgroup=`'s keywords: CPU, MEM, IO, PSI or ALL, comma-separated.
fn parse_cgroup_list(v: &str) -> Option<u32> {
    let mut bits = 0;
    for t in v.split(',').filter(|t| !t.is_empty()) {
        bits |= match t {
            "CPU" => CG_CPU,
            "MEM" => CG_MEM,
            "IO" => CG_IO,
            "PSI" => CG_PSI,
            "ALL" => CG_ALL,
            _ => return None,
        };
    }
    (bits != 0).then_some(bits)
}

fn parse_q_list(v: &str) -> Option<Vec<u32>> {
    let mut ids = Vec::new();
    for t in v.split(',').filter(|t| !t.is_empty()) {
        match t {
            "LOAD" => ids.push(9),
            "CPU" => ids.push(40),
            "IO" => ids.push(41),
            "MEM" => ids.push(42),
            "PSI" => ids.extend([40, 41, 42]),
            "ALL" => ids.extend([9, 40, 41, 42]),
            _ => return None,
        }
    }
    Some(ids)
}

/// `parse_timestamp`: returns the limit and the index of the next word.
fn parse_timestamp(args: &[String], i: usize, default: &str) -> Result<(TimeLimit, usize), Exit> {
    let mut next = i + 1;
    let mut ts = default.to_string();
    if let Some(v) = args.get(next).filter(|v| !v.starts_with('-')) {
        let b = v.as_bytes();
        match b.len() {
            5 if b[2] == b':' => {
                ts = format!("{v}:00");
                next += 1;
            }
            8 if b[2] == b':' && b[5] == b':' => {
                ts = v.clone();
                next += 1;
            }
            10 if all_digits(v) => {
                let e = atol(v);
                if e == 0 {
                    return Err(Exit::Usage);
                }
                return Ok((TimeLimit::Epoch(e), next + 1));
            }
            _ => {}
        }
    }
    let b = ts.as_bytes();
    let two = |s: &[u8]| s.len() == 2 && s.iter().all(u8::is_ascii_digit);
    if b.len() != 8 || !two(&b[0..2]) || !two(&b[3..5]) || !two(&b[6..8]) {
        return Err(Exit::Usage);
    }
    let n = |s: &[u8]| ((s[0] - b'0') * 10 + (s[1] - b'0')) as i32;
    let (hour, min, sec) = (n(&b[0..2]), n(&b[3..5]), n(&b[6..8]));
    if sec > 59 || min > 59 || hour > 23 {
        return Err(Exit::Usage);
    }
    Ok((TimeLimit::Hms { hour, min, sec }, next))
}

/// `parse_values` for `-P`: "ALL", or a comma list of CPUs, ranges and "all".
pub fn parse_cpu_list(v: &str, bitmap: &mut [u8]) -> Option<()> {
    if v == "ALL" {
        bitmap.iter_mut().for_each(|b| *b = !0);
        return Some(());
    }
    let set = |bitmap: &mut [u8], i: usize| {
        if let Some(b) = bitmap.get_mut(i >> 3) {
            *b |= 1 << (i & 7);
        }
    };
    for t in v.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            set(bitmap, 0);
            continue;
        }
        let (lo, hi) = parse_range(t, NR_CPUS as i64)?;
        for c in lo..=hi {
            set(bitmap, c as usize + 1);
        }
    }
    Some(())
}

/// `parse_range_values`: "n", "n-m" or "n-" within [0, max).
fn parse_range(t: &str, max: i64) -> Option<(i64, i64)> {
    let val = |s: &str| -> Option<i64> {
        if s.is_empty() {
            return Some(-1);
        }
        if !all_digits(s) {
            return None;
        }
        let v = atol(s);
        (v < max).then_some(v)
    };
    let range: String = t.chars().take(15).collect();
    match range.split_once('-') {
        Some((a, b)) => {
            let lo = val(a)?;
            if lo < 0 {
                return None;
            }
            let mut hi = val(&t[a.len() + 1..])?;
            let _ = b;
            if hi < 0 {
                hi = max - 1;
            }
            (hi >= lo).then_some((lo, hi))
        }
        None => {
            let v = val(t)?;
            (v >= 0).then_some((v, v))
        }
    }
}

/// `parse_sar_opt`: a bundle of one-letter flags such as `-uw` or `-r ALL`.
fn parse_bundle(args: &[String], mut i: usize, o: &mut Options) -> Result<usize, Exit> {
    let word = args[i].as_bytes().to_vec();
    let next_is = |i: usize, k: &str| args.get(i + 1).is_some_and(|n| n == k);
    for (pos, &c) in word.iter().enumerate().skip(1) {
        let last = pos + 1 == word.len();
        match c {
            b'A' => {
                (1..=43).for_each(|id| o.select(ActivityId(id)));
                o.option_a = true;
                o.mem_memory = true;
                o.mem_swap = true;
                o.mem_all = true;
                o.cpu_all = true;
            }
            b'B' => o.select(ActivityId::A_PAGE),
            b'b' => o.select(ActivityId::A_IO),
            b'C' => o.comments = true,
            b'd' => o.select(ActivityId::A_DISK),
            b'F' => {
                o.select(ActivityId::A_FS);
                if last && next_is(i, "MOUNT") {
                    o.fs_mount = true;
                    return Ok(i + 1);
                }
            }
            b'H' => o.select(ActivityId::A_HUGE),
            b'h' => {
                o.pretty = true;
                o.human = true;
            }
            b'I' => {
                o.select(ActivityId::A_IRQ);
                if last && (next_is(i, "ALL") || next_is(i, "SUM")) {
                    if next_is(i, "SUM") {
                        add_items(&mut o.int_list, "sum", MAX_SA_IRQ_LEN, 0);
                    }
                    return Ok(i + 1);
                }
            }
            b'j' => {
                if args.get(i + 1).is_none() {
                    return Err(Exit::Usage);
                }
                o.unsupported("-j");
                return Ok(i + 1);
            }
            b'p' => o.pretty = true,
            b'q' => o.select(ActivityId::A_QUEUE),
            b'r' => {
                o.select(ActivityId::A_MEMORY);
                o.mem_memory = true;
                if last && next_is(i, "ALL") {
                    o.mem_all = true;
                    i += 1;
                    return Ok(i);
                }
            }
            b'S' => {
                o.select(ActivityId::A_MEMORY);
                o.mem_swap = true;
            }
            b't' => o.unsupported("-t"),
            b'u' => {
                o.select(ActivityId::A_CPU);
                if last && next_is(i, "ALL") {
                    o.cpu_all = true;
                    return Ok(i + 1);
                }
                o.cpu_all = false;
            }
            b'v' => o.select(ActivityId::A_KTABLES),
            b'w' => o.select(ActivityId::A_PCSW),
            b'W' => o.select(ActivityId::A_SWAP),
            b'x' => o.minmax = true,
            b'y' => o.select(ActivityId::A_SERIAL),
            b'z' => o.zero_omit = true,
            _ => return Err(Exit::Usage),
        }
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl DefaultFile for Fake {
        fn default_file(&self, dir: Option<&str>, _d: i64) -> String {
            format!("{}/sa01", dir.unwrap_or("/var/log/sysstat"))
        }
        fn is_dir(&self, p: &str) -> bool {
            p == "/dir"
        }
    }

    fn p(a: &[&str]) -> Result<Options, Exit> {
        parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &Fake)
    }

    #[test]
    fn bundles_and_keywords() {
        let o = p(&["-uw", "-f", "x"]).unwrap();
        assert!(o.is_selected(ActivityId::A_CPU) && o.is_selected(ActivityId::A_PCSW));
        let o = p(&["-u", "ALL", "-P", "0,3-5", "-f", "x"]).unwrap();
        assert!(o.cpu_all);
        assert_eq!(o.cpu_bits(), 4);
        assert!(o.cpu_selected(1) && o.cpu_selected(4) && o.cpu_selected(6) && !o.cpu_selected(0));
        let o = p(&["-r", "ALL", "-f", "x"]).unwrap();
        assert!(o.mem_all && o.mem_memory);
        assert_eq!(p(&["-k"]).unwrap_err(), Exit::Usage);
    }

    #[test]
    fn files_intervals_and_times() {
        let o = p(&["-f", "/dir"]).unwrap();
        assert_eq!(o.from_file.as_deref(), Some("/dir/sa01"));
        assert!(o.default_file_used);
        assert!(!p(&["-f", "x"]).unwrap().default_file_used);
        assert!(p(&["-f"]).unwrap().default_file_used);
        assert!(p(&["-u", "-1"]).unwrap().default_file_used);
        let o = p(&["60", "-f", "x"]).unwrap();
        assert_eq!((o.interval, o.count), (60, -1));
        let o = p(&["-f", "x", "1", "1"]).unwrap();
        assert_eq!((o.interval, o.count), (1, 1));
        let o = p(&["-s", "13:20", "-e", "01:00:00", "-f", "x"]).unwrap();
        assert_eq!(o.tm_start, TimeLimit::Hms { hour: 13, min: 20, sec: 0 });
        assert_eq!(o.tm_end, TimeLimit::Hms { hour: 25, min: 0, sec: 0 });
        let o = p(&["-s", "1555593609", "-f", "x"]).unwrap();
        assert_eq!(o.tm_start, TimeLimit::Epoch(1555593609));
        assert_eq!(p(&["-s", "25:00", "-f", "x"]).unwrap_err(), Exit::Usage);
        assert_eq!(p(&["0", "-f", "x"]).unwrap_err(), Exit::Usage);
        assert_eq!(p(&[]).unwrap().from_file.as_deref(), Some("/var/log/sysstat/sa01"));
    }

    #[test]
    fn iface_list_drops_long_names() {
        let o = p(&["--iface=eth0,aaaaaaaaaaaaaaaaaaaa,lo", "-n", "DEV", "-f", "x"]).unwrap();
        assert_eq!(o.iface_list.unwrap(), vec![b"eth0".to_vec(), b"lo".to_vec()]);
    }
}
