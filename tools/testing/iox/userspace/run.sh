#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Userspace layer: the KUnit suites built with the core and the mock unit
# as one program, run under ASan+UBSan (every suite, the differential test
# at 1,000,000 operations) or under TSan (every suite, threads included).
#
# Usage: run.sh asan|tsan [--build DIR] [--result-file F]

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
san=${1:?usage: run.sh asan|tsan [--build DIR] [--result-file F]}
shift
build=$top/.build/userspace
result_file=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--result-file) result_file=$2; shift 2 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done

"$top/tools/testing/iox/deps.sh" gcc make libc6-dev python3
mkdir -p "$build"
make -s -C "$here" OUT="$build" "$san"

log=$build/$san.log
case "$san" in
asan)
	ops=${IOX_DIFF_OPS:-1000000}
	env=(IOX_PARAM_diff_ops="$ops" ASAN_OPTIONS=detect_leaks=1
	     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)
	;;
tsan)
	env=(TSAN_OPTIONS=halt_on_error=0)
	;;
*)
	echo "run.sh: unknown sanitizer $san" >&2
	exit 2
	;;
esac

# Sanitizer reports go to stderr: keep them in the log the parser reads.
status=0
env "${env[@]}" "$build/iox-tests-$san" >"$log" 2>&1 || status=$?
echo "iox-userspace: exit status $status" >>"$log"
[ "$status" -eq 0 ] || echo "iox-userspace: test program failed" >>"$log"

args=(--layer "userspace-$san" --require-tests
      --fail-pattern 'ERROR: (Address|Leak)Sanitizer'
      --fail-pattern 'runtime error:'
      --fail-pattern 'WARNING: ThreadSanitizer'
      --fail-pattern 'iox-userspace: test program failed')
[ -z "$result_file" ] || args+=(--result-file "$result_file")
grep -E '# (seed|allocation|map failed)' "$log" || true
/usr/bin/python3 "$top/tools/testing/iox/ktap.py" "$log" "${args[@]}"
