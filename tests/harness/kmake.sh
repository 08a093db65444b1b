#!/usr/bin/env bash
# make against an unpacked kernel dir (tests/harness/kernel.sh), in the trixie build
# root when that kernel's kbuild needs it (the dir holds a file `buildroot`).
# usage: kmake.sh <kerneldir> <make arguments...>
set -euo pipefail
kdir=$1; shift
if [ -f "$kdir/buildroot" ]; then
	exec "$(dirname "$0")/buildroot.sh" run make -C "$kdir/build" "$@"
fi
exec make -C "$kdir/build" "$@"
