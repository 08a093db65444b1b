/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which path an event took, decided from what the hooks read. KVM-free, so
 * the KUnit suites check every outcome.
 */
#ifndef _IRQPATH_CLASSIFY_H
#define _IRQPATH_CLASSIFY_H

#include "irqpath/registry.h"

/*
 * The irqfd wakeup a CPU is handling, until it is settled as fast or
 * deferred. kvm is NULL when none is open. The pointers are keys, never
 * dereferenced here. vm stays valid while kvm is set: a VM's retirement
 * clears kvm first (irqpath_wakeup_forget) and frees the record after a
 * grace period, and the hooks run with preemption off.
 */
struct irqpath_wakeup {
	const void *kvm;
	const void *inject;	/* the irqfd's inject work */
	struct irqpath_vm *vm;
	u32 gsi;
};

void irqpath_wakeup_begin(struct irqpath_wakeup *w, const void *kvm,
			  const void *inject, struct irqpath_vm *vm, u32 gsi);
bool irqpath_wakeup_defer(struct irqpath_wakeup *w, const void *work);
struct irqpath_vm *irqpath_wakeup_settle(struct irqpath_wakeup *w,
					 const void *kvm);
void irqpath_wakeup_forget(struct irqpath_wakeup *w, const void *kvm);

struct irqpath_vm *irqpath_irte_vm(const unsigned long *args, int *host_irq);
struct irqpath_vm *irqpath_vfio_classify(const void *trigger,
					 struct irqpath_vm *irqfd_vm,
					 enum irqpath_counter *path,
					 pid_t *pid);

#endif /* _IRQPATH_CLASSIFY_H */
