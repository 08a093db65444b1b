#!/usr/bin/env bash
# The suite large of make check (check.sh runs tests/harness/<suite>.sh): the large-host
# test on 6.1 alone, the kernel that takes possible_cpus=384 (about 2 minutes of guest
# time); make check-large runs every kernel.
LARGE_KERNELS=${LARGE_KERNELS:-6.1} exec "$(dirname "$0")/check-large.sh" "$@"
