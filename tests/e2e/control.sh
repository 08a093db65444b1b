# SPDX-License-Identifier: GPL-2.0
# The control file and the kernel log.

# One write(2) of $1 to $2 fails with EINVAL.
write_einval() {
	out=$(printf '%s' "$1" | dd of="$2" bs=64 2>&1) && return 1
	case "$out" in
	*"Invalid argument"*) return 0 ;;
	esac
	log "write '$1': $out"
	return 1
}

# "1" zeroes every counter; anything else is -EINVAL and changes nothing.
t_reset_control() {
	vm_start 3 || { check "vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 100"
	before=$(stats_line "$A")
	for bad in 0 2 11 1x x1 -1 " 1" "1 " "10"; do
		check "reset: '$bad' refused with EINVAL" write_einval "$bad" "$D/reset"
	done
	check "reset: refused writes changed nothing" eq stats "$(stats_line "$A")" "$before"
	check "reset: '1' accepted" sh -c "echo 1 > $D/reset"
	check "reset: VM counters zero" eq stats "$(nonzero "$A")" ""
	check "reset: probe hits zero" eq hits "$(probe_hits irqfd_wakeup)" 0
	vm_cmd 3 "fire 7"
	check "reset: counting from zero" eq wakeups "$(stat "$A" irqfd_wakeups)" 7
	vm_stop 3
}

# Only what came after dmesg_mark (before the tracer first loaded) counts.
t_dmesg_clean() {
	bad=$(dmesg_unknown | grep -E "$DMESG_BAD")
	dmesg_known_note
	if [ -s /tmp/dmesg.before ]; then
		log "dmesg: $(wc -l </tmp/dmesg.before) matching line(s) from before the tracer loaded, not counted"
		bad=$(echo "$bad" | grep -vxF -f /tmp/dmesg.before)
	fi
	[ -z "$bad" ] || log "$bad"
	check "dmesg: no WARNING, BUG, Oops or Call Trace" test -z "$bad"
}
