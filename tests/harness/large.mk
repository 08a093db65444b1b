# Large-host lane; included by the top-level Makefile.
#   make check-large   tests/e2e/stress_large.sh in guests with many possible CPUs (6.1:
#                      possible_cpus=384; 6.12 and 7.3: 255 present, 2 online): memory per
#                      VM per possible CPU, summary and reset of 1000 VMs, no lockup report.
#                      Every kernel; make check's suite large runs 6.1 only.
#                      Ends "large: N passed, N failed".
.PHONY: check-large

check-large: deps
	tests/harness/check-large.sh
