// SPDX-License-Identifier: GPL-2.0
/*
 * vmfire's events (eventfd writes, KVM_SIGNAL_MSI) and the commands on
 * stdin that make them, from this thread, another thread or a child process.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmfire.h"

/* --------------------------------------------------------------- events */

void fire_one(struct vm *vm, unsigned int idx)
{
	const uint64_t one = 1;
	ssize_t r;

	do {
		r = write(vm->efd, &one, sizeof(one));
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		die_errno("write eventfd (vm %u)", idx);
	if (r != (ssize_t)sizeof(one))
		die("write eventfd (vm %u): short write (%zd)", idx, r);
}

void msi_one(struct vm *vm, unsigned int idx)
{
	kvm_vm_signal_msi(&vm->kvm, idx, msi_dest);
}

/*
 * Run @fn @n times on VM @target, or on every open VM (ALL_VMS).
 * VMs are interleaved per event (vm0, vm1, ..., vm0, vm1, ...).
 */
void for_vms(void (*fn)(struct vm *, unsigned int), long target,
	     unsigned long long n)
{
	unsigned long long k;
	unsigned int i;

	for (k = 0; k < n; k++) {
		if (target != ALL_VMS) {
			fn(&vms[target], (unsigned int)target);
			continue;
		}
		for (i = 0; i < nr_vms; i++)
			if (vms[i].open)
				fn(&vms[i], i);
	}
}

/* ------------------------------------------------------------- commands */

static bool any_open(void)
{
	unsigned int i;

	for (i = 0; i < nr_vms; i++)
		if (vms[i].open)
			return true;
	return false;
}

/*
 * The optional VM word @s of a command: absent means every open VM
 * (ALL_VMS; with @need_open there must be one), present one open VM.
 * False after answering ERR.
 */
static bool vm_target(const char *s, bool need_open, long *target)
{
	unsigned int idx;

	if (!s) {
		if (need_open && !any_open()) {
			reply("ERR no open VMs");
			return false;
		}
		*target = ALL_VMS;
		return true;
	}
	if (!parse_vm_index(s, nr_vms, &idx))
		return false;
	if (!vms[idx].open) {
		reply("ERR VM %u is closed", idx);
		return false;
	}
	*target = idx;
	return true;
}

/* fire|msi N [VM] */
static bool cmd_events(unsigned int argc, char **argv)
{
	unsigned long long n;
	long target;

	if (!parse_ull(argv[1], &n))
		return false;
	if (!vm_target(argc == 3 ? argv[2] : NULL, true, &target))
		return true;
	for_vms(!strcmp(argv[0], "fire") ? fire_one : msi_one, target, n);
	reply("DONE %s %llu", argv[0], n);
	return true;
}

/* What fire_thread() writes, set before the thread starts. */
static unsigned long long thread_n;
static long thread_target;

static void *fire_thread(void *unused)
{
	(void)unused;
	for_vms(fire_one, thread_target, thread_n);
	return NULL;
}

/*
 * fork|thread N [VM]: fire's writes from another process or another thread,
 * to tell the signallers kvm_irqpath counts apart. Answers when they ended.
 */
static bool cmd_elsewhere(unsigned int argc, char **argv)
{
	unsigned long long n;
	pthread_t thread;
	long target;
	pid_t pid;
	int st, r;

	if (!parse_ull(argv[1], &n))
		return false;
	if (!vm_target(argc == 3 ? argv[2] : NULL, true, &target))
		return true;
	if (!strcmp(argv[0], "thread")) {
		thread_n = n;
		thread_target = target;
		r = pthread_create(&thread, NULL, fire_thread, NULL);
		if (r)
			die("pthread_create: %s", strerror(r));
		r = pthread_join(thread, NULL);
		if (r)
			die("pthread_join: %s", strerror(r));
		reply("DONE thread %llu", n);
		return true;
	}
	fflush(stdout);	/* the child must not write our buffered lines again */
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (!pid) {
		for_vms(fire_one, target, n);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die_errno("waitpid %d", (int)pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("child %d: writes failed (status 0x%x)", (int)pid, st);
	reply("DONE fork %llu pid=%d", n, (int)pid);
	return true;
}

/* loop [VM]: fire until the next line comes. */
static bool cmd_loop(unsigned int argc, char **argv)
{
	unsigned long long count = 0;
	long target;

	if (!vm_target(argc == 2 ? argv[1] : NULL, true, &target))
		return true;
	while (!input_waiting()) {
		for_vms(fire_one, target, LOOP_BATCH);
		count += LOOP_BATCH;
	}
	reply("DONE loop %llu", count);
	return true;
}

static bool cmd_close(unsigned int argc, char **argv)
{
	long target;

	if (!vm_target(argc == 2 ? argv[1] : NULL, false, &target))
		return true;
	if (target == ALL_VMS)
		close_all();
	else
		close_vm(&vms[target], (unsigned int)target);
	reply("DONE close");
	return true;
}

const struct guest_cmd vmfire_cmds[] = {
	{ "fire",	"N [VM]",	1, 2, cmd_events },
	{ "msi",	"N [VM]",	1, 2, cmd_events },
	{ "fork",	"N [VM]",	1, 2, cmd_elsewhere },
	{ "thread",	"N [VM]",	1, 2, cmd_elsewhere },
	{ "loop",	"[VM]",		0, 1, cmd_loop },
	{ "close",	"[VM]",		0, 1, cmd_close },
};

const unsigned int vmfire_nr_cmds = ARRAY_SIZE(vmfire_cmds);
