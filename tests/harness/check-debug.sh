#!/usr/bin/env bash
# make check-debug: the e2e suite (mode check) and the stress suite on the debug kernel
# (tests/harness/debug-kernel.sh: 6.12 from linux-source-6.12 with KASAN, lockdep, DEBUG_ATOMIC_SLEEP,
# PROVE_RCU, DEBUG_OBJECTS). A run fails on any failed TAP line and on any kernel report in a
# guest's console log (BUG, WARNING, Oops, KASAN, lockdep, ODEBUG, ...).
# Ends with "check-debug: N passed, N failed".
# env: QEMU_TIMEOUT (s per guest, default 3600: KASAN+lockdep under TCG is slow),
#      STRESS_SCALE (default ci), STRESS_ONLY, BUILD_ROOT, VERBOSE=1
set -euo pipefail
. "$(dirname "$0")/lane.sh"

export QEMU_TIMEOUT=${QEMU_TIMEOUT:-3600}
export STRESS_SCALE=${STRESS_SCALE:-ci}
# Console at loglevel 5: KERN_WARNING (WARN(), lockdep, RCU splats) reaches the log too.
# no5lvl: with -cpu max the guest gets LA57, and 6.12's identify_cpu() clears the boot CPU's
# feature bits for a moment; a timer IRQ in that window makes KASAN see the 5-level direct map
# as wild (BUG: KASAN: wild-memory-access in do_raw_spin_lock, from handle_edge_irq, at 0.01 s),
# and that first report turns lockdep off for the whole run. 4-level paging avoids the window.
export QEMU_APPEND="${QEMU_APPEND:+$QEMU_APPEND }loglevel=5 no5lvl"
root=${BUILD_ROOT:-$REPO/build}
t_start=$SECONDS

# Kernel reports, as printed by the kernel (a "[ seconds.micros]" stamp before the text).
report_re='BUG:|WARNING:|Oops|KASAN|general protection fault|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|ODEBUG|trying to register non-static key|UBSAN'
stamp_re='\[ *[0-9]+\.[0-9]{6}\] '

pass=0 fail=0 notes=()
# scan <log> <name>: fail once per log that has kernel reports; show them and the first report whole.
scan() {
    local hits n first
    hits=$(grep -nE "$stamp_re" "$1" | grep -E "$report_re" | grep -v '^[0-9]*:# ' || true)
    if [ -z "$hits" ]; then
        echo "  ok - $2: no kernel report in $1"
        pass=$((pass + 1)); return 0
    fi
    n=$(echo "$hits" | wc -l)
    fail=$((fail + 1))
    notes+=("not ok - $2: $n kernel report line(s) in $1")
    echo "  not ok - $2: $n kernel report line(s) in $1:"
    echo "$hits" | head -40 | sed 's/^/    | /'
    # the first report whole: its kernel lines up to its end marker (at most 150)
    first=$(echo "$hits" | head -1 | cut -d: -f1)
    echo "  first report, from line $first of the log:"
    tail -n +"$first" "$1" | grep -E "$stamp_re" | awk 'NR > 1 && /====================|---\[ end trace/ { print; exit } NR <= 150' >"$1.report"
    sed 's/^/    | /' "$1.report"
    if grep -q 'kvm_irqpath' "$1.report"; then
        echo "  !! the report names kvm_irqpath (also in $1.report)"
    fi
}

summary() {
    echo "=== summary"
    echo "kernel: ${KVER:-?} (${KDIR:-?}): cold build ${cold_build:-?} s, this run's kernel step $T_FETCH s" \
         "(tracer + initramfs $T_BUILD s)"
    echo "run: e2e ${t_e2e:-0} s, stress ${t_stress:-0} s; whole check-debug $((SECONDS - t_start)) s"
    for n in "${notes[@]}"; do echo "  $n"; done
    echo "check-debug: $pass passed, $fail failed"
}

echo "=== debug kernel (6.12-debug), e2e (mode check), QEMU_TIMEOUT=$QEMU_TIMEOUT"
lane_guest check 6.12-debug
cold_build=$(cat "${KDIR:-/nonexistent}/build-seconds" 2>/dev/null || echo '?')
echo "  $LANE_KERNEL in ${KDIR:-?}; kernel step ${T_FETCH:-0} s (cold build took $cold_build s); tracer + initramfs ${T_BUILD:-0} s"
t_e2e=$LANE_SECS
pass=$((pass + LANE_P)) fail=$((fail + LANE_F))
for l in "${LANE_NOTES[@]}"; do notes+=("e2e: $l"); done
echo "  e2e: $LANE_P passed, $LANE_F failed"
[ -n "$LANE_LOG" ] || { summary; exit 1; }
log=$LANE_LOG
grep -E '^# --- [a-z_]+: [0-9]+ s' "$log" | sed 's/^/  /' || true
echo "  e2e: $t_e2e s"
[ -f "$log" ] && scan "$log" "e2e kernel log"

echo "=== stress ($STRESS_SCALE) on $KVER"
t=$SECONDS
slog=$root/stress-debug.log
KERNELS=6.12-debug "$S/stress.sh" >"$slog" 2>&1 || true
t_stress=$((SECONDS - t))
sed 's/^/  /' "$slog" | grep -vE '^  (kernel\.sh|debug-kernel|build-module|initramfs):' || true
line=$(grep -E '^stress: [0-9]+ passed, [0-9]+ failed' "$slog" | tail -1 || true)
if [ -z "$line" ]; then
    fail=$((fail + 1)); notes+=("not ok - stress ran no test (log $slog)")
else
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    pass=$((pass + p)) fail=$((fail + f))
    while IFS= read -r l; do notes+=("stress: $l"); done < <(grep -E '^[[:space:]]*not ok' "$slog" || true)
fi
glog=$root/stress/$KVER/stress.log
if [ -f "$glog" ]; then scan "$glog" "stress kernel log"
else fail=$((fail + 1)); notes+=("not ok - no stress guest log at $glog"); fi

summary
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
