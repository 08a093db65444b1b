// SPDX-License-Identifier: GPL-2.0
/*
 * Event classification: which VM an IRTE update is for, and where a VFIO
 * MSI went. The hooks read the arguments; the decision is here. The irqfd
 * fast/deferred state machine, on every interrupt, is inline in classify.h.
 */
#include <linux/cpumask.h>
#include <linux/irqflags.h>

#include "irqpath/classify.h"
#include "irqpath/efd_map.h"

DEFINE_PER_CPU(struct irqpath_wakeup, irqpath_wakeup);
DEFINE_PER_CPU(struct irqpath_irte_ctx, irqpath_irte_ctx);
DEFINE_PER_CPU(struct irqpath_msi_ctx, irqpath_msi_ctx);

/* Settles with interrupts on: no wakeup may open on this CPU meanwhile. */
struct irqpath_vm *irqpath_wakeup_settle_irqs_on(const void *kvm)
{
	struct irqpath_vm *vm;
	unsigned long flags;

	local_irq_save(flags);
	vm = irqpath_wakeup_settle(this_cpu_ptr(&irqpath_wakeup), kvm);
	local_irq_restore(flags);
	return vm;
}

/*
 * A VM is going, or its address is reused: no CPU's open wakeup or IRTE
 * update may keep its record. Called at create and at destroy.
 */
void irqpath_classify_forget(const void *kvm)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		irqpath_wakeup_forget(per_cpu_ptr(&irqpath_wakeup, cpu), kvm);
		irqpath_irte_ctx_forget(per_cpu_ptr(&irqpath_irte_ctx, cpu), kvm);
	}
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
