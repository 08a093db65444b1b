#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the initramfs of the nested guest that tests/e2e/vmm.sh boots with Debian's QEMU
# inside the test guest: busybox, virtio_pci, virtio_net and virtio_blk, and an init that
# prints its virtio interrupts, runs a network and disk workload, prints them again and
# then idles (the test reads kvm_irqpath while the VM lives, then stops QEMU).
# usage: nested-guest.sh <kerneldir> <outdir>   -> <outdir>/nested.cpio.gz, <outdir>/vmlinuz
set -euo pipefail
. "$(dirname "$0")/modules.sh"

kdir=$(realpath "$1"); out=$(realpath -m "$2")
kver=$(cat "$kdir/kver")
root=$out/nested-root
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,lib/modules/"$kver"}

cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list-full); do
    [ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

# virtio_pci is a module on 6.1, built in on 6.12
copy_modules "$kdir" "$kver" "$root" virtio_pci virtio_net virtio_blk
# the same kernel as the test guest
cp "$(find "$kdir"/boot -name 'vmlinuz-*' | head -1)" "$out/vmlinuz"

# Every console character is a nested exit under TCG: print only the result lines.
# NESTED-IRQ <phase> <irq name> <virtio device id> <MSI-X entry> <count>: the entry is
# the low 11 bits of the irq's hwirq (where the PCI/MSI irq domains keep the MSI index),
# the number QEMU's kvm_irqchip_add_msi_route trace calls "vector".
cat >"$root/init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
modprobe virtio_pci && modprobe virtio_net && modprobe virtio_blk || echo "NESTED-FAIL modprobe"

# the drivers probe asynchronously; bounded wait for both devices
n=100
while [ $n -gt 0 ] && ! { [ -e /sys/class/net/eth0 ] && [ -b /dev/vda ]; }; do
	n=$((n - 1))
	sleep 0.1
done

# irqs <phase>: one NESTED-IRQ line per virtio interrupt, counts summed over the CPUs
irqs() {
	awk 'NR == 1 { ncpu = NF; next }
	     /virtio/ { s = 0; for (i = 2; i <= ncpu + 1; i++) s += $i
	                sub(":", "", $1); print $1, $NF, s }' /proc/interrupts |
	while read -r irq name count; do
		hw=$(cat /sys/kernel/irq/"$irq"/hwirq)
		dev=$(cat /sys/bus/virtio/devices/"${name%%-*}"/device)
		echo "NESTED-IRQ $1 $name $dev $((hw & 2047)) $count"
	done
}

ip link set lo up
ip addr add 10.253.0.2/24 dev eth0 && ip link set eth0 up
# A static ARP entry on both sides (the tap's MAC is set by tests/e2e/vmm.sh): no ARP
# traffic, whose probes could come after the last count and be wakeups no count shows.
arp -i eth0 -s 10.253.0.1 02:00:00:fd:00:01
irqs before
# 20 pings to the host side of the tap, 8 MB of buffered reads, 4 MB of direct
# writes, 256 direct 4 KiB reads
ping -q -c 20 -i 0.2 -W 10 10.253.0.1 >/dev/null 2>&1; echo "NESTED-RC ping $?"
dd if=/dev/vda of=/dev/null bs=64k count=128 2>/dev/null; echo "NESTED-RC read $?"
dd if=/dev/zero of=/dev/vda bs=64k count=64 oflag=direct 2>/dev/null; echo "NESTED-RC write $?"
dd if=/dev/vda of=/dev/null bs=4k count=256 iflag=direct 2>/dev/null; echo "NESTED-RC dread $?"
irqs after
echo NESTED-DONE
# idle until the test has read kvm_irqpath and stops QEMU
while :; do sleep 3600; done
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --owner=0:0 --quiet | gzip -6) >"$out/nested.cpio.gz"
echo "nested-guest: $out/nested.cpio.gz ($(du -h "$out/nested.cpio.gz" | cut -f1))" >&2
