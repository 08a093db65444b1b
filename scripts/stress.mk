# Stress and fault suite (tests/e2e/stress.sh) on 6.1 and 6.12 in QEMU.
# For the lead: include this from the top-level Makefile, and add `stress` to
# check.sh's suites (SUITES="lint stress"): there it runs at ci scale (about
# 3 min of guest time per kernel); `make stress` runs the issue's full sizes.
.PHONY: stress stress-ci

stress: deps
	STRESS_SCALE=full scripts/stress.sh

stress-ci: deps
	STRESS_SCALE=ci scripts/stress.sh
