#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vm-smmuv3 layer: iox_arm_smmu_v3.ko, the ARM SMMUv3 driver, proven
# by device DMA in the arm64 VM (-M virt,iommu=smmuv3 with edu at PCI
# 00:01.0, stream ID 0x8; the SMMU at 0x09050000; booted with
# initcall_blacklist=arm_smmu_driver_init, which keeps the kernel's
# built-in SMMUv3 driver off the unit): the iox_arm_smmu_v3_edu suite
# (drivers/iox/arm-smmu-v3/) runs on load, then the iox_dma_edu suite
# (drivers/iox/tests/dma_edu_test.c) drives edu through the standard DMA
# API in an iox DMA domain.  The boots:
#   72        the system's QEMU 7.2, -M virt: stage 1 only; two vCPUs,
#             and iox_arm_smmu_v3_test.ko too: its iox_smmu_cmdq suite
#             runs the command queue against a software SMMUv3
#   10s1      QEMU 10 from Debian's bookworm-backports (fetch-qemu10.sh
#             --arch arm64, unpacked under BUILDDIR/qemu10-arm64),
#             -M virt-9.1: stage 1 only (virt-9.2 and later force the
#             SMMU's stage to nested, whatever -global says)
#   10s2      QEMU 10, -M virt-9.1 -global arm-smmuv3.stage=2: stage 2 only
#   10nested  QEMU 10, -M virt (virt-10.0): the nested model, both stages
#             advertised; the driver picks one (mod_params below can make
#             it pick), with a linear stream table (linear_strtab=1: all
#             2^16 STEs) where the other boots have two levels
#   owned     QEMU 7.2 booted without the initcall_blacklist: the kernel's
#             SMMUv3 driver owns the unit, iox_arm_smmu_v3 must refuse it
#             (its insmod fails, saying "in use by the kernel's SMMUv3
#             driver") and that must be the only failure.
# --trace has QEMU log its SMMU trace events (-trace smmuv3_* -trace
# smmu_*: commands, config and IOTLB caches, translations, events) to
# BUILDDIR/vm-smmuv3-<variant>/smmu.trace; a failing DMA is retranslated
# every 4 bytes, so the file can grow large.  --dump runs dump.sh in every
# boot once the modules are loaded (device tree, PCI devices, the SMMU's
# registers by devmem, /proc/interrupts; lines "smmu-dump: ...").
#
# Usage: run.sh --modules DIR --build BUILDDIR [--result-file FILE]
#               [--variants "72 10s1 10s2 10nested owned"] [--trace] [--dump]
#               [--params "MODULE.ko WORD..."]... [--timeout SECS]
#   --modules   the arm64 out dir of the modules layer: its load-order and
#               the iox_arm_smmu_v3*.ko and iox_dma_edu.ko beside it
#   --build     scratch dir, shared with the other VM layers
#   --variants  the boots (default all)
#   --params    module parameters added to MODULE.ko's line in every boot
#               (e.g. "iox_arm_smmu_v3.ko stage=2"), after the variant's own
#               (mod_params below); may be given once per module
#   --timeout   seconds each boot may take (vm/run.sh's, default 300)
# Exit status: 0 when nothing failed.

set -eu

layer=vm-smmuv3
all_variants='72 10s1 10s2 10nested owned'
variants=$all_variants
# shellcheck source-path=SCRIPTDIR source=../vm/layer.sh
. "$(dirname "$0")/../vm/layer.sh"

trace=0 dump=0 extra_params=() timeout=300
layer_flag() {
	case "$1" in
	--trace) trace=1 ;;
	--dump) dump=1 ;;
	*) return 1 ;;
	esac
}
layer_option() {
	case "$1" in
	--params) extra_params+=("$2") ;;
	--timeout) timeout=$2 ;;
	*) return 1 ;;
	esac
}
layer_check_args() {
	local e

	for e in ${extra_params[@]+"${extra_params[@]}"}; do
		case "$e" in
		*.ko\ ?*) ;;
		*) die "--params needs \"MODULE.ko WORD...\", not \"$e\"" ;;
		esac
	done
}

# Module parameters per variant and module, before --params.
mod_params() {
	case "$1/$2" in
	10nested/iox_arm_smmu_v3.ko) echo "linear_strtab=1" ;;
	*) ;;
	esac
}

# Each line of a boot's load-order with its parameters: mod_params's, then
# those --params gives the module.
layer_params() {
	local p e

	p=$(mod_params "$1" "$2")
	for e in ${extra_params[@]+"${extra_params[@]}"}; do
		case "$e" in
		"$2 "*) p="$p ${e#"$2" }" ;;
		esac
	done
	echo "$p"
}

layer_parse_args "$@"
for variant in $variants; do
	case " $all_variants " in
	*" $variant "*) ;;
	*) die "unknown variant $variant (one of: $all_variants)" ;;
	esac
done
layer_build_dir

# The modules each boot loads after the shim (when the modules layer built
# one) and the core, in this order; a module of the modules layer one of
# them depends on (a driver library, say) is loaded before it.
ours="iox_arm_smmu_v3.ko iox_arm_smmu_v3_edu.ko iox_dma_edu.ko"

layer_modules_dir "$build/vm-smmuv3-modules" "$moddir"
grep -qx iox.ko "$build/vm-smmuv3-modules/load-order" ||
	fail "iox.ko is not in $moddir/load-order: the modules layer did not build it"
# shellcheck disable=SC2086 # the list's words
layer_need_mods fail $ours iox_arm_smmu_v3_test.ko
for file in $ours; do
	layer_add_mod "$file"
done

# One modules dir per variant, each line with its parameters.
variant_mods() {
	local dir

	dir=$(layer_variant_mods "$1")
	# The 72 boot, with two vCPUs, also runs iox_smmu_cmdq (its
	# software unit needs a CPU beside the test's).
	if [ "$1" = 72 ]; then
		cp "$moddir/iox_arm_smmu_v3_test.ko" "$dir/"
		echo iox_arm_smmu_v3_test.ko >>"$dir/load-order"
	fi
	echo "$dir"
}

for variant in $variants; do
	extra='' owned=() qemu=() machine=virt smp=1
	case "$variant" in
	72) smp=2 ;;
	owned) ;;
	10*)
		"$iox/fetch-qemu10.sh" --arch arm64 "$build/qemu10-arm64" >/dev/null ||
			die "cannot fetch QEMU 10 for $variant"
		qemu=(--qemu "$build/qemu10-arm64/bin/qemu-system-aarch64") ;;
	esac
	case "$variant" in
	10s1) machine=virt-9.1 ;;
	10s2) machine=virt-9.1 extra='-global arm-smmuv3.stage=2' ;;
	owned) owned=(--owned) ;;
	esac
	if [ "$trace" -eq 1 ]; then
		mkdir -p "$build/vm-smmuv3-$variant"
		extra="$extra -trace smmuv3_* -trace smmu_* -D $build/vm-smmuv3-$variant/smmu.trace"
	fi
	scripts=()
	[ "$dump" -eq 0 ] || scripts=(--script "$here/dump.sh")
	vmmods=$(variant_mods "$variant")
	res=$build/vm-smmuv3-$variant.result
	rm -f "$res"
	# The driver must refuse the unit in the owned boot (owned.sh counts
	# it).
	rc=0
	layer_boot "$variant" iox_arm_smmu_v3.ko \
		"in use by the kernel's SMMUv3 driver" \
		--arch arm64 --machine "$machine" \
		${owned[@]+"${owned[@]}"} ${qemu[@]+"${qemu[@]}"} \
		--modules "$vmmods" --build "$build" \
		--layer "vm-smmuv3-$variant" --qemu-extra "$extra" \
		--timeout "$timeout" --smp "$smp" \
		${scripts[@]+"${scripts[@]}"} --result-file "$res" || rc=1
	layer_count "$res" "$rc"
	[ "$trace" -eq 0 ] ||
		echo "vm-smmuv3: QEMU trace $build/vm-smmuv3-$variant/smmu.trace"
done

layer_finish
