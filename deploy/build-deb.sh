#!/bin/sh
# Builds the Debian package target/debian/sarkit_VERSION-1_ARCH.deb: the man
# pages and completions (man/build.sh, needs scdoc), then cargo-deb
# (cargo install --locked cargo-deb), which builds the release binaries.
# Arguments go to cargo deb (e.g. --no-build after cargo build --release).
set -eu
cd "$(dirname "$0")/.."
man/build.sh target/man
cargo deb --locked --strip -p sarkit-cli "$@"
