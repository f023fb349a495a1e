#!/usr/bin/env bash
# Many days in one query: `rsar -u` over 7 synthetic daily files read as
# one (`-f day1 -f day2 ...`) against 1 day, with hyperfine, and the peak
# resident memory of each with /usr/bin/time -f %M.
#
#   bench/days.sh                 7 days of 10-second samples (8,640 a day)
#   INTERVAL=1 bench/days.sh      one-second samples (86,400 a day, ~770 MB a day)
#   DAYS=N, RUNS=N (default 5), BENCH_DIR=dir keeps the days
#
# Needs hyperfine (apt-get install -y hyperfine). Target: 7 days take less
# than 7 times one day, and memory stays flat.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install -y time)"; exit 1; }
cargo build --release -q --bin rsar --bin rsadc
days=${DAYS:-7} interval=${INTERVAL:-10}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
export LC_ALL=C TZ=UTC S_TIME_DEF_TIME=UTC
t0=1699920000   # 2023-11-14 00:00:00 UTC
files=()
for ((d = 0; d < days; d++)); do
  f=$work/sa$(date -u -d "@$((t0 + d * 86400))" +%Y%m%d)
  [ -s "$f" ] || target/release/rsadc --synthetic --unix-time $((t0 + d * 86400)) "$interval" $((86400 / interval)) "$f"
  files+=("$f")
done
many=""
for f in "${files[@]}"; do many+=" -f $f"; done
one="target/release/rsar -u -f ${files[0]}"
all="target/release/rsar -u$many"
# Control: the first day named N times, to tell the walk's cost from the
# kernel's cost of copying N times as many bytes out of the page cache.
same="target/release/rsar -u$(for f in "${files[@]}"; do printf -- ' -f %s' "${files[0]}"; done)"
cat "${files[@]}" >/dev/null
hyperfine -N --warmup 2 --runs "${RUNS:-5}" --export-json "$work/days.json" "$one" "$all" "$same" >/dev/null 2>"$work/hyperfine.log"
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
python3 - "$work/days.json" "$days" "$(rss $one)" "$(rss $all)" <<'PY'
import json, sys
one, many, same = (r["median"] for r in json.load(open(sys.argv[1]))["results"])
n = int(sys.argv[2])
print(f"rsar -u, 1 day:   {one:8.3f} s  peak RSS {int(sys.argv[3]):6d} KB")
print(f"rsar -u, {n} days: {many:8.3f} s  peak RSS {int(sys.argv[4]):6d} KB")
print(f"ratio {many / one:.2f}x (target under {n}x); day 1 named {n} times: {same:.3f} s, {same / one:.2f}x")
PY
echo "files: $days days in $work, every ${interval} s ($(du -ch "${files[@]}" | tail -1 | cut -f1)), $(nproc) CPUs"
