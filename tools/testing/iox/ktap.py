#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Count KTAP results and kernel problems in a console log.

The log may hold several KTAP documents one after another (each test module
prints its own), printk timestamps, and unrelated kernel messages between the
KTAP lines.  Leaf results are counted: a result line inside which no deeper
result appeared (so for a parameterised case the parameters count, not the
case).  A group that declared "1..M" but printed fewer results counts the
missing ones as failed, as a crash would leave it.  Kernel problem reports
(WARN, BUG, oops, sanitizer and leak reports) and lines matching
--fail-pattern count as one failure each.

Prints every failure, then "<layer>: N passed, N failed, N skipped".
Exit status 0 when nothing failed, 1 otherwise.  Standard library only.
"""

import argparse
import re
import sys

HEADER_RE = re.compile(r'^K?TAP version \d+\s*$')
SUBTEST_RE = re.compile(r'^# Subtest: (.*?)\s*$')
PLAN_RE = re.compile(r'^1\.\.(\d+)\s*(?:#.*)?$')
RESULT_RE = re.compile(r'^(ok|not ok) (\d+)\b\s*(?:- )?(.*)$')

# printk prefixes a console or dmesg may put before the message text:
# "<6>" (dmesg -r), "[    2.345678]" (printk.time), "[    T1]" (caller id).
PREFIX_RE = re.compile(r'^(?:<\d+>)?(?:\[\s*\d+\.\d+\])?(?:\[\s*[CT]\d+\])?')

# Kernel problem reports.  A report's own follow-up lines (the oops after
# "BUG: unable to handle", its "Call Trace:", the panic that ends it) are
# merged into one failure, see Scanner.
PROBLEM_RE = re.compile(
    r'\bWARNING:|\bBUG:|\bOops\b|kernel BUG|general protection fault|'
    r'Kernel panic|Unable to handle kernel|Call [Tt]race:|\bUBSAN:|\bKASAN:|iox: leak|memory leak|'
    r'blocked for more than \d+ seconds|detected stalls? on')
REPORT_END_RE = re.compile(r'---\[ end (?:trace|Kernel panic)')
# A problem line this close to the previous one belongs to the same report.
MERGE_LINES = 40


def strip_prefix(raw):
    """Return the message text of one log line, indentation kept."""
    line = raw.rstrip('\r\n').replace('\r', '')
    m = PREFIX_RE.match(line)
    if m and m.end() > 0:
        line = line[m.end():]
        # printk puts exactly one space between the prefix and the text.
        if line.startswith(' '):
            line = line[1:]
    return line


class Frame:
    """Results at one indentation level: one KTAP (sub)document."""

    def __init__(self, level, name=None):
        self.level = level
        self.name = name
        self.plan = None
        self.results = 0
        # The item in progress (after the last result at this level) has
        # produced deeper results / registered a failure below it.
        self.pending_children = False
        self.pending_fail = False

    def fresh(self):
        return self.results == 0 and self.plan is None


class Counter:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.messages = []
        self.stack = []

    # -- failures ---------------------------------------------------------
    def path(self, frames, leaf=None):
        parts = [f.name for f in frames if f.name]
        if leaf:
            parts.append(leaf)
        return '/'.join(parts) if parts else '(unnamed)'

    def fail(self, level, count, message):
        """Record count failures found at indentation level."""
        self.failed += count
        self.messages.append(message)
        for f in self.stack[:level]:
            f.pending_fail = True

    # -- frame stack ------------------------------------------------------
    def ensure(self, level):
        while len(self.stack) <= level:
            self.stack.append(Frame(len(self.stack)))

    def close_from(self, level):
        """Pop the frames at level and deeper; return the shallowest one."""
        popped = None
        while len(self.stack) > level:
            f = self.stack[-1]
            frames = list(self.stack)
            self.stack.pop()
            self.close(f, frames, popped)
            popped = f
        return popped

    def close(self, f, frames, child):
        # f is already popped: fail(f.level) marks exactly its ancestors.
        missing = 0
        if f.plan is not None and f.plan > f.results:
            missing = f.plan - f.results
        if f.pending_children:
            # An item whose subtests ran but whose own result never came:
            # it is one of the missing ones, counted through its subtests.
            if missing:
                missing -= 1
            if not f.pending_fail:
                what = child.name if child is not None and child.name else '?'
                self.fail(f.level, 1, 'FAIL %s: did not complete'
                          % self.path(frames, what))
        if missing:
            self.fail(f.level, missing,
                      'FAIL %s: %d of %d planned results missing (crash?)'
                      % (self.path(frames), missing, f.plan))

    # -- KTAP lines -------------------------------------------------------
    def header(self, level):
        if len(self.stack) > level and self.stack[level].fresh():
            return
        self.close_from(level)
        self.ensure(level)

    def subtest(self, level, name):
        if len(self.stack) > level and self.stack[level].fresh() \
                and self.stack[level].name is None:
            self.stack[level].name = name
            return
        self.close_from(level)
        self.ensure(level)
        self.stack[level].name = name

    def plan(self, level, count):
        if len(self.stack) > level:
            f = self.stack[level]
            if f.plan is not None and f.results > 0:
                # A second plan without a header: a new document.
                self.close_from(level)
        self.ensure(level)
        self.stack[level].plan = count

    def result(self, level, ok, name, directive):
        self.ensure(level)
        child = self.close_from(level + 1)
        f = self.stack[level]
        if child is not None and child.name is None:
            child.name = name
        f.results += 1
        frames = self.stack[:level + 1]
        word = directive.split()[0].upper() if directive.split() else ''
        skip = word == 'SKIP' or (not ok and word in ('TODO', 'XFAIL'))
        if not f.pending_children:
            if skip:
                self.skipped += 1
            elif ok:
                self.passed += 1
            else:
                self.fail(level, 1, 'FAIL %s' % self.path(frames, name))
        elif not ok and not skip and not f.pending_fail:
            # The group says it failed though none of its cases did
            # (e.g. a suite init or exit check).
            self.fail(level, 1, 'FAIL %s: group failed with no failing case'
                      % self.path(frames, name))
        f.pending_children = False
        f.pending_fail = False
        for parent in self.stack[:level]:
            parent.pending_children = True

    def feed(self, text):
        """Handle one prefix-stripped line; return True if it was KTAP."""
        body = text.lstrip(' ')
        level = (len(text) - len(body)) // 4
        if HEADER_RE.match(body):
            self.header(level)
            return True
        m = SUBTEST_RE.match(body)
        if m:
            self.subtest(level, m.group(1))
            return True
        m = PLAN_RE.match(body)
        if m:
            self.plan(level, int(m.group(1)))
            return True
        m = RESULT_RE.match(body)
        if m:
            rest = m.group(3)
            name, _, directive = rest.partition('#')
            self.result(level, m.group(1) == 'ok', name.strip(),
                        directive.strip())
            return True
        return False

    def finish(self):
        self.close_from(0)


class Scanner:
    """Count kernel problem reports, one failure per report."""

    def __init__(self, counter, fail_patterns):
        self.counter = counter
        self.fail_patterns = fail_patterns
        self.last_hit = None
        self.last_end = None

    def feed(self, lineno, text, is_ktap):
        for pat in self.fail_patterns:
            if pat.search(text):
                self.counter.fail(0, 1, 'FAIL line %d: %s' % (lineno, text.strip()))
                return
        if is_ktap:
            return
        if REPORT_END_RE.search(text):
            if self.last_hit is not None:
                self.last_end = lineno
            self.last_hit = None
            return
        m = PROBLEM_RE.search(text)
        if not m:
            return
        if self.last_hit is not None and lineno - self.last_hit <= MERGE_LINES:
            self.last_hit = lineno
            return
        if m.group(0) == 'Kernel panic' and self.last_end is not None \
                and lineno - self.last_end <= MERGE_LINES:
            # The panic oops=panic raises after a report already counted
            # (x86 prints the registers once more between the two).
            return
        self.last_hit = lineno
        self.counter.fail(0, 1, 'PROBLEM line %d: %s' % (lineno, text.strip()))


def analyse(lines, fail_patterns=(), sentinel=None, require_tests=False):
    counter = Counter()
    scanner = Scanner(counter, [re.compile(p) for p in fail_patterns])
    seen_sentinel = False
    for lineno, raw in enumerate(lines, 1):
        text = strip_prefix(raw)
        if sentinel is not None and sentinel in raw:
            seen_sentinel = True
        is_ktap = counter.feed(text)
        scanner.feed(lineno, text, is_ktap)
    counter.finish()
    if sentinel is not None and not seen_sentinel:
        counter.fail(0, 1, 'FAIL run did not complete (no "%s" line)' % sentinel)
    if require_tests and counter.passed + counter.failed + counter.skipped == 0:
        counter.fail(0, 1, 'FAIL no test results found')
    return counter


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('log', nargs='?', default='-',
                    help='console log file (default: standard input)')
    ap.add_argument('--layer', default='ktap',
                    help='name printed before the summary line')
    ap.add_argument('--expect-sentinel', metavar='STRING',
                    help='a line the log must contain, or one failure is added')
    ap.add_argument('--fail-pattern', metavar='REGEX', action='append',
                    default=[], help='lines matching REGEX count as failures '
                    '(may be given more than once)')
    ap.add_argument('--require-tests', action='store_true',
                    help='count a log with no test result at all as a failure')
    ap.add_argument('--result-file', metavar='PATH',
                    help='write "<passed> <failed> <skipped>" to PATH')
    args = ap.parse_args(argv)

    if args.log == '-':
        lines = sys.stdin.read().splitlines()
    else:
        with open(args.log, encoding='utf-8', errors='replace') as fh:
            lines = fh.read().splitlines()

    c = analyse(lines, args.fail_pattern, args.expect_sentinel,
                args.require_tests)
    for msg in c.messages:
        print('%s: %s' % (args.layer, msg))
    if args.result_file:
        with open(args.result_file, 'w', encoding='utf-8') as fh:
            fh.write('%d %d %d\n' % (c.passed, c.failed, c.skipped))
    print('%s: %d passed, %d failed, %d skipped'
          % (args.layer, c.passed, c.failed, c.skipped))
    return 1 if c.failed else 0


if __name__ == '__main__':
    sys.exit(main())
