// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-Vi v1 host page tables, 1 to 6 levels of 512 eight-byte entries.
 *
 * Layout: AMD I/O Virtualization Technology (IOMMU) Specification, 48882
 * rev 3.08, 2.2.3 "I/O Page Tables for Host Translations" (PDE/PTE
 * formats, figures 12-13) and 2.2.3.2 "Page Size Encoding": an entry with
 * Next Level 7 maps a page larger than its level's, its size given by the
 * run of 1s from bit 12 of the address field; it is repeated in every
 * entry the page covers.
 */
#include <linux/module.h>
#include <linux/io.h>
#include "pt-priv.h"

#define AMD_PR			BIT_ULL(0)	/* present */
#define AMD_NL_SHIFT		9		/* Next Level, bits 11:9 */
#define AMD_NL_MASK		(7ULL << AMD_NL_SHIFT)
#define AMD_NL_LARGE		7		/* non-default page size */
#define AMD_ADDR		GENMASK_ULL(51, 12)
#define AMD_IR			BIT_ULL(61)	/* read permission */
#define AMD_IW			BIT_ULL(62)	/* write permission */
#define AMD_MAX_LEVELS		6

#define PT_NAME			amdv1
/* 4K pages, 9 bits a level: the constant-shape fast paths. */
#define PT_FIXED_4K
#define pt_entry_t		u64

static inline unsigned int fmt_shift(const struct iox_pt *pt, unsigned int lvl)
{
	return 12 + 9 * (pt->cfg.levels - 1 - lvl);
}

static inline unsigned int fmt_bits(const struct iox_pt *pt, unsigned int lvl)
{
	return lvl ? 9 : pt->cfg.ias - fmt_shift(pt, 0);
}

static inline unsigned int fmt_table_order(const struct iox_pt *pt,
					   unsigned int lvl)
{
	return 0;
}

static inline unsigned int amd_next_level(u64 e)
{
	return (e & AMD_NL_MASK) >> AMD_NL_SHIFT;
}

static inline bool fmt_present(const struct iox_pt *pt, unsigned int lvl,
			       u64 e)
{
	return e & AMD_PR;
}

static inline bool fmt_entry_is_table(const struct iox_pt *pt, u64 e)
{
	unsigned int nl = amd_next_level(e);

	return nl && nl != AMD_NL_LARGE;
}

/* A PDE names the level (1 = lowest) of the table it points to. */
static inline u64 fmt_table_entry(const struct iox_pt *pt, unsigned int lvl,
				  phys_addr_t table)
{
	u64 nl = pt->cfg.levels - 1 - lvl;

	return table | AMD_PR | AMD_IR | AMD_IW | nl << AMD_NL_SHIFT;
}

static inline phys_addr_t fmt_table_addr(const struct iox_pt *pt,
					 unsigned int lvl, u64 e)
{
	return e & AMD_ADDR;
}

static inline u64 fmt_leaf_bits(const struct iox_pt *pt, unsigned int lvl,
				size_t pgsize, int prot)
{
	u64 e = AMD_PR;

	if (prot & IOX_READ)
		e |= AMD_IR;
	if (prot & IOX_WRITE)
		e |= AMD_IW;
	/* Size encoding: 1s from bit 12 up to the bit below the top one. */
	if (pgsize != BIT_ULL(pt->shift[lvl]))
		e |= (u64)AMD_NL_LARGE << AMD_NL_SHIFT |
		     ((pgsize - 1) & ~(u64)(pgsize >> 1) & AMD_ADDR);
	return e;
}

static inline size_t fmt_leaf_size(const struct iox_pt *pt, unsigned int lvl,
				   u64 e)
{
	if (amd_next_level(e) != AMD_NL_LARGE)
		return BIT_ULL(pt->shift[lvl]);
	return BIT_ULL(12 + 1 + __ffs(~(e >> 12)));
}

static inline phys_addr_t fmt_leaf_addr(const struct iox_pt *pt,
					unsigned int lvl, u64 e, size_t size)
{
	return e & AMD_ADDR & ~(u64)(size - 1);
}

static inline int fmt_leaf_prot(const struct iox_pt *pt, unsigned int lvl,
				u64 e)
{
	return (e & AMD_IR ? IOX_READ : 0) | (e & AMD_IW ? IOX_WRITE : 0);
}

#include "pt-walk.h"

/**
 * iox_pt_amdv1_init() - complete an AMD-Vi v1 configuration
 * @pt: the table, with @cfg copied in; @cfg.levels is the paging mode
 *
 * Every power of two from 4K up to the root level's span is a page size.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for levels outside 1-6 or a bad output size.
 */
int iox_pt_amdv1_init(struct iox_pt *pt)
{
	struct iox_pt_cfg *cfg = &pt->cfg;

	if (cfg->levels < 1 || cfg->levels > AMD_MAX_LEVELS ||
	    cfg->oas < 32 || cfg->oas > 52)
		return -EINVAL;
	cfg->granule_shift = 12;
	cfg->ias = min(12 + 9 * cfg->levels, 64U);
	cfg->pgsize_bitmap = GENMASK_ULL(fmt_shift(pt, 0), 12);
	PT_FN(setup_levels)(pt);
	return 0;
}
