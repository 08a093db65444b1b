# SPDX-License-Identifier: GPL-2.0
# Stress: the tracer and the KVM/VFIO modules loading and unloading under load.
# Sourced by stress-run.sh after stress.sh (sizes and shared helpers).

# rmmod/insmod of the tracer while two VMs and edufire fire.

tracer_unload_quiet() { rmmod kvm_irqpath 2>/dev/null; }

# st_cycle_hammer <id>: reset and read every top-level file until stopped;
# $ST/hammer.<id> = rounds that read them all (the module was loaded).
st_cycle_hammer() {
	_n=0
	while [ ! -e $ST_STOP ]; do
		echo 1 2>/dev/null >$D/reset
		cat $D/summary $D/probes $D/memory $D/pi_ipis $D/unattributed \
			>/dev/null 2>&1 && _n=$((_n + 1))
	done
	echo $_n >$ST/hammer.$1
}

t_stress_insmod_cycles() {
	rm -f $ST_STOP
	vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 ||
		{ check "cycles: vmfire starts" false; return; }
	a=$(vm_pid 3)
	b=$(vm_pid 4)
	wait_vm "$a" && wait_vm "$b"
	edu=
	edu_start && edu=1
	e=$(vm_pid 5)
	vm_send 3 "loop"
	vm_send 4 "loop"
	[ -n "$edu" ] && edu_loop_start
	check "cycles: A firing" wait_for 100 wakeups_above "$(vm_dir_of "$a")"
	# Readers and reset writers throughout: the files must be safe against
	# a module half set up or half torn down (an oops panics the guest).
	st_bg st_cycle_hammer 1
	h1=$BGPID
	st_bg st_cycle_hammer 2
	h2=$BGPID
	bad=0
	i=0
	while [ $i -lt "$STRESS_INSMOD_CYCLES" ]; do
		i=$((i + 1))
		# a reader holding a file open holds the module: rmmod says EAGAIN
		if ! wait_for 100 tracer_unload_quiet; then
			bad=$((bad + 1)); log "cycle $i: rmmod failed"
		fi
		sleep 0.$((RANDOM % 3))
		if ! tracer_load; then
			bad=$((bad + 1)); log "cycle $i: insmod failed"
		fi
		sleep 0.$((RANDOM % 3 + 1))
	done
	st_stop_bg $h1 $h2
	check "cycles: $STRESS_INSMOD_CYCLES rmmod/insmod under load, all succeeded" eq bad "$bad" 0
	check "cycles: readers and reset writers ran throughout" \
		test "$(cat $ST/hammer.1)" -gt 0 -a "$(cat $ST/hammer.2)" -gt 0
	check "cycles: A found again and counting" wait_for 100 has_one_vm "$a"
	check "cycles: B found again" wait_for 100 has_one_vm "$b"
	check "cycles: A counts" wait_for 100 wakeups_above "$(vm_dir_of "$a")"
	check "cycles: B counts" wait_for 100 wakeups_above "$(vm_dir_of "$b")"
	[ -n "$edu" ] && edu_loop_stop cycles
	check "cycles: loop A ends" loop_stop 3
	check "cycles: loop B ends" loop_stop 4
	A=$(vm_dir_of "$a")
	B=$(vm_dir_of "$b")
	check "cycles: A found on an event" eq found "$(info "$A" found)" event
	# Exact again once the storm is over.
	echo 1 >$D/reset
	vm_cmd 3 "fire 300"
	vm_cmd 4 "fire 40"
	check "cycles: then A exact" eq A "$(vals "$A" irqfd_wakeups irqfd_fast vcpu_deliveries)" "300 300 300"
	check "cycles: then B exact" eq B "$(vals "$B" irqfd_wakeups irqfd_deferred irqfd_fast)" "40 40 0"
	if [ -n "$edu" ]; then
		check "cycles: edu VM found again" wait_for 100 has_one_vm "$e"
		vm_cmd 5 "raise 10"
		EDU=$(vm_dir_of "$e")
		check "cycles: then edu exact" eq E "$(vals "$EDU" vfio_msi vfio_msi_irqfd irqfd_fast)" "10 10 10"
		vm_stop 5
	fi
	vm_stop 3
	vm_stop 4
}

# ---------------------------------------------------------------------------
# More VMs older than the tracer than it has spare records: events of a
# VM that found no record are unattributed, none is lost.

sum_key() { for _x in $(vm_dir_of "$1"); do stat "$_x" "$2"; done | awk '{ n += $1 } END { print n + 0 }'; }

t_stress_lazy_many() {
	tracer_unload
	vm_start 3 -v 40 || { check "lazy: vmfire -v 40 starts" false; tracer_load; return; }
	p=$(vm_pid 3)
	check "lazy: tracer loads" tracer_load
	vm_cmd 3 "fire 10"
	check "lazy: 400 wakeups, on the VMs or unattributed" eq wakeups \
		"$(($(sum_key "$p" irqfd_wakeups) + $(unattr irqfd_wakeups)))" 400
	check "lazy: 400 fast, on the VMs or unattributed" eq fast \
		"$(($(sum_key "$p" irqfd_fast) + $(unattr irqfd_fast)))" 400
	log "lazy: $(vm_dir_of "$p" | wc -l) VMs found, unattributed $(unattr irqfd_wakeups), alloc failures $(unattr vm_alloc_failed)"
	# Each burst finds at most the spares the work refilled since the last.
	k=0
	while [ $k -lt 10 ] && ! has_n_vms "$p" 40; do
		vm_cmd 3 "fire 1"
		sleep 0.5
		k=$((k + 1))
	done
	check "lazy: every VM found by its later events ($k more bursts)" wait_for 50 has_n_vms "$p" 40
	echo 1 >$D/reset
	vm_cmd 3 "fire 5"
	check "lazy: then exact on every VM" eq wakeups "$(sum_key "$p" irqfd_wakeups) $(unattr irqfd_wakeups)" "200 0"
	vm_stop 3
}

# ---------------------------------------------------------------------------
# kvm_amd, kvm and vfio_pci unload and reload under the tracer.

# One exact round: an MSI VM, an IOAPIC VM and edu MSIs on an irqfd.
traffic_round() {
	vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 ||
		{ check "$1: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
	A=$(vm_dir_of "$(vm_pid 3)")
	B=$(vm_dir_of "$(vm_pid 4)")
	edu=
	if has_vfio; then
		if edu_start; then edu=1; else check "$1: edufire starts" false; fi
	fi
	vm_send 3 "fire 500"
	vm_send 4 "fire 60"
	[ -n "$edu" ] && vm_send 5 "raise 10"
	vm_wait 3
	vm_wait 4
	[ -n "$edu" ] && vm_wait 5
	vm_cmd 3 "msi 50"
	check "$1: MSI VM exact" eq A \
		"$(vals "$A" irqfd_wakeups irqfd_fast msi_injects vcpu_deliveries)" "500 500 50 550"
	check "$1: IOAPIC VM exact" eq B "$(vals "$B" irqfd_wakeups irqfd_deferred irqfd_fast)" "60 60 0"
	[ -n "$edu" ] && check "$1: edu VM exact" eq E \
		"$(vals "$EDU" vfio_msi vfio_msi_irqfd irqfd_fast)" "10 10 10"
	[ -n "$edu" ] && vm_stop 5
	vm_stop 3
	vm_stop 4
}

mod_loaded() { grep -q "^$1 " /proc/modules; }

# Probe states of a kvm one, kvm_amd's, vfio_pci_core's and irqbypass's.
mod_states() {
	for p in irqfd_wakeup kvm_set_msi irte_changed svm_deliver vfio_msi producer_reg; do
		printf '%s ' "$(probe_state $p)"
	done
}

t_stress_kvm_modules_cycles() {
	i=0
	while [ $i -lt "$STRESS_KVM_CYCLES" ]; do
		i=$((i + 1))
		traffic_round "kvm cycle $i: before"
		check "kvm cycle $i: no VM left" wait_for 100 vms_empty
		ok=1
		for m in kvm_amd kvm vfio_pci vfio_pci_core; do
			rmmod $m || { ok=0; log "rmmod $m failed"; }
		done
		check "kvm cycle $i: rmmod kvm_amd kvm vfio_pci vfio_pci_core" test $ok = 1
		# irqbypass goes too once nothing uses it.
		rmmod vfio_iommu_type1 vfio irqbypass 2>/dev/null
		pr=attached
		mod_loaded irqbypass || pr=gone
		# (without kernel BTF the two-form tracepoint is never attached: unchecked)
		check "kvm cycle $i: probes gone" eq states "$(mod_states)" \
			"gone gone $(btf_or gone unchecked) gone gone $pr "
		check "kvm cycle $i: modprobe kvm_amd vfio_pci vfio_iommu_type1" \
			sh -c "modprobe kvm_amd && modprobe vfio_pci && modprobe vfio_iommu_type1"
		check "kvm cycle $i: probes attached again" eq states "$(mod_states)" \
			"attached attached $(btf_or attached unchecked) attached attached attached "
		echo 1 >$D/reset
		traffic_round "kvm cycle $i: after"
	done
	check "kvm cycles: no probe hit dropped" eq missed "$(unattr probe_missed)" 0
}

# ---------------------------------------------------------------------------
# The tracer and KVM unloading at once: the tracer detaches everything
# before its module notifiers go, so KVM going meanwhile can't leave a probe
# on its freed tracepoint (t_stress_dmesg would see the kernel's warning).

t_stress_unload_race() {
	i=0
	bad=0
	while [ $i -lt "$STRESS_RACE_ROUNDS" ]; do
		i=$((i + 1))
		mod_loaded kvm_amd || modprobe kvm_amd || { bad=$((bad + 1)); log "race $i: modprobe"; }
		mod_loaded kvm_irqpath || tracer_load || { bad=$((bad + 1)); log "race $i: insmod"; }
		sleep 0.$((RANDOM % 3))
		rmmod kvm_irqpath &
		_t=$!
		sleep 0.0$((RANDOM % 5))
		rmmod kvm_amd kvm || { bad=$((bad + 1)); log "race $i: rmmod kvm_amd kvm"; }
		wait $_t || { bad=$((bad + 1)); log "race $i: rmmod kvm_irqpath"; }
	done
	check "race: $STRESS_RACE_ROUNDS rounds of rmmod kvm_irqpath against rmmod kvm_amd kvm" \
		eq failures "$bad" 0
	check "race: kvm_amd and the tracer load again" \
		sh -c "modprobe kvm_amd && insmod $TRACER && test -e $D/probes"
	check "race: probes attached again" eq states \
		"$(probe_state irqfd_wakeup) $(probe_state svm_deliver) $(probe_state irte_changed)" \
		"attached attached $(btf_or attached unchecked)"
}
