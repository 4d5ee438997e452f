#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, as dash
#
# What the arm64 VM shows of its SMMUv3 (vm-smmuv3/run.sh --dump, or
# vm/run.sh --script): the SMMU's and the PCIe host's device-tree nodes,
# the PCI devices, the SMMU's ID and control registers read through
# /dev/mem with busybox devmem (refused once a driver has claimed the
# region: the kernel has CONFIG_IO_STRICT_DEVMEM), who claimed the
# region, the SMMU drivers and IOMMU groups, and /proc/interrupts.  Every
# line starts with "smmu-dump: "; no KTAP, so it counts no test, and the
# exit status is 0.

say() {
	echo "smmu-dump: $*"
}

# A property as big-endian 32-bit cells, or as strings.
cells() {
	hexdump -v -e '4/1 "%02x" " "' "$1" 2>/dev/null
}
strs() {
	tr '\0' ' ' <"$1"
}
# The entries of a directory, on one line.
names() {
	for f in "$1"/*; do
		[ -e "$f" ] && printf '%s ' "${f##*/}"
	done
}

dt=/proc/device-tree
for node in "$dt"/smmuv3@* "$dt"/iommu@*; do
	[ -d "$node" ] || continue
	say "node ${node#"$dt"}"
	for p in compatible interrupt-names; do
		[ -f "$node/$p" ] && say "  $p: $(strs "$node/$p")"
	done
	for p in reg interrupts '#iommu-cells' phandle; do
		[ -f "$node/$p" ] && say "  $p: $(cells "$node/$p")"
	done
	[ -f "$node/dma-coherent" ] && say "  dma-coherent"
	say "  properties: $(names "$node")"
done
for node in "$dt"/pcie@*; do
	[ -d "$node" ] || continue
	say "node ${node#"$dt"}"
	for p in compatible device_type; do
		[ -f "$node/$p" ] && say "  $p: $(strs "$node/$p")"
	done
	for p in iommu-map iommu-map-mask msi-map msi-parent bus-range reg; do
		[ -f "$node/$p" ] && say "  $p: $(cells "$node/$p")"
	done
done
# The phandles the maps point at.
for node in "$dt"/intc@*/v2m@* "$dt"/intc@*/its@*; do
	[ -f "$node/phandle" ] &&
		say "node ${node#"$dt"} phandle: $(cells "$node/phandle")"
done

say "PCI devices (BDF vendor:device class driver iommu_group):"
for d in /sys/bus/pci/devices/*; do
	[ -d "$d" ] || continue
	drv=-
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
	grp=-
	[ -e "$d/iommu_group" ] && grp=$(basename "$(readlink "$d/iommu_group")")
	say "  ${d##*/} $(cut -c3- "$d/vendor"):$(cut -c3- "$d/device") $(cat "$d/class") $drv $grp"
done

if busybox --list | grep -qx devmem; then
	say "devmem: in busybox"
	base=0x09050000
	for r in IDR0:0x00 IDR1:0x04 IDR3:0x0c IDR5:0x14 AIDR:0x1c CR0:0x20 \
		CR0ACK:0x24 GBPA:0x44 IRQ_CTRL:0x50 STRTAB_BASE_CFG:0x88; do
		off=$(printf '0x%08x' $((base + ${r#*:})))
		v=$(devmem "$off" 32 2>&1) || v="refused ($v)"
		say "  ${r%:*} ($off): $v"
	done
else
	say "devmem: not in busybox"
fi

say "iomem around the SMMU:"
grep -i -E '09050000|smmu' /proc/iomem | while IFS= read -r l; do
	say "  $l"
done
for d in /sys/bus/platform/devices/*smmu*; do
	[ -e "$d" ] || continue
	drv=none
	[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
	say "platform device ${d##*/}: driver $drv"
done
say "/sys/class/iommu: $(names /sys/class/iommu)"
say "/sys/kernel/iommu_groups: $(names /sys/kernel/iommu_groups)"
for g in /sys/kernel/iommu_groups/*; do
	[ -f "$g/type" ] && say "  group ${g##*/}: $(cat "$g/type") $(names "$g/devices")"
done

say "/proc/interrupts:"
while IFS= read -r l; do
	say "  $l"
done </proc/interrupts
exit 0
