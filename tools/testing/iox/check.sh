#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every iox test layer, or one of them, with one summary line:
#   iox: N passed, N failed, N skipped
# Layers: style userspace-asan userspace-tsan fuzz modules uml vm-x86
#         vm-arm64 vm-vtd vm-amd vm-smmuv3 vm-users
# Usage: check.sh [layer]   (all layers when none is given)
# Each layer installs the Debian packages it needs itself.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
build=${IOX_BUILD:-$top/.build}
results=$build/results
all_layers="style userspace-asan userspace-tsan fuzz modules uml vm-x86 vm-arm64 vm-vtd vm-amd vm-smmuv3 vm-users"
layers=${1:-$all_layers}
export IOX_ARM64_DIR=$build/arm64

case " $all_layers " in
*" $layers "*) ;;
*)
	if [ "$layers" != "$all_layers" ]; then
		echo "check: unknown layer '$layers'; one of: $all_layers" >&2
		exit 2
	fi
	;;
esac

run_layer() {
	local t=$1 r=$results/$1
	case "$t" in
	style) "$here/style/run.sh" --build "$build/style" --result-file "$r" ;;
	userspace-asan) "$here/userspace/run.sh" asan --result-file "$r" ;;
	userspace-tsan) "$here/userspace/run.sh" tsan --result-file "$r" ;;
	fuzz) "$here/fuzz/run.sh" --build "$build/fuzz" --result-file "$r" ;;
	modules) "$here/modules/run.sh" --build "$build/modules" \
		--out-x86 "$build/modules/out/x86_64" \
		--out-arm64 "$build/modules/out/arm64" \
		--arm64-dir "$IOX_ARM64_DIR" --result-file "$r" ;;
	uml) "$here/uml/run.sh" --build "$build/uml" --result-file "$r" ;;
	vm-x86) "$here/vm/run.sh" --arch x86 --build "$build/vm" \
		--modules "$build/modules/out/x86_64" --layer vm-x86 \
		--result-file "$r" ;;
	vm-arm64) "$here/vm/run.sh" --arch arm64 --build "$build/vm" \
		--modules "$build/modules/out/arm64" --layer vm-arm64 \
		--result-file "$r" ;;
	vm-vtd) "$here/vm-vtd/run.sh" --build "$build/vm" \
		--modules "$build/modules/out/x86_64" --result-file "$r" ;;
	vm-amd) "$here/vm-amd/run.sh" --build "$build/vm" \
		--modules "$build/modules/out/x86_64" --result-file "$r" ;;
	vm-smmuv3) "$here/vm-smmuv3/run.sh" --build "$build/vm" \
		--modules "$build/modules/out/arm64" --result-file "$r" ;;
	vm-users) "$here/vm-users/run.sh" --build "$build/vm" \
		--modules "$build/modules/out/x86_64" \
		--modules-arm64 "$build/modules/out/arm64" --result-file "$r" ;;
	esac
}

"$here/deps.sh" python3 make gcc
mkdir -p "$results"
passed=0 failed=0 skipped=0
for t in $layers; do
	# The VMs load what the modules layer built.
	case "$t" in
	vm-*) [ -s "$build/modules/out/x86_64/load-order" ] &&
	      [ -s "$build/modules/out/arm64/load-order" ] ||
	      [[ " $layers " == *" modules "* ]] ||
	      run_layer modules >/dev/null 2>&1 ;;
	esac
	echo "=== $t"
	rm -f "$results/$t"
	start=$(date +%s)
	run_layer "$t"
	status=$?
	if [ -s "$results/$t" ]; then
		read -r p f s <"$results/$t"
	else
		echo "check: layer $t ended (status $status) without results"
		p=0 f=1 s=0
	fi
	# A layer that failed must show a failure even if its parse did not.
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	echo "=== $t: $p passed, $f failed, $s skipped ($(( $(date +%s) - start ))s)"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

echo "iox: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
