// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu domains: blocked (streams fault), identity (streams
 * bypass) and paging, whose table is the engine's LPAE stage 1, LPAE
 * stage 2 or AArch32 short descriptor (v7s), as the unit is used.
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/slab.h>
#include "smmu2-priv.h"

/* The previous domain of a master lets its context bank go when unused. */
static void smmu2_domain_put(struct smmu2_domain *dom)
{
	if (dom && iox_domain_is_paging(&dom->domain) &&
	    !--dom->nr_attached)
		smmu2_cb_remove(dom);
}

static int smmu2_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	struct smmu2_domain *dom = to_smmu2_domain(domain);
	struct smmu2_master *m = idev->priv;
	struct smmu2_domain *old = m->dom;
	int ret;

	if (old == dom)
		return 0;
	if (iox_domain_is_paging(domain) && !dom->nr_attached) {
		ret = smmu2_cb_install(dom);
		if (ret)
			return ret;
	}
	ret = smmu2_streams_route(m, domain->type == IOX_DOMAIN_BLOCKED ?
				  NULL : dom);
	if (ret) {
		if (iox_domain_is_paging(domain) && !dom->nr_attached)
			smmu2_cb_remove(dom);
		return ret;
	}
	if (iox_domain_is_paging(domain))
		dom->nr_attached++;
	m->dom = domain->type == IOX_DOMAIN_BLOCKED ? NULL : dom;
	smmu2_domain_put(old);
	return 0;
}

static void smmu2_invalidate_range(struct iox_domain *domain,
				   unsigned long start, unsigned long last,
				   bool leaf_only)
{
	smmu2_tlbi_range(to_smmu2_domain(domain), start, last);
}

static void smmu2_flush_iotlb_all(struct iox_domain *domain)
{
	smmu2_tlbi_domain(to_smmu2_domain(domain));
}

static void smmu2_paging_free(struct iox_domain *domain)
{
	struct smmu2_domain *dom = to_smmu2_domain(domain);

	WARN_ON(dom->nr_attached);
	iox_pt_destroy(&dom->pt);
	kfree(dom);
}

static void smmu2_static_free(struct iox_domain *domain)
{
	kfree(to_smmu2_domain(domain));
}

/* The core maps, unmaps and looks up through the engine (domain.pt). */
static const struct iox_domain_ops smmu2_paging_ops = {
	.attach_dev = smmu2_attach_dev,
	.invalidate_range = smmu2_invalidate_range,
	.flush_iotlb_all = smmu2_flush_iotlb_all,
	.free = smmu2_paging_free,
};

static const struct iox_domain_ops smmu2_static_ops = {
	.attach_dev = smmu2_attach_dev,
	.free = smmu2_static_free,
};

/* The table of a paging domain, in the format the unit is used with. */
static int smmu2_paging_init(struct smmu2_unit *su, struct smmu2_domain *dom)
{
	struct iox_pt_cfg cfg = { .granule_shift = 12, .oas = su->oas };
	int ret;

	if (su->stage == 2) {
		cfg.format = IOX_PT_ARM_LPAE_S2;
		cfg.ias = min(su->ias, 40U);
	} else if (su->v7s) {
		cfg.format = IOX_PT_ARM_V7S;
		cfg.ias = 32;
		cfg.oas = 32;
	} else {
		cfg.format = IOX_PT_ARM_LPAE_S1;
		cfg.ias = min(su->ubs, 48U);
	}
	ret = iox_pt_init(&dom->pt, &cfg, GFP_KERNEL);
	if (ret)
		return ret;
	dom->domain.ops = &smmu2_paging_ops;
	iox_domain_set_pt(&dom->domain, &dom->pt);
	return 0;
}

/**
 * smmu2_domain_alloc() - the unit's domain_alloc op
 * @unit: the unit
 * @type: an enum iox_domain_type value
 *
 * Paging and DMA domains get an empty table; their context bank comes
 * with the first device attached.
 *
 * Context: Process context.
 * Return: the domain, or ERR_PTR(-ENOMEM / -EOPNOTSUPP).
 */
struct iox_domain *smmu2_domain_alloc(struct iox_unit *unit,
				      unsigned int type)
{
	struct smmu2_unit *su = to_smmu2_unit(unit);
	struct smmu2_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	dom->su = su;
	dom->cb = -1;
	dom->domain.type = type;
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
	case IOX_DOMAIN_IDENTITY:
		dom->domain.ops = &smmu2_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_PAGING:
	case IOX_DOMAIN_DMA:
	case IOX_DOMAIN_DMA_FQ:
		ret = smmu2_paging_init(su, dom);
		if (ret) {
			kfree(dom);
			return ERR_PTR(ret);
		}
		return &dom->domain;
	}
	kfree(dom);
	return ERR_PTR(-EOPNOTSUPP);
}
