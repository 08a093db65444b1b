// SPDX-License-Identifier: GPL-2.0
/*
 * The record of a struct kvm, found lazily when the VM predates us: the
 * registry's lookup plus what only KVM's headers tell (the VMM process).
 * Below the hook files: they call it, it calls none of them.
 */
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>

#include "irqpath/probes.h"
#include "irqpath/vm_of.h"

/*
 * The VMM process of a VM found lazily. kvm->userspace_pid is the thread
 * that created the VM (task_pid_nr), which may have exited since; the
 * owner of the VM's mm (kvm holds the mm) is the process. Without
 * CONFIG_MEMCG there is no owner: a task that shares the mm is then one of
 * its threads, unless it is a kernel thread that borrowed it (a vhost
 * kthread). RCU: a task is freed after a grace period. Any context.
 */
static pid_t irqpath_vmm_of(struct kvm *kvm)
{
	pid_t pid = READ_ONCE(kvm->userspace_pid);
	struct task_struct *t = NULL;

	rcu_read_lock();
#ifdef CONFIG_MEMCG
	if (kvm->mm)
		t = rcu_dereference(kvm->mm->owner);
#endif
	if (!t && kvm->mm && current->mm == kvm->mm &&
	    !(current->flags & PF_KTHREAD))
		t = current;
	if (!t)
		t = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (t)
		pid = task_tgid_nr(t);
	rcu_read_unlock();
	return pid;
}

/*
 * irqpath_vm_of()'s slow path: a live kvm with no record yet, found lazily
 * when the VM predates us.
 */
struct irqpath_vm *irqpath_vm_find(struct kvm *kvm)
{
	struct irqpath_vm *vm;

	if (unlikely(!kvm))
		return irqpath_unattributed;
	vm = irqpath_vm_get(kvm, irqpath_vmm_of(kvm));
	return vm ?: irqpath_unattributed;
}

/* kvm_get_kvm_safe, through symbol_get(): no link-time tie to kvm.ko. */
static bool irqpath_kvm_get(const void *key, void *arg)
{
	bool (*get)(struct kvm *kvm) = arg;

	return get((struct kvm *)key);
}

static void irqpath_route_of(const struct kvm_kernel_irq_routing_entry *e,
			     struct irqpath_route *r)
{
	memset(r, 0, sizeof(*r));
	switch (e->type) {
	case KVM_IRQ_ROUTING_MSI:
		r->kind = IRQPATH_ROUTE_MSI;
		r->addr_lo = e->msi.address_lo;
		r->addr_hi = e->msi.address_hi;
		r->data = e->msi.data;
		break;
	case KVM_IRQ_ROUTING_IRQCHIP:
		r->pin = e->irqchip.pin;
		r->kind = e->irqchip.irqchip == KVM_IRQCHIP_IOAPIC ?
			  IRQPATH_ROUTE_IOAPIC :
			  e->irqchip.irqchip == KVM_IRQCHIP_PIC_SLAVE ?
			  IRQPATH_ROUTE_PIC_SLAVE : IRQPATH_ROUTE_PIC_MASTER;
		break;
	default:
		r->kind = IRQPATH_ROUTE_OTHER;
	}
}

/*
 * The routes of each GSI in vm's slots, from its irq routing table, into
 * out[slot] (IRQPATH_SLOTS entries, as the `gsi` rows are indexed). The
 * kvm is pinned with a reference taken while its record is live, and only
 * for a VM whose destruction the module is sure to see; otherwise (or
 * without kvm's symbols) every entry stays unread. Process context.
 */
void irqpath_vm_routes(struct irqpath_vm *vm, struct irqpath_gsi_routes *out)
{
	bool (*get)(struct kvm *kvm);
	void (*put)(struct kvm *kvm);
	struct kvm_irq_routing_table *table;
	struct kvm_kernel_irq_routing_entry *e;
	struct kvm *kvm = (struct kvm *)vm->key;
	unsigned int slot;
	u32 gsi;
	int idx;

	memset(out, 0, IRQPATH_SLOTS * sizeof(*out));
	if (!irqpath_probes_vm_tracked(vm->seq))
		return;
	get = symbol_get(kvm_get_kvm_safe);
	put = symbol_get(kvm_put_kvm);
	if (!get || !put)
		goto out;
	if (!irqpath_vm_call_live(vm, irqpath_kvm_get, get))
		goto out;

	idx = srcu_read_lock(&kvm->irq_srcu);
	table = srcu_dereference(kvm->irq_routing, &kvm->irq_srcu);
	for (slot = 0; slot < IRQPATH_SLOTS; slot++) {
		if (!irqpath_slot_id(&vm->gsi_slots, slot, &gsi))
			continue;
		out[slot].read = true;
		if (!table || gsi >= table->nr_rt_entries)
			continue;
		hlist_for_each_entry(e, &table->map[gsi], link) {
			if (out[slot].nr == IRQPATH_ROUTES_PER_GSI)
				break;
			irqpath_route_of(e, &out[slot].r[out[slot].nr++]);
		}
	}
	srcu_read_unlock(&kvm->irq_srcu, idx);
	put(kvm);
out:
	if (get)
		symbol_put(kvm_get_kvm_safe);
	if (put)
		symbol_put(kvm_put_kvm);
}
