# SPDX-License-Identifier: GPL-2.0
# Stress: readers of every file against reset writers during a storm.
# Sourced by stress-run.sh after stress.sh (sizes and shared helpers).

# Readers against reset writers during an irqfd storm.
#
# Writer w keeps a generation in $ST_GEN.w: odd while its reset write runs,
# even otherwise, published with rename. A reader takes the generations
# before and after each read; a read is "stable" when both are equal and
# even, and two stable reads of one file with the same generations had no
# reset between them: every count must then be >= the one before.

st_write_awk() {
	cat >$ST_AWK <<'AWK'
# -v f=<file> cmp=<0|1> prevf=<previous normalized read> errf=<append errors>
#    [linesf=<"<kind> <lines>" of a calm read: files whose length never changes>]
# Input: the file's text. Output: "key value" of its monotonic counts.
# The exact text of every file is the KUnit render suites' to check; this
# one checks what a torn or racing read would break: the shape of a line,
# the length of a file, counts that never go down between two resets.
function bad(why) { printf "TORN %s: %s: '%s'\n", f, why, $0 >> errf; nbad++ }
function emit(k, v) {
	print k, v
	if (cmp && (k in prev) && v + 0 < prev[k] + 0)
		printf "BACKWARDS %s: %s %s -> %s\n", f, k, prev[k], v >> errf
}
BEGIN {
	n = split(f, p, "/"); kind = p[n]
	if (cmp) while ((getline l < prevf) > 0) { split(l, a, " "); prev[a[1]] = a[2] }
	if (linesf != "") while ((getline l < linesf) > 0) { split(l, a, " "); want[a[1]] = a[2] }
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
	if ($0 !~ /^[a-z_]+ [0-9]+$/) bad("not a memory line")
	next
}
kind == "probes" {
	if ($0 !~ /^[a-z_]+ [^ ]+ (attached [0-9]+ (direct|ftrace|kretprobe|tracepoint) (btf|header|no-btf) (btf|missing|-)|(missing|gone|mismatch|unchecked) [0-9]+ - (-|mismatch|no-btf) -|standby [0-9]+ - btf -)$/)
		bad("not a probe line")
	else emit($1, $4)
	next
}
kind == "gsi" {
	if (lines == 1) { if ($0 != "gsi wakeups fast deferred injects route irq vhost vmm other") bad("header"); next }
	if ($0 !~ /^([0-9]+|other) [0-9]+ [0-9]+ [0-9]+ [0-9]+ [^ ]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+$/) bad("not a gsi row")
	else for (i = 2; i <= 10; i++) if (i != 6) emit("g" $1 "." i, $i)
	next
}
kind == "signallers" {
	if ($0 !~ /^(irq|vhost|vmm|other|other_pid_[0-9]+|other_pid_other) [0-9]+$/) bad("not a signaller line")
	else emit($1, $2)
	next
}
kind == "latency" {
	if (lines == 1) { if ($0 !~ /^hop count sum_ns lt_1 lt_2 .* lt_1073741824 inf$/ || NF != 35) bad("header"); next }
	if ($0 !~ /^[a-z_]+( [0-9]+)+$/ || NF != 35) bad("not a latency row")
	else for (i = 2; i <= NF; i++) emit($1 "." i, $i)
	next
}
kind == "vcpus" {
	if (lines == 1) { if ($0 != "vcpu deliveries posted kicked pi_wakeups") bad("header"); next }
	if ($0 !~ /^([0-9]+|other) [0-9]+ [0-9]+ [0-9]+ [0-9]+$/) bad("not a vcpu row")
	else for (i = 2; i <= 5; i++) emit("v" $1 "." i, $i)
	next
}
kind == "producers" {
	if (lines == 1) { if ($0 != "irq gsi mode updates") bad("header"); next }
	if ($0 !~ /^-?[0-9]+ [0-9]+ (connected|posted|remapped) [0-9]+$/) bad("not a producer row")
	next
}
kind == "info" {
	if ($0 !~ /^[a-z]+ [^ ]+$/) bad("not an info line")
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
		if (NF != 15) bad("header")
		summary_end(); docs++
		next
	}
	if (!docs) { bad("no header"); next }
	if ($0 == "") { if (sect) bad("second blank line"); sect = 1; next }
	if (!sect) {
		rows++
		if (NF != 15) { bad(NF " fields"); next }
		for (i = 4; i <= 15; i++) if (i != 12 && $i !~ /^[0-9]+$/) { bad("field " i); next }
		if ($12 !~ /^[0-9]+\/[0-9]+$/) { bad("posted"); next }
		if ($1 in row) bad("two rows for one VM")
		if ($1 != "unattributed") row[$1] = 1
		for (i = 4; i <= 15; i++) if (i != 12) emit($1 "." i, $i)
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
	if ((kind in want) && lines != want[kind]) { $0 = lines " lines"; bad("want " want[kind] " lines") }
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
		-v linesf=$ST_LINES -f $ST_AWK "$_dir/cur" >"$_dir/p$1$_ns"
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
	echo "stats 2" >$ST/self.lines
	printf 'irqfd_wakeups 1\n' | awk -v f=x/stats -v cmp=0 -v prevf=/dev/null \
		-v linesf=$ST/self.lines -v errf=$ST/self.err -f $ST_AWK >/dev/null
	printf 'vm pid comm a b c d e f g h posted i j k\nx 1 c 1 2 3 4 5 6 7\n\n' |
		awk -v f=x/summary -v cmp=0 -v prevf=/dev/null -v errf=$ST/self.err -f $ST_AWK >/dev/null
	printf 'vm pid comm a b c d e f g h posted i j k\nx 1 c 1 2 3 4 5 6 7 8 0/0 1 2 3\n\nx: v\ny: v\n' |
		awk -v f=x/summary -v cmp=0 -v prevf=/dev/null -v errf=$ST/self.err -f $ST_AWK >/dev/null
	grep -q '^BACKWARDS x/stats: irqfd_wakeups 10 -> 9' $ST/self.err &&
		grep -q "^TORN x/summary: verdict for a VM without a row: 'y: v'" $ST/self.err &&
		grep -q "^TORN x/stats: not <key> <n>: 'irqfd_wakeups 1x'" $ST/self.err &&
		grep -q "^TORN x/stats: want 2 lines: '1 lines'" $ST/self.err &&
		grep -q '^TORN x/summary: 10 fields' $ST/self.err
}

# VMs come and go meanwhile, from a VMM whose name has a space in it (a
# comm is any 15 bytes): the summary must stay one row per VM, 15 fields.
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
		for k in stats gsi vcpus producers info signallers latency; do files="$files $D/vms/$X/$k"; done
	done
	edu=
	if edu_start; then
		edu=1
		for k in stats gsi vcpus producers info signallers latency; do files="$files $D/vms/$EDU/$k"; done
	fi
	w=1
	while [ $w -le "$STRESS_WRITERS" ]; do
		st_publish_gen $w 0
		w=$((w + 1))
	done

	# hop timing on, so the latency files move under the readers too
	echo 1 >$D/latency
	# the files whose length is fixed, as a calm read gives it: torn reads differ
	for k in stats info; do echo "$k $(wc -l <$D/vms/$A/$k)"; done >$ST_LINES
	for k in memory probes; do echo "$k $(wc -l <$D/$k)"; done >>$ST_LINES
	sed 's/^/# readers: lines of /' $ST_LINES
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
	echo 0 >$D/latency

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
