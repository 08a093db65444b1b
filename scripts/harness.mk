# Test-harness targets; included by the top-level Makefile.
.PHONY: check demo guest-shell kernels deps

deps:
	scripts/deps.sh

check: deps
	scripts/check.sh

demo: deps
	scripts/demo.sh

guest-shell: deps
	scripts/guest-shell.sh 6.12

kernels: deps
	scripts/kernel.sh 6.1
	scripts/kernel.sh 6.12
