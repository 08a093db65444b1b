// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: the ftrace floor of `make bench` (tests/harness/bench.sh). The
 * two functions kvm_irqpath hooks on every fast-path irqfd interrupt get an
 * ftrace_ops each, set up as kvm_irqpath sets up its own (module data, no
 * flags, filtered on one function), whose callback does what every hook of
 * kvm_irqpath does before its body: preemption off, one this_cpu_inc. The
 * difference to kvm_irqpath is the cost of its bodies; this floor is what
 * any design with two ftrace callbacks per interrupt costs at least. Never
 * part of kvm_irqpath.ko; kvm and kvm_amd must be loaded first (the filter
 * is by name: xen-privcmd's irqfd_wakeup is not loaded in the test guest).
 * Hits: /sys/kernel/debug/irqpath_ftrace_floor/hits, "<function> <hits> 0".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

struct floor_hook {
	const char *sym;
	struct ftrace_ops ops;
	unsigned long __percpu *hits;
};

static DEFINE_PER_CPU(unsigned long, hits_wakeup);
static DEFINE_PER_CPU(unsigned long, hits_deliver);

static struct floor_hook floor_hooks[] = {
	{ .sym = "irqfd_wakeup", .hits = &hits_wakeup },
	{ .sym = "svm_complete_interrupt_delivery", .hits = &hits_deliver },
};

static struct dentry *floor_dir;

static void floor_fentry(unsigned long ip, unsigned long parent_ip,
			 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct floor_hook *h = container_of(op, struct floor_hook, ops);

	preempt_disable_notrace();
	this_cpu_inc(*h->hits);
	preempt_enable_notrace();
}

static int hits_show(struct seq_file *m, void *v)
{
	unsigned long sum;
	int i, cpu;

	for (i = 0; i < ARRAY_SIZE(floor_hooks); i++) {
		sum = 0;
		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(floor_hooks[i].hits, cpu);
		seq_printf(m, "%s %lu 0\n", floor_hooks[i].sym, sum);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hits);

static void floor_unregister(int n)
{
	while (n--) {
		unregister_ftrace_function(&floor_hooks[n].ops);
		ftrace_free_filter(&floor_hooks[n].ops);
	}
}

static int __init floor_init(void)
{
	struct floor_hook *h;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(floor_hooks); i++) {
		h = &floor_hooks[i];
		h->ops.func = floor_fentry;
		ret = ftrace_set_filter(&h->ops, (unsigned char *)h->sym,
					strlen(h->sym), 1);
		if (!ret) {
			ret = register_ftrace_function(&h->ops);
			if (ret)
				ftrace_free_filter(&h->ops);
		}
		if (ret) {
			pr_err("hooking %s failed: %d\n", h->sym, ret);
			floor_unregister(i);
			return ret;
		}
	}
	floor_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("hits", 0444, floor_dir, NULL, &hits_fops);
	return 0;
}

static void __exit floor_exit(void)
{
	debugfs_remove_recursive(floor_dir);
	floor_unregister(ARRAY_SIZE(floor_hooks));
}

module_init(floor_init);
module_exit(floor_exit);

MODULE_DESCRIPTION("TEST ONLY: two bare ftrace callbacks, one per-CPU increment each");
MODULE_LICENSE("GPL");
