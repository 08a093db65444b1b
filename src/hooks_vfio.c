// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO MSIs and IRQ bypass. An MSI of an assigned device runs
 * vfio_msihandler, which signals an eventfd: a KVM irqfd on it delivers in
 * the same hard IRQ, otherwise the VMM reads it in userspace. When the
 * bypass connects the producer (VFIO) to the consumer (the irqfd), the IRTE
 * may post the interrupt straight into the vCPU and no host code runs.
 */
#include <linux/irqbypass.h>
#include <linux/kvm_host.h>
#include <linux/kvm_irqfd.h>
#include <linux/sched.h>

#include "irqpath/classify.h"
#include "irqpath/efd_map.h"
#include "irqpath/hooks.h"
#include "irqpath/latency.h"

/* vfio_msihandler(irq, trigger): hard IRQ, interrupts off. */
int irqpath_vfio_msi_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irqpath_msi_ctx *ctx = this_cpu_ptr(&irqpath_msi_ctx);

	irqpath_hit(irqpath_kretprobe(ri));
	ctx->trigger = (void *)regs_get_kernel_argument(regs, 1);
	ctx->irqfd_vm = NULL;
	ctx->t0 = irqpath_latency_on() ? irqpath_lat_now() : 0;
	return 0;
}

/* The eventfd was signalled: irqpath_vfio_classify() says where it went. */
int irqpath_vfio_msi_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irqpath_msi_ctx *ctx = this_cpu_ptr(&irqpath_msi_ctx);
	enum irqpath_counter path;
	struct irqpath_vm *vm;
	pid_t pid;

	vm = irqpath_vfio_classify(ctx->trigger, ctx->irqfd_vm, &path, &pid);
	if (!vm) {
		vm = irqpath_unattributed;
		irqpath_inc_owner(vm, pid);
	}
	irqpath_inc(vm, IRQPATH_VFIO_MSI);
	irqpath_inc(vm, path);
	ctx->trigger = NULL;
	ctx->irqfd_vm = NULL;
	return 0;
}

/*
 * The prototypes we read, checked against the kernel's header. From 6.17
 * the call fills the producer in: at entry, eventfd and irq are arguments.
 */
#ifdef IRQPATH_BYPASS_EVENTFD_ARG
IRQPATH_HEADER_PROTO(irq_bypass_register_producer, int,
		     struct irq_bypass_producer *, struct eventfd_ctx *, int);
#define irqpath_producer_eventfd(prod)	((prod)->eventfd)
#else
IRQPATH_HEADER_PROTO(irq_bypass_register_producer, int,
		     struct irq_bypass_producer *);
#define irqpath_producer_eventfd(prod)	((prod)->token)
#endif
IRQPATH_HEADER_PROTO(irq_bypass_unregister_producer, void,
		     struct irq_bypass_producer *);

/* irq_bypass_register_producer(): VFIO_DEVICE_SET_IRQS, in the VMM. */
IRQPATH_FENTRY(irqpath_producer_reg_fentry)
{
#ifdef IRQPATH_BYPASS_EVENTFD_ARG
	void *eventfd = (void *)irqpath_arg(fregs, 1);
	int irq = (int)irqpath_arg(fregs, 2);
#else
	struct irq_bypass_producer *prod;
	void *eventfd;
	int irq;

	prod = (struct irq_bypass_producer *)irqpath_arg(fregs, 0);
	eventfd = prod->token;
	irq = prod->irq;
#endif

	if (irqpath_efd_add(eventfd, current->tgid, irq))
		irqpath_note_alloc_failure();
}

/* irq_bypass_unregister_producer(prod): the producer is still filled in. */
IRQPATH_FENTRY(irqpath_producer_unreg_fentry)
{
	struct irq_bypass_producer *prod;

	prod = (struct irq_bypass_producer *)irqpath_arg(fregs, 0);
	irqpath_efd_del(irqpath_producer_eventfd(prod));
}

static struct irqpath_vm *irqpath_bypass_vm(struct ftrace_regs *fregs,
					    struct irq_bypass_producer **prod,
					    u32 *gsi)
{
	struct irq_bypass_consumer *cons;
	struct kvm_kernel_irqfd *irqfd;

	cons = (struct irq_bypass_consumer *)irqpath_arg(fregs, 0);
	*prod = (struct irq_bypass_producer *)irqpath_arg(fregs, 1);
	irqfd = container_of(cons, struct kvm_kernel_irqfd, consumer);
	*gsi = irqfd->gsi;
	return irqpath_vm_of(irqfd->kvm);
}

IRQPATH_HEADER_PROTO(kvm_arch_irq_bypass_add_producer, int,
		     struct irq_bypass_consumer *, struct irq_bypass_producer *);
IRQPATH_HEADER_PROTO(kvm_arch_irq_bypass_del_producer, void,
		     struct irq_bypass_consumer *, struct irq_bypass_producer *);

/* kvm_arch_irq_bypass_add_producer(cons, prod): a VFIO vector meets an irqfd. */
IRQPATH_FENTRY(irqpath_bypass_add_fentry)
{
	struct irq_bypass_producer *prod;
	struct irqpath_vm *vm;
	u32 gsi;

	vm = irqpath_bypass_vm(fregs, &prod, &gsi);
	irqpath_inc(vm, IRQPATH_BYPASS_ADD);
	if (irqpath_producer_add(vm, prod->irq, gsi))
		irqpath_note_alloc_failure();
}

IRQPATH_FENTRY(irqpath_bypass_del_fentry)
{
	struct irq_bypass_producer *prod;
	struct irqpath_vm *vm;
	u32 gsi;

	vm = irqpath_bypass_vm(fregs, &prod, &gsi);
	irqpath_inc(vm, IRQPATH_BYPASS_DEL);
	irqpath_producer_del(vm, prod->irq);
}

/*
 * {vmx,avic}_pi_update_irte(kvm, host_irq, ...), or from 6.17 on
 * (irqfd, kvm, host_irq, ...): a call is no change (both return early
 * without posting-capable IOMMU); the kvm_pi_irte_update tracepoint inside
 * fires only on a real one.
 */
IRQPATH_FENTRY(irqpath_irte_update_fentry)
{
	struct irqpath_irte_ctx *ctx = this_cpu_ptr(&irqpath_irte_ctx);
	unsigned long args[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(args); i++)
		args[i] = irqpath_arg(fregs, i);
	rcu_read_lock();
	irqpath_irte_ctx_begin(ctx, current, args);
	rcu_read_unlock();
}

/* kvm's VM is going: no CPU's context may keep its record. */
static void irqpath_irte_changed(struct irqpath_probe *p,
				 unsigned int host_irq, bool set)
{
	struct irqpath_irte_ctx *ctx = this_cpu_ptr(&irqpath_irte_ctx);
	struct irqpath_vm *vm;

	irqpath_hit(p);
	vm = irqpath_irte_ctx_take(ctx, current, host_irq) ?: irqpath_unattributed;
	irqpath_inc(vm, set ? IRQPATH_IRTE_POSTED : IRQPATH_IRTE_REMAPPED);
	irqpath_producer_irte(vm, host_irq, set);
}

/*
 * kvm_pi_irte_update has two forms; the kernel's BTF says which this one
 * has (probes.c), so neither probe reads the other's arguments.
 */
void irqpath_irte_tp(void *data, unsigned int host_irq, struct kvm_vcpu *vcpu,
		     unsigned int gsi, unsigned int gvec, bool set)
{
	irqpath_irte_changed(data, host_irq, set);
}

/* Up to 6.16. */
void irqpath_irte_tp_612(void *data, unsigned int host_irq,
			 unsigned int vcpu_id, unsigned int gsi,
			 unsigned int gvec, u64 pi_desc_addr, bool set)
{
	irqpath_irte_changed(data, host_irq, set);
}
