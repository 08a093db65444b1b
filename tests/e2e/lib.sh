# SPDX-License-Identifier: GPL-2.0
# Helpers for the in-guest end-to-end tests (busybox sh). Each test is a
# function t_<name>; run.sh calls them and prints one TAP line per check.

D=/sys/kernel/debug/kvm_irqpath
TRACER=/kvm_irqpath.ko
# The vendor module and its vCPU delivery hook: QEMU TCG gives the guest SVM,
# Bochs (the Intel lane, tests/harness/bochs-run.sh) VMX.
if grep -qw vmx /proc/cpuinfo; then
	KVM_VENDOR=kvm_intel DELIVER_PROBE=vmx_deliver
else
	KVM_VENDOR=kvm_amd DELIVER_PROBE=svm_deliver
fi
NCHECK=0
NFAIL=0

log() { echo "# $*"; }

# check <description> <command...>: one TAP line, the command decides.
check() {
	desc=$1
	shift
	NCHECK=$((NCHECK + 1))
	if "$@"; then
		echo "ok $NCHECK - $desc"
	else
		NFAIL=$((NFAIL + 1))
		echo "not ok $NCHECK - $desc"
	fi
}

# skip <description> <reason>: a TAP SKIP line; the harness counts it apart,
# never as passed.
skip() {
	NCHECK=$((NCHECK + 1))
	echo "ok $NCHECK - $1 # SKIP $2"
}

# eq <what> <got> <want>: explains a mismatch in the log.
eq() {
	[ "$2" = "$3" ] && return 0
	log "$1: got '$2', want '$3'"
	return 1
}

# Bounded polling, never a fixed sleep: wait_for <tenths of s> <cmd...>
wait_for() {
	n=$1
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# field <file> <first field> <n>: field n of the line that starts so.
field() { awk -v k="$2" -v n="$3" '$1 == k { print $n }' "$1"; }
# stat <vm dir> <key>: one value of a "key value" file.
stat() { field "$D/vms/$1/stats" "$2" 2; }
unattr() { field "$D/unattributed" "$1" 2; }
probe_state() { field "$D/probes" "$1" 3; }
probe_hits() { field "$D/probes" "$1" 4; }
probe_via() { field "$D/probes" "$1" 5; }
# probe_column <n>: "<probe>=<column n> " for every probe
probe_column() { awk -v c="$1" '{ printf "%s=%s ", $1, $c }' "$D/probes"; }

# Allocations made from kvm_irqpath's own code while on: the kmalloc,
# kmem_cache_alloc and alloc_percpu events print their call site with %pS,
# "[kvm_irqpath]" for ours. alloc_trace_off prints "<ours> <lost>", lost
# being events the ring buffer overwrote (then the count proves nothing).
ALLOC_EVENTS="kmem/kmalloc kmem/kmem_cache_alloc percpu/percpu_alloc_percpu"
TR=/sys/kernel/tracing
alloc_trace_on() {
	echo 0 >$TR/tracing_on && echo >$TR/trace || return 1
	for e in $ALLOC_EVENTS; do echo 1 >$TR/events/$e/enable || return 1; done
	echo 1 >$TR/tracing_on
}
alloc_trace_off() {
	echo 0 >$TR/tracing_on
	for e in $ALLOC_EVENTS; do echo 0 >$TR/events/$e/enable; done
	echo "$(grep -c '\[kvm_irqpath\]' $TR/trace)" \
	     "$(cat $TR/per_cpu/cpu*/stats | awk '$1 == "overrun:" { s += $2 } END { print s + 0 }')"
	echo >$TR/trace
}
info() { field "$D/vms/$1/info" "$2" 2; }
# The kernel has BTF (Debian's do; make check-debug's kernel has no debug info): without
# it prototypes stay unchecked (no-btf), private fields unknown (layout missing), so
# deliveries are neither posted nor kicked, and the two-form tracepoint is not attached.
has_btf() { [ -e /sys/kernel/btf/vmlinux ]; }
# btf_or <with BTF> <without>: the value the kernel's BTF makes right
btf_or() { if has_btf; then echo "$1"; else echo "$2"; fi; }

# mem <key>: a line of the `memory` file.
mem() { field "$D/memory" "$1" 2; }
# gsi_row <vm> <gsi>: its counts (the five first fields); gsi_route: its route.
gsi_row() { awk -v g="$2" '$1 == g { print $1, $2, $3, $4, $5 }' "$D/vms/$1/gsi"; }
gsi_route() { field "$D/vms/$1/gsi" "$2" 6; }
# gsi_signal <vm> <gsi>: its wakeups by signaller: irq vhost vmm other
gsi_signal() { awk -v g="$2" '$1 == g { print $7, $8, $9, $10 }' "$D/vms/$1/gsi"; }
# signaller <vm> <line>: a line of the VM's `signallers` file
signaller() { field "$D/vms/$1/signallers" "$2" 2; }
# lat <vm> <hop>: "<count> <sum_ns>" of a hop of the VM's latency file
lat() { awk -v h="$2" '$1 == h { print $2, $3 }' "$D/vms/$1/latency"; }
# lat_count <vm> <hop>: the hop's count; lat_buckets: the sum of its buckets
lat_count() { lat "$1" "$2" | cut -d' ' -f1; }
lat_buckets() { awk -v h="$2" '$1 == h { for (i = 4; i <= NF; i++) s += $i; print s + 0 }' "$D/vms/$1/latency"; }
# lat_median <vm> <hop>: the bucket (0..31) that holds the median sample, -1 without samples
lat_median() {
	awk -v h="$2" '$1 == h { for (i = 4; i <= NF; i++) { s += $i; if (2 * s >= $2 && $2) { print i - 4; exit } }
		print -1 }' "$D/vms/$1/latency"
}

# The debugfs name of the VM owned by pid $1 (exactly one expected).
vm_dir_of() { ls "$D/vms" 2>/dev/null | grep "^$1-"; }
has_one_vm() { [ "$(vm_dir_of "$1" | wc -l)" = 1 ]; }
no_vm() { [ -z "$(vm_dir_of "$1")" ]; }

# All counters of a VM, "k=v" joined, for one-line comparisons.
stats_line() { awk '{ printf "%s=%s ", $1, $2 }' "$D/vms/$1/stats"; }

# The counters of a VM that are not zero, "k=v" joined; empty when all are.
nonzero() { awk '$2 != 0 { printf "%s=%s ", $1, $2 }' "$D/vms/$1/stats"; }

# vm_start <fd 3..8> <vmfire args...>: a vmfire that reads commands from
# fd <fd>; sets VMPID<fd>. Answers land in /tmp/vm<fd>.out.
vm_start() {
	_fd=$1
	shift
	co_start "$_fd" vmfire "$@"
}

# co_start <fd> <program> <args...>: the same for any command-driven program.
co_start() {
	fd=$1
	prog=$2
	shift 2
	rm -f /tmp/vm$fd.in
	: >/tmp/vm$fd.out
	mkfifo /tmp/vm$fd.in
	# Other VMMs' command fds stay out of this one, or EOF never comes.
	$prog "$@" </tmp/vm$fd.in >/tmp/vm$fd.out 2>&1 \
		3>&- 4>&- 5>&- 6>&- 7>&- 8>&- &
	eval "VMPID$fd=$!"
	eval "exec $fd>/tmp/vm$fd.in"
	eval "VMLINES$fd=1"
	wait_lines $fd 1 && grep -q '^READY' /tmp/vm$fd.out && return 0
	log "$prog: $(cat /tmp/vm$fd.out)"
	return 1
}

lines_at_least() { [ "$(wc -l </tmp/vm$1.out)" -ge "$2" ]; }

wait_lines() { wait_for 600 lines_at_least "$1" "$2"; }

# vm_send <fd> <command>: no wait, for commands that run side by side.
vm_send() {
	eval "echo \"$2\" >&$1"
	eval "VMLINES$1=\$((VMLINES$1 + 1))"
}

# vm_wait <fd>: the last command's answer, which must be DONE.
vm_wait() {
	eval "want=\$VMLINES$1"
	wait_lines "$1" "$want" || { log "vm$1: no answer"; return 1; }
	sed -n "${want}p" /tmp/vm$1.out | grep -q '^DONE' ||
		{ log "vm$1: $(sed -n "${want}p" /tmp/vm$1.out)"; return 1; }
}

vm_cmd() { vm_send "$1" "$2" && vm_wait "$1"; }

# vm_stop <fd>: EOF makes vmfire tear down its VMs and exit.
vm_stop() {
	eval "exec $1>&-"
	eval "p=\$VMPID$1"
	if ! wait_for 300 not_running "$p"; then
		log "vm$1: pid $p did not exit, killed"
		kill -9 "$p"
	fi
	wait "$p"
}

not_running() { ! kill -0 "$1" 2>/dev/null; }

vm_pid() { eval "echo \$VMPID$1"; }

# Kernel log lines t_dmesg_clean looks for; dmesg_mark keeps the ones already
# there (boot warnings of the emulated CPU) so that only new ones count.
DMESG_BAD='WARNING|BUG|Oops|Call Trace'
dmesg_mark() { dmesg | grep -E "$DMESG_BAD" >/tmp/dmesg.before; true; }

# dmesg without the kernel's own debugfs/rmmod race. debugfs's open takes a
# module reference with try_module_get(), which fails from the moment rmmod
# drops the module's last reference (try_stop_module()) until it marks the
# module GOING; an open in that window WARNs "debugfs file owner did not
# clean up at exit" and fails with ENXIO (fs/debugfs/file.c, 6.1 to 7.3),
# before the module's exit runs: no module can close it. Those reports are
# left out whole, from "cut here" to "end trace"; their number goes to
# /tmp/dmesg.known. Any other report stays.
dmesg_unknown() {
	dmesg | awk -v kf=/tmp/dmesg.known '
		/-+\[ cut here \]-+/ { inblk = 1; blk = $0; next }
		inblk {
			blk = blk "\n" $0
			if ($0 ~ /---\[ end trace/) {
				inblk = 0
				if (blk ~ /debugfs file owner did not clean up at exit: /) n++
				else print blk
			}
			next
		}
		{ print }
		END { if (inblk) print blk; print n + 0 > kf }'
}
# dmesg_known_note: says how many such reports were left out, if any.
dmesg_known_note() {
	[ "$(cat /tmp/dmesg.known 2>/dev/null || echo 0)" = 0 ] ||
		log "dmesg: $(cat /tmp/dmesg.known) report(s) of the kernel's debugfs open/rmmod race left out (README, known limits)"
}

# run_tests <name>...: t_<name> of each, timed in the log. irqpath.only=<t>[,<t>...]
# on the kernel command line (QEMU_APPEND) runs only those instead: for
# working on one test, never in make check.
run_tests() {
	_only=$(sed -n 's/.*irqpath\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
	[ -n "$_only" ] && set -- $(echo "$_only" | tr , ' ')
	for _t in "$@"; do
		_start=$(date +%s)
		log "--- $_t"
		t_$_t
		log "--- $_t: $(($(date +%s) - _start)) s"
	done
}

# every entry hook an ftrace callback, no direct call taken (the default)
tracer_load() { insmod $TRACER && wait_for 100 test -e $D/probes; }
# the hottest hooks as ftrace direct calls, where free
tracer_load_direct() { insmod $TRACER direct=1 && wait_for 100 test -e $D/probes; }
tracer_unload() { rmmod kvm_irqpath; }

# A VM's directory appears once the work item has run.
wait_vm() { wait_for 100 has_one_vm "$1"; }

# tree_dump [name]: the module's files as they are now, for scripts/irqpath's host tests
# (tests/tool/trees): copied (debugfs files have no size for tar), then printed as
# "TREE[ name]| " lines of base64 of a gzipped tar. Control files left out.
tree_dump() {
	rm -rf /tmp/tree
	mkdir -p /tmp/tree
	(cd "$D/.." && find kvm_irqpath -type d) | while read -r d; do mkdir -p "/tmp/tree/$d"; done
	(cd "$D/.." && find kvm_irqpath -type f ! -name reset ! -path kvm_irqpath/latency) |
		while read -r f; do cat "$D/../$f" >"/tmp/tree/$f"; done
	tar -C /tmp/tree -cf - kvm_irqpath | gzip -9 | base64 | sed "s/^/TREE${1:+ $1}| /"
}
