// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_irqpath: which path each guest interrupt takes on a KVM host, per VM.
 *
 * Probes (probe_table.c) feed per-VM per-CPU counters (registry.c,
 * counters.c) that debugfs (debugfs.c, render.c) sums for readers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>

#include "irqpath/debugfs.h"
#include "irqpath/efd_map.h"
#include "irqpath/latency.h"
#include "irqpath/pi_ipis.h"
#include "irqpath/probes.h"
#include "irqpath/registry.h"

/*
 * Rows per CPU in the table all VMs share: one per GSI, vCPU or pid of a
 * VM that had events on that CPU. Events beyond go to the VM's "other"
 * row, and `memory` says how many did (rows_full).
 */
static unsigned int rows_per_cpu = IRQPATH_ROWS_DEFAULT;
module_param(rows_per_cpu, uint, 0444);
MODULE_PARM_DESC(rows_per_cpu, "rows per CPU for per-GSI/vCPU counts, a power of two from 16 to 4096 (default 512)");

/* Hop timing switched: see irqpath_latency_follow(). */
static void irqpath_latency_changed(bool on)
{
	if (on) {
		/* delivery hooks that saw timing on before it went off are done */
		synchronize_rcu();
		irqpath_registry_entry_clear();
	}
	irqpath_probes_on_demand(on);
}

static int __init irqpath_init(void)
{
	int ret;

	/*
	 * PREEMPT_RT runs irqfd_wakeup preemptible with interrupts on (the
	 * wait-queue lock sleeps) and interrupt handlers in threads: the
	 * fast/deferred rule (classify.h) needs a wakeup that the next event
	 * on its CPU cannot interrupt, and the hooks' spinlock_t and
	 * GFP_ATOMIC would sleep where they run. Wrong counts are worse than
	 * none.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_err("PREEMPT_RT kernels are not supported: irqfd wakeups there are preemptible, so their path can't be told exactly\n");
		return -EOPNOTSUPP;
	}
	if (rows_per_cpu < IRQPATH_ROWS_MIN || rows_per_cpu > IRQPATH_ROWS_MAX ||
	    !is_power_of_2(rows_per_cpu)) {
		pr_err("rows_per_cpu=%u: must be a power of two from %u to %u\n",
		       rows_per_cpu, IRQPATH_ROWS_MIN, IRQPATH_ROWS_MAX);
		return -EINVAL;
	}
	ret = irqpath_pi_ipis_init();
	if (ret)
		return ret;
	ret = irqpath_debugfs_init();
	if (ret)
		goto out_pi;
	ret = irqpath_registry_init(&irqpath_debugfs_ops, rows_per_cpu);
	if (ret) {
		pr_err("registry init failed: %d\n", ret);
		goto out_debugfs;
	}
	irqpath_latency_follow(irqpath_latency_changed);
	ret = irqpath_probes_init();
	if (ret)
		goto out_follow;
	irqpath_debugfs_files_create();
	return 0;

out_follow:
	irqpath_latency_follow(NULL);
	irqpath_efd_exit();
	irqpath_registry_exit();
out_debugfs:
	irqpath_debugfs_exit();
out_pi:
	irqpath_pi_ipis_exit();
	return ret;
}

/*
 * Readers and writers of the files first, then the probes: once detached,
 * no handler runs or will run.
 */
static void __exit irqpath_exit(void)
{
	irqpath_debugfs_files_remove();
	irqpath_latency_follow(NULL);
	irqpath_probes_exit();
	irqpath_efd_exit();
	irqpath_registry_exit();
	irqpath_debugfs_exit();
	irqpath_pi_ipis_exit();
}

module_init(irqpath_init);
module_exit(irqpath_exit);

MODULE_DESCRIPTION("Per-VM accounting of the paths KVM guest interrupts take");
MODULE_AUTHOR("kvm_irqpath developers");
MODULE_LICENSE("GPL");
