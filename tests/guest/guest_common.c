// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the static guest-side test programs: see guest_common.h.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_common.h"

/* "<prog>: <message>[: <strerror(err)>]" on stderr, then exit 1. */
static void __attribute__((noreturn, format(printf, 2, 0)))
vdie(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", prog_name);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(1);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vdie(err, fmt, ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(0, fmt, ap);
}

void reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (fflush(stdout) == EOF)
		die_errno("write stdout");
}

bool parse_ull(const char *s, unsigned long long *val)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*val = v;
	return true;
}

unsigned int parse_opt_uint(int opt, const char *arg,
			    unsigned int min, unsigned int max)
{
	unsigned long long v;

	if (!parse_ull(arg, &v) || v < min || v > max) {
		fprintf(stderr, "%s: -%c: expected a number in %u-%u, got '%s'\n",
			prog_name, opt, min, max, arg);
		exit(2);
	}
	return (unsigned int)v;
}

unsigned long long parse_opt_ull(int opt, const char *arg)
{
	unsigned long long v;

	if (!parse_ull(arg, &v)) {
		fprintf(stderr, "%s: -%c: expected a number, got '%s'\n",
			prog_name, opt, arg);
		exit(2);
	}
	return v;
}

int help_or_usage(int opt, void (*usage)(FILE *f))
{
	usage(opt == 'h' ? stdout : stderr);
	return opt == 'h' ? 0 : 2;
}

void no_operands(int argc, char **argv, void (*usage)(FILE *f))
{
	if (optind >= argc)
		return;
	fprintf(stderr, "%s: unexpected argument '%s'\n", prog_name, argv[optind]);
	usage(stderr);
	exit(2);
}

bool parse_vm_index(const char *s, unsigned int nr_vms, unsigned int *idx)
{
	unsigned long long v;

	if (!nr_vms) {
		reply("ERR no VMs (-v 0)");
		return false;
	}
	if (!parse_ull(s, &v) || v >= nr_vms) {
		reply("ERR bad VM index '%s' (0-%u)", s, nr_vms - 1);
		return false;
	}
	*idx = (unsigned int)v;
	return true;
}

/* ---------------------------------------------------------------- input */

#define LINE_MAX_LEN	4096
#define MAX_WORDS	4	/* the name and up to 3 arguments */

/*
 * stdin line buffer; our own rather than stdio's so that poll() on fd 0
 * tells the truth about what is still unread (input_waiting()).
 */
static char inbuf[LINE_MAX_LEN];
static size_t inlen;
static bool in_eof;
static bool in_discard;	/* dropping the rest of an over-long line */

/* One read() from stdin into inbuf. */
static void fill_input(void)
{
	ssize_t r;

	if (in_eof || inlen == sizeof(inbuf))
		return;
	r = read(STDIN_FILENO, inbuf + inlen, sizeof(inbuf) - inlen);
	if (r < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		die_errno("read stdin");
	}
	if (r == 0)
		in_eof = true;
	inlen += (size_t)r;
}

/* A complete command line (or something to act on) is buffered. */
static bool line_pending(void)
{
	return memchr(inbuf, '\n', inlen) || inlen == sizeof(inbuf) ||
	       (in_eof && inlen);
}

/*
 * Get the next line (without '\n') into @line.  Returns 0 on success,
 * 1 for an over-long (discarded) line, -1 at EOF.
 */
static int next_line(char *line, size_t size)
{
	for (;;) {
		char *nl = memchr(inbuf, '\n', inlen);
		size_t len;

		if (nl) {
			len = (size_t)(nl - inbuf);
			if (in_discard) {
				in_discard = false;
				memmove(inbuf, nl + 1, inlen - len - 1);
				inlen -= len + 1;
				return 1;
			}
			if (len >= size)
				len = size - 1;
			memcpy(line, inbuf, len);
			line[len] = '\0';
			len = (size_t)(nl - inbuf);
			memmove(inbuf, nl + 1, inlen - len - 1);
			inlen -= len + 1;
			return 0;
		}
		if (inlen == sizeof(inbuf)) {
			/* No newline in a full buffer: drop it all. */
			in_discard = true;
			inlen = 0;
			continue;
		}
		if (in_eof) {
			if (in_discard) {
				in_discard = false;
				inlen = 0;
				return 1;
			}
			if (!inlen)
				return -1;
			/* Last line without '\n'. */
			len = inlen < size ? inlen : size - 1;
			memcpy(line, inbuf, len);
			line[len] = '\0';
			inlen = 0;
			return 0;
		}
		fill_input();
	}
}

bool input_waiting(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int r;

	if (line_pending() || in_eof)
		return true;
	r = poll(&pfd, 1, 0);
	if (r < 0) {
		if (errno == EINTR)
			return false;
		die_errno("poll stdin");
	}
	if (r > 0)
		fill_input();
	return line_pending() || in_eof;
}

/* ------------------------------------------------------------- commands */

/* Answer one line; false when the program should exit. */
static bool do_command(const struct guest_cmd *cmds, size_t nr_cmds,
		       char *line)
{
	char *words[MAX_WORDS], *save = NULL, *w;
	const struct guest_cmd *c;
	unsigned int nw = 0;

	for (w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (nw == ARRAY_SIZE(words)) {
			reply("ERR too many arguments");
			return true;
		}
		words[nw++] = w;
	}
	if (!nw) {
		reply("ERR empty command");
		return true;
	}

	if (!strcmp(words[0], "quit")) {
		if (nw != 1) {
			reply("ERR usage: quit");
			return true;
		}
		return false;
	}

	for (c = cmds; c < cmds + nr_cmds; c++) {
		if (strcmp(words[0], c->name))
			continue;
		if (nw - 1 < c->min_args || nw - 1 > c->max_args ||
		    !c->run(nw, words))
			reply("ERR usage: %s%s%s", c->name, *c->args ? " " : "",
			      c->args);
		return true;
	}

	reply("ERR unknown command '%s'", words[0]);
	return true;
}

void command_loop(const struct guest_cmd *cmds, size_t nr_cmds)
{
	char line[LINE_MAX_LEN + 1];

	for (;;) {
		int r = next_line(line, sizeof(line));

		if (r < 0)
			return;
		if (r > 0) {
			reply("ERR line too long");
			continue;
		}
		if (!do_command(cmds, nr_cmds, line))
			return;
	}
}
