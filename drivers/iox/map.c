// SPDX-License-Identifier: GPL-2.0
/*
 * iox mapping: size-based map and unmap over a domain's page-size bitmap.
 *
 * A map is cut into runs of (pgsize, count): at each point the largest
 * page size that the alignment of iova|paddr and the remaining size allow,
 * repeated until a larger size becomes possible or the range ends. The
 * driver gets whole runs, so it can fill many entries per call. An unmap
 * goes to the driver whole; the driver refuses one that would cut a leaf
 * before changing anything, which costs no extra walk.
 *
 * No domain-wide lock: callers map and unmap disjoint ranges concurrently;
 * the driver's page table makes that safe.
 */
#define pr_fmt(fmt) "iox: " fmt

#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/iox-pt.h>
#include "iox-priv.h"

/**
 * iox_pgsize() - the next run of one page size
 * @bitmap: the domain's page sizes
 * @iova: IOVA of the run's start
 * @paddr: physical address of the run's start
 * @size: bytes left; both addresses and @size are aligned to the smallest
 *	page size in @bitmap
 * @count: set to the number of pages in the run
 *
 * Return: the run's page size.
 */
static __always_inline size_t iox_pgsize(unsigned long bitmap,
					 unsigned long iova, phys_addr_t paddr,
					 size_t size, size_t *count)
{
	unsigned long addr_merge = iova | paddr;
	unsigned long sizes, bigger, mask;
	unsigned int idx;
	size_t pages;

	/* One smallest page: the most common call of all. */
	if (size == (bitmap & -bitmap)) {
		*count = 1;
		return size;
	}
	sizes = bitmap & GENMASK(__fls(size), 0);
	if (addr_merge)
		sizes &= GENMASK(__ffs(addr_merge), 0);
	idx = __fls(sizes);
	pages = size >> idx;

	/* Stop where iova and paddr both reach the next larger size. */
	bigger = bitmap & ~GENMASK(idx, 0);
	if (bigger) {
		mask = BIT(__ffs(bigger)) - 1;
		if (!((iova ^ paddr) & mask))
			pages = min_t(size_t, pages,
				      (mask + 1 - (iova & mask)) >> idx);
	}
	*count = pages;
	return BIT(idx);
}

/* The argument checks every map and unmap shares; see iox_map(). */
static __always_inline int iox_range_check(struct iox_domain *domain,
					   unsigned long iova, size_t size)
{
	unsigned long min_pgsize;

	if (unlikely(!iox_domain_is_paging(domain)))
		return -EOPNOTSUPP;
	min_pgsize = domain->pgsize_bitmap & -domain->pgsize_bitmap;
	if (unlikely(!size || ((iova | size) & (min_pgsize - 1))))
		return -EINVAL;
	if (unlikely(iova + size - 1 < iova))
		return -EOVERFLOW;
	if (unlikely(iova < domain->aperture_start ||
		     iova + size - 1 > domain->aperture_end))
		return -ERANGE;
	/* Most domains reserve nothing; the full check re-reads with acquire. */
	if (unlikely(READ_ONCE(domain->nr_resv)) &&
	    iox_resv_overlaps(domain, iova, size))
		return -EPERM;
	return 0;
}

/*
 * The one-page fast paths. A map or unmap of exactly one page whose size is
 * one entry of the engine's table (iox_domain.pt_leaf_sizes) goes straight
 * to the engine, without the run loop or a gather; the granule, one
 * last-level entry (iox_domain.pt_page_size), also without a level lookup
 * or a table to replace. The checks are iox_range_check()'s, fewer because
 * an aligned page cannot wrap; anything they refuse takes the full path,
 * which finds the right errno.
 */
static __always_inline bool iox_page_fits(struct iox_domain *domain,
					  unsigned long iova, size_t size)
{
	/* size 0 matches a pt_page_size of 0 (no fast path). */
	return size && !(iova & (size - 1)) &&
	       iova >= domain->aperture_start &&
	       iova + (size - 1) <= domain->aperture_end &&
	       (likely(!READ_ONCE(domain->nr_resv)) ||
		!iox_resv_overlaps(domain, iova, size));
}

/*
 * iox_page_fits() for the granule entry points, without the call: a domain
 * with reservations takes the path that checks them. No call here leaves
 * the entry points without a frame of their own.
 */
static __always_inline bool iox_page_fits_fast(struct iox_domain *domain,
					       unsigned long iova, size_t size)
{
	return size && !(iova & (size - 1)) &&
	       iova >= domain->aperture_start &&
	       iova + (size - 1) <= domain->aperture_end &&
	       likely(!READ_ONCE(domain->nr_resv));
}

static __always_inline bool iox_page_map_ok(struct iox_domain *domain,
					    phys_addr_t paddr, size_t size,
					    int prot)
{
	return !(paddr & (size - 1)) &&
	       paddr + (size - 1) <= domain->paddr_max &&
	       (prot & (IOX_READ | IOX_WRITE)) && !(prot & ~IOX_PROT_MASK);
}

/* One page of a size the engine's map_one/unmap_one take. */
static __always_inline bool iox_leaf_size(struct iox_domain *domain,
					  size_t size)
{
	return (size & domain->pt_leaf_sizes) && !(size & (size - 1));
}

/* The whole range in one call: the driver refuses a cut before changing anything. */
static __always_inline ssize_t __iox_unmap(struct iox_domain *domain,
					   unsigned long iova, size_t size,
					   struct iox_iotlb_gather *gather)
{
	unsigned int shift = __ffs(domain->pgsize_bitmap);
	struct iox_pt *pt = domain->pt;

	if (likely(pt))
		return pt->ops->unmap(pt, iova, size, gather);
	return domain->ops->unmap_pages(domain, iova, BIT(shift), size >> shift,
					gather);
}

/*
 * Map without checks; on failure nothing this call mapped remains. Tables
 * the map replaced and the undo's invalidation collect in @gather.
 */
static __always_inline int __iox_map(struct iox_domain *domain,
				     unsigned long iova, phys_addr_t paddr,
				     size_t size, int prot, gfp_t gfp,
				     struct iox_iotlb_gather *gather)
{
	const struct iox_domain_ops *ops = domain->ops;
	unsigned long bitmap = domain->pgsize_bitmap;
	struct iox_pt *pt = domain->pt;
	unsigned long cur = iova;
	size_t pgsize, count, mapped;
	int ret = 0;

	while (size) {
		pgsize = iox_pgsize(bitmap, cur, paddr, size, &count);
		mapped = 0;
		/* Without map_pages the domain has an engine table (pt). */
		if (likely(!ops->map_pages))
			ret = pt->ops->map(pt, cur, paddr, pgsize, count, prot,
					   gfp, &mapped);
		else
			ret = ops->map_pages(domain, cur, paddr, pgsize, count,
					     prot, gfp, &mapped, gather);
		if (WARN_ON_ONCE(!ret && mapped != pgsize * count))
			ret = -EIO;
		cur += mapped;
		paddr += mapped;
		size -= mapped;
		if (unlikely(ret))
			break;
	}
	if (unlikely(ret) && cur != iova)
		__iox_unmap(domain, iova, cur - iova, gather);
	return ret;
}

/* Map, make it visible, and invalidate what the map replaced. */
static __always_inline int __iox_map_sync(struct iox_domain *domain,
					  unsigned long iova, phys_addr_t paddr,
					  size_t size, int prot, gfp_t gfp)
{
	struct iox_iotlb_gather gather;
	int ret;

	iox_iotlb_gather_init(&gather);
	ret = __iox_map(domain, iova, paddr, size, prot, gfp, &gather);
	if (!ret && domain->ops->iotlb_sync_map) {
		ret = domain->ops->iotlb_sync_map(domain, iova, size);
		if (ret)
			__iox_unmap(domain, iova, size, &gather);
	}
	/* Replaced tables and undone pages: invalidate before reuse. */
	if (unlikely(!iox_iotlb_gather_empty(&gather)))
		iox_iotlb_sync(domain, &gather);
	return ret;
}

/**
 * iox_map_nocheck() - map a range the core itself vetted
 * @domain: a paging domain
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @prot: IOX_* permissions
 * @gfp: allocation flags for page-table memory
 *
 * For the core's own identity mappings of direct regions, which lie in
 * reserved ranges that iox_map() refuses.
 *
 * Context: As allowed by @gfp.
 * Return: 0 or a negative errno, with nothing mapped.
 */
int iox_map_nocheck(struct iox_domain *domain, unsigned long iova,
		    phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	return __iox_map_sync(domain, iova, paddr, size, prot, gfp);
}

/* iox_map() through the run loop. */
static noinline int iox_map_range(struct iox_domain *domain, unsigned long iova,
				  phys_addr_t paddr, size_t size, int prot,
				  gfp_t gfp)
{
	int ret = iox_range_check(domain, iova, size);

	if (unlikely(ret))
		return ret;
	if (unlikely(!(prot & (IOX_READ | IOX_WRITE)) || (prot & ~IOX_PROT_MASK)))
		return -EINVAL;
	if (unlikely(paddr & (BIT(__ffs(domain->pgsize_bitmap)) - 1)))
		return -EINVAL;
	if (unlikely(paddr + size - 1 < paddr ||
		     paddr + size - 1 > domain->paddr_max))
		return -ERANGE;
	return __iox_map_sync(domain, iova, paddr, size, prot, gfp);
}

/* iox_map() of anything but one well-formed granule page. */
static noinline int iox_map_other(struct iox_domain *domain, unsigned long iova,
				  phys_addr_t paddr, size_t size, int prot,
				  gfp_t gfp)
{
	struct iox_pt *pt = domain->pt;

	if (iox_leaf_size(domain, size) && iox_page_fits(domain, iova, size) &&
	    iox_page_map_ok(domain, paddr, size, prot))
		return pt->ops->map_one(pt, iova, paddr, size, prot, gfp);
	return iox_map_range(domain, iova, paddr, size, prot, gfp);
}

/**
 * iox_map() - map a physically contiguous range
 * @domain: a paging or DMA domain
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @prot: IOX_* permissions; IOX_READ or IOX_WRITE must be set
 * @gfp: allocation flags for page-table memory (GFP_ATOMIC in atomic
 *	context)
 *
 * Uses the largest pages the domain's bitmap and the alignment of
 * @iova | @paddr allow. All or nothing: on failure the domain translates
 * exactly as before.
 *
 * Context: As allowed by @gfp. Concurrent calls on disjoint ranges are
 * safe.
 * Return: 0 on success;
 * -EOPNOTSUPP if @domain does not translate through a page table;
 * -EINVAL for @size 0, @iova, @paddr or @size not aligned to the smallest
 * page size, or @prot without IOX_READ/IOX_WRITE or with unknown bits;
 * -EOVERFLOW if the range wraps;
 * -ERANGE if it leaves the aperture or @paddr + @size passes paddr_max;
 * -EPERM if it touches a reserved region;
 * -EEXIST if any part is already mapped;
 * -ENOMEM if page-table memory ran out.
 */
int iox_map(struct iox_domain *domain, unsigned long iova, phys_addr_t paddr,
	    size_t size, int prot, gfp_t gfp)
{
	struct iox_pt *pt = domain->pt;

	if (likely(size == domain->pt_page_size &&
		   iox_page_fits_fast(domain, iova, size) &&
		   iox_page_map_ok(domain, paddr, size, prot)))
		return pt->ops->map_page(pt, iova, paddr, prot, gfp);
	return iox_map_other(domain, iova, paddr, size, prot, gfp);
}
EXPORT_SYMBOL_GPL(iox_map);

/**
 * iox_map_sg() - map a scatterlist at consecutive IOVAs
 * @domain: a paging or DMA domain
 * @iova: IOVA of the first segment
 * @sg: the list
 * @nents: entries of @sg
 * @prot: IOX_* permissions
 * @gfp: allocation flags for page-table memory
 *
 * Physically contiguous neighbours are mapped as one range, so they can use
 * larger pages. Every range must meet iox_map()'s alignment rules. All or
 * nothing.
 *
 * Context: As allowed by @gfp.
 * Return: bytes mapped, or a negative errno as iox_map() (-EINVAL also for
 * an empty list) with nothing mapped.
 */
ssize_t iox_map_sg(struct iox_domain *domain, unsigned long iova,
		   struct scatterlist *sg, unsigned int nents, int prot,
		   gfp_t gfp)
{
	phys_addr_t start = 0;
	size_t mapped = 0, len = 0;
	struct scatterlist *s;
	unsigned int i;
	int ret;

	for_each_sg(sg, s, nents, i) {
		phys_addr_t phys = sg_phys(s);

		if (len && phys == start + len) {
			len += s->length;
			continue;
		}
		if (len) {
			ret = iox_map(domain, iova + mapped, start, len, prot,
				      gfp);
			if (ret)
				goto undo;
			mapped += len;
		}
		start = phys;
		len = s->length;
	}
	if (!len) {
		ret = -EINVAL;
		goto undo;
	}
	ret = iox_map(domain, iova + mapped, start, len, prot, gfp);
	if (ret)
		goto undo;
	return mapped + len;
undo:
	if (mapped)
		iox_unmap(domain, iova, mapped);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_map_sg);

/**
 * iox_unmap_fast() - unmap a range, leaving invalidation to the caller
 * @domain: a paging or DMA domain
 * @iova: first IOVA
 * @size: bytes
 * @gather: collects the invalidation; pass it to iox_iotlb_sync() before
 *	the IOVA or the pages are reused
 *
 * Unmaps exactly [@iova, @iova + @size): a leaf that crosses either end is
 * not cut, the call is refused instead; holes are skipped.
 *
 * Context: Any context the driver's unmap allows. Concurrent calls on
 * disjoint ranges are safe.
 * Return: bytes unmapped (0 if nothing was mapped); -EOPNOTSUPP, -EINVAL
 * (also: the range would cut a larger page), -EOVERFLOW, -ERANGE or -EPERM
 * as for iox_map(), with nothing unmapped.
 */
ssize_t iox_unmap_fast(struct iox_domain *domain, unsigned long iova,
		       size_t size, struct iox_iotlb_gather *gather)
{
	struct iox_pt *pt = domain->pt;
	ssize_t ret = -EAGAIN;

	if (likely(size == domain->pt_page_size &&
		   iox_page_fits(domain, iova, size)))
		ret = pt->ops->unmap_page(pt, iova, size, gather);
	else if (iox_leaf_size(domain, size) &&
		 iox_page_fits(domain, iova, size))
		ret = pt->ops->unmap_one(pt, iova, size, gather);
	if (likely(ret != -EAGAIN)) {
		if (ret > 0)
			iox_iotlb_gather_add(gather, iova, size, size);
		return ret;
	}
	ret = iox_range_check(domain, iova, size);
	if (unlikely(ret))
		return ret;
	return __iox_unmap(domain, iova, size, gather);
}
EXPORT_SYMBOL_GPL(iox_unmap_fast);

/*
 * A gather that holds tables: invalidate their whole span, or the domain
 * when it is not known; the driver returns once the unit has completed
 * that, so no walk of the unit is inside the tables when they are freed.
 */
static noinline void iox_gather_run_tables(struct iox_domain *domain,
					   struct iox_iotlb_gather *gather)
{
	const struct iox_domain_ops *ops = domain->ops;

	if (gather->start <= gather->end)
		ops->invalidate_range(domain, gather->start, gather->end, false);
	else
		ops->flush_iotlb_all(domain);
	__iox_pt_free_gathered(domain->pt, gather);
}

/*
 * Carry out a gather that holds work. Out of line, so the entry points
 * keep no register for it; a gather of leaves, all in its range, is one
 * tail call to the driver.
 */
static noinline void iox_gather_run(struct iox_domain *domain,
				    struct iox_iotlb_gather *gather)
{
	if (unlikely(!list_empty(&gather->freelist))) {
		iox_gather_run_tables(domain, gather);
		return;
	}
	domain->ops->invalidate_range(domain, gather->start, gather->end, true);
}

/* Invalidate and free what a gather holds; the caller re-initialises it. */
static __always_inline void __iox_iotlb_sync(struct iox_domain *domain,
					     struct iox_iotlb_gather *gather)
{
	if (!gather->queued && !iox_iotlb_gather_empty(gather))
		iox_gather_run(domain, gather);
}

/* iox_unmap() of anything but one granule page. */
static noinline ssize_t iox_unmap_other(struct iox_domain *domain,
					unsigned long iova, size_t size)
{
	struct iox_iotlb_gather gather;
	ssize_t ret;

	if (iox_leaf_size(domain, size) && iox_page_fits(domain, iova, size)) {
		iox_iotlb_gather_page(&gather, iova, size);
		ret = domain->pt->ops->unmap_one(domain->pt, iova, size,
						 &gather);
		if (ret > 0)
			__iox_iotlb_sync(domain, &gather);
		if (ret != -EAGAIN)
			return ret;
	}
	ret = iox_range_check(domain, iova, size);
	if (unlikely(ret))
		return ret;
	iox_iotlb_gather_init(&gather);
	ret = __iox_unmap(domain, iova, size, &gather);
	__iox_iotlb_sync(domain, &gather);
	return ret;
}

/**
 * iox_unmap() - unmap a range and invalidate it
 * @domain: a paging or DMA domain
 * @iova: first IOVA
 * @size: bytes
 *
 * As iox_unmap_fast(), then waits for the IOTLB invalidation: once this
 * returns no device can reach the old pages through the range.
 *
 * Context: Process context or as the driver's invalidate_range allows.
 * Return: as iox_unmap_fast().
 */
ssize_t iox_unmap(struct iox_domain *domain, unsigned long iova, size_t size)
{
	struct iox_iotlb_gather gather;
	ssize_t ret;

	if (unlikely(size != domain->pt_page_size ||
		     !iox_page_fits_fast(domain, iova, size)))
		return iox_unmap_other(domain, iova, size);
	/* Built first: only the domain is needed after the walk. */
	iox_iotlb_gather_page(&gather, iova, size);
	ret = domain->pt->ops->unmap_page(domain->pt, iova, size, &gather);
	if (ret > 0)
		iox_gather_run(domain, &gather);
	return ret;
}
EXPORT_SYMBOL_GPL(iox_unmap);

/**
 * iox_iotlb_sync() - carry out the invalidation a gather collected
 * @domain: the domain the unmaps were made on
 * @gather: the gather; empty again on return
 *
 * The driver invalidates the gather's range (the whole domain for tables
 * gathered without one) and returns once the unit has completed it; then
 * the page-table pages the gather holds are freed. Does nothing for a
 * gather a flush queue owns.
 *
 * Context: As the driver's invalidate_range allows; usually process context.
 */
void iox_iotlb_sync(struct iox_domain *domain, struct iox_iotlb_gather *gather)
{
	if (gather->queued)
		return;
	__iox_iotlb_sync(domain, gather);
	iox_iotlb_gather_init(gather);
}
EXPORT_SYMBOL_GPL(iox_iotlb_sync);

/**
 * iox_flush_iotlb_all() - invalidate every cached translation of a domain
 * @domain: a paging or DMA domain; others are ignored
 *
 * Context: As the driver's flush allows; usually process context.
 */
void iox_flush_iotlb_all(struct iox_domain *domain)
{
	if (iox_domain_is_paging(domain))
		domain->ops->flush_iotlb_all(domain);
}
EXPORT_SYMBOL_GPL(iox_flush_iotlb_all);

/**
 * iox_lookup() - what a domain maps at an IOVA
 * @domain: the domain
 * @iova: the IOVA
 * @leaf: filled with the physical address, page size and permissions
 *
 * An identity domain reports @iova itself in a page of PAGE_SIZE.
 *
 * Context: Any context. Concurrent with map/unmap of other ranges.
 * Return: 0; -ENOENT if nothing is mapped at @iova (always so for a
 * blocked domain); -ERANGE outside the aperture.
 */
noinline int iox_lookup(struct iox_domain *domain, unsigned long iova,
			struct iox_leaf *leaf)
{
	if (domain->type == IOX_DOMAIN_IDENTITY) {
		leaf->phys = iova;
		leaf->pgsize = PAGE_SIZE;
		leaf->prot = IOX_READ | IOX_WRITE;
		return 0;
	}
	if (!iox_domain_is_paging(domain))
		return -ENOENT;
	if (iova < domain->aperture_start || iova > domain->aperture_end)
		return -ERANGE;
	if (likely(domain->pt))
		return domain->pt->ops->iova_to_phys(domain->pt, iova, leaf);
	return domain->ops->iova_to_phys(domain, iova, leaf);
}
EXPORT_SYMBOL_GPL(iox_lookup);

/**
 * iox_iova_to_phys() - the physical address an IOVA translates to
 * @domain: the domain
 * @iova: the IOVA
 *
 * Context: Any context.
 * Return: the physical address, or 0 if nothing is mapped (use
 * iox_lookup() where physical address 0 may be mapped).
 */
phys_addr_t iox_iova_to_phys(struct iox_domain *domain, unsigned long iova)
{
	struct iox_pt *pt = domain->pt;
	struct iox_leaf leaf;
	phys_addr_t phys;

	/* An engine table answers without decoding permissions. */
	if (likely(pt) && iova >= domain->aperture_start &&
	    iova <= domain->aperture_end) {
		phys = pt->ops->translate(pt, iova);
		return phys == IOX_PT_NOT_MAPPED ? 0 : phys;
	}
	return iox_lookup(domain, iova, &leaf) ? 0 : leaf.phys;
}
EXPORT_SYMBOL_GPL(iox_iova_to_phys);
