/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the render suites (render_test.c, render_module_test.c) share: a
 * seq_file into a buffer KUnit frees, and zeroed counts and VM records.
 */
#ifndef _IRQPATH_RENDER_FIXTURE_H
#define _IRQPATH_RENDER_FIXTURE_H

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "irqpath/render.h"

#define RENDER_BUF_SIZE	8192

/* A seq_file that renders into a zeroed kmalloc'ed buffer, freed by KUnit. */
static inline struct seq_file *render_seq(struct kunit *test)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = RENDER_BUF_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	return m;
}

/* The buffer as a string; fails the case when the text did not fit. */
static inline const char *render_text(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	KUNIT_ASSERT_LT(test, m->count, m->size);
	m->buf[m->count] = '\0';
	return m->buf;
}

static inline struct irqpath_counts *render_counts(struct kunit *test)
{
	struct irqpath_counts *val = kunit_kzalloc(test, sizeof(*val), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, val);
	return val;
}

static inline struct irqpath_vm *render_vm(struct kunit *test)
{
	struct irqpath_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	return vm;
}

#endif /* _IRQPATH_RENDER_FIXTURE_H */
