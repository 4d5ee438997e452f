#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch the Debian arm64 kernel, its headers and an arm64 busybox-static, for
# the same kernel ABI as the installed amd64 image, without adding arm64 to
# the host's dpkg architectures: apt runs on a private state directory and
# the packages are only unpacked with dpkg-deb, never installed.
#
# Usage: fetch-arm64.sh OUTDIR
#
# Afterwards OUTDIR/arm64.env holds shell assignments (KVER, KERNEL, HEADERS,
# BUSYBOX) for other scripts to source.  A module cross-builds with
#   make -C $HEADERS M=<dir> ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
# Idempotent: a complete earlier run (OUTDIR/.done-KVER) makes this a no-op.

set -eu
export PATH="$PATH:/usr/sbin:/sbin"	# depmod

die() {
	echo "fetch-arm64: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

# The ABI string (e.g. 6.1.0-56) comes from what the linux-headers-amd64
# metapackage pulled in, so the arm64 kernel matches the amd64 one.
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/^linux-headers-\([0-9][^ ]*\)-amd64 .*/\1/p')
if [ -z "$kver" ]; then
	# shellcheck disable=SC2012 # the names are plain
	hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
	[ -n "$hdr" ] || die "no amd64 kernel headers installed (linux-headers-amd64)"
	kver=${hdr#/usr/src/linux-headers-}
	kver=${kver%-amd64}
fi
kbuild=/usr/lib/linux-kbuild-$(echo "$kver" | cut -d. -f1,2)

root=$out/root
hdrs=$root/usr/src/linux-headers-$kver-arm64
kernel=$root/boot/vmlinuz-$kver-arm64
busybox=$root/bin/busybox

report() {
	echo "fetch-arm64: kernel  $kernel"
	echo "fetch-arm64: headers $hdrs"
	echo "fetch-arm64: busybox $busybox"
}

if [ -e "$out/.done-$kver" ]; then
	report
	exit 0
fi

"$here/deps.sh" make kmod gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
[ -d "$kbuild/scripts" ] || die "$kbuild missing (linux-kbuild package)"

# Private apt state: only the architecture list and the index/cache
# directories differ from the host's configuration; the sources are the host's.
apt_dir=$out/apt
mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
	"$out/debs"
touch "$apt_dir/state/status"
apt_arm64() {
	apt-get -q \
		-o Dir::State="$apt_dir/state" \
		-o Dir::State::status="$apt_dir/state/status" \
		-o Dir::Cache="$apt_dir/cache" \
		-o APT::Architecture=arm64 \
		-o APT::Architectures::=arm64 \
		-o APT::Sandbox::User=root \
		"$@"
}

echo "fetch-arm64: updating private arm64 package lists" >&2
apt_arm64 update >"$out/apt-update.log" 2>&1 ||
	die "apt-get update failed, see $out/apt-update.log"

# Prefer the exact Debian revision of the host's amd64 image; accept any
# revision of the same ABI if the archive has moved on.
hostrev=$(dpkg-query -W -f='${Version}' "linux-image-$kver-amd64" 2>/dev/null || true)
pkgs="linux-image-$kver-arm64-unsigned linux-headers-$kver-arm64"
# The arm64 headers' Makefile includes the arch-independent -common
# package by absolute path; it is only fetched when the host lacks it.
common=/usr/src/linux-headers-$kver-common
[ -d "$common" ] || pkgs="$pkgs linux-headers-$kver-common"

rm -f "$out"/debs/*.deb
cd "$out/debs"
for p in $pkgs; do
	if [ -n "$hostrev" ] && apt_arm64 download "$p=$hostrev" >>"$out/apt-download.log" 2>&1; then
		continue
	fi
	[ -z "$hostrev" ] || echo "fetch-arm64: $p=$hostrev not in the archive, taking its current revision" >&2
	apt_arm64 download "$p" >>"$out/apt-download.log" 2>&1 ||
		die "cannot download $p, see $out/apt-download.log"
done
apt_arm64 download busybox-static >>"$out/apt-download.log" 2>&1 ||
	die "cannot download busybox-static:arm64, see $out/apt-download.log"
cd - >/dev/null

rm -rf "$root"
mkdir -p "$root"
for deb in "$out"/debs/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
# Unpacked, the archives are only dead weight (about 60 MB).
rm -f "$out"/debs/*.deb

[ -f "$kernel" ] || die "no kernel image at $kernel"
[ -x "$busybox" ] || die "no busybox at $busybox"
[ -d "$hdrs" ] || die "no headers at $hdrs"

# The packaged links point at the arm64 build of linux-kbuild; the host's
# amd64 one has the same scripts, built to run here.
ln -sfn "$kbuild/scripts" "$hdrs/scripts"
ln -sfn "$kbuild/tools" "$hdrs/tools"
if [ ! -d "$common" ]; then
	common=$root/usr/src/linux-headers-$kver-common
	echo "include $common/Makefile" >"$hdrs/Makefile"
	ln -sfn "$kbuild/scripts" "$common/scripts"
	ln -sfn "$kbuild/tools" "$common/tools"
fi

# dpkg-deb does not run the package scripts, so build the modules.dep that
# the VM runner uses to pull in stock modules a test module depends on.
depmod -b "$root" "$kver-arm64"

# Prove the headers can cross-build a module before declaring success.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/hello.c" <<'EOC'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
static int __init hello_init(void) { return 0; }
module_init(hello_init);
MODULE_LICENSE("GPL");
EOC
echo "obj-m := hello.o" >"$tmp/Makefile"
make -s -C "$hdrs" M="$tmp" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	modules >"$out/cross-check.log" 2>&1 ||
	die "cross build of a test module failed, see $out/cross-check.log"
aarch64-linux-gnu-readelf -h "$tmp/hello.ko" | grep -q 'AArch64' ||
	die "cross-built test module is not an AArch64 object"

cat >"$out/arm64.env" <<EOF
KVER=$kver
KERNEL=$kernel
HEADERS=$hdrs
BUSYBOX=$busybox
EOF
rm -f "$out"/.done-*
touch "$out/.done-$kver"
report
