#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In-tree layer: apply the iox tree onto Debian's linux-source-6.1 and run
# every iox KUnit suite under UML with the kernel's own kunit.py.
#
#   1. Extract /usr/src/linux-source-6.1.tar.xz once into BUILDDIR/linux-6.1.
#      It is re-extracted only when the tarball changed or a file outside
#      iox's paths was changed or added after extraction (not pristine).
#   2. Copy iox's files in (drivers/iox, include/linux/iox*, vcm.h,
#      include/uapi/linux/iox*, Documentation/iox: tracked and untracked
#      files that git does not ignore), dropping stale ones, and regenerate
#      the two hooks (drivers/Kconfig, drivers/Makefile) from pristine
#      copies, so re-runs never duplicate them.  Only files whose content
#      changed are rewritten, so Kbuild rebuilds only what changed.
#   3. mkpatch.sh writes BUILDDIR/iox.patch and proves it applies to a fresh
#      extraction (in the background, beside step 4).
#   4. kunit.py builds UML in BUILDDIR/uml (kept between runs) and runs the
#      suites; its output goes to BUILDDIR/kunit.log, whose KTAP part the
#      shared parser tools/testing/iox/ktap.py counts (kernel splats among
#      the results count as failures there).
#
# Usage: run.sh [--build BUILDDIR] [--result-file F] [-- KUNIT_ARGS...]
#   --build       work dir (default <repo>/.build/uml), ~1.5 GiB source
#                 plus ~0.5 GiB UML build
#   --result-file gets "<passed> <failed> <skipped>"
#   KUNIT_ARGS    passed to `kunit.py run`, e.g. a suite glob 'iox_map*'

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
iox_tools=$top/tools/testing/iox
tarball=/usr/src/linux-source-6.1.tar.xz

build=$top/.build/uml
result_file=
kunit_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=${2:?--build needs a directory}; shift 2 ;;
	--result-file) result_file=${2:?--result-file needs a file}; shift 2 ;;
	--) shift; kunit_args=("$@"); break ;;
	-h|--help) sed -n '/^# Usage:/,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "uml: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

mkdir -p "$build"
build=$(cd "$build" && pwd)
# Runs sharing a build dir (a developer's and `make check`'s) would clobber
# each other's tree, build and log: take turns.
exec 9>"$build/.lock"
if ! flock -n 9; then
	echo "uml: waiting for another run using $build"
	flock 9
fi
if [ -n "$result_file" ]; then
	mkdir -p "$(dirname "$result_file")"
	result_file=$(cd "$(dirname "$result_file")" && pwd)/$(basename "$result_file")
	# A stale result must never be read as this run's.
	rm -f "$result_file"
fi
tree=$build/linux-6.1
stamp=$build/linux-6.1.stamp
listing=$build/linux-6.1.files
pristine=$build/pristine
log=$build/kunit.log

# Anything that stops the run before the suites report counts as one
# failed test, so the aggregate never mistakes a broken layer for a pass.
die() {
	echo "uml: $*" >&2
	[ -z "$result_file" ] || echo "0 1 0" >"$result_file"
	echo "uml: 0 passed, 1 failed, 0 skipped"
	exit 1
}
elapsed() { echo "$(($(date +%s) - $1)) s"; }

[ -x "$iox_tools/deps.sh" ] || die "$iox_tools/deps.sh is missing"
[ -f "$iox_tools/ktap.py" ] || die "$iox_tools/ktap.py is missing"
# kunit.py's UML build needs a host toolchain; xz-utils for the tarball,
# patch for mkpatch.sh, git to list iox's files.
"$iox_tools/deps.sh" linux-source-6.1 gcc make flex bison bc libc6-dev \
	xz-utils patch git python3 ||
	die "cannot install the build dependencies"
[ -f "$tarball" ] || die "$tarball missing (package linux-source-6.1)"
[ -f "$top/drivers/iox/Kconfig" ] && [ -f "$top/drivers/iox/Makefile" ] ||
	die "drivers/iox/Kconfig and drivers/iox/Makefile are needed for the hooks"
git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	die "$top is not a git work tree (iox's files are listed with git)"

# iox's roots inside a kernel tree; the pristine check skips them.
iox_roots() {
	local r
	for r in "$1"/drivers/iox "$1"/Documentation/iox "$1"/include/linux/iox* \
		"$1"/include/linux/vcm.h "$1"/include/uapi/linux/iox*; do
		[ ! -e "$r" ] || echo "${r#"$1"/}"
	done
}

# --- 1. extraction ---------------------------------------------------------
t0=$(date +%s)
want="$tarball $(stat -c '%s %Y' "$tarball")"
reason=
if [ ! -f "$stamp" ] || [ ! -d "$tree" ]; then
	reason="no extracted tree yet"
elif [ "$(cat "$stamp")" != "$want" ]; then
	reason="$tarball changed"
else
	# Files written after extraction, other than iox's own and the hooks,
	# mean someone edited or built inside the tree.  (Deletions are not
	# seen; kunit.py builds with O= and never writes to the source tree.)
	prune=()
	for r in $(iox_roots "$tree"); do prune+=(-path "./$r" -prune -o); done
	dirty=$(cd "$tree" && find . "${prune[@]}" -type f -newer "$stamp" \
		! -path ./drivers/Kconfig ! -path ./drivers/Makefile -print | head -n 5)
	[ -z "$dirty" ] || reason="tree not pristine (e.g. ${dirty//$'\n'/ })"
fi
if [ -n "$reason" ]; then
	echo "uml: extracting $tarball into $tree ($reason)"
	rm -rf "$tree" "$tree.tmp" "$stamp" "$listing" "$pristine"
	mkdir -p "$tree.tmp"
	# -v gives mkpatch.sh the tarball's member list for free.
	tar -xvJf "$tarball" -C "$tree.tmp" >"$listing" || die "cannot extract $tarball"
	topdir=$(head -n 1 "$listing" | cut -d/ -f1)
	[ -f "$tree.tmp/$topdir/Makefile" ] || die "$tarball has no $topdir/Makefile"
	mv "$tree.tmp/$topdir" "$tree"
	rmdir "$tree.tmp"
	mkdir -p "$pristine/drivers"
	cp -p "$tree/drivers/Kconfig" "$tree/drivers/Makefile" "$pristine/drivers/"
	# Written last: an interrupted extraction is redone.
	echo "$want" >"$stamp"
	echo "uml: extracted in $(elapsed "$t0")"
fi

# --- 2. apply the iox tree -------------------------------------------------
# Only replace a file whose content changes, so its mtime (and Kbuild's
# view of it) stays put otherwise.
install_if_changed() {
	if ! cmp -s "$1" "$2"; then
		cp "$1" "$2"
	fi
	rm -f "$1"
}

# Copy a file only when its content differs from the tree's copy, and then
# with a fresh mtime: Kbuild rebuilds exactly what changed, even an edit
# older than the objects (made during a build, or a checkout that restored
# an old mtime), and an unchanged tree costs no rebuild.
(cd "$top" && git ls-files -z -c -o --exclude-standard -- \
	drivers/iox Documentation/iox 'include/linux/iox*' include/linux/vcm.h \
	'include/uapi/linux/iox*') |
	tr '\0' '\n' | while IFS= read -r f; do
		# Tracked but deleted in the work tree: not part of the tree.
		[ -f "$top/$f" ] && echo "$f"
	done | LC_ALL=C sort >"$build/iox-files"
[ -s "$build/iox-files" ] || die "git lists no iox files under $top"
while IFS= read -r f; do
	if ! cmp -s "$top/$f" "$tree/$f"; then
		mkdir -p "$tree/$(dirname "$f")"
		rm -f "$tree/$f"
		cp "$top/$f" "$tree/$f"
	fi
done <"$build/iox-files"
# Files gone from the repo go from the tree, then any emptied directory.
for r in $(iox_roots "$tree"); do
	find "$tree/$r" -type f
done | sed "s|^$tree/||" | LC_ALL=C sort |
	LC_ALL=C comm -23 - "$build/iox-files" | while IFS= read -r f; do
		rm -f "$tree/$f"
	done
for r in $(iox_roots "$tree"); do
	[ ! -d "$tree/$r" ] || find "$tree/$r" -depth -type d -empty -delete
done

# source "drivers/iox/Kconfig" before the last endmenu of drivers/Kconfig.
awk -v n="$(grep -n '^endmenu' "$pristine/drivers/Kconfig" | tail -n 1 | cut -d: -f1)" \
	'NR == n { print "source \"drivers/iox/Kconfig\""; print "" } { print }' \
	"$pristine/drivers/Kconfig" >"$build/Kconfig.new"
grep -q '^source "drivers/iox/Kconfig"$' "$build/Kconfig.new" ||
	die "no endmenu in drivers/Kconfig to hook drivers/iox/Kconfig before"
install_if_changed "$build/Kconfig.new" "$tree/drivers/Kconfig"

# iox/ right after iommu/: an IOMMU core is linked (and initialised) before
# the drivers that use IOMMUs, as drivers/Makefile does for iommu/.
awk '{ print } /^obj-y[[:space:]]*\+= iommu\/$/ { print "obj-$(CONFIG_IOX)\t\t+= iox/" }' \
	"$pristine/drivers/Makefile" >"$build/Makefile.new"
grep -q '^obj-\$(CONFIG_IOX)' "$build/Makefile.new" ||
	die "no 'obj-y += iommu/' line in drivers/Makefile to hook iox/ after"
install_if_changed "$build/Makefile.new" "$tree/drivers/Makefile"

# --- 3. the patch ----------------------------------------------------------
# Its verification (mostly xz decompression) runs beside the UML build.
"$here/mkpatch.sh" --build "$build" >"$build/mkpatch.log" 2>&1 &
mkpatch_pid=$!

# --- 4. kunit.py -----------------------------------------------------------
if [ -f "$tree/drivers/iox/.kunitconfig" ]; then
	kunitconfig=$tree/drivers/iox/.kunitconfig
else
	kunitconfig=$build/iox.kunitconfig
	printf '%s\n' CONFIG_KUNIT=y CONFIG_IOX=y CONFIG_IOX_MOCK=y \
		CONFIG_IOX_KUNIT_TEST=y >"$kunitconfig"
	echo "uml: drivers/iox/.kunitconfig absent, using $kunitconfig"
fi

# kunit.py runs as the system python (pyenv shims are not on CI machines);
# no __pycache__ in the source tree, which would make it look modified.
t1=$(date +%s)
rc=0
(cd "$tree" && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 \
	tools/testing/kunit/kunit.py run --kunitconfig="$kunitconfig" \
	--build_dir="$build/uml" --jobs="$(nproc)" --raw_output=kunit \
	"${kunit_args[@]}" </dev/null) >"$log" 2>&1 || rc=$?
echo "uml: kunit.py build+run took $(elapsed "$t1"), log $log, console $build/uml/test.log"
rc_patch=0
wait $mkpatch_pid || rc_patch=$?
cat "$build/mkpatch.log"
[ $rc_patch = 0 ] || die "mkpatch.sh failed (exit $rc_patch)"
if [ $rc != 0 ]; then
	tail -n 40 "$log" | sed 's/^/    /' >&2
	die "kunit.py failed (exit $rc)"
fi
# With --raw_output kunit.py reports success whatever the tests did.  Its
# KTAP (and any kernel splat among it) starts at the first version line;
# the build chatter before it is not the tests' business.
if ! grep -qE '^K?TAP version [0-9]' "$log"; then
	echo "uml: last lines of the UML console:" >&2
	tail -n 40 "$build/uml/test.log" 2>/dev/null | sed 's/^/    /' >&2
	die "kunit.py printed no KTAP, see $log"
fi
sed -n '/^K\{0,1\}TAP version [0-9]/,$p' "$log" |
	/usr/bin/python3 "$iox_tools/ktap.py" --layer uml --require-tests \
		${result_file:+--result-file "$result_file"}
