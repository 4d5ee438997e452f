// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: bounce buffers of untrusted devices. A buffer that shares its
 * page with other data is copied into pages of its own, so the device
 * sees nothing but the buffer; its writes reach the buffer on unmap and on
 * dma_sync_*_for_cpu(), and nothing else of the page changes.
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "dma-test.h"

#define SECRET	0x5a
#define OFF	0x123
#define LEN	100

static int dma_untrusted_init(struct kunit *test)
{
	return iox_dma_env_init(test, IOX_DOMAIN_DMA, IOX_DMA_UNTRUSTED);
}

/* What the device reads and writes, through its translation. */
static u8 *dev_ptr(struct kunit *test, struct iox_dma_env *env,
		   dma_addr_t addr, u32 access)
{
	phys_addr_t phys;

	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr, access, &phys),
			0);
	return phys_to_virt(phys);
}

static void device_sees_only_the_buffer(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct iox_dma_stats st;
	dma_addr_t addr;
	unsigned int i;
	u8 *buf, *dev;

	KUNIT_ASSERT_NOT_NULL(test, page);
	buf = page_address(page);
	memset(buf, SECRET, PAGE_SIZE);
	for (i = 0; i < LEN; i++)
		buf[OFF + i] = (u8)i;

	addr = dma_map_single(env->dev, buf + OFF, LEN, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_EXPECT_EQ(test, addr & (PAGE_SIZE - 1), OFF);
	/* The page the device reaches is a copy with zeros around the data. */
	dev = dev_ptr(test, env, addr & PAGE_MASK, IOX_FAULT_READ);
	KUNIT_EXPECT_PTR_NE(test, dev, buf);
	for (i = 0; i < PAGE_SIZE; i++)
		if (dev[i] != (i >= OFF && i < OFF + LEN ? (u8)(i - OFF) : 0))
			break;
	KUNIT_EXPECT_EQ(test, i, PAGE_SIZE);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 1);
	dma_unmap_single(env->dev, addr, LEN, DMA_TO_DEVICE);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 0);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);

	/* Whole pages are not copied. */
	addr = dma_map_single(env->dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_EXPECT_PTR_EQ(test, dev_ptr(test, env, addr, IOX_FAULT_READ),
			    buf);
	dma_unmap_single(env->dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
	__free_pages(page, 0);
}

static void device_writes_come_back(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	phys_addr_t phys;
	dma_addr_t addr;
	unsigned int i;
	u8 *buf, *dev;

	KUNIT_ASSERT_NOT_NULL(test, page);
	buf = page_address(page);
	memset(buf, SECRET, PAGE_SIZE);

	addr = dma_map_single(env->dev, buf + OFF, LEN, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	dev = dev_ptr(test, env, addr, IOX_FAULT_WRITE);
	/* The device writes half of it; sync, then the rest; unmap. */
	for (i = 0; i < LEN / 2; i++)
		dev[i] = (u8)(0x80 + i);
	dma_sync_single_for_cpu(env->dev, addr, LEN, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, buf[OFF], 0x80);
	KUNIT_EXPECT_EQ(test, buf[OFF + LEN / 2], SECRET);
	dma_sync_single_for_device(env->dev, addr, LEN, DMA_FROM_DEVICE);
	for (i = LEN / 2; i < LEN; i++)
		dev[i] = (u8)(0x80 + i);
	dma_unmap_single(env->dev, addr, LEN, DMA_FROM_DEVICE);

	for (i = 0; i < PAGE_SIZE; i++)
		if (buf[i] != (i >= OFF && i < OFF + LEN ?
			       (u8)(0x80 + i - OFF) : SECRET))
			break;
	KUNIT_EXPECT_EQ(test, i, PAGE_SIZE);
	/* Unmapped and invalidated before the copy back: it faults now. */
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr,
						     IOX_FAULT_WRITE, &phys),
			-EFAULT);
	__free_pages(page, 0);
}

static void bounced_sg_and_bad_unmaps(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct scatterlist sgl[2];
	struct iox_dma_stats st;
	u8 *buf, *dev;
	dma_addr_t addr;

	KUNIT_ASSERT_NOT_NULL(test, page);
	buf = page_address(page);
	memset(buf, SECRET, PAGE_SIZE);
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], page, 0x40, 0x10);
	sg_set_page(&sgl[1], page, 0x40, 0x800);
	KUNIT_ASSERT_EQ(test, dma_map_sg(env->dev, sgl, 2, DMA_BIDIRECTIONAL),
			2);
	dev = dev_ptr(test, env, sg_dma_address(&sgl[1]) & PAGE_MASK,
		      IOX_FAULT_READ);
	/* The second segment's copy holds nothing of the first. */
	KUNIT_EXPECT_EQ(test, dev[0x10], 0);
	KUNIT_EXPECT_EQ(test, dev[0x800], SECRET);
	dev[0x801] = 0x11;
	dma_sync_sg_for_cpu(env->dev, sgl, 2, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, buf[0x801], 0x11);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 2);
	dma_unmap_sg(env->dev, sgl, 2, DMA_BIDIRECTIONAL);

	/* A bounced address unmapped with another size: refused, kept. */
	addr = dma_map_single(env->dev, buf + 8, 16, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	dma_unmap_single(env->dev, addr, 32, DMA_TO_DEVICE);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 1);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 1);
	dma_unmap_single(env->dev, addr, 16, DMA_TO_DEVICE);
	dma_unmap_single(env->dev, addr, 16, DMA_TO_DEVICE);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 2);
	KUNIT_EXPECT_EQ(test, st.live_bounces, 0);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	__free_pages(page, 0);
}

static struct kunit_case iox_dma_bounce_test_cases[] = {
	KUNIT_CASE(device_sees_only_the_buffer),
	KUNIT_CASE(device_writes_come_back),
	KUNIT_CASE(bounced_sg_and_bad_unmaps),
	{}
};

struct kunit_suite iox_dma_bounce_test_suite = {
	.name = "iox_dma_bounce",
	.init = dma_untrusted_init,
	.exit = iox_dma_env_exit,
	.test_cases = iox_dma_bounce_test_cases,
};
