# SPDX-License-Identifier: GPL-2.0
# The irqfd paths: MSI fast path, IOAPIC deferred path, KVM_SIGNAL_MSI.

# Every hook this kernel has is attached; the Intel one is absent on AMD.
t_probes_attached() {
	sed 's/^/#   probes: /' "$D/probes"
	for p in vm_init vm_destroy irqfd_wakeup irqfd_defer irqfd_inject \
		 kvm_set_msi svm_deliver vfio_msi producer_reg producer_unreg \
		 bypass_add bypass_del irte_update_svm irte_changed; do
		check "probe $p attached" eq "$p" "$(probe_state $p)" attached
	done
	for p in vmx_deliver irte_update_vmx pi_wakeup; do
		check "probe $p missing on AMD" eq "$p" "$(probe_state $p)" missing
	done
	# the hooks on every interrupt are direct calls; the rest as designed
	check "probes: how each is hooked" eq via \
		"$(probe_column 5)" \
		"vm_init=kretprobe vm_destroy=ftrace irqfd_wakeup=direct irqfd_defer=ftrace \
irqfd_inject=direct kvm_set_msi=direct vmx_deliver=- svm_deliver=direct vfio_msi=kretprobe \
producer_reg=ftrace producer_unreg=ftrace bypass_add=ftrace bypass_del=ftrace \
irte_update_vmx=- irte_update_svm=ftrace irte_changed=tracepoint pi_wakeup=- "
	# every attached hook's prototype was checked: by BTF, or at build time
	check "probes: how each prototype is checked" eq proto \
		"$(probe_column 6)" \
		"vm_init=header vm_destroy=header irqfd_wakeup=btf irqfd_defer=header \
irqfd_inject=btf kvm_set_msi=header vmx_deliver=- svm_deliver=btf vfio_msi=btf \
producer_reg=header producer_unreg=header bypass_add=header bypass_del=header \
irte_update_vmx=- irte_update_svm=btf irte_changed=btf pi_wakeup=- "
}

# Functions of the same name in another module (xen-privcmd has
# irqfd_wakeup and irqfd_inject since 6.7) are no hits and no events.
t_namesake() {
	tracer_unload
	check "namesake: module with irqfd_wakeup, irqfd_inject loads" \
		insmod /testmod/irqpath_namesake.ko
	check "namesake: tracer loads after it" tracer_load
	h0="$(probe_hits irqfd_wakeup) $(probe_hits irqfd_inject)"
	u0="$(unattr irqfd_wakeups) $(unattr irqfd_injects)"
	echo 1000 >/sys/module/irqpath_namesake/parameters/calls
	check "namesake: 1000 calls of each are no hits" eq hits \
		"$(probe_hits irqfd_wakeup) $(probe_hits irqfd_inject)" "$h0"
	check "namesake: and nothing unattributed" eq unattr \
		"$(unattr irqfd_wakeups) $(unattr irqfd_injects)" "$u0"
	check "namesake: 100 writes of a VM counted exactly" eq counts \
		"$(fire_counts 100)" "100 100 100"
	tracer_unload
	check "namesake: module unloads" rmmod irqpath_namesake
	check "tracer loads again" tracer_load
}

# A prototype the hook was not written for is never read: test_wrong_proto
# makes the table's entry for one probe wrong, and BTF must catch it.
t_wrong_proto() {
	tracer_unload
	check "wrong proto: tracer loads" \
		eval 'insmod $TRACER test_wrong_proto=irqfd_wakeup && wait_for 100 test -e $D/probes'
	check "wrong proto: irqfd_wakeup is mismatch, not attached" eq state \
		"$(awk '$1 == "irqfd_wakeup" { print $3, $5, $6 }' "$D/probes")" "mismatch - mismatch"
	check "wrong proto: the rest attached" eq rest \
		"$(probe_state irqfd_inject) $(probe_state svm_deliver) $(probe_state irte_changed)" \
		"attached attached attached"
	check "wrong proto: 200 writes, no wakeup read, 200 deliveries" \
		eq counts "$(fire_counts 200)" "0 0 200"
	tracer_unload
	check "tracer loads again" tracer_load
	check "irqfd_wakeup attached again, checked by BTF" eq state \
		"$(awk '$1 == "irqfd_wakeup" { print $3, $6 }' "$D/probes")" "attached btf"
}

# fire <n> on a fresh MSI-routed irqfd VM: its wakeups, fast, deliveries.
fire_counts() {
	vm_start 3 -r msi -g 24 || { echo "vmfire did not start"; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire $1"
	echo "$(stat "$A" irqfd_wakeups) $(stat "$A" irqfd_fast) $(stat "$A" vcpu_deliveries)"
	vm_stop 3
}

# A function has one direct call at most. While another holds irqfd_wakeup's
# (a BPF fentry program would; irqpath_hold_direct here), that hook is an
# ftrace callback and counts the same; direct=0 makes every hook one.
t_direct_fallback() {
	# the other way round: ours held, another direct caller (BPF) is refused
	check "held: another direct caller refused" eval '! insmod /testmod/irqpath_hold_direct.ko 2>/dev/null'
	tracer_unload
	check "hold: holder of irqfd_wakeup loads" insmod /testmod/irqpath_hold_direct.ko
	check "hold: tracer loads" tracer_load
	check "hold: irqfd_wakeup via ftrace" eq via "$(probe_via irqfd_wakeup)" ftrace
	check "hold: svm_deliver still direct" eq via "$(probe_via svm_deliver)" direct
	check "hold: 500 writes counted exactly" eq counts "$(fire_counts 500)" "500 500 500"
	tracer_unload
	check "hold: holder unloads" rmmod irqpath_hold_direct
	check "direct=0: tracer loads" tracer_load_ftrace
	check "direct=0: no direct hook" eq via "$(awk '$5 == "direct" { print $1 }' "$D/probes")" ""
	check "direct=0: irqfd_wakeup via ftrace" eq via "$(probe_via irqfd_wakeup)" ftrace
	check "direct=0: 300 writes counted exactly" eq counts "$(fire_counts 300)" "300 300 300"
	tracer_unload
	check "tracer loads again (direct)" tracer_load
	check "direct: irqfd_wakeup direct again" eq via "$(probe_via irqfd_wakeup)" direct
}

# N writes on an MSI-routed irqfd of VM A: N wakeups, N fast, N deliveries
# on vCPU 0 and on GSI 24; VM B, alive beside it, sees nothing.
t_msi_irqfd() {
	check "msi: allocation tracing on" alloc_trace_on
	vm_start 3 -r msi -g 24 && vm_start 4 -r msi -g 24 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
	# the control: a new VM's record and counters are allocated by us
	set -- $(alloc_trace_off)
	check "msi: new VMs allocate from kvm_irqpath ($1 seen)" test "$1" -gt 0 -a "$2" = 0
	A=$(vm_dir_of "$(vm_pid 3)")
	B=$(vm_dir_of "$(vm_pid 4)")
	check "msi: VM A named <pid>-<n>" eq name "$A" "$(vm_pid 3)-${A#*-}"
	mem0=$(awk '$1 == "bytes" { print $2 }' "$D/memory")
	alloc_trace_on
	vm_cmd 3 "fire 1000"
	set -- $(alloc_trace_off)
	check "msi: 1000 interrupts, no kmalloc/slab/percpu allocation by kvm_irqpath" \
		eq "allocations, overwritten events" "$1 $2" "0 0"
	check "msi: irqfd_wakeups = 1000" eq wakeups "$(stat "$A" irqfd_wakeups)" 1000
	check "msi: irqfd_fast = 1000" eq fast "$(stat "$A" irqfd_fast)" 1000
	check "msi: irqfd_deferred = 0" eq deferred "$(stat "$A" irqfd_deferred)" 0
	check "msi: vcpu_deliveries = 1000" eq deliveries "$(stat "$A" vcpu_deliveries)" 1000
	check "msi: gsi 24 row" eq gsi "$(gsi_row "$A" 24)" "24 1000 1000 0 0"
	check "msi: vcpu 0 row" eq vcpu "$(awk '$1 == 0' "$D/vms/$A/vcpus")" "0 1000"
	check "msi: VM B stays at 0" eq B "$(nonzero "$B")" ""
	check "msi: nothing unattributed" eq unattr "$(unattr irqfd_wakeups) $(unattr vcpu_deliveries)" "0 0"
	# the hot path allocates nothing: the module's own memory is unchanged
	check "msi: 1000 interrupts allocate nothing" eq bytes \
		"$(awk '$1 == "bytes" { print $2 }' "$D/memory")" "$mem0"
	vm_stop 3
	vm_stop 4
}

# GSI 5 keeps its PIC+IOAPIC routes: every wakeup defers to irqfd_inject,
# which may merge wakeups that arrive while it is pending.
t_ioapic_deferred() {
	vm_start 3 -r ioapic -g 5 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 200"
	check "ioapic: irqfd_wakeups = 200" eq wakeups "$(stat "$A" irqfd_wakeups)" 200
	check "ioapic: irqfd_deferred = 200" eq deferred "$(stat "$A" irqfd_deferred)" 200
	check "ioapic: irqfd_fast = 0" eq fast "$(stat "$A" irqfd_fast)" 0
	check "ioapic: irqfd_inject ran" wait_for 100 test "$(stat "$A" irqfd_injects)" -ge 1
	inj=$(stat "$A" irqfd_injects)
	check "ioapic: injects <= wakeups ($inj)" test "$inj" -le 200
	check "ioapic: gsi 5 row" eq gsi "$(gsi_row "$A" 5)" "5 200 0 200 $inj"
	check "ioapic: msi_injects = 0" eq msi "$(stat "$A" msi_injects)" 0
	vm_stop 3
}

# KVM_SIGNAL_MSI goes through kvm_set_msi, never through an irqfd.
t_signal_msi() {
	vm_start 3 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "msi 300"
	check "signal_msi: msi_injects = 300" eq msi "$(stat "$A" msi_injects)" 300
	check "signal_msi: vcpu_deliveries = 300" eq del "$(stat "$A" vcpu_deliveries)" 300
	check "signal_msi: irqfd counters 0" eq irqfd \
		"$(stat "$A" irqfd_wakeups) $(stat "$A" irqfd_fast) $(stat "$A" irqfd_deferred)" "0 0 0"
	vm_stop 3
}

# Two VMMs firing at the same time with different N: no cross-talk.
t_two_vms_at_once() {
	vm_start 3 && vm_start 4 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
	A=$(vm_dir_of "$(vm_pid 3)")
	B=$(vm_dir_of "$(vm_pid 4)")
	vm_send 3 "fire 3000"
	vm_send 4 "fire 1700"
	vm_wait 3
	vm_wait 4
	check "parallel: A wakeups/fast/deliveries = 3000" eq A \
		"$(stat "$A" irqfd_wakeups) $(stat "$A" irqfd_fast) $(stat "$A" vcpu_deliveries)" "3000 3000 3000"
	check "parallel: B wakeups/fast/deliveries = 1700" eq B \
		"$(stat "$B" irqfd_wakeups) $(stat "$B" irqfd_fast) $(stat "$B" vcpu_deliveries)" "1700 1700 1700"
	vm_stop 3
	vm_stop 4
}
