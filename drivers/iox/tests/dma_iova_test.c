// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the DMA-API backend's two-step API on the mock unit - a range
 * taken once, pieces linked and unlinked at the caller's offsets, memory
 * types (normal, peer-to-peer as MMIO, encrypted bounced), bad input;
 * and caller-chosen (fixed) mappings in a claimed window.
 */
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "dma-test.h"

static int dma_iova_init(struct kunit *test)
{
	return iox_dma_env_init(test, IOX_DOMAIN_DMA, 0);
}

static int dev_at(struct iox_dma_env *env, dma_addr_t addr, u32 access,
		  phys_addr_t *phys)
{
	return iox_dma_env_dev_access(env, addr, access, phys);
}

static void pieces_make_one_range(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct iox_dma_iova_state state;
	struct iox_dma_stats st;
	struct page *pages[3];
	phys_addr_t phys;
	dma_addr_t addr;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 1);	/* scattered */
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	KUNIT_ASSERT_TRUE(test, iox_dma_iova_try_alloc(env->dev, &state,
						       page_to_phys(pages[0]),
						       3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, state.addr & (PAGE_SIZE - 1), 0);
	/* Out of order, as faults bring pages in. */
	for (i = 3; i-- > 0;)
		KUNIT_ASSERT_EQ(test, iox_dma_iova_link(env->dev, &state,
							page_to_phys(pages[i]),
							i * PAGE_SIZE,
							PAGE_SIZE,
							DMA_BIDIRECTIONAL,
							IOX_DMA_MEM_NORMAL), 0);
	KUNIT_EXPECT_EQ(test, iox_dma_iova_sync(env->dev, &state, 0,
						3 * PAGE_SIZE), 0);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, dev_at(env, state.addr + i * PAGE_SIZE +
					     5, IOX_FAULT_WRITE, &phys), 0);
		KUNIT_EXPECT_EQ(test, phys, page_to_phys(pages[i]) + 5);
	}
	/* The middle piece goes: it faults at once, the others stay. */
	iox_dma_iova_unlink(env->dev, &state, PAGE_SIZE, PAGE_SIZE,
			    DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dev_at(env, state.addr + PAGE_SIZE,
				     IOX_FAULT_READ, &phys), -EFAULT);
	KUNIT_EXPECT_EQ(test, dev_at(env, state.addr + 2 * PAGE_SIZE,
				     IOX_FAULT_READ, &phys), 0);
	/* ... and can come back, another page in its place. */
	KUNIT_ASSERT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(pages[0] + 1),
						PAGE_SIZE, PAGE_SIZE,
						DMA_TO_DEVICE,
						IOX_DMA_MEM_NORMAL), 0);
	KUNIT_ASSERT_EQ(test, dev_at(env, state.addr + PAGE_SIZE,
				     IOX_FAULT_READ, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, page_to_phys(pages[0] + 1));
	addr = state.addr;
	iox_dma_iova_destroy(env->dev, &state, 3 * PAGE_SIZE,
			     DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, state.addr, 0);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, dev_at(env, addr + i * PAGE_SIZE,
					     IOX_FAULT_READ, &phys), -EFAULT);
	for (i = 0; i < 3; i++)
		__free_pages(pages[i], 1);
}

static void memory_types(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct iox_domain *dom = iox_get_domain_for_dev(env->dev);
	struct iox_dma_iova_state state;
	struct page *page = alloc_page(GFP_KERNEL);
	struct iox_dma_stats st;
	struct iox_leaf leaf;
	phys_addr_t phys;
	u8 *buf, *dev;

	KUNIT_ASSERT_NOT_NULL(test, page);
	buf = page_address(page);
	memset(buf, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, iox_dma_iova_try_alloc(env->dev, &state, 0,
						       2 * PAGE_SIZE));
	/* Peer-to-peer: another device's BAR, mapped as MMIO. */
	KUNIT_ASSERT_EQ(test, iox_dma_iova_link(env->dev, &state, 0xfe000000,
						0, PAGE_SIZE, DMA_TO_DEVICE,
						IOX_DMA_MEM_P2P), 0);
	KUNIT_ASSERT_EQ(test, iox_lookup(dom, state.addr, &leaf), 0);
	KUNIT_EXPECT_EQ(test, leaf.phys, 0xfe000000);
	KUNIT_EXPECT_TRUE(test, leaf.prot & IOX_MMIO);
	KUNIT_EXPECT_FALSE(test, leaf.prot & IOX_CACHE);

	/* Encrypted: the device reaches a copy, its writes come back. */
	KUNIT_ASSERT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(page), PAGE_SIZE,
						PAGE_SIZE, DMA_BIDIRECTIONAL,
						IOX_DMA_MEM_ENCRYPTED), 0);
	KUNIT_ASSERT_EQ(test, dev_at(env, state.addr + PAGE_SIZE,
				     IOX_FAULT_WRITE, &phys), 0);
	KUNIT_EXPECT_NE(test, phys, page_to_phys(page));
	dev = phys_to_virt(phys);
	KUNIT_EXPECT_EQ(test, dev[100], 0x5a);
	/* A CPU write after the link reaches the copy on sync. */
	buf[200] = 0x33;
	KUNIT_EXPECT_EQ(test, iox_dma_iova_sync(env->dev, &state, PAGE_SIZE,
						PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, dev[200], 0x33);
	dev[100] = 0x77;
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 1);
	iox_dma_iova_destroy(env->dev, &state, 2 * PAGE_SIZE,
			     DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, buf[100], 0x77);
	KUNIT_EXPECT_EQ(test, buf[101], 0x5a);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	__free_page(page);
}

static void bad_links_are_refused(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct iox_dma_iova_state state, none;
	struct page *page = alloc_page(GFP_KERNEL);
	struct iox_dma_stats st;
	struct device *plain;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_TRUE(test, iox_dma_iova_try_alloc(env->dev, &state,
						       0x100, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, state.addr & (PAGE_SIZE - 1), 0x100);
	/* Past the range, or at another offset in the granule. */
	KUNIT_EXPECT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(page) + 0x100,
						0, PAGE_SIZE + 1, DMA_TO_DEVICE,
						IOX_DMA_MEM_NORMAL), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(page), 0, 64,
						DMA_TO_DEVICE,
						IOX_DMA_MEM_NORMAL), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(page) + 0x100, 0,
						64, DMA_NONE,
						IOX_DMA_MEM_NORMAL), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(page) + 0x100, 0,
						64, DMA_TO_DEVICE,
						IOX_DMA_MEM_NORMAL), 0);
	/* The same granule twice. */
	KUNIT_EXPECT_EQ(test, iox_dma_iova_link(env->dev, &state,
						page_to_phys(page) + 0x140,
						0x40, 64, DMA_TO_DEVICE,
						IOX_DMA_MEM_NORMAL), -EEXIST);
	KUNIT_EXPECT_EQ(test, iox_dma_iova_sync(env->dev, &state, 0,
						2 * PAGE_SIZE), -EINVAL);
	/* Unlinking what is not linked: refused, counted. */
	iox_dma_iova_unlink(env->dev, &state, 0, 64, DMA_TO_DEVICE);
	iox_dma_iova_unlink(env->dev, &state, 0, 64, DMA_TO_DEVICE);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 1);
	iox_dma_iova_free(env->dev, &state);

	/* Nothing to take for a device the backend does not serve. */
	plain = iox_mock_device_alloc("iox-dma-plain");
	KUNIT_ASSERT_NOT_NULL(test, plain);
	KUNIT_EXPECT_FALSE(test, iox_dma_iova_try_alloc(plain, &none, 0,
							PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, none.addr, 0);
	iox_mock_device_free(plain);
	/* Nor beyond the mask. */
	KUNIT_ASSERT_EQ(test, dma_set_mask(env->dev, DMA_BIT_MASK(16)), 0);
	KUNIT_EXPECT_FALSE(test, iox_dma_iova_try_alloc(env->dev, &none, 0,
							SZ_64K));
	__free_page(page);
}

static void fixed_mappings(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct device *plain;
	phys_addr_t phys;
	dma_addr_t addr[4];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, iox_dma_fixed_capable(env->dev));
	/* A 16 MiB device; the upper half becomes the caller's. */
	KUNIT_ASSERT_EQ(test, dma_set_mask(env->dev, DMA_BIT_MASK(24)), 0);
	KUNIT_ASSERT_EQ(test, iox_dma_fixed_window(env->dev, SZ_8M, SZ_8M), 0);
	KUNIT_ASSERT_EQ(test, iox_dma_map_fixed(env->dev, SZ_8M + SZ_64K,
						page_to_phys(page),
						2 * PAGE_SIZE,
						DMA_BIDIRECTIONAL), 0);
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env,
						     SZ_8M + SZ_64K + PAGE_SIZE,
						     IOX_FAULT_WRITE, &phys),
			0);
	KUNIT_EXPECT_EQ(test, phys, page_to_phys(page) + PAGE_SIZE);
	/* The allocator keeps out of the window. */
	for (i = 0; i < ARRAY_SIZE(addr); i++) {
		addr[i] = dma_map_page(env->dev, page, 0, PAGE_SIZE,
				       DMA_TO_DEVICE);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr[i]));
		KUNIT_EXPECT_LT(test, addr[i], SZ_8M);
	}
	for (i = 0; i < ARRAY_SIZE(addr); i++)
		dma_unmap_page(env->dev, addr[i], PAGE_SIZE, DMA_TO_DEVICE);

	/* Bad input, nothing changed. */
	KUNIT_EXPECT_EQ(test, iox_dma_map_fixed(env->dev, SZ_4M,
						page_to_phys(page), PAGE_SIZE,
						DMA_TO_DEVICE), -ERANGE);
	KUNIT_EXPECT_EQ(test, iox_dma_map_fixed(env->dev, SZ_8M + SZ_64K,
						page_to_phys(page), PAGE_SIZE,
						DMA_TO_DEVICE), -EEXIST);
	KUNIT_EXPECT_EQ(test, iox_dma_map_fixed(env->dev, SZ_8M + 0x10,
						page_to_phys(page), PAGE_SIZE,
						DMA_TO_DEVICE), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_dma_fixed_window(env->dev, SZ_8M + 0x10,
						   PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, iox_dma_unmap_fixed(env->dev, SZ_8M + SZ_1M,
						  PAGE_SIZE), -ENOENT);
	plain = iox_mock_device_alloc("iox-dma-plain");
	KUNIT_ASSERT_NOT_NULL(test, plain);
	KUNIT_EXPECT_FALSE(test, iox_dma_fixed_capable(plain));
	KUNIT_EXPECT_EQ(test, iox_dma_fixed_window(plain, SZ_8M, SZ_8M),
			-ENODEV);
	iox_mock_device_free(plain);

	/* Strict: the device faults once the unmap returned. */
	KUNIT_EXPECT_EQ(test, iox_dma_unmap_fixed(env->dev, SZ_8M + SZ_64K,
						  2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env,
						     SZ_8M + SZ_64K + PAGE_SIZE,
						     IOX_FAULT_WRITE, &phys),
			-EFAULT);
	__free_pages(page, 1);
}

static struct kunit_case iox_dma_iova_test_cases[] = {
	KUNIT_CASE(fixed_mappings),
	KUNIT_CASE(pieces_make_one_range),
	KUNIT_CASE(memory_types),
	KUNIT_CASE(bad_links_are_refused),
	{}
};

struct kunit_suite iox_dma_iova_test_suite = {
	.name = "iox_dma_iova",
	.init = dma_iova_init,
	.exit = iox_dma_env_exit,
	.test_cases = iox_dma_iova_test_cases,
};
