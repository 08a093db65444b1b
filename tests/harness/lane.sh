# The one way to run a guest suite; sourced by check.sh, stress.sh, bench.sh and
# check-debug.sh. A lane is a guest mode (check, stress, bench) run on each kernel.
#
#   lane_guest <mode> <kernel>   prepare the kernel's guest, boot it in <mode>, count
#                                its TAP lines into LANE_P, LANE_F, LANE_S, LANE_NOTES;
#                                under QEMU, or under Bochs (Intel) with LANE_RUNNER=bochs
#   lane_result                  print the kernel's result line and notes, add to totals
#   suite_result <name> <log>    add a host suite's "<name>: N passed, N failed" line
#   lane_total <name>            print "<name>: N passed, N failed[, N skipped]"; fails
#                                on any failure and when no test ran
#
# One rule for all: skipped tests are counted apart, never as passed; a guest that died
# or hung is a failure; a guest that exited non-zero with no failed test is a failure;
# a kernel on which no test ran is a failure.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Every kernel the lanes cover; adding a kernel is this line (and its case in kernel.sh).
KERNELS=${KERNELS:-6.1 6.12 7.3}

TOTAL_P=0 TOTAL_F=0 TOTAL_S=0

# tap_count <log>: sets TAP_P TAP_F TAP_S from a log's TAP lines.
tap_count() {
	TAP_P=$(grep -E '^[[:space:]]*ok [0-9]+' "$1" | grep -vc '# *SKIP' || true)
	TAP_S=$(grep -E '^[[:space:]]*ok [0-9]+' "$1" | grep -c '# *SKIP' || true)
	TAP_F=$(grep -cE '^[[:space:]]*not ok' "$1" || true)
}

lane_guest() {
	local mode=$1 v=$2 t guest_rc booted=1
	LANE_P=0 LANE_F=0 LANE_S=0 LANE_NOTES=() LANE_SECS=0 LANE_LOG= LANE_KERNEL=$v
	if ! prepare "$v"; then
		LANE_F=1; LANE_NOTES+=("not ok - $FAIL_STEP (kernel $v)")
		return 0
	fi
	LANE_KERNEL=$KVER LANE_LOG=$OUT/$mode.log
	t=$SECONDS
	"$S/${LANE_RUNNER:-qemu}-run.sh" "$KDIR" "$OUT/initrd.cpio.gz" "$mode" "$LANE_LOG" || booted=0
	LANE_SECS=$((SECONDS - t))
	tap_count "$LANE_LOG"
	LANE_P=$TAP_P LANE_F=$TAP_F LANE_S=$TAP_S
	mapfile -t -O "${#LANE_NOTES[@]}" LANE_NOTES < <(grep -E '^[[:space:]]*not ok' "$LANE_LOG" || true)
	guest_rc=$(grep -o 'IRQPATH-GUEST-DONE rc=[0-9]*' "$LANE_LOG" | tail -1 | cut -d= -f2 || true)
	if [ "$booted" = 0 ]; then
		LANE_F=$((LANE_F + 1))
		LANE_NOTES+=("not ok - boot (guest crashed or hung; last 40 lines of $LANE_LOG:)")
		mapfile -t -O "${#LANE_NOTES[@]}" LANE_NOTES < <(tail -40 "$LANE_LOG" | sed 's/^/    | /')
	elif [ "$guest_rc" != 0 ] && [ "$LANE_F" = 0 ]; then
		LANE_F=1; LANE_NOTES+=("not ok - guest $mode run exited rc=$guest_rc")
	elif [ $((LANE_P + LANE_S)) = 0 ]; then
		LANE_F=$((LANE_F + 1)); LANE_NOTES+=("not ok - no test ran (log $LANE_LOG)")
	fi
}

lane_result() {
	local extra= n
	[ "$LANE_S" -gt 0 ] && extra=", $LANE_S skipped"
	echo "$LANE_KERNEL: $LANE_P passed, $LANE_F failed$extra (guest $LANE_SECS s; fetch ${T_FETCH:-0} s, build ${T_BUILD:-0} s)"
	for n in "${LANE_NOTES[@]}"; do echo "  $n"; done
	TOTAL_P=$((TOTAL_P + LANE_P)) TOTAL_F=$((TOTAL_F + LANE_F)) TOTAL_S=$((TOTAL_S + LANE_S))
}

suite_result() {
	local name=$1 log=$2 line p f s=0
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1 || true)
	if [ -z "$line" ]; then
		p=0 f=1
		echo "  not ok - $name ran no test; last lines of $log:"
		tail -20 "$log" | sed 's/^/    | /'
	else
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
		case $line in *skipped*) s=$(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/') ;; esac
		{ grep -E '^[[:space:]]*not ok' "$log" || true; } | sed 's/^/  /'
	fi
	TOTAL_P=$((TOTAL_P + p)) TOTAL_F=$((TOTAL_F + f)) TOTAL_S=$((TOTAL_S + s))
	SUITE_LINE="$name: $p passed, $f failed"
	if [ "$s" -gt 0 ]; then SUITE_LINE="$SUITE_LINE, $s skipped"; fi
}

lane_total() {
	local extra=
	[ "$TOTAL_S" -gt 0 ] && extra=", $TOTAL_S skipped"
	echo "${1:+$1: }$TOTAL_P passed, $TOTAL_F failed$extra"
	[ "$TOTAL_F" = 0 ] && [ "$TOTAL_P" -gt 0 ]
}
