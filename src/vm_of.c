// SPDX-License-Identifier: GPL-2.0
/*
 * The record of a struct kvm, found lazily when the VM predates us: the
 * registry's lookup plus what only KVM's headers tell (the VMM process).
 * Below the hook files: they call it, it calls none of them.
 */
#include <linux/kvm_host.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>

#include "irqpath/vm_of.h"

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
