// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: allocation-failure injection. Each allocation a map makes is
 * failed in turn; every time the map must fail with -ENOMEM, leave the
 * domain translating exactly as before, and leak nothing (the mock counts
 * table pages; the userspace runner also counts every allocation).
 */
#include <linux/err.h>
#include <linux/sizes.h>
#include "iox-test.h"

#define RW	(IOX_READ | IOX_WRITE)

/*
 * [512G - 8K, 512G + 8K): two 4K pages on each side of a 512G boundary. In
 * a fresh 4-level domain that already maps page 0x1000, the map allocates
 * an L2 and an L3 table on the left and an L1, L2 and L3 table on the right.
 */
#define SPAN_IOVA	(512UL * SZ_1G - 2 * SZ_4K)
#define SPAN_SIZE	(4 * SZ_4K)
#define SPAN_TABLES	5

static bool domain_as_before(struct iox_test_env *env, struct iox_domain *d)
{
	phys_addr_t phys = 0;
	unsigned long i;

	for (i = 0; i < SPAN_SIZE; i += SZ_4K)
		if (iox_iova_to_phys(d, SPAN_IOVA + i))
			return false;
	/* The neighbour mapped first still translates, through the device. */
	return !iox_mock_dma(env->mock, env->dev[0], 0x1000, IOX_FAULT_READ,
			     &phys) && phys == 0x5000;
}

/* One round: a fresh domain, the nth table allocation of the map fails. */
static int failnth_map_round(struct kunit *test, struct iox_test_env *env,
			     unsigned int nth, unsigned int *levels)
{
	struct iox_mock_stats stats;
	struct iox_domain *d;
	int ret, level;
	long base;

	iox_mock_get_stats(env->mock, &stats);
	base = stats.table_pages;
	d = iox_domain_alloc(env->dev[0], IOX_DOMAIN_PAGING);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	KUNIT_ASSERT_EQ(test, iox_attach_device(d, env->dev[0]), 0);
	KUNIT_ASSERT_EQ(test, iox_map(d, 0x1000, 0x5000, SZ_4K, RW,
				      GFP_KERNEL), 0);

	iox_mock_fail_table_alloc(env->mock, nth);
	ret = iox_map(d, SPAN_IOVA, 0x40000000, SPAN_SIZE, RW, GFP_KERNEL);
	level = iox_mock_failed_level(env->mock);
	iox_mock_fail_table_alloc(env->mock, 0);
	if (ret) {
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		KUNIT_ASSERT_GE(test, level, 1);
		*levels |= BIT(level);
		KUNIT_EXPECT_TRUE_MSG(test, domain_as_before(env, d),
				      "failing allocation %u changed the domain",
				      nth);
	} else {
		KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 512UL * SZ_1G),
				0x40002000);
	}
	iox_detach_device(d, env->dev[0]);
	iox_domain_free(d);
	iox_mock_get_stats(env->mock, &stats);
	KUNIT_EXPECT_EQ_MSG(test, stats.table_pages, base,
			    "table pages leaked after failing allocation %u",
			    nth);
	return ret;
}

static void failnth_map_tables(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	unsigned int nth, levels = 0;

	for (nth = 1; nth < 64; nth++)
		if (!failnth_map_round(test, env, nth, &levels))
			break;
	kunit_info(test, "map failed at each of %u table allocations; levels hit %#x",
		   nth - 1, levels);
	KUNIT_EXPECT_EQ(test, nth - 1, SPAN_TABLES);
	KUNIT_EXPECT_EQ(test, levels, BIT(1) | BIT(2) | BIT(3));
}

static void failnth_domain_alloc(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d;

	iox_mock_fail_table_alloc(env->mock, 1);
	d = iox_domain_alloc(env->dev[0], IOX_DOMAIN_PAGING);
	KUNIT_EXPECT_EQ(test, PTR_ERR(d), -ENOMEM);
	KUNIT_EXPECT_EQ(test, iox_mock_failed_level(env->mock), 0);
	d = iox_domain_alloc(env->dev[0], IOX_DOMAIN_PAGING);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	iox_domain_free(d);
}

#ifdef IOX_USERSPACE
/*
 * Userspace only, where every allocation can be failed: fail each
 * allocation of a whole bring-up (unit, device, probe, domain, attach with
 * reserved regions, maps) in turn; each time, what was built is torn down
 * and the allocation count must return to where it started.
 */
static int bring_up(struct iox_test_env *env, struct device **dev)
{
	struct iox_mock_config cfg;
	int ret;

	iox_mock_default_config(&cfg);
	cfg.msi_window = true;
	env->mock = iox_mock_create(&cfg);
	if (IS_ERR(env->mock)) {
		ret = PTR_ERR(env->mock);
		env->mock = NULL;
		return ret;
	}
	*dev = iox_mock_device_alloc("failnth");
	if (!*dev)
		return -ENOMEM;
	ret = iox_mock_add_endpoint(env->mock, *dev, 1, 1);
	if (!ret)
		ret = iox_probe_device(*dev);
	if (ret)
		return ret;
	env->domain = iox_domain_alloc(*dev, IOX_DOMAIN_DMA);
	if (IS_ERR(env->domain)) {
		ret = PTR_ERR(env->domain);
		env->domain = NULL;
		return ret;
	}
	ret = iox_attach_device(env->domain, *dev);
	if (ret)
		return ret;
	ret = iox_map(env->domain, SZ_4K, SZ_4K, SZ_4K, RW, GFP_KERNEL);
	if (!ret)
		ret = iox_map(env->domain, SZ_1G, SZ_1G, SZ_2M + SZ_4K, RW,
			      GFP_KERNEL);
	return ret;
}

static void tear_down(struct iox_test_env *env, struct device *dev)
{
	if (dev && env->mock)
		iox_mock_remove_endpoint(env->mock, dev);
	iox_domain_free(env->domain);
	if (env->mock)
		iox_mock_destroy(env->mock);
	if (dev)
		iox_mock_device_free(dev);
}

static void failnth_everywhere(struct kunit *test)
{
	long base = iox_compat_live_allocs();
	struct iox_test_env env;
	struct device *dev;
	unsigned long nth;
	const char *site;
	int ret;

	for (nth = 1; nth < 200; nth++) {
		memset(&env, 0, sizeof(env));
		dev = NULL;
		iox_compat_fail_nth(nth);
		ret = bring_up(&env, &dev);
		site = iox_compat_failed_site();
		iox_compat_fail_nth(0);
		tear_down(&env, dev);
		KUNIT_EXPECT_EQ_MSG(test, iox_compat_live_allocs(), base,
				    "leak after failing allocation %lu at %s",
				    nth, site);
		if (!site) {
			KUNIT_EXPECT_EQ(test, ret, 0);
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "at %s", site);
		kunit_info(test, "allocation %lu failed at %s", nth, site);
	}
	KUNIT_EXPECT_LT(test, nth, 200);
}
#endif

static struct kunit_case iox_failnth_test_cases[] = {
	KUNIT_CASE(failnth_map_tables),
	KUNIT_CASE(failnth_domain_alloc),
#ifdef IOX_USERSPACE
	KUNIT_CASE(failnth_everywhere),
#endif
	{}
};

struct kunit_suite iox_failnth_test_suite = {
	.name = "iox_failnth",
	.init = iox_test_env_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_failnth_test_cases,
};
