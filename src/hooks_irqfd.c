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
#include "irqpath/latency.h"

/* irqfd_wakeup(wait, mode, sync, key): the eventfd's lock held, irqs off. */
IRQPATH_FENTRY_DIRECT(irqpath_irqfd_wakeup_fentry, IRQPATH_P_IRQFD_WAKEUP)
{
	struct kvm_kernel_irqfd *irqfd;
	enum irqpath_signal_col by;
	struct irqpath_msi_ctx *msi;
	struct irqpath_wakeup *w;
	struct irqpath_vm *vm;
	unsigned int slot;
	__poll_t flags;
	pid_t tgid;
	bool irq;

	/* EPOLLHUP at close is no interrupt. */
	flags = key_to_poll((void *)irqpath_arg(fregs, 3));
	if (!(flags & EPOLLIN))
		return;

	irqfd = container_of((wait_queue_entry_t *)irqpath_arg(fregs, 0),
			     struct kvm_kernel_irqfd, wait);
	vm = irqpath_vm_of(irqfd->kvm);
	w = this_cpu_ptr(&irqpath_wakeup);
	msi = this_cpu_ptr(&irqpath_msi_ctx);
	irq = msi->trigger == irqfd->eventfd;
	if (irq)
		msi->irqfd_vm = vm;	/* a VFIO MSI handled in the kernel */
	slot = irqpath_slot_get(&vm->gsi_slots, irqfd->gsi);
	irqpath_wakeup_begin(w, irqfd->kvm, &irqfd->inject, vm, slot);
	w->t0 = 0;
	if (irqpath_latency_on()) {
		w->t0 = irqpath_lat_now();
		if (irq && msi->t0)
			irqpath_lat_record(vm, IRQPATH_HOP_VFIO_WAKEUP,
					   w->t0 - msi->t0);
	}

	irq |= in_hardirq();
	tgid = irq ? 0 : task_tgid_nr(current);
	by = irqpath_signaller_of(irq, current->flags, current->comm, tgid,
				  vm->pid);
	irqpath_inc_signal(vm, slot, by, tgid);
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
	if (!irqs_disabled()) {
		irqpath_wakeup_settle_irqs_on(NULL);
		return;
	}
	if (irqpath_wakeup_defer(w, (void *)irqpath_arg(fregs, 2)) && w->t0) {
		/* the oldest wakeup the inject work will serve */
		cmpxchg(&w->vm->lat_defer[w->slot], 0, w->t0);
	}
}

/* irqfd_inject(work): the deferred path, in a kworker. */
IRQPATH_FENTRY_DIRECT(irqpath_irqfd_inject_fentry, IRQPATH_P_IRQFD_INJECT)
{
	struct kvm_kernel_irqfd *irqfd;
	struct irqpath_vm *vm;
	u64 *t0;

	irqfd = container_of((struct work_struct *)irqpath_arg(fregs, 0),
			     struct kvm_kernel_irqfd, inject);
	vm = irqpath_vm_of(irqfd->kvm);
	irqpath_inc(vm, IRQPATH_IRQFD_INJECTS);
	irqpath_inc_gsi(vm, irqfd->gsi, IRQPATH_GSI_INJECTS);

	/* taken even with timing off, so no stale time outlives a switch */
	t0 = &vm->lat_defer[irqpath_slot_get(&vm->gsi_slots, irqfd->gsi)];
	if (READ_ONCE(*t0)) {
		u64 t = xchg(t0, 0);

		if (irqpath_latency_on())
			irqpath_lat_since(vm, IRQPATH_HOP_DEFER_INJECT, t);
	}
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
