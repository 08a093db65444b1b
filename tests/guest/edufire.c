// SPDX-License-Identifier: GPL-2.0
/*
 * edufire - make QEMU's edu PCI device fire exact numbers of VFIO MSIs.
 *
 * Binds the edu device (1234:11e8) to vfio-pci, opens it through a type1
 * VFIO container, registers one eventfd as its MSI vector 0 and creates
 * idle KVM VMs (the same way vmfire does).  Driven by commands on stdin it
 * raises MSIs one at a time through the device's interrupt raise register,
 * each one waited for in /proc/interrupts, so that vfio_msihandler runs a
 * known number of times; the eventfd is either read by this program
 * (userspace mode) or attached to a VM with KVM_IRQFD.
 *
 * Only <linux/vfio.h>, <linux/kvm.h> and libc are used; the binary is
 * linked statically so it runs in the busybox test guest.  The device is
 * edu_dev.c's; the VM setup is shared with vmfire (kvm_setup.c), the
 * command loop and the error, reply and parsing helpers too
 * (guest_common.c).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "edu_dev.h"
#include "guest_common.h"
#include "kvm_setup.h"

#define PROG			"edufire"

#define MAX_VMS			1024
#define MSI_TIMEOUT_MS		5000
#define POLL_SLEEP_NS		100000	/* between /proc/interrupts reads */

#define VFIO_MSI_NAME		"vfio-msi["

const char prog_name[] = PROG;

static struct edu_dev dev = EDU_DEV_INIT;
static int efd = -1;

static int kvm_fd = -1;
static struct kvm_vm *vms;
static bool *attached;			/* eventfd is an irqfd of vms[i] */
static unsigned int nr_vms = 1;
static unsigned int gsi = DEFAULT_MSI_GSI;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-d BDF] [-v NVMS] [-g GSI]\n"
		"       " PROG " -h\n"
		"\n"
		"Drive QEMU's edu PCI device (%04x:%04x) through VFIO so that its MSI runs\n"
		"vfio_msihandler an exact number of times.  Binds the device to vfio-pci\n"
		"(driver_override + drivers_probe; 'modprobe vfio_pci' must have been done),\n"
		"opens it in a type1 VFIO container, enables memory space and Bus Master,\n"
		"registers one eventfd as MSI vector 0 (VFIO_DEVICE_SET_IRQS) and creates\n"
		"NVMS idle KVM VMs (in-kernel irqchip, one vCPU with the LAPIC software-\n"
		"enabled, never run, MSI route for GSI: addr 0x%08x data 0x%02x).  The\n"
		"eventfd starts attached to no VM (userspace mode: edufire reads it).\n"
		"\n"
		"  -d BDF     the device (default: first %04x:%04x in " SYS_PCI_DEVICES ")\n"
		"  -v NVMS    number of VMs (default 1, 0 allowed, max %d)\n"
		"  -g GSI     GSI of the MSI route and the irqfd (default %d)\n"
		"  -h         this help\n"
		"\n"
		"Prints 'READY pid=<pid> vms=<NVMS> irq=<IRQ>' (IRQ: the host irq of the\n"
		"device's vfio-msi line in " PROC_INTERRUPTS ") and reads commands from stdin,\n"
		"one per line, answering each with one line on stdout:\n"
		"  raise N      N MSIs, one at a time: write BAR0+0x%02x, wait until the\n"
		"               vfio-msi count in " PROC_INTERRUPTS " (all CPUs) grew by one\n"
		"               (at most %d ms, else 'ERR timeout after K of N'), write\n"
		"               BAR0+0x%02x; in userspace mode also read the eventfd.  R is\n"
		"               the total read from the eventfd (0 when attached to a VM)\n"
		"                                                  -> DONE raise N read=R\n"
		"  irqfd on [VM]   KVM_IRQFD the eventfd to GSI of VM index VM (default 0)\n"
		"                                                  -> DONE irqfd on\n"
		"  irqfd off [VM]  deassign it; once attached to no VM, whatever the eventfd\n"
		"               still holds is read and dropped     -> DONE irqfd off\n"
		"  unset        disable MSI (VFIO_DEVICE_SET_IRQS count 0, DATA_NONE):\n"
		"               frees the irq and any bypass producer -> DONE unset\n"
		"  set          register the eventfd as MSI vector 0 again -> DONE set\n"
		"  close        deassign the irqfds, disable MSI, close the device, group\n"
		"               and container (irqfd on/off still work) -> DONE close\n"
		"  quit         tear down and exit 0 (EOF does the same)\n"
		"  other        -> ERR <message>\n"
		"\n"
		"Any system call failure prints '" PROG ": <step>: <error>' to stderr and\n"
		"exits 1; bad options exit 2.  The device stays bound to vfio-pci.\n",
		EDU_VENDOR, EDU_DEVICE, MSI_ADDR_LO, MSI_DATA, EDU_VENDOR, EDU_DEVICE,
		MAX_VMS, DEFAULT_MSI_GSI, EDU_REG_IRQ_RAISE, MSI_TIMEOUT_MS,
		EDU_REG_IRQ_ACK);
}

static long long now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die_errno("clock_gettime");
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void short_sleep(void)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = POLL_SLEEP_NS };

	nanosleep(&ts, NULL);
}

/* -------------------------------------------------------------- eventfd */

/* Read the eventfd until it is empty; returns the total. */
static unsigned long long drain_eventfd(void)
{
	unsigned long long total = 0;
	uint64_t v;

	for (;;) {
		ssize_t r = read(efd, &v, sizeof(v));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return total;
			die_errno("read eventfd");
		}
		if (r != (ssize_t)sizeof(v))
			die("read eventfd: short read (%zd)", r);
		total += v;
	}
}

/* Wait until the eventfd is readable or @deadline (ms) passed. */
static void wait_eventfd(long long deadline)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };

	for (;;) {
		long long left = deadline - now_ms();
		int r;

		if (left < 0)
			left = 0;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die_errno("poll eventfd");
		return;
	}
}

static bool any_attached(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		if (attached[i])
			return true;
	return false;
}

static void irqfd_off(unsigned int idx)
{
	kvm_vm_irqfd(&vms[idx], idx, efd, gsi, false);
	attached[idx] = false;
	/*
	 * Before 6.7 irqfd_wakeup leaves the count in the eventfd: drop it
	 * so that userspace mode reads only what comes from now on.
	 */
	if (!any_attached())
		drain_eventfd();
}

/* ------------------------------------------------------------- teardown */

static void close_device(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		if (attached[i])
			irqfd_off(i);
	edu_close(&dev);
}

static void teardown(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		if (attached[i])
			irqfd_off(i);
	if (dev.device_fd >= 0)
		close_device();
	for (i = 0; i < nr_vms; i++)
		kvm_vm_destroy(&vms[i], i);
	free(vms);
	free(attached);
	vms = NULL;
	attached = NULL;
	if (efd >= 0 && close(efd) < 0)
		die_errno("close eventfd");
	efd = -1;
	if (kvm_fd >= 0 && close(kvm_fd) < 0)
		die_errno("close /dev/kvm");
	kvm_fd = -1;
	edu_free(&dev);
}

/* ------------------------------------------------------------- commands */

static void raise_msis(unsigned long long n)
{
	unsigned long long k, total = 0;
	bool user = !any_attached();

	for (k = 0; k < n; k++) {
		unsigned long long base = edu_msi_count(&dev);
		long long deadline;

		edu_bar0_write(&dev, EDU_REG_IRQ_RAISE, EDU_IRQ_VALUE,
			       "BAR0 interrupt raise");
		deadline = now_ms() + MSI_TIMEOUT_MS;
		while (edu_msi_count(&dev) <= base) {
			if (now_ms() > deadline) {
				edu_bar0_write(&dev, EDU_REG_IRQ_ACK,
					       EDU_IRQ_VALUE,
					       "BAR0 interrupt acknowledge");
				if (user)
					drain_eventfd();
				reply("ERR timeout after %llu of %llu", k, n);
				return;
			}
			short_sleep();
		}
		edu_bar0_write(&dev, EDU_REG_IRQ_ACK, EDU_IRQ_VALUE,
			       "BAR0 interrupt acknowledge");
		if (user) {
			/*
			 * The count is bumped before vfio_msihandler runs,
			 * maybe on another CPU: wait for the signal.
			 */
			wait_eventfd(deadline);
			total += drain_eventfd();
		}
	}
	reply("DONE raise %llu read=%llu", n, total);
}

/* raise N */
static bool cmd_raise(unsigned int argc, char **argv)
{
	unsigned long long n;

	(void)argc;
	if (!parse_ull(argv[1], &n))
		return false;
	if (dev.device_fd < 0) {
		reply("ERR device closed");
		return true;
	}
	if (!dev.msi_set) {
		reply("ERR MSI not set");
		return true;
	}
	raise_msis(n);
	return true;
}

/* irqfd on|off [VM]: absent means VM 0. */
static bool cmd_irqfd(unsigned int argc, char **argv)
{
	unsigned int vm;
	bool on;

	if (strcmp(argv[1], "on") && strcmp(argv[1], "off"))
		return false;
	on = !strcmp(argv[1], "on");
	if (!parse_vm_index(argc == 3 ? argv[2] : "0", nr_vms, &vm))
		return true;
	if (on == attached[vm]) {
		reply("ERR eventfd %s attached to VM %u",
		      on ? "already" : "not", vm);
		return true;
	}
	if (on) {
		kvm_vm_irqfd(&vms[vm], vm, efd, gsi, true);
		attached[vm] = true;
	} else {
		irqfd_off(vm);
	}
	reply("DONE irqfd %s", argv[1]);
	return true;
}

/* set|unset */
static bool cmd_set(unsigned int argc, char **argv)
{
	bool on = !strcmp(argv[0], "set");

	(void)argc;
	if (dev.device_fd < 0) {
		reply("ERR device closed");
		return true;
	}
	if (on == dev.msi_set) {
		reply("ERR MSI %s set", on ? "already" : "not");
		return true;
	}
	edu_set_msi(&dev, efd, on);
	reply("DONE %s", argv[0]);
	return true;
}

static bool cmd_close(unsigned int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (dev.device_fd < 0) {
		reply("ERR device closed");
		return true;
	}
	close_device();
	reply("DONE close");
	return true;
}

static const struct guest_cmd cmds[] = {
	{ "raise",	"N",		1, 1, cmd_raise },
	{ "irqfd",	"on|off [VM]",	1, 2, cmd_irqfd },
	{ "set",	"",		0, 0, cmd_set },
	{ "unset",	"",		0, 0, cmd_set },
	{ "close",	"",		0, 0, cmd_close },
};

/* ----------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	unsigned long long count;
	unsigned int i;
	long irq;
	int opt;

	while ((opt = getopt(argc, argv, "d:v:g:h")) != -1) {
		switch (opt) {
		case 'd':
			edu_set_bdf(&dev, optarg);
			break;
		case 'v':
			nr_vms = parse_opt_uint(opt, optarg, 0, MAX_VMS);
			break;
		case 'g':
			gsi = parse_opt_uint(opt, optarg, 0, MAX_GSI);
			break;
		default:	/* -h, or a bad option */
			return help_or_usage(opt, usage);
		}
	}
	no_operands(argc, argv, usage);

	if (!dev.bdf[0])
		edu_find(&dev);
	edu_bind_vfio_pci(&dev);
	edu_open(&dev);

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		die_errno("eventfd");
	edu_set_msi(&dev, efd, true);
	if (!edu_msi_irq_count(&dev, &irq, &count))
		die("no " VFIO_MSI_NAME "..](%s) line in " PROC_INTERRUPTS
		    " after VFIO_DEVICE_SET_IRQS", dev.bdf);

	vms = calloc(nr_vms ? nr_vms : 1, sizeof(*vms));
	attached = calloc(nr_vms ? nr_vms : 1, sizeof(*attached));
	if (!vms || !attached)
		die_errno("calloc");
	if (nr_vms)
		kvm_fd = kvm_open();
	for (i = 0; i < nr_vms; i++) {
		kvm_vm_create(&vms[i], kvm_fd, i, 1);
		kvm_vm_set_msi_route(&vms[i], i, gsi, 0);
	}

	reply("READY pid=%ld vms=%u irq=%ld", (long)getpid(), nr_vms, irq);
	command_loop(cmds, ARRAY_SIZE(cmds));
	teardown();
	return 0;
}
