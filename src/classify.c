// SPDX-License-Identifier: GPL-2.0
/*
 * Event classification: the irqfd fast path against the deferred one, and
 * where a VFIO MSI went. The hooks read the arguments; the decision is here.
 */
#include <linux/errno.h>

#include "irqpath/classify.h"
#include "irqpath/efd_map.h"

/* kvm_arch_set_irq_inatomic() returns -EWOULDBLOCK when it must defer. */
bool irqpath_irqfd_deferred(int ret)
{
	return ret == -EWOULDBLOCK;
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
