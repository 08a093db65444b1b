// SPDX-License-Identifier: GPL-2.0
/*
 * Event classification: the irqfd fast path against the deferred one, and
 * where a VFIO MSI went. The hooks read the arguments; the decision is here.
 */
#include <linux/atomic.h>

#include "irqpath/classify.h"
#include "irqpath/efd_map.h"

static void irqpath_wakeup_count(struct irqpath_wakeup *w,
				 enum irqpath_counter c,
				 enum irqpath_gsi_col col)
{
	irqpath_inc(w->vm, c);
	irqpath_inc_gsi(w->vm, w->gsi, col);
	WRITE_ONCE(w->kvm, NULL);
}

/*
 * irqfd_wakeup calls kvm_arch_set_irq_inatomic and, when that can't
 * deliver, queues the irqfd's inject work. Reading that outcome from a
 * return probe would cost about three entry hooks per interrupt, so it is
 * read from what follows: the wakeup is deferred if it queues its inject
 * work, and fast (handled in place) once anything else happens on its CPU,
 * the first being the delivery to a vCPU it makes. Wakeups run with
 * interrupts off, so the next event on the CPU comes after the wakeup ends.
 * Counts the wakeup; settles a previous one still open as fast.
 */
void irqpath_wakeup_begin(struct irqpath_wakeup *w, const void *kvm,
			  const void *inject, struct irqpath_vm *vm, u32 gsi)
{
	if (w->kvm)
		irqpath_wakeup_count(w, IRQPATH_IRQFD_FAST, IRQPATH_GSI_FAST);
	irqpath_inc(vm, IRQPATH_IRQFD_WAKEUPS);
	irqpath_inc_gsi(vm, gsi, IRQPATH_GSI_WAKEUPS);
	w->inject = inject;
	w->vm = vm;
	w->gsi = gsi;
	WRITE_ONCE(w->kvm, kvm);
}

/* A work item is queued inside the open wakeup: deferred if it is its own. */
bool irqpath_wakeup_defer(struct irqpath_wakeup *w, const void *work)
{
	if (!w->kvm || work != w->inject)
		return false;
	irqpath_wakeup_count(w, IRQPATH_IRQFD_DEFERRED, IRQPATH_GSI_DEFERRED);
	return true;
}

/*
 * After the open wakeup, or inside it at a delivery: it was fast. Returns
 * its VM's record when that VM is kvm (a delivery's own), NULL otherwise.
 */
struct irqpath_vm *irqpath_wakeup_settle(struct irqpath_wakeup *w,
					 const void *kvm)
{
	struct irqpath_vm *vm = NULL;

	if (!w->kvm)
		return NULL;
	if (w->kvm == kvm)
		vm = w->vm;
	irqpath_wakeup_count(w, IRQPATH_IRQFD_FAST, IRQPATH_GSI_FAST);
	return vm;
}

/* kvm's VM is going: its record must not be counted into from here. */
void irqpath_wakeup_forget(struct irqpath_wakeup *w, const void *kvm)
{
	cmpxchg(&w->kvm, kvm, NULL);
}

/*
 * {vmx,avic}_pi_update_irte take (kvm, host_irq, guest_irq, set) up to 6.16
 * and (irqfd, kvm, host_irq, guest_irq, vcpu, vector) from 6.17 on. The
 * VM is whichever of the first two arguments is the struct kvm of a VM we
 * know, looked up and never dereferenced; the host IRQ follows it. NULL
 * when neither is (a VM from before we loaded, not seen since).
 * Caller holds rcu_read_lock or runs with preemption disabled.
 */
struct irqpath_vm *irqpath_irte_vm(const unsigned long *args, int *host_irq)
{
	struct irqpath_vm *vm;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		vm = irqpath_vm_lookup((const void *)args[i]);
		if (vm) {
			*host_irq = (int)args[i + 1];
			return vm;
		}
	}
	*host_irq = 0;
	return NULL;
}

/*
 * A VFIO MSI's eventfd was signalled. If an irqfd took it (irqfd_vm, named
 * by the nested irqfd_wakeup), it was handled in the kernel. Otherwise the
 * VMM that registered the eventfd reads it: its VM is known only when that
 * process owns exactly one. NULL: unattributed, with *pid (0 if unknown).
 * Caller holds rcu_read_lock or runs with preemption disabled.
 */
struct irqpath_vm *irqpath_vfio_classify(const void *trigger,
					 struct irqpath_vm *irqfd_vm,
					 enum irqpath_counter *path,
					 pid_t *pid)
{
	unsigned int nr;
	int irq;

	*pid = 0;
	if (irqfd_vm) {
		*path = IRQPATH_VFIO_MSI_IRQFD;
		return irqfd_vm;
	}
	*path = IRQPATH_VFIO_MSI_USERSPACE;
	if (!irqpath_efd_lookup(trigger, pid, &irq))
		return NULL;
	return irqpath_vm_of_pid(*pid, &nr);
}
