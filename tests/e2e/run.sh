#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# End-to-end tests of kvm_irqpath, run as /init's payload in the QEMU guest.
# Every count is exact where KVM makes it exact: one eventfd write is one
# irqfd wakeup, one fast-path delivery and one LAPIC delivery.
. /tests/e2e/families.sh
. /tests/e2e/tool.sh
. /tests/e2e/livepatch.sh
. /tests/e2e/bpf.sh

modprobe $KVM_VENDOR || log "modprobe $KVM_VENDOR failed"
modprobe vfio_pci && modprobe vfio_iommu_type1 || log "modprobe vfio failed"
dmesg_mark
check "tracer loads" tracer_load

run_tests probes_attached msi_irqfd msi_vcpu signallers latency latency_shape rows_full direct_fallback livepatch bpf_kfunc wrong_proto \
	  wrong_field namesake ioapic_deferred signal_msi two_vms_at_once \
	  reset_control vfio_paths vfio_two_vms pi_ipis irqpath_tool \
	  vm_before_insmod vm_before_insmod_thread destroy_and_reuse kvm_modules_cycle \
	  tracer_before_kvm unload_under_storm

t_dmesg_clean
echo "# e2e: $NCHECK checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
