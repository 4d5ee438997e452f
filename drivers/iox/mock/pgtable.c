// SPDX-License-Identifier: GPL-2.0
/*
 * iox-mock page table: radix tables of 512 eight-byte entries, 4 KiB
 * granule, leaves at any level whose size the domain's bitmap allows.
 *
 * Disjoint ranges are mapped and unmapped concurrently: a new table is
 * installed with cmpxchg (the loser frees its copy) and leaves are only
 * written by the caller owning their range. Unmap leaves empty tables in
 * place; a later map of a larger page over an empty table replaces it under
 * the mock's lock, which the software walker holds, and frees it: only the
 * mapping caller's own range ever led into that table.
 */
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include "mock-priv.h"

static unsigned int mock_level_shift(const struct iox_mock_domain *md,
				     unsigned int level)
{
	return MOCK_GRANULE_SHIFT + MOCK_TABLE_SHIFT * (md->levels - 1 - level);
}

static u64 *mock_table_alloc(struct iox_mock *mock, unsigned int level,
			     gfp_t gfp)
{
	u64 *table;

	if (atomic_read(&mock->fail_nth) &&
	    atomic_dec_and_test(&mock->fail_nth)) {
		mock->failed_level = level;
		return NULL;
	}
	table = (u64 *)get_zeroed_page(gfp);
	if (table)
		atomic_long_inc(&mock->table_pages);
	return table;
}

static void mock_table_free(struct iox_mock *mock, u64 *table)
{
	free_page((unsigned long)table);
	atomic_long_dec(&mock->table_pages);
}

static u64 *mock_pte_table(u64 pte)
{
	return phys_to_virt(pte & MOCK_PTE_ADDR_MASK);
}

/**
 * mock_pt_init() - give a paging domain its root table
 * @md: the domain, with @levels set
 * @gfp: allocation flags
 *
 * Context: As allowed by @gfp.
 * Return: 0 or -ENOMEM.
 */
int mock_pt_init(struct iox_mock_domain *md, gfp_t gfp)
{
	md->root = mock_table_alloc(md->mock, 0, gfp);
	return md->root ? 0 : -ENOMEM;
}

static void mock_pt_free_level(struct iox_mock_domain *md, u64 *table,
			       unsigned int level)
{
	unsigned int i;

	for (i = 0; level + 1 < md->levels && i < MOCK_TABLE_ENTRIES; i++)
		if (table[i] & MOCK_PTE_TABLE)
			mock_pt_free_level(md, mock_pte_table(table[i]),
					   level + 1);
	mock_table_free(md->mock, table);
}

/**
 * mock_pt_free() - free every table of a domain
 * @md: the domain; nothing may walk it any more
 *
 * Context: Process context.
 */
void mock_pt_free(struct iox_mock_domain *md)
{
	if (md->root)
		mock_pt_free_level(md, md->root, 0);
	md->root = NULL;
}

static bool mock_pt_empty(struct iox_mock_domain *md, u64 *table,
			  unsigned int level)
{
	unsigned int i;
	u64 pte;

	for (i = 0; i < MOCK_TABLE_ENTRIES; i++) {
		pte = READ_ONCE(table[i]);
		if (!pte)
			continue;
		if (!(pte & MOCK_PTE_TABLE) ||
		    !mock_pt_empty(md, mock_pte_table(pte), level + 1))
			return false;
	}
	return true;
}

/* Put a leaf where an empty table hangs; -EEXIST if the table is in use. */
static int mock_pt_replace_table(struct iox_mock_domain *md, u64 *ptep,
				 u64 pte, unsigned int level, u64 leaf)
{
	unsigned long flags;

	if (!mock_pt_empty(md, mock_pte_table(pte), level + 1))
		return -EEXIST;
	spin_lock_irqsave(&md->mock->lock, flags);
	WRITE_ONCE(*ptep, leaf);
	spin_unlock_irqrestore(&md->mock->lock, flags);
	mock_pt_free_level(md, mock_pte_table(pte), level + 1);
	return 0;
}

static int mock_pt_map_one(struct iox_mock_domain *md, u64 iova,
			   phys_addr_t paddr, size_t pgsize, u64 leaf_bits,
			   gfp_t gfp)
{
	u64 *table = md->root, *ptep, pte, new;
	unsigned int level, shift;

	for (level = 0; level < md->levels; level++) {
		shift = mock_level_shift(md, level);
		ptep = &table[(iova >> shift) & (MOCK_TABLE_ENTRIES - 1)];
		pte = READ_ONCE(*ptep);
		if (BIT_ULL(shift) == pgsize) {
			if (pte & MOCK_PTE_TABLE)
				return mock_pt_replace_table(md, ptep, pte,
							     level,
							     paddr | leaf_bits);
			if (pte)
				return -EEXIST;
			WRITE_ONCE(*ptep, paddr | leaf_bits);
			return 0;
		}
		if (!pte) {
			u64 *child = mock_table_alloc(md->mock, level + 1, gfp);
			u64 old;

			if (!child)
				return -ENOMEM;
			new = virt_to_phys(child) | MOCK_PTE_TABLE | MOCK_PTE_VALID;
			old = cmpxchg(ptep, 0, new);
			if (old) {
				mock_table_free(md->mock, child);
				new = old;
			}
			pte = new;
		}
		if (!(pte & MOCK_PTE_TABLE))
			return -EEXIST;	/* a larger leaf covers the page */
		table = mock_pte_table(pte);
	}
	return -EINVAL;	/* pgsize is not a leaf size of this format */
}

/**
 * mock_pt_map() - map a run of pages
 * @md: the domain
 * @iova: first IOVA, aligned to @pgsize
 * @paddr: first physical address, aligned to @pgsize
 * @pgsize: page size, a leaf size of the table
 * @pgcount: pages
 * @prot: IOX_* permissions
 * @gfp: allocation flags for tables
 * @mapped: incremented by the bytes mapped
 *
 * Context: As allowed by @gfp.
 * Return: 0, -EEXIST if a page was already mapped, -ENOMEM.
 */
int mock_pt_map(struct iox_mock_domain *md, u64 iova, phys_addr_t paddr,
		size_t pgsize, size_t pgcount, int prot, gfp_t gfp,
		size_t *mapped)
{
	u64 leaf_bits = MOCK_PTE_VALID |
			((u64)prot << MOCK_PTE_PROT_SHIFT & MOCK_PTE_PROT_MASK);
	int ret;

	while (pgcount--) {
		ret = mock_pt_map_one(md, iova, paddr, pgsize, leaf_bits, gfp);
		if (ret)
			return ret;
		*mapped += pgsize;
		iova += pgsize;
		paddr += pgsize;
	}
	return 0;
}

static size_t mock_pt_unmap_level(struct iox_mock_domain *md, u64 *table,
				  unsigned int level, u64 start, u64 last,
				  struct iox_iotlb_gather *gather)
{
	unsigned int shift = mock_level_shift(md, level);
	u64 span = BIT_ULL(shift), base, *ptep, pte;
	size_t unmapped = 0;

	for (base = start & ~(span - 1); base <= last; base += span) {
		ptep = &table[(base >> shift) & (MOCK_TABLE_ENTRIES - 1)];
		pte = READ_ONCE(*ptep);
		if (pte & MOCK_PTE_TABLE) {
			unmapped += mock_pt_unmap_level(md, mock_pte_table(pte),
							level + 1,
							max(start, base),
							min(last, base + span - 1),
							gather);
		} else if (pte) {
			/* The core never asks to cut a leaf. */
			if (WARN_ON_ONCE(base < start || base + span - 1 > last))
				break;
			WRITE_ONCE(*ptep, 0);
			iox_iotlb_gather_add(gather, base, span, span);
			unmapped += span;
		}
		if (base + span - 1 >= last)
			break;
	}
	return unmapped;
}

/* Whether the leaf holding @addr reaches outside [@start, @last]. */
static bool mock_pt_leaf_crosses(struct iox_mock_domain *md, u64 addr,
				 u64 start, u64 last)
{
	struct iox_leaf leaf;
	u64 base;

	if (mock_pt_walk(md, addr, &leaf))
		return false;
	base = addr & ~(u64)(leaf.pgsize - 1);
	return base < start || base + leaf.pgsize - 1 > last;
}

/**
 * mock_pt_unmap() - remove every leaf inside a range
 * @md: the domain
 * @iova: first IOVA
 * @size: bytes
 * @gather: collects what needs invalidating
 *
 * Only the leaves at the two ends can cross the range; they are checked
 * before anything changes.
 *
 * Context: Any context.
 * Return: bytes of the leaves removed, or -EINVAL if a leaf crosses an end.
 */
ssize_t mock_pt_unmap(struct iox_mock_domain *md, u64 iova, u64 size,
		      struct iox_iotlb_gather *gather)
{
	u64 last = iova + size - 1;

	if (mock_pt_leaf_crosses(md, iova, iova, last) ||
	    mock_pt_leaf_crosses(md, last, iova, last))
		return -EINVAL;
	return mock_pt_unmap_level(md, md->root, 0, iova, last, gather);
}

/**
 * mock_pt_walk() - translate an IOVA by walking the table
 * @md: the domain
 * @iova: the IOVA
 * @leaf: filled with the translation
 *
 * Context: Any context.
 * Return: 0 or -ENOENT.
 */
int mock_pt_walk(struct iox_mock_domain *md, u64 iova, struct iox_leaf *leaf)
{
	u64 *table = md->root, pte;
	unsigned int level, shift;

	for (level = 0; level < md->levels; level++) {
		shift = mock_level_shift(md, level);
		pte = READ_ONCE(table[(iova >> shift) & (MOCK_TABLE_ENTRIES - 1)]);
		if (!(pte & MOCK_PTE_VALID))
			return -ENOENT;
		if (!(pte & MOCK_PTE_TABLE)) {
			leaf->pgsize = BIT_ULL(shift);
			leaf->phys = (pte & MOCK_PTE_ADDR_MASK) +
				     (iova & (leaf->pgsize - 1));
			leaf->prot = (pte & MOCK_PTE_PROT_MASK) >>
				     MOCK_PTE_PROT_SHIFT;
			return 0;
		}
		table = mock_pte_table(pte);
	}
	return -ENOENT;
}
