#!/usr/bin/env bash
# Time `rsadf -g` on a synthetic day of one-second samples (86,400 records;
# 16 CPUs, 8 interfaces, 8 disks) and Debian's `sadf -g` on the same day
# written with --compat 12.6, bounded by `timeout` (sadf draws every sample
# and may run for many minutes or write hundreds of MB).
#
#   bench/graph.sh [SAR OPTIONS...]   default: -u -P ALL -r ALL -n DEV,EDEV
#   SADF_TIMEOUT=600 (seconds), BENCH_DIR=dir to keep the days between runs
#
# Needs GNU time (/usr/bin/time) and hyperfine; sadf is skipped when Debian's
# sysstat is not installed (apt-get install -y time hyperfine sysstat).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed"; exit 1; }
cargo build --release -q --bin rsadf --bin rsadc
work=${BENCH_DIR:-$(mktemp -d)}
day=$work/day
day126=$work/day-12.6
[ -s "$day" ] || target/release/rsadc --synthetic --unix-time 1699920000 1 86400 "$day"
[ -s "$day126" ] || target/release/rsadc --synthetic --compat 12.6 --unix-time 1699920000 1 86400 "$day126"
[ $# -gt 0 ] || set -- -u -P ALL -r ALL -n DEV,EDEV
export LC_ALL=C TZ=UTC

echo "== rsadf -g $day -- $*"
hyperfine -N --warmup 1 --runs 5 --output=null "target/release/rsadf -g $day -- $*"
/usr/bin/time -f "rsadf: %e s elapsed, %U s user, %S s system, %M kB max RSS" \
  target/release/rsadf -g "$day" -- "$@" >"$work/rsadf.svg"
echo "rsadf: $(stat -c %s "$work/rsadf.svg") bytes of SVG"
/usr/bin/time -f "rsadf -O png: %e s elapsed, %M kB max RSS" \
  target/release/rsadf -g -O png "$day" -- "$@" >"$work/rsadf.png" || true
echo "rsadf -O png: $(stat -c %s "$work/rsadf.png") bytes"

if command -v sadf >/dev/null; then
  echo "== sadf -g $day126 -- $* (timeout ${SADF_TIMEOUT:-600} s)"
  set +e
  /usr/bin/time -f "sadf: %e s elapsed, %U s user, %S s system, %M kB max RSS" \
    timeout "${SADF_TIMEOUT:-600}" sadf -g "$day126" -- "$@" >"$work/sadf.svg"
  rc=$?
  set -e
  echo "sadf: exit $rc$([ $rc = 124 ] && echo ' (timed out)'), $(stat -c %s "$work/sadf.svg") bytes of SVG"
else
  echo "sadf is not installed: apt-get install -y sysstat"
fi
