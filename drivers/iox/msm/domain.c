// SPDX-License-Identifier: GPL-2.0
/*
 * iox-msm domains: blocked (the unit's blocked bank), identity (its
 * bypass bank) and paging, with the engine's ARM v7s table
 * (4K|64K|1M|16M, 32-bit) in a bank of its own while attached.
 */
#define pr_fmt(fmt) "iox-msm: " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include "msm-priv.h"

/* A paging domain's bank, taken with its first master. */
static int msm_domain_get(struct msm_domain *dom)
{
	struct msm_unit *mu = dom->mu;
	int cb;

	if (dom->nr_attached++)
		return 0;
	cb = iox_ctx_alloc(&mu->cbs, 0, &dom->domain);
	if (cb < 0) {
		dom->nr_attached--;
		return cb;
	}
	dom->cb = cb;
	dom->asid = cb + 1;
	msm_ctx_program(mu, cb, dom->pt.root_phys, dom->asid, true);
	return 0;
}

/* ... and given back with its last. */
static void msm_domain_put(struct msm_domain *dom)
{
	if (!dom || !iox_domain_is_paging(&dom->domain) ||
	    --dom->nr_attached)
		return;
	msm_ctx_off(dom->mu, dom->cb);
	iox_ctx_free(&dom->mu->cbs, dom->cb);
	dom->cb = -1;
}

static int msm_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	struct msm_domain *dom = to_msm_domain(domain);
	struct msm_master *m = idev->priv;
	struct msm_unit *mu = m->mu;
	struct msm_domain *old = m->dom;
	unsigned int cb;
	int ret;

	if (old == dom)
		return 0;
	ret = msm_clk_on(mu);
	if (ret)
		return ret;
	if (iox_domain_is_paging(domain)) {
		ret = msm_domain_get(dom);
		if (ret)
			goto out;
		cb = dom->cb;
	} else {
		cb = domain->type == IOX_DOMAIN_IDENTITY ? mu->bypass_cb :
							   mu->blocked_cb;
	}
	msm_route(m, cb);
	m->dom = domain->type == IOX_DOMAIN_BLOCKED ? NULL : dom;
	msm_domain_put(old);
out:
	msm_clk_off(mu);
	return ret;
}

static void msm_invalidate_range(struct iox_domain *domain,
				 unsigned long start, unsigned long last,
				 bool leaf_only)
{
	msm_tlbi_range(to_msm_domain(domain), start, last);
}

static void msm_flush_iotlb_all(struct iox_domain *domain)
{
	msm_tlbi_all(to_msm_domain(domain));
}

static void msm_paging_free(struct iox_domain *domain)
{
	struct msm_domain *dom = to_msm_domain(domain);

	WARN_ON(dom->nr_attached);
	iox_pt_destroy(&dom->pt);
	kfree(dom);
}

static void msm_static_free(struct iox_domain *domain)
{
	kfree(to_msm_domain(domain));
}

/* The core maps, unmaps and looks up through the engine (domain.pt). */
static const struct iox_domain_ops msm_paging_ops = {
	.attach_dev = msm_attach_dev,
	.invalidate_range = msm_invalidate_range,
	.flush_iotlb_all = msm_flush_iotlb_all,
	.free = msm_paging_free,
};

static const struct iox_domain_ops msm_static_ops = {
	.attach_dev = msm_attach_dev,
	.free = msm_static_free,
};

/**
 * msm_domain_alloc() - the unit's domain_alloc op
 * @unit: the unit
 * @type: an enum iox_domain_type value
 *
 * Context: Process context.
 * Return: the domain, or ERR_PTR(-ENOMEM / -EOPNOTSUPP).
 */
struct iox_domain *msm_domain_alloc(struct iox_unit *unit, unsigned int type)
{
	struct iox_pt_cfg cfg = {
		.format = IOX_PT_ARM_V7S,
		.granule_shift = 12,
		.ias = 32,
		.oas = 32,
	};
	struct msm_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	dom->mu = to_msm_unit(unit);
	dom->cb = -1;
	dom->domain.type = type;
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
	case IOX_DOMAIN_IDENTITY:
		dom->domain.ops = &msm_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_PAGING:
	case IOX_DOMAIN_DMA:
	case IOX_DOMAIN_DMA_FQ:
		ret = iox_pt_init(&dom->pt, &cfg, GFP_KERNEL);
		if (ret) {
			kfree(dom);
			return ERR_PTR(ret);
		}
		dom->domain.ops = &msm_paging_ops;
		iox_domain_set_pt(&dom->domain, &dom->pt);
		return &dom->domain;
	}
	kfree(dom);
	return ERR_PTR(-EOPNOTSUPP);
}
