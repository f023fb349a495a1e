#!/usr/bin/env bash
# `rsadf --compare` over a handful of nodes' days, against its peer for a
# fleet: `rsadf --parquet` of the same files, then docs/fleet.md's
# `compare` query in DuckDB. Both in the same run, with hyperfine (CPU
# time user+sys is the robust figure on a shared machine), plus the peak
# resident memory of `rsadf --compare` (GNU time).
#
#   bench/groups.sh               4 hosts (2 a group) x 2 days of 10-second samples
#   HOSTS=N DAYS=N INTERVAL=N RUNS=N (default 5), BENCH_DIR=dir keeps the files
#
# Hosts are synthetic (8 CPUs, 4 interfaces, 4 disks, every activity).
# Needs hyperfine, GNU time and DuckDB's Python module (pip install duckdb).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed"; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed"; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || { echo "DuckDB is not installed (pip install duckdb)"; exit 1; }
cargo build --release -q --bin rsadf --bin rsadc
hosts=${HOSTS:-4} days=${DAYS:-2} interval=${INTERVAL:-10}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
export LC_ALL=C TZ=UTC
t0=1699920000   # 2023-11-14 00:00:00 UTC
groups=""
for ((h = 0; h < hosts; h++)); do
  g=$([ $((h % 2)) -eq 0 ] && echo a || echo b)
  mkdir -p "$work/$g/node-$h"
  groups+="('node-$h', '$g'), "
  for ((d = 0; d < days; d++)); do
    f=$work/$g/node-$h/sa$(date -u -d "@$((t0 + d * 86400))" +%Y%m%d)
    [ -s "$f" ] || target/release/rsadc --synthetic --synthetic-host "node-$h" --cpus 8 --ifaces 4 --disks 4 \
      --unix-time $((t0 + d * 86400 + h * 3600)) "$interval" $((86400 / interval)) "$f"
  done
done
# docs/fleet.md's query, verbatim but for the hosts of its group table.
python3 - docs/fleet.md "${groups%, }" "$work/q.sql" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = next(b for b in re.findall(r"```sql\n(.*?)```", text, re.S) if b.startswith("-- query: compare"))
block = re.sub(r"VALUES \(.*?\)\),", "VALUES " + sys.argv[2] + "),", block, count=1)
block = block.replace("'cloud'", "'a'").replace("'onprem'", "'b'")
open(sys.argv[3], "w").write(block)
PY
compare="target/release/rsadf --compare $work/a --against $work/b"
export_="rm -rf $work/fleet && target/release/rsadf --parquet $work/fleet $work/a $work/b -- -u -r -S -q ALL -d -n DEV,ETCP -B -W"
query="python3 -c \"import duckdb; duckdb.sql(open('$work/q.sql').read()).fetchall()\""
cat "$work"/a/*/* "$work"/b/*/* >/dev/null
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$work/groups.json" \
  -n compare "$compare" -n export "$export_" -n query "cd $work && $query" >/dev/null 2>"$work/hyperfine.log"
rss=$(/usr/bin/time -f %M $compare 2>&1 >/dev/null | tail -1)
python3 - "$work/groups.json" "$rss" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
cpu = {k: v["user"] + v["system"] for k, v in r.items()}
wall = {k: v["median"] for k, v in r.items()}
peer = cpu["export"] + cpu["query"]
print(f"rsadf --compare:           {wall['compare']:7.3f} s wall  {cpu['compare']:7.3f} s CPU  peak RSS {int(sys.argv[2])} KB")
print(f"rsadf --parquet (export):  {wall['export']:7.3f} s wall  {cpu['export']:7.3f} s CPU")
print(f"DuckDB compare query:      {wall['query']:7.3f} s wall  {cpu['query']:7.3f} s CPU")
print(f"CPU time, --compare against export + query: {cpu['compare'] / peer:.2f}x")
PY
echo "files: $hosts hosts x $days days in $work, every ${interval} s ($(du -ch "$work"/a/*/* "$work"/b/*/* | tail -1 | cut -f1)), $(nproc) CPUs"
