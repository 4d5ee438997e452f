// SPDX-License-Identifier: GPL-2.0
/*
 * iox DMA-API backend: scatterlists.
 *
 * A list gets one IOVA range. Each segment occupies the granules around it,
 * in order, so it keeps its offset in its granule; a segment that would
 * cross the device's segment boundary starts at the next boundary instead.
 * Then the device's view is built: segments meeting at a granule boundary
 * (the previous one ends on it, the next starts on it, nothing between
 * them) become one DMA segment, up to the device's maximum segment size and
 * never across its segment boundary.
 *
 * Untrusted devices map each segment on its own, so partial pages bounce.
 */
#define pr_fmt(fmt) "iox-dma: " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include "dma-priv.h"

static void iox_dma_unmap_sg_each(struct iox_dma_dev *dd,
				  struct scatterlist *sgl, int nents,
				  enum dma_data_direction dir,
				  unsigned long attrs)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sgl, s, nents, i) {
		if (!sg_dma_len(s))
			break;
		iox_dma_unmap_phys(dd, sg_dma_address(s), sg_dma_len(s), dir,
				   attrs);
	}
}

static int iox_dma_map_sg_each(struct iox_dma_dev *dd,
			       struct scatterlist *sgl, int nents,
			       enum dma_data_direction dir, int prot,
			       unsigned long attrs)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sgl, s, nents, i) {
		sg_dma_address(s) = iox_dma_map_phys(dd, sg_phys(s), s->length,
						     dir, prot, attrs);
		if (sg_dma_address(s) == DMA_MAPPING_ERROR) {
			sg_dma_len(s) = 0;
			/* Nothing reached the device: no maintenance again. */
			iox_dma_unmap_sg_each(dd, sgl, i, dir,
					      attrs | DMA_ATTR_SKIP_CPU_SYNC);
			return -ENOMEM;
		}
		sg_dma_len(s) = s->length;
	}
	return nents;
}

/* Cache maintenance of every segment of a list, by its CPU address. */
static void iox_dma_nc_sg(struct iox_dma_dev *dd, struct scatterlist *sgl,
			  int nents, enum dma_data_direction dir, bool for_cpu)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sgl, s, nents, i) {
		if (for_cpu)
			iox_dma_nc_for_cpu(dd, sg_phys(s), s->length, dir);
		else
			iox_dma_nc_for_device(dd, sg_phys(s), s->length, dir);
	}
}

/* Whether [start, last] lies inside one segment-boundary window. */
static bool iox_dma_in_window(unsigned long start, unsigned long last,
			      unsigned long boundary)
{
	return !((start ^ last) & ~boundary);
}

/*
 * Place every segment in a range starting at 0: its offset in the range
 * goes to sg_dma_address() for now. Return the range's size, 0 for a
 * segment of length 0.
 */
static size_t iox_dma_sg_layout(struct iox_dma_dev *dd,
				struct scatterlist *sgl, int nents,
				unsigned long boundary)
{
	unsigned long gmask = iox_dma_granule(dd) - 1;
	struct scatterlist *s;
	size_t total = 0, len;
	unsigned long off;
	int i;

	for_each_sg(sgl, s, nents, i) {
		if (!s->length)
			return 0;
		off = sg_phys(s) & gmask;
		len = ALIGN(off + s->length, gmask + 1);
		/* Pad to the next window rather than straddle one. */
		if (len <= boundary &&
		    !iox_dma_in_window(total, total + len - 1, boundary))
			total = ALIGN(total, boundary + 1);
		sg_dma_address(s) = total + off;
		total += len;
	}
	return total;
}

/*
 * Map each segment's granules at its place, neighbours contiguous both in
 * IOVA and physically in one call; undo all on failure.
 */
static int iox_dma_sg_map_layout(struct iox_dma_dev *dd,
				 struct scatterlist *sgl, int nents,
				 unsigned long base, int prot)
{
	unsigned long gmask = iox_dma_granule(dd) - 1;
	unsigned long off, rel, run_rel = 0;
	phys_addr_t phys, run_phys = 0;
	size_t len, run_len = 0;
	struct scatterlist *s;
	int i, ret;

	for_each_sg(sgl, s, nents, i) {
		/* The layout kept the offset in the granule. */
		off = sg_dma_address(s) & gmask;
		rel = sg_dma_address(s) - off;
		phys = sg_phys(s) - off;
		len = ALIGN(off + s->length, gmask + 1);
		if (run_len && rel == run_rel + run_len &&
		    phys == run_phys + run_len) {
			run_len += len;
			continue;
		}
		if (run_len) {
			ret = iox_map(dd->domain, base + run_rel, run_phys,
				      run_len, prot, GFP_ATOMIC);
			if (ret)
				goto undo;
		}
		run_rel = rel;
		run_phys = phys;
		run_len = len;
	}
	ret = iox_map(dd->domain, base + run_rel, run_phys, run_len, prot,
		      GFP_ATOMIC);
	if (!ret)
		return 0;
undo:
	/* Padding holes are skipped by the unmap. */
	if (run_rel)
		iox_unmap(dd->domain, base, run_rel);
	return ret;
}

/* Build the device's segments; return how many. */
static int iox_dma_sg_finalise(struct iox_dma_dev *dd,
			       struct scatterlist *sgl, int nents,
			       unsigned long base, unsigned long boundary)
{
	unsigned int max_seg = dma_get_max_seg_size(dd->dev);
	unsigned long gmask = iox_dma_granule(dd) - 1;
	struct scatterlist *s, *out = sgl;
	dma_addr_t cur = 0, addr;
	size_t cur_len = 0;
	unsigned int len;
	int i, count = 0;

	for_each_sg(sgl, s, nents, i) {
		addr = base + sg_dma_address(s);
		len = s->length;
		if (count && !((cur + cur_len) & gmask) && addr == cur + cur_len &&
		    cur_len + len <= max_seg &&
		    iox_dma_in_window(cur, addr + len - 1, boundary)) {
			cur_len += len;
			continue;
		}
		if (count) {
			sg_dma_address(out) = cur;
			sg_dma_len(out) = cur_len;
			out = sg_next(out);
		}
		cur = addr;
		cur_len = len;
		count++;
	}
	sg_dma_address(out) = cur;
	sg_dma_len(out) = cur_len;
	/* Entries past the last DMA segment say so with a length of 0. */
	for (s = sg_next(out), i = count; s && i < nents; s = sg_next(s), i++) {
		sg_dma_address(s) = DMA_MAPPING_ERROR;
		sg_dma_len(s) = 0;
	}
	return count;
}

/**
 * iox_dma_map_sg() - dma_map_sg_attrs() for a device in an iox DMA domain
 * @dev: the device
 * @sgl: the list
 * @nents: its entries
 * @dir: direction
 * @attrs: DMA_ATTR_* flags
 *
 * Context: Any context.
 * Return: the number of DMA segments; -EINVAL for a bad direction, an
 * empty list or an empty segment; -ENOMEM when the IOVA space below the
 * DMA mask or page-table memory is exhausted; nothing stays mapped then.
 */
int iox_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		   enum dma_data_direction dir, unsigned long attrs)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	int prot = iox_dma_prot(dd, dir, attrs);
	unsigned long pfn, granules;
	size_t total;
	int ret;

	if (prot < 0 || nents <= 0) {
		ret = -EINVAL;
		goto fail;
	}
	if (dd->untrusted) {
		ret = iox_dma_map_sg_each(dd, sgl, nents, dir, prot, attrs);
		if (ret < 0)
			goto fail;
		return ret;
	}
	/* A window smaller than a granule cannot be honoured. */
	boundary |= iox_dma_granule(dd) - 1;
	total = iox_dma_sg_layout(dd, sgl, nents, boundary);
	if (!total) {
		ret = -EINVAL;
		goto fail;
	}
	granules = total >> dd->shift;
	pfn = iox_iova_alloc_fast(dd->space, granules,
				  iox_dma_limit_pfn(dd, dma_get_mask(dev)));
	if (!pfn) {
		ret = -ENOMEM;
		goto fail;
	}
	if (iox_dma_noncoherent(dd) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iox_dma_nc_sg(dd, sgl, nents, dir, false);
	ret = iox_dma_sg_map_layout(dd, sgl, nents, pfn << dd->shift, prot);
	if (ret) {
		iox_iova_free_fast(dd->space, pfn, granules);
		ret = ret == -ENOMEM ? ret : -EIO;
		goto fail;
	}
	atomic_long_inc(&dd->live_mappings);
	return iox_dma_sg_finalise(dd, sgl, nents, pfn << dd->shift, boundary);
fail:
	atomic_long_inc(&dd->map_errors);
	return ret;
}

/**
 * iox_dma_unmap_sg() - dma_unmap_sg_attrs() for a device in an iox domain
 * @dev: the device
 * @sgl: the list given to iox_dma_map_sg()
 * @nents: the entries given to it
 * @dir: the direction given to it
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance for a
 *	non-coherent device
 *
 * Context: Any context.
 */
void iox_dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	dma_addr_t start, end;
	struct scatterlist *s;
	int i;

	if (dd->untrusted) {
		iox_dma_unmap_sg_each(dd, sgl, nents, dir, attrs);
		return;
	}
	if (iox_dma_noncoherent(dd) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iox_dma_nc_sg(dd, sgl, nents, dir, true);
	start = sg_dma_address(sgl);
	end = start;
	for_each_sg(sgl, s, nents, i) {
		if (!sg_dma_len(s))
			break;
		end = sg_dma_address(s) + sg_dma_len(s);
	}
	iox_dma_unmap_range(dd, start, end - start);
}

/*
 * Copy each bounced segment of a list, to the CPU or to the device, with
 * the cache maintenance of a non-coherent device around the copy: of the
 * bounce (found through the IOVA) for an untrusted device, whose segments
 * are mapped one by one, else of the segments themselves.
 */
static void iox_dma_sync_sg(struct device *dev, struct scatterlist *sgl,
			    int nents, enum dma_data_direction dir, bool to_cpu)
{
	struct iox_dma_dev *dd = iox_dma_dev_of(dev);
	struct scatterlist *s;
	int i;

	if (iox_dma_noncoherent(dd) && !dd->untrusted) {
		iox_dma_nc_sg(dd, sgl, nents, dir, to_cpu);
		return;
	}
	for_each_sg(sgl, s, nents, i) {
		if (!sg_dma_len(s))
			continue;
		if (iox_dma_noncoherent(dd) && to_cpu)
			iox_dma_nc_iova(dd, sg_dma_address(s), sg_dma_len(s),
					dir, true);
		iox_dma_bounce_sync(dd, sg_dma_address(s), sg_dma_len(s), dir,
				    to_cpu);
		if (iox_dma_noncoherent(dd) && !to_cpu)
			iox_dma_nc_iova(dd, sg_dma_address(s), sg_dma_len(s),
					dir, false);
	}
}

/**
 * iox_dma_sync_sg_for_cpu() - give a mapped list back to the CPU
 * @dev: the device
 * @sgl: a mapped list
 * @nents: its entries
 * @dir: the mapping's direction
 *
 * Context: Any context.
 */
void iox_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
			     int nents, enum dma_data_direction dir)
{
	iox_dma_sync_sg(dev, sgl, nents, dir, true);
}

/**
 * iox_dma_sync_sg_for_device() - give a mapped list to the device
 * @dev: the device
 * @sgl: a mapped list
 * @nents: its entries
 * @dir: the mapping's direction
 *
 * Context: Any context.
 */
void iox_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
				int nents, enum dma_data_direction dir)
{
	iox_dma_sync_sg(dev, sgl, nents, dir, false);
}
