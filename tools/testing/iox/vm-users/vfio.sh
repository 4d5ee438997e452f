#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash: POSIX sh with local, as dash
#
# The vm-users layer's VFIO test, run by vm/init (busybox sh) after nvme.sh,
# once the stock vfio_iommu_type1 (allow_unsafe_interrupts=1: iox remaps no
# interrupts) and vfio-pci are loaded: edu goes to vfio-pci, which binds
# only through driver_override, six 2 MiB huge pages are reserved, and
# vfio-edu (a static program in /bin, vfio-edu.c) drives edu from userspace
# through type1 on iox and prints the KTAP.  Its first case fails when
# there is no edu, or it did not bind.

set -u

bdf=''
for d in /sys/bus/pci/devices/*; do
	if [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ]; then
		bdf=${d##*/}
		break
	fi
done
# vfio_hugepage takes one 2 MiB page, vfio_guest_layout four.
echo 6 >/proc/sys/vm/nr_hugepages
if [ -n "$bdf" ]; then
	echo vfio-pci >"/sys/bus/pci/devices/$bdf/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe
fi
exec vfio-edu "$bdf"
