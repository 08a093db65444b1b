#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: two VMs with irqfd traffic, then what kvm_irqpath shows.
. /tests/e2e/lib.sh

show() {
	echo
	echo "\$ cat $1"
	cat "$1"
}

modprobe kvm_amd || exit 1
tracer_load || exit 1
vm_start 3 -r msi -g 24 || exit 1
vm_start 4 -r ioapic -g 5 || exit 1
wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
A=$(vm_dir_of "$(vm_pid 3)")

echo "VM $A: 1000 eventfd writes on an MSI-routed irqfd (GSI 24), 200 KVM_SIGNAL_MSI"
echo "VM $(vm_dir_of "$(vm_pid 4)"): 300 eventfd writes on an IOAPIC-routed irqfd (GSI 5)"
vm_send 3 "fire 1000"
vm_send 4 "fire 300"
vm_wait 3 && vm_wait 4 && vm_cmd 3 "msi 200" || exit 1
wait_for 100 test "$(stat "$(vm_dir_of "$(vm_pid 4)")" irqfd_injects)" -ge 1

show $D/summary
show $D/probes
show $D/vms/$A/stats
show $D/vms/$A/gsi
show $D/vms/$A/vcpus
show $D/vms/$A/info
show $D/unattributed
vm_stop 3
vm_stop 4
