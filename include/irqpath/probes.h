/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probe registry: a table of hooks, each naming its module, the symbols
 * it may have on this kernel (first found wins) and its handlers.
 */
#ifndef _IRQPATH_PROBES_H
#define _IRQPATH_PROBES_H

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>

/*
 * An entry hook reads its arguments from ftrace's saved registers: 6.12
 * has an accessor; 6.1's struct ftrace_regs is a struct pt_regs.
 */
#ifdef ftrace_regs_get_argument
#define irqpath_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define irqpath_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/* The rows of the probe table, in the order of `probes`. */
enum irqpath_probe_id {
	IRQPATH_P_VM_INIT,
	IRQPATH_P_VM_DESTROY,
	IRQPATH_P_IRQFD_WAKEUP,
	IRQPATH_P_IRQFD_DEFER,
	IRQPATH_P_IRQFD_INJECT,
	IRQPATH_P_KVM_SET_MSI,
	IRQPATH_P_VMX_DELIVER,
	IRQPATH_P_SVM_DELIVER,
	IRQPATH_P_VFIO_MSI,
	IRQPATH_P_PRODUCER_REG,
	IRQPATH_P_PRODUCER_UNREG,
	IRQPATH_P_BYPASS_ADD,
	IRQPATH_P_BYPASS_DEL,
	IRQPATH_P_IRTE_UPDATE_VMX,
	IRQPATH_P_IRTE_UPDATE_SVM,
	IRQPATH_P_IRTE_CHANGED,
	IRQPATH_P_PI_WAKEUP,
	IRQPATH_P_TDX_DELIVER,
	IRQPATH_P_GA_LOG,
	IRQPATH_P_VCPU_WAKE,
	IRQPATH_P_VCPU_ENTRY,
	IRQPATH_NR_PROBES
};

enum irqpath_probe_state {
	IRQPATH_PROBE_MISSING,	/* no candidate symbol is loaded */
	IRQPATH_PROBE_ATTACHED,
	IRQPATH_PROBE_GONE,	/* its module unloaded; back when it reloads */
	IRQPATH_PROBE_MISMATCH,	/* BTF gives a prototype the hook can't read */
	IRQPATH_PROBE_UNCHECKED, /* a tracepoint of several forms, no BTF */
	IRQPATH_PROBE_STANDBY,	/* found, attached only while timing is on */
};

/* What the kernel's BTF said of the attached symbol's prototype. */
enum irqpath_proto_state {
	IRQPATH_PROTO_NONE,	/* not attached, or no prototype in the table */
	IRQPATH_PROTO_OK,
	IRQPATH_PROTO_MISMATCH,
	IRQPATH_PROTO_NO_BTF,	/* attached unchecked: no BTF of it */
};

/* What the kernel's BTF said of the private fields a hook reads. */
enum irqpath_layout_state {
	IRQPATH_LAYOUT_NONE,	/* not attached, or the hook reads none */
	IRQPATH_LAYOUT_OK,	/* every field found, of the type expected */
	IRQPATH_LAYOUT_MISSING,	/* some not found: the hook does without */
};

/*
 * A field of a struct private to a module (struct kvm_lapic), which a
 * hook reads at the offset the module's BTF gives, or not at all.
 */
struct irqpath_field {
	const char *strct;
	const char *member;
	const char *type;		/* as BTF spells it, see protos */
};

#define IRQPATH_FIELDS		2

struct irqpath_probe {
	const char *name;
	const char *module;		/* NULL for vmlinux */
	const char *const *symbols;	/* NULL-terminated, tried in order */
	/*
	 * The parameters the hook expects of each symbol, as BTF spells them
	 * without typedefs or qualifiers; "?" for one it does not read.
	 */
	const char *const *protos;
	struct irqpath_field fields[IRQPATH_FIELDS];	/* .strct NULL: unused */
	ftrace_func_t fentry;		/* an ftrace entry hook, or ... */
	void (*direct)(void);		/* fentry's direct-call stub, or NULL */
	kretprobe_handler_t entry;	/* ... a return probe when ret is set */
	kretprobe_handler_t ret;
	size_t data_size;
	void *const *tp_funcs;		/* tracepoint probes, per symbol */
	bool on_demand;			/* a tracepoint only timing needs */

	/* Below: runtime state, under irqpath_probe_mutex. */
	enum irqpath_probe_state state;
	enum irqpath_proto_state proto;
	enum irqpath_layout_state layout;
	s16 field_off[IRQPATH_FIELDS];	/* byte offset, -1 when not known */
	unsigned long addr, size;	/* the function hooked, in a module */
	int sym_idx;			/* index of the attached symbol */
	bool is_direct;			/* attached through direct */
	void *tp_func;			/* the attached tracepoint probe */
	char target[MODULE_NAME_LEN + KSYM_NAME_LEN + 2];
	struct ftrace_ops ops;
	struct kretprobe krp;
	struct tracepoint *tp;
	u64 __percpu *hits;
	unsigned long missed;		/* of earlier registrations */
	u64 hits_base;			/* reset, under irqpath_read_lock */
	unsigned long missed_base;
};

extern struct irqpath_probe irqpath_probes[IRQPATH_NR_PROBES];
extern const unsigned int irqpath_nr_probes;

int irqpath_probes_init(void);
void irqpath_probes_exit(void);

const char *irqpath_probe_state_name(enum irqpath_probe_state state);
const char *irqpath_probe_proto_name(const struct irqpath_probe *p);
const char *irqpath_probe_layout_name(const struct irqpath_probe *p);
const char *irqpath_probe_symbol(const struct irqpath_probe *p);
const char *irqpath_probe_via(const struct irqpath_probe *p);
u64 irqpath_probe_hits(const struct irqpath_probe *p);
unsigned long irqpath_probes_missed(void);
void irqpath_probes_reset(void);
void irqpath_probes_on_demand(bool on);
bool irqpath_probes_vm_tracked(u64 seq);

/*
 * A hooked function the kernel's headers declare: the build fails unless
 * they declare it with the prototype the hook reads.
 */
#define IRQPATH_HEADER_PROTO(fn, ret, ...)				\
	static_assert(__builtin_types_compatible_p(typeof(fn),		\
						   ret(__VA_ARGS__)))

static inline struct irqpath_probe *irqpath_fprobe(struct ftrace_ops *ops)
{
	return container_of(ops, struct irqpath_probe, ops);
}

static inline struct irqpath_probe *
irqpath_kretprobe(struct kretprobe_instance *ri)
{
	return container_of(get_kretprobe(ri), struct irqpath_probe, krp);
}

static inline void irqpath_hit(struct irqpath_probe *p)
{
	this_cpu_inc(*p->hits);
}

/*
 * Defines the ftrace callback name(), which counts the hit and runs the
 * body below it with preemption off, as a kprobe handler would run: ftrace
 * calls entry hooks as they come. One callback per hook, so the hot path
 * has no indirect call; the body is inlined into it.
 */
#define IRQPATH_FENTRY(name)						\
	static __always_inline void					\
	name##_body(struct irqpath_probe *p,				\
		    struct ftrace_regs *fregs);				\
	static __always_inline void					\
	name##_run(struct irqpath_probe *p, struct ftrace_regs *fregs)	\
	{								\
		preempt_disable_notrace();				\
		irqpath_hit(p);						\
		name##_body(p, fregs);					\
		preempt_enable_notrace();				\
	}								\
	void name(unsigned long ip, unsigned long parent_ip,		\
		  struct ftrace_ops *op, struct ftrace_regs *fregs)	\
	{								\
		name##_run(irqpath_fprobe(op), fregs);			\
	}								\
	static __always_inline void					\
	name##_body(struct irqpath_probe *p, struct ftrace_regs *fregs)

#define IRQPATH_FENTRY_DECL(name)					\
	void name(unsigned long ip, unsigned long parent_ip,		\
		  struct ftrace_ops *op, struct ftrace_regs *fregs);	\
	void name##_stub(void)

#if defined(CONFIG_X86_64) && defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
#include <asm/ibt.h>
#include <asm/linkage.h>
#include <asm/nospec-branch.h>

#ifndef CALL_DEPTH_ACCOUNT	/* 6.2+ */
#define CALL_DEPTH_ACCOUNT ""
#endif

/* Where struct pt_regs keeps the argument registers (checked in probes.c). */
#define IRQPATH_PT_REGS_SIZE	"168"
#define IRQPATH_PT_R9		"64"
#define IRQPATH_PT_R8		"72"
#define IRQPATH_PT_CX		"88"
#define IRQPATH_PT_DX		"96"
#define IRQPATH_PT_SI		"104"
#define IRQPATH_PT_DI		"112"
#define IRQPATH_PT_IP		"128"
#define IRQPATH_PT_CS		"136"
#define IRQPATH_PT_FLAGS	"144"
#define IRQPATH_PT_SP		"152"

/*
 * stub saves the argument registers where struct pt_regs has them, which
 * is all an entry hook reads, and calls entry(frame). The rest of the frame
 * is set so that no reader is misled: ip is the return address less the
 * 5-byte call (the call site, unless a live patch moved it); cs 0 says the
 * frame is partial, which is what 6.1's ftrace_get_regs() tests; sp is the
 * caller's; flags are not saved (0).
 */
#define IRQPATH_DIRECT_STUB(stub, entry)				\
	asm(".pushsection .text, \"ax\", @progbits\n"			\
	    ".globl " #stub "\n"						\
	    ".type " #stub ", @function\n"				\
	    #stub ":\n"							\
	    ASM_ENDBR							\
	    "pushq %rbp\n"						\
	    "movq %rsp, %rbp\n"						\
	    CALL_DEPTH_ACCOUNT						\
	    "subq $" IRQPATH_PT_REGS_SIZE ", %rsp\n"			\
	    "movq %rdi, " IRQPATH_PT_DI "(%rsp)\n"			\
	    "movq %rsi, " IRQPATH_PT_SI "(%rsp)\n"			\
	    "movq %rdx, " IRQPATH_PT_DX "(%rsp)\n"			\
	    "movq %rcx, " IRQPATH_PT_CX "(%rsp)\n"			\
	    "movq %r8, " IRQPATH_PT_R8 "(%rsp)\n"			\
	    "movq %r9, " IRQPATH_PT_R9 "(%rsp)\n"			\
	    "movq 8(%rbp), %rax\n"					\
	    "subq $5, %rax\n"						\
	    "movq %rax, " IRQPATH_PT_IP "(%rsp)\n"			\
	    "movq $0, " IRQPATH_PT_CS "(%rsp)\n"			\
	    "movq $0, " IRQPATH_PT_FLAGS "(%rsp)\n"			\
	    "leaq 16(%rbp), %rax\n"					\
	    "movq %rax, " IRQPATH_PT_SP "(%rsp)\n"			\
	    "movq %rsp, %rdi\n"						\
	    "call " #entry "\n"						\
	    "movq " IRQPATH_PT_DI "(%rsp), %rdi\n"			\
	    "movq " IRQPATH_PT_SI "(%rsp), %rsi\n"			\
	    "movq " IRQPATH_PT_DX "(%rsp), %rdx\n"			\
	    "movq " IRQPATH_PT_CX "(%rsp), %rcx\n"			\
	    "movq " IRQPATH_PT_R8 "(%rsp), %r8\n"			\
	    "movq " IRQPATH_PT_R9 "(%rsp), %r9\n"			\
	    "leave\n"							\
	    ASM_RET							\
	    ".size " #stub ", .-" #stub "\n"				\
	    ".popsection\n")
#else
/* Never registered: irqpath_direct_register() fails without direct calls. */
#define IRQPATH_DIRECT_STUB(stub, entry)				\
	void stub(void)							\
	{								\
	}								\
	void entry(struct ftrace_regs *fregs)
#endif

/*
 * An entry hook that the call site of its function can also call directly,
 * as BPF trampolines are called, through name##_stub. That spares the
 * ftrace trampoline, which saves and restores a whole frame, on the hooks
 * that run on every interrupt. name() stays the ftrace callback, used when
 * the function's direct call is taken (a function has one at most).
 */
#define IRQPATH_FENTRY_DIRECT(name, id)					\
	void name##_direct(struct ftrace_regs *fregs);			\
	IRQPATH_DIRECT_STUB(name##_stub, name##_direct);		\
	IRQPATH_FENTRY(name);						\
	void name##_direct(struct ftrace_regs *fregs)			\
	{								\
		name##_run(&irqpath_probes[id], fregs);			\
	}								\
	static __always_inline void					\
	name##_body(struct irqpath_probe *p, struct ftrace_regs *fregs)

#endif /* _IRQPATH_PROBES_H */
