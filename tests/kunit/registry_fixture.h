/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the registry suites (registry_test.c, registry_retire_test.c,
 * registry_counts_test.c).
 *
 * The registry is a singleton with a static work item: every case starts
 * from irqpath_registry_init() with the test ops below and ends with
 * irqpath_registry_exit(); irqpath_registry_flush() runs the work (publish,
 * refill spares, unpublish and free the dead) synchronously. UML runs one
 * CPU, so without a sleep nothing else runs between two calls of a case.
 * Each suite's file has its own copy of the log.
 */
#ifndef _IRQPATH_REGISTRY_FIXTURE_H
#define _IRQPATH_REGISTRY_FIXTURE_H

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "irqpath/registry.h"

/* IRQPATH_SPARES of registry.c: records kept ready for hard-IRQ discovery. */
#define TEST_SPARES	16
/* A struct kvm-like address; only compared, never dereferenced. */
#define KEY(i)	((const void *)(0xffff888100000000UL + (unsigned long)(i) * 0x8000))

static struct {
	unsigned long failures0;	/* irqpath_registry_alloc_failures() at init */
	int published, unpublished;
	struct irqpath_vm *last_published, *last_unpublished;
	struct dentry *publish_ret;
	bool retire_in_publish;	/* the VM dies while its directory is made */
	bool dir_ok;		/* unpublish only ever saw the dentry publish gave */
} ops_log;

static char fake_dentry_storage;
#define FAKE_DENTRY	((struct dentry *)&fake_dentry_storage)

static inline struct dentry *test_publish(struct irqpath_vm *vm)
{
	ops_log.published++;
	ops_log.last_published = vm;
	if (ops_log.retire_in_publish) {
		if (vm->state != IRQPATH_VM_PUBLISHING)
			ops_log.dir_ok = false;
		irqpath_vm_retire(vm->key);
	}
	return ops_log.publish_ret;
}

static inline void test_unpublish(struct irqpath_vm *vm)
{
	ops_log.unpublished++;
	ops_log.last_unpublished = vm;
	if (vm->dir != FAKE_DENTRY || vm->state != IRQPATH_VM_DEAD)
		ops_log.dir_ok = false;
}

static const struct irqpath_registry_ops test_ops = {
	.publish = test_publish,
	.unpublish = test_unpublish,
};

static inline int registry_test_init(struct kunit *test)
{
	memset(&ops_log, 0, sizeof(ops_log));
	ops_log.publish_ret = FAKE_DENTRY;
	ops_log.dir_ok = true;
	ops_log.failures0 = irqpath_registry_alloc_failures();
	return irqpath_registry_init(&test_ops, IRQPATH_ROWS_DEFAULT);
}

static inline void registry_test_exit(struct kunit *test)
{
	irqpath_registry_exit();
	KUNIT_EXPECT_TRUE(test, ops_log.dir_ok);
}

/* Allocation failures since the case began (the counter is never reset). */
static inline unsigned long failures(void)
{
	return irqpath_registry_alloc_failures() - ops_log.failures0;
}

/* VM records allocated and not yet freed: live, or retired and waiting. */
static inline unsigned int records(void)
{
	unsigned int vms, spares;
	unsigned long bytes;

	irqpath_registry_memory(&vms, &spares, &bytes);
	return vms;
}

static inline struct irqpath_vm *lookup(const void *key)
{
	struct irqpath_vm *vm;

	rcu_read_lock();
	vm = irqpath_vm_lookup(key);
	rcu_read_unlock();
	return vm;
}

/* irqpath_vm_get is called from hard-IRQ context: call it with IRQs off. */
static inline struct irqpath_vm *get_irqs_off(const void *key, pid_t pid)
{
	struct irqpath_vm *vm;
	unsigned long flags;

	local_irq_save(flags);
	vm = irqpath_vm_get(key, pid);
	local_irq_restore(flags);
	return vm;
}

static inline struct irqpath_vm *create(const void *key, pid_t pid,
					const char *comm)
{
	struct irqpath_vm *vm;

	preempt_disable();	/* as in the kretprobe of kvm_arch_init_vm */
	vm = irqpath_vm_create(key, pid, comm);
	preempt_enable();
	return vm;
}

static inline void count(struct irqpath_vm *vm, int cpu,
			 enum irqpath_counter c, u64 n)
{
	per_cpu_ptr(vm->pcpu, cpu)->c[c] += n;
}

static inline void expect_name(struct kunit *test, struct irqpath_vm *vm,
			       pid_t pid, u64 seq)
{
	char want[64];

	snprintf(want, sizeof(want), "%d-%llu", pid, seq);
	KUNIT_EXPECT_STREQ(test, vm->name, want);
}

#endif /* _IRQPATH_REGISTRY_FIXTURE_H */
