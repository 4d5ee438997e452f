// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: caller-chosen (fixed) mappings, issue 1's
 * DMA_ATTR_FIXED_MAPPING. Some callers (KVM-style device assignment, a
 * device whose firmware expects buffers at set addresses) must choose both
 * sides of a mapping. They ask whether the device can
 * (iox_dma_fixed_capable), claim a window of the device's IOVA space
 * (iox_dma_fixed_window), which the allocator then never hands out, and
 * map and unmap inside it at addresses of their choice. Unmaps are strict.
 * A window stays claimed until the device is detached.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include "dma-priv.h"

/**
 * iox_dma_fixed_capable() - whether a device can take fixed mappings
 * @dev: the device
 *
 * Context: Any context.
 * Return: true if the backend serves @dev (its IOVAs are translated).
 */
bool iox_dma_fixed_capable(struct device *dev)
{
	return iox_dma_served(dev);
}
EXPORT_SYMBOL_GPL(iox_dma_fixed_capable);

/**
 * iox_dma_fixed_window() - claim IOVAs for caller-chosen mappings
 * @dev: a device the backend serves
 * @start: first IOVA, granule aligned
 * @size: bytes, whole granules
 *
 * Context: Any context.
 * Return: 0; -ENODEV if the backend does not serve @dev; -EINVAL for a
 * misaligned, empty or wrapping window; -ERANGE outside the aperture;
 * -EBUSY if the allocator has handed out IOVAs there; -ENOSPC past
 * IOX_DMA_MAX_FIXED_WINDOWS; -ENOMEM.
 */
int iox_dma_fixed_window(struct device *dev, dma_addr_t start, size_t size)
{
	struct iox_dma_dev *dd;
	unsigned long gmask, flags;
	dma_addr_t last;
	int ret;

	if (!iox_dma_served(dev))
		return -ENODEV;
	dd = iox_dma_dev_of(dev);
	gmask = iox_dma_granule(dd) - 1;
	last = start + size - 1;
	if (!size || ((start | size) & gmask) || last < start)
		return -EINVAL;
	if (start < dd->domain->aperture_start ||
	    last > dd->domain->aperture_end)
		return -ERANGE;
	spin_lock_irqsave(&dd->fixed_lock, flags);
	if (dd->nr_fixed == IOX_DMA_MAX_FIXED_WINDOWS) {
		ret = -ENOSPC;
	} else {
		ret = iox_iova_reserve(dd->space, start >> dd->shift,
				       last >> dd->shift);
		if (!ret) {
			dd->fixed[dd->nr_fixed].start = start;
			dd->fixed[dd->nr_fixed].last = last;
			dd->nr_fixed++;
		}
	}
	spin_unlock_irqrestore(&dd->fixed_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_dma_fixed_window);

/* Whether [iova, iova + size) lies inside one claimed window. */
static bool iox_dma_in_fixed(struct iox_dma_dev *dd, dma_addr_t iova,
			     size_t size)
{
	dma_addr_t last = iova + size - 1;
	unsigned long flags;
	bool inside = false;
	unsigned int i;

	if (!size || last < iova)
		return false;
	spin_lock_irqsave(&dd->fixed_lock, flags);
	for (i = 0; i < dd->nr_fixed; i++)
		if (iova >= dd->fixed[i].start && last <= dd->fixed[i].last)
			inside = true;
	spin_unlock_irqrestore(&dd->fixed_lock, flags);
	return inside;
}

/**
 * iox_dma_map_fixed() - map memory at an IOVA the caller chose
 * @dev: a device the backend serves
 * @iova: the IOVA, granule aligned, inside a claimed window
 * @phys: the physical address, granule aligned
 * @size: bytes, whole granules
 * @dir: the direction the device uses it in
 *
 * Context: Any context.
 * Return: 0; -ENODEV if the backend does not serve @dev; -ERANGE outside
 * every window; -EINVAL for misalignment or a bad direction; -EEXIST if
 * part of it is mapped; or the core's error, with nothing mapped.
 */
int iox_dma_map_fixed(struct device *dev, dma_addr_t iova, phys_addr_t phys,
		      size_t size, enum dma_data_direction dir)
{
	struct iox_dma_dev *dd;
	int prot;

	if (!iox_dma_served(dev))
		return -ENODEV;
	dd = iox_dma_dev_of(dev);
	prot = iox_dma_prot(dd, dir, 0);
	if (prot < 0)
		return prot;
	if (!iox_dma_in_fixed(dd, iova, size))
		return -ERANGE;
	return iox_map(dd->domain, iova, phys, size, prot, GFP_ATOMIC);
}
EXPORT_SYMBOL_GPL(iox_dma_map_fixed);

/**
 * iox_dma_unmap_fixed() - unmap a caller-chosen mapping
 * @dev: a device the backend serves
 * @iova: the IOVA given to iox_dma_map_fixed()
 * @size: its size
 *
 * Invalidated before this returns.
 *
 * Context: Any context.
 * Return: 0; -ENODEV if the backend does not serve @dev; -ERANGE outside
 * every window; -ENOENT if nothing was mapped there; or the core's
 * error (-EINVAL for a range that would cut a larger page), with nothing
 * changed.
 */
int iox_dma_unmap_fixed(struct device *dev, dma_addr_t iova, size_t size)
{
	struct iox_dma_dev *dd;
	ssize_t ret;

	if (!iox_dma_served(dev))
		return -ENODEV;
	dd = iox_dma_dev_of(dev);
	if (!iox_dma_in_fixed(dd, iova, size))
		return -ERANGE;
	ret = iox_unmap(dd->domain, iova, size);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENOENT;
}
EXPORT_SYMBOL_GPL(iox_dma_unmap_fixed);
