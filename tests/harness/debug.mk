# Debug-kernel lane; included by the top-level Makefile.
#   make check-debug   e2e (mode check) and stress (ci scale) on a 6.12 kernel built once from
#                      linux-source-6.12 with KASAN, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP,
#                      DEBUG_OBJECTS (tests/harness/debug-kernel.sh, tests/harness/debug-kernel.config);
#                      fails on any kernel report in the guest logs. Ends "check-debug: N passed, N failed".
#   make debug-kernel  only build (or find cached) that kernel
.PHONY: check-debug debug-kernel

check-debug: deps
	tests/harness/check-debug.sh

debug-kernel: deps
	tests/harness/debug-kernel.sh
