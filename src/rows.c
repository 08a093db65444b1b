// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU row table shared by all VMs (see rows.h). Nothing here knows
 * KVM, so the KUnit suites build it as it is.
 */
#include <linux/bsearch.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "irqpath/rows.h"

struct irqpath_row_table irqpath_rows;

/*
 * Linear probing from the home row. Only this CPU fills a free row, but an
 * interrupt may fill it first between our read and our cmpxchg: then the
 * row holds our key or another, and both cases are handled. Rows freed in
 * the middle of a chain may give a key a second row; readers add rows up,
 * so the counts stay exact.
 */
bool irqpath_row_add_slow(u64 key, unsigned int col, u64 n)
{
	unsigned int mask = BIT(irqpath_rows.bits) - 1;
	unsigned int i = hash_64(key, irqpath_rows.bits);
	unsigned int probe;

	for (probe = 0; probe < IRQPATH_ROW_PROBES && probe <= mask;
	     probe++, i = (i + 1) & mask) {
		struct irqpath_row __percpu *r = irqpath_row_at(i);
		u64 cur = this_cpu_read(r->key);

		if (!cur)
			cur = this_cpu_cmpxchg(r->key, 0, key);
		if (!cur || cur == key) {
			this_cpu_add(r->v[col], n);
			return true;
		}
	}
	this_cpu_inc(*irqpath_rows.full);
	return false;
}

int irqpath_rows_init(unsigned int nr)
{
	unsigned int i;

	if (nr < IRQPATH_ROWS_MIN || nr > IRQPATH_ROWS_MAX || !is_power_of_2(nr))
		return -EINVAL;
	memset(&irqpath_rows, 0, sizeof(irqpath_rows));
	irqpath_rows.bits = ilog2(nr);
	irqpath_rows.segs = DIV_ROUND_UP(nr, BIT(IRQPATH_ROW_SEG_BITS));
	irqpath_rows.full = alloc_percpu(u64);
	if (!irqpath_rows.full)
		goto fail;
	for (i = 0; i < irqpath_rows.segs; i++) {
		irqpath_rows.seg[i] = __alloc_percpu(sizeof(struct irqpath_row) *
						     min(nr, BIT(IRQPATH_ROW_SEG_BITS)),
						     __alignof__(struct irqpath_row));
		if (!irqpath_rows.seg[i])
			goto fail;
	}
	return 0;
fail:
	irqpath_rows_exit();
	return -ENOMEM;
}

void irqpath_rows_exit(void)
{
	unsigned int i;

	for (i = 0; i < IRQPATH_ROW_SEGS; i++)
		free_percpu(irqpath_rows.seg[i]);
	free_percpu(irqpath_rows.full);
	memset(&irqpath_rows, 0, sizeof(irqpath_rows));
}

static unsigned int irqpath_rows_nr(void)
{
	return irqpath_rows.segs ? BIT(irqpath_rows.bits) : 0;
}

/*
 * A row is copied before fn sees it: its key is read first, and a row
 * freed meanwhile reads as free. Any context; a u64 load is atomic on the
 * 64-bit machines KVM runs on.
 */
void irqpath_rows_walk(void (*fn)(const struct irqpath_row *row, void *arg),
		       void *arg)
{
	unsigned int i, j, nr = irqpath_rows_nr();
	struct irqpath_row copy;
	int cpu;

	for_each_possible_cpu(cpu) {
		for (i = 0; i < nr; i++) {
			struct irqpath_row *r = per_cpu_ptr(irqpath_row_at(i), cpu);

			/* pairs with the release in forget: a freed row reads as free */
			copy.key = smp_load_acquire(&r->key);
			if (!copy.key)
				continue;
			for (j = 0; j < IRQPATH_ROW_COLS; j++)
				copy.v[j] = READ_ONCE(r->v[j]);
			fn(&copy, arg);
		}
	}
}

/* A row's counts into the row of val its kind and slot say. */
void irqpath_row_add_to(struct irqpath_counts *val,
			const struct irqpath_row *row)
{
	unsigned int slot = row->key & (IRQPATH_SLOTS - 1);
	unsigned int j;

	switch (irqpath_row_kind_of(row->key)) {
	case IRQPATH_ROW_GSI:
		for (j = 0; j < IRQPATH_GSI_NR; j++)
			val->gsi[slot][j] += row->v[j];
		break;
	case IRQPATH_ROW_VCPU:
		for (j = 0; j < IRQPATH_VCOL_NR; j++)
			val->vcpu[slot][j] += row->v[j];
		break;
	case IRQPATH_ROW_OWNER:
		val->owner[slot] += row->v[0];
		break;
	case IRQPATH_ROW_SIGNAL:
		for (j = 0; j < IRQPATH_SIG_NR; j++)
			val->signal[slot][j] += row->v[j];
		break;
	case IRQPATH_ROW_OTHER_PID:
		val->other_pid[slot] += row->v[0];
		break;
	case IRQPATH_ROW_HIST:
		if (slot >= IRQPATH_HIST_ROWS)
			break;
		for (j = 0; j < IRQPATH_ROW_COLS; j++)
			val->hist[slot][j] += row->v[j];
		break;
	default:
		break;
	}
}

struct irqpath_rows_add_arg {
	struct irqpath_counts *val;
	u64 seq;
};

static void irqpath_rows_add_one(const struct irqpath_row *row, void *arg)
{
	struct irqpath_rows_add_arg *a = arg;

	if (irqpath_row_seq(row->key) == a->seq)
		irqpath_row_add_to(a->val, row);
}

/* Adds the rows of the VM numbered seq, on every CPU, into val. */
void irqpath_rows_add(struct irqpath_counts *val, u64 seq)
{
	struct irqpath_rows_add_arg a = { .val = val, .seq = seq };

	irqpath_rows_walk(irqpath_rows_add_one, &a);
}

static int irqpath_seq_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Gives back the rows of the VMs numbered seqs[0..n), which no handler can
 * reach any more (their records are gone and a grace period has passed).
 * Values are cleared before the key, so the owning CPU, once it sees the
 * row free, starts it from zero. Process context; sorts seqs.
 */
void irqpath_rows_forget(u64 *seqs, unsigned int n)
{
	unsigned int i, j, nr = irqpath_rows_nr();
	int cpu;

	if (!n)
		return;
	sort(seqs, n, sizeof(*seqs), irqpath_seq_cmp, NULL);
	for_each_possible_cpu(cpu) {
		for (i = 0; i < nr; i++) {
			struct irqpath_row *r = per_cpu_ptr(irqpath_row_at(i), cpu);
			u64 seq, key = READ_ONCE(r->key);

			if (!key)
				continue;
			seq = irqpath_row_seq(key);
			if (!bsearch(&seq, seqs, n, sizeof(*seqs), irqpath_seq_cmp))
				continue;
			for (j = 0; j < IRQPATH_ROW_COLS; j++)
				WRITE_ONCE(r->v[j], 0);
			/* the zeroes first: a new owner starts from them */
			smp_store_release(&r->key, 0);
		}
		cond_resched();
	}
}

/* The table's bytes on all possible CPUs, its rows_full counters too. */
unsigned long irqpath_rows_bytes(void)
{
	return (irqpath_rows_nr() * sizeof(struct irqpath_row) + sizeof(u64)) *
	       num_possible_cpus();
}

/* Rows per CPU, rows in use on all CPUs, and events that found none. */
void irqpath_rows_usage(unsigned int *per_cpu, unsigned long *used, u64 *full)
{
	unsigned int i, nr = irqpath_rows_nr();
	int cpu;

	*per_cpu = nr;
	*used = 0;
	*full = 0;
	for_each_possible_cpu(cpu) {
		for (i = 0; i < nr; i++)
			*used += !!READ_ONCE(per_cpu_ptr(irqpath_row_at(i), cpu)->key);
		if (irqpath_rows.full)
			*full += READ_ONCE(*per_cpu_ptr(irqpath_rows.full, cpu));
	}
}
