// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's edu PCI device through VFIO, for edufire: opened in a type1
 * container, its MSI vector 0 set to an eventfd, its interrupt raised
 * through BAR0 and counted in /proc/interrupts. Finding and binding it is
 * edu_sysfs.c's. Any failure exits with die() (guest_common.h).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "edu_dev.h"
#include "guest_common.h"

#define VFIO_MSI_NAME		"vfio-msi["

static void read_proc_interrupts(struct edu_dev *d)
{
	size_t len = 0;
	int fd;

	fd = open(PROC_INTERRUPTS, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("open " PROC_INTERRUPTS);
	for (;;) {
		if (d->proc_size - len < 4096) {
			size_t size = d->proc_size ? d->proc_size * 2 : 65536;
			char *p = realloc(d->proc_buf, size);

			if (!p)
				die_errno("realloc");
			d->proc_buf = p;
			d->proc_size = size;
		}
		ssize_t r = read(fd, d->proc_buf + len, d->proc_size - len - 1);

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
	d->proc_buf[len] = '\0';
}

/*
 * Find the device's vfio-msi line ("IRQ: c0 c1 ... chip ... vfio-msi[0](BDF)")
 * and sum its per-CPU counts.  False if there is none.
 */
bool edu_msi_irq_count(struct edu_dev *d, long *irq, unsigned long long *count)
{
	char tag[sizeof(d->bdf) + 2];
	unsigned int ncpu = 0, i;
	char *line, *next, *p;

	read_proc_interrupts(d);
	snprintf(tag, sizeof(tag), "(%s)", d->bdf);

	line = d->proc_buf;
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

unsigned long long edu_msi_count(struct edu_dev *d)
{
	unsigned long long count;
	long irq;

	if (!edu_msi_irq_count(d, &irq, &count))
		die("no " VFIO_MSI_NAME "..](%s) line in " PROC_INTERRUPTS, d->bdf);
	return count;
}

static void region_info(struct edu_dev *d, unsigned int index, const char *name,
			struct vfio_region_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, ri) < 0)
		die_errno("VFIO_DEVICE_GET_REGION_INFO (%s)", name);
	if ((ri->flags & (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE)) !=
	    (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE))
		die("VFIO_DEVICE_GET_REGION_INFO (%s): not readable and writable (flags 0x%x)",
		    name, ri->flags);
}

static void dev_read(struct edu_dev *d, off_t off, void *buf, size_t len, const char *what)
{
	ssize_t r = pread(d->device_fd, buf, len, off);

	if (r < 0)
		die_errno("pread %s", what);
	if ((size_t)r != len)
		die("pread %s: short read (%zd)", what, r);
}

static void dev_write(struct edu_dev *d, off_t off, const void *buf, size_t len, const char *what)
{
	ssize_t r = pwrite(d->device_fd, buf, len, off);

	if (r < 0)
		die_errno("pwrite %s", what);
	if ((size_t)r != len)
		die("pwrite %s: short write (%zd)", what, r);
}

static uint32_t bar0_read(struct edu_dev *d, unsigned int reg, const char *what)
{
	uint32_t v;

	dev_read(d, d->bar0_off + reg, &v, sizeof(v), what);
	return v;
}

void edu_bar0_write(struct edu_dev *d, unsigned int reg, uint32_t v,
		    const char *what)
{
	dev_write(d, d->bar0_off + reg, &v, sizeof(v), what);
}

static void enable_device(struct edu_dev *d)
{
	uint16_t cmd, want;

	dev_read(d, d->cfg_off + PCI_COMMAND, &cmd, sizeof(cmd), "config PCI_COMMAND");
	want = cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (want != cmd)
		dev_write(d, d->cfg_off + PCI_COMMAND, &want, sizeof(want),
			  "config PCI_COMMAND");
	dev_read(d, d->cfg_off + PCI_COMMAND, &cmd, sizeof(cmd), "config PCI_COMMAND");
	if ((cmd & want) != want)
		die("enable memory space and Bus Master: PCI_COMMAND is 0x%04x", cmd);
}

void edu_open(struct edu_dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	struct vfio_region_info ri;
	char path[PATH_MAX], group[NAME_MAX + 1];
	int api, type;
	uint32_t id;

	edu_iommu_group(d, group, sizeof(group));

	d->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container_fd < 0)
		die_errno("open /dev/vfio/vfio");
	api = ioctl(d->container_fd, VFIO_GET_API_VERSION);
	if (api < 0)
		die_errno("VFIO_GET_API_VERSION");
	if (api != VFIO_API_VERSION)
		die("VFIO_GET_API_VERSION: got %d, expected %d", api, VFIO_API_VERSION);
	if (ioctl(d->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else if (ioctl(d->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		type = VFIO_TYPE1_IOMMU;
	else
		die("VFIO_CHECK_EXTENSION: no type1 IOMMU driver (modprobe vfio_iommu_type1)");

	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0)
		die_errno("open %s", path);
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		die_errno("VFIO_GROUP_GET_STATUS (group %s)", group);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("VFIO_GROUP_GET_STATUS (group %s): not viable (bind every device of the group to vfio-pci)",
		    group);
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &d->container_fd) < 0)
		die_errno("VFIO_GROUP_SET_CONTAINER (group %s)", group);
	if (ioctl(d->container_fd, VFIO_SET_IOMMU, type) < 0)
		die_errno("VFIO_SET_IOMMU (%s)",
			  type == VFIO_TYPE1v2_IOMMU ? "type1v2" : "type1");

	d->device_fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, d->bdf);
	if (d->device_fd < 0)
		die_errno("VFIO_GROUP_GET_DEVICE_FD (%s)", d->bdf);
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		die_errno("VFIO_DEVICE_GET_INFO");
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX ||
	    info.num_irqs <= VFIO_PCI_MSI_IRQ_INDEX)
		die("VFIO_DEVICE_GET_INFO: not a PCI device (flags 0x%x, %u regions, %u irqs)",
		    info.flags, info.num_regions, info.num_irqs);

	region_info(d, VFIO_PCI_CONFIG_REGION_INDEX, "config", &ri);
	d->cfg_off = (off_t)ri.offset;
	region_info(d, VFIO_PCI_BAR0_REGION_INDEX, "BAR0", &ri);
	if (ri.size < EDU_BAR0_MIN)
		die("VFIO_DEVICE_GET_REGION_INFO (BAR0): size 0x%llx < 0x%x",
		    (unsigned long long)ri.size, EDU_BAR0_MIN);
	d->bar0_off = (off_t)ri.offset;

	irq.index = VFIO_PCI_MSI_IRQ_INDEX;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) < 0)
		die_errno("VFIO_DEVICE_GET_IRQ_INFO (MSI)");
	if (irq.count < 1 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
		die("VFIO_DEVICE_GET_IRQ_INFO (MSI): %u vectors, flags 0x%x",
		    irq.count, irq.flags);

	enable_device(d);
	id = bar0_read(d, EDU_REG_ID, "BAR0 identification");
	if ((id & 0xff) != 0xed)
		die("BAR0 identification: 0x%08x is not an edu device", id);
}

/* VFIO_DEVICE_SET_IRQS: efd as MSI vector 0, or MSI off. */
void edu_set_msi(struct edu_dev *d, int efd, bool on)
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
	if (ioctl(d->device_fd, VFIO_DEVICE_SET_IRQS, set) < 0)
		die_errno("VFIO_DEVICE_SET_IRQS (MSI %s)", on ? "eventfd" : "off");
	d->msi_set = on;
}

/* MSI off, and the device, group and container closed. */
void edu_close(struct edu_dev *d)
{
	if (d->msi_set)
		edu_set_msi(d, -1, false);
	if (close(d->device_fd) < 0)
		die_errno("close device fd");
	d->device_fd = -1;
	if (close(d->group_fd) < 0)
		die_errno("close group fd");
	d->group_fd = -1;
	if (close(d->container_fd) < 0)
		die_errno("close container fd");
	d->container_fd = -1;
}

void edu_free(struct edu_dev *d)
{
	free(d->proc_buf);
	d->proc_buf = NULL;
	d->proc_size = 0;
}
