// SPDX-License-Identifier: GPL-2.0
/*
 * Known KTAP output for checking the iox VM runner end to end: one passing,
 * one failing and one skipped case and a case with two parameters, so
 * ktap.py must report 3 passed, 1 failed, 1 skipped.  With
 * IOX_VM_SELFTEST_WARN it also raises a WARN, which must add one failure and
 * one more passed case.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init iox_vm_selftest_init(void)
{
	pr_info("KTAP version 1\n");
	pr_info("1..1\n");
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: " KBUILD_MODNAME "\n");
#ifdef IOX_VM_SELFTEST_WARN
	pr_info("    1..1\n");
	WARN_ON(1);
	pr_info("    ok 1 survives_warn\n");
	pr_info("ok 1 " KBUILD_MODNAME "\n");
#else
	pr_info("    1..4\n");
	pr_info("    ok 1 passes\n");
	pr_info("    # fails: EXPECTATION FAILED on purpose\n");
	pr_info("    not ok 2 fails\n");
	pr_info("    ok 3 skips # SKIP on purpose\n");
	pr_info("        KTAP version 1\n");
	pr_info("        # Subtest: params\n");
	pr_info("        ok 1 first\n");
	pr_info("        ok 2 second\n");
	pr_info("    ok 4 params\n");
	pr_info("not ok 1 " KBUILD_MODNAME "\n");
#endif
	return 0;
}

static void __exit iox_vm_selftest_exit(void)
{
}

module_init(iox_vm_selftest_init);
module_exit(iox_vm_selftest_exit);
MODULE_DESCRIPTION("iox VM runner self-test");
MODULE_LICENSE("GPL");
