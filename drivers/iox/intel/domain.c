// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel domains: blocked (context not present), identity (pass-through
 * context) and paging, the last on the engine's VT-d second-level table
 * (VT-d spec 9.8) tagged with a domain ID of the unit; in scalable mode a
 * paging domain also has the PASID tables its devices' contexts point at,
 * and on a unit that uses first-level translation its table is the
 * first-level (x86-64 paging) format instead (9.7).
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/slab.h>
#include <linux/err.h>
#include "intel-priv.h"

static int intel_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	struct intel_domain *dom = to_intel_domain(domain);
	struct intel_dev *id = idev->priv;
	struct intel_unit *iu = id->iu;
	unsigned int i;

	spin_lock(&iu->lock);
	for (i = 0; i < id->nr_sids; i++)
		intel_ctx_set(iu, id->sids[i], id->dom, dom);
	id->dom = dom;
	spin_unlock(&iu->lock);
	return 0;
}

static int intel_map_pages(struct iox_domain *domain, unsigned long iova,
			   phys_addr_t paddr, size_t pgsize, size_t pgcount,
			   int prot, gfp_t gfp, size_t *mapped,
			   struct iox_iotlb_gather *gather)
{
	struct intel_domain *dom = to_intel_domain(domain);
	struct iox_pt *pt = &dom->pt;

	/*
	 * A request without PASID is a user request to first-level
	 * translation (VT-d spec 3.6; SRE is clear, 9.6): a leaf without US
	 * would refuse it. Like a second-level leaf, which has no privilege
	 * bit, a privileged-only mapping is reachable by the device.
	 */
	if (dom->fl)
		prot &= ~IOX_PRIV;
	return pt->ops->map(pt, iova, paddr, pgsize, pgcount, prot, gfp,
			    mapped);
}

/* Caching mode (CAP.CM) caches not-present entries; RWBF buffers writes. */
static int intel_iotlb_sync_map(struct iox_domain *domain, unsigned long iova,
				size_t size)
{
	struct intel_domain *dom = to_intel_domain(domain);
	struct intel_unit *iu = dom->iu;

	intel_flush_write_buffer(iu);
	if (iu->cap & VTD_CAP_CM)
		return intel_inv_dom_range(dom, iova, iova + size - 1, true);
	return 0;
}

/* After an unmap: what the write buffer holds goes first (RWBF). */
static void intel_invalidate_range(struct iox_domain *domain,
				   unsigned long start, unsigned long last,
				   bool leaf_only)
{
	struct intel_domain *dom = to_intel_domain(domain);

	intel_flush_write_buffer(dom->iu);
	intel_inv_dom_range(dom, start, last, leaf_only);
}

static void intel_flush_iotlb_all(struct iox_domain *domain)
{
	struct intel_domain *dom = to_intel_domain(domain);

	intel_inv_dom_all(dom->iu, dom->did, dom->fl);
}

static void intel_paging_free(struct iox_domain *domain)
{
	struct intel_domain *dom = to_intel_domain(domain);

	intel_debugfs_domain_remove(dom);
	/*
	 * Detached everywhere: the PASID entry goes (PASID-cache
	 * invalidated), then what the IOTLB still holds of the domain.
	 */
	intel_pasid_free(dom->iu, &dom->pasid, dom->did);
	intel_inv_dom_all(dom->iu, dom->did, dom->fl);
	iox_pt_destroy(&dom->pt);
	ida_free(&dom->iu->dids, dom->did);
	kfree(dom);
}

static void intel_static_free(struct iox_domain *domain)
{
	kfree(to_intel_domain(domain));
}

/*
 * The core unmaps and looks up through the engine (domain.pt); maps come
 * here first, for what a first-level leaf cannot say.
 */
static const struct iox_domain_ops intel_paging_ops = {
	.attach_dev = intel_attach_dev,
	.map_pages = intel_map_pages,
	.iotlb_sync_map = intel_iotlb_sync_map,
	.invalidate_range = intel_invalidate_range,
	.flush_iotlb_all = intel_flush_iotlb_all,
	.free = intel_paging_free,
};

/* Blocked and identity domains: only the context entry differs. */
static const struct iox_domain_ops intel_static_ops = {
	.attach_dev = intel_attach_dev,
	.free = intel_static_free,
};

static int intel_paging_init(struct intel_unit *iu, struct intel_domain *dom)
{
	struct iox_pt_cfg cfg = {
		.format = iu->fl ? IOX_PT_VTD_FL : IOX_PT_VTD_SL,
		.levels = iu->fl ? iu->fl_levels : iu->levels,
		.oas = iu->haw,
		.quirks = (iu->ecap & VTD_ECAP_C ? 0 : IOX_PT_NONCOHERENT) |
			  (intel_snoop_control(iu) ? IOX_PT_VTD_SNOOP : 0),
		.pgsize_bitmap = iu->fl ? iu->fl_pgsizes : iu->pgsizes,
	};
	unsigned int ias;
	int did, ret;

	did = ida_alloc_range(&iu->dids, INTEL_DID_FIRST, iu->nr_dids - 1,
			      GFP_KERNEL);
	if (did < 0)
		return did;
	ret = iox_pt_init(&dom->pt, &cfg, GFP_KERNEL);
	if (ret)
		goto err_did;
	if (iu->sm) {
		ret = intel_pasid_alloc(iu, &dom->pasid);
		if (ret)
			goto err_pt;
		intel_pasid_set(iu, &dom->pasid,
				iu->fl ? VTD_PGTT_FL : VTD_PGTT_SL, did,
				dom->pt.root_phys, dom->pt.cfg.levels);
	}
	dom->did = did;
	dom->fl = iu->fl;
	ias = min(dom->pt.cfg.ias, iu->mgaw);
	dom->domain.ops = &intel_paging_ops;
	iox_domain_set_pt(&dom->domain, &dom->pt);
	/* The unit translates no more than MGAW bits. */
	dom->domain.aperture_end = ias >= BITS_PER_LONG ? ULONG_MAX :
				   BIT(ias) - 1;
	intel_debugfs_domain_add(dom);
	return 0;

err_pt:
	iox_pt_destroy(&dom->pt);
err_did:
	ida_free(&iu->dids, did);
	return ret;
}

/**
 * intel_domain_alloc() - the unit's domain_alloc op
 * @unit: the unit
 * @type: an enum iox_domain_type value
 *
 * Paging and DMA domains get a domain ID and an empty second-level table
 * of the unit's depth and page sizes, in scalable mode also a PASID table
 * whose RID_PASID entry translates through it (PGTT second level) - or,
 * on a unit that uses first-level translation, an empty first-level
 * table (4 or 5 levels, its page sizes) and PGTT first level. Every table
 * write is cache-flushed when the unit's walks do not snoop (ECAP.C = 0).
 *
 * Context: Process context.
 * Return: the domain, or ERR_PTR(-ENOMEM / -ENOSPC / -EOPNOTSUPP).
 */
struct iox_domain *intel_domain_alloc(struct iox_unit *unit,
				      unsigned int type)
{
	struct intel_unit *iu = to_intel_unit(unit);
	struct intel_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	dom->iu = iu;
	dom->domain.type = type;
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
		dom->domain.ops = &intel_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_IDENTITY:
		dom->did = INTEL_DID_PT;
		dom->domain.ops = &intel_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_PAGING:
	case IOX_DOMAIN_DMA:
	case IOX_DOMAIN_DMA_FQ:
		ret = intel_paging_init(iu, dom);
		if (ret) {
			kfree(dom);
			return ERR_PTR(ret);
		}
		return &dom->domain;
	}
	kfree(dom);
	return ERR_PTR(-EOPNOTSUPP);
}
