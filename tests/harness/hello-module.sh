#!/usr/bin/env bash
# Check that an out-of-tree module builds cleanly with W=1 against a kernel dir.
# usage: hello-module.sh <kerneldir>   (builds in <kerneldir>/hello; exit 1 on error or warning)
set -euo pipefail

h=$1/hello
rm -rf "$h"; mkdir -p "$h"
cat > "$h/hello.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/init.h>

static int __init hello_init(void)
{
	pr_info("hello: loaded\n");
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("hello: unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("harness hello-world");
C
echo 'obj-m := hello.o' > "$h/Kbuild"
if ! "$(dirname "$0")/kmake.sh" "$1" M="$h" W=1 modules >"$h/build.log" 2>&1 || grep -q 'warning:' "$h/build.log"; then
    tail -30 "$h/build.log" >&2
    echo "hello-module: build FAILED (log: $h/build.log)" >&2
    exit 1
fi
