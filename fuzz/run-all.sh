#!/usr/bin/env bash
# Run every fuzz target for TIME_SECONDS each (default 60), one after the
# other. Exits non-zero as soon as a target crashes (its input is left in
# fuzz/artifacts/TARGET/). Needs cargo-fuzz and a nightly toolchain.
# Usage: fuzz/run-all.sh [TIME_SECONDS]
set -euo pipefail
secs="${1:-60}"
fuzz="$(cd "$(dirname "$0")" && pwd)"
cd "$fuzz/.."
cargo=(cargo)
if [ -z "${RUSTUP_TOOLCHAIN:-}" ] && rustup run nightly true >/dev/null 2>&1; then
  cargo=(cargo +nightly)
fi
"$fuzz/seed.sh"
targets=$("${cargo[@]}" fuzz list)
"${cargo[@]}" fuzz build
for t in $targets; do
  mkdir -p "fuzz/corpus/$t"
  echo "=== fuzz target $t for ${secs}s"
  # -max_len: the seeds are data files up to ~1.3 MB; mutate within 64 kB.
  if ! "${cargo[@]}" fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 | tail -n 25; then
    echo "fuzz target $t failed: see fuzz/artifacts/$t/"
    exit 1
  fi
done
echo "all fuzz targets ran ${secs}s without a crash"
