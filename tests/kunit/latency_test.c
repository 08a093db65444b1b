// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of hop latency (latency.h): bucket arithmetic, timings into
 * the shared row table and the VM's sums, the `latency` text and switch.
 */
#include <kunit/test.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "irqpath/latency.h"
#include "irqpath/render.h"
#include "parse_cases.h"

struct bucket_case {
	const char *desc;
	u64 ns;
	unsigned int b;
};

static const struct bucket_case bucket_cases[] = {
	{ "zero", 0, 0 },
	{ "one", 1, 1 },
	{ "two", 2, 2 },
	{ "three", 3, 2 },
	{ "four", 4, 3 },
	{ "1023", 1023, 10 },
	{ "1024", 1024, 11 },
	{ "2^29", BIT_ULL(29), 30 },
	{ "2^30-1", BIT_ULL(30) - 1, 30 },
	{ "2^30", BIT_ULL(30), 31 },
	{ "2^40", BIT_ULL(40), 31 },
	{ "u64_max", U64_MAX, 31 },
};

KUNIT_ARRAY_PARAM_DESC(bucket, bucket_cases, desc);

/* Bucket b > 0 holds [2^(b-1), 2^b) ns; 0 holds 0; the last all above. */
static void lat_bucket_edges(struct kunit *test)
{
	const struct bucket_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket(c->ns), c->b);
}

/* Every hop's every bucket has a row and column of its own. */
static void lat_slots_distinct(struct kunit *test)
{
	DECLARE_BITMAP(seen, IRQPATH_HIST_ROWS * IRQPATH_ROW_COLS);
	unsigned int hop, b, bit;

	bitmap_zero(seen, IRQPATH_HIST_ROWS * IRQPATH_ROW_COLS);
	for (hop = 0; hop < IRQPATH_HOPS; hop++)
		for (b = 0; b < IRQPATH_LAT_BUCKETS; b++) {
			bit = irqpath_lat_slot(hop, b) * IRQPATH_ROW_COLS +
			      b % IRQPATH_ROW_COLS;
			KUNIT_EXPECT_LT(test, irqpath_lat_slot(hop, b),
					(unsigned int)IRQPATH_HIST_ROWS);
			KUNIT_EXPECT_FALSE(test, test_and_set_bit(bit, seen));
		}
}

static struct irqpath_vm *lat_vm(struct kunit *test, u64 seq)
{
	struct irqpath_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	vm->seq = seq;
	vm->pcpu = alloc_percpu(struct irqpath_cpu_counts);
	KUNIT_ASSERT_NOT_NULL(test, vm->pcpu);
	return vm;
}

static struct irqpath_counts *lat_sum(struct kunit *test,
				      struct irqpath_vm *vm)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, val);
	irqpath_counts_sum(val, vm->pcpu);
	irqpath_rows_add(val, vm->seq);
	return val;
}

static void lat_record_n(struct irqpath_vm *vm, enum irqpath_hop hop,
			 u64 ns, unsigned int n)
{
	preempt_disable();
	while (n--)
		irqpath_lat_record(vm, hop, ns);
	preempt_enable();
}

/*
 * Timings land in their hop's bucket and sum, apart from another hop's and
 * another VM's; a hop's count is the sum of its buckets.
 */
static void lat_record_buckets(struct kunit *test)
{
	struct irqpath_vm *a = lat_vm(test, 3), *b = lat_vm(test, 4);
	struct irqpath_counts *val;

	KUNIT_ASSERT_EQ(test, irqpath_rows_init(IRQPATH_ROWS_DEFAULT), 0);
	lat_record_n(a, IRQPATH_HOP_WAKEUP_DELIVERY, 700, 5);	/* bucket 10 */
	lat_record_n(a, IRQPATH_HOP_WAKEUP_DELIVERY, 0, 2);
	lat_record_n(a, IRQPATH_HOP_DEFER_INJECT, BIT_ULL(20), 3);
	lat_record_n(b, IRQPATH_HOP_WAKEUP_DELIVERY, 700, 9);
	val = lat_sum(test, a);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_WAKEUP_DELIVERY, 10), 5ULL);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_WAKEUP_DELIVERY, 0), 2ULL);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_WAKEUP_DELIVERY, 11), 0ULL);
	KUNIT_EXPECT_EQ(test, val->hist_sum[IRQPATH_HOP_WAKEUP_DELIVERY], 3500ULL);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_DEFER_INJECT, 21), 3ULL);
	KUNIT_EXPECT_EQ(test, val->hist_sum[IRQPATH_HOP_DEFER_INJECT], 3ULL << 20);
	KUNIT_EXPECT_EQ(test, val->hist_sum[IRQPATH_HOP_VFIO_WAKEUP], 0ULL);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_LATENCY_LOST], 0ULL);
	val = lat_sum(test, b);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_WAKEUP_DELIVERY, 10), 9ULL);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_DEFER_INJECT, 21), 0ULL);
	irqpath_rows_exit();
	free_percpu(a->pcpu);
	free_percpu(b->pcpu);
}

/*
 * A full table loses the timing whole: counted in latency_lost, and kept
 * out of the sum, so a hop's count and sum describe the same samples.
 */
static void lat_record_full_table(struct kunit *test)
{
	struct irqpath_vm *vm = lat_vm(test, 5);
	struct irqpath_counts *val;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, irqpath_rows_init(IRQPATH_ROWS_MIN), 0);
	preempt_disable();
	for (i = 0; i < IRQPATH_ROWS_MIN; i++)
		irqpath_row_inc(irqpath_row_key(100 + i, IRQPATH_ROW_GSI, 0), 0);
	preempt_enable();
	lat_record_n(vm, IRQPATH_HOP_VFIO_WAKEUP, 100, 4);
	val = lat_sum(test, vm);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_LATENCY_LOST], 4ULL);
	KUNIT_EXPECT_EQ(test, val->hist_sum[IRQPATH_HOP_VFIO_WAKEUP], 0ULL);
	KUNIT_EXPECT_EQ(test, irqpath_lat_bucket_count(val, IRQPATH_HOP_VFIO_WAKEUP, 7), 0ULL);
	irqpath_rows_exit();
	free_percpu(vm->pcpu);
}

static char *lat_text(struct kunit *test, const struct irqpath_counts *val)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = 4096;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	irqpath_render_latency(m, val);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	return m->buf;
}

/* The row render_latency() should print: name, count, sum and the buckets. */
static char *lat_row(struct kunit *test, const char *hop, u64 sum,
		     const u64 *buckets)
{
	char *row = kunit_kzalloc(test, 512, GFP_KERNEL);
	u64 n = 0;
	int b, len;

	KUNIT_ASSERT_NOT_NULL(test, row);
	for (b = 0; b < IRQPATH_LAT_BUCKETS; b++)
		n += buckets[b];
	len = scnprintf(row, 512, "\n%s %llu %llu", hop, n, sum);
	for (b = 0; b < IRQPATH_LAT_BUCKETS; b++)
		len += scnprintf(row + len, 512 - len, " %llu", buckets[b]);
	scnprintf(row + len, 512 - len, "\n");
	return row;
}

/* `latency`: the header names every bucket by its bound; a row per hop. */
static void lat_render_rows(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	u64 want[IRQPATH_LAT_BUCKETS] = { [10] = 5, [31] = 1 };
	const u64 none[IRQPATH_LAT_BUCKETS] = {};
	const char *text;

	KUNIT_ASSERT_NOT_NULL(test, val);
	val->hist[irqpath_lat_slot(IRQPATH_HOP_WAKEUP_DELIVERY, 10)][2] = 5;
	val->hist[irqpath_lat_slot(IRQPATH_HOP_WAKEUP_DELIVERY, 31)][3] = 1;
	val->hist_sum[IRQPATH_HOP_WAKEUP_DELIVERY] = 3500 + BIT_ULL(31);
	text = lat_text(test, val);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text, "hop count sum_ns lt_1 lt_2 lt_4 lt_8 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, " lt_536870912 lt_1073741824 inf\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, lat_row(test, "vfio_to_wakeup", 0, none)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, lat_row(test, "wakeup_to_delivery",
							 3500 + BIT_ULL(31), want)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, lat_row(test, "deferred_to_inject", 0, none)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, lat_row(test, "delivery_to_entry", 0, none)));
	/* and the row is what it should be, counted by hand */
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\nwakeup_to_delivery 6 2147487148 0 0 "));
}

/* The `latency` switch takes "0" or "1", a newline allowed; every other write is -EINVAL. */
static void lat_parse_switch(struct kunit *test)
{
	const struct parse_case *p = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_parse_switch(p->buf, p->len), p->sw);
}

/* What the follower saw at each call: on, and the key then. */
static int lat_follow_calls;
static bool lat_follow_seen[4][2];

static void lat_follower(bool on)
{
	if (lat_follow_calls < ARRAY_SIZE(lat_follow_seen)) {
		lat_follow_seen[lat_follow_calls][0] = on;
		lat_follow_seen[lat_follow_calls][1] = irqpath_latency_on();
	}
	lat_follow_calls++;
}

/*
 * The follower runs once per real switch, before the key goes on and after
 * it goes off, so the hooks timing needs are there before any time is
 * taken; setting the state it already has calls nothing.
 */
static void lat_switch_follow(struct kunit *test)
{
	lat_follow_calls = 0;
	irqpath_latency_follow(lat_follower);
	irqpath_latency_set(true);
	irqpath_latency_set(true);
	KUNIT_EXPECT_TRUE(test, irqpath_latency_wanted());
	irqpath_latency_set(false);
	irqpath_latency_set(false);
	irqpath_latency_follow(NULL);
	irqpath_latency_set(true);
	irqpath_latency_set(false);
	KUNIT_EXPECT_FALSE(test, irqpath_latency_wanted());
	KUNIT_ASSERT_EQ(test, lat_follow_calls, 2);
	KUNIT_EXPECT_TRUE(test, lat_follow_seen[0][0]);
	KUNIT_EXPECT_FALSE(test, lat_follow_seen[0][1]);	/* key still off */
	KUNIT_EXPECT_FALSE(test, lat_follow_seen[1][0]);
	KUNIT_EXPECT_FALSE(test, lat_follow_seen[1][1]);	/* key already off */
}

static struct kunit_case irqpath_latency_cases[] = {
	KUNIT_CASE_PARAM(lat_bucket_edges, bucket_gen_params),
	KUNIT_CASE(lat_slots_distinct),
	KUNIT_CASE(lat_record_buckets),
	KUNIT_CASE(lat_record_full_table),
	KUNIT_CASE(lat_render_rows),
	KUNIT_CASE_PARAM(lat_parse_switch, parse_gen_params),
	KUNIT_CASE(lat_switch_follow),
	{}
};

static struct kunit_suite irqpath_latency_suite = {
	.name = "irqpath_latency",
	.test_cases = irqpath_latency_cases,
};

kunit_test_suites(&irqpath_latency_suite);
