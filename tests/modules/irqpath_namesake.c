// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY. Since 6.7 drivers/xen/privcmd.c has static functions named
 * irqfd_wakeup and irqfd_inject, as KVM's eventfd.c has. This module has
 * such namesakes too: writing N to its parameter `calls` runs each N times,
 * and the tracer must count none of them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* Zeroes: if a hook took these for KVM's, it would find no VM, not fault. */
static u8 fake[4096] __aligned(64);

static noinline int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
				 int sync, void *key)
{
	barrier();
	return 0;
}

static noinline void irqfd_inject(struct work_struct *work)
{
	barrier();
}

/* Called through pointers, so the compiler neither inlines nor clones them. */
static int (*wakeup_fn)(wait_queue_entry_t *, unsigned int, int, void *) =
	irqfd_wakeup;
static void (*inject_fn)(struct work_struct *) = irqfd_inject;

static int calls_set(const char *val, const struct kernel_param *kp)
{
	unsigned int i, n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		READ_ONCE(wakeup_fn)((void *)(fake + 2048), 0, 0,
				     poll_to_key(EPOLLIN));
		READ_ONCE(inject_fn)((void *)(fake + 2048));
	}
	return 0;
}

static const struct kernel_param_ops calls_ops = {
	.set = calls_set,
};
module_param_cb(calls, &calls_ops, NULL, 0200);
MODULE_PARM_DESC(calls, "Run irqfd_wakeup and irqfd_inject this many times");

MODULE_DESCRIPTION("TEST ONLY: namesakes of KVM's irqfd_wakeup and irqfd_inject");
MODULE_LICENSE("GPL");
