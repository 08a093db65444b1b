# Shared by check.sh, demo.sh, guest-shell.sh: prepare one kernel's guest.
# prepare <6.1|6.12>: fetch the kernel, build the tracer, test modules, guest binaries and initramfs.
# Sets KDIR KVER OUT T_FETCH T_BUILD; on failure returns 1 with FAIL_STEP set (logs under $OUT).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$REPO/scripts

prepare() {
    local t=$SECONDS
    KDIR= KVER=$1 OUT= T_FETCH=0 T_BUILD=0 FAIL_STEP=
    KDIR=$("$S/kernel.sh" "$1" | tail -1) || { FAIL_STEP=fetch; return 1; }
    KVER=$(cat "$KDIR/kver"); OUT=$REPO/build/$KVER
    T_FETCH=$((SECONDS - t)); t=$SECONDS
    mkdir -p "$OUT"
    "$S/build-module.sh" "$KDIR" "$OUT" || { FAIL_STEP=build-module; return 1; }
    if [ -f "$REPO/tests/guest/Makefile" ]; then
        rm -rf "$OUT/guest-bin"
        if ! make -C "$REPO/tests/guest" OUT="$OUT/guest-bin" >"$OUT/guest-bin.log" 2>&1; then
            tail -20 "$OUT/guest-bin.log" >&2; FAIL_STEP=guest-bin; return 1
        fi
    fi
    "$S/initramfs.sh" "$KDIR" "$OUT" || { FAIL_STEP=initramfs; return 1; }
    T_BUILD=$((SECONDS - t))
}
