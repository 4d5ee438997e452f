#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz layer: the libFuzzer target (fuzz.c) run once per page-table shape
# for a bounded time, two shapes at a time, from the committed seed corpus
# (corpus/) plus what earlier runs found (kept in the build directory).
# One test per shape: a crash, a model mismatch, a leak or a WARN fails
# it, and the reproducer's path is printed.
#
# Usage: run.sh [--build DIR] [--time SECONDS] [--result-file F]
#   --time: the whole layer's fuzzing time, split over the shapes (60)

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
build=$top/.build/fuzz
total=${IOX_FUZZ_TIME:-60}
result_file=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--time) total=$2; shift 2 ;;
	--result-file) result_file=$2; shift 2 ;;
	*) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
	esac
done

# libclang-rt-14-dev carries libFuzzer and the sanitizer runtimes, llvm-14
# the symbolizer for readable reports.
"$top/tools/testing/iox/deps.sh" clang-14 libclang-rt-14-dev llvm-14 make \
	libc6-dev
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
mkdir -p "$build"
make -s -C "$here" OUT="$build"
bin=$build/iox-fuzz

mapfile -t shapes < <(IOX_FUZZ_LIST_SHAPES=1 "$bin")
[ "${#shapes[@]}" -gt 0 ] || { echo "fuzz: no shapes listed" >&2; exit 1; }
# Two shapes run at once, each for twice its share of the time.
per=$(( 2 * total / ${#shapes[@]} ))
[ "$per" -ge 1 ] || per=1

run_shape() {
	local name=$1 dir=$build/corpus/$1
	mkdir -p "$dir" "$build/artifacts"
	IOX_FUZZ_SHAPE=$name "$bin" -max_total_time="$per" -timeout=30 \
		-rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$name-" \
		"$dir" "$here/corpus" >"$build/$name.log" 2>&1
}

pids=()
for name in "${shapes[@]}"; do
	run_shape "$name" &
	pids+=("$!")
	if [ "${#pids[@]}" -ge 2 ]; then
		wait "${pids[0]}" || true
		pids=("${pids[@]:1}")
	fi
done
for pid in "${pids[@]}"; do
	wait "$pid" || true
done

passed=0 failed=0 execs=0 rates=0
for name in "${shapes[@]}"; do
	log=$build/$name.log
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	repro=$(sed -n "s/.*Test unit written to \(.*\)/\1/p" "$log")
	if [ -z "$repro" ] && grep -q '^Done [0-9]* runs' "$log"; then
		passed=$((passed + 1))
		echo "ok $name: ${n:-0} executions, ${rate:-0}/s"
	else
		failed=$((failed + 1))
		echo "not ok $name: ${n:-0} executions"
		grep -E '^iox-fuzz:|^WARNING:|ERROR: |SUMMARY:' "$log" | head -5 |
			sed 's/^/    /'
		if [ -n "$repro" ]; then
			echo "    reproducer: $repro"
			echo "    replay: IOX_FUZZ_SHAPE=$name $bin $repro"
		else
			# No crash input: show how the run ended.
			mkdir -p "$build/failed"
			cp "$log" "$build/failed/"
			echo "    no reproducer; log: $build/failed/$name.log"
			grep -v -E '^#[0-9]+ ' "$log" | tail -5 | sed 's/^/    /'
		fi
	fi
	execs=$((execs + ${n:-0})) rates=$((rates + ${rate:-0}))
done
echo "fuzz: $execs executions in ${#shapes[@]} runs of ${per}s, two at a time" \
	"(mean $((rates / ${#shapes[@]})) executions/s per run)"
echo "fuzz: $passed passed, $failed failed, 0 skipped"
[ -z "$result_file" ] || echo "$passed $failed 0" >"$result_file"
[ "$failed" -eq 0 ]
