// SPDX-License-Identifier: GPL-2.0
/*
 * `reset`: every figure shown restarts from zero. Nothing is zeroed: each
 * owner moves the baseline its readers subtract, under irqpath_read_lock
 * (counters.h), so writers never see a reset and a count racing it lands
 * on one side. The baselines, all of them:
 *
 *   registry.c   each VM's and unattributed's counters and rows, and the
 *                allocation failures (vm_alloc_failed)
 *   probes.c     each probe's hits, and probe_missed
 *   pi_ipis.c    PIN, NPI, PIW, PMN per CPU
 */
#include "irqpath/pi_ipis.h"
#include "irqpath/probes.h"
#include "irqpath/registry.h"
#include "irqpath/reset.h"

void irqpath_reset(void)
{
	irqpath_registry_reset();
	irqpath_probes_reset();
	irqpath_pi_ipis_reset();
}
