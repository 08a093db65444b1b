# SPDX-License-Identifier: GPL-2.0
# The irqpath command against the live module. The guest has no python: the
# host's python3 and scripts/irqpath run in a chroot of the host's root.
. /tests/e2e/hostroot.sh

irqpath() { hostroot_run python3 "$(hostrepo)/scripts/irqpath" "$@"; }

# rc_is <want rc> <stderr pattern> <irqpath args...>: the exit code and the message.
rc_is() {
	want=$1 pat=$2
	shift 2
	irqpath "$@" >/tmp/irqpath.out 2>/tmp/irqpath.err
	rc=$?
	[ "$rc" = "$want" ] && grep -q "$pat" /tmp/irqpath.err && return 0
	log "irqpath $*: rc $rc (want $want): $(cat /tmp/irqpath.err)"
	return 1
}

# The VM's stats in --json, as "k=v " like stats_line.
json_stats() {
	hostroot_run python3 -c 'import json, sys
d = json.load(open("/tmp/irqpath.json"))
print("".join("%s=%s " % kv for v in d["vms"] if v["name"] == sys.argv[1]
              for kv in v["stats"].items()))' "$1"
}

prom_line() { grep -Fx "$1" /tmp/irqpath.prom >/dev/null || { log "no line: $1"; return 1; }; }

# "<interval line> <rate line>" twice, the rate line naming VM $1 with numbers.
watch_ok() {
	awk -v vm="vm=$1" '/^interval [0-9]+ / { n++ } $1 == "rate" && $2 == vm && $5 ~ /^total\/s=[0-9.]+$/ { r++ }
		END { exit !(n == 2 && r == 2) }' /tmp/irqpath.watch
}
watch_moved() { grep "^rate vm=$1 " /tmp/irqpath.watch | grep -qv 'total/s=0.0 '; }

t_irqpath_tool() {
	hostroot_mount && hostroot_run test -x "$(hostrepo)/scripts/irqpath"
	r=$?
	check "tool: host root over 9p, irqpath at '$(hostrepo)'" test $r = 0
	[ $r = 0 ] || return
	vm_start 3 -r msi -g 24 || { check "vmfire starts" false; return; }
	P=$(vm_pid 3)
	wait_vm "$P"
	A=$(vm_dir_of "$P")
	vm_cmd 3 "fire 700"
	vm_cmd 3 "msi 300"
	check "tool: debugfs has 700 wakeups, 300 msi" eq stats \
		"$(stat "$A" irqfd_wakeups) $(stat "$A" msi_injects)" "700 300"

	irqpath --json >/tmp/irqpath.json
	check "tool: --json stats = debugfs stats" eq json "$(json_stats "$A")" "$(stats_line "$A")"

	irqpath --prometheus >/tmp/irqpath.prom
	check "tool: --prometheus irqfd_wakeups_total 700" \
		prom_line "kvm_irqpath_irqfd_wakeups_total{vm=\"$A\",pid=\"$P\",comm=\"vmfire\"} 700"
	check "tool: --prometheus msi_injects_total 300" \
		prom_line "kvm_irqpath_msi_injects_total{vm=\"$A\",pid=\"$P\",comm=\"vmfire\"} 300"
	check "tool: --prometheus TYPE counter" prom_line "# TYPE kvm_irqpath_irqfd_wakeups_total counter"
	check "tool: --prometheus gsi 24 signalled by the VMM 700" \
		prom_line "kvm_irqpath_gsi_signalled_total{vm=\"$A\",pid=\"$P\",comm=\"vmfire\",gsi=\"24\",by=\"vmm\"} 700"

	irqpath >/tmp/irqpath.out
	check "tool: table row: fast 700, signal_msi 300" eq row \
		"$(awk -v v="$A" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
			$1 == v { print $c["fast"], $c["deferred"], $c["signal_msi"] }' /tmp/irqpath.out)" "700 0 300"
	check "tool: table verdict line" grep -qx "$A: no VFIO interrupts seen" /tmp/irqpath.out

	irqpath --vm "$P" >/tmp/irqpath.vm
	check "tool: --vm PID shows the VM" grep -q "^VM $A  pid $P  comm vmfire" /tmp/irqpath.vm
	check "tool: --vm PID shows gsi 24, its route and signallers" grep -Eq '^ +24 +700 +700 +0 +0 +msi:vec=48,dest=0,phys,fixed,edge +0 +0 +700 +0$' /tmp/irqpath.vm
	check "tool: --vm PID shows the VMM as signaller" grep -Eq '^ +vmm +700$' /tmp/irqpath.vm

	# hop latency: --hist bars, a Prometheus histogram promtool accepts, --json = debugfs
	echo 1 >$D/latency
	vm_cmd 3 "fire 200"
	echo 0 >$D/latency
	irqpath --hist "$P" >/tmp/irqpath.hist
	sed 's/^/#   /' /tmp/irqpath.hist
	check "tool: --hist PID: 200 wakeup_to_delivery samples" \
		grep -q '^wakeup_to_delivery (ns): 200 samples, mean [0-9]* ns$' /tmp/irqpath.hist
	check "tool: --hist: bars that add up to 200" eq bars \
		"$(awk -F'|' '/^\[/ { split($1, a, " "); s += a[length(a)] } END { print s + 0 }' /tmp/irqpath.hist)" 200
	irqpath --prometheus >/tmp/irqpath.prom
	lb="vm=\"$A\",pid=\"$P\",comm=\"vmfire\",hop=\"wakeup_to_delivery\""
	check "tool: --prometheus latency histogram count 200" \
		prom_line "kvm_irqpath_latency_seconds_count{$lb} 200"
	check "tool: --prometheus latency +Inf bucket 200" \
		prom_line "kvm_irqpath_latency_seconds_bucket{$lb,le=\"+Inf\"} 200"
	check "tool: --prometheus TYPE histogram" prom_line "# TYPE kvm_irqpath_latency_seconds histogram"
	check "tool: promtool check metrics accepts it" \
		hostroot_run sh -c "/var/cache/kvm_irqpath/promtool/promtool check metrics" </tmp/irqpath.prom
	irqpath --json >/tmp/irqpath.json
	check "tool: --json latency rows = debugfs" eq json "$(hostroot_run python3 -c 'import json, sys
d = json.load(open("/tmp/irqpath.json"))
for v in d["vms"]:
    if v["name"] == sys.argv[1]:
        for r in v["latency"]:
            print(" ".join(str(x) for x in r.values()))' "$A")" "$(tail -n +2 "$D/vms/$A/latency")"

	# fire until it is done (python starts slowly over 9p: no fixed count)
	irqpath -w 1 -n 2 >/tmp/irqpath.watch 2>&1 &
	w=$!
	end=$(($(date +%s) + 60))
	while kill -0 $w 2>/dev/null && [ "$(date +%s)" -lt $end ]; do
		vm_cmd 3 "fire 500"
	done
	wait $w
	check "tool: -w 1 -n 2 exits 0" eq rc $? 0
	check "tool: -w 1 -n 2 plain: two intervals with rate lines" watch_ok "$A"
	check "tool: -w: a rate above 0 while firing" watch_moved "$A"
	cat /tmp/irqpath.watch | sed 's/^/#   /'

	check "tool: --vm 99999: no such VM (rc 6)" rc_is 6 "no VM" --vm 99999
	check "tool: not root: permission denied (rc 5)" eq rc \
		"$(hostroot_run setpriv --reuid=65534 --regid=65534 --clear-groups \
			python3 "$(hostrepo)/scripts/irqpath" >/dev/null 2>&1; echo $?)" 5
	vm_stop 3

	umount $HOSTROOT/sys/kernel/debug
	check "tool: debugfs not mounted (rc 4)" rc_is 4 "debugfs is not mounted"
	mount -t debugfs debugfs $HOSTROOT/sys/kernel/debug
	tracer_unload
	check "tool: rmmod: module not loaded (rc 3)" rc_is 3 "module not loaded"
	check "tool: tracer loads again" tracer_load
	hostroot_umount
}
