// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMU v1/v2 test module: the register-level model's own suite, then
 * the driver's suite on it.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include "../tests/model-suites.h"

kunit_test_suites(&iox_arm_smmu_model_test_suite, &iox_arm_smmu_test_suite);

MODULE_DESCRIPTION("KUnit: the iox SMMU v1/v2 driver on a register-level model");
MODULE_LICENSE("GPL");
