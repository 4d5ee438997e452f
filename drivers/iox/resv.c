// SPDX-License-Identifier: GPL-2.0
/*
 * iox reserved regions: IOVA ranges a device's translating domain must
 * keep out of its page table (MSI windows, bridge holes) or keep
 * identity-mapped (RMRR/IVMD-style direct regions).
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/err.h>
#include "iox-priv.h"

/**
 * iox_alloc_resv_region() - allocate a reserved region descriptor
 * @start: first IOVA
 * @length: bytes
 * @prot: IOX_* permissions, for @IOX_RESV_DIRECT
 * @type: the kind of region
 * @gfp: allocation flags
 *
 * Context: As allowed by @gfp.
 * Return: the region (list head initialised), or NULL.
 */
struct iox_resv_region *iox_alloc_resv_region(u64 start, u64 length,
					      int prot,
					      enum iox_resv_type type,
					      gfp_t gfp)
{
	struct iox_resv_region *region = kzalloc(sizeof(*region), gfp);

	if (!region)
		return NULL;
	INIT_LIST_HEAD(&region->list);
	region->start = start;
	region->length = length;
	region->prot = prot;
	region->type = type;
	return region;
}
EXPORT_SYMBOL_GPL(iox_alloc_resv_region);

static int iox_get_resv_regions_locked(struct iox_dev *idev,
				       struct list_head *head)
{
	const struct iox_unit_ops *ops = idev->unit->ops;

	if (!ops->get_resv_regions)
		return 0;
	return ops->get_resv_regions(idev->unit, idev, head);
}

/**
 * iox_get_resv_regions() - the reserved IOVA regions of a device
 * @dev: the device
 * @head: list to append struct iox_resv_region entries to
 *
 * Context: Process context.
 * Return: 0, -ENODEV if @dev is not probed, or -ENOMEM. Free the entries
 * with iox_put_resv_regions() in every case.
 */
int iox_get_resv_regions(struct device *dev, struct list_head *head)
{
	struct iox_dev *idev;
	int ret;

	mutex_lock(&iox_topology_lock);
	idev = iox_dev_find_locked(dev);
	ret = idev ? iox_get_resv_regions_locked(idev, head) : -ENODEV;
	mutex_unlock(&iox_topology_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_get_resv_regions);

/**
 * iox_put_resv_regions() - free a list of reserved regions
 * @head: list filled by iox_get_resv_regions()
 *
 * Context: Any context.
 */
void iox_put_resv_regions(struct list_head *head)
{
	struct iox_resv_region *region, *next;

	list_for_each_entry_safe(region, next, head, list) {
		list_del(&region->list);
		kfree(region);
	}
}
EXPORT_SYMBOL_GPL(iox_put_resv_regions);

/**
 * iox_group_resv_regions_locked() - reserved regions of every group member
 * @group: the group
 * @head: list to append to
 *
 * Context: Topology lock held.
 * Return: 0 or the first driver error.
 */
int iox_group_resv_regions_locked(struct iox_group *group,
				  struct list_head *head)
{
	struct iox_dev *idev;
	int ret;

	list_for_each_entry(idev, &group->devices, group_node) {
		ret = iox_get_resv_regions_locked(idev, head);
		if (ret)
			return ret;
	}
	return 0;
}

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
		    !iox_lookup(domain, iova, &leaf))
			return true;
		if (iova > U64_MAX - step)
			break;
	}
	return false;
}

/**
 * iox_domain_take_resv_locked() - reserve a group's regions in a domain
 * @domain: a translating domain the group is joining
 * @group: the group
 *
 * Records the members' reserved regions in @domain and installs their
 * direct (identity) mappings. All checks come first, so a refused attach
 * leaves the domain as it was.
 *
 * Context: Topology lock held.
 * Return: 0; -EBUSY if a new reserved region is already mapped; -ENOSPC
 * past IOX_DOMAIN_MAX_RESV ranges; -EINVAL for an empty or wrapping
 * region; or an allocation or mapping error.
 */
int iox_domain_take_resv_locked(struct iox_domain *domain,
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
