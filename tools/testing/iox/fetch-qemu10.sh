#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch QEMU 10 from Debian's bookworm-backports and unpack it next to the
# system's QEMU 7.2: for x86 (the default) qemu-system-x86_64, for the
# vm-vtd and vm-amd boots that need a newer intel-iommu or amd-iommu model
# (first-level translation: x-flts=on); for arm64 qemu-system-aarch64
# (package qemu-system-arm), for the vm-smmuv3 boots that need a newer
# SMMUv3 model (stage 2 and nested: arm-smmuv3's stage property).  The
# host's apt sources and state are not touched: apt runs on a private state
# directory with its own sources list (bookworm-backports, and bookworm for
# the index apt needs to resolve versions), and the packages are only
# unpacked with dpkg-deb, never installed.  The shared libraries are the
# host's: the system's QEMU 7.2 package of the same name is installed
# (deps.sh) for them.
#
# Usage: fetch-qemu10.sh [--arch x86|arm64] OUTDIR
#
# Afterwards OUTDIR/bin/qemu-system-x86_64 (--arch arm64:
# OUTDIR/bin/qemu-system-aarch64) runs the private QEMU with its own
# firmware and option ROMs (-L), and OUTDIR/qemu10.env holds QEMU (that
# wrapper) and QEMU_VERSION for other scripts to source.  An OUTDIR holds
# one architecture's QEMU (OUTDIR/arch names it; x86 when missing): give
# each architecture its own.
# Idempotent: a complete earlier run (OUTDIR/.done-VERSION) makes this a
# no-op.

set -eu

die() {
	echo "fetch-qemu10: $*" >&2
	exit 1
}

arch=x86
if [ "${1:-}" = --arch ]; then
	[ $# -ge 2 ] || die "usage: $0 [--arch x86|arm64] OUTDIR"
	arch=$2
	shift 2
fi
[ $# -eq 1 ] || die "usage: $0 [--arch x86|arm64] OUTDIR"
here=$(cd "$(dirname "$0")" && pwd)

# The packages QEMU 10 needs beyond bookworm: its own data and common
# files (keymaps, option ROMs, helpers), and for x86 the SeaBIOS it
# requires (>> 1.16.3; the arm64 virt machine boots -kernel without
# firmware); every shared library it links is in bookworm, and the
# system's QEMU 7.2 package of the same name pulls them in.
suite=bookworm-backports
case "$arch" in
x86)
	pkg=qemu-system-x86 qemu=qemu-system-x86_64
	pkgs="$pkg qemu-system-common qemu-system-data seabios" ;;
arm64)
	pkg=qemu-system-arm qemu=qemu-system-aarch64
	pkgs="$pkg qemu-system-common qemu-system-data" ;;
*) die "--arch must be x86 or arm64" ;;
esac

mkdir -p "$1"
out=$(cd "$1" && pwd)
root=$out/root
wrapper=$out/bin/$qemu

report() {
	echo "fetch-qemu10: $wrapper ($(cat "$out/version"))"
}

# Fetching into another architecture's OUTDIR would replace its tree.
had=x86
[ ! -f "$out/arch" ] || had=$(cat "$out/arch")
if [ "$had" != "$arch" ] && [ -d "$root" ]; then
	die "$out holds QEMU 10 for $had: give $arch its own OUTDIR"
fi

if [ -n "$(find "$out/" -maxdepth 1 -name '.done-*' 2>/dev/null)" ] &&
   [ -x "$wrapper" ]; then
	report
	exit 0
fi

"$here/deps.sh" apt dpkg debian-archive-keyring "$pkg"

apt_dir=$out/apt
rm -rf "$apt_dir"
mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
	"$apt_dir/etc/sources.list.d" "$apt_dir/etc/preferences.d" "$out/debs"
touch "$apt_dir/state/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$apt_dir/etc/sources.list" <<EOF
deb [signed-by=$keyring] http://deb.debian.org/debian $suite main
deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main
EOF
apt_private() {
	apt-get -q \
		-o Dir::State="$apt_dir/state" \
		-o Dir::State::status="$apt_dir/state/status" \
		-o Dir::Cache="$apt_dir/cache" \
		-o Dir::Etc::SourceList="$apt_dir/etc/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/etc/sources.list.d" \
		-o Dir::Etc::Preferences="$apt_dir/etc/preferences" \
		-o Dir::Etc::PreferencesParts="$apt_dir/etc/preferences.d" \
		-o APT::Sandbox::User=root \
		"$@"
}

echo "fetch-qemu10: updating private $suite package lists" >&2
apt_private update >"$out/apt-update.log" 2>&1 ||
	die "apt-get update failed, see $out/apt-update.log"

rm -f "$out"/debs/*.deb "$out/apt-download.log"
cd "$out/debs"
for p in $pkgs; do
	# Backports are NotAutomatic: name the suite to get its version.
	apt_private download "$p/$suite" >>"$out/apt-download.log" 2>&1 ||
		die "cannot download $p from $suite, see $out/apt-download.log"
done
cd - >/dev/null

rm -rf "$root"
mkdir -p "$root"
for deb in "$out"/debs/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
rm -f "$out"/debs/*.deb

bin=$root/usr/bin/$qemu
[ -x "$bin" ] || die "no $qemu in the unpacked packages"
missing=$(ldd "$bin" | sed -n 's/^[[:space:]]*\([^ ]*\) => not found/\1/p')
[ -z "$missing" ] || die "libraries missing on this host: $missing"

# The packaged binary looks for its firmware under /usr/share/qemu and its
# loadable modules under /usr/lib/x86_64-linux-gnu/qemu, both the system
# QEMU 7.2's: point it at its own (SeaBIOS and the VGA BIOS live in
# usr/share/seabios, the option ROMs in usr/share/qemu). The wrapper finds
# the unpacked tree beside itself, so OUTDIR may move.
firmware=
# shellcheck disable=SC2016 # expanded by the wrapper
[ "$arch" != x86 ] || firmware=' -L "$root/usr/share/seabios"'
mkdir -p "$out/bin"
cat >"$wrapper" <<EOF
#!/bin/sh
root=\$(cd "\$(dirname "\$0")/../root" && pwd)
QEMU_MODULE_DIR="\$root/usr/lib/x86_64-linux-gnu/qemu" \\
	exec "\$root/usr/bin/$qemu" \\
	-L "\$root/usr/share/qemu"$firmware "\$@"
EOF
chmod +x "$wrapper"

version=$("$wrapper" --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')
case "$version" in
10.*) ;;
*) die "unpacked QEMU reports version '$version', not 10.x" ;;
esac
# The model this was fetched for: intel-iommu with first-level
# translation; arm-smmuv3 with its stage property, and the virt-9.1
# machine that leaves it alone (virt-9.2 and later force stage=nested).
if [ "$arch" = x86 ]; then
	"$wrapper" -device intel-iommu,help 2>&1 | grep -q 'x-flts=' ||
		die "QEMU $version's intel-iommu has no x-flts property"
else
	"$wrapper" -device arm-smmuv3,help 2>&1 | grep -q 'stage=' ||
		die "QEMU $version's arm-smmuv3 has no stage property"
	"$wrapper" -M help 2>&1 | grep -q '^virt-9\.1 ' ||
		die "QEMU $version has no virt-9.1 machine"
fi

echo "$version" >"$out/version"
echo "$arch" >"$out/arch"
cat >"$out/qemu10.env" <<EOF
QEMU=$wrapper
QEMU_VERSION=$version
EOF
rm -f "$out"/.done-*
touch "$out/.done-$version"
report
