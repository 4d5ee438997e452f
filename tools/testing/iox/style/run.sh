#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Style layer: every kernel source file of iox passes checkpatch (--strict
# for drivers/ and include/, the default level for the KUnit shim, whose
# macros mirror KUnit's own), scripts/kernel-doc without warnings, and
# kdoc_sections.py (Context: and Return: in each kernel-doc); every
# Documentation/iox page parses as reStructuredText without a warning. One
# test per file and check. The scripts come from Debian's linux-source-6.1.
#
# Usage: run.sh [--build DIR] [--result-file F]

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
build=$top/.build/style
result_file=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--result-file) result_file=$2; shift 2 ;;
	*) echo "style: unknown argument $1" >&2; exit 2 ;;
	esac
done

"$top/tools/testing/iox/deps.sh" linux-source-6.1 perl python3 python3-docutils \
	xz-utils git
tarball=/usr/src/linux-source-6.1.tar.xz
scripts=$build/linux-source-6.1/scripts
if [ ! -x "$scripts/checkpatch.pl" ] || [ "$tarball" -nt "$scripts/checkpatch.pl" ]; then
	mkdir -p "$build"
	tar -xJf "$tarball" -C "$build" linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch \
		linux-source-6.1/scripts/kernel-doc
	touch "$scripts/checkpatch.pl"
fi

cd "$top"
passed=0 failed=0
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1) && ! grep -qE 'warning|WARNING|ERROR|CHECK' <<<"$out"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "not ok: $name"
		sed 's/^/    /' <<<"$out"
	fi
}

checkpatch=(perl "$scripts/checkpatch.pl" --no-tree --terse --show-types
	    --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f)
for f in $(git ls-files 'drivers/iox/*.[ch]' 'include/linux/iox*.h' \
	 include/linux/vcm.h); do
	check "checkpatch --strict $f" "${checkpatch[@]}" --strict "$f"
	check "kernel-doc $f" perl "$scripts/kernel-doc" -v -none "$f"
done
for f in $(git ls-files 'tools/testing/iox/kunit-shim/*.[ch]'); do
	check "checkpatch $f" "${checkpatch[@]}" "$f"
	check "kernel-doc $f" perl "$scripts/kernel-doc" -v -none "$f"
done
for f in $(git ls-files 'drivers/iox/*.c' 'tools/testing/iox/kunit-shim/*.c'); do
	check "kernel-doc sections $f" /usr/bin/python3 "$here/kdoc_sections.py" "$f"
done

for f in $(git ls-files 'Documentation/iox/*.rst'); do
	check "rst $f" /usr/bin/python3 "$here/rst_check.py" "$f"
done

echo "style: $passed passed, $failed failed, 0 skipped"
[ -z "$result_file" ] || echo "$passed $failed 0" >"$result_file"
[ "$failed" -eq 0 ]
