// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the DMA-API backend through the standard dma_*() calls, on the
 * mock unit - single mappings, scatterlist merging rules, the DMA mask,
 * coherent buffers, MMIO resources and bad input.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "dma-test.h"

static int dma_strict_init(struct kunit *test)
{
	return iox_dma_env_init(test, IOX_DOMAIN_DMA, 0);
}

/* A page block for the case, freed at the end of it. */
static struct page *dma_test_pages(struct kunit *test, unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);

	KUNIT_ASSERT_NOT_NULL(test, page);
	return page;
}

static void map_single_translates(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = dma_test_pages(test, 1);
	char *buf = page_address(page);
	static const unsigned int offs[] = { 0, 0x10, 0xff8, 0x1000 };
	dma_addr_t addr[ARRAY_SIZE(offs)];
	struct iox_dma_stats st;
	phys_addr_t phys;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		addr[i] = dma_map_single(env->dev, buf + offs[i], 0x20,
					 DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr[i]));
		/* The IOVA keeps the buffer's offset in its page. */
		KUNIT_EXPECT_EQ(test, addr[i] & (PAGE_SIZE - 1),
				(offs[i] & (PAGE_SIZE - 1)));
		KUNIT_EXPECT_NE(test, addr[i] & PAGE_MASK, 0);
		KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr[i] + 7,
							     IOX_FAULT_WRITE,
							     &phys), 0);
		KUNIT_EXPECT_EQ(test, phys, virt_to_phys(buf + offs[i] + 7));
	}
	/* The one crossing into the second page translates there too. */
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr[2] + 0x10,
						     IOX_FAULT_READ, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, virt_to_phys(buf + 0x1008));
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, ARRAY_SIZE(offs));
	for (i = 0; i < ARRAY_SIZE(offs); i++)
		dma_unmap_single(env->dev, addr[i], 0x20, DMA_BIDIRECTIONAL);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	__free_pages(page, 1);
}

static void direction_is_permission(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = dma_test_pages(test, 0);
	phys_addr_t phys;
	dma_addr_t to, from;

	to = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	from = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, to));
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, from));
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, to, IOX_FAULT_READ,
						     &phys), 0);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, to, IOX_FAULT_WRITE,
						     &phys), -EFAULT);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, from,
						     IOX_FAULT_WRITE, &phys), 0);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, from, IOX_FAULT_READ,
						     &phys), -EFAULT);
	dma_unmap_page(env->dev, to, PAGE_SIZE, DMA_TO_DEVICE);
	dma_unmap_page(env->dev, from, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_pages(page, 0);
}

static void strict_unmap_faults_at_once(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = dma_test_pages(test, 0);
	phys_addr_t phys;
	dma_addr_t addr;

	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	/* The access fills the IOTLB: only an invalidation empties it. */
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), 0);
	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), -EFAULT);
	__free_pages(page, 0);
}

/*
 * IOX_DMA_GUARD: the granule after every mapping, single or a whole
 * scatterlist, stays unmapped, so an overrun faults. Without it the
 * top-down ranges abut and the same overrun reaches the next buffer.
 */
static void guard_granule_faults(struct kunit *test)
{
	struct iox_dma_env *plain = test->priv, *env;
	struct page *pages = dma_test_pages(test, 2);
	dma_addr_t g[4], p[4], sg_end;
	struct scatterlist sgl[3];
	unsigned int i, abut = 0;
	phys_addr_t phys;

	env = iox_dma_env_create(test, NULL, IOX_DOMAIN_DMA, IOX_DMA_GUARD);
	KUNIT_ASSERT_NOT_NULL(test, env);
	for (i = 0; i < 4; i++) {
		g[i] = dma_map_page(env->dev, pages + i, 0, PAGE_SIZE,
				    DMA_BIDIRECTIONAL);
		p[i] = dma_map_page(plain->dev, pages + i, 0, PAGE_SIZE,
				    DMA_BIDIRECTIONAL);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, g[i]));
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(plain->dev, p[i]));
	}
	for (i = 0; i < 4; i++) {
		dma_addr_t end = g[i] + PAGE_SIZE;

		KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, end - 1,
							     IOX_FAULT_WRITE,
							     &phys), 0);
		KUNIT_EXPECT_EQ(test, phys,
				page_to_phys(pages + i) + PAGE_SIZE - 1);
		KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, end,
							     IOX_FAULT_WRITE,
							     &phys), -EFAULT);
		if (!iox_dma_env_dev_access(plain, p[i] + PAGE_SIZE,
					    IOX_FAULT_WRITE, &phys))
			abut++;
	}
	KUNIT_EXPECT_GE(test, abut, 3U);

	sg_init_table(sgl, 3);
	for (i = 0; i < 3; i++)
		sg_set_page(&sgl[i], pages + i, PAGE_SIZE, 0);
	KUNIT_ASSERT_EQ(test, dma_map_sg(env->dev, sgl, 3, DMA_TO_DEVICE), 1);
	sg_end = sg_dma_address(sgl) + sg_dma_len(sgl);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, sg_end - 1,
						     IOX_FAULT_READ, &phys), 0);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, sg_end,
						     IOX_FAULT_READ, &phys),
			-EFAULT);
	dma_unmap_sg(env->dev, sgl, 3, DMA_TO_DEVICE);

	for (i = 0; i < 4; i++) {
		dma_unmap_page(env->dev, g[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
		dma_unmap_page(plain->dev, p[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
	}
	iox_dma_env_destroy(env);
	__free_pages(pages, 2);
}

static void mask_is_honoured(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = dma_test_pages(test, 0);
	dma_addr_t addr[32];
	struct iox_dma_stats st;
	unsigned int i, n = 0;

	/* 64 KiB of IOVA: at most 15 pages, IOVA 0 is never handed out. */
	KUNIT_ASSERT_EQ(test, dma_set_mask(env->dev, DMA_BIT_MASK(16)), 0);
	for (i = 0; i < ARRAY_SIZE(addr); i++) {
		addr[i] = dma_map_page(env->dev, page, 0, PAGE_SIZE,
				       DMA_TO_DEVICE);
		if (dma_mapping_error(env->dev, addr[i]))
			break;
		KUNIT_EXPECT_LE(test, addr[i] + PAGE_SIZE - 1,
				DMA_BIT_MASK(16));
		KUNIT_EXPECT_NE(test, addr[i], 0);
		n++;
	}
	KUNIT_EXPECT_GT(test, n, 0);
	KUNIT_EXPECT_LE(test, n, 15);
	KUNIT_EXPECT_LT(test, n, ARRAY_SIZE(addr));
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.map_errors, 1);
	KUNIT_EXPECT_EQ(test, st.live_mappings, n);

	/* Given back, the space serves again. */
	for (i = 0; i < n; i++)
		dma_unmap_page(env->dev, addr[i], PAGE_SIZE, DMA_TO_DEVICE);
	addr[0] = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_FALSE(test, dma_mapping_error(env->dev, addr[0]));
	if (!dma_mapping_error(env->dev, addr[0]))
		dma_unmap_page(env->dev, addr[0], PAGE_SIZE, DMA_TO_DEVICE);

	/* A 32-bit device gets 32-bit addresses. */
	KUNIT_ASSERT_EQ(test, dma_set_mask(env->dev, DMA_BIT_MASK(32)), 0);
	addr[0] = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr[0]));
	KUNIT_EXPECT_LE(test, addr[0], DMA_BIT_MASK(32));
	dma_unmap_page(env->dev, addr[0], PAGE_SIZE, DMA_TO_DEVICE);
	__free_pages(page, 0);
}

static void bad_input_is_refused(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = dma_test_pages(test, 0);
	struct iox_dma_stats st;
	phys_addr_t phys;
	dma_addr_t addr, none;

	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));

	/* Zero length: an error, nothing mapped. */
	none = dma_map_page(env->dev, page, 0, 0, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_TRUE(test, dma_mapping_error(env->dev, none));
	/* A mask below every IOVA is not supported. */
	KUNIT_EXPECT_EQ(test, dma_set_mask(env->dev, 0xfff), -EIO);

	/* Never mapped, the error cookie, unmapped twice: refused. */
	dma_unmap_page(env->dev, addr + SZ_1M, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_unmap_page(env->dev, DMA_MAPPING_ERROR, PAGE_SIZE,
		       DMA_BIDIRECTIONAL);
	dma_unmap_page(env->dev, addr, 0, DMA_BIDIRECTIONAL);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 3);
	KUNIT_EXPECT_EQ(test, st.map_errors, 1);
	/* ... and the real mapping is untouched. */
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, page_to_phys(page));
	KUNIT_EXPECT_EQ(test, st.live_mappings, 1);

	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 4);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	__free_pages(page, 0);
}

/*
 * Check a mapped list: the DMA segments, read in order, cover every
 * original segment byte for byte, each translating to its pages.
 */
static void sg_check(struct kunit *test, struct iox_dma_env *env,
		     struct scatterlist *sgl, int nents, int count, u32 access)
{
	struct scatterlist *s, *d = sgl;
	unsigned int used = 0, probe;
	phys_addr_t phys;
	int i, segs = 1;
	dma_addr_t at;

	for_each_sg(sgl, s, nents, i) {
		if (used == sg_dma_len(d)) {
			d = sg_next(d);
			used = 0;
			segs++;
		}
		KUNIT_ASSERT_LE(test, used + s->length, sg_dma_len(d));
		for (probe = 0; probe < s->length; probe += s->length - 1) {
			at = sg_dma_address(d) + used + probe;
			KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, at,
								     access,
								     &phys), 0);
			KUNIT_EXPECT_EQ(test, phys, sg_phys(s) + probe);
			if (s->length == 1)
				break;
		}
		used += s->length;
	}
	KUNIT_EXPECT_EQ(test, used, sg_dma_len(d));
	KUNIT_EXPECT_EQ(test, segs, count);
}

/* Four pages from four blocks: not physically contiguous. */
static void sg_fill_pages(struct scatterlist *sgl, struct page **pages,
			  unsigned int n, unsigned int off, unsigned int len)
{
	unsigned int i;

	sg_init_table(sgl, n);
	for (i = 0; i < n; i++)
		sg_set_page(&sgl[i], pages[i], len, off);
}

static void sg_merge_rules(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct scatterlist sgl[4];
	struct page *pages[4];
	struct iox_mock_stats ms;
	struct iox_dma_stats st;
	unsigned long calls;
	phys_addr_t phys;
	dma_addr_t addr;
	unsigned int i;
	int count;

	/* Order 1: each block's two pages are physically contiguous. */
	for (i = 0; i < 4; i++)
		pages[i] = dma_test_pages(test, 1);

	/* Whole pages meet at page boundaries: one DMA segment. */
	sg_fill_pages(sgl, pages, 4, 0, PAGE_SIZE);
	count = dma_map_sg(env->dev, sgl, 4, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, count, 1);
	KUNIT_EXPECT_EQ(test, sg_dma_len(&sgl[0]), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sg_dma_len(&sgl[1]), 0);
	sg_check(test, env, sgl, 4, 1, IOX_FAULT_READ);
	dma_unmap_sg(env->dev, sgl, 4, DMA_TO_DEVICE);
	addr = sg_dma_address(&sgl[0]);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), -EFAULT);

	/* Not beyond the maximum segment size. */
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(env->dev, 2 * PAGE_SIZE),
			0);
	sg_fill_pages(sgl, pages, 4, 0, PAGE_SIZE);
	count = dma_map_sg(env->dev, sgl, 4, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, count, 2);
	sg_check(test, env, sgl, 4, 2, IOX_FAULT_READ);
	dma_unmap_sg(env->dev, sgl, 4, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(env->dev, SZ_64K), 0);

	/* Segments that do not end or start on a page stay apart. */
	sg_fill_pages(sgl, pages, 4, 0x100, 0x200);
	count = dma_map_sg(env->dev, sgl, 4, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, count, 4);
	sg_check(test, env, sgl, 4, 4, IOX_FAULT_WRITE);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, sg_dma_address(&sgl[i]) & 0xfff, 0x100);
	dma_unmap_sg(env->dev, sgl, 4, DMA_FROM_DEVICE);

	/* Mixed: a tail ending on a page merges with a head starting on one. */
	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], pages[0], PAGE_SIZE - 0x300, 0x300);
	sg_set_page(&sgl[1], pages[1], 0x80, 0);
	sg_set_page(&sgl[2], pages[2], PAGE_SIZE, 0);
	count = dma_map_sg(env->dev, sgl, 3, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, count, 2);
	sg_check(test, env, sgl, 3, 2,
		 IOX_FAULT_READ | IOX_FAULT_WRITE);
	dma_unmap_sg(env->dev, sgl, 3, DMA_BIDIRECTIONAL);

	/* A 16 KiB boundary: no DMA segment crosses one. */
	KUNIT_ASSERT_EQ(test, dma_set_seg_boundary(env->dev, SZ_16K - 1), 0);
	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], pages[0], 2 * PAGE_SIZE, 0);
	sg_set_page(&sgl[1], pages[1], 2 * PAGE_SIZE, 0);
	sg_set_page(&sgl[2], pages[2], 2 * PAGE_SIZE, 0);
	count = dma_map_sg(env->dev, sgl, 3, DMA_TO_DEVICE);
	KUNIT_ASSERT_GE(test, count, 2);
	sg_check(test, env, sgl, 3, count, IOX_FAULT_READ);
	for (i = 0; i < count; i++)
		KUNIT_EXPECT_EQ(test, sg_dma_address(&sgl[i]) / SZ_16K,
				(sg_dma_address(&sgl[i]) +
				 sg_dma_len(&sgl[i]) - 1) / SZ_16K);
	dma_unmap_sg(env->dev, sgl, 3, DMA_TO_DEVICE);

	/* Physically contiguous pages reach the unit as one map. */
	KUNIT_ASSERT_EQ(test, dma_set_seg_boundary(env->dev, ULONG_MAX), 0);
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], pages[0], PAGE_SIZE, 0);
	sg_set_page(&sgl[1], pages[0] + 1, PAGE_SIZE, 0);
	iox_mock_get_stats(env->mock, &ms);
	calls = ms.map_calls;
	KUNIT_ASSERT_EQ(test, dma_map_sg(env->dev, sgl, 2, DMA_TO_DEVICE), 1);
	sg_check(test, env, sgl, 2, 1, IOX_FAULT_READ);
	iox_mock_get_stats(env->mock, &ms);
	KUNIT_EXPECT_EQ(test, ms.map_calls - calls, 1);
	dma_unmap_sg(env->dev, sgl, 2, DMA_TO_DEVICE);

	/*
	 * Halves of those pages: each half gets granules of its own, so
	 * only a half ending a page and the next starting one meet, in the
	 * device's view (3 segments) and physically (3 maps).
	 */
	sg_init_table(sgl, 4);
	for (i = 0; i < 4; i++)
		sg_set_page(&sgl[i], pages[0] + i / 2, PAGE_SIZE / 2,
			    (i % 2) * PAGE_SIZE / 2);
	iox_mock_get_stats(env->mock, &ms);
	calls = ms.map_calls;
	KUNIT_ASSERT_EQ(test, dma_map_sg(env->dev, sgl, 4, DMA_TO_DEVICE), 3);
	sg_check(test, env, sgl, 4, 3, IOX_FAULT_READ);
	iox_mock_get_stats(env->mock, &ms);
	KUNIT_EXPECT_EQ(test, ms.map_calls - calls, 3);
	dma_unmap_sg(env->dev, sgl, 4, DMA_TO_DEVICE);

	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	for (i = 0; i < 4; i++)
		__free_pages(pages[i], 1);
}

static void sg_mask_and_exhaustion(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct scatterlist sgl[4];
	struct page *pages[4];
	struct iox_dma_stats st;
	unsigned int i;

	for (i = 0; i < 4; i++)
		pages[i] = dma_test_pages(test, 0);
	/* 15 pages of IOVA cannot take four lists of four pages. */
	KUNIT_ASSERT_EQ(test, dma_set_mask(env->dev, DMA_BIT_MASK(16)), 0);
	sg_fill_pages(sgl, pages, 4, 0, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, dma_map_sg(env->dev, sgl, 4, DMA_TO_DEVICE), 1);
	KUNIT_EXPECT_LE(test, sg_dma_address(&sgl[0]) + 4 * PAGE_SIZE - 1,
			DMA_BIT_MASK(16));
	{
		struct scatterlist more[3][4];
		int got = 0, j;

		for (j = 0; j < 3; j++) {
			sg_fill_pages(more[j], pages, 4, 0, PAGE_SIZE);
			if (dma_map_sg(env->dev, more[j], 4, DMA_TO_DEVICE))
				got++;
			else
				break;
		}
		KUNIT_EXPECT_LT(test, got, 3);
		iox_dma_env_stats(test, env, &st);
		KUNIT_EXPECT_EQ(test, st.map_errors, 1);
		while (got--)
			dma_unmap_sg(env->dev, more[got], 4, DMA_TO_DEVICE);
	}
	dma_unmap_sg(env->dev, sgl, 4, DMA_TO_DEVICE);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	for (i = 0; i < 4; i++)
		__free_pages(pages[i], 0);
}

static void coherent_buffers(struct kunit *test)
{
	static const size_t sizes[] = { 100, 3 * PAGE_SIZE, 64 * PAGE_SIZE };
	struct iox_dma_env *env = test->priv;
	struct iox_dma_stats st;
	phys_addr_t phys;
	dma_addr_t handle;
	unsigned int i;
	int ret;
	u8 *cpu;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		cpu = dma_alloc_coherent(env->dev, sizes[i], &handle,
					 GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, cpu);
		KUNIT_EXPECT_EQ(test, handle & (PAGE_SIZE - 1), 0);
		/* Zeroed, and what the CPU writes the device reads. */
		iox_dma_env_check_coherent(test, env, cpu, handle, sizes[i],
					   i + 1,
					   IOX_FAULT_READ | IOX_FAULT_WRITE);
		dma_free_coherent(env->dev, sizes[i], cpu, handle);
		ret = iox_dma_env_dev_access(env, handle, IOX_FAULT_READ,
					     &phys);
		KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	}
	/* A buffer the backend did not allocate is refused, not freed. */
	cpu = dma_alloc_coherent(env->dev, PAGE_SIZE, &handle, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	dma_free_coherent(env->dev, PAGE_SIZE, cpu + 64, handle);
	dma_free_coherent(env->dev, 2 * PAGE_SIZE, cpu, handle);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 2);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 1);
	dma_free_coherent(env->dev, PAGE_SIZE, cpu, handle);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
}

static void alloc_pages_and_resources(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct iox_leaf leaf;
	struct iox_domain *domain = iox_get_domain_for_dev(env->dev);
	dma_addr_t handle, res;
	phys_addr_t phys;
	struct page *page;

	page = dma_alloc_pages(env->dev, 2 * PAGE_SIZE, &handle,
			       DMA_FROM_DEVICE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, handle + PAGE_SIZE,
						     IOX_FAULT_WRITE, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, page_to_phys(page) + PAGE_SIZE);
	dma_free_pages(env->dev, 2 * PAGE_SIZE, page, handle, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, handle,
						     IOX_FAULT_WRITE, &phys),
			-EFAULT);

	/* Another device's registers: mapped as MMIO, never cached. */
	res = dma_map_resource(env->dev, 0xfe000000 + 0x40, 8, DMA_TO_DEVICE,
			       0);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, res));
	KUNIT_EXPECT_EQ(test, res & 0xfff, 0x40);
	KUNIT_ASSERT_EQ(test, iox_lookup(domain, res & PAGE_MASK, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.phys, 0xfe000000);
	KUNIT_EXPECT_TRUE(test, leaf.prot & IOX_MMIO);
	KUNIT_EXPECT_FALSE(test, leaf.prot & (IOX_CACHE | IOX_WRITE));
	dma_unmap_resource(env->dev, res, 8, DMA_TO_DEVICE, 0);

	/* Limits the backend reports to the DMA layer. */
	KUNIT_EXPECT_EQ(test, dma_get_merge_boundary(env->dev), PAGE_SIZE - 1);
	KUNIT_EXPECT_GE(test, dma_max_mapping_size(env->dev), (size_t)SZ_1G);
}

static void reserved_regions_never_handed_out(struct kunit *test)
{
	struct iox_mock_config cfg;
	struct iox_dma_env *env;
	struct page *page;
	dma_addr_t addr;
	unsigned int i, n;

	/* A 32-bit device next to the MSI window, 0xfee00000-0xfeefffff. */
	iox_mock_default_config(&cfg);
	cfg.msi_window = true;
	env = iox_dma_env_create(test, &cfg, IOX_DOMAIN_DMA, 0);
	KUNIT_ASSERT_NOT_NULL(test, env);
	page = alloc_pages(GFP_KERNEL, 0);
	if (!page)
		goto out;
	KUNIT_ASSERT_EQ(test, dma_set_mask(env->dev, DMA_BIT_MASK(32)), 0);
	/* 1 MiB mappings from the top of the mask down cross the window. */
	for (i = 0, n = 0; i < 64; i++) {
		addr = dma_map_resource(env->dev, page_to_phys(page), SZ_1M,
					DMA_TO_DEVICE, 0);
		if (dma_mapping_error(env->dev, addr))
			break;
		n++;
		KUNIT_EXPECT_TRUE(test, addr + SZ_1M - 1 < IOX_MOCK_MSI_START ||
				  addr > IOX_MOCK_MSI_START +
					 IOX_MOCK_MSI_LENGTH - 1);
	}
	KUNIT_EXPECT_EQ(test, n, 64);
	__free_pages(page, 0);
out:
	/* Detach drops what is left and reports it. */
	iox_dma_env_destroy(env);
}

static struct kunit_case iox_dma_test_cases[] = {
	KUNIT_CASE(map_single_translates),
	KUNIT_CASE(direction_is_permission),
	KUNIT_CASE(strict_unmap_faults_at_once),
	KUNIT_CASE(guard_granule_faults),
	KUNIT_CASE(mask_is_honoured),
	KUNIT_CASE(bad_input_is_refused),
	KUNIT_CASE(sg_merge_rules),
	KUNIT_CASE(sg_mask_and_exhaustion),
	KUNIT_CASE(coherent_buffers),
	KUNIT_CASE(alloc_pages_and_resources),
	{}
};

struct kunit_suite iox_dma_test_suite = {
	.name = "iox_dma",
	.init = dma_strict_init,
	.exit = iox_dma_env_exit,
	.test_cases = iox_dma_test_cases,
};

static struct kunit_case iox_dma_resv_test_cases[] = {
	KUNIT_CASE(reserved_regions_never_handed_out),
	{}
};

struct kunit_suite iox_dma_resv_test_suite = {
	.name = "iox_dma_resv",
	.test_cases = iox_dma_resv_test_cases,
};
