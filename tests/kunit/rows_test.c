// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/rows.c: the per-CPU row table all VMs share. Rows are
 * counted here on the CPU the case runs on, with preemption off, as a
 * probe handler counts them.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>

#include "irqpath/rows.h"

static unsigned int test_rows = IRQPATH_ROWS_MIN;

static int rows_test_init(struct kunit *test)
{
	return irqpath_rows_init(test_rows);
}

static void rows_test_exit(struct kunit *test)
{
	irqpath_rows_exit();
	test_rows = IRQPATH_ROWS_MIN;
}

static bool inc(u64 key, unsigned int col, unsigned int n)
{
	bool ok = true;

	preempt_disable();
	while (n--)
		ok &= irqpath_row_inc(key, col);
	preempt_enable();
	return ok;
}

static struct irqpath_counts *sum_of(struct kunit *test, u64 seq)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, val);
	irqpath_rows_add(val, seq);
	return val;
}

/* Each kind lands in its own array at its slot and column; another VM's rows stay out. */
static void rows_kinds_and_vms(struct kunit *test)
{
	struct irqpath_counts *val;

	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(5, IRQPATH_ROW_GSI, 24), IRQPATH_GSI_FAST, 3));
	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(5, IRQPATH_ROW_VCPU, 1),
				    IRQPATH_VCOL_KICKED, 2));
	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(5, IRQPATH_ROW_OWNER, 7), 0, 4));
	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(5, IRQPATH_ROW_SIGNAL, 24),
				    IRQPATH_SIG_VHOST, 6));
	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(5, IRQPATH_ROW_OTHER_PID, 2), 0, 5));
	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(6, IRQPATH_ROW_GSI, 24), IRQPATH_GSI_FAST, 9));
	val = sum_of(test, 5);
	KUNIT_EXPECT_EQ(test, val->signal[24][IRQPATH_SIG_VHOST], 6ULL);
	KUNIT_EXPECT_EQ(test, val->signal[24][IRQPATH_SIG_VMM], 0ULL);
	KUNIT_EXPECT_EQ(test, val->other_pid[2], 5ULL);
	KUNIT_EXPECT_EQ(test, val->gsi[2][IRQPATH_GSI_WAKEUPS], 0ULL);
	KUNIT_EXPECT_EQ(test, val->gsi[24][IRQPATH_GSI_FAST], 3ULL);
	KUNIT_EXPECT_EQ(test, val->gsi[24][IRQPATH_GSI_WAKEUPS], 0ULL);
	KUNIT_EXPECT_EQ(test, val->vcpu[1][IRQPATH_VCOL_KICKED], 2ULL);
	KUNIT_EXPECT_EQ(test, val->owner[7], 4ULL);
	KUNIT_EXPECT_EQ(test, val->vcpu[24][IRQPATH_VCOL_KICKED], 0ULL);
	KUNIT_EXPECT_EQ(test, sum_of(test, 6)->gsi[24][IRQPATH_GSI_FAST], 9ULL);
}

/* The key keeps a sequence number up to IRQPATH_ROW_SEQ_MAX, kind and slot apart. */
static void rows_key_fields(struct kunit *test)
{
	u64 k = irqpath_row_key(IRQPATH_ROW_SEQ_MAX, IRQPATH_ROW_KINDS - 1, IRQPATH_SLOTS - 1);

	KUNIT_EXPECT_EQ(test, irqpath_row_seq(k), IRQPATH_ROW_SEQ_MAX);
	KUNIT_EXPECT_EQ(test, irqpath_row_kind_of(k), IRQPATH_ROW_KINDS - 1);
	KUNIT_EXPECT_EQ(test, k & (IRQPATH_SLOTS - 1), (u64)IRQPATH_SLOTS - 1);
	KUNIT_EXPECT_EQ(test, irqpath_row_seq(irqpath_row_key(1, IRQPATH_ROW_GSI, 0)), 1ULL);
	KUNIT_EXPECT_NE(test, irqpath_row_key(1, IRQPATH_ROW_GSI, 0), 0ULL);
	KUNIT_EXPECT_NE(test, irqpath_row_key(1, IRQPATH_ROW_VCPU, 3),
			irqpath_row_key(1, IRQPATH_ROW_GSI, 3));
}

/*
 * A full table refuses a new key (the caller counts it in "other"), counts
 * the refusal in rows_full, and still counts the keys it holds.
 */
static void rows_full_refuses(struct kunit *test)
{
	unsigned int per_cpu, i;
	unsigned long used;
	u64 full;

	for (i = 0; i < IRQPATH_ROWS_MIN; i++)
		KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(1, IRQPATH_ROW_GSI, i), 0, 1));
	KUNIT_EXPECT_FALSE(test, inc(irqpath_row_key(2, IRQPATH_ROW_GSI, 0), 0, 2));
	KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(1, IRQPATH_ROW_GSI, 3), 0, 1));
	irqpath_rows_usage(&per_cpu, &used, &full);
	KUNIT_EXPECT_EQ(test, per_cpu, IRQPATH_ROWS_MIN);
	KUNIT_EXPECT_EQ(test, used, (unsigned long)IRQPATH_ROWS_MIN);
	KUNIT_EXPECT_EQ(test, full, 2ULL);
	KUNIT_EXPECT_EQ(test, sum_of(test, 1)->gsi[3][0], 2ULL);
}

/*
 * forget gives back the rows of the VMs named, cleared, and leaves the
 * others; a new key in a freed row starts from zero.
 */
static void rows_forget_frees(struct kunit *test)
{
	u64 seqs[] = { 9, 3 };
	unsigned int per_cpu, i;
	unsigned long used;
	u64 full;

	for (i = 0; i < 4; i++) {
		inc(irqpath_row_key(3, IRQPATH_ROW_GSI, i), 1, 5);
		inc(irqpath_row_key(4, IRQPATH_ROW_GSI, i), 1, 6);
		inc(irqpath_row_key(9, IRQPATH_ROW_VCPU, i), 0, 7);
	}
	irqpath_rows_forget(seqs, ARRAY_SIZE(seqs));
	irqpath_rows_usage(&per_cpu, &used, &full);
	KUNIT_EXPECT_EQ(test, used, 4UL);
	KUNIT_EXPECT_EQ(test, sum_of(test, 3)->gsi[0][1], 0ULL);
	KUNIT_EXPECT_EQ(test, sum_of(test, 9)->vcpu[0][0], 0ULL);
	KUNIT_EXPECT_EQ(test, sum_of(test, 4)->gsi[2][1], 6ULL);
	/* the table fills up to its size again, every new row from zero */
	for (i = 0; i < IRQPATH_ROWS_MIN - 4; i++)
		KUNIT_EXPECT_TRUE(test, inc(irqpath_row_key(10, IRQPATH_ROW_GSI, i), 2, 1));
	for (i = 0; i < IRQPATH_ROWS_MIN - 4; i++)
		KUNIT_EXPECT_EQ(test, sum_of(test, 10)->gsi[i][2], 1ULL);
	KUNIT_EXPECT_EQ(test, full, 0ULL);
}

/*
 * A key whose chain lost a row in front of it gets a second row; the
 * reader adds both, so nothing is lost.
 */
static void rows_hole_keeps_counts(struct kunit *test)
{
	u64 first = irqpath_row_key(1, IRQPATH_ROW_GSI, 0), second = 0, seq = 1;
	unsigned int slot, home = hash_64(first, irqpath_rows.bits);

	/* a key of another VM with the same home row */
	for (seq = 2; !second && seq < 10000; seq++)
		for (slot = 0; slot < IRQPATH_SLOTS && !second; slot++)
			if (hash_64(irqpath_row_key(seq, IRQPATH_ROW_GSI, slot),
				    irqpath_rows.bits) == home)
				second = irqpath_row_key(seq, IRQPATH_ROW_GSI, slot);
	KUNIT_ASSERT_NE(test, second, 0ULL);
	seq = irqpath_row_seq(first);
	inc(first, 0, 1);
	inc(second, 0, 2);		/* one row past its home */
	irqpath_rows_forget(&seq, 1);	/* its home row is free again */
	inc(second, 0, 3);		/* takes the home row: a second row */
	slot = second & (IRQPATH_SLOTS - 1);
	KUNIT_EXPECT_EQ(test, sum_of(test, irqpath_row_seq(second))->gsi[slot][0], 5ULL);
}

struct init_case {
	const char *desc;
	unsigned int rows;
	int ret;
};

static const struct init_case init_cases[] = {
	{ "zero", 0, -EINVAL },
	{ "below_min", IRQPATH_ROWS_MIN / 2, -EINVAL },
	{ "not_power_of_2", 100, -EINVAL },
	{ "above_max", IRQPATH_ROWS_MAX * 2, -EINVAL },
	{ "min", IRQPATH_ROWS_MIN, 0 },
	{ "one_segment", 256, 0 },
	{ "default", IRQPATH_ROWS_DEFAULT, 0 },
	{ "max", IRQPATH_ROWS_MAX, 0 },
};

KUNIT_ARRAY_PARAM_DESC(init, init_cases, desc);

/* Sizes are powers of two within bounds; a table of any size counts in its last row. */
static void rows_init_sizes(struct kunit *test)
{
	const struct init_case *c = test->param_value;
	unsigned int per_cpu;
	unsigned long used;
	u64 full;

	irqpath_rows_exit();
	KUNIT_ASSERT_EQ(test, irqpath_rows_init(c->rows), c->ret);
	if (c->ret)
		return;
	irqpath_rows_usage(&per_cpu, &used, &full);
	KUNIT_EXPECT_EQ(test, per_cpu, c->rows);
	KUNIT_EXPECT_EQ(test, used, 0UL);
	/* the last row of the last segment exists and counts */
	preempt_disable();
	this_cpu_write(irqpath_row_at(c->rows - 1)->key, 42);
	this_cpu_inc(irqpath_row_at(c->rows - 1)->v[0]);
	preempt_enable();
	irqpath_rows_usage(&per_cpu, &used, &full);
	KUNIT_EXPECT_EQ(test, used, 1UL);
}

static struct kunit_case irqpath_rows_cases[] = {
	KUNIT_CASE(rows_kinds_and_vms),
	KUNIT_CASE(rows_key_fields),
	KUNIT_CASE(rows_full_refuses),
	KUNIT_CASE(rows_forget_frees),
	KUNIT_CASE(rows_hole_keeps_counts),
	KUNIT_CASE_PARAM(rows_init_sizes, init_gen_params),
	{}
};

static struct kunit_suite irqpath_rows_suite = {
	.name = "irqpath_rows",
	.init = rows_test_init,
	.exit = rows_test_exit,
	.test_cases = irqpath_rows_cases,
};

kunit_test_suites(&irqpath_rows_suite);
