/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmfire's VMs, shared by its setup and options (vmfire.c) and the events
 * and commands that drive them (vmfire_cmds.c).
 */
#ifndef VMFIRE_H
#define VMFIRE_H

#include <stdbool.h>

#include "guest_common.h"
#include "kvm_setup.h"

#define LOOP_BATCH		64
#define ALL_VMS			-1	/* target of a command without VM */

struct vm {
	struct kvm_vm kvm;
	int efd;
	bool open;
};

extern struct vm *vms;
extern unsigned int nr_vms;
extern unsigned int msi_dest;	/* APIC id the MSIs go to: vCPU msi_dest */

/* vmfire.c */
void close_vm(struct vm *vm, unsigned int idx);
void close_all(void);

/* vmfire_cmds.c */
void fire_one(struct vm *vm, unsigned int idx);
void msi_one(struct vm *vm, unsigned int idx);
void for_vms(void (*fn)(struct vm *, unsigned int), long target,
	     unsigned long long n);
extern const struct guest_cmd vmfire_cmds[];
extern const unsigned int vmfire_nr_cmds;

#endif /* VMFIRE_H */
