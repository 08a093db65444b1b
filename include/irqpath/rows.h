/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The row table: one per CPU, shared by every VM. A row counts one GSI,
 * vCPU or VMM pid of one VM on one CPU, so a VM pays for the ids it uses
 * on the CPUs where their events ran, not for every id on every possible
 * CPU. Only the owning CPU claims a free row; a row of a freed VM is given
 * back by the registry's work, after a grace period.
 */
#ifndef _IRQPATH_ROWS_H
#define _IRQPATH_ROWS_H

#include <linux/hash.h>
#include <linux/percpu.h>
#include <linux/types.h>

#include "irqpath/counters.h"

/* Rows per CPU: a power of two, allocated in segments of 256 rows. */
#define IRQPATH_ROWS_MIN	16
#define IRQPATH_ROWS_MAX	4096
#define IRQPATH_ROWS_DEFAULT	512
#define IRQPATH_ROW_SEG_BITS	8
#define IRQPATH_ROW_SEGS	(IRQPATH_ROWS_MAX >> IRQPATH_ROW_SEG_BITS)

/* A claim looks at this many rows at most before it gives up. */
#define IRQPATH_ROW_PROBES	16

/* key: VM sequence number, kind and slot; 0 when the row is free. */
struct irqpath_row {
	u64 key;
	u64 v[IRQPATH_ROW_COLS];
};

struct irqpath_row_table {
	unsigned int bits;
	unsigned int segs;
	struct irqpath_row __percpu *seg[IRQPATH_ROW_SEGS];
	u64 __percpu *full;	/* events that found no free row */
};

extern struct irqpath_row_table irqpath_rows;

/* Sequence numbers are below 2^55, so a key never loses one. */
#define IRQPATH_ROW_SEQ_SHIFT	(IRQPATH_ROW_KIND_BITS + IRQPATH_SLOT_BITS)
#define IRQPATH_ROW_SEQ_MAX	(BIT_ULL(64 - IRQPATH_ROW_SEQ_SHIFT) - 1)

static inline u64 irqpath_row_key(u64 seq, enum irqpath_row_kind kind,
				  unsigned int slot)
{
	return (seq << IRQPATH_ROW_KIND_BITS | kind) << IRQPATH_SLOT_BITS | slot;
}

static inline u64 irqpath_row_seq(u64 key)
{
	return key >> IRQPATH_ROW_SEQ_SHIFT;
}

static inline enum irqpath_row_kind irqpath_row_kind_of(u64 key)
{
	return (key >> IRQPATH_SLOT_BITS) & (BIT(IRQPATH_ROW_KIND_BITS) - 1);
}

static inline struct irqpath_row __percpu *irqpath_row_at(unsigned int i)
{
	return irqpath_rows.seg[i >> IRQPATH_ROW_SEG_BITS] +
	       (i & (BIT(IRQPATH_ROW_SEG_BITS) - 1));
}

bool irqpath_row_add_slow(u64 key, unsigned int col, u64 n);

/*
 * Adds n to this CPU's row of key; false when this CPU has no row for it
 * and no room, so the caller counts it in its "other" row. Preemption
 * disabled, as in every probe handler.
 */
static inline bool irqpath_row_add(u64 key, unsigned int col, u64 n)
{
	struct irqpath_row __percpu *r;

	r = irqpath_row_at(hash_64(key, irqpath_rows.bits));
	if (likely(this_cpu_read(r->key) == key)) {
		this_cpu_add(r->v[col], n);
		return true;
	}
	return irqpath_row_add_slow(key, col, n);
}

/* Counts one event. */
static inline bool irqpath_row_inc(u64 key, unsigned int col)
{
	return irqpath_row_add(key, col, 1);
}

int irqpath_rows_init(unsigned int nr);
void irqpath_rows_exit(void);

/* Calls fn for every used row of every CPU; never sleeps. */
void irqpath_rows_walk(void (*fn)(const struct irqpath_row *row, void *arg),
		       void *arg);
void irqpath_row_add_to(struct irqpath_counts *val,
			const struct irqpath_row *row);
void irqpath_rows_add(struct irqpath_counts *val, u64 seq);
void irqpath_rows_forget(u64 *seqs, unsigned int n);
void irqpath_rows_usage(unsigned int *per_cpu, unsigned long *used,
			u64 *full);
unsigned long irqpath_rows_bytes(void);

#endif /* _IRQPATH_ROWS_H */
