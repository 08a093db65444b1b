#!/usr/bin/env bash
# make check-intel: the e2e tests an Intel guest can run (guest mode intel,
# tests/e2e/intel-run.sh) under Bochs, which emulates VMX (QEMU TCG does not).
# Ends with "check-intel: N passed, N failed[, N skipped]" ("intel: ..." as make
# check's suite intel, tests/harness/intel.sh).
# env: INTEL_KERNELS (default 6.12; make check-intel: 6.1 6.12 7.3), BOCHS_TIMEOUT, VERBOSE=1,
#      INTEL_BUILD_ROOT (default $BUILD_ROOT/intel or build/intel: own build dirs, so that
#      a make check running beside it holds no lock this one waits for)
set -euo pipefail
. "$(dirname "$0")/lane.sh"
export BUILD_ROOT=${INTEL_BUILD_ROOT:-${BUILD_ROOT:-$REPO/build}/intel}
export LANE_RUNNER=bochs
t_all=$SECONDS

for v in ${INTEL_KERNELS:-6.12}; do
	echo "=== intel $v (Bochs)"
	lane_guest intel "$v"
	{ grep -E '^# --- [a-z_]+: [0-9]+ s|^bochs-run: Bochs ran' "$LANE_LOG" || true; } 2>/dev/null | sed 's/^/  /'
	lane_result
done

echo "=== check-intel took $((SECONDS - t_all)) s on kernels: ${INTEL_KERNELS:-6.12}"
lane_total "${INTEL_SUITE:-check-intel}"
