// SPDX-License-Identifier: GPL-2.0
/*
 * The MSM IOMMU test module: the register-level model's own suite, then
 * the driver's suite on it.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "../tests/model-suites.h"

kunit_test_suites(&iox_msm_iommu_model_test_suite, &iox_msm_test_suite);

MODULE_DESCRIPTION("KUnit: the iox MSM IOMMU driver on a register-level model");
MODULE_LICENSE("GPL");
