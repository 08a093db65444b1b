// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: the "bare floor" of `make bench` (tests/harness/bench.sh). Three
 * entry kprobes on the hot irqfd path, each handler one this_cpu_inc of its
 * own per-CPU counter: what any design that keeps three kprobes on every
 * interrupt costs at least. Never part of kvm_irqpath.ko. kvm and kvm_amd
 * must be loaded first. Hits: /sys/kernel/debug/irqpath_floor/hits, one
 * "<function> <hits> <missed>" line per probe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

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
static struct dentry *floor_dir;

static int hits_show(struct seq_file *m, void *v)
{
	unsigned long sum;
	int i, cpu;

	for (i = 0; i < ARRAY_SIZE(floor_kps); i++) {
		sum = 0;
		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(floor_hits[i], cpu);
		seq_printf(m, "%s %lu %lu\n",
			   strchr(floor_kps[i].symbol_name, ':') + 1, sum,
			   floor_kps[i].nmissed);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hits);

static int __init floor_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(floor_kps); i++)
		floor_kpp[i] = &floor_kps[i];
	ret = register_kprobes(floor_kpp, ARRAY_SIZE(floor_kpp));
	if (ret) {
		pr_err("register_kprobes failed: %d\n", ret);
		return ret;
	}
	floor_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("hits", 0444, floor_dir, NULL, &hits_fops);
	return 0;
}

static void __exit floor_exit(void)
{
	debugfs_remove_recursive(floor_dir);
	unregister_kprobes(floor_kpp, ARRAY_SIZE(floor_kpp));
}

module_init(floor_init);
module_exit(floor_exit);

MODULE_DESCRIPTION("TEST ONLY: three bare kprobes, one per-CPU increment each");
MODULE_LICENSE("GPL");
