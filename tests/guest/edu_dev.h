/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's edu PCI device (1234:11e8) through VFIO, for edufire (edu_dev.c).
 * Every call either works or exits through die() with the step that failed.
 */
#ifndef EDU_DEV_H
#define EDU_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_REG_ID		0x00	/* 0xRRrr00ed */
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_BAR0_MIN		0x68
#define EDU_IRQ_VALUE		1u

#define SYS_PCI_DEVICES		"/sys/bus/pci/devices"
#define PROC_INTERRUPTS		"/proc/interrupts"

struct edu_dev {
	char bdf[64];			/* DDDD:BB:DD.F */
	int container_fd, group_fd, device_fd;	/* -1: closed */
	off_t cfg_off;			/* config space region offset */
	off_t bar0_off;			/* BAR0 region offset */
	bool msi_set;			/* an eventfd is MSI vector 0 */
	char *proc_buf;			/* the last /proc/interrupts read */
	size_t proc_size;
};

#define EDU_DEV_INIT	{ .container_fd = -1, .group_fd = -1, .device_fd = -1 }

/* Which device: -d BDF (DDDD:BB:DD.F or BB:DD.F; a bad one exits 2), or the first. */
void edu_set_bdf(struct edu_dev *d, const char *arg);
void edu_find(struct edu_dev *d);

/* Bind to vfio-pci (driver_override); its IOMMU group's name. */
void edu_bind_vfio_pci(struct edu_dev *d);
void edu_iommu_group(struct edu_dev *d, char *group, size_t size);

/* Open in a type1 container, enable memory space and Bus Master. */
void edu_open(struct edu_dev *d);

/* efd as MSI vector 0 (on), or MSI off: frees the host irq. */
void edu_set_msi(struct edu_dev *d, int efd, bool on);

void edu_bar0_write(struct edu_dev *d, unsigned int reg, uint32_t v,
		    const char *what);

/*
 * The device's vfio-msi line in /proc/interrupts: its irq and its count
 * summed over the CPUs; false (or, for edu_msi_count, exit) if none.
 */
bool edu_msi_irq_count(struct edu_dev *d, long *irq, unsigned long long *count);
unsigned long long edu_msi_count(struct edu_dev *d);

/* MSI off, device, group and container closed; then the buffer freed. */
void edu_close(struct edu_dev *d);
void edu_free(struct edu_dev *d);

#endif /* EDU_DEV_H */
