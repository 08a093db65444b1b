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
 * tracepoint probes. Each symbol is held against the kernel's BTF
 * before it is attached: probe_btf.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "irqpath/ftrace_direct.h"
#include "irqpath/latency.h"
#include "irqpath/probe_btf.h"
#include "irqpath/probes.h"
#include "irqpath/registry.h"

static DEFINE_MUTEX(irqpath_probe_mutex);
static bool irqpath_probes_stopping;	/* under the mutex */
static bool irqpath_probes_demand;	/* on-demand probes wanted, same */

/*
 * Off by default: a function has one direct call, and holding it keeps BPF
 * fentry/fexit programs off the function. The gain was 90 ns an interrupt
 * on 6.1 and none on 6.12 (README, Performance).
 */
static bool direct;
module_param(direct, bool, 0444);
MODULE_PARM_DESC(direct, "Attach the hottest entry hooks as ftrace direct calls where free; BPF fentry/fexit can't attach to those then (default off)");

#if defined(CONFIG_X86_64) && defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
/* The direct-call stubs (IRQPATH_FENTRY_DIRECT) build this frame in asm. */
static_assert(sizeof(struct pt_regs) == 168);
static_assert(offsetof(struct pt_regs, r9) == 64);
static_assert(offsetof(struct pt_regs, r8) == 72);
static_assert(offsetof(struct pt_regs, cx) == 88);
static_assert(offsetof(struct pt_regs, dx) == 96);
static_assert(offsetof(struct pt_regs, si) == 104);
static_assert(offsetof(struct pt_regs, di) == 112);
static_assert(offsetof(struct pt_regs, ip) == 128);
static_assert(offsetof(struct pt_regs, cs) == 136);
static_assert(offsetof(struct pt_regs, flags) == 144);
static_assert(offsetof(struct pt_regs, sp) == 152);
#endif

static const char *const irqpath_state_names[] = {
	[IRQPATH_PROBE_MISSING]		= "missing",
	[IRQPATH_PROBE_ATTACHED]	= "attached",
	[IRQPATH_PROBE_GONE]		= "gone",
	[IRQPATH_PROBE_MISMATCH]	= "mismatch",
	[IRQPATH_PROBE_UNCHECKED]	= "unchecked",
	[IRQPATH_PROBE_STANDBY]		= "standby",
};

/*
 * "btf": the kernel's BTF has the prototype the hook reads; "header": the
 * hook checked the kernel's headers at build time; "no-btf": attached, but
 * this kernel does not describe the function.
 */
const char *irqpath_probe_proto_name(const struct irqpath_probe *p)
{
	switch (READ_ONCE(p->proto)) {
	case IRQPATH_PROTO_OK:
		return "btf";
	case IRQPATH_PROTO_MISMATCH:
		return "mismatch";
	case IRQPATH_PROTO_NO_BTF:
		return "no-btf";
	case IRQPATH_PROTO_NONE:
		break;
	}
	if (READ_ONCE(p->state) == IRQPATH_PROBE_ATTACHED && !p->protos)
		return "header";
	return "-";
}

/*
 * "btf": every private field the hook reads was found in the module's BTF;
 * "missing": not all were, and the hook counts what it can without them.
 */
const char *irqpath_probe_layout_name(const struct irqpath_probe *p)
{
	switch (READ_ONCE(p->layout)) {
	case IRQPATH_LAYOUT_OK:
		return "btf";
	case IRQPATH_LAYOUT_MISSING:
		return "missing";
	case IRQPATH_LAYOUT_NONE:
		break;
	}
	return "-";
}

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
	if (p->tp_funcs)
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
 * Only return probes can miss; ftrace calls every entry hook. Under the
 * mutex: a module's coming re-registers (and clears) the kretprobe.
 */
static unsigned long irqpath_probe_missed(const struct irqpath_probe *p)
{
	unsigned long missed = READ_ONCE(p->missed);

	if (READ_ONCE(p->state) == IRQPATH_PROBE_ATTACHED && p->ret)
		missed += READ_ONCE(p->krp.nmissed) +
			  READ_ONCE(p->krp.kp.nmissed);
	return missed;
}

/*
 * The first VM record made while vm_destroy has been attached: a record
 * from then on is retired before its struct kvm is freed. U64_MAX: none.
 */
static u64 irqpath_destroy_from = U64_MAX;

/* The struct kvm of the VM numbered seq is live while its record is. */
bool irqpath_probes_vm_tracked(u64 seq)
{
	return seq >= READ_ONCE(irqpath_destroy_from);
}

/* Hits dropped since the last reset, of every probe. */
unsigned long irqpath_probes_missed(void)
{
	unsigned long missed = 0;
	unsigned int i;

	mutex_lock(&irqpath_probe_mutex);
	spin_lock(&irqpath_read_lock);
	for (i = 0; i < irqpath_nr_probes; i++)
		missed += irqpath_probe_missed(&irqpath_probes[i]) -
			  irqpath_probes[i].missed_base;
	spin_unlock(&irqpath_read_lock);
	mutex_unlock(&irqpath_probe_mutex);
	return missed;
}

void irqpath_probes_reset(void)
{
	unsigned int i;

	mutex_lock(&irqpath_probe_mutex);
	spin_lock(&irqpath_read_lock);
	for (i = 0; i < irqpath_nr_probes; i++) {
		irqpath_probes[i].hits_base = irqpath_probe_hits(&irqpath_probes[i]);
		irqpath_probes[i].missed_base =
			irqpath_probe_missed(&irqpath_probes[i]);
	}
	spin_unlock(&irqpath_read_lock);
	mutex_unlock(&irqpath_probe_mutex);
}

/* Size of the function at addr, from "sym+0x0/0x<size> [mod]"; 0 if unknown. */
static unsigned long irqpath_func_size(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size;
	const char *s;

	sprint_symbol(buf, addr);
	s = strchr(buf, '/');
	if (!s || sscanf(s + 1, "%lx", &size) != 1)
		return 0;
	return size;
}

/*
 * Where module:sym is, by the kprobes' own lookup (kallsyms is not
 * exported): a disabled kprobe is resolved and never armed. 0 if absent.
 */
static unsigned long irqpath_lookup(const char *target)
{
	struct kprobe kp = {
		.symbol_name = target,
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long addr;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return addr;
}

/* A probe's target: "module:symbol", or the symbol alone in vmlinux. */
static void irqpath_set_target(struct irqpath_probe *p, const char *sym)
{
	if (p->module)
		snprintf(p->target, sizeof(p->target), "%s:%s", p->module, sym);
	else
		strscpy(p->target, sym, sizeof(p->target));
}

/*
 * A filter by name would match the name in every module: since 6.7
 * xen-privcmd has an irqfd_wakeup and an irqfd_inject of its own. A probe
 * of a module filters on the address of its module's function (addr);
 * one in vmlinux (addr 0) by name.
 */
static int irqpath_set_filter(struct irqpath_probe *p, unsigned long addr)
{
	int ret;

	memset(&p->ops, 0, sizeof(p->ops));
	if (addr)
		ret = ftrace_set_filter_ip(&p->ops, addr, 0, 1);
	else
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
	unsigned long addr = 0;
	int ret;

	irqpath_set_target(p, sym);
	if (p->module) {
		addr = irqpath_lookup(p->target);
		if (!addr)
			return -ENOENT;
	}
	ret = irqpath_set_filter(p, addr);
	if (ret)
		return ret;
	/* the size first: a reader sees the old range, or none, or this one */
	WRITE_ONCE(p->size, 0);
	WRITE_ONCE(p->addr, addr);
	WRITE_ONCE(p->size, addr ? irqpath_func_size(addr) : 0);
	WRITE_ONCE(p->is_direct, false);
	if (p->direct && direct) {
		ret = irqpath_direct_register(&p->ops, (unsigned long)p->direct);
		if (!ret) {
			WRITE_ONCE(p->is_direct, true);
			return 0;
		}
		/* -ENODEV: this kernel has no direct calls */
		if (ret != -EBUSY && ret != -ENODEV)
			pr_warn("direct call on %s failed: %d, using ftrace\n",
				sym, ret);
		ftrace_free_filter(&p->ops);
		ret = irqpath_set_filter(p, addr);
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

	irqpath_set_target(p, sym);
	memset(&p->krp, 0, sizeof(p->krp));
	p->krp.kp.symbol_name = p->target;
	p->krp.entry_handler = p->entry;
	p->krp.handler = p->ret;
	p->krp.data_size = p->data_size;
	return register_kretprobe(&p->krp);
}

/*
 * A symbol that is absent is normal; any other failure is reported. A
 * symbol whose prototype BTF shows the hook can't read is never attached.
 */
static void irqpath_attach(struct irqpath_probe *p, struct irqpath_btf_set *set)
{
	enum irqpath_proto_state proto;
	bool mismatch = false;
	const char *sym;
	int i, ret;

	lockdep_assert_held(&irqpath_probe_mutex);
	if (p->state == IRQPATH_PROBE_ATTACHED || p->tp_funcs)
		return;

	for (i = 0; (sym = p->symbols[i]); i++) {
		proto = irqpath_proto_check(p, i, set);
		if (proto == IRQPATH_PROTO_MISMATCH) {
			mismatch = true;
			continue;
		}
		WRITE_ONCE(p->sym_idx, i);
		WRITE_ONCE(p->layout, irqpath_layout_resolve(p, set));
		ret = irqpath_register(p, sym);
		if (!ret) {
			if (p->layout == IRQPATH_LAYOUT_MISSING)
				pr_warn("%s: %s's BTF lacks a field the hook reads: counted without it\n",
					p->name, p->module ?: "vmlinux");
			WRITE_ONCE(p->proto, proto);
			WRITE_ONCE(p->state, IRQPATH_PROBE_ATTACHED);
			if (p == &irqpath_probes[IRQPATH_P_VM_DESTROY])
				WRITE_ONCE(irqpath_destroy_from,
					   irqpath_registry_vm_seq() + 1);
			return;
		}
		WRITE_ONCE(p->layout, IRQPATH_LAYOUT_NONE);
		if (ret != -ENOENT)
			pr_err("register probe %s on %s failed: %d\n",
			       p->name, sym, ret);
	}
	if (mismatch) {
		WRITE_ONCE(p->proto, IRQPATH_PROTO_MISMATCH);
		WRITE_ONCE(p->state, IRQPATH_PROBE_MISMATCH);
	}
}

/* Off its tracepoint; returns once no handler of it runs. */
static int irqpath_tp_unregister(struct irqpath_probe *p)
{
	int ret = tracepoint_probe_unregister(p->tp, p->tp_func, p);

	tracepoint_synchronize_unregister();
	return ret;
}

static void irqpath_detach(struct irqpath_probe *p,
			   enum irqpath_probe_state state)
{
	int ret = 0;

	lockdep_assert_held(&irqpath_probe_mutex);
	if (p->state != IRQPATH_PROBE_ATTACHED &&
	    p->state != IRQPATH_PROBE_STANDBY)
		return;
	/* unregister waits until no handler of this probe runs. */
	if (p->state == IRQPATH_PROBE_STANDBY) {
		p->tp = NULL;		/* found, never registered */
	} else if (p->tp_funcs) {
		ret = irqpath_tp_unregister(p);
		p->tp = NULL;
	} else if (p->ret) {
		unregister_kretprobe(&p->krp);
		p->missed += p->krp.nmissed + p->krp.kp.nmissed;
	} else {
		if (p->is_direct)
			ret = irqpath_direct_unregister(&p->ops,
							(unsigned long)p->direct);
		else
			ret = unregister_ftrace_function(&p->ops);
		/* ftrace may still hold the filter of an ops it failed to drop */
		if (!ret)
			ftrace_free_filter(&p->ops);
	}
	if (ret)
		pr_err("unregister probe %s failed: %d\n", p->name, ret);
	WRITE_ONCE(p->size, 0);
	WRITE_ONCE(p->addr, 0);
	irqpath_fields_forget(p);
	WRITE_ONCE(p->proto, IRQPATH_PROTO_NONE);
	WRITE_ONCE(p->layout, IRQPATH_LAYOUT_NONE);
	WRITE_ONCE(p->state, state);
	if (p == &irqpath_probes[IRQPATH_P_VM_DESTROY])
		WRITE_ONCE(irqpath_destroy_from, U64_MAX);
}

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

/* A probe found on its tracepoint (standby) goes on it. */
static void irqpath_tp_register(struct irqpath_probe *p)
{
	int ret = tracepoint_probe_register(p->tp, p->tp_func, p);

	if (ret) {
		pr_err("register tracepoint %s failed: %d\n",
		       p->symbols[p->sym_idx], ret);
		return;
	}
	WRITE_ONCE(p->state, IRQPATH_PROBE_ATTACHED);
}

/*
 * Hop timing switched: the probes only it needs (kvm_entry, on every VM
 * entry) go on or come off their tracepoints, found already, so a VM's
 * entries cost nothing more while timing is off.
 */
void irqpath_probes_on_demand(bool on)
{
	unsigned int i;
	int ret;

	mutex_lock(&irqpath_probe_mutex);
	irqpath_probes_demand = on;
	for (i = 0; i < irqpath_nr_probes && !irqpath_probes_stopping; i++) {
		struct irqpath_probe *p = &irqpath_probes[i];

		if (!p->on_demand)
			continue;
		if (on && p->state == IRQPATH_PROBE_STANDBY) {
			irqpath_tp_register(p);
		} else if (!on && p->state == IRQPATH_PROBE_ATTACHED) {
			ret = irqpath_tp_unregister(p);
			if (ret)
				pr_err("unregister probe %s failed: %d\n",
				       p->name, ret);
			WRITE_ONCE(p->state, IRQPATH_PROBE_STANDBY);
		}
	}
	mutex_unlock(&irqpath_probe_mutex);
}

/*
 * A tracepoint whose form changed has a probe per form: the one BTF names
 * is attached. Without BTF no form is known, and none is attached.
 */
static void irqpath_attach_tp(struct irqpath_probe *p, struct module *mod,
			      struct irqpath_btf_set *set)
{
	enum irqpath_proto_state proto, seen = IRQPATH_PROTO_NONE;
	struct tracepoint *tp;
	int i;

	lockdep_assert_held(&irqpath_probe_mutex);
	if (p->state == IRQPATH_PROBE_ATTACHED ||
	    p->state == IRQPATH_PROBE_STANDBY)
		return;
	for (i = 0; p->symbols[i]; i++) {
		tp = irqpath_find_tp(mod, p->symbols[i]);
		if (!tp)
			continue;
		proto = irqpath_proto_check(p, i, set);
		if (proto != IRQPATH_PROTO_OK) {
			seen = max(seen, proto);
			continue;
		}
		p->tp = tp;
		p->tp_func = p->tp_funcs[i];
		WRITE_ONCE(p->sym_idx, i);
		WRITE_ONCE(p->proto, proto);
		WRITE_ONCE(p->state, IRQPATH_PROBE_STANDBY);
		if (!p->on_demand || irqpath_probes_demand)
			irqpath_tp_register(p);
		return;
	}
	if (seen == IRQPATH_PROTO_NONE)
		return;
	WRITE_ONCE(p->proto, seen);
	WRITE_ONCE(p->state, seen == IRQPATH_PROTO_MISMATCH ?
		   IRQPATH_PROBE_MISMATCH : IRQPATH_PROBE_UNCHECKED);
}

/*
 * A module comes or goes: attach or detach the probes on it, those on its
 * tracepoints (tps, from the tracepoint notifier) or the others.
 */
static void irqpath_module_event(struct module *mod, unsigned long action,
				 bool tps)
{
	struct irqpath_btf_set *set = NULL;
	unsigned int i;

	mutex_lock(&irqpath_probe_mutex);
	for (i = 0; i < irqpath_nr_probes && !irqpath_probes_stopping; i++) {
		struct irqpath_probe *p = &irqpath_probes[i];

		if (!p->module || strcmp(p->module, mod->name) ||
		    !p->tp_funcs != !tps)
			continue;
		if (action == MODULE_STATE_GOING) {
			irqpath_detach(p, IRQPATH_PROBE_GONE);
			continue;
		}
		if (!set)
			set = irqpath_btf_set_new();
		if (tps)
			irqpath_attach_tp(p, mod, set);
		else
			irqpath_attach(p, set);
	}
	mutex_unlock(&irqpath_probe_mutex);
	irqpath_btf_set_free(set);
}

static int irqpath_module_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	if (action == MODULE_STATE_COMING || action == MODULE_STATE_GOING)
		irqpath_module_event(data, action, false);
	return NOTIFY_DONE;
}

static struct notifier_block irqpath_module_nb = {
	.notifier_call = irqpath_module_notify,
};

/*
 * Tracepoints of modules: registering replays COMING for the loaded ones.
 * GOING comes before the tracepoint core checks that nothing is attached.
 */
static int irqpath_tp_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct tp_module *tp_mod = data;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	irqpath_module_event(tp_mod->mod, action, true);
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
	struct irqpath_btf_set *set;
	unsigned int i;
	int ret;

	for (i = 0; i < irqpath_nr_probes; i++) {
		irqpath_probes[i].hits = alloc_percpu(u64);
		if (!irqpath_probes[i].hits) {
			ret = -ENOMEM;
			goto out_free;
		}
		irqpath_probes[i].state = IRQPATH_PROBE_MISSING;
		irqpath_probes[i].proto = IRQPATH_PROTO_NONE;
		irqpath_probes[i].layout = IRQPATH_LAYOUT_NONE;
		irqpath_fields_forget(&irqpath_probes[i]);
		irqpath_probes[i].missed = 0;
		irqpath_probes[i].hits_base = 0;
		irqpath_probes[i].missed_base = 0;
	}

	/*
	 * The notifier goes first and outside our mutex: a module that comes
	 * meanwhile is attached by whichever of the two runs first.
	 */
	irqpath_probes_stopping = false;
	mutex_lock(&irqpath_probe_mutex);
	irqpath_probes_demand = irqpath_latency_wanted();
	mutex_unlock(&irqpath_probe_mutex);
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
	set = irqpath_btf_set_new();
	mutex_lock(&irqpath_probe_mutex);
	for (i = 0; i < irqpath_nr_probes; i++)
		irqpath_attach(&irqpath_probes[i], set);
	mutex_unlock(&irqpath_probe_mutex);
	irqpath_btf_set_free(set);
	return 0;

out_module_nb:
	unregister_module_notifier(&irqpath_module_nb);
out_free:
	irqpath_free_hits();
	return ret;
}

/*
 * Detach first, under the mutex, and only then drop the notifiers: were
 * they dropped first, a KVM module going meanwhile would leave a probe on
 * its freed tracepoint. Once stopping, the notifiers attach nothing.
 */
void irqpath_probes_exit(void)
{
	unsigned int i;

	mutex_lock(&irqpath_probe_mutex);
	irqpath_probes_stopping = true;
	for (i = 0; i < irqpath_nr_probes; i++)
		irqpath_detach(&irqpath_probes[i], IRQPATH_PROBE_MISSING);
	mutex_unlock(&irqpath_probe_mutex);
	unregister_tracepoint_module_notifier(&irqpath_tp_nb);
	unregister_module_notifier(&irqpath_module_nb);
	irqpath_free_hits();
}
