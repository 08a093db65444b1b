#!/usr/bin/env bash
# Build kvm_irqpath.ko (and tests/modules if present) against an unpacked kernel, W=1, no warnings allowed.
# usage: build-module.sh <kerneldir> <outdir>   -> <outdir>/mod/kvm_irqpath.ko [, <outdir>/testmod/*.ko]
set -euo pipefail

kdir=$(realpath "$1"); out=$(realpath -m "$2")
repo=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}

kbuild() {   # kbuild <name> <srcdir-with-Kbuild> <copy...>: copy into $out/<name>, build, reject warnings
    local name=$1 dst=$out/$1; shift
    rm -rf "$dst"; mkdir -p "$dst"
    local f; for f in "$@"; do [ -e "$f" ] && cp -a "$f" "$dst/"; done
    if ! "$(dirname "$0")/kmake.sh" "$kdir" M="$dst" W=1 modules >"$dst/build.log" 2>&1; then
        grep -E 'error|warning' "$dst/build.log" | head -40 >&2 || tail -40 "$dst/build.log" >&2
        echo "build-module: $name build FAILED (log: $dst/build.log)" >&2; return 1
    fi
    if grep -q 'warning:' "$dst/build.log"; then
        grep 'warning:' "$dst/build.log" | head -40 >&2
        echo "build-module: $name build has warnings (log: $dst/build.log)" >&2; return 1
    fi
    echo "build-module: $name ok: $(cd "$dst" && ls -- *.ko | tr '\n' ' ')" >&2
}

kbuild mod "$repo/Kbuild" "$repo/compat.mk" "$repo/src" "$repo/include"
[ -f "$out/mod/kvm_irqpath.ko" ] || { echo "build-module: no kvm_irqpath.ko produced" >&2; exit 1; }

if [ -f "$repo/tests/modules/Kbuild" ]; then
    kbuild testmod "$repo"/tests/modules/* "$repo/compat.mk" "$repo/include"
fi
