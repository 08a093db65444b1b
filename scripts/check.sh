#!/usr/bin/env bash
# Build and boot every kernel in $KERNELS, run the guest tests (mode=check), sum the TAP results.
# env: KERNELS (default "6.1 6.12"), QEMU_TIMEOUT, VERBOSE=1
set -euo pipefail
. "$(dirname "$0")/lib.sh"
grep -qx 'build/' "$REPO/.gitignore" 2>/dev/null || echo 'build/' >>"$REPO/.gitignore"

pass=0 fail=0 skip=0 rc=0
for v in ${KERNELS:-6.1 6.12}; do
    echo "=== $v"
    p=0 f=0 s=0 t_boot=0 notes=()
    if ! prepare "$v"; then
        f=1; notes+=("not ok - $FAIL_STEP (kernel $v)")
    else
        t=$SECONDS
        log=$OUT/check.log
        booted=1
        "$S/qemu-run.sh" "$KDIR" "$OUT/initrd.cpio.gz" check "$log" || booted=0
        t_boot=$((SECONDS - t))
        p=$(grep -E '^[[:space:]]*ok [0-9]+' "$log" | grep -vc '# *SKIP' || true)
        s=$(grep -E '^[[:space:]]*ok [0-9]+' "$log" | grep -c '# *SKIP' || true)
        f=$(grep -cE '^[[:space:]]*not ok' "$log" || true)
        mapfile -t -O "${#notes[@]}" notes < <(grep -E '^[[:space:]]*not ok' "$log" || true)
        guest_rc=$(grep -o 'IRQPATH-GUEST-DONE rc=[0-9]*' "$log" | tail -1 | cut -d= -f2 || true)
        if [ "$booted" = 0 ]; then
            f=$((f + 1)); notes+=("not ok - boot (guest crashed or hung; last 40 lines of $log:)")
            mapfile -t -O "${#notes[@]}" notes < <(tail -40 "$log" | sed 's/^/    | /')
        elif [ "$guest_rc" != 0 ] && [ "$f" = 0 ]; then
            f=1; notes+=("not ok - e2e run.sh exited rc=$guest_rc")
        fi
    fi
    extra=; [ "$s" -gt 0 ] && extra=", $s skipped"
    echo "${KVER:-$v}: $p passed, $f failed$extra (boot+tests $t_boot s; fetch $T_FETCH s, build $T_BUILD s)"
    for n in "${notes[@]}"; do echo "  $n"; done
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

# Host-side suites; each ends with "<name>: N passed, N failed".
for suite in ${SUITES-kunit lint tool dkms stress bench}; do
    echo "=== $suite"
    t=$SECONDS
    log=${BUILD_ROOT:-$REPO/build}/$suite.log
    mkdir -p "$(dirname "$log")"
    run=$S/$suite.sh; [ -x "$run" ] || run=$REPO/tests/$suite/run.sh
    "$run" >"$log" 2>&1 || true
    line=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
    if [ -z "$line" ]; then
        p=0 f=1
        echo "  not ok - $suite ran no test; last lines of $log:"
        tail -20 "$log" | sed 's/^/    | /'
    else
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        { grep -E '^[[:space:]]*not ok' "$log" || true; } | sed 's/^/  /'
    fi
    echo "$suite: $p passed, $f failed ($((SECONDS - t)) s)"
    pass=$((pass + p)) fail=$((fail + f))
done

extra=; [ "$skip" -gt 0 ] && extra=", $skip skipped"
echo "$pass passed, $fail failed$extra"
[ "$fail" = 0 ] && [ $((pass + skip)) -gt 0 ]
