#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a stock Debian kernel under QEMU (TCG) with an emulated IOMMU and the
# edu DMA device, load the test modules of DIR in the order of DIR/load-order
# from a busybox initramfs, unload them, and count the KTAP results and kernel
# problems of the console log with ktap.py.
#
# Usage: run.sh --arch x86|arm64 --modules DIR --build BUILDDIR
#               [--iommu intel|amd] [--machine NAME] [--owned]
#               [--qemu-extra "ARGS"] [--append-extra "WORDS"]
#               [--timeout SECS] [--result-file FILE] [--layer NAME] [--smp N]
#               [--qemu BIN] [--stock-after "MODULE [PARAM=VALUE...]..."]
#               [--script FILE]... [--file FILE]... [--keep-loaded]
#
# DIR/load-order names one module file of DIR per line, optionally followed
# by its module parameters ("iox_iommu_api.ko dma=lazy"); '#' comments and
# blank lines are ignored.  Stock modules the test modules depend on are
# found through the kernel's modules.dep and loaded first.  --stock-after
# names stock modules (e.g. "nvme") loaded, with the stock modules they need,
# after the test modules, in the order given, and unloaded before them; the
# words with a '=' after a name are that module's parameters
# ("vfio_iommu_type1 allow_unsafe_interrupts=1 vfio-pci").  --script FILE is
# run by /init (busybox sh) once everything is loaded, each --script in the
# order given; their output reaches the console through the kernel log, so
# KTAP they print is counted; a non-zero exit status counts as one failure.
# --file FILE puts a program the scripts run in the initramfs's /bin (a
# static binary: the initramfs has no libraries).  --keep-loaded
# leaves every module loaded (for modules that cannot be unloaded).  The
# arm64 kernel comes from fetch-arm64.sh, kept in $IOX_ARM64_DIR (default
# BUILDDIR/arm64-debian).  --qemu runs another QEMU binary than the
# system's qemu-system-x86_64 or qemu-system-aarch64 (fetch-qemu10.sh's).
# --machine picks the arm64 VM's machine type (default virt; virt-9.1 on
# QEMU 10 keeps the SMMUv3's stage property, which virt-9.2 and later force
# to nested), always with iommu=smmuv3.  --iommu picks the x86
# VM's unit: intel (the default) is QEMU's intel-iommu, amd its amd-iommu
# (PCI 00:02.0, edu then 00:03.0); either way the stock kernel's driver is
# kept off it (intel_iommu=off or amd_iommu=off), and interrupt remapping
# off (intremap=off); --qemu-extra can add the unit's properties
# ("-global amd-iommu.pt=off"), and its words are not globbed ("-trace
# amdvi_*").  --owned leaves the unit to the stock kernel's driver instead
# (intel_iommu=on; for amd no amd_iommu=off, the stock kernel takes an AMD
# unit by itself), interrupt remapping still off; on arm64 the kernel's
# built-in SMMUv3 driver, which otherwise is kept off the unit
# (initcall_blacklist=arm_smmu_driver_init).
# Exit status: 0 when nothing failed.

set -eu
export PATH="$PATH:/usr/sbin:/sbin"	# modinfo

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

die() {
	echo "iox-vm: $*" >&2
	exit 2
}

usage() {
	sed -n 's/^# \{0,1\}//; /^Usage:/,/^$/p' "$0" >&2
	exit 2
}

arch='' moddir='' build='' iommu=intel qemu_extra='' append_extra='' timeout=300
# One vCPU: TCG runs each on a host thread, and the layers run side by side
# on two cores. --smp 2 for suites that need a second CPU (iox_amd_cmdq's
# software unit runs on one while the driver spins on the other).
smp=1
# edu drops every DMA address bit above 27 by default (its dma_mask
# property, in QEMU 7.2 and 10.0): with all 64 it DMAs at the IOVAs real
# drivers get, high in the aperture. An edu of --qemu-extra sets its own.
edu_mask=0xffffffffffffffff
qemu_bin='' machine=''
result_file='' layer='' stock_after='' keep_loaded=0 owned=0
scripts=() files=()
while [ $# -gt 0 ]; do
	if [ "$1" = --keep-loaded ]; then
		keep_loaded=1
		shift
		continue
	fi
	if [ "$1" = --owned ]; then
		owned=1
		shift
		continue
	fi
	[ $# -ge 2 ] || case "$1" in -h|--help) usage ;; *) die "$1 needs a value" ;; esac
	case "$1" in
	--arch) arch=$2 ;;
	--modules) moddir=$2 ;;
	--build) build=$2 ;;
	--iommu) iommu=$2 ;;
	--qemu-extra) qemu_extra=$2 ;;
	--append-extra) append_extra=$2 ;;
	--timeout) timeout=$2 ;;
	--result-file) result_file=$2 ;;
	--layer) layer=$2 ;;
	--smp) smp=$2 ;;
	--qemu) qemu_bin=$2 ;;
	--machine) machine=$2 ;;
	--stock-after) stock_after=$2 ;;
	--script) scripts+=("$2") ;;
	--file) files+=("$2") ;;
	*) usage ;;
	esac
	shift 2
done
if [ -z "$arch" ] || [ -z "$moddir" ] || [ -z "$build" ]; then
	usage
fi
case "$arch" in x86|arm64) ;; *) die "--arch must be x86 or arm64" ;; esac
case "$smp" in ''|*[!0-9]*|0) die "--smp must be a CPU count" ;; esac
case "$arch/$iommu" in
x86/intel|x86/amd|arm64/intel) ;;
arm64/*) die "--iommu is for --arch x86 (arm64 has its SMMUv3)" ;;
*) die "--iommu must be intel or amd" ;;
esac
[ "$arch" = arm64 ] || [ -z "$machine" ] || die "--machine is for --arch arm64"
case "$timeout" in ''|*[!0-9]*) die "--timeout needs seconds" ;; esac
[ -f "$moddir/load-order" ] || die "$moddir/load-order not found"
for f in ${scripts[@]+"${scripts[@]}"} ${files[@]+"${files[@]}"}; do
	[ -f "$f" ] || die "$f not found"
done
moddir=$(cd "$moddir" && pwd)
mkdir -p "$build"
build=$(cd "$build" && pwd)
layer=${layer:-vm-$arch}

# Per layer, so runs of several module sets can share one BUILDDIR.
work=$build/$layer
log=$work/console.log
mkdir -p "$work"

# The host's linux-headers-amd64 decides the kernel ABI both architectures
# use, the same way fetch-arm64.sh does, so modules and kernel match.
host_kver() {
	local v
	v=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9][^ ]*\)-amd64 .*/\1/p')
	if [ -z "$v" ]; then
		# shellcheck disable=SC2012 # the names are plain
		v=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
		v=${v#/boot/vmlinuz-}
		v=${v%-amd64}
	fi
	echo "$v"
}

if [ "$arch" = x86 ]; then
	"$iox/deps.sh" qemu-system-x86 busybox-static cpio kmod linux-image-amd64 \
		linux-headers-amd64
	kver=$(host_kver)
	kernel=/boot/vmlinuz-$kver-amd64
	busybox=/bin/busybox
	stockdir=/lib/modules/$kver-amd64
	elf_machine=62		# EM_X86_64
	qemu_bin=${qemu_bin:-qemu-system-x86_64}
	if [ "$iommu" = intel ]; then
		qemu=("$qemu_bin" -M q35 -device "intel-iommu,intremap=off")
		# Keep the stock VT-d driver and interrupt remapping off the
		# unit (Debian's kernel leaves VT-d off by default, but say so).
		cmdline="console=ttyS0 intel_iommu=off intremap=off"
		[ "$owned" -eq 0 ] ||
			cmdline="console=ttyS0 intel_iommu=on intremap=off"
	else
		qemu=("$qemu_bin" -M q35 -device amd-iommu)
		# The stock AMD-Vi driver takes QEMU's unit unless told off
		# (it then also enables interrupt remapping, unless intremap=off).
		cmdline="console=ttyS0 amd_iommu=off intremap=off"
		[ "$owned" -eq 0 ] || cmdline="console=ttyS0 intremap=off"
	fi
else
	"$iox/deps.sh" qemu-system-arm cpio kmod
	arm64dir=${IOX_ARM64_DIR:-$build/arm64-debian}
	"$iox/fetch-arm64.sh" "$arm64dir" >/dev/null
	# shellcheck source=/dev/null
	. "$arm64dir/arm64.env"
	# KVER, KERNEL and BUSYBOX come from arm64.env.
	kver=${KVER:?} kernel=${KERNEL:?} busybox=${BUSYBOX:?}
	stockdir=$arm64dir/root/lib/modules/$kver-arm64
	elf_machine=183		# EM_AARCH64
	# pauth-impdef: TCG's architected pointer-auth hash is slow to emulate.
	qemu=("${qemu_bin:-qemu-system-aarch64}" -M "${machine:-virt},iommu=smmuv3"
	      -cpu "max,pauth-impdef=on")
	# The built-in SMMUv3 driver must leave the unit to iox.
	cmdline="console=ttyAMA0 initcall_blacklist=arm_smmu_driver_init"
	[ "$owned" -eq 0 ] || cmdline="console=ttyAMA0"
fi
[ -r "$kernel" ] || die "kernel image $kernel not found"
[ -x "$busybox" ] || die "busybox $busybox not found"

# An oops ends the run at once (oops=panic, panic=-1 with -no-reboot) rather
# than leaving a half-dead kernel to the timeout; a WARN only gets logged and
# counted.  loglevel=8: everything, KTAP included, reaches the console live,
# so a crash cannot swallow the results printed before it.
# printk.devkmsg=on: /init reports through /dev/kmsg, unthrottled.
cmdline="$cmdline panic=-1 oops=panic loglevel=8 printk.devkmsg=on $append_extra"

# --- initramfs -------------------------------------------------------------
rootfs=$work/initramfs
rm -rf "$rootfs"
mkdir -p "$rootfs/bin" "$rootfs/dev" "$rootfs/proc" "$rootfs/sys" \
	"$rootfs/modules/stock"
cp "$busybox" "$rootfs/bin/busybox"
cp "$here/init" "$rootfs/init"
chmod 755 "$rootfs/init" "$rootfs/bin/busybox"
# /init runs /scripts/* in the order of their names.
i=0
for f in ${scripts[@]+"${scripts[@]}"}; do
	i=$((i + 1))
	mkdir -p "$rootfs/scripts"
	dst=$rootfs/scripts/$(printf '%02d' "$i")-$(basename "$f")
	cp "$f" "$dst"
	chmod 755 "$dst"
done
for f in ${files[@]+"${files[@]}"}; do
	cp "$f" "$rootfs/bin/"
	chmod 755 "$rootfs/bin/$(basename "$f")"
done
[ "$keep_loaded" -eq 0 ] || : >"$rootfs/modules/keep-loaded"
# The kernel opens /dev/console for /init before anything is mounted.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$rootfs/dev/console" c 5 1
	mknod -m 666 "$rootfs/dev/null" c 1 3
fi

modname() {
	local n
	n=$(modinfo -F name "$1" 2>/dev/null || true)
	[ -n "$n" ] || n=$(basename "$1" .ko)
	echo "$n" | tr - _
}

# Print the modules.dep paths that load dep $1 (normalised name), its own
# dependencies first.
stock_chain() {
	awk -v want="$1" '{
		n = $1; sub(/:$/, "", n); sub(/.*\//, "", n); sub(/\.ko.*$/, "", n)
		gsub(/-/, "_", n)
		if (n != want)
			next
		for (i = NF; i >= 2; i--)
			print $i
		p = $1; sub(/:$/, "", p); print p
		exit
	}' "$stockdir/modules.dep"
}

: >"$rootfs/modules/load-order"
: >"$rootfs/modules/stock-order"
: >"$rootfs/modules/stock-after"
ours=" "
while read -r file params; do
	case "$file" in ''|'#'*) continue ;; esac
	ko=$moddir/$file
	[ -f "$ko" ] || die "$file (from load-order) not found in $moddir"
	m=$(od -An -tu2 -j18 -N2 "$ko" | tr -d ' ')
	[ "$m" = "$elf_machine" ] ||
		die "$file is not a module for $arch (ELF machine $m)"
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
	case "$vermagic" in
	"$kver-"*) ;;
	*) echo "iox-vm: warning: $file was built for '${vermagic%% *}'," \
		"the VM runs $kver: insmod will refuse it" >&2 ;;
	esac
	name=$(modname "$ko")
	cp "$ko" "$rootfs/modules/$(basename "$file")"
	echo "$(basename "$file") $name${params:+ $params}" >>"$rootfs/modules/load-order"

	for dep in $(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' '); do
		dep=$(echo "$dep" | tr - _)
		case "$ours" in *" $dep "*) continue ;; esac
		chain=$(stock_chain "$dep")
		if [ -z "$chain" ]; then
			echo "iox-vm: warning: $file needs $dep, which is neither" \
				"in $moddir nor a stock module" >&2
			continue
		fi
		for p in $chain; do
			b=$(basename "$p")
			cut -d' ' -f1 "$rootfs/modules/stock-order" | grep -qxF "$b" &&
				continue
			cp "$stockdir/$p" "$rootfs/modules/stock/$b"
			echo "$b $(modname "$stockdir/$p")" >>"$rootfs/modules/stock-order"
		done
	done
	ours="$ours$name "
done <"$moddir/load-order"
[ -s "$rootfs/modules/load-order" ] || die "$moddir/load-order lists no module"

# The stock modules to load after the test modules, each after its own
# dependencies, none twice; a module's parameters (the words with a '='
# after its name) go on its own line, which must be the one that loads it.
stock_after_add() {
	local want=$1 params=$2 chain own p b line
	chain=$(stock_chain "$(echo "$want" | tr - _)")
	[ -n "$chain" ] || die "--stock-after: $want is not a module of $stockdir"
	own=$(tail -n 1 <<<"$chain")
	for p in $chain; do
		b=$(basename "$p")
		if cut -d' ' -f1 "$rootfs/modules/stock-order" \
			"$rootfs/modules/stock-after" | grep -qxF "$b"; then
			[ "$p" != "$own" ] || [ -z "$params" ] ||
				die "--stock-after: $want is loaded earlier, as a dependency: it cannot get$params"
			continue
		fi
		cp "$stockdir/$p" "$rootfs/modules/stock/$b"
		line="$b $(modname "$stockdir/$p")"
		[ "$p" != "$own" ] || line="$line$params"
		echo "$line" >>"$rootfs/modules/stock-after"
	done
}
want='' params=''
for word in $stock_after; do
	case "$word" in
	*=*)
		[ -n "$want" ] || die "--stock-after: $word comes before any module"
		params="$params $word"
		continue ;;
	esac
	[ -z "$want" ] || stock_after_add "$want" "$params"
	want=$word params=''
done
[ -z "$want" ] || stock_after_add "$want" "$params"

initrd=$work/initramfs.cpio.gz
(cd "$rootfs" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$initrd"

# --- boot --------------------------------------------------------------------
# --qemu-extra is split into words on purpose, but not globbed.
set -f
# shellcheck disable=SC2206
qemu+=(-accel tcg -m 512 -smp "$smp" -nographic -no-reboot -nic none -device "edu,dma_mask=$edu_mask"
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" $qemu_extra)
set +f
echo "${qemu[*]}" >"$work/qemu-cmdline"
echo "iox-vm: booting $arch kernel $kver, timeout ${timeout}s, log $log"
start=$(date +%s.%N)
set +e
timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$log" 2>&1
rc=$?
set -e
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
case $rc in
0) ;;
124|137) echo "iox-vm: qemu killed after ${timeout}s timeout" | tee -a "$log" ;;
*) echo "iox-vm: qemu exited with rc=$rc" | tee -a "$log" ;;
esac
echo "iox-vm: $arch boot+run took ${secs}s"

set +e
/usr/bin/python3 "$iox/ktap.py" "$log" --layer "$layer" \
	--expect-sentinel "iox-vm: done" --fail-pattern 'iox-vm: .* failed rc=' \
	--require-tests ${result_file:+--result-file "$result_file"}
rc=$?
set -e
echo "iox-vm: console log $log"
exit $rc
