// SPDX-License-Identifier: GPL-2.0
/*
 * iox_amd_test.ko: the AMD-Vi driver's KUnit suites that need no unit
 * (the IVRS parser, command encoding, the event log and the command
 * queue against software units), on any architecture: UML, the
 * userspace build and every VM.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "amd-test.h"

kunit_test_suites(&iox_amd_ivrs_suite, &iox_amd_hw_suite,
		  &iox_amd_cmdq_suite);

MODULE_DESCRIPTION("KUnit suites of iox-amd's IVRS parser, commands, command queue and event log");
MODULE_LICENSE("GPL");
