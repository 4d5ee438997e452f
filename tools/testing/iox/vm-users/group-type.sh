#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash: POSIX sh with local, as dash
#
# The vm-users layer's test of the kernel's per-group default domain type
# (/sys/kernel/iommu_groups/<n>/type) on iox, run after nvme.sh, which
# leaves the NVMe controller unbound. With iox_iommu_api's dma=auto the
# type follows what is written: for each of DMA, identity and DMA-FQ the
# controller is rebound, 8 MiB go to the disk and back, and the unit driver's
# debugfs shows the controller in the matching iox domain (dma, identity,
# dma-fq). With dma=strict or dma=lazy the module fixes the type: the
# kernel refuses another one and the type stays. One KTAP document.

set -u

dev=/dev/nvme0n1

diag() {
	echo "# $*"
}

# The iox domain type the unit driver's debugfs gives the device.
iox_type() {
	awk -v d="$bdf" '$2 == d { print $3 }' \
		/sys/kernel/debug/iox-intel/*/devices \
		/sys/kernel/debug/iox-amd/*/devices \
		/sys/kernel/debug/iox-arm-smmu-v3/*/devices 2>/dev/null
}

# bind_io: bind nvme, wait for the disk, move 8 MiB there and back.
bind_io() {
	local i=0 a b

	echo "$bdf" >/sys/bus/pci/drivers/nvme/bind || return 1
	while [ ! -b "$dev" ] && [ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ -b "$dev" ] || { diag "no $dev after binding"; return 1; }
	a=$(dd if=/dev/urandom bs=1M count=8 2>/dev/null |
		tee /tmp/iox-type.data | md5sum | cut -d' ' -f1)
	dd if=/tmp/iox-type.data of="$dev" bs=1M seek=96 oflag=direct \
		2>/dev/null || return 1
	b=$(dd if="$dev" bs=1M skip=96 count=8 iflag=direct 2>/dev/null |
		md5sum | cut -d' ' -f1)
	rm -f /tmp/iox-type.data
	[ "$a" = "$b" ] || { diag "8 MiB read back differ"; return 1; }
	return 0
}

unbind() {
	echo "$bdf" >/sys/bus/pci/drivers/nvme/unbind
}

# set_type TYPE IOXTYPE: the group takes TYPE, the driver works, iox agrees.
set_type() {
	local got

	if ! echo "$1" >"$typef"; then
		diag "writing $1 to $typef failed"
		return 1
	fi
	got=$(cat "$typef")
	[ "$got" = "$1" ] || { diag "$typef reads $got after writing $1"; return 1; }
	bind_io || return 1
	got=$(iox_type)
	diag "type $1: 8 MiB through the disk, iox domain $got"
	unbind
	[ "$got" = "$2" ] || { diag "iox has the controller in a $got domain, not $2"; return 1; }
	return 0
}

echo "KTAP version 1"
echo "1..1"
bdf=''
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/class")" = 0x010802 ] && bdf=${d##*/} && break
done
mode=$(cat /sys/module/iox_iommu_api/parameters/dma 2>/dev/null)
grp=$(readlink "/sys/bus/pci/devices/$bdf/iommu_group" 2>/dev/null)
typef=/sys/kernel/iommu_groups/${grp##*/}/type
rc=0
if [ -z "$bdf" ] || [ -z "$grp" ] || [ -e "/sys/bus/pci/devices/$bdf/driver" ]; then
	diag "no unbound NVMe controller in an IOMMU group (nvme.sh unbinds it)"
	rc=1
elif [ "$mode" = auto ]; then
	set_type DMA dma || rc=1
	set_type identity identity || rc=1
	set_type DMA-FQ dma-fq || rc=1
else
	# The module's policy is the device's required type.
	before=$(cat "$typef")
	if echo identity >"$typef" 2>/dev/null; then
		diag "dma=$mode, yet the kernel took identity for the group"
		rc=1
	fi
	[ "$(cat "$typef")" = "$before" ] || rc=1
	diag "dma=$mode: identity refused, the group stays $before"
	bind_io || rc=1
	unbind
fi
if [ $rc -eq 0 ]; then
	echo "ok 1 group_type"
else
	echo "not ok 1 group_type"
fi
exit 0
