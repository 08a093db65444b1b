// SPDX-License-Identifier: GPL-2.0
/*
 * The per-VM registry. Probe handlers look VMs up under RCU and create or
 * retire them under irqpath_reg_lock; everything that may sleep (debugfs,
 * GFP_KERNEL allocation, freeing after a grace period) is left to one work
 * item, so no probe handler ever sleeps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "irqpath/registry.h"

/* Spare records, so that finding a VM in hard-IRQ context never allocates. */
#define IRQPATH_SPARES		16

DEFINE_HASHTABLE(irqpath_hash, IRQPATH_HASH_BITS);
static DEFINE_HASHTABLE(irqpath_pid_hash, IRQPATH_HASH_BITS);
static DEFINE_HASHTABLE(irqpath_seq_hash, IRQPATH_HASH_BITS);
LIST_HEAD(irqpath_vms);

/* Guards the hash, irqpath_vms, vm->state and the lists below. */
static DEFINE_SPINLOCK(irqpath_reg_lock);
static LIST_HEAD(irqpath_pending);
static LIST_HEAD(irqpath_dead);
static LIST_HEAD(irqpath_spares);

static unsigned int irqpath_nr_spares;
static atomic_long_t irqpath_alloc_failures = ATOMIC_LONG_INIT(0);
static unsigned long irqpath_alloc_failures_base;	/* irqpath_read_lock */
/* Every record allocated and not yet freed: VMs, spares, unattributed. */
static atomic_t irqpath_nr_records = ATOMIC_INIT(0);

/* Events that no VM can be tied to; never in the hash. */
struct irqpath_vm *irqpath_unattributed;

static atomic64_t irqpath_seq = ATOMIC64_INIT(0);
static const struct irqpath_registry_ops *irqpath_ops;
static bool irqpath_stopping;

static void irqpath_work_fn(struct work_struct *work);
static DECLARE_WORK(irqpath_work, irqpath_work_fn);

/*
 * Keys of recently destroyed VMs, under irqpath_reg_lock. A VM is retired
 * at kvm_arch_destroy_vm entry, but a late event of its teardown (a timer,
 * a kick) may come after: it must not bring the VM back as a discovered
 * one. A key leaves when a new VM is created at that address.
 */
#define IRQPATH_GONE_KEYS	32
static const void *irqpath_gone[IRQPATH_GONE_KEYS];
static unsigned int irqpath_gone_next;

static bool irqpath_gone_find(const void *key, bool forget)
{
	unsigned int i;

	lockdep_assert_held(&irqpath_reg_lock);
	for (i = 0; i < IRQPATH_GONE_KEYS; i++) {
		if (irqpath_gone[i] == key) {
			if (forget)
				irqpath_gone[i] = NULL;
			return true;
		}
	}
	return false;
}

static void irqpath_gone_add(const void *key)
{
	lockdep_assert_held(&irqpath_reg_lock);
	if (irqpath_gone_find(key, false))
		return;
	irqpath_gone[irqpath_gone_next] = key;
	irqpath_gone_next = (irqpath_gone_next + 1) % IRQPATH_GONE_KEYS;
}

static void irqpath_vm_release(struct irqpath_vm *vm)
{
	free_percpu(vm->pcpu);
	kfree(vm->base);
	kfree(vm);
}

static void irqpath_vm_free(struct irqpath_vm *vm)
{
	if (!vm)
		return;
	irqpath_vm_release(vm);
	atomic_dec(&irqpath_nr_records);
}

static struct irqpath_vm *irqpath_vm_alloc(gfp_t gfp)
{
	struct irqpath_vm *vm;

	vm = kzalloc(sizeof(*vm), gfp);
	if (!vm)
		return NULL;
	vm->pcpu = alloc_percpu_gfp(struct irqpath_cpu_counts, gfp);
	vm->base = kzalloc(sizeof(*vm->base), gfp);
	if (!vm->pcpu || !vm->base) {
		irqpath_vm_release(vm);
		return NULL;
	}
	INIT_LIST_HEAD(&vm->work);
	atomic_inc(&irqpath_nr_records);
	return vm;
}

static struct irqpath_vm *irqpath_spare_pop(void)
{
	struct irqpath_vm *vm;

	lockdep_assert_held(&irqpath_reg_lock);
	vm = list_first_entry_or_null(&irqpath_spares, struct irqpath_vm,
				      work);
	if (vm) {
		list_del_init(&vm->work);
		irqpath_nr_spares--;
	}
	return vm;
}

static struct irqpath_vm *irqpath_hash_find(const void *key)
{
	return irqpath_vm_lookup(key);
}

/* Callers hold the lock; the record is freed by the work after a grace period. */
static void irqpath_unhash(struct irqpath_vm *vm)
{
	lockdep_assert_held(&irqpath_reg_lock);
	hash_del_rcu(&vm->hnode);
	hash_del_rcu(&vm->pnode);
	hash_del_rcu(&vm->snode);
	list_del_rcu(&vm->node);
	if (vm->state == IRQPATH_VM_PENDING)
		list_move_tail(&vm->work, &irqpath_dead);
	else
		list_add_tail(&vm->work, &irqpath_dead);
	vm->state = IRQPATH_VM_DEAD;
}

static void irqpath_insert(struct irqpath_vm *vm, const void *key, pid_t pid)
{
	lockdep_assert_held(&irqpath_reg_lock);
	vm->key = key;
	vm->pid = pid;
	vm->state = IRQPATH_VM_PENDING;
	vm->seq = atomic64_inc_return(&irqpath_seq);
	snprintf(vm->name, sizeof(vm->name), "%d-%llu", pid,
		 (unsigned long long)vm->seq);
	hash_add_rcu(irqpath_hash, &vm->hnode, (unsigned long)key);
	hash_add_rcu(irqpath_pid_hash, &vm->pnode, pid);
	hash_add_rcu(irqpath_seq_hash, &vm->snode, vm->seq);
	list_add_tail_rcu(&vm->node, &irqpath_vms);
	list_add_tail(&vm->work, &irqpath_pending);
}

static void irqpath_kick(void)
{
	if (!READ_ONCE(irqpath_stopping))
		schedule_work(&irqpath_work);
}

/*
 * A VM was just created (process context, preemption disabled). A record
 * still holding this key belongs to a VM whose destruction we missed: the
 * address was freed and reused, so that record is retired first.
 */
struct irqpath_vm *irqpath_vm_create(const void *key, pid_t pid,
				     const char *comm)
{
	struct irqpath_vm *vm, *old;
	unsigned long flags;

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	vm = irqpath_spare_pop();
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	if (!vm)
		vm = irqpath_vm_alloc(GFP_ATOMIC);

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	irqpath_gone_find(key, true);
	old = irqpath_hash_find(key);
	if (old)
		irqpath_unhash(old);
	if (vm) {
		strscpy(vm->comm, comm, sizeof(vm->comm));
		irqpath_insert(vm, key, pid);
	} else {
		irqpath_note_alloc_failure();
	}
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	irqpath_kick();
	return vm;
}

/*
 * The VM of an event: known, or created before we loaded and found now.
 * Hard-IRQ safe: only spares are used. NULL means the caller counts the
 * event as unattributed.
 */
struct irqpath_vm *irqpath_vm_get(const void *key, pid_t pid)
{
	struct irqpath_vm *vm = irqpath_hash_find(key);
	unsigned long flags;

	if (likely(vm))
		return vm;

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	vm = irqpath_hash_find(key);
	if (!vm && irqpath_gone_find(key, false)) {
		/* a late event of a destroyed VM: unattributed, no new VM */
		spin_unlock_irqrestore(&irqpath_reg_lock, flags);
		return NULL;
	}
	if (!vm) {
		vm = irqpath_spare_pop();
		if (vm) {
			vm->discovered = true;
			irqpath_insert(vm, key, pid);
		} else {
			irqpath_note_alloc_failure();
		}
	}
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	irqpath_kick();
	return vm;
}

void irqpath_vm_retire(const void *key)
{
	struct irqpath_vm *vm;
	unsigned long flags;

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	irqpath_gone_add(key);
	vm = irqpath_hash_find(key);
	if (vm)
		irqpath_unhash(vm);
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	if (vm)
		irqpath_kick();
}

/*
 * The VM of a VMM process: *nr says how many it owns (0, 1, or 2 for "two
 * or more"), and the VM is returned only when it is the one. RCU.
 */
struct irqpath_vm *irqpath_vm_of_pid(pid_t pid, unsigned int *nr)
{
	struct irqpath_vm *vm, *found = NULL;

	*nr = 0;
	hash_for_each_possible_rcu(irqpath_pid_hash, vm, pnode, pid) {
		if (vm->pid != pid)
			continue;
		found = vm;
		if (++*nr == 2)
			return NULL;
	}
	return found;
}

/*
 * The counts since the last reset, and the VMM's name, as one snapshot.
 * Without rows, only the totals: what `summary` shows, without a walk of
 * the row table for each VM.
 */
void irqpath_vm_snapshot(struct irqpath_vm *vm, struct irqpath_counts *val,
			 char *comm, bool rows)
{
	spin_lock(&irqpath_read_lock);
	irqpath_counts_sum(val, vm->pcpu);
	if (rows)
		irqpath_rows_add(val, vm->seq);
	irqpath_counts_sub(val, vm->base);
	if (!rows)
		irqpath_counts_drop_rows(val);
	if (comm)
		strscpy(comm, vm->comm, TASK_COMM_LEN);
	spin_unlock(&irqpath_read_lock);
}

/* The record whose rows carry seq. RCU. */
static struct irqpath_vm *irqpath_vm_of_seq(u64 seq)
{
	struct irqpath_vm *vm;

	if (seq == irqpath_unattributed->seq)
		return irqpath_unattributed;
	hash_for_each_possible_rcu(irqpath_seq_hash, vm, snode, seq)
		if (vm->seq == seq)
			return vm;
	return NULL;
}

static void irqpath_reset_row(const struct irqpath_row *row, void *arg)
{
	struct irqpath_vm *vm = irqpath_vm_of_seq(irqpath_row_seq(row->key));

	if (vm)
		irqpath_row_add_to(vm->base, row);
}

/*
 * Writers never see a reset: the baseline moves instead, so a count that
 * races with a reset is kept on one side of it, never lost or torn. One
 * walk of the row table serves every VM.
 */
void irqpath_registry_reset(void)
{
	struct irqpath_vm *vm;

	rcu_read_lock();
	spin_lock(&irqpath_read_lock);
	list_for_each_entry_rcu(vm, &irqpath_vms, node)
		irqpath_counts_sum(vm->base, vm->pcpu);
	irqpath_counts_sum(irqpath_unattributed->base,
			   irqpath_unattributed->pcpu);
	irqpath_rows_walk(irqpath_reset_row, NULL);
	irqpath_alloc_failures_base = atomic_long_read(&irqpath_alloc_failures);
	spin_unlock(&irqpath_read_lock);
	rcu_read_unlock();
}

/*
 * Times of deliveries still waiting for their vCPU's entry are dropped
 * when timing comes on: one left from before the last switch off would
 * be timed across the gap. Called with the key off and no hook stamping.
 */
void irqpath_registry_entry_clear(void)
{
	struct irqpath_vm *vm;
	unsigned int i;

	rcu_read_lock();
	list_for_each_entry_rcu(vm, &irqpath_vms, node)
		for (i = 0; i < ARRAY_SIZE(vm->lat_entry); i++)
			WRITE_ONCE(vm->lat_entry[i], 0);
	rcu_read_unlock();
}

/*
 * fn(key, arg) unless vm is retired: retirement (at kvm_arch_destroy_vm,
 * before the struct kvm is freed) takes this lock, so a live record's key
 * is a live kvm here, for fn to take a reference on. Never sleeps.
 */
bool irqpath_vm_call_live(struct irqpath_vm *vm,
			  bool (*fn)(const void *key, void *arg), void *arg)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	if (vm != irqpath_unattributed && vm->state != IRQPATH_VM_DEAD)
		ret = fn(vm->key, arg);
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	return ret;
}

/* VM records now, live or retired: to size a reader's buffer. */
unsigned int irqpath_registry_nr_vms(void)
{
	int records = atomic_read(&irqpath_nr_records);

	return records > 0 ? records : 0;
}

u64 irqpath_registry_vm_seq(void)
{
	return atomic64_read(&irqpath_seq);
}

/*
 * What the records hold now: VM records (live, or retired and waiting for
 * their grace period), spares, and their bytes with the unattributed set.
 */
void irqpath_registry_memory(unsigned int *vms, unsigned int *spares,
			     unsigned long *bytes)
{
	unsigned long flags;
	int records;

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	records = atomic_read(&irqpath_nr_records);
	*spares = irqpath_nr_spares;
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	*bytes = (unsigned long)records *
		 (sizeof(struct irqpath_vm) + sizeof(struct irqpath_counts) +
		  sizeof(struct irqpath_cpu_counts) * num_possible_cpus());
	records -= *spares + (irqpath_unattributed ? 1 : 0);
	*vms = records > 0 ? records : 0;
}

/* Since load: a figure tests compare across a case. */
unsigned long irqpath_registry_alloc_failures(void)
{
	return atomic_long_read(&irqpath_alloc_failures);
}

/* Since the last reset: what `unattributed` shows. */
unsigned long irqpath_registry_alloc_failures_shown(void)
{
	unsigned long n;

	spin_lock(&irqpath_read_lock);
	n = atomic_long_read(&irqpath_alloc_failures) -
	    irqpath_alloc_failures_base;
	spin_unlock(&irqpath_read_lock);
	return n;
}

/* A record (VM, producer row, eventfd entry) the module could not keep. */
void irqpath_note_alloc_failure(void)
{
	atomic_long_inc(&irqpath_alloc_failures);
}

static void irqpath_fill_comm(struct irqpath_vm *vm)
{
	char comm[TASK_COMM_LEN] = "?";
	struct task_struct *task;
	struct pid *pid;

	if (vm->comm[0])
		return;
	pid = find_get_pid(vm->pid);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (task) {
		get_task_comm(comm, task);
		put_task_struct(task);
	}
	spin_lock(&irqpath_read_lock);
	strscpy(vm->comm, comm, sizeof(vm->comm));
	spin_unlock(&irqpath_read_lock);
}

static void irqpath_refill(void)
{
	struct irqpath_vm *vm;
	unsigned long flags;

	while (READ_ONCE(irqpath_nr_spares) < IRQPATH_SPARES) {
		vm = irqpath_vm_alloc(GFP_KERNEL);
		if (!vm)
			return;
		spin_lock_irqsave(&irqpath_reg_lock, flags);
		list_add(&vm->work, &irqpath_spares);
		irqpath_nr_spares++;
		spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	}
}

static struct irqpath_vm *irqpath_next_pending(void)
{
	struct irqpath_vm *vm;
	unsigned long flags;

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	vm = list_first_entry_or_null(&irqpath_pending, struct irqpath_vm,
				      work);
	if (vm) {
		list_del_init(&vm->work);
		vm->state = IRQPATH_VM_PUBLISHING;
	}
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	return vm;
}

static void irqpath_publish_pending(void)
{
	struct irqpath_vm *vm;
	struct dentry *dir;
	unsigned long flags;

	while ((vm = irqpath_next_pending())) {
		irqpath_fill_comm(vm);
		dir = irqpath_ops->publish ? irqpath_ops->publish(vm) : NULL;
		spin_lock_irqsave(&irqpath_reg_lock, flags);
		vm->dir = dir;
		if (vm->state == IRQPATH_VM_PUBLISHING)
			vm->state = IRQPATH_VM_LIVE;
		spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	}
}

/* The rows of the records on dead, given back to the shared table. */
static void irqpath_forget_rows(struct list_head *dead)
{
	struct irqpath_vm *vm;
	unsigned int n = 0;
	u64 *seqs;

	list_for_each_entry(vm, dead, work)
		n++;
	seqs = kmalloc_array(n, sizeof(*seqs), GFP_KERNEL);
	if (!seqs) {
		/* one walk per VM, slower but needing nothing */
		list_for_each_entry(vm, dead, work)
			irqpath_rows_forget(&vm->seq, 1);
		return;
	}
	n = 0;
	list_for_each_entry(vm, dead, work)
		seqs[n++] = vm->seq;
	irqpath_rows_forget(seqs, n);
	kfree(seqs);
}

/*
 * Directory first: once it is gone no file can reach the record. After
 * the grace period no handler holds it, nor can write its rows.
 */
static void irqpath_free_dead(void)
{
	struct irqpath_vm *vm, *tmp;
	unsigned long flags;
	LIST_HEAD(dead);

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	list_splice_init(&irqpath_dead, &dead);
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	if (list_empty(&dead))
		return;

	list_for_each_entry(vm, &dead, work)
		if (vm->dir && irqpath_ops->unpublish)
			irqpath_ops->unpublish(vm);
	synchronize_rcu();
	irqpath_forget_rows(&dead);
	list_for_each_entry_safe(vm, tmp, &dead, work)
		irqpath_vm_free(vm);
}

static void irqpath_work_fn(struct work_struct *work)
{
	if (!READ_ONCE(irqpath_stopping))
		irqpath_refill();
	irqpath_publish_pending();
	irqpath_free_dead();
}

int irqpath_registry_init(const struct irqpath_registry_ops *ops,
			  unsigned int rows)
{
	int ret;

	ret = irqpath_rows_init(rows);
	if (ret)
		return ret;
	irqpath_ops = ops;
	memset(irqpath_gone, 0, sizeof(irqpath_gone));
	irqpath_gone_next = 0;
	WRITE_ONCE(irqpath_stopping, false);
	irqpath_unattributed = irqpath_vm_alloc(GFP_KERNEL);
	if (irqpath_unattributed) {
		strscpy(irqpath_unattributed->name, "unattributed",
			sizeof(irqpath_unattributed->name));
		irqpath_unattributed->seq = IRQPATH_ROW_SEQ_MAX;
		irqpath_refill();
	}
	if (!irqpath_unattributed || irqpath_nr_spares < IRQPATH_SPARES) {
		irqpath_registry_exit();
		return -ENOMEM;
	}
	return 0;
}

/* Run the work now, so that every directory matches the registry. */
void irqpath_registry_flush(void)
{
	flush_work(&irqpath_work);
}

/* Called once no probe can run any more. */
void irqpath_registry_exit(void)
{
	struct irqpath_vm *vm, *tmp;
	struct hlist_node *htmp;
	unsigned long flags;
	int bkt;

	WRITE_ONCE(irqpath_stopping, true);
	cancel_work_sync(&irqpath_work);

	spin_lock_irqsave(&irqpath_reg_lock, flags);
	hash_for_each_safe(irqpath_hash, bkt, htmp, vm, hnode)
		irqpath_unhash(vm);
	spin_unlock_irqrestore(&irqpath_reg_lock, flags);
	irqpath_publish_pending();
	irqpath_free_dead();

	list_for_each_entry_safe(vm, tmp, &irqpath_spares, work)
		irqpath_vm_free(vm);
	INIT_LIST_HEAD(&irqpath_spares);
	irqpath_nr_spares = 0;
	irqpath_vm_free(irqpath_unattributed);
	irqpath_unattributed = NULL;
	irqpath_rows_exit();
}
