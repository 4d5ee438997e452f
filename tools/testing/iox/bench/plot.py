#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Plots the benchmark's instructions per op next to the targets and
# Linux 6.1's io-pgtable-arm, from the --tsv output of make bench-cg and the
# case list of iox-bench --list, as a PNG drawn by gnuplot (gnuplot-nox).
#
#   make -s bench-cg BENCH_ARGS=--tsv > ir.tsv
#   .build/bench/iox-bench --list > cases.tsv
#   tools/testing/iox/bench/plot.py ir.tsv cases.tsv out.svg

import os
import subprocess
import sys
import tempfile


def read_tsv(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2 and fields[0].startswith("pt."):
                rows.append(fields)
    return rows


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: plot.py IR_TSV CASES_TSV OUT_PNG\n")
        return 2
    ir = {name: float(value) for name, value, *_ in read_tsv(argv[1])}
    cases = [(f[0], float(f[3]), float(f[4])) for f in read_tsv(argv[2])
             if len(f) >= 5 and float(f[3]) > 0]
    missing = [name for name, _, _ in cases if name not in ir]
    if not cases or missing:
        sys.stderr.write("plot.py: no Ir for %s\n" % (missing or "any case"))
        return 1

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "ir.dat")
        with open(data, "w") as f:
            for name, target, linux in cases:
                f.write("%s %.2f %g %g\n" % (name[3:], ir[name], target,
                                             linux))
        script = os.path.join(tmp, "plot.gp")
        with open(script, "w") as f:
            f.write("""set terminal svg size 900,500 font 'sans,10'
set output '%s'
set title 'iox page-table engine through the core: instructions per op (callgrind, gcc -O2)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [1:*]
set ylabel 'Ir per op (log scale; lower is better)'
set grid ytics
set key outside bottom center horizontal
set xtics rotate by -20
set xrange [-0.6:%d.6]
plot '%s' using 2:xtic(1) title 'iox' lc rgb '#1f77b4', \\
     '' using 3 title 'target (issue 3)' lc rgb '#2ca02c', \\
     '' using 4 title 'Linux 6.1 io-pgtable-arm' lc rgb '#7f7f7f'
""" % (argv[3], len(cases) - 1, data))
        subprocess.run(["gnuplot", script], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
