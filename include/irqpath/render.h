/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text of the debugfs files and parsing of the control file. Formats are
 * a contract: scripts parse them, README.md shows them.
 */
#ifndef _IRQPATH_RENDER_H
#define _IRQPATH_RENDER_H

#include <linux/seq_file.h>

#include "irqpath/registry.h"
#include "irqpath/route.h"

void irqpath_render_stats(struct seq_file *m, const struct irqpath_counts *val);
void irqpath_render_gsi(struct seq_file *m, const struct irqpath_vm *vm,
			const struct irqpath_counts *val,
			const struct irqpath_gsi_routes *routes);
void irqpath_render_signallers(struct seq_file *m, const struct irqpath_vm *vm,
			       const struct irqpath_counts *val);
void irqpath_render_latency(struct seq_file *m,
			    const struct irqpath_counts *val);
void irqpath_render_vcpus(struct seq_file *m, const struct irqpath_vm *vm,
			  const struct irqpath_counts *val);
void irqpath_render_info(struct seq_file *m, const struct irqpath_vm *vm,
			 const char *comm);
void irqpath_render_summary_header(struct seq_file *m);
void irqpath_render_summary_row(struct seq_file *m, const char *name,
				const char *pid, const char *comm,
				const struct irqpath_counts *val,
				unsigned int producers, unsigned int posted);
/*
 * What a VM's verdict is drawn from, kept from the snapshot its `summary`
 * row came from: the verdicts follow the table without a second read.
 */
struct irqpath_verdict {
	char name[IRQPATH_NAME_LEN];
	u64 msi, user, irqfd;
	unsigned int producers, posted;
};

void irqpath_verdict_keep(struct irqpath_verdict *v, const char *name,
			  const struct irqpath_counts *val,
			  unsigned int producers, unsigned int posted);
void irqpath_render_verdict(struct seq_file *m, const struct irqpath_verdict *v);
void irqpath_render_verdicts(struct seq_file *m, const struct irqpath_verdict *v,
			     unsigned int nr);
void irqpath_render_switch(struct seq_file *m, bool on);
void irqpath_render_producers(struct seq_file *m,
			      const struct irqpath_producer *prods,
			      unsigned int n);
void irqpath_render_owners(struct seq_file *m, const struct irqpath_vm *vm,
			   const struct irqpath_counts *val);
void irqpath_render_probe(struct seq_file *m, const char *name,
			  const char *symbol, const char *state, u64 hits,
			  const char *via, const char *proto,
			  const char *layout);

/* The module's own records, for `memory`. */
struct irqpath_memory {
	unsigned int vms, spares, eventfds, cpus, rows_per_cpu;
	unsigned long bytes, rows_used;
	size_t vm_bytes, vm_cpu_bytes, row_bytes;
	u64 rows_full;
};

void irqpath_render_memory(struct seq_file *m, const struct irqpath_memory *mem);
void irqpath_render_vm_stats(struct seq_file *m,
			     const struct irqpath_counts *val,
			     unsigned int producers);
void irqpath_render_unattributed(struct seq_file *m, const struct irqpath_vm *vm,
				 const struct irqpath_counts *val,
				 unsigned long missed, unsigned long failures);

/* `pi_ipis`: PIN, NPI, PIW, PMN; PMN shown as "-" where the kernel has none. */
#define IRQPATH_PI_NR	4
void irqpath_render_pi_header(struct seq_file *m);
void irqpath_render_pi_row(struct seq_file *m, const char *label,
			   const u64 *v, bool has_pmn);

/* A switch: exactly "0" or "1", a newline after it allowed; or -EINVAL. */
int irqpath_parse_switch(const char *buf, size_t len);
int irqpath_parse_reset(const char *buf, size_t len);

#endif /* _IRQPATH_RENDER_H */
