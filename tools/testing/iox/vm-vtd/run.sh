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
# alloc_iova_fast() side by side, with the ratio of their times. The
# hotplug boot, which has two edus, also runs iox_vcm_pipeline
# (drivers/iox/tests/vcm_pipeline_test.c): the VCM graph's video pipeline,
# with iox_mock as its display and vcm-user (built here) as the process
# that maps the frame.
#
# Usage: run.sh --modules DIR --build BUILDDIR [--result-file FILE]
#               [--variants "39 48 sm39 sm48 nopt smnopt hotplug fl48 owned"]
#   --modules   the x86_64 out dir of the modules layer: its load-order and
#               the iox_intel*.ko it copies beside it
#   --build     scratch dir, shared with the other VM layers
#   --variants  the boots (default all)
# Exit status: 0 when nothing failed.

set -eu

layer=vm-vtd
variants='39 48 sm39 sm48 nopt smnopt hotplug fl48 owned'
# shellcheck source-path=SCRIPTDIR source=../vm/layer.sh
. "$(dirname "$0")/../vm/layer.sh"

layer_parse_args "$@"
layer_build_dir

# The VM loads the shim (when the modules layer built one), the core, the
# driver and the suite; iox_mock and the core's suites stay out.
mods=$build/vm-vtd-modules
layer_modules_dir "$mods" "$moddir"
for file in iox_intel.ko iox_intel_edu.ko iox_dma_edu.ko; do
	layer_need_mods die "$file"
	layer_add_mod "$file"
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

# The hotplug boot also runs the VCM pipeline: the mock unit (its display),
# the suite, and the process that maps its frame (a static binary: the
# initramfs has no libraries).
mods_vcm=$build/vm-vtd-modules-vcm
rm -rf "$mods_vcm"
cp -r "$mods" "$mods_vcm"
for file in iox_mock.ko iox_vcm_pipeline.ko; do
	[ -f "$moddir/$file" ] ||
		die "$moddir/$file not found: the modules layer did not build it"
	cp "$moddir/$file" "$mods_vcm/"
	echo "$file" >>"$mods_vcm/load-order"
done
"$iox/deps.sh" gcc libc6-dev >/dev/null
mkdir -p "$build/vm-vtd-bin"
gcc -O2 -static -Wall -Wextra -Werror -o "$build/vm-vtd-bin/vcm-user" \
	"$(dirname "$0")/vcm-user.c" || die "cannot build vcm-user"

# A second edu behind a PCIe root port, with the 64-bit DMA mask vm/run.sh
# gives the first.
edu2='-device pcie-root-port,id=rp1,chassis=1 -device edu,bus=rp1,dma_mask=0xffffffffffffffff'

for variant in $variants; do
	extra='' append='' qemu='qemu-system-x86_64' vmmods=$mods files=()
	case "$variant" in
	39) ;;
	# The 48-bit boots also have snoop control (ECAP.SC), the others not.
	48) extra='-global intel-iommu.aw-bits=48 -global intel-iommu.snoop-control=on' vmmods=$mods_bench ;;
	sm39) extra='-global intel-iommu.x-scalable-mode=on' ;;
	sm48) extra='-global intel-iommu.x-scalable-mode=on -global intel-iommu.aw-bits=48 -global intel-iommu.snoop-control=on' ;;
	nopt) extra='-global intel-iommu.pt=off' ;;
	smnopt) extra='-global intel-iommu.x-scalable-mode=on -global intel-iommu.pt=off' ;;
	# A second edu behind a PCIe root port, which edu_hotplug removes
	# and rescans, and then the VCM pipeline's card reader.
	hotplug)
		extra=$edu2 vmmods=$mods_vcm
		files=(--file "$build/vm-vtd-bin/vcm-user") ;;
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
	# The driver must refuse the unit in the owned boot (owned.sh counts
	# it).
	rc=0
	layer_boot "$variant" iox_intel.ko "in use by the kernel's VT-d driver" \
		--arch x86 --modules "$vmmods" --build "$build" \
		--layer "vm-vtd-$variant" --qemu "$qemu" --qemu-extra "$extra" \
		--append-extra "$append" --result-file "$res" \
		${files[@]+"${files[@]}"} || rc=1
	layer_count "$res" "$rc"
done

layer_finish
