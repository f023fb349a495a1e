//! Where samples come from: the machine (under a root folder) or a synthetic
//! generator. The daily-file logic only sees this trait, so crash-safety,
//! rotation and compression are tested without a real /proc.

use std::io;

use sarkit_format::{ActivityId, ActivitySpec, HeaderInfo, Sample};

/// A producer of records for one data file.
pub trait SampleSource {
    /// Header fields for a file created at `unix_time` (local date, host names, HZ, CPUs).
    fn header_info(&mut self, unix_time: u64) -> io::Result<HeaderInfo>;

    /// The activity list of a file created now: which activities, with
    /// their item counts at creation and the layouts to write them in.
    fn specs(&mut self) -> io::Result<Vec<ActivitySpec>>;

    /// One statistics record taken at `unix_time` (`R_STATS`), with its
    /// record header filled: uptime, time, and the recorder's local hour.
    fn sample(&mut self, unix_time: u64) -> io::Result<Sample>;

    /// CPU count plus one, for `LINUX RESTART` records.
    fn cpu_nr(&mut self) -> io::Result<u32>;

    /// Machine uptime in hundredths of a second; a smaller value than the
    /// last record's means the machine rebooted.
    fn uptime_cs(&mut self) -> io::Result<u64>;

    /// Collect exactly `ids` from now on. Appending to an existing file,
    /// sadc collects the file's activities whatever `-S` said; without this
    /// the file's other activities would be written as zeros.
    fn collect_only(&mut self, _ids: &[ActivityId]) {}

    /// Notes for the log since the last call (a source absent on this
    /// machine, said once).
    fn take_notes(&mut self) -> Vec<String> {
        Vec::new()
    }
}
