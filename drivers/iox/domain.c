// SPDX-License-Identifier: GPL-2.0
/*
 * iox domains: allocation, attachment of groups, and the reserved IOVA
 * ranges a domain must keep out of its page table.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/err.h>
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

	return domain->pgsize_bitmap && ops->map_pages && ops->unmap_pages &&
	       ops->iova_to_phys && ops->iotlb_sync &&
	       ops->flush_iotlb_all &&
	       domain->aperture_end > domain->aperture_start &&
	       !(domain->aperture_start & (BIT(__ffs(domain->pgsize_bitmap)) - 1));
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
	atomic_inc(&iox_live_domains);
	return domain;
}

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
	struct iox_domain *domain;
	struct iox_unit *unit;
	struct iox_dev *idev;

	idev = iox_dev_get(dev);
	if (!idev)
		return ERR_PTR(-ENODEV);
	unit = idev->unit;
	if (!try_module_get(unit->ops->owner))
		return ERR_PTR(-ENODEV);
	domain = iox_domain_alloc_unit(unit, type);
	if (IS_ERR(domain))
		module_put(unit->ops->owner);
	return domain;
}
EXPORT_SYMBOL_GPL(iox_domain_alloc);

static void iox_group_to_blocked_locked(struct iox_group *group)
{
	struct iox_domain *blocked = group->unit->blocked;
	struct iox_dev *idev;

	list_for_each_entry(idev, &group->devices, group_node)
		WARN_ON(blocked->ops->attach_dev(blocked, idev));
	group->domain->attached--;
	group->domain = blocked;
}

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
 * iox_resv_overlaps() - whether a range touches a reserved range of a domain
 * @domain: the domain
 * @iova: first IOVA
 * @size: bytes, not zero, not wrapping
 *
 * Context: Any context; lockless against concurrent attaches.
 * Return: true if [@iova, @iova + @size) intersects a reserved range.
 */
bool iox_resv_overlaps(struct iox_domain *domain, unsigned long iova,
		       size_t size)
{
	/* Pairs with the release in iox_domain_take_resv_locked(). */
	unsigned int i, n = smp_load_acquire(&domain->nr_resv);
	u64 last = (u64)iova + size - 1;

	for (i = 0; i < n; i++)
		if (iova <= domain->resv[i].last && last >= domain->resv[i].start)
			return true;
	return false;
}

static bool iox_resv_known(struct iox_domain *domain, unsigned int n,
			   const struct iox_range *range)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (domain->resv[i].start == range->start &&
		    domain->resv[i].last == range->last)
			return true;
	return false;
}

/* Whether anything is mapped in an inclusive range, walking page by page. */
static bool iox_range_mapped(struct iox_domain *domain,
			     const struct iox_range *range)
{
	u64 step = BIT(__ffs(domain->pgsize_bitmap));
	struct iox_leaf leaf;
	u64 iova;

	for (iova = ALIGN_DOWN(range->start, step); iova <= range->last;
	     iova += step) {
		if (iova >= domain->aperture_start &&
		    iova <= domain->aperture_end &&
		    !domain->ops->iova_to_phys(domain, iova, &leaf))
			return true;
		if (iova > U64_MAX - step)
			break;
	}
	return false;
}

/*
 * Record a group's reserved regions in a translating domain and install
 * its direct (identity) mappings. All checks come first, so a refused
 * attach leaves the domain as it was.
 */
static int iox_domain_take_resv_locked(struct iox_domain *domain,
				       struct iox_group *group)
{
	struct iox_resv_region *region;
	struct iox_range range;
	unsigned int n = domain->nr_resv, added = 0;
	LIST_HEAD(regions);
	int ret;

	ret = iox_group_resv_regions_locked(group, &regions);
	if (ret)
		goto out;

	list_for_each_entry(region, &regions, list) {
		range.start = region->start;
		range.last = region->start + region->length - 1;
		if (!region->length || range.last < range.start) {
			ret = -EINVAL;
			goto out;
		}
		if (iox_resv_known(domain, n + added, &range))
			continue;
		if (region->type != IOX_RESV_DIRECT &&
		    iox_range_mapped(domain, &range)) {
			ret = -EBUSY;
			goto out;
		}
		if (n + added == IOX_DOMAIN_MAX_RESV) {
			ret = -ENOSPC;
			goto out;
		}
		/* Staged past nr_resv: invisible to iox_map() until published. */
		domain->resv[n + added++] = range;
	}

	list_for_each_entry(region, &regions, list) {
		if (region->type != IOX_RESV_DIRECT)
			continue;
		if (iox_iova_to_phys(domain, region->start) == region->start)
			continue;
		ret = iox_map_nocheck(domain, region->start, region->start,
				      region->length, region->prot, GFP_KERNEL);
		if (ret)
			goto out;
	}
	/* Entries before count: pairs with iox_resv_overlaps()'s acquire. */
	smp_store_release(&domain->nr_resv, n + added);
out:
	iox_put_resv_regions(&regions);
	return ret;
}

/**
 * iox_attach_group() - make a group translate through a domain
 * @domain: a domain of the group's unit
 * @group: a group in the blocked domain
 *
 * A group moves between two domains only through the blocked domain:
 * detach it first. For a translating domain, the members' reserved regions
 * become reserved in the domain and their direct regions are mapped.
 *
 * Context: Process context; takes the topology lock.
 * Return: 0; -EINVAL if @domain belongs to another unit; -EBUSY if the
 * group is attached elsewhere or a reserved region is already mapped;
 * -ENOSPC past IOX_DOMAIN_MAX_RESV reserved ranges; or the driver's error,
 * in which case every member is back in the blocked domain.
 */
int iox_attach_group(struct iox_domain *domain, struct iox_group *group)
{
	struct iox_domain *blocked = group->unit->blocked;
	struct iox_dev *idev;
	int ret = 0;

	if (domain->unit != group->unit)
		return -EINVAL;

	mutex_lock(&iox_topology_lock);
	if (group->domain != blocked) {
		ret = -EBUSY;
		goto out;
	}
	if (domain == blocked)
		goto out;
	if (iox_domain_is_paging(domain)) {
		ret = iox_domain_take_resv_locked(domain, group);
		if (ret)
			goto out;
	}
	list_for_each_entry(idev, &group->devices, group_node) {
		ret = domain->ops->attach_dev(domain, idev);
		if (ret)
			break;
	}
	if (ret) {
		list_for_each_entry(idev, &group->devices, group_node)
			WARN_ON(blocked->ops->attach_dev(blocked, idev));
		goto out;
	}
	group->domain = domain;
	domain->attached++;
out:
	mutex_unlock(&iox_topology_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_attach_group);

/**
 * iox_detach_group() - return a group to the blocked domain
 * @domain: the domain the group is attached to
 * @group: the group
 *
 * Context: Process context; takes the topology lock. Warns, changing
 * nothing, if @group is not attached to @domain.
 */
void iox_detach_group(struct iox_domain *domain, struct iox_group *group)
{
	mutex_lock(&iox_topology_lock);
	if (!WARN_ON(group->domain != domain || domain == group->unit->blocked))
		iox_group_to_blocked_locked(group);
	mutex_unlock(&iox_topology_lock);
}
EXPORT_SYMBOL_GPL(iox_detach_group);

static struct iox_group *iox_singleton_group(struct device *dev)
{
	struct iox_group *group;
	struct iox_dev *idev;

	mutex_lock(&iox_topology_lock);
	idev = iox_dev_find_locked(dev);
	group = idev ? idev->group : NULL;
	if (group && !list_is_singular(&group->devices))
		group = ERR_PTR(-EINVAL);
	mutex_unlock(&iox_topology_lock);
	return group ?: ERR_PTR(-ENODEV);
}

/**
 * iox_attach_device() - attach the group of a device that is alone in it
 * @domain: a domain of the device's unit
 * @dev: a probed device
 *
 * Context: Process context.
 * Return: as iox_attach_group(); -ENODEV if @dev is not probed; -EINVAL
 * if its group has other members (attach the group instead).
 */
int iox_attach_device(struct iox_domain *domain, struct device *dev)
{
	struct iox_group *group = iox_singleton_group(dev);

	if (IS_ERR(group))
		return PTR_ERR(group);
	return iox_attach_group(domain, group);
}
EXPORT_SYMBOL_GPL(iox_attach_device);

/**
 * iox_detach_device() - detach the single-device group of a device
 * @domain: the domain it is attached to
 * @dev: the device
 *
 * Context: Process context. Warns if @dev is not alone in an attached
 * group.
 */
void iox_detach_device(struct iox_domain *domain, struct device *dev)
{
	struct iox_group *group = iox_singleton_group(dev);

	if (!WARN_ON(IS_ERR(group)))
		iox_detach_group(domain, group);
}
EXPORT_SYMBOL_GPL(iox_detach_device);

/**
 * iox_get_domain_for_dev() - the domain a device translates through
 * @dev: the device
 *
 * Context: Process context.
 * Return: the domain (the unit's blocked domain when detached), or NULL if
 * @dev is not probed.
 */
struct iox_domain *iox_get_domain_for_dev(struct device *dev)
{
	struct iox_domain *domain = NULL;
	struct iox_dev *idev;

	mutex_lock(&iox_topology_lock);
	idev = iox_dev_find_locked(dev);
	if (idev)
		domain = idev->group->domain;
	mutex_unlock(&iox_topology_lock);
	return domain;
}
EXPORT_SYMBOL_GPL(iox_get_domain_for_dev);
