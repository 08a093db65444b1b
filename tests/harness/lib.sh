# Shared by check.sh, demo.sh, guest-shell.sh: prepare one kernel's guest.
# prepare <6.1|6.12>: fetch the kernel, build the tracer, test modules, guest binaries and initramfs.
# Sets KDIR KVER OUT T_FETCH T_BUILD; on failure returns 1 with FAIL_STEP set (logs under $OUT).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
S=$REPO/tests/harness
# apt retries transient download errors, also when a script runs outside make
export APT_CONFIG=${APT_CONFIG:-$S/apt.conf}

prepare() {
    local t=$SECONDS
    fail_at() { FAIL_STEP=$1; T_BUILD=$((SECONDS - t)); return 1; }
    KDIR= KVER=$1 OUT= T_FETCH=0 T_BUILD=0 FAIL_STEP=
    KDIR=$("$S/kernel.sh" "$1" | tail -1) || { FAIL_STEP=fetch; return 1; }
    KVER=$(cat "$KDIR/kver"); OUT=${BUILD_ROOT:-$REPO/build}/$KVER
    T_FETCH=$((SECONDS - t)); t=$SECONDS
    mkdir -p "$OUT"
    # one harness run per build dir at a time (held until the next prepare or exit)
    exec 8>"$OUT/.lock"
    flock -n 8 || { echo "waiting for another run using $OUT" >&2; flock 8; }
    "$S/build-module.sh" "$KDIR" "$OUT" || { fail_at build-module; return 1; }
    if [ -f "$REPO/tests/guest/Makefile" ]; then
        rm -rf "$OUT/guest-bin"
        if ! make -C "$REPO/tests/guest" OUT="$OUT/guest-bin" >"$OUT/guest-bin.log" 2>&1; then
            tail -20 "$OUT/guest-bin.log" >&2; fail_at guest-bin; return 1
        fi
    fi
    "$S/initramfs.sh" "$KDIR" "$OUT" || { fail_at initramfs; return 1; }
    T_BUILD=$((SECONDS - t))
}
