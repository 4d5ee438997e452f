#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vm-amd layer: iox_amd.ko, the AMD-Vi driver, proven by device DMA in
# the x86 VM (q35 with QEMU's amd-iommu at PCI 00:02.0 and edu at 00:03.0,
# on pcie.0, booted with amd_iommu=off intremap=off): the iox_amd_edu
# suite (drivers/iox/amd/) runs on load, then the iox_dma_edu suite
# (drivers/iox/tests/dma_edu_test.c) drives edu through the standard DMA
# API in an iox DMA domain, strict and lazy.  The boots:
#   72     the system's QEMU 7.2, -device amd-iommu (one IVHD, type 10h),
#          with two vCPUs and iox_amd_test.ko too: its iox_amd_cmdq suite
#          runs the command queue against a software unit on the second
#   10     QEMU 10 from Debian's bookworm-backports (fetch-qemu10.sh,
#          unpacked under BUILDDIR/qemu10), with amd-iommu's pt=off, without
#          which 10.0.2 does not translate edu's DMA; its IVRS has an IVHD
#          type 10h and an 11h, its unit is PCI 1022:1419 (7.2's 1022:0010)
#   owned  QEMU 7.2 booted without amd_iommu=off: the kernel's AMD-Vi
#          driver owns the unit, iox_amd must refuse it (its insmod fails,
#          saying "in use by the kernel's AMD-Vi driver") and that must be
#          the only failure.
# The 72 boot has QEMU log its amd-iommu trace events (-trace amdvi_*:
# commands, invalidations, IOTLB hits, translations, page faults; the model
# never writes its event log, so this is the record of what DMA did) to
# BUILDDIR/vm-amd-72/amdvi.trace; --trace does so for every boot.
#
# Usage: run.sh --modules DIR --build BUILDDIR [--result-file FILE]
#               [--variants "72 10 owned"] [--trace]
#   --modules   the x86_64 out dir of the modules layer: its load-order and
#               the iox_amd*.ko it copies beside it
#   --build     scratch dir, shared with the other VM layers
#   --variants  the boots (default all)
# Exit status: 0 when nothing failed.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

die() {
	echo "vm-amd: $*" >&2
	exit 2
}

moddir='' build='' result_file='' variants='72 10 owned' trace=0
while [ $# -gt 0 ]; do
	if [ "$1" = --trace ]; then
		trace=1
		shift
		continue
	fi
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
for variant in $variants; do
	case "$variant" in
	72|10|owned) ;;
	*) die "unknown variant $variant (72, 10 or owned)" ;;
	esac
done
mkdir -p "$build"
build=$(cd "$build" && pwd)

# No boot without a result: a missing module fails the layer once, clearly.
fail() {
	echo "vm-amd: $*" >&2
	[ -z "$result_file" ] || echo "0 1 0" >"$result_file"
	echo "vm-amd: 0 passed, 1 failed, 0 skipped"
	exit 1
}

# The VM loads the shim (when the modules layer built one), the core, the
# driver and the suites; iox_mock and the core's suites stay out.
mods=$build/vm-amd-modules
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
for file in iox_amd_lib.ko iox_amd.ko iox_amd_edu.ko iox_dma_edu.ko \
	iox_amd_test.ko; do
	[ -f "$moddir/$file" ] ||
		fail "$moddir/$file not found: the modules layer did not build it"
	cp "$moddir/$file" "$mods/"
done
# QEMU's amd-iommu never writes its event log: the DMA-API suite proves
# refused DMA by its bytes (fault_reports=0), as iox_amd_edu always does.
# @LEVELS@ is the variant's table depth.
{
	echo iox_amd_lib.ko
	echo "iox_amd.ko @LEVELS@"
	echo iox_amd_edu.ko
	echo "iox_dma_edu.ko fault_reports=0"
} >>"$mods/load-order"

# One modules dir per depth: the 72 boot takes the unit's deepest (6
# levels, from EFR.HATS), the 10 boot 4; each one's reload case goes to 3.
# $3: also load iox_amd_test.ko (its iox_amd_cmdq suite wants --smp 2).
variant_mods() {
	local dir=$build/vm-amd-modules-$1
	rm -rf "$dir"
	cp -r "$mods" "$dir"
	sed -i "s/@LEVELS@/$2/" "$dir/load-order"
	[ "$3" -eq 0 ] || echo iox_amd_test.ko >>"$dir/load-order"
	echo "$dir"
}

passed=0 failed=0 skipped=0 status=0
for variant in $variants; do
	extra='' owned=() qemu='qemu-system-x86_64' levels='levels=0'
	smp=1 suites=0
	case "$variant" in
	72) smp=2 suites=1 ;;
	10)
		"$iox/fetch-qemu10.sh" "$build/qemu10" >/dev/null ||
			die "cannot fetch QEMU 10 for $variant"
		qemu=$build/qemu10/bin/qemu-system-x86_64
		extra='-global amd-iommu.pt=off' levels='levels=4' ;;
	owned) owned=(--owned) ;;
	esac
	if [ "$trace" -eq 1 ] || [ "$variant" = 72 ]; then
		mkdir -p "$build/vm-amd-$variant"
		extra="$extra -trace amdvi_* -D $build/vm-amd-$variant/amdvi.trace"
	fi
	res=$build/vm-amd-$variant.result
	rm -f "$res"
	run=("$iox/vm/run.sh" --arch x86 --iommu amd ${owned[@]+"${owned[@]}"}
	     --modules "$(variant_mods "$variant" "$levels" "$suites")"
	     --build "$build" --layer "vm-amd-$variant" --smp "$smp"
	     --qemu "$qemu" --qemu-extra "$extra" --result-file "$res")
	if [ "$variant" != owned ]; then
		rc=0
		"${run[@]}" || rc=1
	else
		# The driver must refuse the unit (owned.sh counts it).
		rc=0
		"$iox/vm/owned.sh" --ko iox_amd.ko \
			--phrase "in use by the kernel's AMD-Vi driver" -- \
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
	case "$extra" in
	*-trace*) echo "vm-amd: QEMU trace $build/vm-amd-$variant/amdvi.trace" ;;
	esac
done

[ -z "$result_file" ] || echo "$passed $failed $skipped" >"$result_file"
echo "vm-amd: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
