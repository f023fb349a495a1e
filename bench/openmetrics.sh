#!/usr/bin/env bash
# Time `rsadf --openmetrics` on a synthetic day of one-second samples
# (86,400 records; 16 CPUs, 8 interfaces, 8 disks; --compat 12.6), every
# activity (-A) by default; target: under 30 s. Prints wall time, CPU time
# and peak memory (GNU time), the exposition's size and its sample count.
#
#   bench/openmetrics.sh [SAR OPTIONS...]   default: -A
#   BENCH_DIR=dir keeps the day (and the export, OUT=1) between runs
#
# Needs GNU time (/usr/bin/time): apt-get install -y time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed"; exit 1; }
cargo build --release -q --bin rsadf --bin rsadc
work=${BENCH_DIR:-$(mktemp -d)}
day=$work/day-12.6
[ -s "$day" ] || target/release/rsadc --synthetic --compat 12.6 --unix-time 1699920000 1 86400 "$day"
[ $# -gt 0 ] || set -- -A
export LC_ALL=C TZ=UTC

echo "== rsadf --openmetrics $day -- $*"
if [ "${OUT:-0}" = 1 ]; then
  /usr/bin/time -f "rsadf --openmetrics: %e s elapsed, %U s user, %S s system, %M kB max RSS" \
    target/release/rsadf --openmetrics "$day" -- "$@" >"$work/day.om"
  echo "$(stat -c %s "$work/day.om") bytes, $(grep -vc '^#' "$work/day.om") samples, $(grep -c '^# TYPE' "$work/day.om") families"
else
  /usr/bin/time -f "rsadf --openmetrics: %e s elapsed, %U s user, %S s system, %M kB max RSS" \
    target/release/rsadf --openmetrics "$day" -- "$@" | wc -c | sed 's/$/ bytes/'
fi
