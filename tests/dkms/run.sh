#!/usr/bin/env bash
# DKMS packaging test on a Debian 12 host: installs dkms and the Debian headers of 6.1
# (and 6.12, whose headers depend on its image package), then checks that
# `make dkms-install`, `dkms build -k <kver>`, `make dkms-remove` and a staged plain
# `make install` work. 7.3 (trixie-backports) needs glibc 2.38 and gcc-14 to build, so
# its DKMS runs in the trixie root of tests/harness/buildroot.sh, with dkms and the headers
# installed by the root's own apt (the host's apt configuration is never changed).
# Idempotent: it removes what an earlier run left first, and apt runs only for what is missing.
# Prints TAP lines and "dkms: N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
# The kernels the other suites use: kernel.sh's pins (KVER_61, ...), or the newest of a
# series once Debian has dropped its pin.
kver_of() { local d; d=$("$REPO/tests/harness/kernel.sh" "$1" 2>/dev/null | tail -1) && cat "$d/kver"; }
K61=$(kver_of 6.1) K612=$(kver_of 6.12) K73=$(kver_of 7.3)
echo "# kernels: ${K61:-?} ${K612:-?} ${K73:-?}"
VER=$(cat "$REPO/VERSION")
n=0 fail=0
LOG=$(mktemp /tmp/dkms-test.XXXXXX)
tmp=
trap 'rm -rf "$LOG" $tmp /tmp/irqpath-prefix' EXIT   # also when a run dies half-way
check() {   # check <desc> <cmd...>: one TAP line; the command's output goes to the log
    local desc=$1; shift; n=$((n + 1))
    if "$@" >"$LOG" 2>&1; then echo "ok $n - $desc"; return 0; fi
    fail=$((fail + 1)); echo "not ok $n - $desc"; tail -15 "$LOG" | sed 's/^/#   /'; return 1
}
# The helpers below act on the host; under `troot` on the trixie root instead:
# R is the root's path (for files read from here), RUN the prefix for commands.
R= RUN=
inroot() { "$REPO/tests/harness/buildroot.sh" run "$@"; }
troot() { local R=$ROOT RUN=inroot; "$@"; }
installed() { $RUN dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_install() {   # only what is missing, so a second run does not touch apt
    local p missing=()
    for p in "$@"; do installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} = 0 ] && return 0
    # INITRD=No: Debian's initramfs hook skips building an initrd for the image package.
    local apt=(env INITRD=No DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
    $RUN "${apt[@]}" install -y --no-install-recommends "${missing[@]}" || {
        $RUN "${apt[@]}" update && $RUN "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; }
}
mk() {   # make with install.mk, whether or not the Makefile includes it yet
    local f=(); grep -q '^include scripts/install.mk' "$REPO/Makefile" || f=(-f Makefile -f scripts/install.mk)
    $RUN make -C "$REPO" "${f[@]}" "$@"
}
ko_of() { ls "$R"/lib/modules/"$1"/updates/dkms/kvm_irqpath.ko* 2>/dev/null; }
built_ko() { ls "$R"/var/lib/dkms/kvm_irqpath/"$VER"/"$1"/x86_64/module/kvm_irqpath.ko* 2>/dev/null | head -1; }
vermagic_is() { modinfo -F vermagic "$1" | grep -q "^$2 "; }
gone() { ! $RUN dkms status -m kvm_irqpath | grep -q . && [ ! -e "$R/usr/src/kvm_irqpath-$VER" ] && [ -z "$(ko_of "$1")" ]; }
mkvar() { mk -s --no-print-directory --eval "print-$1: ; @echo \$($1)" "print-$1"; }   # a make variable
leftovers() {   # a failed `dkms build --force` can leave an installed module that dkms forgot
    $RUN dkms remove -m kvm_irqpath --all >/dev/null 2>&1
    rm -rf "$R"/usr/src/kvm_irqpath-* "$R"/var/lib/dkms/kvm_irqpath \
        "$R"/lib/modules/*/updates/dkms/kvm_irqpath.ko*
}

root_apt() {   # the root is made once and cached (~50 s); its apt gets trixie-backports, same mirror
    ROOT=$("$REPO/tests/harness/buildroot.sh" | tail -1) && [ -f "$ROOT/.ready" ] || return 1
    local bpo=$ROOT/etc/apt/sources.list.d/trixie-backports.list
    [ -s "$bpo" ] || sed -n 's/ trixie main$/ trixie-backports main/p' "$ROOT/etc/apt/sources.list" >"$bpo"
    troot apt_install dkms "linux-headers-$K73" || return 1
    # drop apt's lists and .debs (~200 MB) again, as mmdebstrap left the root
    inroot sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/*'
}

start=$SECONDS
check "apt: dkms and linux-headers-$K61" apt_install dkms "linux-headers-$K61"
have612=0
if apt_install "linux-image-$K612" "linux-headers-$K612" >"$LOG" 2>&1; then have612=1
else echo "# 6.12: installing linux-image-$K612 + headers failed, its checks skipped:"; tail -5 "$LOG" | sed 's/^/#   /'; fi
have73=0 ROOT=
check "trixie root: dkms and linux-headers-$K73 (root's apt)" root_apt && have73=1
echo "# apt: $((SECONDS - start)) s"

# leftovers of an earlier (or interrupted) run
leftovers
[ "$have73" = 1 ] && troot leftovers

check "dkms.conf PACKAGE_VERSION = VERSION ($VER)" grep -qx "PACKAGE_VERSION=\"$VER\"" "$REPO/dkms.conf"
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
check "dkms remove cleaned up (status, /usr/src, module)" gone "$K61"

# The files `make dkms-install` copies (install.mk's DKMS_FILES), for 7.3's dkms add;
# the plain install then builds in the same copy, so the repo stays clean.
tmp=$(mktemp -d /tmp/dkms-plain.XXXXXX)
(cd "$REPO" && cp -r $(mkvar DKMS_FILES) "$tmp/")

# 7.3: add, build and remove in the trixie root; the module is not installed there.
if [ "$have73" = 1 ]; then
    check "trixie root: dkms add (the DKMS_FILES of install.mk)" inroot dkms add "$tmp"
    check "trixie root: dkms build -k $K73" inroot dkms build -m kvm_irqpath -v "$VER" -k "$K73"
    check "the 7.3 build has vermagic $K73" vermagic_is "$(troot built_ko "$K73")" "$K73"
    check "trixie root: make dkms-remove" troot mk dkms-remove
    check "trixie root: dkms remove cleaned up" troot gone "$K73"
else
    n=$((n + 1)); echo "ok $n - dkms build -k $K73 in the trixie root # SKIP no dkms or headers there"
fi

# A plain install, staged in a DESTDIR: it needs on top the makefiles that make reads
# and scripts/ (irqpath).
(cd "$REPO" && cp -r --parents $(mkvar MAKEFILE_LIST) scripts "$tmp/")
( cd "$tmp" && REPO=$tmp && check "make install DESTDIR (plain, $K61)" \
      mk -j"$(nproc)" install KDIR="/lib/modules/$K61/build" DESTDIR="$tmp/root" PREFIX=/usr/local
  check "plain: module, modules.dep, irqpath and its parts staged" sh -c \
      "ls root/lib/modules/$K61/extra/kvm_irqpath.ko* && grep -q kvm_irqpath root/lib/modules/$K61/modules.dep && test -x root/usr/local/sbin/irqpath && test -f root/usr/local/lib/kvm_irqpath/irqpath_tree.py"
  echo "$n $fail" >"$tmp/counts" )
read -r n fail <"$tmp/counts"

echo "# dkms test: $((SECONDS - start)) s"
echo "dkms: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
