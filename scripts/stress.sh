#!/usr/bin/env bash
# Stress and fault suite: for each kernel build the guest and boot it in mode=stress
# (tests/e2e/stress-run.sh); sum the TAP lines; end with "stress: N passed, N failed".
# env: STRESS_SCALE (ci, default, about 3 min of guest time per kernel; or full),
#      STRESS_ONLY (comma-separated test names, e.g. ctl_writes,vm_churn),
#      KERNELS (default "6.1 6.12"), QEMU_TIMEOUT (default 900 for ci, 5400 for full),
#      STRESS_BUILD_ROOT (default $BUILD_ROOT/stress or build/stress: own build dirs, so
#      that running from check.sh, which holds the lock of its own, cannot deadlock)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

scale=${STRESS_SCALE:-ci}
case $scale in ci) limit=900 ;; full) limit=5400 ;; *) echo "stress: STRESS_SCALE=ci|full" >&2; exit 2 ;; esac
export BUILD_ROOT=${STRESS_BUILD_ROOT:-${BUILD_ROOT:-$REPO/build}/stress}
export QEMU_TIMEOUT=${QEMU_TIMEOUT:-$limit}
append="irqpath.stress_scale=$scale"
[ -n "${STRESS_ONLY:-}" ] && append="$append irqpath.stress_only=$STRESS_ONLY"
export QEMU_APPEND="${QEMU_APPEND:+$QEMU_APPEND }$append"

pass=0 fail=0
for v in ${KERNELS:-6.1 6.12}; do
    echo "=== stress $v ($scale)"
    p=0 f=0 t_boot=0 notes=()
    if ! prepare "$v"; then
        f=1; notes+=("not ok - $FAIL_STEP (kernel $v)")
    else
        log=$OUT/stress.log
        t=$SECONDS
        booted=1
        "$S/qemu-run.sh" "$KDIR" "$OUT/initrd.cpio.gz" stress "$log" || booted=0
        t_boot=$((SECONDS - t))
        p=$(grep -cE '^[[:space:]]*ok [0-9]+' "$log" || true)
        f=$(grep -cE '^[[:space:]]*not ok' "$log" || true)
        mapfile -t -O "${#notes[@]}" notes < <(grep -E '^[[:space:]]*not ok' "$log" || true)
        guest_rc=$(grep -o 'IRQPATH-GUEST-DONE rc=[0-9]*' "$log" | tail -1 | cut -d= -f2 || true)
        if [ "$booted" = 0 ]; then
            f=$((f + 1)); notes+=("not ok - boot (guest crashed or hung; last 40 lines of $log:)")
            mapfile -t -O "${#notes[@]}" notes < <(tail -40 "$log" | sed 's/^/    | /')
        elif [ "$guest_rc" != 0 ] && [ "$f" = 0 ]; then
            f=1; notes+=("not ok - stress-run.sh exited rc=$guest_rc")
        elif [ "$p" = 0 ]; then
            f=1; notes+=("not ok - no test ran (log $log)")
        fi
        grep -E '^# --- stress_[a-z_]+: [0-9]+ s|^# stress: ' "$log" | sed 's/^/  /' || true
    fi
    echo "${KVER:-$v}: $p passed, $f failed (boot+tests $t_boot s; build $T_BUILD s)"
    for n in "${notes[@]}"; do echo "  $n"; done
    pass=$((pass + p)) fail=$((fail + f))
done

echo "stress: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
