/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox page-table engine internals: table memory and cache maintenance,
 * shared by every format's compiled walker.
 */
#ifndef _IOX_PT_PRIV_H
#define _IOX_PT_PRIV_H

#include <linux/gfp.h>
#include <linux/mm.h>
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

/* Per-format set-up: completes @pt->cfg and sets @pt->ops. */
int iox_pt_lpae_init(struct iox_pt *pt);
int iox_pt_v7s_init(struct iox_pt *pt);
int iox_pt_amdv1_init(struct iox_pt *pt);
int iox_pt_vtd_sl_init(struct iox_pt *pt);
int iox_pt_vtd_fl_init(struct iox_pt *pt);

#endif /* _IOX_PT_PRIV_H */
