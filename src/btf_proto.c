// SPDX-License-Identifier: GPL-2.0
/*
 * Reads a function's or a tracepoint's prototype from BTF: the kernel's
 * own record of its types, in /sys/kernel/btf/{vmlinux,<module>}. The BTF
 * API of the kernel is not exported, so this walks the format itself; it
 * needs no more than the parameter types, spelled without typedefs and
 * qualifiers ("struct kvm *", "unsigned int"), which is what a hook's
 * expected prototype is written in (probe_table.c).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <uapi/linux/btf.h>

#include "irqpath/btf_proto.h"

#define IRQPATH_BTF_HDR_LEN	offsetofend(struct btf_header, str_len)

/* Bytes a type's record takes after struct btf_type; < 0: unknown kind. */
static int irqpath_btf_extra(const struct btf_type *t)
{
	u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return vlen * 3 * sizeof(u32);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	}
	return -EINVAL;
}

/*
 * Indexes a blob. base is NULL for vmlinux; a module's BTF continues the
 * ids and the strings of vmlinux's.
 */
int irqpath_btf_parse(struct irqpath_btf *btf, const void *data, size_t size,
		      const struct irqpath_btf *base)
{
	const struct btf_header *hdr = data;
	u32 off, n, cap;
	int extra;

	memset(btf, 0, sizeof(*btf));
	/* Newer headers grew (7.x: a layout section); we read what 4.18 had. */
	if (size < IRQPATH_BTF_HDR_LEN || hdr->magic != BTF_MAGIC ||
	    hdr->hdr_len < IRQPATH_BTF_HDR_LEN || hdr->hdr_len > size ||
	    (u64)hdr->hdr_len + hdr->type_off + hdr->type_len > size ||
	    (u64)hdr->hdr_len + hdr->str_off + hdr->str_len > size ||
	    (hdr->str_len && ((const char *)data)[hdr->hdr_len + hdr->str_off +
						 hdr->str_len - 1]))
		return -EINVAL;
	btf->data = data;
	btf->size = size;
	btf->types = data + hdr->hdr_len + hdr->type_off;
	btf->strs = data + hdr->hdr_len + hdr->str_off;
	btf->str_len = hdr->str_len;
	btf->base = base;
	btf->start_id = base ? base->start_id + base->nr_types : 1;

	/* a type takes at least 12 bytes */
	cap = hdr->type_len / sizeof(struct btf_type) + 1;
	btf->offs = kvmalloc_array(cap, sizeof(u32), GFP_KERNEL);
	if (!btf->offs)
		return -ENOMEM;
	for (off = 0, n = 0; off < hdr->type_len; n++) {
		const struct btf_type *t = btf->types + off;

		if (off + sizeof(*t) > hdr->type_len || n >= cap)
			goto bad;
		extra = irqpath_btf_extra(t);
		if (extra < 0 || off + sizeof(*t) + extra > hdr->type_len)
			goto bad;
		btf->offs[n] = off;
		off += sizeof(*t) + extra;
	}
	btf->nr_types = n;
	return 0;
bad:
	kvfree(btf->offs);
	btf->offs = NULL;
	return -EINVAL;
}

/*
 * Reads /sys/kernel/btf/<name> and indexes it. A plain read: the file is
 * the kernel's own, and kernel_read_file() would ask the LSMs about a
 * read of no kind they know (IPE warns on READING_UNKNOWN).
 */
int irqpath_btf_load(struct irqpath_btf *btf, const char *name,
		     const struct irqpath_btf *base)
{
	struct file *file;
	char path[80];
	loff_t pos = 0;
	void *data;
	ssize_t n;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name);
	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	len = i_size_read(file_inode(file));
	ret = -EINVAL;
	if (!len || len > INT_MAX)
		goto out_file;
	ret = -ENOMEM;
	data = vmalloc(len);
	if (!data)
		goto out_file;
	while (pos < len) {
		n = kernel_read(file, data + pos, len - pos, &pos);
		if (n <= 0) {
			ret = n ?: -EIO;
			goto out_data;
		}
	}
	ret = irqpath_btf_parse(btf, data, len, base);
	if (ret)
		goto out_data;
	btf->owned = true;
	filp_close(file, NULL);
	return 0;

out_data:
	vfree(data);
out_file:
	filp_close(file, NULL);
	return ret;
}

void irqpath_btf_free(struct irqpath_btf *btf)
{
	kvfree(btf->offs);
	if (btf->owned)
		vfree(btf->data);
	memset(btf, 0, sizeof(*btf));
}

static const struct btf_type *irqpath_btf_type(const struct irqpath_btf *btf,
					       u32 id)
{
	while (btf && id < btf->start_id)
		btf = btf->base;
	if (!btf || id - btf->start_id >= btf->nr_types)
		return NULL;
	return btf->types + btf->offs[id - btf->start_id];
}

/* String offsets, too, go on from the base's strings. */
static const char *irqpath_btf_str(const struct irqpath_btf *btf, u32 off)
{
	u32 base_len = 0;
	const struct irqpath_btf *b;

	for (b = btf->base; b; b = b->base)
		base_len += b->str_len;
	if (off < base_len)
		return btf->base ? irqpath_btf_str(btf->base, off) : NULL;
	off -= base_len;
	return off < btf->str_len ? btf->strs + off : NULL;
}

/* Appends s to buf (of len, used so far *pos); false when it is full. */
static bool irqpath_put(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + n >= len)
		return false;
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return true;
}

/* Spells a type as a hook's prototype does: no typedefs, no qualifiers. */
static bool irqpath_btf_spell(const struct irqpath_btf *btf, u32 id,
			      char *buf, size_t len, size_t *pos, int depth)
{
	const struct btf_type *t;
	const char *name;

	if (!id)
		return irqpath_put(buf, len, pos, "void");
	t = irqpath_btf_type(btf, id);
	if (!t || depth > 16)
		return false;
	name = irqpath_btf_str(btf, t->name_off);
	if (!name)
		return false;

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		return irqpath_put(buf, len, pos,
				   strcmp(name, "_Bool") ? name : "bool");
	case BTF_KIND_PTR:
		return irqpath_btf_spell(btf, t->type, buf, len, pos,
					 depth + 1) &&
		       irqpath_put(buf, len, pos, " *");
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = (const void *)(t + 1);

		return irqpath_btf_spell(btf, a->type, buf, len, pos,
					 depth + 1) &&
		       irqpath_put(buf, len, pos, "[]");
	}
	case BTF_KIND_STRUCT:
		return irqpath_put(buf, len, pos, "struct ") &&
		       irqpath_put(buf, len, pos, name);
	case BTF_KIND_UNION:
		return irqpath_put(buf, len, pos, "union ") &&
		       irqpath_put(buf, len, pos, name);
	case BTF_KIND_FWD:
		return irqpath_put(buf, len, pos, BTF_INFO_KFLAG(t->info) ?
				   "union " : "struct ") &&
		       irqpath_put(buf, len, pos, name);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return irqpath_put(buf, len, pos, "enum ") &&
		       irqpath_put(buf, len, pos, name);
	case BTF_KIND_FUNC_PROTO:
		return irqpath_put(buf, len, pos, "fn");
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return irqpath_btf_spell(btf, t->type, buf, len, pos, depth + 1);
	}
	return false;
}

/* The parameters of a FUNC_PROTO from the skip-th on, ", "-separated. */
static int irqpath_btf_params(const struct irqpath_btf *btf,
			      const struct btf_type *proto, unsigned int skip,
			      char *buf, size_t len)
{
	const struct btf_param *p = (const void *)(proto + 1);
	unsigned int i, n = BTF_INFO_VLEN(proto->info);
	size_t pos = 0;

	buf[0] = '\0';
	for (i = skip; i < n; i++) {
		if (i > skip && !irqpath_put(buf, len, &pos, ", "))
			return -E2BIG;
		if (!p[i].type && i == n - 1) {	/* varargs */
			if (!irqpath_put(buf, len, &pos, "..."))
				return -E2BIG;
		} else if (!irqpath_btf_spell(btf, p[i].type, buf, len, &pos, 0)) {
			return -EINVAL;
		}
	}
	return 0;
}

/* The first type of kind named name, in this blob only (not its base). */
static const struct btf_type *irqpath_btf_find(const struct irqpath_btf *btf,
					       const char *name, u32 kind)
{
	u32 i;

	for (i = 0; i < btf->nr_types; i++) {
		const struct btf_type *t = btf->types + btf->offs[i];
		const char *s;

		if (BTF_INFO_KIND(t->info) != kind)
			continue;
		s = irqpath_btf_str(btf, t->name_off);
		if (s && !strcmp(s, name))
			return t;
	}
	return NULL;
}

/* func's parameters; -ENOENT: no BTF for it (inlined, or not described). */
int irqpath_btf_func_proto(const struct irqpath_btf *btf, const char *func,
			   char *buf, size_t len)
{
	const struct btf_type *t = irqpath_btf_find(btf, func, BTF_KIND_FUNC);

	if (!t)
		return -ENOENT;
	t = irqpath_btf_type(btf, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_FUNC_PROTO)
		return -EINVAL;
	return irqpath_btf_params(btf, t, 0, buf, len);
}

/*
 * A tracepoint's probe prototype: BTF has typedef btf_trace_<tp>, a pointer
 * to the probe's function type, whose first parameter is the probe's data.
 */
int irqpath_btf_tp_proto(const struct irqpath_btf *btf, const char *tp,
			 char *buf, size_t len)
{
	const struct btf_type *t;
	char name[80];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	t = irqpath_btf_find(btf, name, BTF_KIND_TYPEDEF);
	if (!t)
		return -ENOENT;
	t = irqpath_btf_type(btf, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_PTR)
		return -EINVAL;
	t = irqpath_btf_type(btf, t->type);
	if (!t || BTF_INFO_KIND(t->info) != BTF_KIND_FUNC_PROTO ||
	    !BTF_INFO_VLEN(t->info))
		return -EINVAL;
	return irqpath_btf_params(btf, t, 1, buf, len);
}

/*
 * Where struct sname keeps member, in bytes, if its type spells as type:
 * how a hook reads a field of a struct private to its module. -ENOENT: no
 * such struct or member; -EINVAL: another type, or a bit field.
 */
int irqpath_btf_member_off(const struct irqpath_btf *btf, const char *sname,
			   const char *member, const char *type)
{
	const struct btf_type *t = irqpath_btf_find(btf, sname, BTF_KIND_STRUCT);
	const struct btf_member *m;
	char got[IRQPATH_PROTO_LEN];
	unsigned int i, bits;
	size_t pos = 0;
	const char *s;

	if (!t)
		return -ENOENT;
	m = (const void *)(t + 1);
	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
		s = irqpath_btf_str(btf, m->name_off);
		if (!s || strcmp(s, member))
			continue;
		bits = BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BIT_OFFSET(m->offset) :
						 m->offset;
		if ((BTF_INFO_KFLAG(t->info) && BTF_MEMBER_BITFIELD_SIZE(m->offset)) ||
		    bits % 8 || bits / 8 >= t->size || bits / 8 > S16_MAX)
			return -EINVAL;
		got[0] = '\0';
		if (!irqpath_btf_spell(btf, m->type, got, sizeof(got), &pos, 0) ||
		    strcmp(got, type))
			return -EINVAL;
		return bits / 8;
	}
	return -ENOENT;
}

/*
 * Same number of parameters, and each the same type, but where want says
 * "?": a parameter the hook does not read may be of any type.
 */
bool irqpath_proto_match(const char *want, const char *got)
{
	for (;;) {
		size_t w = strcspn(want, ","), g = strcspn(got, ",");

		if (w == 1 && want[0] == '?' ? !g :
		    w != g || strncmp(want, got, w))
			return false;
		want += w;
		got += g;
		if (!*want || !*got)
			return !*want && !*got;
		want += strspn(want, ", ");
		got += strspn(got, ", ");
	}
}
