#!/usr/bin/env bash
# A Debian trixie root to build modules for kernels whose kbuild needs a newer
# toolchain than this Debian 12 host has (Debian 7.x: glibc 2.38, gcc-14).
# Made once with mmdebstrap and cached under $CACHE/buildroot/<suite>-<hash of
# the package list>; the host's apt configuration is never touched.
# usage: buildroot.sh            -> prints the root's path (last line of stdout)
#        buildroot.sh run <cmd>  -> runs cmd in the root, as root, with $CACHE,
#                                   the repository and /tmp bind-mounted at their
#                                   own paths (a private mount namespace)
set -euo pipefail

CACHE=${CACHE:-/var/cache/kvm_irqpath}
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
export CACHE REPO
suite=trixie
pkgs=gcc-14,make,libc6-dev,libelf-dev,bc,flex,bison,kmod,dwarves,python3,libssl3t64,sparse,xz-utils,zstd,cpio
key=$(echo "$suite $pkgs" | sha256sum | cut -c1-12)
root=$CACHE/buildroot/$suite-$key
log() { echo "buildroot.sh: $*" >&2; }

make_root() {
	mkdir -p "$CACHE/buildroot"
	exec 7>"$CACHE/buildroot/.lock"
	flock 7
	[ -f "$root/.ready" ] && return 0
	command -v mmdebstrap >/dev/null || {
		log "installing mmdebstrap"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
	}
	# The mirror of the host's own apt sources, read at run time.
	local mirror
	mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 || true)
	mirror=${mirror:-http://deb.debian.org/debian}
	log "creating $root from $mirror ($suite, minbase)"
	rm -rf "$root.tmp"
	local t=$SECONDS try
	# Debian's mirrors are briefly inconsistent while they sync after each dinstall
	# (01:52, 07:52, 13:52, 19:52 UTC): two fresh runs here failed at 01:5x and 02:0x
	# with "apt download failed". Retry with a growing pause before giving up.
	for try in 1 2 3 4 5; do
		rm -rf "$root.tmp"
		env -u APT_CONFIG mmdebstrap --quiet --variant=minbase --include="$pkgs" \
			--aptopt='Acquire::Retries "5"' \
			--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
			"$suite" "$root.tmp" "deb ${mirror%/} $suite main" >&2 && break
		log "mmdebstrap failed (attempt $try of 5)"
		[ "$try" = 5 ] && exit 1
		sleep $((15 * try * try))
	done
	ln -sf gcc-14 "$root.tmp/usr/bin/gcc"
	rm -rf "$root"; mv "$root.tmp" "$root"
	touch "$root/.ready"
	log "ready in $((SECONDS - t)) s: $root"
}

make_root
exec 7>&-	# the lock guards making the root, not its use: builds may run side by side
if [ "${1:-}" = run ]; then
	shift
	# Paths are the same inside and out, so build logs and kernel dirs need no mapping.
	exec unshare -m --propagation private bash -c '
		root=$1; shift
		for d in "$CACHE" "$REPO" /tmp "${BUILDROOT_BIND:-}"; do
			[ -n "$d" ] && [ -d "$d" ] || continue
			mkdir -p "$root$d" && mount --rbind "$d" "$root$d"
		done
		mount -t proc proc "$root/proc"
		exec chroot "$root" /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
	' _ "$root" "$@"
fi
echo "$root"
