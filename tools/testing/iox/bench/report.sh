#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The numbers and the plot of Documentation/iox/performance.rst: runs the
# benchmark timed and under callgrind (--tsv), keeps both in the build
# directory and draws the Ir plot with plot.py.
#
# Usage: report.sh [--build DIR] [--plot FILE]
# The plot is SVG: text, so the series stays a patch that applies.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
build=$top/.build/bench
plot=$top/Documentation/iox/performance-ir.svg
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--plot) plot=$2; shift 2 ;;
	*) echo "report: unknown argument $1" >&2; exit 2 ;;
	esac
done

"$top/tools/testing/iox/deps.sh" gnuplot-nox python3
"$here/run.sh" --build "$build" --tsv >"$build/ns.tsv.new"
"$here/run.sh" --build "$build" --cg --tsv >"$build/ir.tsv.new"
mv "$build/ns.tsv.new" "$build/ns.tsv"
mv "$build/ir.tsv.new" "$build/ir.tsv"
"$build/iox-bench" --list >"$build/cases.tsv"
/usr/bin/python3 "$here/plot.py" "$build/ir.tsv" "$build/cases.tsv" "$plot"
echo "== ns per op (median; mt2: throughput ratio; tables: pages)"
cat "$build/ns.tsv"
echo "== Ir per op"
cat "$build/ir.tsv"
echo "== plot: $plot"
echo "== table for Documentation/iox/performance.rst"
/usr/bin/python3 "$here/rst-table.py" "$build/ns.tsv" "$build/ir.tsv" \
	"$build/cases.tsv"
