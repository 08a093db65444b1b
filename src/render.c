// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of the debugfs files from snapshots of the counters. Pure
 * functions of their arguments, so the KUnit suites check them as they are.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "irqpath/render.h"
#include "irqpath/latency.h"

/* `stats` and `unattributed`: one "key value" line per counter. */
void irqpath_render_stats(struct seq_file *m, const struct irqpath_counts *val)
{
	unsigned int i;

	for (i = 0; i < IRQPATH_NR_COUNTERS; i++)
		seq_printf(m, "%s %llu\n", irqpath_counter_names[i], val->c[i]);
}

/* A table's column titles after its first, each after a blank. */
static void irqpath_render_titles(struct seq_file *m, const char *const *titles,
				  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		seq_printf(m, " %s", titles[i]);
}

/* The used slot with the smallest id above *last (or any, when first). */
static bool irqpath_next_slot(const struct irqpath_slots *s, bool first,
			      u32 *last, unsigned int *slot)
{
	unsigned int i, best = IRQPATH_SLOTS;
	u32 id, best_id = U32_MAX;

	for (i = 0; i < IRQPATH_SLOTS; i++) {
		if (!irqpath_slot_id(s, i, &id))
			continue;
		if (!first && id <= *last)
			continue;
		if (best == IRQPATH_SLOTS || id < best_id) {
			best = i;
			best_id = id;
		}
	}
	if (best == IRQPATH_SLOTS)
		return false;
	*last = best_id;
	*slot = best;
	return true;
}

static void irqpath_render_gsi_row(struct seq_file *m, const u64 *row,
				   const struct irqpath_gsi_routes *routes,
				   const u64 *signal)
{
	char route[IRQPATH_ROUTE_TEXT] = "-";
	unsigned int i;

	for (i = 0; i < IRQPATH_GSI_NR; i++)
		seq_printf(m, " %llu", row[i]);
	if (routes)
		irqpath_route_text(route, sizeof(route), routes);
	seq_printf(m, " %s", route);
	for (i = 0; i < IRQPATH_SIG_NR; i++)
		seq_printf(m, " %llu", signal[i]);
	seq_putc(m, '\n');
}

static bool irqpath_row_used(const u64 *row, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (row[i])
			return true;
	return false;
}

/*
 * `gsi`: rows in GSI order; GSIs beyond the table share the row "other".
 * Columns added at the end: the route, routes[slot] ("-" for "other"),
 * then who signalled the wakeups.
 */
void irqpath_render_gsi(struct seq_file *m, const struct irqpath_vm *vm,
			const struct irqpath_counts *val,
			const struct irqpath_gsi_routes *routes)
{
	const unsigned int other = IRQPATH_SLOT_OTHER;
	unsigned int slot;
	bool first = true;
	u32 gsi = 0;

	seq_puts(m, "gsi");
	irqpath_render_titles(m, irqpath_gsi_col_names, IRQPATH_GSI_NR);
	seq_puts(m, " route");
	irqpath_render_titles(m, irqpath_signal_col_names, IRQPATH_SIG_NR);
	seq_putc(m, '\n');

	while (irqpath_next_slot(&vm->gsi_slots, first, &gsi, &slot)) {
		first = false;
		seq_printf(m, "%u", gsi);
		irqpath_render_gsi_row(m, val->gsi[slot],
				       routes ? &routes[slot] : NULL,
				       val->signal[slot]);
	}
	if (irqpath_row_used(val->gsi[other], IRQPATH_GSI_NR) ||
	    irqpath_row_used(val->signal[other], IRQPATH_SIG_NR)) {
		seq_puts(m, "other");
		irqpath_render_gsi_row(m, val->gsi[other], NULL,
				       val->signal[other]);
	}
}

/*
 * `signallers`: the wakeups of every GSI by who signalled them, then those
 * of other processes by pid (the first 64 pids; the rest as "other").
 */
void irqpath_render_signallers(struct seq_file *m, const struct irqpath_vm *vm,
			       const struct irqpath_counts *val)
{
	unsigned int i, slot;
	bool first = true;
	u32 pid = 0;

	for (i = 0; i < IRQPATH_SIG_NR; i++) {
		u64 sum = 0;

		for (slot = 0; slot <= IRQPATH_SLOT_OTHER; slot++)
			sum += val->signal[slot][i];
		seq_printf(m, "%s %llu\n", irqpath_signal_col_names[i], sum);
	}
	while (irqpath_next_slot(&vm->signal_slots, first, &pid, &slot)) {
		first = false;
		if (val->other_pid[slot])
			seq_printf(m, "other_pid_%u %llu\n", pid,
				   val->other_pid[slot]);
	}
	if (val->other_pid[IRQPATH_SLOT_OTHER])
		seq_printf(m, "other_pid_other %llu\n",
			   val->other_pid[IRQPATH_SLOT_OTHER]);
}

/*
 * `latency`: a row per hop, its samples, their sum in ns, and its log2
 * buckets: lt_<2^b> counts samples under 2^b ns (and at least half that),
 * inf those of 2^30 ns and more.
 */
void irqpath_render_latency(struct seq_file *m, const struct irqpath_counts *val)
{
	unsigned int hop, b;

	seq_puts(m, "hop count sum_ns");
	for (b = 0; b < IRQPATH_LAT_BUCKETS - 1; b++)
		seq_printf(m, " lt_%llu", BIT_ULL(b));
	seq_puts(m, " inf\n");
	for (hop = 0; hop < IRQPATH_HOPS; hop++) {
		u64 n = 0;

		for (b = 0; b < IRQPATH_LAT_BUCKETS; b++)
			n += irqpath_lat_bucket_count(val, hop, b);
		seq_printf(m, "%s %llu %llu", irqpath_hop_names[hop], n,
			   val->hist_sum[hop]);
		for (b = 0; b < IRQPATH_LAT_BUCKETS; b++)
			seq_printf(m, " %llu",
				   irqpath_lat_bucket_count(val, hop, b));
		seq_putc(m, '\n');
	}
}

static void irqpath_render_vcpu_row(struct seq_file *m, const u64 *row)
{
	unsigned int i;

	for (i = 0; i < IRQPATH_VCOL_NR; i++)
		seq_printf(m, " %llu", row[i]);
	seq_putc(m, '\n');
}

/* `vcpus`: a row per vCPU id, in id order; columns after the id added at the end. */
void irqpath_render_vcpus(struct seq_file *m, const struct irqpath_vm *vm,
			  const struct irqpath_counts *val)
{
	const u64 *other = val->vcpu[IRQPATH_SLOT_OTHER];
	unsigned int slot;
	bool first = true;
	u32 id = 0;

	seq_puts(m, "vcpu");
	irqpath_render_titles(m, irqpath_vcpu_col_names, IRQPATH_VCOL_NR);
	seq_putc(m, '\n');
	while (irqpath_next_slot(&vm->vcpu_slots, first, &id, &slot)) {
		first = false;
		seq_printf(m, "%u", id);
		irqpath_render_vcpu_row(m, val->vcpu[slot]);
	}
	if (irqpath_row_used(other, IRQPATH_VCOL_NR)) {
		seq_puts(m, "other");
		irqpath_render_vcpu_row(m, other);
	}
}

/*
 * A comm is any 15 bytes: a blank or a control character in it would split
 * the whitespace-separated fields of `summary` and `info`; it shows as '_'.
 */
static void irqpath_comm_field(char *out, size_t size, const char *comm)
{
	size_t i;

	for (i = 0; i < size - 1 && comm[i]; i++)
		out[i] = (u8)comm[i] <= ' ' || comm[i] == 0x7f ? '_' : comm[i];
	out[i] = '\0';
}

/*
 * `info`: %p hashes the kvm address, stable within a boot, so a test can
 * see that a new VM reuses an old address without learning the address.
 */
void irqpath_render_info(struct seq_file *m, const struct irqpath_vm *vm,
			 const char *comm)
{
	char field[2 * TASK_COMM_LEN];

	irqpath_comm_field(field, sizeof(field), comm);
	seq_printf(m, "name %s\n", vm->name);
	seq_printf(m, "pid %d\n", vm->pid);
	seq_printf(m, "comm %s\n", field);
	seq_printf(m, "kvm %p\n", vm->key);
	seq_printf(m, "found %s\n", vm->discovered ? "event" : "create");
}

/* Short titles, so a row fits a terminal; `stats` has the full names. */
struct irqpath_summary_col {
	const char *title;
	enum irqpath_counter counter;
};

static const struct irqpath_summary_col irqpath_summary_cols[] = {
	{ "irqfd",	IRQPATH_IRQFD_WAKEUPS },
	{ "fast",	IRQPATH_IRQFD_FAST },
	{ "deferred",	IRQPATH_IRQFD_DEFERRED },
	{ "injects",	IRQPATH_IRQFD_INJECTS },
	{ "signal_msi",	IRQPATH_MSI_INJECTS },
	{ "deliveries",	IRQPATH_VCPU_DELIVERIES },
	{ "vfio_user",	IRQPATH_VFIO_MSI_USERSPACE },
	{ "vfio_irqfd",	IRQPATH_VFIO_MSI_IRQFD },
};

/* Added after "posted" when they came: how deliveries reached their vCPUs. */
static const struct irqpath_summary_col irqpath_summary_tail[] = {
	{ "dlv_posted",	IRQPATH_DELIVERIES_POSTED },
	{ "dlv_kicked",	IRQPATH_DELIVERIES_KICKED },
	{ "pi_wakeups",	IRQPATH_PI_WAKEUPS },
};

void irqpath_render_summary_header(struct seq_file *m)
{
	unsigned int i;

	seq_printf(m, "%-20s %8s %-16s", "vm", "pid", "comm");
	for (i = 0; i < ARRAY_SIZE(irqpath_summary_cols); i++)
		seq_printf(m, " %10s", irqpath_summary_cols[i].title);
	seq_printf(m, " %9s", "posted");
	for (i = 0; i < ARRAY_SIZE(irqpath_summary_tail); i++)
		seq_printf(m, " %10s", irqpath_summary_tail[i].title);
	seq_putc(m, '\n');
}

/* posted: "<posted>/<producers>" of the VM's bypass producers. */
void irqpath_render_summary_row(struct seq_file *m, const char *name,
				const char *pid, const char *comm,
				const struct irqpath_counts *val,
				unsigned int producers, unsigned int posted)
{
	char pp[24], field[2 * TASK_COMM_LEN];
	unsigned int i;

	irqpath_comm_field(field, sizeof(field), comm);
	seq_printf(m, "%-20s %8s %-16s", name, pid, field);
	for (i = 0; i < ARRAY_SIZE(irqpath_summary_cols); i++)
		seq_printf(m, " %10llu",
			   val->c[irqpath_summary_cols[i].counter]);
	snprintf(pp, sizeof(pp), "%u/%u", posted, producers);
	seq_printf(m, " %9s", pp);
	for (i = 0; i < ARRAY_SIZE(irqpath_summary_tail); i++)
		seq_printf(m, " %10llu",
			   val->c[irqpath_summary_tail[i].counter]);
	seq_putc(m, '\n');
}

void irqpath_verdict_keep(struct irqpath_verdict *v, const char *name,
			  const struct irqpath_counts *val,
			  unsigned int producers, unsigned int posted)
{
	strscpy(v->name, name, sizeof(v->name));
	v->msi = val->c[IRQPATH_VFIO_MSI];
	v->user = val->c[IRQPATH_VFIO_MSI_USERSPACE];
	v->irqfd = val->c[IRQPATH_VFIO_MSI_IRQFD];
	v->producers = producers;
	v->posted = posted;
}

/*
 * One line a person can act on: where this VM's VFIO interrupts go.
 * A posted vector runs no host code, so it shows only as a producer.
 */
void irqpath_render_verdict(struct seq_file *m, const struct irqpath_verdict *v)
{
	unsigned int producers = v->producers, posted = v->posted;
	u64 msi = v->msi, user = v->user, irqfd = v->irqfd;

	seq_printf(m, "%s: ", v->name);
	if (!msi && !producers)
		seq_puts(m, "no VFIO interrupts seen");
	else if (!msi && posted == producers)
		seq_printf(m, "all %u VFIO vectors posted: delivered by the IOMMU, no host code runs",
			   producers);
	else if (!msi)
		seq_printf(m, "%u of %u VFIO vectors posted, no VFIO MSI reached the host",
			   posted, producers);
	else if (user == msi)
		seq_printf(m, "%llu of %llu VFIO MSIs went to userspace: no irqfd on these eventfds",
			   user, msi);
	else if (irqfd == msi && !posted && producers)
		seq_printf(m, "%llu of %llu VFIO MSIs took the irqfd path in the host: %u bypass producer(s) connected, none posted",
			   irqfd, msi, producers);
	else if (irqfd == msi)
		seq_printf(m, "%llu of %llu VFIO MSIs took the irqfd path in the host",
			   irqfd, msi);
	else if (!producers)
		seq_printf(m, "%llu VFIO MSIs: %llu to userspace, %llu on irqfds",
			   msi, user, irqfd);
	else
		seq_printf(m, "%llu VFIO MSIs: %llu to userspace, %llu on irqfds; %u of %u vectors posted",
			   msi, user, irqfd, posted, producers);
	seq_putc(m, '\n');
}

static const char *const irqpath_producer_modes[] = {
	[IRQPATH_PRODUCER_CONNECTED]	= "connected",
	[IRQPATH_PRODUCER_POSTED]	= "posted",
	[IRQPATH_PRODUCER_REMAPPED]	= "remapped",
};

/* `producers`: a row per bypass producer of the VM. */
void irqpath_render_producers(struct seq_file *m,
			      const struct irqpath_producer *prods,
			      unsigned int n)
{
	unsigned int i;

	seq_puts(m, "irq gsi mode updates\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%d %u %s %u\n", prods[i].irq, prods[i].gsi,
			   irqpath_producer_modes[prods[i].mode],
			   prods[i].updates);
}

/* VFIO MSIs that no VM could be tied to, per registering process. */
void irqpath_render_owners(struct seq_file *m, const struct irqpath_vm *vm,
			   const struct irqpath_counts *val)
{
	unsigned int slot;
	bool first = true;
	u32 pid = 0;

	while (irqpath_next_slot(&vm->owner_slots, first, &pid, &slot)) {
		first = false;
		seq_printf(m, "vfio_msi_pid_%u %llu\n", pid, val->owner[slot]);
	}
	if (val->owner[IRQPATH_SLOT_OTHER])
		seq_printf(m, "vfio_msi_pid_other %llu\n",
			   val->owner[IRQPATH_SLOT_OTHER]);
}

/*
 * `probes`: "<probe> <symbol|-> <state> <hits> <via> <proto> <layout>",
 * via one of direct, ftrace, kretprobe, tracepoint, or - when not attached.
 */
void irqpath_render_probe(struct seq_file *m, const char *name,
			  const char *symbol, const char *state, u64 hits,
			  const char *via, const char *proto,
			  const char *layout)
{
	seq_printf(m, "%s %s %s %llu %s %s %s\n", name, symbol, state, hits,
		   via, proto, layout);
}

/* `stats`: the counters, then the gauge of producers connected now. */
void irqpath_render_vm_stats(struct seq_file *m,
			     const struct irqpath_counts *val,
			     unsigned int producers)
{
	irqpath_render_stats(m, val);
	seq_printf(m, "producers_active %u\n", producers);
}

/*
 * `unattributed`: the counters, the VFIO MSIs per registering pid, hits
 * the kprobe layer dropped and records that could not be made.
 */
void irqpath_render_unattributed(struct seq_file *m, const struct irqpath_vm *vm,
				 const struct irqpath_counts *val,
				 unsigned long missed, unsigned long failures)
{
	irqpath_render_stats(m, val);
	irqpath_render_owners(m, vm, val);
	seq_printf(m, "probe_missed %lu\n", missed);
	seq_printf(m, "vm_alloc_failed %lu\n", failures);
}

/* `memory`: "key value"; rows_per_cpu, rows_used, rows_full came last. */
void irqpath_render_memory(struct seq_file *m, const struct irqpath_memory *mem)
{
	seq_printf(m, "vms %u\n", mem->vms);
	seq_printf(m, "spares %u\n", mem->spares);
	seq_printf(m, "eventfds %u\n", mem->eventfds);
	seq_printf(m, "bytes %lu\n", mem->bytes);
	seq_printf(m, "vm_bytes %zu\n", mem->vm_bytes);
	seq_printf(m, "vm_cpu_bytes %zu\n", mem->vm_cpu_bytes);
	seq_printf(m, "gsi_cpu_bytes %zu\n", mem->row_bytes);
	seq_printf(m, "cpus %u\n", mem->cpus);
	seq_printf(m, "rows_per_cpu %u\n", mem->rows_per_cpu);
	seq_printf(m, "rows_used %lu\n", mem->rows_used);
	seq_printf(m, "rows_full %llu\n", mem->rows_full);
}

static const char *const irqpath_pi_names[IRQPATH_PI_NR] = {
	"PIN", "NPI", "PIW", "PMN"
};

void irqpath_render_pi_header(struct seq_file *m)
{
	seq_puts(m, "cpu");
	irqpath_render_titles(m, irqpath_pi_names, IRQPATH_PI_NR);
	seq_putc(m, '\n');
}

/* A CPU's row or the total: PMN is the last column. */
void irqpath_render_pi_row(struct seq_file *m, const char *label,
			   const u64 *v, bool has_pmn)
{
	unsigned int i;

	seq_puts(m, label);
	for (i = 0; i < IRQPATH_PI_NR; i++) {
		if (i == IRQPATH_PI_NR - 1 && !has_pmn)
			seq_puts(m, " -");
		else
			seq_printf(m, " %llu", v[i]);
	}
	seq_putc(m, '\n');
}

/* `summary`'s tail: a blank line after the table, then a verdict per VM. */
void irqpath_render_verdicts(struct seq_file *m, const struct irqpath_verdict *v,
			     unsigned int nr)
{
	unsigned int i;

	seq_putc(m, '\n');
	for (i = 0; i < nr; i++)
		irqpath_render_verdict(m, &v[i]);
}

/* A switch (`latency`) reads "0" or "1". */
void irqpath_render_switch(struct seq_file *m, bool on)
{
	seq_printf(m, "%d\n", on);
}

/* A switch (`latency`) takes "0" or "1", with or without a newline: 0 or 1. */
int irqpath_parse_switch(const char *buf, size_t len)
{
	if (len == 2 && buf[1] != '\n')
		return -EINVAL;
	if (len < 1 || len > 2 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	return buf[0] - '0';
}

/* `reset` takes "1", with or without a newline; nothing else. */
int irqpath_parse_reset(const char *buf, size_t len)
{
	return irqpath_parse_switch(buf, len) == 1 ? 0 : -EINVAL;
}
