/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox core internals shared by the core's files, not by drivers.
 */
#ifndef _IOX_PRIV_H
#define _IOX_PRIV_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/iox-driver.h>

/*
 * Units, devices, groups and attachments change rarely and never on a
 * mapping path, so one mutex orders them all.
 */
extern struct mutex iox_topology_lock;
extern struct list_head iox_units;

/* Live objects, checked when the core is unloaded to report leaks. */
extern atomic_t iox_live_domains;
extern atomic_t iox_live_groups;

/**
 * struct iox_group - devices that cannot be isolated from each other
 * @unit: the unit the devices are behind
 * @node: link in @unit's group list
 * @devices: struct iox_dev members
 * @key: the isolation key the driver returned for the members
 * @id: number for logs and for iox_group_id()
 * @domain: the domain every member translates through
 */
struct iox_group {
	struct iox_unit *unit;
	struct list_head node;
	struct list_head devices;
	u64 key;
	unsigned int id;
	struct iox_domain *domain;
};

/**
 * iox_dev_attach() - point a device's table entries at a domain
 * @domain: the domain
 * @idev: a device
 *
 * Every attach_dev the core makes goes through here, so no driver is
 * handed a domain of another unit.
 *
 * Context: Topology lock held.
 * Return: 0; -EINVAL if @domain is not of @idev's unit; or the driver's
 * error.
 */
static inline int iox_dev_attach(struct iox_domain *domain,
				 struct iox_dev *idev)
{
	if (domain->unit != idev->unit)
		return -EINVAL;
	return domain->ops->attach_dev(domain, idev);
}

struct iox_dev *iox_dev_find_locked(struct device *dev);
struct iox_domain *iox_domain_alloc_unit(struct iox_unit *unit,
					 unsigned int type);
int iox_group_resv_regions_locked(struct iox_group *group,
				  struct list_head *head);
void iox_group_to_blocked_locked(struct iox_group *group);
int iox_domain_take_resv_locked(struct iox_domain *domain,
				struct iox_group *group);
bool iox_resv_overlaps(struct iox_domain *domain, unsigned long iova,
		       size_t size);
int iox_map_nocheck(struct iox_domain *domain, unsigned long iova,
		    phys_addr_t paddr, size_t size, int prot, gfp_t gfp);

#if IS_ENABLED(CONFIG_IOX_VCM) && IS_ENABLED(CONFIG_DEBUG_FS)
void iox_vcm_debugfs_init(void);
void iox_vcm_debugfs_exit(void);
#else
static inline void iox_vcm_debugfs_init(void) { }
static inline void iox_vcm_debugfs_exit(void) { }
#endif

#endif /* _IOX_PRIV_H */
