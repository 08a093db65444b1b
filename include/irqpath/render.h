/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text of the debugfs files and parsing of the control file. Formats are
 * a contract: scripts parse them, README.md shows them.
 */
#ifndef _IRQPATH_RENDER_H
#define _IRQPATH_RENDER_H

#include <linux/seq_file.h>

#include "irqpath/registry.h"

void irqpath_render_stats(struct seq_file *m, const struct irqpath_counts *val);
void irqpath_render_gsi(struct seq_file *m, const struct irqpath_vm *vm,
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
void irqpath_render_verdict(struct seq_file *m, const struct irqpath_counts *val,
			    unsigned int producers, unsigned int posted);
void irqpath_render_producers(struct seq_file *m,
			      const struct irqpath_producer *prods,
			      unsigned int n);
void irqpath_render_owners(struct seq_file *m, const struct irqpath_vm *vm,
			   const struct irqpath_counts *val);
void irqpath_render_probe(struct seq_file *m, const char *name,
			  const char *symbol, const char *state, u64 hits,
			  const char *via, const char *proto,
			  const char *layout);
int irqpath_parse_reset(const char *buf, size_t len);

#endif /* _IRQPATH_RENDER_H */
