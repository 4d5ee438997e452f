// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd domains: blocked (no permission), identity (untranslated, both
 * permissions) and paging, the last on the engine's AMD v1 host table
 * (AMD spec 2.2.3) of the unit's depth, tagged with a domain ID.
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/err.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include "amd-priv.h"

static int amd_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	struct amd_domain *dom = to_amd_domain(domain);
	struct amd_dev *ad = idev->priv;
	struct amd_unit *au = ad->au;
	unsigned int i;

	spin_lock(&au->lock);
	for (i = 0; i < ad->nr_devids; i++)
		amd_dte_set(au, ad->devids[i], ad->dom, dom);
	ad->dom = dom;
	spin_unlock(&au->lock);
	return 0;
}

/* A unit that caches not-present entries (NpCache) must forget them. */
static int amd_iotlb_sync_map(struct iox_domain *domain, unsigned long iova,
			      size_t size)
{
	struct amd_domain *dom = to_amd_domain(domain);

	return amd_inv_pages(dom->au, dom->did, iova, iova + size - 1, false);
}

/* PDE: directory entries went too, when a table was freed. */
static void amd_invalidate_range(struct iox_domain *domain,
				 unsigned long start, unsigned long last,
				 bool leaf_only)
{
	struct amd_domain *dom = to_amd_domain(domain);

	amd_inv_pages(dom->au, dom->did, start, last, !leaf_only);
}

static void amd_flush_iotlb_all(struct iox_domain *domain)
{
	struct amd_domain *dom = to_amd_domain(domain);

	amd_inv_domain(dom->au, dom->did);
}

static void amd_paging_free(struct iox_domain *domain)
{
	struct amd_domain *dom = to_amd_domain(domain);

	amd_debugfs_domain_remove(dom);
	/* Detached everywhere: what the unit still caches of it goes. */
	amd_inv_domain(dom->au, dom->did);
	iox_pt_destroy(&dom->pt);
	ida_free(&dom->au->dids, dom->did);
	kfree(dom);
}

static void amd_static_free(struct iox_domain *domain)
{
	kfree(to_amd_domain(domain));
}

/*
 * The core maps, unmaps and looks up through the engine (domain.pt); a v1
 * leaf has no privilege bit, so IOX_PRIV mappings are every request's.
 */
static const struct iox_domain_ops amd_paging_ops = {
	.attach_dev = amd_attach_dev,
	.invalidate_range = amd_invalidate_range,
	.flush_iotlb_all = amd_flush_iotlb_all,
	.free = amd_paging_free,
};

/* A unit that caches not-present entries (NpCache) must forget them. */
static const struct iox_domain_ops amd_paging_np_cache_ops = {
	.attach_dev = amd_attach_dev,
	.iotlb_sync_map = amd_iotlb_sync_map,
	.invalidate_range = amd_invalidate_range,
	.flush_iotlb_all = amd_flush_iotlb_all,
	.free = amd_paging_free,
};

/* Blocked and identity domains: only the device table entry differs. */
static const struct iox_domain_ops amd_static_ops = {
	.attach_dev = amd_attach_dev,
	.free = amd_static_free,
};

static int amd_paging_init(struct amd_unit *au, struct amd_domain *dom)
{
	/*
	 * The sizes one entry maps: 4K, 2M and 1G leaves (Next Level 0 at
	 * levels 1-3). The v1 format's Next Level 7 sizes between them are
	 * runs of repeated entries: as many table writes as 4K pages at the
	 * level below, for a unit that may cache them per 4K page anyway
	 * (QEMU's does), and callers splitting by the bitmap would pick them
	 * for every 8K-aligned run.
	 */
	struct iox_pt_cfg cfg = {
		.format = IOX_PT_AMD_V1,
		.levels = au->levels,
		.oas = au->pasize,
		.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
	};
	int did, ret;

	did = ida_alloc_range(&au->dids, AMD_DID_FIRST, AMD_NR_DIDS - 1,
			      GFP_KERNEL);
	if (did < 0)
		return did;
	ret = iox_pt_init(&dom->pt, &cfg, GFP_KERNEL);
	if (ret) {
		ida_free(&au->dids, did);
		return ret;
	}
	dom->did = did;
	dom->domain.ops = au->np_cache ? &amd_paging_np_cache_ops :
					 &amd_paging_ops;
	iox_domain_set_pt(&dom->domain, &dom->pt);
	amd_debugfs_domain_add(dom);
	return 0;
}

/**
 * amd_domain_alloc() - the unit's domain_alloc op
 * @unit: the unit
 * @type: an enum iox_domain_type value
 *
 * Paging and DMA domains get a domain ID and an empty v1 table of the
 * unit's depth (its DTE Mode): 12 + 9 * levels IOVA bits (64 at 6), pages
 * of 4K, 2M and 1G.
 *
 * Context: Process context.
 * Return: the domain, or ERR_PTR(-ENOMEM / -ENOSPC / -EOPNOTSUPP).
 */
struct iox_domain *amd_domain_alloc(struct iox_unit *unit, unsigned int type)
{
	struct amd_unit *au = to_amd_unit(unit);
	struct amd_domain *dom;
	int ret;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	dom->au = au;
	dom->domain.type = type;
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
		dom->did = AMD_DID_BLOCKED;
		dom->domain.ops = &amd_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_IDENTITY:
		dom->did = AMD_DID_PT;
		dom->domain.ops = &amd_static_ops;
		return &dom->domain;
	case IOX_DOMAIN_PAGING:
	case IOX_DOMAIN_DMA:
	case IOX_DOMAIN_DMA_FQ:
		ret = amd_paging_init(au, dom);
		if (ret) {
			kfree(dom);
			return ERR_PTR(ret);
		}
		return &dom->domain;
	}
	kfree(dom);
	return ERR_PTR(-EOPNOTSUPP);
}
