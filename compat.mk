# SPDX-License-Identifier: GPL-2.0
# API forms of the kernel built against, read from its own headers, never
# guessed from its version. Included by Kbuild and tests/modules/Kbuild.
# has-in <header> <pattern> is y when the header has the pattern.
has-in = $(shell grep -qsE '$(2)' $(srctree)/$(1) && echo y)

# The ftrace_ops form of the direct-call API was register_ftrace_direct_multi up to 6.4.
ccflags-$(call has-in,include/linux/ftrace.h,register_ftrace_direct_multi) += \
	-DIRQPATH_FTRACE_DIRECT_MULTI
# 7.x: an ftrace_ops's ops_func also takes the ip concerned.
ccflags-$(call has-in,include/linux/ftrace.h,ftrace_ops \*op. unsigned long ip. enum ftrace_ops_cmd) += \
	-DIRQPATH_OPS_FUNC_IP
# 7.2: x86 irq_stat became an array indexed by IRQ_COUNT_*.
ccflags-$(call has-in,arch/x86/include/asm/hardirq.h,IRQ_COUNT_POSTED_INTR_WAKEUP) += \
	-DIRQPATH_IRQ_STAT_COUNTS
# 6.17: irq_bypass_register_producer(prod, eventfd, irq) fills in the producer;
# before, the producer came filled in, its eventfd in ->token.
ccflags-$(call has-in,include/linux/irqbypass.h,eventfd_ctx \*eventfd. int irq) += \
	-DIRQPATH_BYPASS_EVENTFD_ARG
