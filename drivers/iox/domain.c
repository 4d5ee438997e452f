// SPDX-License-Identifier: GPL-2.0
/*
 * iox domains: allocation by type, freeing, page sizes and fault routing.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/iox-pt.h>
#include "iox-priv.h"

static bool iox_domain_type_valid(unsigned int type)
{
	switch (type) {
	case IOX_DOMAIN_BLOCKED:
	case IOX_DOMAIN_IDENTITY:
	case IOX_DOMAIN_PAGING:
	case IOX_DOMAIN_DMA:
	case IOX_DOMAIN_DMA_FQ:
		return true;
	}
	return false;
}

/* A driver's paging domain must describe a usable address space. */
static bool iox_paging_domain_sane(const struct iox_domain *domain)
{
	const struct iox_domain_ops *ops = domain->ops;

	return domain->pgsize_bitmap &&
	       (domain->pt || (ops->map_pages && ops->unmap_pages &&
			       ops->iova_to_phys)) &&
	       ops->invalidate_range &&
	       ops->flush_iotlb_all &&
	       domain->aperture_end > domain->aperture_start &&
	       !(domain->aperture_start & (BIT(__ffs(domain->pgsize_bitmap)) - 1));
}

/* Which single-page maps and unmaps may go straight to the engine. */
static void iox_domain_set_leaf_sizes(struct iox_domain *domain)
{
	struct iox_pt *pt = domain->pt;
	unsigned long granule;

	domain->pt_leaf_sizes = 0;
	domain->pt_page_size = 0;
	if (!iox_domain_is_paging(domain) || !pt ||
	    domain->ops->iotlb_sync_map || domain->ops->map_pages)
		return;
	domain->pt_leaf_sizes = pt->entry_sizes & domain->pgsize_bitmap;
	granule = BIT(pt->shift[pt->cfg.levels - 1]);
	if (domain->pt_leaf_sizes & granule)
		domain->pt_page_size = granule;
}

/**
 * iox_domain_alloc_unit() - allocate a domain from a unit's driver
 * @unit: the unit
 * @type: an enum iox_domain_type value
 *
 * Context: Process context.
 * Return: the domain, or ERR_PTR(-EINVAL / -EOPNOTSUPP / -ENOMEM).
 */
struct iox_domain *iox_domain_alloc_unit(struct iox_unit *unit,
					 unsigned int type)
{
	struct iox_domain *domain;

	if (!iox_domain_type_valid(type))
		return ERR_PTR(-EINVAL);
	domain = unit->ops->domain_alloc(unit, type);
	if (IS_ERR(domain))
		return domain;
	if (!domain)
		return ERR_PTR(-ENOMEM);

	domain->type = type;
	domain->unit = unit;
	domain->handler = NULL;
	domain->nr_resv = 0;
	domain->attached = 0;
	atomic_set(&domain->nr_unhandled_faults, 0);
	if (WARN_ON(!domain->ops || !domain->ops->attach_dev ||
		    !domain->ops->free) ||
	    WARN_ON(iox_domain_is_paging(domain) &&
		    !iox_paging_domain_sane(domain))) {
		if (domain->ops && domain->ops->free)
			domain->ops->free(domain);
		return ERR_PTR(-EINVAL);
	}
	iox_domain_set_leaf_sizes(domain);
	atomic_inc(&iox_live_domains);
	return domain;
}

/**
 * iox_unit_domain_alloc() - allocate a domain on a given unit
 * @unit: a unit of iox_units_get()
 * @type: an enum iox_domain_type value
 *
 * As iox_domain_alloc(), for a caller that knows the unit but no device
 * behind it yet.
 *
 * Context: Process context.
 * Return: the domain; ERR_PTR(-ENODEV) if the unit's driver is going
 * away, -EINVAL for an unknown @type, -EOPNOTSUPP, -ENOMEM.
 */
struct iox_domain *iox_unit_domain_alloc(struct iox_unit *unit,
					 unsigned int type)
{
	struct iox_domain *domain;

	if (!try_module_get(unit->ops->owner))
		return ERR_PTR(-ENODEV);
	domain = iox_domain_alloc_unit(unit, type);
	if (IS_ERR(domain))
		module_put(unit->ops->owner);
	return domain;
}
EXPORT_SYMBOL_GPL(iox_unit_domain_alloc);

/**
 * iox_domain_alloc() - allocate a domain for the unit translating a device
 * @dev: a probed device
 * @type: an enum iox_domain_type value
 *
 * The domain can be attached to any group of the same unit. It pins the
 * unit driver's module until freed.
 *
 * Context: Process context.
 * Return: the domain; ERR_PTR(-ENODEV) if @dev is not probed, -EINVAL for
 * an unknown @type, -EOPNOTSUPP if the unit lacks @type, -ENOMEM.
 */
struct iox_domain *iox_domain_alloc(struct device *dev, unsigned int type)
{
	struct iox_dev *idev = iox_dev_get(dev);

	if (!idev)
		return ERR_PTR(-ENODEV);
	return iox_unit_domain_alloc(idev->unit, type);
}
EXPORT_SYMBOL_GPL(iox_domain_alloc);

/**
 * iox_domain_free() - free a domain
 * @domain: the domain; NULL or an error pointer is ignored
 *
 * The caller must have detached every group. If it did not, this warns
 * and blocks those groups first, so no device keeps translating through
 * freed tables.
 *
 * Context: Process context; takes the topology lock.
 */
void iox_domain_free(struct iox_domain *domain)
{
	struct iox_unit *unit;
	struct iox_group *group;
	bool owned_by_unit;

	if (IS_ERR_OR_NULL(domain))
		return;
	unit = domain->unit;
	mutex_lock(&iox_topology_lock);
	if (WARN_ON(domain->attached))
		list_for_each_entry(group, &unit->groups, node)
			if (group->domain == domain)
				iox_group_to_blocked_locked(group);
	owned_by_unit = domain == unit->blocked;
	mutex_unlock(&iox_topology_lock);

	domain->ops->free(domain);
	atomic_dec(&iox_live_domains);
	if (!owned_by_unit)
		module_put(unit->ops->owner);
}
EXPORT_SYMBOL_GPL(iox_domain_free);

/**
 * iox_domain_restrict_pgsizes() - limit the page sizes a domain maps with
 * @domain: a paging domain with nothing mapped yet
 * @mask: page sizes allowed (bit n: 2^n bytes)
 *
 * The smallest page size must stay, so that every range the domain
 * accepted before still maps.
 *
 * Context: Before the domain is used; not concurrent with iox_map().
 * Return: 0; -EINVAL if @domain is not paging or @mask drops the smallest
 * page size.
 */
int iox_domain_restrict_pgsizes(struct iox_domain *domain, unsigned long mask)
{
	unsigned long sizes;

	if (!iox_domain_is_paging(domain))
		return -EINVAL;
	sizes = domain->pgsize_bitmap & mask;
	if (!sizes || __ffs(sizes) != __ffs(domain->pgsize_bitmap))
		return -EINVAL;
	domain->pgsize_bitmap = sizes;
	iox_domain_set_leaf_sizes(domain);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_domain_restrict_pgsizes);

/**
 * iox_set_fault_handler() - route a domain's faults to its owner
 * @domain: the domain
 * @handler: the callback, or NULL to log faults instead
 * @token: passed to @handler
 *
 * Context: Before devices that may fault are attached.
 */
void iox_set_fault_handler(struct iox_domain *domain,
			   iox_fault_handler_t handler, void *token)
{
	domain->handler_token = token;
	WRITE_ONCE(domain->handler, handler);
}
EXPORT_SYMBOL_GPL(iox_set_fault_handler);

/**
 * iox_domain_set_pt() - a paging domain translates through an engine table
 * @domain: the domain, being allocated by its driver
 * @pt: its table, initialized (iox_pt_init())
 *
 * The core maps, unmaps and looks up through @pt; the domain's page sizes,
 * aperture (from 0, the table's input size) and output limit are the
 * table's. A driver whose unit reaches less narrows them after.
 *
 * Context: Any context.
 */
void iox_domain_set_pt(struct iox_domain *domain, struct iox_pt *pt)
{
	domain->pt = pt;
	domain->pgsize_bitmap = pt->cfg.pgsize_bitmap;
	domain->aperture_start = 0;
	domain->aperture_end = pt->cfg.ias >= BITS_PER_LONG ? ULONG_MAX :
			       BIT(pt->cfg.ias) - 1;
	domain->paddr_max = pt->cfg.oas >= 64 ? U64_MAX :
			    BIT_ULL(pt->cfg.oas) - 1;
}
EXPORT_SYMBOL_GPL(iox_domain_set_pt);
