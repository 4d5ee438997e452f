/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox-intel test module internals: the suites of iox_intel_edu.ko defined
 * outside edu_test.c, which registers them all.
 */
#ifndef _IOX_INTEL_TEST_H
#define _IOX_INTEL_TEST_H

struct kunit_suite;

extern struct kunit_suite intel_dmar_test_suite;

#endif /* _IOX_INTEL_TEST_H */
