# SPDX-License-Identifier: GPL-2.0
# Stress: exact counts under concurrent load, and VM churn.
# Sourced by stress-run.sh after stress.sh (sizes and shared helpers).

# Exact counts with several VMMs firing at once, edu MSIs meanwhile.

# vals <dir> <keys...>: the values joined by spaces.
vals() {
	_x=$1
	shift
	_s=
	for _k in "$@"; do _s="$_s$(stat "$_x" "$_k") "; done
	echo "${_s% }"
}

t_stress_exact_under_load() {
	F=$STRESS_EXACT_FIRE
	F2=$((F / 8))
	M=$((F / 4))
	echo 1 >$D/reset
	vm_start 3 -v 2 -r msi -g 24 && vm_start 4 -v 2 -r ioapic -g 5 &&
		vm_start 6 -c 2 && vm_start 7 -g 30 ||
		{ check "exact: vmfires start" false; return; }
	for fd in 3 4 6 7; do
		n=1
		[ $fd = 3 ] || [ $fd = 4 ] && n=2
		wait_for 100 has_n_vms "$(vm_pid $fd)" $n
	done
	edu=
	edu_start && edu=1
	pre_unattr="$(unattr irqfd_wakeups) $(unattr vcpu_deliveries) $(unattr msi_injects) $(unattr vfio_msi)"

	vm_send 3 "fire $F"
	vm_send 4 "fire $F2"
	vm_send 6 "msi $M"
	vm_send 7 "fire $F"
	[ -n "$edu" ] && vm_send 5 "raise $STRESS_EXACT_EDU"
	for fd in 3 4 6 7; do check "exact: vm$fd round 1 done" vm_wait $fd; done
	vm_send 3 "msi $M"
	vm_send 7 "msi $M"
	vm_send 6 "msi $M"
	vm_send 4 "fire $F2"
	for fd in 3 4 6 7; do check "exact: vm$fd round 2 done" vm_wait $fd; done
	[ -n "$edu" ] && check "exact: edu MSIs raised" vm_wait 5

	for X in $(vm_dirs_of "$(vm_pid 3)"); do
		check "exact: $X (irqfd MSI + signal MSI) wakeups fast deferred msi deliveries" \
			eq "$X" "$(vals "$X" irqfd_wakeups irqfd_fast irqfd_deferred msi_injects vcpu_deliveries)" \
			"$F $F 0 $M $((F + M))"
		check "exact: $X gsi 24 row" eq gsi "$(gsi_row "$X" 24)" "24 $F $F 0 0"
	done
	for X in $(vm_dirs_of "$(vm_pid 4)"); do
		check "exact: $X (IOAPIC) wakeups deferred fast msi" \
			eq "$X" "$(vals "$X" irqfd_wakeups irqfd_deferred irqfd_fast msi_injects)" \
			"$((2 * F2)) $((2 * F2)) 0 0"
		inj=$(stat "$X" irqfd_injects)
		check "exact: $X injects 1..$((2 * F2)) ($inj)" test "$inj" -ge 1 -a "$inj" -le $((2 * F2))
	done
	X=$(vm_dir_of "$(vm_pid 6)")
	check "exact: $X (signal MSI, 2 vCPUs) msi deliveries irqfd" \
		eq "$X" "$(vals "$X" msi_injects vcpu_deliveries irqfd_wakeups)" "$((2 * M)) $((2 * M)) 0"
	check "exact: $X all on vCPU 0" eq vcpus "$(tail -n +2 "$D/vms/$X/vcpus" | tr '\n' ' ')" \
		"0 $((2 * M)) 0 $(btf_or $((2 * M)) 0) 0 "
	X=$(vm_dir_of "$(vm_pid 7)")
	check "exact: $X (gsi 30) wakeups fast msi deliveries" \
		eq "$X" "$(vals "$X" irqfd_wakeups irqfd_fast msi_injects vcpu_deliveries)" "$F $F $M $((F + M))"
	check "exact: $X gsi 30 row" eq gsi "$(gsi_row "$X" 30)" "30 $F $F 0 0"
	if [ -n "$edu" ]; then
		E=$STRESS_EXACT_EDU
		check "exact: $EDU (edu on irqfd) vfio_msi irqfd user wakeups fast deliveries" \
			eq "$EDU" "$(vals "$EDU" vfio_msi vfio_msi_irqfd vfio_msi_userspace irqfd_wakeups irqfd_fast vcpu_deliveries)" \
			"$E $E 0 $E $E $E"
	fi
	check "exact: nothing unattributed" eq unattr \
		"$(unattr irqfd_wakeups) $(unattr vcpu_deliveries) $(unattr msi_injects) $(unattr vfio_msi)" "$pre_unattr"
	check "exact: no record allocation failed" eq failed "$(unattr vm_alloc_failed)" 0
	check "exact: no probe hit dropped" eq missed "$(unattr probe_missed)" 0
	[ -n "$edu" ] && vm_stop 5
	for fd in 3 4 6 7; do vm_stop $fd; done
}

# ---------------------------------------------------------------------------
# Many VMs created and destroyed: nothing left behind.

mem_is() { [ "$(mem_line)" = "$1" ]; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# churn_round <n>: n VMs in one-shot vmfires of STRESS_VMS_PER_PROC VMs,
# STRESS_VM_PAR at a time; CHURN_FAILS = the vmfires that failed.
churn_round() {
	_left=$1 CHURN_FAILS=0 _procs=0
	_t=$(date +%s)
	while [ "$_left" -gt 0 ]; do
		_pids=
		_j=0
		while [ $_j -lt "$STRESS_VM_PAR" ] && [ "$_left" -gt 0 ]; do
			_n=$STRESS_VMS_PER_PROC
			[ "$_n" -gt "$_left" ] && _n=$_left
			vmfire -v "$_n" -n 1 >$ST/churn.$_j 2>&1 &
			_pids="$_pids $!"
			_left=$((_left - _n))
			_j=$((_j + 1))
		done
		_j=0
		for _p in $_pids; do
			wait "$_p" && grep -q '^DONE fire 1' $ST/churn.$_j ||
				{ CHURN_FAILS=$((CHURN_FAILS + 1)); log "churn: $(head -2 $ST/churn.$_j)"; }
			_procs=$((_procs + 1))
			_j=$((_j + 1))
		done
	done
	log "churn: $1 VMs in $_procs processes, $(($(date +%s) - _t)) s"
}

# Two rounds of STRESS_VMS / 2: the module's memory must come back to the
# same figures after each; the kernel's Percpu may keep chunks after the
# first round, but a leak would grow it again in the second. Its noise (KVM's
# own per-VM per-CPU data, chunk reuse) was up to 40 kB in a round of 100
# VMs; the bound is a tenth of what the round's VMs' counters take, and at
# least 64 kB: at 224 bytes per CPU a VM's counters no longer stand out of
# that noise at ci scale, and the module's own figures (mem_is) are the
# exact check.
t_stress_vm_churn() {
	half=$((STRESS_VMS / 2))
	check "churn: no VM before" wait_for 100 vms_empty
	check "churn: spares full before" wait_for 100 test "$(mem spares)" = 16
	unattr0=$(unattr irqfd_wakeups)
	seq0=$(vm_seq_now)
	wait_for 100 vms_empty
	wait_for 100 test "$(mem spares)" = 16
	mem0=$(mem_line)
	log "churn: before: $mem0 Percpu $(meminfo Percpu) kB SUnreclaim $(meminfo SUnreclaim) kB"
	for round in 1 2; do
		churn_round $half
		check "churn $round: every vmfire ran" eq fails "$CHURN_FAILS" 0
		check "churn $round: vms/ is empty again" wait_for 300 vms_empty
		check "churn $round: memory back where it started" wait_for 300 mem_is "$mem0"
		eval "pcpu$round=\$(meminfo Percpu)"
		log "churn $round: after: $(mem_line) Percpu $(meminfo Percpu) kB SUnreclaim $(meminfo SUnreclaim) kB"
	done
	slack=$((half * $(mem vm_cpu_bytes) * $(mem cpus) / 10240))
	[ "$slack" -ge 64 ] || slack=64
	# shellcheck disable=SC2154
	check "churn: Percpu not grown in round 2 by more than $slack kB ($pcpu1 -> $pcpu2 kB)" \
		test "$pcpu2" -le $((pcpu1 + slack))
	seq1=$(vm_seq_now)
	check "churn: every VM got a record ($seq0 -> $seq1)" eq seq "$((seq1 - seq0 - 1))" $((2 * half))
	check "churn: no event unattributed" eq unattr "$(unattr irqfd_wakeups)" "$unattr0"
	check "churn: no record allocation failed" eq failed "$(unattr vm_alloc_failed)" 0
	wait_for 100 vms_empty
	check "churn: memory still the same" wait_for 100 mem_is "$mem0"
}
