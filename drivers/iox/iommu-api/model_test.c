// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite iox_iommu_api_model: iox_iommu_api's domains driven as the
 * kernel's IOMMU core drives them, on a mock unit, in the userspace build
 * (under ASan and TSan), where the core's iommu_map(), iommu_unmap() and
 * fault reporting are the shim's restatement of Linux 6.1's
 * (tools/testing/iox/userspace/compat-iommu.c). Each case does what the
 * core would: allocate a domain and set its type, attach devices one by
 * one, move a group to a blocking domain before freeing the domain it
 * leaves. The same model runs in the VM against the real core
 * (edu_test.c).
 */
#include <kunit/test.h>
#include <linux/dma-mapping.h>
#include <linux/iox-dma.h>
#include "../tests/iox-test.h"
#include "iommu-api.h"
#include "model.h"

#define KT_DEVS		3

/**
 * struct kt_env - a mock unit and devices probed as the bridge does
 * @mock: the unit
 * @dev: the devices; 0 alone in its group, 1 and 2 sharing one
 * @kdev: the bridge's data of each device
 * @mask: their DMA masks
 * @blocking: the blocking domain the core would hold
 */
struct kt_env {
	struct iox_mock *mock;
	struct device *dev[KT_DEVS];
	struct iox_kdev kdev[KT_DEVS];
	u64 mask[KT_DEVS];
	struct iommu_domain *blocking;
};

/* What the core does: the driver's domain, then its type. */
static struct iommu_domain *kt_alloc(struct kunit *test, unsigned int type)
{
	struct iommu_domain *dom = iox_kdomain_alloc(type);

	KUNIT_ASSERT_NOT_NULL(test, dom);
	dom->type = type;
	return dom;
}

static int kt_attach(struct iommu_domain *dom, struct device *dev)
{
	return dom->ops->attach_dev(dom, dev);
}

static int kt_init(struct kunit *test)
{
	static const u64 keys[KT_DEVS] = { 0x100, 0x200, 0x200 };
	struct iox_domain *probe;
	struct kt_env *env;
	unsigned int i;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	test->priv = env;
	env->mock = iox_test_mock_create(test, NULL);
	if (!env->mock)
		return -ENOMEM;
	for (i = 0; i < KT_DEVS; i++) {
		env->dev[i] = iox_mock_device_alloc("iox-kapi-test");
		if (!env->dev[i])
			return -ENOMEM;
		env->dev[i]->dma_mask = &env->mask[i];
		if (iox_mock_add_endpoint(env->mock, env->dev[i], 0x10 + i,
					  keys[i]) ||
		    iox_probe_device(env->dev[i]))
			return -ENODEV;
		dev_iommu_priv_set(env->dev[i], &env->kdev[i]);
	}
	/* The template the bridge's registration computes. */
	probe = iox_domain_alloc(env->dev[0], IOX_DOMAIN_PAGING);
	if (IS_ERR(probe))
		return PTR_ERR(probe);
	iox_kdomain_set_template(probe->pgsize_bitmap, probe->aperture_end);
	iox_domain_free(probe);
	env->blocking = iox_kdomain_alloc(IOMMU_DOMAIN_BLOCKED);
	if (!env->blocking)
		return -ENOMEM;
	env->blocking->type = IOMMU_DOMAIN_BLOCKED;
	return 0;
}

static void kt_exit(struct kunit *test)
{
	struct kt_env *env = test->priv;
	unsigned int i;

	if (!env)
		return;
	for (i = 0; i < KT_DEVS && env->dev[i]; i++) {
		if (dev_iommu_priv_get(env->dev[i])) {
			iox_kdomain_release_dev(env->dev[i]);
			iox_release_device(env->dev[i]);
		}
		iox_mock_remove_endpoint(env->mock, env->dev[i]);
		iox_mock_device_free(env->dev[i]);
	}
	if (env->blocking)
		env->blocking->ops->free(env->blocking);
	if (env->mock)
		iox_mock_destroy(env->mock);
}

/* Move @dev's group to the blocking domain, then free @dom. */
static void kt_done(struct kunit *test, struct iommu_domain *dom,
		    struct device *dev)
{
	struct kt_env *env = test->priv;

	KUNIT_EXPECT_EQ(test, kt_attach(env->blocking, dev), 0);
	dom->ops->free(dom);
}

/* A device access through the mock unit: the address it reached, or 0. */
static phys_addr_t kt_dma(struct kunit *test, struct device *dev, u64 iova,
			  u32 access)
{
	struct kt_env *env = test->priv;
	phys_addr_t phys = 0;

	if (iox_mock_dma(env->mock, dev, iova, access, &phys))
		return 0;
	return phys;
}

static void kapi_model_mock(struct kunit *test)
{
	struct kt_env *env = test->priv;
	struct iommu_domain *dom = kt_alloc(test, IOMMU_DOMAIN_UNMANAGED);

	KUNIT_ASSERT_EQ(test, kt_attach(dom, env->dev[0]), 0);
	iox_kapi_model_run(test, dom, IOX_KAPI_MODEL_SEED);
	kt_done(test, dom, env->dev[0]);
}

/*
 * A DMA domain keeps what the core mapped before the attach (its direct
 * mappings) and replays it into every iox DMA domain it binds to, while
 * the DMA backend serves the device; leaving it unbinds it again.
 */
static void kapi_premap_replay(struct kunit *test)
{
	struct kt_env *env = test->priv;
	struct device *dev = env->dev[0];
	struct iommu_domain *dom = kt_alloc(test, IOMMU_DOMAIN_DMA);
	const unsigned long iova = SZ_1M;
	const phys_addr_t phys = SZ_1G;
	unsigned int round;

	KUNIT_ASSERT_EQ(test, iommu_map(dom, iova, phys, SZ_2M + SZ_4K,
					IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, iommu_map(dom, iova + SZ_2M, phys, SZ_4K,
					IOMMU_READ), -EEXIST);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + 0x1234),
			phys + 0x1234);
	KUNIT_EXPECT_EQ(test, kt_dma(test, dev, iova, IOX_FAULT_READ), 0);
	for (round = 0; round < 2; round++) {
		KUNIT_ASSERT_EQ(test, kt_attach(dom, dev), 0);
		KUNIT_EXPECT_TRUE(test, iox_dma_is_attached(dev));
		KUNIT_EXPECT_EQ(test, kt_dma(test, dev, iova + SZ_2M + 8,
					     IOX_FAULT_WRITE),
				phys + SZ_2M + 8);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + SZ_2M),
				phys + SZ_2M);
		/* Detached (blocked): the backend lets go of the device. */
		KUNIT_ASSERT_EQ(test, kt_attach(env->blocking, dev), 0);
		KUNIT_EXPECT_FALSE(test, iox_dma_is_attached(dev));
		KUNIT_EXPECT_EQ(test, kt_dma(test, dev, iova, IOX_FAULT_READ),
				0);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + 0x10),
				phys + 0x10);
	}
	/*
	 * Unbound, an unmap trims what was kept, as the kernel's chunks
	 * come, but does not cut it in two.
	 */
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, iova + SZ_1M, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, iova, SZ_4K), (size_t)SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + SZ_4K),
			phys + SZ_4K);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, iova, SZ_2M + SZ_4K),
			(size_t)SZ_2M);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dom, iova + SZ_2M), 0);
	KUNIT_ASSERT_EQ(test, kt_attach(dom, dev), 0);
	KUNIT_EXPECT_EQ(test, kt_dma(test, dev, iova, IOX_FAULT_READ), 0);
	kt_done(test, dom, dev);
}

struct kt_fault {
	unsigned long iova;
	int flags;
	unsigned int count;
};

static int kt_fault_handler(struct iommu_domain *dom, struct device *dev,
			    unsigned long iova, int flags, void *token)
{
	struct kt_fault *f = token;

	f->iova = iova;
	f->flags = flags;
	f->count++;
	return 0;
}

/* An unmanaged domain's faults reach the owner's handler. */
static void kapi_fault_forward(struct kunit *test)
{
	struct kt_env *env = test->priv;
	struct iommu_domain *dom = kt_alloc(test, IOMMU_DOMAIN_UNMANAGED);
	struct kt_fault f = {};

	iommu_set_fault_handler(dom, kt_fault_handler, &f);
	KUNIT_ASSERT_EQ(test, kt_attach(dom, env->dev[0]), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(dom, SZ_1M, SZ_1G, SZ_4K, IOMMU_READ),
			0);
	KUNIT_EXPECT_EQ(test, kt_dma(test, env->dev[0], SZ_1M + 4,
				     IOX_FAULT_READ), SZ_1G + 4);
	KUNIT_EXPECT_EQ(test, f.count, 0);
	KUNIT_EXPECT_EQ(test, kt_dma(test, env->dev[0], SZ_1M,
				     IOX_FAULT_WRITE), 0);
	KUNIT_EXPECT_EQ(test, kt_dma(test, env->dev[0], SZ_2M + 0x40,
				     IOX_FAULT_READ), 0);
	KUNIT_EXPECT_EQ(test, f.count, 2);
	KUNIT_EXPECT_EQ(test, f.iova, SZ_2M + 0x40);
	KUNIT_EXPECT_EQ(test, f.flags, IOMMU_FAULT_READ);
	kt_done(test, dom, env->dev[0]);
}

/*
 * One unmanaged domain for two groups (as VFIO's container does), one of
 * them of two devices: the core attaches device by device, the first of
 * a group moves the whole group and the second finds it moved; a group
 * that leaves takes nothing from the other.
 */
static void kapi_groups(struct kunit *test)
{
	struct kt_env *env = test->priv;
	struct iommu_domain *dom = kt_alloc(test, IOMMU_DOMAIN_UNMANAGED);
	unsigned int i;

	for (i = 0; i < KT_DEVS; i++)
		KUNIT_ASSERT_EQ(test, kt_attach(dom, env->dev[i]), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(dom, SZ_1M, SZ_1G, SZ_4K,
					IOMMU_READ | IOMMU_WRITE), 0);
	for (i = 0; i < KT_DEVS; i++)
		KUNIT_EXPECT_EQ(test, kt_dma(test, env->dev[i], SZ_1M,
					     IOX_FAULT_WRITE), SZ_1G);
	KUNIT_EXPECT_PTR_EQ(test, iox_get_domain_for_dev(env->dev[1]),
			    iox_get_domain_for_dev(env->dev[0]));
	/* The shared group leaves: device 1 moves it, device 2 follows. */
	KUNIT_ASSERT_EQ(test, kt_attach(env->blocking, env->dev[1]), 0);
	KUNIT_EXPECT_EQ(test, kt_dma(test, env->dev[2], SZ_1M,
				     IOX_FAULT_READ), 0);
	KUNIT_ASSERT_EQ(test, kt_attach(env->blocking, env->dev[2]), 0);
	KUNIT_EXPECT_EQ(test, kt_dma(test, env->dev[0], SZ_1M,
				     IOX_FAULT_READ), SZ_1G);
	KUNIT_EXPECT_EQ(test, iommu_unmap(dom, SZ_1M, SZ_4K), (size_t)SZ_4K);
	kt_done(test, dom, env->dev[0]);
}

static struct kunit_case kapi_model_cases[] = {
	KUNIT_CASE(kapi_model_mock),
	KUNIT_CASE(kapi_premap_replay),
	KUNIT_CASE(kapi_fault_forward),
	KUNIT_CASE(kapi_groups),
	{}
};

static struct kunit_suite iox_iommu_api_model_suite = {
	.name = "iox_iommu_api_model",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = kapi_model_cases,
};

kunit_test_suites(&iox_iommu_api_model_suite);
