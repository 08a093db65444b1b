# SPDX-License-Identifier: GPL-2.0
# Benchmark (tests/harness/bench.sh) on every kernel of lane.sh: `make bench` runs
# BENCH_REPS (7) interleaved repetitions of BENCH_SECS (3) s per configuration and
# prints the table; `make bench-short` is the 1 x 1 s proof that check.sh runs.
.PHONY: bench bench-short

bench: deps
	BENCH_SCALE=full tests/harness/bench.sh

bench-short: deps
	BENCH_SCALE=short tests/harness/bench.sh
