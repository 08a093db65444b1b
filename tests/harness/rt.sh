#!/usr/bin/env bash
# The suite rt of make check (check.sh runs tests/harness/<suite>.sh): the PREEMPT_RT lane.
exec "$(dirname "$0")/check-rt.sh" "$@"
