// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: invalidation policies of the DMA-API backend, checked with the
 * mock unit's software IOTLB - in a lazy domain an unmapped IOVA keeps
 * translating until the flush queue is flushed, and is not handed out
 * again before; then it faults. Untrusted devices are strict always.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include "dma-test.h"
#include "pt-shapes.h"

static int dma_lazy_init(struct kunit *test)
{
	return iox_dma_env_init(test, IOX_DOMAIN_DMA_FQ, 0);
}

static void lazy_unmap_stale_until_flush(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	dma_addr_t addr, other[8];
	struct iox_dma_stats st;
	phys_addr_t phys;
	unsigned int i, j;

	KUNIT_ASSERT_NOT_NULL(test, page);
	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), 0);
	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);

	/* Unmapped, not invalidated: the IOTLB still translates it ... */
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), 0);
	KUNIT_EXPECT_EQ(test, phys, page_to_phys(page));
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.fq_pending, 1);
	/*
	 * ... so it is not handed out again, nor are the IOVAs unmapped
	 * since, though every unmap gives the queue a chance to release.
	 */
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		other[i] = dma_map_page(env->dev, page, 0, PAGE_SIZE,
					DMA_TO_DEVICE);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, other[i]));
		KUNIT_EXPECT_NE(test, other[i], addr);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, other[i], other[j]);
		dma_unmap_page(env->dev, other[i], PAGE_SIZE, DMA_TO_DEVICE);
	}
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), 0);

	iox_dma_flush(env->dev);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr, IOX_FAULT_READ,
						     &phys), -EFAULT);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.fq_pending, 0);
	KUNIT_EXPECT_GE(test, st.fq_flushes, 1);
	__free_pages(page, 0);
}

static void lazy_timer_flushes(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct iox_dma_stats st;
	phys_addr_t phys;
	dma_addr_t addr;
	unsigned int waited;

	KUNIT_ASSERT_NOT_NULL(test, page);
	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr));
	KUNIT_ASSERT_EQ(test, iox_dma_env_dev_access(env, addr,
						     IOX_FAULT_WRITE, &phys), 0);
	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
	/* Nobody flushes: the timer must, within a few of its periods. */
	for (waited = 0; waited < 2000; waited += 20) {
		iox_dma_env_stats(test, env, &st);
		if (!st.fq_pending)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, st.fq_pending, 0);
	KUNIT_EXPECT_LT(test, waited, 2000);
	KUNIT_EXPECT_EQ(test, iox_dma_env_dev_access(env, addr,
						     IOX_FAULT_WRITE, &phys),
			-EFAULT);
	__free_pages(page, 0);
}

static void lazy_queue_is_bounded(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct iox_dma_stats st;
	dma_addr_t *addr;
	unsigned int i, n = 4 * 256 + 1;

	KUNIT_ASSERT_NOT_NULL(test, page);
	addr = kunit_kcalloc(test, n, sizeof(*addr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	for (i = 0; i < n; i++) {
		addr[i] = dma_map_page(env->dev, page, 0, PAGE_SIZE,
				       DMA_TO_DEVICE);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(env->dev, addr[i]));
	}
	for (i = 0; i < n; i++)
		dma_unmap_page(env->dev, addr[i], PAGE_SIZE, DMA_TO_DEVICE);
	iox_dma_env_stats(test, env, &st);
	/* Each CPU's ring holds at most 255; full rings flushed themselves. */
	KUNIT_EXPECT_LE(test, st.fq_pending, num_possible_cpus() * 255UL);
	if (num_possible_cpus() == 1)
		KUNIT_EXPECT_GE(test, st.fq_flushes, 4);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	iox_dma_flush(env->dev);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.fq_pending, 0);
	__free_pages(page, 0);
}

#define WORKERS		4
#define WORKER_ROUNDS	500

struct dma_worker {
	struct iox_dma_env *env;
	struct page *page;
	struct completion done;
	unsigned long errors;
};

/* Map, let the device reach it, unmap: the queue and timer run alongside. */
static int dma_worker_fn(void *data)
{
	struct dma_worker *w = data;
	unsigned int round, len;
	phys_addr_t phys;
	dma_addr_t addr;

	for (round = 0; round < WORKER_ROUNDS; round++) {
		len = PAGE_SIZE * (1 + round % 4) - (round % 3) * 64;
		addr = dma_map_page(w->env->dev, w->page, 0, len,
				    DMA_BIDIRECTIONAL);
		if (dma_mapping_error(w->env->dev, addr)) {
			w->errors++;
			continue;
		}
		if (iox_dma_env_dev_access(w->env, addr + len - 1,
					   IOX_FAULT_WRITE, &phys) ||
		    phys != page_to_phys(w->page) + len - 1)
			w->errors++;
		dma_unmap_page(w->env->dev, addr, len, DMA_BIDIRECTIONAL);
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

static void lazy_concurrent_map_unmap(struct kunit *test)
{
	struct iox_dma_env *env = test->priv;
	struct iox_dma_stats st;
	unsigned int i, started = 0;
	struct dma_worker *w;

	w = kunit_kcalloc(test, WORKERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < WORKERS; i++) {
		w[i].env = env;
		w[i].page = alloc_pages(GFP_KERNEL, 2);
		KUNIT_ASSERT_NOT_NULL(test, w[i].page);
		init_completion(&w[i].done);
	}
	for (i = 0; i < WORKERS; i++) {
		if (IS_ERR(kthread_run(dma_worker_fn, &w[i], "iox-dma%u", i)))
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		wait_for_completion(&w[i].done);
	KUNIT_EXPECT_EQ(test, started, WORKERS);
	for (i = 0; i < started; i++)
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0, "worker %u", i);
	iox_dma_flush(env->dev);
	iox_dma_env_stats(test, env, &st);
	KUNIT_EXPECT_EQ(test, st.live_mappings, 0);
	KUNIT_EXPECT_EQ(test, st.fq_pending, 0);
	KUNIT_EXPECT_EQ(test, st.bad_unmaps, 0);
	for (i = 0; i < WORKERS; i++)
		__free_pages(w[i].page, 2);
}

/*
 * Table pages an unmap frees wait for the flush like the IOVA does: a
 * 512-page list fills one leaf table of the engine exactly.
 */
static void lazy_table_pages_freed_after_flush(struct kunit *test)
{
	struct iox_mock_config cfg;
	struct iox_dma_env *env;
	struct iox_pt *pt;
	struct scatterlist *sgl;
	struct page *page;
	dma_addr_t addr;
	long tables;
	int count;
	unsigned int i;

	iox_mock_default_config(&cfg);
	cfg.use_pt = true;
	cfg.pt = iox_pt_shapes[0].cfg;
	env = iox_dma_env_create(test, &cfg, IOX_DOMAIN_DMA_FQ, 0);
	KUNIT_ASSERT_NOT_NULL(test, env);
	sgl = kunit_kcalloc(test, 512, sizeof(*sgl), GFP_KERNEL);
	page = alloc_pages(GFP_KERNEL, 0);
	if (!sgl || !page) {
		KUNIT_FAIL(test, "no memory");
		goto out;
	}
	sg_init_table(sgl, 512);
	for (i = 0; i < 512; i++)
		sg_set_page(&sgl[i], page, PAGE_SIZE, 0);
	pt = iox_mock_domain_pt(iox_get_domain_for_dev(env->dev));
	KUNIT_ASSERT_NOT_NULL(test, pt);
	tables = atomic_long_read(&pt->table_pages);
	count = dma_map_sg(env->dev, sgl, 512, DMA_TO_DEVICE);
	KUNIT_EXPECT_GE(test, count, 1);
	KUNIT_EXPECT_GT(test, atomic_long_read(&pt->table_pages), tables);
	addr = dma_map_page(env->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_FALSE(test, dma_mapping_error(env->dev, addr));
	tables = atomic_long_read(&pt->table_pages);
	if (count > 0)
		dma_unmap_sg(env->dev, sgl, 512, DMA_TO_DEVICE);
	/* Another unmap lets the queue release what a flush covered: none. */
	dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
	/* Unlinked, but the IOTLB (and a walker) may still use it. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pt->table_pages), tables);
	iox_dma_flush(env->dev);
	KUNIT_EXPECT_LT(test, atomic_long_read(&pt->table_pages), tables);
out:
	if (page)
		__free_pages(page, 0);
	iox_dma_env_destroy(env);
}

static void untrusted_is_strict(struct kunit *test)
{
	struct iox_dma_env *env;
	struct page *page;
	struct iox_dma_stats st;
	phys_addr_t phys;
	dma_addr_t addr;
	int ret;

	env = iox_dma_env_create(test, NULL, IOX_DOMAIN_DMA_FQ,
				 IOX_DMA_UNTRUSTED);
	KUNIT_ASSERT_NOT_NULL(test, env);
	page = alloc_pages(GFP_KERNEL, 0);
	if (page) {
		addr = dma_map_page(env->dev, page, 0, PAGE_SIZE,
				    DMA_TO_DEVICE);
		KUNIT_EXPECT_FALSE(test, dma_mapping_error(env->dev, addr));
		ret = iox_dma_env_dev_access(env, addr, IOX_FAULT_READ, &phys);
		KUNIT_EXPECT_EQ(test, ret, 0);
		dma_unmap_page(env->dev, addr, PAGE_SIZE, DMA_TO_DEVICE);
		ret = iox_dma_env_dev_access(env, addr, IOX_FAULT_READ, &phys);
		KUNIT_EXPECT_EQ(test, ret, -EFAULT);
		iox_dma_env_stats(test, env, &st);
		KUNIT_EXPECT_EQ(test, st.fq_pending, 0);
		KUNIT_EXPECT_EQ(test, st.fq_flushes, 0);
		__free_pages(page, 0);
	}
	iox_dma_env_destroy(env);
}

static struct kunit_case iox_dma_fq_test_cases[] = {
	KUNIT_CASE(lazy_unmap_stale_until_flush),
	KUNIT_CASE(lazy_timer_flushes),
	KUNIT_CASE(lazy_queue_is_bounded),
	KUNIT_CASE(lazy_concurrent_map_unmap),
	{}
};

struct kunit_suite iox_dma_fq_test_suite = {
	.name = "iox_dma_fq",
	.init = dma_lazy_init,
	.exit = iox_dma_env_exit,
	.test_cases = iox_dma_fq_test_cases,
};

static struct kunit_case iox_dma_policy_test_cases[] = {
	KUNIT_CASE(lazy_table_pages_freed_after_flush),
	KUNIT_CASE(untrusted_is_strict),
	{}
};

struct kunit_suite iox_dma_policy_test_suite = {
	.name = "iox_dma_policy",
	.test_cases = iox_dma_policy_test_cases,
};
