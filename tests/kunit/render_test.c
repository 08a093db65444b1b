// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/render.c, a VM's files: every one's text checked
 * against the exact expected string (the formats are a contract that
 * scripts parse). The module-wide files are render_module_test.c's.
 */
#include "render_fixture.h"

/* `stats`: one "name value" line per counter, in enum order, full u64 range. */
static void render_stats_lines(struct kunit *test)
{
	struct seq_file *m = render_seq(test);
	struct irqpath_counts *val = render_counts(test);
	unsigned int i;

	for (i = 0; i < IRQPATH_NR_COUNTERS; i++)
		val->c[i] = i * 10;
	val->c[IRQPATH_MSI_INJECTS] = 1000000;
	val->c[IRQPATH_VCPU_DELIVERIES] = U64_MAX;
	irqpath_render_stats(m, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "irqfd_wakeups 0\n"
			   "irqfd_fast 10\n"
			   "irqfd_deferred 20\n"
			   "irqfd_injects 30\n"
			   "msi_injects 1000000\n"
			   "vcpu_deliveries 18446744073709551615\n"
			   "vfio_msi 60\n"
			   "vfio_msi_irqfd 70\n"
			   "vfio_msi_userspace 80\n"
			   "bypass_add 90\n"
			   "bypass_del 100\n"
			   "irte_posted 110\n"
			   "irte_remapped 120\n"
			   "deliveries_posted 130\n"
			   "deliveries_kicked 140\n"
			   "pi_wakeups 150\n"
			   "latency_lost 160\n"
			   "latency_merged 170\n");
}

/* `gsi` of a VM that saw no GSI: the header line only. */
static void render_gsi_empty(struct kunit *test)
{
	struct seq_file *m = render_seq(test);

	irqpath_render_gsi(m, render_vm(test), render_counts(test), NULL);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "gsi wakeups fast deferred injects route irq vhost vmm other\n");
}

/*
 * `gsi`: rows sorted by GSI whatever slot each got (88 collides with 24 and
 * takes its slot), GSI 0 and the largest id included, "other" only when used.
 */
static void render_gsi_rows(struct kunit *test)
{
	struct irqpath_vm *vm = render_vm(test);
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);
	struct irqpath_gsi_routes *routes;
	unsigned int s88, s24, s25, smax;

	routes = kunit_kcalloc(test, IRQPATH_SLOTS, sizeof(*routes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, routes);

	s88 = irqpath_slot_get(&vm->gsi_slots, 88);
	s24 = irqpath_slot_get(&vm->gsi_slots, 24);
	s25 = irqpath_slot_get(&vm->gsi_slots, 25);
	/* GSI 0 has a slot and no count: a row of zeros */
	KUNIT_ASSERT_LT(test, irqpath_slot_get(&vm->gsi_slots, 0), IRQPATH_SLOTS);
	smax = irqpath_slot_get(&vm->gsi_slots, U32_MAX - 1);
	KUNIT_ASSERT_EQ(test, s88, 24U);
	val->gsi[s88][IRQPATH_GSI_WAKEUPS] = 8;
	val->gsi[s24][IRQPATH_GSI_WAKEUPS] = 10;
	val->gsi[s24][IRQPATH_GSI_FAST] = 9;
	val->gsi[s24][IRQPATH_GSI_DEFERRED] = 1;
	val->gsi[s24][IRQPATH_GSI_INJECTS] = 1;
	val->gsi[s25][IRQPATH_GSI_INJECTS] = 3;
	val->gsi[smax][IRQPATH_GSI_FAST] = U64_MAX;
	irqpath_render_gsi(m, vm, val, NULL);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "gsi wakeups fast deferred injects route irq vhost vmm other\n"
			   "0 0 0 0 0 - 0 0 0 0\n"
			   "24 10 9 1 1 - 0 0 0 0\n"
			   "25 0 0 0 3 - 0 0 0 0\n"
			   "88 8 0 0 0 - 0 0 0 0\n"
			   "4294967294 0 18446744073709551615 0 0 - 0 0 0 0\n");

	m = render_seq(test);
	val->gsi[IRQPATH_SLOT_OTHER][IRQPATH_GSI_DEFERRED] = 7;
	routes[s24].read = true;
	routes[s24].nr = 1;
	routes[s24].r[0].kind = IRQPATH_ROUTE_MSI;
	routes[s24].r[0].addr_lo = 0xfee01000;
	routes[s24].r[0].data = 0x30;
	routes[s25].read = true;
	val->signal[s24][IRQPATH_SIG_IRQ] = 1;
	val->signal[s24][IRQPATH_SIG_VHOST] = 2;
	val->signal[s24][IRQPATH_SIG_VMM] = 3;
	val->signal[s24][IRQPATH_SIG_OTHER] = 4;
	val->signal[IRQPATH_SLOT_OTHER][IRQPATH_SIG_VMM] = 7;
	irqpath_render_gsi(m, vm, val, routes);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "gsi wakeups fast deferred injects route irq vhost vmm other\n"
			   "0 0 0 0 0 ? 0 0 0 0\n"
			   "24 10 9 1 1 msi:vec=48,dest=1,phys,fixed,edge 1 2 3 4\n"
			   "25 0 0 0 3 - 0 0 0 0\n"
			   "88 8 0 0 0 ? 0 0 0 0\n"
			   "4294967294 0 18446744073709551615 0 0 ? 0 0 0 0\n"
			   "other 0 0 7 0 - 0 0 7 0\n");
}

/*
 * `signallers`: each class summed over the GSIs and "other", then the
 * other processes in pid order, a pid counted 0 since a reset left out.
 */
static void render_signaller_lines(struct kunit *test)
{
	struct irqpath_vm *vm = render_vm(test);
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);
	unsigned int s24 = irqpath_slot_get(&vm->gsi_slots, 24);

	irqpath_render_signallers(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "irq 0\nvhost 0\nvmm 0\nother 0\n");

	val->signal[s24][IRQPATH_SIG_IRQ] = 5;
	val->signal[s24][IRQPATH_SIG_OTHER] = 9;
	val->signal[IRQPATH_SLOT_OTHER][IRQPATH_SIG_OTHER] = 3;
	val->signal[IRQPATH_SLOT_OTHER][IRQPATH_SIG_VMM] = 2;
	val->other_pid[irqpath_slot_get(&vm->signal_slots, 4242)] = 8;
	val->other_pid[irqpath_slot_get(&vm->signal_slots, 17)] = 0;
	val->other_pid[irqpath_slot_get(&vm->signal_slots, 100)] = 3;
	val->other_pid[IRQPATH_SLOT_OTHER] = 1;
	m = render_seq(test);
	irqpath_render_signallers(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "irq 5\nvhost 0\nvmm 2\nother 12\n"
			   "other_pid_100 3\nother_pid_4242 8\n"
			   "other_pid_other 1\n");
}

/* `vcpus`: header, rows in vCPU id order, "other" only when it counted. */
static void render_vcpus_rows(struct kunit *test)
{
	struct irqpath_vm *vm = render_vm(test);
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);
	unsigned int i;
	u64 *row;

	irqpath_render_vcpus(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "vcpu deliveries posted kicked pi_wakeups\n");

	for (i = 3; i-- > 0;) {
		row = val->vcpu[irqpath_slot_get(&vm->vcpu_slots, i)];
		row[IRQPATH_VCOL_DELIVERIES] = 100 + i;
		row[IRQPATH_VCOL_POSTED] = i;
		row[IRQPATH_VCOL_KICKED] = 100;
		row[IRQPATH_VCOL_PI_WAKEUPS] = 7 * i;
	}
	m = render_seq(test);
	irqpath_render_vcpus(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "vcpu deliveries posted kicked pi_wakeups\n"
			   "0 100 0 100 0\n1 101 1 100 7\n2 102 2 100 14\n");

	/* a row that counted only wakeups is shown all the same */
	val->vcpu[IRQPATH_SLOT_OTHER][IRQPATH_VCOL_PI_WAKEUPS] = 5;
	m = render_seq(test);
	irqpath_render_vcpus(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "vcpu deliveries posted kicked pi_wakeups\n"
			   "0 100 0 100 0\n1 101 1 100 7\n2 102 2 100 14\n"
			   "other 0 0 0 5\n");
}

struct info_case {
	const char *desc;
	bool discovered;
	pid_t pid;
	const char *comm;
	const char *found;
};

static const struct info_case info_cases[] = {
	{ "created", false, 4321, "qemu-system-x86", "create" },
	{ "discovered", true, 1, "?", "event" },
	{ "pid_int_max", false, INT_MAX, "cloud-hypervisor", "create" },
};

KUNIT_ARRAY_PARAM_DESC(info, info_cases, desc);

/* `info`: name, pid, comm, hashed kvm address (%p), how it was found. */
static void render_info_lines(struct kunit *test)
{
	const struct info_case *p = test->param_value;
	struct irqpath_vm *vm = render_vm(test);
	struct seq_file *m = render_seq(test);
	char *want = kunit_kzalloc(test, 256, GFP_KERNEL);
	static int some_kvm;

	KUNIT_ASSERT_NOT_NULL(test, want);
	vm->key = &some_kvm;
	vm->pid = p->pid;
	vm->discovered = p->discovered;
	snprintf(vm->name, sizeof(vm->name), "%d-42", p->pid);
	irqpath_render_info(m, vm, p->comm);
	/* %p hashes: compare with the same pointer through the same format. */
	snprintf(want, 256, "name %d-42\npid %d\ncomm %s\nkvm %p\nfound %s\n",
		 p->pid, p->pid, p->comm, (void *)&some_kvm, p->found);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), want);
}

/* `producers`: header, then "<irq> <gsi> <mode> <updates>" per row, in the given order. */
static void render_producer_rows(struct kunit *test)
{
	static const struct irqpath_producer prods[] = {
		{ .irq = 45, .gsi = 24, .mode = IRQPATH_PRODUCER_CONNECTED, .updates = 0 },
		{ .irq = 12, .gsi = 25, .mode = IRQPATH_PRODUCER_POSTED, .updates = 1 },
		{ .irq = 1000, .gsi = U32_MAX, .mode = IRQPATH_PRODUCER_REMAPPED,
		  .updates = U32_MAX },
	};
	struct seq_file *m = render_seq(test);

	irqpath_render_producers(m, prods, 0);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), "irq gsi mode updates\n");
	m = render_seq(test);
	irqpath_render_producers(m, prods, ARRAY_SIZE(prods));
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "irq gsi mode updates\n"
			   "45 24 connected 0\n"
			   "12 25 posted 1\n"
			   "1000 4294967295 remapped 4294967295\n");
}

/* `stats` ends with the producers gauge; `unattributed` with its two figures. */
static void render_stats_tails(struct kunit *test)
{
	struct irqpath_counts *val = render_counts(test);
	struct irqpath_vm *vm = render_vm(test);
	struct seq_file *m = render_seq(test);
	const char *text;

	irqpath_render_vm_stats(m, val, 5);
	text = render_text(test, m);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\npi_wakeups 0\nlatency_lost 0\n"
					   "latency_merged 0\nproducers_active 5\n"));
	KUNIT_EXPECT_EQ(test, (int)strlen(strstr(text, "producers_active")),
			(int)strlen("producers_active 5\n"));

	val->owner[irqpath_slot_get(&vm->owner_slots, 9)] = 2;
	m = render_seq(test);
	irqpath_render_unattributed(m, vm, val, 7, 1);
	text = render_text(test, m);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\npi_wakeups 0\nlatency_lost 0\n"
					   "latency_merged 0\nvfio_msi_pid_9 2\n"
					   "probe_missed 7\nvm_alloc_failed 1\n"));
}

static struct kunit_case irqpath_render_cases[] = {
	KUNIT_CASE(render_stats_lines),
	KUNIT_CASE(render_gsi_empty),
	KUNIT_CASE(render_gsi_rows),
	KUNIT_CASE(render_signaller_lines),
	KUNIT_CASE(render_vcpus_rows),
	KUNIT_CASE_PARAM(render_info_lines, info_gen_params),
	KUNIT_CASE(render_producer_rows),
	KUNIT_CASE(render_stats_tails),
	{}
};

static struct kunit_suite irqpath_render_suite = {
	.name = "irqpath_render",
	.test_cases = irqpath_render_cases,
};

kunit_test_suites(&irqpath_render_suite);
