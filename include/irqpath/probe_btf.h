/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel's BTF says of a probe's target, asked by probes.c before
 * it attaches a symbol; src/probe_btf.c.
 */
#ifndef _IRQPATH_PROBE_BTF_H
#define _IRQPATH_PROBE_BTF_H

#include "irqpath/probes.h"

/* The BTF one round of attaching reads, each module's once. */
struct irqpath_btf_set;

struct irqpath_btf_set *irqpath_btf_set_new(void);
void irqpath_btf_set_free(struct irqpath_btf_set *set);

enum irqpath_proto_state irqpath_proto_check(struct irqpath_probe *p, int i,
					     struct irqpath_btf_set *set);
enum irqpath_layout_state
irqpath_layout_resolve(struct irqpath_probe *p, struct irqpath_btf_set *set);
void irqpath_fields_forget(struct irqpath_probe *p);

#endif /* _IRQPATH_PROBE_BTF_H */
