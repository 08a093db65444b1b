#!/usr/bin/env bash
# Install the host packages the harness needs (apt-get update only if something is missing).
set -euo pipefail

pkgs=(qemu-system-x86 busybox-static dwarves sparse kmod cpio xz-utils zstd bc flex bison
      libelf-dev libssl-dev gcc make libc6-dev bpftrace
      bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools)   # the Intel lane (check-intel)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#pkgs[@]} packages present"
else
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    echo "deps: done"
fi
# promtool only, out of Debian's prometheus package (tool tests, e2e tool test)
"$(dirname "$0")/promtool.sh" >/dev/null
