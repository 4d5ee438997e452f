// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: devices that do not snoop CPU caches.
 *
 * A non-coherent device (dev_is_dma_coherent() false: an arm64 PCIe host
 * without "dma-coherent", most SoC masters) needs what dma-iommu gives it:
 * the CPU caches cleaned over a buffer before the device reads it and
 * invalidated before the CPU reads what the device wrote, and coherent
 * buffers that the CPU sees through a non-cacheable mapping.
 *
 * The architecture's primitives (arch_sync_dma_for_device(),
 * arch_sync_dma_for_cpu(), arch_dma_prep_coherent(), the remap with
 * pgprot_dmacoherent()) are not exported to modules, and iox must load
 * into a stock kernel. So each non-coherent device gets a "maintenance
 * device" of its own: a bare struct device that is never registered, has
 * no IOMMU and no dma_map_ops, is non-coherent like the device it serves
 * and has 64-bit DMA masks. For such a device dma-direct is used, its DMA
 * addresses are physical addresses (no dma_range_map, no memory
 * encryption where devices are non-coherent), and:
 *
 * - dma_sync_single_for_device() of a physical range is exactly
 *   arch_sync_dma_for_device() of it, dma_sync_single_for_cpu() exactly
 *   arch_sync_dma_for_cpu() (the swiotlb step is skipped: page-allocator
 *   memory is never inside the swiotlb pool);
 * - dma_alloc_attrs() gives zeroed, contiguous pages written back and
 *   invalidated (arch_dma_prep_coherent()) and a non-cacheable kernel
 *   mapping of them (or, in atomic context, a buffer of the atomic pool,
 *   mapped so already); its handle is the pages' physical address, which
 *   the backend then maps in the device's domain;
 * - dma_mmap_attrs() maps such a buffer into user space non-cacheable.
 *
 * CONFIG_DMA_API_DEBUG (off in Debian's configurations) would see the
 * syncs as syncs of memory the maintenance device never mapped and warn;
 * the allocations are tracked normally.
 *
 * Coherent devices (every x86 device) have no maintenance device and the
 * mapping paths test one pointer; nothing else changes for them.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/iox.h>
#include "dma-priv.h"

static void iox_dma_maint_release(struct device *dev)
{
	kfree(dev);
}

/**
 * iox_dma_nc_init() - give a non-coherent device its maintenance device
 * @dd: the device record, not yet published
 *
 * Leaves @dd->maint NULL for a device that snoops CPU caches.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int iox_dma_nc_init(struct iox_dma_dev *dd)
{
	struct device *maint;

	if (dev_is_dma_coherent(dd->dev))
		return 0;
	maint = kzalloc(sizeof(*maint), GFP_KERNEL);
	if (!maint)
		return -ENOMEM;
	device_initialize(maint);
	maint->release = iox_dma_maint_release;
	if (dev_set_name(maint, "iox-dma-maint:%s", dev_name(dd->dev))) {
		put_device(maint);
		return -ENOMEM;
	}
#if defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU_ALL)
	maint->dma_coherent = false;
#endif
	maint->dma_mask = &maint->coherent_dma_mask;
	maint->coherent_dma_mask = DMA_BIT_MASK(64);
	dd->maint = maint;
	return 0;
}

/**
 * iox_dma_nc_destroy() - drop the maintenance device
 * @dd: the device record; nothing it allocated is left
 *
 * Context: Process context.
 */
void iox_dma_nc_destroy(struct iox_dma_dev *dd)
{
	if (dd->maint)
		put_device(dd->maint);
	dd->maint = NULL;
}

/**
 * iox_dma_nc_for_device() - make CPU writes to memory visible to the device
 * @dd: a non-coherent device
 * @phys: first byte
 * @size: bytes
 * @dir: the direction of the mapping
 *
 * Context: Any context.
 */
void iox_dma_nc_for_device(struct iox_dma_dev *dd, phys_addr_t phys,
			   size_t size, enum dma_data_direction dir)
{
	dma_sync_single_for_device(dd->maint, phys, size, dir);
}

/**
 * iox_dma_nc_for_cpu() - drop stale CPU cache lines over device writes
 * @dd: a non-coherent device
 * @phys: first byte
 * @size: bytes
 * @dir: the direction of the mapping; nothing to do for DMA_TO_DEVICE
 *
 * Context: Any context.
 */
void iox_dma_nc_for_cpu(struct iox_dma_dev *dd, phys_addr_t phys,
			size_t size, enum dma_data_direction dir)
{
	if (dir != DMA_TO_DEVICE)
		dma_sync_single_for_cpu(dd->maint, phys, size, dir);
}

/**
 * iox_dma_nc_iova() - cache maintenance of what an IOVA range maps
 * @dd: a non-coherent device
 * @addr: first DMA address
 * @size: bytes
 * @dir: the direction of the mapping
 * @for_cpu: true for iox_dma_nc_for_cpu(), false for _for_device()
 *
 * The physical ranges are found in the domain, one call per physically
 * contiguous run; bytes not mapped, or mapped as MMIO (never cached, and
 * outside the kernel's linear map), are skipped.
 *
 * Context: Any context.
 */
void iox_dma_nc_iova(struct iox_dma_dev *dd, dma_addr_t addr, size_t size,
		     enum dma_data_direction dir, bool for_cpu)
{
	unsigned long gmask = iox_dma_granule(dd) - 1;
	phys_addr_t run = 0;
	size_t chunk, run_len = 0;
	struct iox_leaf leaf;
	bool ram;

	if (for_cpu && dir == DMA_TO_DEVICE)
		return;
	while (size) {
		chunk = min_t(size_t, size, gmask + 1 - (addr & gmask));
		ram = !iox_lookup(dd->domain, addr, &leaf) &&
		      !(leaf.prot & IOX_MMIO);
		if (ram && run_len && leaf.phys == run + run_len) {
			run_len += chunk;
		} else {
			if (run_len && for_cpu)
				iox_dma_nc_for_cpu(dd, run, run_len, dir);
			else if (run_len)
				iox_dma_nc_for_device(dd, run, run_len, dir);
			run = ram ? leaf.phys : 0;
			run_len = ram ? chunk : 0;
		}
		addr += chunk;
		size -= chunk;
	}
	if (run_len && for_cpu)
		iox_dma_nc_for_cpu(dd, run, run_len, dir);
	else if (run_len)
		iox_dma_nc_for_device(dd, run, run_len, dir);
}

/**
 * iox_dma_nc_alloc() - a coherent buffer the CPU sees uncached
 * @dd: a non-coherent device
 * @buf: its record: @buf->size is set; @buf->cpu_addr, @buf->block and
 *	@buf->count are filled in
 * @gfp: allocation flags; the atomic pool serves non-blocking ones
 *
 * The pages are contiguous, zeroed, and no longer in any CPU cache.
 *
 * Context: As allowed by @gfp.
 * Return: 0 or -ENOMEM.
 */
int iox_dma_nc_alloc(struct iox_dma_dev *dd, struct iox_dma_buf *buf,
		     gfp_t gfp)
{
	dma_addr_t phys;

	buf->cpu_addr = dma_alloc_attrs(dd->maint, buf->size, &phys, gfp,
					DMA_ATTR_NO_WARN);
	if (!buf->cpu_addr)
		return -ENOMEM;
	buf->block = pfn_to_page(PHYS_PFN(phys));
	buf->count = buf->size >> PAGE_SHIFT;
	buf->uncached = true;
	return 0;
}

/**
 * iox_dma_nc_free() - free a buffer of iox_dma_nc_alloc()
 * @dd: its device
 * @buf: its record, unmapped from the domain
 *
 * Context: Process context.
 */
void iox_dma_nc_free(struct iox_dma_dev *dd, struct iox_dma_buf *buf)
{
	dma_free_attrs(dd->maint, buf->size, buf->cpu_addr,
		       page_to_phys(buf->block), 0);
}

#ifndef IOX_USERSPACE
/**
 * iox_dma_nc_mmap() - map a buffer of iox_dma_nc_alloc() into user space
 * @dd: its device
 * @buf: its record
 * @vma: the user mapping, its page offset counted in the buffer
 *
 * The user mapping is non-cacheable, like the kernel's.
 *
 * Context: Process context, mmap lock held.
 * Return: 0, -ENXIO if @vma reaches past the buffer, or the mm's error.
 */
int iox_dma_nc_mmap(struct iox_dma_dev *dd, struct iox_dma_buf *buf,
		    struct vm_area_struct *vma)
{
	return dma_mmap_attrs(dd->maint, vma, buf->cpu_addr,
			      page_to_phys(buf->block), buf->size, 0);
}
#endif
