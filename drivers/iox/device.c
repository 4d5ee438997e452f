// SPDX-License-Identifier: GPL-2.0
/*
 * iox devices and groups: which unit translates a device, and which
 * devices must share a domain because the hardware cannot tell them apart.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include "iox-priv.h"

static unsigned int iox_next_group_id;

/**
 * iox_dev_find_locked() - look up the core's record of a device
 * @dev: the device
 *
 * Context: Topology lock held.
 * Return: the struct iox_dev, or NULL if @dev was not probed.
 */
struct iox_dev *iox_dev_find_locked(struct device *dev)
{
	struct iox_unit *unit;
	struct iox_dev *idev;

	lockdep_assert_held(&iox_topology_lock);
	list_for_each_entry(unit, &iox_units, node)
		list_for_each_entry(idev, &unit->devices, unit_node)
			if (idev->dev == dev)
				return idev;
	return NULL;
}

/**
 * iox_dev_get() - the core's record of a probed device
 * @dev: the device
 *
 * Context: Process context; takes the topology lock. The record stays valid
 * until iox_release_device(@dev).
 * Return: the struct iox_dev, or NULL if @dev was not probed.
 */
struct iox_dev *iox_dev_get(struct device *dev)
{
	struct iox_dev *idev;

	mutex_lock(&iox_topology_lock);
	idev = iox_dev_find_locked(dev);
	mutex_unlock(&iox_topology_lock);
	return idev;
}
EXPORT_SYMBOL_GPL(iox_dev_get);

static struct iox_group *iox_group_find_locked(struct iox_unit *unit, u64 key)
{
	struct iox_group *group;

	list_for_each_entry(group, &unit->groups, node)
		if (group->key == key)
			return group;
	return NULL;
}

static struct iox_group *iox_group_new_locked(struct iox_unit *unit, u64 key)
{
	struct iox_group *group = kzalloc(sizeof(*group), GFP_KERNEL);

	if (!group)
		return NULL;
	group->unit = unit;
	group->key = key;
	group->id = iox_next_group_id++;
	group->domain = unit->blocked;
	INIT_LIST_HEAD(&group->devices);
	list_add_tail(&group->node, &unit->groups);
	atomic_inc(&iox_live_groups);
	return group;
}

static void iox_group_free_locked(struct iox_group *group)
{
	if (group->domain != group->unit->blocked)
		group->domain->attached--;
	list_del(&group->node);
	atomic_dec(&iox_live_groups);
	kfree(group);
}

/* Put a new device into its group and make it translate like the group. */
static int iox_dev_join_group_locked(struct iox_unit *unit,
				     struct iox_dev *idev)
{
	struct iox_group *group;
	bool new_group = false;
	u64 key = (uintptr_t)idev;
	int ret;

	if (unit->ops->device_group) {
		ret = unit->ops->device_group(unit, idev, &key);
		if (ret)
			return ret;
	}

	group = iox_group_find_locked(unit, key);
	/*
	 * A group owned by a translating domain does not grow: the owner
	 * vetted its members' reserved regions and isolation when it attached.
	 */
	if (group && group->domain != unit->blocked)
		return -EBUSY;
	if (!group) {
		group = iox_group_new_locked(unit, key);
		if (!group)
			return -ENOMEM;
		new_group = true;
	}

	ret = iox_dev_attach(group->domain, idev);
	if (ret) {
		if (new_group)
			iox_group_free_locked(group);
		return ret;
	}
	idev->group = group;
	list_add_tail(&idev->group_node, &group->devices);
	return 0;
}

/**
 * iox_probe_device() - find the unit translating a device and track it
 * @dev: the device
 *
 * Each registered unit is asked in turn; the first that claims @dev owns
 * it. The device joins its isolation group and translates like the group
 * (a new group starts in the unit's blocked domain).
 *
 * Context: Process context; takes the topology lock.
 * Return: 0; -EEXIST if already probed; -ENODEV if no unit translates
 * @dev; -ENOMEM; or the driver's error.
 */
int iox_probe_device(struct device *dev)
{
	struct iox_unit *unit;
	struct iox_dev *idev;
	int ret = -ENODEV;

	idev = kzalloc(sizeof(*idev), GFP_KERNEL);
	if (!idev)
		return -ENOMEM;
	idev->dev = dev;

	mutex_lock(&iox_topology_lock);
	if (iox_dev_find_locked(dev)) {
		ret = -EEXIST;
		goto out_free;
	}
	list_for_each_entry(unit, &iox_units, node) {
		idev->unit = unit;
		ret = unit->ops->probe_device(unit, idev);
		if (ret != -ENODEV)
			break;
	}
	if (ret)
		goto out_free;

	ret = iox_dev_join_group_locked(unit, idev);
	if (ret) {
		if (unit->ops->release_device)
			unit->ops->release_device(unit, idev);
		goto out_free;
	}
	list_add_tail(&idev->unit_node, &unit->devices);
	mutex_unlock(&iox_topology_lock);
	return 0;

out_free:
	mutex_unlock(&iox_topology_lock);
	kfree(idev);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_probe_device);

/**
 * iox_release_device() - stop tracking a device
 * @dev: a probed device (anything else is ignored)
 *
 * The device is moved to the blocked domain first, so it cannot reach
 * memory its group's domain maps once it has left the group.
 *
 * Context: Process context; takes the topology lock.
 */
void iox_release_device(struct device *dev)
{
	struct iox_group *group;
	struct iox_unit *unit;
	struct iox_dev *idev;

	mutex_lock(&iox_topology_lock);
	idev = iox_dev_find_locked(dev);
	if (!idev) {
		mutex_unlock(&iox_topology_lock);
		return;
	}
	unit = idev->unit;
	group = idev->group;
	if (group->domain != unit->blocked)
		WARN_ON(iox_dev_attach(unit->blocked, idev));
	list_del(&idev->group_node);
	if (list_empty(&group->devices))
		iox_group_free_locked(group);
	list_del(&idev->unit_node);
	if (unit->ops->release_device)
		unit->ops->release_device(unit, idev);
	mutex_unlock(&iox_topology_lock);
	kfree(idev);
}
EXPORT_SYMBOL_GPL(iox_release_device);

/**
 * iox_device_group() - the isolation group of a device
 * @dev: the device
 *
 * Context: Process context; takes the topology lock. The group lives while
 * any of its devices is probed.
 * Return: the group, or NULL if @dev was not probed.
 */
struct iox_group *iox_device_group(struct device *dev)
{
	struct iox_dev *idev = iox_dev_get(dev);

	return idev ? idev->group : NULL;
}
EXPORT_SYMBOL_GPL(iox_device_group);

/**
 * iox_group_id() - a group's number
 * @group: the group
 *
 * Context: Any context.
 * Return: a number unique among live groups.
 */
unsigned int iox_group_id(const struct iox_group *group)
{
	return group->id;
}
EXPORT_SYMBOL_GPL(iox_group_id);

/**
 * iox_device_group_for_each() - visit the devices sharing a device's group
 * @dev: a probed device
 * @fn: called for each member, @dev included, until it returns nonzero;
 *	it must not sleep or call back into iox
 * @data: passed to @fn
 *
 * Context: Process context; takes the topology lock.
 * Return: the first nonzero value of @fn, 0 after the last member, or
 * -ENODEV if @dev is not probed.
 */
int iox_device_group_for_each(struct device *dev,
			      int (*fn)(struct device *member, void *data),
			      void *data)
{
	struct iox_dev *idev, *member;
	int ret = -ENODEV;

	mutex_lock(&iox_topology_lock);
	idev = iox_dev_find_locked(dev);
	if (idev) {
		ret = 0;
		list_for_each_entry(member, &idev->group->devices, group_node) {
			ret = fn(member->dev, data);
			if (ret)
				break;
		}
	}
	mutex_unlock(&iox_topology_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_device_group_for_each);

/**
 * iox_capable() - whether the unit translating a device has a capability
 * @dev: the device
 * @cap: the capability
 *
 * Context: Process context.
 * Return: true if @dev is probed and its unit reports @cap.
 */
bool iox_capable(struct device *dev, enum iox_cap cap)
{
	struct iox_dev *idev = iox_dev_get(dev);

	return idev && idev->unit->ops->capable &&
	       idev->unit->ops->capable(idev->unit, cap);
}
EXPORT_SYMBOL_GPL(iox_capable);

/**
 * iox_domain_capable() - whether a domain's unit has a capability
 * @domain: the domain
 * @cap: the capability
 *
 * Context: Any context.
 * Return: true if the unit @domain lives on reports @cap.
 */
bool iox_domain_capable(struct iox_domain *domain, enum iox_cap cap)
{
	struct iox_unit *unit = domain->unit;

	return unit->ops->capable && unit->ops->capable(unit, cap);
}
EXPORT_SYMBOL_GPL(iox_domain_capable);

/**
 * iox_device_max_pasids() - PASIDs a device may use through its unit
 * @dev: the device
 *
 * Context: Process context.
 * Return: the number of PASIDs, 0 if none or if @dev is not probed.
 */
u32 iox_device_max_pasids(struct device *dev)
{
	struct iox_dev *idev = iox_dev_get(dev);

	if (!idev || !idev->unit->max_pasid_bits)
		return 0;
	return min_t(u64, idev->max_pasids, BIT_ULL(idev->unit->max_pasid_bits));
}
EXPORT_SYMBOL_GPL(iox_device_max_pasids);
