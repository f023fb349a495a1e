#!/usr/bin/env bash
# The recorder's cost beside Debian's sadc, in one run: they record
# `-S XALL` every second for SAMPLES samples (default 301) at the same time
# (rsadc without A_CGROUP, sarkit's own activity, which sadc has not; its
# cost is bench/cgroup.sh's),
# RUNS times (default 3); the CPU time (user + system, from wait4) and the
# peak RSS (VmHWM) of each, their medians and the ratios to sadc's. Two
# builds of rsadc: the release one (target/release, as the tests and the
# .deb use it) and the static one of the `recorder` profile (see Cargo.toml).
#
#   bench/recorder.sh             RUNS=N SAMPLES=N BENCH_DIR=dir (keeps the files)
#   ALSO="label=path ..."         more rsadc builds in the same runs
#
# Beside them, examples/source_cost reads every file sadc reads per sample,
# as sadc reads it and as rsadc does (see recorder/examples/source_cost.rs):
# the kernel's cost per source, and the floor of any recorder reading them.
# Then callgrind counts rsadc's own instructions per source (no-sleep mode,
# 300 samples). sadc's files and read counts come from strace of sadc here.
#
# Needs Debian's sysstat, strace and valgrind (apt-get install -y sysstat strace valgrind).
# CPU time, not wall time, is compared: it holds on a busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
sadc=/usr/lib/sysstat/sadc
[ -x $sadc ] || { echo "Debian's sysstat (sadc) is not installed"; exit 1; }
command -v strace >/dev/null || { echo "strace is not installed"; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 1; }
cargo build --release -q -p sarkit-recorder --bin rsadc --example source_cost
triple=x86_64-unknown-linux-gnu
RUSTFLAGS='-C target-feature=+crt-static' cargo build -q --profile recorder --target $triple -p sarkit-recorder --bin rsadc
work=${BENCH_DIR:-$(mktemp -d)}
samples=${SAMPLES:-301}
runs=${RUNS:-3}

# The files sadc opens in one sample (between its second and third pause), with counts.
rm -f "$work/strace.sa"
strace -f -e trace=openat,pause -o "$work/sadc.strace" $sadc -S XALL 1 3 "$work/strace.sa"
mapfile -t sources < <(awk '/pause\(/{n++; next} n==1 && /openat\(/ && !/= -1/ {
    match($0, /"[^"]*"/); p=substr($0, RSTART+1, RLENGTH-2); c[p]++; if (!(p in seen)) {seen[p]=1; o[++k]=p}
  } END {for (i=1; i<=k; i++) print o[i] ":" c[o[i]]}' "$work/sadc.strace")
[ ${#sources[@]} -gt 0 ] || { echo "no file found in sadc's strace"; exit 1; }

python3 - "$work" "$samples" "$runs" "$sadc" "${sources[@]}" <<'PY'
import os, statistics, subprocess, sys, time
work, samples, runs, sadc, sources = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
cost = "target/release/examples/source_cost"
# The recorders: sadc, rsadc, and other rsadc builds named in ALSO ("label=path ...").
recorders = {"sadc": sadc, "rsadc": "target/release/rsadc",
             "rsadc static": "target/x86_64-unknown-linux-gnu/recorder/rsadc"}
for item in os.environ.get("ALSO", "").split():
    label, path = item.split("=", 1)
    recorders[label] = path
rows, per_source = [], {}
for run in range(1, runs + 1):
    procs = {}
    for name, binary in recorders.items():
        f = f"{work}/{name.replace(' ', '-')}-{run}.sa"
        if os.path.exists(f):
            os.remove(f)
        activities = "XALL" if name == "sadc" else "XALL,-A_CGROUP"
        procs[name] = subprocess.Popen([binary, "-S", activities, "1", samples, f], stderr=subprocess.DEVNULL)
    meter = subprocess.Popen([cost, "1000", samples, *sources], stdout=subprocess.PIPE, text=True)
    # Peak RSS from VmHWM, polled: wait4's ru_maxrss would count the RSS of the
    # forked Python before exec.
    hwm, rusage, alive = dict.fromkeys(recorders, 0), {}, set(recorders)
    while alive or meter.poll() is None:
        for k in sorted(alive):
            try:
                with open(f"/proc/{procs[k].pid}/status") as st:
                    kb = next(int(l.split()[1]) for l in st if l.startswith("VmHWM:"))
                hwm[k] = max(hwm[k], kb)
            except (OSError, StopIteration):
                pass
            pid, status, ru = os.wait4(procs[k].pid, os.WNOHANG)
            if pid:
                procs[k].returncode = os.waitstatus_to_exitcode(status)
                rusage[k] = ru
                alive.discard(k)
        time.sleep(0.2)
    if meter.returncode:
        sys.exit("source_cost failed")
    for name, p in procs.items():
        if p.returncode:
            sys.exit(f"{name} failed: {p.returncode}")
    res = {k: (ru.ru_utime, ru.ru_stime, hwm[k]) for k, ru in rusage.items()}
    for line in meter.stdout.read().splitlines()[1:]:
        f = line.split()
        per_source.setdefault(f[0], []).append([float(x) for x in f[-2:]] + ([f[1]] if len(f) == 4 else [""]))
    rows.append(res)
    print(f"run {run}: " + "   ".join(f"{k} {u:.3f} u {s:.3f} s {m} KB" for k, (u, s, m) in res.items()))
n = int(samples)
med = lambda name, f: statistics.median(f(r[name]) for r in rows)
print(f"\n{runs} runs of {n} one-second samples of -S XALL, all recorders at once; medians:")
print(f"{'':16} {'user s':>8} {'sys s':>8} {'ms/sample':>10} {'peak RSS':>11} {'CPU ratio':>10} {'RSS ratio':>10}")
cpu = {k: med(k, lambda x: x[0] + x[1]) / n * 1000 for k in recorders}
rss = {k: med(k, lambda x: x[2]) for k in recorders}
for k in recorders:
    u, s = med(k, lambda x: x[0]), med(k, lambda x: x[1])
    print(f"{k:16} {u:8.3f} {s:8.3f} {cpu[k]:10.3f} {rss[k] / 1024:8.2f} MB {cpu[k] / cpu['sadc']:9.2f}x {rss[k] / rss['sadc']:9.2f}x")
print("(ratios: to sadc's medians)")
print(f"\nkernel CPU per sample by source, µs (median of runs): reads per sample by sadc, as sadc reads them, once from a kept descriptor")
for src, vals in per_source.items():
    a = statistics.median(v[0] for v in vals)
    b = statistics.median(v[1] for v in vals)
    print(f"  {src:<40} {vals[0][2]:>3} {a:8.1f} {b:8.1f}")
PY

# rsadc's own instructions per sample, by parser (callgrind, no sleeping).
rm -f "$work/cg.sa"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  target/release/rsadc -S XALL,-A_CGROUP --unix-time 1700000000 1 300 "$work/cg.sa" 2>/dev/null
# From another folder: inside the checkout, callgrind_annotate shortens paths and splits functions differently.
(cd "$work" && callgrind_annotate --auto=no --inclusive=yes --threshold=100 callgrind.out 2>/dev/null) | python3 -c '
import re, sys
total, by = 0, {}
for line in sys.stdin:
    # A function'"'"'s own entry names its binary; entries of code inlined into it do not.
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\S+?:(.+) \[\S+\]$", line)
    if not m:
        continue
    ir, fn = int(m.group(1).replace(",", "")), m.group(2)
    if fn == "<sarkit_recorder::collect::Collector as sarkit_recorder::source::SampleSource>::sample":
        total = ir
    p = re.fullmatch(r"sarkit_recorder::proc::(\w+)::(\w+)", fn)
    # Entry points the collector calls; helpers they call are inside these.
    if p and p.group(2) in ("parse", "parse6", "parse_dev", "parse_edev", "parse_duplex", "parse_speed", "io",
                            "disks", "cpu_items", "parse_nfs", "parse_nfsd", "parse_used", "parse_dentry_state",
                            "parse_pty_nr"):
        by[p.group(1)] = by.get(p.group(1), 0) + ir
n = 300
print("\nrsadc instructions per sample (callgrind, 300 samples without sleeping):")
for k, v in sorted(by.items(), key=lambda kv: -kv[1]):
    print(f"  {k:<16} {v / n:10.0f}")
print("  %-16s %10.0f" % ("parsers", sum(by.values()) / n))
print("  %-16s %10.0f  (parsers, reading, building the sample)" % ("whole sample", total / n))
'
echo "files in $work; $(nproc) CPUs, $(uname -r), $($sadc -V 2>&1 | head -1)"
