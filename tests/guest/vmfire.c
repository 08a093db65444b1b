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
 * it runs in the busybox test guest.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#define PROG			"vmfire"

#define MAX_VMS			1024
#define MAX_VCPUS		256

#define DEFAULT_MSI_GSI		24
#define DEFAULT_IOAPIC_GSI	5
#define NR_IOAPIC_PINS		24
#define NR_PIC_PINS		16
#define MAX_GSI			4095	/* KVM_MAX_IRQ_ROUTES - 1 (kernel-internal) */

/* MSI: physical destination APIC id 0; fixed, edge, vector 0x30 */
#define MSI_ADDR_LO		0xfee00000u
#define MSI_DATA		0x30u

#define APIC_SVR		0xF0
#define APIC_SVR_VALUE		0x1FFu	/* APIC software enable | vector 0xff */

#define LOOP_BATCH		64
#define LINE_MAX_LEN		4096

enum route_mode {
	ROUTE_MSI,
	ROUTE_IOAPIC,
};

struct vm {
	int vm_fd;
	int efd;
	int *vcpu_fd;
	bool open;
};

static struct vm *vms;
static unsigned int nr_vms = 1;
static unsigned int nr_vcpus = 1;
static unsigned int gsi;
static enum route_mode route = ROUTE_MSI;
static int kvm_fd = -1;

/* stdin line buffer; our own so that poll() on fd 0 tells the truth */
static char inbuf[LINE_MAX_LEN];
static size_t inlen;
static bool in_eof;
static bool in_discard;	/* dropping the rest of an over-long line */

static void __attribute__((noreturn, format(printf, 1, 2)))
die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) reply(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (fflush(stdout) == EOF)
		die_errno("write stdout");
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-v NVMS] [-g GSI] [-r msi|ioapic] [-c NVCPUS] [-n N] [-m M]\n"
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

/* Parse a decimal unsigned number; false on junk or overflow. */
static bool parse_ull(const char *s, unsigned long long *val)
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

/*
 * Replicates kvm_setup_default_irq_routing() (arch/x86/kvm/irq_comm.c):
 * GSI 0-15 -> IOAPIC pin gsi and PIC master/slave pin gsi % 8,
 * GSI 16-23 -> IOAPIC pin gsi.  KVM_SET_GSI_ROUTING replaces the whole
 * table, so these must be installed along with the MSI route.  KVM refuses
 * to mix an MSI entry with irqchip entries on one GSI, so when the MSI GSI
 * is below 24 its default irqchip entries are left out.
 */
static void set_msi_routing(struct vm *vm, unsigned int idx)
{
	struct kvm_irq_routing_entry *e;
	struct kvm_irq_routing *r;
	unsigned int i, n = 0;

	r = calloc(1, sizeof(*r) + (NR_IOAPIC_PINS + NR_PIC_PINS + 1) * sizeof(*e));
	if (!r)
		die_errno("calloc");

	for (i = 0; i < NR_IOAPIC_PINS; i++) {
		if (i == gsi)
			continue;
		e = &r->entries[n++];
		e->gsi = i;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
		e->u.irqchip.pin = i;
		if (i >= NR_PIC_PINS)
			continue;
		e = &r->entries[n++];
		e->gsi = i;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.irqchip = i < 8 ? KVM_IRQCHIP_PIC_MASTER :
					       KVM_IRQCHIP_PIC_SLAVE;
		e->u.irqchip.pin = i % 8;
	}

	e = &r->entries[n++];
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = MSI_ADDR_LO;
	e->u.msi.address_hi = 0;
	e->u.msi.data = MSI_DATA;

	r->nr = n;
	r->flags = 0;
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r) < 0)
		die_errno("KVM_SET_GSI_ROUTING (vm %u, gsi %u)", idx, gsi);
	free(r);
}

static void enable_lapic(int vcpu_fd, unsigned int idx, unsigned int id)
{
	struct kvm_lapic_state lapic;
	uint32_t svr = APIC_SVR_VALUE;

	memset(&lapic, 0, sizeof(lapic));
	if (ioctl(vcpu_fd, KVM_GET_LAPIC, &lapic) < 0)
		die_errno("KVM_GET_LAPIC (vm %u, vcpu %u)", idx, id);
	memcpy(&lapic.regs[APIC_SVR], &svr, sizeof(svr));
	if (ioctl(vcpu_fd, KVM_SET_LAPIC, &lapic) < 0)
		die_errno("KVM_SET_LAPIC (vm %u, vcpu %u)", idx, id);
}

static void setup_vm(struct vm *vm, unsigned int idx)
{
	struct kvm_irqfd irqfd;
	unsigned int i;

	vm->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0UL);
	if (vm->vm_fd < 0)
		die_errno("KVM_CREATE_VM (vm %u)", idx);
	vm->open = true;

	/* Must precede vCPU creation. */
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0UL) < 0)
		die_errno("KVM_CREATE_IRQCHIP (vm %u)", idx);

	vm->vcpu_fd = calloc(nr_vcpus, sizeof(*vm->vcpu_fd));
	if (!vm->vcpu_fd)
		die_errno("calloc");
	for (i = 0; i < nr_vcpus; i++)
		vm->vcpu_fd[i] = -1;
	for (i = 0; i < nr_vcpus; i++) {
		vm->vcpu_fd[i] = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
		if (vm->vcpu_fd[i] < 0)
			die_errno("KVM_CREATE_VCPU (vm %u, vcpu %u)", idx, i);
		enable_lapic(vm->vcpu_fd[i], idx, i);
	}

	if (route == ROUTE_MSI)
		set_msi_routing(vm, idx);

	vm->efd = eventfd(0, EFD_CLOEXEC);
	if (vm->efd < 0)
		die_errno("eventfd (vm %u)", idx);

	memset(&irqfd, 0, sizeof(irqfd));
	irqfd.fd = (uint32_t)vm->efd;
	irqfd.gsi = gsi;
	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0)
		die_errno("KVM_IRQFD (vm %u, gsi %u)", idx, gsi);
}

static void close_vm(struct vm *vm, unsigned int idx)
{
	struct kvm_irqfd irqfd;
	unsigned int i;

	if (!vm->open)
		return;

	memset(&irqfd, 0, sizeof(irqfd));
	irqfd.fd = (uint32_t)vm->efd;
	irqfd.gsi = gsi;
	irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0)
		die_errno("KVM_IRQFD deassign (vm %u, gsi %u)", idx, gsi);
	if (close(vm->efd) < 0)
		die_errno("close eventfd (vm %u)", idx);
	vm->efd = -1;

	for (i = 0; i < nr_vcpus; i++) {
		if (close(vm->vcpu_fd[i]) < 0)
			die_errno("close vcpu fd (vm %u, vcpu %u)", idx, i);
	}
	free(vm->vcpu_fd);
	vm->vcpu_fd = NULL;

	if (close(vm->vm_fd) < 0)
		die_errno("close vm fd (vm %u)", idx);
	vm->vm_fd = -1;
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
	struct kvm_msi msi;

	memset(&msi, 0, sizeof(msi));
	msi.address_lo = MSI_ADDR_LO;
	msi.address_hi = 0;
	msi.data = MSI_DATA;
	if (ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi) < 0)
		die_errno("KVM_SIGNAL_MSI (vm %u)", idx);
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

int main(int argc, char **argv)
{
	unsigned long long n_fire = 0, n_msi = 0, v;
	bool do_fire = false, do_msi = false, gsi_set = false;
	unsigned int i;
	int opt, api;

	while ((opt = getopt(argc, argv, "v:g:r:c:n:m:h")) != -1) {
		switch (opt) {
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
	if (route == ROUTE_IOAPIC && gsi >= NR_IOAPIC_PINS) {
		fprintf(stderr, PROG ": -r ioapic: GSI must be 0-%d, got %u\n",
			NR_IOAPIC_PINS - 1, gsi);
		return 2;
	}

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		die_errno("open /dev/kvm");
	api = ioctl(kvm_fd, KVM_GET_API_VERSION, 0UL);
	if (api < 0)
		die_errno("KVM_GET_API_VERSION");
	if (api != KVM_API_VERSION)
		die("KVM_GET_API_VERSION: got %d, expected %d", api, KVM_API_VERSION);

	vms = calloc(nr_vms, sizeof(*vms));
	if (!vms)
		die_errno("calloc");
	for (i = 0; i < nr_vms; i++) {
		vms[i].vm_fd = -1;
		vms[i].efd = -1;
	}
	for (i = 0; i < nr_vms; i++)
		setup_vm(&vms[i], i);

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
