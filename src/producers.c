// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's IRQ bypass producers: the host IRQs of its VFIO vectors that met
 * its irqfds, and whether their IRTEs post into a vCPU. A small table in
 * the VM's record; bypass and IRTE hooks (process context) change it,
 * readers copy it.
 */
#include <linux/spinlock.h>
#include <linux/string.h>

#include "irqpath/registry.h"

/* Guards every VM's producers[]. */
static DEFINE_SPINLOCK(irqpath_producer_lock);

static struct irqpath_producer *irqpath_producer_find(struct irqpath_vm *vm,
						      int irq)
{
	unsigned int i;

	lockdep_assert_held(&irqpath_producer_lock);
	for (i = 0; i < IRQPATH_PRODUCERS; i++)
		if (vm->producers[i].irq == irq)
			return &vm->producers[i];
	return NULL;
}

/* -ENOSPC when the VM has IRQPATH_PRODUCERS producers already. */
int irqpath_producer_add(struct irqpath_vm *vm, int irq, u32 gsi)
{
	struct irqpath_producer *p;
	unsigned long flags;

	if (irq <= 0)
		return -EINVAL;
	spin_lock_irqsave(&irqpath_producer_lock, flags);
	p = irqpath_producer_find(vm, irq);
	if (!p)
		p = irqpath_producer_find(vm, 0);
	if (p) {
		p->irq = irq;
		p->gsi = gsi;
		p->mode = IRQPATH_PRODUCER_CONNECTED;
		p->updates = 0;
	}
	spin_unlock_irqrestore(&irqpath_producer_lock, flags);
	return p ? 0 : -ENOSPC;
}

void irqpath_producer_del(struct irqpath_vm *vm, int irq)
{
	struct irqpath_producer *p;
	unsigned long flags;

	if (irq <= 0)
		return;
	spin_lock_irqsave(&irqpath_producer_lock, flags);
	p = irqpath_producer_find(vm, irq);
	if (p)
		memset(p, 0, sizeof(*p));
	spin_unlock_irqrestore(&irqpath_producer_lock, flags);
}

/* An IRTE really changed: posted to a vCPU, or back to remapped. */
void irqpath_producer_irte(struct irqpath_vm *vm, int irq, bool posted)
{
	struct irqpath_producer *p;
	unsigned long flags;

	if (irq <= 0)
		return;
	spin_lock_irqsave(&irqpath_producer_lock, flags);
	p = irqpath_producer_find(vm, irq);
	if (p) {
		p->mode = posted ? IRQPATH_PRODUCER_POSTED :
				   IRQPATH_PRODUCER_REMAPPED;
		p->updates++;
	}
	spin_unlock_irqrestore(&irqpath_producer_lock, flags);
}

/* Copies the used rows, in table order, into out[IRQPATH_PRODUCERS]. */
unsigned int irqpath_producers_copy(struct irqpath_vm *vm,
				    struct irqpath_producer *out)
{
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&irqpath_producer_lock, flags);
	for (i = 0; i < IRQPATH_PRODUCERS; i++)
		if (vm->producers[i].irq)
			out[n++] = vm->producers[i];
	spin_unlock_irqrestore(&irqpath_producer_lock, flags);
	return n;
}
