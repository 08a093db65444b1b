// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: the floors of `make bench` (tests/harness/bench.sh). Never part
 * of kvm_irqpath.ko; kvm and kvm_amd must be loaded first.
 *
 * ftrace=0 (floor): three entry kprobes on the hot irqfd path, each handler
 * one this_cpu_inc of its own per-CPU counter: what any design that keeps
 * three kprobes on every interrupt costs at least.
 *
 * ftrace=1 (ftrace_floor): the two functions kvm_irqpath hooks on a
 * fast-path irqfd interrupt get an ftrace_ops each, set up as kvm_irqpath
 * sets up its own (module data, no flags, one function), whose callback
 * does what every kvm_irqpath hook does before its body: preemption off,
 * one this_cpu_inc. kvm_irqpath's cost less this one's is its bodies'.
 * The filter is by name: xen-privcmd's irqfd_wakeup is not in the guest.
 *
 * direct=1 (direct_floor): the same two functions through ftrace direct
 * calls, to a stub built as kvm_irqpath's direct=1 stubs are (argument
 * registers saved, one C call), whose C part does the same increment.
 * kvm_irqpath direct=1 less this one is its bodies' cost there.
 *
 * ftrace=1 with work=loads or work=branches: each callback also reads 32
 * words, summed (loads) or each tested by a branch never taken (branches):
 * what a hook body's loads and branches cost in this guest, with nothing
 * else changed. Under TCG that price is far from a real CPU's.
 *
 * Hits: /sys/kernel/debug/irqpath_floor/hits, "<function> <hits> <missed>".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "irqpath/ftrace_direct.h"
#include "irqpath/probes.h"
#include "irqpath_floor.h"

static bool ftrace;
module_param(ftrace, bool, 0444);
MODULE_PARM_DESC(ftrace, "two bare ftrace callbacks instead of three kprobes");

static bool direct;
module_param(direct, bool, 0444);
MODULE_PARM_DESC(direct, "two bare ftrace direct calls instead of three kprobes");

static char *work = "none";
module_param(work, charp, 0444);
MODULE_PARM_DESC(work, "with ftrace=1: none, loads (32 per callback) or branches (32 loads, each tested)");

enum floor_work { FLOOR_WORK_NONE, FLOOR_WORK_LOADS, FLOOR_WORK_BRANCHES };
static const char *const floor_works[] = { "none", "loads", "branches" };
static enum floor_work floor_work;

#define FLOOR_WORDS	32
static unsigned long floor_words[FLOOR_WORDS];
static DEFINE_PER_CPU(unsigned long, floor_sink);

static DEFINE_PER_CPU(unsigned long, hits_wakeup);
static DEFINE_PER_CPU(unsigned long, hits_inatomic);
static DEFINE_PER_CPU(unsigned long, hits_deliver);

static int pre_wakeup(struct kprobe *p, struct pt_regs *regs)
{
	this_cpu_inc(hits_wakeup);
	return 0;
}

static int pre_inatomic(struct kprobe *p, struct pt_regs *regs)
{
	this_cpu_inc(hits_inatomic);
	return 0;
}

static int pre_deliver(struct kprobe *p, struct pt_regs *regs)
{
	this_cpu_inc(hits_deliver);
	return 0;
}

static struct kprobe floor_kps[] = {
	{ .symbol_name = "kvm:irqfd_wakeup", .pre_handler = pre_wakeup },
	{ .symbol_name = "kvm:kvm_arch_set_irq_inatomic", .pre_handler = pre_inatomic },
	{ .symbol_name = "kvm_amd:svm_complete_interrupt_delivery", .pre_handler = pre_deliver },
};

static unsigned long __percpu *floor_hits[] = {
	&hits_wakeup, &hits_inatomic, &hits_deliver,
};

static struct kprobe *floor_kpp[ARRAY_SIZE(floor_kps)];

/* ftrace=1: the functions of floor_kps[kp], by their names. */
struct floor_ops {
	struct ftrace_ops ops;
	unsigned int kp;
};

static struct floor_ops floor_ops[] = { { .kp = 0 }, { .kp = 2 } };

static struct dentry *floor_dir;

IRQPATH_DIRECT_STUB(floor_stub_wakeup, floor_direct_wakeup);
IRQPATH_DIRECT_STUB(floor_stub_deliver, floor_direct_deliver);

/* direct=1: floor_ops[i]'s stub. */
static void (*const floor_stubs[])(void) = {
	floor_stub_wakeup, floor_stub_deliver,
};

void floor_direct_wakeup(struct ftrace_regs *fregs)
{
	preempt_disable_notrace();
	this_cpu_inc(hits_wakeup);
	preempt_enable_notrace();
}

void floor_direct_deliver(struct ftrace_regs *fregs)
{
	preempt_disable_notrace();
	this_cpu_inc(hits_deliver);
	preempt_enable_notrace();
}

static const char *floor_sym(unsigned int i)
{
	return strchr(floor_kps[i].symbol_name, ':') + 1;
}

/* Four loads and no branch. */
static __always_inline unsigned long floor_load4(const unsigned long *w)
{
	return READ_ONCE(w[0]) + READ_ONCE(w[1]) + READ_ONCE(w[2]) +
	       READ_ONCE(w[3]);
}

/* Four loads, each tested by a branch never taken (the words stay 0). */
static __always_inline void floor_test4(const unsigned long *w)
{
	if (unlikely(READ_ONCE(w[0])))
		this_cpu_inc(floor_sink);
	if (unlikely(READ_ONCE(w[1])))
		this_cpu_inc(floor_sink);
	if (unlikely(READ_ONCE(w[2])))
		this_cpu_inc(floor_sink);
	if (unlikely(READ_ONCE(w[3])))
		this_cpu_inc(floor_sink);
}

static void floor_fentry(unsigned long ip, unsigned long parent_ip,
			 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct floor_ops *f = container_of(op, struct floor_ops, ops);

	preempt_disable_notrace();
	this_cpu_inc(*floor_hits[f->kp]);
	preempt_enable_notrace();
}

/*
 * The work written out, not looped (a loop adds a branch per round), in
 * callbacks of their own so that the bare one stays as it was.
 */
static void floor_fentry_loads(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct floor_ops *f = container_of(op, struct floor_ops, ops);
	const unsigned long *w = floor_words;

	preempt_disable_notrace();
	this_cpu_inc(*floor_hits[f->kp]);
	this_cpu_add(floor_sink,
		     floor_load4(w) + floor_load4(w + 4) + floor_load4(w + 8) +
		     floor_load4(w + 12) + floor_load4(w + 16) +
		     floor_load4(w + 20) + floor_load4(w + 24) +
		     floor_load4(w + 28));
	preempt_enable_notrace();
}

static void floor_fentry_branches(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op,
				  struct ftrace_regs *fregs)
{
	struct floor_ops *f = container_of(op, struct floor_ops, ops);
	const unsigned long *w = floor_words;

	preempt_disable_notrace();
	this_cpu_inc(*floor_hits[f->kp]);
	floor_test4(w);
	floor_test4(w + 4);
	floor_test4(w + 8);
	floor_test4(w + 12);
	floor_test4(w + 16);
	floor_test4(w + 20);
	floor_test4(w + 24);
	floor_test4(w + 28);
	preempt_enable_notrace();
}

static const ftrace_func_t floor_funcs[] = {
	[FLOOR_WORK_NONE] = floor_fentry,
	[FLOOR_WORK_LOADS] = floor_fentry_loads,
	[FLOOR_WORK_BRANCHES] = floor_fentry_branches,
};

static int hits_show(struct seq_file *m, void *v)
{
	unsigned long sum;
	unsigned int i, k;
	int cpu;

	for (i = 0; i < (ftrace ? ARRAY_SIZE(floor_ops) : ARRAY_SIZE(floor_kps)); i++) {
		k = ftrace ? floor_ops[i].kp : i;
		sum = 0;
		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(floor_hits[k], cpu);
		seq_printf(m, "%s %lu %lu\n", floor_sym(k), sum,
			   ftrace ? 0 : floor_kps[k].nmissed);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hits);

static void floor_ftrace_off(unsigned int n)
{
	while (n--) {
		if (direct)
			irqpath_direct_unregister(&floor_ops[n].ops,
						  (unsigned long)floor_stubs[n]);
		else
			unregister_ftrace_function(&floor_ops[n].ops);
		ftrace_free_filter(&floor_ops[n].ops);
	}
}

/* floor_ops[i]'s callback, or with direct=1 its direct call. */
static int floor_ftrace_register(unsigned int i)
{
	struct ftrace_ops *ops = &floor_ops[i].ops;

	if (direct)
		return irqpath_direct_register(ops,
					       (unsigned long)floor_stubs[i]);
	ops->func = floor_funcs[floor_work];
	return register_ftrace_function(ops);
}

static int floor_ftrace_on(void)
{
	struct ftrace_ops *ops;
	const char *sym;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(floor_ops); i++) {
		ops = &floor_ops[i].ops;
		sym = floor_sym(floor_ops[i].kp);
		ret = ftrace_set_filter(ops, (unsigned char *)sym, strlen(sym), 1);
		if (!ret) {
			ret = floor_ftrace_register(i);
			if (ret)
				ftrace_free_filter(ops);
		}
		if (ret) {
			pr_err("hooking %s failed: %d\n", sym, ret);
			floor_ftrace_off(i);
			return ret;
		}
	}
	return 0;
}

static int floor_kprobes_on(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(floor_kps); i++)
		floor_kpp[i] = &floor_kps[i];
	ret = register_kprobes(floor_kpp, ARRAY_SIZE(floor_kpp));
	if (ret)
		pr_err("register_kprobes failed: %d\n", ret);
	return ret;
}

static int __init floor_init(void)
{
	int ret;

	ret = match_string(floor_works, ARRAY_SIZE(floor_works), work);
	if (ret < 0 || (ret && (!ftrace || direct))) {
		pr_err("work=%s: none, or loads or branches with ftrace=1\n",
		       work);
		return -EINVAL;
	}
	floor_work = ret;
	ftrace |= direct;
	ret = ftrace ? floor_ftrace_on() : floor_kprobes_on();

	if (ret)
		return ret;
	floor_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("hits", 0444, floor_dir, NULL, &hits_fops);
	return 0;
}

static void __exit floor_exit(void)
{
	debugfs_remove_recursive(floor_dir);
	if (ftrace)
		floor_ftrace_off(ARRAY_SIZE(floor_ops));
	else
		unregister_kprobes(floor_kpp, ARRAY_SIZE(floor_kpp));
}

module_init(floor_init);
module_exit(floor_exit);

MODULE_DESCRIPTION("TEST ONLY: three bare kprobes, or two bare ftrace callbacks or direct calls, one per-CPU increment each");
MODULE_LICENSE("GPL");
