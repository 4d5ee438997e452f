// SPDX-License-Identifier: GPL-2.0
/*
 * iox units: registration of hardware IOMMU instances, and the core
 * module's lifetime.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/rcupdate.h>
#include <linux/err.h>
#include "iox-priv.h"

/* Orders units, devices, groups and attachments; see iox-priv.h. */
DEFINE_MUTEX(iox_topology_lock);
LIST_HEAD(iox_units);
atomic_t iox_live_domains = ATOMIC_INIT(0);
atomic_t iox_live_groups = ATOMIC_INIT(0);

/**
 * iox_unit_register() - make a unit available to devices and domains
 * @unit: the unit, with @ops, @hwdev and @name set by the driver
 *
 * Allocates the unit's blocked domain, which every group starts in and
 * returns to when detached.
 *
 * Context: Process context; takes the topology lock.
 * Return: 0, -EINVAL if @unit lacks mandatory ops, or the blocked domain's
 * allocation error.
 */
int iox_unit_register(struct iox_unit *unit)
{
	const struct iox_unit_ops *ops = unit->ops;
	struct iox_domain *blocked;

	if (!ops || !ops->probe_device || !ops->domain_alloc || !unit->name)
		return -EINVAL;

	INIT_LIST_HEAD(&unit->devices);
	INIT_LIST_HEAD(&unit->groups);
	blocked = iox_domain_alloc_unit(unit, IOX_DOMAIN_BLOCKED);
	if (IS_ERR(blocked))
		return PTR_ERR(blocked);
	unit->blocked = blocked;

	mutex_lock(&iox_topology_lock);
	list_add_tail(&unit->node, &iox_units);
	mutex_unlock(&iox_topology_lock);
	pr_debug("unit %s registered\n", unit->name);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_unit_register);

/**
 * iox_unit_unregister() - remove a unit
 * @unit: a registered unit
 *
 * Releases every device still probed on the unit (each is first moved to
 * the blocked domain), then frees the blocked domain. The driver must have
 * freed its other domains.
 *
 * Context: Process context; takes the topology lock.
 */
void iox_unit_unregister(struct iox_unit *unit)
{
	struct iox_dev *idev, *next;

	mutex_lock(&iox_topology_lock);
	list_del(&unit->node);
	mutex_unlock(&iox_topology_lock);

	list_for_each_entry_safe(idev, next, &unit->devices, unit_node)
		iox_release_device(idev->dev);

	iox_domain_free(unit->blocked);
	unit->blocked = NULL;
}
EXPORT_SYMBOL_GPL(iox_unit_unregister);

/**
 * iox_units_get() - pin the registered units
 * @units: filled with up to @max units in registration order
 * @max: room in @units
 *
 * Each unit returned has its driver's module pinned, so it stays
 * registered until iox_unit_put(). For a user that serves every unit,
 * such as the bridge to the kernel's IOMMU API.
 *
 * Context: Process context; takes the topology lock.
 * Return: the number of units filled in.
 */
unsigned int iox_units_get(struct iox_unit **units, unsigned int max)
{
	struct iox_unit *unit;
	unsigned int n = 0;

	mutex_lock(&iox_topology_lock);
	list_for_each_entry(unit, &iox_units, node) {
		if (n == max)
			break;
		if (try_module_get(unit->ops->owner))
			units[n++] = unit;
	}
	mutex_unlock(&iox_topology_lock);
	return n;
}
EXPORT_SYMBOL_GPL(iox_units_get);

/**
 * iox_unit_put() - unpin a unit of iox_units_get()
 * @unit: the unit
 *
 * Context: Any context.
 */
void iox_unit_put(struct iox_unit *unit)
{
	module_put(unit->ops->owner);
}
EXPORT_SYMBOL_GPL(iox_unit_put);

static int __init iox_init(void)
{
	iox_vcm_debugfs_init();
	return 0;
}

static void __exit iox_exit(void)
{
	int domains = atomic_read(&iox_live_domains);
	int groups = atomic_read(&iox_live_groups);

	iox_vcm_debugfs_exit();
	/* Page-table pages freed after a grace period: the callback is ours. */
	rcu_barrier();
	/* The VM test runner treats "iox: leak" as a failure. */
	if (domains || groups || !list_empty(&iox_units))
		pr_err("leak: %d domains, %d groups, units %s\n", domains,
		       groups, list_empty(&iox_units) ? "none" : "registered");
}

module_init(iox_init);
module_exit(iox_exit);
MODULE_DESCRIPTION("iox IOMMU core");
MODULE_LICENSE("GPL");
