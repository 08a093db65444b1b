# SPDX-License-Identifier: GPL-2.0
# Large hosts: what a VM costs per possible CPU, and `summary` of many VMs.
# Run by tests/harness/check-large.sh in a guest with many possible CPUs
# (6.1: possible_cpus=384; 6.12 and 7.3 ignore it: -smp 2,maxcpus=255).

: "${STRESS_LARGE_VMS:=1000}"	# VMs alive at once for the summary read
STRESS_LARGE_PROCS=5		# vmfire processes holding them (fds 3..7)

# The memory figures but rows_full, which only grows.
mem_gauges() { mem_line | sed 's/rows_full=[0-9]* //'; }
gauges_are() { [ "$(mem_gauges)" = "$1" ]; }

# Hundredths of a second since boot: busybox date has no %N.
now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# large_vms <n>: n idle VMs, one GSI and one vCPU each, in one vmfire on fd 3.
large_vms() { vm_start 3 -v "$1" -r msi -g 24; }

t_stress_large_host() {
	cpus=$(mem cpus)
	log "large: $cpus possible CPUs; memory: $(mem_line)"
	check "large: guest has many possible CPUs ($cpus)" test "$cpus" -ge 64
	vcb=$(mem vm_cpu_bytes)
	vb=$(mem vm_bytes)
	check "large: a VM's per-CPU part is at most 600 bytes ($vcb)" test "$vcb" -le 600
	at384=$((vb + vcb * 384))
	check "large: a VM costs under 256 KB on a 384-thread host ($at384 bytes)" \
		test "$at384" -lt 262144

	# The kernel's own account: the percpu_alloc_percpu events whose call
	# site is in the module, while 100 VMs are made (each takes a spare,
	# which the work replaces). The Percpu line of /proc/meminfo counts
	# populated pages, which stay after a free and which KVM's own per-VM
	# SRCU data dwarf, so it is only logged.
	check "large: spares full" wait_for 100 test "$(mem spares)" = 16
	b0=$(mem bytes)
	p0=$(meminfo Percpu)
	# only this event: KVM's kmallocs would overrun the buffer
	echo 0 >$TR/tracing_on && echo >$TR/trace
	echo 1 >$TR/events/percpu/percpu_alloc_percpu/enable
	echo 1 >$TR/tracing_on
	large_vms 100 || { check "large: vmfire -v 100 starts" false; return; }
	check "large: 100 VMs" wait_for 200 test "$(vm_dir_of "$(vm_pid 3)" | wc -l)" = 100
	check "large: spares refilled" wait_for 200 test "$(mem spares)" = 16
	echo 0 >$TR/tracing_on
	traced=$(grep 'percpu_alloc_percpu:.*\[kvm_irqpath\]' $TR/trace |
		sed -n 's/.* size=\([0-9]*\).* bytes_alloc=\([0-9]*\).*/size=\1 bytes_alloc=\2/p' |
		sort | uniq -c | tr -s ' ' | tr '\n' ';')
	echo 0 >$TR/events/percpu/percpu_alloc_percpu/enable
	overrun=$(cat $TR/per_cpu/cpu*/stats | awk '$1 == "overrun:" { s += $2 } END { print s + 0 }')
	echo >$TR/trace
	log "large: our percpu allocations while 100 VMs came: $traced"
	log "large: Percpu for 100 VMs, KVM's and ours: $(($(meminfo Percpu) - p0)) kB"
	b1=$(mem bytes)
	vm_stop 3
	per_vm=$(((b1 - b0) / 100))
	check "large: module's bytes per VM = vm_bytes + vm_cpu_bytes x cpus ($per_vm)" \
		eq per_vm "$per_vm" $((vb + vcb * cpus))
	# bytes_alloc is size times the percpu units, which are not always the possible CPUs
	if grep -q call_site $TR/events/percpu/percpu_alloc_percpu/format; then
		check "large: the kernel traced 100 per-CPU allocations of vm_cpu_bytes by us" \
			eq "traced, overrun" "$(echo "$traced" | sed 's/ bytes_alloc=[0-9]*//'), $overrun" " 100 size=$vcb;, 0"
	else
		skip "large: the kernel traced 100 per-CPU allocations of vm_cpu_bytes by us" \
			"this kernel's percpu_alloc_percpu has no call site"
	fi

	# Many VMs at once: one GSI row each, and `summary` in one read.
	check "large: no VM left" wait_for 200 vms_empty
	mem0=$(mem_gauges)
	per=$((STRESS_LARGE_VMS / STRESS_LARGE_PROCS))
	tcs=$(now_cs)
	fd=3
	while [ $fd -lt $((3 + STRESS_LARGE_PROCS)) ]; do
		vm_start $fd -v $per -r msi -g 24 || { check "large: vmfire $fd starts" false; return; }
		fd=$((fd + 1))
	done
	nvms=$((per * STRESS_LARGE_PROCS))
	check "large: $nvms VMs" wait_for 600 test "$(ls $D/vms | wc -l)" = $nvms
	log "large: $nvms VMs up in $((($(now_cs) - tcs) / 100)) s"
	fd=3
	while [ $fd -lt $((3 + STRESS_LARGE_PROCS)) ]; do
		vm_send $fd "fire 1"
		fd=$((fd + 1))
	done
	fd=3
	while [ $fd -lt $((3 + STRESS_LARGE_PROCS)) ]; do
		vm_wait $fd || check "large: vmfire $fd fires" false
		fd=$((fd + 1))
	done
	tcs=$(now_cs)
	cat $D/summary >$ST/summary
	dt=$(($(now_cs) - tcs))
	log "large: summary of $nvms VMs: $(wc -c <$ST/summary) bytes in $dt/100 s; memory: $(mem_line)"
	check "large: summary has a row per VM" eq rows \
		"$(awk '$1 ~ /^[0-9]+-[0-9]+$/' $ST/summary | wc -l)" $nvms
	check "large: every row counts its one wakeup" eq ones \
		"$(awk '$1 ~ /^[0-9]+-[0-9]+$/ && $4 == 1 && $5 == 1' $ST/summary | wc -l)" $nvms
	check "large: a verdict per VM" eq verdicts \
		"$(grep -c '^[0-9]*-[0-9]*: ' $ST/summary)" $nvms
	check "large: summary read in under 10 s ($dt/100 s)" test "$dt" -lt 1000
	tcs=$(now_cs)
	echo 1 >$D/reset
	log "large: reset of $nvms VMs in $(($(now_cs) - tcs))/100 s"
	check "large: after reset every row is 0" eq zeros \
		"$(awk '$1 ~ /^[0-9]+-[0-9]+$/ && $4 == 0 && $5 == 0' $D/summary | wc -l)" $nvms
	X=$(vm_dir_of "$(vm_pid 3)" | head -1)
	check "large: a VM's gsi row is 0 after reset" eq gsi "$(gsi_row "$X" 24)" "24 0 0 0 0"
	fd=3
	while [ $fd -lt $((3 + STRESS_LARGE_PROCS)) ]; do
		vm_stop $fd
		fd=$((fd + 1))
	done
	check "large: vms/ empty again" wait_for 600 vms_empty
	check "large: memory back where it started" wait_for 300 gauges_are "$mem0"
	bad=$(dmesg | grep -Ei 'soft lockup|rcu.*stall|hung task')
	[ -z "$bad" ] || log "$(echo "$bad" | head -20)"
	check "large: no soft lockup, RCU stall or hung task" test -z "$bad"
}
