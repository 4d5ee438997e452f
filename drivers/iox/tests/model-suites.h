/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The suites of the drivers tested on register-level models, and of the
 * models themselves: each test module registers its driver's pair.
 */
#ifndef _IOX_TESTS_MODEL_SUITES_H
#define _IOX_TESTS_MODEL_SUITES_H

#include <kunit/test.h>

extern struct kunit_suite iox_arm_smmu_model_test_suite;
extern struct kunit_suite iox_arm_smmu_test_suite;
extern struct kunit_suite iox_msm_iommu_model_test_suite;
extern struct kunit_suite iox_msm_test_suite;

#endif /* _IOX_TESTS_MODEL_SUITES_H */
