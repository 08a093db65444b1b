#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check's vmm suite: the real-VMM lane (tests/harness/check-vmm.sh) on VMM_KERNELS
# (default 6.12). Ends with "vmm: N passed, N failed".
exec "$(dirname "$0")/check-vmm.sh" "$@"
