# SPDX-License-Identifier: GPL-2.0
# VFIO MSIs of QEMU's edu device: to userspace, on the irqfd path, and the
# IRQ bypass producer they connect. edufire waits for each MSI to be seen
# in /proc/interrupts before raising the next, so coalescing can't hide one.

verdict() { awk -v v="$1:" '$1 == v { sub(/^[^ ]+ /, ""); print }' "$D/summary"; }
producers() { tail -n +2 "$D/vms/$1/producers"; }

# READY pid=<pid> vms=<n> irq=<irq>
edu_irq() { sed -n '1s/.* irq=\([0-9]*\).*/\1/p' /tmp/vm$1.out; }

# From 6.12 KVM connects a bypass consumer only with IRQ posting, which TCG
# lacks: a test module forces kvm_arch_has_irq_bypass(). From 6.17 that is
# an inline reading a variable exported to kvm's vendor modules alone, so
# nothing can force it: force_bypass fails and the bypass checks are skipped.
force_bypass() {
	case "$(uname -r)" in
	6.1.*) return 0 ;;
	esac
	grep -q ' kvm_arch_has_irq_bypass' /proc/kallsyms || return 1
	lsmod | grep -q irqpath_force_bypass || insmod /testmod/irqpath_force_bypass.ko
}
NO_BYPASS="no IRQ posting under emulation; kvm_arch_has_irq_bypass() is inline here"

t_vfio_paths() {
	if ! [ -e /sys/bus/pci/drivers/vfio-pci ]; then
		check "vfio: vfio-pci driver present" false
		return
	fi
	if ! co_start 5 edufire; then
		check "vfio: edufire starts" false
		return
	fi
	e=$(vm_pid 5)
	irq=$(edu_irq 5)
	wait_vm "$e"
	E=$(vm_dir_of "$e")

	# 1. No irqfd on the MSI eventfd: every MSI goes to the VMM.
	check "vfio: 50 MSIs read by userspace" vm_cmd 5 "raise 50"
	check "vfio: the eventfd read 50" eq read "$(tail -1 /tmp/vm5.out)" "DONE raise 50 read=50"
	check "vfio: vfio_msi = vfio_msi_userspace = 50" eq user \
		"$(stat "$E" vfio_msi) $(stat "$E" vfio_msi_userspace)" "50 50"
	check "vfio: no irqfd counts" eq irqfd \
		"$(stat "$E" vfio_msi_irqfd) $(stat "$E" irqfd_wakeups)" "0 0"
	check "vfio: verdict says userspace" eq verdict "$(verdict "$E")" \
		"50 of 50 VFIO MSIs went to userspace: no irqfd on these eventfds"

	# 2. The same eventfd as a KVM irqfd: handled in the kernel.
	echo 1 >$D/reset
	bypass=1
	force_bypass || bypass=0
	check "vfio: irqfd on" vm_cmd 5 "irqfd on"
	echo 1 >$D/latency
	check "vfio: 40 MSIs on the irqfd" vm_cmd 5 "raise 40"
	echo 0 >$D/latency
	check "vfio: 40 MSI-to-wakeup and 40 wakeup-to-delivery samples" eq lat \
		"$(lat_count "$E" vfio_to_wakeup) $(lat_count "$E" wakeup_to_delivery)" "40 40"
	check "vfio: vfio_msi = vfio_msi_irqfd = 40" eq irqfd \
		"$(stat "$E" vfio_msi) $(stat "$E" vfio_msi_irqfd) $(stat "$E" vfio_msi_userspace)" "40 40 0"
	check "vfio: 40 irqfd fast-path deliveries" eq fast \
		"$(stat "$E" irqfd_wakeups) $(stat "$E" irqfd_fast) $(stat "$E" vcpu_deliveries)" "40 40 40"
	check "vfio: the 40 wakeups signalled from the MSI handler (irq)" eq sig \
		"$(gsi_signal "$E" 24)" "40 0 0 0"
	check "vfio: no IRTE really changed under emulation" eq irte \
		"$(stat "$E" irte_posted) $(stat "$E" irte_remapped)" "0 0"
	if [ "$bypass" = 1 ]; then
		check "vfio: bypass producer connected" eq bypass \
			"$(stat "$E" bypass_add) $(stat "$E" producers_active)" "1 1"
		check "vfio: producer row: host irq $irq, gsi 24, connected" \
			eq producers "$(producers "$E")" "$irq 24 connected 0"
		check "vfio: verdict says irqfd" eq verdict "$(verdict "$E")" \
			"40 of 40 VFIO MSIs took the irqfd path in the host: 1 bypass producer(s) connected, none posted"
	else
		skip "vfio: bypass producer connected" "$NO_BYPASS"
		check "vfio: no bypass, no producer row" eq bypass \
			"$(stat "$E" bypass_add) $(stat "$E" producers_active) $(producers "$E")" "0 0 "
		check "vfio: verdict says irqfd, no producer" eq verdict "$(verdict "$E")" \
			"40 of 40 VFIO MSIs took the irqfd path in the host"
	fi

	# 3. Detach and close: the producer goes.
	check "vfio: irqfd off" vm_cmd 5 "irqfd off"
	check "vfio: close the device" vm_cmd 5 "close"
	check "vfio: bypass_del counts it" eq del "$(stat "$E" bypass_del)" "$bypass"
	check "vfio: producers empty" eq producers "$(producers "$E")" ""
	check "vfio: producers_active 0" eq active "$(stat "$E" producers_active)" 0
	vm_stop 5
}

# An eventfd registered by a process with two VMs belongs to neither.
t_vfio_two_vms() {
	before=$(unattr vfio_msi_userspace)
	co_start 5 edufire -v 2 || { check "vfio: edufire -v 2 starts" false; return; }
	e=$(vm_pid 5)
	wait_for 100 test "$(vm_dir_of "$e" | wc -l)" = 2
	check "vfio2: 20 MSIs" vm_cmd 5 "raise 20"
	check "vfio2: unattributed, +20" eq unattr "$(unattr vfio_msi_userspace)" $((before + 20))
	check "vfio2: with the pid" eq pid "$(unattr vfio_msi_pid_$e)" 20
	for X in $(vm_dir_of "$e"); do
		check "vfio2: $X counts none" eq vfio "$(stat "$X" vfio_msi)" 0
	done
	vm_stop 5
}

# pi_ipis per CPU = the /proc/interrupts deltas since the last reset.
proc_pi() {
	awk -v r="$1:" '$1 == r { s = ""; for (i = 2; i <= n + 1; i++) s = s $i " "; print s }' \
		n="$(grep -c ^processor /proc/cpuinfo)" /proc/interrupts
}
pi_col() {
	awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
		$1 != "total" { s = s $k " " } END { print s }' "$D/pi_ipis"
}
sub_rows() {
	echo "$1 $2" | awk '{ n = NF / 2; s = ""; for (i = 1; i <= n; i++) s = s ($(i + n) - $i) " "; print s }'
}

t_pi_ipis() {
	for r in PIN NPI PIW; do
		eval "b_$r=\"\$(proc_pi $r)\""
	done
	echo 1 >$D/reset
	fire_and_count 200 "pi_ipis: traffic meanwhile"
	for r in PIN NPI PIW; do
		eval "b=\$b_$r"
		check "pi_ipis: $r per CPU = /proc/interrupts delta" \
			eq "$r" "$(pi_col $r)" "$(sub_rows "$b" "$(proc_pi $r)")"
	done
}
