// SPDX-License-Identifier: GPL-2.0
/*
 * iox-mock unit: a software IOMMU driven through the same ops as hardware.
 */
#define pr_fmt(fmt) "iox-mock: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/sizes.h>
#include "mock-priv.h"

#define MOCK_PGSIZES	(SZ_4K | SZ_2M | SZ_1G)

static struct iox_mock *to_mock(struct iox_unit *unit)
{
	return container_of(unit, struct iox_mock, unit);
}

/**
 * mock_attach_dev() - point a device's stream table entry at a domain
 * @domain: any mock domain
 * @idev: the device
 *
 * Context: Process context.
 * Return: 0.
 */
int mock_attach_dev(struct iox_domain *domain, struct iox_dev *idev)
{
	struct iox_mock_domain *md = to_mock_domain(domain);
	struct iox_mock_endpoint *ep = idev->priv;
	unsigned long flags;

	spin_lock_irqsave(&md->mock->lock, flags);
	ep->ctx = md;
	spin_unlock_irqrestore(&md->mock->lock, flags);
	return 0;
}

static int mock_map_pages(struct iox_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t pgsize, size_t pgcount,
			  int prot, gfp_t gfp, size_t *mapped,
			  struct iox_iotlb_gather *gather)
{
	struct iox_mock_domain *md = to_mock_domain(domain);

	atomic_long_inc(&md->mock->map_calls);
	WRITE_ONCE(md->mock->last_map_pgsize, pgsize);
	WRITE_ONCE(md->mock->last_map_pgcount, pgcount);
	return mock_pt_map(md, iova, paddr, pgsize, pgcount, prot, gfp, mapped);
}

static ssize_t mock_unmap_pages(struct iox_domain *domain, unsigned long iova,
				size_t pgsize, size_t pgcount,
				struct iox_iotlb_gather *gather)
{
	return mock_pt_unmap(to_mock_domain(domain), iova, pgsize * pgcount,
			     gather);
}

static void mock_inv_range(struct iox_mock_domain *md, u64 start, u64 last)
{
	unsigned long flags;

	spin_lock_irqsave(&md->mock->lock, flags);
	mock_iotlb_inv_range(md->mock, md->asid, start, last);
	spin_unlock_irqrestore(&md->mock->lock, flags);
}

static int mock_iotlb_sync_map(struct iox_domain *domain, unsigned long iova,
			       size_t size)
{
	struct iox_mock_domain *md = to_mock_domain(domain);

	/* Only a unit caching failed walks must forget them. */
	if (md->mock->cfg.caches_not_present)
		mock_inv_range(md, iova, iova + size - 1);
	return 0;
}

/* The mock's own table never frees one: unmaps gather leaves only. */
static void mock_invalidate_range(struct iox_domain *domain,
				  unsigned long start, unsigned long last,
				  bool leaf_only)
{
	mock_inv_range(to_mock_domain(domain), start, last);
}

static void mock_flush_iotlb_all(struct iox_domain *domain)
{
	struct iox_mock_domain *md = to_mock_domain(domain);
	unsigned long flags;

	spin_lock_irqsave(&md->mock->lock, flags);
	mock_iotlb_inv_asid(md->mock, md->asid);
	spin_unlock_irqrestore(&md->mock->lock, flags);
}

static int mock_iova_to_phys(struct iox_domain *domain, unsigned long iova,
			     struct iox_leaf *leaf)
{
	return mock_pt_walk(to_mock_domain(domain), iova, leaf);
}

static void mock_domain_free(struct iox_domain *domain)
{
	struct iox_mock_domain *md = to_mock_domain(domain);

	if (md->root) {
		/* Like hardware teardown: no tag may outlive its tables. */
		mock_flush_iotlb_all(domain);
		mock_pt_free(md);
	}
	kfree(md);
}

static const struct iox_domain_ops mock_domain_ops = {
	.attach_dev = mock_attach_dev,
	.map_pages = mock_map_pages,
	.unmap_pages = mock_unmap_pages,
	.iotlb_sync_map = mock_iotlb_sync_map,
	.invalidate_range = mock_invalidate_range,
	.flush_iotlb_all = mock_flush_iotlb_all,
	.iova_to_phys = mock_iova_to_phys,
	.free = mock_domain_free,
};

static int mock_probe_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct iox_mock *mock = to_mock(unit);
	struct iox_mock_endpoint *ep;
	unsigned long flags;

	spin_lock_irqsave(&mock->lock, flags);
	ep = mock_endpoint_find(mock, idev->dev);
	spin_unlock_irqrestore(&mock->lock, flags);
	if (!ep)
		return -ENODEV;
	idev->ids[0] = ep->sid;
	idev->nr_ids = 1;
	idev->max_pasids = mock->cfg.max_pasid_bits ?
			   BIT(mock->cfg.max_pasid_bits) : 0;
	idev->priv = ep;
	return 0;
}

static void mock_release_device(struct iox_unit *unit, struct iox_dev *idev)
{
	struct iox_mock *mock = to_mock(unit);
	struct iox_mock_endpoint *ep = idev->priv;
	unsigned long flags;

	/* The stream table entry goes invalid: its DMA now faults. */
	spin_lock_irqsave(&mock->lock, flags);
	ep->ctx = NULL;
	spin_unlock_irqrestore(&mock->lock, flags);
}

static int mock_device_group(struct iox_unit *unit, struct iox_dev *idev,
			     u64 *key)
{
	struct iox_mock_endpoint *ep = idev->priv;

	*key = ep->group_key;
	return 0;
}

static struct iox_domain *mock_domain_alloc(struct iox_unit *unit,
					    unsigned int type)
{
	struct iox_mock *mock = to_mock(unit);
	struct iox_mock_domain *md;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return ERR_PTR(-ENOMEM);
	md->mock = mock;
	md->asid = atomic_inc_return(&mock->next_asid);
	md->domain.ops = &mock_domain_ops;
	if ((type & __IOX_DOMAIN_PAGING) && mock->cfg.use_pt) {
		int ret = mock_pt_domain_init(md);

		if (ret) {
			kfree(md);
			return ERR_PTR(ret);
		}
	} else if (type & __IOX_DOMAIN_PAGING) {
		md->levels = DIV_ROUND_UP(mock->cfg.ias - MOCK_GRANULE_SHIFT,
					  MOCK_TABLE_SHIFT);
		md->domain.pgsize_bitmap = mock->cfg.pgsize_bitmap;
		md->domain.aperture_start = 0;
		md->domain.aperture_end = BIT_ULL(mock->cfg.ias) - 1;
		md->domain.paddr_max = BIT_ULL(mock->cfg.oas) - 1;
		if (mock_pt_init(md, GFP_KERNEL)) {
			kfree(md);
			return ERR_PTR(-ENOMEM);
		}
	}
	return &md->domain;
}

static bool mock_capable(struct iox_unit *unit, enum iox_cap cap)
{
	switch (cap) {
	case IOX_CAP_CACHE_COHERENCY:
	case IOX_CAP_NOEXEC:
	case IOX_CAP_DEFERRED_FLUSH:
		return true;
	case IOX_CAP_PASID:
		return to_mock(unit)->cfg.max_pasid_bits;
	}
	return false;
}

static int mock_add_resv(struct list_head *head, u64 start, u64 length,
			 int prot, enum iox_resv_type type)
{
	struct iox_resv_region *region;

	region = iox_alloc_resv_region(start, length, prot, type, GFP_KERNEL);
	if (!region)
		return -ENOMEM;
	list_add_tail(&region->list, head);
	return 0;
}

static int mock_get_resv_regions(struct iox_unit *unit, struct iox_dev *idev,
				 struct list_head *head)
{
	struct iox_mock_endpoint *ep = idev->priv;
	int ret;

	if (to_mock(unit)->cfg.msi_window) {
		ret = mock_add_resv(head, IOX_MOCK_MSI_START,
				    IOX_MOCK_MSI_LENGTH, IOX_WRITE | IOX_MMIO,
				    IOX_RESV_MSI);
		if (ret)
			return ret;
	}
	if (ep->direct_length)
		return mock_add_resv(head, ep->direct_start, ep->direct_length,
				     IOX_READ | IOX_WRITE, IOX_RESV_DIRECT);
	return 0;
}

static const struct iox_unit_ops mock_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = mock_probe_device,
	.release_device = mock_release_device,
	.device_group = mock_device_group,
	.domain_alloc = mock_domain_alloc,
	.capable = mock_capable,
	.get_resv_regions = mock_get_resv_regions,
};

/**
 * iox_mock_default_config() - a mock like a common 48-bit unit
 * @cfg: filled with 4K|2M|1G pages, 48-bit input and output, a 64-entry
 *	IOTLB that does not cache failed walks, no PASID, no MSI window
 *
 * Context: Any context.
 */
void iox_mock_default_config(struct iox_mock_config *cfg)
{
	*cfg = (struct iox_mock_config) {
		.pgsize_bitmap = MOCK_PGSIZES,
		.ias = 48,
		.oas = 48,
		.iotlb_entries = 64,
	};
}
EXPORT_SYMBOL_GPL(iox_mock_default_config);

static bool mock_config_valid(const struct iox_mock_config *cfg)
{
	unsigned int levels, top_shift;

	if (cfg->use_pt)
		return cfg->iotlb_entries &&
		       cfg->iotlb_entries <= IOX_MOCK_MAX_IOTLB;

	if (cfg->ias < MOCK_GRANULE_SHIFT + MOCK_TABLE_SHIFT || cfg->ias > 48 ||
	    cfg->oas < 32 || cfg->oas > 52 ||
	    !cfg->iotlb_entries || cfg->iotlb_entries > IOX_MOCK_MAX_IOTLB ||
	    !cfg->pgsize_bitmap || cfg->pgsize_bitmap & ~MOCK_PGSIZES)
		return false;
	levels = DIV_ROUND_UP(cfg->ias - MOCK_GRANULE_SHIFT, MOCK_TABLE_SHIFT);
	top_shift = MOCK_GRANULE_SHIFT + MOCK_TABLE_SHIFT * (levels - 1);
	return __fls(cfg->pgsize_bitmap) <= top_shift;
}

/**
 * iox_mock_create() - create and register a mock unit
 * @cfg: its shape
 *
 * Context: Process context.
 * Return: the unit, ERR_PTR(-EINVAL) for an impossible @cfg, or the
 * allocation or registration error.
 */
struct iox_mock *iox_mock_create(const struct iox_mock_config *cfg)
{
	struct iox_mock *mock;
	int ret;

	if (!mock_config_valid(cfg))
		return ERR_PTR(-EINVAL);
	mock = kzalloc(sizeof(*mock), GFP_KERNEL);
	if (!mock)
		return ERR_PTR(-ENOMEM);
	mock->cfg = *cfg;
	spin_lock_init(&mock->lock);
	INIT_LIST_HEAD(&mock->endpoints);
	mock->failed_level = -1;
	mock->unit.ops = &mock_unit_ops;
	mock->unit.name = "iox-mock";
	mock->unit.max_pasid_bits = cfg->max_pasid_bits;
	ret = iox_unit_register(&mock->unit);
	if (ret) {
		kfree(mock);
		return ERR_PTR(ret);
	}
	return mock;
}
EXPORT_SYMBOL_GPL(iox_mock_create);

/**
 * iox_mock_destroy() - unregister a mock unit and free it
 * @mock: the unit; its paging domains must have been freed
 *
 * Context: Process context.
 */
void iox_mock_destroy(struct iox_mock *mock)
{
	struct iox_mock_endpoint *ep, *next;

	iox_unit_unregister(&mock->unit);
	list_for_each_entry_safe(ep, next, &mock->endpoints, node) {
		list_del(&ep->node);
		kfree(ep);
	}
	WARN_ON(atomic_long_read(&mock->table_pages));
	kfree(mock);
}
EXPORT_SYMBOL_GPL(iox_mock_destroy);

/**
 * iox_mock_fail_table_alloc() - inject a page-table allocation failure
 * @mock: the unit
 * @nth: fail the nth table allocation from now (1: the next); 0: none
 *
 * Context: Any context.
 */
void iox_mock_fail_table_alloc(struct iox_mock *mock, unsigned int nth)
{
	mock->failed_level = -1;
	atomic_set(&mock->fail_nth, nth);
}
EXPORT_SYMBOL_GPL(iox_mock_fail_table_alloc);

/**
 * iox_mock_failed_level() - table level of the last injected failure
 * @mock: the unit
 *
 * Context: Any context.
 * Return: the level (0 is the root) or -1 if no failure was injected.
 */
int iox_mock_failed_level(struct iox_mock *mock)
{
	return mock->failed_level;
}
EXPORT_SYMBOL_GPL(iox_mock_failed_level);

/**
 * iox_mock_get_stats() - snapshot the mock's counters
 * @mock: the unit
 * @stats: filled in
 *
 * Context: Any context.
 */
void iox_mock_get_stats(struct iox_mock *mock, struct iox_mock_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&mock->lock, flags);
	*stats = mock->stats;
	spin_unlock_irqrestore(&mock->lock, flags);
	stats->table_pages = atomic_long_read(&mock->table_pages);
	stats->map_calls = atomic_long_read(&mock->map_calls);
	stats->last_map_pgsize = READ_ONCE(mock->last_map_pgsize);
	stats->last_map_pgcount = READ_ONCE(mock->last_map_pgcount);
}
EXPORT_SYMBOL_GPL(iox_mock_get_stats);

MODULE_DESCRIPTION("iox software IOMMU unit for tests");
MODULE_LICENSE("GPL");
