/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iox page-table engine: one walker for every hardware format.
 *
 * Each format is a small description (entry encoding, levels, page sizes)
 * compiled together with the generic walker into its own map/unmap/lookup
 * functions, so no indirect call happens below the per-call dispatch in
 * struct iox_pt_ops. Drivers embed a struct iox_pt in their domain and
 * point their domain ops at it; Documentation/iox/pgtable.rst has the
 * details.
 */
#ifndef _LINUX_IOX_PT_H
#define _LINUX_IOX_PT_H

#include <linux/iox.h>
#include <linux/atomic.h>

struct device;

/**
 * enum iox_pt_format - the hardware page-table formats the engine writes
 * @IOX_PT_ARM_LPAE_S1: VMSAv8-64 stage 1 (SMMUv3, SMMU v1/v2 stage 1)
 * @IOX_PT_ARM_LPAE_S2: VMSAv8-64 stage 2 (SMMUv3, SMMU v1/v2 stage 2)
 * @IOX_PT_ARM_V7S: ARMv7 short descriptor (the MSM IOMMU)
 * @IOX_PT_AMD_V1: AMD-Vi host (v1) page table
 * @IOX_PT_VTD_SL: Intel VT-d second-level table
 * @IOX_PT_VTD_FL: Intel VT-d first-level table (x86-64 paging format)
 * @IOX_PT_NR_FORMATS: number of formats
 */
enum iox_pt_format {
	IOX_PT_ARM_LPAE_S1,
	IOX_PT_ARM_LPAE_S2,
	IOX_PT_ARM_V7S,
	IOX_PT_AMD_V1,
	IOX_PT_VTD_SL,
	IOX_PT_VTD_FL,
	IOX_PT_NR_FORMATS,
};

/* Quirks: how the walker and the unit differ from the common case. */
#define IOX_PT_NONCOHERENT	BIT(0)	/* walker does not snoop CPU caches */
#define IOX_PT_VTD_SNOOP	BIT(1)	/* VT-d SL: SNP bit for IOX_CACHE */
#define IOX_PT_ARM_NS		BIT(2)	/* LPAE s1 / v7s: non-secure output */
#define IOX_PT_QUIRKS		GENMASK(2, 0)

/**
 * struct iox_pt_cfg - the shape of one page table
 * @format: an enum iox_pt_format
 * @granule_shift: log2 of the translation granule; ARM LPAE 12, 14 or 16;
 *	12 for every other format
 * @ias: input (IOVA) address bits
 * @oas: output (physical) address bits
 * @levels: table levels. LPAE and v7s derive it (0 in, the value out);
 *	AMD v1 takes 1-6, VT-d SL 3-5, VT-d FL 4 or 5
 * @quirks: IOX_PT_* quirks
 * @pgsize_bitmap: in: page sizes wanted (0 for all); out: the sizes this
 *	table maps with
 * @mair: out, LPAE stage 1: the MAIR value the unit must be programmed
 *	with for the attribute indexes the entries use
 * @dma_dev: device for cache maintenance of a non-coherent walker
 */
struct iox_pt_cfg {
	enum iox_pt_format format;
	unsigned int granule_shift;
	unsigned int ias;
	unsigned int oas;
	unsigned int levels;
	unsigned long quirks;
	unsigned long pgsize_bitmap;
	u64 mair;
	struct device *dma_dev;
};

struct iox_pt;

/**
 * struct iox_pt_leaf - one leaf as iox_pt_for_each_leaf() reports it
 * @iova: first IOVA the leaf maps
 * @leaf: its physical address, size and IOX_* permissions
 * @level: table level it sits at (0: the root)
 * @entry: the raw entry (the first of a repeated group)
 */
struct iox_pt_leaf {
	u64 iova;
	struct iox_leaf leaf;
	unsigned int level;
	u64 entry;
};

typedef int (*iox_pt_leaf_fn)(void *arg, const struct iox_pt_leaf *leaf);

#define IOX_PT_MAX_LEVELS	6
/* Levels whose leaf entries struct iox_pt precomputes: 4K, 2M, 1G pages. */
#define IOX_PT_LEAF_BITS_LEVELS	3
/* What struct iox_pt_ops.translate returns for an IOVA nothing maps. */
#define IOX_PT_NOT_MAPPED	((phys_addr_t)-1)

/**
 * struct iox_pt_ops - one format's compiled walker
 * @map: map @pgcount pages of @pgsize, adding the bytes mapped to
 *	*@mapped; -EEXIST at the first slot in use (a leaf, or a table: a
 *	table goes with its last entry, so none stands empty), -ENOMEM.
 * @unmap: remove every leaf in [@iova, @iova + @size); free tables whose
 *	whole span the range covers, or that it leaves empty, through
 *	@gather. Return bytes removed, or -EINVAL, changing nothing, if a
 *	leaf crosses either end.
 * @map_page: map one page of the last level (the granule): @map_one for
 *	the most common size, with the level known at compile time.
 * @unmap_page: unmap one such page, as @unmap_one; @pgsize is the
 *	last level's page size.
 * @map_one: map one page of a size in @entry_sizes (one entry at its
 *	level): the core's fast path for the most common calls. 0, or
 *	-EEXIST or -ENOMEM changing nothing.
 * @unmap_one: unmap one such page. Only tables it leaves empty go to
 *	@gather, their spans with them; the page itself is the caller's to
 *	add. @pgsize, 0 for a hole, -EINVAL if a larger leaf holds the page,
 *	or -EAGAIN, changing nothing, where a table fills the slot.
 * @iova_to_phys: fill @leaf for @iova, or -ENOENT.
 * @translate: the physical address of @iova, or IOX_PT_NOT_MAPPED; no
 *	permissions decoded, for callers that want only the address.
 * @free_tables: free every table below the root, and the root.
 * @for_each_leaf: call @fn for every leaf, in IOVA order, until it returns
 *	non-zero; return that value or 0. For dumps, not for hot paths.
 */
struct iox_pt_ops {
	int (*map)(struct iox_pt *pt, unsigned long iova, phys_addr_t paddr,
		   size_t pgsize, size_t pgcount, int prot, gfp_t gfp,
		   size_t *mapped);
	ssize_t (*unmap)(struct iox_pt *pt, unsigned long iova, size_t size,
			 struct iox_iotlb_gather *gather);
	int (*map_page)(struct iox_pt *pt, unsigned long iova,
			phys_addr_t paddr, int prot, gfp_t gfp);
	ssize_t (*unmap_page)(struct iox_pt *pt, unsigned long iova,
			      size_t pgsize, struct iox_iotlb_gather *gather);
	int (*map_one)(struct iox_pt *pt, unsigned long iova,
		       phys_addr_t paddr, size_t pgsize, int prot, gfp_t gfp);
	ssize_t (*unmap_one)(struct iox_pt *pt, unsigned long iova,
			     size_t pgsize, struct iox_iotlb_gather *gather);
	int (*iova_to_phys)(struct iox_pt *pt, unsigned long iova,
			    struct iox_leaf *leaf);
	phys_addr_t (*translate)(struct iox_pt *pt, unsigned long iova);
	void (*free_tables)(struct iox_pt *pt);
	int (*for_each_leaf)(struct iox_pt *pt, iox_pt_leaf_fn fn, void *arg);
};

/**
 * struct iox_pt - one page table
 * @cfg: its shape, completed by iox_pt_init()
 * @ops: the format's walker
 * @root: top-level table (CPU address)
 * @root_phys: its physical address, for the unit's context/stream entry
 * @root_order: page order of the root (concatenated stage-2 roots)
 * @table_pages: pages of table memory allocated, root included
 * @shift: per level, the lowest IOVA bit it resolves
 * @bits: per level, how many bits it resolves
 * @mask: per level, the index mask (2^bits - 1)
 * @size_level: per log2 of a page size, the level its leaves live at
 * @entry_sizes: the page sizes that fill exactly one entry at their level
 *	(no repeated entries), the sizes @ops->map_one takes
 * @leaf_bits: for the IOX_PT_LEAF_BITS_LEVELS lowest levels (index 0: the
 *	last level) and each IOX_* permission set, the entry (address bits
 *	clear) of a leaf one entry wide, for @ops->map_page and @ops->map_one
 */
struct iox_pt {
	struct iox_pt_cfg cfg;
	const struct iox_pt_ops *ops;
	void *root;
	phys_addr_t root_phys;
	unsigned int root_order;
	atomic_long_t table_pages;
	u8 shift[IOX_PT_MAX_LEVELS];
	u8 bits[IOX_PT_MAX_LEVELS];
	u32 mask[IOX_PT_MAX_LEVELS];
	u8 size_level[BITS_PER_LONG];
	unsigned long entry_sizes;
	u64 leaf_bits[IOX_PT_LEAF_BITS_LEVELS][IOX_PROT_MASK + 1];
};

int iox_pt_init(struct iox_pt *pt, const struct iox_pt_cfg *cfg, gfp_t gfp);
void iox_domain_set_pt(struct iox_domain *domain, struct iox_pt *pt);
void iox_pt_destroy(struct iox_pt *pt);
void __iox_pt_free_gathered(struct iox_pt *pt,
			    struct iox_iotlb_gather *gather);

/**
 * iox_pt_free_gathered() - free the tables a gather collected
 * @pt: the table they were unlinked from
 * @gather: the gather, after the invalidation that covers it completed
 *
 * Context: Any context that may free pages.
 */
static inline void iox_pt_free_gathered(struct iox_pt *pt,
					struct iox_iotlb_gather *gather)
{
	if (!list_empty(&gather->freelist))
		__iox_pt_free_gathered(pt, gather);
}

const char *iox_pt_format_name(enum iox_pt_format format);

#endif /* _LINUX_IOX_PT_H */
