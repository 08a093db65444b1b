// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of a GSI's routes for the `gsi` file (see route.h). The MSI
 * fields are the x86 ones KVM decodes in kvm_set_msi_irq(): address bits
 * 19:12 and address_hi bits 31:8 the destination APIC id, bit 2 logical
 * destination; data bits 7:0 the vector, 10:8 the delivery mode, 15 level.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "irqpath/route.h"

static const char *const irqpath_dm_names[8] = {
	"fixed", "lowest", "smi", "dm3", "nmi", "init", "dm6", "extint",
};

static int irqpath_route_one(char *buf, size_t size,
			     const struct irqpath_route *r)
{
	u32 dest;

	switch (r->kind) {
	case IRQPATH_ROUTE_MSI:
		dest = ((r->addr_lo >> 12) & 0xff) | (r->addr_hi & 0xffffff00);
		return scnprintf(buf, size, "msi:vec=%u,dest=%u,%s,%s,%s",
				 r->data & 0xff, dest,
				 r->addr_lo & BIT(2) ? "logical" : "phys",
				 irqpath_dm_names[(r->data >> 8) & 7],
				 r->data & BIT(15) ? "level" : "edge");
	case IRQPATH_ROUTE_IOAPIC:
		return scnprintf(buf, size, "ioapic:%u", r->pin);
	case IRQPATH_ROUTE_PIC_MASTER:
		return scnprintf(buf, size, "pic:%u", r->pin);
	case IRQPATH_ROUTE_PIC_SLAVE:
		return scnprintf(buf, size, "pic-slave:%u", r->pin);
	default:
		return scnprintf(buf, size, "other");
	}
}

/*
 * One field, no blanks: the routes joined by '+', "-" when the GSI has
 * none, "?" when they could not be read (the VM going, KVM without the
 * symbols).
 */
void irqpath_route_text(char *buf, size_t size,
			const struct irqpath_gsi_routes *routes)
{
	size_t len = 0;
	unsigned int i;

	if (!size)
		return;
	if (!routes->read || !routes->nr) {
		strscpy(buf, routes->read ? "-" : "?", size);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < routes->nr && i < IRQPATH_ROUTES_PER_GSI; i++) {
		if (i)
			len += scnprintf(buf + len, size - len, "+");
		len += irqpath_route_one(buf + len, size - len, &routes->r[i]);
	}
}
