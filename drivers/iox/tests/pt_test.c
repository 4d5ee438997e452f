// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the page-table engine's own contracts - table memory accounting,
 * empty tables giving way to larger leaves, batched cache maintenance for
 * non-coherent walkers, and shapes a format cannot have.
 */
#include <linux/sizes.h>
#include <linux/iox-pt.h>
#include "iox-test.h"

#define RWC	(IOX_READ | IOX_WRITE | IOX_CACHE)
#define BASE	(4UL * SZ_1G)

static const struct iox_pt_cfg lpae_4k = {
	.format = IOX_PT_ARM_LPAE_S1, .granule_shift = 12, .ias = 48, .oas = 48,
};

/* A table's struct iox_pt is kilobytes: not for a kernel stack. */
static struct iox_pt *pt_alloc(struct kunit *test)
{
	struct iox_pt *pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pt);
	return pt;
}

static long table_pages(struct iox_pt *pt)
{
	return atomic_long_read(&pt->table_pages);
}

static int map_run(struct iox_pt *pt, unsigned long iova, phys_addr_t paddr,
		   size_t pgsize, size_t count)
{
	size_t mapped = 0;

	return pt->ops->map(pt, iova, paddr, pgsize, count, RWC, GFP_KERNEL,
			    &mapped);
}

/*
 * 1 GiB of 4K pages: root, L1, L2 and 512 L3 tables; a covering unmap frees
 * the L2 and L3s, and the L1 it leaves empty.
 */
static void pt_table_accounting(struct kunit *test)
{
	struct iox_iotlb_gather gather;
	struct iox_pt *pt = pt_alloc(test);

	KUNIT_ASSERT_EQ(test, iox_pt_init(pt, &lpae_4k, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 1);
	iox_iotlb_gather_init(&gather);
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE, 128UL * SZ_1G + SZ_4K, SZ_4K,
				      SZ_1G / SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 3 + 512);
	KUNIT_EXPECT_EQ(test, pt->ops->unmap(pt, BASE, SZ_1G, &gather), SZ_1G);
	/* Unlinked tables wait for the invalidation on the gather. */
	KUNIT_EXPECT_EQ(test, table_pages(pt), 3 + 512);
	/* The L1's span is invalidated with it: 512 GiB from 0. */
	KUNIT_EXPECT_EQ(test, gather.start, 0);
	KUNIT_EXPECT_EQ(test, gather.end, BIT_ULL(39) - 1);
	iox_pt_free_gathered(pt, &gather);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 1);
	/* Covering the whole input space finds nothing more. */
	iox_iotlb_gather_init(&gather);
	KUNIT_EXPECT_EQ(test, pt->ops->unmap(pt, 0, BIT_ULL(48), &gather), 0);
	iox_pt_free_gathered(pt, &gather);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 1);
	iox_pt_destroy(pt);
}

/*
 * Page by page: each unmap of a table's last page takes the table, and the
 * tables above it that this empties, with the span they covered; a 2M map
 * then goes where the L3 table was.
 */
static void pt_emptied_tables_go(struct kunit *test)
{
	struct iox_iotlb_gather gather;
	struct iox_leaf leaf;
	struct iox_pt *pt = pt_alloc(test);
	unsigned long i;

	KUNIT_ASSERT_EQ(test, iox_pt_init(pt, &lpae_4k, GFP_KERNEL), 0);
	/* Two L3 tables under one L2: 8 pages in each 2M. */
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE, BASE, SZ_4K, 8), 0);
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE + SZ_2M, BASE, SZ_4K, 8), 0);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 5);
	iox_iotlb_gather_init(&gather);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, pt->ops->unmap(pt, BASE + i * SZ_4K,
						     SZ_4K, &gather), SZ_4K);
	/* The first L3 went with its last page; its 2M is invalidated. */
	KUNIT_EXPECT_EQ(test, gather.start, BASE);
	KUNIT_EXPECT_EQ(test, gather.end, BASE + SZ_2M - 1);
	iox_pt_free_gathered(pt, &gather);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 4);
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE, BASE, SZ_2M, 1), 0);
	KUNIT_ASSERT_EQ(test, pt->ops->iova_to_phys(pt, BASE + 0x1234, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.pgsize, SZ_2M);
	KUNIT_EXPECT_EQ(test, leaf.phys, BASE + 0x1234);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 4);

	/* A table that still maps something does not give way. */
	KUNIT_EXPECT_EQ(test, map_run(pt, BASE + SZ_2M, 0, SZ_2M, 1), -EEXIST);
	/* The last pages: the L3, L2 and L1 go, 512 GiB invalidated. */
	iox_iotlb_gather_init(&gather);
	KUNIT_EXPECT_EQ(test, pt->ops->unmap(pt, BASE, SZ_2M, &gather), SZ_2M);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, pt->ops->unmap(pt, BASE + SZ_2M + i * SZ_4K,
						     SZ_4K, &gather), SZ_4K);
	KUNIT_EXPECT_EQ(test, gather.start, 0);
	KUNIT_EXPECT_EQ(test, gather.end, BIT_ULL(39) - 1);
	iox_pt_free_gathered(pt, &gather);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 1);
	KUNIT_EXPECT_EQ(test, pt->ops->iova_to_phys(pt, BASE + SZ_2M, &leaf),
			-ENOENT);
	iox_pt_destroy(pt);
}

struct leaf_log {
	unsigned int n;
	struct iox_pt_leaf seen[4];
};

static int log_leaf(void *arg, const struct iox_pt_leaf *leaf)
{
	struct leaf_log *log = arg;

	if (log->n < ARRAY_SIZE(log->seen))
		log->seen[log->n] = *leaf;
	log->n++;
	return 0;
}

/* The dump walk reports each leaf once, in IOVA order, repeats folded. */
static void pt_leaves_in_order(struct kunit *test)
{
	static const struct iox_pt_cfg v7s = {
		.format = IOX_PT_ARM_V7S, .ias = 32, .oas = 32,
	};
	struct leaf_log log = {};
	struct iox_pt *pt = pt_alloc(test);

	KUNIT_ASSERT_EQ(test, iox_pt_init(pt, &v7s, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, map_run(pt, SZ_16M, SZ_16M, SZ_16M, 1), 0);
	KUNIT_ASSERT_EQ(test, map_run(pt, SZ_64K, 0x30000, SZ_4K, 2), 0);
	KUNIT_ASSERT_EQ(test, map_run(pt, SZ_1M, 0x100000, SZ_64K, 1), 0);
	KUNIT_EXPECT_EQ(test, pt->ops->for_each_leaf(pt, log_leaf, &log), 0);
	KUNIT_ASSERT_EQ(test, log.n, 4);
	KUNIT_EXPECT_EQ(test, log.seen[0].iova, SZ_64K);
	KUNIT_EXPECT_EQ(test, log.seen[0].leaf.pgsize, SZ_4K);
	KUNIT_EXPECT_EQ(test, log.seen[0].leaf.phys, 0x30000);
	KUNIT_EXPECT_EQ(test, log.seen[1].iova, SZ_64K + SZ_4K);
	KUNIT_EXPECT_EQ(test, log.seen[1].level, 1);
	KUNIT_EXPECT_EQ(test, log.seen[2].iova, SZ_1M);
	KUNIT_EXPECT_EQ(test, log.seen[2].leaf.pgsize, SZ_64K);
	KUNIT_EXPECT_EQ(test, log.seen[3].iova, SZ_16M);
	KUNIT_EXPECT_EQ(test, log.seen[3].leaf.pgsize, SZ_16M);
	KUNIT_EXPECT_EQ(test, log.seen[3].level, 0);
	KUNIT_EXPECT_TRUE(test, log.seen[3].leaf.prot & IOX_WRITE);
	iox_pt_destroy(pt);
}

static void pt_rejects_impossible_shapes(struct kunit *test)
{
	static const struct iox_pt_cfg bad[] = {
		{ .format = IOX_PT_ARM_LPAE_S1, .granule_shift = 13, .ias = 48,
		  .oas = 48 },
		{ .format = IOX_PT_ARM_LPAE_S1, .granule_shift = 12, .ias = 49,
		  .oas = 48 },
		{ .format = IOX_PT_ARM_LPAE_S2, .granule_shift = 16, .ias = 31,
		  .oas = 48 },
		{ .format = IOX_PT_ARM_V7S, .ias = 32, .oas = 40 },
		{ .format = IOX_PT_AMD_V1, .levels = 7, .oas = 48 },
		{ .format = IOX_PT_AMD_V1, .levels = 0, .oas = 48 },
		{ .format = IOX_PT_VTD_SL, .levels = 2, .oas = 48 },
		{ .format = IOX_PT_VTD_FL, .levels = 3, .oas = 48 },
		{ .format = IOX_PT_NR_FORMATS },
		{ .format = IOX_PT_VTD_SL, .levels = 4, .oas = 48,
		  .quirks = BIT(30) },
		/* Page sizes the format lacks. */
		{ .format = IOX_PT_VTD_SL, .levels = 4, .oas = 48,
		  .pgsize_bitmap = SZ_64K },
	};
	struct iox_pt *pt = pt_alloc(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, iox_pt_init(pt, &bad[i], GFP_KERNEL),
				    -EINVAL, "shape %u", i);
}

#ifdef IOX_USERSPACE
/*
 * Userspace counts the cache cleans of a non-coherent walker: one per run
 * of entries written in a table, never one per entry.
 */
static void pt_noncoherent_cleans_per_range(struct kunit *test)
{
	struct iox_pt_cfg cfg = lpae_4k;
	struct iox_iotlb_gather gather;
	struct device dev = {};
	unsigned long syncs;
	struct iox_pt *pt = pt_alloc(test);

	cfg.quirks = IOX_PT_NONCOHERENT;
	cfg.dma_dev = &dev;
	KUNIT_ASSERT_EQ(test, iox_pt_init(pt, &cfg, GFP_KERNEL), 0);
	iox_iotlb_gather_init(&gather);
	/* Three new tables (one clean each, and one for its parent entry). */
	syncs = iox_compat_dma_syncs;
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE, BASE, SZ_4K, 512), 0);
	KUNIT_EXPECT_EQ(test, iox_compat_dma_syncs - syncs, 3 * 2 + 1);
	/* Into the existing L3 table: 512 entries, one clean. */
	syncs = iox_compat_dma_syncs;
	KUNIT_EXPECT_EQ(test, pt->ops->unmap(pt, BASE, SZ_2M - SZ_4K, &gather),
			SZ_2M - SZ_4K);
	KUNIT_EXPECT_EQ(test, iox_compat_dma_syncs - syncs, 1);
	syncs = iox_compat_dma_syncs;
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE, BASE, SZ_4K, 511), 0);
	KUNIT_EXPECT_EQ(test, iox_compat_dma_syncs - syncs, 1);
	iox_pt_free_gathered(pt, &gather);
	iox_pt_destroy(pt);
}

/*
 * Userspace fails the nth allocation: a map that needs three new tables
 * and gets fewer installs none of them, and leaves nothing to free.
 */
static void pt_enomem_installs_nothing(struct kunit *test)
{
	const unsigned long far = 512UL * SZ_1G;	/* a new root entry */
	struct iox_pt *pt = pt_alloc(test);
	struct iox_leaf leaf;
	unsigned long nth;

	KUNIT_ASSERT_EQ(test, iox_pt_init(pt, &lpae_4k, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, map_run(pt, BASE, BASE, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 4);
	for (nth = 1; nth <= 3; nth++) {
		iox_compat_fail_nth(nth);
		KUNIT_EXPECT_EQ(test, map_run(pt, far, BASE, SZ_4K, 1),
				-ENOMEM);
		iox_compat_fail_nth(0);
		KUNIT_EXPECT_EQ_MSG(test, table_pages(pt), 4,
				    "allocation %lu failed", nth);
		KUNIT_EXPECT_EQ(test, READ_ONCE(((u64 *)pt->root)[1]), 0);
	}
	KUNIT_EXPECT_EQ(test, map_run(pt, far, BASE, SZ_4K, 1), 0);
	KUNIT_EXPECT_EQ(test, table_pages(pt), 7);
	KUNIT_ASSERT_EQ(test, pt->ops->iova_to_phys(pt, far, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.phys, BASE);
	iox_pt_destroy(pt);
}
#endif

static struct kunit_case iox_pt_test_cases[] = {
	KUNIT_CASE(pt_table_accounting),
	KUNIT_CASE(pt_emptied_tables_go),
	KUNIT_CASE(pt_leaves_in_order),
	KUNIT_CASE(pt_rejects_impossible_shapes),
#ifdef IOX_USERSPACE
	KUNIT_CASE(pt_noncoherent_cleans_per_range),
	KUNIT_CASE(pt_enomem_installs_nothing),
#endif
	{}
};

struct kunit_suite iox_pt_test_suite = {
	.name = "iox_pt",
	.test_cases = iox_pt_test_cases,
};
