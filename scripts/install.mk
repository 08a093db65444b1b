# Install targets; included by the top-level Makefile (which defines KDIR and `module`).
#   make install        the module for KDIR's kernel (+ depmod), and install-tool
#   make install-tool   irqpath in $(PREFIX)/sbin, its parts in $(PREFIX)/lib/kvm_irqpath
#   make dkms-install   sources to /usr/src/kvm_irqpath-$(VERSION), then dkms add/build/install
#   make dkms-remove    dkms remove --all and the sources
# A plain install goes to /lib/modules/<kver>/extra; DESTDIR stages it elsewhere.
VERSION := $(shell cat $(CURDIR)/VERSION)
PREFIX ?= /usr/local
# the release modules are installed under (Debian's kernel.release has only the upstream one)
KVER ?= $(shell awk -F'"' '/UTS_RELEASE/ { print $$2 }' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DKMS_SRC := /usr/src/kvm_irqpath-$(VERSION)
DKMS_FILES := Kbuild compat.mk VERSION LICENSE dkms.conf src include

.PHONY: install install-tool dkms-install dkms-remove

install: module install-tool
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

# irqpath looks for its parts beside itself, then in ../lib/kvm_irqpath.
install-tool:
	install -D -m 0755 scripts/irqpath $(DESTDIR)$(PREFIX)/sbin/irqpath
	install -d $(DESTDIR)$(PREFIX)/lib/kvm_irqpath
	install -m 0644 scripts/irqpath_*.py $(DESTDIR)$(PREFIX)/lib/kvm_irqpath/

dkms-install: install-tool
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/
	sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' $(DKMS_SRC)/dkms.conf
	dkms status -m kvm_irqpath -v $(VERSION) | grep -q . || dkms add -m kvm_irqpath -v $(VERSION)
	# --force: the sources may have changed under the same VERSION
	dkms build --force -m kvm_irqpath -v $(VERSION) $(if $(KVER),-k $(KVER))
	dkms install --force -m kvm_irqpath -v $(VERSION) $(if $(KVER),-k $(KVER))

dkms-remove:
	-dkms remove -m kvm_irqpath -v $(VERSION) --all
	rm -rf $(DKMS_SRC)
