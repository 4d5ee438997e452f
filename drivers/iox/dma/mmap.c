// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: a coherent buffer seen from elsewhere - mapped into
 * a user process (dma_mmap_attrs()) or described as a scatterlist for
 * another device (dma_get_sgtable_attrs()).
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include "dma-priv.h"

/**
 * iox_dma_mmap() - map a coherent buffer into a user address space
 * @dev: the device
 * @vma: the user mapping, its page offset counted in the buffer
 * @cpu_addr: the buffer, from iox_dma_alloc()
 * @handle: its DMA address
 * @size: its size
 * @attrs: unused
 *
 * A non-coherent device's buffer is mapped non-cacheable, as the kernel
 * sees it.
 *
 * Context: Process context, mmap lock held.
 * Return: 0; -ENXIO if @cpu_addr is not this device's buffer or @vma
 * reaches past it; or the mm's error.
 */
int iox_dma_mmap(struct device *dev, struct vm_area_struct *vma,
		 void *cpu_addr, dma_addr_t handle, size_t size,
		 unsigned long attrs)
{
	struct iox_dma_buf *buf = iox_dma_coherent_buf(iox_dma_dev_of(dev),
						       cpu_addr);
	unsigned long pages = vma_pages(vma);

	if (!buf || buf->iova != handle || vma->vm_pgoff >= buf->count ||
	    pages > buf->count - vma->vm_pgoff)
		return -ENXIO;
	if (buf->uncached)
		return iox_dma_nc_mmap(iox_dma_dev_of(dev), buf, vma);
	if (buf->pages)
		return vm_map_pages(vma, buf->pages, buf->count);
	return remap_pfn_range(vma, vma->vm_start,
			       page_to_pfn(buf->block) + vma->vm_pgoff,
			       pages << PAGE_SHIFT, vma->vm_page_prot);
}

/**
 * iox_dma_get_sgtable() - a scatterlist of a coherent buffer's pages
 * @dev: the device
 * @sgt: the table to fill (allocated here; free with sg_free_table())
 * @cpu_addr: the buffer, from iox_dma_alloc()
 * @handle: its DMA address
 * @size: bytes to describe from its start
 * @attrs: unused
 *
 * Context: Process context.
 * Return: 0, -ENXIO if @cpu_addr is not this device's buffer or @size
 * exceeds it, or -ENOMEM.
 */
int iox_dma_get_sgtable(struct device *dev, struct sg_table *sgt,
			void *cpu_addr, dma_addr_t handle, size_t size,
			unsigned long attrs)
{
	struct iox_dma_buf *buf = iox_dma_coherent_buf(iox_dma_dev_of(dev),
						       cpu_addr);
	int ret;

	if (!buf || buf->iova != handle || !size || size > buf->size)
		return -ENXIO;
	if (buf->pages)
		return sg_alloc_table_from_pages(sgt, buf->pages,
						 PAGE_ALIGN(size) >> PAGE_SHIFT,
						 0, size, GFP_KERNEL);
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, buf->block, PAGE_ALIGN(size), 0);
	return ret;
}
