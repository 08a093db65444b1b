# Intel lane; included by the top-level Makefile.
#   make check-intel   the e2e tests that need no VFIO device, IOMMU, 9p host root or bpftrace
#                      (tests/e2e/intel-run.sh) in a guest under Bochs, whose CPU has VMX, on
#                      INTEL_KERNELS (default here 6.1 6.12 7.3; make check's suite intel runs
#                      6.12 only). Ends "check-intel: N passed, N failed".
.PHONY: check-intel

check-intel: deps
	INTEL_KERNELS="$${INTEL_KERNELS:-6.1 6.12 7.3}" tests/harness/check-intel.sh
