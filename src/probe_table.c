// SPDX-License-Identifier: GPL-2.0
/*
 * Every hook of kvm_irqpath: the order here is the order of `probes`.
 * Symbols are tried in order; the first one this kernel has is used.
 * Return probes cost about three entry probes, so they are kept to the
 * places where the outcome can't be read any other way.
 */
#include "irqpath/hooks.h"

#define SYMBOLS(...)	((const char *const []){ __VA_ARGS__, NULL })

struct irqpath_probe irqpath_probes[] = {
	{	/* ret 0: the VM exists; kvm_create_vm itself is inlined */
		.name = "vm_init", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_init_vm"),
		.entry = irqpath_vm_init_entry, .ret = irqpath_vm_init_ret,
		.data_size = sizeof(struct kvm *),
	}, {
		.name = "vm_destroy", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_destroy_vm"),
		.pre = irqpath_vm_destroy_pre,
	}, {
		.name = "irqfd_wakeup", .module = "kvm",
		.symbols = SYMBOLS("irqfd_wakeup"),
		.pre = irqpath_irqfd_wakeup_pre,
	}, {	/* -EWOULDBLOCK: the irqfd defers to irqfd_inject */
		.name = "irqfd_fast", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_set_irq_inatomic"),
		.entry = irqpath_irqfd_fast_entry, .ret = irqpath_irqfd_fast_ret,
		.data_size = sizeof(struct irqpath_fast_data),
	}, {
		.name = "irqfd_inject", .module = "kvm",
		.symbols = SYMBOLS("irqfd_inject"),
		.pre = irqpath_irqfd_inject_pre,
	}, {
		.name = "kvm_set_msi", .module = "kvm",
		.symbols = SYMBOLS("kvm_set_msi"),
		.pre = irqpath_set_msi_pre,
	}, {	/* 5.15 has only the posted-interrupt form */
		.name = "vmx_deliver", .module = "kvm_intel",
		.symbols = SYMBOLS("vmx_deliver_interrupt",
				   "vmx_deliver_posted_interrupt"),
		.pre = irqpath_vmx_deliver_pre,
	}, {	/* every candidate takes the vcpu first */
		.name = "svm_deliver", .module = "kvm_amd",
		.symbols = SYMBOLS("svm_complete_interrupt_delivery",
				   "svm_deliver_avic_intr"),
		.pre = irqpath_svm_deliver_pre,
	}, {	/* userspace or irqfd: decided once the eventfd was signalled */
		.name = "vfio_msi", .module = "vfio_pci_core",
		.symbols = SYMBOLS("vfio_msihandler"),
		.entry = irqpath_vfio_msi_entry, .ret = irqpath_vfio_msi_ret,
	}, {	/* who registered which eventfd, for MSIs no irqfd takes */
		.name = "producer_reg", .module = "irqbypass",
		.symbols = SYMBOLS("irq_bypass_register_producer"),
		.pre = irqpath_producer_reg_pre,
	}, {
		.name = "producer_unreg", .module = "irqbypass",
		.symbols = SYMBOLS("irq_bypass_unregister_producer"),
		.pre = irqpath_producer_unreg_pre,
	}, {
		.name = "bypass_add", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_irq_bypass_add_producer"),
		.pre = irqpath_bypass_add_pre,
	}, {
		.name = "bypass_del", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_irq_bypass_del_producer"),
		.pre = irqpath_bypass_del_pre,
	}, {
		.name = "irte_update_vmx", .module = "kvm_intel",
		.symbols = SYMBOLS("vmx_pi_update_irte"),
		.pre = irqpath_irte_update_pre,
	}, {
		.name = "irte_update_svm", .module = "kvm_amd",
		.symbols = SYMBOLS("avic_pi_update_irte"),
		.pre = irqpath_irte_update_pre,
	}, {	/* fires only when an IRTE really changes */
		.name = "irte_changed", .module = "kvm",
		.symbols = SYMBOLS("kvm_pi_irte_update"),
		.tp_func = irqpath_irte_tp,
	}, {
		.name = "pi_wakeup", .module = "kvm_intel",
		.symbols = SYMBOLS("pi_wakeup_handler"),
		.pre = irqpath_pi_wakeup_pre,
	},
};

const unsigned int irqpath_nr_probes = ARRAY_SIZE(irqpath_probes);
