#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vm-users layer: the stock kernel's unmodified NVMe driver and VFIO on
# iox.  The x86 VM of vm-vtd's default boot (q35 with QEMU's 39-bit
# intel-iommu, and edu) gets an NVMe controller with a 128 MiB raw disk; the
# VM loads iox.ko, iox_intel.ko and iox_iommu_api.ko, which registers iox's
# units with the kernel's IOMMU API, and its suite iox_iommu_api_edu (the
# kernel's iommu_map()/iommu_unmap() against a model, edu DMA and faults
# through an unmanaged domain), then the stock nvme.ko (and nvme-core),
# which probes with the IOMMU API's DMA ops, vfio_iommu_type1.ko
# (allow_unsafe_interrupts=1) and vfio-pci.ko, and runs nvme.sh: the
# controller in a DMA group of the unit, 64 MiB written and read back with
# O_DIRECT, concurrent writers and readers, unbind, no fault in the kernel
# log; group-type.sh: the group's sysfs type; then vfio.sh: edu bound to
# vfio-pci and driven from userspace by vfio-edu (vfio-edu.c, linked
# statically here) through type1.  iox_iommu_api cannot be unloaded: every
# module stays loaded.  One boot per variant:
#   strict  iox_iommu_api.ko dma=strict, on a unit with snoop control
#           (QEMU's snoop-control=on: VFIO_DMA_CC_IOMMU is 1)
#   lazy    iox_iommu_api.ko dma=lazy
#   auto    iox_iommu_api.ko dma=auto: the kernel's default (lazy on
#           Debian), and the group type changed through sysfs
#   amd     QEMU's amd-iommu with iox_amd.ko instead of the VT-d unit,
#           iox_iommu_api.ko dma=strict: nvme.sh and group-type.sh, and the
#           suite with fault_reports=0 (QEMU's AMD model logs no events, so
#           a refused write shows by its bytes); not vfio.sh, whose cases
#           check that the kernel logged each fault
#   smmuv3  the arm64 VM (virt with QEMU 7.2's SMMUv3, stage 1) with
#           iox_arm_smmu_v3.ko, iox_iommu_api.ko dma=strict: the suite,
#           nvme.sh and group-type.sh; there the kernel's dma-iommu maps
#           through iox's domains (Documentation/iox/users.rst)
# Without iox_iommu_api.ko in DIR the VM boots without it (nvme then DMAs
# through dma-direct) and nvme_probed and vfio_setup fail, saying so.
#
# Usage: run.sh --modules DIR --build BUILDDIR [--modules-arm64 DIR]
#               [--result-file FILE] [--variants "strict lazy auto amd smmuv3"]
#   --modules   the x86_64 out dir of the modules layer
#   --modules-arm64  its arm64 out dir (default: DIR/../arm64)
#   --build     scratch dir, shared with the other VM layers
#   --variants  the boots (default all)
# Exit status: 0 when nothing failed.

set -eu

layer=vm-users
variants='strict lazy auto amd smmuv3'
# shellcheck source-path=SCRIPTDIR source=../vm/layer.sh
. "$(dirname "$0")/../vm/layer.sh"

moddir_arm64=''
layer_option() {
	[ "$1" = --modules-arm64 ] || return 1
	moddir_arm64=$2
}

layer_parse_args "$@"
[ -n "$moddir_arm64" ] || moddir_arm64=$moddir/../arm64
layer_build_dir

layer_need_mods die iox.ko

# The VFIO client, for the initramfs, which has no libraries.
"$iox/deps.sh" gcc libc6-dev linux-libc-dev
mkdir -p "$build/vm-users-bin"
gcc -O2 -static -Wall -Wextra -Werror -o "$build/vm-users-bin/vfio-edu" \
	"$here/vfio-edu.c" || die "cannot build vfio-edu.c"

for variant in $variants; do
	iommu=intel driver=iox_intel.ko lib='' dma=$variant suite_args=''
	arch=x86 mdir=$moddir timeout=240 files=(--file "$build/vm-users-bin/vfio-edu")
	stock='nvme vfio_iommu_type1 allow_unsafe_interrupts=1 vfio-pci'
	scripts=(--script "$here/nvme.sh" --script "$here/group-type.sh"
		 --script "$here/vfio.sh")
	case "$variant" in
	strict) unit='-global intel-iommu.snoop-control=on' ;;
	lazy|auto) unit='' ;;
	amd)
		unit='' iommu=amd driver=iox_amd.ko lib=iox_amd_lib.ko dma=strict
		suite_args=' fault_reports=0'
		scripts=(--script "$here/nvme.sh" --script "$here/group-type.sh") ;;
	smmuv3)
		unit='' arch=arm64 mdir=$moddir_arm64 timeout=480 files=() stock=nvme
		iommu='' driver=iox_arm_smmu_v3.ko lib=iox_arm_smmu_v3_lib.ko
		dma=strict
		scripts=(--script "$here/nvme.sh" --script "$here/group-type.sh") ;;
	*) die "unknown variant $variant (strict, lazy, auto, amd or smmuv3)" ;;
	esac
	for file in iox.ko $lib "$driver"; do
		[ -f "$mdir/$file" ] ||
			die "$mdir/$file not found: the modules layer did not build it"
	done
	# The KUnit runner of the stock kernel, which has no KUnit, first.
	mods=$build/vm-users-$variant-modules
	layer_modules_dir "$mods" "$mdir"
	for file in $lib "$driver"; do
		layer_add_mod "$file"
	done
	if [ ! -f "$mdir/iox_iommu_api.ko" ]; then
		echo "vm-users: warning: no $mdir/iox_iommu_api.ko: booting without it," \
			"nvme will not DMA through iox" >&2
	else
		layer_add_mod iox_iommu_api.ko "dma=$dma"
		if [ -f "$mdir/iox_iommu_api_edu.ko" ]; then
			# shellcheck disable=SC2086 # no word, or its words
			layer_add_mod iox_iommu_api_edu.ko $suite_args
		fi
	fi
	# A fresh, all-zero disk every boot.
	img=$build/vm-users-$variant.img
	rm -f "$img"
	truncate -s 128M "$img"
	res=$build/vm-users-$variant.result
	rm -f "$res"
	rc=0
	"$iox/vm/run.sh" --arch "$arch" ${iommu:+--iommu "$iommu"} \
		--modules "$mods" \
		--build "$build" --layer "vm-users-$variant" --timeout "$timeout" \
		--qemu-extra "$unit -drive file=$img,if=none,id=nvm,format=raw -device nvme,serial=iox0,drive=nvm" \
		--stock-after "$stock" \
		"${scripts[@]}" ${files[@]+"${files[@]}"} --keep-loaded \
		--result-file "$res" || rc=1
	layer_count "$res" "$rc"
done

layer_finish
