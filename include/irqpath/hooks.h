/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Handlers of the probe table, one file per family of hooks. They sit on
 * top: what they share (the VM of an event, each CPU's open state, the
 * counters) is below them, in vm_of.h, classify.h and registry.h.
 */
#ifndef _IRQPATH_HOOKS_H
#define _IRQPATH_HOOKS_H

#include <linux/irqflags.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>

#include "irqpath/classify.h"
#include "irqpath/probes.h"
#include "irqpath/registry.h"
#include "irqpath/vm_of.h"

struct kvm;

/* hooks_vm.c: VM lifetime. */
int irqpath_vm_init_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int irqpath_vm_init_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
IRQPATH_FENTRY_DECL(irqpath_vm_destroy_fentry);

/* hooks_irqfd.c: irqfd wakeup, fast and deferred paths, kvm_set_msi. */
IRQPATH_FENTRY_DECL(irqpath_irqfd_wakeup_fentry);
IRQPATH_FENTRY_DECL(irqpath_irqfd_defer_fentry);
IRQPATH_FENTRY_DECL(irqpath_irqfd_inject_fentry);
IRQPATH_FENTRY_DECL(irqpath_set_msi_fentry);

/*
 * Settles this CPU's open wakeup as fast, from a delivery or from a point
 * with interrupts on, where no wakeup runs. Returns the wakeup's VM record
 * if that VM is kvm, which spares the caller a lookup. Inline: every
 * delivery calls it.
 */
static __always_inline struct irqpath_vm *irqpath_irqfd_settle(struct kvm *kvm)
{
	struct irqpath_wakeup *w = this_cpu_ptr(&irqpath_wakeup);

	if (likely(!READ_ONCE(w->kvm)))
		return NULL;
	if (likely(irqs_disabled()))
		return irqpath_wakeup_settle(w, kvm);
	return irqpath_wakeup_settle_irqs_on(kvm);
}

/* hooks_vfio.c: VFIO MSIs, IRQ bypass producers, IRTE updates. */
int irqpath_vfio_msi_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int irqpath_vfio_msi_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
IRQPATH_FENTRY_DECL(irqpath_producer_reg_fentry);
IRQPATH_FENTRY_DECL(irqpath_producer_unreg_fentry);
IRQPATH_FENTRY_DECL(irqpath_bypass_add_fentry);
IRQPATH_FENTRY_DECL(irqpath_bypass_del_fentry);
IRQPATH_FENTRY_DECL(irqpath_irte_update_fentry);
struct kvm_vcpu;
void irqpath_irte_tp(void *data, unsigned int host_irq, struct kvm_vcpu *vcpu,
		     unsigned int gsi, unsigned int gvec, bool set);
void irqpath_irte_tp_612(void *data, unsigned int host_irq,
			 unsigned int vcpu_id, unsigned int gsi,
			 unsigned int gvec, u64 pi_desc_addr, bool set);

/* hooks_vcpu.c: delivery to a vCPU's local APIC per vendor, PI wakeups. */
IRQPATH_FENTRY_DECL(irqpath_vmx_deliver_fentry);
IRQPATH_FENTRY_DECL(irqpath_tdx_deliver_fentry);
IRQPATH_FENTRY_DECL(irqpath_svm_deliver_fentry);
IRQPATH_FENTRY_DECL(irqpath_pi_wakeup_fentry);
IRQPATH_FENTRY_DECL(irqpath_ga_log_fentry);
void irqpath_vcpu_wake_fentry(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs);
void irqpath_entry_tp(void *data, struct kvm_vcpu *vcpu,
		      bool force_immediate_exit);
void irqpath_entry_tp_61(void *data, struct kvm_vcpu *vcpu);

#endif /* _IRQPATH_HOOKS_H */
