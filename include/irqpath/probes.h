/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probe registry: a table of hooks, each naming its module, the symbols
 * it may have on this kernel (first found wins) and its handlers.
 */
#ifndef _IRQPATH_PROBES_H
#define _IRQPATH_PROBES_H

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>

enum irqpath_probe_state {
	IRQPATH_PROBE_MISSING,	/* no candidate symbol is loaded */
	IRQPATH_PROBE_ATTACHED,
	IRQPATH_PROBE_GONE,	/* its module unloaded; back when it reloads */
};

struct irqpath_probe {
	const char *name;
	const char *module;		/* NULL for vmlinux */
	const char *const *symbols;	/* NULL-terminated, tried in order */
	kprobe_pre_handler_t pre;	/* an entry kprobe, or ... */
	kretprobe_handler_t entry;	/* ... a return probe when ret is set */
	kretprobe_handler_t ret;
	size_t data_size;
	void *tp_func;			/* a tracepoint of module, symbols[0] */

	/* Below: runtime state, under irqpath_probe_mutex. */
	enum irqpath_probe_state state;
	int sym_idx;			/* index of the attached symbol */
	char target[MODULE_NAME_LEN + KSYM_NAME_LEN + 2];
	struct kprobe kp;
	struct kretprobe krp;
	struct tracepoint *tp;
	u64 __percpu *hits;
	unsigned long missed;		/* of earlier registrations */
	u64 hits_base;			/* reset, under irqpath_read_lock */
	unsigned long missed_base;
};

extern struct irqpath_probe irqpath_probes[];
extern const unsigned int irqpath_nr_probes;

int irqpath_probes_init(void);
void irqpath_probes_exit(void);

const char *irqpath_probe_state_name(enum irqpath_probe_state state);
const char *irqpath_probe_symbol(const struct irqpath_probe *p);
u64 irqpath_probe_hits(const struct irqpath_probe *p);
unsigned long irqpath_probe_missed(const struct irqpath_probe *p);
void irqpath_probes_reset(void);

static inline struct irqpath_probe *irqpath_kprobe(struct kprobe *kp)
{
	return container_of(kp, struct irqpath_probe, kp);
}

static inline struct irqpath_probe *
irqpath_kretprobe(struct kretprobe_instance *ri)
{
	return container_of(get_kretprobe(ri), struct irqpath_probe, krp);
}

static inline void irqpath_hit(struct irqpath_probe *p)
{
	this_cpu_inc(*p->hits);
}

#endif /* _IRQPATH_PROBES_H */
