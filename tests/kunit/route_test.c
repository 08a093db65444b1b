// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/route.c: a GSI's routes as the `gsi` file shows them.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "irqpath/route.h"

struct route_case {
	const char *desc;
	struct irqpath_gsi_routes routes;
	const char *want;
};

#define MSI(lo, hi, d)	{ .kind = IRQPATH_ROUTE_MSI, .addr_lo = (lo), .addr_hi = (hi), .data = (d) }
#define CHIP(k, p)	{ .kind = (k), .pin = (p) }

static const struct route_case route_cases[] = {
	/* what vmfire sets: vector 0x30 to APIC 0 */
	{ "msi_phys_fixed_edge", { 1, true, { MSI(0xfee00000, 0, 0x30) } },
	  "msi:vec=48,dest=0,phys,fixed,edge" },
	{ "msi_logical_lowest_level", { 1, true, { MSI(0xfee0f004, 0, 0x80f1 | 1 << 8) } },
	  "msi:vec=241,dest=15,logical,lowest,level" },
	{ "msi_nmi", { 1, true, { MSI(0xfee02000, 0, 4 << 8) } },
	  "msi:vec=0,dest=2,phys,nmi,edge" },
	/* x2APIC: destination bits 31:8 in address_hi */
	{ "msi_x2apic_dest", { 1, true, { MSI(0xfee05000, 0x100, 0x41) } },
	  "msi:vec=65,dest=261,phys,fixed,edge" },
	{ "ioapic", { 1, true, { CHIP(IRQPATH_ROUTE_IOAPIC, 17) } }, "ioapic:17" },
	/* a legacy GSI below 16: both chips, as KVM's default routing has it */
	{ "pic_and_ioapic", { 2, true, { CHIP(IRQPATH_ROUTE_PIC_MASTER, 5),
					 CHIP(IRQPATH_ROUTE_IOAPIC, 5) } },
	  "pic:5+ioapic:5" },
	{ "pic_slave", { 1, true, { CHIP(IRQPATH_ROUTE_PIC_SLAVE, 2) } }, "pic-slave:2" },
	{ "other", { 1, true, { { .kind = IRQPATH_ROUTE_OTHER } } }, "other" },
	{ "none", { 0, true }, "-" },
	{ "unread", { 0, false }, "?" },
	/* more than fit is not read past the array */
	{ "three", { 3, true, { CHIP(IRQPATH_ROUTE_PIC_MASTER, 1),
				CHIP(IRQPATH_ROUTE_IOAPIC, 1),
				MSI(0xfee00000, 0, 0x22) } },
	  "pic:1+ioapic:1+msi:vec=34,dest=0,phys,fixed,edge" },
};

KUNIT_ARRAY_PARAM_DESC(route, route_cases, desc);

/* Each form decodes to the one field a user matches with the guest's vectors. */
static void route_text_forms(struct kunit *test)
{
	const struct route_case *c = test->param_value;
	char buf[IRQPATH_ROUTE_TEXT];

	memset(buf, 'x', sizeof(buf));
	irqpath_route_text(buf, sizeof(buf), &c->routes);
	KUNIT_EXPECT_STREQ(test, buf, c->want);
	KUNIT_EXPECT_NULL(test, strchr(buf, ' '));
}

/* A short buffer is cut, still terminated; a zero size writes nothing. */
static void route_text_short(struct kunit *test)
{
	const struct irqpath_gsi_routes r = { 1, true, { MSI(0xfee00000, 0, 0x30) } };
	char buf[8] = "unset";

	irqpath_route_text(buf, 8, &r);
	KUNIT_EXPECT_STREQ(test, buf, "msi:vec");
	irqpath_route_text(buf, 0, &r);
	KUNIT_EXPECT_STREQ(test, buf, "msi:vec");
}

static struct kunit_case irqpath_route_cases[] = {
	KUNIT_CASE_PARAM(route_text_forms, route_gen_params),
	KUNIT_CASE(route_text_short),
	{}
};

static struct kunit_suite irqpath_route_suite = {
	.name = "irqpath_route",
	.test_cases = irqpath_route_cases,
};

kunit_test_suites(&irqpath_route_suite);
