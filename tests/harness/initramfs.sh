#!/usr/bin/env bash
# Build the guest initramfs: busybox, KVM/VFIO modules, the tracer, test binaries and tests/e2e.
# usage: initramfs.sh <kerneldir> <outdir>   -> <outdir>/initrd.cpio.gz
# env: MODULE_KO (default <outdir>/mod/kvm_irqpath.ko), E2E_DIR (default <repo>/tests/e2e),
#      EXTRA_MODULES (more kernel module names to include)
set -euo pipefail
. "$(dirname "$0")/modules.sh"

kdir=$(realpath "$1"); out=$(realpath -m "$2")
repo=$(cd "$(dirname "$0")/../.." && pwd)
kver=$(cat "$kdir/kver")
module_ko=${MODULE_KO:-$out/mod/kvm_irqpath.ko}
e2e=${E2E_DIR:-$repo/tests/e2e}
mods="kvm kvm_amd kvm_intel ccp irqbypass vfio vfio_pci vfio_pci_core vfio_iommu_type1 iommufd
      9p 9pnet_virtio virtio_pci ${EXTRA_MODULES:-}"

root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,root,etc,tests,lib/modules/"$kver"}

# busybox with every applet linked to it
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list-full); do
    [ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

# kernel modules: the listed ones plus everything they depend on, uncompressed
copy_modules "$kdir" "$kver" "$root" $mods

# the tracer, test-only modules, static test binaries, e2e scripts
if [ -f "$module_ko" ]; then cp "$module_ko" "$root/kvm_irqpath.ko"
else echo "initramfs: warning: no tracer module at $module_ko" >&2; fi
if compgen -G "$out/testmod/*.ko" >/dev/null; then mkdir -p "$root/testmod"; cp "$out"/testmod/*.ko "$root/testmod/"; fi
if [ -d "$out/guest-bin" ]; then find "$out/guest-bin" -maxdepth 1 -type f -exec cp {} "$root/bin/" \; ; fi
if [ -d "$e2e" ]; then cp -a "$e2e" "$root/tests/e2e"
else echo "initramfs: warning: no e2e dir at $e2e" >&2; fi

cat > "$root/init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev     # /dev/kvm appears here once kvm.ko is loaded
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
mount -t tmpfs tmpfs /tmp
ip link set lo up 2>/dev/null
mode=
for w in $(cat /proc/cmdline); do
    case $w in irqpath.mode=*) mode=${w#irqpath.mode=} ;; esac
done
echo; echo "IRQPATH-GUEST-KERNEL $(uname -r)"
cd /
case $mode in
    check) sh /tests/e2e/run.sh; rc=$? ;;
    intel) sh /tests/e2e/intel-run.sh; rc=$? ;;
    demo)  sh /tests/e2e/demo.sh; rc=$? ;;
    stress) sh /tests/e2e/stress-run.sh; rc=$? ;;
    bench) sh /tests/e2e/bench.sh; rc=$? ;;
    rt)    sh /tests/e2e/rt-run.sh; rc=$? ;;
    shell) echo "irqpath guest shell: tracer at /kvm_irqpath.ko, tests in /tests/e2e; exit to power off"
           setsid cttyhack sh -l; rc=$? ;;
    *)     echo "unknown irqpath.mode='$mode'"; rc=2 ;;
esac
echo "IRQPATH-GUEST-DONE rc=$rc"
sync
poweroff -f
INIT
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --owner=0:0 --quiet | gzip -6) > "$out/initrd.cpio.gz"
echo "initramfs: $out/initrd.cpio.gz ($(du -h "$out/initrd.cpio.gz" | cut -f1), $(find "$root/lib/modules" -name '*.ko' | wc -l) modules)" >&2
