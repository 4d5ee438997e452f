/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox: the interface between the core and hardware unit drivers.
 *
 * A driver describes each IOMMU instance as a struct iox_unit with an ops
 * table, registers it, and implements domains whose page tables the core
 * drives through struct iox_domain_ops. Documentation/iox/drivers.rst shows
 * how VT-d, AMD-Vi, SMMUv3, SMMU v1/v2 and the MSM IOMMU map onto it.
 */
#ifndef _LINUX_IOX_DRIVER_H
#define _LINUX_IOX_DRIVER_H

#include <linux/iox.h>

struct device_node;
struct module;
struct pci_dev;

/* Most requester/stream IDs one device may emit (aliases, multi-function). */
#define IOX_DEV_MAX_IDS		8

/**
 * struct iox_dev - a device behind a unit, as the core tracks it
 * @dev: the device
 * @unit: the unit translating its requests
 * @group: the isolation group it belongs to
 * @unit_node: link in @unit's device list
 * @group_node: link in @group's device list
 * @ids: requester/stream IDs the device emits, filled by probe_device
 * @nr_ids: valid entries of @ids
 * @max_pasids: PASIDs the device may use (0: none), filled by probe_device
 * @priv: driver data
 */
struct iox_dev {
	struct device *dev;
	struct iox_unit *unit;
	struct iox_group *group;
	struct list_head unit_node;
	struct list_head group_node;
	u32 ids[IOX_DEV_MAX_IDS];
	unsigned int nr_ids;
	u32 max_pasids;
	void *priv;
};

/**
 * struct iox_unit_ops - per-unit operations
 * @owner: module implementing the unit, pinned while it has domains
 * @probe_device: claim @idev->dev if this unit translates it and fill
 *	@idev->ids and @idev->max_pasids; -ENODEV if the device is not behind
 *	this unit.
 * @release_device: forget a device; it is attached to the blocked domain.
 * @device_group: the isolation key of a device. Devices of one unit with
 *	equal keys share a group (e.g. PCI aliases, shared stream IDs).
 *	Optional: without it every device is its own group.
 * @domain_alloc: allocate a domain of an enum iox_domain_type. Paging
 *	domains come back with pgsize_bitmap, aperture and paddr_max set.
 *	Must support at least IOX_DOMAIN_BLOCKED and IOX_DOMAIN_PAGING.
 * @capable: whether the unit has an enum iox_cap capability.
 * @get_resv_regions: add a device's reserved regions to a list (allocated
 *	with iox_alloc_resv_region()). Optional.
 */
struct iox_unit_ops {
	struct module *owner;
	int (*probe_device)(struct iox_unit *unit, struct iox_dev *idev);
	void (*release_device)(struct iox_unit *unit, struct iox_dev *idev);
	int (*device_group)(struct iox_unit *unit, struct iox_dev *idev,
			    u64 *key);
	struct iox_domain *(*domain_alloc)(struct iox_unit *unit,
					   unsigned int type);
	bool (*capable)(struct iox_unit *unit, enum iox_cap cap);
	int (*get_resv_regions)(struct iox_unit *unit, struct iox_dev *idev,
				struct list_head *head);
};

/**
 * struct iox_domain_ops - per-domain operations
 * @attach_dev: make @idev translate through the domain (write its
 *	context/stream table entry and invalidate the cached one). The core
 *	calls it only with a domain of @idev's unit. Attaching to the unit's
 *	blocked domain must not fail.
 * The three page-table ops below are not needed by a domain whose
 * struct iox_domain.pt is set: the core drives the engine's table itself.
 * Such a domain may still have map_pages, to change a map before it goes
 * to the engine; the core then maps through it, one-page maps included.
 *
 * @map_pages: map @pgcount pages of @pgsize from @iova to @paddr; the core
 *	guarantees alignment and that @pgsize is in pgsize_bitmap. Set
 *	*@mapped to the bytes mapped; on error the core unmaps them.
 *	-EEXIST if any page is already mapped; the pages before it stay
 *	mapped and are counted in *@mapped. Empty tables replaced by larger
 *	leaves go on @gather's freelist; the core syncs @gather.
 * @unmap_pages: remove every leaf inside [@iova, @iova + @pgsize *
 *	@pgcount), where @pgsize is the domain's smallest page size; holes
 *	are skipped. Record invalidation work in @gather. Return the bytes of
 *	the leaves removed, or -EINVAL, removing nothing, if a leaf crosses
 *	either end of the range.
 * @iotlb_sync_map: make new mappings visible to a unit that caches
 *	not-present entries. Optional.
 * @invalidate_range: invalidate the domain's cached translations of
 *	[@start, @last] and return once the unit has completed it; with
 *	@leaf_only only leaf entries changed (no table was freed), so the
 *	unit may keep what it caches of the tables. The core calls it to
 *	carry out a gather, then frees the tables the gather collected
 *	(pages of struct iox_domain.pt); tables gathered without a range go
 *	to @flush_iotlb_all instead.
 * @flush_iotlb_all: invalidate every cached translation of the domain and
 *	return once the unit has completed it.
 * @iova_to_phys: fill @leaf for @iova; -ENOENT when nothing is mapped.
 * @free: release the domain; it is detached from everything.
 */
struct iox_domain_ops {
	int (*attach_dev)(struct iox_domain *domain, struct iox_dev *idev);
	int (*map_pages)(struct iox_domain *domain, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped,
			 struct iox_iotlb_gather *gather);
	ssize_t (*unmap_pages)(struct iox_domain *domain, unsigned long iova,
			       size_t pgsize, size_t pgcount,
			       struct iox_iotlb_gather *gather);
	int (*iotlb_sync_map)(struct iox_domain *domain, unsigned long iova,
			      size_t size);
	void (*invalidate_range)(struct iox_domain *domain,
				 unsigned long start, unsigned long last,
				 bool leaf_only);
	void (*flush_iotlb_all)(struct iox_domain *domain);
	int (*iova_to_phys)(struct iox_domain *domain, unsigned long iova,
			    struct iox_leaf *leaf);
	void (*free)(struct iox_domain *domain);
};

/**
 * struct iox_unit - one IOMMU instance
 * @ops: the driver's unit operations
 * @hwdev: the device of the IOMMU itself, for logs
 * @name: short name for logs and debugfs
 * @max_pasid_bits: PASID width the unit supports (0: none)
 * @node: link in the core's unit list
 * @devices: struct iox_dev of the devices behind the unit
 * @groups: struct iox_group of those devices
 * @blocked: the unit's blocked domain, the safe state of detached groups
 */
struct iox_unit {
	const struct iox_unit_ops *ops;
	struct device *hwdev;
	const char *name;
	unsigned int max_pasid_bits;
	struct list_head node;
	struct list_head devices;
	struct list_head groups;
	struct iox_domain *blocked;
};

int iox_unit_register(struct iox_unit *unit);
void iox_unit_unregister(struct iox_unit *unit);
struct iox_dev *iox_dev_get(struct device *dev);
unsigned int iox_units_get(struct iox_unit **units, unsigned int max);
void iox_unit_put(struct iox_unit *unit);
struct iox_domain *iox_unit_domain_alloc(struct iox_unit *unit,
					 unsigned int type);
int iox_pci_dma_ids(struct pci_dev *pdev, u16 *ids, unsigned int max,
		    u16 *visible);
int iox_pci_of_stream_id(struct pci_dev *pdev, u16 rid,
			 struct device_node *iommu, u32 *sid);
struct iox_resv_region *iox_alloc_resv_region(u64 start, u64 length,
					      int prot,
					      enum iox_resv_type type,
					      gfp_t gfp);

#endif /* _LINUX_IOX_DRIVER_H */
