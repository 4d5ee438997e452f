#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A boot where the kernel's own IOMMU driver owns the unit (vm-vtd's and
# vm-amd's "owned"): run vm/run.sh, which counts the driver's expected
# insmod failure as a failure, then count the KTAP and kernel problems of
# the console log again without it, and add one test of the refusal: the
# driver said PHRASE, and its insmod is the only one that failed.
#
# Usage: owned.sh --ko MODULE.ko --phrase TEXT -- VM/RUN.SH-ARGUMENTS...
#   the arguments after -- are vm/run.sh's, with --build, --layer and
#   --result-file, which gets "<passed> <failed> <skipped>" of the boot
# Exit status: 0 when nothing failed.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
iox=$(cd "$here/.." && pwd)

ko='' phrase=''
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	case "$1" in
	--ko) ko=$2 ;;
	--phrase) phrase=$2 ;;
	*) echo "owned: unknown argument $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ "${1:-}" = -- ] && shift
build='' layer='' res='' args=("$@")
for ((i = 0; i < ${#args[@]} - 1; i++)); do
	case "${args[i]}" in
	--build) build=${args[i + 1]} ;;
	--layer) layer=${args[i + 1]} ;;
	--result-file) res=${args[i + 1]} ;;
	esac
done
if [ -z "$ko" ] || [ -z "$phrase" ] || [ -z "$build" ] || [ -z "$layer" ] ||
	[ -z "$res" ]; then
	echo "owned: --ko, --phrase, and vm/run.sh's --build, --layer and --result-file are required" >&2
	exit 2
fi
log=$build/$layer/console.log

# A run that never boots must not be judged by an earlier run's log.
rm -f "$log"
"$here/run.sh" "$@" >"$build/$layer.out" 2>&1 || true
grep -E 'booting|took' "$build/$layer.out" || true
rm -f "$res"
rc=0
if [ -f "$log" ]; then
	/usr/bin/python3 "$iox/ktap.py" "$log" --layer "$layer" \
		--expect-sentinel "iox-vm: done" --require-tests \
		--result-file "$res" || rc=1
else
	echo "FAIL: $layer: vm/run.sh did not boot:"
	sed 's/^/    /' "$build/$layer.out"
	rc=1
fi
if [ -s "$res" ]; then
	read -r p f s <"$res"
else
	p=0 f=1 s=0
fi
if [ -f "$log" ] && grep -qF "$phrase" "$log" &&
	[ "$(grep -c 'iox-vm: .* failed rc=' "$log")" = 1 ] &&
	grep -q "iox-vm: insmod $ko failed rc=" "$log"; then
	echo "ok: $layer: ${ko%.ko} refused the kernel's unit"
	p=$((p + 1))
else
	echo "FAIL: $layer: no refusal, or other load failures ($log)"
	f=$((f + 1)) rc=1
fi
echo "$p $f $s" >"$res"
exit $rc
