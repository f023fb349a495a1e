#!/usr/bin/env bash
# Compare rsar with Debian's sar on a synthetic day of one-second samples
# (86,400 records; 16 CPUs, 8 interfaces, 8 disks), in one run, and print
# the median wall-time ratio sar/rsar for each report.
#
#   bench/compare.sh [REPORT...]      default reports: "-u" "-r ALL" "-n DEV"
#   RUNS=N (default 5) timed runs of each command; BENCH_DIR=dir keeps the day
#
# Needs hyperfine and Debian's sysstat (apt-get install -y hyperfine sysstat).
# The day is written with --compat 12.6 so that sar 12.6.1 reads all of it;
# both tools read the same file, and their outputs are compared first.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed"; exit 1; }
command -v sar >/dev/null || { echo "Debian's sysstat (sar) is not installed"; exit 1; }
cargo build --release -q --bin rsar --bin rsadc
work=${BENCH_DIR:-$(mktemp -d)}
day=$work/sa-synthetic-day
[ -s "$day" ] || target/release/rsadc --synthetic --compat 12.6 --unix-time 1699920000 1 86400 "$day"
[ $# -gt 0 ] || set -- "-u" "-r ALL" "-n DEV"
export LC_ALL=C TZ=UTC
printf '%-12s %10s %10s %8s  %s\n' report "sar (s)" "rsar (s)" ratio "same output"
for r in "$@"; do
  same=yes
  # 12.7 changed -r's columns; sar 12.6.1 is the speed peer there, not the reference.
  cmp -s <(sar $r -f "$day") <(target/release/rsar $r -f "$day") || same=no
  hyperfine -N --warmup 1 --runs "${RUNS:-5}" --export-json "$work/h.json" \
    "sar $r -f $day" "target/release/rsar $r -f $day" >/dev/null 2>"$work/hyperfine.log"
  python3 - "$work/h.json" "$r" "$same" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
sar, rsar = (r["median"] for r in res)
print(f"{sys.argv[2]:<12} {sar:10.3f} {rsar:10.3f} {sar / rsar:7.1f}x  {sys.argv[3]}")
PY
done
echo "file: $day ($(du -h "$day" | cut -f1)), $(nproc) CPUs, $(sar -V | head -1)"
