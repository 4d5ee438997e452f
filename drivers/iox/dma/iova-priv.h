/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox IOVA allocator internals: the gap-augmented B+tree of occupied
 * ranges (iova-tree.c) and its nodes (iova-nodes.c), the space around it
 * (iova.c) and the per-CPU magazine caches in front of it (iova-cache.c).
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

/* Slots of a leaf of the tree, and children of an interior node. */
#define IOX_IOVA_LEAF_SLOTS	32
#define IOX_IOVA_INNER_SLOTS	64
/*
 * A node's tournament of n entries (32 or 64) in groups of eight: the
 * entries, then n / 8 groups and the top, each the largest of those below
 * it that is IOX_IOVA_SMALL or more (0 if none). The index of the top:
 */
#define IOX_IOVA_LEAF_TOP	(IOX_IOVA_LEAF_SLOTS + IOX_IOVA_LEAF_SLOTS / 8)
#define IOX_IOVA_INNER_TOP	\
	(IOX_IOVA_INNER_SLOTS + IOX_IOVA_INNER_SLOTS / 8)
/*
 * Gaps below this many granules are their own one-byte code; larger ones
 * have this code and are found through the tournament.
 */
#define IOX_IOVA_SMALL		63

/* Sizes (granules with the guard) that keep a finger into the tree. */
#define IOX_IOVA_FINGERS	32

/*
 * Levels the tree can have: every node but the root and the lowest of its
 * level is at least half full (a leaf a quarter, 8 ranges), so a tree of
 * 16 levels would hold more than 8 * 32^14 > 2^64 ranges.
 */
#define IOX_IOVA_MAX_HEIGHT	16

/**
 * struct iox_iova_sum - what a node knows of its entries' gaps by code
 * @present: bit c set if some entry's code is c
 * @count: entries with code c
 *
 * An entry's code is its gap if that is below IOX_IOVA_SMALL, else
 * IOX_IOVA_SMALL. The node's largest gap is the highest code present if
 * that is not IOX_IOVA_SMALL, else the top of its tournament.
 */
struct iox_iova_sum {
	u64 present;
	u8 count[IOX_IOVA_SMALL + 1];
};

/**
 * struct iox_iova_leaf - a leaf of the tree: up to 32 ranges, in ascending
 *	order over the slots in use, with free slots between them
 * @used: bit i set if slot i holds a range
 * @resv: bit i set if the range in slot i is a reservation (else an
 *	allocation)
 * @nr: ranges held (the bits of @used)
 * @sum: the codes of @t[0 .. 31] counted
 * @code: the code of each gap, byte i of word i / 8 counted from the low
 *	end (the byte order of the words in memory is the CPU's), so a
 *	word of eight codes is compared with a size at once
 * @lo: first pfn of the range in slot i; a free slot has that of the
 *	nearest range below it (of the first range if none is below), so
 *	@lo ascends, a lookup lands on a range, and @lo[0] is the leaf's
 *	first pfn
 * @hi: last pfn of the range in slot i, an allocation's guard granule
 *	included
 * @t: the gaps, then their tournament: @t[i] is the gap of the range in
 *	slot i, the free granules between it and the next higher range (0
 *	for a free slot and for the highest range of the space): every free
 *	run belongs to the range below it.
 *
 * A new range goes into a free slot just above the range whose gap it
 * takes (the slots freed by the ranges that made the gap are there), so
 * ranges move only when the slots around are all in use.
 */
struct iox_iova_leaf {
	u32 used, resv;
	unsigned int nr;
	struct iox_iova_sum sum;
	union {
		u8 b[IOX_IOVA_LEAF_SLOTS];
		u64 w[IOX_IOVA_LEAF_SLOTS / 8];
	} code;
	unsigned long lo[IOX_IOVA_LEAF_SLOTS];
	unsigned long hi[IOX_IOVA_LEAF_SLOTS];
	unsigned long t[IOX_IOVA_LEAF_TOP + 1];
};

/**
 * struct iox_iova_inner - an interior node of the tree
 * @nr: children
 * @sum: the codes of @t[0 .. 63] counted
 * @code: the code of each child's largest gap, as in a leaf
 * @lo: first pfn of each child's subtree, ascending; ULONG_MAX in the
 *	unused slots, so a lookup takes the same six steps in every node
 * @child: the children: leaves at level 1, interior nodes above
 * @t: the children's largest gaps, then their tournament: @t[i] is child
 *	i's (0 for i >= @nr)
 *
 * The codes find the highest child (or range) with a gap of a given size
 * below IOX_IOVA_SMALL in a few word compares, the counts give the node's
 * largest gap at once, and the tournament serves the larger sizes.
 */
struct iox_iova_inner {
	unsigned int nr;
	struct iox_iova_sum sum;
	union {
		u8 b[IOX_IOVA_INNER_SLOTS];
		u64 w[IOX_IOVA_INNER_SLOTS / 8];
	} code;
	unsigned long lo[IOX_IOVA_INNER_SLOTS];
	void *child[IOX_IOVA_INNER_SLOTS];
	unsigned long t[IOX_IOVA_INNER_TOP + 1];
};

/**
 * struct iox_iova_path - a walk from the root to one range
 * @leaf: the leaf
 * @pos: the range's slot in @leaf
 * @in: the interior node at each level (1 .. height - 1, the root last)
 * @slot: the child taken in it
 *
 * The tree has no parent pointers: every update walks back up its path.
 */
struct iox_iova_path {
	struct iox_iova_leaf *leaf;
	unsigned int pos;
	struct iox_iova_inner *in[IOX_IOVA_MAX_HEIGHT];
	u8 slot[IOX_IOVA_MAX_HEIGHT];
};

/**
 * struct iox_iova_req - what one allocation asks of the tree search
 * @size: granules handed out
 * @need: granules occupied: @size plus the guard
 * @limit: highest pfn the range may end on
 * @align: alignment of the first pfn, a power of two
 * @boundary: power of two the range must not cross, 0 for none
 * @thresh: smallest largest-gap of a subtree the search descends into
 * @pfn: the result
 */
struct iox_iova_req {
	unsigned long size, need, limit, align, boundary, thresh;
	unsigned long pfn;
};

#define IOX_IOVA_MAG_SIZE	62	/* a magazine is 64 words */
#define IOX_IOVA_MAX_ORDERS	12	/* cached orders: sizes 1 .. 2048 */
#define IOX_IOVA_DEPOT_MAX	16	/* full magazines per order in the depot */

/* A chunk of nodes is one page of one kind of node; its header comes first. */
#define IOX_IOVA_CHUNK_SIZE	PAGE_SIZE
#define IOX_IOVA_CHUNK_HDR	64
#define IOX_IOVA_CHUNK_LEAVES	\
	((IOX_IOVA_CHUNK_SIZE - IOX_IOVA_CHUNK_HDR) / sizeof(struct iox_iova_leaf))
#define IOX_IOVA_CHUNK_INNERS	\
	((IOX_IOVA_CHUNK_SIZE - IOX_IOVA_CHUNK_HDR) / sizeof(struct iox_iova_inner))

/* The kinds of node, each from chunks of its own. */
enum iox_iova_kind {
	IOX_IOVA_LEAF,
	IOX_IOVA_INNER,
	IOX_IOVA_KINDS,
};

/**
 * struct iox_iova_chunk - the header of a page of nodes, at its start
 * @page: the page
 * @all: link in the space's list of chunks
 * @partial: link in its pool's list of chunks with free nodes; unused
 *	while the chunk is full
 * @free: free nodes, linked through their first word
 * @nr_free: entries of @free
 * @kind: enum iox_iova_kind of its nodes
 */
struct iox_iova_chunk {
	struct page *page;
	struct list_head all, partial;
	void *free;
	unsigned int nr_free;
	unsigned int kind;
};

/**
 * struct iox_iova_pool - a space's free nodes of one kind
 * @partial: chunks with free nodes, the next nodes' source
 * @nr_free: free nodes in them
 */
struct iox_iova_pool {
	struct list_head partial;
	unsigned long nr_free;
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
 * @root: the B+tree of occupied ranges (both ends of the space are
 *	reserved ranges, so it is never empty): a leaf while @height is 1
 * @height: its levels
 * @max: the largest gap in the tree (the root's, which has no parent to
 *	record it)
 * @pend: the path of the last range freed, while @pend_on
 * @pend_on: the largest gap of @pend's leaf grew and its ancestors do not
 *	know yet: the next allocation, which usually refills that gap, takes
 *	it into account and settles it, anything else settles it first
 * @fingers: bit k - 1 set while @finger[k - 1] holds
 * @finger: for a request of k granules (with its guard; 1 <= k <=
 *	IOX_IOVA_FINGERS), the path to the leaf where the last one went: no
 *	range after that leaf has a gap of k or more, so the next such
 *	request searches from there, climbing only as far as the gaps below
 *	it need
 * @chunks: every chunk of nodes (struct iox_iova_chunk)
 * @pool: free nodes per enum iox_iova_kind
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
	void *root;
	unsigned int height;
	unsigned long max;
	struct iox_iova_path pend;
	bool pend_on;
	u64 fingers;
	struct iox_iova_path finger[IOX_IOVA_FINGERS];
	struct list_head chunks;
	struct iox_iova_pool pool[IOX_IOVA_KINDS];
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

/*
 * iova-tree.c: the caller holds space->lock, but for
 * iox_iova_tree_alloc_plain() and iox_iova_tree_free_one(), which take it.
 */
void iox_iova_tree_init(struct iox_iova_space *space,
			struct iox_iova_leaf *root);
bool iox_iova_tree_search(struct iox_iova_space *space,
			  struct iox_iova_req *req,
			  struct iox_iova_path *path);
bool iox_iova_tree_needs_nodes(const struct iox_iova_space *space,
			       const struct iox_iova_path *path);
void iox_iova_tree_insert_above(struct iox_iova_space *space,
				struct iox_iova_path *path,
				unsigned long lo, unsigned long hi, bool resv);
void iox_iova_tree_extend(struct iox_iova_space *space,
			  struct iox_iova_path *path, unsigned long hi);
void iox_iova_tree_erase(struct iox_iova_space *space,
			 struct iox_iova_path *path,
			 struct iox_iova_chunk **garbage);
void iox_iova_tree_floor(const struct iox_iova_space *space,
			 unsigned long pfn, struct iox_iova_path *path);
bool iox_iova_tree_find(const struct iox_iova_space *space,
			unsigned long pfn, struct iox_iova_path *path);
bool iox_iova_tree_prev(const struct iox_iova_space *space,
			struct iox_iova_path *path);
int iox_iova_tree_alloc(struct iox_iova_space *space, struct iox_iova_req *req);
unsigned long iox_iova_tree_alloc_plain(struct iox_iova_space *space,
					unsigned long granules);
int iox_iova_tree_free(struct iox_iova_space *space, unsigned long pfn,
		       unsigned long occupied, struct iox_iova_chunk **garbage);
int iox_iova_tree_free_one(struct iox_iova_space *space, unsigned long pfn,
			   unsigned long granules);

/* The highest bit set in @x, which is not 0. */
static __always_inline unsigned int iox_iova_fls64(u64 x)
{
#if BITS_PER_LONG == 64
	return __fls(x);
#else
	return fls64(x) - 1;
#endif
}

/*
 * The byte of a node's codes holding entry @i's: byte i % 8 of word i / 8
 * counted from its low end, whatever the CPU's byte order.
 */
static __always_inline unsigned int iox_iova_code_at(unsigned int i)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return i ^ 7;
#else
	return i;
#endif
}

/*
 * The largest gap of a node: the highest code present, or the top of the
 * tournament if that code is IOX_IOVA_SMALL. A node always has entries, so
 * some code is present.
 */
static __always_inline unsigned long
iox_iova_gaps_max(const struct iox_iova_sum *sum, const unsigned long *t,
		  unsigned int top)
{
	unsigned int c = iox_iova_fls64(sum->present);

	return c == IOX_IOVA_SMALL ? t[top] : c;
}

static __always_inline unsigned long
iox_iova_leaf_max(const struct iox_iova_leaf *l)
{
	return iox_iova_gaps_max(&l->sum, l->t, IOX_IOVA_LEAF_TOP);
}

static __always_inline unsigned long
iox_iova_inner_max(const struct iox_iova_inner *n)
{
	return iox_iova_gaps_max(&n->sum, n->t, IOX_IOVA_INNER_TOP);
}

/* The first and last pfn of the range a path leads to. */
static inline unsigned long iox_iova_path_lo(const struct iox_iova_path *path)
{
	return path->leaf->lo[path->pos];
}

static inline unsigned long iox_iova_path_hi(const struct iox_iova_path *path)
{
	return path->leaf->hi[path->pos];
}

/* Whether the range a path leads to is a reservation. */
static inline bool iox_iova_path_resv(const struct iox_iova_path *path)
{
	return path->leaf->resv & BIT(path->pos);
}

/* iova-nodes.c: the caller holds space->lock unless noted. */
struct iox_iova_chunk *iox_iova_chunk_new(enum iox_iova_kind kind, gfp_t gfp);
void iox_iova_chunk_add(struct iox_iova_space *space,
			struct iox_iova_chunk *chunk);
void *iox_iova_node_alloc(struct iox_iova_space *space,
			  enum iox_iova_kind kind);
void iox_iova_node_free(struct iox_iova_space *space, void *node,
			struct iox_iova_chunk **garbage);
void iox_iova_chunks_release(struct iox_iova_chunk *garbage);
void iox_iova_chunks_destroy(struct iox_iova_space *space);
bool iox_iova_nodes_get(struct iox_iova_space *space, unsigned long *flags);

/* Nodes in a chunk of @kind. */
static inline unsigned int iox_iova_chunk_nodes(enum iox_iova_kind kind)
{
	return kind == IOX_IOVA_LEAF ? IOX_IOVA_CHUNK_LEAVES :
				       IOX_IOVA_CHUNK_INNERS;
}

/*
 * Free nodes of @kind an insertion may take: a split of the leaf, of every
 * interior level above it and a new root.
 */
static inline unsigned long
iox_iova_nodes_wanted(const struct iox_iova_space *space,
		      enum iox_iova_kind kind)
{
	return kind == IOX_IOVA_LEAF ? 1 : space->height;
}

/* Free the chunks put aside under the lock, once it is dropped. */
static inline void iox_iova_chunks_free(struct iox_iova_chunk *garbage)
{
	if (unlikely(garbage))
		iox_iova_chunks_release(garbage);
}

/* iova.c */
int iox_iova_bad_free(struct iox_iova_space *space, unsigned long pfn,
		      unsigned long granules);
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
