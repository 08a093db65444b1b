#!/usr/bin/env bash
# Host-side tests of scripts/irqpath against debugfs trees the module wrote: trees/demo and
# trees/vfio from `make trees` (make demo-vmfire's dumps: vmfire VMs with irqfd writes on MSI
# and IOAPIC routes, edufire's VM before and after its MSI eventfd became an irqfd, with a
# bypass producer, and a two-VM VMM's unattributed MSIs; hop timing on); trees/vmm from
# make demo (a real QEMU VM with vhost-net and virtio-blk). Needs python3 and root (the
# not-root case drops to nobody with setpriv; PYTHON overrides /usr/bin/python3).
# Prints TAP-like lines, then "tool: N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IRQPATH=$HERE/../../scripts/irqpath
T=$HERE/trees
TMP=$(mktemp -d /tmp/irqpath-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0 fail=0
# Debian's python3 (a pyenv or venv shim in PATH may be slow or unreadable by nobody)
PY=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

t() {   # t <desc> <cmd...>: one line; on failure the last output is shown
    local desc=$1; shift; n=$((n + 1))
    if "$@" >"$TMP/log" 2>&1; then echo "ok $n - $desc"
    else fail=$((fail + 1)); echo "not ok $n - $desc"; tail -20 "$TMP/log" | sed 's/^/#   /'; fi
}
ip() { "$PY" "$IRQPATH" "$@"; }
has() { grep -qxF -- "$2" "$1" || { echo "missing line: $2"; cat "$1"; return 1; }; }
rc_is() {   # rc_is <rc> <stderr pattern> <args...>
    local want=$1 pat=$2 rc=0; shift 2
    ip "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
    cat "$TMP/err"
    [ "$rc" = "$want" ] && grep -q -- "$pat" "$TMP/err" && [ ! -s "$TMP/out" ]
}

# -- one VM table per tree --
table_demo() {
    ip --root "$T/demo" >"$TMP/o" && cat "$TMP/o" &&
    head -1 "$TMP/o" | grep -Eq '^vm +pid +comm +irqfd +fast +deferred +injects +signal_msi +deliveries +vfio_user +vfio_irqfd +posted +dlv_posted +dlv_kicked +pi_wakeups$' &&
    grep -Eq '^175-3 +175 +vmfire +1000 +1000 +0 +0 +200 +1200 +0 +0 +0/0 +0 +1200 +0$' "$TMP/o" &&
    grep -Eq '^182-4 +182 +vmfire +300 +0 +300 +2 +0 +0 +0 +0 +0/0 +0 +0 +0$' "$TMP/o" &&
    grep -Eq '^189-5 +189 +edufire +0 +0 +0 +0 +0 +0 +10 +0 +0/0 +0 +0 +0$' "$TMP/o" &&
    grep -Eq '^unattributed +- +- +0 +0 +0 +0 +0 +0 +20 +0 +0/0 +0 +0 +0$' "$TMP/o" &&
    has "$TMP/o" "175-3: no VFIO interrupts seen" && has "$TMP/o" "182-4: no VFIO interrupts seen" &&
    has "$TMP/o" "189-5: 10 of 10 VFIO MSIs went to userspace: no irqfd on these eventfds"
}
table_vfio() {
    ip --root "$T/vfio" >"$TMP/o" && cat "$TMP/o" &&
    grep -Eq '^189-5 +189 +edufire +40 +40 +0 +0 +0 +40 +10 +40 +0/1 +0 +40 +0$' "$TMP/o" &&
    has "$TMP/o" "unattributed VFIO MSIs by VMM pid: 159: 20" &&
    has "$TMP/o" "189-5: 50 VFIO MSIs: 10 to userspace, 40 on irqfds; 0 of 1 vectors posted"
}
t "table: demo tree, summary's columns and verdicts" table_demo
t "table: vfio tree, posted 0/1, unattributed pid line, verdict" table_vfio
table_vmm() {
    ip --root "$T/vmm" >"$TMP/o" && cat "$TMP/o" &&
    grep -Eq '^189-1 +189 +qemu-system-x86 +408 +408 +0 +0 +0 +3653 +0 +0 +0/0 +0 +3653 +0$' "$TMP/o" &&
    has "$TMP/o" "189-1: no VFIO interrupts seen"
}
t "table: vmm tree, a real QEMU VM" table_vmm

# -- --json: every VM's stats equal its stats file --
json_eq() {
    ip --root "$1" --json >"$TMP/j" && "$PY" - "$1" "$TMP/j" <<'PY'
import json, os, sys
root, d = sys.argv[1], json.load(open(sys.argv[2]))
names = sorted(os.listdir(os.path.join(root, "vms")))
assert sorted(v["name"] for v in d["vms"]) == names, names
for v in d["vms"]:
    want = {l.split()[0]: int(l.split()[1]) for l in open(os.path.join(root, "vms", v["name"], "stats"))}
    assert v["stats"] == want, (v["name"], v["stats"], want)
    assert v["pid"] == int(v["name"].split("-")[0])
print("ok")
PY
}
json_vfio() {
    ip --root "$T/vfio" --json >"$TMP/j" && "$PY" - "$TMP/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
vm = [v for v in d["vms"] if v["name"] == "189-5"][0]
assert vm["producers"] == [{"irq": 25, "gsi": 24, "mode": "connected", "updates": 0}], vm["producers"]
assert vm["gsi"] == [{"gsi": 24, "wakeups": 40, "fast": 40, "deferred": 0, "injects": 0,
                      "route": "msi:vec=48,dest=0,phys,fixed,edge", "irq": 40, "vhost": 0,
                      "vmm": 0, "other": 0}], vm["gsi"]
assert vm["vcpus"] == [{"vcpu": 0, "deliveries": 40, "posted": 0, "kicked": 40, "pi_wakeups": 0}], vm["vcpus"]
assert d["summary"][-1]["vm"] == "unattributed" and d["summary"][-1]["vfio_user"] == 20
assert d["unattributed_vfio_msi_by_pid"] == {"159": 20}
assert d["unattributed"]["vfio_msi_userspace"] == 20 and "vfio_msi_pid_159" not in d["unattributed"]
assert vm["verdict"].startswith("50 VFIO MSIs")
PY
}
t "--json: demo stats = stats files" json_eq "$T/demo"
t "--json: vfio stats = stats files" json_eq "$T/vfio"
t "--json: vmm stats = stats files" json_eq "$T/vmm"
t "--json: vfio producers, gsi, vcpus, unattributed by pid" json_vfio
json_vmm() {   # the signallers and latency files, as the tool carries them
    ip --root "$T/vmm" --json >"$TMP/j" && "$PY" - "$T/vmm" "$TMP/j" <<'PY'
import json, os, sys
root, d = sys.argv[1], json.load(open(sys.argv[2]))
vm = d["vms"][0]
vd = os.path.join(root, "vms", vm["name"])
want = {l.split()[0]: int(l.split()[1]) for l in open(os.path.join(vd, "signallers"))}
assert vm["signallers"] == want == {"irq": 0, "vhost": 40, "vmm": 368, "other": 0}, vm["signallers"]
lines = open(os.path.join(vd, "latency")).read().splitlines()
cols = lines[0].split()
assert [[str(r[c]) for c in cols] for r in vm["latency"]] == [l.split() for l in lines[1:]]
assert [r["vhost"] for r in vm["gsi"]] == [20, 20, 0] and [r["vmm"] for r in vm["gsi"]] == [0, 0, 368]
PY
}
t "--json: vmm signallers and latency rows = their files" json_vmm

# -- --prometheus --
prom_syntax() {   # every line HELP, TYPE or a sample; one TYPE per family; _total = counter
    ip --root "$T/vfio" --prometheus >"$TMP/p" && "$PY" - "$TMP/p" <<'PY'
import re, sys
types = {}
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("# HELP "):
        continue
    m = re.match(r"# TYPE (\w+) (counter|gauge|histogram)$", l)
    if m:
        assert m[1] not in types, l
        types[m[1]] = m[2]
        continue
    m = re.match(r'([a-z_]+)(\{([a-z_]+="[^"\\]*",?)*\})? ([0-9][0-9.e+-]*)$', l)
    assert m, l
    hist = re.sub(r"_(bucket|sum|count)$", "", m[1])
    if types.get(hist) == "histogram":
        assert m[1] == hist + "_sum" or float(m[4]).is_integer(), l
        continue
    assert types.get(m[1]) == ("counter" if m[1].endswith("_total") else "gauge"), l
    assert m[4].isdigit(), l
assert "histogram" in types.values(), types
print(len(types), "families")
PY
}
prom_values() {
    ip --root "$T/vfio" --prometheus >"$TMP/p" &&
    has "$TMP/p" '# TYPE kvm_irqpath_irqfd_wakeups_total counter' &&
    has "$TMP/p" 'kvm_irqpath_irqfd_wakeups_total{vm="175-3",pid="175",comm="vmfire"} 1000' &&
    has "$TMP/p" 'kvm_irqpath_vfio_msi_userspace_total{vm="189-5",pid="189",comm="edufire"} 10' &&
    has "$TMP/p" 'kvm_irqpath_producers_active{vm="189-5",pid="189",comm="edufire"} 1' &&
    has "$TMP/p" '# TYPE kvm_irqpath_producers_active gauge' &&
    has "$TMP/p" 'kvm_irqpath_gsi_deferred_total{vm="182-4",pid="182",comm="vmfire",gsi="5"} 300' &&
    has "$TMP/p" 'kvm_irqpath_unattributed_vfio_msi_by_pid_total{pid="159"} 20' &&
    has "$TMP/p" 'kvm_irqpath_probe_attached{probe="vmx_deliver",symbol="-"} 0'
}
t "--prometheus: HELP/TYPE, sample syntax, counters end in _total" prom_syntax
t "--prometheus: exact values" prom_values
# Prometheus' own parser (promtool from Debian's prometheus package, tests/harness/promtool.sh)
PROMTOOL=${PROMTOOL:-/var/cache/kvm_irqpath/promtool/promtool}
promtool_ok() {
    ip --root "$1" --prometheus >"$TMP/p" && "$PROMTOOL" check metrics <"$TMP/p"
}
t "--prometheus: promtool check metrics accepts the demo tree's" promtool_ok "$T/demo"
t "--prometheus: promtool check metrics accepts the vfio tree's" promtool_ok "$T/vfio"
t "--prometheus: promtool check metrics accepts the vmm tree's (histograms)" promtool_ok "$T/vmm"
prom_hist() {   # cumulative buckets in seconds, _sum and _count, signallers
    local lb='vm="189-1",pid="189",comm="qemu-system-x86",hop="wakeup_to_delivery"'
    ip --root "$T/vmm" --prometheus >"$TMP/p" &&
    has "$TMP/p" '# TYPE kvm_irqpath_latency_seconds histogram' &&
    has "$TMP/p" "kvm_irqpath_latency_seconds_bucket{$lb,le=\"1.023e-06\"} 0" &&
    has "$TMP/p" "kvm_irqpath_latency_seconds_bucket{$lb,le=\"2.047e-06\"} 2" &&
    has "$TMP/p" "kvm_irqpath_latency_seconds_bucket{$lb,le=\"3.2767e-05\"} 333" &&
    has "$TMP/p" "kvm_irqpath_latency_seconds_bucket{$lb,le=\"+Inf\"} 408" &&
    has "$TMP/p" "kvm_irqpath_latency_seconds_count{$lb} 408" &&
    has "$TMP/p" "kvm_irqpath_latency_seconds_sum{$lb} 0.023074145" &&
    has "$TMP/p" 'kvm_irqpath_gsi_signalled_total{vm="189-1",pid="189",comm="qemu-system-x86",gsi="25",by="vmm"} 368'
}
t "--prometheus: vmm latency histogram and signallers, exact" prom_hist

# -- --hist --
hist_old() {   # the demo tree less its latency files, as a module before hop timing
    cp -r "$T/demo" "$TMP/old" && rm "$TMP"/old/vms/*/latency &&
    ip --root "$TMP/old" --hist 175 >"$TMP/o" && cat "$TMP/o" &&
    has "$TMP/o" "VM 175-3  pid 175  comm vmfire" &&
    has "$TMP/o" "  no latency file: the module predates hop timing"
}
t "--hist PID: a module without latency files" hist_old
hist_demo() {   # 1000 fast-path wakeups: 1000 samples in the bars; hops without samples not drawn
    ip --root "$T/demo" --hist 175-3 >"$TMP/o" && cat "$TMP/o" &&
    has "$TMP/o" "wakeup_to_delivery (ns): 1000 samples, mean 10251 ns" &&
    grep -Eq '^\[512, 1K\) +981 \|@{52}\|$' "$TMP/o" &&
    [ "$(awk -F'|' '/^\[/ { split($1, a, " "); s += a[length(a)] } END { print s }' "$TMP/o")" = 1000 ] &&
    ! grep -Eq '^(vfio_to_wakeup|deferred_to_inject|delivery_to_entry)' "$TMP/o"
}
t "--hist NAME: the demo tree's wakeup_to_delivery bars" hist_demo
hist_none() {   # a VM no hop saw (its MSIs went to the VMM) says why there are no bars
    ip --root "$T/demo" --hist 189-5 >"$TMP/o" && cat "$TMP/o" &&
    grep -q "^  no samples: no interrupt of this VM crossed a hop while hop timing was on " "$TMP/o" &&
    ! grep -q '^\[' "$TMP/o"
}
t "--hist: a VM without samples" hist_none
hist_vmm() {   # bars as bpftrace's hist(): bounds, counts that add up, the longest bar full
    ip --root "$T/vmm" --hist 189-1 >"$TMP/o" && cat "$TMP/o" &&
    has "$TMP/o" "wakeup_to_delivery (ns): 408 samples, mean 56554 ns" &&
    grep -Eq '^\[16K, 32K\) +149 \|@{52}\|$' "$TMP/o" &&
    grep -Eq '^\[1K, 2K\) +2 \| {52}\|$' "$TMP/o" &&
    [ "$(awk -F'|' '/^\[/ { split($1, a, " "); s += a[length(a)] } END { print s }' "$TMP/o")" = 408 ] &&
    ! grep -q deferred_to_inject "$TMP/o"
}
t "--hist NAME: the vmm tree's wakeup_to_delivery bars" hist_vmm

# -- --vm --
vm_detail() {
    ip --root "$T/vfio" --vm "$1" >"$TMP/o" && cat "$TMP/o" &&
    grep -q '^VM 189-5  pid 189  comm edufire  kvm 00000000975ae8ca  found create$' "$TMP/o" &&
    grep -Eq '^ +vfio_msi_userspace +10$' "$TMP/o" && grep -Eq '^ +25 +24 +connected +0$' "$TMP/o" &&
    grep -Eq '^ +24 +40 +40 +0 +0 +msi:vec=48,dest=0,phys,fixed,edge +40 +0 +0 +0$' "$TMP/o" &&
    ! grep -q 175-3 "$TMP/o"
}
t "--vm NAME: one VM in detail" vm_detail 189-5
t "--vm PID: the same VM" vm_detail 189
t "--vm 99999: no such VM, rc 6" rc_is 6 "no VM named or with pid '99999'" --root "$T/vfio" --vm 99999

# -- -w --
watch_static() {   # plain mode: two intervals, a rate line per VM, all 0
    ip --root "$T/vfio" -w 0.2 -n 2 >"$TMP/o" && cat "$TMP/o" &&
    [ "$(grep -c '^interval [12] ' "$TMP/o")" = 2 ] && [ "$(grep -c '^rate vm=' "$TMP/o")" = 6 ] &&
    ! grep '^rate' "$TMP/o" | grep -v 'total/s=0.0 '
}
watch_rates() {   # counters move during interval 1: rates ~ delta/s, busiest VM first
    cp -r "$T/demo" "$TMP/live"
    ip --root "$TMP/live" -w 2 -n 2 >"$TMP/o" &
    local w=$!
    sleep 1
    # summary's columns by their header: 2000 deferred wakeups for 182-4, 500 MSIs for 175-3
    awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
         $1 == "182-4" { $c["irqfd"] += 2000; $c["deferred"] += 2000 }
         $1 == "175-3" { $c["signal_msi"] += 500 } { print }' \
        "$T/demo/summary" >"$TMP/s" && mv "$TMP/s" "$TMP/live/summary"
    wait $w && cat "$TMP/o" && "$PY" - "$TMP/o" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert [l.split()[:2] for l in lines if l.startswith("interval")] == [["interval", "1"], ["interval", "2"]]
r = [dict(re.findall(r"(\S+)=(\S+)", l)) for l in lines if l.startswith("rate")]
assert [x["vm"] for x in r[:2]] == ["182-4", "175-3"], r          # sorted by rate
assert 800 <= float(r[0]["total/s"]) <= 1000 and 800 <= float(r[0]["deferred/s"]) <= 1000, r[0]
assert 200 <= float(r[1]["signal_msi/s"]) <= 250 and float(r[1]["fast/s"]) == 0, r[1]
assert all(float(x["total/s"]) == 0 for x in r[2:]), r[2:]       # interval 2: nothing moved
PY
}
watch_tty() {   # on a terminal: clears the screen and draws the table
    script -qec "$PY $IRQPATH --root $T/demo -w 0.2 -n 1" /dev/null >"$TMP/o" &&
    grep -q $'\e\[H\e\[2J' "$TMP/o" && grep -q 'rates per second' "$TMP/o" &&
    grep -Eq '^175-3 +175 +vmfire +0 ' "$TMP/o"
}
t "-w 0.2 -n 2, not a tty: two intervals of rate lines" watch_static
t "-w 2 -n 2: rates from counter deltas, sorted by rate" watch_rates
t "-w on a tty: clear screen and table" watch_tty
t "-w 0: usage error, rc 2" rc_is 2 "must be > 0" --root "$T/demo" -w 0

# -- errors --
mkdir -p "$TMP/nodebugfs" "$TMP/debugfs/kvm" "$TMP/priv"
t "debugfs not mounted: rc 4" rc_is 4 "debugfs is not mounted" --root "$TMP/nodebugfs/kvm_irqpath"
t "module not loaded: rc 3" rc_is 3 "module not loaded" --root "$TMP/debugfs/kvm_irqpath"
cp -r "$T/demo" "$TMP/priv/kvm_irqpath" && chmod 700 "$TMP/priv" && cp "$IRQPATH"* "$TMP/" &&
    chmod 755 "$TMP" "$TMP"/irqpath*
notroot() {
    local rc=0
    setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" "$TMP/irqpath" \
        --root "$TMP/priv/kvm_irqpath" 2>"$TMP/err" || rc=$?
    cat "$TMP/err"; [ "$rc" = 5 ] && grep -q "permission denied.*run as root" "$TMP/err"
}
t "not root: permission denied, rc 5" notroot
t "standard library only (python3 -I -S)" "$PY" -I -S "$IRQPATH" --root "$T/vfio" --json

# -- installed: make install-tool's layout --
installed() {   # sbin/irqpath, reached by a symlink, finds its parts in ../lib/kvm_irqpath
    make -s -C "$HERE/../.." install-tool PREFIX="$TMP/prefix" &&
    ln -s "$TMP/prefix/sbin/irqpath" "$TMP/link" &&
    "$PY" -I -S "$TMP/link" --root "$T/vfio" --json >"$TMP/j" &&
    "$PY" "$IRQPATH" --root "$T/vfio" --json | cmp - "$TMP/j" &&
    [ -z "$(find "$TMP/prefix" "$HERE/../../scripts" -name __pycache__)" ]
}
parts_missing() {   # alone, it says what it misses instead of a traceback
    local rc=0
    mkdir "$TMP/alone" && cp "$IRQPATH" "$TMP/alone/" &&
    { "$PY" "$TMP/alone/irqpath" --root "$T/vfio" 2>"$TMP/err" || rc=$?; }
    cat "$TMP/err"; [ "$rc" = 1 ] && grep -q "its parts (irqpath_\*.py) are neither beside" "$TMP/err" &&
        ! grep -q Traceback "$TMP/err"
}
t "make install-tool: the installed irqpath finds its parts, writes no .pyc" installed
t "its parts missing: a clear error, rc 1" parts_missing

echo "tool: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
