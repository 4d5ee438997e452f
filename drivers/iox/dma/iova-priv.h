/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox IOVA allocator internals: the gap-augmented AVL tree of occupied
 * ranges (iova-tree.c), the space around it (iova.c) and the per-CPU
 * magazine caches in front of it (iova-cache.c).
 */
#ifndef _IOX_IOVA_PRIV_H
#define _IOX_IOVA_PRIV_H

#include <linux/cache.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/iox-iova.h>
#include <linux/percpu.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>

/* What a node of the tree holds. */
enum iox_iova_kind {
	IOX_IOVA_KIND_ALLOC,	/* a live (or cached) allocation */
	IOX_IOVA_KIND_RESERVED,	/* never handed out; includes both ends */
};

/**
 * struct iox_iova_node - one occupied range, a node of the AVL tree
 * @left: lower ranges; IOX_IOVA_NIL for none
 * @right: higher ranges; IOX_IOVA_NIL for none
 * @parent: NULL for the root
 * @lo: first occupied granule
 * @hi: last occupied granule; an allocation's guard granule included
 * @gap: free granules between this node and the next higher one (0 for
 *	the highest node): every free run belongs to the node just below it
 * @max_gap: largest @gap in this subtree
 * @height: AVL height, 1 for a leaf
 * @kind: enum iox_iova_kind
 */
struct iox_iova_node {
	struct iox_iova_node *left, *right, *parent;
	unsigned long lo, hi;
	unsigned long gap, max_gap;
	u8 height;
	u8 kind;
};

/* The tree's missing children (iova-tree.c): height 0, no gap. */
extern const struct iox_iova_node iox_iova_nil;
#define IOX_IOVA_NIL	((struct iox_iova_node *)&iox_iova_nil)

/**
 * struct iox_iova_req - what one allocation asks of the tree search
 * @size: granules handed out
 * @need: granules occupied: @size plus the guard
 * @limit: highest pfn the range may end on
 * @end: the space's highest usable pfn
 * @align: alignment of the first pfn, a power of two
 * @boundary: power of two the range must not cross, 0 for none
 * @thresh: smallest gap the search descends for
 * @pfn: the result
 * @pred: the node just below the chosen gap (the gap's owner)
 */
struct iox_iova_req {
	unsigned long size, need, limit, end, align, boundary, thresh;
	unsigned long pfn;
	struct iox_iova_node *pred;
};

#define IOX_IOVA_MAG_SIZE	62	/* a magazine is 64 words */
#define IOX_IOVA_MAX_ORDERS	12	/* cached orders: sizes 1 .. 2048 */
#define IOX_IOVA_DEPOT_MAX	16	/* full magazines per order in the depot */
#define IOX_IOVA_SPARE_NODES	64	/* freed nodes kept out of their chunks */

/* A chunk of nodes is one page; its first slot is the header. */
#define IOX_IOVA_CHUNK_SIZE	PAGE_SIZE
#define IOX_IOVA_CHUNK_NODES	\
	(IOX_IOVA_CHUNK_SIZE / sizeof(struct iox_iova_node) - 1)

/**
 * struct iox_iova_chunk - the header of a page of nodes, in its first slot
 * @page: the page
 * @all: link in the space's list of chunks
 * @partial: link in the space's list of chunks with free nodes; unused
 *	while the chunk is full
 * @free: free nodes, linked through ->parent
 * @nr_free: entries of @free
 */
struct iox_iova_chunk {
	struct page *page;
	struct list_head all, partial;
	struct iox_iova_node *free;
	unsigned int nr_free;
};

/**
 * struct iox_iova_mag - a stack of freed ranges of one size
 * @next: link in the depot's list
 * @nr: entries in @pfns
 * @cap: IOX_IOVA_MAG_SIZE; 0 in iox_iova_no_mag, so that one reads as
 *	both empty (to an allocation) and full (to a free)
 * @pfns: first pfns of the ranges
 */
struct iox_iova_mag {
	struct iox_iova_mag *next;
	unsigned int nr, cap;
	unsigned long pfns[IOX_IOVA_MAG_SIZE];
};

/*
 * A CPU's magazine slot before its first use, or after a drain: the fast
 * paths test no pointer, and the slow paths replace it with a real one.
 */
extern const struct iox_iova_mag iox_iova_no_mag;
#define IOX_IOVA_NO_MAG	((struct iox_iova_mag *)&iox_iova_no_mag)

/**
 * struct iox_iova_cpu - one CPU's cache, in cache lines of its own
 * @lock: taken by this CPU's calls and by a drain from any CPU
 * @loaded: per order, popped from and pushed to first
 * @prev: per order, swapped with @loaded when that one is empty (alloc)
 *	or full (free)
 *
 * A slot holds IOX_IOVA_NO_MAG, never NULL.
 */
struct iox_iova_cpu {
	raw_spinlock_t lock;
	struct iox_iova_mag *loaded[IOX_IOVA_MAX_ORDERS];
	struct iox_iova_mag *prev[IOX_IOVA_MAX_ORDERS];
} ____cacheline_aligned;

/**
 * struct iox_iova_depot - full magazines shared by all CPUs, per order
 * @lock: protects the lists
 * @full: singly linked stacks of full magazines
 * @nr_full: entries of @full
 */
struct iox_iova_depot {
	raw_spinlock_t lock;
	struct iox_iova_mag *full[IOX_IOVA_MAX_ORDERS];
	unsigned int nr_full[IOX_IOVA_MAX_ORDERS];
};

/**
 * struct iox_iova_space - one IOVA space
 * @lock: protects the tree, the chunks and the counters below; raw, as the
 *	allocator serves atomic context: held for O(log n) steps per range,
 *	never around an allocation or a free
 * @root: the tree of occupied ranges; IOX_IOVA_NIL while empty
 * @chunks: every chunk of nodes (struct iox_iova_chunk)
 * @partial: the chunks with free nodes, the next nodes' source
 * @nr_free: free nodes in @partial's chunks
 * @spare: the last freed nodes, taken first (still counted in use by
 *	their chunks), linked through ->parent
 * @nr_spare: entries of @spare
 * @alloc_ranges: allocations in the tree (live and cached)
 * @alloc_granules: their granules, guards excluded
 * @granule_shift: log2 of the granule in bytes
 * @start_pfn: lowest usable pfn
 * @end_pfn: highest usable pfn
 * @guard: 1 with IOX_IOVA_GUARD, else 0
 * @cache_orders: orders the caches serve: sizes 1 .. 1 << (@cache_orders - 1)
 * @cache_max: the largest size the caches serve, 1 << (@cache_orders - 1);
 *	0 without caches
 * @cache_hi: no cached range ends above this pfn: the highest end of any
 *	range the caches took from the tree; only grows
 * @cpu: per-CPU caches, NULL with IOX_IOVA_NO_CACHE
 * @depot: the caches' shared store
 * @warned: a bad free was reported already
 * @shrinker: reclaims the caches under memory pressure (kernel only)
 * @shrinker_on: @shrinker is registered
 */
struct iox_iova_space {
	raw_spinlock_t lock;
	struct iox_iova_node *root;
	struct list_head chunks, partial;
	unsigned long nr_free;
	struct iox_iova_node *spare;
	unsigned int nr_spare;
	unsigned long alloc_ranges, alloc_granules;
	unsigned int granule_shift;
	unsigned long start_pfn, end_pfn;
	unsigned long guard;
	unsigned int cache_orders;
	unsigned long cache_max;
	unsigned long cache_hi;
	struct iox_iova_cpu __percpu *cpu;
	struct iox_iova_depot depot;
	int warned;
#ifndef IOX_USERSPACE
	struct shrinker shrinker;
	bool shrinker_on;
#endif
};

/* iova-tree.c: the caller holds space->lock. */
bool iox_iova_tree_search(struct iox_iova_node *root,
			  struct iox_iova_req *req);
void iox_iova_tree_insert_above(struct iox_iova_space *space,
				struct iox_iova_node *node,
				struct iox_iova_node *pred);
void iox_iova_tree_insert(struct iox_iova_space *space,
			  struct iox_iova_node *node);
struct iox_iova_node *iox_iova_tree_erase(struct iox_iova_space *space,
					  struct iox_iova_node *node);
struct iox_iova_node *iox_iova_tree_find(struct iox_iova_node *root,
					 unsigned long pfn);
struct iox_iova_node *iox_iova_tree_floor(struct iox_iova_node *root,
					  unsigned long pfn);
struct iox_iova_node *iox_iova_tree_prev(struct iox_iova_node *node);
void iox_iova_node_init(struct iox_iova_node *node, unsigned long lo,
			unsigned long hi, enum iox_iova_kind kind);

/* iova-nodes.c: the caller holds space->lock unless noted. */
struct iox_iova_chunk *iox_iova_chunk_new(gfp_t gfp);
void iox_iova_chunk_add(struct iox_iova_space *space,
			struct iox_iova_chunk *chunk);
struct iox_iova_node *iox_iova_chunk_node_alloc(struct iox_iova_space *space);
void iox_iova_chunk_node_free(struct iox_iova_space *space,
			      struct iox_iova_node *node,
			      struct iox_iova_chunk **garbage);
void iox_iova_chunks_free(struct iox_iova_chunk *garbage);
void iox_iova_chunks_destroy(struct iox_iova_space *space);

/* A node for an insertion: the last one freed, else one of a chunk. */
static inline struct iox_iova_node *
iox_iova_node_alloc(struct iox_iova_space *space)
{
	struct iox_iova_node *node = space->spare;

	if (!node)
		return iox_iova_chunk_node_alloc(space);
	space->spare = node->parent;
	space->nr_spare--;
	return node;
}

/* A node out of the tree: kept spare, else back to its chunk. */
static inline void iox_iova_node_free(struct iox_iova_space *space,
				      struct iox_iova_node *node,
				      struct iox_iova_chunk **garbage)
{
	if (space->nr_spare >= IOX_IOVA_SPARE_NODES) {
		iox_iova_chunk_node_free(space, node, garbage);
		return;
	}
	node->parent = space->spare;
	space->spare = node;
	space->nr_spare++;
}

/* iova.c */
unsigned long iox_iova_free_many(struct iox_iova_space *space,
				 const unsigned long *pfns, unsigned long nr,
				 unsigned long granules);

/* iova-cache.c */
int iox_iova_cache_init(struct iox_iova_space *space);
unsigned long iox_iova_cache_drain(struct iox_iova_space *space,
				   unsigned long *ranges);
void iox_iova_cache_count(struct iox_iova_space *space,
			  unsigned long *ranges, unsigned long *granules);
void iox_iova_cache_destroy(struct iox_iova_space *space);

#endif /* _IOX_IOVA_PRIV_H */
