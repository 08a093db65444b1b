#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stress and fault tests of kvm_irqpath (tests/e2e/stress.sh), run as /init's
# payload in the QEMU guest for irqpath.mode=stress. The kernel command line
# may set irqpath.stress_scale=ci|full and irqpath.stress_only=<t1,t2,...>.
for w in $(cat /proc/cmdline); do
	case $w in
	irqpath.stress_scale=*) STRESS_SCALE=${w#*=} ;;
	irqpath.stress_only=*) STRESS_ONLY=$(echo "${w#*=}" | tr , ' ') ;;
	esac
done
. /tests/e2e/families.sh
. /tests/e2e/stress.sh
. /tests/e2e/stress_control.sh
. /tests/e2e/stress_readers.sh
. /tests/e2e/stress_counts.sh
. /tests/e2e/stress_modules.sh
. /tests/e2e/stress_large.sh

log "stress: scale $STRESS_SCALE: insmod cycles $STRESS_INSMOD_CYCLES, kvm cycles $STRESS_KVM_CYCLES," \
	"VMs $STRESS_VMS, read $STRESS_READ_SECS s, control writes $STRESS_CTL_WRITES," \
	"exact fire $STRESS_EXACT_FIRE, edu $STRESS_EXACT_EDU"
modprobe kvm_amd || log "modprobe kvm_amd failed"
modprobe vfio_pci && modprobe vfio_iommu_type1 || log "modprobe vfio failed"
check "tracer loads" tracer_load

t0=$(date +%s)
for t in ${STRESS_ONLY:-$STRESS_TESTS}; do
	start=$(date +%s)
	log "--- stress_$t"
	t_stress_$t
	log "--- stress_$t: $(($(date +%s) - start)) s"
done
log "stress: all tests $(($(date +%s) - t0)) s"

t_stress_dmesg
echo "# stress: $NCHECK checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
