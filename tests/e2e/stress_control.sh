# SPDX-License-Identifier: GPL-2.0
# Stress: control writes and permissions.
# Sourced by stress-run.sh after stress.sh (sizes and shared helpers).

# Malformed control writes: EINVAL, and nothing changes.

# ctl <spec...>: ctlwrite's answers, one line each, joined by "|".
ctl() { ctlwrite -- "$D/reset" "$@" | tr '\n' '|'; }

t_stress_ctl_writes() {
	vm_start 3 || { check "ctl: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 100"
	vm_cmd 3 "msi 10"
	before=$(stats_line "$A")
	hits=$(probe_hits irqfd_wakeup)
	for spec in @empty @huge:4096 @huge:1048576 '\x00' '1\x00' '\xff\xfe' '1\n\n' \
		'1x' '1\nx' '-1' '-1\n' '-0' '0' '2' '11' '+1' '0x1' ' 1' '1 ' '1\r\n' '\n'; do
		check "ctl: '$spec' refused with EINVAL" eq "$spec" "$(ctl "$spec")" "err EINVAL 22 write|"
	done
	out=$(ctlwrite -r "$STRESS_CTL_WRITES" -s "$STRESS_SEED" "$D/reset")
	rc=$?
	echo "$out" | grep '^unexpected' | head -5 | while read -r l; do log "$l"; done
	check "ctl: $STRESS_CTL_WRITES random malformed writes (seed $STRESS_SEED) all EINVAL" \
		eq random "$rc $(echo "$out" | tail -1)" \
		"0 DONE random $STRESS_CTL_WRITES einval=$STRESS_CTL_WRITES ok=0 other=0"
	check "ctl: refused writes changed no counter" eq stats "$(stats_line "$A")" "$before"
	check "ctl: nor the probe hits" eq hits "$(probe_hits irqfd_wakeup)" "$hits"

	# Writes to the read-only files fail (root opens them) and change nothing.
	ro=0
	for f in $(find "$D" -type f ! -name reset ! -path "$D/latency"); do
		r=$(ctlwrite "$f" 1)
		case $r in err*) ;; *) ro=$((ro + 1)); log "write to $f: $r" ;; esac
	done
	check "ctl: every read-only file refuses a write" eq ro "$ro" 0
	check "ctl: still nothing changed" eq stats "$(stats_line "$A")" "$before"

	check "ctl: '1' accepted, one write of 1 byte" eq one "$(ctl 1)" "ok 1|"
	check "ctl: counters zero" eq stats "$(nonzero "$A")" ""
	vm_cmd 3 "fire 9"
	check "ctl: '1\\n' accepted, one write of 2 bytes" eq one "$(ctl '1\n')" "ok 2|"
	check "ctl: counters zero again" eq stats "$(nonzero "$A")" ""
	vm_cmd 3 "fire 3"
	check "ctl: then counting from zero" eq wakeups "$(stat "$A" irqfd_wakeups)" 3
	vm_stop 3
}

# ---------------------------------------------------------------------------
# A non-root user reads and writes nothing.

ST_USER=stressuser
ST_UID=4242

user_setup() {
	[ -e /etc/passwd ] || echo "root:x:0:0:root:/root:/bin/sh" >/etc/passwd
	[ -e /etc/group ] || echo "root:x:0:" >/etc/group
	grep -q "^$ST_USER:" /etc/passwd ||
		echo "$ST_USER:x:$ST_UID:$ST_UID:stress:/tmp:/bin/sh" >>/etc/passwd
	grep -q "^$ST_USER:" /etc/group || echo "$ST_USER:x:$ST_UID:" >>/etc/group
}

# as_user <shell code>: runs it as the user.
as_user() { su -s /bin/sh "$ST_USER" -c "$1"; }

t_stress_nonroot() {
	user_setup
	check "nonroot: su runs as uid $ST_UID" eq uid "$(as_user 'id -u')" "$ST_UID"
	vm_start 3 || { check "nonroot: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 50"
	before=$(stats_line "$A")
	dmode=$(busybox stat -c %a /sys/kernel/debug)
	check "nonroot: debugfs root not reachable as mounted" \
		as_user "! ls $D >/dev/null 2>&1 && ! cat $D/summary >/dev/null 2>&1"
	# Open the debugfs root, as some hosts mount it: the tracer's own modes
	# must still keep the user out.
	chmod 755 /sys/kernel/debug
	files=$(find "$D" -type f)
	# shellcheck disable=SC2016
	as_user 'for f in '"$(echo $files)"'; do
		if cat "$f" >/dev/null 2>&1; then echo "read $f"; fi
		r=$(ctlwrite "$f" 1)
		case $r in "err EACCES"*) ;; *) echo "write $f: $r" ;; esac
	done
	touch '"$D"'/x 2>/dev/null && echo "created '"$D"'/x"
	mkdir '"$D"'/vms/x 2>/dev/null && echo "created '"$D"'/vms/x"
	true' >$ST/user.out 2>&1
	listing=$(as_user "ls $D/vms 2>&1 | head -3")
	chmod "${dmode:-700}" /sys/kernel/debug
	log "nonroot: $(echo $files | wc -w) files tried; vms/ listing as user: '$listing'"
	check "nonroot: no file read or written, nothing created" eq user "$(head -5 $ST/user.out)" ""
	check "nonroot: counters unchanged (no reset)" eq stats "$(stats_line "$A")" "$before"
	check "nonroot: files are 0400, reset 0200, the latency switch 0600" eq modes \
		"$(find "$D" -type f ! -perm 0400 ! -name reset ! -path "$D/latency" | head -3) $(busybox stat -c %a "$D/reset" "$D/latency" | tr '\n' ' ')" " 200 600 "
	vm_stop 3
}
