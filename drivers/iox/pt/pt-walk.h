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
 * leaves inside its own range; a table is unlinked and freed (after the
 * gather's invalidation) only when the caller's range covers its whole
 * span - an unmap of the span, or a map of a leaf that replaces an empty
 * table - so no caller of a disjoint range can be inside it.
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

/*
 * Give the empty entry at @ptep a new table; the entry that is there
 * afterwards (ours, or another mapper's that won the race), or an error.
 * Out of line: the map fast path need not carry its registers.
 */
static noinline pt_entry_t PT_FN(install)(struct iox_pt *pt, unsigned int lvl,
					  pt_entry_t *ptep, pt_entry_t e,
					  gfp_t gfp, int *err)
{
	pt_entry_t new_e, old;
	void *child;

	child = iox_pt_table_alloc(pt, fmt_table_order(pt, lvl + 1), gfp);
	if (!child) {
		*err = -ENOMEM;
		return e;
	}
	new_e = fmt_table_entry(pt, lvl, virt_to_phys(child));
	old = cmpxchg(ptep, e, new_e);
	if (old != e) {
		/* Another mapper of this span won the race. */
		iox_pt_table_free(pt, child);
		return old;
	}
	iox_pt_sync(pt, ptep, sizeof(*ptep));
	return new_e;
}

/* Walk to the table holding @iova's entry at @lvl, installing tables. */
static pt_entry_t *PT_FN(walk_alloc)(struct iox_pt *pt, u64 iova,
				     unsigned int target, gfp_t gfp)
{
	pt_entry_t *table = pt->root, *ptep, e;
	unsigned int lvl;
	int err = 0;

	for (lvl = 0; lvl < target; lvl++) {
		ptep = &table[PT_FN(index)(pt, lvl, iova)];
		e = READ_ONCE(*ptep);
		if (unlikely(!fmt_present(pt, lvl, e))) {
			e = PT_FN(install)(pt, lvl, ptep, e, gfp, &err);
			if (err)
				return ERR_PTR(err);
		}
		/* lvl is above the target level, so never the last one. */
		if (!fmt_entry_is_table(pt, e))
			return ERR_PTR(-EEXIST);	/* a larger leaf */
		table = PT_FN(table_at)(pt, lvl, e);
	}
	return table;
}

/*
 * The one-page fast paths: a page that fills exactly one entry at its
 * level. Each is compiled once per level count (pt-levels.h), so the walk
 * is unrolled with constant levels and the ops table of the right count
 * is chosen at set-up, not per call.
 */

/* One level of table_for(): step into the table @e points to. */
static __always_inline bool PT_FN(down)(struct iox_pt *pt, unsigned int lvl,
					u64 iova, pt_entry_t **table,
					pt_entry_t *e, unsigned int *at)
{
	*e = READ_ONCE((*table)[PT_FN(index)(pt, lvl, iova)]);
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
 * that entry and its level. With @levels a constant only its steps remain,
 * each one "present table" test.
 */
static __always_inline bool PT_FN(table_for)(struct iox_pt *pt,
					     const unsigned int levels,
					     unsigned int target, u64 iova,
					     pt_entry_t **tablep,
					     pt_entry_t *e, unsigned int *at)
{
	pt_entry_t *table = pt->root;

	BUILD_BUG_ON(IOX_PT_MAX_LEVELS != 6);
	*e = 0;
	*at = 0;
	if ((levels > 1 && target > 0 &&
	     !PT_FN(down)(pt, 0, iova, &table, e, at)) ||
	    (levels > 2 && target > 1 &&
	     !PT_FN(down)(pt, 1, iova, &table, e, at)) ||
	    (levels > 3 && target > 2 &&
	     !PT_FN(down)(pt, 2, iova, &table, e, at)) ||
	    (levels > 4 && target > 3 &&
	     !PT_FN(down)(pt, 3, iova, &table, e, at)) ||
	    (levels > 5 && target > 4 &&
	     !PT_FN(down)(pt, 4, iova, &table, e, at)))
		return false;
	*tablep = table;
	return true;
}

/*
 * What a one-page unmap returns where the walk stopped above the page at an
 * entry that is no table: 0 for a hole, -EINVAL for a larger leaf, which
 * must not be cut. Out of line, so the walk keeps its single test.
 */
static noinline ssize_t PT_FN(unmap_one_miss)(struct iox_pt *pt,
					      unsigned int lvl, pt_entry_t e)
{
	return fmt_present(pt, lvl, e) ? -EINVAL : 0;
}

/*
 * Write a one-entry leaf into the slot @ptep at @lvl of a table with
 * @levels levels, if it is empty.
 */
static __always_inline int PT_FN(put_leaf)(struct iox_pt *pt,
					   const unsigned int levels,
					   unsigned int lvl, pt_entry_t *ptep,
					   phys_addr_t paddr, int prot)
{
	unsigned int depth = levels - 1 - lvl;
	pt_entry_t old = READ_ONCE(*ptep), bits;

	if (unlikely(old))
		/* An empty table may go, but only through a gather. */
		return PT_FN(is_table)(pt, lvl, old) ? -EAGAIN : -EEXIST;
	if (likely(depth < IOX_PT_LEAF_BITS_LEVELS))
		bits = pt->leaf_bits[depth][prot & IOX_PROT_MASK];
	else
		bits = fmt_leaf_bits(pt, lvl, BIT_ULL(pt->shift[lvl]), prot);
	WRITE_ONCE(*ptep, bits | (pt_entry_t)paddr);
	iox_pt_sync(pt, ptep, sizeof(*ptep));
	return 0;
}

/* map_one where a table on the way is missing: install it. */
static noinline int PT_FN(map_one_slow)(struct iox_pt *pt, unsigned int lvl,
					unsigned long iova, phys_addr_t paddr,
					int prot, gfp_t gfp)
{
	pt_entry_t *table = PT_FN(walk_alloc)(pt, iova, lvl, gfp);

	if (IS_ERR(table))
		return PTR_ERR(table);
	return PT_FN(put_leaf)(pt, pt->cfg.levels, lvl,
			       &table[PT_FN(index)(pt, lvl, iova)], paddr, prot);
}

/* Map a one-entry leaf at @lvl (a constant in map_page's copies). */
static __always_inline int PT_FN(map_one_at)(struct iox_pt *pt,
					     const unsigned int levels,
					     unsigned int lvl,
					     unsigned long iova,
					     phys_addr_t paddr, int prot,
					     gfp_t gfp)
{
	unsigned int at;
	pt_entry_t *table, e;

	if (unlikely(!PT_FN(table_for)(pt, levels, lvl, iova, &table, &e, &at)))
		return PT_FN(map_one_slow)(pt, lvl, iova, paddr, prot, gfp);
	return PT_FN(put_leaf)(pt, levels, lvl,
			       &table[PT_FN(index)(pt, lvl, iova)], paddr, prot);
}

/* Unmap a one-entry leaf of @pgsize at @lvl. */
static __always_inline ssize_t PT_FN(unmap_one_at)(struct iox_pt *pt,
						   const unsigned int levels,
						   unsigned int lvl,
						   unsigned long iova,
						   size_t pgsize)
{
	pt_entry_t *table, *ptep, e;
	unsigned int at;

	if (unlikely(!PT_FN(table_for)(pt, levels, lvl, iova, &table, &e, &at)))
		return PT_FN(unmap_one_miss)(pt, at, e);
	ptep = &table[PT_FN(index)(pt, lvl, iova)];
	e = READ_ONCE(*ptep);
	if (!fmt_present(pt, lvl, e))
		return 0;
	if (unlikely(lvl + 1 < levels && fmt_entry_is_table(pt, e)))
		return -EAGAIN;
	/* One of a repeated group (a v7s large page): a larger leaf. */
	if (PT_REPEATS && unlikely(fmt_leaf_size(pt, lvl, e) != pgsize))
		return -EINVAL;
	WRITE_ONCE(*ptep, 0);
	iox_pt_sync(pt, ptep, sizeof(*ptep));
	return pgsize;
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

/* Whether a table and its sub-tables hold no leaf. */
static bool PT_FN(tree_empty)(struct iox_pt *pt, pt_entry_t *table,
			      unsigned int lvl)
{
	unsigned int i, n = BIT(pt->bits[lvl]);
	pt_entry_t e;

	for (i = 0; i < n; i++) {
		e = READ_ONCE(table[i]);
		if (fmt_present(pt, lvl, e) &&
		    (!PT_FN(is_table)(pt, lvl, e) ||
		     !PT_FN(tree_empty)(pt, PT_FN(table_at)(pt, lvl, e),
					lvl + 1)))
			return false;
	}
	return true;
}

/*
 * A map found @old in the slot at @iova where its leaf goes. An empty
 * table there (left by earlier partial unmaps) is unlinked and queued for
 * freeing after the invalidation; anything else is -EEXIST.
 */
static noinline int PT_FN(take_slot)(struct iox_pt *pt, unsigned int lvl,
				     pt_entry_t *ptep, pt_entry_t old, u64 iova,
				     struct iox_iotlb_gather *gather)
{
	pt_entry_t *child;

	if (!PT_FN(is_table)(pt, lvl, old))
		return -EEXIST;
	child = PT_FN(table_at)(pt, lvl, old);
	if (!PT_FN(tree_empty)(pt, child, lvl + 1))
		return -EEXIST;
	WRITE_ONCE(*ptep, 0);
	PT_FN(gather_tree)(pt, child, lvl + 1, gather);
	iox_iotlb_gather_add(gather, iova, BIT_ULL(pt->shift[lvl]),
			     BIT_ULL(pt->shift[lvl]));
	return 0;
}

static int PT_FN(map)(struct iox_pt *pt, unsigned long iova,
		      phys_addr_t paddr, size_t pgsize, size_t pgcount,
		      int prot, gfp_t gfp, size_t *mapped,
		      struct iox_iotlb_gather *gather)
{
	unsigned int lvl, shift, rep, idx, nent, i, r;
	pt_entry_t *table, bits, e;
	size_t n;
	int ret;

	if (unlikely(!(pt->cfg.pgsize_bitmap & pgsize)))
		return -EINVAL;
	lvl = pt->size_level[__ffs(pgsize)];
	shift = pt->shift[lvl];
	rep = pgsize >> shift;
	nent = BIT(pt->bits[lvl]);
	bits = fmt_leaf_bits(pt, lvl, pgsize, prot);
	e = bits | (pt_entry_t)paddr;

	while (pgcount) {
		table = PT_FN(walk_alloc)(pt, iova, lvl, gfp);
		if (IS_ERR(table))
			return PTR_ERR(table);
		idx = PT_FN(index)(pt, lvl, iova);
		if (likely(rep == 1)) {
			pt_entry_t *first = &table[idx], *ptep = first, *end;

			n = min_t(size_t, pgcount, nent - idx);
			end = first + n;

			/* Four empty slots at a time; the loop below does the rest. */
			for (; end - ptep >= 4; ptep += 4, e += 4 * pgsize) {
				if (unlikely(READ_ONCE(ptep[0]) | READ_ONCE(ptep[1]) |
					     READ_ONCE(ptep[2]) | READ_ONCE(ptep[3])))
					break;
				WRITE_ONCE(ptep[0], e);
				WRITE_ONCE(ptep[1], e + pgsize);
				WRITE_ONCE(ptep[2], e + 2 * pgsize);
				WRITE_ONCE(ptep[3], e + 3 * pgsize);
			}
			for (; ptep < end; ptep++, e += pgsize) {
				pt_entry_t old = READ_ONCE(*ptep);

				if (unlikely(old)) {
					u64 at = iova + ((u64)(ptep - first) << shift);

					ret = PT_FN(take_slot)(pt, lvl, ptep, old, at,
							       gather);
					if (ret) {
						iox_pt_sync(pt, first, (ptep - first) *
							    sizeof(e));
						*mapped += (ptep - first) * pgsize;
						return ret;
					}
				}
				WRITE_ONCE(*ptep, e);
			}
			goto written;
		}
		n = min_t(size_t, pgcount, (nent - idx) / rep);
		for (i = 0; i < n * rep; i += rep, e += pgsize) {
			/* Every slot of the page first, so a refusal writes nothing. */
			for (r = 0; r < rep; r++) {
				pt_entry_t *ptep = &table[idx + i + r];
				pt_entry_t old = READ_ONCE(*ptep);

				if (likely(!old))
					continue;
				ret = PT_FN(take_slot)(pt, lvl, ptep, old,
						       iova + ((u64)(i + r) << shift),
						       gather);
				if (ret) {
					iox_pt_sync(pt, &table[idx],
						    i * sizeof(e));
					*mapped += (i / rep) * pgsize;
					return ret;
				}
			}
			for (r = 0; r < rep; r++)
				WRITE_ONCE(table[idx + i + r], e);
		}
written:
		iox_pt_sync(pt, &table[idx], n * rep * sizeof(e));
		*mapped += n * pgsize;
		iova += n * pgsize;
		pgcount -= n;
	}
	return 0;
}

static size_t PT_FN(unmap_level)(struct iox_pt *pt, pt_entry_t *table,
				 unsigned int lvl, u64 start, u64 last,
				 struct iox_iotlb_gather *gather)
{
	unsigned int shift = pt->shift[lvl];
	unsigned int i = PT_FN(index)(pt, lvl, start);
	unsigned int end = PT_FN(index)(pt, lvl, last);
	unsigned int first_written = UINT_MAX, last_written = 0;
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
				unmapped += PT_FN(unmap_level)(pt, child,
							       lvl + 1, cstart,
							       clast, gather);
				continue;
			}
			/* The range covers the whole table: unlink it. */
			WRITE_ONCE(table[i], 0);
			unmapped += PT_FN(gather_tree)(pt, child, lvl + 1,
						       gather);
			iox_iotlb_gather_add(gather, base, span, span);
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
			i += rep - 1;
			base += size - span;
		}
		first_written = min(first_written, slot);
		last_written = i;
	}
	if (first_written != UINT_MAX)
		iox_pt_sync(pt, &table[first_written],
			    (last_written - first_written + 1) * sizeof(e));
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

	/* Descend while the range lies inside one entry: one walk, no more. */
	for (lvl = 0; ; lvl++) {
		shift = pt->shift[lvl];
		if ((start ^ last) >> shift)
			break;
		ptep = &table[(start >> shift) & pt->mask[lvl]];
		e = READ_ONCE(*ptep);
		if (!fmt_present(pt, lvl, e))
			return 0;
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
		if (fmt_leaf_size(pt, lvl, e) != span || start != base ||
		    last != base + span - 1)
			return -EINVAL;
		WRITE_ONCE(*ptep, 0);
		iox_pt_sync(pt, ptep, sizeof(e));
		iox_iotlb_gather_add(gather, base, span, span);
		return span;
	}
	/* Several entries of this table: only the two ends can cut a leaf. */
	if (PT_FN(leaf_crosses)(pt, table, lvl, start, start, last) ||
	    PT_FN(leaf_crosses)(pt, table, lvl, last, start, last))
		return -EINVAL;
	return PT_FN(unmap_level)(pt, table, lvl, start, last, gather);
}

/*
 * The leaf entry translating @iova and its level; false for a hole. The
 * walk is unrolled for the level count @levels.
 */
static __always_inline bool PT_FN(find_leaf)(struct iox_pt *pt,
					     const unsigned int levels,
					     u64 iova, pt_entry_t *leaf,
					     unsigned int *level)
{
	pt_entry_t *table, e;
	unsigned int lvl;

	if (likely(PT_FN(table_for)(pt, levels, levels - 1, iova, &table, &e,
				    &lvl))) {
		lvl = levels - 1;
		e = READ_ONCE(table[PT_FN(index)(pt, lvl, iova)]);
	}
	if (unlikely(!fmt_present(pt, lvl, e)))
		return false;
	*leaf = e;
	*level = lvl;
	return true;
}

static __always_inline int PT_FN(iova_to_phys_at)(struct iox_pt *pt,
						  const unsigned int levels,
						  unsigned long iova,
						  struct iox_leaf *leaf)
{
	unsigned int lvl;
	pt_entry_t e;
	size_t size;

	if (!PT_FN(find_leaf)(pt, levels, iova, &e, &lvl))
		return -ENOENT;
	size = fmt_leaf_size(pt, lvl, e);
	leaf->pgsize = size;
	leaf->phys = fmt_leaf_addr(pt, lvl, e, size) + (iova & (size - 1));
	leaf->prot = fmt_leaf_prot(pt, lvl, e);
	return 0;
}

static __always_inline phys_addr_t PT_FN(translate_at)(struct iox_pt *pt,
						       const unsigned int levels,
						       unsigned long iova)
{
	unsigned int lvl;
	pt_entry_t e;
	size_t size;

	if (!PT_FN(find_leaf)(pt, levels, iova, &e, &lvl))
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
	return PT_FN(leaves_below)(pt, pt->root, 0, 0, fn, arg);
}

static void PT_FN(free_tables)(struct iox_pt *pt)
{
	PT_FN(free_level)(pt, pt->root, 0);
}

/* The per-page functions and an ops table for each level count. */
#define PT_LFN(x)		_PT_CAT(PT_FN(x), PT_LEVELS)

#define PT_LEVELS 1
#include "pt-levels.h"
#undef PT_LEVELS
#define PT_LEVELS 2
#include "pt-levels.h"
#undef PT_LEVELS
#define PT_LEVELS 3
#include "pt-levels.h"
#undef PT_LEVELS
#define PT_LEVELS 4
#include "pt-levels.h"
#undef PT_LEVELS
#define PT_LEVELS 5
#include "pt-levels.h"
#undef PT_LEVELS
#define PT_LEVELS 6
#include "pt-levels.h"
#undef PT_LEVELS

static const struct iox_pt_ops *const PT_FN(ops)[IOX_PT_MAX_LEVELS + 1] = {
	[1] = &PT_FN(ops1),
	[2] = &PT_FN(ops2),
	[3] = &PT_FN(ops3),
	[4] = &PT_FN(ops4),
	[5] = &PT_FN(ops5),
	[6] = &PT_FN(ops6),
};
