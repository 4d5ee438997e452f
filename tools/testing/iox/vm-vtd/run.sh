#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vm-vtd layer: iox_intel.ko, the VT-d driver, proven by device DMA in
# the x86 VM (q35 with QEMU's intel-iommu and edu): the iox_intel_edu suite
# (drivers/iox/intel/edu_test.c) runs on load, with QEMU's default 39-bit
# unit (3-level tables), with aw-bits=48 (4-level tables), and "owned":
# booted with intel_iommu=on, where the kernel's VT-d driver owns the unit,
# iox_intel must refuse it (its insmod fails, with the message) and leave
# it working: edu's DMA through the kernel's DMA API still arrives.
# "fl48" boots QEMU 10 from Debian's bookworm-backports (fetch-qemu10.sh,
# unpacked under BUILDDIR/qemu10) with x-flts=on: scalable mode with
# first-level tables only, which QEMU 7.2 does not model.
# In every boot, after iox_intel_edu, the iox_dma_edu suite
# (drivers/iox/tests/dma_edu_test.c) drives edu through the standard DMA
# API in an iox DMA domain, strict and lazy. The 48 boot also runs
# iox_iova_vs_linux: iox's IOVA allocator and the stock kernel's
# alloc_iova_fast() side by side, with the ratio of their times.
#
# Usage: run.sh --modules DIR --build BUILDDIR [--result-file FILE]
#               [--variants "39 48 sm39 sm48 nopt smnopt hotplug fl48 owned"]
#   --modules   the x86_64 out dir of the modules layer: its load-order and
#               the iox_intel*.ko it copies beside it
#   --build     scratch dir, shared with the other VM layers
#   --variants  the boots (default all)
# Exit status: 0 when nothing failed.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

die() {
	echo "vm-vtd: $*" >&2
	exit 2
}

moddir='' build='' result_file='' variants='39 48 sm39 sm48 nopt smnopt hotplug fl48 owned'
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
if [ -z "$moddir" ] || [ -z "$build" ]; then
	die "--modules and --build are required"
fi
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
for file in iox_intel.ko iox_intel_edu.ko iox_dma_edu.ko; do
	[ -f "$moddir/$file" ] || die "$moddir/$file not found: the modules layer did not build it"
	cp "$moddir/$file" "$mods/"
	echo "$file" >>"$mods/load-order"
done

# One boot (48) also runs the IOVA allocator side by side with the stock
# kernel's alloc_iova_fast(), the issue's "in the VT-d VM" comparison.
mods_bench=$build/vm-vtd-modules-bench
rm -rf "$mods_bench"
cp -r "$mods" "$mods_bench"
[ -f "$moddir/iox_iova_bench_test.ko" ] ||
	die "$moddir/iox_iova_bench_test.ko not found: the modules layer did not build it"
cp "$moddir/iox_iova_bench_test.ko" "$mods_bench/"
echo iox_iova_bench_test.ko >>"$mods_bench/load-order"

# A second edu behind a PCIe root port, with the 64-bit DMA mask vm/run.sh
# gives the first.
edu2='-device pcie-root-port,id=rp1,chassis=1 -device edu,bus=rp1,dma_mask=0xffffffffffffffff'

passed=0 failed=0 skipped=0 status=0
for variant in $variants; do
	extra='' append='' qemu='qemu-system-x86_64' vmmods=$mods
	case "$variant" in
	39) ;;
	# The 48-bit boots also have snoop control (ECAP.SC), the others not.
	48) extra='-global intel-iommu.aw-bits=48 -global intel-iommu.snoop-control=on' vmmods=$mods_bench ;;
	sm39) extra='-global intel-iommu.x-scalable-mode=on' ;;
	sm48) extra='-global intel-iommu.x-scalable-mode=on -global intel-iommu.aw-bits=48 -global intel-iommu.snoop-control=on' ;;
	nopt) extra='-global intel-iommu.pt=off' ;;
	smnopt) extra='-global intel-iommu.x-scalable-mode=on -global intel-iommu.pt=off' ;;
	# A second edu behind a PCIe root port, which edu_hotplug removes
	# and rescans.
	hotplug) extra=$edu2 ;;
	# First-level translation: QEMU 10 wants scalable mode and a 48-bit
	# unit for it, and then offers first level only (ECAP.FLTS, no
	# SLTS), so iox_intel gives its paging domains first-level tables.
	# The second edu runs the hotplug case on them too.
	fl48)
		"$iox/fetch-qemu10.sh" "$build/qemu10" >/dev/null ||
			die "cannot fetch QEMU 10 for $variant"
		qemu=$build/qemu10/bin/qemu-system-x86_64
		extra='-global intel-iommu.x-scalable-mode=on -global intel-iommu.x-flts=on -global intel-iommu.aw-bits=48'
		extra="$extra $edu2" ;;
	owned) append='intel_iommu=on' ;;
	*) die "unknown variant $variant (39, 48, sm39, sm48, nopt, smnopt, hotplug, fl48 or owned)" ;;
	esac
	res=$build/vm-vtd-$variant.result
	rm -f "$res"
	run=("$iox/vm/run.sh" --arch x86 --modules "$vmmods" --build "$build"
	     --layer "vm-vtd-$variant" --qemu "$qemu" --qemu-extra "$extra"
	     --append-extra "$append" --result-file "$res")
	if [ "$variant" != owned ]; then
		rc=0
		"${run[@]}" || rc=1
	else
		# The driver must refuse the unit (owned.sh counts it).
		rc=0
		"$iox/vm/owned.sh" --ko iox_intel.ko \
			--phrase "in use by the kernel's VT-d driver" -- \
			"${run[@]:1}" || rc=1 # run.sh's arguments, without run.sh
	fi
	[ "$rc" -eq 0 ] || status=1
	if [ -s "$res" ]; then
		read -r p f s <"$res"
	else
		p=0 f=1 s=0
	fi
	[ "$f" -eq 0 ] || status=1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

[ -z "$result_file" ] || echo "$passed $failed $skipped" >"$result_file"
echo "vm-vtd: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
