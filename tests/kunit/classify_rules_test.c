// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of classify.h's decisions that need no state: how a delivery
 * reached its vCPU (posted or kicked), whether it waits for a VM entry,
 * which vCPU wakeups are PI wakeups, who signalled an irqfd.
 */
#include <kunit/test.h>
#include <linux/sched.h>

#include "irqpath/classify.h"

struct path_case {
	const char *name;
	int apicv;		/* as the hook read it; -1: not readable */
	bool known;
	enum irqpath_counter c;
	enum irqpath_vcpu_col col;
};

static const struct path_case path_cases[] = {
	{ "apicv_on_posted", 1, true, IRQPATH_DELIVERIES_POSTED, IRQPATH_VCOL_POSTED },
	{ "apicv_off_kicked", 0, true, IRQPATH_DELIVERIES_KICKED, IRQPATH_VCOL_KICKED },
	{ "no_layout_neither", -1, false },
};

static void path_case_desc(const struct path_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(path, path_cases, path_case_desc);

/*
 * A delivery is posted exactly when APICv/AVIC is active on its LAPIC, else
 * kicked; unreadable, it is neither, so posted + kicked never overcounts.
 */
static void delivery_path(struct kunit *test)
{
	const struct path_case *p = test->param_value;
	enum irqpath_vcpu_col col = IRQPATH_VCOL_NR;
	enum irqpath_counter c = IRQPATH_NR_COUNTERS;

	KUNIT_EXPECT_EQ(test, irqpath_delivery_path(p->apicv, &c, &col), p->known);
	if (!p->known) {
		KUNIT_EXPECT_EQ(test, c, IRQPATH_NR_COUNTERS);	/* untouched */
		KUNIT_EXPECT_EQ(test, col, IRQPATH_VCOL_NR);
		return;
	}
	KUNIT_EXPECT_EQ(test, c, p->c);
	KUNIT_EXPECT_EQ(test, col, p->col);
}

struct entry_case {
	const char *name;
	int apicv;
	bool in_guest, waits;
};

static const struct entry_case entry_cases[] = {
	{ "kicked_in_guest", 0, true, true },
	{ "kicked_outside", 0, false, true },
	{ "posted_in_guest", 1, true, false },
	{ "posted_outside", 1, false, true },
	{ "unknown_in_guest", -1, true, false },
	{ "unknown_outside", -1, false, true },
};

static void entry_case_desc(const struct entry_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(entry, entry_cases, entry_case_desc);

/*
 * Only a posted interrupt into a vCPU in guest mode reaches it without a VM
 * entry; with APICv unknown a vCPU in the guest can't be timed honestly.
 */
static void entry_waits(struct kunit *test)
{
	const struct entry_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_entry_waits(c->apicv, c->in_guest), c->waits);
}

struct within_case {
	const char *name;
	unsigned long ip, addr, size;
	bool in;
};

static const struct within_case within_cases[] = {
	{ "first_byte", 0xffffffffc0001000UL, 0xffffffffc0001000UL, 0x1a0, true },
	{ "last_byte", 0xffffffffc000119fUL, 0xffffffffc0001000UL, 0x1a0, true },
	{ "just_after", 0xffffffffc00011a0UL, 0xffffffffc0001000UL, 0x1a0, false },
	{ "just_before", 0xffffffffc0000fffUL, 0xffffffffc0001000UL, 0x1a0, false },
	{ "not_attached", 0xffffffffc0001000UL, 0xffffffffc0001000UL, 0, false },
	{ "cleared", 0x10, 0, 0, false },
};

static void within_case_desc(const struct within_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(within, within_cases, within_case_desc);

/*
 * A vCPU wakeup is a PI wakeup exactly when it returns into the PIW or
 * GA-log handler's bytes; a detached handler (size 0) claims none.
 */
static void pi_wakeup_caller(struct kunit *test)
{
	const struct within_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_ip_within(c->ip, c->addr, c->size), c->in);
}

struct signal_case {
	const char *name;
	bool irq;
	unsigned int flags;
	const char *comm;
	pid_t tgid, vmm;
	enum irqpath_signal_col want;
};

static const struct signal_case signal_cases[] = {
	{ "hardirq", true, 0, "swapper/0", 0, 100, IRQPATH_SIG_IRQ },
	{ "vfio_irq_thread", true, PF_KTHREAD, "irq/30-vfio-msi", 0, 100,
	  IRQPATH_SIG_IRQ },
	{ "vhost_kthread", false, PF_KTHREAD, "vhost-100", 7, 100,
	  IRQPATH_SIG_VHOST },
	{ "vhost_user_worker", false, IRQPATH_PF_WORKER, "vhost-100", 100, 100,
	  IRQPATH_SIG_VHOST },
	{ "vmm_main", false, 0, "qemu-system-x86", 100, 100, IRQPATH_SIG_VMM },
	{ "vmm_iothread", false, 0, "IO io0", 100, 100, IRQPATH_SIG_VMM },
	{ "vmm_named_vhost", false, 0, "vhost-100", 100, 100, IRQPATH_SIG_VMM },
	{ "other_process", false, 0, "socat", 200, 100, IRQPATH_SIG_OTHER },
	{ "other_kthread", false, PF_KTHREAD, "kworker/0:1", 9, 100,
	  IRQPATH_SIG_OTHER },
	{ "vmm_unknown", false, 0, "qemu", 0, 0, IRQPATH_SIG_OTHER },
};

static void signal_case_desc(const struct signal_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(signal, signal_cases, signal_case_desc);

/*
 * Each signaller class from its context: an IRQ wins, a vhost worker is a
 * kernel or user worker named vhost-, a thread named so is still the VMM's.
 */
static void signaller_class(struct kunit *test)
{
	const struct signal_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_signaller_of(c->irq, c->flags, c->comm,
						   c->tgid, c->vmm), c->want);
}

static struct kunit_case irqpath_classify_rules_cases[] = {
	KUNIT_CASE_PARAM(delivery_path, path_gen_params),
	KUNIT_CASE_PARAM(entry_waits, entry_gen_params),
	KUNIT_CASE_PARAM(pi_wakeup_caller, within_gen_params),
	KUNIT_CASE_PARAM(signaller_class, signal_gen_params),
	{}
};

static struct kunit_suite irqpath_classify_rules_suite = {
	.name = "irqpath_classify_rules",
	.test_cases = irqpath_classify_rules_cases,
};

kunit_test_suites(&irqpath_classify_rules_suite);
