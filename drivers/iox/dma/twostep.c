// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: the two-step API (issue 2). A caller that builds
 * one device-visible range out of many pieces (an RDMA memory region, a
 * block request, pages faulted in one by one) first takes an IOVA range
 * for the whole (iox_dma_iova_try_alloc), then links and unlinks pieces at
 * offsets it chooses (iox_dma_iova_link / _unlink), and finally gives the
 * range back (iox_dma_iova_destroy / _free). Each piece has a memory type:
 * normal memory is mapped as is, another device's memory as MMIO, and
 * memory the device cannot read as is (encrypted) through a bounce copy.
 *
 * Pieces are placed by the caller: a piece must have the same offset in
 * its granule as the IOVA it is linked at, and two pieces never share a
 * granule (-EEXIST). Unlinks are always strict: the range stays the
 * caller's, but the pages behind it may be reused at once.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "dma-priv.h"

/**
 * iox_dma_iova_try_alloc() - take an IOVA range for a two-step mapping
 * @dev: a device
 * @state: filled with the range (zeroed when none is taken)
 * @phys: the physical address of the first piece: its offset in its
 *	granule becomes the range's
 * @size: bytes the range covers from there
 *
 * Context: Any context.
 * Return: true with a range below the device's DMA mask; false if the
 * backend does not serve @dev (map with dma_map_*() instead), @size is 0
 * or the IOVA space is exhausted.
 */
bool iox_dma_iova_try_alloc(struct device *dev,
			    struct iox_dma_iova_state *state,
			    phys_addr_t phys, size_t size)
{
	struct iox_dma_dev *dd;
	unsigned long off, pfn;
	size_t len;

	memset(state, 0, sizeof(*state));
	if (!iox_dma_served(dev) || !size)
		return false;
	dd = iox_dma_dev_of(dev);
	off = phys & (iox_dma_granule(dd) - 1);
	if (off + size < size || off + size > SIZE_MAX - iox_dma_granule(dd))
		return false;
	len = ALIGN(off + size, iox_dma_granule(dd));
	pfn = iox_iova_alloc_fast(dd->space, len >> dd->shift,
				  iox_dma_limit_pfn(dd, dma_get_mask(dev)));
	if (!pfn)
		return false;
	state->addr = (pfn << dd->shift) + off;
	state->size = size;
	state->len = len;
	return true;
}
EXPORT_SYMBOL_GPL(iox_dma_iova_try_alloc);

/* The granules of [offset, offset + size) of the range, checked. */
static int iox_dma_iova_span(struct iox_dma_dev *dd,
			     const struct iox_dma_iova_state *state,
			     size_t offset, size_t size, unsigned long *start,
			     size_t *len)
{
	unsigned long gmask = iox_dma_granule(dd) - 1;
	dma_addr_t addr = state->addr + offset;

	if (!state->addr || !size || offset > state->size ||
	    size > state->size - offset)
		return -EINVAL;
	*start = addr & ~(dma_addr_t)gmask;
	*len = ALIGN((addr & gmask) + size, gmask + 1);
	return 0;
}

/**
 * iox_dma_iova_link() - map a piece into a two-step range
 * @dev: the device of the range
 * @state: the range
 * @phys: the piece's first byte
 * @offset: where in the range it goes
 * @size: its bytes
 * @dir: the direction the device uses it in
 * @type: what memory it is
 *
 * Visible to the device on return (the core makes new mappings visible).
 *
 * Context: Any context.
 * Return: 0; -EINVAL for a piece outside the range, a bad direction or
 * type, or @phys at another offset in its granule than the range's IOVA
 * at @offset; -EEXIST if a granule is linked already; -ENOMEM.
 */
int iox_dma_iova_link(struct device *dev, struct iox_dma_iova_state *state,
		      phys_addr_t phys, size_t offset, size_t size,
		      enum dma_data_direction dir,
		      enum iox_dma_mem_type type)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	unsigned long gmask = iox_dma_granule(dd) - 1;
	int prot = iox_dma_prot(dd, dir, 0);
	struct iox_dma_bounce *b = NULL;
	unsigned long start;
	size_t len;
	int ret;

	ret = iox_dma_iova_span(dd, state, offset, size, &start, &len);
	if (ret || prot < 0 || type > IOX_DMA_MEM_ENCRYPTED ||
	    ((state->addr + offset) ^ phys) & gmask)
		return -EINVAL;
	if (type == IOX_DMA_MEM_P2P)
		prot = (prot & ~IOX_CACHE) | IOX_MMIO;
	if (type == IOX_DMA_MEM_ENCRYPTED ||
	    (type == IOX_DMA_MEM_NORMAL && dd->untrusted &&
	     iox_dma_needs_bounce(dd, phys, size))) {
		b = iox_dma_bounce_new(dd, phys, size, dir);
		if (!b)
			return -ENOMEM;
		phys = page_to_phys(b->page) + b->offset;
	} else if (type == IOX_DMA_MEM_NORMAL && iox_dma_noncoherent(dd)) {
		iox_dma_nc_for_device(dd, phys, size, dir);
	}
	ret = iox_map(dd->domain, start, phys & ~(phys_addr_t)gmask, len, prot,
		      GFP_ATOMIC);
	if (ret) {
		if (b)
			iox_dma_bounce_free(b);
		return ret;
	}
	if (b)
		iox_dma_bounce_add(dd, b, start);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_dma_iova_link);

/**
 * iox_dma_iova_sync() - hand linked pieces to the device
 * @dev: the device of the range
 * @state: the range
 * @offset: first byte to hand over
 * @size: bytes
 *
 * Links are visible to the device as they are made; what this adds is
 * bringing bounced pieces up to date with the CPU's writes since.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for bytes outside the range.
 */
int iox_dma_iova_sync(struct device *dev, struct iox_dma_iova_state *state,
		      size_t offset, size_t size)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	unsigned long start;
	size_t len;
	int ret;

	ret = iox_dma_iova_span(dd, state, offset, size, &start, &len);
	if (ret)
		return ret;
	iox_dma_bounce_sync(dd, state->addr + offset, size, DMA_TO_DEVICE,
			    false);
	if (iox_dma_noncoherent(dd))
		iox_dma_nc_iova(dd, state->addr + offset, size, DMA_TO_DEVICE,
				false);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_dma_iova_sync);

/**
 * iox_dma_iova_unlink() - unmap a piece of a two-step range
 * @dev: the device of the range
 * @state: the range
 * @offset: the offset the piece was linked at
 * @size: its size
 * @dir: its direction
 *
 * Strict: invalidated before this returns (a bounced piece is then copied
 * back). The range stays allocated. Bytes that are not linked so are
 * refused: logged, counted, nothing else changes.
 *
 * Context: Any context.
 */
void iox_dma_iova_unlink(struct device *dev,
			 struct iox_dma_iova_state *state, size_t offset,
			 size_t size, enum dma_data_direction dir)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	struct iox_iotlb_gather gather;
	struct iox_dma_bounce *b;
	unsigned long start;
	ssize_t ret;
	size_t len;

	ret = iox_dma_iova_span(dd, state, offset, size, &start, &len);
	if (ret)
		goto refused;
	/* Before the unmap: the walk finds the pages (peer MMIO skipped). */
	if (iox_dma_noncoherent(dd))
		iox_dma_nc_iova(dd, state->addr + offset, size, dir, true);
	iox_iotlb_gather_init(&gather);
	ret = iox_unmap_fast(dd->domain, start, len, &gather);
	if (!iox_iotlb_gather_empty(&gather))
		iox_iotlb_sync(dd->domain, &gather);
	if (ret != len)
		goto refused;
	while ((b = iox_dma_bounce_take(dd, start, start + len)))
		iox_dma_bounce_finish(dd, b, dir);
	return;
refused:
	atomic_long_inc(&dd->bad_unmaps);
	dev_err_ratelimited(dev, "iox-dma: unlink of %#zx+%#zx refused (%zd): not linked so\n",
			    offset, size, ret);
}
EXPORT_SYMBOL_GPL(iox_dma_iova_unlink);

/**
 * iox_dma_iova_free() - give back a two-step range with nothing linked
 * @dev: the device of the range
 * @state: the range; zeroed
 *
 * Context: Any context.
 */
void iox_dma_iova_free(struct device *dev, struct iox_dma_iova_state *state)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);

	if (state->addr)
		iox_iova_free_fast(dd->space, state->addr >> dd->shift,
				   state->len >> dd->shift);
	memset(state, 0, sizeof(*state));
}
EXPORT_SYMBOL_GPL(iox_dma_iova_free);

/**
 * iox_dma_iova_destroy() - unlink a two-step range's pieces and free it
 * @dev: the device of the range
 * @state: the range; zeroed
 * @mapped_len: bytes linked from the range's start, back to back
 * @dir: their direction
 *
 * Context: Any context.
 */
void iox_dma_iova_destroy(struct device *dev,
			  struct iox_dma_iova_state *state, size_t mapped_len,
			  enum dma_data_direction dir)
{
	if (mapped_len && state->addr)
		iox_dma_iova_unlink(dev, state, 0, mapped_len, dir);
	iox_dma_iova_free(dev, state);
}
EXPORT_SYMBOL_GPL(iox_dma_iova_destroy);
