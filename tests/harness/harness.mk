# Test-harness targets; included by the top-level Makefile.
# Every apt below retries a transient download error (tests/harness/apt.conf).
export APT_CONFIG := $(CURDIR)/tests/harness/apt.conf
.PHONY: check demo demo-vmfire trees guest-shell kernels deps

deps:
	tests/harness/deps.sh

check: deps
	tests/harness/check.sh

# A real QEMU VM (vhost-net, virtio-blk) in the 6.12 test guest, and what kvm_irqpath shows
# of it (the check-vmm lane with its checks, printing the files and irqpath's views).
demo: deps
	VMM_DEMO=1 tests/harness/check-vmm.sh

# The synthetic demo: vmfire VMs and the edu device through VFIO.
demo-vmfire: deps
	tests/harness/demo.sh

# demo-vmfire, keeping the files it dumps as tests/tool/trees/demo and vfio (irqpath's
# host tests): after a format change, re-record, then mend the values tests/tool/run.sh names.
trees: deps
	RECORD_TREES=1 tests/harness/demo.sh

guest-shell: deps
	tests/harness/guest-shell.sh 6.12

kernels: deps
	tests/harness/kernel.sh 6.1
	tests/harness/kernel.sh 6.12
	tests/harness/kernel.sh 7.3
