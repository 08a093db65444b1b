# SPDX-License-Identifier: GPL-2.0
# Stress and fault tests of kvm_irqpath: the sizes, the order and the
# helpers they share. stress-run.sh sources this after lib.sh and the e2e
# files, then the tests: stress_control.sh (control writes, non-root),
# stress_readers.sh (readers against resets), stress_counts.sh (exact counts
# under load, VM churn), stress_modules.sh (module load and unload). Each
# test is a function t_stress_<name>; every assertion is a `check` line.
#
# Sizes: STRESS_SCALE=ci (default: the whole file in about 3 minutes of TCG
# guest time) or full (the sizes of the reliability issue). Any size below
# can be set on its own before this file is sourced.

STRESS_SCALE=${STRESS_SCALE:-ci}
case $STRESS_SCALE in
full)
	: "${STRESS_INSMOD_CYCLES:=50}"	# tracer rmmod/insmod under a storm
	: "${STRESS_KVM_CYCLES:=10}"	# kvm_amd, kvm, vfio_pci reloads
	: "${STRESS_RACE_ROUNDS:=30}"	# tracer and kvm unloading at once
	: "${STRESS_VMS:=1000}"		# VMs created and destroyed
	: "${STRESS_READ_SECS:=120}"	# readers against reset writers
	: "${STRESS_CTL_WRITES:=1000}"	# malformed control writes
	: "${STRESS_EXACT_FIRE:=20000}"	# eventfd writes per MSI VM
	: "${STRESS_EXACT_EDU:=200}"	# edu MSIs
	;;
*)
	: "${STRESS_INSMOD_CYCLES:=5}"
	: "${STRESS_KVM_CYCLES:=2}"
	: "${STRESS_RACE_ROUNDS:=5}"
	: "${STRESS_VMS:=200}"
	: "${STRESS_READ_SECS:=20}"
	: "${STRESS_CTL_WRITES:=200}"
	: "${STRESS_EXACT_FIRE:=2000}"
	: "${STRESS_EXACT_EDU:=30}"
	;;
esac
: "${STRESS_VMS_PER_PROC:=8}"	# churn: VMs per one-shot vmfire
: "${STRESS_VM_PAR:=4}"		# churn: vmfire processes at a time
: "${STRESS_READERS:=4}"	# readers against resets
: "${STRESS_WRITERS:=2}"	# reset writers
: "${STRESS_SEED:=$$}"		# ctlwrite's random seed

# The order they run in; stress-run.sh runs them all (or STRESS_ONLY).
STRESS_TESTS="ctl_writes readers_vs_reset exact_under_load vm_churn nonroot \
	insmod_cycles lazy_many kvm_modules_cycles unload_race"

ST=/tmp/stress
ST_STOP=$ST/stop
ST_GEN=$ST/gen
ST_AWK=$ST/check.awk
ST_LINES=$ST/lines
mkdir -p $ST

has_vfio() { [ -e /sys/bus/pci/drivers/vfio-pci ]; }

# Background loops keep only the fds they use: a VMM sees EOF on its
# command fifo only when every writer has closed it.
# st_bg <cmd...>: runs it in the background, pid in BGPID.
st_bg() {
	"$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- &
	BGPID=$!
}

# st_stop_bg <pid...>: touch the stop file and reap the loops.
st_stop_bg() {
	touch $ST_STOP
	for _p in "$@"; do
		wait_for 600 not_running "$_p" || { log "loop $_p did not stop, killed"; kill -9 "$_p"; }
		wait "$_p" 2>/dev/null
	done
	rm -f $ST_STOP
}

# The loop commands of vmfire end when any line arrives: "fire 1" does it,
# and its answer is the last line vm_wait checks.
loop_stop() {
	vm_send "$1" "fire 1"
	vm_wait "$1"
}

# vm_dirs_of <pid>: every VM directory of a VMM, in creation order.
vm_dirs_of() { vm_dir_of "$1" | sort -t- -k2 -n; }
has_n_vms() { [ "$(vm_dir_of "$1" | wc -l)" = "$2" ]; }

mem_line() { awk '{ printf "%s=%s ", $1, $2 }' "$D/memory"; }
vms_empty() { [ -z "$(ls "$D/vms")" ]; }

# The n of a fresh VM's name <pid>-<n>: the module's VM sequence number.
vm_seq_now() {
	vm_start 8 || return 1
	wait_vm "$(vm_pid 8)"
	_x=$(vm_dir_of "$(vm_pid 8)")
	vm_stop 8
	echo "${_x#*-}"
}

# An edufire on fd 5 with its eventfd as an irqfd of its VM: EDU=<dir>.
edu_start() {
	has_vfio || return 1
	co_start 5 edufire || return 1
	wait_vm "$(vm_pid 5)" || return 1
	EDU=$(vm_dir_of "$(vm_pid 5)")
	vm_cmd 5 "irqfd on"
}

# Background edu loop: "raise 10" until the stop file appears. It owns fd 5
# meanwhile; its line count comes back in $ST/edu.lines, errors in
# $ST/edu.err.
edu_loop() {
	: >$ST/edu.err
	while [ ! -e $ST_STOP ]; do
		vm_cmd 5 "raise 10" || echo "raise: $(tail -1 /tmp/vm5.out)" >>$ST/edu.err
	done
	echo "$VMLINES5" >$ST/edu.lines
}
edu_loop_start() {
	edu_loop 3>&- 4>&- 6>&- 7>&- 8>&- &
	EDULOOP=$!
}
edu_loop_stop() {
	st_stop_bg "$EDULOOP"
	VMLINES5=$(cat $ST/edu.lines)
	check "$1: edu MSIs raised without error" eq err "$(head -3 $ST/edu.err)" ""
}

# ---------------------------------------------------------------------------

t_stress_dmesg() {
	# lockdep's and RCU's reports, not the boot line "RCU lockdep checking is enabled"
	bad=$(dmesg_unknown | grep -E 'BUG|WARNING|Oops|Call Trace|KASAN|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|sleeping function called|ODEBUG')
	dmesg_known_note
	[ -z "$bad" ] || log "$(echo "$bad" | head -40)"
	check "dmesg: no BUG, WARNING, Oops, Call Trace, KASAN or lockdep" test -z "$bad"
}
