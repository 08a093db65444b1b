/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-VM records, keyed by the address of the VM's struct kvm. The key is
 * never dereferenced here: the hooks read what they need from the kvm and
 * pass it in, so this file builds without KVM headers.
 */
#ifndef _IRQPATH_REGISTRY_H
#define _IRQPATH_REGISTRY_H

#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "irqpath/counters.h"
#include "irqpath/rows.h"

/* "<pid>-<n>": up to 10 digits of pid, 20 of n. */
#define IRQPATH_NAME_LEN	32

/* Bypass producers (host IRQs) tracked per VM. */
#define IRQPATH_PRODUCERS	128

enum irqpath_producer_mode {
	IRQPATH_PRODUCER_CONNECTED,	/* consumer met producer, IRTE untouched */
	IRQPATH_PRODUCER_POSTED,	/* IRTE posts into the vCPU */
	IRQPATH_PRODUCER_REMAPPED,	/* IRTE back to remapped (host) delivery */
};

struct irqpath_producer {
	int irq;			/* host IRQ; 0 = free row */
	u32 gsi;
	enum irqpath_producer_mode mode;
	u32 updates;			/* IRTE changes seen */
};

enum irqpath_vm_state {
	IRQPATH_VM_PENDING,	/* in the registry, no debugfs directory yet */
	IRQPATH_VM_PUBLISHING,	/* the work is creating its directory */
	IRQPATH_VM_LIVE,
	IRQPATH_VM_DEAD,	/* retired, waiting for the work to free it */
};

struct irqpath_vm {
	struct hlist_node hnode;	/* irqpath_hash, RCU */
	struct hlist_node pnode;	/* irqpath_pid_hash, RCU */
	struct hlist_node snode;	/* irqpath_seq_hash, RCU */
	struct list_head node;		/* irqpath_vms, creation order, RCU */
	struct list_head work;		/* pending or dead list of the work */
	const void *key;
	u64 seq;			/* its rows' key in the shared table */
	pid_t pid;
	bool discovered;		/* found on an event, not at creation */
	enum irqpath_vm_state state;
	char name[IRQPATH_NAME_LEN];
	char comm[TASK_COMM_LEN];	/* under irqpath_read_lock */
	struct irqpath_slots gsi_slots;
	struct irqpath_slots vcpu_slots;
	struct irqpath_slots owner_slots;
	struct irqpath_slots signal_slots;	/* pids of other signallers */
	u64 lat_defer[IRQPATH_SLOTS + 1];	/* per GSI, latency.h */
	u64 lat_entry[IRQPATH_SLOTS + 1];	/* per vCPU, latency.h */
	struct irqpath_producer producers[IRQPATH_PRODUCERS]; /* producers.c */
	struct irqpath_cpu_counts __percpu *pcpu;
	struct irqpath_counts *base;	/* under irqpath_read_lock */
	struct dentry *dir;
};

/* How the registry shows a VM to the world; debugfs in the module. */
struct irqpath_registry_ops {
	struct dentry *(*publish)(struct irqpath_vm *vm);
	void (*unpublish)(struct irqpath_vm *vm);
};

extern struct list_head irqpath_vms;
extern struct irqpath_vm *irqpath_unattributed;

int irqpath_registry_init(const struct irqpath_registry_ops *ops,
			  unsigned int rows);
void irqpath_registry_exit(void);

/* 4096 buckets: 10 000 VMs still make chains of two or three. */
#define IRQPATH_HASH_BITS	12
extern struct hlist_head irqpath_hash[1 << IRQPATH_HASH_BITS];

/*
 * The record of key, NULL if none; inline, as every hook starts with it.
 * Caller holds rcu_read_lock or runs with preemption disabled.
 */
static inline struct irqpath_vm *irqpath_vm_lookup(const void *key)
{
	struct irqpath_vm *vm;

	hash_for_each_possible_rcu(irqpath_hash, vm, hnode, (unsigned long)key)
		if (vm->key == key)
			return vm;
	return NULL;
}

struct irqpath_vm *irqpath_vm_create(const void *key, pid_t pid,
				     const char *comm);
struct irqpath_vm *irqpath_vm_get(const void *key, pid_t pid);
void irqpath_vm_retire(const void *key);
struct irqpath_vm *irqpath_vm_of_pid(pid_t pid, unsigned int *nr);

int irqpath_producer_add(struct irqpath_vm *vm, int irq, u32 gsi);
void irqpath_producer_del(struct irqpath_vm *vm, int irq);
void irqpath_producer_irte(struct irqpath_vm *vm, int irq, bool posted);
unsigned int irqpath_producers_copy(struct irqpath_vm *vm,
				    struct irqpath_producer *out);

void irqpath_vm_snapshot(struct irqpath_vm *vm, struct irqpath_counts *val,
			 char *comm, bool rows);
unsigned int irqpath_registry_nr_vms(void);
bool irqpath_vm_call_live(struct irqpath_vm *vm,
			  bool (*fn)(const void *key, void *arg), void *arg);
void irqpath_registry_reset(void);
void irqpath_registry_entry_clear(void);
void irqpath_registry_flush(void);

/* Module-wide figures shown in `unattributed`. */
u64 irqpath_registry_vm_seq(void);
unsigned long irqpath_registry_alloc_failures(void);
unsigned long irqpath_registry_alloc_failures_shown(void);
void irqpath_registry_memory(unsigned int *vms, unsigned int *spares,
			     unsigned long *bytes);
void irqpath_note_alloc_failure(void);

/* Counting an event: this CPU's copy only, no lock, no atomic. */
static inline void irqpath_inc(struct irqpath_vm *vm, enum irqpath_counter c)
{
	this_cpu_inc(vm->pcpu->c[c]);
}

/* A slot's row in this CPU's table, or the VM's "other" row. */
static inline void irqpath_inc_row(struct irqpath_vm *vm,
				   enum irqpath_row_kind kind,
				   unsigned int slot, unsigned int col)
{
	if (likely(slot != IRQPATH_SLOT_OTHER) &&
	    likely(irqpath_row_inc(irqpath_row_key(vm->seq, kind, slot), col)))
		return;
	this_cpu_inc(vm->pcpu->other[kind][col]);
}

/* By the GSI's slot, for a hook that needs it more than once. */
static inline void irqpath_inc_gsi_slot(struct irqpath_vm *vm,
					unsigned int slot,
					enum irqpath_gsi_col col)
{
	irqpath_inc_row(vm, IRQPATH_ROW_GSI, slot, col);
}

static inline void irqpath_inc_gsi(struct irqpath_vm *vm, u32 gsi,
				   enum irqpath_gsi_col col)
{
	irqpath_inc_gsi_slot(vm, irqpath_slot_get(&vm->gsi_slots, gsi), col);
}

static inline void irqpath_inc_vcpu_slot(struct irqpath_vm *vm,
					 unsigned int slot,
					 enum irqpath_vcpu_col col)
{
	irqpath_inc_row(vm, IRQPATH_ROW_VCPU, slot, col);
}

static inline void irqpath_inc_vcpu(struct irqpath_vm *vm, u32 vcpu_id,
				    enum irqpath_vcpu_col col)
{
	irqpath_inc_vcpu_slot(vm, irqpath_slot_get(&vm->vcpu_slots, vcpu_id),
			      col);
}

/* An unattributed VFIO MSI, by the pid that registered its eventfd. */
static inline void irqpath_inc_owner(struct irqpath_vm *vm, pid_t pid)
{
	irqpath_inc_row(vm, IRQPATH_ROW_OWNER,
			irqpath_slot_get(&vm->owner_slots, pid), 0);
}

/*
 * Who signalled a wakeup of the GSI in slot; another process is also
 * counted by pid.
 */
static inline void irqpath_inc_signal(struct irqpath_vm *vm, unsigned int slot,
				      enum irqpath_signal_col col, pid_t pid)
{
	irqpath_inc_row(vm, IRQPATH_ROW_SIGNAL, slot, col);
	if (col == IRQPATH_SIG_OTHER)
		irqpath_inc_row(vm, IRQPATH_ROW_OTHER_PID,
				irqpath_slot_get(&vm->signal_slots, pid), 0);
}

#endif /* _IRQPATH_REGISTRY_H */
