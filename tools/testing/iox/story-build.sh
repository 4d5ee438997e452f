#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The build of `make run`'s stories: the core, the unit drivers, the bridge
# to the kernel's IOMMU API and their VM suites, for the stock amd64
# kernel the VMs boot (no mock unit, no core suites), with the KUnit shim
# where that kernel has no KUnit. Sources are copied over the last run's
# tree with their times and without build products, so Kbuild rebuilds
# only what changed. Leaves every module in BUILDDIR/ko, the shim first in
# BUILDDIR/ko/shim-order when there is one, and the build log in
# BUILDDIR/build.log.
#
# Usage: story-build.sh BUILDDIR
# Exit status: 0 when it built.

set -eu

iox=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$iox/../../.." && pwd)
build=${1:?usage: story-build.sh BUILDDIR}

"$iox/deps.sh" make gcc kmod linux-headers-amd64 linux-image-amd64 >/dev/null

# The headers of the kernel linux-image-amd64 pulled in, which the VM boots.
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/^linux-headers-\([0-9][^ ]*-amd64\) .*/\1/p')
hdr=/usr/src/linux-headers-$kver
if [ -z "$kver" ] || [ ! -f "$hdr/Module.symvers" ]; then
	echo "story: no headers for linux-headers-amd64's kernel" >&2
	exit 2
fi

src=$build/src
mkdir -p "$src"
(cd "$top" && tar -cf - --exclude='*.o' --exclude='*.ko' \
	--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='Module.symvers' --exclude='modules.order' drivers/iox \
	include/linux/iox*.h tools/testing/iox/kunit-shim) |
	tar -C "$src" -xpf -
log=$build/build.log
jobs=$(nproc)
shim=$src/tools/testing/iox/kunit-shim
extra=()
: >"$log"
if ! grep -Eq '^CONFIG_KUNIT=(y|m)$' "$hdr/.config"; then
	make -C "$hdr" M="$shim" -j"$jobs" modules >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; exit 1; }
	extra=(KBUILD_EXTRA_SYMBOLS="$shim/Module.symvers")
fi
make -C "$hdr" M="$src/drivers/iox" -j"$jobs" "${extra[@]}" \
	CONFIG_IOX_MOCK= CONFIG_IOX_KUNIT_TEST= modules >>"$log" 2>&1 ||
	{ tail -n 20 "$log" >&2; exit 1; }

rm -rf "$build/ko"
mkdir -p "$build/ko"
: >"$build/ko/shim-order"
if [ ${#extra[@]} -gt 0 ]; then
	cp "$shim/iox_kunit_shim.ko" "$build/ko/"
	echo iox_kunit_shim.ko >"$build/ko/shim-order"
fi
cp "$src"/drivers/iox/*.ko "$build/ko/"
echo "$kver"
