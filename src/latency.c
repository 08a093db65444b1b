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
};

/* Both callers sleep; one flips the key at a time. */
static DEFINE_MUTEX(irqpath_latency_mutex);

void irqpath_latency_set(bool on)
{
	mutex_lock(&irqpath_latency_mutex);
	if (on && !static_key_enabled(&irqpath_latency_key))
		static_branch_enable(&irqpath_latency_key);
	else if (!on && static_key_enabled(&irqpath_latency_key))
		static_branch_disable(&irqpath_latency_key);
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
