# SPDX-License-Identifier: GPL-2.0
"""irqpath --prometheus: node_exporter's textfile format."""
import re

from irqpath_tree import bucket_bounds

LAT_HELP = ("Hop latency of the VM's interrupts: vfio_to_wakeup (VFIO MSI handler to irqfd "
            "wakeup), wakeup_to_delivery (fast path), deferred_to_inject (wakeup to its "
            "irqfd_inject work), delivery_to_entry (delivery to its vCPU's next VM entry).")

HELP = {
    "irqfd_wakeups": "Eventfd signals on the VM's irqfds.",
    "irqfd_fast": "irqfd wakeups delivered in place (fast path, often hard-IRQ context).",
    "irqfd_deferred": "irqfd wakeups deferred to the irqfd_inject work.",
    "irqfd_injects": "Runs of the irqfd_inject work.",
    "msi_injects": "MSIs injected by kvm_set_msi (KVM_SIGNAL_MSI and deferred MSI routes).",
    "vcpu_deliveries": "Interrupts accepted by a vCPU's local APIC.",
    "vfio_msi": "VFIO MSIs signalled on the VM's eventfds.",
    "vfio_msi_irqfd": "VFIO MSIs whose eventfd is a KVM irqfd.",
    "vfio_msi_userspace": "VFIO MSIs whose eventfd the VMM reads (no irqfd).",
    "bypass_add": "IRQ bypass producers connected.",
    "bypass_del": "IRQ bypass producers disconnected.",
    "irte_posted": "IRTE updates to posted mode.",
    "irte_remapped": "IRTE updates to remapped mode.",
    "deliveries_posted": "Deliveries posted (APICv/AVIC active on the vCPU's local APIC).",
    "deliveries_kicked": "Deliveries set in the IRR with the vCPU kicked (no APICv/AVIC).",
    "pi_wakeups": "Blocked vCPUs woken by a posted interrupt (Intel PIW, AMD GA log).",
    "probe_missed": "Probe hits the kprobe layer dropped.",
    "vm_alloc_failed": "VMs that could not get a record.",
}


def esc(v):
    return str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def labels(**kw):
    return "{" + ",".join('%s="%s"' % (k, esc(v)) for k, v in kw.items()) + "}"


def show_prometheus(data, vms):
    out = []
    seen = set()

    def metric(name, kind, help_, lbl, value):
        # a histogram's _bucket, _sum and _count share one HELP and TYPE
        family = re.sub(r"_(bucket|sum|count)$", "", name) if kind == "histogram" else name
        if family not in seen:
            seen.add(family)
            out.append("# HELP %s %s" % (family, help_))
            out.append("# TYPE %s %s" % (family, kind))
        out.append("%s%s %s" % (name, lbl, value))

    # Group samples by metric name: the format wants a metric's lines together.
    samples = []
    for vm in vms:
        base = dict(vm=vm["name"], pid=vm["pid"], comm=vm["comm"])
        for k, v in vm["stats"].items():
            if k == "producers_active":
                samples.append(("kvm_irqpath_producers_active", "gauge",
                                "IRQ bypass producers connected now.", base, v))
            else:
                samples.append(("kvm_irqpath_%s_total" % k, "counter",
                                HELP.get(k, "kvm_irqpath counter %s." % k), base, v))
        samples.append(("kvm_irqpath_producers_posted", "gauge",
                        "IRQ bypass producers in posted mode now.", base, vm["producers_posted"]))
        for r in vm["gsi"]:
            for c in ("wakeups", "fast", "deferred", "injects"):
                if c in r:
                    samples.append(("kvm_irqpath_gsi_%s_total" % c, "counter",
                                    "irqfd %s per GSI." % c, dict(base, gsi=r["gsi"]), r[c]))
            for by in ("irq", "vhost", "vmm", "other"):
                if by in r:   # columns added with the signallers
                    samples.append(("kvm_irqpath_gsi_signalled_total", "counter",
                                    "irqfd wakeups per GSI by signaller: a hard IRQ, a vhost "
                                    "worker, the VMM, another process.",
                                    dict(base, gsi=r["gsi"], by=by), r[by]))
        for k, v in vm["signallers"].items():
            if k.startswith("other_pid_"):
                samples.append(("kvm_irqpath_signalled_by_pid_total", "counter",
                                "irqfd wakeups signalled by processes other than the VMM, "
                                "by pid.", dict(base, signaller=k[len("other_pid_"):]), v))
        for r in vm["vcpus"]:
            samples.append(("kvm_irqpath_vcpu_deliveries_by_vcpu_total", "counter",
                            "Interrupts accepted per vCPU.", dict(base, vcpu=r["vcpu"]),
                            r["deliveries"]))
            for c, h in (("posted", "Deliveries posted per vCPU."),
                         ("kicked", "Deliveries kicked per vCPU."),
                         ("pi_wakeups", "Posted-interrupt wakeups per vCPU.")):
                if c in r:   # columns added with the Intel support
                    samples.append(("kvm_irqpath_vcpu_%s_by_vcpu_total" % c, "counter", h,
                                    dict(base, vcpu=r["vcpu"]), r[c]))
        for r in vm.get("latency", []):
            cols = [c for c in r if c.startswith("lt_") or c == "inf"]
            cum = 0
            lb = dict(base, hop=r["hop"])
            for c, (low, high) in zip(cols, bucket_bounds(cols)):
                cum += r[c]
                le = "+Inf" if high is None else repr((high - 1) / 1e9)
                samples.append(("kvm_irqpath_latency_seconds_bucket", "histogram", LAT_HELP,
                                dict(lb, le=le), cum))
            samples.append(("kvm_irqpath_latency_seconds_sum", "histogram", LAT_HELP, lb,
                            repr(r["sum_ns"] / 1e9)))
            samples.append(("kvm_irqpath_latency_seconds_count", "histogram", LAT_HELP, lb,
                            r["count"]))
    for k, v in data["unattributed"].items():
        samples.append(("kvm_irqpath_unattributed_%s_total" % k, "counter",
                        HELP.get(k, "kvm_irqpath counter %s." % k) + " No VM known.", {}, v))
    for pid, v in sorted(data["unattributed_vfio_msi_by_pid"].items()):
        samples.append(("kvm_irqpath_unattributed_vfio_msi_by_pid_total", "counter",
                        "VFIO MSIs no VM can be tied to, per registering pid.", {"pid": pid}, v))
    samples.append(("kvm_irqpath_vms", "gauge", "VMs kvm_irqpath tracks now.", {}, len(vms)))
    for p in data.get("probes", []):
        lb = dict(probe=p["probe"], symbol=p["symbol"])
        samples.append(("kvm_irqpath_probe_hits_total", "counter", "Hits of each probe.",
                        lb, p["hits"]))
        samples.append(("kvm_irqpath_probe_attached", "gauge", "1 if the probe is attached.",
                        lb, int(p["state"] == "attached")))
    order = {}
    for s in samples:
        # a histogram's series stay together, bucket lines of one label set in order
        key = re.sub(r"_(bucket|sum|count)$", "", s[0]) if s[1] == "histogram" else s[0]
        order.setdefault(key, []).append(s)
    for group in order.values():
        for name, kind, help_, lbl, v in group:
            metric(name, kind, help_, labels(**lbl) if lbl else "", v)
    print("\n".join(out))
