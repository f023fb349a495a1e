#!/bin/sh
# Builds rsar, rsadf and rsadc as static executables (glibc linked in with
# crt-static) that need nothing from the host, and copies them, stripped,
# into OUTDIR (default target/static):
#   deploy/build-static.sh [OUTDIR]
# The explicit --target keeps crt-static off build scripts and proc-macros;
# the build lives in target/x86_64-unknown-linux-gnu/release.
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/static}
triple=x86_64-unknown-linux-gnu
RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --locked --target "$triple" -p sarkit-cli -p sarkit-recorder --bins
mkdir -p "$out"
for bin in rsar rsadf rsadc; do
  strip -o "$out/$bin" "target/$triple/release/$bin"
done
