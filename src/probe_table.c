// SPDX-License-Identifier: GPL-2.0
/*
 * Every hook of kvm_irqpath: the order here is the order of `probes`.
 * Symbols are tried in order; the first one this kernel has, with the
 * prototype its hook reads (PROTOS, checked against the kernel's BTF where
 * the kernel's headers don't declare it), is used. Functions the headers
 * declare have no PROTOS: their hooks check them at build time.
 * Entry hooks are ftrace callbacks (.fentry), the hottest also direct
 * calls (.direct: see IRQPATH_FENTRY_DIRECT). Return probes (kretprobes)
 * cost about three entry hooks, so they are kept off the irqfd path and to
 * the places where the outcome can't be read any other way.
 */
#include "irqpath/hooks.h"

#define SYMBOLS(...)	((const char *const []){ __VA_ARGS__, NULL })
#define PROTOS(...)	((const char *const []){ __VA_ARGS__ })

/* {vmx,avic}_pi_update_irte and the kvm_pi_irte_update tracepoint, 6.17 on and before. */
#define IRTE_UPDATE_617	"struct kvm_kernel_irqfd *, struct kvm *, unsigned int, " \
			"unsigned int, struct kvm_vcpu *, unsigned int"
#define IRTE_UPDATE_61	"struct kvm *, unsigned int, unsigned int, bool"
#define IRTE_TP_617	"unsigned int, struct kvm_vcpu *, unsigned int, unsigned int, bool"
#define IRTE_TP_61	"unsigned int, unsigned int, unsigned int, unsigned int, " \
			"long long unsigned int, bool"

/* struct kvm_lapic, private to arch/x86/kvm; hooks_vcpu.c reads them in this order. */
#define LAPIC_APICV	{ "kvm_lapic", "apicv_active", "bool" }
#define LAPIC_VCPU	{ "kvm_lapic", "vcpu", "struct kvm_vcpu *" }

struct irqpath_probe irqpath_probes[IRQPATH_NR_PROBES] = {
	[IRQPATH_P_VM_INIT] = {
		/* ret 0: the VM exists; kvm_create_vm itself is inlined */
		.name = "vm_init", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_init_vm"),
		.entry = irqpath_vm_init_entry, .ret = irqpath_vm_init_ret,
		.data_size = sizeof(struct kvm *),
	}, [IRQPATH_P_VM_DESTROY] = {
		.name = "vm_destroy", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_destroy_vm"),
		.fentry = irqpath_vm_destroy_fentry,
	}, [IRQPATH_P_IRQFD_WAKEUP] = {
		.name = "irqfd_wakeup", .module = "kvm",
		.symbols = SYMBOLS("irqfd_wakeup"),
		.protos = PROTOS("struct wait_queue_entry *, unsigned int, int, void *"),
		.fentry = irqpath_irqfd_wakeup_fentry,
		.direct = irqpath_irqfd_wakeup_fentry_stub,
	}, [IRQPATH_P_IRQFD_DEFER] = {
		/* irqfd_wakeup queueing irqfd_inject: deferred */
		.name = "irqfd_defer",
		.symbols = SYMBOLS("queue_work_on"),
		.fentry = irqpath_irqfd_defer_fentry,
	}, [IRQPATH_P_IRQFD_INJECT] = {
		.name = "irqfd_inject", .module = "kvm",
		.symbols = SYMBOLS("irqfd_inject"),
		.protos = PROTOS("struct work_struct *"),
		.fentry = irqpath_irqfd_inject_fentry,
		.direct = irqpath_irqfd_inject_fentry_stub,
	}, [IRQPATH_P_KVM_SET_MSI] = {
		.name = "kvm_set_msi", .module = "kvm",
		.symbols = SYMBOLS("kvm_set_msi"),
		.fentry = irqpath_set_msi_fentry,
		.direct = irqpath_set_msi_fentry_stub,
	}, [IRQPATH_P_VMX_DELIVER] = {
		/* 5.15 has only the posted-interrupt form */
		.name = "vmx_deliver", .module = "kvm_intel",
		.symbols = SYMBOLS("vmx_deliver_interrupt",
				   "vmx_deliver_posted_interrupt"),
		.protos = PROTOS("struct kvm_lapic *, int, int, int",
				 "struct kvm_vcpu *, int"),
		.fields = { LAPIC_APICV, LAPIC_VCPU },
		.fentry = irqpath_vmx_deliver_fentry,
		.direct = irqpath_vmx_deliver_fentry_stub,
	}, [IRQPATH_P_SVM_DELIVER] = {
		/* every candidate takes the vcpu first */
		.name = "svm_deliver", .module = "kvm_amd",
		.symbols = SYMBOLS("svm_complete_interrupt_delivery",
				   "svm_deliver_avic_intr"),
		.protos = PROTOS("struct kvm_vcpu *, int, int, int",
				 "struct kvm_vcpu *, int"),
		.fields = { LAPIC_APICV },
		.fentry = irqpath_svm_deliver_fentry,
		.direct = irqpath_svm_deliver_fentry_stub,
	}, [IRQPATH_P_VFIO_MSI] = {
		/* userspace or irqfd: decided once the eventfd was signalled */
		.name = "vfio_msi", .module = "vfio_pci_core",
		.symbols = SYMBOLS("vfio_msihandler"),
		.protos = PROTOS("int, void *"),
		.entry = irqpath_vfio_msi_entry, .ret = irqpath_vfio_msi_ret,
	}, [IRQPATH_P_PRODUCER_REG] = {
		/* who registered which eventfd, for MSIs no irqfd takes */
		.name = "producer_reg", .module = "irqbypass",
		.symbols = SYMBOLS("irq_bypass_register_producer"),
		.fentry = irqpath_producer_reg_fentry,
	}, [IRQPATH_P_PRODUCER_UNREG] = {
		.name = "producer_unreg", .module = "irqbypass",
		.symbols = SYMBOLS("irq_bypass_unregister_producer"),
		.fentry = irqpath_producer_unreg_fentry,
	}, [IRQPATH_P_BYPASS_ADD] = {
		.name = "bypass_add", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_irq_bypass_add_producer"),
		.fentry = irqpath_bypass_add_fentry,
	}, [IRQPATH_P_BYPASS_DEL] = {
		.name = "bypass_del", .module = "kvm",
		.symbols = SYMBOLS("kvm_arch_irq_bypass_del_producer"),
		.fentry = irqpath_bypass_del_fentry,
	}, [IRQPATH_P_IRTE_UPDATE_VMX] = {
		.name = "irte_update_vmx", .module = "kvm_intel",
		.symbols = SYMBOLS("vmx_pi_update_irte", "vmx_pi_update_irte"),
		.protos = PROTOS(IRTE_UPDATE_617, IRTE_UPDATE_61),
		.fentry = irqpath_irte_update_fentry,
	}, [IRQPATH_P_IRTE_UPDATE_SVM] = {
		.name = "irte_update_svm", .module = "kvm_amd",
		.symbols = SYMBOLS("avic_pi_update_irte", "avic_pi_update_irte"),
		.protos = PROTOS(IRTE_UPDATE_617, IRTE_UPDATE_61),
		.fentry = irqpath_irte_update_fentry,
	}, [IRQPATH_P_IRTE_CHANGED] = {
		/* fires only when an IRTE really changes; its form changed in 6.17 */
		.name = "irte_changed", .module = "kvm",
		.symbols = SYMBOLS("kvm_pi_irte_update", "kvm_pi_irte_update"),
		.protos = PROTOS(IRTE_TP_617, IRTE_TP_61),
		.tp_funcs = (void *const []){ irqpath_irte_tp, irqpath_irte_tp_612 },
	}, [IRQPATH_P_PI_WAKEUP] = {
		/* a posted interrupt for a blocked vCPU (PIW) */
		.name = "pi_wakeup", .module = "kvm_intel",
		.symbols = SYMBOLS("pi_wakeup_handler"),
		.protos = PROTOS(""),
		.fentry = irqpath_pi_wakeup_fentry,
	}, [IRQPATH_P_TDX_DELIVER] = {
		/* 6.16+ with TDX host support built in; untested */
		.name = "tdx_deliver", .module = "kvm_intel",
		.symbols = SYMBOLS("tdx_deliver_interrupt"),
		.protos = PROTOS("struct kvm_lapic *, int, int, int"),
		.fields = { {}, LAPIC_VCPU },
		.fentry = irqpath_tdx_deliver_fentry,
	}, [IRQPATH_P_GA_LOG] = {
		/* AMD's PIW: the IOMMU logged an interrupt for a blocked vCPU */
		.name = "ga_log", .module = "kvm_amd",
		.symbols = SYMBOLS("avic_ga_log_notifier"),
		.protos = PROTOS("unsigned int"),
		.fentry = irqpath_ga_log_fentry,
	}, [IRQPATH_P_VCPU_WAKE] = {
		/* counts only the wakeups pi_wakeup and ga_log make */
		.name = "pi_vcpu_wake", .module = "kvm",
		.symbols = SYMBOLS("kvm_vcpu_wake_up"),
		.fentry = irqpath_vcpu_wake_fentry,
	}, [IRQPATH_P_VCPU_ENTRY] = {
		/* the end of hop delivery_to_entry: on every VM entry */
		.name = "vcpu_entry", .module = "kvm",
		.symbols = SYMBOLS("kvm_entry", "kvm_entry"),
		.protos = PROTOS("struct kvm_vcpu *, bool", "struct kvm_vcpu *"),
		.tp_funcs = (void *const []){ irqpath_entry_tp, irqpath_entry_tp_61 },
		.on_demand = true,
	},
};

const unsigned int irqpath_nr_probes = ARRAY_SIZE(irqpath_probes);
