#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: iox's main job, told. Builds the core, a unit driver (VT-d,
# AMD-Vi with --iommu amd, or SMMUv3 with --iommu smmuv3) and its edu suite
# for the stock amd64 kernel (arm64 for the SMMUv3), boots the x86 VM (q35,
# QEMU's intel-iommu or amd-iommu, edu) or the arm64 one (virt, QEMU's
# smmuv3, edu) with them and prints what happened: the unit found, edu probed, the
# domain, a buffer mapped, the driver's debugfs dump of the domain's page
# table, edu's DMA through it with every byte checked, the unmap and what
# edu's next DMA met (a fault reported; on QEMU's AMD model, which logs no
# events, the bytes that did not move) - then the result of the suite.
#
# Usage: story.sh [--iommu intel|amd|smmuv3] [--build DIR]
#        (default intel, <repo>/.build/story; for smmuv3
#        <repo>/.build/story-arm64)
# Exit status: 0 when every case of the suite passed.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
iox=$here
top=$(cd "$iox/../../.." && pwd)
build=''
iommu=intel
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=${2:?--build needs a directory}; shift 2 ;;
	--iommu) iommu=${2:?--iommu needs intel, amd or smmuv3}; shift 2 ;;
	*) echo "story: unknown argument $1" >&2; exit 2 ;;
	esac
done
# The arm64 story builds apart: its objects and kernel are another arch's.
[ -n "$build" ] || case "$iommu" in
smmuv3) build=$top/.build/story-arm64 ;;
*) build=$top/.build/story ;;
esac
mkdir -p "$build"
build=$(cd "$build" && pwd)

say() { printf 'iox: %s\n' "$*"; }

# What differs between the two units: names, the driver's log prefix and
# unit line, the suite, and what the rest of the suite covers.
arch=x86 vmarch=x86 kpkg=amd64
case "$iommu" in
intel)
	unit="VT-d" qdev=intel-iommu driver=iox_intel lib='' prefix='iox-intel'
	unit_re=': VT-d .* at '
	covers='DMA both ways, faults, remap, 2M pages, detach, debugfs, reload; hotplug needs vm-vtd'"'"'s second edu'
	others='with iox_intel_dmar, and iox_intel_edu_owned, which needs the kernel'"'"'s driver on the unit' ;;
amd)
	unit="AMD-Vi" qdev=amd-iommu driver=iox_amd
	lib='iox_amd_lib.ko iox_amd_test.ko' prefix='iox-amd'
	unit_re=': AMD-Vi at '
	covers='DMA both ways, refused DMA, remap, 2M and 1G pages, 6 and 3 levels, DMA at the top of the 64-bit aperture, detach, debugfs, reload'
	others='with iox_amd_ivrs and iox_amd_hw, and iox_amd_edu_owned, which needs the kernel'"'"'s driver on the unit' ;;
smmuv3)
	unit="SMMUv3" qdev=smmuv3 driver=iox_arm_smmu_v3
	lib='iox_arm_smmu_v3_lib.ko' prefix='iox-arm-smmu-v3'
	unit_re=': SMMUv3 at '
	arch=arm64 vmarch=arm64 kpkg=arm64
	covers='DMA both ways, faults, remap, read-only, 2M and 1G blocks, detach, identity, debugfs, reload at 16K and 64K'
	others='with iox_arm_smmu_v3_edu_owned, which needs the kernel'"'"'s driver on the unit' ;;
*) echo "story: --iommu intel, amd or smmuv3, not $iommu" >&2; exit 2 ;;
esac

say "building iox, the $unit driver and its edu suite for the stock $kpkg kernel"
start=$(date +%s)
kver=$("$iox/story-build.sh" --arch "$arch" "$build")
mods=$build/modules
rm -rf "$mods"
mkdir -p "$mods"
cp "$build/ko/shim-order" "$mods/load-order"
for m in iox.ko $lib "$driver.ko" "${driver}_edu.ko"; do
	echo "$m" >>"$mods/load-order"
done
while read -r m; do
	cp "$build/ko/$m" "$mods/"
done <"$mods/load-order"
say "built for $kver in $(($(date +%s) - start)) s; booting the $unit VM ($qdev, edu)"

res=$build/result
rm -f "$res"
status=0
iommu_arg=()
[ "$vmarch" = arm64 ] || iommu_arg=(--iommu "$iommu")
"$iox/vm/run.sh" --arch "$vmarch" "${iommu_arg[@]}" --modules "$mods" --build "$build" \
	--layer story --result-file "$res" >"$build/vm.out" 2>&1 || status=$?
console=$build/story/console.log

# The driver's unit line and the suite's "story:" lines, without the
# printk timestamps and KTAP indentation.
sed -n -e 's/^\[[ 0-9.]*\] //' \
	-e "/^$prefix: .*$unit_re/{s/^$prefix: /  unit:   /p;q}" \
	"$console" 2>/dev/null || true
sed -n -e 's/^\[[ 0-9.]*\] *# story: /  /p' "$console" 2>/dev/null || true

if [ -s "$res" ]; then
	read -r p f s <"$res"
	# The edu suite's own KTAP summary; the counts are of every suite.
	edu=$(sed -n 's/^\[[ 0-9.]*\] *# '"${driver}"'_edu: pass:\([0-9]*\) fail:\([0-9]*\) skip:\([0-9]*\) .*/\1 passed, \2 failed, \3 skipped/p' \
		"$console" 2>/dev/null | head -n 1)
	say "the edu suite (${driver}_edu: $covers): ${edu:-no summary}"
	say "every suite of the VM ($others): $p passed, $f failed, $s skipped"
else
	say "the VM run ended without results"
	status=1
fi
if [ "$status" -ne 0 ] || [ "${f:-1}" -ne 0 ]; then
	grep -E 'not ok|failed|Expected|iox-vm: qemu' "$console" "$build/vm.out" 2>/dev/null |
		head -n 20 | sed 's/^/  /' || true
	[ "$status" -ne 0 ] || status=1
fi
say "$(grep -o 'boot+run took .*' "$build/vm.out" || echo 'no VM timing')"
say "console log: $console"
exit $status
