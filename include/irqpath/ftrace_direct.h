/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ftrace_ops form of the direct-call API, for the tracer and the test
 * module that holds a function's direct call: its names had _multi up to
 * 6.4 (compat.mk reads which). -ENODEV where there are no direct calls.
 */
#ifndef _IRQPATH_FTRACE_DIRECT_H
#define _IRQPATH_FTRACE_DIRECT_H

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/ftrace.h>

#if defined(CONFIG_X86_64) && defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
#define IRQPATH_HAVE_DIRECT	1
#else
#define IRQPATH_HAVE_DIRECT	0
#endif

#if IRQPATH_HAVE_DIRECT
/*
 * A live patch (an IPMODIFY ftrace_ops) of a function whose direct call we
 * hold asks us whether it may share it; without ops_func the patch fails
 * with -EBUSY. Our stub never calls the function: it returns to where
 * ftrace sends it, the patched function when there is one. So sharing
 * needs nothing of us, as for a BPF trampoline that does not call the
 * original either.
 */
#ifdef IRQPATH_OPS_FUNC_IP
static inline int irqpath_direct_share(struct ftrace_ops *ops,
				       unsigned long ip,
				       enum ftrace_ops_cmd cmd)
#else
static inline int irqpath_direct_share(struct ftrace_ops *ops,
				       enum ftrace_ops_cmd cmd)
#endif
{
	return 0;
}
#endif

static inline int irqpath_direct_register(struct ftrace_ops *ops,
					  unsigned long addr)
{
#if !IRQPATH_HAVE_DIRECT
	return -ENODEV;
#else
	ops->ops_func = irqpath_direct_share;
#ifdef IRQPATH_FTRACE_DIRECT_MULTI
	return register_ftrace_direct_multi(ops, addr);
#else
	return register_ftrace_direct(ops, addr);
#endif
#endif
}

static inline int irqpath_direct_unregister(struct ftrace_ops *ops,
					    unsigned long addr)
{
#if !IRQPATH_HAVE_DIRECT
	WARN_ON_ONCE(1);	/* never registered */
	return -ENODEV;
#elif defined(IRQPATH_FTRACE_DIRECT_MULTI)
	return unregister_ftrace_direct_multi(ops, addr);
#else
	return unregister_ftrace_direct(ops, addr, false);
#endif
}

#endif /* _IRQPATH_FTRACE_DIRECT_H */
