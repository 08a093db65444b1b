/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IRQPATH_DEBUGFS_H
#define _IRQPATH_DEBUGFS_H

#include "irqpath/registry.h"

extern const struct irqpath_registry_ops irqpath_debugfs_ops;

int irqpath_debugfs_init(void);
void irqpath_debugfs_files_create(void);
void irqpath_debugfs_files_remove(void);
void irqpath_debugfs_exit(void);

#endif /* _IRQPATH_DEBUGFS_H */
