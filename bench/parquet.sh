#!/usr/bin/env bash
# Time `rsadf --parquet` on one core over the synthetic day of one-second
# samples (86,400 records; 16 CPUs, 8 interfaces, 8 disks; every activity),
# and measure the dataset: bytes on disk per value.
#
#   bench/parquet.sh [SAR OPTIONS...]   default: -A
#   BENCH_DIR=dir keeps the day between runs
#
# "Values" are the numbers the datasets hold: DOUBLE and UINT64 cells (the
# numbers sadf -d prints), counted with DuckDB; bytes are every part file's,
# all columns included (host, timestamp, interval, items, strings).
# Needs GNU time (/usr/bin/time), taskset and DuckDB's Python module.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed"; exit 1; }
python3 -c 'import duckdb' 2>/dev/null || { echo "DuckDB is not installed (pip install duckdb)"; exit 1; }
cargo build --release -q --bin rsadf --bin rsadc
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
day=$work/day-12.6
[ -s "$day" ] || target/release/rsadc --synthetic --compat 12.6 --unix-time 1699920000 1 86400 "$day"
[ $# -gt 0 ] || set -- -A
out=$work/parquet
rm -rf "$out"

echo "== taskset -c 0 rsadf --parquet $out $day -- $*"
taskset -c 0 /usr/bin/time -f "rsadf --parquet: %e s elapsed, %U s user, %S s system, %M kB max RSS" \
  target/release/rsadf --parquet "$out" "$day" -- "$@"
bytes=$(find "$out" -name '*.parquet' -printf '%s\n' | awk '{s+=$1} END {print s}')
python3 - "$out" "$bytes" "$(stat -c %s "$day")" <<'PY'
import os, sys
import duckdb
out, size, day = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
values = rows = 0
for ds in sorted(os.listdir(out)):
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{out}/{ds}/**/*.parquet', hive_partitioning = false)")
    numeric = sum(1 for t in rel.types if str(t) in ("DOUBLE", "UBIGINT"))
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/{ds}/**/*.parquet', hive_partitioning = false)").fetchall()[0][0]
    rows += n
    values += n * numeric
print(f"datasets: {len(os.listdir(out))}, rows: {rows:,}, values: {values:,}")
print(f"dataset: {size:,} bytes = {size / values:.3f} bytes per value (data file: {day:,} bytes, {day / size:.1f}x larger)")
PY
