// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of an interrupt to a vCPU's local APIC, as the vendor module
 * sees it: the last host step before the vCPU is kicked or posted to.
 */
#include <linux/kvm_host.h>

#include "irqpath/hooks.h"

static void irqpath_count_delivery(struct kvm_vcpu *vcpu)
{
	struct irqpath_vm *vm = irqpath_vm_of(vcpu->kvm);

	irqpath_inc(vm, IRQPATH_VCPU_DELIVERIES);
	irqpath_inc_vcpu(vm, vcpu->vcpu_id);
}

/*
 * vmx_deliver_interrupt(apic, ...) names the vCPU only through struct
 * kvm_lapic, which is private to arch/x86/kvm: without it the delivery is
 * counted, but as unattributed. 5.15's form takes the vcpu.
 */
int irqpath_vmx_deliver_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct irqpath_probe *p = irqpath_kprobe(kp);

	irqpath_hit(p);
	if (p->sym_idx == 1)
		irqpath_count_delivery((struct kvm_vcpu *)
				       regs_get_kernel_argument(regs, 0));
	else
		irqpath_inc(irqpath_unattributed, IRQPATH_VCPU_DELIVERIES);
	return 0;
}

/* svm_complete_interrupt_delivery(vcpu, ...) / svm_deliver_avic_intr(vcpu, ...) */
int irqpath_svm_deliver_pre(struct kprobe *kp, struct pt_regs *regs)
{
	irqpath_hit(irqpath_kprobe(kp));
	irqpath_count_delivery((struct kvm_vcpu *)regs_get_kernel_argument(regs, 0));
	return 0;
}
