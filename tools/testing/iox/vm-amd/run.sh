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

layer=vm-amd
variants='72 10 owned'
# shellcheck source-path=SCRIPTDIR source=../vm/layer.sh
. "$(dirname "$0")/../vm/layer.sh"

trace=0
layer_flag() {
	[ "$1" = --trace ] || return 1
	trace=1
}

# The variant's table depth: the 72 boot takes the unit's deepest (6
# levels, from EFR.HATS), the 10 boot 4; each one's reload case goes to 3.
# QEMU's amd-iommu never writes its event log: the DMA-API suite proves
# refused DMA by its bytes (fault_reports=0), as iox_amd_edu always does.
layer_params() {
	case "$1/$2" in
	10/iox_amd.ko) echo levels=4 ;;
	*/iox_amd.ko) echo levels=0 ;;
	esac
}

layer_parse_args "$@"
for variant in $variants; do
	case "$variant" in
	72|10|owned) ;;
	*) die "unknown variant $variant (72, 10 or owned)" ;;
	esac
done
layer_build_dir

# The VM loads the shim (when the modules layer built one), the core, the
# driver and the suites; iox_mock and the core's suites stay out.
layer_need_mods fail iox_amd_lib.ko iox_amd.ko iox_amd_edu.ko iox_dma_edu.ko \
	iox_amd_test.ko
layer_modules_dir "$build/vm-amd-modules" "$moddir"
layer_add_mod iox_amd_lib.ko
layer_add_mod iox_amd.ko
layer_add_mod iox_amd_edu.ko
layer_add_mod iox_dma_edu.ko fault_reports=0
cp "$moddir/iox_amd_test.ko" "$build/vm-amd-modules/"

# One modules dir per variant; $2: also load iox_amd_test.ko (its
# iox_amd_cmdq suite wants --smp 2).
variant_mods() {
	local dir

	dir=$(layer_variant_mods "$1")
	[ "$2" -eq 0 ] || echo iox_amd_test.ko >>"$dir/load-order"
	echo "$dir"
}

for variant in $variants; do
	extra='' owned=() qemu='qemu-system-x86_64'
	smp=1 suites=0
	case "$variant" in
	72) smp=2 suites=1 ;;
	10)
		"$iox/fetch-qemu10.sh" "$build/qemu10" >/dev/null ||
			die "cannot fetch QEMU 10 for $variant"
		qemu=$build/qemu10/bin/qemu-system-x86_64
		extra='-global amd-iommu.pt=off' ;;
	owned) owned=(--owned) ;;
	esac
	if [ "$trace" -eq 1 ] || [ "$variant" = 72 ]; then
		mkdir -p "$build/vm-amd-$variant"
		extra="$extra -trace amdvi_* -D $build/vm-amd-$variant/amdvi.trace"
	fi
	vmmods=$(variant_mods "$variant" "$suites")
	res=$build/vm-amd-$variant.result
	rm -f "$res"
	# The driver must refuse the unit in the owned boot (owned.sh counts
	# it).
	rc=0
	layer_boot "$variant" iox_amd.ko "in use by the kernel's AMD-Vi driver" \
		--arch x86 --iommu amd ${owned[@]+"${owned[@]}"} \
		--modules "$vmmods" --build "$build" --layer "vm-amd-$variant" \
		--smp "$smp" --qemu "$qemu" --qemu-extra "$extra" \
		--result-file "$res" || rc=1
	layer_count "$res" "$rc"
	case "$extra" in
	*-trace*) echo "vm-amd: QEMU trace $build/vm-amd-$variant/amdvi.trace" ;;
	esac
done

layer_finish
