/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixtures of the iox KUnit suites: a mock unit with devices
 * behind it, probed into iox.
 */
#ifndef _IOX_TEST_H
#define _IOX_TEST_H

#include <kunit/test.h>
#include <linux/iox-driver.h>
#include "../mock/iox-mock.h"

#define IOX_TEST_MAX_DEVS	4

/**
 * struct iox_test_env - a mock unit, its devices and one paging domain
 * @mock: the unit
 * @dev: devices behind it, all probed
 * @ndev: entries of @dev
 * @domain: an IOX_DOMAIN_PAGING domain of the unit, not attached
 */
struct iox_test_env {
	struct iox_mock *mock;
	struct device *dev[IOX_TEST_MAX_DEVS];
	unsigned int ndev;
	struct iox_domain *domain;
};

const void *iox_test_config_gen_params(const void *prev, char *desc);
int iox_test_env_init_param(struct kunit *test, unsigned int ndev);

struct iox_mock *iox_test_mock_create(struct kunit *test,
				      const struct iox_mock_config *cfg);
struct iox_test_env *iox_test_env_create(struct kunit *test,
					 const struct iox_mock_config *cfg,
					 unsigned int ndev, bool one_group);
void iox_test_env_destroy(struct iox_test_env *env);
int iox_test_env_init(struct kunit *test);
void iox_test_env_exit(struct kunit *test);

extern struct kunit_suite iox_map_test_suite;
extern struct kunit_suite iox_unmap_test_suite;
extern struct kunit_suite iox_attach_test_suite;
extern struct kunit_suite iox_fault_test_suite;
extern struct kunit_suite iox_iotlb_test_suite;
extern struct kunit_suite iox_diff_test_suite;
extern struct kunit_suite iox_failnth_test_suite;
extern struct kunit_suite iox_concurrency_test_suite;
extern struct kunit_suite iox_pt_test_suite;
extern struct kunit_suite iox_pt_format_test_suite;
extern struct kunit_suite iox_iova_test_suite;
extern struct kunit_suite iox_vcm_test_suite;
extern struct kunit_suite iox_ctx_test_suite;

#endif /* _IOX_TEST_H */
