// SPDX-License-Identifier: GPL-2.0
/*
 * ARM VMSAv8-64 long-descriptor tables (LPAE), stage 1 and stage 2, with
 * 4K, 16K and 64K granules, for SMMUv3 and SMMU v1/v2.
 *
 * Descriptor layouts: ARM DDI 0487 (ARM ARM), D8.3 "Translation table
 * descriptor formats" and D8.4 "Memory attribute fields"; stage-2
 * concatenated initial tables: D8.2.8 ("Concatenating translation tables
 * at the initial level of stage 2 lookup").
 */
#include <linux/module.h>
#include <linux/io.h>
#include "pt-priv.h"

#define LPAE_VALID		BIT_ULL(0)	/* bit 0: descriptor valid */
#define LPAE_TABLE_OR_PAGE	BIT_ULL(1)	/* bit 1: table / page, 0: block */
#define LPAE_ATTRIDX_SHIFT	2		/* s1 AttrIndx[2:0], bits 4:2 */
#define LPAE_S2_MEMATTR_SHIFT	2		/* s2 MemAttr[3:0], bits 5:2 */
#define LPAE_NS			BIT_ULL(5)	/* s1 NS */
#define LPAE_AP_UNPRIV		BIT_ULL(6)	/* s1 AP[1]: EL0 access */
#define LPAE_AP_RDONLY		BIT_ULL(7)	/* s1 AP[2]: read-only */
#define LPAE_S2AP_READ		BIT_ULL(6)	/* s2 S2AP[0] */
#define LPAE_S2AP_WRITE		BIT_ULL(7)	/* s2 S2AP[1] */
#define LPAE_SH_INNER		(3ULL << 8)	/* SH[1:0] = inner shareable */
#define LPAE_AF			BIT_ULL(10)	/* access flag */
#define LPAE_NG			BIT_ULL(11)	/* s1 not global */
#define LPAE_PXN		BIT_ULL(53)	/* s1 PXN */
#define LPAE_XN			BIT_ULL(54)	/* s1 UXN / s2 XN[1] */
#define LPAE_OA_HIGH		47		/* output address bits 47:gs */

/* s1 AttrIndx values and the MAIR bytes they select. */
#define LPAE_IDX_NC		0
#define LPAE_IDX_WB		1
#define LPAE_IDX_DEV		2
#define LPAE_MAIR_NC		0x44ULL		/* normal, inner/outer NC */
#define LPAE_MAIR_WB		0xffULL		/* normal, WB RW-allocate */
#define LPAE_MAIR_DEV		0x04ULL		/* Device-nGnRE */

/* s2 MemAttr values (D8.5.5). */
#define LPAE_S2_DEV		0x1ULL		/* Device-nGnRE */
#define LPAE_S2_NC		0x5ULL		/* normal, inner/outer NC */
#define LPAE_S2_WB		0xfULL		/* normal, inner/outer WB */

#define PT_NAME			lpae
#define pt_entry_t		u64
#define PT_REPEATS		0
/* With 4K pages, 9 bits a level: the constant-shape fast paths. */
#define PT_FIXED_4K

/* Bits each non-root level resolves: a granule of 8-byte entries. */
static inline unsigned int lpae_bits(const struct iox_pt *pt)
{
	return pt->cfg.granule_shift - 3;
}

static inline unsigned int fmt_shift(const struct iox_pt *pt, unsigned int lvl)
{
	return pt->cfg.granule_shift +
	       lpae_bits(pt) * (pt->cfg.levels - 1 - lvl);
}

static inline unsigned int fmt_bits(const struct iox_pt *pt, unsigned int lvl)
{
	return lvl ? lpae_bits(pt) : pt->cfg.ias - fmt_shift(pt, 0);
}

static inline unsigned int fmt_table_order(const struct iox_pt *pt,
					   unsigned int lvl)
{
	unsigned int bytes_shift = fmt_bits(pt, lvl) + 3;

	return bytes_shift > PAGE_SHIFT ? bytes_shift - PAGE_SHIFT : 0;
}

static inline bool fmt_present(const struct iox_pt *pt, unsigned int lvl,
			       u64 e)
{
	return e & LPAE_VALID;
}

static inline bool fmt_entry_is_table(const struct iox_pt *pt, u64 e)
{
	return e & LPAE_TABLE_OR_PAGE;
}

/* Present and a table, in one test for the walks (pt-walk.h). */
/*
 * Bits [1:0] both set: adding one carries out of them only then, so one
 * add and one test (the walks take this per level).
 */
static inline bool fmt_present_table(const struct iox_pt *pt, unsigned int lvl,
				     u64 e)
{
	BUILD_BUG_ON((LPAE_VALID | LPAE_TABLE_OR_PAGE) != 3);
	return !((e + 1) & 3);
}

#define fmt_present_table fmt_present_table

static inline u64 fmt_table_entry(const struct iox_pt *pt, unsigned int lvl,
				  phys_addr_t table)
{
	return table | LPAE_TABLE_OR_PAGE | LPAE_VALID;
}

static inline phys_addr_t fmt_table_addr(const struct iox_pt *pt,
					 unsigned int lvl, u64 e)
{
	/* Bits below a 16K or 64K granule are RES0 in table descriptors. */
	return e & GENMASK_ULL(LPAE_OA_HIGH, 12);
}

static inline u64 fmt_leaf_bits(const struct iox_pt *pt, unsigned int lvl,
				size_t pgsize, int prot)
{
	u64 e = LPAE_VALID | LPAE_AF | LPAE_SH_INNER;

	if (lvl + 1 == pt->cfg.levels)
		e |= LPAE_TABLE_OR_PAGE;
	if (pt->cfg.format == IOX_PT_ARM_LPAE_S1) {
		e |= LPAE_NG;
		if (!(prot & IOX_PRIV))
			e |= LPAE_AP_UNPRIV;
		if (!(prot & IOX_WRITE))
			e |= LPAE_AP_RDONLY;
		if (prot & IOX_NOEXEC)
			e |= LPAE_XN | LPAE_PXN;
		if (prot & IOX_MMIO)
			e |= (u64)LPAE_IDX_DEV << LPAE_ATTRIDX_SHIFT;
		else if (prot & IOX_CACHE)
			e |= (u64)LPAE_IDX_WB << LPAE_ATTRIDX_SHIFT;
		else
			e |= (u64)LPAE_IDX_NC << LPAE_ATTRIDX_SHIFT;
		if (pt->cfg.quirks & IOX_PT_ARM_NS)
			e |= LPAE_NS;
	} else {
		if (prot & IOX_READ)
			e |= LPAE_S2AP_READ;
		if (prot & IOX_WRITE)
			e |= LPAE_S2AP_WRITE;
		if (prot & IOX_NOEXEC)
			e |= LPAE_XN;
		if (prot & IOX_MMIO)
			e |= LPAE_S2_DEV << LPAE_S2_MEMATTR_SHIFT;
		else if (prot & IOX_CACHE)
			e |= LPAE_S2_WB << LPAE_S2_MEMATTR_SHIFT;
		else
			e |= LPAE_S2_NC << LPAE_S2_MEMATTR_SHIFT;
	}
	return e;
}

static inline size_t fmt_leaf_size(const struct iox_pt *pt, unsigned int lvl,
				   u64 e)
{
	return BIT_ULL(pt->shift[lvl]);
}

static inline phys_addr_t fmt_leaf_addr(const struct iox_pt *pt,
					unsigned int lvl, u64 e, size_t size)
{
	return e & GENMASK_ULL(LPAE_OA_HIGH, 0) & ~(u64)(size - 1);
}

static inline int fmt_leaf_prot(const struct iox_pt *pt, unsigned int lvl,
				u64 e)
{
	int prot = 0;
	u64 attr;

	if (pt->cfg.format == IOX_PT_ARM_LPAE_S1) {
		prot |= IOX_READ;
		if (!(e & LPAE_AP_RDONLY))
			prot |= IOX_WRITE;
		if (!(e & LPAE_AP_UNPRIV))
			prot |= IOX_PRIV;
		attr = (e >> LPAE_ATTRIDX_SHIFT) & 7;
		if (attr == LPAE_IDX_WB)
			prot |= IOX_CACHE;
		else if (attr == LPAE_IDX_DEV)
			prot |= IOX_MMIO;
	} else {
		if (e & LPAE_S2AP_READ)
			prot |= IOX_READ;
		if (e & LPAE_S2AP_WRITE)
			prot |= IOX_WRITE;
		attr = (e >> LPAE_S2_MEMATTR_SHIFT) & 0xf;
		if (attr == LPAE_S2_WB)
			prot |= IOX_CACHE;
		else if (attr == LPAE_S2_DEV)
			prot |= IOX_MMIO;
	}
	if (e & LPAE_XN)
		prot |= IOX_NOEXEC;
	return prot;
}

#include "pt-walk.h"

/* Block sizes per granule: D8.2.6-D8.2.7 (no 52-bit output). */
static unsigned long lpae_block_sizes(unsigned int granule_shift)
{
	switch (granule_shift) {
	case 12:
		return BIT_ULL(21) | BIT_ULL(30);
	case 14:
		return BIT_ULL(25);
	default:
		return BIT_ULL(29);
	}
}

/**
 * iox_pt_lpae_init() - complete an LPAE configuration
 * @pt: the table, with @cfg copied in
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a granule, input or output size the format
 * lacks.
 */
int iox_pt_lpae_init(struct iox_pt *pt)
{
	struct iox_pt_cfg *cfg = &pt->cfg;
	unsigned int gs = cfg->granule_shift, bits, levels, top;

	if ((gs != 12 && gs != 14 && gs != 16) || cfg->ias < 32 ||
	    cfg->ias > 48 || cfg->oas < 32 || cfg->oas > 48)
		return -EINVAL;
	bits = gs - 3;
	levels = DIV_ROUND_UP(cfg->ias - gs, bits);
	top = cfg->ias - gs - (levels - 1) * bits;
	/* Stage 2 starts one level lower on up to 16 concatenated tables. */
	if (cfg->format == IOX_PT_ARM_LPAE_S2 && levels > 1 && top <= 4)
		levels--;
	cfg->levels = levels;
	pt->root_order = fmt_table_order(pt, 0);
	cfg->pgsize_bitmap = (BIT_ULL(gs) | lpae_block_sizes(gs)) &
			     GENMASK_ULL(fmt_shift(pt, 0), 0);
	cfg->mair = LPAE_MAIR_NC << (8 * LPAE_IDX_NC) |
		    LPAE_MAIR_WB << (8 * LPAE_IDX_WB) |
		    LPAE_MAIR_DEV << (8 * LPAE_IDX_DEV);
	PT_FN(setup_levels)(pt);
	return 0;
}
