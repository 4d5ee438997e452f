// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: devices, groups, domain types and attachment, with the blocked
 * domain as the safe state between two domains, and reserved regions.
 * Every check of what a device reaches is a DMA through the mock unit.
 */
#include <linux/err.h>
#include <linux/sizes.h>
#include "iox-test.h"

#define RW	(IOX_READ | IOX_WRITE)

struct fault_log {
	unsigned int count;
	struct iox_fault last;
	struct iox_domain *domain;
};

static int record_fault(struct iox_domain *domain, struct device *dev,
			const struct iox_fault *fault, void *token)
{
	struct fault_log *log = token;

	log->count++;
	log->last = *fault;
	log->domain = domain;
	return 0;
}

static int dma_read(struct iox_test_env *env, unsigned int i, u64 iova,
		    phys_addr_t *phys)
{
	return iox_mock_dma(env->mock, env->dev[i], iova, IOX_FAULT_READ, phys);
}

static void probe_rejects_unknown_and_twice(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct device *stranger = iox_mock_device_alloc("stranger");

	KUNIT_ASSERT_NOT_NULL(test, stranger);
	KUNIT_EXPECT_EQ(test, iox_probe_device(stranger), -ENODEV);
	KUNIT_EXPECT_PTR_EQ(test, iox_device_group(stranger), NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_domain_alloc(stranger,
						       IOX_DOMAIN_PAGING)),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, iox_probe_device(env->dev[0]), -EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(iox_domain_alloc(env->dev[0], 0x40)),
			-EINVAL);
	iox_mock_device_free(stranger);
}

static void new_device_is_blocked(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *blocked = iox_get_domain_for_dev(env->dev[0]);
	struct fault_log log = {};
	phys_addr_t phys;

	KUNIT_ASSERT_NOT_NULL(test, blocked);
	KUNIT_EXPECT_EQ(test, blocked->type, IOX_DOMAIN_BLOCKED);
	iox_set_fault_handler(blocked, record_fault, &log);
	KUNIT_EXPECT_EQ(test, dma_read(env, 0, 0x1000, &phys), -EFAULT);
	KUNIT_EXPECT_EQ(test, log.count, 1);
	KUNIT_EXPECT_EQ(test, log.last.reason, IOX_FAULT_BLOCKED);
	iox_set_fault_handler(blocked, NULL, NULL);
}

static void attach_switches_through_blocked(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *a = env->domain, *b;
	phys_addr_t phys = 0;

	b = iox_domain_alloc(env->dev[0], IOX_DOMAIN_DMA);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_ASSERT_EQ(test, iox_map(a, 0x1000, 0xa000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(b, 0x1000, 0xb000, SZ_4K, RW,
				      GFP_KERNEL), 0);

	KUNIT_ASSERT_EQ(test, iox_attach_device(a, env->dev[0]), 0);
	KUNIT_EXPECT_PTR_EQ(test, iox_get_domain_for_dev(env->dev[0]), a);
	KUNIT_EXPECT_EQ(test, dma_read(env, 0, 0x1234, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0xa234);
	/* The other device is still blocked. */
	KUNIT_EXPECT_EQ(test, dma_read(env, 1, 0x1234, &phys), -EFAULT);

	KUNIT_EXPECT_EQ(test, iox_attach_device(b, env->dev[0]), -EBUSY);
	KUNIT_EXPECT_EQ(test, iox_attach_device(a, env->dev[0]), -EBUSY);
	KUNIT_EXPECT_EQ(test, dma_read(env, 0, 0x1234, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0xa234);

	iox_detach_device(a, env->dev[0]);
	KUNIT_EXPECT_EQ(test, dma_read(env, 0, 0x1234, &phys), -EFAULT);
	KUNIT_ASSERT_EQ(test, iox_attach_device(b, env->dev[0]), 0);
	KUNIT_EXPECT_EQ(test, dma_read(env, 0, 0x1234, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0xb234);
	iox_detach_device(b, env->dev[0]);
	iox_domain_free(b);
}

static void group_members_share_a_domain(struct kunit *test)
{
	struct iox_test_env *env = iox_test_env_create(test, NULL, 3, true);
	struct iox_group *group;
	phys_addr_t phys = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, env);
	group = iox_device_group(env->dev[0]);
	KUNIT_EXPECT_PTR_EQ(test, iox_device_group(env->dev[1]), group);
	KUNIT_EXPECT_PTR_EQ(test, iox_device_group(env->dev[2]), group);
	KUNIT_EXPECT_EQ(test, iox_attach_device(env->domain, env->dev[0]),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iox_map(env->domain, 0x4000, 0x9000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_attach_group(env->domain, group), 0);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, dma_read(env, i, 0x4010, &phys), 0);
		KUNIT_EXPECT_EQ(test, phys, 0x9010);
	}
	iox_detach_group(env->domain, group);
	KUNIT_EXPECT_EQ(test, dma_read(env, 2, 0x4010, &phys), -EFAULT);
	iox_test_env_destroy(env);
}

static void separate_groups_by_default(struct kunit *test)
{
	struct iox_test_env *env = test->priv;

	KUNIT_EXPECT_PTR_NE(test, iox_device_group(env->dev[0]),
			    iox_device_group(env->dev[1]));
	KUNIT_EXPECT_NE(test, iox_group_id(iox_device_group(env->dev[0])),
			iox_group_id(iox_device_group(env->dev[1])));
}

static void identity_domain_passes_through(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *identity;
	phys_addr_t phys = 0;

	identity = iox_domain_alloc(env->dev[1], IOX_DOMAIN_IDENTITY);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, identity);
	KUNIT_ASSERT_EQ(test, iox_attach_device(identity, env->dev[1]), 0);
	KUNIT_EXPECT_EQ(test, dma_read(env, 1, 0x12345678, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x12345678);
	iox_detach_device(identity, env->dev[1]);
	iox_domain_free(identity);
}

static void msi_window_is_reserved(struct kunit *test)
{
	struct iox_mock_config cfg;
	struct iox_test_env *env;
	struct iox_resv_region *region;
	struct iox_domain *d;
	LIST_HEAD(regions);
	unsigned int n = 0;

	iox_mock_default_config(&cfg);
	cfg.msi_window = true;
	env = iox_test_env_create(test, &cfg, 1, false);
	KUNIT_ASSERT_NOT_NULL(test, env);
	d = env->domain;

	KUNIT_EXPECT_EQ(test, iox_get_resv_regions(env->dev[0], &regions), 0);
	list_for_each_entry(region, &regions, list) {
		KUNIT_EXPECT_EQ(test, region->start, 0xfee00000);
		KUNIT_EXPECT_EQ(test, region->length, 0x100000);
		KUNIT_EXPECT_EQ(test, region->type, IOX_RESV_MSI);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1);
	iox_put_resv_regions(&regions);

	/* A domain mapping the window cannot take the device. */
	KUNIT_ASSERT_EQ(test, iox_map(d, 0xfee10000, 0x1000000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_attach_device(d, env->dev[0]), -EBUSY);
	KUNIT_EXPECT_EQ(test, d->nr_resv, 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0xfee10000, SZ_4K), SZ_4K);

	KUNIT_ASSERT_EQ(test, iox_attach_device(d, env->dev[0]), 0);
	KUNIT_EXPECT_EQ(test, d->nr_resv, 1);
	KUNIT_EXPECT_EQ(test, iox_map(d, 0xfee00000, 0x1000000, SZ_4K, RW,
				      GFP_KERNEL), -EPERM);
	KUNIT_EXPECT_EQ(test, iox_map(d, 0xfed00000, 0x1000000, 0x200000, RW,
				      GFP_KERNEL), -EPERM);
	KUNIT_EXPECT_EQ(test, iox_map(d, 0xfef00000, 0x1000000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0xfef00000, SZ_4K), SZ_4K);
	iox_detach_device(d, env->dev[0]);
	iox_test_env_destroy(env);
}

static void direct_region_is_identity_mapped(struct kunit *test)
{
	struct iox_mock_config cfg;
	struct iox_test_env *env;
	struct device *dev;
	phys_addr_t phys = 0;

	iox_mock_default_config(&cfg);
	env = iox_test_env_create(test, &cfg, 1, false);
	KUNIT_ASSERT_NOT_NULL(test, env);
	/* A second device with an RMRR-like region, probed by hand. */
	dev = iox_mock_device_alloc("iox-test-rmrr");
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, iox_mock_add_endpoint(env->mock, dev, 0x77, 0x77),
			0);
	KUNIT_ASSERT_EQ(test, iox_mock_set_direct(env->mock, dev, 0x3e000000,
						  0x8000), 0);
	KUNIT_ASSERT_EQ(test, iox_probe_device(dev), 0);

	KUNIT_ASSERT_EQ(test, iox_attach_device(env->domain, dev), 0);
	KUNIT_EXPECT_EQ(test, iox_mock_dma(env->mock, dev, 0x3e007ff0,
					   IOX_FAULT_WRITE, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, 0x3e007ff0);
	KUNIT_EXPECT_EQ(test, iox_unmap(env->domain, 0x3e000000, 0x8000),
			-EPERM);
	KUNIT_EXPECT_EQ(test, iox_map(env->domain, 0x3e000000, 0, SZ_4K, RW,
				      GFP_KERNEL), -EPERM);
	iox_detach_device(env->domain, dev);
	iox_mock_remove_endpoint(env->mock, dev);
	iox_mock_device_free(dev);
	iox_test_env_destroy(env);
}

static void released_device_loses_its_context(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct fault_log log = {};
	phys_addr_t phys;

	KUNIT_ASSERT_EQ(test, iox_map(env->domain, 0, 0x1000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_attach_device(env->domain, env->dev[1]), 0);
	iox_set_fault_handler(env->domain, record_fault, &log);
	KUNIT_EXPECT_EQ(test, dma_read(env, 1, 0x10, &phys), 0);
	iox_release_device(env->dev[1]);
	KUNIT_EXPECT_EQ(test, dma_read(env, 1, 0x10, &phys), -EFAULT);
	/* No context: nothing to route to the domain's handler. */
	KUNIT_EXPECT_EQ(test, log.count, 0);
	KUNIT_EXPECT_EQ(test, env->domain->attached, 0);
	KUNIT_EXPECT_PTR_EQ(test, iox_get_domain_for_dev(env->dev[1]), NULL);
	KUNIT_EXPECT_EQ(test, iox_probe_device(env->dev[1]), 0);
}

static void capabilities_and_pasids(struct kunit *test)
{
	struct iox_mock_config cfg;
	struct iox_test_env *env = test->priv, *pasid_env;

	KUNIT_EXPECT_TRUE(test, iox_capable(env->dev[0],
					    IOX_CAP_CACHE_COHERENCY));
	KUNIT_EXPECT_FALSE(test, iox_capable(env->dev[0], IOX_CAP_PASID));
	KUNIT_EXPECT_EQ(test, iox_device_max_pasids(env->dev[0]), 0);

	iox_mock_default_config(&cfg);
	cfg.max_pasid_bits = 8;
	pasid_env = iox_test_env_create(test, &cfg, 1, false);
	KUNIT_ASSERT_NOT_NULL(test, pasid_env);
	KUNIT_EXPECT_TRUE(test, iox_capable(pasid_env->dev[0], IOX_CAP_PASID));
	KUNIT_EXPECT_EQ(test, iox_device_max_pasids(pasid_env->dev[0]), 256);
	/* A domain of one unit cannot be attached to another unit's group. */
	KUNIT_EXPECT_EQ(test, iox_attach_device(pasid_env->domain, env->dev[0]),
			-EINVAL);
	iox_test_env_destroy(pasid_env);
}

static struct kunit_case iox_attach_test_cases[] = {
	KUNIT_CASE(probe_rejects_unknown_and_twice),
	KUNIT_CASE(new_device_is_blocked),
	KUNIT_CASE(attach_switches_through_blocked),
	KUNIT_CASE(group_members_share_a_domain),
	KUNIT_CASE(separate_groups_by_default),
	KUNIT_CASE(identity_domain_passes_through),
	KUNIT_CASE(msi_window_is_reserved),
	KUNIT_CASE(direct_region_is_identity_mapped),
	KUNIT_CASE(released_device_loses_its_context),
	KUNIT_CASE(capabilities_and_pasids),
	{}
};

struct kunit_suite iox_attach_test_suite = {
	.name = "iox_attach",
	.init = iox_test_env_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_attach_test_cases,
};
