#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: for each kernel build the guest and boot it in mode=bench
# (tests/e2e/bench.sh): interrupts/s with no tracer, kvm_irqpath (plain, direct, hop timing on), bpftrace, tracefs
# kprobe events, the bare-kprobe floor, the ftrace floor (bare, or with 32 loads or tested loads
# more per callback) and the direct floor, interleaved; print a table per kernel and
# workload (irqfd: eventfd writes to MSI irqfds; edu: VFIO MSIs of the edu device).
# Ends with "bench: N passed, N failed": the checks are that every run worked, rate > 0
# and each tracer counted every write exactly once; never a performance goal.
# env: BENCH_SCALE (short, the default: 1 rep of 1 s, for make check; or full),
#      BENCH_REPS (full: 7), BENCH_SECS (full: 3), BENCH_VMS (4), BENCH_GSIS (4),
#      BENCH_CONFIGS (comma-separated, default none,kvm_irqpath,irqpath_direct,irqpath_latency,
#      bpftrace,tracefs,tracefs_count,floor,ftrace_floor,direct_floor,floor_loads,floor_branches),
#      BENCH_LOADS (comma-separated, default irqfd,edu),
#      KERNELS (default in lane.sh), QEMU_TIMEOUT (default from the run count),
#      BENCH_BUILD_ROOT (default $BUILD_ROOT/bench or build/bench: own build dirs, so
#      that running from check.sh, which holds the lock of its own, cannot deadlock)
set -euo pipefail
. "$(dirname "$0")/lane.sh"

scale=${BENCH_SCALE:-short}
case $scale in
    short) reps=${BENCH_REPS:-1} secs=${BENCH_SECS:-1} ;;
    full)  reps=${BENCH_REPS:-7} secs=${BENCH_SECS:-3} ;;
    *) echo "bench: BENCH_SCALE=short|full" >&2; exit 2 ;;
esac
configs=${BENCH_CONFIGS:-none,kvm_irqpath,irqpath_direct,irqpath_latency,bpftrace,tracefs,tracefs_count,floor,ftrace_floor,direct_floor,floor_loads,floor_branches}
loads=${BENCH_LOADS:-irqfd,edu}
nconf=$(echo "$configs" | tr , '\n' | wc -l)
nload=$(echo "$loads" | tr , '\n' | wc -l)
export BUILD_ROOT=${BENCH_BUILD_ROOT:-${BUILD_ROOT:-$REPO/build}/bench}
export QEMU_TIMEOUT=${QEMU_TIMEOUT:-$((300 + reps * nconf * nload * (${secs%.*} + 60)))}
append="irqpath.bench_reps=$reps irqpath.bench_secs=$secs irqpath.bench_configs=$configs"
append="$append irqpath.bench_loads=$loads"
append="$append irqpath.bench_vms=${BENCH_VMS:-4} irqpath.bench_gsis=${BENCH_GSIS:-4}"
export QEMU_APPEND="${QEMU_APPEND:+$QEMU_APPEND }$append"

# table <log> <workload>: one row per configuration from the guest's BENCH lines.
table() {
    awk -v order="$configs" -v load="$2" '
    function median(s,   a, n, i, j, t) {
        n = split(s, a, " ")
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function hpe(hits, writes) {   # hits per event, exact when 1
        return hits == writes ? "1" : sprintf("%.6f(%d/%d)", writes ? hits / writes : 0, hits, writes)
    }
    $1 == "BENCH" && $2 == "load=" load {
        c = ""
        for (i = 2; i <= NF; i++) {
            split($i, kv, "=")
            if (kv[1] == "config") c = kv[2]
            else if (kv[1] == "rep") rep = kv[2]
            else if (kv[1] == "rate") { rates[c] = rates[c] " " kv[2]; rr[c, rep] = kv[2]; reps[rep] = 1 }
            else if (kv[1] == "writes") w[c] += kv[2]
            else if (kv[1] != "rep" && kv[1] != "secs" && kv[1] != "load") {
                if (!((c, kv[1]) in h)) fns[c] = fns[c] " " kv[1]
                h[c, kv[1]] += kv[2]
            }
        }
    }
    END {
        nc = split(order, cs, ",")
        for (i = 1; i <= nc; i++) if (rates[cs[i]] != "") med[cs[i]] = median(rates[cs[i]])
        base = med["none"]
        add_bt = (base && med["bpftrace"]) ? 1e9 / med["bpftrace"] - 1e9 / base : 0
        add_fl = (base && med["floor"]) ? 1e9 / med["floor"] - 1e9 / base : 0
        printf "%-14s %11s %9s %8s %9s %8s %8s  %s\n", "config", "events/s", "%untraced",
               "%paired", "ns/event", "/bpftrace", "/floor", "hits per event"
        for (i = 1; i <= nc; i++) {
            c = cs[i]
            if (rates[c] == "") { printf "%-14s %11s\n", c, "(no run)"; continue }
            r = med[c]
            pct = base ? sprintf("%.1f%%", 100 * r / base) : "-"
            # %paired: the median over repetitions of the rate over no tracer in the same
            # repetition, which a slow spell of the machine spanning runs leaves alone
            pr = ""
            for (k in reps)
                if (((c, k) in rr) && (("none", k) in rr) && rr["none", k] > 0)
                    pr = pr " " rr[c, k] / rr["none", k]
            paired = pr != "" ? sprintf("%.1f%%", 100 * median(pr)) : "-"
            add = (base && r) ? 1e9 / r - 1e9 / base : 0
            ns = base ? sprintf("%.1f", add) : "-"
            vb = add_bt > 0 ? sprintf("%.2f", add / add_bt) : "-"
            vf = add_fl > 0 ? sprintf("%.2f", add / add_fl) : "-"
            hp = ""
            nf = split(fns[c], f, " ")
            for (j = 1; j <= nf; j++)
                hp = hp sprintf("%s%s=%s", j > 1 ? " " : "", f[j], hpe(h[c, f[j]], w[c]))
            if (c == "none") { ns = "-"; vb = "-"; vf = "-"; hp = "-"; paired = "-" }
            # latency-bound (one MSI at a time): time per event says nothing of a tracer
            if (load == "edu") { ns = "-"; vb = "-"; vf = "-" }
            printf "%-14s %11.0f %9s %8s %9s %8s %8s  %s\n", c, r, pct, paired, ns, vb, vf, hp
        }
    }' "$1"
}

# what kvm_irqpath.ko is built from: the work tree, which may differ from HEAD
echo "module: $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo '?')" \
     "($(git -C "$REPO" status --porcelain -- src include Kbuild 2>/dev/null | wc -l) changed files in src include Kbuild)"

for v in $KERNELS; do
    echo "=== bench $v ($scale: $reps x $secs s, configs $configs)"
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    lane_guest bench "$v"
    if [ -n "$LANE_LOG" ]; then
        log=$LANE_LOG
        echo "host load average before/after: $load0 / $(cut -d' ' -f1-3 /proc/loadavg) (timings are noisy when it is high)"
        mapfile -t -O "${#LANE_NOTES[@]}" LANE_NOTES < <(grep -E '^# .*(got|hits|failed|did not|no )' "$log" | grep -v -e '^# bench: ' -e '^# kvm_irqpath hook hits: ' || true)
        # every configuration must have run in every repetition
        for l in ${loads//,/ }; do
            for c in ${configs//,/ }; do
                n=$(grep -c "^BENCH load=$l .* config=$c " "$log" || true)
                if [ "$n" = "$reps" ]; then LANE_P=$((LANE_P + 1))
                else LANE_F=$((LANE_F + 1)); LANE_NOTES+=("not ok - $l: $c ran $n of $reps times"); fi
            done
        done
        sed -n 's/^# bench: \(.*reps x.*\)/\1/p' "$log"
        for l in ${loads//,/ }; do
            echo "  workload $l:"
            [ "$l" = edu ] && echo "  (one MSI at a time, each awaited in /proc/interrupts: latency-bound, so" \
                "the rates are mostly noise; this table shows exact counting on the VFIO path)"
            table "$log" "$l" | sed 's/^/  /'
        done
    fi
    lane_result
done
lane_total bench
