// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the DMA-API backend for devices that do not snoop CPU caches.
 *
 * The CPU caches are cleaned over a buffer before the device can reach it
 * and invalidated per direction on unmap and sync, never with
 * DMA_ATTR_SKIP_CPU_SYNC and never for a coherent device; coherent
 * buffers come from the uncached path. The maintenance itself is seen in
 * the userspace model, which logs it (iox_compat_dma_maint_*()); in a
 * kernel those cases are skipped and what can be seen there - a
 * non-coherent device is served, its DMA translates, its IOVAs are not
 * cacheable - is checked where devices can be non-coherent (arm64).
 */
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "dma-test.h"

static struct iox_dma_env *nc_env_for_stamp;

static int dma_nc_init(struct kunit *test)
{
	if (!iox_dma_env_noncoherent_possible())
		kunit_skip(test, "every device snoops CPU caches here");
	test->priv = iox_dma_env_create_noncoherent(test, NULL, IOX_DOMAIN_DMA,
						    0);
	return test->priv ? 0 : -ENOMEM;
}

static void dma_nc_exit(struct kunit *test)
{
	nc_env_for_stamp = NULL;
	iox_dma_env_exit(test);
}

#ifdef IOX_USERSPACE
/* The stamp of a maintenance: maps the unit had done by then. */
static unsigned long nc_map_calls(void)
{
	struct iox_mock_stats ms;

	if (!nc_env_for_stamp)
		return 0;
	iox_mock_get_stats(nc_env_for_stamp->mock, &ms);
	return ms.map_calls;
}

/* Whether the case can see maintenance; it is skipped if not. */
static void nc_need_log(struct kunit *test)
{
}

/* Start watching: empty log, stamps from @env's unit. */
static void nc_watch(struct kunit *test, struct iox_dma_env *env)
{
	nc_env_for_stamp = env;
	iox_compat_dma_maint_stamp = nc_map_calls;
	iox_compat_dma_maint_reset();
}

static unsigned int nc_count(void)
{
	return iox_compat_dma_maint_count();
}

/* Entry @i is exactly this maintenance; returns its stamp. */
static unsigned long nc_expect(struct kunit *test, unsigned int i,
			       bool for_cpu, phys_addr_t phys, size_t size)
{
	struct iox_compat_dma_maint m;

	KUNIT_ASSERT_TRUE(test, iox_compat_dma_maint_get(i, &m));
	KUNIT_EXPECT_EQ(test, m.for_cpu, for_cpu);
	KUNIT_EXPECT_EQ(test, m.phys, phys);
	KUNIT_EXPECT_EQ(test, m.size, size);
	return m.stamp;
}

static bool nc_uncached(const void *cpu_addr, size_t size)
{
	return iox_compat_dma_uncached(cpu_addr, size);
}
#else
/* Before the case allocates anything: a skip ends it at once. */
static void nc_need_log(struct kunit *test)
{
	kunit_skip(test, "cache maintenance is seen only in the userspace model");
}

static void nc_watch(struct kunit *test, struct iox_dma_env *env)
{
}

static unsigned int nc_count(void)
{
	return 0;
}

static unsigned long nc_expect(struct kunit *test, unsigned int i,
			       bool for_cpu, phys_addr_t phys, size_t size)
{
	return 0;
}

static bool nc_uncached(const void *cpu_addr, size_t size)
{
	return true;
}
#endif

static unsigned long nc_unit_maps(struct iox_dma_env *env)
{
	struct iox_mock_stats ms;

	iox_mock_get_stats(env->mock, &ms);
	return ms.map_calls;
}

/* Served (no longer -EOPNOTSUPP), translating, and not cacheable. */
static void nc_device_is_served(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct iox_domain *domain = iox_get_domain_for_dev(env->dev);
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct iox_leaf leaf;
	phys_addr_t phys;
	dma_addr_t addr;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, iox_dma_is_attached(env->dev));
	addr = dma_map_page(env->dev, page, 0x40, 0x80, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr,
						     IOX_FAULT_WRITE, &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, page_to_phys(page) + 0x40);
	KUNIT_ASSERT_EQ(test, iox_lookup(domain, addr, &leaf), 0);
	KUNIT_EXPECT_FALSE(test, leaf.prot & IOX_CACHE);
	/* The DMA layer must call the backend's syncs. */
	KUNIT_EXPECT_TRUE(test, dma_need_sync(env->dev, addr));
	dma_unmap_page(env->dev, addr, 0x80, DMA_BIDIRECTIONAL);
	__free_pages(page, 0);
}

/*
 * dma_map_page(): the mapped bytes, exactly, cleaned before the unit
 * maps them; dma_unmap_page(): invalidated for FROM_DEVICE and
 * BIDIRECTIONAL, nothing for TO_DEVICE.
 */
static void nc_map_unmap_per_direction(struct kunit *test)
{
	static const enum dma_data_direction dirs[] = {
		DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL,
	};
	struct iox_dma_env *env = test->priv;
	struct page *page;
	phys_addr_t phys;
	unsigned long maps;
	dma_addr_t addr;
	unsigned int i;

	nc_need_log(test);
	page = alloc_pages(GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page) + 0xf00;
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		nc_watch(test, env);
		maps = nc_unit_maps(env);
		/* Crosses into the second page. */
		addr = dma_map_page(env->dev, page, 0xf00, 0x300, dirs[i]);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
		KUNIT_ASSERT_EQ(test, nc_count(), 1);
		KUNIT_EXPECT_EQ(test, nc_expect(test, 0, false, phys, 0x300),
				maps);
		KUNIT_EXPECT_GT(test, nc_unit_maps(env), maps);
		dma_unmap_page(env->dev, addr, 0x300, dirs[i]);
		if (dirs[i] == DMA_TO_DEVICE) {
			KUNIT_EXPECT_EQ(test, nc_count(), 1);
		} else {
			KUNIT_ASSERT_EQ(test, nc_count(), 2);
			nc_expect(test, 1, true, phys, 0x300);
		}
	}
	__free_pages(page, 1);
}

static void nc_skip_cpu_sync_does_none(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page;
	struct scatterlist sgl[2];
	dma_addr_t addr;

	nc_need_log(test);
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	nc_watch(test, env);
	addr = dma_map_page_attrs(env->dev, page, 0, PAGE_SIZE,
				  DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	dma_unmap_page_attrs(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL,
			     DMA_ATTR_SKIP_CPU_SYNC);
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], page, 0x100, 0);
	sg_set_page(&sgl[1], page, 0x100, 0x800);
	KUNIT_ASSERT_GT(test, dma_map_sg_attrs(env->dev, sgl, 2,
					       DMA_FROM_DEVICE,
					       DMA_ATTR_SKIP_CPU_SYNC), 0);
	dma_unmap_sg_attrs(env->dev, sgl, 2, DMA_FROM_DEVICE,
			   DMA_ATTR_SKIP_CPU_SYNC);
	KUNIT_EXPECT_EQ(test, nc_count(), 0);
	__free_pages(page, 0);
}

/* dma_sync_single_*(): the synced bytes, per direction. */
static void nc_sync_single(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page;
	phys_addr_t phys;
	dma_addr_t addr;

	nc_need_log(test);
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = page_to_phys(page);
	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	nc_watch(test, env);
	dma_sync_single_for_cpu(env->dev, addr + 0x20, 0x40, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, nc_count(), 1);
	nc_expect(test, 0, true, phys + 0x20, 0x40);
	dma_sync_single_for_device(env->dev, addr + 0x100, 0x10,
				   DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, nc_count(), 2);
	nc_expect(test, 1, false, phys + 0x100, 0x10);
	/* Nothing for the CPU to drop after a transfer to the device. */
	dma_sync_single_for_cpu(env->dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, nc_count(), 2);
	dma_unmap_page_attrs(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL,
			     DMA_ATTR_SKIP_CPU_SYNC);
	__free_pages(page, 0);
}

/* Scatterlists: each segment by its CPU address, merged or not. */
static void nc_sg_segments(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct scatterlist sgl[3];
	struct page *pages[3];
	unsigned long maps;
	unsigned int i;
	int count;

	nc_need_log(test);
	for (i = 0; i < 3; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], pages[0], PAGE_SIZE - 0x200, 0x200);
	sg_set_page(&sgl[1], pages[1], PAGE_SIZE, 0);
	sg_set_page(&sgl[2], pages[2], 0x80, 0);
	nc_watch(test, env);
	maps = nc_unit_maps(env);
	count = dma_map_sg(env->dev, sgl, 3, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, count, 1);
	KUNIT_ASSERT_EQ(test, nc_count(), 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, nc_expect(test, i, false,
						sg_phys(&sgl[i]),
						sgl[i].length), maps);

	dma_sync_sg_for_cpu(env->dev, sgl, 3, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, nc_count(), 6);
	for (i = 0; i < 3; i++)
		nc_expect(test, 3 + i, true, sg_phys(&sgl[i]), sgl[i].length);
	dma_sync_sg_for_device(env->dev, sgl, 3, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, nc_count(), 9);
	for (i = 0; i < 3; i++)
		nc_expect(test, 6 + i, false, sg_phys(&sgl[i]), sgl[i].length);

	dma_unmap_sg(env->dev, sgl, 3, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, nc_count(), 12);
	for (i = 0; i < 3; i++)
		nc_expect(test, 9 + i, true, sg_phys(&sgl[i]), sgl[i].length);

	/* TO_DEVICE: cleaned on map, nothing on unmap. */
	nc_watch(test, env);
	KUNIT_ASSERT_EQ(test, dma_map_sg(env->dev, sgl, 3, DMA_TO_DEVICE), 1);
	dma_unmap_sg(env->dev, sgl, 3, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, nc_count(), 3);
	for (i = 0; i < 3; i++)
		__free_pages(pages[i], 0);
}

/* Coherent buffers: the uncached path, mapped at the pages behind it. */
static void nc_coherent_buffers_uncached(struct kunit *test)
{
	static const size_t sizes[] = { 100, 3 * PAGE_SIZE, 16 * PAGE_SIZE };
	struct iox_dma_env *env = test->priv;
	struct iox_dma_stats st;
	dma_addr_t handle;
	unsigned int i;
	u8 *cpu;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		cpu = dma_alloc_attrs(env->dev, sizes[i], &handle,
				      i == 1 ? GFP_ATOMIC : GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, cpu);
		KUNIT_EXPECT_TRUE(test, nc_uncached(cpu, sizes[i]));
		/* The device reaches what the CPU wrote through its alias. */
		iox_dma_env_check_coherent(test, env, cpu, handle, sizes[i],
					   i + 1, IOX_FAULT_READ);
		dma_free_coherent(env->dev, sizes[i], cpu, handle);
#ifdef IOX_USERSPACE
		KUNIT_EXPECT_FALSE(test, nc_uncached(cpu, 1));
#endif
	}
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
}

/* dma_alloc_pages(): cacheable, its zeroing cleaned before use. */
static void nc_alloc_pages_cleaned(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	dma_addr_t handle;
	struct page *page;

	nc_need_log(test);
	nc_watch(test, env);
	page = dma_alloc_pages(env->dev, 2 * PAGE_SIZE, &handle,
			       DMA_FROM_DEVICE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, nc_count(), 1);
	nc_expect(test, 0, false, page_to_phys(page), 2 * PAGE_SIZE);
	dma_free_pages(env->dev, 2 * PAGE_SIZE, page, handle, DMA_FROM_DEVICE);
}

/*
 * Untrusted and non-coherent: the bounce copy is what the device sees, so
 * it is what is cleaned (all its granules: the backend wrote them) and
 * invalidated before the device's writes are copied back.
 */
static void nc_bounce(struct kunit *test)
{
	struct iox_dma_env *env;
	struct page *page;
	phys_addr_t bounce;
	dma_addr_t addr;
	u8 *buf;

	nc_need_log(test);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	buf = page_address(page);
	env = iox_dma_env_create_noncoherent(test, NULL, IOX_DOMAIN_DMA,
					     IOX_DMA_UNTRUSTED);
	KUNIT_ASSERT_NOT_NULL(test, env);
	nc_watch(test, env);
	addr = dma_map_single(env->dev, buf + 0x10, 0x30, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr,
						     IOX_FAULT_WRITE, &bounce),
			0);
	KUNIT_EXPECT_NE(test, bounce, page_to_phys(page) + 0x10);
	KUNIT_ASSERT_EQ(test, nc_count(), 1);
	nc_expect(test, 0, false, bounce - 0x10, PAGE_SIZE);
	*(u8 *)phys_to_virt(bounce) = 0xab;

	dma_sync_single_for_cpu(env->dev, addr, 0x30, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, nc_count(), 2);
	nc_expect(test, 1, true, bounce, 0x30);
	KUNIT_EXPECT_EQ(test, buf[0x10], 0xab);

	dma_unmap_single(env->dev, addr, 0x30, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, nc_count(), 3);
	nc_expect(test, 2, true, bounce, 0x30);
	KUNIT_EXPECT_EQ(test, buf[0x10], 0xab);
	iox_dma_env_destroy(env);
	__free_pages(page, 0);
}

/* A coherent device: no maintenance, no sync ops, a cached buffer. */
static void nc_coherent_device_untouched(struct kunit *test)
{
	struct iox_dma_env *env;
	struct page *page;
	struct scatterlist sgl[2];
	dma_addr_t addr, handle;
	void *cpu;

	nc_need_log(test);
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	env = iox_dma_env_create(test, NULL, IOX_DOMAIN_DMA, 0);
	KUNIT_ASSERT_NOT_NULL(test, env);
	nc_watch(test, env);
	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_EXPECT_FALSE(test, dma_need_sync(env->dev, addr));
	dma_sync_single_for_cpu(env->dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_sync_single_for_device(env->dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], page, 0x100, 0);
	sg_set_page(&sgl[1], page, 0x100, 0x800);
	KUNIT_ASSERT_GT(test, dma_map_sg(env->dev, sgl, 2, DMA_FROM_DEVICE), 0);
	dma_unmap_sg(env->dev, sgl, 2, DMA_FROM_DEVICE);
	cpu = dma_alloc_coherent(env->dev, PAGE_SIZE, &handle, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	KUNIT_EXPECT_EQ(test, nc_count(), 0);
#ifdef IOX_USERSPACE
	KUNIT_EXPECT_FALSE(test, nc_uncached(cpu, PAGE_SIZE));
#endif
	dma_free_coherent(env->dev, PAGE_SIZE, cpu, handle);
	iox_dma_env_destroy(env);
	__free_pages(page, 0);
}

static struct kunit_case iox_dma_nc_test_cases[] = {
	KUNIT_CASE(nc_device_is_served),
	KUNIT_CASE(nc_map_unmap_per_direction),
	KUNIT_CASE(nc_skip_cpu_sync_does_none),
	KUNIT_CASE(nc_sync_single),
	KUNIT_CASE(nc_sg_segments),
	KUNIT_CASE(nc_coherent_buffers_uncached),
	KUNIT_CASE(nc_alloc_pages_cleaned),
	KUNIT_CASE(nc_bounce),
	KUNIT_CASE(nc_coherent_device_untouched),
	{}
};

struct kunit_suite iox_dma_nc_test_suite = {
	.name = "iox_dma_noncoherent",
	.init = dma_nc_init,
	.exit = dma_nc_exit,
	.test_cases = iox_dma_nc_test_cases,
};
