// SPDX-License-Identifier: GPL-2.0
/*
 * KVM VM setup shared by vmfire and edufire.  Only <linux/kvm.h> and libc.
 */

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "guest_common.h"
#include "kvm_setup.h"

#define APIC_SVR		0xF0
#define APIC_SVR_VALUE		0x1FFu	/* APIC software enable | vector 0xff */

int kvm_open(void)
{
	int fd, api;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die_errno("open /dev/kvm");
	api = ioctl(fd, KVM_GET_API_VERSION, 0UL);
	if (api < 0)
		die_errno("KVM_GET_API_VERSION");
	if (api != KVM_API_VERSION)
		die("KVM_GET_API_VERSION: got %d, expected %d", api, KVM_API_VERSION);
	return fd;
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

void kvm_vm_create(struct kvm_vm *vm, int kvm_fd, unsigned int idx,
		   unsigned int nr_vcpus)
{
	unsigned int i;

	vm->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0UL);
	if (vm->vm_fd < 0)
		die_errno("KVM_CREATE_VM (vm %u)", idx);

	/* Must precede vCPU creation. */
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0UL) < 0)
		die_errno("KVM_CREATE_IRQCHIP (vm %u)", idx);

	vm->nr_vcpus = nr_vcpus;
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
}

/*
 * Replicates kvm_setup_default_irq_routing() (arch/x86/kvm/irq_comm.c):
 * GSI 0-15 -> IOAPIC pin gsi and PIC master/slave pin gsi % 8,
 * GSI 16-23 -> IOAPIC pin gsi.  KVM_SET_GSI_ROUTING replaces the whole
 * table, so these must be installed along with the MSI route.  KVM refuses
 * to mix an MSI entry with irqchip entries on one GSI, so when the MSI GSI
 * is below 24 its default irqchip entries are left out.
 */
void kvm_vm_set_msi_route(struct kvm_vm *vm, unsigned int idx,
			  unsigned int gsi, unsigned int dest)
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
	e->u.msi.address_lo = MSI_ADDR_DEST(dest);
	e->u.msi.address_hi = 0;
	e->u.msi.data = MSI_DATA;

	r->nr = n;
	r->flags = 0;
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r) < 0)
		die_errno("KVM_SET_GSI_ROUTING (vm %u, gsi %u)", idx, gsi);
	free(r);
}

void kvm_vm_irqfd(struct kvm_vm *vm, unsigned int idx, int efd,
		  unsigned int gsi, bool assign)
{
	struct kvm_irqfd irqfd;

	memset(&irqfd, 0, sizeof(irqfd));
	irqfd.fd = (uint32_t)efd;
	irqfd.gsi = gsi;
	if (!assign)
		irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	if (ioctl(vm->vm_fd, KVM_IRQFD, &irqfd) < 0)
		die_errno("KVM_IRQFD%s (vm %u, gsi %u)",
			  assign ? "" : " deassign", idx, gsi);
}

void kvm_vm_signal_msi(struct kvm_vm *vm, unsigned int idx, unsigned int dest)
{
	struct kvm_msi msi;

	memset(&msi, 0, sizeof(msi));
	msi.address_lo = MSI_ADDR_DEST(dest);
	msi.address_hi = 0;
	msi.data = MSI_DATA;
	if (ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi) < 0)
		die_errno("KVM_SIGNAL_MSI (vm %u)", idx);
}

void kvm_vm_destroy(struct kvm_vm *vm, unsigned int idx)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		if (close(vm->vcpu_fd[i]) < 0)
			die_errno("close vcpu fd (vm %u, vcpu %u)", idx, i);
	}
	free(vm->vcpu_fd);
	vm->vcpu_fd = NULL;
	vm->nr_vcpus = 0;

	if (close(vm->vm_fd) < 0)
		die_errno("close vm fd (vm %u)", idx);
	vm->vm_fd = -1;
}
