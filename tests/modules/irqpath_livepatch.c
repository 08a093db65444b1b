// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: a live patch of kvm's irqfd_inject (virt/kvm/eventfd.c), the
 * work function of a deferred irqfd injection and one of the tracer's
 * direct-call hooks. The copy does what the original does (its body is the
 * same in 6.1, 6.12 and 7.3, checked against each kernel's kvm.ko) and
 * counts its calls in the parameter `calls`, so that e2e sees the patch ran.
 * e2e checks that the patch applies beside the tracer's direct call, in
 * either order, and that the tracer still counts exactly.
 *
 * kvm_set_irq is not exported: it is found at load by a disabled kprobe, as
 * the tracer finds its targets, and called through a pointer. With IBT on,
 * kvm.ko's sealed ENDBR of kvm_set_irq forbids that indirect call (a live
 * patch built with klp relocations would call it directly), so the module
 * refuses to load there: kvm must be loaded first, and IBT off (QEMU TCG).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/kvm_host.h>
#include <linux/kvm_irqfd.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>
#include <asm/cpufeature.h>

static atomic_long_t lp_calls = ATOMIC_LONG_INIT(0);

static int calls_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%ld\n", atomic_long_read(&lp_calls));
}

static const struct kernel_param_ops calls_ops = {
	.get = calls_get,
};
module_param_cb(calls, &calls_ops, NULL, 0444);
MODULE_PARM_DESC(calls, "Calls of the patched irqfd_inject so far");

/* The declaration in kvm_host.h gives the pointer its exact type. */
static typeof(kvm_set_irq) *lp_kvm_set_irq;

/* irqfd_inject of virt/kvm/eventfd.c, with a count. */
static void lp_irqfd_inject(struct work_struct *work)
{
	struct kvm_kernel_irqfd *irqfd =
		container_of(work, struct kvm_kernel_irqfd, inject);
	struct kvm *kvm = irqfd->kvm;

	atomic_long_inc(&lp_calls);
	if (!irqfd->resampler) {
		lp_kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, irqfd->gsi, 1,
			       false);
		lp_kvm_set_irq(kvm, KVM_USERSPACE_IRQ_SOURCE_ID, irqfd->gsi, 0,
			       false);
	} else {
		lp_kvm_set_irq(kvm, KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID,
			       irqfd->gsi, 1, false);
	}
}

static struct klp_func lp_funcs[] = {
	{
		.old_name = "irqfd_inject",
		.new_func = lp_irqfd_inject,
	},
	{ }
};

static struct klp_object lp_objs[] = {
	{
		.name = "kvm",
		.funcs = lp_funcs,
	},
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

/* Where module:sym is (kallsyms is not exported); 0 if absent. */
static unsigned long lp_lookup(const char *target)
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

static int __init lp_init(void)
{
#ifdef CONFIG_X86_KERNEL_IBT
	if (cpu_feature_enabled(X86_FEATURE_IBT)) {
		pr_err("IBT is on: kvm_set_irq's ENDBR is sealed, no indirect call to it\n");
		return -EOPNOTSUPP;
	}
#endif
	lp_kvm_set_irq = (void *)lp_lookup("kvm:kvm_set_irq");
	if (!lp_kvm_set_irq) {
		pr_err("no kvm:kvm_set_irq (is kvm loaded?)\n");
		return -ENOENT;
	}
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_DESCRIPTION("kvm_irqpath test: a live patch of kvm's irqfd_inject that counts its calls");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
