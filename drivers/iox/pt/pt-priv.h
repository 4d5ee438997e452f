/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox page-table engine internals: table memory and cache maintenance,
 * shared by every format's compiled walker.
 */
#ifndef _IOX_PT_PRIV_H
#define _IOX_PT_PRIV_H

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/processor.h>
#include <linux/rcupdate.h>
#include <linux/iox-pt.h>

void *iox_pt_table_alloc(struct iox_pt *pt, unsigned int order, gfp_t gfp);
void iox_pt_table_free(struct iox_pt *pt, void *table);
void iox_pt_table_gather(struct iox_pt *pt, void *table,
			 struct iox_iotlb_gather *gather);
void iox_pt_sync_range(struct iox_pt *pt, void *start, size_t bytes);

/**
 * iox_pt_sync() - make entries just written visible to the walker
 * @pt: the table
 * @start: first entry written
 * @bytes: bytes written from @start
 *
 * Free for a coherent walker; one cache clean per written range otherwise.
 *
 * Context: Any context.
 */
static inline void iox_pt_sync(struct iox_pt *pt, void *start, size_t bytes)
{
	if (unlikely(pt->cfg.quirks & IOX_PT_NONCOHERENT))
		iox_pt_sync_range(pt, start, bytes);
}

/*
 * Table lifetime. Every table counts its entries in use (non-zero) in its
 * struct page, in the word the kernel's own page tables keep a count in.
 * A walker reserves the entries it is about to fill before writing them
 * and gives back what it clears after clearing it; whoever takes a table's
 * count to zero may mark it dying (a large negative count, so a later
 * reservation fails and retries from the root) and then, alone, unlinks it
 * from its parent, gives back the parent's entry, and queues the table on
 * its gather. Walkers run inside RCU-sched read-side sections, and queued
 * tables are freed a grace period after the invalidation that covers them,
 * so a walker of a disjoint range that was passing through one never
 * reads freed memory.
 */
#define IOX_PT_DYING		(INT_MIN / 2)

static inline atomic_t *iox_pt_count(void *table)
{
	return &virt_to_page(table)->pt_frag_refcount;
}

/* Reserve @n entries of @table: false if it is dying (retry from the root). */
static __always_inline bool iox_pt_get(void *table, int n)
{
	return atomic_fetch_add(n, iox_pt_count(table)) >= 0;
}

/* Give back @n entries of @table: true if none is left in use. */
static __always_inline bool iox_pt_put(void *table, int n)
{
	return atomic_sub_and_test(n, iox_pt_count(table));
}

/* Mark an empty table dying: true if this caller now owns its unlinking. */
static inline bool iox_pt_kill(void *table)
{
	int dying = IOX_PT_DYING;

	/* Hidden: arm64's cmpxchg() casts a constant to every size (sparse). */
	OPTIMIZER_HIDE_VAR(dying);
	return atomic_cmpxchg(iox_pt_count(table), 0, dying) == 0;
}

/**
 * struct iox_pt_spares - tables a map allocated outside its read-side
 *	section, for the walk to install
 * @want: the highest level a walk found missing
 * @table: per level, a table not yet installed, or NULL
 */
struct iox_pt_spares {
	unsigned int want;
	void *table[IOX_PT_MAX_LEVELS];
};

/* Per-format set-up: completes @pt->cfg and sets @pt->ops. */
int iox_pt_lpae_init(struct iox_pt *pt);
int iox_pt_v7s_init(struct iox_pt *pt);
int iox_pt_amdv1_init(struct iox_pt *pt);
int iox_pt_vtd_sl_init(struct iox_pt *pt);
int iox_pt_vtd_fl_init(struct iox_pt *pt);

#endif /* _IOX_PT_PRIV_H */
