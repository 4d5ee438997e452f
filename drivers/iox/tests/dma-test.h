/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture of the DMA-API backend suites: a mock unit with one device put
 * into an iox DMA domain by iox_dma_attach(), driven through the standard
 * dma_*() calls; the device's "DMA" is iox_mock_dma() through the unit's
 * software IOTLB, so a stale translation is visible.
 */
#ifndef _IOX_DMA_TEST_H
#define _IOX_DMA_TEST_H

#include <linux/dma-mapping.h>
#include <linux/iox-dma.h>
#include "iox-test.h"

/**
 * struct iox_dma_env - a device served by the DMA backend
 * @mock: the unit
 * @dev: the device, attached with iox_dma_attach()
 * @mask: storage of the device's streaming DMA mask
 * @parms: the device's segment limits
 */
struct iox_dma_env {
	struct iox_mock *mock;
	struct device *dev;
	u64 mask;
	struct device_dma_parameters parms;
};

struct iox_dma_env *iox_dma_env_create(struct kunit *test,
				       const struct iox_mock_config *cfg,
				       unsigned int type, unsigned int flags);
struct iox_dma_env *
iox_dma_env_create_noncoherent(struct kunit *test,
			       const struct iox_mock_config *cfg,
			       unsigned int type, unsigned int flags);
bool iox_dma_env_noncoherent_possible(void);
int iox_dma_env_init(struct kunit *test, unsigned int type,
		     unsigned int flags);
void iox_dma_env_exit(struct kunit *test);
void iox_dma_env_destroy(struct iox_dma_env *env);
int iox_dma_env_dev_access(struct iox_dma_env *env, dma_addr_t addr,
			   u32 access, phys_addr_t *phys);
void iox_dma_env_stats(struct kunit *test, struct iox_dma_env *env,
		       struct iox_dma_stats *stats);
void iox_dma_env_check_coherent(struct kunit *test, struct iox_dma_env *env,
				u8 *cpu, dma_addr_t handle, size_t size,
				unsigned int seed, u32 access);

extern struct kunit_suite iox_dma_test_suite;
extern struct kunit_suite iox_dma_fq_test_suite;
extern struct kunit_suite iox_dma_bounce_test_suite;
extern struct kunit_suite iox_dma_resv_test_suite;
extern struct kunit_suite iox_dma_policy_test_suite;
extern struct kunit_suite iox_dma_iova_test_suite;
extern struct kunit_suite iox_dma_nc_test_suite;

#endif /* _IOX_DMA_TEST_H */
