//! A fake Kubernetes node for benchmarks (`bench/cgroup.sh`): cgroup v2,
//! the systemd driver, and PODS pods with one container each, their log
//! folders included, under DIR.
//!
//!   cargo run -p sarkit-testkit --example fake_node -- DIR PODS

use sarkit_testkit::cgroup_tree::{Counters, Driver, FakeNode, Pod, Qos, Version};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(Ok(pods))) = (args.get(1), args.get(2).map(|n| n.parse::<u32>())) else {
        eprintln!("usage: fake_node DIR PODS");
        std::process::exit(1);
    };
    let node = FakeNode::new(std::path::Path::new(dir), Version::V2, Driver::Systemd);
    for n in 0..pods {
        let qos = [Qos::Guaranteed, Qos::Burstable, Qos::BestEffort][n as usize % 3];
        let pod = Pod::numbered("default", &format!("web-7c9d8b5f4-{n:05}"), n, qos);
        let c = Counters { user_usec: 1_000_000 * u64::from(n), current: 64 << 20, ..Default::default() };
        node.set_pod(&pod, &c);
        node.log_pod(&pod);
    }
}
