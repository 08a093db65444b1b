#!/usr/bin/env bash
# DKMS packaging test on a Debian 12 host: installs dkms and the Debian headers of 6.1
# (and 6.12, whose headers depend on its image package), then checks that
# `make dkms-install`, `dkms build -k <kver>`, `make dkms-remove` and a staged plain
# `make install` work. Idempotent: it removes what an earlier run left first.
# Prints TAP lines and "dkms: N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
K61=${KVER_61:-6.1.0-56-amd64}
K612=${KVER_612:-6.12.117+deb12-amd64}
VER=$(cat "$REPO/VERSION")
n=0 fail=0
LOG=$(mktemp /tmp/dkms-test.XXXXXX)
trap 'rm -f "$LOG"' EXIT
check() {   # check <desc> <cmd...>: one TAP line; the command's output goes to the log
    local desc=$1; shift; n=$((n + 1))
    if "$@" >"$LOG" 2>&1; then echo "ok $n - $desc"
    else fail=$((fail + 1)); echo "not ok $n - $desc"; tail -15 "$LOG" | sed 's/^/#   /'; fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_install() {   # only what is missing, so a second run does not touch apt
    local p missing=()
    for p in "$@"; do installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} = 0 ] && return 0
    # INITRD=No: Debian's initramfs hook skips building an initrd for the image package.
    INITRD=No DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "${missing[@]}" || {
        apt-get update -q -o DPkg::Lock::Timeout=300 && INITRD=No DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"; }
}
mk() {   # make with install.mk, whether or not the Makefile includes it yet
    if grep -q '^include scripts/install.mk' "$REPO/Makefile"; then make "$@"
    else make -f Makefile -f scripts/install.mk "$@"; fi
}
ko_of() { ls /lib/modules/"$1"/updates/dkms/kvm_irqpath.ko* 2>/dev/null; }
built_ko() { ls /var/lib/dkms/kvm_irqpath/"$VER"/"$1"/x86_64/module/kvm_irqpath.ko* 2>/dev/null | head -1; }
vermagic_is() { modinfo -F vermagic "$1" | grep -q "^$2 "; }
gone() { ! dkms status -m kvm_irqpath | grep -q . && [ ! -e /usr/src/kvm_irqpath-"$VER" ] && [ -z "$(ko_of "$K61")" ]; }

start=$SECONDS
check "apt: dkms and linux-headers-$K61" apt_install dkms "linux-headers-$K61"
have612=0
if apt_install "linux-image-$K612" "linux-headers-$K612" >"$LOG" 2>&1; then have612=1
else echo "# 6.12: installing linux-image-$K612 + headers failed, its checks skipped:"; tail -5 "$LOG" | sed 's/^/#   /'; fi
echo "# apt: $((SECONDS - start)) s"

# leftovers of an earlier (or interrupted) run
dkms remove -m kvm_irqpath --all >/dev/null 2>&1
rm -rf /usr/src/kvm_irqpath-*

check "dkms.conf PACKAGE_VERSION = VERSION ($VER)" grep -qx "PACKAGE_VERSION=\"$VER\"" "$REPO/dkms.conf"
cd "$REPO" || exit 1
check "make dkms-install (add, build, install for $K61)" mk dkms-install KVER="$K61" PREFIX=/tmp/irqpath-prefix
check "make dkms-install again (rebuilds, --force)" mk dkms-install KVER="$K61" PREFIX=/tmp/irqpath-prefix
check "dkms status: installed for $K61" sh -c "dkms status -m kvm_irqpath -v $VER -k $K61 | grep -q installed"
check "module in /lib/modules/$K61/updates/dkms, vermagic $K61" vermagic_is "$(ko_of "$K61")" "$K61"
check "modules.dep lists it" grep -q 'updates/dkms/kvm_irqpath.ko' "/lib/modules/$K61/modules.dep"
if [ "$have612" = 1 ]; then
    check "dkms build -k $K612" dkms build -m kvm_irqpath -v "$VER" -k "$K612"
    check "the 6.12 build has vermagic $K612" vermagic_is "$(built_ko "$K612")" "$K612"
else
    n=$((n + 1)); echo "ok $n - dkms build -k $K612 # SKIP no headers"
fi
check "make dkms-remove" mk dkms-remove
check "dkms remove cleaned up (status, /usr/src, module)" gone

# A plain install, staged in a DESTDIR, built from a copy so the repo stays clean.
tmp=$(mktemp -d /tmp/dkms-plain.XXXXXX)
cp -r "$REPO"/{Makefile,Kbuild,VERSION,src,include,scripts} "$tmp/"
( cd "$tmp" && REPO=$tmp && check "make install DESTDIR (plain, $K61)" \
      mk -j"$(nproc)" install KDIR="/lib/modules/$K61/build" DESTDIR="$tmp/root" PREFIX=/usr/local
  check "plain: module, modules.dep and irqpath staged" sh -c \
      "ls root/lib/modules/$K61/extra/kvm_irqpath.ko* && grep -q kvm_irqpath root/lib/modules/$K61/modules.dep && test -x root/usr/local/sbin/irqpath"
  echo "$n $fail" >"$tmp/counts" )
read -r n fail <"$tmp/counts"
rm -rf "$tmp" /tmp/irqpath-prefix

echo "# dkms test: $((SECONDS - start)) s"
echo "dkms: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
