# SPDX-License-Identifier: GPL-2.0
# Why a VM's interrupts are slow: who signalled each irqfd, and the time of
# each hop an interrupt takes in the host (the `latency` switch and files).

# Who signalled each wakeup: the VMM's main thread and a second thread of
# it count as the VMM, a child process as another process, by its pid.
t_signallers() {
	vm_start 3 -r msi -g 24 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 100"
	check "signallers: 100 writes by the VMM" eq sig "$(gsi_signal "$A" 24)" "0 0 100 0"
	vm_cmd 3 "thread 50"
	check "signallers: 50 more by a second VMM thread" eq sig "$(gsi_signal "$A" 24)" "0 0 150 0"
	vm_cmd 3 "fork 30"
	child=$(sed -n 's/^DONE fork 30 pid=//p' /tmp/vm3.out)
	check "signallers: 30 by a child process" eq sig "$(gsi_signal "$A" 24)" "0 0 150 30"
	check "signallers: the child's pid ($child) counted" eq pid \
		"$(signaller "$A" "other_pid_$child")" 30
	check "signallers: file totals irq vhost vmm other" eq totals \
		"$(awk '{ printf "%s ", $2 } NR == 4 { exit }' "$D/vms/$A/signallers")" "0 0 150 30 "
	check "signallers: the 180 wakeups all fast" eq gsi "$(gsi_row "$A" 24)" "24 180 180 0 0"
	sed 's/^/# gsi: /' "$D/vms/$A/gsi"
	sed 's/^/# signallers: /' "$D/vms/$A/signallers"
	echo 1 >"$D/reset"
	check "signallers: reset zeroes them" eq sig "$(gsi_signal "$A" 24)" "0 0 0 0"
	check "signallers: reset drops the pid line" eq pid "$(signaller "$A" "other_pid_$child")" ""
	vm_stop 3
}

# Hop timing: off by default and then free of samples; on, the fast path's
# N wakeups are N wakeup-to-delivery samples and the deferred path's inject
# runs its samples; off again, nothing moves. The switch refuses garbage.
t_latency() {
	check "latency: off at load" eq switch "$(cat $D/latency)" 0
	check "latency: the parameter agrees" eq param "$(cat /sys/module/kvm_irqpath/parameters/latency)" 0
	vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
	A=$(vm_dir_of "$(vm_pid 3)")
	B=$(vm_dir_of "$(vm_pid 4)")
	vm_cmd 3 "fire 100"
	check "latency: off, 100 wakeups time nothing" eq hop "$(lat "$A" wakeup_to_delivery)" "0 0"
	for bad in 2 on " 1" "1 " x 11; do
		check "latency: '$bad' refused with EINVAL" write_einval "$bad" "$D/latency"
	done
	check "latency: still off" eq switch "$(cat $D/latency)" 0
	check "latency: '1' switches it on" sh -c "echo 1 > $D/latency"
	check "latency: the parameter agrees" eq param "$(cat /sys/module/kvm_irqpath/parameters/latency)" 1
	check "latency: on, kvm_entry hooked" eq vcpu_entry "$(probe_state vcpu_entry)" \
		"$(btf_or attached unchecked)"
	vm_cmd 3 "fire 300"
	check "latency: 300 fast wakeups, 300 wakeup-to-delivery samples" eq count \
		"$(lat_count "$A" wakeup_to_delivery) $(lat_buckets "$A" wakeup_to_delivery)" "300 300"
	# vmfire's vCPUs never run: the first delivery waits for an entry that
	# never comes, the other 299 queue behind it
	check "latency: no vCPU entered, no delivery-to-entry sample, 299 merged" eq entry \
		"$(lat_count "$A" delivery_to_entry) $(stat "$A" latency_merged)" "0 299"
	set -- $(lat "$A" wakeup_to_delivery)
	check "latency: their sum is above 0 ns ($2)" test "$2" -gt 0
	check "latency: no deferred or VFIO samples on A" eq others \
		"$(lat_count "$A" deferred_to_inject) $(lat_count "$A" vfio_to_wakeup)" "0 0"
	vm_cmd 4 "fire 200"
	check "ioapic: inject work ran" wait_for 100 test "$(stat "$B" irqfd_injects)" -ge 1
	sleep 1
	inj=$(stat "$B" irqfd_injects)
	# A wakeup deferred between the work's start and its irqfd_inject is served by
	# that run, which also queued another: that later run times nothing. So here
	# 1 <= samples <= runs; one write at a time gives one each (latency_shape).
	n=$(lat_count "$B" deferred_to_inject)
	check "latency: B's deferred samples ($n) within 1..its inject runs ($inj)" \
		test "$n" -ge 1 -a "$n" -le "$inj"
	check "latency: B has no fast samples" eq fast "$(lat_count "$B" wakeup_to_delivery)" 0
	check "latency: nothing lost" eq lost "$(stat "$A" latency_lost) $(stat "$B" latency_lost)" "0 0"
	sed 's/^/# latency: /' "$D/vms/$A/latency" | cut -c1-200
	check "latency: '0' switches it off" sh -c "echo 0 > $D/latency"
	check "latency: off, kvm_entry unhooked" eq vcpu_entry "$(probe_state vcpu_entry)" \
		"$(btf_or standby unchecked)"
	vm_cmd 3 "fire 100"
	check "latency: off again, the counts stay" eq count \
		"$(lat_count "$A" wakeup_to_delivery) $(stat "$A" latency_merged)" "300 299"
	check "latency: the parameter switches it too" sh -c "echo 1 > /sys/module/kvm_irqpath/parameters/latency"
	check "latency: on through the parameter" eq switch "$(cat $D/latency)" 1
	vm_cmd 3 "fire 50"
	# switching on dropped the wait left from before: one waits anew, 49 merge
	check "latency: 50 more samples, 49 more merged" eq count \
		"$(lat_count "$A" wakeup_to_delivery) $(stat "$A" latency_merged)" "350 348"
	echo 1 >"$D/reset"
	check "latency: reset zeroes the hops" eq hop "$(lat "$A" wakeup_to_delivery)" "0 0"
	echo 0 >$D/latency
	vm_stop 3
	vm_stop 4
}

# fire_apart <fd> <n>: n single writes, apart enough for the inject work of
# a deferred route to run after each one (one sample each, no merging)
fire_apart() {
	_k=0
	while [ $_k -lt "$2" ]; do
		vm_cmd "$1" "fire 1" || return 1
		sleep 0.05
		_k=$((_k + 1))
	done
}

# The deferred hop times the wait of the inject work: 30 writes on a
# deferred route by a writer bound to CPU 0, whose system workqueue pool
# runs the work, first as it is, then with that pool held busy by
# tests/modules/irqpath_slow_wq.ko (an item spinning 4 ms, queued again and
# again). The slow run's median sample must sit in a higher bucket.
t_latency_shape() {
	vm_start 3 -r ioapic -g 5 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	taskset -p 1 "$(vm_pid 3)" >/dev/null
	echo 1 >$D/latency
	fire_apart 3 30
	check "shape: idle: every inject run timed" wait_for 100 eval \
		'[ "$(lat_count "$A" deferred_to_inject)" = "$(stat "$A" irqfd_injects)" ]'
	check "shape: idle: 30 writes, 30 inject runs, 30 samples" eq injects \
		"$(stat "$A" irqfd_injects) $(lat_count "$A" deferred_to_inject)" "30 30"
	idle=$(lat_median "$A" deferred_to_inject)
	log "shape: idle: mean $(lat "$A" deferred_to_inject | awk '{ print int($2 / $1) }') ns, median bucket $idle"
	echo 1 >$D/reset
	check "shape: CPU 0's workqueue made slow" insmod /testmod/irqpath_slow_wq.ko cpu=0 spin_us=4000
	fire_apart 3 30
	check "shape: slow: every inject run timed" wait_for 200 eval \
		'[ "$(lat_count "$A" deferred_to_inject)" = "$(stat "$A" irqfd_injects)" ]'
	rmmod irqpath_slow_wq
	slow=$(lat_median "$A" deferred_to_inject)
	log "shape: slow: $(stat "$A" irqfd_injects) runs, mean $(lat "$A" deferred_to_inject | awk '{ print int($2 / $1) }') ns, median bucket $slow"
	sed 's/^/# shape: /' "$D/vms/$A/latency" | cut -c1-200
	check "shape: a slow workqueue moves the median up (bucket $idle -> $slow)" test "$slow" -gt "$idle"
	echo 0 >$D/latency
	vm_stop 3
}
