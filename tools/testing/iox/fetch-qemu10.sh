#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch QEMU 10 for x86 from Debian's bookworm-backports and unpack it next
# to the system's QEMU 7.2, for the vm-vtd boots that need a newer
# intel-iommu model (first-level translation: x-flts=on).  The host's apt
# sources and state are not touched: apt runs on a private state directory
# with its own sources list (bookworm-backports, and bookworm for the
# index apt needs to resolve versions), and the packages are only unpacked
# with dpkg-deb, never installed.
#
# Usage: fetch-qemu10.sh OUTDIR
#
# Afterwards OUTDIR/bin/qemu-system-x86_64 runs the private QEMU with its
# own firmware and option ROMs (-L), and OUTDIR/qemu10.env holds QEMU (that
# wrapper) and QEMU_VERSION for other scripts to source.
# Idempotent: a complete earlier run (OUTDIR/.done-VERSION) makes this a
# no-op.

set -eu

die() {
	echo "fetch-qemu10: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)

# The packages QEMU 10 needs beyond bookworm: its own data and common
# files (keymaps, option ROMs, helpers), and the SeaBIOS it requires
# (>> 1.16.3); every shared library it links is in bookworm.
suite=bookworm-backports
pkgs="qemu-system-x86 qemu-system-common qemu-system-data seabios"

root=$out/root
wrapper=$out/bin/qemu-system-x86_64

report() {
	echo "fetch-qemu10: $wrapper ($(cat "$out/version"))"
}

if [ -n "$(find "$out" -maxdepth 1 -name '.done-*' 2>/dev/null)" ] &&
   [ -x "$wrapper" ]; then
	report
	exit 0
fi

"$here/deps.sh" apt dpkg debian-archive-keyring

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

rm -f "$out"/debs/*.deb
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

bin=$root/usr/bin/qemu-system-x86_64
[ -x "$bin" ] || die "no qemu-system-x86_64 in the unpacked packages"
missing=$(ldd "$bin" | sed -n 's/^[[:space:]]*\([^ ]*\) => not found/\1/p')
[ -z "$missing" ] || die "libraries missing on this host: $missing"

# The packaged binary looks for its firmware under /usr/share/qemu and its
# loadable modules under /usr/lib/x86_64-linux-gnu/qemu, both the system
# QEMU 7.2's: point it at its own (SeaBIOS and the VGA BIOS live in
# usr/share/seabios, the option ROMs in usr/share/qemu). The wrapper finds
# the unpacked tree beside itself, so OUTDIR may move.
mkdir -p "$out/bin"
cat >"$wrapper" <<'EOF'
#!/bin/sh
root=$(cd "$(dirname "$0")/../root" && pwd)
QEMU_MODULE_DIR="$root/usr/lib/x86_64-linux-gnu/qemu" \
	exec "$root/usr/bin/qemu-system-x86_64" \
	-L "$root/usr/share/qemu" -L "$root/usr/share/seabios" "$@"
EOF
chmod +x "$wrapper"

version=$("$wrapper" --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')
case "$version" in
10.*) ;;
*) die "unpacked QEMU reports version '$version', not 10.x" ;;
esac
# The model this was fetched for: intel-iommu with first-level translation.
"$wrapper" -device intel-iommu,help 2>&1 | grep -q 'x-flts=' ||
	die "QEMU $version's intel-iommu has no x-flts property"

echo "$version" >"$out/version"
cat >"$out/qemu10.env" <<EOF
QEMU=$wrapper
QEMU_VERSION=$version
EOF
rm -f "$out"/.done-*
touch "$out/.done-$version"
report
