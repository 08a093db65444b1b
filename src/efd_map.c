// SPDX-License-Identifier: GPL-2.0
/*
 * The eventfd map. Entries come and go with producer registration (process
 * context) and are read from hard-IRQ context under RCU. It holds only live
 * producers, so it stays as small as the number of assigned vectors.
 */
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "irqpath/efd_map.h"

#define IRQPATH_EFD_BITS	8

struct irqpath_efd {
	struct hlist_node node;
	const void *ctx;
	pid_t pid;
	int irq;
	struct rcu_head rcu;
};

static DEFINE_HASHTABLE(irqpath_efds, IRQPATH_EFD_BITS);
static DEFINE_SPINLOCK(irqpath_efd_lock);
static unsigned int irqpath_nr_efds;

static struct irqpath_efd *irqpath_efd_find(const void *ctx)
{
	struct irqpath_efd *e;

	hash_for_each_possible_rcu(irqpath_efds, e, node, (unsigned long)ctx)
		if (e->ctx == ctx)
			return e;
	return NULL;
}

static void irqpath_efd_unlink(struct irqpath_efd *e)
{
	lockdep_assert_held(&irqpath_efd_lock);
	hash_del_rcu(&e->node);
	irqpath_nr_efds--;
	kfree_rcu(e, rcu);
}

/* A ctx registered again (an address reused) takes the new owner. */
int irqpath_efd_add(const void *ctx, pid_t pid, int irq)
{
	struct irqpath_efd *e, *old;
	unsigned long flags;

	e = kzalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		return -ENOMEM;
	e->ctx = ctx;
	e->pid = pid;
	e->irq = irq;

	spin_lock_irqsave(&irqpath_efd_lock, flags);
	old = irqpath_efd_find(ctx);
	if (old)
		irqpath_efd_unlink(old);
	hash_add_rcu(irqpath_efds, &e->node, (unsigned long)ctx);
	irqpath_nr_efds++;
	spin_unlock_irqrestore(&irqpath_efd_lock, flags);
	return 0;
}

void irqpath_efd_del(const void *ctx)
{
	struct irqpath_efd *e;
	unsigned long flags;

	spin_lock_irqsave(&irqpath_efd_lock, flags);
	e = irqpath_efd_find(ctx);
	if (e)
		irqpath_efd_unlink(e);
	spin_unlock_irqrestore(&irqpath_efd_lock, flags);
}

/* Caller holds rcu_read_lock or runs with preemption disabled. */
bool irqpath_efd_lookup(const void *ctx, pid_t *pid, int *irq)
{
	struct irqpath_efd *e = irqpath_efd_find(ctx);

	if (!e)
		return false;
	*pid = e->pid;
	*irq = e->irq;
	return true;
}

unsigned int irqpath_efd_count(void)
{
	return READ_ONCE(irqpath_nr_efds);
}

unsigned long irqpath_efd_bytes(void)
{
	return (unsigned long)READ_ONCE(irqpath_nr_efds) *
	       sizeof(struct irqpath_efd);
}

/* Called once no probe can run any more. */
void irqpath_efd_exit(void)
{
	struct irqpath_efd *e;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&irqpath_efd_lock, flags);
	hash_for_each_safe(irqpath_efds, bkt, tmp, e, node)
		irqpath_efd_unlink(e);
	spin_unlock_irqrestore(&irqpath_efd_lock, flags);
	rcu_barrier();
}
