// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: iox_unmap() unmaps exactly the requested range - it refuses to
 * cut a larger page, skips holes and returns the bytes it unmapped.
 */
#include <linux/sizes.h>
#include "iox-test.h"

#define RW	(IOX_READ | IOX_WRITE)

static void unmap_exact_middle_page(struct kunit *test)
{
	struct iox_domain *d = ((struct iox_test_env *)test->priv)->domain;

	KUNIT_ASSERT_EQ(test, iox_map(d, 0x100000, 0x500000, 3 * SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x101000, SZ_4K), SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 0x100000), 0x500000);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 0x101000), 0);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 0x102000), 0x502000);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x100000, 3 * SZ_4K), 2 * SZ_4K);
}

static void unmap_refuses_to_cut_a_large_page(struct kunit *test)
{
	struct iox_domain *d = ((struct iox_test_env *)test->priv)->domain;

	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_2M, SZ_2M, SZ_2M, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M + SZ_4K, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 2 * SZ_2M - SZ_4K, SZ_4K), -EINVAL);
	/* Crossing either end of the 2M page. */
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M - SZ_4K, 2 * SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 2 * SZ_2M - SZ_4K, 2 * SZ_4K),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, SZ_2M + SZ_4K),
			SZ_2M + SZ_4K);
	/* A range containing the whole page, with holes around it. */
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M - SZ_4K, SZ_2M + 2 * SZ_4K),
			SZ_2M);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, SZ_2M), 0);
}

static void unmap_refusal_changes_nothing(struct kunit *test)
{
	struct iox_domain *d = ((struct iox_test_env *)test->priv)->domain;

	/* 4K pages, then a 2M page: cutting the 2M one at the range end. */
	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_2M - 2 * SZ_4K, 0x10000000 -
				      2 * SZ_4K, SZ_2M + 2 * SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M - 2 * SZ_4K, 3 * SZ_4K),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, SZ_2M - 2 * SZ_4K),
			0x10000000 - 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, SZ_2M - SZ_4K),
			0x10000000 - SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M - 2 * SZ_4K,
					SZ_2M + 2 * SZ_4K), SZ_2M + 2 * SZ_4K);
}

static void unmap_skips_holes(struct kunit *test)
{
	struct iox_domain *d = ((struct iox_test_env *)test->priv)->domain;

	KUNIT_ASSERT_EQ(test, iox_map(d, 0, 0x800000, SZ_4K, RW, GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, iox_map(d, 0x3000, 0x900000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_1G, SZ_1G, SZ_2M, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0, 2UL * SZ_1G), 2 * SZ_4K + SZ_2M);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0, 2UL * SZ_1G), 0);
}

static void unmap_rejects_bad_arguments(struct kunit *test)
{
	struct iox_domain *d = ((struct iox_test_env *)test->priv)->domain;
	struct iox_iotlb_gather gather;

	KUNIT_ASSERT_EQ(test, iox_map(d, 0x10000, 0x10000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x10000, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x10800, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x10000, 0x800), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, ULONG_MAX & ~(SZ_4K - 1),
					2 * SZ_4K), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, d->aperture_end + 1, SZ_4K),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 0x10000), 0x10000);

	iox_iotlb_gather_init(&gather);
	KUNIT_EXPECT_EQ(test, iox_unmap_fast(d, 0x10000, SZ_4K, &gather),
			SZ_4K);
	KUNIT_EXPECT_EQ(test, gather.start, 0x10000);
	KUNIT_EXPECT_EQ(test, gather.end, 0x10fff);
	KUNIT_EXPECT_EQ(test, gather.pgsize, SZ_4K);
	iox_iotlb_sync(d, &gather);
	KUNIT_EXPECT_TRUE(test, iox_iotlb_gather_empty(&gather));
}

static void unmap_whole_mixed_range(struct kunit *test)
{
	struct iox_domain *d = ((struct iox_test_env *)test->priv)->domain;
	unsigned long iova = SZ_1G - SZ_2M - SZ_4K;
	size_t size = SZ_1G + 2 * SZ_2M + 2 * SZ_4K;

	/* 4K, 2M, 1G, 2M and 4K leaves in one mapping. */
	KUNIT_ASSERT_EQ(test, iox_map(d, iova, iova + SZ_1G, size, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, iova, size), size);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, SZ_1G), 0);
}

static struct kunit_case iox_unmap_test_cases[] = {
	KUNIT_CASE(unmap_exact_middle_page),
	KUNIT_CASE(unmap_refuses_to_cut_a_large_page),
	KUNIT_CASE(unmap_refusal_changes_nothing),
	KUNIT_CASE(unmap_skips_holes),
	KUNIT_CASE(unmap_rejects_bad_arguments),
	KUNIT_CASE(unmap_whole_mixed_range),
	{}
};

struct kunit_suite iox_unmap_test_suite = {
	.name = "iox_unmap",
	.init = iox_test_env_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_unmap_test_cases,
};
