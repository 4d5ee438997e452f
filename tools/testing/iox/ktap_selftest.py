#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of ktap.py on crafted console logs: python3 ktap_selftest.py"""

import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402


def counts(text, **kw):
    c = ktap.analyse(text.strip('\n').splitlines(), **kw)
    return (c.passed, c.failed, c.skipped), c.messages


# What a 6.1 KUnit module prints: no top-level header, suites at indent 4,
# params at indent 8 without a plan; printk timestamps; other messages between.
KUNIT_61 = r'''
[    2.100000] vmt: loading out-of-tree module taints kernel.
[    2.100100]     KTAP version 1
[    2.100200]     # Subtest: iox_map
[    2.100300]     1..3
[    2.100400]     ok 1 map_one
[    2.100500]         KTAP version 1
[    2.100600]         # Subtest: map_sizes
[    2.100650] random driver: something unrelated
[    2.100700]         ok 1 4K
[    2.100800]         not ok 2 2M
[    2.100900]         ok 3 1G # SKIP no 1G pages
[    2.101000]     # map_sizes: pass:1 fail:1 skip:1 total:3
[    2.101100]     not ok 2 map_sizes
[    2.101200]     ok 3 map_pasid # SKIP no PASID
[    2.101300] # iox_map: pass:1 fail:1 skip:1 total:3
[    2.101400] not ok 1 iox_map
[    2.101500]     KTAP version 1
[    2.101600]     # Subtest: iox_unmap
[    2.101700]     1..1
[    2.101800]     ok 1 - unmap_one
[    2.101900] ok 2 iox_unmap
'''


class KtapTest(unittest.TestCase):
    def test_kunit_61_nested_params(self):
        (p, f, s), msgs = counts(KUNIT_61)
        # leaves: map_one, 4K, 2M(fail), 1G(skip), map_pasid(skip), unmap_one
        self.assertEqual((p, f, s), (3, 1, 2))
        self.assertEqual(msgs, ['FAIL iox_map/map_sizes/2M'])

    def test_several_documents(self):
        doc = '''
KTAP version 1
1..1
    KTAP version 1
    # Subtest: a
    1..2
    ok 1 x
    ok 2 y
ok 1 a
'''
        (p, f, s), _ = counts(doc * 3)
        self.assertEqual((p, f, s), (6, 0, 0))

    def test_crash_truncated_plan(self):
        log = '''
[    1.0] KTAP version 1
[    1.0] 1..2
[    1.0]     KTAP version 1
[    1.0]     # Subtest: first
[    1.0]     1..1
[    1.0]     ok 1 fine
[    1.0] ok 1 first
[    1.1]     KTAP version 1
[    1.1]     # Subtest: second
[    1.1]     1..4
[    1.1]     ok 1 a
[    1.1]     ok 2 b
[    1.2] BUG: kernel NULL pointer dereference, address: 0000000000000000
[    1.2] #PF: supervisor write access in kernel mode
[    1.2] Oops: 0002 [#1] PREEMPT SMP NOPTI
[    1.2] RIP: 0010:vmt_init+0x40/0x1000 [vmt]
[    1.2] Call Trace:
[    1.2]  <TASK>
[    1.2]  do_one_initcall+0x41/0x200
[    1.2]  </TASK>
[    1.2] ---[ end trace 0000000000000000 ]---
[    1.2] RIP: 0010:vmt_init+0x40/0x1000 [vmt]
[    1.2] RSP: 0018:ffffd4cb00637a10 EFLAGS: 00000246
[    1.2] Kernel panic - not syncing: Fatal exception
[    1.2] ---[ end Kernel panic - not syncing: Fatal exception ]---
'''
        (p, f, s), msgs = counts(log, sentinel='iox-vm: done')
        # 2 cases never reported + one oops report + missing sentinel
        self.assertEqual((p, f, s), (3, 4, 0))
        self.assertIn('FAIL second: 2 of 4 planned results missing (crash?)',
                      msgs)
        self.assertEqual(len([m for m in msgs if m.startswith('PROBLEM')]), 1)

    def test_crash_inside_params(self):
        log = '''
    KTAP version 1
    # Subtest: s
    1..2
        KTAP version 1
        # Subtest: pcase
        ok 1 p0
        ok 2 p1
'''
        # the running case never finished, the second never started
        (p, f, s), msgs = counts(log)
        self.assertEqual((p, f, s), (2, 2, 0))
        self.assertIn('FAIL s/pcase: did not complete', msgs)

    def test_suite_printed_nothing(self):
        (p, f, s), _ = counts('    # Subtest: s\n    1..3\n')
        self.assertEqual((p, f, s), (0, 3, 0))

    def test_warn_is_one_failure(self):
        log = '''
    KTAP version 1
    # Subtest: w
    1..1
------------[ cut here ]------------
WARNING: CPU: 0 PID: 60 at vmt_warn.c:12 vmt_init+0x2a/0x1000 [vmt_warn]
Modules linked in: vmt_warn(OE+)
RIP: 0010:vmt_init+0x2a/0x1000 [vmt_warn]
Call Trace:
 <TASK>
 </TASK>
---[ end trace 0000000000000000 ]---
    ok 1 after_warn
ok 1 w
WARNING: CPU: 0 PID: 61 at somewhere_else
Call trace:
---[ end trace 0000000000000000 ]---
'''
        (p, f, s), msgs = counts(log)
        self.assertEqual((p, f, s), (1, 2, 0))
        self.assertTrue(msgs[0].startswith('PROBLEM line 5: WARNING: CPU: 0'))

    def test_leaks_and_sanitizers(self):
        log = '''
iox: leak: 3 page-table pages still allocated
kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
UBSAN: shift-out-of-bounds in drivers/iommu/iox/pt.c:10:5
'''
        # far enough apart not to be merged into one report
        log = log.replace('\n', '\n' + 'filler\n' * 50)
        (p, f, s), _ = counts(log)
        self.assertEqual((p, f, s), (0, 3, 0))

    def test_not_a_problem(self):
        log = '''
DEBUG: fine
Kernel command line: console=ttyS0 oops=panic panic=-1
ok 1 memory_leak_check
'''
        self.assertEqual(counts(log)[0], (1, 0, 0))

    def test_fail_pattern_and_sentinel(self):
        log = '''
iox-vm: insmod iox_core.ko failed rc=1
ok 1 x
iox-vm: done
'''
        kw = dict(fail_patterns=[r'iox-vm: .* failed'], sentinel='iox-vm: done')
        self.assertEqual(counts(log, **kw)[0], (1, 1, 0))
        self.assertEqual(counts('ok 1 x\niox-vm: done\n', **kw)[0], (1, 0, 0))
        self.assertEqual(counts('ok 1 x\n', **kw)[0], (1, 1, 0))

    def test_group_failure_without_failing_case(self):
        log = '''
    # Subtest: g
    1..1
    ok 1 a
not ok 1 g
'''
        (p, f, s), msgs = counts(log)
        self.assertEqual((p, f, s), (1, 1, 0))
        self.assertEqual(msgs, ['FAIL g: group failed with no failing case'])

    def test_require_tests(self):
        self.assertEqual(counts('hello\n', require_tests=True)[0], (0, 1, 0))
        self.assertEqual(counts('hello\n')[0], (0, 0, 0))

    def test_main_output_and_result_file(self):
        with tempfile.TemporaryDirectory() as d:
            log = os.path.join(d, 'console.log')
            res = os.path.join(d, 'result')
            with open(log, 'w') as fh:
                fh.write(KUNIT_61)
            out = io.StringIO()
            with redirect_stdout(out):
                rc = ktap.main([log, '--layer', 'vm-test', '--result-file', res])
            self.assertEqual(rc, 1)
            with open(res) as fh:
                self.assertEqual(fh.read(), '3 1 2\n')
            lines = out.getvalue().splitlines()
            self.assertEqual(lines[-1], 'vm-test: 3 passed, 1 failed, 2 skipped')
            self.assertIn('vm-test: FAIL iox_map/map_sizes/2M', lines)
            with open(log, 'w') as fh:
                fh.write('ok 1 x\n')
            with redirect_stdout(io.StringIO()):
                self.assertEqual(ktap.main([log]), 0)


if __name__ == '__main__':
    unittest.main()
