/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counter sets of kvm_irqpath: one per VM and one for events that no VM
 * can be tied to. Writers bump their own CPU's copy from probe context;
 * readers sum every CPU's copy and subtract the baseline of the last reset.
 * A VM's per-CPU copy holds its totals only; its rows per GSI, vCPU and
 * pid live in the table all VMs share (rows.h).
 */
#ifndef _IRQPATH_COUNTERS_H
#define _IRQPATH_COUNTERS_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

/*
 * Readers take it to subtract a baseline, reset to move baselines: every
 * baseline of the module (VMs, probes, pi_ipis, failures) is under it.
 * Process context only; writers never take it.
 */
extern spinlock_t irqpath_read_lock;

/* Distinct GSIs and vCPUs tracked per VM; the rest share an overflow row. */
#define IRQPATH_SLOT_BITS	6
#define IRQPATH_SLOTS		BIT(IRQPATH_SLOT_BITS)
#define IRQPATH_SLOT_OTHER	IRQPATH_SLOTS

/* The order is the order of the `stats` lines; names in counters.c. */
enum irqpath_counter {
	IRQPATH_IRQFD_WAKEUPS,
	IRQPATH_IRQFD_FAST,
	IRQPATH_IRQFD_DEFERRED,
	IRQPATH_IRQFD_INJECTS,
	IRQPATH_MSI_INJECTS,
	IRQPATH_VCPU_DELIVERIES,
	IRQPATH_VFIO_MSI,
	IRQPATH_VFIO_MSI_IRQFD,
	IRQPATH_VFIO_MSI_USERSPACE,
	IRQPATH_BYPASS_ADD,
	IRQPATH_BYPASS_DEL,
	IRQPATH_IRTE_POSTED,
	IRQPATH_IRTE_REMAPPED,
	IRQPATH_DELIVERIES_POSTED,	/* APICv/AVIC took it: no exit needed */
	IRQPATH_DELIVERIES_KICKED,	/* set in the IRR, the vCPU kicked */
	IRQPATH_PI_WAKEUPS,		/* a blocked vCPU woken by PIW/GA log */
	IRQPATH_LATENCY_LOST,		/* hop timings that found no row */
	IRQPATH_LATENCY_MERGED,		/* deliveries behind one still waiting */
	IRQPATH_NR_COUNTERS
};

/* Columns of a `gsi` row. */
enum irqpath_gsi_col {
	IRQPATH_GSI_WAKEUPS,
	IRQPATH_GSI_FAST,
	IRQPATH_GSI_DEFERRED,
	IRQPATH_GSI_INJECTS,
	IRQPATH_GSI_NR
};

/* Columns of a `vcpus` row. */
enum irqpath_vcpu_col {
	IRQPATH_VCOL_DELIVERIES,
	IRQPATH_VCOL_POSTED,
	IRQPATH_VCOL_KICKED,
	IRQPATH_VCOL_PI_WAKEUPS,
	IRQPATH_VCOL_NR
};

/*
 * Who signalled an irqfd: columns of a GSI's second row, added at the end
 * of `gsi`. See irqpath_signaller_of().
 */
enum irqpath_signal_col {
	IRQPATH_SIG_IRQ,	/* a hard IRQ, or a VFIO MSI handler's thread */
	IRQPATH_SIG_VHOST,	/* a vhost worker */
	IRQPATH_SIG_VMM,	/* a thread of the VM's VMM process */
	IRQPATH_SIG_OTHER,	/* any other process: rows by pid */
	IRQPATH_SIG_NR
};

/* What a row of the shared table counts, and its most columns. */
enum irqpath_row_kind {
	IRQPATH_ROW_GSI,
	IRQPATH_ROW_VCPU,
	IRQPATH_ROW_OWNER,
	IRQPATH_ROW_SIGNAL,	/* a GSI's signallers, irqpath_signal_col */
	IRQPATH_ROW_OTHER_PID,	/* wakeups signalled by another process */
	IRQPATH_ROW_HIST,	/* latency buckets; "other" holds the sums */
	IRQPATH_ROW_KINDS
};

#define IRQPATH_ROW_KIND_BITS	3
static_assert(IRQPATH_ROW_KINDS <= 1 << IRQPATH_ROW_KIND_BITS);

#define IRQPATH_ROW_COLS	4

/* Rows of latency buckets a VM has: 8 per hop (latency.h), room for 4 hops. */
#define IRQPATH_HIST_ROWS	32
static_assert(IRQPATH_ROW_COLS >= IRQPATH_GSI_NR);
static_assert(IRQPATH_ROW_COLS >= IRQPATH_VCOL_NR);
static_assert(IRQPATH_ROW_COLS >= IRQPATH_SIG_NR);

extern const char *const irqpath_counter_names[IRQPATH_NR_COUNTERS];
extern const char *const irqpath_gsi_col_names[IRQPATH_GSI_NR];
extern const char *const irqpath_vcpu_col_names[IRQPATH_VCOL_NR];
extern const char *const irqpath_signal_col_names[IRQPATH_SIG_NR];

/*
 * A VM's counts on one CPU: its totals, and the "other" rows: ids beyond
 * its slots, and events that found no room in the CPU's row table.
 */
struct irqpath_cpu_counts {
	u64 c[IRQPATH_NR_COUNTERS];
	u64 other[IRQPATH_ROW_KINDS][IRQPATH_ROW_COLS];
};

/* A sum over CPUs and rows, or a reset baseline. Row SLOT_OTHER is "other". */
struct irqpath_counts {
	u64 c[IRQPATH_NR_COUNTERS];
	u64 gsi[IRQPATH_SLOTS + 1][IRQPATH_GSI_NR];
	u64 vcpu[IRQPATH_SLOTS + 1][IRQPATH_VCOL_NR];
	u64 owner[IRQPATH_SLOTS + 1];	/* unattributed VFIO MSIs per VMM pid */
	u64 signal[IRQPATH_SLOTS + 1][IRQPATH_SIG_NR];	/* per GSI */
	u64 other_pid[IRQPATH_SLOTS + 1];	/* IRQPATH_SIG_OTHER per pid */
	u64 hist[IRQPATH_HIST_ROWS][IRQPATH_ROW_COLS];	/* latency.h's rows */
	u64 hist_sum[IRQPATH_ROW_COLS];			/* per hop, ns */
};

/* Slot i holds id + 1, 0 when free; filled once with cmpxchg, never freed. */
struct irqpath_slots {
	u32 key[IRQPATH_SLOTS];
};

unsigned int irqpath_slot_find(struct irqpath_slots *s, u32 id);

/* The common case, inline: id's home slot is already its own. */
static inline bool irqpath_slot_at_home(const struct irqpath_slots *s, u32 id)
{
	return READ_ONCE(s->key[id & (IRQPATH_SLOTS - 1)]) == id + 1 && id + 1;
}

/* An id's row, claimed if it has none. */
static inline unsigned int irqpath_slot_get(struct irqpath_slots *s, u32 id)
{
	if (likely(irqpath_slot_at_home(s, id)))
		return id & (IRQPATH_SLOTS - 1);
	return irqpath_slot_find(s, id);
}

unsigned int irqpath_slot_lookup_slow(struct irqpath_slots *s, u32 id);

/* An id's row if it has one, never claiming one: IRQPATH_SLOT_OTHER if not. */
static inline unsigned int irqpath_slot_lookup(struct irqpath_slots *s,
					       u32 id)
{
	if (likely(irqpath_slot_at_home(s, id)))
		return id & (IRQPATH_SLOTS - 1);
	return irqpath_slot_lookup_slow(s, id);
}

bool irqpath_slot_id(const struct irqpath_slots *s, unsigned int slot,
		     u32 *id);

void irqpath_counts_sum(struct irqpath_counts *sum,
			struct irqpath_cpu_counts __percpu *pcpu);
void irqpath_counts_drop_rows(struct irqpath_counts *val);
void irqpath_counts_sub(struct irqpath_counts *val,
			const struct irqpath_counts *base);

#endif /* _IRQPATH_COUNTERS_H */
