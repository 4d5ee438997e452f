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
 * Concurrency: tables are installed with cmpxchg and a caller only writes
 * leaves inside its own range; a table is unlinked and freed (after the
 * gather's invalidation) only when the caller's range covers its whole
 * span - an unmap of the span, or a map of a leaf that replaces an empty
 * table - so no caller of a disjoint range can be inside it.
 */

#define __PT_CAT(a, b)		a##b
#define _PT_CAT(a, b)		__PT_CAT(a, b)
#define PT_FN(x)		_PT_CAT(_PT_CAT(iox_pt_, PT_NAME), _##x)

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

/*
 * Cache each level's shift and width, and the level each page size lives
 * at (the one with the largest span not above the size): the walks read
 * them instead of computing them.
 */
static void PT_FN(setup_levels)(struct iox_pt *pt)
{
	unsigned int lvl, size;

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

/* Bytes mapped below @table; queue it and its sub-tables for freeing. */
static size_t PT_FN(gather_tree)(struct iox_pt *pt, pt_entry_t *table,
				 unsigned int lvl,
				 struct iox_iotlb_gather *gather)
{
	unsigned int i, n = BIT(pt->bits[lvl]);
	size_t bytes = 0, span = BIT_ULL(pt->shift[lvl]);
	pt_entry_t e;

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
			pt_entry_t *first = &table[idx], *ptep, *end;

			n = min_t(size_t, pgcount, nent - idx);
			end = first + n;

			for (ptep = first; ptep < end; ptep++, e += pgsize) {
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

/* The leaf entry translating @iova and its level; false for a hole. */
static __always_inline bool PT_FN(find_leaf)(struct iox_pt *pt, u64 iova,
					     pt_entry_t *leaf, unsigned int *level)
{
	unsigned int lvl, last = pt->cfg.levels - 1;
	pt_entry_t *table = pt->root, e;

	for (lvl = 0; ; lvl++) {
		e = READ_ONCE(table[PT_FN(index)(pt, lvl, iova)]);
		if (unlikely(!fmt_present(pt, lvl, e)))
			return false;
		if (lvl == last || !fmt_entry_is_table(pt, e))
			break;
		table = PT_FN(table_at)(pt, lvl, e);
	}
	*leaf = e;
	*level = lvl;
	return true;
}

static int PT_FN(iova_to_phys)(struct iox_pt *pt, unsigned long iova,
			       struct iox_leaf *leaf)
{
	unsigned int lvl;
	pt_entry_t e;
	size_t size;

	if (!PT_FN(find_leaf)(pt, iova, &e, &lvl))
		return -ENOENT;
	size = fmt_leaf_size(pt, lvl, e);
	leaf->pgsize = size;
	leaf->phys = fmt_leaf_addr(pt, lvl, e, size) + (iova & (size - 1));
	leaf->prot = fmt_leaf_prot(pt, lvl, e);
	return 0;
}

static phys_addr_t PT_FN(translate)(struct iox_pt *pt, unsigned long iova)
{
	unsigned int lvl;
	pt_entry_t e;
	size_t size;

	if (!PT_FN(find_leaf)(pt, iova, &e, &lvl))
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

static const struct iox_pt_ops PT_FN(ops) = {
	.map = PT_FN(map),
	.unmap = PT_FN(unmap),
	.iova_to_phys = PT_FN(iova_to_phys),
	.translate = PT_FN(translate),
	.free_tables = PT_FN(free_tables),
	.for_each_leaf = PT_FN(for_each_leaf),
};
