# SPDX-License-Identifier: GPL-2.0
"""irqpath's text views: the summary table, one VM in detail, histograms, live rates."""
import sys
import time

from irqpath_tree import bucket_bounds, read_summary, select

# The VMs' rates are sorted by these summary columns' sum: interrupts that entered the
# host's KVM paths (irqfd wakeups, VFIO irqfd MSIs among them; KVM_SIGNAL_MSIs; VFIO
# MSIs read by the VMM).
TOTAL_COLS = ("irqfd", "signal_msi", "vfio_user")


# ---- output ----

def fmt_table(rows, right_from=1):
    """Columns padded to fit; columns from right_from on are right-aligned."""
    w = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [str(c).rjust(w[i]) if i >= right_from else str(c).ljust(w[i])
                 for i, c in enumerate(r)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def show_table(data):
    """summary's table, columns as the module names them, then its verdicts."""
    rows = data["summary"]
    if rows:
        cols = list(rows[0].keys())
        print(fmt_table([cols] + [[r.get(c, "") for c in cols] for r in rows], right_from=3))
    by_pid = data["unattributed_vfio_msi_by_pid"]
    if by_pid:
        print("unattributed VFIO MSIs by VMM pid: " +
              ", ".join("%s: %d" % kv for kv in sorted(by_pid.items())))
    print()
    if not data["vms"]:
        print("no VMs")
    for vm in data["vms"]:
        print("%s: %s" % (vm["name"], vm["verdict"]))


def show_vm(vm):
    print("VM %s  pid %d  comm %s  kvm %s  found %s" %
          (vm["name"], vm["pid"], vm["comm"], vm["kvm"], vm["found"]))
    print("verdict: %s" % vm["verdict"])
    print("\nstats")
    print(fmt_table([["  " + k, v] for k, v in vm["stats"].items()]))
    for part in ("gsi", "vcpus", "producers"):
        print("\n" + part)
        rows = vm[part]
        if not rows:
            print("  (none)")
            continue
        cols = list(rows[0].keys())
        print(fmt_table([["  " + cols[0]] + cols[1:]] +
                        [["  " + str(r[cols[0]])] + [r.get(c, "") for c in cols[1:]]
                         for r in rows]))
    if vm["signallers"]:
        print("\nsignallers (irqfd wakeups by who signalled them)")
        print(fmt_table([["  " + k, v] for k, v in vm["signallers"].items()]))


def pow2_label(v):
    """bpftrace's hist() labels: 512, 1K, 2M, 1G."""
    for unit, div in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if v >= div and v % div == 0:
            return "%d%s" % (v // div, unit)
    return str(v)


def show_hist(vm, width=52):
    """A hop's buckets as bars, as bpftrace's hist() draws them."""
    print("VM %s  pid %d  comm %s" % (vm["name"], vm["pid"], vm["comm"]))
    rows = vm.get("latency", [])
    if not rows:
        print("  no latency file: the module predates hop timing")
        return
    cols = [c for c in rows[0] if c.startswith("lt_") or c == "inf"]
    bounds = bucket_bounds(cols)
    shown = 0
    for r in rows:
        if not r.get("count"):
            continue
        shown += 1
        print("\n%s (ns): %d samples, mean %d ns" % (r["hop"], r["count"],
                                                    r["sum_ns"] // r["count"]))
        counts = [r.get(c, 0) for c in cols]
        used = [i for i, n in enumerate(counts) if n]
        top = max(counts)
        for i in range(used[0], used[-1] + 1):
            low, high = bounds[i]
            label = "[%s, %s)" % (pow2_label(low), pow2_label(high)) if high is not None \
                else "[%s, ...)" % pow2_label(low)
            bar = "@" * (counts[i] * width // top)
            print("%-18s %8d |%-*s|" % (label, counts[i], width, bar))
    if not shown:
        print("  no samples: no interrupt of this VM crossed a hop while hop timing was on "
              "(off unless switched on: echo 1 > /sys/kernel/debug/kvm_irqpath/latency)")


# ---- watch ----

def rate_cols(rows):
    """summary's counter columns: every one but pid whose values are all numbers."""
    cols = list(rows[0].keys()) if rows else []
    return [c for c in cols[1:] if c != "pid" and all(isinstance(r.get(c), int) for r in rows)]


def rates(old, new, dt):
    """Per-second rates per VM row; a counter that went down was reset and counts from 0."""
    prev = {r["vm"]: r for r in old}
    cols = rate_cols(new)
    out = []
    for row in new:
        if row["vm"] == "unattributed":
            continue
        p = prev.get(row["vm"], {})
        r = {}
        for c in cols:
            d = row[c] - p.get(c, 0)
            r[c] = (row[c] if d < 0 else d) / dt
        r["total"] = sum(r.get(c, 0) for c in TOTAL_COLS)
        out.append((row, r))
    out.sort(key=lambda x: (-x[1]["total"], -x[1].get("deliveries", 0), x[0]["vm"]))
    return cols, out


def watch(root, which, interval, count):
    tty = sys.stdout.isatty()
    old, t0 = read_summary(root), time.monotonic()
    select(old, which, key="vm")
    i = 0
    while count is None or i < count:
        time.sleep(interval)
        new, t1 = read_summary(root), time.monotonic()
        i += 1
        cols, rs = rates(old, select(new, which, key="vm") if which else new, t1 - t0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        if tty:
            head = ["vm", "pid", "comm", "total/s"] + [c + "/s" for c in cols]
            rows = [head] + [[row["vm"], row["pid"], row["comm"], "%.0f" % r["total"]] +
                             ["%.0f" % r[c] for c in cols] for row, r in rs]
            sys.stdout.write("\x1b[H\x1b[2J")
            print("irqpath - rates per second over %.1f s - %s - Ctrl-C quits\n" % (t1 - t0, stamp))
            print(fmt_table(rows, right_from=3))
        else:
            print("interval %d %s %.2fs vms=%d" % (i, stamp, t1 - t0, len(rs)))
            for row, r in rs:
                print("rate vm=%s pid=%s comm=%s total/s=%.1f %s" % (
                    row["vm"], row["pid"], row["comm"], r["total"],
                    " ".join("%s/s=%.1f" % (c, r[c]) for c in cols)))
        sys.stdout.flush()
        old, t0 = new, t1
