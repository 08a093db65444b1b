// SPDX-License-Identifier: GPL-2.0
/*
 * Posted-interrupt IPIs as the host sees them, per CPU: the rows PIN, NPI,
 * PIW and PMN of /proc/interrupts. Their handlers are noinstr and can't be
 * probed, so the counts come from irq_stat, less a baseline taken at load
 * and at each reset.
 */
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/hardirq.h>

#include "irqpath/pi_ipis.h"
#include "irqpath/counters.h"
#include "irqpath/render.h"

/* The columns of `pi_ipis`, in render.c's order. */
enum { PI_PIN, PI_NPI, PI_PIW, PI_PMN, PI_NR };
static_assert(PI_NR == IRQPATH_PI_NR);

/* irq_stat counters are unsigned int: deltas are taken modulo 2^32. */
static u32 (*irqpath_pi_base)[PI_NR];

/*
 * PMN exists only with CONFIG_X86_POSTED_MSI (6.10+); false: shown as "-".
 * 7.2 made irq_stat an array of counts (compat.mk reads which form).
 */
static bool irqpath_pi_read(int cpu, u32 *v)
{
	const irq_cpustat_t *st = &per_cpu(irq_stat, cpu);

#ifdef IRQPATH_IRQ_STAT_COUNTS
	v[PI_PIN] = READ_ONCE(st->counts[IRQ_COUNT_POSTED_INTR]);
	v[PI_NPI] = READ_ONCE(st->counts[IRQ_COUNT_POSTED_INTR_NESTED]);
	v[PI_PIW] = READ_ONCE(st->counts[IRQ_COUNT_POSTED_INTR_WAKEUP]);
#ifdef CONFIG_X86_POSTED_MSI
	v[PI_PMN] = READ_ONCE(st->counts[IRQ_COUNT_POSTED_MSI_NOTIFICATION]);
#endif
#else
	v[PI_PIN] = READ_ONCE(st->kvm_posted_intr_ipis);
	v[PI_NPI] = READ_ONCE(st->kvm_posted_intr_nested_ipis);
	v[PI_PIW] = READ_ONCE(st->kvm_posted_intr_wakeup_ipis);
#ifdef CONFIG_X86_POSTED_MSI
	v[PI_PMN] = READ_ONCE(st->posted_msi_notification_count);
#endif
#endif
#ifdef CONFIG_X86_POSTED_MSI
	return true;
#else
	v[PI_PMN] = 0;
	return false;
#endif
}

void irqpath_pi_ipis_reset(void)
{
	int cpu;

	spin_lock(&irqpath_read_lock);
	for_each_possible_cpu(cpu)
		irqpath_pi_read(cpu, irqpath_pi_base[cpu]);
	spin_unlock(&irqpath_read_lock);
}

int irqpath_pi_ipis_init(void)
{
	irqpath_pi_base = kcalloc(nr_cpu_ids, sizeof(*irqpath_pi_base),
				  GFP_KERNEL);
	if (!irqpath_pi_base)
		return -ENOMEM;
	irqpath_pi_ipis_reset();
	return 0;
}

void irqpath_pi_ipis_exit(void)
{
	kfree(irqpath_pi_base);
	irqpath_pi_base = NULL;
}

/* `pi_ipis`: a header, a row per online CPU, and a total row. */
void irqpath_pi_ipis_show(struct seq_file *m)
{
	u64 row[PI_NR], total[PI_NR] = {};
	bool has_pmn = false;
	char label[16];
	u32 v[PI_NR];
	int cpu, i;

	irqpath_render_pi_header(m);
	spin_lock(&irqpath_read_lock);
	for_each_online_cpu(cpu) {
		has_pmn = irqpath_pi_read(cpu, v);
		for (i = 0; i < PI_NR; i++) {
			row[i] = (u32)(v[i] - irqpath_pi_base[cpu][i]);
			total[i] += row[i];
		}
		snprintf(label, sizeof(label), "%d", cpu);
		irqpath_render_pi_row(m, label, row, has_pmn);
	}
	spin_unlock(&irqpath_read_lock);
	irqpath_render_pi_row(m, "total", total, has_pmn);
}
