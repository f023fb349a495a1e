#!/usr/bin/env bash
# The day archive (spec/archive.md, issue 13) against its peers, in one run:
# sizes against zstd, reports on the archive against Debian's sar and rsar
# on the plain day, a late -s window against decoding the whole archive,
# the time to write an archive, and the peak memory of the reports.
#
#   bench/archive.sh              RUNS=N (default 3) runs of each timed command
#   BENCH_DIR=dir keeps the days between runs
#
# Times are CPU seconds (user + system, the median of RUNS), which other
# work on the machine disturbs far less than wall time; the wall median is
# printed beside. Needs zstd and Debian's sysstat (apt-get install -y zstd sysstat).
#
# Two days: the synthetic day (86,400 one-second records, 16 CPUs, written
# with --compat 12.6 so that sar 12.6.1 reads it) and the real 21-minute
# XALL recording committed archived (testdata/real-xall-21min.sa.sarc).
# zstd -19 of the whole synthetic day takes over 20 minutes on one core, so
# its size ratio is measured on the day's first two hours, which the same
# generator writes byte for byte as the day's start.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v zstd >/dev/null || { echo "zstd is not installed"; exit 1; }
command -v sar >/dev/null || { echo "Debian's sysstat (sar) is not installed"; exit 1; }
cargo build --release -q --bin rsar --bin rsadc --bin rsadf
bin=$PWD/target/release
work=${BENCH_DIR:-$(mktemp -d)}
export LC_ALL=C TZ=UTC
day=$work/sa-synthetic-day
head2h=$work/sa-synthetic-2h
real=$work/sa-real-21min
[ -s "$day" ] || "$bin/rsadc" --synthetic --compat 12.6 --unix-time 1699920000 1 86400 "$day"
[ -s "$head2h" ] || "$bin/rsadc" --synthetic --compat 12.6 --unix-time 1699920000 1 7200 "$head2h"
[ -s "$real" ] || "$bin/rsadf" --restore testdata/real-xall-21min.sa.sarc >"$real"

# Archives are written by rsadc --archive, on a copy (it removes the original).
archive() {
  cp "$1" "$2.tmp"
  "$bin/rsadc" --archive "$2.tmp" 2>/dev/null
  mv "$2.tmp.sarc" "$2"
}
[ -s "$day.sarc" ] || archive "$day" "$day.sarc"
[ -s "$head2h.sarc" ] || archive "$head2h" "$head2h.sarc"
[ -s "$real.sarc" ] || archive "$real" "$real.sarc"
for f in "$head2h" "$real"; do [ -s "$f.zst19" ] || zstd -q -19 -T1 -c "$f" >"$f.zst19"; done
[ -s "$day.zst3" ] || zstd -q -3 -T1 -c "$day" >"$day.zst3"

# The outputs read from the archive are those read from the plain day.
for r in "-u" "-r ALL" "-n DEV" "-u -s 23:59:00"; do
  cmp -s <("$bin/rsar" $r -f "$day") <("$bin/rsar" $r -f "$day.sarc") || { echo "rsar $r: the archive reads differently"; exit 1; }
done
cmp -s <(sar -u -f "$day") <("$bin/rsar" -u -f "$day.sarc") || { echo "sar -u and rsar -u on the archive differ"; exit 1; }
cmp -s "$real" <("$bin/rsadf" --restore "$real.sarc") || { echo "the real day does not restore"; exit 1; }

python3 - "$work" "$bin" "${RUNS:-3}" <<'PY'
import os, resource, subprocess, sys, time
work, bin, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
day, head, real = (os.path.join(work, n) for n in ("sa-synthetic-day", "sa-synthetic-2h", "sa-real-21min"))
size = os.path.getsize

def measure(cmd, n=runs):
    """Median CPU seconds (user+sys), median wall seconds, peak RSS in MB."""
    cpu, wall, rss = [], [], 0
    for _ in range(n):
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall.append(time.monotonic() - t0)
        if status != 0:
            sys.exit(f"{' '.join(cmd)} failed ({status})")
        cpu.append(ru.ru_utime + ru.ru_stime)
        rss = max(rss, ru.ru_maxrss / 1024)
    med = lambda v: sorted(v)[len(v) // 2]
    return med(cpu), med(wall), rss

rows = []
def row(measure_, value, target, met):
    rows.append((measure_, value, target, "yes" if met else "**no**"))

# Sizes.
for name, plain in (("synthetic day, first 2 h", head), ("real 21-min XALL", real)):
    a, z = size(plain + ".sarc"), size(plain + ".zst19")
    row(f"archive / `zstd -19`, {name}", f"{a:,} / {z:,} B = {a / z:.2f}x", "<= 0.33x", a / z <= 0.33)
a, p, z3 = size(day + ".sarc"), size(day), size(day + ".zst3")
row("synthetic day: plain / archive", f"{p:,} / {a:,} B = {p / a:.0f}x (zstd -3: {p / z3:.1f}x)", "-", True)
a, p = size(real + ".sarc"), size(real)
row("real day: plain / archive", f"{p:,} / {a:,} B = {p / a:.0f}x", ">= 80x", p / a >= 80)

peaks = {}
def rsar(args, f):
    return [f"{bin}/rsar", *args.split(), "-f", f]

# Reports on the archive against sar and rsar on the plain day.
for r in ("-u", "-r ALL", "-n DEV"):
    sar = measure(["sar", *r.split(), "-f", day])
    plain = measure(rsar(r, day))
    arch = measure(rsar(r, day + ".sarc"))
    peaks[r] = arch[2]
    row(f"`rsar {r}`: sar on plain / rsar on archive",
        f"{sar[0]:.2f} / {arch[0]:.3f} s = {sar[0] / arch[0]:.0f}x (wall {sar[1]:.2f} / {arch[1]:.3f} s)", ">= 50x",
        sar[0] / arch[0] >= 50)
    row(f"`rsar {r}`: rsar on plain / on archive",
        f"{plain[0]:.3f} / {arch[0]:.3f} s = {plain[0] / arch[0]:.1f}x", "> 1x", plain[0] > arch[0])

# A late window against decoding the whole archive.
late = measure(rsar("-u -s 23:59:00", day + ".sarc"))
whole = measure([f"{bin}/rsadf", "--restore", day + ".sarc"])
full_u = measure(rsar("-u", day + ".sarc"))
peaks["-u -s 23:59:00"] = late[2]
row("`rsar -u -s 23:59:00` on archive vs `rsadf --restore` (every block decoded)",
    f"{whole[0]:.2f} / {late[0]:.3f} s = {whole[0] / late[0]:.0f}x", ">= 50x", whole[0] / late[0] >= 50)
row("`rsar -u -s 23:59:00` vs `rsar -u` (every block's CPU columns), both on archive",
    f"{full_u[0]:.3f} / {late[0]:.3f} s = {full_u[0] / late[0]:.1f}x", "-", True)

# Writing an archive of the day (rsadc --archive: write, read back, compare, remove).
subprocess.run(["cp", day, day + ".w"], check=True)
w = measure([f"{bin}/rsadc", "--archive", day + ".w"], n=1)
os.remove(day + ".w.sarc")
row("writing the day's archive (`rsadc --archive`, with its check)", f"{w[0]:.1f} s CPU (wall {w[1]:.1f} s)",
    "< 10 s", w[0] < 10)

# -A, once each: it takes long on the plain day.
pa = measure(rsar("-A", day), n=1)
aa = measure(rsar("-A", day + ".sarc"), n=1)
peaks["-A"] = aa[2]
row("`rsar -A`: plain / archive", f"{pa[0]:.1f} / {aa[0]:.1f} s = {pa[0] / aa[0]:.2f}x", ">= 1x", pa[0] >= aa[0])
peak = max(peaks.values())
row("peak memory of a report on the archive (" + ", ".join(f"{k} {v:.0f}" for k, v in peaks.items()) + " MB)",
    f"{peak:.0f} MB", "< 64 MB", peak < 64)

print("| measure | measured | target | met |")
print("|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
PY
echo "files in $work; $(nproc) CPUs; $(sar -V 2>&1 | head -1)"
