// SPDX-License-Identifier: GPL-2.0
/*
 * iox_iommu_api: the kernel's iommu_domains as iox domains.
 *
 * Linux 6.1's domain_alloc() names no device, while an iox domain lives on
 * the unit of the devices it serves: a kernel domain is bound to an iox
 * domain on the unit of the first device attached to it. Until then its
 * page sizes and aperture are the ones every unit offers (the template),
 * and what the kernel maps into it - only the core's direct mappings of a
 * default domain, made before the attach - is kept and replayed.
 *
 * Blocked domains put the group in its unit's blocked domain. Identity and
 * unmanaged ones are iox identity and paging domains. DMA and DMA-FQ ones
 * hand the device to iox's DMA-API backend, which allocates the iox DMA
 * domain, attaches it and installs its dma_map_ops, so a driver bound
 * afterwards maps through iox with no change to it; leaving the domain
 * gives the device its previous ops back. Where the architecture installs
 * the kernel's dma-iommu itself (iox_kapi_arch_dma_ops()), they are iox
 * DMA domains the kernel's dma-iommu maps into, bound like the others.
 */
#define pr_fmt(fmt) "iox-iommu-api: " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/iox-dma.h>
#include <linux/slab.h>
#include "iommu-api.h"

/**
 * struct iox_kpremap - a mapping made before its domain was bound
 * @node: link in struct iox_kdomain.premaps
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @prot: IOX_* permissions
 */
struct iox_kpremap {
	struct list_head node;
	unsigned long iova;
	phys_addr_t paddr;
	size_t size;
	int prot;
};

/* The page sizes and aperture every unit offers: the template. */
static unsigned long iox_template_pgsizes;
static u64 iox_template_end;

/**
 * iox_kdomain_set_template() - what a domain not yet bound offers
 * @pgsizes: the page sizes every unit maps with
 * @aperture_end: the last IOVA every unit translates
 *
 * Context: Before the first iox_kdomain_alloc().
 */
void iox_kdomain_set_template(unsigned long pgsizes, u64 aperture_end)
{
	iox_template_pgsizes = pgsizes;
	iox_template_end = aperture_end;
}

/* The kernel's IOMMU_* permission bits are iox's, bit for bit. */
static_assert(IOMMU_READ == IOX_READ && IOMMU_WRITE == IOX_WRITE &&
	      IOMMU_CACHE == IOX_CACHE && IOMMU_NOEXEC == IOX_NOEXEC &&
	      IOMMU_MMIO == IOX_MMIO && IOMMU_PRIV == IOX_PRIV);

static unsigned int iox_ktype(unsigned int type)
{
	switch (type) {
	case IOMMU_DOMAIN_IDENTITY:
		return IOX_DOMAIN_IDENTITY;
	case IOMMU_DOMAIN_UNMANAGED:
		return IOX_DOMAIN_PAGING;
	case IOMMU_DOMAIN_DMA:
		return IOX_DOMAIN_DMA;
	case IOMMU_DOMAIN_DMA_FQ:
		return IOX_DOMAIN_DMA_FQ;
	}
	return IOX_DOMAIN_BLOCKED;
}

/* A fault of an unmanaged domain goes to the kernel owner's handler. */
static int iox_kdomain_fault(struct iox_domain *domain, struct device *dev,
			     const struct iox_fault *fault, void *token)
{
	struct iox_kdomain *kd = token;

	return report_iommu_fault(&kd->domain, dev, fault->iova,
				  fault->flags & IOX_FAULT_WRITE ?
				  IOMMU_FAULT_WRITE : IOMMU_FAULT_READ);
}

/*
 * Map what the kernel mapped before the binding. The iox core maps a
 * device's direct regions itself at attach: an identical leaf is fine.
 */
static int iox_kdomain_replay(struct iox_kdomain *kd)
{
	struct iox_kpremap *pm;
	int ret;

	list_for_each_entry(pm, &kd->premaps, node) {
		ret = iox_map(kd->iox, pm->iova, pm->paddr, pm->size, pm->prot,
			      GFP_KERNEL);
		if (ret == -EEXIST &&
		    iox_iova_to_phys(kd->iox, pm->iova) == pm->paddr &&
		    iox_iova_to_phys(kd->iox, pm->iova + pm->size - 1) ==
		    pm->paddr + pm->size - 1)
			ret = 0;
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Bind an identity, unmanaged or (under the kernel's dma-iommu) DMA domain
 * to @dev's unit on first attach.
 */
static int iox_kdomain_bind(struct iox_kdomain *kd, struct device *dev)
{
	unsigned int type = iox_ktype(kd->domain.type);
	struct iox_domain *iox;
	int ret;

	if (kd->iox)
		return 0;
	iox = iox_domain_alloc(dev, type);
	if (IS_ERR(iox))
		return PTR_ERR(iox);
	if (iox_domain_is_paging(iox)) {
		/* The sizes the kernel was told are what it may ask for. */
		ret = iox_domain_restrict_pgsizes(iox,
						  kd->domain.pgsize_bitmap);
		if (ret)
			goto err_free;
	}
	if (type == IOX_DOMAIN_PAGING)
		iox_set_fault_handler(iox, iox_kdomain_fault, kd);
	kd->iox = iox;
	ret = iox_kdomain_replay(kd);
	if (ret) {
		kd->iox = NULL;
		goto err_free;
	}
	return 0;

err_free:
	iox_domain_free(iox);
	return ret;
}

/*
 * Take @dev's group out of the domain it is in, back to its unit's blocked
 * domain: a DMA device is handed back by the DMA backend, which frees its
 * domain; other groups are detached. The kernel holds the group's mutex,
 * which orders this against every other attach of the group; a DMA
 * domain serves one group only, so its fields are the group's.
 */
static void iox_kdomain_leave(struct device *dev)
{
	struct iox_kdev *kdev = dev_iommu_priv_get(dev);
	struct iox_kdomain *old = kdev->kdomain;
	struct iox_domain *cur;

	if (!old)
		return;
	kdev->kdomain = NULL;
	if (old->dma_dev == dev) {
		iox_dma_detach(dev);
		old->iox = NULL;
		old->dma_dev = NULL;
		return;
	}
	cur = iox_get_domain_for_dev(dev);
	if (cur && cur->type != IOX_DOMAIN_BLOCKED)
		iox_detach_group(cur, iox_device_group(dev));
}

/* DMA domains: the iox DMA backend takes the device. */
static int iox_kdomain_attach_dma(struct iox_kdomain *kd, struct device *dev)
{
	int ret;

	if (kd->dma_dev)
		return -EBUSY;
	ret = iox_dma_attach(dev, iox_ktype(kd->domain.type), 0);
	if (ret)
		return ret;
	kd->iox = iox_get_domain_for_dev(dev);
	kd->dma_dev = dev;
	ret = iox_kdomain_replay(kd);
	if (ret) {
		iox_dma_detach(dev);
		kd->iox = NULL;
		kd->dma_dev = NULL;
	}
	return ret;
}

static int iox_kdomain_attach_dev(struct iommu_domain *domain,
				  struct device *dev)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);
	struct iox_kdev *kdev = dev_iommu_priv_get(dev);
	struct iox_group *group = iox_device_group(dev);
	int ret = 0;

	if (!group)
		return -ENODEV;
	if (kdev->kdomain == kd)
		return 0;
	mutex_lock(&kd->lock);
	/* Another device of the group already moved it here. */
	if (kd->iox && !kd->dma_dev && iox_get_domain_for_dev(dev) == kd->iox) {
		kdev->kdomain = kd;
		goto out;
	}
	iox_kdomain_leave(dev);
	switch (domain->type) {
	case IOMMU_DOMAIN_BLOCKED:
		break;
	case IOMMU_DOMAIN_DMA:
	case IOMMU_DOMAIN_DMA_FQ:
		if (!iox_kapi_arch_dma_ops()) {
			ret = iox_kdomain_attach_dma(kd, dev);
			break;
		}
		fallthrough;
	default:
		ret = iox_kdomain_bind(kd, dev);
		if (!ret)
			ret = iox_attach_group(kd->iox, group);
		break;
	}
	if (!ret)
		kdev->kdomain = kd;
out:
	mutex_unlock(&kd->lock);
	return ret;
}

/* Only reached for a group left without any domain: block it. */
static void iox_kdomain_detach_dev(struct iommu_domain *domain,
				   struct device *dev)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);

	mutex_lock(&kd->lock);
	iox_kdomain_leave(dev);
	mutex_unlock(&kd->lock);
}

/**
 * iox_kdomain_release_dev() - a device leaves the bridge
 * @dev: a device the bridge probed
 *
 * The device leaves its domain (a DMA device gets its previous DMA ops
 * back) before the core releases it.
 *
 * Context: Process context.
 */
void iox_kdomain_release_dev(struct device *dev)
{
	struct iox_kdev *kdev = dev_iommu_priv_get(dev);
	struct iox_kdomain *kd = kdev->kdomain;

	if (!kd)
		return;
	mutex_lock(&kd->lock);
	iox_kdomain_leave(dev);
	mutex_unlock(&kd->lock);
}

static struct iox_kpremap *iox_kpremap_find(struct iox_kdomain *kd,
					    unsigned long iova)
{
	struct iox_kpremap *pm;

	list_for_each_entry(pm, &kd->premaps, node)
		if (iova >= pm->iova && iova - pm->iova < pm->size)
			return pm;
	return NULL;
}

/* A mapping of a domain not yet bound: kept for the binding. */
static int iox_kdomain_premap(struct iox_kdomain *kd, unsigned long iova,
			      phys_addr_t paddr, size_t size, int prot,
			      gfp_t gfp)
{
	struct iox_kpremap *pm;

	if (iox_kpremap_find(kd, iova) || iox_kpremap_find(kd, iova + size - 1))
		return -EEXIST;
	pm = kmalloc(sizeof(*pm), gfp);
	if (!pm)
		return -ENOMEM;
	pm->iova = iova;
	pm->paddr = paddr;
	pm->size = size;
	pm->prot = prot;
	list_add_tail(&pm->node, &kd->premaps);
	return 0;
}

/*
 * Unmap [@iova, @iova + @size) from the kept mappings: those inside go,
 * those crossing an end are trimmed (the kernel unmaps a range in chunks
 * of its own choosing). One that would be cut in two is refused: nothing
 * changes and 0 is returned. Return the bytes unmapped.
 */
static size_t iox_kdomain_unpremap(struct iox_kdomain *kd, unsigned long iova,
				   size_t size)
{
	unsigned long last = iova + size - 1, pm_last, lo, hi;
	struct iox_kpremap *pm, *next;
	size_t done = 0;

	list_for_each_entry(pm, &kd->premaps, node)
		if (pm->iova < iova && pm->iova + pm->size - 1 > last)
			return 0;
	list_for_each_entry_safe(pm, next, &kd->premaps, node) {
		pm_last = pm->iova + pm->size - 1;
		if (pm_last < iova || pm->iova > last)
			continue;
		lo = max(pm->iova, iova);
		hi = min(pm_last, last);
		done += hi - lo + 1;
		if (lo == pm->iova && hi == pm_last) {
			list_del(&pm->node);
			kfree(pm);
		} else if (lo == pm->iova) {
			pm->paddr += hi + 1 - pm->iova;
			pm->size = pm_last - hi;
			pm->iova = hi + 1;
		} else {
			pm->size = lo - pm->iova;
		}
	}
	return done;
}

static int iox_kdomain_map_pages(struct iommu_domain *domain,
				 unsigned long iova, phys_addr_t paddr,
				 size_t pgsize, size_t pgcount, int prot,
				 gfp_t gfp, size_t *mapped)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);
	struct iox_domain *iox = READ_ONCE(kd->iox);
	size_t size = pgsize * pgcount;
	int ret;

	*mapped = 0;
	prot = (prot & IOX_PROT_MASK) | READ_ONCE(kd->prot_force);
	if (likely(iox)) {
		ret = iox_map(iox, iova, paddr, size, prot, gfp);
	} else {
		mutex_lock(&kd->lock);
		ret = iox_kdomain_premap(kd, iova, paddr, size, prot, gfp);
		mutex_unlock(&kd->lock);
	}
	if (!ret)
		*mapped = size;
	return ret;
}

/*
 * The kernel's unmap wants the bytes unmapped from @iova on; iox's is
 * exact and all-or-nothing: a range cutting a larger page is refused and
 * answered 0, which ends the kernel's loop.
 */
static size_t iox_kdomain_unmap_pages(struct iommu_domain *domain,
				      unsigned long iova, size_t pgsize,
				      size_t pgcount,
				      struct iommu_iotlb_gather *gather)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);
	struct iox_domain *iox = READ_ONCE(kd->iox);
	size_t size = pgsize * pgcount;
	ssize_t ret;

	if (likely(iox)) {
		ret = iox_unmap(iox, iova, size);
		return ret > 0 ? ret : 0;
	}
	mutex_lock(&kd->lock);
	size = iox_kdomain_unpremap(kd, iova, size);
	mutex_unlock(&kd->lock);
	return size;
}

static void iox_kdomain_flush_iotlb_all(struct iommu_domain *domain)
{
	struct iox_domain *iox = READ_ONCE(to_iox_kdomain(domain)->iox);

	if (iox && iox_domain_is_paging(iox))
		iox_flush_iotlb_all(iox);
}

/* iox_unmap() invalidated before it returned: nothing is gathered. */
static void iox_kdomain_iotlb_sync(struct iommu_domain *domain,
				   struct iommu_iotlb_gather *gather)
{
}

static phys_addr_t iox_kdomain_iova_to_phys(struct iommu_domain *domain,
					    dma_addr_t iova)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);
	struct iox_domain *iox = READ_ONCE(kd->iox);
	struct iox_kpremap *pm;
	phys_addr_t phys = 0;

	if (likely(iox))
		return iox_iova_to_phys(iox, iova);
	mutex_lock(&kd->lock);
	pm = iox_kpremap_find(kd, iova);
	if (pm)
		phys = pm->paddr + (iova - pm->iova);
	mutex_unlock(&kd->lock);
	return phys;
}

/*
 * KVM's question, through VFIO: is every DMA through this domain snooped,
 * whatever the device asks? Where the unit can enforce it, every mapping
 * from now on is IOX_CACHE, which such a unit snoops (VT-d: SNP in the
 * leaf). Mappings made before keep what they had, as on Linux's VT-d
 * driver; vfio_iommu_type1 asks right after the attach, before mapping.
 */
static bool iox_kdomain_enforce_cache_coherency(struct iommu_domain *domain)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);
	struct iox_domain *iox = READ_ONCE(kd->iox);

	if (domain->type != IOMMU_DOMAIN_UNMANAGED || !iox ||
	    !iox_domain_capable(iox, IOX_CAP_CACHE_COHERENCY))
		return false;
	WRITE_ONCE(kd->prot_force, IOX_CACHE);
	return true;
}

static void iox_kdomain_free(struct iommu_domain *domain)
{
	struct iox_kdomain *kd = to_iox_kdomain(domain);
	struct iox_kpremap *pm, *next;

	/* The kernel detached every group; a DMA device was released. */
	if (kd->dma_dev)
		iox_dma_detach(kd->dma_dev);
	else if (kd->iox)
		iox_domain_free(kd->iox);
	list_for_each_entry_safe(pm, next, &kd->premaps, node)
		kfree(pm);
	kfree(kd);
}

const struct iommu_domain_ops iox_kdomain_ops = {
	.attach_dev = iox_kdomain_attach_dev,
	.detach_dev = iox_kdomain_detach_dev,
	.map_pages = iox_kdomain_map_pages,
	.unmap_pages = iox_kdomain_unmap_pages,
	.flush_iotlb_all = iox_kdomain_flush_iotlb_all,
	.iotlb_sync = iox_kdomain_iotlb_sync,
	.iova_to_phys = iox_kdomain_iova_to_phys,
	.enforce_cache_coherency = iox_kdomain_enforce_cache_coherency,
	.free = iox_kdomain_free,
};

/**
 * iox_kdomain_alloc() - the bridge's domain_alloc op
 * @type: an IOMMU_DOMAIN_* type
 *
 * Every type is served; paging types start with the template's page
 * sizes and aperture.
 *
 * Context: Process context.
 * Return: the domain, or NULL without memory.
 */
struct iommu_domain *iox_kdomain_alloc(unsigned int type)
{
	struct iox_kdomain *kd;

	switch (type) {
	case IOMMU_DOMAIN_BLOCKED:
	case IOMMU_DOMAIN_IDENTITY:
	case IOMMU_DOMAIN_UNMANAGED:
	case IOMMU_DOMAIN_DMA:
	case IOMMU_DOMAIN_DMA_FQ:
		break;
	default:
		return NULL;
	}
	kd = kzalloc(sizeof(*kd), GFP_KERNEL);
	if (!kd)
		return NULL;
	mutex_init(&kd->lock);
	INIT_LIST_HEAD(&kd->premaps);
	kd->domain.ops = &iox_kdomain_ops;
	if (type & __IOMMU_DOMAIN_PAGING) {
		kd->domain.pgsize_bitmap = iox_template_pgsizes;
		kd->domain.geometry.aperture_start = 0;
		kd->domain.geometry.aperture_end = iox_template_end;
		kd->domain.geometry.force_aperture = true;
	}
	return &kd->domain;
}
