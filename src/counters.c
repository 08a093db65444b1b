// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counter sets and the slot tables that map a GSI or a vCPU id to
 * a row. Nothing here knows KVM, so the KUnit suites build it as it is.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/string.h>

#include "irqpath/counters.h"

/* Baselines (reset.c) and what readers copy with them. */
DEFINE_SPINLOCK(irqpath_read_lock);

const char *const irqpath_counter_names[IRQPATH_NR_COUNTERS] = {
	[IRQPATH_IRQFD_WAKEUPS]		= "irqfd_wakeups",
	[IRQPATH_IRQFD_FAST]		= "irqfd_fast",
	[IRQPATH_IRQFD_DEFERRED]	= "irqfd_deferred",
	[IRQPATH_IRQFD_INJECTS]		= "irqfd_injects",
	[IRQPATH_MSI_INJECTS]		= "msi_injects",
	[IRQPATH_VCPU_DELIVERIES]	= "vcpu_deliveries",
	[IRQPATH_VFIO_MSI]		= "vfio_msi",
	[IRQPATH_VFIO_MSI_IRQFD]	= "vfio_msi_irqfd",
	[IRQPATH_VFIO_MSI_USERSPACE]	= "vfio_msi_userspace",
	[IRQPATH_BYPASS_ADD]		= "bypass_add",
	[IRQPATH_BYPASS_DEL]		= "bypass_del",
	[IRQPATH_IRTE_POSTED]		= "irte_posted",
	[IRQPATH_IRTE_REMAPPED]		= "irte_remapped",
	[IRQPATH_DELIVERIES_POSTED]	= "deliveries_posted",
	[IRQPATH_DELIVERIES_KICKED]	= "deliveries_kicked",
	[IRQPATH_PI_WAKEUPS]		= "pi_wakeups",
	[IRQPATH_LATENCY_LOST]		= "latency_lost",
	[IRQPATH_LATENCY_MERGED]	= "latency_merged",
};

const char *const irqpath_gsi_col_names[IRQPATH_GSI_NR] = {
	[IRQPATH_GSI_WAKEUPS]	= "wakeups",
	[IRQPATH_GSI_FAST]	= "fast",
	[IRQPATH_GSI_DEFERRED]	= "deferred",
	[IRQPATH_GSI_INJECTS]	= "injects",
};

const char *const irqpath_vcpu_col_names[IRQPATH_VCOL_NR] = {
	[IRQPATH_VCOL_DELIVERIES]	= "deliveries",
	[IRQPATH_VCOL_POSTED]		= "posted",
	[IRQPATH_VCOL_KICKED]		= "kicked",
	[IRQPATH_VCOL_PI_WAKEUPS]	= "pi_wakeups",
};

const char *const irqpath_signal_col_names[IRQPATH_SIG_NR] = {
	[IRQPATH_SIG_IRQ]	= "irq",
	[IRQPATH_SIG_VHOST]	= "vhost",
	[IRQPATH_SIG_VMM]	= "vmm",
	[IRQPATH_SIG_OTHER]	= "other",
};

/*
 * Called from hard-IRQ context: lock-free open addressing. Ids are mostly
 * dense (vCPU 0..n, GSI 24..n), so the low bits spread them without a hash.
 * Slots fill in probe order from an id's home and are never freed, so a
 * free slot on the way is where the id goes (claim) or shows it has none.
 * IRQPATH_SLOT_OTHER when the table is full, so nothing is lost.
 */
static unsigned int irqpath_slot_walk(struct irqpath_slots *s, u32 id,
				      bool claim)
{
	u32 want = id + 1;
	unsigned int i, n;

	if (!want)
		return IRQPATH_SLOT_OTHER;

	for (n = 0, i = id & (IRQPATH_SLOTS - 1); n < IRQPATH_SLOTS;
	     n++, i = (i + 1) & (IRQPATH_SLOTS - 1)) {
		u32 cur = READ_ONCE(s->key[i]);

		if (cur == want)
			return i;
		if (cur)
			continue;
		if (!claim)
			break;
		cur = cmpxchg(&s->key[i], 0, want);
		if (!cur || cur == want)
			return i;
	}
	return IRQPATH_SLOT_OTHER;
}

unsigned int irqpath_slot_find(struct irqpath_slots *s, u32 id)
{
	return irqpath_slot_walk(s, id, true);
}

unsigned int irqpath_slot_lookup_slow(struct irqpath_slots *s, u32 id)
{
	return irqpath_slot_walk(s, id, false);
}

/* Which id a slot holds; false for a free slot and for the overflow row. */
bool irqpath_slot_id(const struct irqpath_slots *s, unsigned int slot,
		     u32 *id)
{
	u32 key;

	if (slot >= IRQPATH_SLOTS)
		return false;
	key = READ_ONCE(s->key[slot]);
	if (!key)
		return false;
	*id = key - 1;
	return true;
}

/*
 * The totals and "other" rows of every CPU; the rows of the shared table
 * are added by irqpath_rows_add(). Plain loads: a u64 store is atomic on
 * 64-bit.
 */
void irqpath_counts_sum(struct irqpath_counts *sum,
			struct irqpath_cpu_counts __percpu *pcpu)
{
	unsigned int i;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct irqpath_cpu_counts *src = per_cpu_ptr(pcpu, cpu);

		for (i = 0; i < IRQPATH_NR_COUNTERS; i++)
			sum->c[i] += READ_ONCE(src->c[i]);
		for (i = 0; i < IRQPATH_GSI_NR; i++)
			sum->gsi[IRQPATH_SLOT_OTHER][i] +=
				READ_ONCE(src->other[IRQPATH_ROW_GSI][i]);
		for (i = 0; i < IRQPATH_VCOL_NR; i++)
			sum->vcpu[IRQPATH_SLOT_OTHER][i] +=
				READ_ONCE(src->other[IRQPATH_ROW_VCPU][i]);
		sum->owner[IRQPATH_SLOT_OTHER] +=
			READ_ONCE(src->other[IRQPATH_ROW_OWNER][0]);
		for (i = 0; i < IRQPATH_SIG_NR; i++)
			sum->signal[IRQPATH_SLOT_OTHER][i] +=
				READ_ONCE(src->other[IRQPATH_ROW_SIGNAL][i]);
		sum->other_pid[IRQPATH_SLOT_OTHER] +=
			READ_ONCE(src->other[IRQPATH_ROW_OTHER_PID][0]);
		for (i = 0; i < IRQPATH_ROW_COLS; i++)
			sum->hist_sum[i] +=
				READ_ONCE(src->other[IRQPATH_ROW_HIST][i]);
	}
}

/* Leaves the totals: for readers that did not add the rows up. */
void irqpath_counts_drop_rows(struct irqpath_counts *val)
{
	memset(val->gsi, 0, sizeof(val->gsi));
	memset(val->vcpu, 0, sizeof(val->vcpu));
	memset(val->owner, 0, sizeof(val->owner));
	memset(val->signal, 0, sizeof(val->signal));
	memset(val->other_pid, 0, sizeof(val->other_pid));
	memset(val->hist, 0, sizeof(val->hist));
}

/* Modular arithmetic keeps the difference right across a 64-bit wrap. */
void irqpath_counts_sub(struct irqpath_counts *val,
			const struct irqpath_counts *base)
{
	const u64 *b = (const u64 *)base;
	u64 *v = (u64 *)val;
	size_t i, n = sizeof(*val) / sizeof(u64);

	for (i = 0; i < n; i++)
		v[i] -= b[i];
}
