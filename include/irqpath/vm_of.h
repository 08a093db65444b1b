/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record of the VM of an event, from its struct kvm.
 */
#ifndef _IRQPATH_VM_OF_H
#define _IRQPATH_VM_OF_H

#include "irqpath/registry.h"
#include "irqpath/route.h"

struct kvm;

struct irqpath_vm *irqpath_vm_find(struct kvm *kvm);
void irqpath_vm_routes(struct irqpath_vm *vm, struct irqpath_gsi_routes *out);

/* The record of a kvm; the hot path reads nothing of the kvm but its address. */
static inline struct irqpath_vm *irqpath_vm_of(struct kvm *kvm)
{
	struct irqpath_vm *vm = irqpath_vm_lookup(kvm);

	return likely(vm) ? vm : irqpath_vm_find(kvm);
}

#endif /* _IRQPATH_VM_OF_H */
