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

include scripts/harness.mk
include scripts/install.mk
include scripts/kunit.mk
include scripts/stress.mk
include scripts/bench.mk
include scripts/debug.mk
