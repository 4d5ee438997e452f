// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: single mappings (pages, MMIO resources), the
 * range map/unmap every other operation builds on, and the ops table.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "dma-priv.h"

/**
 * iox_dma_prot() - IOX_* permissions for a DMA direction
 * @dd: the device
 * @dir: the direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any context.
 * Return: the permissions, or -EINVAL for DMA_NONE or an unknown direction.
 */
int iox_dma_prot(const struct iox_dma_dev *dd, enum dma_data_direction dir,
		 unsigned long attrs)
{
	int prot = dd->prot_extra;

	switch (dir) {
	case DMA_BIDIRECTIONAL:
		prot |= IOX_READ | IOX_WRITE;
		break;
	case DMA_TO_DEVICE:
		prot |= IOX_READ;
		break;
	case DMA_FROM_DEVICE:
		prot |= IOX_WRITE;
		break;
	default:
		return -EINVAL;
	}
	if (attrs & DMA_ATTR_PRIVILEGED)
		prot |= IOX_PRIV;
	return prot;
}

/**
 * iox_dma_limit_pfn() - the last IOVA granule a DMA mask allows
 * @dd: the device
 * @dma_mask: the mask (streaming or coherent)
 *
 * Context: Any context.
 * Return: the granule number, limited by the domain's aperture.
 */
unsigned long iox_dma_limit_pfn(const struct iox_dma_dev *dd, u64 dma_mask)
{
	u64 limit = min_t(u64, dma_mask, dd->domain->aperture_end);

	return limit >> dd->shift;
}

/**
 * iox_dma_map_range() - map a physical range at a new IOVA
 * @dd: the device
 * @phys: first byte, any alignment
 * @size: bytes
 * @prot: IOX_* permissions
 * @dma_mask: the highest IOVA the device can emit
 * @gfp: allocation flags for page-table memory
 *
 * The granules around @phys are mapped whole; the IOVA keeps @phys's
 * offset in its granule.
 *
 * Context: As allowed by @gfp.
 * Return: the DMA address of @phys, or DMA_MAPPING_ERROR with nothing
 * mapped (zero or wrapping size, IOVA space exhausted below @dma_mask, or
 * the map failed).
 */
dma_addr_t iox_dma_map_range(struct iox_dma_dev *dd, phys_addr_t phys,
			     size_t size, int prot, u64 dma_mask, gfp_t gfp)
{
	unsigned long granule = iox_dma_granule(dd);
	unsigned long off = phys & (granule - 1);
	unsigned long pfn, granules, iova;
	size_t len;

	if (unlikely(!size || off + size < size ||
		     off + size > SIZE_MAX - granule))
		goto fail;
	len = ALIGN(off + size, granule);
	granules = len >> dd->shift;
	pfn = iox_iova_alloc_fast(dd->space, granules,
				  iox_dma_limit_pfn(dd, dma_mask));
	if (unlikely(!pfn))
		goto fail;
	iova = pfn << dd->shift;
	if (unlikely(iox_map(dd->domain, iova, phys - off, len, prot, gfp))) {
		iox_iova_free_fast(dd->space, pfn, granules);
		goto fail;
	}
	atomic_long_inc(&dd->live_mappings);
	return iova + off;
fail:
	atomic_long_inc(&dd->map_errors);
	return DMA_MAPPING_ERROR;
}

/**
 * iox_dma_unmap_range() - unmap what iox_dma_map_range() mapped
 * @dd: the device
 * @addr: the DMA address it returned
 * @size: the size it was given
 *
 * Strict devices invalidate before the IOVA is freed; the others queue the
 * range, which is freed once a flush covering it completed. An address
 * that is not mapped with this size (never mapped, unmapped twice, wrong
 * size) is refused: logged, counted, and no IOVA is freed.
 *
 * Context: Any context.
 * Return: true if the range was unmapped, false if refused.
 */
bool iox_dma_unmap_range(struct iox_dma_dev *dd, dma_addr_t addr,
			 size_t size)
{
	unsigned long granule = iox_dma_granule(dd);
	unsigned long off = addr & (granule - 1);
	struct iox_iotlb_gather gather;
	unsigned long iova = addr - off;
	size_t len;
	ssize_t ret;

	if (unlikely(!size || off + size < size ||
		     off + size > SIZE_MAX - granule)) {
		ret = -EINVAL;
		goto bad;
	}
	len = ALIGN(off + size, granule);
	iox_iotlb_gather_init(&gather);
	gather.queued = !!dd->fq;
	ret = iox_unmap_fast(dd->domain, iova, len, &gather);
	if (unlikely(ret != len)) {
		/* What was removed is invalidated; its IOVA stays allocated. */
		gather.queued = false;
		if (!iox_iotlb_gather_empty(&gather))
			iox_iotlb_sync(dd->domain, &gather);
		goto bad;
	}
	atomic_long_dec(&dd->live_mappings);
	if (dd->fq) {
		iox_dma_fq_queue(dd, iova >> dd->shift, len >> dd->shift,
				 &gather);
		return true;
	}
	iox_iotlb_sync(dd->domain, &gather);
	iox_iova_free_fast(dd->space, iova >> dd->shift, len >> dd->shift);
	return true;
bad:
	atomic_long_inc(&dd->bad_unmaps);
	dev_err_ratelimited(dd->dev,
			    "iox-dma: unmap of %#llx+%#zx refused (%zd): not mapped with this size\n",
			    (u64)addr, size, ret);
	return false;
}

/**
 * iox_dma_map_phys() - map a CPU buffer, bounced when it must be
 * @dd: the device
 * @phys: first byte
 * @size: bytes
 * @dir: direction
 * @prot: IOX_* permissions for @dir
 * @attrs: DMA_ATTR_* flags; DMA_ATTR_SKIP_CPU_SYNC leaves the CPU caches
 *	of a non-coherent device's buffer to the caller
 *
 * For a non-coherent device the buffer is cleaned from the CPU caches
 * before the device can reach it.
 *
 * Context: Any context.
 * Return: the DMA address, or DMA_MAPPING_ERROR.
 */
dma_addr_t iox_dma_map_phys(struct iox_dma_dev *dd, phys_addr_t phys,
			    size_t size, enum dma_data_direction dir, int prot,
			    unsigned long attrs)
{
	u64 mask = dma_get_mask(dd->dev);

	if (dd->untrusted && iox_dma_needs_bounce(dd, phys, size))
		return iox_dma_bounce_map(dd, phys, size, dir, prot, mask);
	if (iox_dma_noncoherent(dd) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iox_dma_nc_for_device(dd, phys, size, dir);
	return iox_dma_map_range(dd, phys, size, prot, mask, GFP_ATOMIC);
}

/**
 * iox_dma_unmap_phys() - undo iox_dma_map_phys()
 * @dd: the device
 * @addr: the DMA address it returned
 * @size: the size it was given
 * @dir: the direction it was given
 * @attrs: DMA_ATTR_* flags; DMA_ATTR_SKIP_CPU_SYNC as for the map
 *
 * For a non-coherent device what the device may have written is dropped
 * from the CPU caches (DMA_FROM_DEVICE, DMA_BIDIRECTIONAL).
 *
 * Context: Any context.
 */
void iox_dma_unmap_phys(struct iox_dma_dev *dd, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	if (dd->untrusted && iox_dma_bounce_unmap(dd, addr, size, dir))
		return;
	if (iox_dma_noncoherent(dd) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iox_dma_nc_iova(dd, addr, size, dir, true);
	iox_dma_unmap_range(dd, addr, size);
}

/* iox_dma_prot() for a map call: a refused direction counts as its error. */
static int iox_dma_map_prot(struct iox_dma_dev *dd,
			    enum dma_data_direction dir, unsigned long attrs)
{
	int prot = iox_dma_prot(dd, dir, attrs);

	if (unlikely(prot < 0))
		atomic_long_inc(&dd->map_errors);
	return prot;
}

static dma_addr_t iox_dma_map_page(struct device *dev, struct page *page,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir,
				   unsigned long attrs)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	int prot = iox_dma_map_prot(dd, dir, attrs);

	if (unlikely(prot < 0))
		return DMA_MAPPING_ERROR;
	return iox_dma_map_phys(dd, page_to_phys(page) + offset, size, dir,
				prot, attrs);
}

static void iox_dma_unmap_page(struct device *dev, dma_addr_t addr,
			       size_t size, enum dma_data_direction dir,
			       unsigned long attrs)
{
	iox_dma_unmap_phys(iox_dma_dev_of(dev), addr, size, dir, attrs);
}

/* MMIO of another device (peer-to-peer) or a doorbell: never cached. */
static dma_addr_t iox_dma_map_resource(struct device *dev, phys_addr_t phys,
				       size_t size,
				       enum dma_data_direction dir,
				       unsigned long attrs)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	int prot = iox_dma_map_prot(dd, dir, attrs);

	if (unlikely(prot < 0))
		return DMA_MAPPING_ERROR;
	prot = (prot & ~IOX_CACHE) | IOX_MMIO;
	return iox_dma_map_range(dd, phys, size, prot, dma_get_mask(dev),
				 GFP_ATOMIC);
}

static void iox_dma_unmap_resource(struct device *dev, dma_addr_t addr,
				   size_t size, enum dma_data_direction dir,
				   unsigned long attrs)
{
	iox_dma_unmap_range(iox_dma_dev_of(dev), addr, size);
}

/*
 * The device's writes to the CPU: the caches over what the IOVA maps
 * (the bounce copy if bounced) are invalidated, then a bounce copied back.
 */
static void iox_dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
					size_t size,
					enum dma_data_direction dir)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);

	if (iox_dma_noncoherent(dd))
		iox_dma_nc_iova(dd, addr, size, dir, true);
	iox_dma_bounce_sync(dd, addr, size, dir, true);
}

/* The CPU's writes to the device: copied to a bounce, then cleaned. */
static void iox_dma_sync_single_for_device(struct device *dev,
					   dma_addr_t addr, size_t size,
					   enum dma_data_direction dir)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);

	iox_dma_bounce_sync(dd, addr, size, dir, false);
	if (iox_dma_noncoherent(dd))
		iox_dma_nc_iova(dd, addr, size, dir, false);
}

/* Any mask works that leaves at least one granule above IOVA 0. */
static int iox_dma_supported(struct device *dev, u64 mask)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	unsigned long first = max_t(unsigned long, 1,
				    dd->domain->aperture_start >> dd->shift);

	return iox_dma_limit_pfn(dd, mask) >= first;
}

/* Segments merge in IOVA wherever they meet at a granule boundary. */
static unsigned long iox_dma_get_merge_boundary(struct device *dev)
{
	return iox_dma_granule(iox_dma_dev_of(dev)) - 1;
}

/* One mapping can be as large as the IOVA space below the mask. */
static size_t iox_dma_max_mapping_size(struct device *dev)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	u64 last = min_t(u64, dma_get_mask(dev), dd->domain->aperture_end);
	u64 first = max_t(u64, iox_dma_granule(dd),
			  dd->domain->aperture_start);

	if (last < first)
		return 0;
	return min_t(u64, SIZE_MAX, ALIGN_DOWN(last - first + 1,
					       iox_dma_granule(dd)));
}

#define IOX_DMA_OPS_COMMON						\
	.map_page = iox_dma_map_page,					\
	.unmap_page = iox_dma_unmap_page,				\
	.map_sg = iox_dma_map_sg,					\
	.unmap_sg = iox_dma_unmap_sg,					\
	.map_resource = iox_dma_map_resource,				\
	.unmap_resource = iox_dma_unmap_resource,			\
	.alloc = iox_dma_alloc,						\
	.free = iox_dma_free,						\
	.alloc_pages = iox_dma_alloc_pages,				\
	.free_pages = iox_dma_free_pages,				\
	IOX_DMA_MMAP_OPS						\
	.dma_supported = iox_dma_supported,				\
	.get_merge_boundary = iox_dma_get_merge_boundary,		\
	.max_mapping_size = iox_dma_max_mapping_size

/*
 * Coherent, trusted: nothing is bounced or cleaned, so without sync ops the
 * DMA layer skips the calls.
 */
static const struct dma_map_ops iox_dma_ops = {
	IOX_DMA_OPS_COMMON,
};

/* Untrusted (bounce buffers) or non-coherent (cache maintenance). */
static const struct dma_map_ops iox_dma_sync_ops = {
	IOX_DMA_OPS_COMMON,
	.sync_single_for_cpu = iox_dma_sync_single_for_cpu,
	.sync_single_for_device = iox_dma_sync_single_for_device,
	.sync_sg_for_cpu = iox_dma_sync_sg_for_cpu,
	.sync_sg_for_device = iox_dma_sync_sg_for_device,
};

/**
 * iox_dma_init_ops() - give a device its copy of the DMA operations
 * @dd: the device; trusted or not, coherent or not is decided
 *
 * Context: Any context, before the device is published.
 */
void iox_dma_init_ops(struct iox_dma_dev *dd)
{
	const struct dma_map_ops *ops = &iox_dma_ops;

	if (dd->untrusted || dd->maint)
		ops = &iox_dma_sync_ops;

	/* The one write to the const copy, before anyone reads it. */
	memcpy((void *)&dd->ops, ops, sizeof(*ops));
}

/**
 * iox_dma_served() - whether the backend serves a device's DMA API
 * @dev: the device
 *
 * Context: Any context.
 * Return: true if dev->dma_ops is one of the backend's copies.
 */
bool iox_dma_served(struct device *dev)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	return ops && ops->map_page == iox_dma_map_page;
}
