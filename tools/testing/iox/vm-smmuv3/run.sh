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

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

die() {
	echo "vm-smmuv3: $*" >&2
	exit 2
}

all_variants='72 10s1 10s2 10nested owned'
moddir='' build='' result_file='' variants=$all_variants trace=0 dump=0
extra_params=() timeout=300
while [ $# -gt 0 ]; do
	case "$1" in
	--trace) trace=1; shift; continue ;;
	--dump) dump=1; shift; continue ;;
	esac
	[ $# -ge 2 ] || die "$1 needs a value"
	case "$1" in
	--modules) moddir=$2 ;;
	--build) build=$2 ;;
	--result-file) result_file=$2 ;;
	--variants) variants=$2 ;;
	--params) extra_params+=("$2") ;;
	--timeout) timeout=$2 ;;
	*) die "unknown argument $1" ;;
	esac
	shift 2
done
if [ -z "$moddir" ] || [ -z "$build" ]; then
	die "--modules and --build are required"
fi
for e in ${extra_params[@]+"${extra_params[@]}"}; do
	case "$e" in
	*.ko\ ?*) ;;
	*) die "--params needs \"MODULE.ko WORD...\", not \"$e\"" ;;
	esac
done
[ -f "$moddir/load-order" ] || die "$moddir/load-order not found (run the modules layer)"
for variant in $variants; do
	case " $all_variants " in
	*" $variant "*) ;;
	*) die "unknown variant $variant (one of: $all_variants)" ;;
	esac
done
mkdir -p "$build"
build=$(cd "$build" && pwd)

# No boot without a result: a missing module fails the layer once, clearly.
fail() {
	echo "vm-smmuv3: $*" >&2
	[ -z "$result_file" ] || echo "0 1 0" >"$result_file"
	echo "vm-smmuv3: 0 passed, 1 failed, 0 skipped"
	exit 1
}

# The modules each boot loads after the shim (when the modules layer built
# one) and the core, in this order; a module of the modules layer one of
# them depends on (a driver library, say) is loaded before it.
ours="iox_arm_smmu_v3.ko iox_arm_smmu_v3_edu.ko iox_dma_edu.ko"

# Module parameters per variant and module, before --params.
mod_params() {
	case "$1/$2" in
	10nested/iox_arm_smmu_v3.ko) echo "linear_strtab=1" ;;
	*) ;;
	esac
}

mods=$build/vm-smmuv3-modules
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
grep -qx iox.ko "$mods/load-order" ||
	fail "iox.ko is not in $moddir/load-order: the modules layer did not build it"
for file in $ours iox_arm_smmu_v3_test.ko; do
	[ -f "$moddir/$file" ] ||
		fail "$moddir/$file not found: the modules layer did not build it"
done

# Add $1 to the load order after what it needs of $moddir.
added=" $(tr '\n' ' ' <"$mods/load-order")"
add_mod() {
	local file=$1 dep
	case "$added" in *" $file "*) return ;; esac
	for dep in $(modinfo -F depends "$moddir/$file" 2>/dev/null | tr ',-' ' _'); do
		[ ! -f "$moddir/$dep.ko" ] || add_mod "$dep.ko"
	done
	cp "$moddir/$file" "$mods/"
	echo "$file" >>"$mods/load-order"
	added="$added$file "
}
export PATH="$PATH:/usr/sbin:/sbin"	# modinfo
for file in $ours; do
	add_mod "$file"
done

# One modules dir per variant, each line with its parameters.
variant_mods() {
	local variant=$1 dir=$build/vm-smmuv3-modules-$1 file p e words
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$mods"/*.ko "$dir/"
	while read -r file; do
		p=$(mod_params "$variant" "$file")
		for e in ${extra_params[@]+"${extra_params[@]}"}; do
			case "$e" in
			"$file "*) p="$p ${e#"$file" }" ;;
			esac
		done
		read -r -a words <<<"$p"
		echo "$file${words[*]:+ ${words[*]}}"
	done <"$mods/load-order" >"$dir/load-order"
	# The 72 boot, with two vCPUs, also runs iox_smmu_cmdq (its
	# software unit needs a CPU beside the test's).
	if [ "$variant" = 72 ]; then
		cp "$moddir/iox_arm_smmu_v3_test.ko" "$dir/"
		echo iox_arm_smmu_v3_test.ko >>"$dir/load-order"
	fi
	echo "$dir"
}

passed=0 failed=0 skipped=0 status=0
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
	res=$build/vm-smmuv3-$variant.result
	rm -f "$res"
	run=("$iox/vm/run.sh" --arch arm64 --machine "$machine"
	     ${owned[@]+"${owned[@]}"} ${qemu[@]+"${qemu[@]}"}
	     --modules "$(variant_mods "$variant")" --build "$build"
	     --layer "vm-smmuv3-$variant" --qemu-extra "$extra" --timeout "$timeout"
	     --smp "$smp"
	     ${scripts[@]+"${scripts[@]}"} --result-file "$res")
	rc=0
	if [ "$variant" != owned ]; then
		"${run[@]}" || rc=1
	else
		# The driver must refuse the unit (owned.sh counts it).
		"$iox/vm/owned.sh" --ko iox_arm_smmu_v3.ko \
			--phrase "in use by the kernel's SMMUv3 driver" -- \
			"${run[@]:1}" || rc=1
	fi
	[ "$rc" -eq 0 ] || status=1
	if [ -s "$res" ]; then
		read -r p f s <"$res"
	else
		p=0 f=1 s=0
	fi
	[ "$f" -eq 0 ] || status=1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	[ "$trace" -eq 0 ] ||
		echo "vm-smmuv3: QEMU trace $build/vm-smmuv3-$variant/smmu.trace"
done

[ -z "$result_file" ] || echo "$passed $failed $skipped" >"$result_file"
echo "vm-smmuv3: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
