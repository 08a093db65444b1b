/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probe registry: a table of hooks, each naming its module, the symbols
 * it may have on this kernel (first found wins) and its handlers.
 */
#ifndef _IRQPATH_PROBES_H
#define _IRQPATH_PROBES_H

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>

/*
 * An entry hook reads its arguments from ftrace's saved registers: 6.12
 * has an accessor; 6.1's struct ftrace_regs is a struct pt_regs.
 */
#ifdef ftrace_regs_get_argument
#define irqpath_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define irqpath_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

enum irqpath_probe_state {
	IRQPATH_PROBE_MISSING,	/* no candidate symbol is loaded */
	IRQPATH_PROBE_ATTACHED,
	IRQPATH_PROBE_GONE,	/* its module unloaded; back when it reloads */
};

struct irqpath_probe {
	const char *name;
	const char *module;		/* NULL for vmlinux */
	const char *const *symbols;	/* NULL-terminated, tried in order */
	ftrace_func_t fentry;		/* an ftrace entry hook, or ... */
	kretprobe_handler_t entry;	/* ... a return probe when ret is set */
	kretprobe_handler_t ret;
	size_t data_size;
	void *tp_func;			/* a tracepoint of module, symbols[0] */

	/* Below: runtime state, under irqpath_probe_mutex. */
	enum irqpath_probe_state state;
	int sym_idx;			/* index of the attached symbol */
	char target[MODULE_NAME_LEN + KSYM_NAME_LEN + 2];
	struct ftrace_ops ops;
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

static inline struct irqpath_probe *irqpath_fprobe(struct ftrace_ops *ops)
{
	return container_of(ops, struct irqpath_probe, ops);
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

/*
 * Defines the ftrace callback name(), which counts the hit and runs the
 * body below it with preemption off, as a kprobe handler would run: ftrace
 * calls entry hooks as they come. One callback per hook, so the hot path
 * has no indirect call.
 */
#define IRQPATH_FENTRY(name)						\
	static void name##_body(struct irqpath_probe *p,		\
				struct ftrace_regs *fregs);		\
	void name(unsigned long ip, unsigned long parent_ip,		\
		  struct ftrace_ops *op, struct ftrace_regs *fregs)	\
	{								\
		preempt_disable_notrace();				\
		irqpath_hit(irqpath_fprobe(op));			\
		name##_body(irqpath_fprobe(op), fregs);			\
		preempt_enable_notrace();				\
	}								\
	static void name##_body(struct irqpath_probe *p,		\
				struct ftrace_regs *fregs)

#define IRQPATH_FENTRY_DECL(name)					\
	void name(unsigned long ip, unsigned long parent_ip,		\
		  struct ftrace_ops *op, struct ftrace_regs *fregs)

#endif /* _IRQPATH_PROBES_H */
