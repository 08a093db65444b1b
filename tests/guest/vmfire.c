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
 * (kvm_setup.c), the command loop and the error, reply and parsing helpers
 * too (guest_common.c). This file: options, the VMs' setup and teardown;
 * vmfire_cmds.c: the events and the commands.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vmfire.h"

#define PROG			"vmfire"

#define MAX_VMS			1024
#define MAX_VCPUS		256

#define DEFAULT_IOAPIC_GSI	5

enum route_mode {
	ROUTE_MSI,
	ROUTE_IOAPIC,
};

const char prog_name[] = PROG;

struct vm *vms;
unsigned int nr_vms = 1;
unsigned int msi_dest;
static unsigned int nr_vcpus = 1;
static unsigned int gsi;
static enum route_mode route = ROUTE_MSI;
static int kvm_fd = -1;

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
		"  fork N [VM]  the same N writes from a child process (another\n"
		"               process than the VMM)    -> DONE fork N pid=<child pid>\n"
		"  thread N [VM] the same N writes from a second thread of this\n"
		"               process                            -> DONE thread N\n"
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

void close_vm(struct vm *vm, unsigned int idx)
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

void close_all(void)
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
	unsigned long long n_fire = 0, n_msi = 0;
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
			n_fire = parse_opt_ull(opt, optarg);
			do_fire = true;
			break;
		case 'm':
			n_msi = parse_opt_ull(opt, optarg);
			do_msi = true;
			break;
		default:	/* -h, or a bad option */
			return help_or_usage(opt, usage);
		}
	}
	no_operands(argc, argv, usage);
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
			for_vms(fire_one, ALL_VMS, n_fire);
			reply("DONE fire %llu", n_fire);
		}
		if (do_msi) {
			for_vms(msi_one, ALL_VMS, n_msi);
			reply("DONE msi %llu", n_msi);
		}
		teardown();
		return 0;
	}

	reply("READY pid=%ld vms=%u", (long)getpid(), nr_vms);
	command_loop(vmfire_cmds, vmfire_nr_cmds);
	teardown();
	return 0;
}
