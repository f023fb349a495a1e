#!/usr/bin/env bash
# What recording pods costs: rsadc -S XALL with and without A_CGROUP, on this
# machine's /proc and /sys but with a fake cgroup v2 node of PODS pods (systemd
# driver, one container each, log folders for names) in place of
# /sys/fs/cgroup. N one-second samples are taken back to back (--unix-time),
# so the CPU time is the sampling's alone. Prints, for each run, the CPU time
# (user + system, best of 3, GNU time) and the user-space instructions
# (callgrind, 20 samples), the extra of A_CGROUP as a percentage of the cost
# without it, and the file's growth per pod per sample.
#
#   bench/cgroup.sh [PODS [N]]     defaults: 110 pods, 300 samples
#   BENCH_DIR=dir keeps the fake node between runs
#
# Needs GNU time (apt-get install -y time); valgrind is optional.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is not installed"; exit 1; }
pods=${1:-110}
n=${2:-300}
cargo build --release -q --bin rsadc
rsadc=$PWD/target/release/rsadc
work=${BENCH_DIR:-$(mktemp -d)}
node=$work/node-$pods
[ -d "$node" ] || cargo run -q --release -p sarkit-testkit --example fake_node -- "$node" "$pods"
# The root rsadc reads: this machine, but the fake node's cgroups and pod logs.
root=$work/root-$pods
rm -rf "$root"
mkdir -p "$root/sys/fs" "$root/var/log"
for e in proc dev etc; do ln -s "/$e" "$root/$e"; done
for e in /sys/*; do [ "$(basename "$e")" = fs ] || ln -s "$e" "$root/sys/$(basename "$e")"; done
ln -s "$node/sys/fs/cgroup" "$root/sys/fs/cgroup"
ln -s "$node/var/log/pods" "$root/var/log/pods"
export LC_ALL=C TZ=UTC

# CPU seconds (user + system) of one run, best of three.
cpu() {
  local best=
  for _ in 1 2 3; do
    rm -f "$work/$1.sa"
    local t
    t=$( { /usr/bin/time -f "%U %S" "$rsadc" --compat current --root "$root" --unix-time 1700000000 \
      -S "$2" 1 "$n" "$work/$1.sa" >/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}
without=$(cpu without XALL,-A_CGROUP)
with=$(cpu with XALL)
size_without=$(stat -c %s "$work/without.sa")
size_with=$(stat -c %s "$work/with.sa")
echo "== $pods pods, $n samples: rsadc -S XALL,-A_CGROUP (without) and -S XALL (with)"
awk -v a="$without" -v b="$with" -v n="$n" 'BEGIN {
  printf "CPU time: without %.2f s (%.3f ms a sample), with %.2f s (%.3f ms a sample): extra %.0f%%\n",
    a, a / n * 1000, b, b / n * 1000, (b - a) / a * 100 }'
awk -v a="$size_without" -v b="$size_with" -v n="$n" -v p="$pods" 'BEGIN {
  printf "file: without %d bytes, with %d bytes: %.1f bytes per pod per sample\n", a, b, (b - a) / n / p }'
if command -v valgrind >/dev/null; then
  ir() {
    rm -f "$work/ir.sa"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$rsadc" --compat current --root "$root" \
      --unix-time 1700000000 -S "$1" 1 20 "$work/ir.sa" 2>&1 | awk '/refs:/ {gsub(",", "", $4); print $4}'
  }
  a=$(ir XALL,-A_CGROUP)
  b=$(ir XALL)
  awk -v a="$a" -v b="$b" -v p="$pods" 'BEGIN {
    printf "user-space instructions, 20 samples: without %d, with %d: extra %.0f%%, %.0f a pod a sample\n",
      a, b, (b - a) / a * 100, (b - a) / 20 / p }'
fi
