#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash: POSIX sh with local, as dash
#
# The vm-users layer's test, run by vm/init (busybox sh) once iox, iox_intel
# (or iox_amd, or iox_arm_smmu_v3), iox_iommu_api and the stock nvme driver are loaded: the
# stock kernel's unmodified NVMe driver must probe into an IOMMU group of
# iox's unit and move data through it intact.  Prints one KTAP document; every case can
# fail.  Exits 0 once every case has reported (the KTAP carries the
# verdicts): an early exit leaves planned results missing, which count as
# failures.
#
# The data is 64 MiB from /dev/urandom in the rootfs, checked in slices of
# 8 MiB by md5.  The disk (QEMU's nvme, 128 MiB) is laid out in MiB:
#   0-64    nvme_write_read_64m's data; nvme_concurrent's four readers
#           read 0-32 again
#   64-96   nvme_concurrent's four writers, 8 MiB each, data 32-64

set -u

dev=/dev/nvme0n1
src=/tmp/iox-users.data		# 64 MiB of random data, in the rootfs
bdf=''				# the NVMe controller's PCI address
n=0

diag() {
	echo "# $*"
}

# result STATUS NAME: one KTAP result line, ok for status 0.
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
	fi
}

now() {
	cut -d' ' -f1 /proc/uptime
}

# secs T0 T1: seconds between two now() readings.
secs() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

# sum FILE [dd operands...]: the md5 of what dd reads from FILE.
sum() {
	f=$1
	shift
	dd if="$f" bs=1M "$@" 2>/dev/null | md5sum | cut -d' ' -f1
}

# A kernel line shown in a diagnostic must not read as a second report of
# the problem to ktap.py, which counts the original line already.
defang() {
	sed -e 's/WARNING:/WARNING -/g' -e 's/BUG:/BUG -/g' \
		-e 's/iox: leak/iox - leak/g' -e 's/Call Trace:/Call Trace -/g' \
		-e 's/Oops/Oo-ps/g' -e 's/^/#   /'
}

have_disk() {
	[ -b "$dev" ] && return 0
	diag "no block device $dev"
	return 1
}

case_probed() {
	local rc=0 i d grp type units mode

	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/class")" = 0x010802 ] && bdf=${d##*/} && break
	done
	if [ -z "$bdf" ]; then
		diag "no NVMe controller (class 0x010802) on the PCI bus"
		return 1
	fi
	i=0
	while [ ! -b "$dev" ] && [ $i -lt 100 ]; do
		usleep 200000
		i=$((i + 1))
	done
	if [ -b "$dev" ]; then
		diag "nvme $bdf: $dev after $((i / 5)) s, $(($(cat /sys/block/nvme0n1/size) / 2048)) MiB"
	else
		diag "nvme $bdf: no $dev within 20 s (driver: $(readlink "/sys/bus/pci/devices/$bdf/driver"))"
		rc=1
	fi

	d=/sys/bus/pci/devices/$bdf
	mode=$(cat /sys/module/iox_iommu_api/parameters/dma 2>/dev/null)
	[ -z "$mode" ] || diag "iox_iommu_api dma=$mode"
	if [ -e "$d/iommu_group" ]; then
		grp=$(readlink "$d/iommu_group")
		grp=${grp##*/}
		type=$(cat "/sys/kernel/iommu_groups/$grp/type" 2>/dev/null)
		diag "nvme $bdf: iommu group $grp, type ${type:-unreadable}, unit $(readlink "$d/iommu" | sed 's,.*/,,')"
		case "$type" in
		DMA|DMA-FQ) ;;
		*) diag "group $grp is not a DMA domain: nvme does not translate through the unit"
		   rc=1 ;;
		esac
		# dma=strict and dma=lazy choose the default domain's type.
		case "$mode:$type" in
		strict:DMA-FQ|lazy:DMA)
			diag "group $grp is of type $type, not what dma=$mode asks for"
			rc=1 ;;
		esac
	else
		if [ -d /sys/module/iox_iommu_api ]; then
			diag "nvme $bdf has no IOMMU group though iox_iommu_api is loaded: it DMAs through dma-direct, not iox"
		else
			diag "nvme $bdf has no IOMMU group: iox_iommu_api is not loaded, nvme DMAs through dma-direct, not iox"
		fi
		rc=1
	fi
	# shellcheck disable=SC2012 # the names are plain
	units=$(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')
	if [ -n "$units" ]; then
		diag "/sys/class/iommu: $units"
	else
		diag "/sys/class/iommu lists no unit: none registered with the IOMMU API"
		rc=1
	fi
	return $rc
}

# want I: the md5 of MiB 8*I to 8*I+8 of the data.
want() {
	sed -n "$(($1 + 1))p" /tmp/iox-users.sums
}

case_write_read() {
	local t0 t1 t2 t3 i got rc=0

	have_disk || return 1
	t0=$(now)
	if ! dd if=/dev/urandom of="$src" bs=1M count=64 iflag=fullblock 2>/dev/null; then
		diag "cannot write 64 MiB of random data to $src"
		return 1
	fi
	for i in 0 1 2 3 4 5 6 7; do
		sum "$src" skip=$((8 * i)) count=8
	done >/tmp/iox-users.sums
	t1=$(now)
	if ! dd if="$src" of="$dev" bs=1M count=64 oflag=direct conv=notrunc 2>/tmp/dd.err; then
		diag "dd to $dev (oflag=direct) failed: $(tail -n 1 /tmp/dd.err)"
		return 1
	fi
	sync
	t2=$(now)
	echo 3 >/proc/sys/vm/drop_caches
	for i in 0 1 2 3 4 5 6 7; do
		got=$(sum "$dev" skip=$((8 * i)) count=8 iflag=direct)
		if [ "$got" != "$(want $i)" ]; then
			diag "MiB $((8 * i))-$((8 * i + 8)) read back differ: md5 $got, wrote $(want $i)"
			rc=1
		fi
	done
	t3=$(now)
	diag "64 MiB: generated and summed in $(secs "$t0" "$t1") s, written (O_DIRECT) in $(secs "$t1" "$t2") s, read back (O_DIRECT) and summed in $(secs "$t2" "$t3") s"
	[ $rc -ne 0 ] || diag "64 MiB written and verified"
	return $rc
}

case_concurrent() {
	local t0 t1 i rc=0 got

	have_disk || return 1
	[ -s /tmp/iox-users.sums ] || { diag "no data from nvme_write_read_64m"; return 1; }
	t0=$(now)
	for i in 0 1 2 3; do
		(
			dd if="$src" of="$dev" bs=1M skip=$((32 + 8 * i)) \
				seek=$((64 + 8 * i)) count=8 oflag=direct \
				conv=notrunc 2>"/tmp/w$i.err"
			echo $? >"/tmp/w$i.rc"
		) &
		sum "$dev" skip=$((8 * i)) count=8 iflag=direct >"/tmp/r$i.sum" &
	done
	wait
	t1=$(now)
	diag "4 writers x 8 MiB and 4 readers x 8 MiB at once: $(secs "$t0" "$t1") s"
	echo 3 >/proc/sys/vm/drop_caches
	for i in 0 1 2 3; do
		if [ "$(cat "/tmp/w$i.rc")" != 0 ]; then
			diag "writer $i (MiB $((64 + 8 * i))-$((72 + 8 * i))): dd exited $(cat "/tmp/w$i.rc"): $(tail -n 1 "/tmp/w$i.err")"
			rc=1
		fi
		got=$(sum "$dev" skip=$((64 + 8 * i)) count=8 iflag=direct)
		if [ "$got" != "$(want $((4 + i)))" ]; then
			diag "writer $i (MiB $((64 + 8 * i))-$((72 + 8 * i))): read back md5 $got, wrote $(want $((4 + i)))"
			rc=1
		fi
		got=$(cat "/tmp/r$i.sum")
		if [ "$got" != "$(want $i)" ]; then
			diag "reader $i (MiB $((8 * i))-$((8 * i + 8))): md5 $got, want $(want $i)"
			rc=1
		fi
	done
	[ $rc -ne 0 ] || diag "8 regions of 8 MiB verified"
	return $rc
}

# nvme_pagetable: the page-table dump of the controller's iox domain, from
# the unit driver's debugfs (devices: "<id> <device> <type> did N" for
# iox_intel and iox_amd, "... asid N" or "... vmid N" for iox_arm_smmu_v3,
# whose domain directories are named by that number).
nvme_pagetable() {
	local unit tag

	for unit in /sys/kernel/debug/iox-intel/* /sys/kernel/debug/iox-amd/* \
		    /sys/kernel/debug/iox-arm-smmu-v3/*; do
		tag=$(awk -v d="$bdf" '$2 == d && ($4 == "did" || $4 == "asid" ||
			$4 == "vmid") { print $5; exit }' "$unit/devices" 2>/dev/null)
		[ -n "$tag" ] || continue
		cat "$unit/domain-$tag/pagetable"
		return 0
	done
	return 1
}

# ram_leaves FILE: the leaves of page-table dump FILE ("IOVA-range -> PA
# size perms ...") whose physical address is System RAM in /proc/iomem.
ram_leaves() {
	local ram lo hi pa rest

	ram=$(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p' \
		/proc/iomem)
	grep -v '^#' "$1" | while read -r _ _ pa rest; do
		echo "$ram" | while read -r lo hi; do
			if [ $((pa)) -ge $((0x$lo)) ] && [ $((pa)) -le $((0x$hi)) ]; then
				echo "$pa $rest"
			fi
		done
	done
}

case_unbind() {
	local d before after rc=0

	[ -n "$bdf" ] || { diag "no NVMe controller"; return 1; }
	# Bound, the driver keeps its queues mapped in its iox domain.
	if ! nvme_pagetable >/tmp/iox-users.pt; then
		diag "nvme $bdf is in no iox paging domain (iox-intel, iox-amd or iox-arm-smmu-v3 devices)"
		return 1
	fi
	before=$(grep -vc '^#' /tmp/iox-users.pt || true)
	diag "bound: its iox domain maps $before leaves: $(grep -m1 '^#' /tmp/iox-users.pt)"
	grep -v '^#' /tmp/iox-users.pt | head -n 2 | while IFS= read -r d; do
		diag "  $d"
	done
	[ "$before" -gt 0 ] || rc=1
	if [ ! -e "/sys/bus/pci/devices/$bdf/driver" ]; then
		diag "nvme $bdf is bound to no driver"
		return 1
	fi
	if ! echo "$bdf" >/sys/bus/pci/drivers/nvme/unbind; then
		diag "cannot unbind $bdf from nvme"
		return 1
	fi
	if [ -e "/sys/bus/pci/devices/$bdf/driver" ]; then
		diag "nvme $bdf still has a driver: $(readlink "/sys/bus/pci/devices/$bdf/driver")"
		rc=1
	fi
	if [ -e "$dev" ]; then
		diag "$dev still exists after the unbind"
		rc=1
	fi
	[ $rc -ne 0 ] || diag "nvme $bdf unbound, $dev gone"
	# Unbound, its driver unmapped everything: the domain maps no memory.
	# On arm64 the kernel's dma-iommu keeps the GIC's MSI doorbell (MMIO)
	# mapped for the domain's life; on x86, where iox's DMA backend
	# serves the driver, nothing at all is left.
	nvme_pagetable >/tmp/iox-users.pt || true
	after=$(grep -vc '^#' /tmp/iox-users.pt || true)
	diag "unbound: its iox domain maps $after leaves"
	grep -v '^#' /tmp/iox-users.pt | head -n 4 | while IFS= read -r d; do
		diag "  $d"
	done
	ram_leaves /tmp/iox-users.pt >/tmp/iox-users.ram
	if [ -s /tmp/iox-users.ram ]; then
		diag "$(wc -l </tmp/iox-users.ram) leaves still map System RAM"
		rc=1
	fi
	[ "$(uname -m)" != x86_64 ] || [ "$after" = 0 ] || rc=1
	return $rc
}

# The kernel's own records only (facility 0: <0> to <7>), not the lines of
# /init and this script, which reach the log through /dev/kmsg.
case_no_faults() {
	local bad

	bad=$(dmesg -r | grep '^<[0-7]>' | grep -E \
		-e 'iox.*(unhandled (read|write) fault|fault from unknown source|fault records overflowed)' \
		-e 'WARNING:|BUG:|Oops|general protection' \
		-e 'DMAR:.*([Ff]ault|DMA (Read|Write))' \
		-e 'I/O error|nvme.*([Tt]imeout|[Aa]bort|controller is down|[Rr]eset)')
	if [ -n "$bad" ]; then
		diag "kernel log lines of faults, warnings or I/O errors:"
		echo "$bad" | defang
		return 1
	fi
	diag "no iox or DMAR fault, WARNING, BUG or nvme I/O error in the kernel log"
}

mkdir -p /tmp
echo "KTAP version 1"
echo "1..5"
case_probed
result $? nvme_probed
case_write_read
result $? nvme_write_read_64m
case_concurrent
result $? nvme_concurrent
case_unbind
result $? nvme_unbind
case_no_faults
result $? nvme_no_faults
rm -f "$src" /tmp/iox-users.sums
exit 0
