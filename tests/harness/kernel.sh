#!/usr/bin/env bash
# Fetch and unpack a Debian kernel (image, headers, kbuild) for module builds and guest boots.
# usage: kernel.sh <6.1|6.12|6.12-rt|7.3|6.12-debug>   -> prints the kernel dir (last line of stdout)
# env: KVER_61 / KVER_612 / KVER_612RT / KVER_73 override the pinned kernel ABI names; CACHE (default /var/cache/kvm_irqpath)
# 6.1 and 6.12 come from this host's Debian 12 archive. 7.3 comes from trixie-backports through
# an apt state of its own (the host's apt configuration is never changed), and its modules are
# built in the trixie root of tests/harness/buildroot.sh: the kernel dir then holds a file `buildroot`.
set -euo pipefail

ver=${1:-6.12}
CACHE=${CACHE:-/var/cache/kvm_irqpath}
DEBS=$CACHE/debs
log() { echo "kernel.sh[$ver]: $*" >&2; }

case $ver in
    # 6.1.0-56-amd64 is package version 6.1.192-2
    6.1)  pin=${KVER_61:-6.1.0-56-amd64};       pat='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
    6.12) pin=${KVER_612:-6.12.117+deb12-amd64}; pat='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
    # PREEMPT_RT flavour, for the lane proving the module refuses to load there (check-rt.sh)
    6.12-rt) pin=${KVER_612RT:-6.12.117+deb12-rt-amd64}; pat='^linux-image-6\.12\.[0-9]+\+deb12-rt-amd64-unsigned$' ;;
    7.3)  pin=${KVER_73:-7.3.4+deb13-amd64};     pat='^linux-image-7\.3\.[0-9]+\+deb13-amd64$' bpo=1 ;;
    6.12-debug) exec "$(dirname "$0")/debug-kernel.sh" ;;   # built from linux-source-6.12: check-debug
    *) echo "usage: $0 <6.1|6.12|6.12-rt|7.3>" >&2; exit 2 ;;
esac

mkdir -p "$DEBS" "$CACHE/kernels"
exec 9>"$CACHE/kernels/.lock-$ver"
flock 9

APT=()
if [ "${bpo:-0}" = 1 ]; then
    # trixie + trixie-backports from the host's mirror, with lists and cache of their own
    st=$CACHE/apt-trixie
    mkdir -p "$st/lists/partial" "$st/cache/archives/partial"
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}; mirror=${mirror%% }; mirror=${mirror%/}
    kr=/usr/share/keyrings/debian-archive-keyring.gpg
    printf 'deb [signed-by=%s] %s %s main\n' "$kr" "$mirror" trixie "$kr" "$mirror" trixie-backports >"$st/sources.list"
    APT=(-o Dir::Etc::sourcelist="$st/sources.list" -o Dir::Etc::sourceparts=/dev/null
         -o Dir::State::Lists="$st/lists" -o Dir::Cache="$st/cache" -o Dir::State::status=/dev/null)
fi
apt_updated=
apt_candidate() {   # prints the candidate version of a package, empty if none
    apt-cache "${APT[@]}" policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}'
}
cached_deb() { ls "$DEBS/${1}_"*.deb 2>/dev/null | sort -V | tail -1; }
available() {
    [ -n "$(cached_deb "$1")" ] && return 0
    [ -n "$(apt_candidate "$1")" ] && return 0
    if [ -z "$apt_updated" ]; then apt_updated=1; log "apt-get update"; apt-get "${APT[@]}" update -qq >&2; fi
    [ -n "$(apt_candidate "$1")" ]
}

# Pick the kernel: the pin if it is cached or still in the archive, else the newest one there.
imgsuf=-unsigned; [ "${bpo:-0}" = 1 ] && imgsuf=
kver=$pin
if [ ! -f "$CACHE/kernels/$kver/kver" ] && ! available "linux-image-$kver$imgsuf"; then
    newest=$(apt-cache "${APT[@]}" pkgnames linux-image- | grep -E "$pat" | sort -V | tail -1 || true)
    [ -n "$newest" ] || { log "no $pat in apt"; exit 1; }
    kver=${newest#linux-image-}; kver=${kver%-unsigned}
    log "pinned $pin not available, using $kver (newest of its series)"
fi
kdir=$CACHE/kernels/$kver

if [ -f "$kdir/kver" ]; then
    log "cached $kdir"
    echo "$kdir"
    exit 0
fi

fetch() {   # fetch <package>: make sure its .deb is in $DEBS, print its path
    local f; f=$(cached_deb "$1")
    if [ -z "$f" ]; then
        available "$1" || { log "package $1 not found"; exit 1; }
        log "apt-get download $1"
        (cd "$DEBS" && apt-get "${APT[@]}" download -qq -o APT::Sandbox::User=root "$1" >&2)
        f=$(cached_deb "$1")
    fi
    echo "$f"
}

if [ "${bpo:-0}" = 1 ]; then
    # 7.x: a signed meta package; kernel, modules and module lists are in these three
    img=$(fetch "linux-binary-$kver"); img2=$(fetch "linux-modules-$kver"); img3=$(fetch "linux-base-$kver")
    debs=("$img" "$img2" "$img3")
else
    debs=("$(fetch "linux-image-$kver-unsigned")")
fi
hdr=$(fetch "linux-headers-$kver")
# the flavour's common headers: <abi>-common, or <abi>-common-rt for <abi>-rt-amd64
cname=linux-headers-${kver%-amd64}-common; case $kver in *-rt-amd64) cname=linux-headers-${kver%-rt-amd64}-common-rt ;; esac
common=$(fetch "$cname")
kbuild_pkg=$(dpkg-deb -f "$hdr" Depends | grep -o 'linux-kbuild-[^ ,]*' | head -1)
kbuild=$(fetch "$kbuild_pkg")

tmp=$CACHE/kernels/.$kver.tmp
rm -rf "$tmp"; mkdir -p "$tmp"
if [ "${bpo:-0}" = 1 ]; then
    # merged /usr: give the tree the 6.x layout (lib/modules, boot/vmlinuz-*)
    mkdir -p "$tmp/usr/lib" "$tmp/boot"; ln -s usr/lib "$tmp/lib"
    ln -s "../usr/lib/modules/$kver/vmlinuz" "$tmp/boot/vmlinuz-$kver"
    touch "$tmp/buildroot"
fi
for d in "${debs[@]}" "$hdr" "$common" "$kbuild"; do
    log "unpack $(basename "$d")"
    dpkg -x "$d" "$tmp"
done

# Headers: make the -amd64 dir self-contained inside $kdir.
hdir=usr/src/linux-headers-$kver
cdir=usr/src/${cname}
sed -i -e "s|^include /usr/src/.*|include $kdir/$cdir/Makefile|" \
    -e "s|^KBUILD_OUTPUT=/usr/src/.*|KBUILD_OUTPUT=$kdir/$hdir|" "$tmp/$hdir/Makefile"
for l in scripts tools; do
    t=$(readlink "$tmp/$hdir/$l")
    case $t in /*) ln -sfn "$kdir$t" "$tmp/$hdir/$l" ;; esac   # absolute -> inside the unpacked tree
    [ -e "$tmp/$hdir/$l" ] || { log "$hdir/$l -> $t does not resolve"; exit 1; }
done
ln -sfn "$hdir" "$tmp/build"
ln -sfnr "$tmp/$hdir" "$tmp/lib/modules/$kver/build"
ln -sfnr "$tmp/$cdir" "$tmp/lib/modules/$kver/source"

# Modules: decompress what the guest needs plus their dependencies, then depmod.
mdir=$tmp/lib/modules/$kver
unz() { for f in "$@"; do case $f in *.xz) xz -d -f "$f" ;; *.zst) zstd -q -d --rm "$f" ;; esac; done; }
for sub in arch/x86/kvm virt drivers/vfio drivers/crypto/ccp drivers/iommu net/9p fs/9p fs/netfs; do
    [ -d "$mdir/kernel/$sub" ] || continue
    find "$mdir/kernel/$sub" \( -name '*.ko.xz' -o -name '*.ko.zst' \) -print0 | xargs -0 -r -n 50 bash -c "$(declare -f unz); unz \"\$@\"" _
done
while :; do
    depmod -b "$tmp" "$kver"
    todo=$(awk -F': *' '$1 ~ /\.ko$/ {print $2}' "$mdir/modules.dep" | tr ' ' '\n' | grep -E '\.ko\.(xz|zst)$' | sort -u || true)
    [ -n "$todo" ] || break
    for m in $todo; do unz "$mdir/$m"; done
done

rm -rf "$kdir"; mv "$tmp" "$kdir"

# Check that an out-of-tree module builds cleanly with W=1.
log "building hello-world module (W=1)"
"$(dirname "$0")/hello-module.sh" "$kdir" || { log "hello-world module build FAILED"; exit 1; }

echo "$kver" > "$kdir/kver"
log "ready: $kdir"
echo "$kdir"
