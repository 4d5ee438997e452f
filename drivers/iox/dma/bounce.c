// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: bounce buffers for untrusted devices.
 *
 * The IOMMU maps whole granules, so a buffer that shares a granule with
 * other data would expose that data to the device. For an untrusted device
 * such a buffer is copied into pages of its own (zeroed around it) and
 * those are mapped instead; the data is copied back on unmap and on
 * dma_sync_*_for_cpu(). Only untrusted devices have bounce buffers, and
 * only a few at a time, so a list is enough to find them.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "dma-priv.h"

/**
 * iox_dma_bounce_init() - an empty bounce table
 * @dd: the device
 *
 * Context: Any context.
 */
void iox_dma_bounce_init(struct iox_dma_dev *dd)
{
	spin_lock_init(&dd->bounce_lock);
	INIT_LIST_HEAD(&dd->bounces);
}

/**
 * iox_dma_needs_bounce() - whether a buffer shares a granule with other data
 * @dd: the device
 * @phys: first byte
 * @size: bytes
 *
 * Context: Any context.
 * Return: true unless the buffer is whole granules.
 */
bool iox_dma_needs_bounce(const struct iox_dma_dev *dd, phys_addr_t phys,
			  size_t size)
{
	return (phys | size) & (iox_dma_granule(dd) - 1);
}

/**
 * iox_dma_bounce_new() - a copy of a buffer in zeroed pages of its own
 * @dd: the device
 * @phys: first byte of the buffer
 * @size: bytes
 * @dir: direction of the mapping to come
 *
 * The copy keeps the buffer's offset in its granule and is filled from the
 * buffer whatever @dir is, so bytes the device does not write come back
 * unchanged. For a non-coherent device the copy's granules are cleaned
 * from the CPU caches whatever the caller's DMA_ATTR_SKIP_CPU_SYNC: they
 * are the backend's writes, not the caller's.
 *
 * Context: Any context.
 * Return: the bounce buffer, not yet mapped or recorded, or NULL.
 */
struct iox_dma_bounce *iox_dma_bounce_new(struct iox_dma_dev *dd,
					  phys_addr_t phys, size_t size,
					  enum dma_data_direction dir)
{
	unsigned long granule = iox_dma_granule(dd);
	unsigned int off = phys & (granule - 1);
	struct iox_dma_bounce *b;

	if (!size || off + size < size || off + size > SIZE_MAX - granule)
		return NULL;
	b = kzalloc(sizeof(*b), GFP_ATOMIC);
	if (!b)
		return NULL;
	b->len = ALIGN(off + size, granule);
	b->order = get_order(b->len);
	b->page = alloc_pages(GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN, b->order);
	if (!b->page) {
		kfree(b);
		return NULL;
	}
	b->orig = phys;
	b->offset = off;
	b->size = size;
	b->dir = dir;
	memcpy((char *)page_address(b->page) + off, phys_to_virt(phys), size);
	if (iox_dma_noncoherent(dd))
		iox_dma_nc_for_device(dd, page_to_phys(b->page), b->len, dir);
	return b;
}

/**
 * iox_dma_bounce_free() - free a bounce buffer no longer mapped
 * @b: the buffer, not recorded
 *
 * Context: Any context.
 */
void iox_dma_bounce_free(struct iox_dma_bounce *b)
{
	__free_pages(b->page, b->order);
	kfree(b);
}

/**
 * iox_dma_bounce_add() - record a bounce buffer mapped at an IOVA
 * @dd: the device
 * @b: the buffer
 * @iova: the first IOVA of its granules
 *
 * Context: Any context.
 */
void iox_dma_bounce_add(struct iox_dma_dev *dd, struct iox_dma_bounce *b,
			unsigned long iova)
{
	unsigned long flags;

	b->iova = iova;
	spin_lock_irqsave(&dd->bounce_lock, flags);
	list_add(&b->node, &dd->bounces);
	spin_unlock_irqrestore(&dd->bounce_lock, flags);
	atomic_long_inc(&dd->live_bounces);
}

/**
 * iox_dma_bounce_map() - map a copy of a buffer in pages of its own
 * @dd: the device
 * @phys: first byte of the buffer
 * @size: bytes
 * @dir: direction of the mapping
 * @prot: IOX_* permissions
 * @dma_mask: the highest IOVA the device can emit
 *
 * The copy keeps the buffer's offset in its granule. It is filled from the
 * buffer whatever @dir is, so bytes the device does not write come back
 * unchanged on unmap.
 *
 * Context: Any context.
 * Return: the DMA address of the copy, or DMA_MAPPING_ERROR.
 */
dma_addr_t iox_dma_bounce_map(struct iox_dma_dev *dd, phys_addr_t phys,
			      size_t size, enum dma_data_direction dir,
			      int prot, u64 dma_mask)
{
	struct iox_dma_bounce *b = iox_dma_bounce_new(dd, phys, size, dir);
	dma_addr_t addr;

	if (!b) {
		atomic_long_inc(&dd->map_errors);
		return DMA_MAPPING_ERROR;
	}
	/* Counted as a map error by iox_dma_map_range() if it fails. */
	addr = iox_dma_map_range(dd, page_to_phys(b->page) + b->offset, size,
				 prot, dma_mask, GFP_ATOMIC);
	if (addr == DMA_MAPPING_ERROR) {
		iox_dma_bounce_free(b);
		return addr;
	}
	iox_dma_bounce_add(dd, b, addr - b->offset);
	return addr;
}

/* The bounce buffer whose mapping holds @addr. */
static struct iox_dma_bounce *iox_dma_bounce_find(struct iox_dma_dev *dd,
						  dma_addr_t addr)
{
	struct iox_dma_bounce *b;

	list_for_each_entry(b, &dd->bounces, node)
		if (addr >= b->iova && addr - b->iova < b->len)
			return b;
	return NULL;
}

/**
 * iox_dma_bounce_take() - remove the record of a buffer in an IOVA range
 * @dd: the device
 * @start: first IOVA of the range
 * @end: IOVA after the range
 *
 * Context: Any context.
 * Return: a buffer whose granules start in the range, no longer
 * recorded, or NULL if there is none.
 */
struct iox_dma_bounce *iox_dma_bounce_take(struct iox_dma_dev *dd,
					   unsigned long start,
					   unsigned long end)
{
	struct iox_dma_bounce *b, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&dd->bounce_lock, flags);
	list_for_each_entry(b, &dd->bounces, node) {
		if (b->iova >= start && b->iova < end) {
			list_del(&b->node);
			found = b;
			break;
		}
	}
	spin_unlock_irqrestore(&dd->bounce_lock, flags);
	b = found;
	if (b)
		atomic_long_dec(&dd->live_bounces);
	return b;
}

static void iox_dma_bounce_copy(struct iox_dma_bounce *b, size_t from,
				size_t size, bool to_orig)
{
	char *copy = (char *)page_address(b->page) + b->offset + from;
	char *orig = (char *)phys_to_virt(b->orig) + from;

	if (to_orig)
		memcpy(orig, copy, size);
	else
		memcpy(copy, orig, size);
}

/**
 * iox_dma_bounce_unmap() - unmap a bounced buffer and copy it back
 * @dd: the device
 * @addr: the DMA address iox_dma_bounce_map() returned
 * @size: its size
 * @dir: its direction
 *
 * The mapping is unmapped and invalidated before the copy back, so the
 * device cannot change the bytes after they were copied.
 *
 * Context: Any context.
 * Return: true if @addr was a bounce buffer's (handled, also when refused
 * for a wrong @size), false if it is none.
 */
bool iox_dma_bounce_unmap(struct iox_dma_dev *dd, dma_addr_t addr,
			  size_t size, enum dma_data_direction dir)
{
	struct iox_dma_bounce *b;
	unsigned long flags;

	spin_lock_irqsave(&dd->bounce_lock, flags);
	b = iox_dma_bounce_find(dd, addr);
	if (b && (addr != b->iova + b->offset || size != b->size)) {
		spin_unlock_irqrestore(&dd->bounce_lock, flags);
		atomic_long_inc(&dd->bad_unmaps);
		dev_err_ratelimited(dd->dev,
				    "iox-dma: unmap of %#llx+%#zx refused: the bounce buffer there is %#llx+%#zx\n",
				    (u64)addr, size,
				    (u64)(b->iova + b->offset), b->size);
		return true;
	}
	if (b)
		list_del(&b->node);
	spin_unlock_irqrestore(&dd->bounce_lock, flags);
	if (!b)
		return false;

	/* Refused (cannot happen for a recorded buffer): keep its pages. */
	if (!iox_dma_unmap_range(dd, addr, size))
		return true;
	iox_dma_bounce_finish(dd, b, dir);
	atomic_long_dec(&dd->live_bounces);
	return true;
}

/**
 * iox_dma_bounce_finish() - copy an unmapped bounce buffer back, free it
 * @dd: the device
 * @b: the buffer, unmapped, invalidated and no longer recorded
 * @dir: the mapping's direction: the device's writes come back for
 *	DMA_FROM_DEVICE and DMA_BIDIRECTIONAL, for a non-coherent device
 *	after the copy's stale cache lines are dropped
 *
 * Context: Any context.
 */
void iox_dma_bounce_finish(struct iox_dma_dev *dd, struct iox_dma_bounce *b,
			   enum dma_data_direction dir)
{
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL) {
		if (iox_dma_noncoherent(dd))
			iox_dma_nc_for_cpu(dd, page_to_phys(b->page) +
					   b->offset, b->size, dir);
		iox_dma_bounce_copy(b, 0, b->size, true);
	}
	iox_dma_bounce_free(b);
}

/**
 * iox_dma_bounce_sync() - copy between a bounced buffer and its copy
 * @dd: the device
 * @addr: DMA address inside the mapping
 * @size: bytes from @addr
 * @dir: the direction given to the sync
 * @for_cpu: true: the device's writes to the CPU's buffer; false: the
 *	CPU's writes to the device's copy
 *
 * Only the copy: the cache maintenance of a non-coherent device is its
 * callers' (before a copy to the CPU, after a copy to the device).
 *
 * Context: Any context.
 */
void iox_dma_bounce_sync(struct iox_dma_dev *dd, dma_addr_t addr,
			 size_t size, enum dma_data_direction dir,
			 bool for_cpu)
{
	struct iox_dma_bounce *b;
	unsigned long flags;
	size_t from, n;

	/* Only untrusted devices and two-step links bounce. */
	if (!atomic_long_read(&dd->live_bounces))
		return;
	if (for_cpu && dir != DMA_FROM_DEVICE && dir != DMA_BIDIRECTIONAL)
		return;
	if (!for_cpu && dir != DMA_TO_DEVICE && dir != DMA_BIDIRECTIONAL)
		return;
	spin_lock_irqsave(&dd->bounce_lock, flags);
	b = iox_dma_bounce_find(dd, addr);
	if (b && addr >= b->iova + b->offset) {
		from = addr - (b->iova + b->offset);
		n = from < b->size ? min(size, b->size - from) : 0;
		iox_dma_bounce_copy(b, from, n, for_cpu);
	}
	spin_unlock_irqrestore(&dd->bounce_lock, flags);
}
