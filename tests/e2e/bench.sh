#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make bench`, guest side (irqpath.mode=bench): interrupt throughput with no
# tracer, kvm_irqpath, bpftrace, tracefs kprobe events (recording, or counting
# only: a filter rejects every record), the bare-kprobe floor and the
# ftrace floor (two bare ftrace callbacks), the direct floor (two bare
# ftrace direct calls) and the ftrace floor with 32 loads or 32 tested
# loads more per callback (all tests/modules/irqpath_floor.c),
# interleaved in one boot; each
# repetition starts one configuration later. Two workloads, one after the
# other: irqfd (irqbench: eventfd writes) and edu (edufire: VFIO MSIs of
# QEMU's edu device on a KVM irqfd). The kernel command line may set
# irqpath.bench_reps=R, irqpath.bench_secs=S, irqpath.bench_vms=V,
# irqpath.bench_gsis=G, irqpath.bench_configs=c1,c2,...,
# irqpath.bench_loads=irqfd,edu, irqpath.bench_edu_chunk=N.
#
# Per run one line for tests/harness/bench.sh:
#   BENCH load=W rep=R config=C writes=N secs=S rate=R fn=hits ...
# and TAP lines: the run worked, rate > 0, and every hook each tracer has
# counted every write exactly once (per VM where the tracer counts per VM).
REPS=5
SECS=3
VMS=4
GSIS=4
CONFIGS="none kvm_irqpath irqpath_direct irqpath_latency bpftrace tracefs tracefs_count floor ftrace_floor direct_floor floor_loads floor_branches"
LOADS="irqfd edu"
EDU_CHUNK=100
for w in $(cat /proc/cmdline); do
	case $w in
	irqpath.bench_reps=*) REPS=${w#*=} ;;
	irqpath.bench_secs=*) SECS=${w#*=} ;;
	irqpath.bench_vms=*) VMS=${w#*=} ;;
	irqpath.bench_gsis=*) GSIS=${w#*=} ;;
	irqpath.bench_configs=*) CONFIGS=$(echo "${w#*=}" | tr , ' ') ;;
	irqpath.bench_loads=*) LOADS=$(echo "${w#*=}" | tr , ' ') ;;
	irqpath.bench_edu_chunk=*) EDU_CHUNK=${w#*=} ;;
	esac
done
. /tests/e2e/lib.sh
. /tests/e2e/hostroot.sh

T=/sys/kernel/tracing
KPLIST=/sys/kernel/debug/kprobes/list
FLOOR=/testmod/irqpath_floor.ko
FNS="irqfd_wakeup kvm_arch_set_irq_inatomic svm_complete_interrupt_delivery"
BT_PROG='
kprobe:irqfd_wakeup { @irqfd_wakeup[arg0] = count(); }
kprobe:kvm_arch_set_irq_inatomic { @kvm_arch_set_irq_inatomic[arg1] = count(); }
kprobe:svm_complete_interrupt_delivery { @svm_complete_interrupt_delivery[arg0] = count(); }
'

# Registered kprobes on our three functions (any owner).
# (at +0x4 behind an endbr64 with IBT)
kp_count() { grep -cE " (irqfd_wakeup|kvm_arch_set_irq_inatomic|svm_complete_interrupt_delivery)\+0x[0-9a-f]+ " $KPLIST; }
kp_none() { [ "$(kp_count)" = 0 ]; }
kp_three() { [ "$(kp_count)" = 3 ]; }

# ---- per configuration: <c>_start, <c>_hits (prints "fn=n ..." and sets
# PERVM_<fn> = sorted per-VM counts where known), <c>_stop

none_start() { :; }
none_hits() { :; }
none_stop() { :; }

kvm_irqpath_start() { tracer_load; }
kvm_irqpath_hits() {
	for k in irqfd_wakeups irqfd_fast vcpu_deliveries; do
		vals=$(for d in $(vm_dir_of "$BPID"); do stat "$d" $k; done | sort -n | tr '\n' ' ')
		eval "PERVM_$k=\"\$vals\""
		echo "$k=$(echo $vals | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')"
	done
	# every hook that ran, for the log: what an event cost in hook calls
	log "kvm_irqpath hook hits: $(awk '$4 > 0 { printf "%s=%s ", $1, $4 }' $D/probes)" >&2
}
kvm_irqpath_stop() { tracer_unload; }
# irqpath_direct: kvm_irqpath with direct=1, the hottest entry hooks
# direct calls (the default, kvm_irqpath, makes every one an ftrace callback).
irqpath_direct_start() { tracer_load_direct; }
irqpath_direct_hits() { kvm_irqpath_hits; }
irqpath_direct_stop() { tracer_unload; }
# irqpath_latency: kvm_irqpath with hop timing on. Every write is a fast
# wakeup that delivers: one wakeup_to_delivery sample each.
irqpath_latency_start() { tracer_load && echo 1 >$D/latency; }
irqpath_latency_hits() {
	kvm_irqpath_hits
	vals=$(for d in $(vm_dir_of "$BPID"); do lat_count "$d" wakeup_to_delivery; done | sort -n | tr '\n' ' ')
	PERVM_wakeup_to_delivery=$vals
	echo "wakeup_to_delivery=$(echo $vals | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')"
}
irqpath_latency_stop() { echo 0 >$D/latency; tracer_unload; }

# chroot execs env execs bpftrace: $! is bpftrace itself. A background job
# of a script ignores SIGINT, so bpftrace is stopped with SIGTERM (it prints
# its maps on either).
bpftrace_start() {
	[ -x $HOSTROOT/usr/bin/bpftrace ] || { log "no bpftrace in the host's root"; return 1; }
	chroot $HOSTROOT /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 bpftrace -e "$BT_PROG" >/tmp/bt.out 2>&1 3>&- &
	BTPID=$!
	# attached = its three kprobes are registered (BEGIN may fire before)
	wait_for 1200 kp_three && return 0
	log "bpftrace did not attach: $(cat /tmp/bt.out)"
	log "kprobes: $(cat $KPLIST)"
	log "ps: $(ps | grep -v grep | grep bpftrace)"
	bpftrace_end
	return 1
}
# A signal that lands just before bpftrace blocks in epoll_wait (no timeout)
# is only seen at the next one (once in about 50 runs): repeat it.
# (notes go to stderr: bpftrace_hits' stdout is the hit counts)
bpftrace_end() {
	tries=60
	while [ $tries -gt 0 ]; do
		kill -TERM $BTPID 2>/dev/null
		wait_for 10 not_running $BTPID && { wait $BTPID; return; }
		tries=$((tries - 1))
	done
	{
		log "bpftrace: no exit after 60 SIGTERMs, killed;" \
			"$(grep State /proc/$BTPID/status) wchan $(cat /proc/$BTPID/wchan)"
		log "bpftrace: stack: $(cat /proc/$BTPID/stack | tr '\n' ' ')"
		log "bpftrace: output: $(cat /tmp/bt.out)"
	} >&2
	kill -9 $BTPID
	wait $BTPID
}
# Maps print when bpftrace exits: stop it here, while the VMs still exist.
bpftrace_hits() {
	bpftrace_end
	for f in $FNS; do
		vals=$(grep "^@$f\[" /tmp/bt.out | awk '{ print $NF }' | sort -n | tr '\n' ' ')
		eval "PERVM_$f=\"\$vals\""
		echo "$f=$(echo $vals | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')"
	done
}
bpftrace_stop() { wait_for 100 kp_none; }

tracefs_events() {
	echo 0 >$T/tracing_on && echo >$T/trace &&
	echo 'p:bench_irqfd_wakeup kvm:irqfd_wakeup' >>$T/kprobe_events &&
	echo 'p:bench_kvm_arch_set_irq_inatomic kvm:kvm_arch_set_irq_inatomic' >>$T/kprobe_events &&
	echo 'p:bench_svm_complete_interrupt_delivery kvm_amd:svm_complete_interrupt_delivery' >>$T/kprobe_events
}
tracefs_start() {
	tracefs_events && echo 1 >$T/events/kprobes/enable && echo 1 >$T/tracing_on
}
# kprobe_profile: "<event> <handler runs> <missed>": a miss is no hit.
tracefs_hits() {
	for f in $FNS; do
		echo "$f=$(awk -v e=bench_$f '$1 == e { print $2 }' $T/kprobe_profile)"
	done
}
tracefs_stop() {
	echo 0 >$T/events/kprobes/enable
	for f in $FNS; do echo "-:bench_$f" >>$T/kprobe_events; done
	echo >$T/trace
	kp_none
}

# tracefs_count: the same events behind a filter no record passes: each hit
# still runs the kprobe and the filter, but nothing stays in the ring buffer.
tracefs_count_start() {
	tracefs_events || return 1
	for f in $FNS; do
		echo 'common_pid < 0' >$T/events/kprobes/bench_$f/filter || return 1
	done
	echo 1 >$T/events/kprobes/enable && echo 1 >$T/tracing_on
}
tracefs_count_hits() { tracefs_hits; }
ring_records() { grep -c '^[^#]' $T/trace; }
tracefs_count_stop() {
	check "tracefs_count: the filter kept the ring buffer empty" \
		eval '[ "$(ring_records)" = 0 ]'
	tracefs_stop
}

floor_start() { insmod $FLOOR; }
floor_hits() { awk '{ print $1 "=" $2 }' /sys/kernel/debug/irqpath_floor/hits; }
floor_stop() { rmmod irqpath_floor; }

# ftrace_floor: the same module with two bare ftrace callbacks where
# kvm_irqpath hangs its two: kvm_irqpath's cost less its bodies' cost.
ftrace_floor_start() { insmod $FLOOR ftrace=1; }
ftrace_floor_hits() { floor_hits; }
ftrace_floor_stop() { floor_stop; }

# floor_loads, floor_branches: the ftrace floor, each callback reading 32
# words more (summed; or each tested by a branch): what a body's loads and
# branches cost in this guest.
floor_loads_start() { insmod $FLOOR ftrace=1 work=loads; }
floor_loads_hits() { floor_hits; }
floor_loads_stop() { floor_stop; }
floor_branches_start() { insmod $FLOOR ftrace=1 work=branches; }
floor_branches_hits() { floor_hits; }
floor_branches_stop() { floor_stop; }

# direct_floor: the same two through direct calls, as irqpath_direct takes.
direct_floor_start() { insmod $FLOOR direct=1; }
direct_floor_hits() { floor_hits; }
direct_floor_stop() { floor_stop; }

# ---- one run

# The per-VM (per-irqfd) counts of a tracer must be the per-VM (per-irqfd)
# writes, compared as sorted lists: the VMs' order differs.
pervm_ok() {
	eval "got=\$PERVM_$1"
	[ -z "$got" ] && return 0	# this tracer has no per-VM view of $1
	[ "$(echo $got)" = "$(echo $2)" ] && return 0
	log "$3: per-VM $1: got '$(echo $got)', want '$(echo $2)'"
	return 1
}

# hits_ok <config> <writes> <fn=hits ...>: every counted hook saw each write once.
hits_ok() {
	c=$1 want=$2
	shift 2
	[ "$c" = none ] && return 0
	[ $# -gt 0 ] || { log "$c: no hit counts"; return 1; }
	bad=0
	for kv in "$@"; do
		[ "${kv#*=}" = "$want" ] || { log "$c: ${kv%%=*} hits ${kv#*=}, writes $want"; bad=1; }
		# bpftrace keys irqfd_wakeup by its wait entry: one per irqfd
		w=$VMW
		[ "${kv%%=*}" = irqfd_wakeup ] && w=$IRQFDW
		pervm_ok "${kv%%=*}" "$w" "$c" || bad=1
	done
	[ $bad = 0 ]
}

# ---- workloads: load_<w>_start runs it (the tracer is attached) and sets
# LINE "<w> writes=N secs=S rate=R vm_writes=... irqfd_writes=..." and BPID
# (the VMM's pid); load_<w>_end tears the VMs down and sets LRC.

# irqfd: irqbench, VMS x GSIS MSI irqfds written round-robin for SECS s.
load_irqfd_start() {
	# no stale result line: the child truncates its output only once it runs
	rm -f /tmp/bench.in /tmp/bench.out
	mkfifo /tmp/bench.in
	irqbench -v "$VMS" -g "$GSIS" -t "$SECS" -w </tmp/bench.in >/tmp/bench.out 2>&1 &
	BPID=$!
	exec 3>/tmp/bench.in
	wait_for $(( (${SECS%.*} + 120) * 10 )) grep -q '^irqbench ' /tmp/bench.out
	LINE=$(sed -n 's/^irqbench /irqfd /p' /tmp/bench.out)
	[ -n "$LINE" ] || log "irqbench: $(cat /tmp/bench.out)"
}
load_irqfd_end() {
	exec 3>&-
	wait $BPID
	LRC=$?
}

# edu: VFIO MSIs of QEMU's edu device on the irqfd of one VM (edufire), raised
# one at a time (each waited for), in chunks of EDU_CHUNK until SECS s passed.
uptime_cs() { awk '{ sub(/\./, "", $1); print $1 + 0 }' /proc/uptime; }
load_edu_start() {
	LINE=
	rm -f /tmp/edu.in /tmp/edu.out
	mkfifo /tmp/edu.in /tmp/edu.out
	edufire </tmp/edu.in >/tmp/edu.out 2>&1 3>&- &
	BPID=$!
	exec 5>/tmp/edu.in 6</tmp/edu.out
	read -r ans <&6
	case $ans in READY*) ;; *) log "edufire: $ans"; return 1 ;; esac
	echo "irqfd on" >&5
	read -r ans <&6
	[ "$ans" = "DONE irqfd on" ] || { log "edufire: $ans"; return 1; }
	sent=0
	e_t0=$(uptime_cs)
	e_t1=$((e_t0 + $(echo "$SECS" | awk '{ printf "%d", $1 * 100 }')))
	while :; do
		echo "raise $EDU_CHUNK" >&5
		read -r ans <&6
		[ "$ans" = "DONE raise $EDU_CHUNK read=0" ] || { log "edufire: $ans"; return 1; }
		sent=$((sent + EDU_CHUNK))
		now=$(uptime_cs)
		[ "$now" -ge "$e_t1" ] && break
	done
	LINE=$(echo "$sent $((now - e_t0))" | awk '{ printf "edu writes=%d secs=%.2f rate=%.0f vm_writes=%d irqfd_writes=%d", $1, $2 / 100, $2 ? $1 * 100 / $2 : 0, $1, $1 }')
}
load_edu_end() {
	exec 5>&- 6<&-
	wait $BPID
	LRC=$?
}

# run_one <workload> <rep> <config>
run_one() {
	wl=$1 r=$2 c=$3
	for f in $FNS irqfd_wakeups irqfd_fast vcpu_deliveries wakeup_to_delivery; do eval "PERVM_$f="; done
	check "$wl rep $r $c: nothing probed before" kp_none
	if ! ${c}_start; then
		check "$wl rep $r $c: tracer starts" false
		return
	fi
	load_${wl}_start
	# not in a pipe: _hits sets PERVM_* and waits for bpftrace
	${c}_hits >/tmp/bench.hits
	hits=$(tr '\n' ' ' </tmp/bench.hits)
	load_${wl}_end
	${c}_stop || log "$c: stop failed"
	check "$wl rep $r $c: workload ran (rc $LRC)" eval '[ $LRC = 0 ] && [ -n "$LINE" ]'
	[ -n "$LINE" ] || return
	writes=$(echo "$LINE" | sed 's/.* writes=\([0-9]*\).*/\1/')
	rate=$(echo "$LINE" | sed 's/.* rate=\([0-9]*\).*/\1/')
	secs=$(echo "$LINE" | sed 's/.* secs=\([0-9.]*\).*/\1/')
	VMW=$(echo "$LINE" | sed 's/.* vm_writes=\([0-9,]*\).*/\1/' | tr , '\n' | sort -n | tr '\n' ' ')
	IRQFDW=$(echo "$LINE" | sed 's/.* irqfd_writes=\([0-9,]*\).*/\1/' | tr , '\n' | sort -n | tr '\n' ' ')
	echo "BENCH load=$wl rep=$r config=$c writes=$writes secs=$secs rate=$rate $hits"
	check "$wl rep $r $c: rate $rate > 0" [ "$rate" -gt 0 ]
	check "$wl rep $r $c: hits == writes${hits:+ ($hits)}" hits_ok "$c" "$writes" $hits
}

modprobe kvm_amd || log "modprobe kvm_amd failed"
case " $LOADS " in
*" edu "*) modprobe vfio_pci && modprobe vfio_iommu_type1 || log "modprobe vfio failed" ;;
esac
case " $CONFIGS " in
*" bpftrace "*)
	hostroot_mount &&
	mount -t tracefs tracefs $HOSTROOT/sys/kernel/tracing &&
	mount -t bpf bpf $HOSTROOT/sys/fs/bpf || log "hostroot for bpftrace failed"
	;;
esac
log "bench: $REPS reps x $SECS s, irqfd: $VMS VMs x $GSIS GSIs, edu: MSIs in chunks of $EDU_CHUNK"
log "bench: workloads: $LOADS; configs: $CONFIGS; $(grep -c ^processor /proc/cpuinfo) CPUs, kernel $(uname -r)"

# warm-up, not reported
irqbench -v "$VMS" -g "$GSIS" -t 0.5 >/dev/null

# lib.sh's helpers use short global names (n, i, k, ...): ours are longer.
set -- $CONFIGS
nconf=$#
t0=$(date +%s)
for load in $LOADS; do
	rep=1
	while [ $rep -le "$REPS" ]; do
		ci=0
		while [ $ci -lt $nconf ]; do
			eval "conf=\${$(((rep - 1 + ci) % nconf + 1))}"
			run_one $load $rep "$conf"
			ci=$((ci + 1))
		done
		rep=$((rep + 1))
	done
done
log "bench: all runs $(($(date +%s) - t0)) s"
echo "# bench: $NCHECK checks, $NFAIL failed"
[ "$NFAIL" = 0 ]
