// SPDX-License-Identifier: GPL-2.0
/*
 * ctlwrite - single write(2) calls of chosen bytes to a control file.
 *
 * Shell redirection can neither write zero bytes nor control how a buffer
 * is split into write(2) calls; this does one open(2) and one write(2) per
 * buffer and reports what the kernel answered, so the stress tests can
 * check that every malformed write is refused with EINVAL.
 *
 * Static, libc only, for the busybox test guest.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG		"ctlwrite"
#define HUGE_MAX	(1u << 20)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " FILE SPEC...\n"
		"       " PROG " -r N [-s SEED] [-v] FILE\n"
		"       " PROG " -h\n"
		"\n"
		"First form: for each SPEC, open FILE O_WRONLY, do one write(2) of its bytes,\n"
		"close, and print one line:\n"
		"  ok <bytes written>           the write succeeded\n"
		"  err <ENAME> <errno> write    write(2) failed\n"
		"  err <ENAME> <errno> open     open(2) failed (no write done)\n"
		"SPEC is a string with C escapes (\\n \\r \\t \\0 \\\\ \\xHH), or\n"
		"  @empty      zero bytes\n"
		"  @huge:N     N bytes (N <= %u): '1' then 'x's\n"
		"\n"
		"Second form: N writes of random malformed buffers (never exactly \"1\" or\n"
		"\"1\\n\"): empty, huge, binary, \"1\" with trailing junk, negative numbers,\n"
		"\"1\\n\\n\", other numbers, blanks.  Every one must fail with EINVAL.  Prints\n"
		"'unexpected <kind> <hex of first 16 bytes> len=<n> -> <result>' for any other\n"
		"outcome (-v: a line for every write), then\n"
		"  DONE random <N> einval=<E> ok=<O> other=<X>\n"
		"and exits 0 only when E == N.  SEED defaults to the pid.\n"
		"\n"
		"Exit: 0 (first form, whatever the results), 1 (a random write not refused\n"
		"with EINVAL), 2 (usage).\n",
		HUGE_MAX);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes SPEC into a malloc()ed buffer; exits 2 on a bad escape. */
static unsigned char *decode(const char *spec, size_t *len)
{
	unsigned char *buf;
	size_t n = 0;

	if (!strcmp(spec, "@empty")) {
		*len = 0;
		return calloc(1, 1);
	}
	if (!strncmp(spec, "@huge:", 6)) {
		char *end;
		unsigned long v = strtoul(spec + 6, &end, 10);

		if (*end || !v || v > HUGE_MAX) {
			fprintf(stderr, PROG ": bad %s\n", spec);
			exit(2);
		}
		buf = malloc(v);
		if (!buf) {
			perror(PROG ": malloc");
			exit(1);
		}
		memset(buf, 'x', v);
		buf[0] = '1';
		*len = v;
		return buf;
	}
	buf = malloc(strlen(spec) + 1);
	if (!buf) {
		perror(PROG ": malloc");
		exit(1);
	}
	while (*spec) {
		char c = *spec++;

		if (c != '\\') {
			buf[n++] = (unsigned char)c;
			continue;
		}
		c = *spec++;
		switch (c) {
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case '0': buf[n++] = '\0'; break;
		case '\\': buf[n++] = '\\'; break;
		case 'x': {
			int h = hexval(spec[0]), l = h < 0 ? -1 : hexval(spec[1]);

			if (l < 0) {
				fprintf(stderr, PROG ": bad \\x escape\n");
				exit(2);
			}
			buf[n++] = (unsigned char)(h << 4 | l);
			spec += 2;
			break;
		}
		default:
			fprintf(stderr, PROG ": bad escape \\%c\n", c ? c : '0');
			exit(2);
		}
	}
	*len = n;
	return buf;
}

/*
 * One open, one write, one close. Returns bytes written, or -errno; *at
 * says which call failed.
 */
static long write_once(const char *path, const unsigned char *buf, size_t len,
		       const char **at)
{
	ssize_t r;
	int fd, err;

	*at = "open";
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*at = "write";
	r = write(fd, buf, len);
	err = errno;
	close(fd);
	return r < 0 ? -err : (long)r;
}

static void format_result(char *out, size_t sz, long r, const char *at)
{
	if (r >= 0) {
		snprintf(out, sz, "ok %ld", r);
		return;
	}
	snprintf(out, sz, "err %s %ld %s",
		 strerrorname_np((int)-r) ?: "E?", -r, at);
}

/* xorshift64*: reproducible from the seed, whatever libc's rand() is. */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static const char *const fixed[] = {
	"1\n\n", "0", "2", "10", "01", "+1", "0x1", "1\r\n", "\n", " 1", "1 ",
	"\t1", "11", "1\n1", "one", "-", "1.0", "1e0", "\n1",
};
#define ARRAY_SIZE_FIXED (sizeof(fixed) / sizeof(fixed[0]))

/* A random malformed buffer in buf (HUGE_MAX bytes); returns its kind. */
static const char *make_bad(unsigned char *buf, size_t *len)
{
	size_t n, i;

	switch (rnd_below(8)) {
	case 0:
		*len = 0;
		return "empty";
	case 1:
		n = 3 + rnd_below(HUGE_MAX - 3);
		if (rnd_below(2))
			n = 3 + rnd_below(8192);
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)rnd();
		buf[0] = '1';
		*len = n;
		return "huge";
	case 2:
		n = 1 + rnd_below(64);
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)rnd();
		*len = n;
		break;
	case 3:
		n = 2 + rnd_below(16);
		buf[0] = '1';
		for (i = 1; i < n; i++)
			buf[i] = (unsigned char)rnd();
		*len = n;
		if (n == 2 && buf[1] == '\n')
			buf[1] = 'x';
		return "junk";
	case 4:
		n = (size_t)sprintf((char *)buf, "-%llu%s",
				    (unsigned long long)rnd_below(100000),
				    rnd_below(2) ? "\n" : "");
		*len = n;
		return "negative";
	case 5:
		i = rnd_below(ARRAY_SIZE_FIXED);
		n = strlen(fixed[i]);
		memcpy(buf, fixed[i], n);
		*len = n;
		return "fixed";
	case 6:
		n = 1 + rnd_below(8);
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)(' ' + rnd_below(95));
		*len = n;
		break;
	default:
		/* "1" or "1\n" then NUL or more: never exactly the good ones */
		buf[0] = '1';
		buf[1] = rnd_below(2) ? '\n' : '\0';
		buf[2] = (unsigned char)rnd();
		*len = 3;
		return "suffix";
	}
	/* the random kinds may hit "1" / "1\n" by chance */
	if ((*len == 1 && buf[0] == '1') ||
	    (*len == 2 && buf[0] == '1' && buf[1] == '\n')) {
		buf[0] = '2';
	}
	return "random";
}

static void hex16(char *out, const unsigned char *buf, size_t len)
{
	size_t i;

	*out = '\0';
	for (i = 0; i < len && i < 16; i++)
		out += sprintf(out, "%02x", buf[i]);
	if (!len)
		strcpy(out, "-");
}

static int random_mode(const char *path, unsigned long n, bool verbose)
{
	unsigned long k, einval = 0, ok = 0, other = 0;
	unsigned char *buf = malloc(HUGE_MAX);
	char res[96], hex[40];

	if (!buf) {
		perror(PROG ": malloc");
		return 1;
	}
	for (k = 0; k < n; k++) {
		const char *kind, *at;
		size_t len;
		long r;

		kind = make_bad(buf, &len);
		r = write_once(path, buf, len, &at);
		if (r == -EINVAL && !strcmp(at, "write"))
			einval++;
		else if (r >= 0)
			ok++;
		else
			other++;
		if (verbose || r != -EINVAL || strcmp(at, "write")) {
			hex16(hex, buf, len);
			format_result(res, sizeof(res), r, at);
			printf("%s %s %s len=%zu -> %s\n",
			       verbose && r == -EINVAL ? "refused" : "unexpected",
			       kind, hex, len, res);
		}
	}
	printf("DONE random %lu einval=%lu ok=%lu other=%lu\n", n, einval, ok,
	       other);
	free(buf);
	return einval == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long n = 0;
	bool random = false, verbose = false;
	uint64_t seed = (uint64_t)getpid();
	int opt, i;

	while ((opt = getopt(argc, argv, "r:s:vh")) != -1) {
		switch (opt) {
		case 'r':
			random = true;
			n = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc || (!random && optind + 1 >= argc) ||
	    (random && optind + 1 != argc)) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (random) {
		rng = seed * 0x9E3779B97F4A7C15ULL + 1;
		return random_mode(argv[optind], n, verbose);
	}
	for (i = optind + 1; i < argc; i++) {
		unsigned char *buf;
		const char *at;
		char res[96];
		size_t len;
		long r;

		buf = decode(argv[i], &len);
		r = write_once(argv[optind], buf, len, &at);
		format_result(res, sizeof(res), r, at);
		printf("%s\n", res);
		free(buf);
	}
	return 0;
}
