/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IRQPATH_HOLD_DIRECT_H
#define _IRQPATH_HOLD_DIRECT_H

/* The direct-call stub of irqpath_hold_direct.c, in asm: returns at once. */
void hold_direct_stub(void);

#endif /* _IRQPATH_HOLD_DIRECT_H */
