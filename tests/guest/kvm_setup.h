/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM VM setup shared by vmfire and edufire: an idle VM with the in-kernel
 * irqchip, vCPUs whose LAPIC is software-enabled (never run), an MSI route
 * and KVM_IRQFD (de)assignment.  Every failure exits through die_errno().
 */
#ifndef KVM_SETUP_H
#define KVM_SETUP_H

#include <stdbool.h>

#define DEFAULT_MSI_GSI		24
#define NR_IOAPIC_PINS		24
#define NR_PIC_PINS		16
#define MAX_GSI			4095	/* KVM_MAX_IRQ_ROUTES - 1 (kernel-internal) */

/* MSI: physical destination APIC id 0; fixed, edge, vector 0x30 */
#define MSI_ADDR_LO		0xfee00000u
#define MSI_DATA		0x30u
/* Bits 19:12 of an MSI address: the destination APIC id (physical mode). */
#define MSI_ADDR_DEST(id)	(MSI_ADDR_LO | ((uint32_t)(id) & 0xff) << 12)

struct kvm_vm {
	int vm_fd;
	unsigned int nr_vcpus;
	int *vcpu_fd;
};

/* Open /dev/kvm and check the API version; returns the fd. */
int kvm_open(void);

/*
 * KVM_CREATE_VM, KVM_CREATE_IRQCHIP, @nr_vcpus vCPUs with the LAPIC
 * software-enabled.  @idx only names the VM in error messages.
 */
void kvm_vm_create(struct kvm_vm *vm, int kvm_fd, unsigned int idx,
		   unsigned int nr_vcpus);

/*
 * KVM_SET_GSI_ROUTING: the default irqchip routes plus an MSI route for
 * @gsi (MSI_DATA) to APIC id @dest (vCPU @dest: KVM gives vCPU n APIC id n).
 */
void kvm_vm_set_msi_route(struct kvm_vm *vm, unsigned int idx,
			  unsigned int gsi, unsigned int dest);

/* KVM_IRQFD: bind (@assign) or unbind eventfd @efd and @gsi. */
void kvm_vm_irqfd(struct kvm_vm *vm, unsigned int idx, int efd,
		  unsigned int gsi, bool assign);

/* KVM_SIGNAL_MSI with MSI_DATA to APIC id @dest. */
void kvm_vm_signal_msi(struct kvm_vm *vm, unsigned int idx, unsigned int dest);

/* Close the vCPUs and the VM. */
void kvm_vm_destroy(struct kvm_vm *vm, unsigned int idx);

#endif /* KVM_SETUP_H */
