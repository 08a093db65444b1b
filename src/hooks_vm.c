// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifetime. A struct kvm address is reused once its VM is freed, so the
 * record must be retired at destroy, not left for a later VM to inherit.
 */
#include <linux/kvm_host.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>

#include "irqpath/hooks.h"

IRQPATH_HEADER_PROTO(kvm_arch_init_vm, int, struct kvm *, unsigned long);
IRQPATH_HEADER_PROTO(kvm_arch_destroy_vm, void, struct kvm *);

int irqpath_vm_init_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	irqpath_hit(irqpath_kretprobe(ri));
	*(struct kvm **)ri->data = (struct kvm *)regs_get_kernel_argument(regs, 0);
	return 0;
}

/* Runs in the VMM's KVM_CREATE_VM ioctl: current is the VMM. */
int irqpath_vm_init_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kvm *kvm = *(struct kvm **)ri->data;

	if ((int)regs_return_value(regs) == 0) {
		/* The address may be a destroyed VM's we never saw go. */
		irqpath_irqfd_forget(kvm);
		irqpath_irte_forget(kvm);
		irqpath_vm_create(kvm, current->tgid, current->comm);
	}
	return 0;
}

IRQPATH_FENTRY(irqpath_vm_destroy_fentry)
{
	struct kvm *kvm = (struct kvm *)irqpath_arg(fregs, 0);

	irqpath_irqfd_forget(kvm);
	irqpath_irte_forget(kvm);
	irqpath_vm_retire(kvm);
}

/*
 * The VMM process of a VM found lazily. kvm->userspace_pid is the thread
 * that created the VM (task_pid_nr), which may have exited since; the
 * owner of the VM's mm (kvm holds the mm) is the process. RCU: a task is
 * freed after a grace period. Any context.
 */
static pid_t irqpath_vmm_of(struct kvm *kvm)
{
	pid_t pid = READ_ONCE(kvm->userspace_pid);
	struct task_struct *t = NULL;

	rcu_read_lock();
#ifdef CONFIG_MEMCG
	if (kvm->mm)
		t = rcu_dereference(kvm->mm->owner);
#endif
	if (!t)
		t = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (t)
		pid = task_tgid_nr(t);
	rcu_read_unlock();
	return pid;
}

/*
 * irqpath_vm_of()'s slow path: a live kvm with no record yet, found lazily
 * when the VM predates us.
 */
struct irqpath_vm *irqpath_vm_find(struct kvm *kvm)
{
	struct irqpath_vm *vm;

	if (unlikely(!kvm))
		return irqpath_unattributed;
	vm = irqpath_vm_get(kvm, irqpath_vmm_of(kvm));
	return vm ?: irqpath_unattributed;
}
