// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY. From 6.12, KVM registers an irqfd as an IRQ bypass consumer
 * only when kvm_arch_has_irq_bypass() (APICv/AVIC and IRQ posting), which
 * QEMU's TCG guest can't offer. Forcing it true lets the e2e tests connect
 * a VFIO producer to a KVM consumer; the IRTE update that follows returns
 * early without a posting-capable IOMMU, so nothing is really posted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>

static int force_true(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	regs_set_return_value(regs, 1);
	return 0;
}

static struct kretprobe force_krp = {
	.kp.symbol_name	= "kvm:kvm_arch_has_irq_bypass",
	.handler	= force_true,
};

static int __init force_init(void)
{
	int ret = register_kretprobe(&force_krp);

	if (ret)
		pr_err("register_kretprobe failed: %d\n", ret);
	return ret;
}

static void __exit force_exit(void)
{
	unregister_kretprobe(&force_krp);
}

module_init(force_init);
module_exit(force_exit);

MODULE_DESCRIPTION("TEST ONLY: make kvm_arch_has_irq_bypass() return true");
MODULE_LICENSE("GPL");
