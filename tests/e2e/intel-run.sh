#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The e2e tests an Intel guest can run, as /init's payload (mode intel) under
# Bochs (tests/harness/check-intel.sh): those needing no VFIO device, no IOMMU,
# no 9p host root and no bpftrace. Bochs runs about 50 M instructions/s.
. /tests/e2e/families.sh

check "guest CPU has VMX (vendor module $KVM_VENDOR)" eq vendor "$KVM_VENDOR" kvm_intel
modprobe kvm_intel || log "modprobe kvm_intel failed"
# vfio_pci with no device to bind: its hooks attach, as in the AMD guest
modprobe vfio_pci || log "modprobe vfio_pci failed"
P=/sys/module/kvm_intel/parameters
log "kvm_intel: enable_apicv=$(cat $P/enable_apicv 2>/dev/null) ept=$(cat $P/ept 2>/dev/null) vpid=$(cat $P/vpid 2>/dev/null)"
dmesg_mark
sed 's/^/# before the tracer: /' /tmp/dmesg.before
start=$(date +%s)
check "tracer loads" tracer_load
log "--- insmod: $(($(date +%s) - start)) s"

run_tests probes_attached msi_irqfd msi_vcpu signallers latency wrong_field ioapic_deferred signal_msi \
	  two_vms_at_once reset_control vm_before_insmod vm_before_insmod_thread \
	  destroy_and_reuse kvm_modules_cycle

t_dmesg_clean
echo "# intel: $NCHECK checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
