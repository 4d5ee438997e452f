#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Prints the results table of Documentation/iox/performance.rst from the
# --tsv outputs of make bench (ns) and make bench-cg (Ir) and the case
# list of iox-bench --list: ns and Ir per op next to the target and
# Linux 6.1's io-pgtable-arm, with PASS or how far the target is missed.
#
#   tools/testing/iox/bench/rst-table.py NS_TSV IR_TSV CASES_TSV

import sys


def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2:
                rows[fields[0]] = fields[1:]
    return rows


def verdict(value, target, higher_is_better=False):
    if not target:
        return "-"
    if higher_is_better:
        return "PASS" if value >= target else \
            "MISS by %.0f%%" % ((1 - value / target) * 100)
    return "PASS" if value <= target else \
        "MISS by %.0f%%" % ((value / target - 1) * 100)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: rst-table.py NS_TSV IR_TSV CASES_TSV\n")
        return 2
    ns, ir, cases = read(argv[1]), read(argv[2]), read(argv[3])
    head = ("case", "ns/op", "Ir/op", "target Ir", "Linux 6.1 Ir", "verdict")
    rows = []
    for name, (ops, unit, target, linux) in cases.items():
        if name == "pt.map4k.single.mt2":
            ratio = float(ns[name][0])
            rows.append((name + " (x)", "%.2f" % ratio, "-", ">= 1.8", "-",
                         verdict(ratio, 1.8, True)))
            continue
        n, i = float(ns[name][0]), float(ir[name][0])
        per = "" if unit == "call" else " per " + unit
        rows.append((name + per, "%.2f" % n, "%.1f" % i,
                     "%g" % float(target) if float(target) else "-",
                     "%g" % float(linux) if float(linux) else "-",
                     verdict(i, float(target))))
        if name == "pt.teardown":
            page = "pt.teardown.page"
            rows.append(("pt.teardown per page", "%.4f" % float(ns[page][0]),
                         "%.2f" % float(ir[page][0]), "-", "-", "-"))
    if "pt.map4k.single.mt2.best" in ns:
        best = float(ns["pt.map4k.single.mt2.best"][0])
        rows.append(("mt2, fastest runs (x)", "%.2f" % best, "-", ">= 1.8",
                     "-", verdict(best, 1.8, True)))
    if "machine.mt2" in ns:
        rows.append(("machine ceiling, 2 threads (x)",
                     "%.2f" % float(ns["machine.mt2"][0]), "-", "-", "-",
                     "-"))
    for name, target in (("pt.tables.mapped4k", 0),
                         ("pt.tables.unmapped4k.bulk", 1),
                         ("pt.tables.unmapped4k.single", 1)):
        pages = int(ns[name][0])
        rows.append((name + " (pages)", str(pages), "-",
                     "root (%d)" % target if target else "-",
                     "512 + 3" if target else "-",
                     "-" if not target else "PASS" if pages <= target else
                     "MISS by %d page%s" % (pages - target,
                                             "s" if pages - target > 1 else "")))
    widths = [max(len(r[c]) for r in rows + [head]) for c in range(len(head))]
    rule = " ".join("=" * w for w in widths)
    print(rule)
    print(" ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
    print(rule)
    for r in rows:
        print(" ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    print(rule)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
