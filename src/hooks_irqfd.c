// SPDX-License-Identifier: GPL-2.0
/*
 * The irqfd paths of virt/kvm/eventfd.c: a wakeup either delivers in place
 * (kvm_arch_set_irq_inatomic succeeds) or defers to the irqfd_inject work,
 * which may merge several wakeups into one injection.
 *
 * Whether a wakeup was fast or deferred is read without a return probe:
 * see irqpath_wakeup_begin().
 */
#include <linux/kvm_host.h>
#include <linux/kvm_irqfd.h>
#include <linux/poll.h>
#include <linux/workqueue.h>

#include "irqpath/classify.h"
#include "irqpath/hooks.h"

/* irqfd_wakeup(wait, mode, sync, key): the eventfd's lock held, irqs off. */
IRQPATH_FENTRY_DIRECT(irqpath_irqfd_wakeup_fentry, IRQPATH_P_IRQFD_WAKEUP)
{
	struct kvm_kernel_irqfd *irqfd;
	struct irqpath_msi_ctx *msi;
	struct irqpath_vm *vm;
	__poll_t flags;

	/* EPOLLHUP at close is no interrupt. */
	flags = key_to_poll((void *)irqpath_arg(fregs, 3));
	if (!(flags & EPOLLIN))
		return;

	irqfd = container_of((wait_queue_entry_t *)irqpath_arg(fregs, 0),
			     struct kvm_kernel_irqfd, wait);
	vm = irqpath_vm_of(irqfd->kvm);
	msi = this_cpu_ptr(&irqpath_msi_ctx);
	if (msi->trigger == irqfd->eventfd)
		msi->irqfd_vm = vm;	/* a VFIO MSI handled in the kernel */
	irqpath_wakeup_begin(this_cpu_ptr(&irqpath_wakeup), irqfd->kvm,
			     &irqfd->inject, vm, irqfd->gsi);
}

/*
 * queue_work_on(cpu, wq, work), for every work item of the system: the
 * common case returns at the first test. irqfd_wakeup queues its irqfd's
 * inject work when kvm_arch_set_irq_inatomic can't deliver; the only other
 * place that queues it, kvm_irqfd_assign, runs with interrupts on.
 */
IRQPATH_FENTRY(irqpath_irqfd_defer_fentry)
{
	struct irqpath_wakeup *w = this_cpu_ptr(&irqpath_wakeup);

	if (likely(!READ_ONCE(w->kvm)))
		return;
	if (irqs_disabled())
		irqpath_wakeup_defer(w, (void *)irqpath_arg(fregs, 2));
	else
		irqpath_wakeup_settle_irqs_on(NULL);
}

/* irqfd_inject(work): the deferred path, in a kworker. */
IRQPATH_FENTRY_DIRECT(irqpath_irqfd_inject_fentry, IRQPATH_P_IRQFD_INJECT)
{
	struct kvm_kernel_irqfd *irqfd;
	struct irqpath_vm *vm;

	irqfd = container_of((struct work_struct *)irqpath_arg(fregs, 0),
			     struct kvm_kernel_irqfd, inject);
	vm = irqpath_vm_of(irqfd->kvm);
	irqpath_inc(vm, IRQPATH_IRQFD_INJECTS);
	irqpath_inc_gsi(vm, irqfd->gsi, IRQPATH_GSI_INJECTS);
}

IRQPATH_HEADER_PROTO(kvm_set_msi, int, struct kvm_kernel_irq_routing_entry *,
		     struct kvm *, int, int, bool);
IRQPATH_HEADER_PROTO(queue_work_on, bool, int, struct workqueue_struct *,
		     struct work_struct *);

/* kvm_set_msi(e, kvm, ...): KVM_SIGNAL_MSI and deferred MSI routes. */
IRQPATH_FENTRY_DIRECT(irqpath_set_msi_fentry, IRQPATH_P_KVM_SET_MSI)
{
	struct kvm *kvm = (struct kvm *)irqpath_arg(fregs, 1);

	irqpath_inc(irqpath_vm_of(kvm), IRQPATH_MSI_INJECTS);
}
