// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/render.c, the module-wide files: `summary` and its
 * verdicts, `unattributed`'s owner rows, `memory`, `pi_ipis`, `probes`,
 * each checked against the exact expected string, and the parser of the
 * control file `reset`.
 */
#include "parse_cases.h"
#include "render_fixture.h"

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
	struct irqpath_verdict v;
	const char *text;

	val->c[IRQPATH_VFIO_MSI] = p->msi;
	val->c[IRQPATH_VFIO_MSI_USERSPACE] = p->user;
	val->c[IRQPATH_VFIO_MSI_IRQFD] = p->irqfd;
	irqpath_verdict_keep(&v, "4321-7", val, p->producers, p->posted);
	irqpath_render_verdict(m, &v);
	text = render_text(test, m);
	KUNIT_EXPECT_EQ(test, strncmp(text, "4321-7: ", 8), 0);
	KUNIT_EXPECT_STREQ(test, text + 8, p->want);
}

/* A verdict keeps what it needs: the counts may change after it is kept. */
static void render_verdict_kept(struct kunit *test)
{
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);
	struct irqpath_verdict v;

	val->c[IRQPATH_VFIO_MSI] = 10;
	val->c[IRQPATH_VFIO_MSI_USERSPACE] = 10;
	irqpath_verdict_keep(&v, "a-name-longer-than-thirty-one-bytes-1", val, 0, 0);
	memset(val->c, 0, sizeof(val->c));
	irqpath_render_verdict(m, &v);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "a-name-longer-than-thirty-one-b: 10 of 10 VFIO MSIs went to userspace: no irqfd on these eventfds\n");
}

/* `summary`'s tail: a blank line, then the kept verdicts in their order. */
static void render_verdicts_tail(struct kunit *test)
{
	struct irqpath_counts *val = render_counts(test);
	struct seq_file *m = render_seq(test);
	struct irqpath_verdict v[2];

	irqpath_verdict_keep(&v[0], "1-1", val, 0, 0);
	val->c[IRQPATH_VFIO_MSI] = 3;
	val->c[IRQPATH_VFIO_MSI_IRQFD] = 3;
	irqpath_verdict_keep(&v[1], "2-2", val, 0, 0);
	irqpath_render_verdicts(m, v, 0);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), "\n");
	m = render_seq(test);
	irqpath_render_verdicts(m, v, 2);
	KUNIT_EXPECT_STREQ(test, render_text(test, m),
			   "\n1-1: no VFIO interrupts seen\n"
			   "2-2: 3 of 3 VFIO MSIs took the irqfd path in the host\n");
}

/* The `latency` switch reads back as "0" or "1". */
static void render_switch_read(struct kunit *test)
{
	struct seq_file *m = render_seq(test);

	irqpath_render_switch(m, false);
	irqpath_render_switch(m, true);
	KUNIT_EXPECT_STREQ(test, render_text(test, m), "0\n1\n");
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

/* `reset` accepts exactly "1" or "1\n"; every other write is -EINVAL. */
static void render_parse_reset(struct kunit *test)
{
	const struct parse_case *p = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_parse_reset(p->buf, p->len), p->reset);
}

static struct kunit_case irqpath_render_module_cases[] = {
	KUNIT_CASE(render_summary_header_line),
	KUNIT_CASE(render_summary_rows),
	KUNIT_CASE_PARAM(render_verdict_line, verdict_gen_params),
	KUNIT_CASE(render_verdict_kept),
	KUNIT_CASE(render_verdicts_tail),
	KUNIT_CASE(render_switch_read),
	KUNIT_CASE(render_owner_rows),
	KUNIT_CASE(render_probe_lines),
	KUNIT_CASE(render_memory_lines),
	KUNIT_CASE(render_pi_rows),
	KUNIT_CASE_PARAM(render_parse_reset, parse_gen_params),
	{}
};

static struct kunit_suite irqpath_render_module_suite = {
	.name = "irqpath_render_module",
	.test_cases = irqpath_render_module_cases,
};

kunit_test_suites(&irqpath_render_module_suite);
