// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/kvm_irqpath. Per-VM files point at their record: debugfs
 * removes a VM's directory (and waits for its readers) before the record
 * is freed, so a file never outlives what it shows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "irqpath/debugfs.h"
#include "irqpath/efd_map.h"
#include "irqpath/latency.h"
#include "irqpath/pi_ipis.h"
#include "irqpath/probes.h"
#include "irqpath/render.h"
#include "irqpath/reset.h"
#include "irqpath/vm_of.h"

static struct dentry *irqpath_root;
static struct dentry *irqpath_vms_dir;

/*
 * VMs shown between two breaks of the walk, what one takes in text, and the
 * room for verdicts of VMs that come while `summary` is read.
 */
#define IRQPATH_SUMMARY_BATCH		64
#define IRQPATH_SUMMARY_VM_BYTES	512
#define IRQPATH_SUMMARY_SLACK		16

/*
 * A snapshot is 7 kB: too big for a stack frame. rows: the file shows
 * rows per GSI or vCPU, which takes a walk of the shared row table.
 */
static int irqpath_show_vm(struct seq_file *m, bool rows,
			   void (*render)(struct seq_file *m,
					  const struct irqpath_vm *vm,
					  const struct irqpath_counts *val))
{
	struct irqpath_vm *vm = m->private;
	struct irqpath_counts *val;

	val = kmalloc(sizeof(*val), GFP_KERNEL);
	if (!val)
		return -ENOMEM;
	irqpath_vm_snapshot(vm, val, NULL, rows);
	render(m, vm, val);
	kfree(val);
	return 0;
}

static unsigned int irqpath_count_posted(const struct irqpath_producer *p,
					 unsigned int n)
{
	unsigned int i, posted = 0;

	for (i = 0; i < n; i++)
		posted += p[i].mode == IRQPATH_PRODUCER_POSTED;
	return posted;
}

/* The counters, and the producers connected now. */
static void irqpath_show_vm_stats(struct seq_file *m,
				  const struct irqpath_vm *vm,
				  const struct irqpath_counts *val)
{
	struct irqpath_producer *prods;

	prods = kmalloc_array(IRQPATH_PRODUCERS, sizeof(*prods), GFP_KERNEL);
	if (!prods) {
		irqpath_render_stats(m, val);	/* the gauge left out */
		return;
	}
	irqpath_render_vm_stats(m, val,
				irqpath_producers_copy((struct irqpath_vm *)vm,
						       prods));
	kfree(prods);
}

static int stats_show(struct seq_file *m, void *v)
{
	return irqpath_show_vm(m, false, irqpath_show_vm_stats);
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* Counts per GSI, and each GSI's routes read from KVM now, by slot. */
static int gsi_show(struct seq_file *m, void *v)
{
	struct irqpath_gsi_routes *routes;
	struct irqpath_vm *vm = m->private;
	struct irqpath_counts *val;
	int ret = -ENOMEM;

	val = kmalloc(sizeof(*val), GFP_KERNEL);
	routes = kmalloc_array(IRQPATH_SLOTS, sizeof(*routes), GFP_KERNEL);
	if (!val || !routes)
		goto out;
	irqpath_vm_routes(vm, routes);
	irqpath_vm_snapshot(vm, val, NULL, true);
	irqpath_render_gsi(m, vm, val, routes);
	ret = 0;
out:
	kfree(routes);
	kfree(val);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(gsi);

static int signallers_show(struct seq_file *m, void *v)
{
	return irqpath_show_vm(m, true, irqpath_render_signallers);
}
DEFINE_SHOW_ATTRIBUTE(signallers);

static void irqpath_show_latency(struct seq_file *m,
				 const struct irqpath_vm *vm,
				 const struct irqpath_counts *val)
{
	irqpath_render_latency(m, val);
}

static int latency_show(struct seq_file *m, void *v)
{
	return irqpath_show_vm(m, true, irqpath_show_latency);
}
DEFINE_SHOW_ATTRIBUTE(latency);

static int vcpus_show(struct seq_file *m, void *v)
{
	return irqpath_show_vm(m, true, irqpath_render_vcpus);
}
DEFINE_SHOW_ATTRIBUTE(vcpus);

static int producers_show(struct seq_file *m, void *v)
{
	struct irqpath_producer *prods;
	unsigned int n;

	prods = kmalloc_array(IRQPATH_PRODUCERS, sizeof(*prods), GFP_KERNEL);
	if (!prods)
		return -ENOMEM;
	n = irqpath_producers_copy(m->private, prods);
	irqpath_render_producers(m, prods, n);
	kfree(prods);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(producers);

static int info_show(struct seq_file *m, void *v)
{
	struct irqpath_vm *vm = m->private;
	char comm[TASK_COMM_LEN];

	spin_lock(&irqpath_read_lock);
	strscpy(comm, vm->comm, sizeof(comm));
	spin_unlock(&irqpath_read_lock);
	irqpath_render_info(m, vm, comm);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

/* Events no VM can be tied to, and events the kprobe layer dropped. */
static int unattributed_show(struct seq_file *m, void *v)
{
	struct irqpath_counts *val;
	unsigned long missed, failures;

	val = kmalloc(sizeof(*val), GFP_KERNEL);
	if (!val)
		return -ENOMEM;
	irqpath_vm_snapshot(irqpath_unattributed, val, NULL, true);
	missed = irqpath_probes_missed();
	failures = irqpath_registry_alloc_failures_shown();
	irqpath_render_unattributed(m, irqpath_unattributed, val, missed,
				    failures);
	kfree(val);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(unattributed);

static int pi_ipis_show(struct seq_file *m, void *v)
{
	irqpath_pi_ipis_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pi_ipis);

static int probes_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < irqpath_nr_probes; i++) {
		struct irqpath_probe *p = &irqpath_probes[i];
		u64 hits;

		spin_lock(&irqpath_read_lock);
		hits = irqpath_probe_hits(p) - p->hits_base;
		spin_unlock(&irqpath_read_lock);
		irqpath_render_probe(m, p->name, irqpath_probe_symbol(p),
				     irqpath_probe_state_name(READ_ONCE(p->state)),
				     hits, irqpath_probe_via(p),
				     irqpath_probe_proto_name(p),
				     irqpath_probe_layout_name(p));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(probes);

/*
 * The module's own records: "key value" lines, bytes of all of them, then
 * what one VM costs: a fixed part and a part per possible CPU. Its rows
 * per GSI and vCPU are in the table all VMs share, whose size and use
 * come last (added after `cpus`).
 */
static int memory_show(struct seq_file *m, void *v)
{
	struct irqpath_memory mem = {
		.cpus		= num_possible_cpus(),
		.vm_bytes	= sizeof(struct irqpath_vm) +
				  sizeof(struct irqpath_counts),
		.vm_cpu_bytes	= sizeof(struct irqpath_cpu_counts),
		.row_bytes	= sizeof(struct irqpath_row),
	};

	irqpath_registry_memory(&mem.vms, &mem.spares, &mem.bytes);
	irqpath_rows_usage(&mem.rows_per_cpu, &mem.rows_used, &mem.rows_full);
	mem.eventfds = irqpath_efd_count();
	mem.bytes += irqpath_efd_bytes() + irqpath_rows_bytes();
	irqpath_render_memory(m, &mem);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memory);

/*
 * The table, then a verdict per VM on its VFIO interrupts. One walk of the
 * VM list, one snapshot per VM for its row and its verdict: a VM created
 * or destroyed meanwhile has both or neither. The verdicts gather in a
 * buffer of the size of m's; if it fills, m is marked full too, and
 * seq_file calls us again with buffers twice as big (summary_open sizes
 * them so that this is rare). The walk leaves RCU every few VMs to let
 * others run, and goes on after the last VM it showed: the list is in
 * sequence order.
 */
static int summary_show(struct seq_file *m, void *v)
{
	unsigned int n, posted, batch, nr = 0, room;
	char comm[TASK_COMM_LEN], pid[16];
	struct irqpath_verdict *verdicts;
	struct irqpath_producer *prods;
	struct irqpath_counts *val;
	struct irqpath_vm *vm;
	u64 next = 0;
	int ret = -ENOMEM;

	room = irqpath_registry_nr_vms() + IRQPATH_SUMMARY_SLACK;
	val = kmalloc(sizeof(*val), GFP_KERNEL);
	prods = kmalloc_array(IRQPATH_PRODUCERS, sizeof(*prods), GFP_KERNEL);
	verdicts = kvmalloc_array(room, sizeof(*verdicts), GFP_KERNEL);
	if (!val || !prods || !verdicts)
		goto out;

	irqpath_render_summary_header(m);
again:
	batch = 0;
	rcu_read_lock();
	list_for_each_entry_rcu(vm, &irqpath_vms, node) {
		if (vm->seq < next)
			continue;
		/* VMs past the room made at the start came meanwhile: next read */
		if (nr == room)
			break;
		next = vm->seq + 1;
		irqpath_vm_snapshot(vm, val, comm, false);
		n = irqpath_producers_copy(vm, prods);
		posted = irqpath_count_posted(prods, n);
		snprintf(pid, sizeof(pid), "%d", vm->pid);
		irqpath_render_summary_row(m, vm->name, pid,
					   comm[0] ? comm : "?", val, n, posted);
		irqpath_verdict_keep(&verdicts[nr++], vm->name, val, n, posted);
		if (++batch == IRQPATH_SUMMARY_BATCH) {
			rcu_read_unlock();
			cond_resched();
			goto again;
		}
	}
	rcu_read_unlock();
	irqpath_vm_snapshot(irqpath_unattributed, val, NULL, false);
	irqpath_render_summary_row(m, "unattributed", "-", "-", val, 0, 0);
	irqpath_render_verdicts(m, verdicts, nr);
	ret = 0;
out:
	kvfree(verdicts);
	kfree(prods);
	kfree(val);
	return ret;
}

/* A row and a verdict take under 400 bytes: one pass for all VMs. */
static int summary_open(struct inode *inode, struct file *file)
{
	size_t size = (irqpath_registry_nr_vms() + 4) * IRQPATH_SUMMARY_VM_BYTES;

	return single_open_size(file, summary_show, inode->i_private, size);
}

static const struct file_operations summary_fops = {
	.owner		= THIS_MODULE,
	.open		= summary_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* Nothing changes unless the whole write is exactly "1". */
static ssize_t reset_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[2];
	int ret;

	if (len < 1 || len > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	ret = irqpath_parse_reset(buf, len);
	if (ret)
		return ret;

	irqpath_reset();
	return len;
}

/* `latency` at the top: "0" or "1", read and written; nothing else. */
static ssize_t latency_switch_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	char buf[2];
	int on;

	if (len < 1 || len > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	on = irqpath_parse_switch(buf, len);
	if (on < 0)
		return on;
	irqpath_latency_set(on);
	return len;
}

static int latency_switch_show(struct seq_file *m, void *v)
{
	irqpath_render_switch(m, irqpath_latency_on());
	return 0;
}

static int latency_switch_open(struct inode *inode, struct file *file)
{
	return single_open(file, latency_switch_show, NULL);
}

static const struct file_operations latency_switch_fops = {
	.owner		= THIS_MODULE,
	.open		= latency_switch_open,
	.read		= seq_read,
	.write		= latency_switch_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static const struct file_operations reset_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= reset_write,
	.llseek	= noop_llseek,
};

static struct dentry *irqpath_publish(struct irqpath_vm *vm)
{
	struct dentry *dir;

	dir = debugfs_create_dir(vm->name, irqpath_vms_dir);
	if (IS_ERR(dir)) {
		pr_err("debugfs directory for VM %s: %ld\n", vm->name,
		       PTR_ERR(dir));
		return NULL;
	}
	debugfs_create_file("stats", 0400, dir, vm, &stats_fops);
	debugfs_create_file("gsi", 0400, dir, vm, &gsi_fops);
	debugfs_create_file("vcpus", 0400, dir, vm, &vcpus_fops);
	debugfs_create_file("producers", 0400, dir, vm, &producers_fops);
	debugfs_create_file("info", 0400, dir, vm, &info_fops);
	debugfs_create_file("signallers", 0400, dir, vm, &signallers_fops);
	debugfs_create_file("latency", 0400, dir, vm, &latency_fops);
	return dir;
}

static void irqpath_unpublish(struct irqpath_vm *vm)
{
	debugfs_remove(vm->dir);
	vm->dir = NULL;
}

const struct irqpath_registry_ops irqpath_debugfs_ops = {
	.publish	= irqpath_publish,
	.unpublish	= irqpath_unpublish,
};

/* The directories; per-VM ones come and go with their VMs. */
int irqpath_debugfs_init(void)
{
	irqpath_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(irqpath_root)) {
		pr_err("debugfs_create_dir failed: %ld\n", PTR_ERR(irqpath_root));
		return PTR_ERR(irqpath_root);
	}
	irqpath_vms_dir = debugfs_create_dir("vms", irqpath_root);
	return 0;
}

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} irqpath_top_files[] = {
	{ "summary",		0400, &summary_fops },
	{ "probes",		0400, &probes_fops },
	{ "unattributed",	0400, &unattributed_fops },
	{ "pi_ipis",		0400, &pi_ipis_fops },
	{ "memory",		0400, &memory_fops },
	{ "reset",		0200, &reset_fops },
	{ "latency",		0600, &latency_switch_fops },
};

static struct dentry *irqpath_top_dentries[ARRAY_SIZE(irqpath_top_files)];

/*
 * The top-level files appear once everything they read is set up, and go
 * before any of it is torn down: removing a debugfs file waits for the
 * readers and writers in it, so none runs against a half-made module.
 * `probes` existing is the sign that the module is ready.
 */
void irqpath_debugfs_files_create(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(irqpath_top_files); i++)
		irqpath_top_dentries[i] =
			debugfs_create_file(irqpath_top_files[i].name,
					    irqpath_top_files[i].mode,
					    irqpath_root, NULL,
					    irqpath_top_files[i].fops);
}

void irqpath_debugfs_files_remove(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(irqpath_top_dentries); i++) {
		debugfs_remove(irqpath_top_dentries[i]);
		irqpath_top_dentries[i] = NULL;
	}
}

void irqpath_debugfs_exit(void)
{
	debugfs_remove(irqpath_root);
}
