// SPDX-License-Identifier: GPL-2.0
/*
 * iox page-table engine: set-up, table memory and cache maintenance
 * common to every format.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <linux/dma-mapping.h>
#ifdef CONFIG_X86
#include <asm/cacheflush.h>
#endif
#include "pt-priv.h"

static const char *const iox_pt_names[IOX_PT_NR_FORMATS] = {
	[IOX_PT_ARM_LPAE_S1] = "arm-lpae-s1",
	[IOX_PT_ARM_LPAE_S2] = "arm-lpae-s2",
	[IOX_PT_ARM_V7S] = "arm-v7s",
	[IOX_PT_AMD_V1] = "amd-v1",
	[IOX_PT_VTD_SL] = "vtd-second-level",
	[IOX_PT_VTD_FL] = "vtd-first-level",
};

/**
 * iox_pt_format_name() - a format's name, for logs and debugfs
 * @format: the format
 *
 * Context: Any context.
 * Return: a static string.
 */
const char *iox_pt_format_name(enum iox_pt_format format)
{
	if ((unsigned int)format >= IOX_PT_NR_FORMATS)
		return "invalid";
	return iox_pt_names[format];
}
EXPORT_SYMBOL_GPL(iox_pt_format_name);

/**
 * iox_pt_sync_range() - clean CPU cache lines of written entries
 * @pt: a table with IOX_PT_NONCOHERENT
 * @start: first byte written
 * @bytes: bytes written
 *
 * Context: Any context.
 */
void iox_pt_sync_range(struct iox_pt *pt, void *start, size_t bytes)
{
	if (pt->cfg.dma_dev)
		dma_sync_single_for_device(pt->cfg.dma_dev, virt_to_phys(start),
					   bytes, DMA_TO_DEVICE);
#ifdef CONFIG_X86
	else
		clflush_cache_range(start, bytes);
#endif
}
EXPORT_SYMBOL_GPL(iox_pt_sync_range);

/**
 * iox_pt_table_alloc() - allocate a zeroed, naturally aligned table
 * @pt: the page table it belongs to
 * @order: page order of the table
 * @gfp: allocation flags
 *
 * v7s tables come from below 4 GiB. For a non-coherent walker with a DMA
 * device, the table is mapped for DMA, and must map 1:1.
 *
 * Context: As allowed by @gfp.
 * Return: the table, or NULL.
 */
void *iox_pt_table_alloc(struct iox_pt *pt, unsigned int order, gfp_t gfp)
{
	struct device *dev = pt->cfg.dma_dev;
	struct page *page;
	void *table;

	if (pt->cfg.format == IOX_PT_ARM_V7S)
		gfp |= GFP_DMA32;
	page = alloc_pages(gfp | __GFP_ZERO, order);
	if (!page)
		return NULL;
	table = page_address(page);
	if ((pt->cfg.quirks & IOX_PT_NONCOHERENT) && dev) {
		dma_addr_t dma = dma_map_single(dev, table, PAGE_SIZE << order,
						DMA_TO_DEVICE);

		if (dma_mapping_error(dev, dma) || dma != virt_to_phys(table)) {
			if (!dma_mapping_error(dev, dma))
				dma_unmap_single(dev, dma, PAGE_SIZE << order,
						 DMA_TO_DEVICE);
			__free_pages(page, order);
			return NULL;
		}
	}
	iox_pt_sync(pt, table, PAGE_SIZE << order);
	set_page_private(page, order);
	atomic_set(iox_pt_count(table), 0);
	atomic_long_add(1L << order, &pt->table_pages);
	return table;
}

/* Give back a table's DMA mapping and its count in @pt; not its memory. */
static void iox_pt_table_release(struct iox_pt *pt, struct page *page)
{
	unsigned int order = page_private(page);

	if ((pt->cfg.quirks & IOX_PT_NONCOHERENT) && pt->cfg.dma_dev)
		dma_unmap_single(pt->cfg.dma_dev, page_to_phys(page),
				 PAGE_SIZE << order, DMA_TO_DEVICE);
	atomic_long_sub(1L << order, &pt->table_pages);
}

/**
 * iox_pt_table_free() - free a table no walker can be inside
 * @pt: the page table it belonged to
 * @table: the table, never linked, or its whole page table being torn down
 *
 * Context: Any context.
 */
void iox_pt_table_free(struct iox_pt *pt, void *table)
{
	struct page *page = virt_to_page(table);

	iox_pt_table_release(pt, page);
	__free_pages(page, page_private(page));
}

static void iox_pt_table_free_rcu(struct rcu_head *head)
{
	struct page *page = container_of(head, struct page, rcu_head);

	__free_pages(page, page_private(page));
}

/**
 * iox_pt_table_gather() - queue an unlinked table for freeing after the
 * invalidation that covers it
 * @pt: the page table it belonged to
 * @table: the table, already unlinked from its parent
 * @gather: the gather of the unmap (or map) that unlinked it
 *
 * Context: Any context.
 */
void iox_pt_table_gather(struct iox_pt *pt, void *table,
			 struct iox_iotlb_gather *gather)
{
	list_add_tail(&virt_to_page(table)->lru, &gather->freelist);
}

/**
 * __iox_pt_free_gathered() - free the tables a gather collected
 * @pt: the page table
 * @gather: a gather whose invalidation has completed
 *
 * The core calls iox_pt_free_gathered() once the driver's invalidation of
 * the gather has completed; it calls this when the freelist is not
 * empty. The tables leave @pt's count now; their memory goes after
 * an RCU grace period, once no CPU walker of another range can still be
 * passing through them.
 *
 * Context: Any context.
 */
void __iox_pt_free_gathered(struct iox_pt *pt, struct iox_iotlb_gather *gather)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &gather->freelist, lru) {
		list_del(&page->lru);
		iox_pt_table_release(pt, page);
		call_rcu(&page->rcu_head, iox_pt_table_free_rcu);
	}
	INIT_LIST_HEAD(&gather->freelist);
}
EXPORT_SYMBOL_GPL(__iox_pt_free_gathered);

/**
 * iox_pt_init() - build an empty page table
 * @pt: the table to set up
 * @cfg: its shape; @cfg->pgsize_bitmap restricts the page sizes (0: all)
 * @gfp: allocation flags for the root
 *
 * Context: As allowed by @gfp.
 * Return: 0 with @pt->cfg completed (levels, pgsize_bitmap, mair);
 * -EINVAL for a shape the format cannot have, or a non-coherent walker
 * without a DMA device off x86; -ENOMEM.
 */
int iox_pt_init(struct iox_pt *pt, const struct iox_pt_cfg *cfg, gfp_t gfp)
{
	static int (*const init[IOX_PT_NR_FORMATS])(struct iox_pt *pt) = {
		[IOX_PT_ARM_LPAE_S1] = iox_pt_lpae_init,
		[IOX_PT_ARM_LPAE_S2] = iox_pt_lpae_init,
		[IOX_PT_ARM_V7S] = iox_pt_v7s_init,
		[IOX_PT_AMD_V1] = iox_pt_amdv1_init,
		[IOX_PT_VTD_SL] = iox_pt_vtd_sl_init,
		[IOX_PT_VTD_FL] = iox_pt_vtd_fl_init,
	};
	unsigned long wanted = cfg->pgsize_bitmap;
	unsigned int bit;
	int ret;

	if ((unsigned int)cfg->format >= IOX_PT_NR_FORMATS ||
	    cfg->quirks & ~IOX_PT_QUIRKS)
		return -EINVAL;
	/* Without a DMA device, only x86 has a cache clean to offer. */
	if ((cfg->quirks & IOX_PT_NONCOHERENT) && !cfg->dma_dev &&
	    !IS_ENABLED(CONFIG_X86))
		return -EINVAL;
	memset(pt, 0, sizeof(*pt));
	pt->cfg = *cfg;
	ret = init[cfg->format](pt);
	if (ret)
		return ret;
	if (wanted) {
		pt->cfg.pgsize_bitmap &= wanted;
		if (!pt->cfg.pgsize_bitmap)
			return -EINVAL;
	}
	for (bit = 0; bit < BITS_PER_LONG; bit++)
		if ((pt->cfg.pgsize_bitmap & BIT(bit)) &&
		    pt->shift[pt->size_level[bit]] == bit)
			pt->entry_sizes |= BIT(bit);
	pt->root = iox_pt_table_alloc(pt, pt->root_order, gfp);
	if (!pt->root)
		return -ENOMEM;
	pt->root_phys = virt_to_phys(pt->root);
	return 0;
}
EXPORT_SYMBOL_GPL(iox_pt_init);

/**
 * iox_pt_destroy() - free every table, the root included
 * @pt: a table set up by iox_pt_init(); no walker may use it any more
 *
 * Context: Process context.
 */
void iox_pt_destroy(struct iox_pt *pt)
{
	if (!pt->root)
		return;
	pt->ops->free_tables(pt);
	pt->root = NULL;
	WARN_ON(atomic_long_read(&pt->table_pages));
}
EXPORT_SYMBOL_GPL(iox_pt_destroy);
