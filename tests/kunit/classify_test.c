// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/classify.c: the irqfd fast/deferred outcome and where
 * a VFIO MSI went (irqfd, the VMM's one VM, or unattributed with its pid).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/rcupdate.h>

#include "irqpath/classify.h"
#include "irqpath/efd_map.h"

static const struct irqpath_registry_ops classify_ops = {};

/* Fake struct kvm and eventfd_ctx addresses: never dereferenced. */
static char kvm_a, kvm_b, kvm_c, efd_one, efd_two, efd_none;

struct fast_case {
	const char *name;
	int ret;
	bool deferred;
};

static const struct fast_case fast_cases[] = {
	{ "delivered", 1, false },
	{ "no_target", -1, false },
	{ "zero", 0, false },
	{ "invalid_route", -EINVAL, false },
	{ "would_block", -EWOULDBLOCK, true },
};

static void fast_case_desc(const struct fast_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fast, fast_cases, fast_case_desc);

/* Only -EWOULDBLOCK from kvm_arch_set_irq_inatomic means deferred. */
static void irqfd_outcome(struct kunit *test)
{
	const struct fast_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_irqfd_deferred(c->ret), c->deferred);
}

static int classify_init(struct kunit *test)
{
	int ret = irqpath_registry_init(&classify_ops);

	if (ret)
		return ret;
	/* pid 100 owns one VM, pid 200 owns two. */
	if (!irqpath_vm_create(&kvm_a, 100, "one") ||
	    !irqpath_vm_create(&kvm_b, 200, "two") ||
	    !irqpath_vm_create(&kvm_c, 200, "two"))
		return -ENOMEM;
	if (irqpath_efd_add(&efd_one, 100, 25) || irqpath_efd_add(&efd_two, 200, 26))
		return -ENOMEM;
	return 0;
}

static void classify_exit(struct kunit *test)
{
	irqpath_efd_exit();
	irqpath_registry_exit();
}

/* An irqfd named by the nested wakeup wins: handled in the kernel. */
static void vfio_irqfd(struct kunit *test)
{
	struct irqpath_vm *irqfd_vm, *vm;
	enum irqpath_counter path;
	pid_t pid;

	rcu_read_lock();
	irqfd_vm = irqpath_vm_lookup(&kvm_b);
	vm = irqpath_vfio_classify(&efd_one, irqfd_vm, &path, &pid);
	rcu_read_unlock();
	KUNIT_EXPECT_PTR_EQ(test, vm, irqfd_vm);
	KUNIT_EXPECT_EQ(test, path, IRQPATH_VFIO_MSI_IRQFD);
}

/* No irqfd, registered by a VMM with one VM: to userspace, that VM's. */
static void vfio_userspace_one_vm(struct kunit *test)
{
	enum irqpath_counter path;
	struct irqpath_vm *vm;
	pid_t pid;

	rcu_read_lock();
	vm = irqpath_vfio_classify(&efd_one, NULL, &path, &pid);
	KUNIT_EXPECT_PTR_EQ(test, vm, irqpath_vm_lookup(&kvm_a));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, path, IRQPATH_VFIO_MSI_USERSPACE);
	KUNIT_EXPECT_EQ(test, pid, 100);
}

/* A VMM with two VMs: neither is guessed, unattributed with its pid. */
static void vfio_userspace_two_vms(struct kunit *test)
{
	enum irqpath_counter path;
	struct irqpath_vm *vm;
	pid_t pid;

	rcu_read_lock();
	vm = irqpath_vfio_classify(&efd_two, NULL, &path, &pid);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, path, IRQPATH_VFIO_MSI_USERSPACE);
	KUNIT_EXPECT_EQ(test, pid, 200);
}

/* An eventfd nobody registered (before we loaded): unattributed, pid 0. */
static void vfio_unknown_eventfd(struct kunit *test)
{
	enum irqpath_counter path;
	struct irqpath_vm *vm;
	pid_t pid = -1;

	rcu_read_lock();
	vm = irqpath_vfio_classify(&efd_none, NULL, &path, &pid);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, path, IRQPATH_VFIO_MSI_USERSPACE);
	KUNIT_EXPECT_EQ(test, pid, 0);
}

static struct kunit_case irqpath_classify_cases[] = {
	KUNIT_CASE_PARAM(irqfd_outcome, fast_gen_params),
	KUNIT_CASE(vfio_irqfd),
	KUNIT_CASE(vfio_userspace_one_vm),
	KUNIT_CASE(vfio_userspace_two_vms),
	KUNIT_CASE(vfio_unknown_eventfd),
	{}
};

static struct kunit_suite irqpath_classify_suite = {
	.name = "irqpath_classify",
	.init = classify_init,
	.exit = classify_exit,
	.test_cases = irqpath_classify_cases,
};

kunit_test_suites(&irqpath_classify_suite);
