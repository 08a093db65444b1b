// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/registry.c, a VM record's birth and lookup: keyed by
 * the struct kvm address, created or lazily discovered from spares, named,
 * published, found by key and by VMM pid. The fixture is in
 * registry_fixture.h; a record's retirement is registry_retire_test.c's,
 * the counts kept in records registry_counts_test.c's.
 */
#include "registry_fixture.h"

static const struct irqpath_registry_ops no_ops = {};
/* create: findable at once, named "<pid>-<n>", published by the work. */
static void registry_create_lookup(struct kunit *test)
{
	u64 seq = irqpath_registry_vm_seq();
	struct irqpath_vm *vm = create(KEY(1), 4321, "qemu-system-x86");

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_PTR_EQ(test, lookup(KEY(1)), vm);
	KUNIT_EXPECT_PTR_EQ(test, vm->key, KEY(1));
	KUNIT_EXPECT_EQ(test, vm->pid, 4321);
	KUNIT_EXPECT_FALSE(test, vm->discovered);
	KUNIT_EXPECT_EQ(test, irqpath_registry_vm_seq(), seq + 1);
	expect_name(test, vm, 4321, seq + 1);
	KUNIT_EXPECT_EQ(test, vm->state, IRQPATH_VM_PENDING);
	KUNIT_EXPECT_EQ(test, ops_log.published, 0);

	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, vm->state, IRQPATH_VM_LIVE);
	KUNIT_EXPECT_EQ(test, ops_log.published, 1);
	KUNIT_EXPECT_PTR_EQ(test, ops_log.last_published, vm);
	KUNIT_EXPECT_PTR_EQ(test, vm->dir, FAKE_DENTRY);
	KUNIT_EXPECT_STREQ(test, vm->comm, "qemu-system-x86");
	KUNIT_EXPECT_EQ(test, failures(), 0UL);
}

/* Unknown keys, the NULL key and the unattributed record are not in the hash. */
static void registry_lookup_unknown(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, create(KEY(1), 1, "a"));
	KUNIT_EXPECT_NULL(test, lookup(KEY(2)));
	KUNIT_EXPECT_NULL(test, lookup(NULL));
	KUNIT_ASSERT_NOT_NULL(test, irqpath_unattributed);
	KUNIT_EXPECT_STREQ(test, irqpath_unattributed->name, "unattributed");
}

/* Records list in creation order on irqpath_vms. */
static void registry_list_order(struct kunit *test)
{
	struct irqpath_vm *vm, *want[3];
	int i = 0;

	for (i = 0; i < 3; i++)
		want[i] = create(KEY(10 - i), 100 + i, "vmm");
	irqpath_registry_flush();
	i = 0;
	rcu_read_lock();
	list_for_each_entry_rcu(vm, &irqpath_vms, node) {
		if (i < 3)
			KUNIT_EXPECT_PTR_EQ(test, vm, want[i]);
		i++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, i, 3);
}

/* get on a known VM returns its record and creates nothing. */
static void registry_get_known(struct kunit *test)
{
	struct irqpath_vm *vm = create(KEY(1), 7, "vmm");
	u64 seq = irqpath_registry_vm_seq();

	KUNIT_EXPECT_PTR_EQ(test, get_irqs_off(KEY(1), 8), vm);
	KUNIT_EXPECT_EQ(test, irqpath_registry_vm_seq(), seq);
	KUNIT_EXPECT_FALSE(test, vm->discovered);
	KUNIT_EXPECT_EQ(test, vm->pid, 7);
}

/* get on an unknown VM (created before load) discovers it: marked, named, published. */
static void registry_get_discovers(struct kunit *test)
{
	pid_t pid = task_tgid_nr(current);
	char comm[TASK_COMM_LEN];
	struct irqpath_vm *vm;
	u64 seq = irqpath_registry_vm_seq();

	vm = get_irqs_off(KEY(5), pid);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_TRUE(test, vm->discovered);
	KUNIT_EXPECT_EQ(test, vm->pid, pid);
	expect_name(test, vm, pid, seq + 1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(KEY(5)), vm);
	KUNIT_EXPECT_PTR_EQ(test, get_irqs_off(KEY(5), pid), vm);

	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, vm->state, IRQPATH_VM_LIVE);
	KUNIT_EXPECT_EQ(test, ops_log.published, 1);
	/* The work filled comm from the pid's task: this test's thread. */
	get_task_comm(comm, current);
	KUNIT_EXPECT_STREQ(test, vm->comm, comm);
}

/* Discovery never allocates: TEST_SPARES finds, then NULL (unattributed) until the work refills. */
static void registry_get_spares_only(struct kunit *test)
{
	struct irqpath_vm *vm[TEST_SPARES + 1];
	unsigned long flags;
	int i;

	if (num_online_cpus() > 1)
		kunit_skip(test, "the work could refill the spares from another CPU");
	local_irq_save(flags);
	for (i = 0; i <= TEST_SPARES; i++)
		vm[i] = irqpath_vm_get(KEY(100 + i), 1000 + i);
	local_irq_restore(flags);
	for (i = 0; i < TEST_SPARES; i++)
		KUNIT_EXPECT_NOT_NULL(test, vm[i]);
	KUNIT_EXPECT_NULL(test, vm[TEST_SPARES]);
	KUNIT_EXPECT_NULL(test, lookup(KEY(100 + TEST_SPARES)));
	KUNIT_EXPECT_EQ(test, failures(), 1UL);

	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.published, TEST_SPARES);
	KUNIT_EXPECT_NOT_NULL(test, get_irqs_off(KEY(100 + TEST_SPARES), 1));
}

/*
 * create past the spares falls back to an atomic allocation. An atomic
 * per-CPU allocation fails once the populated per-CPU space is used up, so
 * some of these may fail: each failure is counted, nothing is half-made, and
 * the VM is discovered by its next event once the work refilled the spares.
 */
static void registry_create_without_spares(struct kunit *test)
{
	struct irqpath_vm *vm[TEST_SPARES + 4];
	unsigned int made = 0, lost = 0;
	int i;

	preempt_disable();
	for (i = 0; i < ARRAY_SIZE(vm); i++)
		vm[i] = irqpath_vm_create(KEY(i), 100 + i, "vmm");
	preempt_enable();
	for (i = 0; i < ARRAY_SIZE(vm); i++) {
		KUNIT_EXPECT_PTR_EQ(test, lookup(KEY(i)), vm[i]);
		if (vm[i])
			made++;
		else
			lost++;
	}
	for (i = 0; i < TEST_SPARES; i++)
		KUNIT_EXPECT_NOT_NULL(test, vm[i]);
	KUNIT_EXPECT_EQ(test, failures(), (unsigned long)lost);
	kunit_info(test, "%u atomic allocations past the spares: %u made, %u failed\n",
		   (unsigned int)ARRAY_SIZE(vm) - TEST_SPARES, made - TEST_SPARES, lost);

	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, ops_log.published, (int)made);
	for (i = 0; i < ARRAY_SIZE(vm); i++) {
		struct irqpath_vm *got = get_irqs_off(KEY(i), 100 + i);

		KUNIT_EXPECT_NOT_NULL(test, got);
		if (got)
			KUNIT_EXPECT_EQ(test, got->discovered, !vm[i]);
	}
}

/* A pid of 10 digits and a large sequence number still fit IRQPATH_NAME_LEN. */
static void registry_name_long_pid(struct kunit *test)
{
	struct irqpath_vm *vm;
	u64 seq = irqpath_registry_vm_seq();

	vm = create(KEY(1), INT_MAX, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	expect_name(test, vm, INT_MAX, seq + 1);
	KUNIT_EXPECT_LT(test, strnlen(vm->name, IRQPATH_NAME_LEN), (size_t)IRQPATH_NAME_LEN);
	vm = get_irqs_off(KEY(2), INT_MAX);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	expect_name(test, vm, INT_MAX, seq + 2);
	/* The worst case of the format: 10 digits, '-', 19 digits of a positive s64. */
	KUNIT_EXPECT_LT(test, strlen("2147483647-9223372036854775807"), (size_t)IRQPATH_NAME_LEN);
}

/* Without a comm (discovered, or none given) the work names the VMM from its pid, "?" if gone. */
static void registry_comm_from_pid(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	char comm[TASK_COMM_LEN];
	struct irqpath_vm *mine, *gone;

	KUNIT_ASSERT_NOT_NULL(test, val);
	mine = create(KEY(1), task_tgid_nr(current), "");
	gone = create(KEY(2), INT_MAX, "");	/* above any pid_max */
	KUNIT_ASSERT_NOT_NULL(test, mine);
	KUNIT_ASSERT_NOT_NULL(test, gone);
	irqpath_registry_flush();
	get_task_comm(comm, current);
	KUNIT_EXPECT_STREQ(test, mine->comm, comm);
	KUNIT_EXPECT_STREQ(test, gone->comm, "?");
	irqpath_vm_snapshot(gone, val, comm, true);	/* what `info` shows */
	KUNIT_EXPECT_STREQ(test, comm, "?");
}

/* Ops without callbacks: records still go live and die, with no directory. */
static void registry_no_ops(struct kunit *test)
{
	struct irqpath_vm *vm;

	irqpath_registry_exit();
	KUNIT_ASSERT_EQ(test, irqpath_registry_init(&no_ops, IRQPATH_ROWS_DEFAULT), 0);
	vm = create(KEY(1), 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, vm->state, IRQPATH_VM_LIVE);
	KUNIT_EXPECT_NULL(test, vm->dir);
	irqpath_vm_retire(KEY(1));
	irqpath_registry_flush();
	KUNIT_EXPECT_NULL(test, lookup(KEY(1)));
	/* Back to the test ops for the suite's exit. */
	irqpath_registry_exit();
	KUNIT_ASSERT_EQ(test, irqpath_registry_init(&test_ops, IRQPATH_ROWS_DEFAULT), 0);
}

/* vm_of_pid: the VM of a VMM pid when it owns exactly one; nr says 0, 1 or 2 (two or more). */
static void registry_vm_of_pid(struct kunit *test)
{
	struct irqpath_vm *a, *b, *c;
	unsigned int nr = 99;

	a = create(KEY(1), 500, "vmm");
	c = create(KEY(3), 500 + (1 << 12), "vmm");	/* another pid, maybe the same bucket */
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, irqpath_vm_of_pid(501, &nr));
	KUNIT_EXPECT_EQ(test, nr, 0U);
	KUNIT_EXPECT_PTR_EQ(test, irqpath_vm_of_pid(500, &nr), a);
	KUNIT_EXPECT_EQ(test, nr, 1U);
	KUNIT_EXPECT_PTR_EQ(test, irqpath_vm_of_pid(500 + (1 << 12), &nr), c);
	KUNIT_EXPECT_EQ(test, nr, 1U);
	rcu_read_unlock();

	b = create(KEY(2), 500, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, b);
	b = create(KEY(4), 500, "vmm");
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, irqpath_vm_of_pid(500, &nr));
	KUNIT_EXPECT_EQ(test, nr, 2U);
	rcu_read_unlock();

	/* Retired VMs no longer count. */
	irqpath_vm_retire(KEY(1));
	irqpath_vm_retire(KEY(2));
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, irqpath_vm_of_pid(500, &nr), b);
	KUNIT_EXPECT_EQ(test, nr, 1U);
	rcu_read_unlock();
	/* A discovered VM is found by its pid too. */
	KUNIT_EXPECT_NOT_NULL(test, get_irqs_off(KEY(5), 600));
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, irqpath_vm_of_pid(600, &nr), lookup(KEY(5)));
	rcu_read_unlock();
}

#define MANY_VMS	10000

/* 10 000 VMs: each is found by key and by pid, and 10 000 lookups stay fast (short hash chains). */
static void registry_many_vms(struct kunit *test)
{
	struct irqpath_vm *vm;
	unsigned int found = 0, wrong = 0, listed = 0;
	u64 t0, dt = U64_MAX, bound_ns = 100 * NSEC_PER_MSEC;
	int i, round;

	for (i = 0; i < MANY_VMS; i++) {
		KUNIT_ASSERT_NOT_NULL(test, create(KEY(i), 1000 + i, "vmm"));
		if (i % (TEST_SPARES / 2) == 0)
			irqpath_registry_flush();	/* refill, as the real work would */
	}
	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, failures(), 0UL);
	KUNIT_EXPECT_EQ(test, ops_log.published, MANY_VMS);

	/* Best of three rounds: the host may deschedule UML in one. */
	for (round = 0; round < 3; round++) {
		found = 0;
		wrong = 0;
		rcu_read_lock();
		t0 = ktime_get_ns();
		for (i = 0; i < MANY_VMS; i++) {
			vm = irqpath_vm_lookup(KEY(i));
			if (vm) {
				found++;
				wrong += vm->pid != 1000 + i;
			}
		}
		t0 = ktime_get_ns() - t0;
		rcu_read_unlock();
		dt = min(dt, t0);
	}
	rcu_read_lock();
	list_for_each_entry_rcu(vm, &irqpath_vms, node)
		listed++;
	for (i = 0; i < MANY_VMS; i++) {
		unsigned int nr;

		vm = irqpath_vm_of_pid(1000 + i, &nr);
		if (!vm || nr != 1 || vm->key != KEY(i))
			wrong++;
	}
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, found, MANY_VMS);
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	KUNIT_EXPECT_EQ(test, listed, MANY_VMS);
	kunit_info(test, "%d lookups in %llu us (%llu ns each)\n", MANY_VMS,
		   dt / NSEC_PER_USEC, dt / MANY_VMS);
	/* One chain of 10 000 takes seconds; a sound hash takes about 1 ms. */
	KUNIT_EXPECT_LT(test, dt, bound_ns);

	rcu_read_lock();
	for (i = MANY_VMS; i < 2 * MANY_VMS; i++)
		if (irqpath_vm_lookup(KEY(i)))
			found++;
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, found, MANY_VMS);
}

static struct kunit_case irqpath_registry_cases[] = {
	KUNIT_CASE(registry_create_lookup),
	KUNIT_CASE(registry_lookup_unknown),
	KUNIT_CASE(registry_list_order),
	KUNIT_CASE(registry_get_known),
	KUNIT_CASE(registry_get_discovers),
	KUNIT_CASE(registry_get_spares_only),
	KUNIT_CASE(registry_create_without_spares),
	KUNIT_CASE(registry_name_long_pid),
	KUNIT_CASE(registry_comm_from_pid),
	KUNIT_CASE(registry_vm_of_pid),
	KUNIT_CASE(registry_no_ops),
	KUNIT_CASE_SLOW(registry_many_vms),
	{}
};

static struct kunit_suite irqpath_registry_suite = {
	.name = "irqpath_registry",
	.init = registry_test_init,
	.exit = registry_test_exit,
	.test_cases = irqpath_registry_cases,
};

kunit_test_suites(&irqpath_registry_suite);
