// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: iox_map() and iox_map_sg() - page-size choice, runs handed to the
 * driver, all-or-nothing behaviour and every documented errno.
 */
#include <linux/sizes.h>
#include <linux/scatterlist.h>
#include "iox-test.h"

#define RW	(IOX_READ | IOX_WRITE)

static void expect_leaf(struct kunit *test, struct iox_domain *d,
			unsigned long iova, phys_addr_t phys, size_t pgsize,
			int prot)
{
	struct iox_leaf leaf;

	KUNIT_ASSERT_EQ(test, iox_lookup(d, iova, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.phys, phys);
	KUNIT_EXPECT_EQ(test, leaf.pgsize, pgsize);
	KUNIT_EXPECT_EQ(test, leaf.prot, prot);
}

static void expect_unmapped(struct kunit *test, struct iox_domain *d,
			    unsigned long iova)
{
	struct iox_leaf leaf;

	KUNIT_EXPECT_EQ(test, iox_lookup(d, iova, &leaf), -ENOENT);
}

static void map_one_page(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;

	KUNIT_ASSERT_EQ(test, iox_map(d, 0x10000, 0x7654000, SZ_4K, IOX_READ,
				      GFP_KERNEL), 0);
	expect_leaf(test, d, 0x10000, 0x7654000, SZ_4K, IOX_READ);
	expect_leaf(test, d, 0x10abc, 0x7654abc, SZ_4K, IOX_READ);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 0x10008), 0x7654008);
	expect_unmapped(test, d, 0xf000);
	expect_unmapped(test, d, 0x11000);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x10000, SZ_4K), SZ_4K);
}

static void map_uses_largest_pages(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;

	/* 1G + 2M + 4K, everything aligned: one leaf of each size. */
	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_1G, 2UL * SZ_1G,
				      SZ_1G + SZ_2M + SZ_4K, RW, GFP_KERNEL),
			0);
	expect_leaf(test, d, SZ_1G + 0x1234, 2UL * SZ_1G + 0x1234, SZ_1G, RW);
	expect_leaf(test, d, 2UL * SZ_1G, 3UL * SZ_1G, SZ_2M, RW);
	expect_leaf(test, d, 2UL * SZ_1G + SZ_2M, 3UL * SZ_1G + SZ_2M, SZ_4K, RW);
	expect_unmapped(test, d, 2UL * SZ_1G + SZ_2M + SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_1G, SZ_1G + SZ_2M + SZ_4K),
			SZ_1G + SZ_2M + SZ_4K);
}

static void map_hands_down_runs(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct iox_mock_stats before, after;

	/* [4K, 4M + 4K): 511 x 4K up to 2M, 1 x 2M, then 1 x 4K: 3 calls. */
	iox_mock_get_stats(env->mock, &before);
	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_4K, SZ_1G + SZ_4K, 2 * SZ_2M, RW,
				      GFP_KERNEL), 0);
	iox_mock_get_stats(env->mock, &after);
	KUNIT_EXPECT_EQ(test, after.map_calls - before.map_calls, 3);
	KUNIT_EXPECT_EQ(test, after.last_map_pgsize, SZ_4K);
	KUNIT_EXPECT_EQ(test, after.last_map_pgcount, 1);
	expect_leaf(test, d, SZ_4K, SZ_1G + SZ_4K, SZ_4K, RW);
	expect_leaf(test, d, SZ_2M - SZ_4K, SZ_1G + SZ_2M - SZ_4K, SZ_4K, RW);
	expect_leaf(test, d, SZ_2M, SZ_1G + SZ_2M, SZ_2M, RW);
	expect_leaf(test, d, 2 * SZ_2M, SZ_1G + 2 * SZ_2M, SZ_4K, RW);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_4K, 2 * SZ_2M), 2 * SZ_2M);
}

static void map_paddr_alignment_limits_pages(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct iox_mock_stats before, after;

	/* IOVA is 2M-aligned but paddr only 4K-aligned: only 4K pages fit. */
	iox_mock_get_stats(env->mock, &before);
	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_2M, SZ_1G + SZ_4K, SZ_2M, RW,
				      GFP_KERNEL), 0);
	iox_mock_get_stats(env->mock, &after);
	KUNIT_EXPECT_EQ(test, after.map_calls - before.map_calls, 1);
	KUNIT_EXPECT_EQ(test, after.last_map_pgcount, 512);
	expect_leaf(test, d, SZ_2M, SZ_1G + SZ_4K, SZ_4K, RW);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_2M, SZ_2M), SZ_2M);
}

static void map_restricted_bitmap(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;

	KUNIT_EXPECT_EQ(test, iox_domain_restrict_pgsizes(d, SZ_2M | SZ_1G),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, iox_domain_restrict_pgsizes(d, SZ_4K | SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, d->pgsize_bitmap, SZ_4K | SZ_2M);
	KUNIT_ASSERT_EQ(test, iox_map(d, SZ_1G, SZ_1G, SZ_1G, RW, GFP_KERNEL),
			0);
	expect_leaf(test, d, SZ_1G + SZ_2M, SZ_1G + SZ_2M, SZ_2M, RW);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, SZ_1G, SZ_1G), SZ_1G);
}

/* One rejected iox_map() call and the errno its contract gives. */
struct bad_map {
	const char *what;
	unsigned long iova;
	phys_addr_t paddr;
	size_t size;
	int prot;
	int err;
};

#define TOP	BIT_ULL(48)	/* the default mock's aperture end + 1 */
#define PTOP	BIT_ULL(48)	/* and its paddr_max + 1 */

static const struct bad_map bad_maps[] = {
	{ "size 0", 0x50000, 0x80000, 0, RW, -EINVAL },
	{ "iova misaligned", 0x50800, 0x80000, SZ_4K, RW, -EINVAL },
	{ "paddr misaligned", 0x50000, 0x80800, SZ_4K, RW, -EINVAL },
	{ "size misaligned", 0x50000, 0x80000, 0x1800, RW, -EINVAL },
	{ "no read or write", 0x50000, 0x80000, SZ_4K, 0, -EINVAL },
	{ "cache only", 0x50000, 0x80000, SZ_4K, IOX_CACHE, -EINVAL },
	{ "unknown prot bit", 0x50000, 0x80000, SZ_4K, IOX_READ | BIT(20),
	  -EINVAL },
	{ "iova wraps", ULONG_MAX & ~(SZ_4K - 1), 0x80000, 2 * SZ_4K, RW,
	  -EOVERFLOW },
	{ "past the aperture", TOP, 0x80000, SZ_4K, RW, -ERANGE },
	{ "ends past the aperture", TOP - SZ_4K, 0x80000, 2 * SZ_4K, RW,
	  -ERANGE },
	{ "paddr too high", 0x50000, PTOP, SZ_4K, RW, -ERANGE },
	{ "paddr ends too high", 0x50000, PTOP - SZ_4K, 2 * SZ_4K, RW,
	  -ERANGE },
	{ "overlaps a mapping", 0x30000, 0x100000, 0x11000, RW, -EEXIST },
	{ "inside a mapping", 0x40000, 0x100000, SZ_4K, RW, -EEXIST },
};

static void bad_map_desc(const struct bad_map *bad, char *desc)
{
	strscpy(desc, bad->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_map, bad_maps, bad_map_desc);

/* Every rejected call leaves the existing mapping, and nothing else. */
static void map_rejects_bad_argument(struct kunit *test)
{
	const struct bad_map *bad = test->param_value;
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	unsigned long i;

	KUNIT_ASSERT_EQ(test, TOP, d->aperture_end + 1);
	KUNIT_ASSERT_EQ(test, PTOP, d->paddr_max + 1);
	KUNIT_ASSERT_EQ(test, iox_map(d, 0x40000, 0x80000, SZ_4K, RW,
				      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iox_map(d, bad->iova, bad->paddr, bad->size,
				      bad->prot, GFP_KERNEL), bad->err);
	for (i = 0x30000; i < 0x50000; i += SZ_4K)
		if (i != 0x40000)
			expect_unmapped(test, d, i);
	expect_leaf(test, d, 0x40000, 0x80000, SZ_4K, RW);
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x40000, SZ_4K), SZ_4K);
}

static void map_needs_a_paging_domain(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *identity;

	identity = iox_domain_alloc(env->dev[0], IOX_DOMAIN_IDENTITY);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, identity);
	KUNIT_EXPECT_EQ(test, iox_map(identity, 0, 0, SZ_4K, RW, GFP_KERNEL),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, iox_unmap(identity, 0, SZ_4K), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, iox_iova_to_phys(identity, 0x1234), 0x1234);
	iox_domain_free(identity);
}

static void map_sg_coalesces_and_is_atomic(struct kunit *test)
{
	struct iox_test_env *env = test->priv;
	struct iox_domain *d = env->domain;
	struct page *pages[3];
	struct scatterlist sg[4];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	sg_init_table(sg, 4);
	sg_set_page(&sg[0], pages[0], SZ_4K, 0);
	sg_set_page(&sg[1], pages[1], SZ_4K, 0);
	sg_set_page(&sg[2], pages[2], SZ_4K, 0);
	sg_set_page(&sg[3], pages[0], SZ_4K, 0);

	KUNIT_EXPECT_EQ(test, iox_map_sg(d, 0x200000, sg, 4, RW, GFP_KERNEL),
			4 * SZ_4K);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, iox_iova_to_phys(d, 0x200000 + i * SZ_4K),
				sg_phys(&sg[i]));
	KUNIT_EXPECT_EQ(test, iox_unmap(d, 0x200000, 4 * SZ_4K), 4 * SZ_4K);

	/* A short segment in the middle: nothing may stay mapped. */
	sg_set_page(&sg[2], pages[2], 0x800, 0);
	KUNIT_EXPECT_EQ(test, iox_map_sg(d, 0x200000, sg, 4, RW, GFP_KERNEL),
			-EINVAL);
	for (i = 0; i < 4; i++)
		expect_unmapped(test, d, 0x200000 + i * SZ_4K);

	for (i = 0; i < ARRAY_SIZE(pages); i++)
		__free_page(pages[i]);
}

/*
 * A domain without the one-page paths has a pt_page_size of 0; size 0 at
 * IOVA 0 must still be refused where the aperture is all 64 bits (AMD v1,
 * 6 levels), with the one-page paths and without them (caching mode).
 */
static void map_size_zero_on_a_64bit_aperture(struct kunit *test)
{
	struct iox_mock_config cfg = {
		.iotlb_entries = 16,
		.use_pt = true,
		.pt = { .format = IOX_PT_AMD_V1, .granule_shift = 12,
			.oas = 48, .levels = 6 },
	};
	struct iox_test_env *env;
	int caching;

	for (caching = 0; caching < 2; caching++) {
		cfg.caches_not_present = caching;
		env = iox_test_env_create(test, &cfg, 1, false);
		KUNIT_ASSERT_NOT_NULL(test, env);
		KUNIT_EXPECT_EQ(test, env->domain->aperture_end, ~0UL);
		KUNIT_EXPECT_EQ(test, env->domain->pt_page_size,
				caching ? 0UL : (unsigned long)SZ_4K);
		KUNIT_EXPECT_EQ(test, iox_map(env->domain, 0, 0, 0, RW,
					      GFP_KERNEL), -EINVAL);
		KUNIT_EXPECT_EQ(test, iox_unmap(env->domain, 0, 0), -EINVAL);
		expect_unmapped(test, env->domain, 0);
		iox_test_env_destroy(env);
	}
}

static struct kunit_case iox_map_test_cases[] = {
	KUNIT_CASE(map_one_page),
	KUNIT_CASE(map_uses_largest_pages),
	KUNIT_CASE(map_hands_down_runs),
	KUNIT_CASE(map_paddr_alignment_limits_pages),
	KUNIT_CASE(map_restricted_bitmap),
	KUNIT_CASE_PARAM(map_rejects_bad_argument, bad_map_gen_params),
	KUNIT_CASE(map_needs_a_paging_domain),
	KUNIT_CASE(map_size_zero_on_a_64bit_aperture),
	KUNIT_CASE(map_sg_coalesces_and_is_atomic),
	{}
};

struct kunit_suite iox_map_test_suite = {
	.name = "iox_map",
	.init = iox_test_env_init,
	.exit = iox_test_env_exit,
	.test_cases = iox_map_test_cases,
};
