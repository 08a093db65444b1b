#!/usr/bin/env bash
# make check: the e2e suite (guest mode check) on every kernel, then the host suites.
# Ends with one line "N passed, N failed[, N skipped]".
# env: KERNELS (default in lane.sh), SUITES (default "kunit lint tool dkms rt intel vmm stress large bench"),
#      QEMU_TIMEOUT, VERBOSE=1
set -euo pipefail
. "$(dirname "$0")/lane.sh"
t_all=$SECONDS

for v in $KERNELS; do
	echo "=== e2e $v"
	lane_guest check "$v"
	lane_result
done

# Host-side suites; each ends with "<name>: N passed, N failed".
for suite in ${SUITES-kunit lint tool dkms rt intel vmm stress large bench}; do
	echo "=== $suite"
	t=$SECONDS
	log=${BUILD_ROOT:-$REPO/build}/$suite.log
	mkdir -p "$(dirname "$log")"
	run=$S/$suite.sh; [ -x "$run" ] || run=$REPO/tests/$suite/run.sh
	"$run" >"$log" 2>&1 || true
	suite_result "$suite" "$log"
	echo "$SUITE_LINE ($((SECONDS - t)) s)"
done

echo "=== make check took $((SECONDS - t_all)) s on kernels: $KERNELS"
lane_total
