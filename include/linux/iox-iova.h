/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox IOVA allocator: the address space of one DMA domain.
 *
 * Addresses are counted in granules ("pfns" of the domain's smallest page
 * size). The occupied ranges are a B+tree augmented with the largest free
 * gap of every subtree, so allocation and free are O(log n) in the worst
 * case. Per-CPU caches in front of it serve the frequent sizes.
 * pfn 0 is never handed out: it is the failure value.
 */
#ifndef _LINUX_IOX_IOVA_H
#define _LINUX_IOX_IOVA_H

#include <linux/types.h>

struct iox_iova_space;

/* Flags for iox_iova_space_create() */
#define IOX_IOVA_GUARD		BIT(0)	/* one unmapped granule after each range */
#define IOX_IOVA_NO_CACHE	BIT(1)	/* no per-CPU caches: every call is exact */

/**
 * struct iox_iova_stats - exact accounting of a space
 * @live_ranges: ranges allocated and not yet freed (cached ones excluded)
 * @live_granules: granules in those ranges, guards excluded
 * @cached_ranges: freed ranges held by the per-CPU caches
 * @cached_granules: granules in those ranges
 */
struct iox_iova_stats {
	unsigned long live_ranges;
	unsigned long live_granules;
	unsigned long cached_ranges;
	unsigned long cached_granules;
};

struct iox_iova_space *iox_iova_space_create(unsigned int granule_shift,
					     unsigned long start_pfn,
					     unsigned long end_pfn,
					     unsigned int flags);
void iox_iova_space_destroy(struct iox_iova_space *space);
int iox_iova_reserve(struct iox_iova_space *space, unsigned long pfn_lo,
		     unsigned long pfn_hi);

unsigned long iox_iova_alloc(struct iox_iova_space *space,
			     unsigned long granules, unsigned long limit_pfn,
			     unsigned long align_granules,
			     unsigned long boundary_granules);
int iox_iova_free(struct iox_iova_space *space, unsigned long pfn,
		  unsigned long granules);

unsigned long iox_iova_alloc_fast(struct iox_iova_space *space,
				  unsigned long granules,
				  unsigned long limit_pfn);
void iox_iova_free_fast(struct iox_iova_space *space, unsigned long pfn,
			unsigned long granules);

unsigned long iox_iova_shrink(struct iox_iova_space *space);
void iox_iova_get_stats(struct iox_iova_space *space,
			struct iox_iova_stats *stats);

#endif /* _LINUX_IOX_IOVA_H */
