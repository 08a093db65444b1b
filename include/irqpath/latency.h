/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hop latency per VM: log2 histograms in nanoseconds of the steps an
 * interrupt takes in the host. A hop's buckets are rows of the shared
 * table (rows.h), so a VM pays for them only on the CPUs where it was
 * timed; its sums are in the VM's per-CPU "other" row of that kind.
 * Timing is off unless switched on: a static key, so that off, the hot
 * path runs what it ran before.
 */
#ifndef _IRQPATH_LATENCY_H
#define _IRQPATH_LATENCY_H

#include <linux/bitops.h>
#include <linux/jump_label.h>
#include <linux/minmax.h>
#include <linux/timekeeping.h>

#include "irqpath/registry.h"

/* Rows of `latency`, in this order; names in latency.c. */
enum irqpath_hop {
	IRQPATH_HOP_VFIO_WAKEUP,	/* vfio_msihandler to irqfd_wakeup */
	IRQPATH_HOP_WAKEUP_DELIVERY,	/* wakeup to its delivery, fast path */
	IRQPATH_HOP_DEFER_INJECT,	/* deferred wakeup to its inject work */
	IRQPATH_HOP_DELIVERY_ENTRY,	/* delivery to its vCPU's next VM entry */
	IRQPATH_HOPS
};

static_assert(IRQPATH_HOPS <= IRQPATH_ROW_COLS);

/*
 * Bucket b > 0 holds [2^(b-1), 2^b) ns, bucket 0 holds 0 ns, the last one
 * also everything above: 2^30 ns, a second, is no interrupt latency.
 */
#define IRQPATH_LAT_BUCKETS	32
#define IRQPATH_LAT_ROWS	(IRQPATH_LAT_BUCKETS / IRQPATH_ROW_COLS)
static_assert(IRQPATH_HOPS * IRQPATH_LAT_ROWS <= IRQPATH_HIST_ROWS);

extern const char *const irqpath_hop_names[IRQPATH_HOPS];

DECLARE_STATIC_KEY_FALSE(irqpath_latency_key);

static inline bool irqpath_latency_on(void)
{
	return static_branch_unlikely(&irqpath_latency_key);
}

static inline unsigned int irqpath_lat_bucket(u64 ns)
{
	return min_t(unsigned int, fls64(ns), IRQPATH_LAT_BUCKETS - 1);
}

/* A hop's bucket b is column b % 4 of its row b / 4. */
static inline unsigned int irqpath_lat_slot(enum irqpath_hop hop,
					    unsigned int b)
{
	return hop * IRQPATH_LAT_ROWS + b / IRQPATH_ROW_COLS;
}

/* A reader's count of bucket b of hop, from a snapshot. */
static inline u64 irqpath_lat_bucket_count(const struct irqpath_counts *val,
					   enum irqpath_hop hop, unsigned int b)
{
	return val->hist[irqpath_lat_slot(hop, b)][b % IRQPATH_ROW_COLS];
}

/* A clock all CPUs agree on: a hop may start on one and end on another. */
static inline u64 irqpath_lat_now(void)
{
	return ktime_get_mono_fast_ns();
}

/*
 * One hop of vm took ns. A bucket that finds no row in this CPU's table
 * is counted in latency_lost and left out of the sum too, so a hop's count
 * and sum always describe the same samples.
 */
static inline void irqpath_lat_record(struct irqpath_vm *vm,
				      enum irqpath_hop hop, u64 ns)
{
	unsigned int b = irqpath_lat_bucket(ns);
	u64 key = irqpath_row_key(vm->seq, IRQPATH_ROW_HIST,
				  irqpath_lat_slot(hop, b));

	if (unlikely(!irqpath_row_add(key, b % IRQPATH_ROW_COLS, 1))) {
		irqpath_inc(vm, IRQPATH_LATENCY_LOST);
		return;
	}
	this_cpu_add(vm->pcpu->other[IRQPATH_ROW_HIST][hop], ns);
}

/* Since t0, if t0 was taken (0: timing was off when the hop began). */
static inline void irqpath_lat_since(struct irqpath_vm *vm,
				     enum irqpath_hop hop, u64 t0)
{
	if (t0)
		irqpath_lat_record(vm, hop, irqpath_lat_now() - t0);
}

void irqpath_latency_set(bool on);
bool irqpath_latency_wanted(void);
void irqpath_latency_follow(void (*fn)(bool on));

#endif /* _IRQPATH_LATENCY_H */
