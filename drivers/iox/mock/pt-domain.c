// SPDX-License-Identifier: GPL-2.0
/*
 * iox-mock domains on the page-table engine: any hardware format behind
 * the mock unit, so the core's whole API reaches every format, and the
 * mock's IOTLB still shows a missing invalidation.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "mock-priv.h"

/* The walker holds the lock: after it, no walk is inside freed tables. */
static void mock_pt_invalidate_range(struct iox_domain *domain,
				     unsigned long start, unsigned long last,
				     bool leaf_only)
{
	struct iox_mock_domain *md = to_mock_domain(domain);
	unsigned long flags;

	spin_lock_irqsave(&md->mock->lock, flags);
	mock_iotlb_inv_range(md->mock, md->asid, start, last);
	spin_unlock_irqrestore(&md->mock->lock, flags);
}

static void mock_pt_flush_iotlb_all(struct iox_domain *domain)
{
	struct iox_mock_domain *md = to_mock_domain(domain);
	unsigned long flags;

	spin_lock_irqsave(&md->mock->lock, flags);
	mock_iotlb_inv_asid(md->mock, md->asid);
	spin_unlock_irqrestore(&md->mock->lock, flags);
}

/* Only for a unit that caches failed walks (see mock_pt_domain_init()). */
static int mock_pt_iotlb_sync_map(struct iox_domain *domain,
				  unsigned long iova, size_t size)
{
	mock_pt_invalidate_range(domain, iova, iova + size - 1, true);
	return 0;
}

static void mock_pt_domain_free(struct iox_domain *domain)
{
	struct iox_mock_domain *md = to_mock_domain(domain);

	mock_pt_flush_iotlb_all(domain);
	iox_pt_destroy(&md->pt);
	kfree(md);
}

static const struct iox_domain_ops mock_pt_domain_ops = {
	.attach_dev = mock_attach_dev,
	.invalidate_range = mock_pt_invalidate_range,
	.flush_iotlb_all = mock_pt_flush_iotlb_all,
	.free = mock_pt_domain_free,
};

/* A unit caching failed walks must forget them after a map, like VT-d CM. */
static const struct iox_domain_ops mock_pt_caching_domain_ops = {
	.attach_dev = mock_attach_dev,
	.iotlb_sync_map = mock_pt_iotlb_sync_map,
	.invalidate_range = mock_pt_invalidate_range,
	.flush_iotlb_all = mock_pt_flush_iotlb_all,
	.free = mock_pt_domain_free,
};

/**
 * mock_pt_domain_init() - make a new mock paging domain engine-backed
 * @md: the domain, allocated and tagged
 *
 * Context: Process context.
 * Return: 0, or iox_pt_init()'s error.
 */
int mock_pt_domain_init(struct iox_mock_domain *md)
{
	int ret;

	ret = iox_pt_init(&md->pt, &md->mock->cfg.pt, GFP_KERNEL);
	if (ret)
		return ret;
	md->domain.ops = md->mock->cfg.caches_not_present ?
			 &mock_pt_caching_domain_ops : &mock_pt_domain_ops;
	iox_domain_set_pt(&md->domain, &md->pt);
	return 0;
}

/**
 * mock_domain_walk() - the mock walker: translate through a domain's table
 * @md: a paging domain
 * @iova: the address
 * @leaf: filled with the translation
 *
 * Context: mock->lock held.
 * Return: 0 or -ENOENT.
 */
int mock_domain_walk(struct iox_mock_domain *md, u64 iova,
		     struct iox_leaf *leaf)
{
	if (md->root)
		return mock_pt_walk(md, iova, leaf);
	return md->pt.ops->iova_to_phys(&md->pt, iova, leaf);
}

/**
 * iox_mock_domain_pt() - the engine table behind a mock domain
 * @domain: a domain of a mock unit
 *
 * For tests that check the raw table with a reference walker.
 *
 * Context: Any context.
 * Return: the table, or NULL if @domain does not use the engine.
 */
struct iox_pt *iox_mock_domain_pt(struct iox_domain *domain)
{
	struct iox_mock_domain *md = to_mock_domain(domain);

	return md->pt.root ? &md->pt : NULL;
}
EXPORT_SYMBOL_GPL(iox_mock_domain_pt);
