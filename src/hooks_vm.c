// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifetime. A struct kvm address is reused once its VM is freed, so the
 * record must be retired at destroy, not left for a later VM to inherit.
 */
#include <linux/kvm_host.h>
#include <linux/sched.h>

#include "irqpath/hooks.h"

IRQPATH_HEADER_PROTO(kvm_arch_init_vm, int, struct kvm *, unsigned long);
IRQPATH_HEADER_PROTO(kvm_arch_destroy_vm, void, struct kvm *);

int irqpath_vm_init_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	irqpath_hit(irqpath_kretprobe(ri));
	*(struct kvm **)ri->data = (struct kvm *)regs_get_kernel_argument(regs, 0);
	return 0;
}

/* Runs in the VMM's KVM_CREATE_VM ioctl: current is the VMM. */
int irqpath_vm_init_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kvm *kvm = *(struct kvm **)ri->data;

	if ((int)regs_return_value(regs) == 0) {
		/* The address may be a destroyed VM's we never saw go. */
		irqpath_classify_forget(kvm);
		irqpath_vm_create(kvm, current->tgid, current->comm);
	}
	return 0;
}

IRQPATH_FENTRY(irqpath_vm_destroy_fentry)
{
	struct kvm *kvm = (struct kvm *)irqpath_arg(fregs, 0);

	irqpath_classify_forget(kvm);
	irqpath_vm_retire(kvm);
}
