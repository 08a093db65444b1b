#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PREEMPT_RT: the module must refuse to load, cleanly (mode rt, on Debian's
# 6.12 RT kernel; tests/harness/check-rt.sh). Only the refusal can be tested
# under QEMU TCG: KVM itself does not load on RT there (it wants
# X86_FEATURE_CONSTANT_TSC), so this guest has no KVM to trace anyway.
. /tests/e2e/lib.sh

REFUSAL='kvm_irqpath: PREEMPT_RT kernels are not supported'

is_rt() {
	log "uname -v: $(uname -v); /sys/kernel/realtime: $(cat /sys/kernel/realtime 2>/dev/null || echo absent)"
	uname -v | grep -q PREEMPT_RT || [ "$(cat /sys/kernel/realtime 2>/dev/null)" = 1 ]
}

# built for this kernel: a refusal for a vermagic mismatch would prove nothing
vermagic_matches() {
	vm=$(strings $TRACER | sed -n 's/^vermagic=//p')
	log "tracer vermagic: $vm"
	[ "${vm%% *}" = "$(uname -r)" ]
}

refusals() { dmesg | grep -cF "$REFUSAL"; }
# refused_in_init <count before>: the module's init printed its refusal for this
# insmod: busybox insmod tries finit_module, then init_module on any failure, so
# one insmod runs the module's init twice: 1 or 2 new lines, no more.
refused_in_init() {
	n=$(($(refusals) - $1))
	log "new refusal lines: $n"
	[ "$n" -ge 1 ] && [ "$n" -le 2 ]
}

# try_insmod <n>: sets RC<n>, the message in /tmp/insmod<n>.err
try_insmod() {
	insmod $TRACER >/tmp/insmod$1.out 2>/tmp/insmod$1.err
	eval "RC$1=$?"
	log "insmod $1: rc=$(eval echo \$RC$1): $(cat /tmp/insmod$1.out /tmp/insmod$1.err)"
}

# refused <n>: insmod <n> failed; eopnotsupp <n>: with EOPNOTSUPP (busybox
# insmod exits with the errno and prints its strerror)
refused() { eval "[ \$RC$1 != 0 ]"; }
eopnotsupp() { eval "[ \$RC$1 = 95 ]" && grep -q 'Operation not supported' /tmp/insmod$1.err; }

not_loaded() {
	grep kvm_irqpath /proc/modules | sed 's/^/# \/proc\/modules: /'
	! grep -q '^kvm_irqpath ' /proc/modules && [ ! -e /sys/module/kvm_irqpath ]
}

no_debugfs_dir() {
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts || { log "debugfs not mounted"; return 1; }
	[ ! -e "$D" ]
}

check "kernel is PREEMPT_RT" is_rt
check "tracer built for this kernel ($(uname -r))" vermagic_matches

# What KVM says here, logged only: under TCG it refuses on RT.
modprobe $KVM_VENDOR >/tmp/kvm.out 2>&1; log "modprobe $KVM_VENDOR: rc=$? $(cat /tmp/kvm.out)"
dmesg | grep -iE 'kvm' | sed 's/^/# kvm: /'
dmesg_mark

before=$(refusals)
try_insmod 1
check "insmod fails" refused 1
check "insmod error is EOPNOTSUPP (exit 95, Operation not supported)" eopnotsupp 1
dmesg | grep -F "$REFUSAL" | sed 's/^/# dmesg: /'
check "dmesg has the module's refusal" refused_in_init "$before"
check "no $D afterwards" no_debugfs_dir
check "not in /proc/modules after the refusal" not_loaded

before=$(refusals)
try_insmod 2
check "second insmod fails too" refused 2
check "second insmod error is EOPNOTSUPP too" eopnotsupp 2
check "second insmod refused by the module's init again" refused_in_init "$before"
check "no $D after the second insmod" no_debugfs_dir
check "not in /proc/modules after the second insmod" not_loaded

t_dmesg_clean() {
	bad=$(dmesg | grep -E "$DMESG_BAD" | grep -vxF -f /tmp/dmesg.before)
	[ -z "$bad" ] || log "$bad"
	check "dmesg: no WARNING, BUG, Oops or Call Trace from the refusals" test -z "$bad"
}
t_dmesg_clean

echo "# rt: $NCHECK checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
