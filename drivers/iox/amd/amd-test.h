/* SPDX-License-Identifier: GPL-2.0 */
/* iox-amd: the KUnit suites of iox_amd_test.ko (suites.c runs them). */
#ifndef _IOX_AMD_TEST_H
#define _IOX_AMD_TEST_H

#include <kunit/test.h>

extern struct kunit_suite iox_amd_ivrs_suite;
extern struct kunit_suite iox_amd_hw_suite;
extern struct kunit_suite iox_amd_cmdq_suite;

#endif /* _IOX_AMD_TEST_H */
