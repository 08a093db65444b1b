#!/usr/bin/env bash
# Static checks of the kernel code: sparse and W=1 against each kernel's headers
# (in the trixie root for 7.3) and checkpatch.pl --strict, with its data files,
# taken once from Debian's linux-source-6.12 and cached.
# Prints TAP lines and ends with "lint: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lane.sh"

n=0 fail=0
result() {	# result <rc> <description> [output]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -20 | sed 's/^/    | /'
	fi
}

for v in $KERNELS; do
	kdir=$("$S/kernel.sh" "$v" 2>/dev/null | tail -1)
	tmp=$(mktemp -d)
	cp -a "$REPO/Kbuild" "$REPO/compat.mk" "$REPO/src" "$REPO/include" "$tmp/"
	out=$("$S/kmake.sh" "$kdir" M="$tmp" W=1 C=2 CHECK=sparse modules 2>&1)
	rc=$?
	bad=$(printf '%s\n' "$out" | grep -E 'warning:|error:')
	[ -z "$bad" ] || rc=1
	result $rc "sparse and W=1 clean on $(cat "$kdir/kver")" "$bad"
	rm -rf "$tmp"
done

# checkpatch.pl and its data files from Debian's linux-source-6.12, cached.
checkpatch() {
	local dir=/var/cache/kvm_irqpath/checkpatch deb tarball
	if [ ! -f "$dir/scripts/checkpatch.pl" ]; then
		mkdir -p "$dir/deb" && rm -f "$dir"/deb/*.deb
		(cd "$dir/deb" && apt-get download linux-source-6.12 >/dev/null 2>&1) || return 1
		deb=$(ls "$dir"/deb/*.deb) && tarball=$(dpkg-deb -c "$deb" | awk '/\.tar\.xz$/ { print $6 }')
		dpkg-deb --fsys-tarfile "$deb" | tar -xO "./${tarball#./}" |
			tar -xJ -C "$dir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' || return 1
		rm -rf "$dir/deb"
	fi
	echo "$dir/scripts/checkpatch.pl"
}

# The kernel-side C that git tracks: what CI's clean clone has.
files=$(cd "$REPO" && git ls-files 'src/*.c' 'include/*.h' 'tests/modules/*.c' 'tests/kunit/*.c')
if ! cp=$(checkpatch); then
	result 1 "checkpatch: cannot fetch linux-source-6.12"
else
	out=$(cd "$REPO" && perl "$cp" --no-tree --strict --terse --show-types -f $files 2>&1 |
		grep -v '^total:')
	result "$([ -z "$out" ] && echo 0 || echo 1)" "checkpatch --strict clean" "$out"
fi
echo "lint: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
