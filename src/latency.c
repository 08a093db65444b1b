// SPDX-License-Identifier: GPL-2.0
/*
 * The switch of hop timing (latency.h): the module parameter `latency`
 * and the debugfs file of the same name both flip one static key.
 */
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "irqpath/latency.h"

DEFINE_STATIC_KEY_FALSE(irqpath_latency_key);

const char *const irqpath_hop_names[IRQPATH_HOPS] = {
	[IRQPATH_HOP_VFIO_WAKEUP]	= "vfio_to_wakeup",
	[IRQPATH_HOP_WAKEUP_DELIVERY]	= "wakeup_to_delivery",
	[IRQPATH_HOP_DEFER_INJECT]	= "deferred_to_inject",
	[IRQPATH_HOP_DELIVERY_ENTRY]	= "delivery_to_entry",
};

/* Both callers sleep; one flips the key at a time. */
static DEFINE_MUTEX(irqpath_latency_mutex);
static void (*irqpath_latency_fn)(bool on);
static bool irqpath_latency_want;

/*
 * fn(on) runs at each switch, before the key goes on and after it goes
 * off: the module attaches the hooks that only timing needs, so they are
 * in place before the first time is taken.
 */
void irqpath_latency_follow(void (*fn)(bool on))
{
	mutex_lock(&irqpath_latency_mutex);
	irqpath_latency_fn = fn;
	mutex_unlock(&irqpath_latency_mutex);
}

/* The switch as last set: read by a follower starting up. */
bool irqpath_latency_wanted(void)
{
	return READ_ONCE(irqpath_latency_want);
}

void irqpath_latency_set(bool on)
{
	mutex_lock(&irqpath_latency_mutex);
	WRITE_ONCE(irqpath_latency_want, on);
	if (on && !static_key_enabled(&irqpath_latency_key)) {
		if (irqpath_latency_fn)
			irqpath_latency_fn(true);
		static_branch_enable(&irqpath_latency_key);
	} else if (!on && static_key_enabled(&irqpath_latency_key)) {
		static_branch_disable(&irqpath_latency_key);
		if (irqpath_latency_fn)
			irqpath_latency_fn(false);
	}
	mutex_unlock(&irqpath_latency_mutex);
}

/*
 * Parsed at load too: the module's static keys are set up before its
 * parameters (prepare_coming_module() comes before parse_args()).
 */
static int irqpath_latency_param_set(const char *val,
				     const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	irqpath_latency_set(on);
	return 0;
}

static int irqpath_latency_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", static_key_enabled(&irqpath_latency_key));
}

static const struct kernel_param_ops irqpath_latency_ops = {
	.set = irqpath_latency_param_set,
	.get = irqpath_latency_param_get,
};

module_param_cb(latency, &irqpath_latency_ops, NULL, 0644);
MODULE_PARM_DESC(latency, "time each hop of an interrupt into per-VM histograms (default 0; also the debugfs file `latency`)");
