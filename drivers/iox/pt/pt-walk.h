/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The iox page-table walker, compiled once per format.
 *
 * A format file defines PT_NAME, pt_entry_t and the fmt_*() helpers below
 * as static inline functions, then includes this file, which turns them
 * into map, unmap, lookup and teardown functions and an ops table named
 * iox_pt_<PT_NAME>_ops. Below the ops table every call is direct and the
 * format's helpers are inlined: there is no indirect call per entry.
 *
 * Levels count from the root (0) down to cfg.levels - 1. The format
 * describes each level by the IOVA bit it starts at (fmt_shift) and how
 * many bits it resolves (fmt_bits); a leaf of a size larger than its
 * level's span is stored as that many identical consecutive entries
 * (v7s supersections and large pages, AMD "next level 7" pages).
 *
 * Required from the format:
 *   fmt_shift(pt, lvl), fmt_bits(pt, lvl), fmt_table_order(pt, lvl)
 *   fmt_present(pt, lvl, e), fmt_entry_is_table(pt, e): whether a present
 *	entry above the last level points to a table
 *   fmt_table_entry(pt, lvl, phys), fmt_table_addr(pt, lvl, e)
 *   fmt_leaf_bits(pt, lvl, pgsize, prot): a leaf entry without its
 *	address; every format ORs the page's address into it, so adding
 *	pgsize to an entry gives the next page's entry
 *   fmt_leaf_size(pt, lvl, e): bytes the leaf covers, a whole group of
 *	repeated entries included; fmt_leaf_addr(pt, lvl, e, size): where
 *	it starts; fmt_leaf_prot(pt, lvl, e): its IOX_* permissions
 *
 * Optional: a format without such repeated leaves defines PT_REPEATS to
 * 0, which drops the check for them from the one-page fast paths; one that
 * can test "present and a table" in one go defines fmt_present_table(pt,
 * lvl, e), which the walks then use.
 *
 * Concurrency: tables are installed with cmpxchg and a caller only writes
 * entries inside its own range. A table goes when an unmap covers its
 * whole span, or when its last entry is cleared: every table counts its
 * entries in use (pt-priv.h), a walker reserves entries before it writes
 * them, and whoever clears the last one unlinks the table, then its parent
 * if that empties too. Walks run in RCU-sched read-side sections; unlinked
 * tables are freed a grace period after their invalidation.
 */

/* Whether the format stores some leaves as repeated entries (above). */
#ifndef PT_REPEATS
#define PT_REPEATS		1
#endif

#define __PT_CAT(a, b)		a##b
#define _PT_CAT(a, b)		__PT_CAT(a, b)
#define PT_FN(x)		_PT_CAT(_PT_CAT(iox_pt_, PT_NAME), _##x)

#ifndef fmt_present_table
/* Whether an entry above the last level is present and points to a table. */
static inline bool fmt_present_table(const struct iox_pt *pt, unsigned int lvl,
				     pt_entry_t e)
{
	return fmt_present(pt, lvl, e) && fmt_entry_is_table(pt, e);
}
#endif

static inline bool PT_FN(is_table)(const struct iox_pt *pt, unsigned int lvl,
				   pt_entry_t e)
{
	return lvl + 1 < pt->cfg.levels && fmt_entry_is_table(pt, e);
}

static inline pt_entry_t *PT_FN(table_at)(const struct iox_pt *pt,
					  unsigned int lvl, pt_entry_t e)
{
	return phys_to_virt(fmt_table_addr(pt, lvl, e));
}

static inline unsigned int PT_FN(index)(const struct iox_pt *pt,
					unsigned int lvl, u64 iova)
{
	return (iova >> pt->shift[lvl]) & pt->mask[lvl];
}

static const struct iox_pt_ops *const PT_FN(ops)[IOX_PT_MAX_LEVELS + 1];
#ifdef PT_FIXED_4K
static const struct iox_pt_ops *const PT_FN(ops_4k)[IOX_PT_MAX_LEVELS + 1];
static bool PT_FN(is_g4k)(const struct iox_pt *pt);
#endif

/*
 * Cache each level's shift and width, the level each page size lives at
 * (the one with the largest span not above the size), and the leaf entry
 * of a last-level page for each permission set: the walks read them
 * instead of computing them.
 */
static void PT_FN(setup_levels)(struct iox_pt *pt)
{
	unsigned int lvl, size, depth, depths;
	int prot;

	for (lvl = 0; lvl < pt->cfg.levels; lvl++) {
		pt->shift[lvl] = fmt_shift(pt, lvl);
		pt->bits[lvl] = fmt_bits(pt, lvl);
		pt->mask[lvl] = BIT(pt->bits[lvl]) - 1;
	}
	for (size = 0; size < BITS_PER_LONG; size++)
		for (lvl = 0; lvl < pt->cfg.levels; lvl++)
			if (pt->shift[lvl] <= size) {
				pt->size_level[size] = lvl;
				break;
			}
	pt->ops = PT_FN(ops)[pt->cfg.levels];
#ifdef PT_FIXED_4K
	if (PT_FN(is_g4k)(pt))
		pt->ops = PT_FN(ops_4k)[pt->cfg.levels];
#endif
	/* One-entry leaves for the fast paths, for every permission set. */
	depths = min_t(unsigned int, pt->cfg.levels, IOX_PT_LEAF_BITS_LEVELS);
	for (depth = 0; depth < depths; depth++) {
		lvl = pt->cfg.levels - 1 - depth;
		for (prot = 0; prot <= IOX_PROT_MASK; prot++)
			pt->leaf_bits[depth][prot] =
				fmt_leaf_bits(pt, lvl, BIT_ULL(pt->shift[lvl]),
					      prot);
	}
}

/* Free the tables a walk allocated but did not install. */
static void PT_FN(spares_free)(struct iox_pt *pt, struct iox_pt_spares *sp)
{
	unsigned int lvl;

	for (lvl = 1; lvl < IOX_PT_MAX_LEVELS; lvl++)
		if (sp->table[lvl])
			iox_pt_table_free(pt, sp->table[lvl]);
}

/*
 * Walk to the table at level @target holding @iova and reserve @n of its
 * entries, installing missing tables from @sp, inside a read-side section.
 * Tables are installed only when @sp has one for every level from the
 * first missing one down, so a walk either reaches its table or installs
 * nothing. ERR_PTR(-EAGAIN) asks for tables from level @sp->want down;
 * ERR_PTR(-EBUSY) met a dying table, which is unlinked in a moment: retry.
 */
static pt_entry_t *PT_FN(walk_get)(struct iox_pt *pt, u64 iova,
				   unsigned int target, int n,
				   struct iox_pt_spares *sp)
{
	pt_entry_t *table = pt->root, *ptep, e, new_e;
	unsigned int lvl, l;

	for (lvl = 0; lvl < target; lvl++) {
		ptep = &table[PT_FN(index)(pt, lvl, iova)];
		e = READ_ONCE(*ptep);
		if (unlikely(!e)) {
			for (l = lvl + 1; l <= target; l++) {
				if (!sp->table[l]) {
					sp->want = lvl + 1;
					return ERR_PTR(-EAGAIN);
				}
			}
			if (!iox_pt_get(table, 1))
				return ERR_PTR(-EBUSY);
			new_e = fmt_table_entry(pt, lvl,
						virt_to_phys(sp->table[lvl + 1]));
			e = cmpxchg(ptep, 0, new_e);
			if (e) {
				/* Another mapper of this span won the race. */
				iox_pt_put(table, 1);
			} else {
				sp->table[lvl + 1] = NULL;
				iox_pt_sync(pt, ptep, sizeof(*ptep));
				e = new_e;
			}
		}
		/* lvl is above the target level, so never the last one. */
		if (!fmt_entry_is_table(pt, e))
			return ERR_PTR(-EEXIST);	/* a larger leaf */
		table = PT_FN(table_at)(pt, lvl, e);
	}
	if (!iox_pt_get(table, n))
		return ERR_PTR(-EBUSY);
	return table;
}

/* Allocate the tables walk_get() asked for, from level @sp->want down. */
static int PT_FN(spares_get)(struct iox_pt *pt, struct iox_pt_spares *sp,
			     unsigned int target, gfp_t gfp)
{
	unsigned int lvl, order;

	for (lvl = sp->want; lvl <= target; lvl++) {
		order = fmt_table_order(pt, lvl);
		if (!sp->table[lvl])
			sp->table[lvl] = iox_pt_table_alloc(pt, order, gfp);
		if (!sp->table[lvl])
			return -ENOMEM;
	}
	return 0;
}

/*
 * walk_get() with its retries: allocates what it asks for outside the
 * section, and waits out dying tables. Returns inside a read-side section
 * whatever the result; the caller leaves it when done with the table.
 */
static pt_entry_t *PT_FN(enter_table)(struct iox_pt *pt, u64 iova,
				      unsigned int target, int n, gfp_t gfp,
				      struct iox_pt_spares *sp)
	__acquires(RCU_SCHED)
{
	pt_entry_t *table;
	int err = 0;

	rcu_read_lock_sched();
	for (;;) {
		table = PT_FN(walk_get)(pt, iova, target, n, sp);
		if (PTR_ERR(table) != -EBUSY && PTR_ERR(table) != -EAGAIN)
			return table;
		rcu_read_unlock_sched();
		if (PTR_ERR(table) == -EBUSY)
			cpu_relax();
		else
			err = PT_FN(spares_get)(pt, sp, target, gfp);
		rcu_read_lock_sched();
		if (err)
			return ERR_PTR(err);
	}
}

/*
 * Unlink @table (at @lvl, dying and owned by this caller) from its parent
 * @path[@lvl - 1] on the way to @iova, queue it on @gather with its span,
 * and carry on up while that empties the parent in turn. The root stays.
 */
static void PT_FN(unlink_up)(struct iox_pt *pt, pt_entry_t **path,
			     unsigned int lvl, u64 iova, pt_entry_t *table,
			     struct iox_iotlb_gather *gather)
{
	pt_entry_t *parent, *ptep;
	u64 span;

	for (;;) {
		parent = path[lvl - 1];
		ptep = &parent[PT_FN(index)(pt, lvl - 1, iova)];
		span = BIT_ULL(pt->shift[lvl - 1]);
		WARN_ON_ONCE(PT_FN(table_at)(pt, lvl - 1, READ_ONCE(*ptep)) !=
			     table);
		WRITE_ONCE(*ptep, 0);
		iox_pt_sync(pt, ptep, sizeof(*ptep));
		iox_pt_table_gather(pt, table, gather);
		iox_iotlb_gather_add(gather, iova & ~(span - 1), span, span);
		if (!--lvl || !iox_pt_put(parent, 1) || !iox_pt_kill(parent))
			return;
		table = parent;
	}
}

/*
 * This caller took the count of @table, at @lvl on the way to @iova, to
 * zero: unless another mapper has come in since, unlink it (and what that
 * empties above). Out of line: one unmap in a table's worth gets here.
 */
static noinline void PT_FN(collapse)(struct iox_pt *pt, u64 iova,
				     unsigned int lvl, pt_entry_t *table,
				     struct iox_iotlb_gather *gather)
{
	pt_entry_t *path[IOX_PT_MAX_LEVELS], e;
	unsigned int l;

	if (!lvl || !iox_pt_kill(table))
		return;
	/* The tables above hold an entry on the way to it: all live. */
	path[0] = pt->root;
	for (l = 0; l + 1 < lvl; l++) {
		e = READ_ONCE(path[l][PT_FN(index)(pt, l, iova)]);
		path[l + 1] = PT_FN(table_at)(pt, l, e);
	}
	PT_FN(unlink_up)(pt, path, lvl, iova, table, gather);
}

/*
 * The one-page fast paths: a page that fills exactly one entry at its
 * level. Each is compiled once per shape (pt-levels.h), so the walk is
 * unrolled with constant levels and the ops table of the right shape is
 * chosen at set-up, not per call. A shape, @geom, is the level count, with
 * PT_G4K where every level below the root resolves 9 bits above a 4K page
 * (the x86 formats, LPAE with 4K pages): its shifts and index masks are
 * then constants too.
 */
#define PT_G4K			0x100
#define PT_NLEV(geom)		((geom) & 0xff)

static __always_inline unsigned int PT_FN(gindex)(const struct iox_pt *pt,
						  const unsigned int geom,
						  unsigned int lvl, u64 iova)
{
	if (geom & PT_G4K)
		return (iova >> (12 + 9 * (PT_NLEV(geom) - 1 - lvl))) &
		       (lvl ? 511 : pt->mask[0]);
	return PT_FN(index)(pt, lvl, iova);
}

#ifdef PT_FIXED_4K
/* Whether @pt has the PT_G4K shape. */
static bool PT_FN(is_g4k)(const struct iox_pt *pt)
{
	unsigned int n = pt->cfg.levels, lvl;

	for (lvl = 0; lvl < n; lvl++)
		if (pt->shift[lvl] != 12 + 9 * (n - 1 - lvl) ||
		    (lvl && pt->bits[lvl] != 9))
			return false;
	return true;
}
#endif

/* One level of table_for(): step into the table @e points to. */
static __always_inline bool PT_FN(down)(struct iox_pt *pt,
					const unsigned int geom,
					unsigned int lvl, u64 iova,
					pt_entry_t **table, pt_entry_t *e,
					unsigned int *at)
{
	*e = READ_ONCE((*table)[PT_FN(gindex)(pt, geom, lvl, iova)]);
	if (unlikely(!fmt_present_table(pt, lvl, *e))) {
		*at = lvl;
		return false;
	}
	*table = PT_FN(table_at)(pt, lvl, *e);
	return true;
}

/*
 * Walk to the table at level @target holding @iova. False where an entry
 * above it is not a table (a hole, or a larger leaf); *@e and *@at are then
 * that entry and its level. With @geom a constant only its steps remain,
 * each one "present table" test.
 */
static __always_inline bool PT_FN(table_for)(struct iox_pt *pt,
					     const unsigned int geom,
					     unsigned int target, u64 iova,
					     pt_entry_t **tablep,
					     pt_entry_t *e, unsigned int *at)
{
	const unsigned int levels = PT_NLEV(geom);
	pt_entry_t *table = pt->root;

	BUILD_BUG_ON(IOX_PT_MAX_LEVELS != 6);
	*e = 0;
	*at = 0;
	if ((levels > 1 && target > 0 &&
	     !PT_FN(down)(pt, geom, 0, iova, &table, e, at)) ||
	    (levels > 2 && target > 1 &&
	     !PT_FN(down)(pt, geom, 1, iova, &table, e, at)) ||
	    (levels > 3 && target > 2 &&
	     !PT_FN(down)(pt, geom, 2, iova, &table, e, at)) ||
	    (levels > 4 && target > 3 &&
	     !PT_FN(down)(pt, geom, 3, iova, &table, e, at)) ||
	    (levels > 5 && target > 4 &&
	     !PT_FN(down)(pt, geom, 4, iova, &table, e, at)))
		return false;
	*tablep = table;
	return true;
}

/*
 * What a one-page unmap returns where the walk stopped above the page at an
 * entry that is no table: 0 for a hole, -EINVAL for a larger leaf, which
 * must not be cut. Out of line, so the walk keeps its single test; it ends
 * the read-side section.
 */
static noinline ssize_t PT_FN(unmap_one_miss)(struct iox_pt *pt,
					      unsigned int lvl, pt_entry_t e)
	__releases(RCU_SCHED)
{
	rcu_read_unlock_sched();
	return fmt_present(pt, lvl, e) ? -EINVAL : 0;
}

/*
 * Write a one-entry leaf into the slot @ptep at @lvl of a table of shape
 * @geom, if it is empty.
 */
static __always_inline int PT_FN(put_leaf)(struct iox_pt *pt,
					   const unsigned int geom,
					   unsigned int lvl, pt_entry_t *ptep,
					   phys_addr_t paddr, int prot)
{
	unsigned int depth = PT_NLEV(geom) - 1 - lvl;
	pt_entry_t old = READ_ONCE(*ptep), bits;

	/* A table there is in use: an empty one would have gone. */
	if (unlikely(old))
		return -EEXIST;
	if (likely(depth < IOX_PT_LEAF_BITS_LEVELS))
		bits = pt->leaf_bits[depth][prot & IOX_PROT_MASK];
	else
		bits = fmt_leaf_bits(pt, lvl, BIT_ULL(pt->shift[lvl]), prot);
	WRITE_ONCE(*ptep, bits | (pt_entry_t)paddr);
	iox_pt_sync(pt, ptep, sizeof(*ptep));
	return 0;
}

/* map_one where a table on the way is missing or dying. */
static noinline int PT_FN(map_one_slow)(struct iox_pt *pt, unsigned int lvl,
					unsigned long iova, phys_addr_t paddr,
					int prot, gfp_t gfp)
{
	struct iox_pt_spares sp = {};
	pt_entry_t *table;
	int ret;

	table = PT_FN(enter_table)(pt, iova, lvl, 1, gfp, &sp);
	if (IS_ERR(table)) {
		ret = PTR_ERR(table);
	} else {
		ret = PT_FN(put_leaf)(pt, pt->cfg.levels, lvl,
				      &table[PT_FN(index)(pt, lvl, iova)],
				      paddr, prot);
		/* Refused: the slot is in use, so the table stays. */
		if (ret)
			iox_pt_put(table, 1);
	}
	rcu_read_unlock_sched();
	PT_FN(spares_free)(pt, &sp);
	return ret;
}

/* Map a one-entry leaf at @lvl (a constant in map_page's copies). */
static __always_inline int PT_FN(map_one_at)(struct iox_pt *pt,
					     const unsigned int geom,
					     unsigned int lvl,
					     unsigned long iova,
					     phys_addr_t paddr, int prot,
					     gfp_t gfp)
{
	unsigned int at;
	pt_entry_t *table, e;
	int ret;

	rcu_read_lock_sched();
	if (unlikely(!PT_FN(table_for)(pt, geom, lvl, iova, &table, &e,
				       &at) ||
		     !iox_pt_get(table, 1))) {
		rcu_read_unlock_sched();
		return PT_FN(map_one_slow)(pt, lvl, iova, paddr, prot, gfp);
	}
	ret = PT_FN(put_leaf)(pt, geom, lvl,
			      &table[PT_FN(gindex)(pt, geom, lvl, iova)],
			      paddr, prot);
	if (unlikely(ret))
		iox_pt_put(table, 1);
	rcu_read_unlock_sched();
	return ret;
}

/*
 * The end of a one-page unmap whose entry needs a cache clean, or whose
 * table it left empty (bit 0 of @lvl_emptied, the level above it): out of
 * line and called last, so the fast path keeps no registers for it.
 */
static noinline ssize_t PT_FN(unmap_one_end)(struct iox_pt *pt,
					     unsigned long iova, size_t pgsize,
					     pt_entry_t *table,
					     struct iox_iotlb_gather *gather,
					     unsigned int lvl_emptied)
	__releases(RCU_SCHED)
{
	unsigned int lvl = lvl_emptied >> 1;

	iox_pt_sync(pt, &table[PT_FN(index)(pt, lvl, iova)], sizeof(*table));
	if (lvl_emptied & 1)
		PT_FN(collapse)(pt, iova, lvl, table, gather);
	rcu_read_unlock_sched();
	return pgsize;
}

/* Unmap a one-entry leaf of @pgsize at @lvl. */
static __always_inline ssize_t PT_FN(unmap_one_at)(struct iox_pt *pt,
						   const unsigned int geom,
						   unsigned int lvl,
						   unsigned long iova,
						   size_t pgsize,
						   struct iox_iotlb_gather *gather)
{
	pt_entry_t *table, *ptep, e;
	unsigned int at;
	ssize_t ret;

	rcu_read_lock_sched();
	if (unlikely(!PT_FN(table_for)(pt, geom, lvl, iova, &table, &e,
				       &at)))
		return PT_FN(unmap_one_miss)(pt, at, e);
	ptep = &table[PT_FN(gindex)(pt, geom, lvl, iova)];
	e = READ_ONCE(*ptep);
	ret = 0;
	if (!fmt_present(pt, lvl, e))
		goto out;
	ret = -EAGAIN;
	if (unlikely(lvl + 1 < PT_NLEV(geom) && fmt_entry_is_table(pt, e)))
		goto out;
	/* One of a repeated group (a v7s large page): a larger leaf. */
	ret = -EINVAL;
	if (PT_REPEATS && unlikely(fmt_leaf_size(pt, lvl, e) != pgsize))
		goto out;
	WRITE_ONCE(*ptep, 0);
	if (unlikely(iox_pt_put(table, 1)))
		return PT_FN(unmap_one_end)(pt, iova, pgsize, table, gather,
					    lvl << 1 | 1);
	if (unlikely(pt->cfg.quirks & IOX_PT_NONCOHERENT))
		return PT_FN(unmap_one_end)(pt, iova, pgsize, table, gather,
					    lvl << 1);
	ret = pgsize;
out:
	rcu_read_unlock_sched();
	return ret;
}

/* Bytes mapped below @table; queue it and its sub-tables for freeing. */
static size_t PT_FN(gather_tree)(struct iox_pt *pt, pt_entry_t *table,
				 unsigned int lvl,
				 struct iox_iotlb_gather *gather)
{
	unsigned int i, n = BIT(pt->bits[lvl]);
	size_t bytes = 0, span = BIT_ULL(pt->shift[lvl]);
	pt_entry_t e;

	/* A last-level table holds only leaves: count them, no branches. */
	if (lvl + 1 == pt->cfg.levels) {
		size_t leaves = 0;

		for (i = 0; i < n; i++)
			leaves += fmt_present(pt, lvl, READ_ONCE(table[i]));
		iox_pt_table_gather(pt, table, gather);
		return leaves * span;
	}
	for (i = 0; i < n; i++) {
		e = READ_ONCE(table[i]);
		if (!fmt_present(pt, lvl, e))
			continue;
		if (PT_FN(is_table)(pt, lvl, e))
			bytes += PT_FN(gather_tree)(pt, PT_FN(table_at)(pt, lvl, e),
						    lvl + 1, gather);
		else
			bytes += span;
	}
	iox_pt_table_gather(pt, table, gather);
	return bytes;
}

/*
 * Fill @n pages of @rep slots each from slot @idx of @table, the first
 * page's entry *@e. Returns the slots written, up to a slot in use
 * (-EEXIST in *@ret): a leaf, or a table, which is never empty since
 * tables go with their last entry.
 */
static unsigned int PT_FN(fill)(pt_entry_t *table, unsigned int idx,
				size_t n, unsigned int rep, pt_entry_t *e,
				size_t pgsize, int *ret)
{
	pt_entry_t *first = &table[idx], *ptep = first, *end = first + n;
	pt_entry_t v = *e;
	unsigned int i, r;

	if (likely(rep == 1)) {
		/* Four empty slots at a time; the loop below does the rest. */
		for (; end - ptep >= 4; ptep += 4, v += 4 * pgsize) {
			if (unlikely(READ_ONCE(ptep[0]) | READ_ONCE(ptep[1]) |
				     READ_ONCE(ptep[2]) | READ_ONCE(ptep[3])))
				break;
			WRITE_ONCE(ptep[0], v);
			WRITE_ONCE(ptep[1], v + pgsize);
			WRITE_ONCE(ptep[2], v + 2 * pgsize);
			WRITE_ONCE(ptep[3], v + 3 * pgsize);
		}
		for (; ptep < end; ptep++, v += pgsize) {
			if (unlikely(READ_ONCE(*ptep))) {
				*ret = -EEXIST;
				break;
			}
			WRITE_ONCE(*ptep, v);
		}
		*e = v;
		return ptep - first;
	}
	for (i = 0; i < n * rep; i += rep, v += pgsize) {
		/* Every slot of the page first, so a refusal writes nothing. */
		for (r = 0; r < rep; r++) {
			if (unlikely(READ_ONCE(first[i + r]))) {
				*ret = -EEXIST;
				goto out;
			}
		}
		for (r = 0; r < rep; r++)
			WRITE_ONCE(first[i + r], v);
	}
out:
	*e = v;
	return i;
}

static int PT_FN(map)(struct iox_pt *pt, unsigned long iova,
		      phys_addr_t paddr, size_t pgsize, size_t pgcount,
		      int prot, gfp_t gfp, size_t *mapped)
{
	unsigned int lvl, rep, idx, nent, written;
	struct iox_pt_spares sp = {};
	pt_entry_t *table, e;
	int ret = 0;
	size_t n;

	if (unlikely(!(pt->cfg.pgsize_bitmap & pgsize)))
		return -EINVAL;
	lvl = pt->size_level[__ffs(pgsize)];
	rep = pgsize >> pt->shift[lvl];
	nent = BIT(pt->bits[lvl]);
	e = fmt_leaf_bits(pt, lvl, pgsize, prot) | (pt_entry_t)paddr;

	while (pgcount) {
		idx = PT_FN(index)(pt, lvl, iova);
		n = min_t(size_t, pgcount, (nent - idx) / rep);
		table = PT_FN(enter_table)(pt, iova, lvl, n * rep, gfp, &sp);
		if (IS_ERR(table)) {
			rcu_read_unlock_sched();
			ret = PTR_ERR(table);
			break;
		}
		written = PT_FN(fill)(table, idx, n, rep, &e, pgsize, &ret);
		iox_pt_sync(pt, &table[idx], written * sizeof(e));
		/* The slot in use that stopped it keeps the table. */
		if (written < n * rep)
			iox_pt_put(table, n * rep - written);
		rcu_read_unlock_sched();
		*mapped += written / rep * pgsize;
		if (ret)
			break;
		iova += n * pgsize;
		pgcount -= n;
	}
	PT_FN(spares_free)(pt, &sp);
	return ret;
}

/*
 * Unmap [@start, @last] below @table at @lvl. *@emptied is set when that
 * took the table's count to zero and this caller marked it dying: its
 * caller then unlinks it.
 */
static size_t PT_FN(unmap_level)(struct iox_pt *pt, pt_entry_t *table,
				 unsigned int lvl, u64 start, u64 last,
				 struct iox_iotlb_gather *gather, bool *emptied)
{
	unsigned int shift = pt->shift[lvl];
	unsigned int i = PT_FN(index)(pt, lvl, start);
	unsigned int end = PT_FN(index)(pt, lvl, last);
	unsigned int first_written = UINT_MAX, last_written = 0, cleared = 0;
	u64 span = BIT_ULL(shift), base = start & ~(span - 1);
	size_t unmapped = 0, size;
	pt_entry_t e;

	for (; i <= end; base += span, i++) {
		unsigned int slot = i;

		e = READ_ONCE(table[i]);
		if (!fmt_present(pt, lvl, e))
			continue;
		if (PT_FN(is_table)(pt, lvl, e)) {
			pt_entry_t *child = PT_FN(table_at)(pt, lvl, e);
			u64 cstart = max(start, base);
			u64 clast = min(last, base + span - 1);

			if (cstart != base || clast != base + span - 1) {
				bool child_emptied = false;

				unmapped += PT_FN(unmap_level)(pt, child,
							       lvl + 1, cstart,
							       clast, gather,
							       &child_emptied);
				if (!child_emptied)
					continue;
				/* Emptied and dying, so ours to unlink. */
				WRITE_ONCE(table[i], 0);
				iox_pt_table_gather(pt, child, gather);
			} else {
				/* The range covers the whole table: unlink it. */
				WRITE_ONCE(table[i], 0);
				unmapped += PT_FN(gather_tree)(pt, child,
							       lvl + 1, gather);
			}
			iox_iotlb_gather_add(gather, base, span, span);
			cleared++;
		} else {
			unsigned int r, rep;

			size = fmt_leaf_size(pt, lvl, e);
			rep = size >> shift;
			/* The core never asks to cut a leaf. */
			if (WARN_ON_ONCE(base < start || base + size - 1 > last))
				break;
			for (r = 0; r < rep; r++)
				WRITE_ONCE(table[i + r], 0);
			iox_iotlb_gather_add(gather, base, size, size);
			unmapped += size;
			cleared += rep;
			i += rep - 1;
			base += size - span;
		}
		first_written = min(first_written, slot);
		last_written = i;
	}
	if (first_written != UINT_MAX)
		iox_pt_sync(pt, &table[first_written],
			    (last_written - first_written + 1) * sizeof(e));
	if (cleared && iox_pt_put(table, cleared) && lvl &&
	    iox_pt_kill(table))
		*emptied = true;
	return unmapped;
}

/*
 * Whether the leaf holding @addr (below @table at @lvl) reaches outside
 * [@start, @last]; a hole does not.
 */
static bool PT_FN(leaf_crosses)(struct iox_pt *pt, pt_entry_t *table,
				unsigned int lvl, u64 addr, u64 start, u64 last)
{
	pt_entry_t e;
	u64 base;
	size_t size;

	for (; lvl < pt->cfg.levels; lvl++) {
		e = READ_ONCE(table[PT_FN(index)(pt, lvl, addr)]);
		if (!fmt_present(pt, lvl, e))
			return false;
		if (PT_FN(is_table)(pt, lvl, e)) {
			table = PT_FN(table_at)(pt, lvl, e);
			continue;
		}
		size = fmt_leaf_size(pt, lvl, e);
		base = addr & ~(u64)(size - 1);
		return base < start || base + size - 1 > last;
	}
	return false;
}

static ssize_t PT_FN(unmap)(struct iox_pt *pt, unsigned long iova, size_t size,
			    struct iox_iotlb_gather *gather)
{
	u64 start = iova, last = (u64)iova + size - 1, span, base;
	unsigned int lvl, last_lvl = pt->cfg.levels - 1, shift;
	pt_entry_t *table = pt->root, *ptep, e;
	pt_entry_t *path[IOX_PT_MAX_LEVELS];
	bool emptied = false;
	ssize_t ret = 0;

	rcu_read_lock_sched();
	/* Descend while the range lies inside one entry: one walk, no more. */
	for (lvl = 0; ; lvl++) {
		path[lvl] = table;
		shift = pt->shift[lvl];
		if ((start ^ last) >> shift)
			break;
		ptep = &table[(start >> shift) & pt->mask[lvl]];
		e = READ_ONCE(*ptep);
		if (!fmt_present(pt, lvl, e))
			goto out;
		if (lvl != last_lvl && fmt_entry_is_table(pt, e)) {
			/* A range that is the whole table: see below. */
			if (unlikely(!((start | ~last) & (BIT_ULL(shift) - 1))))
				break;
			table = PT_FN(table_at)(pt, lvl, e);
			continue;
		}
		/* A leaf holds the whole range: it must be the range. */
		span = BIT_ULL(shift);
		base = start & ~(span - 1);
		ret = -EINVAL;
		if (fmt_leaf_size(pt, lvl, e) != span || start != base ||
		    last != base + span - 1)
			goto out;
		WRITE_ONCE(*ptep, 0);
		iox_pt_sync(pt, ptep, sizeof(e));
		iox_iotlb_gather_add(gather, base, span, span);
		emptied = iox_pt_put(table, 1) && lvl && iox_pt_kill(table);
		ret = span;
		goto up;
	}
	/* Several entries of this table: only the two ends can cut a leaf. */
	ret = -EINVAL;
	if (PT_FN(leaf_crosses)(pt, table, lvl, start, start, last) ||
	    PT_FN(leaf_crosses)(pt, table, lvl, last, start, last))
		goto out;
	ret = PT_FN(unmap_level)(pt, table, lvl, start, last, gather,
				 &emptied);
up:
	if (emptied)
		PT_FN(unlink_up)(pt, path, lvl, start, table, gather);
out:
	rcu_read_unlock_sched();
	return ret;
}

/*
 * The leaf entry translating @iova and its level; false for a hole. The
 * walk is unrolled for the shape @geom.
 */
static __always_inline bool PT_FN(find_leaf)(struct iox_pt *pt,
					     const unsigned int geom,
					     u64 iova, pt_entry_t *leaf,
					     unsigned int *level)
{
	const unsigned int last = PT_NLEV(geom) - 1;
	pt_entry_t *table, e;
	unsigned int lvl;

	if (likely(PT_FN(table_for)(pt, geom, last, iova, &table, &e, &lvl))) {
		lvl = last;
		e = READ_ONCE(table[PT_FN(gindex)(pt, geom, lvl, iova)]);
	}
	if (unlikely(!fmt_present(pt, lvl, e)))
		return false;
	*leaf = e;
	*level = lvl;
	return true;
}

static __always_inline int PT_FN(iova_to_phys_at)(struct iox_pt *pt,
						  const unsigned int geom,
						  unsigned long iova,
						  struct iox_leaf *leaf)
{
	unsigned int lvl;
	pt_entry_t e;
	size_t size;
	bool found;

	rcu_read_lock_sched();
	found = PT_FN(find_leaf)(pt, geom, iova, &e, &lvl);
	rcu_read_unlock_sched();
	if (!found)
		return -ENOENT;
	size = fmt_leaf_size(pt, lvl, e);
	leaf->pgsize = size;
	leaf->phys = fmt_leaf_addr(pt, lvl, e, size) + (iova & (size - 1));
	leaf->prot = fmt_leaf_prot(pt, lvl, e);
	return 0;
}

static __always_inline phys_addr_t PT_FN(translate_at)(struct iox_pt *pt,
						       const unsigned int geom,
						       unsigned long iova)
{
	unsigned int lvl;
	pt_entry_t e;
	size_t size;
	bool found;

	rcu_read_lock_sched();
	found = PT_FN(find_leaf)(pt, geom, iova, &e, &lvl);
	rcu_read_unlock_sched();
	if (!found)
		return IOX_PT_NOT_MAPPED;
	size = fmt_leaf_size(pt, lvl, e);
	return fmt_leaf_addr(pt, lvl, e, size) + (iova & (size - 1));
}

static void PT_FN(free_level)(struct iox_pt *pt, pt_entry_t *table,
			      unsigned int lvl)
{
	unsigned int i, n = BIT(pt->bits[lvl]);
	pt_entry_t e;

	for (i = 0; lvl + 1 < pt->cfg.levels && i < n; i++) {
		e = table[i];
		if (fmt_present(pt, lvl, e) && PT_FN(is_table)(pt, lvl, e))
			PT_FN(free_level)(pt, PT_FN(table_at)(pt, lvl, e),
					  lvl + 1);
	}
	iox_pt_table_free(pt, table);
}

static int PT_FN(leaves_below)(struct iox_pt *pt, pt_entry_t *table,
			       unsigned int lvl, u64 base, iox_pt_leaf_fn fn,
			       void *arg)
{
	unsigned int i, n = BIT(pt->bits[lvl]), shift = pt->shift[lvl];
	struct iox_pt_leaf out;
	pt_entry_t e;
	size_t size;
	int ret;

	for (i = 0; i < n; i++) {
		e = READ_ONCE(table[i]);
		if (!fmt_present(pt, lvl, e))
			continue;
		if (PT_FN(is_table)(pt, lvl, e)) {
			ret = PT_FN(leaves_below)(pt, PT_FN(table_at)(pt, lvl, e),
						  lvl + 1,
						  base + ((u64)i << shift), fn,
						  arg);
			if (ret)
				return ret;
			continue;
		}
		size = fmt_leaf_size(pt, lvl, e);
		out.iova = base + ((u64)i << shift);
		out.level = lvl;
		out.entry = e;
		out.leaf.pgsize = size;
		out.leaf.phys = fmt_leaf_addr(pt, lvl, e, size);
		out.leaf.prot = fmt_leaf_prot(pt, lvl, e);
		ret = fn(arg, &out);
		if (ret)
			return ret;
		/* The rest of a repeated group is the same leaf. */
		i += (size >> shift) - 1;
	}
	return 0;
}

static int PT_FN(for_each_leaf)(struct iox_pt *pt, iox_pt_leaf_fn fn,
				void *arg)
{
	int ret;

	rcu_read_lock_sched();
	ret = PT_FN(leaves_below)(pt, pt->root, 0, 0, fn, arg);
	rcu_read_unlock_sched();
	return ret;
}

static void PT_FN(free_tables)(struct iox_pt *pt)
{
	PT_FN(free_level)(pt, pt->root, 0);
}

/*
 * The per-page functions and an ops table for each level count, and for
 * each with the PT_G4K shape where the format defines PT_FIXED_4K.
 */
#define PT_LEVELS 1
#include "pt-shapes.h"
#undef PT_LEVELS
#define PT_LEVELS 2
#include "pt-shapes.h"
#undef PT_LEVELS
#define PT_LEVELS 3
#include "pt-shapes.h"
#undef PT_LEVELS
#define PT_LEVELS 4
#include "pt-shapes.h"
#undef PT_LEVELS
#define PT_LEVELS 5
#include "pt-shapes.h"
#undef PT_LEVELS
#define PT_LEVELS 6
#include "pt-shapes.h"
#undef PT_LEVELS

static const struct iox_pt_ops *const PT_FN(ops)[IOX_PT_MAX_LEVELS + 1] = {
	[1] = &PT_FN(ops1),
	[2] = &PT_FN(ops2),
	[3] = &PT_FN(ops3),
	[4] = &PT_FN(ops4),
	[5] = &PT_FN(ops5),
	[6] = &PT_FN(ops6),
};

#ifdef PT_FIXED_4K
static const struct iox_pt_ops *const PT_FN(ops_4k)[IOX_PT_MAX_LEVELS + 1] = {
	[1] = &PT_FN(ops1_4k),
	[2] = &PT_FN(ops2_4k),
	[3] = &PT_FN(ops3_4k),
	[4] = &PT_FN(ops4_4k),
	[5] = &PT_FN(ops5_4k),
	[6] = &PT_FN(ops6_4k),
};
#endif
