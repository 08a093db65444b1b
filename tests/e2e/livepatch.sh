# SPDX-License-Identifier: GPL-2.0
# Live patches and the tracer: a live patch of irqfd_inject, a function the
# tracer hooks with a direct call (tests/modules/irqpath_livepatch.c), applies
# beside the hook in either order, and the tracer still counts exactly.

LP=/sys/kernel/livepatch/irqpath_livepatch
LP_CALLS=/sys/module/irqpath_livepatch/parameters/calls

lp_transition_done() { [ "$(cat $LP/transition 2>/dev/null)" = 0 ]; }
lp_gone() { [ ! -e $LP ]; }
lp_calls_are() { [ "$(cat $LP_CALLS)" = "$1" ]; }
lp_unused() { [ "$(cat /sys/module/irqpath_livepatch/refcnt)" = 0 ]; }
injects_are() { [ "$(stat "$A" irqfd_injects)" = "$1" ]; }
lp_probe() { awk '$1 == "irqfd_inject" { print $3, $5 }' "$D/probes"; }

# Kernel lines of the live patch, the loader or ftrace since the test began
# (LP_DMESG0 lines before) that report a failure.
lp_dmesg_bad() {
	dmesg | tail -n +$((LP_DMESG0 + 1)) | grep -E 'livepatch|ftrace' |
		grep -iE 'fail|error|busy|refus|WARN'
}

# lp_apply <label>: insmod the patch; enabled, and its transition done.
lp_apply() {
	if ! insmod /testmod/irqpath_livepatch.ko; then
		check "$1: live patch loads" false
		dmesg | tail -8 | sed 's/^/#   dmesg: /'
		return 1
	fi
	check "$1: live patch loads" true
	check "$1: patch enabled" eq enabled "$(cat $LP/enabled 2>/dev/null)" 1
	check "$1: patch transition completes" wait_for 300 lp_transition_done
}

# lp_remove <label>: disable the patch, wait until it is gone, rmmod it.
# The patch's sysfs directory goes before its free work drops the module
# reference (klp_free_patch_finish), so rmmod waits for that too.
lp_remove() {
	check "$1: patch disabled" sh -c "echo 0 > $LP/enabled"
	check "$1: unpatching completes, patch gone from sysfs" wait_for 300 lp_gone
	check "$1: patch's module reference dropped" wait_for 100 lp_unused
	check "$1: live patch unloads" rmmod irqpath_livepatch
}

# Whatever failed, leave no patch behind.
lp_cleanup() {
	[ -e $LP ] && echo 0 >$LP/enabled && wait_for 300 lp_gone
	grep -q '^irqpath_livepatch ' /proc/modules && wait_for 100 lp_unused &&
		rmmod irqpath_livepatch
	true
}

# lp_fire <n>: n writes on VM A's IOAPIC-routed irqfd (fd 3), each waited for
# until its irqfd_inject has run: no wakeup merges with a pending inject, so
# irqfd_inject runs exactly n times.
lp_fire() {
	k=0
	while [ $k -lt "$1" ]; do
		k=$((k + 1))
		vm_cmd 3 "fire 1" || return 1
		wait_for 100 injects_are "$k" || { log "inject $k did not run"; return 1; }
	done
}

# lp_counts <label> <n> [patched]: a fresh VM with GSI 5 on the IOAPIC; n
# writes are n wakeups, n deferred, n injects; patched: n calls of the patch.
lp_counts() {
	vm_start 3 -r ioapic -g 5 || { check "$1: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	[ "$3" = patched ] && c0=$(cat $LP_CALLS)
	check "$1: $2 writes, each inject awaited" lp_fire "$2"
	check "$1: wakeups deferred fast injects exact" eq counts \
		"$(stat "$A" irqfd_wakeups) $(stat "$A" irqfd_deferred) $(stat "$A" irqfd_fast) $(stat "$A" irqfd_injects)" \
		"$2 $2 0 $2"
	check "$1: gsi 5 row" eq gsi "$(gsi_row "$A" 5)" "5 $2 0 $2 $2"
	[ "$3" = patched ] &&
		check "$1: the patched irqfd_inject ran $2 times" wait_for 50 lp_calls_are $((c0 + $2))
	vm_stop 3
}

t_livepatch() {
	# the debug kernel of make check-debug has no CONFIG_LIVEPATCH, so no test patch
	if ! [ -d /sys/kernel/livepatch ]; then
		skip "livepatch: all" "no CONFIG_LIVEPATCH in this kernel (no /sys/kernel/livepatch)"
		return
	fi
	if grep -qw ibt /proc/cpuinfo; then
		skip "livepatch: all" "IBT on: the test patch cannot call kvm_set_irq (sealed)"
		return
	fi
	LP_DMESG0=$(dmesg | wc -l)
	# (a) the tracer first, direct=1: the patch shares the function with
	# its direct call
	tracer_unload
	check "lp tracer first: tracer loads, direct=1" tracer_load_direct
	check "lp tracer first: irqfd_inject attached, direct" eq probe "$(lp_probe)" "attached direct"
	if lp_apply "lp tracer first"; then
		check "lp tracer first, patched: irqfd_inject still direct" eq probe "$(lp_probe)" "attached direct"
		lp_counts "lp tracer first, patched" 20 patched
		lp_remove "lp tracer first"
		check "lp tracer first, unpatched: irqfd_inject still direct" eq probe "$(lp_probe)" "attached direct"
		lp_counts "lp tracer first, unpatched" 20
	fi
	lp_cleanup

	# (b) the patch first: the tracer's direct call joins the patched function
	tracer_unload
	if lp_apply "lp patch first"; then
		check "lp patch first: tracer loads, direct=1" tracer_load_direct
		sed -n 's/^irqfd_inject /#   probes: irqfd_inject /p' "$D/probes"
		check "lp patch first: irqfd_inject attached, direct" eq probe "$(lp_probe)" "attached direct"
		lp_counts "lp patch first, patched" 20 patched
		lp_remove "lp patch first"
		check "lp patch first, unpatched: irqfd_inject still direct" eq probe "$(lp_probe)" "attached direct"
		lp_counts "lp patch first, unpatched" 20
	fi
	lp_cleanup

	# (c) the default: an ftrace callback beside the patch
	tracer_unload
	check "lp default: tracer loads" tracer_load
	check "lp default: irqfd_inject attached, ftrace" eq probe "$(lp_probe)" "attached ftrace"
	if lp_apply "lp default"; then
		lp_counts "lp default, patched" 20 patched
		lp_remove "lp default"
	fi
	lp_cleanup
	tracer_unload
	check "tracer loads again" tracer_load
	check "livepatch: no failure in the kernel log" eq dmesg "$(lp_dmesg_bad)" ""
}
