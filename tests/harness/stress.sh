#!/usr/bin/env bash
# Stress and fault suite: for each kernel build the guest and boot it in mode=stress
# (tests/e2e/stress-run.sh); sum the TAP lines; end with "stress: N passed, N failed".
# env: STRESS_SCALE (ci, default, about 3 min of guest time per kernel; or full),
#      STRESS_ONLY (comma-separated test names, e.g. ctl_writes,vm_churn),
#      KERNELS (default in lane.sh), QEMU_TIMEOUT (default 900 for ci, 5400 for full),
#      STRESS_BUILD_ROOT (default $BUILD_ROOT/stress or build/stress: own build dirs, so
#      that running from check.sh, which holds the lock of its own, cannot deadlock)
set -euo pipefail
. "$(dirname "$0")/lane.sh"

scale=${STRESS_SCALE:-ci}
case $scale in ci) limit=900 ;; full) limit=5400 ;; *) echo "stress: STRESS_SCALE=ci|full" >&2; exit 2 ;; esac
export BUILD_ROOT=${STRESS_BUILD_ROOT:-${BUILD_ROOT:-$REPO/build}/stress}
export QEMU_TIMEOUT=${QEMU_TIMEOUT:-$limit}
# An oops or a soft lockup panics the guest: the lane then fails on its
# death instead of running on, or hanging until the timeout.
append="irqpath.stress_scale=$scale panic_on_oops=1 softlockup_panic=1"
[ -n "${STRESS_ONLY:-}" ] && append="$append irqpath.stress_only=$STRESS_ONLY"
export QEMU_APPEND="${QEMU_APPEND:+$QEMU_APPEND }$append"

for v in $KERNELS; do
	echo "=== stress $v ($scale)"
	lane_guest stress "$v"
	[ -n "$LANE_LOG" ] && { grep -E '^# --- stress_[a-z_]+: [0-9]+ s|^# stress: ' "$LANE_LOG" || true; } | sed 's/^/  /'
	lane_result
done
lane_total stress
