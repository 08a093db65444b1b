#!/usr/bin/env bash
# Boot a kernel + initramfs under QEMU TCG and capture the serial console.
# usage: qemu-run.sh <kerneldir> <initrd> <check|demo|shell> <logfile>
# env: QEMU_TIMEOUT (s, default 900), VERBOSE=1 (echo the console), QEMU_IOMMU=0 (no intel-iommu/edu),
#      QEMU_EXTRA (more qemu arguments), QEMU_APPEND (more kernel arguments),
#      QEMU_HOSTROOT=0 (do not share the host's root read-only over 9p, tag hostroot),
#      QEMU_SMP (default 2; check-large.sh offers many possible CPUs: 2,maxcpus=255),
#      QEMU_ACCEL (default tcg,thread=single; tests/harness/check-vmm.sh needs thread=multi)
# Exits non-zero if the guest did not print IRQPATH-GUEST-DONE.
set -euo pipefail

kdir=$1 initrd=$2 mode=$3 logfile=$4
vmlinuz=$(ls "$kdir"/boot/vmlinuz-* | head -1)
limit=${QEMU_TIMEOUT:-900}

append="console=ttyS0 panic=-1 irqpath.mode=$mode quiet loglevel=4"
dev=()
if [ "${QEMU_HOSTROOT:-1}" = 1 ]; then
    # host programs (python3 for irqpath) run in a chroot of it: tests/e2e/hostroot.sh
    dev=(-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap)
    append="$append irqpath.hostrepo=$(cd "$(dirname "$0")/../.." && pwd)"
fi
if [ "${QEMU_IOMMU:-1}" = 1 ]; then
    # intel-iommu must come before the PCI devices it translates; TCG has no kernel irqchip,
    # so intremap=on needs no kernel-irqchip=split here.
    dev=(-device intel-iommu,intremap=on -device edu "${dev[@]}")
    append="$append intel_iommu=on"
fi
cmd=(qemu-system-x86_64 -machine q35 -cpu max -m 2048 -smp "${QEMU_SMP:-2}" -accel "${QEMU_ACCEL:-tcg,thread=single}"
     -nographic -no-reboot -kernel "$vmlinuz" -initrd "$initrd" -append "$append ${QEMU_APPEND:-}"
     -nic none "${dev[@]}" ${QEMU_EXTRA:-})

if [ "$mode" = shell ]; then
    exec "${cmd[@]}"
fi

mkdir -p "$(dirname "$logfile")"
: >"$logfile"
# One TCG guest at a time on this machine: two at once starve each other's
# timers (a 6.1 guest panicked "timer doesn't work through Interrupt-remapped IO-APIC").
exec 9>/var/lock/kvm_irqpath-qemu.lock
flock 9
if [ "${VERBOSE:-0}" = 1 ]; then
    timeout -k 10 "$limit" "${cmd[@]}" </dev/null > >(tee -a "$logfile") 2>&1 &
else
    timeout -k 10 "$limit" "${cmd[@]}" </dev/null >>"$logfile" 2>&1 &
fi
qpid=$!

# Wait for QEMU; if the guest said DONE but QEMU does not exit (seen once on 6.1 after
# "reboot: Power down"), stop it after a grace period.
done_at=
while kill -0 "$qpid" 2>/dev/null; do
    if [ -z "$done_at" ] && grep -q 'IRQPATH-GUEST-DONE rc=' "$logfile"; then done_at=$SECONDS; fi
    if [ -n "$done_at" ] && [ $((SECONDS - done_at)) -ge 15 ]; then
        echo "qemu-run: guest done but QEMU still running after 15 s, killing it" >>"$logfile"
        kill "$qpid" 2>/dev/null || true
    fi
    sleep 1
done
rc=0; wait "$qpid" || rc=$?
[ "$rc" = 124 ] && echo "qemu-run: timed out after $limit s" >>"$logfile"

# drop CRs and terminal escapes so the log greps cleanly
sed -i -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' "$logfile"
if ! grep -q 'IRQPATH-GUEST-DONE rc=' "$logfile"; then
    echo "qemu-run: guest did not finish (qemu rc=$rc, log $logfile)" >&2
    exit 1
fi
