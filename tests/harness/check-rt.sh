#!/usr/bin/env bash
# make check-rt (and the suite rt of make check): on Debian's PREEMPT_RT kernel the module
# must refuse to load, cleanly (guest mode rt, tests/e2e/rt-run.sh). Under QEMU TCG KVM does
# not load on RT at all, so only the refusal is tested. No IOMMU, edu or 9p host root needed.
# Ends with "rt: N passed, N failed[, N skipped]".
# env: RT_KERNELS (default 6.12-rt), QEMU_TIMEOUT (default 600), VERBOSE=1
set -euo pipefail
. "$(dirname "$0")/lane.sh"
export QEMU_IOMMU=0 QEMU_HOSTROOT=0 QEMU_TIMEOUT=${QEMU_TIMEOUT:-600}
unset LANE_RUNNER
t_all=$SECONDS

for v in ${RT_KERNELS:-6.12-rt}; do
	echo "=== rt $v"
	lane_guest rt "$v"
	[ -n "$LANE_LOG" ] && { grep -E '^# (dmesg|insmod|modprobe|uname)' "$LANE_LOG" || true; } | sed 's/^/  /'
	lane_result
done

echo "=== check-rt took $((SECONDS - t_all)) s on kernels: ${RT_KERNELS:-6.12-rt}"
lane_total rt
