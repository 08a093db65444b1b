# Stress and fault suite (tests/e2e/stress.sh) on every kernel of lane.sh.
# make check runs it at ci scale (about 3 min of guest time per kernel);
# `make stress` runs the full sizes.
.PHONY: stress stress-ci

stress: deps
	STRESS_SCALE=full tests/harness/stress.sh

stress-ci: deps
	STRESS_SCALE=ci tests/harness/stress.sh
