#!/usr/bin/env bash
# promtool, to check `irqpath --prometheus` as Prometheus reads it: taken from Debian's
# prometheus package without installing it (no daemon, no user): apt-get download, then
# only usr/bin/promtool out of the .deb. Cached in $CACHE/promtool/<version>/; the link
# $CACHE/promtool/promtool names the one in use (the e2e guest reaches it through the
# host root). Prints that path.
# env: CACHE (default /var/cache/kvm_irqpath)
set -euo pipefail

CACHE=${CACHE:-/var/cache/kvm_irqpath}
dir=$CACHE/promtool
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

ver=$(apt-cache policy prometheus 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
    apt-get update -qq >&2
    ver=$(apt-cache policy prometheus | awk '$1 == "Candidate:" { print $2 }')
fi
[ -n "$ver" ] && [ "$ver" != "(none)" ] || { echo "promtool: no prometheus package in apt" >&2; exit 1; }
bin=$dir/$ver/usr/bin/promtool
if [ ! -x "$bin" ]; then
    tmp=$(mktemp -d "$dir/.get.XXXXXX")
    chown _apt "$tmp" 2>/dev/null || true   # apt downloads as _apt when it can
    (cd "$tmp" && apt-get download -qq "prometheus=$ver" >&2)
    dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb |
        tar -x -C "$tmp" ./usr/bin/promtool
    mkdir -p "$dir/$ver/usr/bin"
    mv "$tmp/usr/bin/promtool" "$bin"
    rm -rf "$tmp"
    echo "promtool: $ver from Debian's prometheus package" >&2
fi
ln -sfn "$bin" "$dir/promtool"
echo "$dir/promtool"
