/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The writes of the two "digit, maybe a newline" parsers of src/render.c:
 * irqpath_parse_reset() of the `reset` file (render_module_test.c) and
 * irqpath_parse_switch() of the `latency` switch (latency_test.c). One
 * table with each parser's expected result, so every input is tried on both.
 */
#ifndef _IRQPATH_PARSE_CASES_H
#define _IRQPATH_PARSE_CASES_H

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/types.h>

struct parse_case {
	const char *desc;
	const char *buf;
	size_t len;
	int reset;	/* irqpath_parse_reset() */
	int sw;		/* irqpath_parse_switch() */
};

/* A write far longer than any valid one. */
static const char parse_long[4096] = { [0 ... 4095] = '1' };

#define PARSE_CASE(d, s, r, w)	{ d, s, sizeof(s) - 1, r, w }
#define PARSE_BAD(d, s)		PARSE_CASE(d, s, -EINVAL, -EINVAL)

static const struct parse_case parse_cases[] = {
	PARSE_CASE("zero", "0", -EINVAL, 0),
	PARSE_CASE("one", "1", 0, 1),
	PARSE_CASE("zero_newline", "0\n", -EINVAL, 0),
	PARSE_CASE("one_newline", "1\n", 0, 1),
	PARSE_BAD("empty", ""),
	PARSE_BAD("two", "2"),
	PARSE_BAD("eleven", "11"),
	PARSE_BAD("zero_one", "01"),
	PARSE_BAD("one_x", "1x"),
	PARSE_BAD("x_one", "x1"),
	PARSE_BAD("on", "on"),
	PARSE_BAD("y", "y"),
	PARSE_BAD("space_one", " 1"),
	PARSE_BAD("one_space", "1 "),
	PARSE_BAD("minus_one", "-1"),
	PARSE_BAD("newline", "\n"),
	PARSE_BAD("newline_one", "\n1"),
	PARSE_BAD("one_two_newlines", "1\n\n"),
	PARSE_BAD("one_cr_lf", "1\r\n"),
	PARSE_BAD("one_cr", "1\r"),
	PARSE_BAD("nul", "\0"),
	PARSE_BAD("one_nul", "1\0"),
	PARSE_BAD("binary", "\xff\x01"),
	PARSE_BAD("binary_one", "\2011"),
	{ "very_long", parse_long, sizeof(parse_long), -EINVAL, -EINVAL },
	{ "one_len3", "1\n1", 3, -EINVAL, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(parse, parse_cases, desc);

#endif /* _IRQPATH_PARSE_CASES_H */
