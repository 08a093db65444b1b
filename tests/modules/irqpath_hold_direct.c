// SPDX-License-Identifier: GPL-2.0
/*
 * TEST ONLY: holds the ftrace direct call of one function (module
 * parameter func, default irqfd_wakeup), as a BPF fentry program would, so
 * that e2e can check kvm_irqpath falls back to an ftrace callback there and
 * still counts exactly. The stub returns at once. Never part of
 * kvm_irqpath.ko; the function's module must be loaded first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/module.h>
#include <asm/ibt.h>
#include <asm/linkage.h>
#include <asm/nospec-branch.h>

#include "irqpath/ftrace_direct.h"
#include "irqpath_hold_direct.h"

#ifndef CALL_DEPTH_ACCOUNT
#define CALL_DEPTH_ACCOUNT ""
#endif

static char *func = "irqfd_wakeup";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "The function whose direct call to hold");

asm(".pushsection .text, \"ax\", @progbits\n"
	".globl hold_direct_stub\n"
	".type hold_direct_stub, @function\n"
	"hold_direct_stub:\n"
	ASM_ENDBR
	CALL_DEPTH_ACCOUNT
	ASM_RET
	".size hold_direct_stub, .-hold_direct_stub\n"
	".popsection\n");

static struct ftrace_ops hold_ops;

static int __init hold_init(void)
{
	int ret;

	ret = ftrace_set_filter(&hold_ops, func, strlen(func), 1);
	if (ret) {
		pr_err("no traceable %s: %d\n", func, ret);
		goto out_free;
	}
	ret = irqpath_direct_register(&hold_ops, (unsigned long)hold_direct_stub);
	if (ret) {
		pr_err("register direct call on %s failed: %d\n", func, ret);
		goto out_free;
	}
	return 0;

out_free:
	ftrace_free_filter(&hold_ops);
	return ret;
}

static void __exit hold_exit(void)
{
	irqpath_direct_unregister(&hold_ops, (unsigned long)hold_direct_stub);
	ftrace_free_filter(&hold_ops);
}

module_init(hold_init);
module_exit(hold_exit);
MODULE_DESCRIPTION("kvm_irqpath test: hold a function's ftrace direct call");
MODULE_LICENSE("GPL");
