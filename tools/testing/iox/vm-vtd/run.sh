#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vm-vtd layer: iox_intel.ko, the VT-d driver, proven by device DMA in
# the x86 VM (q35 with QEMU's intel-iommu and edu): the iox_intel_edu suite
# (drivers/iox/intel/edu_test.c) runs on load, twice - with QEMU's default
# 39-bit unit (3-level tables) and with aw-bits=48 (4-level tables).
#
# Usage: run.sh --modules DIR --build BUILDDIR [--result-file FILE]
#               [--variants "39 48"]
#   --modules   the x86_64 out dir of the modules layer: its load-order and
#               the iox_intel*.ko it copies beside it
#   --build     scratch dir, shared with the other VM layers
#   --variants  address widths to boot (default both)
# Exit status: 0 when nothing failed.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

die() {
	echo "vm-vtd: $*" >&2
	exit 2
}

moddir='' build='' result_file='' variants='39 48'
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || die "$1 needs a value"
	case "$1" in
	--modules) moddir=$2 ;;
	--build) build=$2 ;;
	--result-file) result_file=$2 ;;
	--variants) variants=$2 ;;
	*) die "unknown argument $1" ;;
	esac
	shift 2
done
[ -n "$moddir" ] && [ -n "$build" ] || die "--modules and --build are required"
[ -f "$moddir/load-order" ] || die "$moddir/load-order not found (run the modules layer)"
mkdir -p "$build"
build=$(cd "$build" && pwd)

# The VM loads the shim (when the modules layer built one), the core, the
# driver and the suite; iox_mock and the core's suites stay out.
mods=$build/vm-vtd-modules
rm -rf "$mods"
mkdir -p "$mods"
: >"$mods/load-order"
while read -r file _; do
	case "$file" in
	iox_kunit_shim.ko|iox.ko) ;;
	*) continue ;;
	esac
	cp "$moddir/$file" "$mods/"
	echo "$file" >>"$mods/load-order"
done <"$moddir/load-order"
for file in iox_intel.ko iox_intel_edu.ko; do
	[ -f "$moddir/$file" ] || die "$moddir/$file not found: the modules layer did not build it"
	cp "$moddir/$file" "$mods/"
	echo "$file" >>"$mods/load-order"
done

passed=0 failed=0 skipped=0 status=0
for aw in $variants; do
	case "$aw" in
	39) extra='' ;;
	48) extra='-global intel-iommu.aw-bits=48' ;;
	*) die "unknown variant $aw (39 or 48)" ;;
	esac
	res=$build/vm-vtd$aw.result
	rm -f "$res"
	"$iox/vm/run.sh" --arch x86 --modules "$mods" --build "$build" \
		--layer "vm-vtd$aw" --qemu-extra "$extra" --result-file "$res" ||
		status=1
	if [ -s "$res" ]; then
		read -r p f s <"$res"
	else
		p=0 f=1 s=0
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

[ -z "$result_file" ] || echo "$passed $failed $skipped" >"$result_file"
echo "vm-vtd: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
