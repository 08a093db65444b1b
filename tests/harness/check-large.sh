#!/usr/bin/env bash
# make check-large (and the suite large of make check): the stress test large_host
# (tests/e2e/stress_large.sh) in guests with many possible CPUs, as on a large host:
# what a VM costs per possible CPU, and `summary` and `reset` of 1000 VMs. 6.1 honours
# possible_cpus=384; 6.12 and 7.3 do not (nor hotpluggable slots, -smp 2,maxcpus=255), so
# QEMU makes 255 CPUs present (TCG's most) and the kernel brings 2 online (maxcpus=2).
# Ends with "large: N passed, N failed[, N skipped]".
# env: LARGE_KERNELS (default: every kernel of lane.sh), QEMU_TIMEOUT (default 900),
#      STRESS_BUILD_ROOT as in stress.sh
set -euo pipefail
. "$(dirname "$0")/lane.sh"
export BUILD_ROOT=${STRESS_BUILD_ROOT:-${BUILD_ROOT:-$REPO/build}/stress}
export QEMU_TIMEOUT=${QEMU_TIMEOUT:-900}
# watchdog_thresh=30: 255 emulated CPUs on a busy host made boot itself trip the 20 s
# soft-lockup watchdog once (in free_reserved_area); 60 s still catches a reader that spins.
base="${QEMU_APPEND:+$QEMU_APPEND }irqpath.stress_scale=ci irqpath.stress_only=large_host panic_on_oops=1 softlockup_panic=1 watchdog_thresh=30"
t_all=$SECONDS

for v in ${LARGE_KERNELS:-$KERNELS}; do
	case $v in
	6.1) export QEMU_APPEND="$base possible_cpus=384" QEMU_SMP=2 ;;
	*) export QEMU_APPEND="$base maxcpus=2" QEMU_SMP=255 ;;
	esac
	echo "=== large $v (-smp $QEMU_SMP,${QEMU_APPEND##* })"
	lane_guest stress "$v"
	[ -n "$LANE_LOG" ] && { grep -E '^# large: ' "$LANE_LOG" || true; } | sed 's/^/  /'
	lane_result
done

echo "=== check-large took $((SECONDS - t_all)) s on kernels: ${LARGE_KERNELS:-$KERNELS}"
lane_total large
