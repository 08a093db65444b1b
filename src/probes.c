// SPDX-License-Identifier: GPL-2.0
/*
 * Attach and detach the probe table. KVM may load after us and unload while
 * we run, so probes on module symbols follow their module through a module
 * notifier, as the kernel's trace_kprobe does: we never link against KVM,
 * which would pin it and forbid loading before it.
 *
 * Entry hooks are ftrace callbacks of their own ftrace_ops: ftrace then
 * calls each through a trampoline of its own, without the kprobe layer's
 * full register save and lookup (an entry kprobe rides ftrace anyway).
 * The hottest ones, in KVM, are called straight from the call site when
 * no one else (a BPF trampoline) holds its direct call: see
 * IRQPATH_FENTRY_DIRECT. Return hooks are kretprobes, tracepoints are
 * tracepoint probes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "irqpath/probes.h"
#include "irqpath/registry.h"

static DEFINE_MUTEX(irqpath_probe_mutex);

static bool direct = true;
module_param(direct, bool, 0444);
MODULE_PARM_DESC(direct, "Attach the hottest entry hooks as ftrace direct calls where free (default on)");

#if defined(CONFIG_X86_64) && defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
/* The direct-call stubs (IRQPATH_FENTRY_DIRECT) build this frame in asm. */
static_assert(sizeof(struct pt_regs) == 168);
static_assert(offsetof(struct pt_regs, r9) == 64);
static_assert(offsetof(struct pt_regs, r8) == 72);
static_assert(offsetof(struct pt_regs, cx) == 88);
static_assert(offsetof(struct pt_regs, dx) == 96);
static_assert(offsetof(struct pt_regs, si) == 104);
static_assert(offsetof(struct pt_regs, di) == 112);
#endif

/* Up to 6.4 the ftrace_ops form of the API had _multi in its names. */
static int irqpath_direct_register(struct ftrace_ops *ops, void (*stub)(void))
{
#if !defined(CONFIG_X86_64) || !defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
	return -ENODEV;
#elif defined(IRQPATH_FTRACE_DIRECT_MULTI)
	return register_ftrace_direct_multi(ops, (unsigned long)stub);
#else
	return register_ftrace_direct(ops, (unsigned long)stub);
#endif
}

static void irqpath_direct_unregister(struct ftrace_ops *ops,
				      void (*stub)(void))
{
#if !defined(CONFIG_X86_64) || !defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
	WARN_ON_ONCE(1);	/* never registered */
#elif defined(IRQPATH_FTRACE_DIRECT_MULTI)
	unregister_ftrace_direct_multi(ops, (unsigned long)stub);
#else
	unregister_ftrace_direct(ops, (unsigned long)stub, false);
#endif
}

static const char *const irqpath_state_names[] = {
	[IRQPATH_PROBE_MISSING]		= "missing",
	[IRQPATH_PROBE_ATTACHED]	= "attached",
	[IRQPATH_PROBE_GONE]		= "gone",
};

const char *irqpath_probe_state_name(enum irqpath_probe_state state)
{
	return irqpath_state_names[state];
}

/* The symbol a probe is (or was, when gone) attached to, "-" if none. */
const char *irqpath_probe_symbol(const struct irqpath_probe *p)
{
	if (p->state == IRQPATH_PROBE_MISSING)
		return "-";
	return p->symbols[p->sym_idx];
}

/* How an attached probe is hooked in, "-" if it is not. */
const char *irqpath_probe_via(const struct irqpath_probe *p)
{
	if (READ_ONCE(p->state) != IRQPATH_PROBE_ATTACHED)
		return "-";
	if (p->tp_func)
		return "tracepoint";
	if (p->ret)
		return "kretprobe";
	return READ_ONCE(p->is_direct) ? "direct" : "ftrace";
}

u64 irqpath_probe_hits(const struct irqpath_probe *p)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(p->hits, cpu));
	return sum;
}

/*
 * Hits the kprobe layer dropped: another kprobe was running on that CPU.
 * Only return probes can miss; ftrace calls every entry hook.
 */
unsigned long irqpath_probe_missed(const struct irqpath_probe *p)
{
	unsigned long missed = READ_ONCE(p->missed);

	if (READ_ONCE(p->state) == IRQPATH_PROBE_ATTACHED && p->ret)
		missed += READ_ONCE(p->krp.nmissed) +
			  READ_ONCE(p->krp.kp.nmissed);
	return missed;
}

void irqpath_probes_reset(void)
{
	unsigned int i;

	spin_lock(&irqpath_read_lock);
	for (i = 0; i < irqpath_nr_probes; i++) {
		irqpath_probes[i].hits_base = irqpath_probe_hits(&irqpath_probes[i]);
		irqpath_probes[i].missed_base =
			irqpath_probe_missed(&irqpath_probes[i]);
	}
	spin_unlock(&irqpath_read_lock);
}

/*
 * The filter names the function alone: ftrace matches it in every loaded
 * module, and none of our symbols has a namesake elsewhere.
 */
static int irqpath_set_filter(struct irqpath_probe *p, const char *sym)
{
	int ret;

	memset(&p->ops, 0, sizeof(p->ops));
	strscpy(p->target, sym, sizeof(p->target));
	ret = ftrace_set_filter(&p->ops, p->target, strlen(p->target), 1);
	if (ret) {
		ftrace_free_filter(&p->ops);
		/* no such traceable function (yet) */
		return ret == -EINVAL ? -ENOENT : ret;
	}
	return 0;
}

/*
 * A function has one direct call at most: while a BPF trampoline holds it
 * (-EBUSY), the hook is an ftrace callback like the others, at the cost of
 * the ftrace trampoline. (Conversely, BPF fentry/fexit programs cannot
 * attach to a function we hold: load with direct=0 to leave them all.)
 */
static int irqpath_register_fentry(struct irqpath_probe *p, const char *sym)
{
	int ret;

	ret = irqpath_set_filter(p, sym);
	if (ret)
		return ret;
	WRITE_ONCE(p->is_direct, false);
	if (p->direct && direct) {
		ret = irqpath_direct_register(&p->ops, p->direct);
		if (!ret) {
			WRITE_ONCE(p->is_direct, true);
			return 0;
		}
		/* -ENODEV: this kernel has no direct calls */
		if (ret != -EBUSY && ret != -ENODEV)
			pr_warn("direct call on %s failed: %d, using ftrace\n",
				sym, ret);
		ftrace_free_filter(&p->ops);
		ret = irqpath_set_filter(p, sym);
		if (ret)
			return ret;
	}
	p->ops.func = p->fentry;
	ret = register_ftrace_function(&p->ops);
	if (ret)
		ftrace_free_filter(&p->ops);
	return ret;
}

static int irqpath_register(struct irqpath_probe *p, const char *sym)
{
	if (!p->ret)
		return irqpath_register_fentry(p, sym);

	if (p->module)
		snprintf(p->target, sizeof(p->target), "%s:%s", p->module, sym);
	else
		strscpy(p->target, sym, sizeof(p->target));
	memset(&p->krp, 0, sizeof(p->krp));
	p->krp.kp.symbol_name = p->target;
	p->krp.entry_handler = p->entry;
	p->krp.handler = p->ret;
	p->krp.data_size = p->data_size;
	return register_kretprobe(&p->krp);
}

/* A symbol that is absent is normal; any other failure is reported. */
static void irqpath_attach(struct irqpath_probe *p)
{
	const char *sym;
	int i, ret;

	lockdep_assert_held(&irqpath_probe_mutex);
	if (p->state == IRQPATH_PROBE_ATTACHED || p->tp_func)
		return;

	for (i = 0; (sym = p->symbols[i]); i++) {
		ret = irqpath_register(p, sym);
		if (!ret) {
			p->sym_idx = i;
			WRITE_ONCE(p->state, IRQPATH_PROBE_ATTACHED);
			return;
		}
		if (ret != -ENOENT)
			pr_err("register probe %s on %s failed: %d\n",
			       p->name, sym, ret);
	}
}

static void irqpath_detach(struct irqpath_probe *p,
			   enum irqpath_probe_state state)
{
	lockdep_assert_held(&irqpath_probe_mutex);
	if (p->state != IRQPATH_PROBE_ATTACHED)
		return;
	/* unregister waits until no handler of this probe runs. */
	if (p->tp_func) {
		tracepoint_probe_unregister(p->tp, p->tp_func, p);
		tracepoint_synchronize_unregister();
	} else if (p->ret) {
		unregister_kretprobe(&p->krp);
		p->missed += p->krp.nmissed + p->krp.kp.nmissed;
	} else {
		if (p->is_direct)
			irqpath_direct_unregister(&p->ops, p->direct);
		else
			unregister_ftrace_function(&p->ops);
		ftrace_free_filter(&p->ops);
	}
	WRITE_ONCE(p->state, state);
}

static int irqpath_module_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct module *mod = data;
	unsigned int i;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	mutex_lock(&irqpath_probe_mutex);
	for (i = 0; i < irqpath_nr_probes; i++) {
		struct irqpath_probe *p = &irqpath_probes[i];

		if (!p->module || strcmp(p->module, mod->name) || p->tp_func)
			continue;
		if (action == MODULE_STATE_COMING)
			irqpath_attach(p);
		else
			irqpath_detach(p, IRQPATH_PROBE_GONE);
	}
	mutex_unlock(&irqpath_probe_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block irqpath_module_nb = {
	.notifier_call = irqpath_module_notify,
};

static struct tracepoint *irqpath_find_tp(struct module *mod, const char *name)
{
	unsigned int i;

	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp = tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		if (!strcmp(tp->name, name))
			return tp;
	}
	return NULL;
}

static void irqpath_attach_tp(struct irqpath_probe *p, struct module *mod)
{
	struct tracepoint *tp;
	int ret;

	lockdep_assert_held(&irqpath_probe_mutex);
	if (p->state == IRQPATH_PROBE_ATTACHED)
		return;
	tp = irqpath_find_tp(mod, p->symbols[0]);
	if (!tp)
		return;
	ret = tracepoint_probe_register(tp, p->tp_func, p);
	if (ret) {
		pr_err("register tracepoint %s failed: %d\n", p->symbols[0], ret);
		return;
	}
	p->tp = tp;
	p->sym_idx = 0;
	WRITE_ONCE(p->state, IRQPATH_PROBE_ATTACHED);
}

/*
 * Tracepoints of modules: registering replays COMING for the loaded ones.
 * GOING comes before the tracepoint core checks that nothing is attached.
 */
static int irqpath_tp_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct tp_module *tp_mod = data;
	unsigned int i;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	mutex_lock(&irqpath_probe_mutex);
	for (i = 0; i < irqpath_nr_probes; i++) {
		struct irqpath_probe *p = &irqpath_probes[i];

		if (!p->tp_func || strcmp(p->module, tp_mod->mod->name))
			continue;
		if (action == MODULE_STATE_COMING)
			irqpath_attach_tp(p, tp_mod->mod);
		else
			irqpath_detach(p, IRQPATH_PROBE_GONE);
	}
	mutex_unlock(&irqpath_probe_mutex);
	return NOTIFY_OK;
}

static struct notifier_block irqpath_tp_nb = {
	.notifier_call = irqpath_tp_notify,
};

static void irqpath_free_hits(void)
{
	unsigned int i;

	for (i = 0; i < irqpath_nr_probes; i++) {
		free_percpu(irqpath_probes[i].hits);
		irqpath_probes[i].hits = NULL;
	}
}

int irqpath_probes_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < irqpath_nr_probes; i++) {
		irqpath_probes[i].hits = alloc_percpu(u64);
		if (!irqpath_probes[i].hits) {
			ret = -ENOMEM;
			goto out_free;
		}
		irqpath_probes[i].state = IRQPATH_PROBE_MISSING;
		irqpath_probes[i].missed = 0;
		irqpath_probes[i].hits_base = 0;
		irqpath_probes[i].missed_base = 0;
	}

	/*
	 * The notifier goes first and outside our mutex: a module that comes
	 * meanwhile is attached by whichever of the two runs first.
	 */
	ret = register_module_notifier(&irqpath_module_nb);
	if (ret) {
		pr_err("register_module_notifier failed: %d\n", ret);
		goto out_free;
	}
	ret = register_tracepoint_module_notifier(&irqpath_tp_nb);
	if (ret) {
		pr_err("register_tracepoint_module_notifier failed: %d\n", ret);
		goto out_module_nb;
	}
	mutex_lock(&irqpath_probe_mutex);
	for (i = 0; i < irqpath_nr_probes; i++)
		irqpath_attach(&irqpath_probes[i]);
	mutex_unlock(&irqpath_probe_mutex);
	return 0;

out_module_nb:
	unregister_module_notifier(&irqpath_module_nb);
out_free:
	irqpath_free_hits();
	return ret;
}

void irqpath_probes_exit(void)
{
	unsigned int i;

	unregister_tracepoint_module_notifier(&irqpath_tp_nb);
	unregister_module_notifier(&irqpath_module_nb);
	mutex_lock(&irqpath_probe_mutex);
	for (i = 0; i < irqpath_nr_probes; i++)
		irqpath_detach(&irqpath_probes[i], IRQPATH_PROBE_MISSING);
	mutex_unlock(&irqpath_probe_mutex);
	irqpath_free_hits();
}
