// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the mock unit's software IOTLB keeps translations until they are
 * invalidated, so these cases prove that the core invalidates exactly when
 * its contract says and that a missing invalidation is visible.
 */
#include <linux/sizes.h>
#include "iox-test.h"

#define RW	(IOX_READ | IOX_WRITE)

static int dma(struct iox_test_env *env, u64 iova, phys_addr_t *phys)
{
	return iox_mock_dma(env->mock, env->dev[0], iova, IOX_FAULT_READ, phys);
}

static int iotlb_attach(struct kunit *test)
{
	struct iox_test_env *env;
	int ret = iox_test_env_init(test);

	if (ret)
		return ret;
	env = test->priv;
	return iox_attach_device(env->domain, env->dev[0]);
}

static void iotlb_detach(struct kunit *test)
{
	struct iox_test_env *env = test->priv;

	if (env)
		iox_detach_device(env->domain, env->dev[0]);
	iox_test_env_exit(test);
}

static void stale_until_synced(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_iotlb_gather gather;
	phys_addr_t phys = 0;

	KUNIT_ASSERT_EQ(test, iox_map(env->domain, 0x8000, 0x6000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma(env, 0x8000, &phys), 0);

	iox_iotlb_gather_init(&gather);
	KUNIT_ASSERT_EQ(test, iox_unmap_fast(env->domain, 0x8000, SZ_4K,
					     &gather), SZ_4K);
	/* Unmapped but not yet invalidated: the IOTLB still translates. */
	KUNIT_EXPECT_EQ(test, dma(env, 0x8000, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x6000);
	iox_iotlb_sync(env->domain, &gather);
	KUNIT_EXPECT_EQ(test, dma(env, 0x8000, &phys), -EFAULT);
}

static void unmap_invalidates_before_returning(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	phys_addr_t phys = 0;

	KUNIT_ASSERT_EQ(test, iox_map(env->domain, SZ_2M, SZ_1G, SZ_2M, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma(env, SZ_2M + 0x1234, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, SZ_1G + 0x1234);
	KUNIT_ASSERT_EQ(test, iox_unmap(env->domain, SZ_2M, SZ_2M), SZ_2M);
	KUNIT_EXPECT_EQ(test, dma(env, SZ_2M + 0x1234, &phys), -EFAULT);
}

static void remap_reaches_new_page(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	phys_addr_t phys = 0;

	KUNIT_ASSERT_EQ(test, iox_map(env->domain, 0x4000, 0x10000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma(env, 0x4000, &phys), 0);
	KUNIT_ASSERT_EQ(test, iox_unmap(env->domain, 0x4000, SZ_4K), SZ_4K);
	KUNIT_ASSERT_EQ(test, iox_map(env->domain, 0x4000, 0x20000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma(env, 0x4000, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x20000);
	KUNIT_EXPECT_EQ(test, iox_unmap(env->domain, 0x4000, SZ_4K), SZ_4K);
}

static void flush_all_drops_everything(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_iotlb_gather gather;
	struct iox_mock_stats before, after;
	phys_addr_t phys;

	KUNIT_ASSERT_EQ(test, iox_map(env->domain, 0, 0, 4 * SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma(env, 0x3000, &phys), 0);
	iox_iotlb_gather_init(&gather);
	KUNIT_ASSERT_EQ(test, iox_unmap_fast(env->domain, 0, 4 * SZ_4K,
					     &gather), 4 * SZ_4K);
	iox_mock_get_stats(env->mock, &before);
	iox_flush_iotlb_all(env->domain);
	iox_mock_get_stats(env->mock, &after);
	KUNIT_EXPECT_EQ(test, after.inv_all - before.inv_all, 1);
	KUNIT_EXPECT_EQ(test, dma(env, 0x3000, &phys), -EFAULT);
	/* The gather's work is covered; syncing it again is harmless. */
	iox_iotlb_sync(env->domain, &gather);
}

static void caching_mode_needs_sync_map(struct kunit *test)
{
	struct iox_mock_config cfg;
	struct iox_test_env *env;
	phys_addr_t phys = 0;

	iox_mock_default_config(&cfg);
	cfg.caches_not_present = true;
	env = iox_test_env_create(test, &cfg, 1, false);
	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_EQ(test, iox_attach_device(env->domain, env->dev[0]), 0);
	/* A failed walk is cached... */
	KUNIT_EXPECT_EQ(test, dma(env, 0x9000, &phys), -EFAULT);
	/* ...and iox_map() must drop it through iotlb_sync_map. */
	KUNIT_ASSERT_EQ(test, iox_map(env->domain, 0x9000, 0x7000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma(env, 0x9000, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x7000);
	iox_detach_device(env->domain, env->dev[0]);
	iox_test_env_destroy(env);
}

static void iotlb_hits_after_first_walk(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_mock_stats before, after;
	phys_addr_t phys;

	KUNIT_ASSERT_EQ(test, iox_map(env->domain, SZ_1G, SZ_1G, SZ_1G, RW,
				      GFP_KERNEL), 0);
	iox_mock_get_stats(env->mock, &before);
	KUNIT_EXPECT_EQ(test, dma(env, SZ_1G, &phys), 0);
	KUNIT_EXPECT_EQ(test, dma(env, SZ_1G + SZ_2M * 100, &phys), 0);
	iox_mock_get_stats(env->mock, &after);
	KUNIT_EXPECT_EQ(test, after.iotlb_misses - before.iotlb_misses, 1);
	KUNIT_EXPECT_EQ(test, after.iotlb_hits - before.iotlb_hits, 1);
	KUNIT_EXPECT_EQ(test, iox_unmap(env->domain, SZ_1G, SZ_1G), SZ_1G);
}

static struct kunit_case iox_iotlb_test_cases[] = {
	KUNIT_CASE(stale_until_synced),
	KUNIT_CASE(unmap_invalidates_before_returning),
	KUNIT_CASE(remap_reaches_new_page),
	KUNIT_CASE(flush_all_drops_everything),
	KUNIT_CASE(caching_mode_needs_sync_map),
	KUNIT_CASE(iotlb_hits_after_first_walk),
	{}
};

struct kunit_suite iox_iotlb_test_suite = {
	.name = "iox_mock_iotlb",
	.init = iotlb_attach,
	.exit = iotlb_detach,
	.test_cases = iox_iotlb_test_cases,
};
