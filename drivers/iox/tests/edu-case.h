/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one case of a unit driver's edu suite sets up (a domain attached
 * to edu, pages, a 2 MiB block) and the faults the domain reported, undone
 * by the case's exit: the part every driver's edu suite shares. A suite
 * whose cases need more embeds struct iox_edu_case first in its own
 * record, so test->priv is both.
 */
#ifndef _IOX_TESTS_EDU_CASE_H
#define _IOX_TESTS_EDU_CASE_H

#include <kunit/test.h>
#include <linux/iox.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "edu.h"

#define IOX_EDU_CASE_PAGES	6
#define IOX_EDU_CASE_FAULTS	64
#define IOX_EDU_FAULT_WAIT	(2 * HZ)

/**
 * struct iox_edu_case - what one case set up, undone by its exit
 * @edu: the device
 * @dom: the case's domain
 * @attached: @dom is attached to edu
 * @pages: order-0 pages of the case
 * @big: an order-9 (2 MiB) block, or NULL
 * @lock: protects the fault log
 * @wq: woken for each fault
 * @nr_faults: faults the handler saw
 * @faults: the first IOX_EDU_CASE_FAULTS of them
 * @fault_dev: the device of the last fault
 */
struct iox_edu_case {
	struct iox_edu *edu;
	struct iox_domain *dom;
	bool attached;
	struct page *pages[IOX_EDU_CASE_PAGES];
	struct page *big;
	spinlock_t lock;	/* the fault log */
	wait_queue_head_t wq;
	unsigned int nr_faults;
	struct iox_fault faults[IOX_EDU_CASE_FAULTS];
	struct device *fault_dev;
};

static inline struct iox_edu_case *iox_edu_case(struct kunit *test)
{
	return test->priv;
}

/* The case init of a suite: @size bytes of record, iox_edu_case first. */
static inline int iox_edu_case_init(struct kunit *test, struct iox_edu *edu,
				    size_t size)
{
	struct iox_edu_case *ec;

	iox_edu_case_require(test, edu);
	ec = kunit_kzalloc(test, size, GFP_KERNEL);
	if (!ec)
		return -ENOMEM;
	ec->edu = edu;
	spin_lock_init(&ec->lock);
	init_waitqueue_head(&ec->wq);
	test->priv = ec;
	return 0;
}

/* Detach and free the domain, then the pages edu can no longer reach. */
static inline void iox_edu_case_exit(struct kunit *test)
{
	struct iox_edu_case *ec = test->priv;
	unsigned int i;

	if (!ec)
		return;
	if (ec->attached)
		iox_detach_device(ec->dom, &ec->edu->pdev->dev);
	if (!IS_ERR_OR_NULL(ec->dom))
		iox_domain_free(ec->dom);
	for (i = 0; i < IOX_EDU_CASE_PAGES; i++)
		if (ec->pages[i])
			__free_page(ec->pages[i]);
	if (ec->big)
		__free_pages(ec->big, get_order(SZ_2M));
}

/* The domain's fault handler: logs each fault and wakes the case. */
static inline int iox_edu_fault_handler(struct iox_domain *domain,
					struct device *dev,
					const struct iox_fault *fault,
					void *token)
{
	struct iox_edu_case *ec = token;
	unsigned long flags;

	spin_lock_irqsave(&ec->lock, flags);
	if (ec->nr_faults < IOX_EDU_CASE_FAULTS)
		ec->faults[ec->nr_faults] = *fault;
	ec->nr_faults++;
	ec->fault_dev = dev;
	spin_unlock_irqrestore(&ec->lock, flags);
	wake_up(&ec->wq);
	return 0;
}

/* How many faults the case's domain reported so far. */
static inline unsigned int iox_edu_faults(struct iox_edu_case *ec)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&ec->lock, flags);
	n = ec->nr_faults;
	spin_unlock_irqrestore(&ec->lock, flags);
	return n;
}

/* Page @i of the case, allocated on first use (GFP_KERNEL | @gfp). */
static inline void *iox_edu_page_gfp(struct kunit *test, unsigned int i,
				     gfp_t gfp)
{
	struct iox_edu_case *ec = test->priv;

	KUNIT_ASSERT_LT(test, i, IOX_EDU_CASE_PAGES);
	if (!ec->pages[i])
		ec->pages[i] = alloc_page(GFP_KERNEL | gfp);
	KUNIT_ASSERT_NOT_NULL(test, ec->pages[i]);
	return page_address(ec->pages[i]);
}

static inline void *iox_edu_page(struct kunit *test, unsigned int i)
{
	return iox_edu_page_gfp(test, i, 0);
}

static inline phys_addr_t iox_edu_phys(struct kunit *test, unsigned int i)
{
	struct iox_edu_case *ec = test->priv;

	return page_to_phys(ec->pages[i]);
}

/* A domain of @type for edu, its faults logged, attached. */
static inline struct iox_domain *iox_edu_attach(struct kunit *test,
						unsigned int type)
{
	struct iox_edu_case *ec = test->priv;
	struct device *dev = &ec->edu->pdev->dev;
	struct iox_domain *dom;

	dom = iox_domain_alloc(dev, type);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dom);
	ec->dom = dom;
	iox_set_fault_handler(dom, iox_edu_fault_handler, ec);
	KUNIT_ASSERT_EQ(test, iox_attach_device(dom, dev), 0);
	ec->attached = true;
	return dom;
}

/* Memory at @iova -> edu's buffer at @off. */
static inline int iox_edu_read(struct iox_edu *edu, u64 iova,
			       unsigned int off, u32 count)
{
	return iox_edu_dma(edu, iova, EDU_BUF + off, count, false);
}

/* edu's buffer at @off -> memory at @iova. */
static inline int iox_edu_write(struct iox_edu *edu, u64 iova,
				unsigned int off, u32 count)
{
	return iox_edu_dma(edu, EDU_BUF + off, iova, count, true);
}

#endif /* _IOX_TESTS_EDU_CASE_H */
