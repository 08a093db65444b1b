#!/usr/bin/env bash
# Boot 6.12 in demo mode (/tests/e2e/demo.sh) and print the guest's output, but for the
# module's files it dumps ("TREE <name>| " lines): those are unpacked under the build dir
# and, with RECORD_TREES=1 (make trees), replace tests/tool/trees/demo and vfio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
prepare 6.12 || { echo "demo: $FAIL_STEP failed" >&2; exit 1; }
rc=0
"$S/qemu-run.sh" "$KDIR" "$OUT/initrd.cpio.gz" demo "$OUT/demo.log" || rc=$?
sed -n '/IRQPATH-GUEST-KERNEL/,/IRQPATH-GUEST-DONE/p' "$OUT/demo.log" | sed '1d' | grep -v '^TREE '
[ "$rc" = 0 ] || { echo "demo: guest did not finish; last lines:"; tail -40 "$OUT/demo.log"; exit 1; }
grep -q 'IRQPATH-GUEST-DONE rc=0' "$OUT/demo.log"
for t in demo vfio; do
	rm -rf "$OUT/tree-$t"
	mkdir -p "$OUT/tree-$t"
	tr -d '\r' <"$OUT/demo.log" | sed -n "s/^TREE $t| //p" | base64 -d | tar -xzf - -C "$OUT/tree-$t" ||
		{ echo "demo: no tree $t in $OUT/demo.log"; exit 1; }
	echo "(the module's files, dumped as $t: $OUT/tree-$t/kvm_irqpath)"
	if [ -n "${RECORD_TREES:-}" ]; then
		rm -rf "$REPO/tests/tool/trees/$t"
		cp -r "$OUT/tree-$t/kvm_irqpath" "$REPO/tests/tool/trees/$t"
		echo "recorded tests/tool/trees/$t"
	fi
done
