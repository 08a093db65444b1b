/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IRQPATH_PI_IPIS_H
#define _IRQPATH_PI_IPIS_H

#include <linux/seq_file.h>

int irqpath_pi_ipis_init(void);
void irqpath_pi_ipis_exit(void);
void irqpath_pi_ipis_reset(void);
void irqpath_pi_ipis_show(struct seq_file *m);

#endif /* _IRQPATH_PI_IPIS_H */
