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
 * linked statically so it runs in the busybox test guest.  The VM setup is
 * shared with vmfire (kvm_setup.c), the command loop and the error, reply
 * and parsing helpers too (guest_common.c).
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "guest_common.h"
#include "kvm_setup.h"

#define PROG			"edufire"

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_REG_ID		0x00	/* 0xRRrr00ed */
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_BAR0_MIN		0x68
#define EDU_IRQ_VALUE		1u

#define MAX_VMS			1024
#define MSI_TIMEOUT_MS		5000
#define POLL_SLEEP_NS		100000	/* between /proc/interrupts reads */

#define SYS_PCI_DEVICES		"/sys/bus/pci/devices"
#define SYS_VFIO_PCI		"/sys/bus/pci/drivers/vfio-pci"
#define PROC_INTERRUPTS		"/proc/interrupts"
#define VFIO_MSI_NAME		"vfio-msi["

const char prog_name[] = PROG;

static char bdf[64];			/* DDDD:BB:DD.F */
static int container_fd = -1;
static int group_fd = -1;
static int device_fd = -1;
static off_t cfg_off;			/* config space region offset */
static off_t bar0_off;			/* BAR0 region offset */
static bool msi_set;
static int efd = -1;

static int kvm_fd = -1;
static struct kvm_vm *vms;
static bool *attached;			/* eventfd is an irqfd of vms[i] */
static unsigned int nr_vms = 1;
static unsigned int gsi = DEFAULT_MSI_GSI;

static char *proc_buf;
static size_t proc_size;

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

/* ---------------------------------------------------------------- sysfs */

/* Read a small sysfs file, newline stripped; false if it does not exist. */
static bool read_sysfs(const char *path, char *buf, size_t size)
{
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return false;
		die_errno("open %s", path);
	}
	r = read(fd, buf, size - 1);
	if (r < 0)
		die_errno("read %s", path);
	close(fd);
	buf[r] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

static void write_sysfs(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t r;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("open %s", path);
	r = write(fd, val, len);
	if (r < 0)
		die_errno("write '%s' to %s", val, path);
	if ((size_t)r != len)
		die("write '%s' to %s: short write (%zd)", val, path, r);
	if (close(fd) < 0)
		die_errno("write '%s' to %s", val, path);
}

/* Copy string @src into @dst of @size bytes; false if it does not fit. */
static bool copy_str(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return false;
	memcpy(dst, src, len + 1);
	return true;
}

/* basename of the target of symlink @path into @buf; false if no link. */
static bool link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t r;

	r = readlink(path, target, sizeof(target) - 1);
	if (r < 0) {
		if (errno == ENOENT)
			return false;
		die_errno("readlink %s", path);
	}
	target[r] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!copy_str(buf, size, base))
		die("readlink %s: '%s' too long", path, base);
	return true;
}

static bool is_edu(const char *dev)
{
	char path[PATH_MAX], val[32];
	unsigned long vendor, device;

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/vendor", dev);
	if (!read_sysfs(path, val, sizeof(val)))
		return false;
	vendor = strtoul(val, NULL, 16);
	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/device", dev);
	if (!read_sysfs(path, val, sizeof(val)))
		return false;
	device = strtoul(val, NULL, 16);
	return vendor == EDU_VENDOR && device == EDU_DEVICE;
}

static int no_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* First edu device in bus order. */
static void find_edu(void)
{
	struct dirent **list;
	int i, n;

	n = scandir(SYS_PCI_DEVICES, &list, no_dots, alphasort);
	if (n < 0)
		die_errno("scandir " SYS_PCI_DEVICES);
	for (i = 0; i < n; i++) {
		if (!bdf[0] && is_edu(list[i]->d_name) &&
		    !copy_str(bdf, sizeof(bdf), list[i]->d_name))
			die("find device: name '%s' too long", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	if (!bdf[0])
		die("find device: no %04x:%04x (edu) device in " SYS_PCI_DEVICES,
		    EDU_VENDOR, EDU_DEVICE);
}

/* -d BDF: accept DDDD:BB:DD.F or BB:DD.F. */
static void set_bdf(const char *arg)
{
	char path[PATH_MAX];
	struct stat st;

	if (strlen(arg) >= sizeof(bdf) - 5 || strchr(arg, '/')) {
		fprintf(stderr, PROG ": -d: bad BDF '%s'\n", arg);
		exit(2);
	}
	if (strchr(arg, ':') == strrchr(arg, ':'))
		snprintf(bdf, sizeof(bdf), "0000:%s", arg);
	else
		snprintf(bdf, sizeof(bdf), "%s", arg);
	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s", bdf);
	if (stat(path, &st) < 0)
		die_errno("find device: %s", path);
	if (!is_edu(bdf))
		die("find device: %s is not a %04x:%04x (edu) device", bdf,
		    EDU_VENDOR, EDU_DEVICE);
}

static void bind_vfio_pci(void)
{
	char path[PATH_MAX], drv[NAME_MAX + 1];
	bool has_drv;

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver", bdf);
	has_drv = link_name(path, drv, sizeof(drv));
	if (has_drv && !strcmp(drv, "vfio-pci"))
		return;

	if (access(SYS_VFIO_PCI, F_OK) < 0)
		die_errno("bind %s: " SYS_VFIO_PCI " missing: vfio-pci is not loaded (modprobe vfio_pci first)",
			  bdf);

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver_override", bdf);
	write_sysfs(path, "vfio-pci");
	if (has_drv) {
		snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver/unbind", bdf);
		write_sysfs(path, bdf);
	}
	write_sysfs("/sys/bus/pci/drivers_probe", bdf);

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver", bdf);
	if (!link_name(path, drv, sizeof(drv)))
		die("bind %s to vfio-pci: no driver after drivers_probe", bdf);
	if (strcmp(drv, "vfio-pci"))
		die("bind %s to vfio-pci: bound to '%s' instead", bdf, drv);
}

/* ------------------------------------------------------ /proc/interrupts */

static void read_proc_interrupts(void)
{
	size_t len = 0;
	int fd;

	fd = open(PROC_INTERRUPTS, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("open " PROC_INTERRUPTS);
	for (;;) {
		if (proc_size - len < 4096) {
			size_t size = proc_size ? proc_size * 2 : 65536;
			char *p = realloc(proc_buf, size);

			if (!p)
				die_errno("realloc");
			proc_buf = p;
			proc_size = size;
		}
		ssize_t r = read(fd, proc_buf + len, proc_size - len - 1);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die_errno("read " PROC_INTERRUPTS);
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	proc_buf[len] = '\0';
}

/*
 * Find the device's vfio-msi line ("IRQ: c0 c1 ... chip ... vfio-msi[0](BDF)")
 * and sum its per-CPU counts.  False if there is none.
 */
static bool msi_irq_count(long *irq, unsigned long long *count)
{
	char tag[sizeof(bdf) + 2];
	unsigned int ncpu = 0, i;
	char *line, *next, *p;

	read_proc_interrupts();
	snprintf(tag, sizeof(tag), "(%s)", bdf);

	line = proc_buf;
	next = strchr(line, '\n');
	if (!next)
		return false;
	*next++ = '\0';
	for (p = strstr(line, "CPU"); p; p = strstr(p + 3, "CPU"))
		ncpu++;

	for (line = next; *line; line = next) {
		unsigned long long sum = 0;
		char *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		p = strstr(line, VFIO_MSI_NAME);
		if (!p || !strstr(p, tag))
			continue;

		*irq = strtol(line, &end, 10);
		if (end == line || *end != ':')
			die("parse " PROC_INTERRUPTS ": '%s'", line);
		p = end + 1;
		for (i = 0; i < ncpu; i++) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				die("parse " PROC_INTERRUPTS ": '%s'", line);
			sum += v;
			p = end;
		}
		*count = sum;
		return true;
	}
	return false;
}

static unsigned long long msi_count(void)
{
	unsigned long long count;
	long irq;

	if (!msi_irq_count(&irq, &count))
		die("no " VFIO_MSI_NAME "..](%s) line in " PROC_INTERRUPTS, bdf);
	return count;
}

/* ----------------------------------------------------------------- VFIO */

static void region_info(unsigned int index, const char *name,
			struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	if (ioctl(device_fd, VFIO_DEVICE_GET_REGION_INFO, ri) < 0)
		die_errno("VFIO_DEVICE_GET_REGION_INFO (%s)", name);
	if ((ri->flags & (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)) !=
	    (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE))
		die("VFIO_DEVICE_GET_REGION_INFO (%s): not readable and writable (flags 0x%x)",
		    name, ri->flags);
}

static void dev_read(off_t off, void *buf, size_t len, const char *what)
{
	ssize_t r = pread(device_fd, buf, len, off);

	if (r < 0)
		die_errno("pread %s", what);
	if ((size_t)r != len)
		die("pread %s: short read (%zd)", what, r);
}

static void dev_write(off_t off, const void *buf, size_t len, const char *what)
{
	ssize_t r = pwrite(device_fd, buf, len, off);

	if (r < 0)
		die_errno("pwrite %s", what);
	if ((size_t)r != len)
		die("pwrite %s: short write (%zd)", what, r);
}

static uint32_t bar0_read(unsigned int reg, const char *what)
{
	uint32_t v;

	dev_read(bar0_off + reg, &v, sizeof(v), what);
	return v;
}

static void bar0_write(unsigned int reg, uint32_t v, const char *what)
{
	dev_write(bar0_off + reg, &v, sizeof(v), what);
}

static void enable_device(void)
{
	uint16_t cmd, want;

	dev_read(cfg_off + PCI_COMMAND, &cmd, sizeof(cmd), "config PCI_COMMAND");
	want = cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (want != cmd)
		dev_write(cfg_off + PCI_COMMAND, &want, sizeof(want),
			  "config PCI_COMMAND");
	dev_read(cfg_off + PCI_COMMAND, &cmd, sizeof(cmd), "config PCI_COMMAND");
	if ((cmd & want) != want)
		die("enable memory space and Bus Master: PCI_COMMAND is 0x%04x", cmd);
}

static void vfio_open(void)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	struct vfio_region_info ri;
	char path[PATH_MAX], group[NAME_MAX + 1];
	int api, type;
	uint32_t id;

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/iommu_group", bdf);
	if (!link_name(path, group, sizeof(group)))
		die("iommu group of %s: no %s (is the IOMMU on? intel_iommu=on)",
		    bdf, path);

	container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container_fd < 0)
		die_errno("open /dev/vfio/vfio");
	api = ioctl(container_fd, VFIO_GET_API_VERSION);
	if (api < 0)
		die_errno("VFIO_GET_API_VERSION");
	if (api != VFIO_API_VERSION)
		die("VFIO_GET_API_VERSION: got %d, expected %d", api, VFIO_API_VERSION);
	if (ioctl(container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else if (ioctl(container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		type = VFIO_TYPE1_IOMMU;
	else
		die("VFIO_CHECK_EXTENSION: no type1 IOMMU driver (modprobe vfio_iommu_type1)");

	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (group_fd < 0)
		die_errno("open %s", path);
	if (ioctl(group_fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		die_errno("VFIO_GROUP_GET_STATUS (group %s)", group);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("VFIO_GROUP_GET_STATUS (group %s): not viable (bind every device of the group to vfio-pci)",
		    group);
	if (ioctl(group_fd, VFIO_GROUP_SET_CONTAINER, &container_fd) < 0)
		die_errno("VFIO_GROUP_SET_CONTAINER (group %s)", group);
	if (ioctl(container_fd, VFIO_SET_IOMMU, type) < 0)
		die_errno("VFIO_SET_IOMMU (%s)",
			  type == VFIO_TYPE1v2_IOMMU ? "type1v2" : "type1");

	device_fd = ioctl(group_fd, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (device_fd < 0)
		die_errno("VFIO_GROUP_GET_DEVICE_FD (%s)", bdf);
	if (ioctl(device_fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		die_errno("VFIO_DEVICE_GET_INFO");
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX ||
	    info.num_irqs <= VFIO_PCI_MSI_IRQ_INDEX)
		die("VFIO_DEVICE_GET_INFO: not a PCI device (flags 0x%x, %u regions, %u irqs)",
		    info.flags, info.num_regions, info.num_irqs);

	region_info(VFIO_PCI_CONFIG_REGION_INDEX, "config", &ri);
	cfg_off = (off_t)ri.offset;
	region_info(VFIO_PCI_BAR0_REGION_INDEX, "BAR0", &ri);
	if (ri.size < EDU_BAR0_MIN)
		die("VFIO_DEVICE_GET_REGION_INFO (BAR0): size 0x%llx < 0x%x",
		    (unsigned long long)ri.size, EDU_BAR0_MIN);
	bar0_off = (off_t)ri.offset;

	irq.index = VFIO_PCI_MSI_IRQ_INDEX;
	if (ioctl(device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) < 0)
		die_errno("VFIO_DEVICE_GET_IRQ_INFO (MSI)");
	if (irq.count < 1 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
		die("VFIO_DEVICE_GET_IRQ_INFO (MSI): %u vectors, flags 0x%x",
		    irq.count, irq.flags);

	enable_device();
	id = bar0_read(EDU_REG_ID, "BAR0 identification");
	if ((id & 0xff) != 0xed)
		die("BAR0 identification: 0x%08x is not an edu device", id);
}

/* VFIO_DEVICE_SET_IRQS: the eventfd as MSI vector 0, or MSI off. */
static void set_msi(bool on)
{
	uint64_t buf[(sizeof(struct vfio_irq_set) + sizeof(int32_t) + 7) / 8];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
	int32_t fd = efd;

	memset(buf, 0, sizeof(buf));
	set->argsz = on ? sizeof(*set) + sizeof(fd) : sizeof(*set);
	set->flags = (on ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE) |
		     VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	set->count = on ? 1 : 0;
	if (on)
		memcpy(set->data, &fd, sizeof(fd));
	if (ioctl(device_fd, VFIO_DEVICE_SET_IRQS, set) < 0)
		die_errno("VFIO_DEVICE_SET_IRQS (MSI %s)", on ? "eventfd" : "off");
	msi_set = on;
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
	if (msi_set)
		set_msi(false);
	if (close(device_fd) < 0)
		die_errno("close device fd");
	device_fd = -1;
	if (close(group_fd) < 0)
		die_errno("close group fd");
	group_fd = -1;
	if (close(container_fd) < 0)
		die_errno("close container fd");
	container_fd = -1;
}

static void teardown(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		if (attached[i])
			irqfd_off(i);
	if (device_fd >= 0)
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
	free(proc_buf);
	proc_buf = NULL;
	proc_size = 0;
}

/* ------------------------------------------------------------- commands */

static void raise_msis(unsigned long long n)
{
	unsigned long long k, total = 0;
	bool user = !any_attached();

	for (k = 0; k < n; k++) {
		unsigned long long base = msi_count();
		long long deadline;

		bar0_write(EDU_REG_IRQ_RAISE, EDU_IRQ_VALUE, "BAR0 interrupt raise");
		deadline = now_ms() + MSI_TIMEOUT_MS;
		while (msi_count() <= base) {
			if (now_ms() > deadline) {
				bar0_write(EDU_REG_IRQ_ACK, EDU_IRQ_VALUE,
					   "BAR0 interrupt acknowledge");
				if (user)
					drain_eventfd();
				reply("ERR timeout after %llu of %llu", k, n);
				return;
			}
			short_sleep();
		}
		bar0_write(EDU_REG_IRQ_ACK, EDU_IRQ_VALUE, "BAR0 interrupt acknowledge");
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
	if (device_fd < 0) {
		reply("ERR device closed");
		return true;
	}
	if (!msi_set) {
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
	if (device_fd < 0) {
		reply("ERR device closed");
		return true;
	}
	if (on == msi_set) {
		reply("ERR MSI %s set", on ? "already" : "not");
		return true;
	}
	set_msi(on);
	reply("DONE %s", argv[0]);
	return true;
}

static bool cmd_close(unsigned int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (device_fd < 0) {
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
			set_bdf(optarg);
			break;
		case 'v':
			nr_vms = parse_opt_uint(opt, optarg, 0, MAX_VMS);
			break;
		case 'g':
			gsi = parse_opt_uint(opt, optarg, 0, MAX_GSI);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	no_operands(argc, argv, usage);

	if (!bdf[0])
		find_edu();
	bind_vfio_pci();
	vfio_open();

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		die_errno("eventfd");
	set_msi(true);
	if (!msi_irq_count(&irq, &count))
		die("no " VFIO_MSI_NAME "..](%s) line in " PROC_INTERRUPTS
		    " after VFIO_DEVICE_SET_IRQS", bdf);

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
