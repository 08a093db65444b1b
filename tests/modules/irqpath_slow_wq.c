// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: makes one CPU's system workqueue slow, so that e2e can check
 * the deferred hop (irqfd wakeup to its irqfd_inject work) moves into
 * higher buckets. A work item on that CPU spins spin_us, then queues itself
 * again: a running item of a per-CPU pool that does not sleep holds back
 * the pool's other items (workqueue concurrency management), whatever the
 * scheduler. Below the 10 ms after which 6.5+ marks an item CPU-intensive.
 * Never part of kvm_irqpath.ko.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/workqueue.h>

static unsigned int cpu;
module_param(cpu, uint, 0444);
MODULE_PARM_DESC(cpu, "The CPU whose system workqueue pool to hold (default 0)");

static unsigned int spin_us = 4000;
module_param(spin_us, uint, 0444);
MODULE_PARM_DESC(spin_us, "How long each run spins, in microseconds (default 4000, at most 8000)");

static bool stopping;

static void slow_wq_fn(struct work_struct *work)
{
	u64 end = ktime_get_ns() + (u64)spin_us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		cpu_relax();
	if (!READ_ONCE(stopping))
		queue_work_on(cpu, system_wq, work);
}

static DECLARE_WORK(slow_wq_work, slow_wq_fn);

static int __init slow_wq_init(void)
{
	if (cpu >= nr_cpu_ids || !cpu_online(cpu) || !spin_us || spin_us > 8000) {
		pr_err("cpu=%u spin_us=%u: need an online CPU and 1..8000 us\n",
		       cpu, spin_us);
		return -EINVAL;
	}
	queue_work_on(cpu, system_wq, &slow_wq_work);
	return 0;
}

/* No new run is queued once stopping is seen; the last one is waited for. */
static void __exit slow_wq_exit(void)
{
	WRITE_ONCE(stopping, true);
	cancel_work_sync(&slow_wq_work);
}

module_init(slow_wq_init);
module_exit(slow_wq_exit);
MODULE_DESCRIPTION("Test only: one CPU's system workqueue kept busy");
MODULE_LICENSE("GPL");
