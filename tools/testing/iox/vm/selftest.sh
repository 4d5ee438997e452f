#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the VM runner end to end: build the modules of vm/selftest/ (known
# KTAP output with a failing case, a skipped one, parameters and a WARN) for
# the stock kernel, boot them with run.sh and compare the counts with what
# they must be.  The runner itself exits 1 here (the failures are on
# purpose); this script exits 0 only if the counts are exactly right.
#
# Usage: selftest.sh BUILDDIR [x86|arm64|all]	(default all)

set -eu

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 BUILDDIR [x86|arm64|all]" >&2; exit 2; }
mkdir -p "$1"
build=$(cd "$1" && pwd)
case "${2:-all}" in
x86|arm64) archs=$2 ;;
all) archs="x86 arm64" ;;
*) echo "usage: $0 BUILDDIR [x86|arm64|all]" >&2; exit 2 ;;
esac

expect="4 2 1"		# passed failed skipped, see iox_vm_selftest.c
passed=0 failed=0
for arch in $archs; do
	src=$build/vm-selftest-$arch/src
	rm -rf "$src"
	mkdir -p "$src"
	cp "$here"/selftest/* "$src/"
	if [ "$arch" = x86 ]; then
		"$iox/deps.sh" make gcc linux-headers-amd64
		# shellcheck disable=SC2012 # the names are plain
		hdr=$(ls -d /usr/src/linux-headers-*-amd64 | sort -V | tail -n 1)
		make -s -C "$hdr" M="$src" modules >"$src/build.log" 2>&1 ||
			{ cat "$src/build.log"; exit 1; }
	else
		arm64dir=${IOX_ARM64_DIR:-$build/arm64-debian}
		"$iox/fetch-arm64.sh" "$arm64dir" >/dev/null
		# shellcheck source=/dev/null
		. "$arm64dir/arm64.env"
		make -s -C "${HEADERS:?}" M="$src" ARCH=arm64 \
			CROSS_COMPILE=aarch64-linux-gnu- modules >"$src/build.log" 2>&1 ||
			{ cat "$src/build.log"; exit 1; }
	fi
	res=$build/vm-selftest-$arch/result
	out=$build/vm-selftest-$arch/run.out
	rm -f "$res"
	# The runner's own summary reports the planted failures: keep it out
	# of this script's output unless the counts are wrong.
	IOX_ARM64_DIR=${IOX_ARM64_DIR:-$build/arm64-debian} \
		"$here/run.sh" --arch "$arch" --modules "$src" --build "$build" \
		--layer "vm-selftest-$arch" --timeout 120 --result-file "$res" \
		>"$out" 2>&1 || true
	got=$(cat "$res" 2>/dev/null || echo none)
	if [ "$got" = "$expect" ]; then
		echo "vm-selftest-$arch: counts right ($got), $(grep -o 'took .*' "$out")"
		passed=$((passed + 1))
	else
		cat "$out"
		echo "vm-selftest-$arch: counts wrong: got '$got', want '$expect'"
		failed=$((failed + 1))
	fi
done
echo "vm-selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
