# SPDX-License-Identifier: GPL-2.0
"""Reading kvm_irqpath's debugfs tree into plain dicts and lists.

The module's files are the one description of their formats: tables are read by
their header line, so a column a newer module adds shows up here without a change.
"""
import os

DEFAULT_ROOT = "/sys/kernel/debug/kvm_irqpath"

# Exit codes, one per failure a user can fix.
EXIT_ERROR, EXIT_USAGE, EXIT_NO_MODULE, EXIT_NO_DEBUGFS, EXIT_PERM, EXIT_NO_VM = 1, 2, 3, 4, 5, 6


class Fail(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


def read(path):
    with open(path) as f:
        return f.read()


def keyvals(text):
    """'key value' lines; the value is the rest of the line."""
    out = {}
    for line in text.splitlines():
        k, _, v = line.partition(" ")
        if k:
            out[k] = v
    return out


def numbers(text):
    return {k: int(v) for k, v in keyvals(text).items()}


def table(text):
    """A header line, then rows of the same fields: a list of dicts."""
    lines = text.splitlines()
    if not lines:
        return []
    cols = lines[0].split()
    rows = []
    for line in lines[1:]:
        f = line.split()
        rows.append({c: (int(v) if v.lstrip("-").isdigit() else v) for c, v in zip(cols, f)})
    return rows


def check_root(root):
    """Turn a missing or unreadable tree into the error a user can act on."""
    try:
        os.stat(os.path.join(root, "summary"))
        return
    except PermissionError:
        raise Fail(EXIT_PERM, "permission denied reading %s: run as root" % root)
    except FileNotFoundError:
        pass
    parent = os.path.dirname(os.path.abspath(root))
    try:
        mounted = bool(os.listdir(parent)) or debugfs_mounted_at(parent)
    except PermissionError:
        raise Fail(EXIT_PERM, "permission denied reading %s: run as root" % parent)
    except OSError:
        mounted = False
    if not mounted:
        raise Fail(EXIT_NO_DEBUGFS, "debugfs is not mounted at %s: "
                   "mount -t debugfs none %s" % (parent, parent))
    raise Fail(EXIT_NO_MODULE, "kvm_irqpath module not loaded (no %s): "
               "modprobe kvm_irqpath, or insmod kvm_irqpath.ko" % root)


def debugfs_mounted_at(path):
    try:
        with open("/proc/self/mounts") as f:
            return any(l.split()[1:3] == [path, "debugfs"] for l in f)
    except OSError:
        return False


def guarded(root, fn):
    """fn(), with a tree that cannot be read, or went away meanwhile, turned into a Fail."""
    check_root(root)
    try:
        return fn()
    except PermissionError as e:
        raise Fail(EXIT_PERM, "permission denied reading %s: run as root" % e.filename)
    except FileNotFoundError as e:
        check_root(root)
        raise Fail(EXIT_ERROR, "cannot read %s: %s" % (e.filename, e.strerror))


def summary_rows(summary):
    """summary's table as the module prints it: a row per VM, then `unattributed`."""
    return table(summary.split("\n\n", 1)[0])


def verdicts(summary):
    """summary: the table, a blank line, then '<vm>: <verdict>' lines."""
    out = {}
    tail = summary.split("\n\n", 1)
    for line in (tail[1] if len(tail) == 2 else "").splitlines():
        vm, sep, v = line.partition(": ")
        if sep:
            out[vm] = v
    return out


def read_summary(root):
    """summary alone: one file, one snapshot of every VM (what -w reads each interval)."""
    return guarded(root, lambda: summary_rows(read(os.path.join(root, "summary"))))


def read_vm(root, name):
    d = os.path.join(root, "vms", name)
    info = keyvals(read(os.path.join(d, "info")))
    vm = {
        "name": name,
        "pid": int(info.get("pid", -1)),
        "comm": info.get("comm", "?"),
        "kvm": info.get("kvm"),
        "found": info.get("found"),
        "stats": numbers(read(os.path.join(d, "stats"))),
        "gsi": table(read(os.path.join(d, "gsi"))),
        "vcpus": table(read(os.path.join(d, "vcpus"))),
        "producers": table(read(os.path.join(d, "producers"))),
        "signallers": {},
    }
    sig = os.path.join(d, "signallers")   # absent from older modules
    if os.path.exists(sig):
        vm["signallers"] = numbers(read(sig))
    lat = os.path.join(d, "latency")      # likewise
    vm["latency"] = table(read(lat)) if os.path.exists(lat) else []
    vm["producers_posted"] = sum(p.get("mode") == "posted" for p in vm["producers"])
    return vm


def vm_order(name):
    """<pid>-<n> in number order."""
    return [int(x) if x.isdigit() else x for x in name.split("-")]


def read_all(root, detail=True):
    """Everything, as one dict. A VM destroyed while we read it is left out."""
    return guarded(root, lambda: _read_all(root, detail))


def _read_all(root, detail):
    summary = read(os.path.join(root, "summary"))
    vd = verdicts(summary)
    vms = []
    for name in sorted(os.listdir(os.path.join(root, "vms")), key=vm_order):
        try:
            vm = read_vm(root, name)
        except FileNotFoundError:
            continue
        vm["verdict"] = vd.get(name, "")
        vms.append(vm)
    un = numbers(read(os.path.join(root, "unattributed")))
    data = {"vms": vms, "summary": summary_rows(summary), "unattributed": {},
            "unattributed_vfio_msi_by_pid": {}}
    for k, v in un.items():
        if k.startswith("vfio_msi_pid_"):
            data["unattributed_vfio_msi_by_pid"][k[len("vfio_msi_pid_"):]] = v
        else:
            data["unattributed"][k] = v
    if detail:
        data["probes"] = [dict(zip(("probe", "symbol", "state", "hits", "via", "proto"),
                                   l.split()))
                          for l in read(os.path.join(root, "probes")).splitlines()]
        for p in data["probes"]:
            p["hits"] = int(p["hits"])
        pi = os.path.join(root, "pi_ipis")
        data["pi_ipis"] = table(read(pi)) if os.path.exists(pi) else []
    return data


def select(vms, which, key="name"):
    """The VMs named `which`, or of the VMM with pid `which`; every one for None."""
    if which is None:
        return vms
    out = [v for v in vms if v[key] == which or str(v["pid"]) == which]
    if not out:
        names = ", ".join(v[key] for v in vms if v[key] != "unattributed") or "none"
        raise Fail(EXIT_NO_VM, "no VM named or with pid '%s' (VMs: %s)" % (which, names))
    return out


def bucket_bounds(cols):
    """(low, high) in ns of each `latency` bucket column: lt_<2^b> is [2^(b-1), 2^b), inf the rest."""
    out, low = [], 0
    for c in cols:
        high = int(c[3:]) if c.startswith("lt_") else None
        out.append((low, high))
        low = high if high is not None else low
    return out
