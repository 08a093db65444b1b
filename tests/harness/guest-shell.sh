#!/usr/bin/env bash
# Boot a guest (default 6.12) with an interactive busybox shell on the console. Ctrl-A X quits QEMU.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
prepare "${1:-6.12}" || { echo "guest-shell: $FAIL_STEP failed" >&2; exit 1; }
exec 8>&-   # QEMU has read the initrd once it starts; do not block other runs
exec "$S/qemu-run.sh" "$KDIR" "$OUT/initrd.cpio.gz" shell /dev/null
