//! kill -9 at any moment loses at most the record in flight. In its own
//! test binary: a child forked while another test thread holds a file
//! would briefly share that thread's lock.

use std::process::{Command, Stdio};
use std::time::Duration;

use sarkit_recorder::daily::{self, Clock, Output, RunOptions};
use sarkit_recorder::synthetic::Synthetic;
mod common;
use common::read_fully;

const T0: u64 = 1_700_000_000;

#[test]
fn kill_9_at_any_moment_loses_at_most_the_record_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sa");
    let exe = env!("CARGO_BIN_EXE_rsadc");
    for round in 0..8u64 {
        let next = T0 + round * 300_000;
        let mut child = Command::new(exe)
            .args(["--synthetic", "--cpus", "4", "--unix-time", &next.to_string(), "1", "100000"])
            .arg(&p)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + round * 13));
        let _ = child.kill();
        let _ = child.wait();
        // The restarted recorder trims whatever the kill cut and goes on.
        let (_, times) = {
            let o = RunOptions { clock: Clock::Fixed(next + 150_000), count: Some(1), ..Default::default() };
            daily::record(&mut Synthetic::new(4, 1, 1), &Output::File(p.clone()), &o, &mut |_| {}).unwrap();
            read_fully(&p)
        };
        assert!(times.windows(2).all(|w| w[0] < w[1]), "round {round}");
        assert_eq!(times.last(), Some(&(next + 150_000)));
    }
}
