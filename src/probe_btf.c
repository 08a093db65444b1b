// SPDX-License-Identifier: GPL-2.0
/*
 * A probe's target held against the kernel's BTF before it is attached:
 * the prototype its hook reads (a changed one is reported, never read as
 * garbage) and the offsets of the private fields it reads. probes.c asks
 * this file for each symbol it is about to attach.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "irqpath/btf_proto.h"
#include "irqpath/probe_btf.h"

static char *test_wrong_proto;
module_param(test_wrong_proto, charp, 0444);
MODULE_PARM_DESC(test_wrong_proto, "TEST ONLY: expect a wrong prototype for this probe, which must then show as mismatch");

static char *test_wrong_field;
module_param(test_wrong_field, charp, 0444);
MODULE_PARM_DESC(test_wrong_field, "TEST ONLY: look for fields of another name for this probe, whose layout must then show as missing");

/*
 * The BTF of the modules one round of attaching looks at (module init, or
 * a module coming), read once in the round and dropped after it.
 */
struct irqpath_btf_set {
	struct irqpath_btf vmlinux;
	int vmlinux_err;
	unsigned int nr;
	struct {
		char name[MODULE_NAME_LEN];
		struct irqpath_btf btf;
		int err;
	} mod[6];
};

struct irqpath_btf_set *irqpath_btf_set_new(void)
{
	struct irqpath_btf_set *set = kzalloc(sizeof(*set), GFP_KERNEL);

	if (set)
		set->vmlinux_err = -EAGAIN;	/* not read yet */
	return set;
}

void irqpath_btf_set_free(struct irqpath_btf_set *set)
{
	unsigned int i;

	if (!set)
		return;
	for (i = 0; i < set->nr; i++)
		irqpath_btf_free(&set->mod[i].btf);
	irqpath_btf_free(&set->vmlinux);
	kfree(set);
}

static const struct irqpath_btf *irqpath_btf_of(struct irqpath_btf_set *set,
						const char *module)
{
	unsigned int i;

	if (!set)
		return NULL;
	if (set->vmlinux_err == -EAGAIN) {
		set->vmlinux_err = irqpath_btf_load(&set->vmlinux, "vmlinux",
						    NULL);
		if (set->vmlinux_err)
			pr_warn_once("no vmlinux BTF (%d): prototypes unchecked\n",
				     set->vmlinux_err);
	}
	if (set->vmlinux_err)
		return NULL;
	if (!module)
		return &set->vmlinux;
	for (i = 0; i < set->nr; i++)
		if (!strcmp(set->mod[i].name, module))
			return set->mod[i].err ? NULL : &set->mod[i].btf;
	if (set->nr == ARRAY_SIZE(set->mod))
		return NULL;
	strscpy(set->mod[i].name, module, sizeof(set->mod[i].name));
	set->mod[i].err = irqpath_btf_load(&set->mod[i].btf, module,
					   &set->vmlinux);
	set->nr++;
	return set->mod[i].err ? NULL : &set->mod[i].btf;
}

/* Does symbol i of p have the prototype its hook reads, by the kernel's BTF? */
enum irqpath_proto_state irqpath_proto_check(struct irqpath_probe *p, int i,
					     struct irqpath_btf_set *set)
{
	char got[IRQPATH_PROTO_LEN], want[IRQPATH_PROTO_LEN];
	const struct irqpath_btf *btf;
	int ret;

	if (!p->protos)
		return IRQPATH_PROTO_NONE;
	btf = irqpath_btf_of(set, p->module);
	if (!btf)
		return IRQPATH_PROTO_NO_BTF;
	if (p->tp_funcs)
		ret = irqpath_btf_tp_proto(btf, p->symbols[i], got, sizeof(got));
	else
		ret = irqpath_btf_func_proto(btf, p->symbols[i], got,
					     sizeof(got));
	if (ret)
		return IRQPATH_PROTO_NO_BTF;
	/* The test's wrong entry: one parameter more than the hook reads. */
	if (test_wrong_proto && !strcmp(test_wrong_proto, p->name))
		snprintf(want, sizeof(want), "%s%sint", p->protos[i],
			 p->protos[i][0] ? ", " : "");
	else
		strscpy(want, p->protos[i], sizeof(want));
	if (irqpath_proto_match(want, got))
		return IRQPATH_PROTO_OK;
	pr_warn("%s: %s takes (%s), the hook reads (%s): not attached\n",
		p->name, p->symbols[i], got, want);
	return IRQPATH_PROTO_MISMATCH;
}

void irqpath_fields_forget(struct irqpath_probe *p)
{
	int i;

	for (i = 0; i < IRQPATH_FIELDS; i++)
		WRITE_ONCE(p->field_off[i], -1);
}

/*
 * The offsets of the private fields p's hook reads, from its module's BTF:
 * a kernel that moved or dropped one leaves it -1, never a guess. Set
 * before the hook is registered, as the hook reads them.
 */
enum irqpath_layout_state
irqpath_layout_resolve(struct irqpath_probe *p, struct irqpath_btf_set *set)
{
	enum irqpath_layout_state layout = IRQPATH_LAYOUT_NONE;
	const struct irqpath_btf *btf = NULL;
	const struct irqpath_field *f;
	char member[KSYM_NAME_LEN];
	int i, off;

	irqpath_fields_forget(p);
	for (i = 0; i < IRQPATH_FIELDS; i++) {
		f = &p->fields[i];
		if (!f->strct)
			continue;
		if (layout == IRQPATH_LAYOUT_NONE) {
			layout = IRQPATH_LAYOUT_OK;
			btf = irqpath_btf_of(set, p->module);
		}
		/* The test's wrong field: a member no struct has. */
		snprintf(member, sizeof(member), "%s%s", f->member,
			 test_wrong_field && !strcmp(test_wrong_field, p->name) ?
			 "_irqpath_test" : "");
		off = btf ? irqpath_btf_member_off(btf, f->strct, member,
						   f->type) : -ENOENT;
		if (off < 0) {
			layout = IRQPATH_LAYOUT_MISSING;
			continue;
		}
		WRITE_ONCE(p->field_off[i], off);
	}
	return layout;
}
