#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo-vmfire: two VMs with irqfd traffic and a VFIO device whose MSIs first
# go to userspace, then through a KVM irqfd; then what kvm_irqpath shows. The module's
# files are dumped twice (lib.sh: tree_dump), before and after the irqfd goes on; `make
# trees` keeps them as tests/tool/trees/demo and vfio, the trees irqpath's host tests read.
. /tests/e2e/lib.sh
. /tests/e2e/hostroot.sh
. /tests/e2e/vfio.sh

show() {
	echo
	echo "\$ cat $1"
	cat "$1"
}

modprobe kvm_amd && modprobe vfio_pci && modprobe vfio_iommu_type1 || exit 1
tracer_load || exit 1
echo "\$ echo 1 > $D/latency   # hop timing on"
echo 1 >$D/latency

# A VMM with two VMs: no VM can be told as the owner of its device's MSIs.
co_start 6 edufire -v 2 || exit 1
echo "VMM $(vm_pid 6) (edufire -v 2): two VMs, 20 MSIs read by the VMM, then it exits"
vm_cmd 6 "raise 20" || exit 1
vm_stop 6

vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 && co_start 5 edufire || exit 1
wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)" && wait_vm "$(vm_pid 5)" || exit 1
A=$(vm_dir_of "$(vm_pid 3)")
B=$(vm_dir_of "$(vm_pid 4)")
C=$(vm_dir_of "$(vm_pid 5)")

echo "VM $A (vmfire): 1000 eventfd writes on an MSI-routed irqfd (GSI 24), 200 KVM_SIGNAL_MSI"
echo "VM $B (vmfire): 300 eventfd writes on an IOAPIC-routed irqfd (GSI 5)"
echo "VM $C (edufire): QEMU's edu device through VFIO, 10 MSIs read by the VMM"
vm_send 3 "fire 1000"
vm_send 4 "fire 300"
vm_send 5 "raise 10"
vm_wait 3 && vm_wait 4 && vm_wait 5 && vm_cmd 3 "msi 200" || exit 1
wait_for 100 test "$(stat "$B" irqfd_injects)" -ge 1
show $D/summary
show $D/vms/$A/stats
show $D/vms/$A/gsi
show $D/vms/$A/vcpus
show $D/vms/$A/info
show $D/vms/$A/latency
tree_dump demo

echo
echo "VM $C: the same MSI eventfd attached as a KVM irqfd, 40 more MSIs"
# KVM connects the bypass producer only when it can post (vfio.sh: force_bypass)
force_bypass || echo "(no bypass producer: $NO_BYPASS)"
vm_cmd 5 "irqfd on" && vm_cmd 5 "raise 40" || exit 1
show $D/summary
show $D/vms/$C/producers
show $D/vms/$C/gsi
show $D/probes
show $D/unattributed
show $D/pi_ipis
show $D/memory
tree_dump vfio

# The host's python3 and scripts/irqpath, over 9p: the guest has only busybox.
if hostroot_mount; then
	echo
	echo "\$ irqpath"
	hostroot_run python3 "$(hostrepo)/scripts/irqpath"
	echo
	echo "\$ irqpath --vm $C"
	hostroot_run python3 "$(hostrepo)/scripts/irqpath" --vm "$C"
	hostroot_umount
fi
vm_stop 3
vm_stop 4
vm_stop 5
echo 0 >$D/latency
