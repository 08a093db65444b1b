// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of what src/registry.c keeps in a VM record: reset baselines,
 * rows of the shared table given back, memory, bypass producers, the waits
 * of hop timing. The fixture is in registry_fixture.h.
 */
#include "registry_fixture.h"

/* snapshot sums every CPU's copy; after a reset it is 0 and then counts increments only. */
static void registry_reset_baseline(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	struct irqpath_vm *vm = create(KEY(1), 1, "vmm");
	struct irqpath_vm *un = irqpath_unattributed;
	char comm[TASK_COMM_LEN];
	unsigned int ncpus = num_possible_cpus(), slot, i;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, val);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	slot = irqpath_slot_get(&vm->gsi_slots, 24);
	for_each_possible_cpu(cpu) {
		count(vm, cpu, IRQPATH_IRQFD_FAST, 10);
		count(un, cpu, IRQPATH_MSI_INJECTS, 4);
	}
	preempt_disable();	/* as in a handler: this CPU's row */
	for (i = 0; i < 10; i++) {
		irqpath_inc_gsi(vm, 24, IRQPATH_GSI_FAST);
		irqpath_inc_owner(un, 77);
	}
	preempt_enable();
	irqpath_vm_snapshot(vm, val, comm, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_FAST], 10ULL * ncpus);
	KUNIT_EXPECT_EQ(test, val->gsi[slot][IRQPATH_GSI_FAST], 10ULL);
	KUNIT_EXPECT_STREQ(test, comm, "vmm");

	irqpath_registry_reset();
	irqpath_vm_snapshot(vm, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_FAST], 0ULL);
	KUNIT_EXPECT_EQ(test, val->gsi[slot][IRQPATH_GSI_FAST], 0ULL);
	irqpath_vm_snapshot(un, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_MSI_INJECTS], 0ULL);
	KUNIT_EXPECT_EQ(test, val->owner[irqpath_slot_get(&un->owner_slots, 77)], 0ULL);

	/* Counting goes on after the reset: only the new events show. */
	preempt_disable();
	irqpath_inc_gsi(vm, 24, IRQPATH_GSI_FAST);
	preempt_enable();
	count(vm, raw_smp_processor_id(), IRQPATH_IRQFD_FAST, 3);
	count(vm, raw_smp_processor_id(), IRQPATH_VCPU_DELIVERIES, 2);
	count(un, raw_smp_processor_id(), IRQPATH_MSI_INJECTS, 1);
	irqpath_vm_snapshot(vm, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_FAST], 3ULL);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_VCPU_DELIVERIES], 2ULL);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_WAKEUPS], 0ULL);
	KUNIT_EXPECT_EQ(test, val->gsi[slot][IRQPATH_GSI_FAST], 1ULL);
	irqpath_vm_snapshot(un, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_MSI_INJECTS], 1ULL);

	/* A second reset moves the baseline again. */
	irqpath_registry_reset();
	irqpath_vm_snapshot(vm, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_FAST], 0ULL);
}

/* A reset taken at U64_MAX - 1, then 3 events: the counter wraps, the snapshot says 3. */
static void registry_reset_wrap(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	struct irqpath_vm *vm = create(KEY(1), 1, "vmm");
	int cpu = cpumask_first(cpu_possible_mask);

	KUNIT_ASSERT_NOT_NULL(test, val);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	per_cpu_ptr(vm->pcpu, cpu)->c[IRQPATH_IRQFD_WAKEUPS] = U64_MAX - 1;
	irqpath_registry_reset();
	count(vm, cpu, IRQPATH_IRQFD_WAKEUPS, 3);
	KUNIT_EXPECT_EQ(test, per_cpu_ptr(vm->pcpu, cpu)->c[IRQPATH_IRQFD_WAKEUPS], 1ULL);
	irqpath_vm_snapshot(vm, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_WAKEUPS], 3ULL);
}

/* Rows in use in the shared table, on all CPUs. */
static unsigned long rows_used(void)
{
	unsigned int per_cpu;
	unsigned long used;
	u64 full;

	irqpath_rows_usage(&per_cpu, &used, &full);
	return used;
}

/*
 * A retired VM's rows go back to the table once it is freed; the next VM
 * counts from zero, whatever slot it uses.
 */
static void registry_rows_freed(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	unsigned long used0 = rows_used();
	struct irqpath_vm *vm;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, val);
	vm = create(KEY(1), 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	preempt_disable();
	for (i = 0; i < 8; i++) {
		irqpath_inc_gsi(vm, 24 + i, IRQPATH_GSI_WAKEUPS);
		irqpath_inc_vcpu(vm, i, IRQPATH_VCOL_DELIVERIES);
	}
	preempt_enable();
	KUNIT_EXPECT_EQ(test, rows_used(), used0 + 16);
	irqpath_vm_retire(KEY(1));
	irqpath_registry_flush();
	KUNIT_EXPECT_EQ(test, rows_used(), used0);

	vm = create(KEY(2), 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	irqpath_vm_snapshot(vm, val, NULL, true);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test, val->gsi[irqpath_slot_get(&vm->gsi_slots, 24 + i)][0], 0ULL);
		KUNIT_EXPECT_EQ(test, val->vcpu[irqpath_slot_get(&vm->vcpu_slots, i)][0], 0ULL);
	}
}

/*
 * With the table full, a GSI's events go to the VM's "other" row: per-GSI
 * detail is lost, the VM's total is not. A snapshot without rows (what
 * `summary` takes) has the totals and no row at all.
 */
static void registry_rows_full_other(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	unsigned int i, in_rows = 0, n = IRQPATH_ROWS_MIN + 4;
	struct irqpath_vm *vm;
	u64 total;

	KUNIT_ASSERT_NOT_NULL(test, val);
	irqpath_registry_exit();
	KUNIT_ASSERT_EQ(test, irqpath_registry_init(&test_ops, IRQPATH_ROWS_MIN), 0);
	vm = create(KEY(1), 1, "vmm");
	KUNIT_ASSERT_NOT_NULL(test, vm);
	preempt_disable();
	for (i = 0; i < n; i++) {
		irqpath_inc(vm, IRQPATH_IRQFD_WAKEUPS);
		irqpath_inc_gsi(vm, 24 + i, IRQPATH_GSI_WAKEUPS);
	}
	preempt_enable();
	irqpath_vm_snapshot(vm, val, NULL, true);
	for (i = 0; i < IRQPATH_SLOTS; i++)
		in_rows += val->gsi[i][IRQPATH_GSI_WAKEUPS];
	total = in_rows + val->gsi[IRQPATH_SLOT_OTHER][IRQPATH_GSI_WAKEUPS];
	KUNIT_EXPECT_EQ(test, total, (u64)n);
	KUNIT_EXPECT_LE(test, in_rows, IRQPATH_ROWS_MIN);
	KUNIT_EXPECT_GE(test, val->gsi[IRQPATH_SLOT_OTHER][IRQPATH_GSI_WAKEUPS], 4ULL);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_WAKEUPS], (u64)n);

	irqpath_vm_snapshot(vm, val, NULL, false);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_WAKEUPS], (u64)n);
	for (i = 0; i <= IRQPATH_SLOTS; i++)
		KUNIT_EXPECT_EQ(test, val->gsi[i][IRQPATH_GSI_WAKEUPS], 0ULL);

	irqpath_registry_exit();
	KUNIT_ASSERT_EQ(test, irqpath_registry_init(&test_ops, IRQPATH_ROWS_DEFAULT), 0);
}

/* memory: VM records (live and waiting to be freed), spares, and the bytes of every record. */
static void registry_memory(struct kunit *test)
{
	size_t rec = sizeof(struct irqpath_vm) + sizeof(struct irqpath_counts) +
		     sizeof(struct irqpath_cpu_counts) * num_possible_cpus();
	unsigned int vms, spares;
	unsigned long bytes;

	irqpath_registry_memory(&vms, &spares, &bytes);
	KUNIT_EXPECT_EQ(test, vms, 0U);
	KUNIT_EXPECT_EQ(test, spares, TEST_SPARES);
	KUNIT_EXPECT_EQ(test, bytes, (TEST_SPARES + 1) * rec);	/* + unattributed */

	KUNIT_ASSERT_NOT_NULL(test, create(KEY(1), 1, "vmm"));
	KUNIT_ASSERT_NOT_NULL(test, create(KEY(2), 1, "vmm"));
	irqpath_registry_memory(&vms, &spares, &bytes);
	KUNIT_EXPECT_EQ(test, vms, 2U);
	KUNIT_EXPECT_EQ(test, spares, TEST_SPARES - 2);

	irqpath_vm_retire(KEY(1));
	irqpath_registry_flush();	/* frees one, refills the spares */
	irqpath_registry_memory(&vms, &spares, &bytes);
	KUNIT_EXPECT_EQ(test, vms, 1U);
	KUNIT_EXPECT_EQ(test, spares, TEST_SPARES);
	KUNIT_EXPECT_EQ(test, bytes, (TEST_SPARES + 2) * rec);
}

/* Producer rows: add, re-add (resets the row), IRTE updates, delete, copy in table order. */
static void registry_producers(struct kunit *test)
{
	struct irqpath_producer *out = kunit_kcalloc(test, IRQPATH_PRODUCERS, sizeof(*out),
						     GFP_KERNEL);
	struct irqpath_vm *vm = create(KEY(1), 1, "vmm");

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, irqpath_producers_copy(vm, out), 0U);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 0, 24), -EINVAL);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, -3, 24), -EINVAL);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 40, 24), 0);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 41, 25), 0);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 42, 26), 0);

	irqpath_producer_irte(vm, 41, true);
	irqpath_producer_irte(vm, 42, true);
	irqpath_producer_irte(vm, 42, false);
	irqpath_producer_irte(vm, 99, true);	/* unknown irq: nothing */
	irqpath_producer_irte(vm, 0, true);
	KUNIT_ASSERT_EQ(test, irqpath_producers_copy(vm, out), 3U);
	KUNIT_EXPECT_EQ(test, out[0].irq, 40);
	KUNIT_EXPECT_EQ(test, out[0].gsi, 24U);
	KUNIT_EXPECT_EQ(test, out[0].mode, IRQPATH_PRODUCER_CONNECTED);
	KUNIT_EXPECT_EQ(test, out[0].updates, 0U);
	KUNIT_EXPECT_EQ(test, out[1].irq, 41);
	KUNIT_EXPECT_EQ(test, out[1].mode, IRQPATH_PRODUCER_POSTED);
	KUNIT_EXPECT_EQ(test, out[1].updates, 1U);
	KUNIT_EXPECT_EQ(test, out[2].irq, 42);
	KUNIT_EXPECT_EQ(test, out[2].mode, IRQPATH_PRODUCER_REMAPPED);
	KUNIT_EXPECT_EQ(test, out[2].updates, 2U);

	/* Deleting frees the row for the next producer; unknown and invalid irqs are ignored. */
	irqpath_producer_del(vm, 40);
	irqpath_producer_del(vm, 40);
	irqpath_producer_del(vm, 77);
	irqpath_producer_del(vm, -1);
	KUNIT_ASSERT_EQ(test, irqpath_producers_copy(vm, out), 2U);
	KUNIT_EXPECT_EQ(test, out[0].irq, 41);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 50, 30), 0);
	KUNIT_ASSERT_EQ(test, irqpath_producers_copy(vm, out), 3U);
	KUNIT_EXPECT_EQ(test, out[0].irq, 50);	/* took the first free row */

	/* Added again (the IRQ re-registered): one row, back to connected with a new gsi. */
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 41, 33), 0);
	KUNIT_ASSERT_EQ(test, irqpath_producers_copy(vm, out), 3U);
	KUNIT_EXPECT_EQ(test, out[1].irq, 41);
	KUNIT_EXPECT_EQ(test, out[1].gsi, 33U);
	KUNIT_EXPECT_EQ(test, out[1].mode, IRQPATH_PRODUCER_CONNECTED);
	KUNIT_EXPECT_EQ(test, out[1].updates, 0U);
}

/* A VM holds IRQPATH_PRODUCERS producers; one more is -ENOSPC and changes nothing. */
static void registry_producers_full(struct kunit *test)
{
	struct irqpath_producer *out = kunit_kcalloc(test, IRQPATH_PRODUCERS, sizeof(*out),
						     GFP_KERNEL);
	struct irqpath_vm *vm = create(KEY(1), 1, "vmm");
	int i;

	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	for (i = 1; i <= IRQPATH_PRODUCERS; i++)
		KUNIT_ASSERT_EQ(test, irqpath_producer_add(vm, i, i), 0);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, IRQPATH_PRODUCERS + 1, 0), -ENOSPC);
	KUNIT_EXPECT_EQ(test, irqpath_producer_add(vm, 5, 55), 0);	/* known irq still fits */
	KUNIT_ASSERT_EQ(test, irqpath_producers_copy(vm, out), (unsigned int)IRQPATH_PRODUCERS);
	KUNIT_EXPECT_EQ(test, out[IRQPATH_PRODUCERS - 1].irq, IRQPATH_PRODUCERS);
	KUNIT_EXPECT_EQ(test, out[4].gsi, 55U);
}

/*
 * Switching hop timing on drops every VM's waits for a vCPU entry, and only
 * those: the deferred waits and the counts stay.
 */
static void registry_entry_clear(struct kunit *test)
{
	struct irqpath_vm *a = create(KEY(1), 100, "qemu");
	struct irqpath_vm *b = create(KEY(2), 200, "qemu");
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i <= IRQPATH_SLOTS; i++) {
		a->lat_entry[i] = 1000 + i;
		b->lat_entry[i] = 2000 + i;
	}
	a->lat_defer[3] = 77;
	count(a, 0, IRQPATH_LATENCY_MERGED, 5);
	irqpath_registry_entry_clear();
	for (i = 0; i <= IRQPATH_SLOTS; i++) {
		KUNIT_EXPECT_EQ(test, a->lat_entry[i], 0ULL);
		KUNIT_EXPECT_EQ(test, b->lat_entry[i], 0ULL);
	}
	KUNIT_EXPECT_EQ(test, a->lat_defer[3], 77ULL);
	KUNIT_EXPECT_EQ(test, per_cpu_ptr(a->pcpu, 0)->c[IRQPATH_LATENCY_MERGED], 5ULL);
}

static struct kunit_case irqpath_registry_counts_cases[] = {
	KUNIT_CASE(registry_reset_baseline),
	KUNIT_CASE(registry_reset_wrap),
	KUNIT_CASE(registry_memory),
	KUNIT_CASE(registry_rows_freed),
	KUNIT_CASE(registry_rows_full_other),
	KUNIT_CASE(registry_producers),
	KUNIT_CASE(registry_producers_full),
	KUNIT_CASE(registry_entry_clear),
	{}
};

static struct kunit_suite irqpath_registry_counts_suite = {
	.name = "irqpath_registry_counts",
	.init = registry_test_init,
	.exit = registry_test_exit,
	.test_cases = irqpath_registry_counts_cases,
};

kunit_test_suites(&irqpath_registry_counts_suite);
