# SPDX-License-Identifier: GPL-2.0
# Stress and fault tests of kvm_irqpath, run by stress-run.sh in the QEMU
# guest after lib.sh and the e2e files. Each test is a function
# t_stress_<name>; every assertion is a `check` line.
#
# Sizes: STRESS_SCALE=ci (default: the whole file in about 3 minutes of TCG
# guest time) or full (the sizes of the reliability issue). Any size below
# can be set on its own before this file is sourced.

STRESS_SCALE=${STRESS_SCALE:-ci}
case $STRESS_SCALE in
full)
	: "${STRESS_INSMOD_CYCLES:=50}"	# 1. tracer rmmod/insmod under a storm
	: "${STRESS_KVM_CYCLES:=10}"	# 2. kvm_amd, kvm, vfio_pci reloads
	: "${STRESS_RACE_ROUNDS:=30}"	# 2b. tracer and kvm unloading at once
	: "${STRESS_VMS:=1000}"		# 3. VMs created and destroyed
	: "${STRESS_READ_SECS:=120}"	# 4. readers against reset writers
	: "${STRESS_CTL_WRITES:=1000}"	# 5. malformed control writes
	: "${STRESS_EXACT_FIRE:=20000}"	# 7. eventfd writes per MSI VM
	: "${STRESS_EXACT_EDU:=200}"	# 7. edu MSIs
	;;
*)
	: "${STRESS_INSMOD_CYCLES:=5}"
	: "${STRESS_KVM_CYCLES:=2}"
	: "${STRESS_RACE_ROUNDS:=5}"
	: "${STRESS_VMS:=200}"
	: "${STRESS_READ_SECS:=20}"
	: "${STRESS_CTL_WRITES:=200}"
	: "${STRESS_EXACT_FIRE:=2000}"
	: "${STRESS_EXACT_EDU:=30}"
	;;
esac
: "${STRESS_VMS_PER_PROC:=8}"	# 3. VMs per one-shot vmfire
: "${STRESS_VM_PAR:=4}"		# 3. vmfire processes at a time
: "${STRESS_READERS:=4}"	# 4.
: "${STRESS_WRITERS:=2}"	# 4.
: "${STRESS_SEED:=$$}"		# 5. ctlwrite's random seed

# The order they run in; stress-run.sh runs them all (or STRESS_ONLY).
STRESS_TESTS="ctl_writes readers_vs_reset exact_under_load vm_churn nonroot \
	insmod_cycles lazy_many kvm_modules_cycles unload_race"

ST=/tmp/stress
ST_STOP=$ST/stop
ST_GEN=$ST/gen
ST_AWK=$ST/check.awk
mkdir -p $ST

has_vfio() { [ -e /sys/bus/pci/drivers/vfio-pci ]; }

# Background loops keep only the fds they use: a VMM sees EOF on its
# command fifo only when every writer has closed it.
# st_bg <cmd...>: runs it in the background, pid in BGPID.
st_bg() {
	"$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- &
	BGPID=$!
}

# st_stop_bg <pid...>: touch the stop file and reap the loops.
st_stop_bg() {
	touch $ST_STOP
	for _p in "$@"; do
		wait_for 600 not_running "$_p" || { log "loop $_p did not stop, killed"; kill -9 "$_p"; }
		wait "$_p" 2>/dev/null
	done
	rm -f $ST_STOP
}

# The loop commands of vmfire end when any line arrives: "fire 1" does it,
# and its answer is the last line vm_wait checks.
loop_stop() {
	vm_send "$1" "fire 1"
	vm_wait "$1"
}

# vm_dirs_of <pid>: every VM directory of a VMM, in creation order.
vm_dirs_of() { vm_dir_of "$1" | sort -t- -k2 -n; }
has_n_vms() { [ "$(vm_dir_of "$1" | wc -l)" = "$2" ]; }

# mem <key>: a line of the `memory` file.
mem() { awk -v k="$1" '$1 == k { print $2 }' "$D/memory"; }
mem_line() { awk '{ printf "%s=%s ", $1, $2 }' "$D/memory"; }
vms_empty() { [ -z "$(ls "$D/vms")" ]; }

# The n of a fresh VM's name <pid>-<n>: the module's VM sequence number.
vm_seq_now() {
	vm_start 8 || return 1
	wait_vm "$(vm_pid 8)"
	_x=$(vm_dir_of "$(vm_pid 8)")
	vm_stop 8
	echo "${_x#*-}"
}

# An edufire on fd 5 with its eventfd as an irqfd of its VM: EDU=<dir>.
edu_start() {
	has_vfio || return 1
	co_start 5 edufire || return 1
	wait_vm "$(vm_pid 5)" || return 1
	EDU=$(vm_dir_of "$(vm_pid 5)")
	vm_cmd 5 "irqfd on"
}

# Background edu loop: "raise 10" until the stop file appears. It owns fd 5
# meanwhile; its line count comes back in $ST/edu.lines, errors in
# $ST/edu.err.
edu_loop() {
	: >$ST/edu.err
	while [ ! -e $ST_STOP ]; do
		vm_cmd 5 "raise 10" || echo "raise: $(tail -1 /tmp/vm5.out)" >>$ST/edu.err
	done
	echo "$VMLINES5" >$ST/edu.lines
}
edu_loop_start() {
	edu_loop 3>&- 4>&- 6>&- 7>&- 8>&- &
	EDULOOP=$!
}
edu_loop_stop() {
	st_stop_bg "$EDULOOP"
	VMLINES5=$(cat $ST/edu.lines)
	check "$1: edu MSIs raised without error" eq err "$(head -3 $ST/edu.err)" ""
}

# ---------------------------------------------------------------------------
# 5. Malformed control writes: EINVAL, and nothing changes.

# ctl <spec...>: ctlwrite's answers, one line each, joined by "|".
ctl() { ctlwrite -- "$D/reset" "$@" | tr '\n' '|'; }

t_stress_ctl_writes() {
	vm_start 3 || { check "ctl: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 100"
	vm_cmd 3 "msi 10"
	before=$(stats_line "$A")
	hits=$(probe_hits irqfd_wakeup)
	for spec in @empty @huge:4096 @huge:1048576 '\x00' '1\x00' '\xff\xfe' '1\n\n' \
		'1x' '1\nx' '-1' '-1\n' '-0' '0' '2' '11' '+1' '0x1' ' 1' '1 ' '1\r\n' '\n'; do
		check "ctl: '$spec' refused with EINVAL" eq "$spec" "$(ctl "$spec")" "err EINVAL 22 write|"
	done
	out=$(ctlwrite -r "$STRESS_CTL_WRITES" -s "$STRESS_SEED" "$D/reset")
	rc=$?
	echo "$out" | grep '^unexpected' | head -5 | while read -r l; do log "$l"; done
	check "ctl: $STRESS_CTL_WRITES random malformed writes (seed $STRESS_SEED) all EINVAL" \
		eq random "$rc $(echo "$out" | tail -1)" \
		"0 DONE random $STRESS_CTL_WRITES einval=$STRESS_CTL_WRITES ok=0 other=0"
	check "ctl: refused writes changed no counter" eq stats "$(stats_line "$A")" "$before"
	check "ctl: nor the probe hits" eq hits "$(probe_hits irqfd_wakeup)" "$hits"

	# Writes to the read-only files fail (root opens them) and change nothing.
	ro=0
	for f in $(find "$D" -type f ! -name reset); do
		r=$(ctlwrite "$f" 1)
		case $r in err*) ;; *) ro=$((ro + 1)); log "write to $f: $r" ;; esac
	done
	check "ctl: every read-only file refuses a write" eq ro "$ro" 0
	check "ctl: still nothing changed" eq stats "$(stats_line "$A")" "$before"

	check "ctl: '1' accepted, one write of 1 byte" eq one "$(ctl 1)" "ok 1|"
	check "ctl: counters zero" eq stats "$(nonzero "$A")" ""
	vm_cmd 3 "fire 9"
	check "ctl: '1\\n' accepted, one write of 2 bytes" eq one "$(ctl '1\n')" "ok 2|"
	check "ctl: counters zero again" eq stats "$(nonzero "$A")" ""
	vm_cmd 3 "fire 3"
	check "ctl: then counting from zero" eq wakeups "$(stat "$A" irqfd_wakeups)" 3
	vm_stop 3
}

# ---------------------------------------------------------------------------
# 4. Readers against reset writers during an irqfd storm.
#
# Writer w keeps a generation in $ST_GEN.w: odd while its reset write runs,
# even otherwise, published with rename. A reader takes the generations
# before and after each read; a read is "stable" when both are equal and
# even, and two stable reads of one file with the same generations had no
# reset between them: every count must then be >= the one before.

st_write_awk() {
	cat >$ST_AWK <<'AWK'
# -v f=<file> cmp=<0|1> prevf=<previous normalized read> errf=<append errors>
# Input: the file's text. Output: "key value" of its monotonic counts.
function bad(why) { printf "TORN %s: %s: '%s'\n", f, why, $0 >> errf; nbad++ }
function emit(k, v) {
	print k, v
	if (cmp && (k in prev) && v + 0 < prev[k] + 0)
		printf "BACKWARDS %s: %s %s -> %s\n", f, k, prev[k], v >> errf
}
BEGIN {
	n = split(f, p, "/"); kind = p[n]
	if (cmp) while ((getline l < prevf) > 0) { split(l, a, " "); prev[a[1]] = a[2] }
	lines = 0; sect = 0; rows = 0; verdicts = 0
}
{ lines++ }
kind == "stats" {
	if ($0 !~ /^[a-z_]+ [0-9]+$/) bad("not <key> <n>")
	else if ($1 != "producers_active") emit($1, $2)
	next
}
kind == "unattributed" {
	if ($0 !~ /^[a-z_0-9]+ [0-9]+$/) bad("not <key> <n>"); else emit($1, $2)
	next
}
kind == "memory" {
	if ($0 !~ /^(vms|spares|eventfds|bytes|vm_bytes|vm_cpu_bytes|gsi_cpu_bytes|cpus) [0-9]+$/)
		bad("not a memory line")
	next
}
kind == "probes" {
	if ($0 !~ /^[a-z_]+ [^ ]+ (attached [0-9]+ (direct|ftrace|kretprobe|tracepoint)|(missing|gone) [0-9]+ -)$/)
		bad("not a probe line")
	else emit($1, $4)
	next
}
kind == "gsi" {
	if (lines == 1) { if ($0 != "gsi wakeups fast deferred injects") bad("header"); next }
	if ($0 !~ /^([0-9]+|other) [0-9]+ [0-9]+ [0-9]+ [0-9]+$/) bad("not a gsi row")
	else for (i = 2; i <= 5; i++) emit("g" $1 "." i, $i)
	next
}
kind == "vcpus" {
	if (lines == 1) { if ($0 != "vcpu deliveries") bad("header"); next }
	if ($0 !~ /^([0-9]+|other) [0-9]+$/) bad("not a vcpu row"); else emit("v" $1, $2)
	next
}
kind == "producers" {
	if (lines == 1) { if ($0 != "irq gsi mode updates") bad("header"); next }
	if ($0 !~ /^-?[0-9]+ [0-9]+ (connected|posted|remapped) [0-9]+$/) bad("not a producer row")
	next
}
kind == "info" {
	if ($0 !~ /^(name|pid|comm|kvm|found) [^ ]+$/) bad("not an info line")
	next
}
kind == "pi_ipis" {
	if (lines == 1) { if ($0 != "cpu PIN NPI PIW PMN") bad("header"); next }
	if ($0 !~ /^([0-9]+|total) [0-9]+ [0-9]+ [0-9]+ ([0-9]+|-)$/) bad("not a pi_ipis row")
	else for (i = 2; i <= 4; i++) emit($1 "." i, $i)
	next
}
# Several summaries may follow each other (cat summary summary ...): each
# begins with its header line.
function summary_end() {
	if (!docs) return
	if (!sect) { $0 = ""; bad("no verdict section") }
	for (v in row) { $0 = v; bad("row without a verdict") }
	split("", row); sect = 0
}
kind == "summary" {
	if ($1 == "vm" && $2 == "pid") {
		if (NF != 12) bad("header")
		summary_end(); docs++
		next
	}
	if (!docs) { bad("no header"); next }
	if ($0 == "") { if (sect) bad("second blank line"); sect = 1; next }
	if (!sect) {
		rows++
		if (NF != 12) { bad(NF " fields"); next }
		for (i = 4; i <= 11; i++) if ($i !~ /^[0-9]+$/) { bad("field " i); next }
		if ($12 !~ /^[0-9]+\/[0-9]+$/) { bad("posted"); next }
		if ($1 in row) bad("two rows for one VM")
		if ($1 != "unattributed") row[$1] = 1
		for (i = 4; i <= 11; i++) emit($1 "." i, $i)
		next
	}
	if ($0 !~ /^[^ ]+: [^ ]/) { bad("not a verdict"); next }
	verdicts++
	v = $1; sub(/:$/, "", v)
	if (!(v in row)) bad("verdict for a VM without a row")
	else delete row[v]
	next
}
{ bad("unknown file") }
END {
	want = kind == "stats" ? 14 : kind == "memory" ? 8 : kind == "info" ? 5 : kind == "probes" ? 17 : 0
	if (want && lines != want) { $0 = lines " lines"; bad("want " want " lines") }
	if (kind == "summary") {
		if (!docs) { $0 = ""; bad("empty") }
		summary_end()
	}
	if (docs) print "docs", docs >> errf ".docs"
}
AWK
}

# The generations of every writer, in G; false when one is not even.
st_gens() {
	G=
	_odd=0
	_w=1
	while [ $_w -le "$STRESS_WRITERS" ]; do
		read -r _g <$ST_GEN.$_w || _g=x
		case $_g in '' | *[!0-9]*) _odd=1 ;; *) [ $((_g % 2)) = 0 ] || _odd=1 ;; esac
		G="$G$_g:"
		_w=$((_w + 1))
	done
	[ $_odd = 0 ]
}

st_publish_gen() {
	echo "$2" >$ST_GEN.$1.tmp
	mv $ST_GEN.$1.tmp $ST_GEN.$1
}

# Until every comparing reader (2..) has read 8 more times since the call,
# or the test stops: on a slow (debug) kernel the resets wait for the
# readers, so that pairs of reads still fall between two resets.
st_wait_readers() {
	_r=2
	while [ $_r -le "$STRESS_READERS" ]; do
		eval "_p0_$_r=\$(cat $ST/rd$_r/progress 2>/dev/null || echo 0)"
		_r=$((_r + 1))
	done
	while [ ! -e $ST_STOP ]; do
		_behind=0 _r=2
		while [ $_r -le "$STRESS_READERS" ]; do
			eval "_p0=\$_p0_$_r"
			_p=$(cat $ST/rd$_r/progress 2>/dev/null || echo 0)
			[ "$_p" -ge $((_p0 + 8)) ] || [ -e $ST/rd$_r/done ] || _behind=1
			_r=$((_r + 1))
		done
		[ $_behind = 0 ] && return
		sleep 0.1
	done
}

st_writer() {
	_g=0 _n=0 _fail=0
	while [ ! -e $ST_STOP ]; do
		_g=$((_g + 1))
		st_publish_gen "$1" $_g
		echo 1 >$D/reset || _fail=$((_fail + 1))
		_g=$((_g + 1))
		st_publish_gen "$1" $_g
		_n=$((_n + 1))
		st_wait_readers
		# 0.2 to 1.5 s more: a read pair is often between two resets
		sleep "$((RANDOM % 2)).$((RANDOM % 6 + 2))"
	done
	echo "$_n $_fail" >$ST/writer.$1
}

# st_read_one <i> <file>: one read of file number i, checked, and compared
# with the last stable read of it when no reset came in between.
st_read_one() {
	st_gens
	_ok=$?
	_ga=$G
	if ! cat "$2" >"$_dir/cur" 2>"$_dir/err"; then
		echo "READERR $2: $(cat "$_dir/err")" >>"$_dir/fail"
		return
	fi
	_reads=$((_reads + 1))
	st_gens || _ok=1
	[ "$_ga" = "$G" ] || _ok=1
	_cmp=0
	eval "_pg=\${pg_$1:-} _ps=\${ps_$1:-a}"
	[ $_ok = 0 ] && [ "$_pg" = "$G" ] && _cmp=1
	# Two files per i, used in turn: no mv per read.
	if [ "$_ps" = a ]; then _ns=b; else _ns=a; fi
	awk -v f="$2" -v cmp=$_cmp -v prevf="$_dir/p$1$_ps" -v errf="$_dir/fail" \
		-f $ST_AWK "$_dir/cur" >"$_dir/p$1$_ns"
	[ $_ok = 0 ] && eval "pg_$1=\$G ps_$1=$_ns"
	_cmps=$((_cmps + _cmp))
}

# st_summary_hammer <id> <seconds>: 50 summaries per cat, one awk to check
# them: VMs come and go between the two passes of the summary's show.
st_summary_hammer() {
	_dir=$ST/rd$1
	rm -rf "$_dir"
	mkdir -p "$_dir"
	: >"$_dir/fail"
	_end=$(($(date +%s) + $2))
	_many=
	for _k in $(seq 50); do _many="$_many $D/summary"; done
	while [ "$(date +%s)" -lt $_end ]; do
		# shellcheck disable=SC2086
		cat $_many 2>>"$_dir/fail" | awk -v f=$D/summary -v cmp=0 -v prevf=/dev/null \
			-v errf="$_dir/fail" -f $ST_AWK >/dev/null
	done
	echo "$(awk '{ n += $2 } END { print n + 0 }' "$_dir/fail.docs" 2>/dev/null) 0" >$ST/reader.$1
}

# st_reader <id> <seconds> <file...>: reads every file twice in a row, round
# after round; $ST/reader.<id> = "<reads> <compared>", failures in
# $ST/rd<id>/fail.
st_reader() {
	_id=$1
	_end=$(($(date +%s) + $2))
	shift 2
	_dir=$ST/rd$_id
	rm -rf "$_dir"
	mkdir -p "$_dir"
	: >"$_dir/fail"
	_reads=0 _cmps=0
	while [ "$(date +%s)" -lt $_end ]; do
		_i=0
		for _f in "$@"; do
			_i=$((_i + 1))
			st_read_one $_i "$_f"
			st_read_one $_i "$_f"
			echo $_reads >"$_dir/progress"
		done
	done
	: >"$_dir/done"
	echo "$_reads $_cmps" >$ST/reader.$_id
}

# The checker must be able to fail: a count going down, a torn line.
st_awk_catches() {
	printf 'irqfd_wakeups 10\n' >$ST/self.prev
	: >$ST/self.err
	printf 'irqfd_wakeups 9\n' | awk -v f=x/stats -v cmp=1 -v prevf=$ST/self.prev \
		-v errf=$ST/self.err -f $ST_AWK >/dev/null
	printf 'irqfd_wakeups 1x\n' | awk -v f=x/stats -v cmp=0 -v prevf=$ST/self.prev \
		-v errf=$ST/self.err -f $ST_AWK >/dev/null
	printf 'vm pid comm a b c d e f g h posted\nx 1 c 1 2 3 4 5 6 7\n\n' |
		awk -v f=x/summary -v cmp=0 -v prevf=/dev/null -v errf=$ST/self.err -f $ST_AWK >/dev/null
	printf 'vm pid comm a b c d e f g h posted\nx 1 c 1 2 3 4 5 6 7 8 0/0\n\nx: v\ny: v\n' |
		awk -v f=x/summary -v cmp=0 -v prevf=/dev/null -v errf=$ST/self.err -f $ST_AWK >/dev/null
	grep -q '^BACKWARDS x/stats: irqfd_wakeups 10 -> 9' $ST/self.err &&
		grep -q "^TORN x/summary: verdict for a VM without a row: 'y: v'" $ST/self.err &&
		grep -q "^TORN x/stats: not <key> <n>: 'irqfd_wakeups 1x'" $ST/self.err &&
		grep -q '^TORN x/summary: 10 fields' $ST/self.err
}

# VMs come and go meanwhile, from a VMM whose name has a space in it (a
# comm is any 15 bytes): the summary must stay one row per VM, 12 fields.
ST_ODD_VMM="$ST/vm fire"
churn_loop() {
	_n=0
	while [ ! -e $ST_STOP ]; do
		"$ST_ODD_VMM" -v 4 -n 2 >/dev/null 2>&1 || echo "vmfire -v 4 -n 2 failed" >>$ST/churn.err
		_n=$((_n + 1))
	done
	echo $_n >$ST/churn.count.$1
}

t_stress_readers_vs_reset() {
	st_write_awk
	check "readers: the checker catches a decrease and torn lines" st_awk_catches
	rm -f $ST_STOP $ST/churn.err
	vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 ||
		{ check "readers: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
	A=$(vm_dir_of "$(vm_pid 3)")
	B=$(vm_dir_of "$(vm_pid 4)")
	files="$D/summary $D/probes $D/unattributed $D/pi_ipis $D/memory"
	for X in $A $B; do
		for k in stats gsi vcpus producers info; do files="$files $D/vms/$X/$k"; done
	done
	edu=
	if edu_start; then
		edu=1
		for k in stats gsi vcpus producers info; do files="$files $D/vms/$EDU/$k"; done
	fi
	w=1
	while [ $w -le "$STRESS_WRITERS" ]; do
		st_publish_gen $w 0
		w=$((w + 1))
	done

	vm_send 3 "loop"
	vm_send 4 "loop"
	[ -n "$edu" ] && edu_loop_start
	cp "$(command -v vmfire)" "$ST_ODD_VMM"
	st_bg churn_loop 1
	pids=$BGPID
	st_bg churn_loop 2
	pids="$pids $BGPID"
	w=1
	while [ $w -le "$STRESS_WRITERS" ]; do
		st_bg st_writer $w
		pids="$pids $BGPID"
		w=$((w + 1))
	done
	# Reader 1 reads only the summary, where VMs come and go.
	st_bg st_summary_hammer 1 "$STRESS_READ_SECS"
	rpids=$BGPID
	r=2
	while [ $r -le "$STRESS_READERS" ]; do
		# shellcheck disable=SC2086
		st_bg st_reader $r "$STRESS_READ_SECS" $files
		rpids="$rpids $BGPID"
		r=$((r + 1))
	done
	for p in $rpids; do wait "$p"; done
	st_stop_bg $pids
	[ -n "$edu" ] && edu_loop_stop readers
	check "readers: irqfd loop A ends" loop_stop 3
	check "readers: irqfd loop B ends" loop_stop 4

	reads=0 cmps=0 fails=
	r=1
	while [ $r -le "$STRESS_READERS" ]; do
		set -- $(cat $ST/reader.$r 2>/dev/null || echo 0 0)
		reads=$((reads + $1))
		cmps=$((cmps + $2))
		[ -s $ST/rd$r/fail ] && fails="$fails$(head -5 $ST/rd$r/fail)
"
		log "reader $r: $(cat $ST/reader.$r) reads/compared, $(wc -l <$ST/rd$r/fail) failures"
		awk -F': ' '{ sub(/.*\//, "", $1); print $1 ": " $2 }' $ST/rd$r/fail | sort | uniq -c |
			while read -r l; do log "  $l"; done
		r=$((r + 1))
	done
	resets=0 rfail=0
	w=1
	while [ $w -le "$STRESS_WRITERS" ]; do
		set -- $(cat $ST/writer.$w 2>/dev/null || echo 0 1)
		resets=$((resets + $1))
		rfail=$((rfail + $2))
		w=$((w + 1))
	done
	log "readers: $reads reads, $cmps compared with the read before, $resets resets, $(cat $ST/churn.count.1) + $(cat $ST/churn.count.2) churn rounds"
	check "readers: no read error, torn line or count going back" eq fails "$fails" ""
	check "readers: read every file many times" test "$reads" -ge $((STRESS_READERS * 20))
	check "readers: many reads compared (no reset between)" test "$cmps" -ge $((STRESS_READERS * 5))
	check "readers: resets happened ($resets), all accepted" eq rfail "$rfail" 0
	check "readers: at least one reset per writer" test "$resets" -ge "$STRESS_WRITERS"
	check "readers: churn VMs all ran" test ! -s $ST/churn.err
	[ -n "$edu" ] && vm_stop 5
	vm_stop 3
	vm_stop 4
}

# ---------------------------------------------------------------------------
# 7. Exact counts with several VMMs firing at once, edu MSIs meanwhile.

# vals <dir> <keys...>: the values joined by spaces.
vals() {
	_x=$1
	shift
	_s=
	for _k in "$@"; do _s="$_s$(stat "$_x" "$_k") "; done
	echo "${_s% }"
}

t_stress_exact_under_load() {
	F=$STRESS_EXACT_FIRE
	F2=$((F / 8))
	M=$((F / 4))
	echo 1 >$D/reset
	vm_start 3 -v 2 -r msi -g 24 && vm_start 4 -v 2 -r ioapic -g 5 &&
		vm_start 6 -c 2 && vm_start 7 -g 30 ||
		{ check "exact: vmfires start" false; return; }
	for fd in 3 4 6 7; do
		n=1
		[ $fd = 3 ] || [ $fd = 4 ] && n=2
		wait_for 100 has_n_vms "$(vm_pid $fd)" $n
	done
	edu=
	edu_start && edu=1
	pre_unattr="$(unattr irqfd_wakeups) $(unattr vcpu_deliveries) $(unattr msi_injects) $(unattr vfio_msi)"

	vm_send 3 "fire $F"
	vm_send 4 "fire $F2"
	vm_send 6 "msi $M"
	vm_send 7 "fire $F"
	[ -n "$edu" ] && vm_send 5 "raise $STRESS_EXACT_EDU"
	for fd in 3 4 6 7; do check "exact: vm$fd round 1 done" vm_wait $fd; done
	vm_send 3 "msi $M"
	vm_send 7 "msi $M"
	vm_send 6 "msi $M"
	vm_send 4 "fire $F2"
	for fd in 3 4 6 7; do check "exact: vm$fd round 2 done" vm_wait $fd; done
	[ -n "$edu" ] && check "exact: edu MSIs raised" vm_wait 5

	for X in $(vm_dirs_of "$(vm_pid 3)"); do
		check "exact: $X (irqfd MSI + signal MSI) wakeups fast deferred msi deliveries" \
			eq "$X" "$(vals "$X" irqfd_wakeups irqfd_fast irqfd_deferred msi_injects vcpu_deliveries)" \
			"$F $F 0 $M $((F + M))"
		check "exact: $X gsi 24 row" eq gsi "$(gsi_row "$X" 24)" "24 $F $F 0 0"
	done
	for X in $(vm_dirs_of "$(vm_pid 4)"); do
		check "exact: $X (IOAPIC) wakeups deferred fast msi" \
			eq "$X" "$(vals "$X" irqfd_wakeups irqfd_deferred irqfd_fast msi_injects)" \
			"$((2 * F2)) $((2 * F2)) 0 0"
		inj=$(stat "$X" irqfd_injects)
		check "exact: $X injects 1..$((2 * F2)) ($inj)" test "$inj" -ge 1 -a "$inj" -le $((2 * F2))
	done
	X=$(vm_dir_of "$(vm_pid 6)")
	check "exact: $X (signal MSI, 2 vCPUs) msi deliveries irqfd" \
		eq "$X" "$(vals "$X" msi_injects vcpu_deliveries irqfd_wakeups)" "$((2 * M)) $((2 * M)) 0"
	check "exact: $X all on vCPU 0" eq vcpus "$(tail -n +2 "$D/vms/$X/vcpus" | tr '\n' ' ')" "0 $((2 * M)) "
	X=$(vm_dir_of "$(vm_pid 7)")
	check "exact: $X (gsi 30) wakeups fast msi deliveries" \
		eq "$X" "$(vals "$X" irqfd_wakeups irqfd_fast msi_injects vcpu_deliveries)" "$F $F $M $((F + M))"
	check "exact: $X gsi 30 row" eq gsi "$(gsi_row "$X" 30)" "30 $F $F 0 0"
	if [ -n "$edu" ]; then
		E=$STRESS_EXACT_EDU
		check "exact: $EDU (edu on irqfd) vfio_msi irqfd user wakeups fast deliveries" \
			eq "$EDU" "$(vals "$EDU" vfio_msi vfio_msi_irqfd vfio_msi_userspace irqfd_wakeups irqfd_fast vcpu_deliveries)" \
			"$E $E 0 $E $E $E"
	fi
	check "exact: nothing unattributed" eq unattr \
		"$(unattr irqfd_wakeups) $(unattr vcpu_deliveries) $(unattr msi_injects) $(unattr vfio_msi)" "$pre_unattr"
	check "exact: no record allocation failed" eq failed "$(unattr vm_alloc_failed)" 0
	check "exact: no probe hit dropped" eq missed "$(unattr probe_missed)" 0
	[ -n "$edu" ] && vm_stop 5
	for fd in 3 4 6 7; do vm_stop $fd; done
}

# ---------------------------------------------------------------------------
# 3. Many VMs created and destroyed: nothing left behind.

mem_is() { [ "$(mem_line)" = "$1" ]; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# churn_round <n>: n VMs in one-shot vmfires of STRESS_VMS_PER_PROC VMs,
# STRESS_VM_PAR at a time; CHURN_FAILS = the vmfires that failed.
churn_round() {
	_left=$1 CHURN_FAILS=0 _procs=0
	_t=$(date +%s)
	while [ "$_left" -gt 0 ]; do
		_pids=
		_j=0
		while [ $_j -lt "$STRESS_VM_PAR" ] && [ "$_left" -gt 0 ]; do
			_n=$STRESS_VMS_PER_PROC
			[ "$_n" -gt "$_left" ] && _n=$_left
			vmfire -v "$_n" -n 1 >$ST/churn.$_j 2>&1 &
			_pids="$_pids $!"
			_left=$((_left - _n))
			_j=$((_j + 1))
		done
		_j=0
		for _p in $_pids; do
			wait "$_p" && grep -q '^DONE fire 1' $ST/churn.$_j ||
				{ CHURN_FAILS=$((CHURN_FAILS + 1)); log "churn: $(head -2 $ST/churn.$_j)"; }
			_procs=$((_procs + 1))
			_j=$((_j + 1))
		done
	done
	log "churn: $1 VMs in $_procs processes, $(($(date +%s) - _t)) s"
}

# Two rounds of STRESS_VMS / 2: the module's memory must come back to the
# same figures after each; the kernel's Percpu may keep chunks after the
# first round, but a leak would grow it again in the second.
t_stress_vm_churn() {
	half=$((STRESS_VMS / 2))
	check "churn: no VM before" wait_for 100 vms_empty
	check "churn: spares full before" wait_for 100 test "$(mem spares)" = 16
	unattr0=$(unattr irqfd_wakeups)
	seq0=$(vm_seq_now)
	wait_for 100 vms_empty
	wait_for 100 test "$(mem spares)" = 16
	mem0=$(mem_line)
	log "churn: before: $mem0 Percpu $(meminfo Percpu) kB SUnreclaim $(meminfo SUnreclaim) kB"
	for round in 1 2; do
		churn_round $half
		check "churn $round: every vmfire ran" eq fails "$CHURN_FAILS" 0
		check "churn $round: vms/ is empty again" wait_for 300 vms_empty
		check "churn $round: memory back where it started" wait_for 300 mem_is "$mem0"
		eval "pcpu$round=\$(meminfo Percpu)"
		log "churn $round: after: $(mem_line) Percpu $(meminfo Percpu) kB SUnreclaim $(meminfo SUnreclaim) kB"
	done
	# shellcheck disable=SC2154
	check "churn: Percpu not grown in round 2 by more than 32 kB ($pcpu1 -> $pcpu2 kB)" \
		test "$pcpu2" -le $((pcpu1 + 32))
	seq1=$(vm_seq_now)
	check "churn: every VM got a record ($seq0 -> $seq1)" eq seq "$((seq1 - seq0 - 1))" $((2 * half))
	check "churn: no event unattributed" eq unattr "$(unattr irqfd_wakeups)" "$unattr0"
	check "churn: no record allocation failed" eq failed "$(unattr vm_alloc_failed)" 0
	wait_for 100 vms_empty
	check "churn: memory still the same" wait_for 100 mem_is "$mem0"
}

# ---------------------------------------------------------------------------
# 6. A non-root user reads and writes nothing.

ST_USER=stressuser
ST_UID=4242

user_setup() {
	[ -e /etc/passwd ] || echo "root:x:0:0:root:/root:/bin/sh" >/etc/passwd
	[ -e /etc/group ] || echo "root:x:0:" >/etc/group
	grep -q "^$ST_USER:" /etc/passwd ||
		echo "$ST_USER:x:$ST_UID:$ST_UID:stress:/tmp:/bin/sh" >>/etc/passwd
	grep -q "^$ST_USER:" /etc/group || echo "$ST_USER:x:$ST_UID:" >>/etc/group
}

# as_user <shell code>: runs it as the user.
as_user() { su -s /bin/sh "$ST_USER" -c "$1"; }

t_stress_nonroot() {
	user_setup
	check "nonroot: su runs as uid $ST_UID" eq uid "$(as_user 'id -u')" "$ST_UID"
	vm_start 3 || { check "nonroot: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)"
	A=$(vm_dir_of "$(vm_pid 3)")
	vm_cmd 3 "fire 50"
	before=$(stats_line "$A")
	dmode=$(busybox stat -c %a /sys/kernel/debug)
	check "nonroot: debugfs root not reachable as mounted" \
		as_user "! ls $D >/dev/null 2>&1 && ! cat $D/summary >/dev/null 2>&1"
	# Open the debugfs root, as some hosts mount it: the tracer's own modes
	# must still keep the user out.
	chmod 755 /sys/kernel/debug
	files=$(find "$D" -type f)
	# shellcheck disable=SC2016
	as_user 'for f in '"$(echo $files)"'; do
		if cat "$f" >/dev/null 2>&1; then echo "read $f"; fi
		r=$(ctlwrite "$f" 1)
		case $r in "err EACCES"*) ;; *) echo "write $f: $r" ;; esac
	done
	touch '"$D"'/x 2>/dev/null && echo "created '"$D"'/x"
	mkdir '"$D"'/vms/x 2>/dev/null && echo "created '"$D"'/vms/x"
	true' >$ST/user.out 2>&1
	listing=$(as_user "ls $D/vms 2>&1 | head -3")
	chmod "${dmode:-700}" /sys/kernel/debug
	log "nonroot: $(echo $files | wc -w) files tried; vms/ listing as user: '$listing'"
	check "nonroot: no file read or written, nothing created" eq user "$(head -5 $ST/user.out)" ""
	check "nonroot: counters unchanged (no reset)" eq stats "$(stats_line "$A")" "$before"
	check "nonroot: files are 0400, reset 0200" eq modes \
		"$(find "$D" -type f ! -perm 0400 ! -name reset | head -3) $(busybox stat -c %a "$D/reset")" " 200"
	vm_stop 3
}

# ---------------------------------------------------------------------------
# 1. rmmod/insmod of the tracer while two VMs and edufire fire.

tracer_unload_quiet() { rmmod kvm_irqpath 2>/dev/null; }

# st_cycle_hammer <id>: reset and read every top-level file until stopped;
# $ST/hammer.<id> = rounds that read them all (the module was loaded).
st_cycle_hammer() {
	_n=0
	while [ ! -e $ST_STOP ]; do
		echo 1 2>/dev/null >$D/reset
		cat $D/summary $D/probes $D/memory $D/pi_ipis $D/unattributed \
			>/dev/null 2>&1 && _n=$((_n + 1))
	done
	echo $_n >$ST/hammer.$1
}

t_stress_insmod_cycles() {
	rm -f $ST_STOP
	vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 ||
		{ check "cycles: vmfire starts" false; return; }
	a=$(vm_pid 3)
	b=$(vm_pid 4)
	wait_vm "$a" && wait_vm "$b"
	edu=
	edu_start && edu=1
	e=$(vm_pid 5)
	vm_send 3 "loop"
	vm_send 4 "loop"
	[ -n "$edu" ] && edu_loop_start
	check "cycles: A firing" wait_for 100 wakeups_above "$(vm_dir_of "$a")"
	# Readers and reset writers throughout: the files must be safe against
	# a module half set up or half torn down (an oops panics the guest).
	st_bg st_cycle_hammer 1
	h1=$BGPID
	st_bg st_cycle_hammer 2
	h2=$BGPID
	bad=0
	i=0
	while [ $i -lt "$STRESS_INSMOD_CYCLES" ]; do
		i=$((i + 1))
		# a reader holding a file open holds the module: rmmod says EAGAIN
		if ! wait_for 100 tracer_unload_quiet; then
			bad=$((bad + 1)); log "cycle $i: rmmod failed"
		fi
		sleep 0.$((RANDOM % 3))
		if ! tracer_load; then
			bad=$((bad + 1)); log "cycle $i: insmod failed"
		fi
		sleep 0.$((RANDOM % 3 + 1))
	done
	st_stop_bg $h1 $h2
	check "cycles: $STRESS_INSMOD_CYCLES rmmod/insmod under load, all succeeded" eq bad "$bad" 0
	check "cycles: readers and reset writers ran throughout" \
		test "$(cat $ST/hammer.1)" -gt 0 -a "$(cat $ST/hammer.2)" -gt 0
	check "cycles: A found again and counting" wait_for 100 has_one_vm "$a"
	check "cycles: B found again" wait_for 100 has_one_vm "$b"
	check "cycles: A counts" wait_for 100 wakeups_above "$(vm_dir_of "$a")"
	check "cycles: B counts" wait_for 100 wakeups_above "$(vm_dir_of "$b")"
	[ -n "$edu" ] && edu_loop_stop cycles
	check "cycles: loop A ends" loop_stop 3
	check "cycles: loop B ends" loop_stop 4
	A=$(vm_dir_of "$a")
	B=$(vm_dir_of "$b")
	check "cycles: A found on an event" eq found "$(info "$A" found)" event
	# Exact again once the storm is over.
	echo 1 >$D/reset
	vm_cmd 3 "fire 300"
	vm_cmd 4 "fire 40"
	check "cycles: then A exact" eq A "$(vals "$A" irqfd_wakeups irqfd_fast vcpu_deliveries)" "300 300 300"
	check "cycles: then B exact" eq B "$(vals "$B" irqfd_wakeups irqfd_deferred irqfd_fast)" "40 40 0"
	if [ -n "$edu" ]; then
		check "cycles: edu VM found again" wait_for 100 has_one_vm "$e"
		vm_cmd 5 "raise 10"
		EDU=$(vm_dir_of "$e")
		check "cycles: then edu exact" eq E "$(vals "$EDU" vfio_msi vfio_msi_irqfd irqfd_fast)" "10 10 10"
		vm_stop 5
	fi
	vm_stop 3
	vm_stop 4
}

# ---------------------------------------------------------------------------
# 1b. More VMs older than the tracer than it has spare records: events of a
# VM that found no record are unattributed, none is lost.

sum_key() { for _x in $(vm_dir_of "$1"); do stat "$_x" "$2"; done | awk '{ n += $1 } END { print n + 0 }'; }

t_stress_lazy_many() {
	tracer_unload
	vm_start 3 -v 40 || { check "lazy: vmfire -v 40 starts" false; tracer_load; return; }
	p=$(vm_pid 3)
	check "lazy: tracer loads" tracer_load
	vm_cmd 3 "fire 10"
	check "lazy: 400 wakeups, on the VMs or unattributed" eq wakeups \
		"$(($(sum_key "$p" irqfd_wakeups) + $(unattr irqfd_wakeups)))" 400
	check "lazy: 400 fast, on the VMs or unattributed" eq fast \
		"$(($(sum_key "$p" irqfd_fast) + $(unattr irqfd_fast)))" 400
	log "lazy: $(vm_dir_of "$p" | wc -l) VMs found, unattributed $(unattr irqfd_wakeups), alloc failures $(unattr vm_alloc_failed)"
	# Each burst finds at most the spares the work refilled since the last.
	k=0
	while [ $k -lt 10 ] && ! has_n_vms "$p" 40; do
		vm_cmd 3 "fire 1"
		sleep 0.5
		k=$((k + 1))
	done
	check "lazy: every VM found by its later events ($k more bursts)" wait_for 50 has_n_vms "$p" 40
	echo 1 >$D/reset
	vm_cmd 3 "fire 5"
	check "lazy: then exact on every VM" eq wakeups "$(sum_key "$p" irqfd_wakeups) $(unattr irqfd_wakeups)" "200 0"
	vm_stop 3
}

# ---------------------------------------------------------------------------
# 2. kvm_amd, kvm and vfio_pci unload and reload under the tracer.

# One exact round: an MSI VM, an IOAPIC VM and edu MSIs on an irqfd.
traffic_round() {
	vm_start 3 -r msi -g 24 && vm_start 4 -r ioapic -g 5 ||
		{ check "$1: vmfire starts" false; return; }
	wait_vm "$(vm_pid 3)" && wait_vm "$(vm_pid 4)"
	A=$(vm_dir_of "$(vm_pid 3)")
	B=$(vm_dir_of "$(vm_pid 4)")
	edu=
	if has_vfio; then
		if edu_start; then edu=1; else check "$1: edufire starts" false; fi
	fi
	vm_send 3 "fire 500"
	vm_send 4 "fire 60"
	[ -n "$edu" ] && vm_send 5 "raise 10"
	vm_wait 3
	vm_wait 4
	[ -n "$edu" ] && vm_wait 5
	vm_cmd 3 "msi 50"
	check "$1: MSI VM exact" eq A \
		"$(vals "$A" irqfd_wakeups irqfd_fast msi_injects vcpu_deliveries)" "500 500 50 550"
	check "$1: IOAPIC VM exact" eq B "$(vals "$B" irqfd_wakeups irqfd_deferred irqfd_fast)" "60 60 0"
	[ -n "$edu" ] && check "$1: edu VM exact" eq E \
		"$(vals "$EDU" vfio_msi vfio_msi_irqfd irqfd_fast)" "10 10 10"
	[ -n "$edu" ] && vm_stop 5
	vm_stop 3
	vm_stop 4
}

mod_loaded() { grep -q "^$1 " /proc/modules; }

# Probe states of a kvm one, kvm_amd's, vfio_pci_core's and irqbypass's.
mod_states() {
	for p in irqfd_wakeup kvm_set_msi irte_changed svm_deliver vfio_msi producer_reg; do
		printf '%s ' "$(probe_state $p)"
	done
}

t_stress_kvm_modules_cycles() {
	i=0
	while [ $i -lt "$STRESS_KVM_CYCLES" ]; do
		i=$((i + 1))
		traffic_round "kvm cycle $i: before"
		check "kvm cycle $i: no VM left" wait_for 100 vms_empty
		ok=1
		for m in kvm_amd kvm vfio_pci vfio_pci_core; do
			rmmod $m || { ok=0; log "rmmod $m failed"; }
		done
		check "kvm cycle $i: rmmod kvm_amd kvm vfio_pci vfio_pci_core" test $ok = 1
		# irqbypass goes too once nothing uses it.
		rmmod vfio_iommu_type1 vfio irqbypass 2>/dev/null
		pr=attached
		mod_loaded irqbypass || pr=gone
		check "kvm cycle $i: probes gone" eq states "$(mod_states)" "gone gone gone gone gone $pr "
		check "kvm cycle $i: modprobe kvm_amd vfio_pci vfio_iommu_type1" \
			sh -c "modprobe kvm_amd && modprobe vfio_pci && modprobe vfio_iommu_type1"
		check "kvm cycle $i: probes attached again" eq states "$(mod_states)" \
			"attached attached attached attached attached attached "
		echo 1 >$D/reset
		traffic_round "kvm cycle $i: after"
	done
	check "kvm cycles: no probe hit dropped" eq missed "$(unattr probe_missed)" 0
}

# ---------------------------------------------------------------------------
# 2b. The tracer and KVM unloading at once: the tracer detaches everything
# before its module notifiers go, so KVM going meanwhile can't leave a probe
# on its freed tracepoint (t_stress_dmesg would see the kernel's warning).

t_stress_unload_race() {
	i=0
	bad=0
	while [ $i -lt "$STRESS_RACE_ROUNDS" ]; do
		i=$((i + 1))
		mod_loaded kvm_amd || modprobe kvm_amd || { bad=$((bad + 1)); log "race $i: modprobe"; }
		mod_loaded kvm_irqpath || tracer_load || { bad=$((bad + 1)); log "race $i: insmod"; }
		sleep 0.$((RANDOM % 3))
		rmmod kvm_irqpath &
		_t=$!
		sleep 0.0$((RANDOM % 5))
		rmmod kvm_amd kvm || { bad=$((bad + 1)); log "race $i: rmmod kvm_amd kvm"; }
		wait $_t || { bad=$((bad + 1)); log "race $i: rmmod kvm_irqpath"; }
	done
	check "race: $STRESS_RACE_ROUNDS rounds of rmmod kvm_irqpath against rmmod kvm_amd kvm" \
		eq failures "$bad" 0
	check "race: kvm_amd and the tracer load again" \
		sh -c "modprobe kvm_amd && insmod $TRACER && test -e $D/probes"
	check "race: probes attached again" eq states \
		"$(probe_state irqfd_wakeup) $(probe_state svm_deliver) $(probe_state irte_changed)" \
		"attached attached attached"
}

# ---------------------------------------------------------------------------

t_stress_dmesg() {
	# lockdep's and RCU's reports, not the boot line "RCU lockdep checking is enabled"
	bad=$(dmesg | grep -E 'BUG|WARNING|Oops|Call Trace|KASAN|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|sleeping function called|ODEBUG')
	[ -z "$bad" ] || log "$(echo "$bad" | head -40)"
	check "dmesg: no BUG, WARNING, Oops, Call Trace, KASAN or lockdep" test -z "$bad"
}
