// SPDX-License-Identifier: GPL-2.0
/*
 * iox attachment: groups move between domains, always through their
 * unit's blocked domain.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/err.h>
#include "iox-priv.h"

/**
 * iox_group_to_blocked_locked() - move a group to its unit's blocked domain
 * @group: a group attached to a translating or identity domain
 *
 * Context: Topology lock held.
 */
void iox_group_to_blocked_locked(struct iox_group *group)
{
	struct iox_domain *blocked = group->unit->blocked;
	struct iox_dev *idev;

	list_for_each_entry(idev, &group->devices, group_node)
		WARN_ON(iox_dev_attach(blocked, idev));
	group->domain->attached--;
	group->domain = blocked;
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
		ret = iox_dev_attach(domain, idev);
		if (ret)
			break;
	}
	if (ret) {
		list_for_each_entry(idev, &group->devices, group_node)
			WARN_ON(iox_dev_attach(blocked, idev));
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
