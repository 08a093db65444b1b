/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IRQPATH_FLOOR_H
#define _IRQPATH_FLOOR_H

struct ftrace_regs;

/* direct=1: the stubs of irqpath_floor.c, in asm, and what they call. */
void floor_stub_wakeup(void);
void floor_stub_deliver(void);
void floor_direct_wakeup(struct ftrace_regs *fregs);
void floor_direct_deliver(struct ftrace_regs *fregs);

#endif /* _IRQPATH_FLOOR_H */
