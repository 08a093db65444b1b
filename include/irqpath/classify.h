/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which path an event took, decided from what the hooks read. KVM-free, so
 * the KUnit suites check every outcome.
 */
#ifndef _IRQPATH_CLASSIFY_H
#define _IRQPATH_CLASSIFY_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/string.h>

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
	unsigned int slot;	/* the GSI's slot in vm */
	u64 t0;			/* when it began, if timed (latency.h) */
};

static inline void irqpath_wakeup_count(struct irqpath_wakeup *w,
					enum irqpath_counter c,
					enum irqpath_gsi_col col)
{
	irqpath_inc(w->vm, c);
	irqpath_inc_gsi_slot(w->vm, w->slot, col);
	WRITE_ONCE(w->kvm, NULL);
}

/*
 * irqfd_wakeup calls kvm_arch_set_irq_inatomic and, when that can't
 * deliver, queues the irqfd's inject work. Reading that outcome from a
 * return probe would cost about three entry hooks per interrupt, so it is
 * read from what follows: the wakeup is deferred if it queues its inject
 * work, and fast (handled in place) once anything else happens on its CPU,
 * the first being the delivery to a vCPU it makes. Wakeups run with
 * interrupts off, so the next event on the CPU comes after the wakeup ends.
 * Counts the wakeup; settles a previous one still open as fast.
 */
static inline void irqpath_wakeup_begin(struct irqpath_wakeup *w,
					const void *kvm, const void *inject,
					struct irqpath_vm *vm, unsigned int slot)
{
	if (w->kvm)
		irqpath_wakeup_count(w, IRQPATH_IRQFD_FAST, IRQPATH_GSI_FAST);
	irqpath_inc(vm, IRQPATH_IRQFD_WAKEUPS);
	irqpath_inc_gsi_slot(vm, slot, IRQPATH_GSI_WAKEUPS);
	w->inject = inject;
	w->vm = vm;
	w->slot = slot;
	WRITE_ONCE(w->kvm, kvm);
}

/* A work item is queued inside the open wakeup: deferred if it is its own. */
static inline bool irqpath_wakeup_defer(struct irqpath_wakeup *w,
					const void *work)
{
	if (!w->kvm || work != w->inject)
		return false;
	irqpath_wakeup_count(w, IRQPATH_IRQFD_DEFERRED, IRQPATH_GSI_DEFERRED);
	return true;
}

/*
 * After the open wakeup, or inside it at a delivery: it was fast. Returns
 * its VM's record when that VM is kvm (a delivery's own), NULL otherwise.
 */
static inline struct irqpath_vm *
irqpath_wakeup_settle(struct irqpath_wakeup *w, const void *kvm)
{
	struct irqpath_vm *vm = NULL;

	if (!w->kvm)
		return NULL;
	if (w->kvm == kvm)
		vm = w->vm;
	irqpath_wakeup_count(w, IRQPATH_IRQFD_FAST, IRQPATH_GSI_FAST);
	return vm;
}

/* kvm's VM is going: its record must not be counted into from here. */
static inline void irqpath_wakeup_forget(struct irqpath_wakeup *w,
					 const void *kvm)
{
	cmpxchg(&w->kvm, kvm, NULL);
}

#ifdef PF_USER_WORKER
#define IRQPATH_PF_WORKER	(PF_KTHREAD | PF_USER_WORKER)
#else
#define IRQPATH_PF_WORKER	PF_KTHREAD	/* before 6.4: vhost is a kthread */
#endif

/*
 * Who signalled an irqfd, from the context of its wakeup. irq: in a hard
 * IRQ, or in the VFIO MSI handler of its eventfd (a threaded one on RT).
 * A vhost worker is a kthread "vhost-<owner pid>", since 6.4 a user worker
 * thread of the VMM itself, so it is told apart before the VMM's threads.
 */
static inline enum irqpath_signal_col
irqpath_signaller_of(bool irq, unsigned int flags, const char *comm,
		     pid_t tgid, pid_t vmm)
{
	if (irq)
		return IRQPATH_SIG_IRQ;
	if ((flags & IRQPATH_PF_WORKER) && !strncmp(comm, "vhost-", 6))
		return IRQPATH_SIG_VHOST;
	if (tgid == vmm && vmm)
		return IRQPATH_SIG_VMM;
	return IRQPATH_SIG_OTHER;
}

/*
 * Does a delivery wait for its vCPU's next VM entry (the hop
 * delivery_to_entry)? A posted interrupt into a vCPU in guest mode reaches
 * it without one; a kicked one, or one for a vCPU outside the guest, does.
 * In the guest with APICv not known (-1, no BTF): can't be told, not timed.
 */
static inline bool irqpath_entry_waits(int apicv, bool in_guest)
{
	return !in_guest || apicv == 0;
}

/*
 * How a delivery reaches its vCPU. Posted: APICv/AVIC is active on its
 * local APIC, so the CPU takes the vector from the posted descriptor or
 * the vAPIC page, without an exit if the vCPU runs. Kicked: the vector is
 * set in the IRR and the vCPU kicked or woken to inject it. apicv < 0: the
 * hook could not read it (no layout), and neither is counted.
 */
static inline bool irqpath_delivery_path(int apicv, enum irqpath_counter *c,
					 enum irqpath_vcpu_col *col)
{
	if (apicv < 0)
		return false;
	*c = apicv ? IRQPATH_DELIVERIES_POSTED : IRQPATH_DELIVERIES_KICKED;
	*col = apicv ? IRQPATH_VCOL_POSTED : IRQPATH_VCOL_KICKED;
	return true;
}

/*
 * A kvm_vcpu_wake_up() is a posted-interrupt wakeup when it returns into
 * pi_wakeup_handler or avic_ga_log_notifier: when ip is in [addr, addr +
 * size) of one of them. size 0 (the probe is not attached) holds none.
 */
static inline bool irqpath_ip_within(unsigned long ip, unsigned long addr,
				     unsigned long size)
{
	return ip - addr < size;
}

struct irqpath_vm *irqpath_irte_vm(const unsigned long *args, int *host_irq);

/*
 * The IRTE update a CPU runs, for the kvm_pi_irte_update tracepoint inside
 * it. The update runs under SRCU: its VMM thread can be preempted and move
 * to another CPU in between. So the tracepoint takes the context only if
 * its own task left it, and a context left behind is cleared when its VM
 * goes (irqpath_classify_forget()): vm never outlives its record.
 */
struct irqpath_irte_ctx {
	struct irqpath_vm *vm;
	const void *task;
	int irq;
};

static inline void irqpath_irte_ctx_begin(struct irqpath_irte_ctx *ctx,
					  const void *task,
					  const unsigned long *args)
{
	ctx->task = task;
	WRITE_ONCE(ctx->vm, irqpath_irte_vm(args, &ctx->irq));
}

/* The tracepoint of task's update of irq: its VM, or NULL if unknown. */
static inline struct irqpath_vm *
irqpath_irte_ctx_take(struct irqpath_irte_ctx *ctx, const void *task, int irq)
{
	struct irqpath_vm *vm = READ_ONCE(ctx->vm);

	if (!vm || ctx->task != task || ctx->irq != irq)
		return NULL;
	WRITE_ONCE(ctx->vm, NULL);
	return vm;
}

/* The VM of key is going. */
static inline void irqpath_irte_ctx_forget(struct irqpath_irte_ctx *ctx,
					   const void *key)
{
	struct irqpath_vm *vm = READ_ONCE(ctx->vm);

	if (vm && vm->key == key)
		cmpxchg(&ctx->vm, vm, NULL);
}

/* The VFIO MSI a CPU handles, and the irqfd that took it, if one did. */
struct irqpath_msi_ctx {
	void *trigger;			/* eventfd vfio_msihandler signals */
	struct irqpath_vm *irqfd_vm;	/* set when an irqfd consumed it */
	u64 t0;				/* when the handler began, if timed */
};

/* Each CPU's open state, shared by the hooks of different families. */
DECLARE_PER_CPU(struct irqpath_wakeup, irqpath_wakeup);
DECLARE_PER_CPU(struct irqpath_irte_ctx, irqpath_irte_ctx);
DECLARE_PER_CPU(struct irqpath_msi_ctx, irqpath_msi_ctx);

struct irqpath_vm *irqpath_wakeup_settle_irqs_on(const void *kvm);
void irqpath_classify_forget(const void *kvm);

struct irqpath_vm *irqpath_vfio_classify(const void *trigger,
					 struct irqpath_vm *irqfd_vm,
					 enum irqpath_counter *path,
					 pid_t *pid);

#endif /* _IRQPATH_CLASSIFY_H */
