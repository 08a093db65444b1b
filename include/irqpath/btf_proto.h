/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prototypes of hooked functions and tracepoints, read from the kernel's
 * BTF, so that a hook never reads arguments of a prototype it was not
 * written for. No KVM here: KUnit tests it with BTF blobs of its own.
 */
#ifndef _IRQPATH_BTF_PROTO_H
#define _IRQPATH_BTF_PROTO_H

#include <linux/types.h>

/* One BTF blob: vmlinux's, or a module's split on top of vmlinux's. */
struct irqpath_btf {
	const void *data;
	size_t size;
	const char *strs;
	u32 str_len;
	const void *types;
	u32 *offs;			/* offset in types of id start_id + i */
	u32 nr_types;
	u32 start_id;			/* 1, or the base's last id + 1 */
	const struct irqpath_btf *base;
	bool owned;			/* data came from irqpath_btf_load() */
};

/* Longest rendered prototype: the parameters, ", "-separated. */
#define IRQPATH_PROTO_LEN	256

int irqpath_btf_parse(struct irqpath_btf *btf, const void *data, size_t size,
		      const struct irqpath_btf *base);
int irqpath_btf_load(struct irqpath_btf *btf, const char *name,
		     const struct irqpath_btf *base);
void irqpath_btf_free(struct irqpath_btf *btf);

int irqpath_btf_func_proto(const struct irqpath_btf *btf, const char *func,
			   char *buf, size_t len);
int irqpath_btf_tp_proto(const struct irqpath_btf *btf, const char *tp,
			 char *buf, size_t len);
int irqpath_btf_member_off(const struct irqpath_btf *btf, const char *sname,
			   const char *member, const char *type);
bool irqpath_proto_match(const char *want, const char *got);

#endif /* _IRQPATH_BTF_PROTO_H */
