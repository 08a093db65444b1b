# SPDX-License-Identifier: GPL-2.0
# kvm_irqpath: `make` builds the module for the running kernel (KDIR to
# override); `make check` and `make demo` run it in QEMU guests.

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all module clean

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

include tests/harness/harness.mk
include scripts/install.mk
include tests/harness/kunit.mk
include tests/harness/stress.mk
include tests/harness/bench.mk
include tests/harness/debug.mk
include tests/harness/intel.mk
include tests/harness/rt.mk
include tests/harness/large.mk
include tests/harness/vmm.mk
