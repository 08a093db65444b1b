/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handlers of the probe table, one file per family of hooks, and what they
 * share: finding the VM of an event and bumping this CPU's counters.
 */
#ifndef _IRQPATH_HOOKS_H
#define _IRQPATH_HOOKS_H

#include <linux/kprobes.h>

#include "irqpath/probes.h"
#include "irqpath/registry.h"

struct kvm;

/* hooks_vm.c: VM lifetime. */
int irqpath_vm_init_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int irqpath_vm_init_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
int irqpath_vm_destroy_pre(struct kprobe *kp, struct pt_regs *regs);
struct irqpath_vm *irqpath_vm_of(struct kvm *kvm);

/* hooks_irqfd.c: irqfd wakeup, fast and deferred paths, kvm_set_msi. */
struct irqpath_fast_data {
	struct irqpath_vm *vm;
	u32 gsi;
};

int irqpath_irqfd_wakeup_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_irqfd_fast_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs);
int irqpath_irqfd_fast_ret(struct kretprobe_instance *ri,
			   struct pt_regs *regs);
int irqpath_irqfd_inject_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_set_msi_pre(struct kprobe *kp, struct pt_regs *regs);

/* hooks_vfio.c: VFIO MSIs, IRQ bypass producers, IRTE updates, PIW. */
struct irqpath_msi_ctx {
	void *trigger;			/* eventfd vfio_msihandler signals */
	struct irqpath_vm *irqfd_vm;	/* set when an irqfd consumed it */
};
DECLARE_PER_CPU(struct irqpath_msi_ctx, irqpath_msi_ctx);

int irqpath_vfio_msi_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int irqpath_vfio_msi_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
int irqpath_producer_reg_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_producer_unreg_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_bypass_add_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_bypass_del_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_irte_update_pre(struct kprobe *kp, struct pt_regs *regs);
void irqpath_irte_tp(void *data, unsigned int host_irq, unsigned int vcpu_id,
		     unsigned int gsi, unsigned int gvec, u64 pi_desc_addr,
		     bool set);
int irqpath_pi_wakeup_pre(struct kprobe *kp, struct pt_regs *regs);

/* hooks_vcpu.c: delivery to a vCPU's local APIC, per vendor. */
int irqpath_vmx_deliver_pre(struct kprobe *kp, struct pt_regs *regs);
int irqpath_svm_deliver_pre(struct kprobe *kp, struct pt_regs *regs);

static inline void irqpath_inc(struct irqpath_vm *vm, enum irqpath_counter c)
{
	this_cpu_inc(vm->pcpu->c[c]);
}

static inline void irqpath_inc_gsi(struct irqpath_vm *vm, u32 gsi,
				   enum irqpath_gsi_col col)
{
	this_cpu_inc(vm->pcpu->gsi[irqpath_slot_get(&vm->gsi_slots, gsi)][col]);
}

static inline void irqpath_inc_vcpu(struct irqpath_vm *vm, u32 vcpu_id)
{
	this_cpu_inc(vm->pcpu->vcpu[irqpath_slot_get(&vm->vcpu_slots,
						     vcpu_id)]);
}

#endif /* _IRQPATH_HOOKS_H */
