# Test-harness targets; included by the top-level Makefile.
# Every apt below retries a transient download error (tests/harness/apt.conf).
export APT_CONFIG := $(CURDIR)/tests/harness/apt.conf
.PHONY: check demo guest-shell kernels deps

deps:
	tests/harness/deps.sh

check: deps
	tests/harness/check.sh

demo: deps
	tests/harness/demo.sh

guest-shell: deps
	tests/harness/guest-shell.sh 6.12

kernels: deps
	tests/harness/kernel.sh 6.1
	tests/harness/kernel.sh 6.12
	tests/harness/kernel.sh 7.3
