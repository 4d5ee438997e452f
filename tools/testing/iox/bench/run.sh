#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The page-table benchmark (see bench.c): builds it, then either times
# every case (make bench) or counts its instructions under callgrind
# (make bench-cg), one valgrind run per case with instrumentation on only
# around the measured region. A benchmark, not a test: a missed target is
# reported as MISS and the script still succeeds; it fails only if the
# build fails or the program finds a wrong result.
#
# Usage: run.sh [--cg] [--tsv] [--build DIR] [--runs N] [--case NAME]

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
build=$top/.build/bench
cg=0 tsv=0 runs='' only=''
while [ $# -gt 0 ]; do
	case "$1" in
	--cg) cg=1; shift ;;
	--tsv) tsv=1; shift ;;
	--build) build=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--case) only=$2; shift 2 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done

"$top/tools/testing/iox/deps.sh" gcc make libc6-dev valgrind
mkdir -p "$build"
make -s -C "$here" OUT="$build" >&2
bin=$build/iox-bench

if [ "$cg" -eq 0 ]; then
	args=()
	[ "$tsv" -eq 0 ] || args+=(--tsv)
	[ -z "$runs" ] || args+=(--runs "$runs")
	[ -z "$only" ] || args+=(--case "$only")
	exec "$bin" "${args[@]}"
fi

# Callgrind: Ir is deterministic, so one measured run per case suffices.
# Each case's dump is $out/<case>.out.1 (the client request's dump; the
# file without suffix is the empty rest of the run).
out=$build/callgrind
rm -rf "$out"
mkdir -p "$out"
jobs=()
while IFS=$'\t' read -r name _ _ _ _; do
	# Valgrind runs threads one at a time: no scaling to measure.
	[ "$name" != pt.map4k.single.mt2 ] || continue
	[ -z "$only" ] || [ "$name" = "$only" ] || continue
	valgrind --tool=callgrind --instr-atstart=no \
		--callgrind-out-file="$out/$name.out" \
		"$bin" --callgrind --case "$name" >"$out/$name.ops" \
		2>"$out/$name.log" &
	jobs+=("$!:$name")
	# Two at a time on a two-core machine.
	if [ "${#jobs[@]}" -ge 2 ]; then
		pid=${jobs[0]%%:*}
		wait "$pid" || { echo "bench: ${jobs[0]#*:} failed:" >&2;
				cat "$out/${jobs[0]#*:}.log" >&2; exit 1; }
		jobs=("${jobs[@]:1}")
	fi
done < <("$bin" --list)
for j in "${jobs[@]}"; do
	wait "${j%%:*}" || { echo "bench: ${j#*:} failed:" >&2;
			    cat "$out/${j#*:}.log" >&2; exit 1; }
done

# Ir of the measured region over the op count, against the issue's targets.
"$bin" --list | while IFS=$'\t' read -r name _ unit target linux; do
	[ "$name" != pt.map4k.single.mt2 ] || continue
	[ -z "$only" ] || [ "$name" = "$only" ] || continue
	while IFS=$'\t' read -r row dump ops; do
		ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$out/$dump.out.1")
		if [ -z "$ir" ] || ! grep -q "^desc: Trigger: Client Request: $dump\$" \
				"$out/$dump.out.1"; then
			echo "bench: no callgrind dump for $dump" >&2
			exit 1
		fi
		if [ "$row" != "$name" ]; then
			unit=page target=0 linux=0
		fi
		awk -v row="$row" -v ir="$ir" -v ops="$ops" -v unit="$unit" \
		    -v target="$target" -v linux="$linux" -v tsv="$tsv" 'BEGIN {
			v = ir / ops
			if (tsv) { printf "%s\t%.2f\n", row, v; exit }
			printf "%-22s %12.2f Ir per %-8s", row, v, unit
			if (target > 0)
				printf "  target <= %-5g %s", target,
				       v <= target ? "PASS" : \
				       sprintf("MISS by %.0f%%", (v / target - 1) * 100)
			if (linux > 0)
				printf "  (Linux 6.1: %g; Linux/iox %.2f)", linux, linux / v
			printf "\n"
		}'
	done <"$out/$name.ops"
done
[ "$tsv" -eq 1 ] || echo "pt.map4k.single.mt2: not measured under callgrind (it runs threads one at a time)"
[ "$tsv" -eq 1 ] || echo "callgrind dumps: $out/<case>.out.1 (callgrind_annotate them)"
