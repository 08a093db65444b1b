// SPDX-License-Identifier: GPL-2.0
/*
 * irqbench - irqfd interrupt throughput for `make bench` (tests/harness/bench.sh).
 *
 * Creates V idle VMs (in-kernel irqchip, one vCPU with the LAPIC
 * software-enabled, never run), each with G MSI routes (GSI 24..24+G-1,
 * all to APIC id 0, fixed, edge, vector 0x30, as vmfire) and one eventfd
 * bound to each GSI by KVM_IRQFD.  One thread then writes the eventfds
 * round-robin (vm0/gsi0, vm1/gsi0, ..., vm0/gsi1, ...) for a given time or
 * count.  Every write is one irqfd_wakeup (EPOLLIN), one fast-path
 * kvm_arch_set_irq_inatomic and one LAPIC delivery to the vCPU: a fixed
 * edge interrupt is delivered again even while its IRR bit is still set
 * (the guest never runs, so never EOIs), which keeps the counts exact.
 *
 * Prints one line:
 *   irqbench writes=N secs=S rate=R vms=V gsis=G vm_writes=n0,n1,...
 *            irqfd_writes=n00,n01,...
 * (per VM, and per irqfd VM-major).
 * With -w it then waits for EOF on stdin before tearing the VMs down, so
 * that tracers can be read while the VMs still exist (the EPOLLHUP wakeups
 * of the teardown come after).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "guest_common.h"
#include "kvm_setup.h"

#define PROG		"irqbench"
#define MAX_VMS		64
#define MAX_GSIS	64
#define FIRST_GSI	DEFAULT_MSI_GSI
#define CLOCK_EVERY	256	/* writes between two clock reads */

const char prog_name[] = PROG;

static unsigned int nr_vms = 4, nr_gsis = 4;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-v VMS] [-g GSIS] [-t SECS | -n COUNT] [-w]\n"
		"  -v VMS    VMs (default 4, max %d)\n"
		"  -g GSIS   MSI-routed irqfds per VM (default 4, max %d)\n"
		"  -t SECS   write for SECS seconds (default 3; may be a fraction)\n"
		"  -n COUNT  write exactly COUNT times in all instead\n"
		"  -w        after the result line, wait for EOF on stdin, then tear down\n",
		MAX_VMS, MAX_GSIS);
}

static double now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die_errno("clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* KVM_SET_GSI_ROUTING: only the MSI routes, one per GSI. */
static void set_routes(struct kvm_vm *vm, unsigned int idx)
{
	struct kvm_irq_routing *r;
	unsigned int g;

	r = calloc(1, sizeof(*r) + nr_gsis * sizeof(r->entries[0]));
	if (!r)
		die_errno("calloc");
	for (g = 0; g < nr_gsis; g++) {
		r->entries[g].gsi = FIRST_GSI + g;
		r->entries[g].type = KVM_IRQ_ROUTING_MSI;
		r->entries[g].u.msi.address_lo = MSI_ADDR_LO;
		r->entries[g].u.msi.data = MSI_DATA;
	}
	r->nr = nr_gsis;
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r) < 0)
		die_errno("KVM_SET_GSI_ROUTING (vm %u)", idx);
	free(r);
}

static void fire(int efd, unsigned int v, unsigned int g)
{
	const uint64_t one = 1;
	ssize_t r;

	do {
		r = write(efd, &one, sizeof(one));
	} while (r < 0 && errno == EINTR);
	if (r != (ssize_t)sizeof(one))
		die_errno("write eventfd (vm %u, gsi %u)", v, FIRST_GSI + g);
}

int main(int argc, char **argv)
{
	static struct kvm_vm vms[MAX_VMS];
	static int efd[MAX_VMS][MAX_GSIS];
	static unsigned long long writes[MAX_VMS][MAX_GSIS];
	unsigned long long vm_writes;
	unsigned long long count = 0, n = 0, k;
	unsigned int v, g, i;
	double secs = 3, t0, t1;
	bool wait_eof = false;
	int opt, kvm_fd;
	char buf[64];
	char *end;

	while ((opt = getopt(argc, argv, "v:g:t:n:wh")) != -1) {
		switch (opt) {
		case 'v':
		case 'g':
			if (!parse_ull(optarg, &k) || !k ||
			    k > (opt == 'v' ? MAX_VMS : MAX_GSIS)) {
				usage(stderr);
				return 2;
			}
			*(opt == 'v' ? &nr_vms : &nr_gsis) = (unsigned int)k;
			break;
		case 't':
			secs = strtod(optarg, &end);
			if (*end || !(secs > 0)) {
				usage(stderr);
				return 2;
			}
			break;
		case 'n':
			if (!parse_ull(optarg, &count) || !count) {
				usage(stderr);
				return 2;
			}
			break;
		case 'w':
			wait_eof = true;
			break;
		default:	/* -h, or a bad option */
			return help_or_usage(opt, usage);
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	kvm_fd = kvm_open();
	for (v = 0; v < nr_vms; v++) {
		kvm_vm_create(&vms[v], kvm_fd, v, 1);
		set_routes(&vms[v], v);
		for (g = 0; g < nr_gsis; g++) {
			efd[v][g] = eventfd(0, EFD_CLOEXEC);
			if (efd[v][g] < 0)
				die_errno("eventfd (vm %u)", v);
			kvm_vm_irqfd(&vms[v], v, efd[v][g], FIRST_GSI + g, true);
		}
	}

	/* Round-robin: the VM changes on every write, the GSI every V writes. */
	v = 0;
	g = 0;
	t0 = now();
	t1 = t0 + secs;
	for (;;) {
		for (i = 0; i < CLOCK_EVERY; i++) {
			if (count && n == count)
				break;
			fire(efd[v][g], v, g);
			writes[v][g]++;
			n++;
			if (++v == nr_vms) {
				v = 0;
				if (++g == nr_gsis)
					g = 0;
			}
		}
		if (count ? n == count : now() >= t1)
			break;
	}
	t1 = now();

	printf(PROG " writes=%llu secs=%.3f rate=%.0f vms=%u gsis=%u vm_writes=",
	       n, t1 - t0, (double)n / (t1 - t0), nr_vms, nr_gsis);
	for (v = 0; v < nr_vms; v++) {
		for (vm_writes = 0, g = 0; g < nr_gsis; g++)
			vm_writes += writes[v][g];
		printf("%s%llu", v ? "," : "", vm_writes);
	}
	printf(" irqfd_writes=");
	for (v = 0; v < nr_vms; v++)
		for (g = 0; g < nr_gsis; g++)
			printf("%s%llu", v || g ? "," : "", writes[v][g]);
	reply("%s", "");

	if (wait_eof)
		while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
			;

	for (v = 0; v < nr_vms; v++) {
		for (g = 0; g < nr_gsis; g++) {
			kvm_vm_irqfd(&vms[v], v, efd[v][g], FIRST_GSI + g, false);
			if (close(efd[v][g]) < 0)
				die_errno("close eventfd (vm %u)", v);
		}
		kvm_vm_destroy(&vms[v], v);
	}
	close(kvm_fd);
	return 0;
}
