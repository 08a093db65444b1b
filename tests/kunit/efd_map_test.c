// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/efd_map.c: the eventfds registered as interrupt
 * producers, which tie an MSI no irqfd takes to the VMM that reads it.
 */
#include <kunit/test.h>

#include "irqpath/efd_map.h"

/* Fake eventfd_ctx addresses: the map never dereferences them. */
static char ctx_a, ctx_b;

static void efd_exit(struct kunit *test)
{
	irqpath_efd_exit();
}

/* An added eventfd is found with its process and host IRQ. */
static void efd_add_lookup(struct kunit *test)
{
	pid_t pid = 0;
	int irq = 0;

	KUNIT_ASSERT_EQ(test, irqpath_efd_add(&ctx_a, 1234, 25), 0);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, irqpath_efd_lookup(&ctx_a, &pid, &irq));
	KUNIT_EXPECT_FALSE(test, irqpath_efd_lookup(&ctx_b, &pid, &irq));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, pid, 1234);
	KUNIT_EXPECT_EQ(test, irq, 25);
	KUNIT_EXPECT_EQ(test, irqpath_efd_count(), 1U);
}

/* Registering the same eventfd again (a reused address) takes the new owner. */
static void efd_replace(struct kunit *test)
{
	pid_t pid = 0;
	int irq = 0;

	KUNIT_ASSERT_EQ(test, irqpath_efd_add(&ctx_a, 1, 25), 0);
	KUNIT_ASSERT_EQ(test, irqpath_efd_add(&ctx_a, 2, 26), 0);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, irqpath_efd_lookup(&ctx_a, &pid, &irq));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, pid, 2);
	KUNIT_EXPECT_EQ(test, irq, 26);
	KUNIT_EXPECT_EQ(test, irqpath_efd_count(), 1U);
}

/* A deleted eventfd is gone; deleting an unknown one changes nothing. */
static void efd_del(struct kunit *test)
{
	pid_t pid;
	int irq;

	KUNIT_ASSERT_EQ(test, irqpath_efd_add(&ctx_a, 1, 25), 0);
	KUNIT_ASSERT_EQ(test, irqpath_efd_add(&ctx_b, 2, 26), 0);
	irqpath_efd_del(&ctx_a);
	irqpath_efd_del(&ctx_a);
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, irqpath_efd_lookup(&ctx_a, &pid, &irq));
	KUNIT_EXPECT_TRUE(test, irqpath_efd_lookup(&ctx_b, &pid, &irq));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, irqpath_efd_count(), 1U);
}

/* Exit empties the map, so the bytes it reports are back to zero. */
static void efd_exit_empties(struct kunit *test)
{
	int i;

	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, irqpath_efd_add((char *)&ctx_a + i, i, i), 0);
	KUNIT_EXPECT_EQ(test, irqpath_efd_count(), 100U);
	KUNIT_EXPECT_GT(test, irqpath_efd_bytes(), 0UL);
	irqpath_efd_exit();
	KUNIT_EXPECT_EQ(test, irqpath_efd_count(), 0U);
	KUNIT_EXPECT_EQ(test, irqpath_efd_bytes(), 0UL);
}

static struct kunit_case irqpath_efd_cases[] = {
	KUNIT_CASE(efd_add_lookup),
	KUNIT_CASE(efd_replace),
	KUNIT_CASE(efd_del),
	KUNIT_CASE(efd_exit_empties),
	{}
};

static struct kunit_suite irqpath_efd_suite = {
	.name = "irqpath_efd_map",
	.exit = efd_exit,
	.test_cases = irqpath_efd_cases,
};

kunit_test_suites(&irqpath_efd_suite);
