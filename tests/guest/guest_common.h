/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the static guest-side test programs (vmfire, edufire,
 * irqbench): error exits, option and number parsing, and the stdin command
 * protocol of vmfire and edufire.
 *
 * The protocol: one command per line on stdin, words split at blanks, tabs
 * and '\r'; every line gets exactly one answer line on stdout, "DONE ..."
 * or "ERR <message>", flushed before the next line is read.  "quit" or EOF
 * ends the loop.  The lines and messages are what tests/e2e parses: keep
 * them stable.
 */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/*
 * Option arguments.  A bad one prints "<prog>: -<opt>: expected a number
 * in MIN-MAX, got '<arg>'" (or "expected a number, got") and exits 2.
 */
unsigned int parse_opt_uint(int opt, const char *arg,
			    unsigned int min, unsigned int max);
unsigned long long parse_opt_ull(int opt, const char *arg);

/*
 * After getopt(): an operand left over prints "<prog>: unexpected argument
 * '<arg>'" and @usage on stderr, and exits 2.
 */
/* For getopt's -h (usage on stdout, 0) or a bad option (usage on stderr, 2). */
int help_or_usage(int opt, void (*usage)(FILE *f));
void no_operands(int argc, char **argv, void (*usage)(FILE *f));

/*
 * One command of a program's table.  @args is the usage after the name
 * ("" if none); the loop checks that @min_args..@max_args words follow the
 * name.  run() gets argv[0] = the name and answers with reply() itself,
 * "DONE ..." or "ERR ...", or returns false (and answers nothing) when the
 * words are malformed: the loop then answers "ERR usage: <name> <args>".
 */
struct guest_cmd {
	const char *name;
	const char *args;
	unsigned int min_args, max_args;
	bool (*run)(unsigned int argc, char **argv);
};

/*
 * Read and answer commands until "quit" or EOF.  Besides the table's
 * commands: an empty line, more than 3 arguments, a line longer than
 * 4096 bytes and an unknown name each get an "ERR ..." line.
 */
void command_loop(const struct guest_cmd *cmds, size_t nr_cmds);

/*
 * Does a command line (or EOF) wait on stdin?  Never blocks; lets a
 * long-running command stop at the next line, which stays queued.
 */
bool input_waiting(void);

/*
 * The VM index word @s of a command: a number below @nr_vms.  Otherwise
 * answers "ERR no VMs (-v 0)" or "ERR bad VM index '<s>' (0-<nr_vms-1>)"
 * and returns false.  What an absent index means is the command's business.
 */
bool parse_vm_index(const char *s, unsigned int nr_vms, unsigned int *idx);

#endif /* GUEST_COMMON_H */
