// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/registry.c, a VM record's end: retired by its VM's
 * destroy, by a create at its address or by the registry's exit; gone from
 * lookup at once, unpublished and freed by the work after an RCU grace
 * period. The fixture is in registry_fixture.h; a record's birth and lookup
 * are registry_test.c's.
 */
#include "registry_fixture.h"

/*
 * A late event of a destroyed VM (after kvm_arch_destroy_vm) is no new VM:
 * get returns NULL (unattributed) until a VM is created at that address.
 */
static void registry_get_after_destroy(struct kunit *test)
{
	struct irqpath_vm *vm = create(KEY(1), 7, "vmm");

	KUNIT_ASSERT_NOT_NULL(test, vm);
	irqpath_vm_retire(KEY(1));
	irqpath_registry_flush();
	KUNIT_EXPECT_NULL(test, get_irqs_off(KEY(1), 7));
	KUNIT_EXPECT_NULL(test, lookup(KEY(1)));
	/* a VM never seen is still discovered */
	KUNIT_EXPECT_NOT_NULL(test, get_irqs_off(KEY(2), 7));
	/* the address reused by a new VM is that VM's */
	vm = create(KEY(1), 8, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_EQ(test, get_irqs_off(KEY(1), 8), vm);
}

struct retire_case {
	const char *desc;
	bool published;		/* publish returns a dentry */
};

static const struct retire_case retire_cases[] = {
	{ "with_dir", true },
	{ "without_dir", false },
};

KUNIT_ARRAY_PARAM_DESC(retire, retire_cases, desc);

/* retire: gone from lookup at once; the work unpublishes (once, if published) and frees. */
static void registry_retire(struct kunit *test)
{
	const struct retire_case *p = test->param_value;
	struct irqpath_vm *vm, *other;

	if (!p->published)
		ops_log.publish_ret = NULL;
	vm = create(KEY(1), 1, "vmm");
	other = create(KEY(2), 2, "vmm");
	irqpath_registry_flush();
	KUNIT_ASSERT_NOT_NULL(test, vm);

	KUNIT_EXPECT_EQ(test, records(), 2U);
	irqpath_vm_retire(KEY(1));
	KUNIT_EXPECT_NULL(test, lookup(KEY(1)));
	KUNIT_EXPECT_PTR_EQ(test, lookup(KEY(2)), other);
	KUNIT_EXPECT_EQ(test, vm->state, IRQPATH_VM_DEAD);	/* not freed yet */
	KUNIT_EXPECT_EQ(test, records(), 2U);
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, 0);

	irqpath_registry_flush();	/* unpublish, grace period, free */
	KUNIT_EXPECT_EQ(test, records(), 1U);
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, p->published ? 1 : 0);
	if (p->published)
		KUNIT_EXPECT_PTR_EQ(test, ops_log.last_unpublished, vm);

	/* A second retire, and one of an unknown key, change nothing. */
	irqpath_vm_retire(KEY(1));
	irqpath_vm_retire(KEY(3));
	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, p->published ? 1 : 0);
	KUNIT_EXPECT_PTR_EQ(test, lookup(KEY(2)), other);
	KUNIT_EXPECT_EQ(test, other->state, IRQPATH_VM_LIVE);
}

/* A VM retired before the work published it is never published nor unpublished. */
static void registry_retire_pending(struct kunit *test)
{
	preempt_disable();
	KUNIT_EXPECT_NOT_NULL(test, irqpath_vm_create(KEY(1), 1, "vmm"));
	irqpath_vm_retire(KEY(1));
	preempt_enable();
	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.published, 0);
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, 0);
	KUNIT_EXPECT_NULL(test, lookup(KEY(1)));
}

/* A VM destroyed while the work creates its directory stays dead and is unpublished and freed. */
static void registry_retire_while_publishing(struct kunit *test)
{
	struct irqpath_vm *vm = create(KEY(1), 1, "vmm");

	KUNIT_ASSERT_NOT_NULL(test, vm);
	ops_log.retire_in_publish = true;
	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.published, 1);
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, 1);
	KUNIT_EXPECT_PTR_EQ(test, ops_log.last_unpublished, vm);
	KUNIT_EXPECT_NULL(test, lookup(KEY(1)));
}

/*
 * create on a key still registered (a destroy we missed, the address reused)
 * retires the old record; the new one starts at zero.
 */
static void registry_create_reuses_key(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	struct irqpath_counts *zero = kunit_kzalloc(test, sizeof(*zero), GFP_KERNEL);
	struct irqpath_vm *old, *vm;
	u64 seq;

	KUNIT_ASSERT_NOT_NULL(test, val);
	KUNIT_ASSERT_NOT_NULL(test, zero);
	old = create(KEY(1), 100, "old");
	irqpath_registry_flush();
	KUNIT_ASSERT_NOT_NULL(test, old);
	count(old, raw_smp_processor_id(), IRQPATH_IRQFD_WAKEUPS, 5);
	preempt_disable();
	irqpath_inc_vcpu(old, 0, IRQPATH_VCOL_DELIVERIES);
	preempt_enable();

	seq = irqpath_registry_vm_seq();
	vm = create(KEY(1), 200, "new");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_NE(test, vm, old);
	KUNIT_EXPECT_PTR_EQ(test, lookup(KEY(1)), vm);
	KUNIT_EXPECT_EQ(test, old->state, IRQPATH_VM_DEAD);
	expect_name(test, vm, 200, seq + 1);

	irqpath_vm_snapshot(vm, val, NULL, true);
	KUNIT_EXPECT_EQ(test, memcmp(val, zero, sizeof(*val)), 0);

	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, 1);
	KUNIT_EXPECT_PTR_EQ(test, ops_log.last_unpublished, old);
	KUNIT_EXPECT_EQ(test, ops_log.published, 2);
	KUNIT_EXPECT_PTR_EQ(test, ops_log.last_published, vm);
	KUNIT_EXPECT_STREQ(test, vm->comm, "new");
}

/* A VM retired while a reader holds it under rcu_read_lock stays readable until the unlock. */
static void registry_rcu_reader(struct kunit *test)
{
	struct irqpath_vm *vm;
	char name[IRQPATH_NAME_LEN];

	KUNIT_ASSERT_NOT_NULL(test, create(KEY(1), 77, "vmm"));
	irqpath_registry_flush();

	rcu_read_lock();
	vm = irqpath_vm_lookup(KEY(1));
	KUNIT_EXPECT_NOT_NULL(test, vm);
	if (vm) {
		strscpy(name, vm->name, sizeof(name));
		irqpath_vm_retire(KEY(1));	/* schedules the work */
		KUNIT_EXPECT_NULL(test, irqpath_vm_lookup(KEY(1)));
		/* The work cannot free it before our grace period ends. */
		KUNIT_EXPECT_PTR_EQ(test, vm->key, KEY(1));
		KUNIT_EXPECT_EQ(test, vm->pid, 77);
		KUNIT_EXPECT_STREQ(test, vm->name, name);
		KUNIT_EXPECT_EQ(test, per_cpu_ptr(vm->pcpu, raw_smp_processor_id())->c[0], 0ULL);
	}
	KUNIT_EXPECT_EQ(test, records(), 1U);	/* still allocated */
	rcu_read_unlock();

	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, 1);
	KUNIT_EXPECT_PTR_EQ(test, ops_log.last_unpublished, vm);
	KUNIT_EXPECT_EQ(test, records(), 0U);	/* freed after the grace period */
}

/*
 * exit unpublishes every published VM once, publishes none of the pending,
 * and leaves an empty registry.
 */
static void registry_exit_cleans_up(struct kunit *test)
{
	int i;

	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_NOT_NULL(test, create(KEY(i), 1, "vmm"));
	irqpath_registry_flush();
	irqpath_vm_retire(KEY(0));
	preempt_disable();
	KUNIT_ASSERT_NOT_NULL(test, irqpath_vm_create(KEY(10), 1, "vmm"));
	preempt_enable();

	irqpath_registry_exit();
	KUNIT_EXPECT_EQ(test, ops_log.published, 4);
	KUNIT_EXPECT_EQ(test, ops_log.unpublished, 4);
	KUNIT_EXPECT_NULL(test, irqpath_unattributed);
	KUNIT_EXPECT_TRUE(test, list_empty(&irqpath_vms));

	KUNIT_ASSERT_EQ(test, irqpath_registry_init(&test_ops, IRQPATH_ROWS_DEFAULT), 0);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NULL(test, lookup(KEY(i)));
	KUNIT_EXPECT_NULL(test, lookup(KEY(10)));
}

static struct kunit_case irqpath_registry_retire_cases[] = {
	KUNIT_CASE(registry_get_after_destroy),
	KUNIT_CASE_PARAM(registry_retire, retire_gen_params),
	KUNIT_CASE(registry_retire_pending),
	KUNIT_CASE(registry_retire_while_publishing),
	KUNIT_CASE(registry_create_reuses_key),
	KUNIT_CASE(registry_rcu_reader),
	KUNIT_CASE(registry_exit_cleans_up),
	{}
};

static struct kunit_suite irqpath_registry_retire_suite = {
	.name = "irqpath_registry_retire",
	.init = registry_test_init,
	.exit = registry_test_exit,
	.test_cases = irqpath_registry_retire_cases,
};

kunit_test_suites(&irqpath_registry_retire_suite);
