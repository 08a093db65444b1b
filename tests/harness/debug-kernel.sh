#!/usr/bin/env bash
# Build (once) the debug kernel for `make check-debug`: Debian's linux-source-6.12, x86_64 defconfig
# + kvm_guest.config + tests/harness/debug-kernel.config (KASAN, lockdep, ...; KVM/VFIO as modules).
# usage: debug-kernel.sh   -> prints the kernel dir (last line of stdout); called as kernel.sh 6.12-debug
# The kernel dir is laid out like kernel.sh's: boot/vmlinuz-<kver>, kver, lib/modules/<kver>
# (modules installed, depmod run) and build (-> the O= build dir, for make -C <dir>/build M=...).
# Cached in $CACHE/debug-kernel/<source version>-<hash of config fragment and recipe>; the extracted
# source is shared per source version in $CACHE/debug-kernel/src-<source version>.
# env: CACHE (default /var/cache/kvm_irqpath), DEBUG_KERNEL_JOBS (default 2)
set -euo pipefail

S=$(cd "$(dirname "$0")" && pwd)
CACHE=${CACHE:-/var/cache/kvm_irqpath}
frag=$S/debug-kernel.config
jobs=${DEBUG_KERNEL_JOBS:-2}
pkg=linux-source-6.12
log() { echo "debug-kernel: $*" >&2; }

# Bump when the recipe below changes in a way that changes the kernel.
recipe="defconfig + kvm_guest.config + fragment; bzImage modules; v1"

mkdir -p "$CACHE/debug-kernel"
exec 9>"$CACHE/debug-kernel/.lock"
flock -n 9 || { log "waiting for another debug-kernel build"; flock 9; }

if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    log "apt-get install $pkg"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2 ||
        { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >&2; }
fi
srcver=$(dpkg-query -W -f='${Version}' "$pkg")
tarball=/usr/src/$pkg.tar.xz
[ -f "$tarball" ] || { log "$tarball missing (package $pkg $srcver)"; exit 1; }

hash=$( { echo "$recipe"; cat "$frag"; } | sha256sum | cut -c1-12)
kdir=$CACHE/debug-kernel/$srcver-$hash

if [ -f "$kdir/kver" ]; then
    log "cached $kdir ($(cat "$kdir/kver"); cold build took $(cat "$kdir/build-seconds" 2>/dev/null || echo '?') s)"
    echo "$kdir"
    exit 0
fi

t0=$SECONDS
# Our own copy of the source, never the KUnit tree (and never built in: O= only).
srcroot=$CACHE/debug-kernel/src-$srcver
src=$srcroot/$pkg
if [ ! -f "$srcroot/.extracted" ]; then
    log "extracting $tarball ($srcver)"
    rm -rf "$srcroot.tmp" "$srcroot"; mkdir -p "$srcroot.tmp"
    tar -C "$srcroot.tmp" -xJf "$tarball"
    [ -f "$srcroot.tmp/$pkg/Makefile" ] || { log "no $pkg/Makefile in $tarball"; exit 1; }
    touch "$srcroot.tmp/.extracted"
    mv "$srcroot.tmp" "$srcroot"
fi

# An interrupted build resumes in the same O= dir (kver is written last).
obj=$kdir/obj
mkdir -p "$obj"
kmake() { nice -n 19 make -C "$src" O="$obj" "$@"; }
blog=$kdir/build.log

log "configuring $obj"
kmake defconfig >"$blog" 2>&1 || { tail -20 "$blog" >&2; log "defconfig FAILED"; exit 1; }
cp "$obj/.config" "$kdir/defconfig.base"
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$kdir/defconfig.base" \
    "$src/kernel/configs/kvm_guest.config" "$frag" >>"$blog" 2>&1 ||
    { tail -20 "$blog" >&2; log "merge_config FAILED"; exit 1; }
kmake olddefconfig >>"$blog" 2>&1 || { tail -20 "$blog" >&2; log "olddefconfig FAILED"; exit 1; }

# Every option of the fragment must have survived Kconfig's dependency resolution.
bad=0
while IFS= read -r line; do
    case $line in
        CONFIG_*=*)
            grep -qxF -- "$line" "$obj/.config" && continue
            log "fragment: wanted '$line', .config has '$(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo 'nothing')'"
            bad=$((bad + 1)) ;;
        "# CONFIG_"*" is not set")
            opt=${line#\# }; opt=${opt%% *}
            grep -q "^$opt=" "$obj/.config" || continue
            log "fragment: wanted '$line', .config has '$(grep "^$opt=" "$obj/.config")'"
            bad=$((bad + 1)) ;;
    esac
done <"$frag"
if [ "$bad" -gt 0 ]; then
    log "FAILED: $bad option(s) of $frag are not set as asked in $obj/.config"
    exit 1
fi
log "all options of $(basename "$frag") are set"

log "building with -j$jobs under nice 19 (log $blog; 30-60 min cold on 2 cores)"
tb=$SECONDS
if ! kmake -j"$jobs" bzImage modules >>"$blog" 2>&1; then
    grep -E 'error|Error' "$blog" | head -20 >&2 || true
    tail -20 "$blog" >&2
    log "build FAILED (log $blog)"
    exit 1
fi
# the release (with CONFIG_LOCALVERSION) is known once the build has run syncconfig
kver=$(cat "$obj/include/config/kernel.release")
log "compiled $kver in $((SECONDS - tb)) s"

rm -rf "$kdir/boot" "$kdir/lib"
mkdir -p "$kdir/boot"
cp "$obj/arch/x86/boot/bzImage" "$kdir/boot/vmlinuz-$kver"
cp "$obj/.config" "$kdir/boot/config-$kver"
cp "$obj/System.map" "$kdir/boot/System.map-$kver"
kmake INSTALL_MOD_PATH="$kdir" INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod modules_install >>"$blog" 2>&1 ||
    { tail -20 "$blog" >&2; log "modules_install FAILED"; exit 1; }
ln -sfn ../../../obj "$kdir/lib/modules/$kver/build"
ln -sfn "$src" "$kdir/lib/modules/$kver/source"
ln -sfn obj "$kdir/build"
depmod -b "$kdir" "$kver"

# Check that an out-of-tree module builds cleanly with W=1.
log "building hello-world module (W=1)"
"$(dirname "$0")/hello-module.sh" "$kdir" || { log "hello-world module build FAILED"; exit 1; }

echo $((SECONDS - t0)) > "$kdir/build-seconds"
echo "$kver" > "$kdir/kver"
log "ready: $kdir ($kver, built in $((SECONDS - t0)) s)"
echo "$kdir"
