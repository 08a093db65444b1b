# PREEMPT_RT lane; included by the top-level Makefile.
#   make check-rt   Debian's 6.12 RT kernel in QEMU: kvm_irqpath must refuse to load there
#                   (EOPNOTSUPP, its dmesg line, nothing left behind); tests/harness/check-rt.sh,
#                   tests/e2e/rt-run.sh. Also suite rt of make check. Ends "rt: N passed, N failed".
.PHONY: check-rt

check-rt: deps
	tests/harness/check-rt.sh
