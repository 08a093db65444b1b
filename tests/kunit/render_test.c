// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/render.c: every debugfs file's text checked against
 * the exact expected string (the formats are a contract that scripts
 * parse), and the parser of the control file `reset`.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "irqpath/render.h"

#define RENDER_BUF_SIZE	8192

/* A seq_file that renders into a zeroed kmalloc'ed buffer, freed by KUnit. */
static struct seq_file *render_seq(struct kunit *test)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = RENDER_BUF_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	return m;
}

/* The buffer as a string; fails the case when the text did not fit. */
static const char *render_text(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	KUNIT_ASSERT_LT(test, m->count, m->size);
	m->buf[m->count] = '\0';
	return m->buf;
}

static struct irqpath_counts *render_counts(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, val);
	return val;
}

static struct irqpath_vm *render_vm(struct kunit *test)
{
	struct irqpath_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	return vm;
}

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
	unsigned int s88, s24, s25, s0, smax;

	routes = kunit_kcalloc(test, IRQPATH_SLOTS, sizeof(*routes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, routes);

	s88 = irqpath_slot_get(&vm->gsi_slots, 88);
	s24 = irqpath_slot_get(&vm->gsi_slots, 24);
	s25 = irqpath_slot_get(&vm->gsi_slots, 25);
	s0 = irqpath_slot_get(&vm->gsi_slots, 0);
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

#define SUMMARY_HEADER \
	"vm                        pid comm                  irqfd       fast   deferred    injects signal_msi deliveries  vfio_user vfio_irqfd    posted dlv_posted dlv_kicked pi_wakeups\n"

/* `summary` header: fixed-width vm/pid/comm, short right-aligned titles, posted. */
static void render_summary_header_line(struct kunit *test)
{
	struct seq_file *m = render_seq(test);

	irqpath_render_summary_header(m);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), SUMMARY_HEADER);
}

/*
 * `summary` rows: counts under their titles (vfio_user first), then
 * "<posted>/<producers>", then the delivery paths added after it.
 */
static void render_summary_rows(struct kunit *test)
{
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);

	val->c[IRQPATH_IRQFD_WAKEUPS] = 1;
	val->c[IRQPATH_IRQFD_FAST] = 22;
	val->c[IRQPATH_IRQFD_DEFERRED] = 333;
	val->c[IRQPATH_IRQFD_INJECTS] = 4444;
	val->c[IRQPATH_VCPU_DELIVERIES] = 123456789;
	val->c[IRQPATH_VFIO_MSI] = 7;		/* not a column */
	val->c[IRQPATH_VFIO_MSI_IRQFD] = 8;
	val->c[IRQPATH_VFIO_MSI_USERSPACE] = 9;
	val->c[IRQPATH_BYPASS_ADD] = 5;		/* not a column */
	val->c[IRQPATH_DELIVERIES_POSTED] = 100;
	val->c[IRQPATH_DELIVERIES_KICKED] = 123456689;
	val->c[IRQPATH_PI_WAKEUPS] = 3;
	irqpath_render_summary_header(m);
	irqpath_render_summary_row(m, "4321-7", "4321", "qemu-system-x86", val, 3, 1);
	memset(val->c, 0, sizeof(val->c));
	val->c[IRQPATH_VCPU_DELIVERIES] = U64_MAX;
	irqpath_render_summary_row(m, "unattributed", "-", "-", val, 0, 0);
	memset(val->c, 0, sizeof(val->c));
	irqpath_render_summary_row(m, "x", "1", "y", val, UINT_MAX, UINT_MAX);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   SUMMARY_HEADER
			   "4321-7                   4321 qemu-system-x86           1         22        333       4444          0  123456789          9          8       1/3        100  123456689          3\n"
			   "unattributed                - -                         0          0          0          0          0 18446744073709551615          0          0       0/0          0          0          0\n"
			   "x                           1 y                         0          0          0          0          0          0          0          0 4294967295/4294967295          0          0          0\n");
}

struct verdict_case {
	const char *desc;
	u64 msi, user, irqfd;
	unsigned int producers, posted;
	const char *want;
};

#define VERDICT_CONNECTED \
	"10 of 10 VFIO MSIs took the irqfd path in the host: 2 bypass producer(s) connected, none posted\n"

static const struct verdict_case verdict_cases[] = {
	{ "nothing", 0, 0, 0, 0, 0, "no VFIO interrupts seen\n" },
	{ "all_posted", 0, 0, 0, 4, 4,
	  "all 4 VFIO vectors posted: delivered by the IOMMU, no host code runs\n" },
	{ "producers_no_msi", 0, 0, 0, 2, 0,
	  "0 of 2 VFIO vectors posted, no VFIO MSI reached the host\n" },
	{ "userspace", 10, 10, 0, 0, 0,
	  "10 of 10 VFIO MSIs went to userspace: no irqfd on these eventfds\n" },
	{ "irqfd_connected", 10, 0, 10, 2, 0, VERDICT_CONNECTED },
	{ "irqfd_no_producer", 10, 0, 10, 0, 0,
	  "10 of 10 VFIO MSIs took the irqfd path in the host\n" },
	{ "irqfd_some_posted", 10, 0, 10, 4, 1,
	  "10 of 10 VFIO MSIs took the irqfd path in the host\n" },
	{ "mixed_no_producer", 10, 3, 7, 0, 0,
	  "10 VFIO MSIs: 3 to userspace, 7 on irqfds\n" },
	{ "mixed", 10, 3, 7, 4, 1,
	  "10 VFIO MSIs: 3 to userspace, 7 on irqfds; 1 of 4 vectors posted\n" },
};

KUNIT_ARRAY_PARAM_DESC(verdict, verdict_cases, desc);

/* `verdict`: the one line for each way a VM's VFIO interrupts can go. */
static void render_verdict_line(struct kunit *test)
{
	const struct verdict_case *p = test->param_value;
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);

	val->c[IRQPATH_VFIO_MSI] = p->msi;
	val->c[IRQPATH_VFIO_MSI_USERSPACE] = p->user;
	val->c[IRQPATH_VFIO_MSI_IRQFD] = p->irqfd;
	irqpath_render_verdict(m, val, p->producers, p->posted);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), p->want);
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

/* Unattributed VFIO MSIs per owner pid, in pid order; "other" only when used. */
static void render_owner_rows(struct kunit *test)
{
	struct irqpath_vm *vm = render_vm(test);
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);

	irqpath_render_owners(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), "");

	val->owner[irqpath_slot_get(&vm->owner_slots, 4242)] = 3;
	val->owner[irqpath_slot_get(&vm->owner_slots, 17)] = 0;
	val->owner[irqpath_slot_get(&vm->owner_slots, 100)] = 12;
	m = render_seq(test);
	irqpath_render_owners(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "vfio_msi_pid_17 0\n"
			   "vfio_msi_pid_100 12\n"
			   "vfio_msi_pid_4242 3\n");

	val->owner[IRQPATH_SLOT_OTHER] = 2;
	m = render_seq(test);
	irqpath_render_owners(m, vm, val);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "vfio_msi_pid_17 0\n"
			   "vfio_msi_pid_100 12\n"
			   "vfio_msi_pid_4242 3\n"
			   "vfio_msi_pid_other 2\n");
}

/* `memory`: eleven "key value" lines in their order, the table's three last. */
static void render_memory_lines(struct kunit *test)
{
	const struct irqpath_memory mem = {
		.vms = 3, .spares = 16, .eventfds = 1, .bytes = 12345678901UL,
		.vm_bytes = 7808, .vm_cpu_bytes = 224, .row_bytes = 40,
		.cpus = 384, .rows_per_cpu = 512, .rows_used = 7,
		.rows_full = U64_MAX,
	};
	struct seq_file *m = render_seq(test);

	irqpath_render_memory(m, &mem);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "vms 3\nspares 16\neventfds 1\nbytes 12345678901\n"
			   "vm_bytes 7808\nvm_cpu_bytes 224\ngsi_cpu_bytes 40\n"
			   "cpus 384\nrows_per_cpu 512\nrows_used 7\n"
			   "rows_full 18446744073709551615\n");
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

/* `pi_ipis`: header, rows with "-" for a PMN the kernel lacks, u64 totals. */
static void render_pi_rows(struct kunit *test)
{
	const u64 v[IRQPATH_PI_NR] = { 1, 2, 3, 4 };
	const u64 big[IRQPATH_PI_NR] = { 1ULL << 33, 0, 0, 9 };
	struct seq_file *m = render_seq(test);

	irqpath_render_pi_header(m);
	irqpath_render_pi_row(m, "0", v, true);
	irqpath_render_pi_row(m, "1", v, false);
	irqpath_render_pi_row(m, "total", big, true);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "cpu PIN NPI PIW PMN\n0 1 2 3 4\n1 1 2 3 -\n"
			   "total 8589934592 0 0 9\n");
}

/* `probes`: "<probe> <symbol|-> <state> <hits> <via> <proto>" per line. */
static void render_probe_lines(struct kunit *test)
{
	struct seq_file *m = render_seq(test);

	irqpath_render_probe(m, "irqfd_wakeup", "irqfd_wakeup", "attached", 1001,
			     "direct", "btf", "-");
	irqpath_render_probe(m, "vfio_msi", "-", "missing", 0, "-", "-", "-");
	irqpath_render_probe(m, "svm_deliver", "svm_deliver_interrupt", "gone",
			     U64_MAX, "-", "-", "-");
	irqpath_render_probe(m, "irte_changed", "kvm_pi_irte_update",
			     "mismatch", 0, "-", "mismatch", "-");
	irqpath_render_probe(m, "vmx_deliver", "vmx_deliver_interrupt",
			     "attached", 302, "direct", "btf", "missing");
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "irqfd_wakeup irqfd_wakeup attached 1001 direct btf -\n"
			   "vfio_msi - missing 0 - - -\n"
			   "svm_deliver svm_deliver_interrupt gone 18446744073709551615 - - -\n"
			   "irte_changed kvm_pi_irte_update mismatch 0 - mismatch -\n"
			   "vmx_deliver vmx_deliver_interrupt attached 302 direct btf missing\n");
}

struct reset_case {
	const char *desc;
	const char *buf;
	size_t len;
	int ret;
};

/* A write far longer than any valid one. */
static const char reset_long[4096] = { [0 ... 4095] = '1' };

#define RESET(d, s, r)	{ d, s, sizeof(s) - 1, r }

static const struct reset_case reset_cases[] = {
	RESET("one", "1", 0),
	RESET("one_newline", "1\n", 0),
	RESET("empty", "", -EINVAL),
	RESET("zero", "0", -EINVAL),
	RESET("two", "2", -EINVAL),
	RESET("eleven", "11", -EINVAL),
	RESET("one_x", "1x", -EINVAL),
	RESET("x_one", "x1", -EINVAL),
	RESET("space_one", " 1", -EINVAL),
	RESET("one_space", "1 ", -EINVAL),
	RESET("minus_one", "-1", -EINVAL),
	RESET("newline", "\n", -EINVAL),
	RESET("one_two_newlines", "1\n\n", -EINVAL),
	RESET("one_cr_lf", "1\r\n", -EINVAL),
	RESET("one_cr", "1\r", -EINVAL),
	RESET("nul", "\0", -EINVAL),
	RESET("one_nul", "1\0", -EINVAL),
	RESET("binary", "\xff\x01", -EINVAL),
	RESET("binary_one", "\2011", -EINVAL),
	RESET("newline_one", "\n1", -EINVAL),
	{ "very_long", reset_long, sizeof(reset_long), -EINVAL },
	{ "one_len3", "1\n1", 3, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(reset, reset_cases, desc);

/* `reset` accepts exactly "1" or "1\n"; every other write is -EINVAL. */
static void render_parse_reset(struct kunit *test)
{
	const struct reset_case *p = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_parse_reset(p->buf, p->len), p->ret);
}

static struct kunit_case irqpath_render_cases[] = {
	KUNIT_CASE(render_stats_lines),
	KUNIT_CASE(render_gsi_empty),
	KUNIT_CASE(render_gsi_rows),
	KUNIT_CASE(render_signaller_lines),
	KUNIT_CASE(render_vcpus_rows),
	KUNIT_CASE_PARAM(render_info_lines, info_gen_params),
	KUNIT_CASE(render_summary_header_line),
	KUNIT_CASE(render_summary_rows),
	KUNIT_CASE_PARAM(render_verdict_line, verdict_gen_params),
	KUNIT_CASE(render_producer_rows),
	KUNIT_CASE(render_owner_rows),
	KUNIT_CASE(render_probe_lines),
	KUNIT_CASE(render_memory_lines),
	KUNIT_CASE(render_stats_tails),
	KUNIT_CASE(render_pi_rows),
	KUNIT_CASE_PARAM(render_parse_reset, reset_gen_params),
	{}
};

static struct kunit_suite irqpath_render_suite = {
	.name = "irqpath_render",
	.test_cases = irqpath_render_cases,
};

kunit_test_suites(&irqpath_render_suite);
