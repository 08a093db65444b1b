// SPDX-License-Identifier: GPL-2.0
/*
 * The irqfd paths of virt/kvm/eventfd.c: a wakeup either delivers in place
 * (kvm_arch_set_irq_inatomic succeeds) or defers to the irqfd_inject work,
 * which may merge several wakeups into one injection.
 */
#include <linux/kvm_host.h>
#include <linux/kvm_irqfd.h>
#include <linux/poll.h>

#include "irqpath/classify.h"
#include "irqpath/hooks.h"

/*
 * What irqfd_wakeup saw, for the kvm_arch_set_irq_inatomic it calls next on
 * this CPU: wakeups run with interrupts off, so nothing comes in between,
 * and the routing entry it passes has no GSI when the GSI has several
 * routes.
 */
static DEFINE_PER_CPU(struct irqpath_fast_data, irqpath_wakeup_ctx);

/* irqfd_wakeup(wait, mode, sync, key): hard-IRQ or eventfd lock held. */
int irqpath_irqfd_wakeup_pre(struct kprobe *kp, struct pt_regs *regs)
{
	wait_queue_entry_t *wait;
	struct kvm_kernel_irqfd *irqfd;
	struct irqpath_msi_ctx *msi;
	struct irqpath_vm *vm;
	__poll_t flags;

	irqpath_hit(irqpath_kprobe(kp));
	/* EPOLLHUP at close is no interrupt. */
	flags = key_to_poll((void *)regs_get_kernel_argument(regs, 3));
	if (!(flags & EPOLLIN))
		return 0;

	wait = (wait_queue_entry_t *)regs_get_kernel_argument(regs, 0);
	irqfd = container_of(wait, struct kvm_kernel_irqfd, wait);
	vm = irqpath_vm_of(irqfd->kvm);
	msi = this_cpu_ptr(&irqpath_msi_ctx);
	if (msi->trigger == irqfd->eventfd)
		msi->irqfd_vm = vm;	/* a VFIO MSI handled in the kernel */
	irqpath_inc(vm, IRQPATH_IRQFD_WAKEUPS);
	irqpath_inc_gsi(vm, irqfd->gsi, IRQPATH_GSI_WAKEUPS);
	this_cpu_write(irqpath_wakeup_ctx.vm, vm);
	this_cpu_write(irqpath_wakeup_ctx.gsi, irqfd->gsi);
	return 0;
}

/*
 * kvm_arch_set_irq_inatomic(e, kvm, ...): its only caller is irqfd_wakeup,
 * which holds preemption off across it, so the record stays valid until
 * the return handler (retiring waits for a grace period). Without the
 * wakeup's context (its probe missed) the GSI is not known.
 */
int irqpath_irqfd_fast_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct irqpath_fast_data *d = (struct irqpath_fast_data *)ri->data;
	struct kvm *kvm = (struct kvm *)regs_get_kernel_argument(regs, 1);
	struct irqpath_fast_data *ctx;

	irqpath_hit(irqpath_kretprobe(ri));
	ctx = this_cpu_ptr(&irqpath_wakeup_ctx);
	*d = *ctx;
	ctx->vm = NULL;
	if (unlikely(!d->vm || d->vm->key != kvm)) {
		d->vm = irqpath_vm_of(kvm);
		d->gsi = U32_MAX;
	}
	return 0;
}

int irqpath_irqfd_fast_ret(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct irqpath_fast_data *d = (struct irqpath_fast_data *)ri->data;

	if (irqpath_irqfd_deferred((int)regs_return_value(regs))) {
		irqpath_inc(d->vm, IRQPATH_IRQFD_DEFERRED);
		irqpath_inc_gsi(d->vm, d->gsi, IRQPATH_GSI_DEFERRED);
	} else {
		irqpath_inc(d->vm, IRQPATH_IRQFD_FAST);
		irqpath_inc_gsi(d->vm, d->gsi, IRQPATH_GSI_FAST);
	}
	return 0;
}

/* irqfd_inject(work): the deferred path, in a kworker. */
int irqpath_irqfd_inject_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct work_struct *work;
	struct kvm_kernel_irqfd *irqfd;
	struct irqpath_vm *vm;

	irqpath_hit(irqpath_kprobe(kp));
	work = (struct work_struct *)regs_get_kernel_argument(regs, 0);
	irqfd = container_of(work, struct kvm_kernel_irqfd, inject);
	vm = irqpath_vm_of(irqfd->kvm);
	irqpath_inc(vm, IRQPATH_IRQFD_INJECTS);
	irqpath_inc_gsi(vm, irqfd->gsi, IRQPATH_GSI_INJECTS);
	return 0;
}

/* kvm_set_msi(e, kvm, ...): KVM_SIGNAL_MSI and deferred MSI routes. */
int irqpath_set_msi_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct kvm *kvm = (struct kvm *)regs_get_kernel_argument(regs, 1);

	irqpath_hit(irqpath_kprobe(kp));
	irqpath_inc(irqpath_vm_of(kvm), IRQPATH_MSI_INJECTS);
	return 0;
}
