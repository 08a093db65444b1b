// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of src/btf_proto.c: prototypes read from a vmlinux-like BTF
 * blob and a module's split blob on top of it, both built here, and the
 * match of a hook's expected prototype against them.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <uapi/linux/btf.h>

#include "irqpath/btf_proto.h"

/* A little BTF writer: types as u32 words, then the strings. */
struct blob {
	u32 words[64];
	unsigned int nw;
	char strs[128];
	unsigned int ns;
	u8 out[512];
};

static u32 blob_str(struct blob *b, const char *s)
{
	u32 off = b->ns;

	strscpy(b->strs + b->ns, s, sizeof(b->strs) - b->ns);
	b->ns += strlen(s) + 1;
	return off;
}

/* name: a string offset already shifted by the base's strings. */
static void blob_type(struct blob *b, u32 name, u32 kind, u32 vlen, u32 type)
{
	b->words[b->nw++] = name;
	b->words[b->nw++] = (kind << 24) | vlen;
	b->words[b->nw++] = type;
}

static void blob_word(struct blob *b, u32 w)
{
	b->words[b->nw++] = w;
}

static size_t blob_finish(struct blob *b)
{
	struct btf_header *h = (void *)b->out;

	memset(h, 0, sizeof(*h));
	h->magic = BTF_MAGIC;
	h->version = BTF_VERSION;
	h->hdr_len = sizeof(*h);
	h->type_len = b->nw * 4;
	h->str_off = h->type_len;
	h->str_len = b->ns;
	memcpy(b->out + sizeof(*h), b->words, h->type_len);
	memcpy(b->out + sizeof(*h) + h->type_len, b->strs, b->ns);
	return sizeof(*h) + h->type_len + b->ns;
}

/*
 * Base: 1 int, 2 unsigned int, 3 struct kvm, 4 struct kvm *, 5 typedef u32,
 * 6 const u32, 7 void *, 8 _Bool. Module: 9 int (struct kvm *, const u32,
 * _Bool), 10 func f, 11 void (void *, unsigned int), 12 pointer to 11,
 * 13 typedef btf_trace_tp, 14 int (int, ...), 15 func v, 16 struct
 * kvm_lapic { unsigned int base_address; struct kvm *vcpu (at byte 8);
 * _Bool apicv_active (16); unsigned int odd (at bit 132) }.
 */
struct two_blobs {
	struct blob base, mod;
	struct irqpath_btf bbtf, mbtf;
};

static void build(struct kunit *test, struct two_blobs *t)
{
	struct blob *b = &t->base, *m = &t->mod;
	u32 sh;

	memset(t, 0, sizeof(*t));
	blob_str(b, "");
	blob_type(b, blob_str(b, "int"), BTF_KIND_INT, 0, 4);
	blob_word(b, 32);
	blob_type(b, blob_str(b, "unsigned int"), BTF_KIND_INT, 0, 4);
	blob_word(b, 32);
	blob_type(b, blob_str(b, "kvm"), BTF_KIND_STRUCT, 0, 8);
	blob_type(b, 0, BTF_KIND_PTR, 0, 3);
	blob_type(b, blob_str(b, "u32"), BTF_KIND_TYPEDEF, 0, 2);
	blob_type(b, 0, BTF_KIND_CONST, 0, 5);
	blob_type(b, 0, BTF_KIND_PTR, 0, 0);
	blob_type(b, blob_str(b, "_Bool"), BTF_KIND_INT, 0, 1);
	blob_word(b, 8);
	KUNIT_ASSERT_EQ(test, irqpath_btf_parse(&t->bbtf, b->out,
						blob_finish(b), NULL), 0);

	sh = b->ns;	/* the module's strings follow the base's */
	blob_str(m, "");
	blob_type(m, 0, BTF_KIND_FUNC_PROTO, 3, 1);
	blob_word(m, 0); blob_word(m, 4);
	blob_word(m, 0); blob_word(m, 6);
	blob_word(m, 0); blob_word(m, 8);
	blob_type(m, sh + blob_str(m, "f"), BTF_KIND_FUNC, 0, 9);
	blob_type(m, 0, BTF_KIND_FUNC_PROTO, 2, 0);
	blob_word(m, 0); blob_word(m, 7);
	blob_word(m, 0); blob_word(m, 2);
	blob_type(m, 0, BTF_KIND_PTR, 0, 11);
	blob_type(m, sh + blob_str(m, "btf_trace_tp"), BTF_KIND_TYPEDEF, 0, 12);
	blob_type(m, 0, BTF_KIND_FUNC_PROTO, 2, 1);
	blob_word(m, 0); blob_word(m, 1);
	blob_word(m, 0); blob_word(m, 0);
	blob_type(m, sh + blob_str(m, "v"), BTF_KIND_FUNC, 0, 14);
	blob_type(m, sh + blob_str(m, "kvm_lapic"), BTF_KIND_STRUCT, 4, 24);
	blob_word(m, sh + blob_str(m, "base_address"));
	blob_word(m, 2); blob_word(m, 0);
	blob_word(m, sh + blob_str(m, "vcpu"));
	blob_word(m, 4); blob_word(m, 64);
	blob_word(m, sh + blob_str(m, "apicv_active"));
	blob_word(m, 8); blob_word(m, 128);
	blob_word(m, sh + blob_str(m, "odd"));
	blob_word(m, 2); blob_word(m, 132);
	KUNIT_ASSERT_EQ(test, irqpath_btf_parse(&t->mbtf, m->out,
						blob_finish(m), &t->bbtf), 0);
}

static void unbuild(struct two_blobs *t)
{
	irqpath_btf_free(&t->mbtf);
	irqpath_btf_free(&t->bbtf);
}

/* A module's function is spelt from types of both blobs, typedefs undone. */
static void btf_func_of_module(struct kunit *test)
{
	struct two_blobs *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	char buf[IRQPATH_PROTO_LEN];

	KUNIT_ASSERT_NOT_NULL(test, t);
	build(test, t);
	KUNIT_EXPECT_EQ(test, t->mbtf.start_id, 9U);
	KUNIT_EXPECT_EQ(test, irqpath_btf_func_proto(&t->mbtf, "f", buf,
						     sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "struct kvm *, unsigned int, bool");
	KUNIT_EXPECT_EQ(test, irqpath_btf_func_proto(&t->mbtf, "v", buf,
						     sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "int, ...");
	KUNIT_EXPECT_EQ(test, irqpath_btf_func_proto(&t->mbtf, "nosuch", buf,
						     sizeof(buf)), -ENOENT);
	unbuild(t);
}

/* A tracepoint's probe prototype leaves out its data pointer. */
static void btf_tracepoint(struct kunit *test)
{
	struct two_blobs *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	char buf[IRQPATH_PROTO_LEN];

	KUNIT_ASSERT_NOT_NULL(test, t);
	build(test, t);
	KUNIT_EXPECT_EQ(test, irqpath_btf_tp_proto(&t->mbtf, "tp", buf,
						   sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "unsigned int");
	KUNIT_EXPECT_EQ(test, irqpath_btf_tp_proto(&t->mbtf, "f", buf,
						   sizeof(buf)), -ENOENT);
	unbuild(t);
}

/* A buffer too small for the prototype is an error, never a cut string. */
static void btf_small_buffer(struct kunit *test)
{
	struct two_blobs *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	char buf[12];

	KUNIT_ASSERT_NOT_NULL(test, t);
	build(test, t);
	KUNIT_EXPECT_LT(test, irqpath_btf_func_proto(&t->mbtf, "f", buf,
						     sizeof(buf)), 0);
	unbuild(t);
}

/* Blobs that are not BTF, or are cut short, are refused. */
static void btf_bad_blobs(struct kunit *test)
{
	struct two_blobs *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct irqpath_btf btf;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, t);
	build(test, t);
	len = blob_finish(&t->base);
	KUNIT_EXPECT_EQ(test, irqpath_btf_parse(&btf, t->base.out, len - 1,
						NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, irqpath_btf_parse(&btf, t->base.out, 8, NULL),
			-EINVAL);
	t->base.out[0] ^= 0xff;		/* magic */
	KUNIT_EXPECT_EQ(test, irqpath_btf_parse(&btf, t->base.out, len, NULL),
			-EINVAL);
	unbuild(t);
}

struct member_case {
	const char *strct, *member, *type;
	int off;
};

static const struct member_case member_cases[] = {
	{ "kvm_lapic", "vcpu", "struct kvm *", 8 },
	{ "kvm_lapic", "apicv_active", "bool", 16 },
	{ "kvm_lapic", "base_address", "unsigned int", 0 },
	{ "kvm_lapic", "apicv_active", "int", -EINVAL },	/* type changed */
	{ "kvm_lapic", "odd", "unsigned int", -EINVAL },	/* not whole bytes */
	{ "kvm_lapic", "gone", "bool", -ENOENT },		/* member dropped */
	{ "kvm_vcpu", "vcpu", "struct kvm *", -ENOENT },	/* no such struct */
	{ "kvm", "vcpu", "struct kvm *", -ENOENT },		/* base's, not this blob's */
};

static void member_desc(const struct member_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s.%s", c->type, c->strct,
		 c->member);
}

KUNIT_ARRAY_PARAM(member, member_cases, member_desc);

/* A private field's offset is given only for its name and its type, whole bytes. */
static void btf_member_offset(struct kunit *test)
{
	const struct member_case *c = test->param_value;
	struct two_blobs *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	build(test, t);
	KUNIT_EXPECT_EQ(test, irqpath_btf_member_off(&t->mbtf, c->strct,
						     c->member, c->type),
			c->off);
	unbuild(t);
}

struct match_case {
	const char *want, *got;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "struct kvm *, int", "struct kvm *, int", true },
	{ "?, int", "struct kvm_kernel_irqfd *, int", true },
	{ "", "", true },
	{ "struct kvm *", "struct kvm *, int", false },	/* one more */
	{ "struct kvm *, int", "struct kvm *", false },	/* one fewer */
	{ "unsigned int, bool", "unsigned int, int", false },
	{ "?", "", false },
	{ "int", "", false },
};

static void match_desc(const struct match_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "(%s) vs (%s)", c->want, c->got);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_desc);

/* Same count, same types; "?" takes any type but still counts as one. */
static void proto_match(struct kunit *test)
{
	const struct match_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, irqpath_proto_match(c->want, c->got), c->match);
}

static struct kunit_case btf_proto_cases[] = {
	KUNIT_CASE(btf_func_of_module),
	KUNIT_CASE(btf_tracepoint),
	KUNIT_CASE(btf_small_buffer),
	KUNIT_CASE(btf_bad_blobs),
	KUNIT_CASE_PARAM(btf_member_offset, member_gen_params),
	KUNIT_CASE_PARAM(proto_match, match_gen_params),
	{}
};

static struct kunit_suite btf_proto_suite = {
	.name = "kvm_irqpath_btf_proto",
	.test_cases = btf_proto_cases,
};

kunit_test_suite(btf_proto_suite);
