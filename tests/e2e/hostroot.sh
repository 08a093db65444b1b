# SPDX-License-Identifier: GPL-2.0
# Run host programs (python3, ...) in the busybox guest: qemu-run.sh shares the
# host's root read-only over 9p (mount tag hostroot); we mount it, put the
# guest's /proc, /sys, debugfs, /dev and /tmp inside, and chroot there.
HOSTROOT=/hostroot

hostroot_mount() {
	grep -q " $HOSTROOT 9p " /proc/mounts && return 0
	# virtio_pci is a module on 6.1, built in on 6.12
	modprobe virtio_pci && modprobe 9pnet_virtio && modprobe 9p || return 1
	mkdir -p $HOSTROOT
	mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 \
		hostroot $HOSTROOT || return 1
	mount -t proc proc $HOSTROOT/proc &&
	mount -t sysfs sysfs $HOSTROOT/sys &&
	mount -t debugfs debugfs $HOSTROOT/sys/kernel/debug &&
	mount --bind /dev $HOSTROOT/dev || return 1
	# The guest's /tmp hides the host's: a checkout under the host's /tmp
	# (CI clones anywhere) is bound into the guest's /tmp first.
	repo=$(hostrepo)
	case "$repo" in
	/tmp/?*)
		mkdir -p "$repo" && mount --bind "$HOSTROOT$repo" "$repo" || return 1
		;;
	esac
	mount -o rbind /tmp $HOSTROOT/tmp
}

# Unloads 9p too: lifetime.sh's purge_vmap loads and unloads 9pnet.
hostroot_umount() {
	repo=$(hostrepo)
	case "$repo" in
	/tmp/?*) umount "$HOSTROOT$repo" 2>/dev/null ;;
	esac
	for m in tmp dev sys/kernel/debug sys proc ""; do
		umount $HOSTROOT/$m 2>/dev/null
	done
	case "$repo" in
	/tmp/?*) umount "$repo" 2>/dev/null ;;
	esac
	rmmod 9p 9pnet_virtio 9pnet 2>/dev/null
}

# hostroot_run <cmd...>: the host's program, in the guest's kernel view.
hostroot_run() {
	chroot $HOSTROOT /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 "$@"
}

# Where the host's checkout is: qemu-run.sh passes irqpath.hostrepo=<dir>.
hostrepo() { sed -n 's/.*irqpath\.hostrepo=\([^ ]*\).*/\1/p' /proc/cmdline; }
