/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox: the IOMMU core, consumer interface.
 *
 * Callers (the DMA-API backend, VFIO-style containers, KVM-style device
 * assignment, VCM mappers) allocate domains, attach devices and map IOVA
 * ranges. Hardware drivers plug in through <linux/iox-driver.h>.
 *
 * See Documentation/iox/core.rst for the contracts.
 */
#ifndef _LINUX_IOX_H
#define _LINUX_IOX_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/bits.h>
#include <linux/limits.h>

struct device;
struct scatterlist;
struct iox_unit;
struct iox_group;
struct iox_domain_ops;
struct iox_pt;

/* Mapping permissions and attributes: the prot argument of iox_map(). */
#define IOX_READ	BIT(0)	/* device may read */
#define IOX_WRITE	BIT(1)	/* device may write */
#define IOX_CACHE	BIT(2)	/* coherent with CPU caches */
#define IOX_NOEXEC	BIT(3)	/* instruction fetch forbidden */
#define IOX_MMIO	BIT(4)	/* device memory (e.g. an MSI doorbell) */
#define IOX_PRIV	BIT(5)	/* privileged accesses only */
#define IOX_PROT_MASK	GENMASK(5, 0)

/* Domain types are built from these feature bits. */
#define __IOX_DOMAIN_PAGING	BIT(0)	/* translates through a page table */
#define __IOX_DOMAIN_PT		BIT(1)	/* identity: IOVA == physical */
#define __IOX_DOMAIN_DMA_API	BIT(2)	/* IOVA space owned by the DMA backend */
#define __IOX_DOMAIN_DMA_FQ	BIT(3)	/* invalidation deferred to a flush queue */

/**
 * enum iox_domain_type - what a domain does with device accesses
 * @IOX_DOMAIN_BLOCKED: every access faults; the safe state of a group
 *	between two domains.
 * @IOX_DOMAIN_IDENTITY: accesses pass through untranslated.
 * @IOX_DOMAIN_PAGING: translated; the caller chooses every IOVA.
 * @IOX_DOMAIN_DMA: translated; IOVAs managed by the DMA backend, every
 *	unmap invalidated before it returns (strict).
 * @IOX_DOMAIN_DMA_FQ: as @IOX_DOMAIN_DMA, but invalidation batched through
 *	a flush queue (lazy).
 */
enum iox_domain_type {
	IOX_DOMAIN_BLOCKED = 0,
	IOX_DOMAIN_IDENTITY = __IOX_DOMAIN_PT,
	IOX_DOMAIN_PAGING = __IOX_DOMAIN_PAGING,
	IOX_DOMAIN_DMA = __IOX_DOMAIN_PAGING | __IOX_DOMAIN_DMA_API,
	IOX_DOMAIN_DMA_FQ = __IOX_DOMAIN_PAGING | __IOX_DOMAIN_DMA_API |
			    __IOX_DOMAIN_DMA_FQ,
};

/**
 * enum iox_cap - unit capabilities a caller may query with iox_capable()
 * @IOX_CAP_CACHE_COHERENCY: the unit can enforce snooping of DMA: its
 *	IOX_CACHE mappings are snooped whatever the request says.
 * @IOX_CAP_NOEXEC: IOX_NOEXEC is honoured.
 * @IOX_CAP_PASID: devices may issue PASID-tagged requests.
 * @IOX_CAP_DEFERRED_FLUSH: invalidation is costly enough that lazy DMA
 *	domains are worth it.
 */
enum iox_cap {
	IOX_CAP_CACHE_COHERENCY,
	IOX_CAP_NOEXEC,
	IOX_CAP_PASID,
	IOX_CAP_DEFERRED_FLUSH,
};

/**
 * enum iox_resv_type - kinds of reserved IOVA regions
 * @IOX_RESV_RESERVED: never mapped (e.g. a host bridge window).
 * @IOX_RESV_MSI: the hardware MSI window (x86 0xfee00000-0xfeefffff):
 *	translated by interrupt hardware, never by the page table.
 * @IOX_RESV_DIRECT: must stay identity-mapped for the device (VT-d RMRR,
 *	IVMD); the core maps it when the device joins a translating domain.
 */
enum iox_resv_type {
	IOX_RESV_RESERVED,
	IOX_RESV_MSI,
	IOX_RESV_DIRECT,
};

/**
 * struct iox_resv_region - one reserved IOVA region of a device
 * @list: link in the caller's list
 * @start: first IOVA of the region
 * @length: length in bytes
 * @prot: IOX_* permissions of an @IOX_RESV_DIRECT mapping
 * @type: what the region is
 */
struct iox_resv_region {
	struct list_head list;
	u64 start;
	u64 length;
	int prot;
	enum iox_resv_type type;
};

/* Most distinct reserved ranges a domain tracks; attach fails past it. */
#define IOX_DOMAIN_MAX_RESV	8

/**
 * struct iox_range - an inclusive IOVA range
 * @start: first IOVA
 * @last: last IOVA
 */
struct iox_range {
	u64 start;
	u64 last;
};

/* Fault flags: what the device tried to do. */
#define IOX_FAULT_READ		BIT(0)
#define IOX_FAULT_WRITE		BIT(1)
#define IOX_FAULT_EXEC		BIT(2)
#define IOX_FAULT_PRIV		BIT(3)
#define IOX_FAULT_PASID_VALID	BIT(4)

/**
 * enum iox_fault_reason - why the unit refused an access
 * @IOX_FAULT_REASON_UNKNOWN: the hardware reason has no generic meaning.
 * @IOX_FAULT_NOT_PRESENT: no translation for the IOVA.
 * @IOX_FAULT_PERMISSION: translation present, access not allowed by it.
 * @IOX_FAULT_CONTEXT: no valid device context (device/stream table entry).
 * @IOX_FAULT_BLOCKED: the device is attached to a blocking domain.
 * @IOX_FAULT_ADDRESS_SIZE: the IOVA is beyond the translation's input size.
 */
enum iox_fault_reason {
	IOX_FAULT_REASON_UNKNOWN,
	IOX_FAULT_NOT_PRESENT,
	IOX_FAULT_PERMISSION,
	IOX_FAULT_CONTEXT,
	IOX_FAULT_BLOCKED,
	IOX_FAULT_ADDRESS_SIZE,
};

/**
 * struct iox_fault - one translation fault, as reported by a driver
 * @iova: faulting input address
 * @flags: IOX_FAULT_* access flags
 * @reason: generic reason
 * @hw_reason: raw hardware reason code, for logs
 * @pasid: PASID of the request when @flags has IOX_FAULT_PASID_VALID
 */
struct iox_fault {
	u64 iova;
	u32 flags;
	enum iox_fault_reason reason;
	u32 hw_reason;
	u32 pasid;
};

struct iox_domain;

/**
 * typedef iox_fault_handler_t - a domain owner's fault callback
 * @domain: the domain the device was translating through
 * @dev: the device that faulted
 * @fault: what happened
 * @token: the token given to iox_set_fault_handler()
 *
 * Called from the reporting driver's context, which may be a hard IRQ.
 * Return 0 if the fault was handled, a negative errno to let the core log it.
 */
typedef int (*iox_fault_handler_t)(struct iox_domain *domain,
				   struct device *dev,
				   const struct iox_fault *fault, void *token);

/**
 * struct iox_domain - one translation context shared by attached groups
 * @type: an enum iox_domain_type value
 * @ops: the driver's domain operations
 * @pt: the page-table engine's table behind a paging domain, if the driver
 *	uses one: the core then unmaps and looks up through it directly, and
 *	maps through it too unless the driver has map_pages; the driver's
 *	unmap_pages and iova_to_phys are unused
 * @pt_leaf_sizes: set by the core: the page sizes of @pgsize_bitmap that
 *	are one entry of @pt, when the driver has neither iotlb_sync_map nor
 *	map_pages. A map or unmap of exactly one such page goes straight to
 *	the engine's map_one/unmap_one.
 * @pt_page_size: set by the core: the last level's page size when it is in
 *	@pt_leaf_sizes (else 0), for the engine's map_page/unmap_page
 * @unit: the unit that allocated the domain
 * @pgsize_bitmap: page sizes this domain maps with; bit n means 2^n bytes
 * @aperture_start: first mappable IOVA
 * @aperture_end: last mappable IOVA
 * @paddr_max: highest physical address a mapping may reach
 * @handler: fault callback, or NULL to log faults
 * @handler_token: argument of @handler
 * @nr_unhandled_faults: faults reported with no handler taking them
 * @resv: reserved ranges of every device ever attached (append-only)
 * @nr_resv: valid entries of @resv; published with release semantics so
 *	iox_map() can read it without a lock
 * @attached: groups attached, under the core's topology lock
 */
struct iox_domain {
	unsigned int type;
	const struct iox_domain_ops *ops;
	struct iox_pt *pt;
	unsigned long pt_leaf_sizes;
	unsigned long pt_page_size;
	struct iox_unit *unit;
	unsigned long pgsize_bitmap;
	unsigned long aperture_start;
	unsigned long aperture_end;
	phys_addr_t paddr_max;
	iox_fault_handler_t handler;
	void *handler_token;
	atomic_t nr_unhandled_faults;
	struct iox_range resv[IOX_DOMAIN_MAX_RESV];
	unsigned int nr_resv;
	unsigned int attached;
};

/**
 * struct iox_leaf - what a lookup found at an IOVA
 * @phys: physical address the IOVA translates to
 * @pgsize: size of the page (leaf entry) holding the IOVA
 * @prot: IOX_* permissions of that page
 */
struct iox_leaf {
	phys_addr_t phys;
	size_t pgsize;
	int prot;
};

/**
 * struct iox_iotlb_gather - invalidation work collected by unmaps
 * @start: lowest IOVA unmapped since the last sync
 * @end: highest IOVA (inclusive) unmapped since the last sync
 * @pgsize: page size of the unmapped leaves, 0 when mixed
 * @freelist: table memory unlinked by the unmaps; the core frees it once
 *	the driver's invalidation that covers it has completed
 * @queued: the invalidation is owned by a flush queue; sync does nothing
 */
struct iox_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	struct list_head freelist;
	bool queued;
};

/**
 * iox_iotlb_gather_init() - start an empty gather
 * @gather: the gather to initialise
 *
 * Context: Any context.
 */
static inline void iox_iotlb_gather_init(struct iox_iotlb_gather *gather)
{
	gather->start = ULONG_MAX;
	gather->end = 0;
	gather->pgsize = 0;
	INIT_LIST_HEAD(&gather->freelist);
	gather->queued = false;
}

/**
 * iox_iotlb_gather_page() - start a gather holding one unmapped page
 * @gather: the gather to initialise
 * @iova: the page's IOVA
 * @size: its size
 *
 * Context: Any context.
 */
static inline void iox_iotlb_gather_page(struct iox_iotlb_gather *gather,
					 unsigned long iova, size_t size)
{
	gather->start = iova;
	gather->end = iova + size - 1;
	gather->pgsize = size;
	INIT_LIST_HEAD(&gather->freelist);
	gather->queued = false;
}

/**
 * iox_iotlb_gather_add() - record an unmapped range in a gather
 * @gather: the gather
 * @iova: first unmapped IOVA
 * @size: bytes unmapped
 * @pgsize: size of the leaves that were removed
 *
 * Context: Any context.
 */
static inline void iox_iotlb_gather_add(struct iox_iotlb_gather *gather,
					unsigned long iova, size_t size,
					size_t pgsize)
{
	unsigned long last = iova + size - 1;

	if (iova < gather->start)
		gather->start = iova;
	if (last > gather->end)
		gather->end = last;
	if (!gather->pgsize)
		gather->pgsize = pgsize;
	else if (gather->pgsize != pgsize)
		gather->pgsize = 0;
}

/**
 * iox_iotlb_gather_empty() - whether a gather holds any work
 * @gather: the gather
 *
 * Context: Any context.
 * Return: true when nothing was unmapped into @gather.
 */
static inline bool iox_iotlb_gather_empty(const struct iox_iotlb_gather *gather)
{
	return gather->start > gather->end && list_empty(&gather->freelist);
}

/**
 * iox_domain_is_paging() - whether a domain translates through a page table
 * @domain: the domain
 *
 * Context: Any context.
 * Return: true for paging and DMA domains.
 */
static inline bool iox_domain_is_paging(const struct iox_domain *domain)
{
	return domain->type & __IOX_DOMAIN_PAGING;
}

int iox_probe_device(struct device *dev);
void iox_release_device(struct device *dev);
struct iox_group *iox_device_group(struct device *dev);
unsigned int iox_group_id(const struct iox_group *group);
int iox_device_group_for_each(struct device *dev,
			      int (*fn)(struct device *member, void *data),
			      void *data);
bool iox_capable(struct device *dev, enum iox_cap cap);
bool iox_domain_capable(struct iox_domain *domain, enum iox_cap cap);
u32 iox_device_max_pasids(struct device *dev);
int iox_get_resv_regions(struct device *dev, struct list_head *head);
void iox_put_resv_regions(struct list_head *head);

struct iox_domain *iox_domain_alloc(struct device *dev, unsigned int type);
void iox_domain_free(struct iox_domain *domain);
int iox_domain_restrict_pgsizes(struct iox_domain *domain, unsigned long mask);
void iox_set_fault_handler(struct iox_domain *domain,
			   iox_fault_handler_t handler, void *token);

int iox_attach_device(struct iox_domain *domain, struct device *dev);
void iox_detach_device(struct iox_domain *domain, struct device *dev);
int iox_attach_group(struct iox_domain *domain, struct iox_group *group);
void iox_detach_group(struct iox_domain *domain, struct iox_group *group);
struct iox_domain *iox_get_domain_for_dev(struct device *dev);

int iox_map(struct iox_domain *domain, unsigned long iova, phys_addr_t paddr,
	    size_t size, int prot, gfp_t gfp);
ssize_t iox_map_sg(struct iox_domain *domain, unsigned long iova,
		   struct scatterlist *sg, unsigned int nents, int prot,
		   gfp_t gfp);
ssize_t iox_unmap(struct iox_domain *domain, unsigned long iova, size_t size);
ssize_t iox_unmap_fast(struct iox_domain *domain, unsigned long iova,
		       size_t size, struct iox_iotlb_gather *gather);
void iox_iotlb_sync(struct iox_domain *domain,
		    struct iox_iotlb_gather *gather);
void iox_flush_iotlb_all(struct iox_domain *domain);
int iox_lookup(struct iox_domain *domain, unsigned long iova,
	       struct iox_leaf *leaf);
phys_addr_t iox_iova_to_phys(struct iox_domain *domain, unsigned long iova);

int iox_report_fault(struct iox_domain *domain, struct device *dev,
		     const struct iox_fault *fault);
const char *iox_fault_reason_name(enum iox_fault_reason reason);

#endif /* _LINUX_IOX_H */
