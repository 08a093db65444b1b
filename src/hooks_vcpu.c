// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of an interrupt to a vCPU's local APIC, as the vendor module
 * sees it: the last host step before the vCPU is kicked or posted to. A
 * delivery also settles the irqfd wakeup this CPU was handling as fast.
 */
#include <linux/kvm_host.h>

#include "irqpath/hooks.h"

static __always_inline void irqpath_count_delivery(struct kvm_vcpu *vcpu)
{
	struct irqpath_vm *vm = irqpath_irqfd_settle(vcpu->kvm);

	if (!vm)
		vm = irqpath_vm_of(vcpu->kvm);
	irqpath_inc(vm, IRQPATH_VCPU_DELIVERIES);
	irqpath_inc_vcpu(vm, vcpu->vcpu_id);
}

/*
 * vmx_deliver_interrupt(apic, ...) names the vCPU only through struct
 * kvm_lapic, which is private to arch/x86/kvm: without it the delivery is
 * counted, but as unattributed. 5.15's form takes the vcpu.
 */
IRQPATH_FENTRY_DIRECT(irqpath_vmx_deliver_fentry, IRQPATH_P_VMX_DELIVER)
{
	if (p->sym_idx == 1) {
		irqpath_count_delivery((struct kvm_vcpu *)irqpath_arg(fregs, 0));
		return;
	}
	irqpath_irqfd_settle(NULL);
	irqpath_inc(irqpath_unattributed, IRQPATH_VCPU_DELIVERIES);
}

/* svm_complete_interrupt_delivery(vcpu, ...) / svm_deliver_avic_intr(vcpu, ...) */
IRQPATH_FENTRY_DIRECT(irqpath_svm_deliver_fentry, IRQPATH_P_SVM_DELIVER)
{
	irqpath_count_delivery((struct kvm_vcpu *)irqpath_arg(fregs, 0));
}
