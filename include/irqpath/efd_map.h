/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Eventfds that a process registered as an interrupt producer (VFIO's MSI
 * triggers), with the process and host IRQ: what ties an MSI that no irqfd
 * consumes to the VMM that reads it.
 */
#ifndef _IRQPATH_EFD_MAP_H
#define _IRQPATH_EFD_MAP_H

#include <linux/types.h>

int irqpath_efd_add(const void *ctx, pid_t pid, int irq);
void irqpath_efd_del(const void *ctx);
bool irqpath_efd_lookup(const void *ctx, pid_t *pid, int *irq);
unsigned int irqpath_efd_count(void);
unsigned long irqpath_efd_bytes(void);
void irqpath_efd_exit(void);

#endif /* _IRQPATH_EFD_MAP_H */
