#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The build of `make run`'s stories: the core, the unit drivers, the bridge
# to the kernel's IOMMU API and their VM suites, for the stock amd64
# kernel the VMs boot, or (--arch arm64) cross-built for the stock arm64
# kernel fetch-arm64.sh keeps in BUILDDIR/arm64-debian (no mock unit, no
# core suites), with the KUnit shim
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
arch=x86
if [ "${1:-}" = --arch ]; then
	arch=${2:?--arch needs x86 or arm64}
	shift 2
fi
build=${1:?usage: story-build.sh [--arch x86|arm64] BUILDDIR}
cross=()

case "$arch" in
x86)
	"$iox/deps.sh" make gcc kmod linux-headers-amd64 linux-image-amd64 >/dev/null
	kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9][^ ]*-amd64\) .*/\1/p')
	hdr=/usr/src/linux-headers-$kver ;;
arm64)
	arm64dir=${IOX_ARM64_DIR:-$build/arm64-debian}
	"$iox/fetch-arm64.sh" "$arm64dir" >/dev/null
	KVER='' HEADERS=''
	# shellcheck disable=SC1091
	. "$arm64dir/arm64.env"
	kver=$KVER-arm64 hdr=$HEADERS
	cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
*) echo "story: --arch x86 or arm64, not $arch" >&2; exit 2 ;;
esac
if [ -z "$kver" ] || [ ! -f "$hdr/Module.symvers" ]; then
	echo "story: no headers for the $arch kernel" >&2
	exit 2
fi

src=$build/src
mkdir -p "$src"
(cd "$top" && tar -cf - --exclude='*.o' --exclude='*.ko' \
	--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='Module.symvers' --exclude='modules.order' drivers/iox \
	include/linux/iox*.h include/linux/vcm.h tools/testing/iox/kunit-shim) |
	tar -C "$src" -xpf -
log=$build/build.log
jobs=$(nproc)
shim=$src/tools/testing/iox/kunit-shim
extra=()
: >"$log"
if ! grep -Eq '^CONFIG_KUNIT=(y|m)$' "$hdr/.config"; then
	make -C "$hdr" M="$shim" -j"$jobs" "${cross[@]}" modules >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; exit 1; }
	extra=(KBUILD_EXTRA_SYMBOLS="$shim/Module.symvers")
fi
make -C "$hdr" M="$src/drivers/iox" -j"$jobs" "${cross[@]}" "${extra[@]}" \
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
