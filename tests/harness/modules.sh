# Sourced by initramfs.sh and nested-guest.sh: kernel modules into a guest's root.
# copy_modules <kdir> <kver> <root> <module...>: the modules listed (those that are modules
# of this kernel; built-in or absent ones are skipped) and everything they depend on,
# uncompressed, with the files depmod needs, then depmod.
copy_modules() {
    local kdir=$1 kver=$2 root=$3 m f rel mdir
    shift 3
    mdir=$kdir/lib/modules/$kver
    for m in "$@"; do
        modinfo -b "$kdir" -k "$kver" -F filename "$m" >/dev/null 2>&1 || continue   # absent or builtin
        modprobe -d "$kdir" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
    done | sort -u | while read -r f; do
        rel=${f#"$mdir"/}
        mkdir -p "$root/lib/modules/$kver/$(dirname "$rel")"
        case $f in
            *.ko)     cp "$f" "$root/lib/modules/$kver/$rel" ;;
            *.ko.xz)  xz -dc "$f" > "$root/lib/modules/$kver/${rel%.xz}" ;;
            *.ko.zst) zstd -qdc "$f" > "$root/lib/modules/$kver/${rel%.zst}" ;;
        esac
    done
    cp "$mdir"/modules.{builtin,builtin.modinfo,order} "$root/lib/modules/$kver/"
    depmod -b "$root" "$kver"
}
