# SPDX-License-Identifier: GPL-2.0
# The irqfd paths: MSI fast path, IOAPIC deferred path, KVM_SIGNAL_MSI.

# Every hook this kernel has is attached; the other vendor's are absent.
t_probes_attached() {
	sed 's/^/#   probes: /' "$D/probes"
	if [ "$KVM_VENDOR" = kvm_intel ]; then
		probes_attached_intel
		return
	fi
	for p in vm_init vm_destroy irqfd_wakeup irqfd_defer irqfd_inject \
		 kvm_set_msi svm_deliver vfio_msi producer_reg producer_unreg \
		 bypass_add bypass_del irte_update_svm ga_log pi_vcpu_wake; do
		check "probe $p attached" eq "$p" "$(probe_state $p)" attached
	done
	# its two forms are told apart by BTF only
	check "probe irte_changed $(btf_or attached unchecked)" eq irte_changed \
		"$(probe_state irte_changed)" "$(btf_or attached unchecked)"
	# kvm_entry is found but hooked only while hop timing is on
	check "probe vcpu_entry $(btf_or standby unchecked)" eq vcpu_entry \
		"$(probe_state vcpu_entry)" "$(btf_or standby unchecked)"
	for p in vmx_deliver irte_update_vmx pi_wakeup tdx_deliver; do
		check "probe $p missing on AMD" eq "$p" "$(probe_state $p)" missing
	done
	# by default no direct call is taken (direct=1: t_direct_fallback)
	check "probes: how each is hooked" eq via \
		"$(probe_column 5)" \
		"vm_init=kretprobe vm_destroy=ftrace irqfd_wakeup=ftrace irqfd_defer=ftrace \
irqfd_inject=ftrace kvm_set_msi=ftrace vmx_deliver=- svm_deliver=ftrace vfio_msi=kretprobe \
producer_reg=ftrace producer_unreg=ftrace bypass_add=ftrace bypass_del=ftrace \
irte_update_vmx=- irte_update_svm=ftrace irte_changed=$(btf_or tracepoint -) pi_wakeup=- \
tdx_deliver=- ga_log=ftrace pi_vcpu_wake=ftrace vcpu_entry=- "
	# every attached hook's prototype was checked: by BTF, or at build time;
	# without BTF those BTF would check are attached unchecked
	check "probes: how each prototype is checked" eq proto \
		"$(probe_column 6)" \
		"$(echo "vm_init=header vm_destroy=header irqfd_wakeup=btf irqfd_defer=header \
irqfd_inject=btf kvm_set_msi=header vmx_deliver=- svm_deliver=btf vfio_msi=btf \
producer_reg=header producer_unreg=header bypass_add=header bypass_del=header \
irte_update_vmx=- irte_update_svm=btf irte_changed=btf pi_wakeup=- \
tdx_deliver=- ga_log=btf pi_vcpu_wake=header vcpu_entry=btf " | sed "s/=btf /=$(btf_or btf no-btf) /g")"
	# the struct kvm_lapic field the delivery hook reads was found by BTF
	check "probes: private fields $(btf_or found 'unknown, no BTF')" eq layout \
		"$(probe_column 7 | tr ' ' '\n' | grep -v '=-$' | tr '\n' ' ')" "svm_deliver=$(btf_or btf missing) "
}

# The same on Intel (the Bochs lane): the vmx hooks and pi_wakeup attached.
probes_attached_intel() {
	for p in vm_init vm_destroy irqfd_wakeup irqfd_defer irqfd_inject \
		 kvm_set_msi vmx_deliver vfio_msi producer_reg producer_unreg \
		 bypass_add bypass_del irte_update_vmx irte_changed pi_wakeup pi_vcpu_wake; do
		check "probe $p attached" eq "$p" "$(probe_state $p)" attached
	done
	check "probe vcpu_entry standby" eq vcpu_entry "$(probe_state vcpu_entry)" standby
	for p in svm_deliver irte_update_svm ga_log tdx_deliver; do
		check "probe $p missing on Intel" eq "$p" "$(probe_state $p)" missing
	done
	check "probes: how each is hooked" eq via \
		"$(probe_column 5)" \
		"vm_init=kretprobe vm_destroy=ftrace irqfd_wakeup=ftrace irqfd_defer=ftrace \
irqfd_inject=ftrace kvm_set_msi=ftrace vmx_deliver=ftrace svm_deliver=- vfio_msi=kretprobe \
producer_reg=ftrace producer_unreg=ftrace bypass_add=ftrace bypass_del=ftrace \
irte_update_vmx=ftrace irte_update_svm=- irte_changed=tracepoint pi_wakeup=ftrace \
tdx_deliver=- ga_log=- pi_vcpu_wake=ftrace vcpu_entry=- "
	check "probes: how each prototype is checked" eq proto \
		"$(probe_column 6)" \
		"vm_init=header vm_destroy=header irqfd_wakeup=btf irqfd_defer=header \
irqfd_inject=btf kvm_set_msi=header vmx_deliver=btf svm_deliver=- vfio_msi=btf \
producer_reg=header producer_unreg=header bypass_add=header bypass_del=header \
irte_update_vmx=btf irte_update_svm=- irte_changed=btf pi_wakeup=btf \
tdx_deliver=- ga_log=- pi_vcpu_wake=header vcpu_entry=btf "
	# struct kvm_lapic's vcpu and apicv_active, found by BTF
	check "probes: private fields found" eq layout \
		"$(probe_column 7 | tr ' ' '\n' | grep -v '=-$' | tr '\n' ' ')" "vmx_deliver=btf "
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
	if ! has_btf; then
		skip "wrong proto: all" "no kernel BTF: prototypes are not checked at all"
		return
	fi
	tracer_unload
	check "wrong proto: tracer loads" \
		eval 'insmod $TRACER test_wrong_proto=irqfd_wakeup && wait_for 100 test -e $D/probes'
	check "wrong proto: irqfd_wakeup is mismatch, not attached" eq state \
		"$(awk '$1 == "irqfd_wakeup" { print $3, $5, $6 }' "$D/probes")" "mismatch - mismatch"
	check "wrong proto: the rest attached" eq rest \
		"$(probe_state irqfd_inject) $(probe_state $DELIVER_PROBE) $(probe_state irte_changed)" \
		"attached attached attached"
	check "wrong proto: 200 writes, no wakeup read, 200 deliveries" \
		eq counts "$(fire_counts 200)" "0 0 200"
	tracer_unload
	check "tracer loads again" tracer_load
	check "irqfd_wakeup attached again, checked by BTF" eq state \
		"$(awk '$1 == "irqfd_wakeup" { print $3, $6 }' "$D/probes")" "attached btf"
}

# The fields of struct kvm_lapic a delivery hook reads are found by BTF or
# not read: test_wrong_field makes the lookup fail for one probe. Intel
# then can't name the vCPU (unattributed, as before), AMD can; neither
# says posted or kicked.
t_wrong_field() {
	tracer_unload
	check "wrong field: tracer loads" \
		eval 'insmod $TRACER test_wrong_field=$DELIVER_PROBE && wait_for 100 test -e $D/probes'
	check "wrong field: $DELIVER_PROBE attached, layout missing" eq layout \
		"$(awk -v p=$DELIVER_PROBE '$1 == p { print $3, $7 }' "$D/probes")" "attached missing"
	u0="$(unattr vcpu_deliveries) $(unattr deliveries_posted) $(unattr deliveries_kicked)"
	if [ "$KVM_VENDOR" = kvm_intel ]; then
		check "wrong field: 200 writes, no delivery of the VM's" eq vm \
			"$(fire_split 200)" "200 0 0 0"
		check "wrong field: 200 deliveries unattributed, no path" eq unattr \
			"$(unattr vcpu_deliveries) $(unattr deliveries_posted) $(unattr deliveries_kicked)" \
			"$((${u0%% *} + 200)) ${u0#* }"
	else
		check "wrong field: 200 writes, 200 deliveries of the VM, no path" eq vm \
			"$(fire_split 200)" "200 200 0 0"
		check "wrong field: nothing unattributed" eq unattr \
			"$(unattr vcpu_deliveries) $(unattr deliveries_posted) $(unattr deliveries_kicked)" "$u0"
	fi
	tracer_unload
	check "tracer loads again" tracer_load
	check "$DELIVER_PROBE's fields $(btf_or 'found again' 'still unknown, no BTF')" eq layout \
		"$(awk -v p=$DELIVER_PROBE '$1 == p { print $3, $7 }' "$D/probes")" "attached $(btf_or btf missing)"
}

# fire_split <n>: wakeups, deliveries, posted, kicked of a fresh MSI VM.
fire_split() {
	vm_start 3 -r msi -g 24 || { echo "vmfire did not start"; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire $1"
	echo "$(stat "$A" irqfd_wakeups) $(stat "$A" vcpu_deliveries)" \
		"$(stat "$A" deliveries_posted) $(stat "$A" deliveries_kicked)"
	vm_stop 3
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

# direct=1: the four hottest hooks are direct calls. A function has one
# direct call at most: while another holds irqfd_wakeup's (a BPF fentry
# program would; irqpath_hold_direct here), that hook is an ftrace callback
# and counts the same. By default no hook is a direct call.
t_direct_fallback() {
	tracer_unload
	check "direct=1: tracer loads" tracer_load_direct
	check "direct=1: the hottest hooks are direct calls" eq via \
		"$(awk '$5 == "direct" { printf "%s ", $1 }' "$D/probes")" \
		"irqfd_wakeup irqfd_inject kvm_set_msi $DELIVER_PROBE "
	check "direct=1: 200 writes counted exactly" eq counts "$(fire_counts 200)" "200 200 200"
	# the other way round: ours held, another direct caller (BPF) is refused
	check "held: another direct caller refused" eval '! insmod /testmod/irqpath_hold_direct.ko 2>/dev/null'
	tracer_unload
	check "hold: holder of irqfd_wakeup loads" insmod /testmod/irqpath_hold_direct.ko
	check "hold: tracer loads, direct=1" tracer_load_direct
	check "hold: irqfd_wakeup via ftrace" eq via "$(probe_via irqfd_wakeup)" ftrace
	check "hold: $DELIVER_PROBE still direct" eq via "$(probe_via $DELIVER_PROBE)" direct
	check "hold: 500 writes counted exactly" eq counts "$(fire_counts 500)" "500 500 500"
	tracer_unload
	check "hold: holder unloads" rmmod irqpath_hold_direct
	check "default: tracer loads" tracer_load
	check "default: no direct hook" eq via "$(awk '$5 == "direct" { print $1 }' "$D/probes")" ""
	check "default: irqfd_wakeup via ftrace" eq via "$(probe_via irqfd_wakeup)" ftrace
	# another direct caller (what a BPF trampoline is) takes irqfd_wakeup's
	check "default: a direct caller of irqfd_wakeup loads beside the tracer" \
		insmod /testmod/irqpath_hold_direct.ko
	check "default: 300 writes counted exactly" eq counts "$(fire_counts 300)" "300 300 300"
	check "default: the direct caller unloads" rmmod irqpath_hold_direct
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
	mem0=$(mem bytes)
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
	# vmfire's route: vector 0x30 to APIC 0, fixed, edge
	check "msi: gsi 24 route decoded" eq route "$(gsi_route "$A" 24)" \
		"msi:vec=48,dest=0,phys,fixed,edge"
	# neither TCG nor Bochs posts: every delivery sets the IRR and kicks
	# (without BTF the APIC's apicv_active is unknown: neither is counted)
	check "msi: deliveries posted, kicked" eq split \
		"$(stat "$A" deliveries_posted) $(stat "$A" deliveries_kicked)" "0 $(btf_or 1000 0)"
	check "msi: vcpu 0 row: deliveries posted kicked pi_wakeups" eq vcpu \
		"$(awk '$1 == 0' "$D/vms/$A/vcpus")" "0 1000 0 $(btf_or 1000 0) 0"
	check "msi: VM B stays at 0" eq B "$(nonzero "$B")" ""
	check "msi: nothing unattributed" eq unattr "$(unattr irqfd_wakeups) $(unattr vcpu_deliveries)" "0 0"
	# the hot path allocates nothing: the module's own memory is unchanged
	check "msi: 1000 interrupts allocate nothing" eq bytes \
		"$(mem bytes)" "$mem0"
	vm_stop 3
	vm_stop 4
}

# The vCPU of each delivery is the one the MSI names: 300 writes to vCPU 1
# of a 2-vCPU VM are 300 deliveries on vCPU 1's row and none on vCPU 0's.
# (On Intel the vCPU is read from struct kvm_lapic: this is what proves it.)
t_msi_vcpu() {
	vm_start 3 -c 2 -d 1 -r msi -g 24 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	u0=$(unattr vcpu_deliveries)
	vm_cmd 3 "fire 300"
	check "vcpu 1: VM wakeups fast deliveries" eq counts \
		"$(stat "$A" irqfd_wakeups) $(stat "$A" irqfd_fast) $(stat "$A" vcpu_deliveries)" "300 300 300"
	check "vcpu 1: rows: deliveries posted kicked pi_wakeups" eq vcpus \
		"$(tail -n +2 "$D/vms/$A/vcpus" | tr '\n' ' ')" "1 300 0 $(btf_or 300 0) 0 "
	check "vcpu 1: nothing unattributed" eq unattr "$(unattr vcpu_deliveries)" "$u0"
	check "vcpu 1: the route names APIC 1" eq route "$(gsi_route "$A" 24)" \
		"msi:vec=48,dest=1,phys,fixed,edge"
	vm_stop 3
}

# The rows per GSI and vCPU live in a table each CPU has, shared by all VMs
# (rows_per_cpu of them). 40 VMs of one GSI and one vCPU need 80 rows, more
# than 16 rows on each of the guest's CPUs hold: what finds no room is
# counted in the VM's "other" row, so every VM's rows still add up to its
# totals. A bad size is refused at load with a message.
t_rows_full() {
	# sum of column $3 over the data rows of a VM's file $2
	col_sum() { awk -v c="$3" 'NR > 1 { s += $c } END { print s + 0 }' "$D/vms/$1/$2"; }
	check "rows: tracer unloads" tracer_unload
	for bad in 100 8 8192 x; do
		check "rows: rows_per_cpu=$bad refused" eval "! insmod $TRACER rows_per_cpu=$bad 2>/dev/null"
	done
	check "rows: the refusal says why" eval "dmesg | grep -q 'rows_per_cpu=100: must be a power of two from 16 to 4096'"
	check "rows: rows_per_cpu=16 loads" eval "insmod $TRACER rows_per_cpu=16 && wait_for 100 test -e $D/probes"
	check "rows: memory says 16 per CPU" eq rows_per_cpu "$(mem rows_per_cpu)" 16
	vm_start 3 -v 40 -r msi -g 24 || { check "vmfire starts" false; return; }
	check "rows: 40 VMs" wait_for 200 test "$(vm_dir_of "$(vm_pid 3)" | wc -l)" = 40
	vm_cmd 3 "fire 50"
	bad=""
	for X in $(vm_dir_of "$(vm_pid 3)"); do
		got="$(stat "$X" irqfd_wakeups) $(col_sum "$X" gsi 2) $(col_sum "$X" gsi 3)"
		got="$got $(stat "$X" vcpu_deliveries) $(col_sum "$X" vcpus 2)"
		[ "$got" = "50 50 50 50 50" ] || bad="$bad $X:$got"
	done
	check "rows: every VM's rows add up to its 50 wakeups, fast, deliveries" eq bad "$bad" ""
	used=$(mem rows_used)
	check "rows: rows used ($used) within 16 per CPU" test "$used" -le $((16 * $(mem cpus)))
	check "rows: events found a full table ($(mem rows_full))" test "$(mem rows_full)" -gt 0
	check "rows: nothing unattributed" eq unattr "$(unattr irqfd_wakeups)" 0
	vm_stop 3
	check "rows: the VMs' rows are given back" wait_for 200 test "$(mem rows_used)" = 0
	check "rows: tracer unloads again" tracer_unload
	check "rows: tracer loads with the default size" tracer_load
	check "rows: default is 512" eq rows_per_cpu "$(mem rows_per_cpu)" 512
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
	# KVM's default routing of a legacy GSI: both PICs' and the IOAPIC's pin
	check "ioapic: gsi 5 route" eq route "$(gsi_route "$A" 5)" "pic:5+ioapic:5"
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
