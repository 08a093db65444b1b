// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/counters.c: the slot tables that map a GSI or vCPU id
 * to a counter row, and the per-CPU sums with their reset baselines.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/limits.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "irqpath/counters.h"

static struct irqpath_slots *new_slots(struct kunit *test)
{
	struct irqpath_slots *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	return s;
}

/* Dense ids (vCPU 0..63) each get the slot of their low bits and map back. */
static void slot_dense_ids(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	unsigned int i;
	u32 id;

	for (i = 0; i < IRQPATH_SLOTS; i++)
		KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, i), i);
	for (i = 0; i < IRQPATH_SLOTS; i++) {
		KUNIT_ASSERT_TRUE(test, irqpath_slot_id(s, i, &id));
		KUNIT_EXPECT_EQ(test, id, i);
	}
}

/* GSIs from 24 up (as on x86) fill slots 24.. and wrap around to 0. */
static void slot_dense_gsis(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	unsigned int i;

	for (i = 24; i < 24 + IRQPATH_SLOTS; i++)
		KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, i), i & (IRQPATH_SLOTS - 1));
}

/* Ids with the same low bits probe linearly to the next free slot, wrapping at the end. */
static void slot_collisions(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	u32 id;

	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5), 5U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5 + IRQPATH_SLOTS), 6U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 6), 7U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5 + 2 * IRQPATH_SLOTS), 8U);
	/* Already present: found where it was put, not moved. */
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 6), 7U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5 + IRQPATH_SLOTS), 6U);
	KUNIT_ASSERT_TRUE(test, irqpath_slot_id(s, 6, &id));
	KUNIT_EXPECT_EQ(test, id, 5U + IRQPATH_SLOTS);
	/* The last slot's collision wraps to slot 0. */
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, IRQPATH_SLOTS - 1), IRQPATH_SLOTS - 1);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 2 * IRQPATH_SLOTS - 1), 0U);
}

/* A full table sends new ids to IRQPATH_SLOT_OTHER and still finds the old ones. */
static void slot_full_table(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	unsigned int i;
	u32 id;

	for (i = 0; i < IRQPATH_SLOTS; i++)
		KUNIT_ASSERT_LT(test, irqpath_slot_get(s, 1000 + 7 * i), IRQPATH_SLOTS);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5), IRQPATH_SLOT_OTHER);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 0), IRQPATH_SLOT_OTHER);
	for (i = 0; i < IRQPATH_SLOTS; i++) {
		unsigned int slot = irqpath_slot_get(s, 1000 + 7 * i);

		KUNIT_ASSERT_LT(test, slot, IRQPATH_SLOTS);
		KUNIT_ASSERT_TRUE(test, irqpath_slot_id(s, slot, &id));
		KUNIT_EXPECT_EQ(test, id, 1000 + 7 * i);
	}
	/* The overflow row has no id. */
	KUNIT_EXPECT_FALSE(test, irqpath_slot_id(s, IRQPATH_SLOT_OTHER, &id));
}

/*
 * Lookup finds what get claimed, past collisions too, and claims nothing:
 * an id without a slot is the overflow row, the table left as it was.
 */
static void slot_lookup_claims_nothing(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	struct irqpath_slots *before = new_slots(test);

	KUNIT_EXPECT_EQ(test, irqpath_slot_lookup(s, 5), IRQPATH_SLOT_OTHER);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5), 5U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, 5 + IRQPATH_SLOTS), 6U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_lookup(s, 5), 5U);
	KUNIT_EXPECT_EQ(test, irqpath_slot_lookup(s, 5 + IRQPATH_SLOTS), 6U);
	memcpy(before, s, sizeof(*s));
	KUNIT_EXPECT_EQ(test, irqpath_slot_lookup(s, 5 + 2 * IRQPATH_SLOTS),
			IRQPATH_SLOT_OTHER);
	KUNIT_EXPECT_EQ(test, irqpath_slot_lookup(s, 9), IRQPATH_SLOT_OTHER);
	KUNIT_EXPECT_EQ(test, irqpath_slot_lookup(s, U32_MAX), IRQPATH_SLOT_OTHER);
	KUNIT_EXPECT_EQ(test, memcmp(s, before, sizeof(*s)), 0);
}

/* U32_MAX cannot be stored (id + 1 would be 0, "free"): overflow row, table untouched. */
static void slot_id_u32_max(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	struct irqpath_slots *zero = new_slots(test);
	unsigned int slot;
	u32 id;

	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, U32_MAX), IRQPATH_SLOT_OTHER);
	KUNIT_EXPECT_EQ(test, memcmp(s, zero, sizeof(*s)), 0);
	slot = irqpath_slot_get(s, U32_MAX - 1);
	KUNIT_EXPECT_EQ(test, slot, (U32_MAX - 1) & (IRQPATH_SLOTS - 1));
	KUNIT_ASSERT_TRUE(test, irqpath_slot_id(s, slot, &id));
	KUNIT_EXPECT_EQ(test, id, U32_MAX - 1);
}

/* A free slot and a slot past the table have no id; *id is left alone. */
static void slot_id_free(struct kunit *test)
{
	struct irqpath_slots *s = new_slots(test);
	u32 id = 1234;

	KUNIT_EXPECT_FALSE(test, irqpath_slot_id(s, 0, &id));
	KUNIT_EXPECT_FALSE(test, irqpath_slot_id(s, IRQPATH_SLOTS + 5, &id));
	KUNIT_EXPECT_FALSE(test, irqpath_slot_id(s, UINT_MAX, &id));
	KUNIT_EXPECT_EQ(test, id, 1234U);
}

static const u32 same_ids[] = { 0, 1, 24, 63, 64, 1000, U32_MAX - 1 };

static void same_id_desc(const u32 *id, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "id_%u", *id);
}

KUNIT_ARRAY_PARAM(same_id, same_ids, same_id_desc);

/*
 * Concurrent inserts of one id agree on one slot: twice in a row, and when
 * another CPU's cmpxchg filled the home slot with this id first. A slot
 * another CPU filled with a different id is skipped.
 */
static void slot_same_id_twice(struct kunit *test)
{
	u32 id = *(const u32 *)test->param_value;
	unsigned int home = id & (IRQPATH_SLOTS - 1), next = (home + 1) & (IRQPATH_SLOTS - 1);
	struct irqpath_slots *s = new_slots(test);

	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, id), home);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, id), home);

	s = new_slots(test);
	WRITE_ONCE(s->key[home], id + 1);		/* the other CPU won */
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, id), home);

	s = new_slots(test);
	WRITE_ONCE(s->key[home], id ? id : 2);	/* it won with another id (id - 1, or 1) */
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, id), next);
	KUNIT_EXPECT_EQ(test, irqpath_slot_get(s, id), next);
}

static void free_pcpu(void *p)
{
	free_percpu((void __percpu __force *)p);
}

/* A zeroed per-CPU counter set, freed by KUnit when the case ends. */
static struct irqpath_cpu_counts __percpu *new_pcpu(struct kunit *test)
{
	struct irqpath_cpu_counts __percpu *p = alloc_percpu(struct irqpath_cpu_counts);

	KUNIT_ASSERT_NOT_NULL(test, (void __force *)p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_pcpu, (void __force *)p), 0);
	return p;
}

/*
 * The sum adds every possible CPU's totals and "other" rows, whatever sum
 * held before; the slot rows stay zero (they live in the row table).
 */
static void counts_sum_cpus(struct kunit *test)
{
	struct irqpath_cpu_counts __percpu *pcpu = new_pcpu(test);
	struct irqpath_counts *sum = kunit_kmalloc(test, sizeof(*sum), GFP_KERNEL);
	u64 want = 0, want_gsi = 0, want_other = 0, want_owner = 0;
	unsigned int i;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, sum);
	memset(sum, 0xa5, sizeof(*sum));	/* garbage must not add up */
	for_each_possible_cpu(cpu) {
		struct irqpath_cpu_counts *c = per_cpu_ptr(pcpu, cpu);

		for (i = 0; i < IRQPATH_NR_COUNTERS; i++)
			c->c[i] = (cpu + 1) * 100 + i;
		c->other[IRQPATH_ROW_GSI][IRQPATH_GSI_INJECTS] = cpu + 7;
		c->other[IRQPATH_ROW_VCPU][IRQPATH_VCOL_KICKED] = 1ULL << 40;
		c->other[IRQPATH_ROW_OWNER][0] = 3;
		c->other[IRQPATH_ROW_SIGNAL][IRQPATH_SIG_VHOST] = 2;
		c->other[IRQPATH_ROW_OTHER_PID][0] = 5;
		want += (cpu + 1) * 100;
		want_gsi += cpu + 7;
		want_other += 1ULL << 40;
		want_owner += 3;
	}
	irqpath_counts_sum(sum, pcpu);
	kunit_info(test, "%u possible CPUs\n", num_possible_cpus());
	for (i = 0; i < IRQPATH_NR_COUNTERS; i++)
		KUNIT_EXPECT_EQ(test, sum->c[i], want + (u64)i * num_possible_cpus());
	KUNIT_EXPECT_EQ(test, sum->gsi[IRQPATH_SLOT_OTHER][IRQPATH_GSI_INJECTS], want_gsi);
	KUNIT_EXPECT_EQ(test, sum->gsi[IRQPATH_SLOT_OTHER][IRQPATH_GSI_WAKEUPS], 0ULL);
	KUNIT_EXPECT_EQ(test, sum->vcpu[IRQPATH_SLOT_OTHER][IRQPATH_VCOL_KICKED], want_other);
	KUNIT_EXPECT_EQ(test, sum->owner[IRQPATH_SLOT_OTHER], want_owner);
	KUNIT_EXPECT_EQ(test, sum->signal[IRQPATH_SLOT_OTHER][IRQPATH_SIG_VHOST],
			2ULL * num_possible_cpus());
	KUNIT_EXPECT_EQ(test, sum->signal[IRQPATH_SLOT_OTHER][IRQPATH_SIG_VMM], 0ULL);
	KUNIT_EXPECT_EQ(test, sum->other_pid[IRQPATH_SLOT_OTHER],
			5ULL * num_possible_cpus());
	for (i = 0; i < IRQPATH_SLOTS; i++) {
		KUNIT_EXPECT_EQ(test, sum->gsi[i][IRQPATH_GSI_INJECTS], 0ULL);
		KUNIT_EXPECT_EQ(test, sum->vcpu[i][IRQPATH_VCOL_KICKED], 0ULL);
		KUNIT_EXPECT_EQ(test, sum->owner[i], 0ULL);
	}
}

/* Per-CPU copies near U64_MAX add up modulo 2^64, as the baseline subtraction expects. */
static void counts_sum_wraps(struct kunit *test)
{
	struct irqpath_cpu_counts __percpu *pcpu = new_pcpu(test);
	struct irqpath_counts *sum = kunit_kzalloc(test, sizeof(*sum), GFP_KERNEL);
	u64 want = 0;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, sum);
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(pcpu, cpu)->c[IRQPATH_VCPU_DELIVERIES] = U64_MAX - 1;
		want += U64_MAX - 1;
	}
	irqpath_counts_sum(sum, pcpu);
	KUNIT_EXPECT_EQ(test, sum->c[IRQPATH_VCPU_DELIVERIES], want);
}

struct sub_case {
	const char *desc;
	u64 base, now, want;
};

static const struct sub_case sub_cases[] = {
	{ "zero", 0, 0, 0 },
	{ "plain", 5, 12, 7 },
	{ "unchanged", 1234, 1234, 0 },
	{ "wrap_u64_max_minus_1_plus_3", U64_MAX - 1, (u64)(U64_MAX - 1) + 3, 3 },
	{ "wrap_u64_max_plus_1", U64_MAX, 0, 1 },
	{ "no_reset", 0, U64_MAX, U64_MAX },
};

KUNIT_ARRAY_PARAM_DESC(sub, sub_cases, desc);

/* Subtracting the reset baseline is modular: right across a 64-bit wrap, in every field. */
static void counts_sub_baseline(struct kunit *test)
{
	const struct sub_case *p = test->param_value;
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	struct irqpath_counts *base = kunit_kzalloc(test, sizeof(*base), GFP_KERNEL);
	u64 *v, *b;
	size_t i, n = sizeof(*val) / sizeof(u64);

	KUNIT_ASSERT_NOT_NULL(test, val);
	KUNIT_ASSERT_NOT_NULL(test, base);
	v = (u64 *)val;
	b = (u64 *)base;
	for (i = 0; i < n; i++) {
		v[i] = p->now;
		b[i] = p->base;
	}
	irqpath_counts_sub(val, base);
	for (i = 0; i < n; i++)
		if (v[i] != p->want)
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, n, "field %zu", i);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_WAKEUPS], p->want);
	KUNIT_EXPECT_EQ(test, val->vcpu[IRQPATH_SLOT_OTHER][IRQPATH_VCOL_PI_WAKEUPS], p->want);
	KUNIT_EXPECT_EQ(test, base->c[0], p->base);	/* base untouched */
}

/* Every counter and gsi column has a name (the stats and gsi headers). */
static void counter_names(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < IRQPATH_NR_COUNTERS; i++)
		KUNIT_EXPECT_NOT_NULL(test, irqpath_counter_names[i]);
	for (i = 0; i < IRQPATH_GSI_NR; i++)
		KUNIT_EXPECT_NOT_NULL(test, irqpath_gsi_col_names[i]);
}

static struct kunit_case irqpath_counters_cases[] = {
	KUNIT_CASE(slot_dense_ids),
	KUNIT_CASE(slot_dense_gsis),
	KUNIT_CASE(slot_collisions),
	KUNIT_CASE(slot_full_table),
	KUNIT_CASE(slot_lookup_claims_nothing),
	KUNIT_CASE(slot_id_u32_max),
	KUNIT_CASE(slot_id_free),
	KUNIT_CASE_PARAM(slot_same_id_twice, same_id_gen_params),
	KUNIT_CASE(counts_sum_cpus),
	KUNIT_CASE(counts_sum_wraps),
	KUNIT_CASE_PARAM(counts_sub_baseline, sub_gen_params),
	KUNIT_CASE(counter_names),
	{}
};

static struct kunit_suite irqpath_counters_suite = {
	.name = "irqpath_counters",
	.test_cases = irqpath_counters_cases,
};

kunit_test_suites(&irqpath_counters_suite);

MODULE_DESCRIPTION("KUnit tests of kvm_irqpath's counters, registry and rendering");
MODULE_LICENSE("GPL");
