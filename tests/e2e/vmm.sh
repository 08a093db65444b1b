#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A real VMM: Debian's qemu-system-x86_64 -enable-kvm, run from the host's root
# (over 9p, tests/e2e/hostroot.sh), boots a nested guest (the same kernel, a busybox
# initramfs from tests/harness/nested-guest.sh) with vhost-net on a tap and a
# virtio-blk disk on an iothread. The nested guest prints its virtio interrupt
# counts before and after a workload; while it lives, kvm_irqpath's per-GSI irqfd
# wakeups must equal them, vector by vector, all on the fast path.
#
# GSI to vector: QEMU's trace event kvm_irqchip_add_msi_route prints the device,
# the MSI-X entry ("vector") and the GSI ("virq") of every route it makes for an
# irqfd; the nested guest prints the MSI-X entry of each of its virtio irqs (the
# low bits of its hwirq) and the virtio device id (1 net, 2 block).
#
# Run directly (sh /tests/e2e/vmm.sh) it is the whole guest payload of
# tests/harness/check-vmm.sh; sourced after lib.sh it only defines t_vmm.
# Needs: irqpath.nested=<dir with nested.cpio.gz and vmlinuz> on the kernel command
# line, the tun and vhost_net modules, and QEMU TCG with thread=multi (thread=single
# corrupts the nested guest: QEMU 7.2's nested SVM).
# shellcheck source=tests/e2e/hostroot.sh
. /tests/e2e/hostroot.sh

# Addresses the nested guest's init (tests/harness/nested-guest.sh) knows too.
VMM_TAP=vmmtap0
VMM_HOST_IP=10.253.0.1
VMM_TAP_MAC=02:00:00:fd:00:01
VMM_GUEST_IP=10.253.0.2
VMM_GUEST_MAC=52:54:00:fd:00:02
# Bound on the nested boot and workload: 17-20 s to init on an idle machine.
VMM_SECS=${VMM_SECS:-300}
VMM_CON=/tmp/vmm-console.log
VMM_TRACE=/tmp/vmm-trace.log
VMM_QLOG=/tmp/vmm-qemu.log
VMM_PIDFILE=/tmp/vmm-qemu.pid

nested_dir() { sed -n 's/.*irqpath\.nested=\([^ ]*\).*/\1/p' /proc/cmdline; }

vmm_prereqs() {
	N=$(nested_dir)
	[ -n "$N" ] || { log "no irqpath.nested= on the kernel command line"; return 1; }
	hostroot_mount || { log "host root over 9p: mount failed"; return 1; }
	hostroot_run test -x /usr/bin/qemu-system-x86_64 || { log "no qemu-system-x86_64 in the host root"; return 1; }
	for f in nested.cpio.gz vmlinuz; do
		test -r "$HOSTROOT$N/$f" || { log "no $N/$f in the host root"; return 1; }
	done
}

# Only the workload's packets may reach the nested guest: no IPv6 on the tap (its
# router solicitations), static ARP on both sides (a neighbour probe ~5 s after the
# pings came after the nested guest's last count in 2 of 5 runs).
vmm_net() {
	modprobe tun && modprobe vhost_net || return 1
	wait_for 50 test -c /dev/vhost-net || return 1
	echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
	hostroot_run ip tuntap add dev $VMM_TAP mode tap || return 1
	ip link set $VMM_TAP address $VMM_TAP_MAC &&
	ip addr add $VMM_HOST_IP/24 dev $VMM_TAP && ip link set $VMM_TAP up &&
	arp -i $VMM_TAP -s $VMM_GUEST_IP $VMM_GUEST_MAC
}

vmm_start() {
	rm -f $VMM_CON $VMM_TRACE $VMM_QLOG $VMM_PIDFILE
	dd if=/dev/zero of=/tmp/vmm-disk.img bs=1M count=16 2>/dev/null || return 1
	# -xsave: with XSAVE the nested guest hangs after an "XSAVE consistency
	# problem" warning. Without XSAVE the OS cannot enable AVX, but QEMU 7.2 still
	# offers AVX and its kin: 7.3's built-in polyval AVX code then oopses (#UD).
	# The console is quiet: every character is a nested exit.
	hostroot_run qemu-system-x86_64 -enable-kvm -machine pc \
		-cpu host,-xsave,-avx,-avx2,-fma,-f16c,-vaes,-vpclmulqdq \
		-m 256 -smp 1 -nodefaults -no-user-config -display none -no-reboot \
		-kernel "$N/vmlinuz" -initrd "$N/nested.cpio.gz" \
		-append "console=ttyS0 quiet loglevel=1 ipv6.disable=1 panic=-1" \
		-serial file:$VMM_CON -monitor none \
		-netdev tap,id=net0,ifname=$VMM_TAP,script=no,downscript=no,vhost=on \
		-device virtio-net-pci,netdev=net0,mac=$VMM_GUEST_MAC \
		-object iothread,id=io0 \
		-drive file=/tmp/vmm-disk.img,format=raw,if=none,id=disk0 \
		-device virtio-blk-pci,drive=disk0,iothread=io0 \
		-trace kvm_irqchip_add_msi_route -D $VMM_TRACE \
		-pidfile $VMM_PIDFILE >$VMM_QLOG 2>&1 &
	VMM_JOB=$!
	wait_for 600 test -s $VMM_PIDFILE || return 1
	QPID=$(cat $VMM_PIDFILE)
}

nested_finished() { grep -q '^NESTED-DONE' $VMM_CON 2>/dev/null || not_running "$QPID"; }

# With QEMU stopped no vCPU enters and no delivery comes (its timers fire
# through the stopped vCPU thread), so the counts hold still: each delivery
# to the one vCPU either ended a wait at an entry (a delivery_to_entry
# sample) or found one waiting (latency_merged), and at most one waits now.
entry_accounted() {
	kill -STOP "$QPID"
	sleep 1
	d=$(stat "$A" vcpu_deliveries)
	s=$(lat_count "$A" delivery_to_entry)
	m=$(stat "$A" latency_merged)
	d2=$(stat "$A" vcpu_deliveries)
	kill -CONT "$QPID"
	log "delivery_to_entry: $d deliveries, $s samples, $m merged"
	sed 's/^/#   latency: /' "$D/vms/$A/latency" | cut -c1-200
	[ "$d" = "$d2" ] && [ "$s" -ge 1 ] && [ $((d - s - m)) -ge 0 ] && [ $((d - s - m)) -le 1 ]
}

vmm_stop() {
	kill "$QPID" 2>/dev/null
	if ! wait_for 300 not_running "$QPID"; then
		log "QEMU (pid $QPID) did not exit on SIGTERM, killed"
		kill -9 "$QPID"
	fi
	wait "$VMM_JOB"
}

# The nested guest's result lines, without the serial console's CRs.
VMM_OUT=/tmp/vmm-nested.out
# nested_irqs <phase>: "<name> <device id> <MSI-X entry> <count>" per virtio irq
nested_irqs() { awk -v p="$1" '$1 == "NESTED-IRQ" && $2 == p { print $3, $4, $5, $6 }' $VMM_OUT; }

# The GSI QEMU routed for (device, MSI-X entry), from its trace: "<dev> <entry> <gsi>",
# the last route of each pair (a driver reset can route a vector again).
qemu_routes() {
	awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { r[$(i + 1) " " $(i + 3)] = $(i + 5); break } }
	     END { for (k in r) print k, r[k] }' $VMM_TRACE
}

# vmm_table: "<gsi> <name> <nested count> <wakeups> <fast> <by vhost> <by vmm>" per virtio
# irq of the nested guest; gsi "-" when QEMU's trace has no route for it.
vmm_table() {
	qemu_routes >/tmp/vmm-routes
	awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	     { print $1, $col["wakeups"], $col["fast"], $col["vhost"], $col["vmm"] }' \
		"$D/vms/$A/gsi" >/tmp/vmm-gsi
	nested_irqs after | awk '
		FILENAME == "/tmp/vmm-routes" { route[$1 " " $2] = $3; next }
		FILENAME == "/tmp/vmm-gsi" { w[$1] = $2; f[$1] = $3; vh[$1] = $4; vm[$1] = $5; next }
		{ dev = ($2 + 0 == 1) ? "virtio-net-pci" : ($2 + 0 == 2) ? "virtio-blk-pci" : "?"
		  g = route[dev " " $3]; if (g == "") g = "-"
		  print g, $1, $4, w[g] + 0, f[g] + 0, vh[g] + 0, vm[g] + 0 }' /tmp/vmm-routes /tmp/vmm-gsi -
}

rcs_ok() { [ "$(grep -c '^NESTED-RC [a-z]* 0$' $VMM_OUT)" = 4 ]; }
# delta_up <irq name pattern>: that vector's count went up during the workload
delta_up() {
	b=$(nested_irqs before | awk -v p="$1" '$1 ~ p { s += $4 } END { print s + 0 }')
	a=$(nested_irqs after | awk -v p="$1" '$1 ~ p { s += $4 } END { print s + 0 }')
	[ "$a" -gt "$b" ] || { log "$1: $b before the workload, $a after"; return 1; }
}
workload_raised() { delta_up input && delta_up output && delta_up req; }
# QEMU 7.2 routes an irqfd for every virtqueue vector; the config vectors it
# signals with KVM_SIGNAL_MSI (msix_notify), so they have no GSI.
queues_mapped() { ! awk '$1 == "-" && $2 ~ /input|output|req/' /tmp/vmm-table | grep -q .; }
table_equal() { awk '$1 != "-" && $3 != $4 { bad = 1 } END { exit bad }' /tmp/vmm-table; }
table_fast() { awk '$1 != "-" && $4 != $5 { bad = 1 } END { exit bad }' /tmp/vmm-table; }
# table_by <column> <irq name pattern>: on the routed rows of those vectors (one at least),
# every wakeup was signalled by that class: column 6 the vhost worker, 7 the VMM's threads.
table_by() {
	awk -v c="$1" -v p="$2" '$1 != "-" && $2 ~ p { n++; if ($c != $4) bad = 1 }
		END { exit bad || !n }' /tmp/vmm-table
}
# sum_col <file> <column> [routed|unrouted]: over the table's rows with a GSI, or without
sum_col() {
	awk -v c="$2" -v w="${3:-}" 'w == "routed" && $1 == "-" { next }
		w == "unrouted" && $1 != "-" { next } { s += $c } END { print s + 0 }' "$1"
}
unattributed_zero() { awk '$2 != 0 { print "# unattributed:", $0; bad = 1 } END { exit bad }' "$D/unattributed"; }
vms_list() { for v in "$D"/vms/*; do [ -e "$v" ] && printf '%s ' "${v##*/}"; done; }

# make demo: what a user sees of this VM, printed while it lives ("DEMO| " lines,
# which tests/harness/check-vmm.sh prints with VMM_DEMO=1).
vmm_demo() {
	{
		echo "A real VMM: $(hostroot_run qemu-system-x86_64 --version | head -1), pid $QPID, runs"
		echo "a nested guest with vhost-net on a tap device and a virtio-blk disk on an iothread;"
		echo "the nested guest pinged the host, read its disk and wrote it. Hop timing was on."
		for f in summary vms/$A/stats vms/$A/gsi vms/$A/signallers vms/$A/vcpus; do
			echo
			echo "\$ cat $D/$f"
			cat "$D/$f"
		done
		for a in "" "--vm $QPID" "--hist $QPID"; do
			echo
			echo "\$ irqpath${a:+ $a}"
			# shellcheck disable=SC2086
			hostroot_run python3 "$(hostrepo)/scripts/irqpath" $a
		done
	} 2>&1 | sed 's/^/DEMO| /'
	tree_dump   # tests/tool/trees/vmm
}

t_vmm() {
	vmm_prereqs
	r=$?
	check "vmm: Debian's QEMU and the nested guest in the host root over 9p" test $r = 0
	[ $r = 0 ] || return
	vmm_net
	r=$?
	check "vmm: tap $VMM_TAP and /dev/vhost-net" test $r = 0
	[ $r = 0 ] || { hostroot_umount; return; }

	# hop timing on for the VM's whole life: every fast wakeup is timed
	echo 1 >$D/latency
	t0=$(date +%s)
	vmm_start
	r=$?
	check "vmm: QEMU starts (pid file)" test $r = 0
	if [ $r != 0 ]; then
		log "qemu: $(cat $VMM_QLOG)"
		ip link del $VMM_TAP
		hostroot_umount
		return
	fi
	wait_for $((VMM_SECS * 10)) nested_finished
	log "nested guest: workload done after $(($(date +%s) - t0)) s"
	r=0
	grep -q '^NESTED-DONE' $VMM_CON || r=1
	check "vmm: the nested guest boots and runs its workload within $VMM_SECS s" test $r = 0
	if [ $r != 0 ]; then
		log "QEMU $(not_running "$QPID" && echo exited || echo "still running after $VMM_SECS s")"
		sed 's/^/#   console: /' $VMM_CON | tail -30
		sed 's/^/#   qemu: /' $VMM_QLOG | tail -30
		vmm_stop
		ip link del $VMM_TAP
		hostroot_umount
		return
	fi
	tr -d '\r' <$VMM_CON | grep '^NESTED-' >$VMM_OUT
	sed 's/^NESTED-/#   nested: /' $VMM_OUT
	check "vmm: nested ping, reads, direct writes and direct reads succeeded" rcs_ok

	# read everything while the VM lives: its record goes with it
	check "vmm: exactly one VM" eq vms "$(vms_list)" "$(vm_dir_of "$QPID") "
	A=$(vm_dir_of "$QPID")
	[ -n "$A" ] || A=none
	check "vmm: info: the VM is QEMU's pid" eq pid "$(info "$A" pid)" "$QPID"
	check "vmm: info: comm is QEMU's" eq comm "$(info "$A" comm)/$(cat /proc/"$QPID"/comm)" \
		"qemu-system-x86/qemu-system-x86"
	for f in summary vms/$A/stats vms/$A/gsi vms/$A/vcpus vms/$A/producers vms/$A/signallers unattributed; do
		log "\$ cat $f"
		sed 's/^/#   /' "$D/$f"
	done
	vmm_table >/tmp/vmm-table
	log "gsi name nested_count wakeups fast by_vhost by_vmm"
	sed 's/^/#   /' /tmp/vmm-table
	log "QEMU's routes (dev MSI-X-entry gsi): $(sort /tmp/vmm-routes | tr '\n' ';')" \
		"from $(grep -c kvm_irqchip_add_msi_route $VMM_TRACE) kvm_irqchip_add_msi_route"
	check "vmm: the nested guest has network and disk interrupts" \
		eq names "$(awk '{ print $2 }' /tmp/vmm-table | grep -cE 'input|output|req')" 3
	check "vmm: the workload raised input, output and req interrupts" workload_raised
	check "vmm: every virtqueue vector has a GSI in QEMU's trace" queues_mapped
	check "vmm: per GSI, irqfd wakeups = the nested guest's count of its vector" table_equal
	W=$(stat "$A" irqfd_wakeups)
	routed=$(sum_col /tmp/vmm-table 3 routed)
	check "vmm: irqfd wakeups, in stats and over the gsi rows, = the routed vectors' count" \
		eq wakeups "$W $(sum_col /tmp/vmm-gsi 2)" "$routed $routed"
	check "vmm: KVM_SIGNAL_MSIs = the count of the vectors without a GSI (config)" \
		eq msi_injects "$(stat "$A" msi_injects)" "$(sum_col /tmp/vmm-table 3 unrouted)"
	check "vmm: per GSI, fast = wakeups" table_fast
	check "vmm: network GSIs signalled by the vhost worker only" table_by 6 'input|output'
	check "vmm: the disk GSI signalled by QEMU's own threads (its iothread) only" table_by 7 req
	check "vmm: all on the fast path" eq fast/deferred \
		"$(stat "$A" irqfd_fast)/$(stat "$A" irqfd_deferred)" "$W/0"
	check "vmm: deliveries ($(stat "$A" vcpu_deliveries)) >= wakeups ($W)" \
		test "$(stat "$A" vcpu_deliveries)" -ge "$W"
	check "vmm: nothing unattributed" unattributed_zero
	check "vmm: every fast wakeup timed to its delivery ($W)" eq samples \
		"$(lat_count "$A" wakeup_to_delivery) $(lat_count "$A" deferred_to_inject) $(stat "$A" latency_lost)" "$W 0 0"
	check "vmm: every delivery waited for a VM entry, timed or merged" entry_accounted
	[ -n "${IRQPATH_VMM_DEMO:-}" ] && vmm_demo
	echo 0 >$D/latency

	vmm_stop
	check "vmm: QEMU gone, its VM's record with it" wait_for 100 no_vm "$QPID"
	ip link del $VMM_TAP
	hostroot_umount
}

# The guest payload of make check-vmm (tests/harness/check-vmm.sh).
if [ "${0##*/}" = vmm.sh ]; then
	# shellcheck source=tests/e2e/lib.sh
	. /tests/e2e/lib.sh
	# shellcheck source=tests/e2e/control.sh
	. /tests/e2e/control.sh
	modprobe "$KVM_VENDOR" || log "modprobe $KVM_VENDOR failed"
	dmesg_mark
	check "tracer loads" tracer_load
	run_tests vmm
	t_dmesg_clean
	echo "# vmm: $NCHECK checks, $NFAIL failed"
	[ "$NFAIL" = 0 ]
fi
