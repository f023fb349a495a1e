#!/bin/sh
# Builds rsar, rsadf and rsadc as static executables (glibc linked in with
# crt-static) that need nothing from the host, and copies them, stripped,
# into OUTDIR (default target/static):
#   deploy/build-static.sh [OUTDIR]
# The explicit --target keeps crt-static off build scripts and proc-macros;
# the builds live in target/x86_64-unknown-linux-gnu/release, and for rsadc,
# which runs on every node all day, .../recorder (Cargo.toml's `recorder`
# profile: built for size, see the README's "Recorder cost").
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/static}
triple=x86_64-unknown-linux-gnu
export RUSTFLAGS='-C target-feature=+crt-static'
cargo build --release --locked --target "$triple" -p sarkit-cli --bins
cargo build --profile recorder --locked --target "$triple" -p sarkit-recorder --bin rsadc
mkdir -p "$out"
for bin in rsar rsadf; do
  strip -o "$out/$bin" "target/$triple/release/$bin"
done
strip -o "$out/rsadc" "target/$triple/recorder/rsadc"
