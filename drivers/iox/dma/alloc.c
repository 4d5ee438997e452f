// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: coherent buffers (dma_alloc_coherent(),
 * dma_alloc_pages()).
 *
 * A small buffer is one block of pages. A large one need not be physically
 * contiguous: its pages are allocated one by one, made contiguous in IOVA
 * by the IOMMU and in the kernel's address space by vmap(). Every buffer is
 * recorded so that free, mmap and get_sgtable find its pages again.
 *
 * A device that does not snoop CPU caches gets its buffers from
 * iox_dma_nc_alloc() instead: contiguous pages the CPU sees uncached.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "dma-priv.h"

static void iox_dma_free_page_array(struct page **pages, unsigned int count)
{
	while (count--)
		__free_page(pages[count]);
	kvfree(pages);
}

static struct page **iox_dma_alloc_page_array(unsigned int count, gfp_t gfp)
{
	struct page **pages;
	unsigned int i;

	pages = kvcalloc(count, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < count; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i]) {
			iox_dma_free_page_array(pages, i);
			return NULL;
		}
	}
	return pages;
}

/* Map the buffer's pages back to back at one new IOVA range. */
static dma_addr_t iox_dma_map_pages(struct iox_dma_dev *dd,
				    struct iox_dma_buf *buf, int prot, u64 mask)
{
	unsigned long granules = buf->size >> dd->shift;
	size_t done = 0, run;
	unsigned long pfn, iova;
	unsigned int i, j;

	pfn = iox_iova_alloc_fast(dd->space, granules,
				  iox_dma_limit_pfn(dd, mask));
	if (!pfn)
		return DMA_MAPPING_ERROR;
	iova = pfn << dd->shift;
	for (i = 0; i < buf->count; i = j) {
		/* Physically contiguous neighbours go in one call. */
		for (j = i + 1; j < buf->count; j++)
			if (page_to_phys(buf->pages[j]) !=
			    page_to_phys(buf->pages[i]) + (j - i) * PAGE_SIZE)
				break;
		run = (size_t)(j - i) * PAGE_SIZE;
		if (iox_map(dd->domain, iova + done,
			    page_to_phys(buf->pages[i]), run, prot,
			    GFP_KERNEL))
			goto undo;
		done += run;
	}
	atomic_long_inc(&dd->live_mappings);
	return iova;
undo:
	if (done)
		iox_unmap(dd->domain, iova, done);
	iox_iova_free_fast(dd->space, pfn, granules);
	return DMA_MAPPING_ERROR;
}

static struct iox_dma_buf *iox_dma_buf_find(struct iox_dma_dev *dd,
					    const void *cpu_addr,
					    bool remove)
{
	struct iox_dma_buf *buf;
	unsigned long flags;

	spin_lock_irqsave(&dd->coherent_lock, flags);
	list_for_each_entry(buf, &dd->coherent, node) {
		if (buf->cpu_addr == cpu_addr) {
			if (remove)
				list_del(&buf->node);
			spin_unlock_irqrestore(&dd->coherent_lock, flags);
			return buf;
		}
	}
	spin_unlock_irqrestore(&dd->coherent_lock, flags);
	return NULL;
}

/* Contiguous first; page by page when that fails and we may sleep. */
static int iox_dma_buf_alloc(struct iox_dma_dev *dd, struct iox_dma_buf *buf,
			     gfp_t gfp, unsigned long attrs)
{
	unsigned int order = get_order(buf->size);

	buf->count = buf->size >> PAGE_SHIFT;
	if (order <= IOX_DMA_CONTIG_MAX_ORDER ||
	    (attrs & DMA_ATTR_FORCE_CONTIGUOUS) ||
	    dd->shift > PAGE_SHIFT || !gfpflags_allow_blocking(gfp)) {
		buf->block = alloc_pages(gfp | __GFP_NOWARN, order);
		if (buf->block) {
			buf->order = order;
			buf->cpu_addr = page_address(buf->block);
			return 0;
		}
		if ((attrs & DMA_ATTR_FORCE_CONTIGUOUS) ||
		    dd->shift > PAGE_SHIFT || !gfpflags_allow_blocking(gfp))
			return -ENOMEM;
	}
	buf->pages = iox_dma_alloc_page_array(buf->count, gfp);
	if (!buf->pages)
		return -ENOMEM;
	buf->cpu_addr = vmap(buf->pages, buf->count, VM_MAP, PAGE_KERNEL);
	if (!buf->cpu_addr) {
		iox_dma_free_page_array(buf->pages, buf->count);
		buf->pages = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void iox_dma_buf_release(struct iox_dma_dev *dd,
				struct iox_dma_buf *buf)
{
	if (buf->uncached) {
		iox_dma_nc_free(dd, buf);
	} else if (buf->pages) {
		vunmap(buf->cpu_addr);
		iox_dma_free_page_array(buf->pages, buf->count);
	} else {
		__free_pages(buf->block, buf->order);
	}
	kfree(buf);
}

/**
 * iox_dma_alloc() - dma_alloc_attrs() for a device in an iox DMA domain
 * @dev: the device
 * @size: bytes, rounded up to pages
 * @handle: set to the buffer's DMA address
 * @gfp: allocation flags; zone modifiers are ignored, the IOMMU places
 *	the buffer below the coherent DMA mask
 * @attrs: DMA_ATTR_FORCE_CONTIGUOUS is honoured
 *
 * For a non-coherent device the buffer is contiguous and mapped
 * non-cacheable for the CPU (see noncoherent.c).
 *
 * Context: As allowed by @gfp; large buffers need a sleeping @gfp.
 * Return: the zeroed buffer's kernel address, or NULL.
 */
void *iox_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle,
		    gfp_t gfp, unsigned long attrs)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	int prot = iox_dma_prot(dd, DMA_BIDIRECTIONAL, attrs);
	struct iox_dma_buf *buf;
	unsigned long flags;
	dma_addr_t addr;

	*handle = DMA_MAPPING_ERROR;
	if (!size || size > SIZE_MAX - PAGE_SIZE)
		return NULL;
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_COMP);
	gfp |= __GFP_ZERO;
	buf = kzalloc(sizeof(*buf), gfp & ~__GFP_ZERO);
	if (!buf)
		return NULL;
	buf->size = ALIGN(PAGE_ALIGN(size), iox_dma_granule(dd));
	if (iox_dma_noncoherent(dd) ? iox_dma_nc_alloc(dd, buf, gfp) :
				      iox_dma_buf_alloc(dd, buf, gfp, attrs)) {
		kfree(buf);
		return NULL;
	}
	if (buf->pages)
		addr = iox_dma_map_pages(dd, buf, prot, dev->coherent_dma_mask);
	else
		addr = iox_dma_map_range(dd, page_to_phys(buf->block),
					 buf->size, prot,
					 dev->coherent_dma_mask, gfp);
	if (addr == DMA_MAPPING_ERROR) {
		iox_dma_buf_release(dd, buf);
		return NULL;
	}
	buf->iova = addr;
	spin_lock_irqsave(&dd->coherent_lock, flags);
	list_add(&buf->node, &dd->coherent);
	spin_unlock_irqrestore(&dd->coherent_lock, flags);
	*handle = addr;
	return buf->cpu_addr;
}

/**
 * iox_dma_free() - dma_free_attrs() for a device in an iox DMA domain
 * @dev: the device
 * @size: the size given to iox_dma_alloc()
 * @cpu_addr: the buffer
 * @handle: its DMA address
 * @attrs: unused
 *
 * A buffer this device did not allocate, or one given back with another
 * address or size, is refused with a message and stays allocated.
 *
 * Context: Process context.
 */
void iox_dma_free(struct device *dev, size_t size, void *cpu_addr,
		  dma_addr_t handle, unsigned long attrs)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	struct iox_dma_buf *buf = iox_dma_buf_find(dd, cpu_addr, false);
	unsigned long flags;

	if (!buf || buf->iova != handle ||
	    ALIGN(PAGE_ALIGN(size), iox_dma_granule(dd)) != buf->size) {
		atomic_long_inc(&dd->bad_unmaps);
		dev_err_ratelimited(dev,
				    "iox-dma: free of %p (%#llx+%#zx) refused: not allocated so\n",
				    cpu_addr, (u64)handle, size);
		return;
	}
	spin_lock_irqsave(&dd->coherent_lock, flags);
	list_del(&buf->node);
	spin_unlock_irqrestore(&dd->coherent_lock, flags);
	if (iox_dma_unmap_range(dd, buf->iova, buf->size))
		iox_dma_buf_release(dd, buf);
}

/**
 * iox_dma_free_all_coherent() - free what a detaching driver left behind
 * @dd: the device, no longer used by its driver
 *
 * Context: Process context.
 * Return: nothing; each leaked buffer is reported.
 */
void iox_dma_free_all_coherent(struct iox_dma_dev *dd)
{
	struct iox_dma_buf *buf;

	while ((buf = list_first_entry_or_null(&dd->coherent,
					       struct iox_dma_buf, node))) {
		dev_warn(dd->dev, "iox-dma: coherent buffer %#llx+%#zx leaked by its driver, freed\n",
			 (u64)buf->iova, buf->size);
		list_del(&buf->node);
		if (iox_dma_unmap_range(dd, buf->iova, buf->size))
			iox_dma_buf_release(dd, buf);
	}
}

/**
 * iox_dma_coherent_buf() - the record of a coherent buffer
 * @dd: the device
 * @cpu_addr: the buffer's kernel address
 *
 * Context: Any context.
 * Return: the record, or NULL if @dd has no such buffer.
 */
struct iox_dma_buf *iox_dma_coherent_buf(struct iox_dma_dev *dd,
					 const void *cpu_addr)
{
	return iox_dma_buf_find(dd, cpu_addr, false);
}

/**
 * iox_dma_alloc_pages() - dma_alloc_pages() for a device in an iox domain
 * @dev: the device
 * @size: bytes
 * @handle: set to the DMA address
 * @dir: direction the device will use the pages in
 * @gfp: allocation flags (zone modifiers ignored)
 *
 * The pages are cacheable, as dma-direct's: the caller syncs them. For a
 * non-coherent device the zeroing is cleaned from the CPU caches here, so
 * that no dirty line of it can land on the device's writes later.
 *
 * Context: As allowed by @gfp.
 * Return: the first page of a zeroed contiguous block, or NULL.
 */
struct page *iox_dma_alloc_pages(struct device *dev, size_t size,
				 dma_addr_t *handle,
				 enum dma_data_direction dir, gfp_t gfp)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	int prot = iox_dma_prot(dd, dir, 0);
	unsigned int order;
	struct page *page;

	*handle = DMA_MAPPING_ERROR;
	if (prot < 0 || !size || size > SIZE_MAX - PAGE_SIZE)
		return NULL;
	size = ALIGN(PAGE_ALIGN(size), iox_dma_granule(dd));
	order = get_order(size);
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_COMP);
	page = alloc_pages(gfp | __GFP_ZERO | __GFP_NOWARN, order);
	if (!page)
		return NULL;
	if (iox_dma_noncoherent(dd))
		iox_dma_nc_for_device(dd, page_to_phys(page), size, dir);
	*handle = iox_dma_map_range(dd, page_to_phys(page), size, prot,
				    dev->coherent_dma_mask, gfp);
	if (*handle == DMA_MAPPING_ERROR) {
		__free_pages(page, order);
		return NULL;
	}
	return page;
}

/**
 * iox_dma_free_pages() - dma_free_pages() for a device in an iox domain
 * @dev: the device
 * @size: the size given to iox_dma_alloc_pages()
 * @page: the pages
 * @handle: their DMA address
 * @dir: their direction
 *
 * Context: Process context.
 */
void iox_dma_free_pages(struct device *dev, size_t size, struct page *page,
			dma_addr_t handle, enum dma_data_direction dir)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);

	size = ALIGN(PAGE_ALIGN(size), iox_dma_granule(dd));
	/* Pages the device may still reach are leaked, never reused. */
	if (iox_dma_unmap_range(dd, handle, size))
		__free_pages(page, get_order(size));
}
