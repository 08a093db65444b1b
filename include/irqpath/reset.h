/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IRQPATH_RESET_H
#define _IRQPATH_RESET_H

void irqpath_reset(void);

#endif /* _IRQPATH_RESET_H */
