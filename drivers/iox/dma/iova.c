// SPDX-License-Identifier: GPL-2.0
/*
 * iox IOVA allocator: one DMA domain's address space in granules. The
 * occupied ranges live in a gap-augmented B+tree (iova-tree.c) under one
 * spinlock, so an allocation is O(log n) however full or fragmented the
 * space is; per-CPU magazines (iova-cache.c) serve the frequent sizes
 * without touching the tree. See Documentation/iox/iova.rst.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "iova-priv.h"

#ifndef IOX_USERSPACE
static unsigned long iox_iova_shrink_count(struct shrinker *shrinker,
					   struct shrink_control *sc)
{
	struct iox_iova_space *space =
		container_of(shrinker, struct iox_iova_space, shrinker);
	unsigned long ranges, granules;

	iox_iova_cache_count(space, &ranges, &granules);
	return ranges ? ranges : SHRINK_EMPTY;
}

static unsigned long iox_iova_shrink_scan(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	struct iox_iova_space *space =
		container_of(shrinker, struct iox_iova_space, shrinker);
	unsigned long ranges;

	iox_iova_cache_drain(space, &ranges);
	return ranges ? ranges : SHRINK_STOP;
}

static atomic_t iox_iova_ids = ATOMIC_INIT(0);

static int iox_iova_shrinker_register(struct iox_iova_space *space)
{
	int ret;

	space->shrinker.count_objects = iox_iova_shrink_count;
	space->shrinker.scan_objects = iox_iova_shrink_scan;
	space->shrinker.seeks = DEFAULT_SEEKS;
	ret = register_shrinker(&space->shrinker, "iox-iova-%d",
				atomic_inc_return(&iox_iova_ids));
	space->shrinker_on = !ret;
	return ret;
}

static void iox_iova_shrinker_unregister(struct iox_iova_space *space)
{
	if (space->shrinker_on)
		unregister_shrinker(&space->shrinker);
}
#else
/* Userspace has no memory pressure to answer: iox_iova_shrink() only. */
static int iox_iova_shrinker_register(struct iox_iova_space *space)
{
	return 0;
}

static void iox_iova_shrinker_unregister(struct iox_iova_space *space)
{
}
#endif

/**
 * iox_iova_space_create() - a new, empty IOVA space
 * @granule_shift: log2 of the granule (the smallest page) in bytes, 9..30
 * @start_pfn: lowest usable pfn, in granules; at least 1 (pfn 0 is the
 *	failure value of the allocators)
 * @end_pfn: highest usable pfn, inclusive; below ULONG_MAX
 * @flags: IOX_IOVA_GUARD: one free granule after every allocation, so an
 *	overrun faults; IOX_IOVA_NO_CACHE: no per-CPU caches
 *
 * With caches, a shrinker is registered so memory pressure empties them
 * (kernel build).
 *
 * Context: Process context; may sleep.
 * Return: the space, ERR_PTR(-EINVAL) for a bad argument or
 * ERR_PTR(-ENOMEM).
 */
struct iox_iova_space *iox_iova_space_create(unsigned int granule_shift,
					     unsigned long start_pfn,
					     unsigned long end_pfn,
					     unsigned int flags)
{
	struct iox_iova_chunk *chunk;
	struct iox_iova_space *space;
	int ret;

	if (granule_shift < 9 || granule_shift > 30 || !start_pfn ||
	    start_pfn > end_pfn || end_pfn == ULONG_MAX ||
	    (flags & ~(IOX_IOVA_GUARD | IOX_IOVA_NO_CACHE)))
		return ERR_PTR(-EINVAL);

	space = kzalloc(sizeof(*space), GFP_KERNEL);
	chunk = iox_iova_chunk_new(IOX_IOVA_LEAF, GFP_KERNEL);
	if (!space || !chunk) {
		kfree(space);
		if (chunk)
			__free_page(chunk->page);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&space->chunks);
	INIT_LIST_HEAD(&space->pool[IOX_IOVA_LEAF].partial);
	INIT_LIST_HEAD(&space->pool[IOX_IOVA_INNER].partial);
	iox_iova_chunk_add(space, chunk);
	raw_spin_lock_init(&space->lock);
	raw_spin_lock_init(&space->depot.lock);
	space->granule_shift = granule_shift;
	space->start_pfn = start_pfn;
	space->end_pfn = end_pfn;
	space->guard = flags & IOX_IOVA_GUARD ? 1 : 0;
	/*
	 * Both ends are reserved ranges, so every free run is a gap between
	 * two ranges. Nobody else sees the space yet: no lock.
	 */
	iox_iova_tree_init(space, iox_iova_node_alloc(space, IOX_IOVA_LEAF));

	if (!(flags & IOX_IOVA_NO_CACHE)) {
		ret = iox_iova_cache_init(space);
		if (ret)
			goto err_tree;
		ret = iox_iova_shrinker_register(space);
		if (ret)
			goto err_cache;
	}
	return space;

err_cache:
	iox_iova_cache_destroy(space);
err_tree:
	iox_iova_chunks_destroy(space);
	kfree(space);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(iox_iova_space_create);

/**
 * iox_iova_space_destroy() - free a space
 * @space: the space; ranges still allocated are dropped with it
 *
 * Context: Process context; may sleep. No other call on @space may run.
 */
void iox_iova_space_destroy(struct iox_iova_space *space)
{
	if (!space)
		return;
	iox_iova_shrinker_unregister(space);
	iox_iova_cache_destroy(space);
	iox_iova_chunks_destroy(space);
	kfree(space);
}
EXPORT_SYMBOL_GPL(iox_iova_space_destroy);

/* Whether a range overlapping [lo, hi] is an allocation (or its guard). */
static int reserve_check(struct iox_iova_space *space, unsigned long lo,
			 unsigned long hi)
{
	struct iox_iova_path path;

	iox_iova_tree_floor(space, hi, &path);
	do {
		if (iox_iova_path_hi(&path) < lo)
			return 0;
		if (!iox_iova_path_resv(&path))
			return -EBUSY;
	} while (iox_iova_tree_prev(space, &path));
	return 0;
}

/**
 * iox_iova_reserve() - keep a range from ever being handed out
 * @space: the space
 * @pfn_lo: first pfn
 * @pfn_hi: last pfn, inclusive
 *
 * The range may overlap or adjoin other reservations, and lie partly or
 * wholly outside the usable window: reservations that meet are merged into
 * one. A range meeting a live allocation or its guard granule is refused;
 * ranges held by the per-CPU caches are returned to the tree first.
 *
 * Context: Any context; takes spinlocks and allocates with GFP_ATOMIC.
 * Return: 0; -EINVAL if @pfn_lo > @pfn_hi; -EBUSY if the range overlaps a
 * live allocation (nothing changed); -ENOMEM.
 */
int iox_iova_reserve(struct iox_iova_space *space, unsigned long pfn_lo,
		     unsigned long pfn_hi)
{
	struct iox_iova_chunk *garbage = NULL;
	unsigned long flags, lo, hi, cursor;
	unsigned long n_lo, n_hi;
	struct iox_iova_path path;
	bool drained = false;
	int ret;

	if (pfn_lo > pfn_hi)
		return -EINVAL;
retry:
	raw_spin_lock_irqsave(&space->lock, flags);
	ret = reserve_check(space, pfn_lo, pfn_hi);
	if (!ret) {
		if (!iox_iova_nodes_get(space, &flags)) {
			raw_spin_unlock_irqrestore(&space->lock, flags);
			return -ENOMEM;
		}
		/* The lock may have been dropped: check again. */
		ret = reserve_check(space, pfn_lo, pfn_hi);
	}
	if (ret) {
		raw_spin_unlock_irqrestore(&space->lock, flags);
		if (!drained && space->cpu) {
			/* Cached ranges are free to the caller: take them back. */
			iox_iova_cache_drain(space, NULL);
			drained = true;
			goto retry;
		}
		return ret;
	}
	/*
	 * Merge with the reservations overlapping or adjoining the range,
	 * from the top down: each is erased, but for the one at pfn 0, which
	 * stays and grows instead.
	 */
	lo = pfn_lo;
	hi = pfn_hi;
	cursor = pfn_hi == ULONG_MAX ? pfn_hi : pfn_hi + 1;
	for (;;) {
		iox_iova_tree_floor(space, cursor, &path);
		n_lo = iox_iova_path_lo(&path);
		n_hi = iox_iova_path_hi(&path);
		if (n_hi < pfn_lo && n_hi + 1 != pfn_lo)
			break;
		if (!iox_iova_path_resv(&path)) {
			/* An allocation adjoining the range: step below it. */
			cursor = n_lo - 1;
			continue;
		}
		lo = min(lo, n_lo);
		hi = max(hi, n_hi);
		if (!n_lo)
			break;
		iox_iova_tree_erase(space, &path, &garbage);
	}
	if (lo) {
		iox_iova_tree_floor(space, lo, &path);
		iox_iova_tree_insert_above(space, &path, lo, hi, true);
	} else {
		/* path is at the range at pfn 0, now below all the rest. */
		iox_iova_tree_extend(space, &path, hi);
	}
	raw_spin_unlock_irqrestore(&space->lock, flags);
	iox_iova_chunks_free(garbage);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_iova_reserve);

/* Smallest gap that fits the request whatever its position. */
static unsigned long sure_fit(const struct iox_iova_req *req)
{
	unsigned long align = req->align;

	/* Aligned to the size's power of two, it crosses no boundary. */
	if (req->boundary)
		align = max(align, roundup_pow_of_two(req->size));
	return req->need + align - 1;
}

/* iox_iova_alloc() of any other request. */
static noinline unsigned long alloc_any(struct iox_iova_space *space,
					unsigned long granules,
					unsigned long limit_pfn,
					unsigned long align_granules,
					unsigned long boundary_granules)
{
	struct iox_iova_req req;
	unsigned long flags, thresh;
	int ret;

	if (!align_granules)
		align_granules = 1;
	if (!granules || granules > space->end_pfn ||
	    !is_power_of_2(align_granules) ||
	    (boundary_granules && (!is_power_of_2(boundary_granules) ||
				   granules > boundary_granules)))
		return 0;
	req.size = granules;
	req.need = granules + space->guard;
	req.limit = min(limit_pfn, space->end_pfn);
	req.align = align_granules;
	req.boundary = boundary_granules;
	thresh = sure_fit(&req);
	/* An overflowing threshold: only the exhaustive pass can tell. */
	req.thresh = thresh < req.need ? req.need : thresh;

	raw_spin_lock_irqsave(&space->lock, flags);
	while (unlikely((ret = iox_iova_tree_alloc(space, &req)) == -EAGAIN)) {
		/* Nodes for the splits first, then look again. */
		req.thresh = thresh < req.need ? req.need : thresh;
		if (!iox_iova_nodes_get(space, &flags)) {
			ret = 0;
			break;
		}
	}
	if (ret > 0) {
		space->alloc_ranges++;
		space->alloc_granules += granules;
	}
	raw_spin_unlock_irqrestore(&space->lock, flags);
	return ret > 0 ? req.pfn : 0;
}

/**
 * iox_iova_alloc() - allocate a range from the tree
 * @space: the space
 * @granules: size of the range, at least 1
 * @limit_pfn: the range's last pfn must not exceed this (the device's DMA
 *	mask in granules)
 * @align_granules: the first pfn is a multiple of this power of two; 0 or
 *	1 for none
 * @boundary_granules: the range does not cross a multiple of this power of
 *	two (the device's segment boundary); 0 for none
 *
 * Top-down like Linux: the range is placed as high as possible below
 * @limit_pfn in the highest free gap that fits it however it is aligned,
 * keeping low (32-bit) space for devices that need it. Only if no such
 * gap exists are the smaller gaps tried, highest first, so a range is
 * found whenever any place fits it. With IOX_IOVA_GUARD the granule after
 * the range is kept free as well. O(log n) in the number of ranges, except
 * that last resort.
 *
 * Context: Any context; takes a spinlock and allocates with GFP_ATOMIC.
 * Return: the first pfn, or 0 if nothing fits, an argument is invalid
 * (@granules 0 or above @boundary_granules, an alignment or boundary not
 * a power of two) or memory ran out.
 */
unsigned long iox_iova_alloc(struct iox_iova_space *space,
			     unsigned long granules, unsigned long limit_pfn,
			     unsigned long align_granules,
			     unsigned long boundary_granules)
{
	/* The common request: wherever it fits highest. */
	if (likely(align_granules <= 1 && !boundary_granules &&
		   limit_pfn >= space->end_pfn && granules - 1 < space->end_pfn))
		return iox_iova_tree_alloc_plain(space, granules);
	return alloc_any(space, granules, limit_pfn, align_granules,
			 boundary_granules);
}
EXPORT_SYMBOL_GPL(iox_iova_alloc);

/**
 * iox_iova_bad_free() - report a free of something never allocated
 * @space: the space
 * @pfn: the first pfn given
 * @granules: the size given
 *
 * Once per space, like WARN_ONCE, but without a splat, so a test of the
 * error path does not count as a kernel warning.
 *
 * Context: Any context.
 * Return: -EINVAL.
 */
int iox_iova_bad_free(struct iox_iova_space *space, unsigned long pfn,
		      unsigned long granules)
{
	if (!cmpxchg(&space->warned, 0, 1))
		pr_warn("iox-iova: free of %lu granules at pfn %#lx, which is not an allocation of that size\n",
			granules, pfn);
	return -EINVAL;
}

/* Free one range with the lock held; 0 or -EINVAL. */
static int free_locked(struct iox_iova_space *space, unsigned long pfn,
		       unsigned long granules, struct iox_iova_chunk **garbage)
{
	if (unlikely(iox_iova_tree_free(space, pfn, granules + space->guard,
					garbage))) {
		iox_iova_bad_free(space, pfn, granules);
		return -EINVAL;
	}
	space->alloc_ranges--;
	space->alloc_granules -= granules;
	return 0;
}

/**
 * iox_iova_free() - give back a range from iox_iova_alloc()
 * @space: the space
 * @pfn: the first pfn iox_iova_alloc() returned
 * @granules: the size it was asked for
 *
 * Anything else (a pfn never returned, freed already, another size) is
 * refused with a warning (once per space) and changes nothing.
 *
 * Context: Any context; takes a spinlock.
 * Return: 0, or -EINVAL for a range that is not a live allocation.
 */
int iox_iova_free(struct iox_iova_space *space, unsigned long pfn,
		  unsigned long granules)
{
	if (unlikely(!pfn || granules - 1 >= space->end_pfn))
		return iox_iova_bad_free(space, pfn, granules);
	return iox_iova_tree_free_one(space, pfn, granules);
}
EXPORT_SYMBOL_GPL(iox_iova_free);

/**
 * iox_iova_free_many() - give back ranges of one size under one lock
 * @space: the space
 * @pfns: first pfns
 * @nr: entries of @pfns
 * @granules: size of every range
 *
 * Context: Any context; takes a spinlock.
 * Return: granules freed (bad entries are reported and skipped).
 */
unsigned long iox_iova_free_many(struct iox_iova_space *space,
				 const unsigned long *pfns, unsigned long nr,
				 unsigned long granules)
{
	struct iox_iova_chunk *garbage = NULL;
	unsigned long flags, i, freed = 0;

	raw_spin_lock_irqsave(&space->lock, flags);
	for (i = 0; i < nr; i++)
		if (!free_locked(space, pfns[i], granules, &garbage))
			freed += granules;
	raw_spin_unlock_irqrestore(&space->lock, flags);
	iox_iova_chunks_free(garbage);
	return freed;
}

/**
 * iox_iova_shrink() - return every cached range to the tree
 * @space: the space
 *
 * Context: Any context; takes spinlocks.
 * Return: the granules given back.
 */
unsigned long iox_iova_shrink(struct iox_iova_space *space)
{
	return space->cpu ? iox_iova_cache_drain(space, NULL) : 0;
}
EXPORT_SYMBOL_GPL(iox_iova_shrink);

/**
 * iox_iova_get_stats() - what the space holds
 * @space: the space
 * @stats: filled in: live ranges (allocated, not freed) and ranges held by
 *	the caches, in ranges and granules (guards excluded)
 *
 * Exact when no other call on @space runs at the same time; otherwise a
 * range moving between a cache and a caller may be counted on either side.
 *
 * Context: Any context; takes spinlocks.
 */
void iox_iova_get_stats(struct iox_iova_space *space,
			struct iox_iova_stats *stats)
{
	unsigned long flags, ranges = 0, granules = 0;

	if (space->cpu)
		iox_iova_cache_count(space, &ranges, &granules);
	raw_spin_lock_irqsave(&space->lock, flags);
	stats->live_ranges = space->alloc_ranges - ranges;
	stats->live_granules = space->alloc_granules - granules;
	raw_spin_unlock_irqrestore(&space->lock, flags);
	stats->cached_ranges = ranges;
	stats->cached_granules = granules;
}
EXPORT_SYMBOL_GPL(iox_iova_get_stats);
