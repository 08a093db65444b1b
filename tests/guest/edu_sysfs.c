// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's edu PCI device in sysfs, for edufire: which device (the first, or
 * -d BDF), and its binding to vfio-pci through driver_override. Any
 * failure exits with die() (guest_common.h).
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edu_dev.h"
#include "guest_common.h"

#define SYS_VFIO_PCI		"/sys/bus/pci/drivers/vfio-pci"

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

/* The first edu device in bus order. */
void edu_find(struct edu_dev *d)
{
	struct dirent **list;
	int i, n;

	n = scandir(SYS_PCI_DEVICES, &list, no_dots, alphasort);
	if (n < 0)
		die_errno("scandir " SYS_PCI_DEVICES);
	for (i = 0; i < n; i++) {
		if (!d->bdf[0] && is_edu(list[i]->d_name) &&
		    !copy_str(d->bdf, sizeof(d->bdf), list[i]->d_name))
			die("find device: name '%s' too long", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	if (!d->bdf[0])
		die("find device: no %04x:%04x (edu) device in " SYS_PCI_DEVICES,
		    EDU_VENDOR, EDU_DEVICE);
}

/* -d BDF: accept DDDD:BB:DD.F or BB:DD.F. */
void edu_set_bdf(struct edu_dev *d, const char *arg)
{
	char path[PATH_MAX];
	struct stat st;

	if (strlen(arg) >= sizeof(d->bdf) - 5 || strchr(arg, '/')) {
		fprintf(stderr, "%s: -d: bad BDF '%s'\n", prog_name, arg);
		exit(2);
	}
	if (strchr(arg, ':') == strrchr(arg, ':'))
		snprintf(d->bdf, sizeof(d->bdf), "0000:%s", arg);
	else
		snprintf(d->bdf, sizeof(d->bdf), "%s", arg);
	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s", d->bdf);
	if (stat(path, &st) < 0)
		die_errno("find device: %s", path);
	if (!is_edu(d->bdf))
		die("find device: %s is not a %04x:%04x (edu) device", d->bdf,
		    EDU_VENDOR, EDU_DEVICE);
}

void edu_bind_vfio_pci(struct edu_dev *d)
{
	char path[PATH_MAX], drv[NAME_MAX + 1];
	bool has_drv;

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver", d->bdf);
	has_drv = link_name(path, drv, sizeof(drv));
	if (has_drv && !strcmp(drv, "vfio-pci"))
		return;

	if (access(SYS_VFIO_PCI, F_OK) < 0)
		die_errno("bind %s: " SYS_VFIO_PCI " missing: vfio-pci is not loaded (modprobe vfio_pci first)",
			  d->bdf);

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver_override", d->bdf);
	write_sysfs(path, "vfio-pci");
	if (has_drv) {
		snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver/unbind", d->bdf);
		write_sysfs(path, d->bdf);
	}
	write_sysfs("/sys/bus/pci/drivers_probe", d->bdf);

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/driver", d->bdf);
	if (!link_name(path, drv, sizeof(drv)))
		die("bind %s to vfio-pci: no driver after drivers_probe", d->bdf);
	if (strcmp(drv, "vfio-pci"))
		die("bind %s to vfio-pci: bound to '%s' instead", d->bdf, drv);
}

/* The name of the device's IOMMU group, for /dev/vfio/<group>. */
void edu_iommu_group(struct edu_dev *d, char *group, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), SYS_PCI_DEVICES "/%s/iommu_group", d->bdf);
	if (!link_name(path, group, size))
		die("iommu group of %s: no %s (is the IOMMU on? intel_iommu=on)",
		    d->bdf, path);
}
