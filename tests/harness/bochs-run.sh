#!/usr/bin/env bash
# Boot a kernel + initramfs under Bochs (an emulated Intel CPU with VMX) and capture the serial console.
# usage: bochs-run.sh <kerneldir> <initrd> <mode> <logfile>
# env: BOCHS_TIMEOUT (s, default 3600), VERBOSE=1 (echo the console), BOCHS_APPEND (more kernel
#      arguments), BOCHS_CPU (default corei7_haswell_4770), BOCHS_MEM (MB, default 1024),
#      BOCHS_INITRD (cpio, default: an uncompressed copy; gz: the gzip cpio as is)
# Exits non-zero if the guest did not print IRQPATH-GUEST-DONE. Same contract as qemu-run.sh;
# no 9p host root and no IOMMU here, so tests needing them cannot run in this guest.
set -euo pipefail

kdir=$1 initrd=$2 mode=$3 logfile=$4
vmlinuz=$(ls "$kdir"/boot/vmlinuz-* | head -1)
limit=${BOCHS_TIMEOUT:-3600}
ips=50000000

# Bochs counts the TSC at its ips rate while the CPU model advertises GHz: without
# tsc_early_khz the guest's clock runs ~70 times slow (kernel-facts.md, Bochs).
append="console=ttyS0,115200 nokaslr mitigations=off tsc=reliable no_timer_check random.trust_cpu=on
        8250.nr_uarts=1 rdinit=/init panic=-1 quiet loglevel=4 tsc_early_khz=$((ips / 1000))
        irqpath.mode=$mode ${BOCHS_APPEND:-}"
append=$(echo $append)

mkdir -p "$(dirname "$logfile")"
logfile=$(realpath "$logfile")
work=$(mktemp -d "$(dirname "$logfile")/bochs.XXXXXX")
trap 'rm -rf "$work"' EXIT
iso=$work/iso
mkdir -p "$iso/boot/grub"
cp "$vmlinuz" "$iso/boot/vmlinuz"
# The guest unpacks the 5 MB gzip cpio in about 5 s of its time at 50 MIPS (6.12: power-down
# at 38.7 s against 33.5 s); grub reads the 17 MB plain cpio from the CD in less.
case ${BOCHS_INITRD:-cpio} in
    gz)   cp "$initrd" "$iso/boot/initrd" ;;
    cpio) gzip -dc "$initrd" >"$iso/boot/initrd" ;;
    *)    echo "bochs-run: BOCHS_INITRD=cpio|gz" >&2; exit 2 ;;
esac
cat >"$iso/boot/grub/grub.cfg" <<EOF
set timeout=0
set default=0
menuentry irqpath {
    linux /boot/vmlinuz $append
    initrd /boot/initrd
}
EOF
grub-mkrescue -o "$work/boot.iso" "$iso" >"$work/grub-mkrescue.log" 2>&1 ||
    { cat "$work/grub-mkrescue.log" >&2; exit 1; }

# Debian's bochs: no nogui (rfb with no wait for a client), its ALSA sound plugin crashes,
# its debugger stops at start (-rc with "c"). One CPU: /init comes twice as fast as with two.
cat >"$work/bochsrc" <<EOF
cpu: model=${BOCHS_CPU:-corei7_haswell_4770}, count=1, ips=$ips, reset_on_triple_fault=0, ignore_bad_msrs=1
memory: guest=${BOCHS_MEM:-1024}, host=${BOCHS_MEM:-1024}
ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$logfile
clock: sync=none, time0=local
display_library: rfb, options="timeout=0"
sound: driver=dummy
speaker: enabled=0
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
EOF
echo c >"$work/rc"
cmd=(bochs -q -f "$work/bochsrc" -rc "$work/rc")

: >"$logfile"
# One emulator at a time on this machine, QEMU or Bochs: the lock is qemu-run.sh's.
exec 9>/var/lock/kvm_irqpath-qemu.lock
t_lock=$SECONDS
flock 9
t_run=$SECONDS
(cd "$work" && exec timeout -k 10 "$limit" "${cmd[@]}" </dev/null >"$work/bochs.out" 2>&1) &
bpid=$!
tpid=
if [ "${VERBOSE:-0}" = 1 ]; then
    tail -n +1 -F "$logfile" 2>/dev/null &
    tpid=$!
fi

# Bochs has no -no-reboot: a panic (panic=-1) restarts the BIOS and boots the ISO again.
# Stop it once the guest said DONE or a second boot began, after a grace period.
done_at= why=
while kill -0 "$bpid" 2>/dev/null; do
    if [ -z "$done_at" ]; then
        if grep -q 'IRQPATH-GUEST-DONE rc=' "$logfile"; then done_at=$SECONDS why="guest done"
        elif grep -q 'Kernel panic - not syncing' "$logfile"; then done_at=$SECONDS why="guest panicked"
        elif [ "$(grep -c 'IRQPATH-GUEST-KERNEL' "$logfile")" -gt 1 ]; then done_at=$SECONDS why="guest rebooted"
        fi
    fi
    if [ -n "$done_at" ] && [ $((SECONDS - done_at)) -ge 15 ]; then
        echo "bochs-run: $why but Bochs still running after 15 s, killing it" >>"$logfile"
        kill "$bpid" 2>/dev/null || true   # timeout (the subshell exec'd it); it stops Bochs
        break
    fi
    sleep 1
done
rc=0; wait "$bpid" || rc=$?
[ -n "$tpid" ] && { kill "$tpid" 2>/dev/null || true; }
[ "$rc" = 124 ] && echo "bochs-run: timed out after $limit s" >>"$logfile"
echo "bochs-run: Bochs ran $((SECONDS - t_run)) s (after $((t_run - t_lock)) s waiting for the emulator lock)" >>"$logfile"

# drop CRs and terminal escapes so the log greps cleanly
sed -i -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' "$logfile"
# Bochs exits 1 after a clean ACPI power-off too: judge by the log.
if ! grep -q 'IRQPATH-GUEST-DONE rc=' "$logfile"; then
    { tail -5 "$work/bochs.out"; grep -E '^[0-9]+[ep]\[' "$work/bochs.log" | tail -10; } 2>/dev/null |
        sed 's/^/bochs-run: bochs: /' >>"$logfile" || true
    echo "bochs-run: guest did not finish (bochs rc=$rc, log $logfile)" >&2
    exit 1
fi
