// SPDX-License-Identifier: GPL-2.0
/*
 * vmfire - generate exact, known numbers of KVM interrupt events.
 *
 * Creates one or more idle VMs (in-kernel irqchip, vCPUs never run), binds
 * an eventfd to a GSI of each with KVM_IRQFD and then, driven by commands
 * on stdin (or by -n/-m in one-shot mode), writes to those eventfds and
 * issues KVM_SIGNAL_MSI so that the kvm_irqpath counters can be checked
 * against known values.
 *
 * Only <linux/kvm.h> and libc are used; the binary is linked statically so
 * it runs in the busybox test guest.  The VM setup is shared with edufire
 * (kvm_setup.c), the error and reply helpers too (guest_common.c).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "guest_common.h"
#include "kvm_setup.h"

#define PROG			"vmfire"

#define MAX_VMS			1024
#define MAX_VCPUS		256

#define DEFAULT_IOAPIC_GSI	5

#define LOOP_BATCH		64
#define LINE_MAX_LEN		4096

enum route_mode {
	ROUTE_MSI,
	ROUTE_IOAPIC,
};

struct vm {
	struct kvm_vm kvm;
	int efd;
	bool open;
};

const char prog_name[] = PROG;

static struct vm *vms;
static unsigned int nr_vms = 1;
static unsigned int nr_vcpus = 1;
static unsigned int gsi;
static unsigned int msi_dest;	/* APIC id the MSIs go to: vCPU msi_dest */
static enum route_mode route = ROUTE_MSI;
static int kvm_fd = -1;

/* stdin line buffer; our own so that poll() on fd 0 tells the truth */
static char inbuf[LINE_MAX_LEN];
static size_t inlen;
static bool in_eof;
static bool in_discard;	/* dropping the rest of an over-long line */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-v NVMS] [-g GSI] [-r msi|ioapic] [-c NVCPUS] [-d VCPU] [-T] [-n N] [-m M]\n"
		"       " PROG " -h\n"
		"\n"
		"Create NVMS idle KVM VMs (in-kernel irqchip, NVCPUS vCPUs with the LAPIC\n"
		"software-enabled, never run), each with an eventfd bound to GSI by KVM_IRQFD.\n"
		"\n"
		"  -v NVMS    number of VMs (default 1, max %d)\n"
		"  -c NVCPUS  vCPUs per VM (default 1, max %d)\n"
		"  -r msi     route GSI as MSI (addr 0x%08x data 0x%02x: APIC id 0, fixed,\n"
		"             edge, vector 0x30) via KVM_SET_GSI_ROUTING; irqfd fast path\n"
		"             (default; default GSI %d)\n"
		"  -r ioapic  keep the default PIC/IOAPIC routing; irqfd deferred path\n"
		"             (default GSI %d, must be 0-%d)\n"
		"  -g GSI     GSI for the irqfd\n"
		"  -d VCPU    MSIs (route and KVM_SIGNAL_MSI) to APIC id VCPU, the vCPU of\n"
		"             that index (default 0; less than NVCPUS)\n"
		"  -T         create the VMs in a second thread, as a VMM may (KVM\n"
		"             then records that thread's id, not the process id)\n"
		"  -n N       one-shot: N eventfd writes per VM, print 'DONE fire N', exit\n"
		"  -m M       one-shot: M KVM_SIGNAL_MSI per VM, print 'DONE msi M', exit\n"
		"             (with -n too: fire first, then msi)\n"
		"  -h         this help\n"
		"\n"
		"Without -n/-m, prints 'READY pid=<pid> vms=<NVMS>' and reads commands from\n"
		"stdin, one per line, answering each with one line on stdout:\n"
		"  fire N [VM]  N eventfd writes (one write() each) to every open VM or to\n"
		"               VM index VM (0-based)              -> DONE fire N\n"
		"  msi N [VM]   N KVM_SIGNAL_MSI to every open VM / VM -> DONE msi N\n"
		"  loop [VM]    eventfd writes in batches of %d until a line arrives on\n"
		"               stdin or EOF; COUNT is the writes each targeted VM got\n"
		"                                                  -> DONE loop COUNT\n"
		"  close [VM]   deassign irqfd, close eventfd, vCPUs and VM (all if no VM)\n"
		"                                                  -> DONE close\n"
		"  quit         tear down and exit 0 (EOF does the same)\n"
		"  other        -> ERR <message>\n"
		"\n"
		"Any system call failure prints '" PROG ": <call>: <error>' to stderr and\n"
		"exits 1; bad options exit 2.\n",
		MAX_VMS, MAX_VCPUS, MSI_ADDR_LO, MSI_DATA, DEFAULT_MSI_GSI,
		DEFAULT_IOAPIC_GSI, NR_IOAPIC_PINS - 1, LOOP_BATCH);
}

static unsigned int parse_opt_uint(int opt, const char *arg,
				   unsigned int min, unsigned int max)
{
	unsigned long long v;

	if (!parse_ull(arg, &v) || v < min || v > max) {
		fprintf(stderr, PROG ": -%c: expected a number in %u-%u, got '%s'\n",
			opt, min, max, arg);
		exit(2);
	}
	return (unsigned int)v;
}

/* ---------------------------------------------------------------- setup */

static void setup_vm(struct vm *vm, unsigned int idx)
{
	kvm_vm_create(&vm->kvm, kvm_fd, idx, nr_vcpus);
	vm->open = true;

	if (route == ROUTE_MSI)
		kvm_vm_set_msi_route(&vm->kvm, idx, gsi, msi_dest);

	vm->efd = eventfd(0, EFD_CLOEXEC);
	if (vm->efd < 0)
		die_errno("eventfd (vm %u)", idx);

	kvm_vm_irqfd(&vm->kvm, idx, vm->efd, gsi, true);
}

static void close_vm(struct vm *vm, unsigned int idx)
{
	if (!vm->open)
		return;

	kvm_vm_irqfd(&vm->kvm, idx, vm->efd, gsi, false);
	if (close(vm->efd) < 0)
		die_errno("close eventfd (vm %u)", idx);
	vm->efd = -1;

	kvm_vm_destroy(&vm->kvm, idx);
	vm->open = false;
}

static void close_all(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		close_vm(&vms[i], i);
}

static void teardown(void)
{
	close_all();
	free(vms);
	vms = NULL;
	if (kvm_fd >= 0)
		close(kvm_fd);
	kvm_fd = -1;
}

/* --------------------------------------------------------------- events */

static void fire_one(struct vm *vm, unsigned int idx)
{
	const uint64_t one = 1;
	ssize_t r;

	do {
		r = write(vm->efd, &one, sizeof(one));
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		die_errno("write eventfd (vm %u)", idx);
	if (r != (ssize_t)sizeof(one))
		die("write eventfd (vm %u): short write (%zd)", idx, r);
}

static void msi_one(struct vm *vm, unsigned int idx)
{
	kvm_vm_signal_msi(&vm->kvm, idx, msi_dest);
}

/*
 * Run @fn @n times on VM @target, or on every open VM if @target < 0.
 * VMs are interleaved per event (vm0, vm1, ..., vm0, vm1, ...).
 */
static void for_vms(void (*fn)(struct vm *, unsigned int), long target,
		    unsigned long long n)
{
	unsigned long long k;
	unsigned int i;

	for (k = 0; k < n; k++) {
		if (target >= 0) {
			fn(&vms[target], (unsigned int)target);
			continue;
		}
		for (i = 0; i < nr_vms; i++)
			if (vms[i].open)
				fn(&vms[i], i);
	}
}

/* ---------------------------------------------------------------- input */

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

/* Is a line or EOF waiting on stdin?  Never blocks. */
static bool input_waiting(void)
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

/*
 * Parse an optional VM index.  Returns -1 for "all", the index otherwise;
 * on error writes a message to @err and returns -2.
 */
static long parse_vm_arg(const char *s, char *err, size_t errsz)
{
	unsigned long long v;

	if (!s)
		return -1;
	if (!parse_ull(s, &v) || v >= nr_vms) {
		snprintf(err, errsz, "bad VM index '%s' (0-%u)", s, nr_vms - 1);
		return -2;
	}
	if (!vms[v].open) {
		snprintf(err, errsz, "VM %llu is closed", v);
		return -2;
	}
	return (long)v;
}

static bool any_open(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		if (vms[i].open)
			return true;
	return false;
}

/* Returns false when the program should exit. */
static bool do_command(char *line)
{
	char *words[4], *save = NULL, *w;
	unsigned long long n;
	unsigned int nw = 0;
	char err[128];
	long target;

	for (w = strtok_r(line, " \t\r", &save); w;
	     w = strtok_r(NULL, " \t\r", &save)) {
		if (nw == sizeof(words) / sizeof(words[0])) {
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

	if (!strcmp(words[0], "fire") || !strcmp(words[0], "msi")) {
		bool fire = words[0][0] == 'f';

		if (nw < 2 || nw > 3 || !parse_ull(words[1], &n)) {
			reply("ERR usage: %s N [VM]", words[0]);
			return true;
		}
		target = parse_vm_arg(nw == 3 ? words[2] : NULL, err, sizeof(err));
		if (target == -2) {
			reply("ERR %s", err);
			return true;
		}
		if (target == -1 && !any_open()) {
			reply("ERR no open VMs");
			return true;
		}
		for_vms(fire ? fire_one : msi_one, target, n);
		reply("DONE %s %llu", words[0], n);
		return true;
	}

	if (!strcmp(words[0], "loop")) {
		unsigned long long count = 0;

		if (nw > 2) {
			reply("ERR usage: loop [VM]");
			return true;
		}
		target = parse_vm_arg(nw == 2 ? words[1] : NULL, err, sizeof(err));
		if (target == -2) {
			reply("ERR %s", err);
			return true;
		}
		if (target == -1 && !any_open()) {
			reply("ERR no open VMs");
			return true;
		}
		while (!input_waiting()) {
			for_vms(fire_one, target, LOOP_BATCH);
			count += LOOP_BATCH;
		}
		reply("DONE loop %llu", count);
		return true;
	}

	if (!strcmp(words[0], "close")) {
		if (nw > 2) {
			reply("ERR usage: close [VM]");
			return true;
		}
		target = parse_vm_arg(nw == 2 ? words[1] : NULL, err, sizeof(err));
		if (target == -2) {
			reply("ERR %s", err);
			return true;
		}
		if (target >= 0)
			close_vm(&vms[target], (unsigned int)target);
		else
			close_all();
		reply("DONE close");
		return true;
	}

	reply("ERR unknown command '%s'", words[0]);
	return true;
}

static void command_loop(void)
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
		if (!do_command(line))
			return;
	}
}

/* ----------------------------------------------------------------- main */

static void *setup_vms(void *unused)
{
	unsigned int i;

	(void)unused;
	for (i = 0; i < nr_vms; i++)
		setup_vm(&vms[i], i);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long long n_fire = 0, n_msi = 0, v;
	bool do_fire = false, do_msi = false, gsi_set = false, in_thread = false;
	pthread_t thread;
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "v:g:r:c:d:n:m:Th")) != -1) {
		switch (opt) {
		case 'd':
			msi_dest = parse_opt_uint(opt, optarg, 0, MAX_VCPUS - 1);
			break;
		case 'T':
			in_thread = true;
			break;
		case 'v':
			nr_vms = parse_opt_uint(opt, optarg, 1, MAX_VMS);
			break;
		case 'c':
			nr_vcpus = parse_opt_uint(opt, optarg, 1, MAX_VCPUS);
			break;
		case 'g':
			gsi = parse_opt_uint(opt, optarg, 0, MAX_GSI);
			gsi_set = true;
			break;
		case 'r':
			if (!strcmp(optarg, "msi")) {
				route = ROUTE_MSI;
			} else if (!strcmp(optarg, "ioapic")) {
				route = ROUTE_IOAPIC;
			} else {
				fprintf(stderr, PROG ": -r: expected msi or ioapic, got '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
		case 'm':
			if (!parse_ull(optarg, &v)) {
				fprintf(stderr, PROG ": -%c: expected a number, got '%s'\n",
					opt, optarg);
				return 2;
			}
			if (opt == 'n') {
				n_fire = v;
				do_fire = true;
			} else {
				n_msi = v;
				do_msi = true;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!gsi_set)
		gsi = route == ROUTE_MSI ? DEFAULT_MSI_GSI : DEFAULT_IOAPIC_GSI;
	if (msi_dest >= nr_vcpus) {
		fprintf(stderr, PROG ": -d: vCPU %u, but only %u vCPUs (-c)\n",
			msi_dest, nr_vcpus);
		return 2;
	}
	if (route == ROUTE_IOAPIC && gsi >= NR_IOAPIC_PINS) {
		fprintf(stderr, PROG ": -r ioapic: GSI must be 0-%d, got %u\n",
			NR_IOAPIC_PINS - 1, gsi);
		return 2;
	}

	kvm_fd = kvm_open();

	vms = calloc(nr_vms, sizeof(*vms));
	if (!vms)
		die_errno("calloc");
	for (i = 0; i < nr_vms; i++) {
		vms[i].kvm.vm_fd = -1;
		vms[i].efd = -1;
	}
	if (in_thread) {
		errno = pthread_create(&thread, NULL, setup_vms, NULL);
		if (errno)
			die_errno("pthread_create");
		errno = pthread_join(thread, NULL);
		if (errno)
			die_errno("pthread_join");
	} else {
		setup_vms(NULL);
	}

	if (do_fire || do_msi) {
		if (do_fire) {
			for_vms(fire_one, -1, n_fire);
			reply("DONE fire %llu", n_fire);
		}
		if (do_msi) {
			for_vms(msi_one, -1, n_msi);
			reply("DONE msi %llu", n_msi);
		}
		teardown();
		return 0;
	}

	reply("READY pid=%ld vms=%u", (long)getpid(), nr_vms);
	command_loop();
	teardown();
	return 0;
}
