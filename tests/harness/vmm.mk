# Real-VMM lane; included by the top-level Makefile.
#   make check-vmm   Debian's QEMU (from the host root over 9p) inside the 6.12 test guest runs
#                    a nested KVM guest with vhost-net and virtio-blk on an iothread; the nested
#                    guest's own interrupt counts per virtio vector must equal kvm_irqpath's irqfd
#                    wakeups per GSI, all fast path (tests/harness/check-vmm.sh, tests/e2e/vmm.sh).
#                    VMM_KERNELS to pick kernels. Not in make check. Ends "vmm: N passed, N failed".
.PHONY: check-vmm

check-vmm: deps
	tests/harness/check-vmm.sh
