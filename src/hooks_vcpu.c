// SPDX-License-Identifier: GPL-2.0
/*
 * Delivery of an interrupt to a vCPU's local APIC, as the vendor module
 * sees it: the last host step before the vCPU is kicked or posted to. A
 * delivery also settles the irqfd wakeup this CPU was handling as fast.
 * And the wakeups of blocked vCPUs that posted interrupts cause: PIW on
 * Intel, the IOMMU's GA log on AMD.
 */
#include <linux/kvm_host.h>
#include <linux/uaccess.h>

#include "irqpath/hooks.h"
#include "irqpath/latency.h"

IRQPATH_HEADER_PROTO(kvm_vcpu_wake_up, bool, struct kvm_vcpu *);

/* The struct kvm_lapic fields of probe_table.c, in its order. */
enum { IRQPATH_F_APICV, IRQPATH_F_VCPU };

/* Is APICv/AVIC active on apic? -1 when its layout is not known. */
static __always_inline int irqpath_lapic_apicv(struct irqpath_probe *p,
					       const void *apic)
{
	int off = READ_ONCE(p->field_off[IRQPATH_F_APICV]);

	if (off < 0 || !apic)
		return -1;
	return READ_ONCE(*(const bool *)(apic + off));
}

/*
 * The vCPU of a struct kvm_lapic: its field at the offset BTF gave, taken
 * only if that vCPU's arch.apic points back, read so that no fault is
 * possible. NULL when the layout is not known.
 */
static __always_inline struct kvm_vcpu *
irqpath_lapic_vcpu(struct irqpath_probe *p, const void *apic)
{
	int off = READ_ONCE(p->field_off[IRQPATH_F_VCPU]);
	struct kvm_lapic *back;
	struct kvm_vcpu *vcpu;

	if (off < 0 || !apic)
		return NULL;
	vcpu = READ_ONCE(*(struct kvm_vcpu *const *)(apic + off));
	if (get_kernel_nofault(back, &vcpu->arch.apic) || back != apic)
		return NULL;
	return vcpu;
}

/* Returns the vCPU's slot. */
static __always_inline unsigned int irqpath_count_path(struct irqpath_vm *vm,
						       u32 vcpu_id, int apicv)
{
	unsigned int slot = irqpath_slot_get(&vm->vcpu_slots, vcpu_id);
	enum irqpath_vcpu_col col;
	enum irqpath_counter c;

	irqpath_inc(vm, IRQPATH_VCPU_DELIVERIES);
	irqpath_inc_vcpu_slot(vm, slot, IRQPATH_VCOL_DELIVERIES);
	if (irqpath_delivery_path(apicv, &c, &col)) {
		irqpath_inc(vm, c);
		irqpath_inc_vcpu_slot(vm, slot, col);
	}
	return slot;
}

/*
 * A delivery the vCPU must enter the guest to take starts its wait; one
 * wait per vCPU, so a delivery behind one still waiting is counted as
 * merged and the hop times the oldest.
 */
static __always_inline void irqpath_entry_stamp(struct irqpath_vm *vm,
						unsigned int slot,
						struct kvm_vcpu *vcpu,
						int apicv)
{
	u64 *t = &vm->lat_entry[slot];

	if (!irqpath_entry_waits(apicv,
				 READ_ONCE(vcpu->mode) == IN_GUEST_MODE))
		return;
	if (READ_ONCE(*t) || cmpxchg(t, 0, irqpath_lat_now()))
		irqpath_inc(vm, IRQPATH_LATENCY_MERGED);
}

/*
 * The wakeup this delivery settled is timed to here: the fast path's hop,
 * when the delivery runs inside it (interrupts still off).
 */
static __always_inline void irqpath_count_delivery(struct kvm_vcpu *vcpu,
						   int apicv)
{
	struct irqpath_vm *vm = irqpath_irqfd_settle(vcpu->kvm);
	unsigned int slot;

	if (!vm)
		vm = irqpath_vm_of(vcpu->kvm);
	else if (irqpath_latency_on() && irqs_disabled())
		irqpath_lat_since(vm, IRQPATH_HOP_WAKEUP_DELIVERY,
				  __this_cpu_read(irqpath_wakeup.t0));
	slot = irqpath_count_path(vm, vcpu->vcpu_id, apicv);
	if (irqpath_latency_on())
		irqpath_entry_stamp(vm, slot, vcpu, apicv);
}

/* A delivery whose vCPU is not known: counted, as unattributed. */
static __always_inline void irqpath_count_unknown(int apicv)
{
	irqpath_irqfd_settle(NULL);
	irqpath_count_path(irqpath_unattributed, 0, apicv);
}

/*
 * vmx_deliver_interrupt(apic, ...) names its vCPU only through struct
 * kvm_lapic, private to arch/x86/kvm: read at the offset the module's BTF
 * gives. 5.15's form takes the vcpu.
 */
IRQPATH_FENTRY_DIRECT(irqpath_vmx_deliver_fentry, IRQPATH_P_VMX_DELIVER)
{
	void *arg = (void *)irqpath_arg(fregs, 0);
	struct kvm_vcpu *vcpu;
	const void *apic;

	if (p->sym_idx == 1) {
		vcpu = arg;
		apic = vcpu->arch.apic;
	} else {
		apic = arg;
		vcpu = irqpath_lapic_vcpu(p, apic);
	}
	if (vcpu)
		irqpath_count_delivery(vcpu, irqpath_lapic_apicv(p, apic));
	else
		irqpath_count_unknown(irqpath_lapic_apicv(p, apic));
}

/* tdx_deliver_interrupt(apic, ...): a TD's interrupts are always posted. */
IRQPATH_FENTRY(irqpath_tdx_deliver_fentry)
{
	const void *apic = (const void *)irqpath_arg(fregs, 0);
	struct kvm_vcpu *vcpu = irqpath_lapic_vcpu(p, apic);

	if (vcpu)
		irqpath_count_delivery(vcpu, 1);
	else
		irqpath_count_unknown(1);
}

/* svm_complete_interrupt_delivery(vcpu, ...) / svm_deliver_avic_intr(vcpu, ...) */
IRQPATH_FENTRY_DIRECT(irqpath_svm_deliver_fentry, IRQPATH_P_SVM_DELIVER)
{
	struct kvm_vcpu *vcpu = (struct kvm_vcpu *)irqpath_arg(fregs, 0);

	irqpath_count_delivery(vcpu, irqpath_lapic_apicv(p, vcpu->arch.apic));
}

/*
 * pi_wakeup_handler(): PIW, posted interrupts for blocked vCPUs, and
 * avic_ga_log_notifier(): the AMD IOMMU logged one. Their hits count the
 * notifications; the vCPUs they wake are counted at kvm_vcpu_wake_up.
 */
IRQPATH_FENTRY(irqpath_pi_wakeup_fentry)
{
}

IRQPATH_FENTRY(irqpath_ga_log_fentry)
{
}

/*
 * kvm_entry: the vCPU enters the guest, interrupts off. Attached only
 * while timing is on (probes.c). Looks up, never creates: a VM not known
 * yet has no delivery waiting.
 */
static __always_inline void irqpath_vcpu_entry(struct irqpath_probe *p,
					       struct kvm_vcpu *vcpu)
{
	struct irqpath_vm *vm;
	u64 *t;

	irqpath_hit(p);
	vm = irqpath_vm_lookup(vcpu->kvm);
	if (!vm)
		return;
	t = &vm->lat_entry[irqpath_slot_lookup(&vm->vcpu_slots,
					       vcpu->vcpu_id)];
	if (READ_ONCE(*t))
		irqpath_lat_since(vm, IRQPATH_HOP_DELIVERY_ENTRY, xchg(t, 0));
}

/* kvm_entry's two forms; BTF says which this kernel has (probes.c). */
void irqpath_entry_tp(void *data, struct kvm_vcpu *vcpu,
		      bool force_immediate_exit)
{
	irqpath_vcpu_entry(data, vcpu);
}

/* The older form, without force_immediate_exit (6.1). */
void irqpath_entry_tp_61(void *data, struct kvm_vcpu *vcpu)
{
	irqpath_vcpu_entry(data, vcpu);
}

/* Did the call return to ip come from the function probe id hooks? */
static __always_inline bool irqpath_called_from(enum irqpath_probe_id id,
						unsigned long ip)
{
	const struct irqpath_probe *p = &irqpath_probes[id];

	return irqpath_ip_within(ip, READ_ONCE(p->addr), READ_ONCE(p->size));
}

/*
 * kvm_vcpu_wake_up(vcpu) from one of those two is a posted-interrupt
 * wakeup of vcpu. Told by the return address, which is right however the
 * caller runs: the GA log's is a thread that may move between CPUs. Its
 * hits count these wakeups only.
 */
void irqpath_vcpu_wake_fentry(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct irqpath_probe *p = irqpath_fprobe(op);
	struct kvm_vcpu *vcpu;
	struct irqpath_vm *vm;

	if (!irqpath_called_from(IRQPATH_P_PI_WAKEUP, parent_ip) &&
	    !irqpath_called_from(IRQPATH_P_GA_LOG, parent_ip))
		return;
	preempt_disable_notrace();
	irqpath_hit(p);
	vcpu = (struct kvm_vcpu *)irqpath_arg(fregs, 0);
	vm = irqpath_vm_of(vcpu->kvm);
	irqpath_inc(vm, IRQPATH_PI_WAKEUPS);
	irqpath_inc_vcpu(vm, vcpu->vcpu_id, IRQPATH_VCOL_PI_WAKEUPS);
	preempt_enable_notrace();
}
