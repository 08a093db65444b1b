#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit suites of tests/kunit with the kernel's own kunit.py (UML) on
# Debian's linux-source-6.12. Debian's kernels have no KUnit, so the logic
# files are linked into drivers/misc/kvm_irqpath/ of a cached source tree the
# way an in-tree driver would sit there. That directory alone is built with
# W=1's warnings and -Werror (tests/kunit/Kbuild): a warning in our files
# fails the run and is shown under its path in the repo.
#
#   tests/harness/kunit.sh              build + run; ends with "kunit: N passed, N failed"
#   tests/harness/kunit.sh --coverage   same in a separate gcov build; line coverage of the logic
#
# Cache (outside the repo, keyed by the package version):
#   $KUNIT_CACHE/linux-<ver>      extracted source tree (shared, patched once)
#   $KUNIT_CACHE/build-<ver>      kept build directory: a warm run takes seconds
#   $KUNIT_CACHE/build-cov-<ver>  the coverage build
# Exit status: 0 only when at least one case ran and none failed.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${KUNIT_CACHE:-/var/cache/kvm_irqpath/kunit}
PKG=linux-source-6.12
JOBS=${KUNIT_JOBS:-2}
MODE=run
case "${1:-}" in
    "") ;;
    --coverage) MODE=coverage ;;
    -h|--help) sed -n '3,18p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--coverage]" >&2; exit 2 ;;
esac

T0=$SECONDS
# Wait for another apt-get (the harness may be installing too) instead of failing.
APT=(apt-get -o DPkg::Lock::Timeout=600)
log() { echo "kunit: $*"; }
die() { echo "kunit: $*" >&2; echo "kunit: 0 passed, 0 failed"; exit 1; }

# --- host packages -----------------------------------------------------------
pkgs=(build-essential flex bison bc python3 xz-utils)
[ "$MODE" = coverage ] && pkgs+=(lcov)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    { "${APT[@]}" update -qq && "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null 2>&1 ||
        die "apt-get install ${missing[*]} failed"
fi

mkdir -p "$CACHE" || die "cannot create $CACHE"
# The source tree is shared: checked under a shared lock, set up (extract,
# link, hook) under an exclusive one, then held shared while building, so
# the normal and the coverage build run side by side.
exec 8>"$CACHE/.tree.lock"
flock -s 8

TARBALL=/usr/src/$PKG.tar.xz
if ! dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'install ok installed'; then
    # apt-get install, else download + dpkg -x into the cache
    log "fetching $PKG"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${APT[@]}" install -y -qq --no-install-recommends "$PKG" >/dev/null 2>&1; then
        "${APT[@]}" update -qq >/dev/null 2>&1
        if ! "${APT[@]}" install -y -qq --no-install-recommends "$PKG" >/dev/null 2>&1; then
            dl=$CACHE/deb.$$; rm -rf "$dl"; mkdir -p "$dl"
            (cd "$dl" && apt-get download "$PKG" >/dev/null 2>&1) || die "cannot fetch $PKG"
            dpkg -x "$dl"/"$PKG"_*.deb "$dl/root" || die "cannot unpack $PKG"
            TARBALL=$dl/root/usr/src/$PKG.tar.xz
            VER=$(dpkg-deb -f "$dl"/"$PKG"_*.deb Version)
        fi
    fi
fi
VER=${VER:-$(dpkg-query -W -f='${Version}' "$PKG")}
KEY=${VER//\~/+}
SRC=$CACHE/linux-$KEY
D=$SRC/drivers/misc/kvm_irqpath

# drivers/misc/kvm_irqpath/<name> -> <repo>/<target>
links=(Kconfig:tests/kunit/Kconfig Kbuild:tests/kunit/Kbuild include:include)
for f in counters latency registry producers rows route render efd_map classify btf_proto; do links+=("$f.c:src/$f.c"); done
for f in "$REPO"/tests/kunit/*_test.c "$REPO"/tests/kunit/*.h; do links+=("$(basename "$f"):tests/kunit/$(basename "$f")"); done

tree_ok() {
    local l
    [ -f "$SRC/.kvm_irqpath-extracted" ] || return 1
    grep -q 'kvm_irqpath/Kconfig' "$SRC/drivers/misc/Kconfig" || return 1
    grep -q 'kvm_irqpath/' "$SRC/drivers/misc/Makefile" || return 1
    grep -q 'fini_array\.\*' "$SRC/arch/um/include/asm/common.lds.S" || return 1
    [ "$(find "$D" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" -eq ${#links[@]} ] || return 1
    for l in "${links[@]}"; do
        [ "$(readlink "$D/${l%%:*}")" = "$REPO/${l#*:}" ] || return 1
    done
}

if ! tree_ok; then
    flock -x 8
    if [ ! -f "$SRC/.kvm_irqpath-extracted" ]; then
        [ -f "$TARBALL" ] || die "$TARBALL missing"
        log "extracting $PKG $VER into $SRC"
        tmp=$CACHE/.extract.$$
        rm -rf "$tmp" "$SRC"; mkdir -p "$tmp"
        tar -xJf "$TARBALL" -C "$tmp" || { rm -rf "$tmp"; die "cannot extract $TARBALL"; }
        mv "$tmp"/linux-source-* "$SRC" || die "unexpected layout of $TARBALL"
        rmdir "$tmp"
        touch "$SRC/.kvm_irqpath-extracted"
    fi
    [ -n "${dl:-}" ] && rm -rf "$dl"
    # Sit the project in the tree as drivers/misc/kvm_irqpath, an in-tree driver.
    # Another checkout's objects may be newer than this one's sources: make
    # would keep them, so they go (the build dirs are named below).
    rm -rf "$D" "$CACHE/build-$KEY/drivers/misc/kvm_irqpath" \
        "$CACHE/build-cov-$KEY/drivers/misc/kvm_irqpath"
    mkdir -p "$D"
    for l in "${links[@]}"; do ln -s "$REPO/${l#*:}" "$D/${l%%:*}"; done
    grep -q 'kvm_irqpath/Kconfig' "$SRC/drivers/misc/Kconfig" ||
        sed -i '$ s|^endmenu$|source "drivers/misc/kvm_irqpath/Kconfig"\nendmenu|' "$SRC/drivers/misc/Kconfig"
    grep -q 'kvm_irqpath/' "$SRC/drivers/misc/Makefile" ||
        printf 'obj-$%s\t+= kvm_irqpath/\n' '(CONFIG_KVM_IRQPATH_KUNIT_TEST)' >>"$SRC/drivers/misc/Makefile"
    # GCC >= 7 puts gcov's exit handlers in .fini_array.<prio>, which UML's
    # linker script drops: without this no .gcda is ever written.
    grep -q 'fini_array\.\*' "$SRC/arch/um/include/asm/common.lds.S" ||
        sed -i 's/^\t\*(\.fini_array)$/\tKEEP(*(SORT(.fini_array.*))) *(.fini_array)/' \
            "$SRC/arch/um/include/asm/common.lds.S"
    tree_ok || die "cannot set up drivers/misc/kvm_irqpath in $SRC"
    flock -s 8
fi

# --- build and run -----------------------------------------------------------
args=(--kunitconfig="$REPO/tests/kunit/.kunitconfig" --jobs="$JOBS")
if [ "$MODE" = coverage ]; then
    BUILD=$CACHE/build-cov-$KEY
    args+=(--kunitconfig="$SRC/tools/testing/kunit/configs/coverage_uml.config")
    # Counts of the previous run would add up.
    [ -d "$BUILD" ] && find "$BUILD" -name '*.gcda' -delete
    # GCC 12's libgcov.a defines mangle_path(), and so does fs/seq_file.c:
    # UML's static link fails. Link a copy of libgcov with that symbol
    # renamed; CC_FLAGS_LTO (unused without LTO) reaches only UML's link line.
    lib=$(gcc -print-file-name=libgcov.a)
    if nm "$lib" 2>/dev/null | grep ' T mangle_path$' >/dev/null; then
        mkdir -p "$CACHE/gcov-lib"
        objcopy --redefine-sym mangle_path=__libgcov_mangle_path "$lib" "$CACHE/gcov-lib/libgcov.a" ||
            die "cannot rewrite $lib"
        args+=(--make_options="CC_FLAGS_LTO=-L$CACHE/gcov-lib")
    fi
else
    BUILD=$CACHE/build-$KEY
fi
args+=(--build_dir="$BUILD")
# One run at a time per build directory.
exec 9>"$BUILD.lock"
flock 9
cold=warm; [ -f "$BUILD/vmlinux" ] || cold=cold
mkdir -p "$BUILD"
LOG=$BUILD/kunit-run.log
rm -f "$BUILD/test.log"
log "$PKG $VER, UML, $cold build in $BUILD"
t=$SECONDS
(cd "$SRC" && python3 tools/testing/kunit/kunit.py run "${args[@]}") >"$LOG" 2>&1
rc=$?
T_RUN=$((SECONDS - t))

if ! grep -q 'KTAP version\|TAP version' "$BUILD/test.log" 2>/dev/null; then
    grep -v '^\s*$' "$LOG" | tail -30 >&2
    # Our files' warnings (errors here), named by their paths in the repo.
    ours=$(sed 's/^ERROR:root://' "$LOG" | grep -F "$D/" | grep -E ':[0-9]+: (warning|error):')
    for l in "${links[@]}"; do ours=${ours//"$D/${l%%:*}:"/"${l#*:}:"}; done
    [ -z "$ours" ] || printf 'kunit: in our files:\n%s\n' "$ours" >&2
    die "kunit.py failed before any test ran (status $rc after $T_RUN s; log $LOG)"
fi

# --- KTAP -> one line per failing case, then the counts ----------------------
# Leaves are real cases: a parameterised case counts once per parameter.
COUNT=$BUILD/kunit-count.txt
rm -f "$COUNT"
python3 - "$BUILD/test.log" "$rc" "$COUNT" <<'PY'
import re, sys
path, rc, count_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    lines = open(path, errors='replace').read().splitlines()
except OSError:
    lines = []
res = re.compile(r'^(\s*)(not ok|ok) (\d+)(?: - | )?([^#]*?)\s*(?:#\s*(\S+).*)?$')
plan = re.compile(r'^(\s*)1\.\.(\d+)\s*$')
sub = re.compile(r'^(\s*)# Subtest: (.*)$')
strip = re.compile(r'^\[\s*\d+\.\d+\]\s?')
passed = failed = skipped = 0
fails, names, kids, plans, seen, warn, per_suite = [], {}, {}, {}, {}, [], {}
started = False
for raw in lines:
    l = strip.sub('', raw.rstrip())
    if not started:
        started = l.lstrip().startswith(('KTAP version', 'TAP version'))
        continue
    if re.search(r'BUG:|WARNING:|possible recursive locking|circular locking|'
                 r'inconsistent lock state|Kernel panic|Oops', l):
        warn.append(l.strip())
        continue
    m = sub.match(l)
    if m:
        names[len(m.group(1)) // 4] = m.group(2)
        continue
    m = plan.match(l)
    if m:
        d = len(m.group(1)) // 4
        plans[d], seen[d] = int(m.group(2)), 0
        continue
    m = res.match(l)
    if not m:
        continue
    d = len(m.group(1)) // 4
    ok, name, directive = m.group(2) == 'ok', m.group(4).strip(), (m.group(5) or '').upper()
    seen[d] = seen.get(d, 0) + 1
    had_kids = kids.pop(d + 1, False)
    kids[d] = True
    if had_kids or d == 0:
        if d + 1 in plans and seen.get(d + 1, 0) < plans[d + 1]:
            n = plans[d + 1] - seen[d + 1]
            failed += n
            fails.append('%s: %d case(s) never reported' % (name, n))
        plans.pop(d + 1, None); seen.pop(d + 1, None)
        continue
    path_ = '.'.join(names[i] for i in range(1, d + 1) if i in names) + '.' + name \
        if d >= 1 else name
    suite = names.get(1, '?')
    per_suite[suite] = per_suite.get(suite, 0) + 1
    if directive == 'SKIP':
        skipped += 1
    elif ok:
        passed += 1
    else:
        failed += 1
        fails.append(path_)
# A crash or a hang cuts the KTAP short: what never reported failed.
for d in sorted(plans):
    if seen.get(d, 0) < plans[d]:
        n = plans[d] - seen[d]
        failed += n if d else 0   # suites: their cases count, not they
        fails.append('%s: %d %s never reported (crash?)' % (
            names.get(d, 'top level'), n, 'suite(s)' if d == 0 else 'case(s)'))
if per_suite:
    print('kunit: ran ' + ', '.join('%s (%d)' % kv for kv in per_suite.items()))
for f in fails:
    print('FAIL', f)
for w in warn[:10]:
    print('kernel:', w)
if skipped:
    print('kunit: %d skipped' % skipped)
if rc != 0 and not fails:
    print('kunit: kunit.py exited with status %d (see the log)' % rc)
# The closing line; the script prints it last.
open(count_file, 'w').write('kunit: %d passed, %d failed\n' % (passed, failed))
sys.exit(0 if passed and not failed and not fails and not warn and rc == 0 else 1)
PY
st=$?
[ -s "$COUNT" ] || { echo "kunit: 0 passed, 0 failed" >"$COUNT"; st=1; }
el=$(grep -o 'Elapsed time: .*' "$LOG" | tail -1 |
     sed -E 's/Elapsed time: ([0-9.]+)s total, ([0-9.]+)s configuring, ([0-9.]+)s building, ([0-9.]+)s running/kunit.py \1 s (config \2 s, build \3 s, run \4 s)/')
log "${el:-no timing from kunit.py}; script $((SECONDS - T0)) s; log $LOG"

if [ "$MODE" = coverage ]; then
    # Line coverage of the three logic files (UML writes .gcda at exit).
    O=$BUILD/drivers/misc/kvm_irqpath
    if ! ls "$O"/*.gcda >/dev/null 2>&1; then
        echo "kunit: no coverage data in $O" >&2; st=1
    else
        for f in counters latency registry producers rows route render efd_map classify btf_proto; do
            (cd "$O" && gcov -n -o . "$f.o" 2>/dev/null) | awk -v f="$f.c" '
                /^File / { want = index($0, "/" f "\047") > 0 }
                want && /^Lines executed:/ {
                    sub("Lines executed:", ""); sub(" of ", " of ")
                    print "coverage: src/" f " " $0 " lines"; want = 0 }'
        done
        if command -v lcov >/dev/null && command -v genhtml >/dev/null; then
            lcov -q -c -d "$O" -o "$BUILD/all.info" >/dev/null 2>&1 &&
            lcov -q -e "$BUILD/all.info" '*/counters.c' '*/latency.c' '*/registry.c' '*/producers.c' '*/rows.c' '*/route.c' '*/render.c' '*/efd_map.c' '*/classify.c' '*/btf_proto.c' \
                -o "$BUILD/kvm_irqpath.info" >/dev/null 2>&1 &&
            genhtml -q -o "$BUILD/coverage-html" "$BUILD/kvm_irqpath.info" >/dev/null 2>&1 &&
            log "coverage report $BUILD/coverage-html/index.html"
        fi
    fi
fi
cat "$COUNT"
exit $st
