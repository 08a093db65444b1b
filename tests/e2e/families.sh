#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lib.sh and the test families the check (run.sh), stress (stress-run.sh)
# and Intel (intel-run.sh) payloads run tests of; sourcing a family only
# defines its t_* functions and helpers.
. /tests/e2e/lib.sh
. /tests/e2e/irqfd.sh
. /tests/e2e/latency.sh
. /tests/e2e/lifetime.sh
. /tests/e2e/control.sh
. /tests/e2e/vfio.sh
