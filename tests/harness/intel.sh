#!/usr/bin/env bash
# The suite intel of make check (check.sh runs tests/harness/<suite>.sh): the Intel
# lane under Bochs on 6.12 (about 4 minutes); make check-intel runs every kernel.
INTEL_SUITE=intel exec "$(dirname "$0")/check-intel.sh" "$@"
