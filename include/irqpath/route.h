/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GSI's routes as KVM holds them, decoded into what a user can match with
 * the guest's /proc/interrupts: an MSI's vector, destination and modes, or
 * an interrupt controller's pin. Read when a file is read, never on the
 * hot path. KVM-free, so KUnit checks every form.
 */
#ifndef _IRQPATH_ROUTE_H
#define _IRQPATH_ROUTE_H

#include <linux/types.h>

/* A GSI has at most a PIC and an IOAPIC pin, or one MSI. */
#define IRQPATH_ROUTES_PER_GSI	3

/* Longest text: three routes joined by '+', "-" for none. */
#define IRQPATH_ROUTE_TEXT	128

enum irqpath_route_kind {
	IRQPATH_ROUTE_MSI,
	IRQPATH_ROUTE_IOAPIC,
	IRQPATH_ROUTE_PIC_MASTER,
	IRQPATH_ROUTE_PIC_SLAVE,
	IRQPATH_ROUTE_OTHER,	/* Hyper-V SINT, Xen event channel, ... */
};

struct irqpath_route {
	enum irqpath_route_kind kind;
	u32 pin;			/* IOAPIC or PIC */
	u32 addr_lo, addr_hi, data;	/* MSI */
};

/* The routes of one GSI; nr 0 when it has none. */
struct irqpath_gsi_routes {
	unsigned int nr;
	bool read;		/* false: they could not be read ("?") */
	struct irqpath_route r[IRQPATH_ROUTES_PER_GSI];
};

void irqpath_route_text(char *buf, size_t size,
			const struct irqpath_gsi_routes *routes);

#endif /* _IRQPATH_ROUTE_H */
