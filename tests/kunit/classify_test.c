// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/classify.c: the irqfd fast/deferred outcome settled
 * from the events that follow a wakeup, where a VFIO MSI went (irqfd, the
 * VMM's one VM, or unattributed with its pid), each CPU's open state
 * forgotten with its VM. The decisions without state are
 * classify_rules_test.c's.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/rcupdate.h>

#include "irqpath/classify.h"
#include "irqpath/efd_map.h"

static const struct irqpath_registry_ops classify_ops = {};

/* Fake struct kvm and eventfd_ctx addresses: never dereferenced. */
static char kvm_a, kvm_b, kvm_c, efd_one, efd_two, efd_none;

/* One event on a CPU, as the hooks report it to the wakeup state. */
enum wake_step {
	W_END,
	W_BEGIN_A,	/* irqfd_wakeup of VM A's irqfd */
	W_BEGIN_B,
	W_DEFER_OWN,	/* queue_work_on of the open wakeup's inject work */
	W_DEFER_OTHER,	/* queue_work_on of another work item */
	W_DELIVER_A,	/* a delivery to a vCPU of VM A */
	W_DELIVER_B,
	W_IRQS_ON,	/* any hook with interrupts on */
	W_FORGET_A,	/* VM A is destroyed */
	W_FORGET_B,
};

struct wake_case {
	const char *name;
	enum wake_step steps[8];
	/* wakeups, fast, deferred of A, then of B */
	u64 a[3], b[3];
	bool last_settle_is_a;	/* the last settle returned A's record */
};

static const struct wake_case wake_cases[] = {
	{ "fast", { W_BEGIN_A, W_DELIVER_A }, { 1, 1, 0 }, { 0, 0, 0 }, true },
	{ "deferred", { W_BEGIN_A, W_DEFER_OWN }, { 1, 0, 1 }, { 0, 0, 0 } },
	{ "deferred_then_worker_delivers",
	  { W_BEGIN_A, W_DEFER_OWN, W_DELIVER_A }, { 1, 0, 1 }, { 0, 0, 0 } },
	{ "other_work_inside", { W_BEGIN_A, W_DEFER_OTHER, W_DELIVER_A },
	  { 1, 1, 0 }, { 0, 0, 0 }, true },
	{ "undelivered_settled_by_next",
	  { W_BEGIN_A, W_BEGIN_A, W_DELIVER_A }, { 2, 2, 0 }, { 0, 0, 0 }, true },
	{ "undelivered_settled_irqs_on", { W_BEGIN_A, W_IRQS_ON },
	  { 1, 1, 0 }, { 0, 0, 0 } },
	{ "delivery_to_other_vm", { W_BEGIN_A, W_DELIVER_B },
	  { 1, 1, 0 }, { 0, 0, 0 } },
	{ "forgotten", { W_BEGIN_A, W_FORGET_A, W_DELIVER_A },
	  { 1, 0, 0 }, { 0, 0, 0 } },
	{ "other_vm_forgotten", { W_BEGIN_A, W_FORGET_B, W_DELIVER_A },
	  { 1, 1, 0 }, { 0, 0, 0 }, true },
	{ "interleaved", { W_BEGIN_A, W_DEFER_OWN, W_BEGIN_B, W_DELIVER_B,
			   W_BEGIN_A, W_IRQS_ON },
	  { 2, 1, 1 }, { 1, 1, 0 } },
	{ "open_is_not_counted_yet", { W_BEGIN_B }, { 0, 0, 0 }, { 1, 0, 0 } },
};

static void wake_case_desc(const struct wake_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wake, wake_cases, wake_case_desc);

/* The first three arguments of *_pi_update_irte, in either form. */
struct irte_case {
	const char *name;
	const void *args[3];
	int vm;			/* 0 none, 1 kvm_a, 2 kvm_b */
	int host_irq;
};

static char irqfd_x;

static const struct irte_case irte_cases[] = {
	{ "kvm_first_up_to_6_16", { &kvm_a, (void *)25, (void *)24 }, 1, 25 },
	{ "irqfd_first_from_6_17", { &irqfd_x, &kvm_b, (void *)26 }, 2, 26 },
	{ "unknown_vm", { &irqfd_x, &efd_none, (void *)27 }, 0, 0 },
};

static void irte_case_desc(const struct irte_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(irte, irte_cases, irte_case_desc);

/* An IRTE update of VM A's host IRQ 25 by task 1, then what may follow. */
enum irte_step {
	I_END,
	I_TAKE,		/* task 1's tracepoint for IRQ 25 */
	I_TAKE_TASK2,	/* another task's, on the same CPU */
	I_TAKE_IRQ26,	/* task 1's, for another IRQ */
	I_FORGET_A,	/* VM A is destroyed */
	I_FORGET_B,
};

struct irte_ctx_case {
	const char *name;
	enum irte_step steps[4];
	bool got_a[4];	/* which steps take VM A (the others take none) */
};

static const struct irte_ctx_case irte_ctx_cases[] = {
	{ "own_update", { I_TAKE, I_TAKE }, { true, false } },
	{ "other_task_leaves_it", { I_TAKE_TASK2, I_TAKE }, { false, true } },
	{ "other_irq", { I_TAKE_IRQ26, I_TAKE }, { false, true } },
	{ "vm_forgotten", { I_FORGET_A, I_TAKE } },
	{ "other_vm_forgotten", { I_FORGET_B, I_TAKE }, { false, true } },
};

static void irte_ctx_case_desc(const struct irte_ctx_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(irte_ctx, irte_ctx_cases, irte_ctx_case_desc);

static int classify_init(struct kunit *test)
{
	int ret = irqpath_registry_init(&classify_ops, IRQPATH_ROWS_DEFAULT);

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

static void expect_counts(struct kunit *test, struct irqpath_vm *vm,
			  struct irqpath_counts *val, const u64 *want)
{
	unsigned int slot;

	memset(val, 0, sizeof(*val));
	irqpath_vm_snapshot(vm, val, NULL, true);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_WAKEUPS], want[0]);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_FAST], want[1]);
	KUNIT_EXPECT_EQ(test, val->c[IRQPATH_IRQFD_DEFERRED], want[2]);
	/* and the same on the GSI's row */
	slot = irqpath_slot_get(&vm->gsi_slots, 24);
	KUNIT_EXPECT_EQ(test, val->gsi[slot][IRQPATH_GSI_WAKEUPS], want[0]);
	KUNIT_EXPECT_EQ(test, val->gsi[slot][IRQPATH_GSI_FAST], want[1]);
	KUNIT_EXPECT_EQ(test, val->gsi[slot][IRQPATH_GSI_DEFERRED], want[2]);
}

/*
 * Every wakeup ends counted once, as fast or as deferred, settled by what
 * follows it on its CPU; a destroyed VM's open wakeup is never counted.
 */
static void wakeup_outcome(struct kunit *test)
{
	const struct wake_case *c = test->param_value;
	static char inject_a, inject_b, other_work;
	struct irqpath_wakeup w = {};
	struct irqpath_vm *a, *b, *got = NULL;
	struct irqpath_counts *val;
	const enum wake_step *s;

	val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, val);
	rcu_read_lock();
	a = irqpath_vm_lookup(&kvm_a);
	b = irqpath_vm_lookup(&kvm_b);
	for (s = c->steps; *s != W_END; s++) {
		switch (*s) {
		case W_BEGIN_A:
			irqpath_wakeup_begin(&w, &kvm_a, &inject_a, a,
					     irqpath_slot_get(&a->gsi_slots, 24));
			break;
		case W_BEGIN_B:
			irqpath_wakeup_begin(&w, &kvm_b, &inject_b, b,
					     irqpath_slot_get(&b->gsi_slots, 24));
			break;
		case W_DEFER_OWN:
			KUNIT_EXPECT_TRUE(test, irqpath_wakeup_defer(&w, w.inject));
			break;
		case W_DEFER_OTHER:
			KUNIT_EXPECT_FALSE(test, irqpath_wakeup_defer(&w, &other_work));
			break;
		case W_DELIVER_A:
			got = irqpath_wakeup_settle(&w, &kvm_a);
			break;
		case W_DELIVER_B:
			got = irqpath_wakeup_settle(&w, &kvm_b);
			break;
		case W_IRQS_ON:
			got = irqpath_wakeup_settle(&w, NULL);
			break;
		case W_FORGET_A:
			irqpath_wakeup_forget(&w, &kvm_a);
			break;
		case W_FORGET_B:
			irqpath_wakeup_forget(&w, &kvm_b);
			break;
		case W_END:
			break;
		}
	}
	KUNIT_EXPECT_PTR_EQ(test, got, c->last_settle_is_a ? a : NULL);
	expect_counts(test, a, val, c->a);
	expect_counts(test, b, val, c->b);
	rcu_read_unlock();
}

/*
 * Either prototype of the IRTE update names its VM: the known struct kvm
 * among the first two arguments, with the host IRQ right after it.
 */
static void irte_update_args(struct kunit *test)
{
	const struct irte_case *c = test->param_value;
	const void *want_key[] = { NULL, &kvm_a, &kvm_b };
	unsigned long args[3];
	struct irqpath_vm *vm;
	unsigned int i;
	int irq = -1;

	for (i = 0; i < 3; i++)
		args[i] = (unsigned long)c->args[i];
	rcu_read_lock();
	vm = irqpath_irte_vm(args, &irq);
	KUNIT_EXPECT_PTR_EQ(test, vm, c->vm ? irqpath_vm_lookup(want_key[c->vm]) : NULL);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, irq, c->host_irq);
}

/*
 * The tracepoint inside an IRTE update takes the VM only from its own
 * task's update of its IRQ, once; a destroyed VM is never handed out.
 */
static void irte_ctx_take(struct kunit *test)
{
	const struct irte_ctx_case *c = test->param_value;
	const unsigned long args[3] = { (unsigned long)&kvm_a, 25, 24 };
	static char task1, task2;
	struct irqpath_irte_ctx ctx = {};
	struct irqpath_vm *a, *got;
	unsigned int i;

	rcu_read_lock();
	a = irqpath_vm_lookup(&kvm_a);
	irqpath_irte_ctx_begin(&ctx, &task1, args);
	for (i = 0; c->steps[i] != I_END; i++) {
		got = NULL;
		switch (c->steps[i]) {
		case I_TAKE:
			got = irqpath_irte_ctx_take(&ctx, &task1, 25);
			break;
		case I_TAKE_TASK2:
			got = irqpath_irte_ctx_take(&ctx, &task2, 25);
			break;
		case I_TAKE_IRQ26:
			got = irqpath_irte_ctx_take(&ctx, &task1, 26);
			break;
		case I_FORGET_A:
			irqpath_irte_ctx_forget(&ctx, &kvm_a);
			break;
		case I_FORGET_B:
			irqpath_irte_ctx_forget(&ctx, &kvm_b);
			break;
		case I_END:
			break;
		}
		KUNIT_EXPECT_PTR_EQ(test, got, c->got_a[i] ? a : NULL);
	}
	rcu_read_unlock();
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

/*
 * classify_forget clears every CPU's open wakeup and IRTE context of the
 * VM going, and leaves another VM's.
 */
static void classify_forget(struct kunit *test)
{
	struct irqpath_vm *a, *b;
	unsigned int left_w = 0, left_c = 0;
	int cpu;

	rcu_read_lock();
	a = irqpath_vm_lookup(&kvm_a);
	b = irqpath_vm_lookup(&kvm_b);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(&irqpath_wakeup, cpu)->vm = a;
		WRITE_ONCE(per_cpu_ptr(&irqpath_wakeup, cpu)->kvm, &kvm_a);
		WRITE_ONCE(per_cpu_ptr(&irqpath_irte_ctx, cpu)->vm, b);
	}
	irqpath_classify_forget(&kvm_a);
	for_each_possible_cpu(cpu) {
		left_w += !!READ_ONCE(per_cpu_ptr(&irqpath_wakeup, cpu)->kvm);
		left_c += READ_ONCE(per_cpu_ptr(&irqpath_irte_ctx, cpu)->vm) == b;
	}
	KUNIT_EXPECT_EQ(test, left_w, 0U);
	KUNIT_EXPECT_EQ(test, left_c, num_possible_cpus());
	irqpath_classify_forget(&kvm_b);
	for_each_possible_cpu(cpu)
		KUNIT_EXPECT_NULL(test, READ_ONCE(per_cpu_ptr(&irqpath_irte_ctx, cpu)->vm));
}

static struct kunit_case irqpath_classify_cases[] = {
	KUNIT_CASE_PARAM(wakeup_outcome, wake_gen_params),
	KUNIT_CASE_PARAM(irte_update_args, irte_gen_params),
	KUNIT_CASE_PARAM(irte_ctx_take, irte_ctx_gen_params),
	KUNIT_CASE(vfio_irqfd),
	KUNIT_CASE(vfio_userspace_one_vm),
	KUNIT_CASE(vfio_userspace_two_vms),
	KUNIT_CASE(vfio_unknown_eventfd),
	KUNIT_CASE(classify_forget),
	{}
};

static struct kunit_suite irqpath_classify_suite = {
	.name = "irqpath_classify",
	.init = classify_init,
	.exit = classify_exit,
	.test_cases = irqpath_classify_cases,
};

kunit_test_suites(&irqpath_classify_suite);
