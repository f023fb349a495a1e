//! Tells this crate's tests whether the conformance corpus, Debian's sysstat
//! and xmllint are on this machine (see testkit/src/probe.rs).

#[path = "../testkit/src/probe.rs"]
mod probe;

fn main() {
    probe::emit();
}
