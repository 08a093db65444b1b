# SPDX-License-Identifier: GPL-2.0
# VM and module lifetimes: VMs older than the tracer, destroyed VMs, reused
# struct kvm addresses, KVM modules coming and going, unload under load.

# A VM created before insmod is found on its first event, named by its pid.
t_vm_before_insmod() {
	tracer_unload
	vm_start 3 || { check "vmfire starts" false; tracer_load; return; }
	a=$(vm_pid 3)
	check "lazy: tracer reloads" tracer_load
	check "lazy: unknown before its first event" no_vm "$a"
	vm_cmd 3 "fire 50"
	check "lazy: found and named by pid" wait_vm "$a"
	A=$(vm_dir_of "$a")
	check "lazy: info says found on an event" eq found "$(info "$A" found)" event
	check "lazy: comm is the VMM's" eq comm "$(info "$A" comm)" vmfire
	check "lazy: first event counted too" eq A \
		"$(stat "$A" irqfd_wakeups) $(stat "$A" irqfd_fast) $(stat "$A" vcpu_deliveries)" "50 50 50"
	vm_stop 3
}

# A VM created by a second thread of its VMM (KVM records that thread's id
# as the VM's userspace_pid): found lazily, it is still named by the process.
t_vm_before_insmod_thread() {
	tracer_unload
	vm_start 3 -T || { check "vmfire -T starts" false; tracer_load; return; }
	a=$(vm_pid 3)
	check "lazy thread: tracer reloads" tracer_load
	vm_cmd 3 "fire 20"
	check "lazy thread: found and named by the process id" wait_vm "$a"
	check "lazy thread: 20 counted" eq A "$(stat "$(vm_dir_of "$a")" irqfd_wakeups)" 20
	vm_stop 3
}

# vfree()d VM memory is reused only after a lazy vmap purge, which loading a
# module forces (set_memory_ro flushes lazy aliases).
purge_vmap() { modprobe 9pnet 2>/dev/null && rmmod 9pnet 2>/dev/null; true; }

# Destroyed VM: its directory goes. A new VM at the same struct kvm address
# starts from zero, not from the old VM's counts.
t_destroy_and_reuse() {
	vm_start 3 || { check "vmfire starts" false; return; }
	a=$(vm_pid 3)
	wait_vm "$a"
	A=$(vm_dir_of "$a")
	vm_cmd 3 "fire 10"
	seen=" $(info "$A" kvm) "
	vm_cmd 3 "close"
	check "destroy: directory removed" wait_for 100 no_vm "$a"
	vm_stop 3

	reused=
	i=0
	while [ $i -lt 40 ] && [ -z "$reused" ]; do
		purge_vmap
		vm_start 3 || break
		b=$(vm_pid 3)
		wait_vm "$b"
		X=$(vm_dir_of "$b")
		id=$(info "$X" kvm)
		case "$seen" in
		*" $id "*) reused=$X ;;
		*) seen="$seen$id "; vm_stop 3 ;;
		esac
		i=$((i + 1))
	done
	log "reuse: $i VMs created, reused=${reused:-none}"
	check "reuse: a new VM reused an old struct kvm address" test -n "$reused"
	[ -n "$reused" ] || return
	check "reuse: it starts at zero" eq stats "$(nonzero "$reused")" ""
	check "reuse: found at creation" eq found "$(info "$reused" found)" create
	vm_cmd 3 "fire 5"
	check "reuse: then counts its own" eq wakeups "$(stat "$reused" irqfd_wakeups)" 5
	vm_stop 3
}

all_states() {
	for p in vm_init irqfd_wakeup $DELIVER_PROBE; do
		printf '%s ' "$(probe_state $p)"
	done
}

# kvm_amd (kvm_intel) and kvm unload under the tracer: their probes go, no oops;
# they come back attached and counting when the modules load again.
t_kvm_modules_cycle() {
	check "modules: rmmod $KVM_VENDOR" rmmod $KVM_VENDOR
	check "modules: $DELIVER_PROBE gone, kvm's still attached" \
		eq states "$(all_states)" "attached attached gone "
	check "modules: rmmod kvm" rmmod kvm
	check "modules: all gone" eq states "$(all_states)" "gone gone gone "
	check "modules: modprobe $KVM_VENDOR" modprobe $KVM_VENDOR
	check "modules: attached again" eq states "$(all_states)" "attached attached attached "
	fire_and_count 100 "modules: counting again"
}

# The tracer loaded before kvm attaches when kvm comes.
t_tracer_before_kvm() {
	tracer_unload
	rmmod $KVM_VENDOR
	rmmod kvm
	check "early: tracer loads without kvm" tracer_load
	check "early: kvm probes missing" eq states "$(all_states)" "missing missing missing "
	check "early: modprobe $KVM_VENDOR" modprobe $KVM_VENDOR
	check "early: attached when kvm comes" eq states "$(all_states)" "attached attached attached "
	fire_and_count 100 "early: counting"
}

# fire_and_count <n> <desc>: a fresh VM gets exactly n of everything.
fire_and_count() {
	vm_start 3 || { check "$2 (vmfire starts)" false; return; }
	wait_vm "$(vm_pid 3)"
	X=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire $1"
	check "$2" eq X \
		"$(stat "$X" irqfd_wakeups) $(stat "$X" irqfd_fast) $(stat "$X" vcpu_deliveries)" "$1 $1 $1"
	vm_stop 3
}

wakeups_above() { [ "$(stat "$1" irqfd_wakeups)" -gt "${2:-0}" ] 2>/dev/null; }

# rmmod while a VM fires irqfds in a loop: no oops, and insmod works again.
t_unload_under_storm() {
	vm_start 3 || { check "vmfire starts" false; return; }
	a=$(vm_pid 3)
	wait_vm "$a"
	vm_send 3 "loop"
	check "storm: firing" wait_for 100 wakeups_above "$(vm_dir_of "$a")"
	check "storm: rmmod under load" tracer_unload
	check "storm: insmod under load" tracer_load
	check "storm: the VM is found again and counts" wait_for 100 has_one_vm "$a"
	check "storm: still counting" wait_for 100 wakeups_above "$(vm_dir_of "$a")"
	# A new line ends the loop ("DONE loop <n>"), then runs as a command.
	vm_send 3 "fire 1"
	check "storm: the VMM stops firing" vm_wait 3
	vm_stop 3
}
