/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the static guest-side test programs (vmfire, edufire):
 * error exits, protocol replies and number parsing.
 */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include <stdbool.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Defined by each program: the prefix of its error messages. */
extern const char prog_name[];

/* "<prog>: <fmt>: <strerror(errno)>" on stderr, exit 1. */
void die_errno(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* "<prog>: <fmt>" on stderr, exit 1. */
void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* One answer line on stdout, flushed. */
void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a decimal unsigned number; false on junk or overflow. */
bool parse_ull(const char *s, unsigned long long *val);

#endif /* GUEST_COMMON_H */
