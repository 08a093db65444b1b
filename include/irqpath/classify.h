/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which path an event took, decided from what the hooks read. KVM-free, so
 * the KUnit suites check every outcome.
 */
#ifndef _IRQPATH_CLASSIFY_H
#define _IRQPATH_CLASSIFY_H

#include "irqpath/registry.h"

bool irqpath_irqfd_deferred(int ret);
struct irqpath_vm *irqpath_vfio_classify(const void *trigger,
					 struct irqpath_vm *irqfd_vm,
					 enum irqpath_counter *path,
					 pid_t *pid);

#endif /* _IRQPATH_CLASSIFY_H */
