#!/usr/bin/env bash
# Boot 6.12 in demo mode (/tests/e2e/demo.sh) and print the guest's output.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
prepare 6.12 || { echo "demo: $FAIL_STEP failed" >&2; exit 1; }
rc=0
"$S/qemu-run.sh" "$KDIR" "$OUT/initrd.cpio.gz" demo "$OUT/demo.log" || rc=$?
sed -n '/IRQPATH-GUEST-KERNEL/,/IRQPATH-GUEST-DONE/p' "$OUT/demo.log" | sed '1d'
[ "$rc" = 0 ] || { echo "demo: guest did not finish; last lines:"; tail -40 "$OUT/demo.log"; exit 1; }
grep -q 'IRQPATH-GUEST-DONE rc=0' "$OUT/demo.log"
