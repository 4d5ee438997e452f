// SPDX-License-Identifier: GPL-2.0
/*
 * Reference walker: the ARMv7 short-descriptor format (v7s), from ARM ARM
 * DDI 0406C B3.5 "Short-descriptor translation table format", with
 * SCTLR.AFE = 1 (AP[0] is the access flag, B3.7.3) and SCTLR.TRE = 0 (TEX,
 * C and B give the memory type directly, B3.8.2). 32-bit input, 4-byte
 * descriptors; first-level entries map 1M, second-level entries 4K.
 */
#include <linux/err.h>
#include "pt-ref.h"

/* DDI 0406C B3.5.1 "Short-descriptor translation table first-level descriptor formats" */
#define V7S_L1_TYPE_MASK	0x3		/* bits[1:0] */
#define V7S_L1_FAULT		0x0		/* 00: invalid */
#define V7S_L1_TABLE		0x1		/* 01: page table */
#define V7S_L1_SECT		BIT(1)		/* 1x: section or supersection;
						 * bit 0 = PXN where implemented
						 */
#define V7S_L1_TABLE_ADDR	GENMASK(31, 10)	/* page table base address */

/* Section and supersection descriptors (B3.5.1) */
#define V7S_SECT_B		BIT(2)
#define V7S_SECT_C		BIT(3)
#define V7S_SECT_XN		BIT(4)
#define V7S_SECT_AP0		BIT(10)		/* access flag (AFE = 1) */
#define V7S_SECT_AP1		BIT(11)		/* unprivileged access */
#define V7S_SECT_TEX_SHIFT	12		/* TEX[2:0], bits[14:12] */
#define V7S_SECT_AP2		BIT(15)		/* read-only */
#define V7S_SECT_SUPER		BIT(18)		/* 0: section, 1: supersection */
#define V7S_SECT_ADDR		GENMASK(31, 20)	/* section base PA[31:20] */
#define V7S_SUPER_ADDR		GENMASK(31, 24)	/* supersection base PA[31:24] */
#define V7S_SUPER_PA35_32	GENMASK(23, 20)	/* extended base PA[35:32] */
#define V7S_SUPER_PA39_36	GENMASK(8, 5)	/* extended base PA[39:36] */

/* DDI 0406C B3.5.1 "Short-descriptor translation table second-level descriptor formats" */
#define V7S_L2_TYPE_MASK	0x3		/* bits[1:0] */
#define V7S_L2_FAULT		0x0		/* 00: invalid */
#define V7S_L2_LARGE		0x1		/* 01: large page (64K) */
#define V7S_L2_SMALL		BIT(1)		/* 1x: small page; bit 0 = XN */
#define V7S_PG_B		BIT(2)
#define V7S_PG_C		BIT(3)
#define V7S_PG_AP0		BIT(4)		/* access flag (AFE = 1) */
#define V7S_PG_AP1		BIT(5)		/* unprivileged access */
#define V7S_PG_AP2		BIT(9)		/* read-only */
#define V7S_SMALL_XN		BIT(0)
#define V7S_SMALL_TEX_SHIFT	6		/* TEX[2:0], bits[8:6] */
#define V7S_SMALL_ADDR		GENMASK(31, 12)	/* small page base PA[31:12] */
#define V7S_LARGE_TEX_SHIFT	12		/* TEX[2:0], bits[14:12] */
#define V7S_LARGE_XN		BIT(15)
#define V7S_LARGE_ADDR		GENMASK(31, 16)	/* large page base PA[31:16] */

/* B3.5.1: supersections and large pages are one descriptor repeated 16x */
#define V7S_REPEAT		16

#define V7S_SECT_SHIFT		20
#define V7S_SUPER_SHIFT		24
#define V7S_SMALL_SHIFT		12
#define V7S_LARGE_SHIFT		16

/*
 * DDI 0406C B3.8.2 Table B3-10 "TEX[2:0], C, and B encodings when TRE ==
 * 0". With TEX[2] = 1 the memory is normal, TEX[1:0] the outer and C:B the
 * inner policy: 00 non-cacheable, 01 write-back write-allocate, 10
 * write-through, 11 write-back no write-allocate.
 */
static int v7s_mem(unsigned int tex, bool c, bool b, enum iox_ref_mem *mem)
{
	unsigned int cb = (c ? 2 : 0) | (b ? 1 : 0);

	if (tex & 0x4) {
		*mem = (tex & 0x1) && (cb & 0x1) ? IOX_REF_MEM_NORMAL_WB :
						   IOX_REF_MEM_NORMAL_NC;
		return 0;
	}
	switch (tex << 2 | cb) {
	case 0x0:	/* 000 0 0: strongly-ordered */
	case 0x1:	/* 000 0 1: shareable device */
	case 0x8:	/* 010 0 0: non-shareable device */
		*mem = IOX_REF_MEM_DEVICE;
		return 0;
	case 0x2:	/* 000 1 0: outer and inner write-through */
	case 0x4:	/* 001 0 0: outer and inner non-cacheable */
		*mem = IOX_REF_MEM_NORMAL_NC;
		return 0;
	case 0x3:	/* 000 1 1: outer and inner write-back, no WA */
	case 0x7:	/* 001 1 1: outer and inner write-back, WA */
		*mem = IOX_REF_MEM_NORMAL_WB;
		return 0;
	default:	/* reserved or IMPLEMENTATION DEFINED */
		return -EINVAL;
	}
}

/* A repeated descriptor must be identical in all 16 aligned slots. */
static bool v7s_repeated(phys_addr_t table, u64 index, u32 desc)
{
	u64 first = index & ~(u64)(V7S_REPEAT - 1), i;

	for (i = first; i < first + V7S_REPEAT; i++)
		if (iox_ref_read32(table, i) != desc)
			return false;
	return true;
}

static void v7s_perms(struct iox_ref_leaf *leaf, bool ap1, bool ap2, bool xn)
{
	leaf->read = true;
	leaf->write = !ap2;
	leaf->priv_only = !ap1;
	leaf->exec = !xn;
	leaf->snoop = false;
}

/* B3.5.1: a section or a supersection, found at first-level @index. */
static int v7s_section(const struct iox_pt_cfg *cfg, phys_addr_t table,
		       u64 index, u32 desc, u64 iova,
		       struct iox_ref_leaf *leaf)
{
	enum iox_ref_mem mem;
	unsigned int shift;
	u64 base;
	int ret;

	if (desc & V7S_SECT_SUPER) {
		if (!v7s_repeated(table, index, desc))
			return -EINVAL;
		shift = V7S_SUPER_SHIFT;
		base = desc & V7S_SUPER_ADDR;
		if (cfg->oas > 32) {
			base |= (u64)((desc & V7S_SUPER_PA35_32) >> 20) << 32;
			base |= (u64)((desc & V7S_SUPER_PA39_36) >> 5) << 36;
		} else if (desc & (V7S_SUPER_PA35_32 | V7S_SUPER_PA39_36)) {
			return -EINVAL;	/* SBZ without extended addresses */
		}
	} else {
		shift = V7S_SECT_SHIFT;
		base = desc & V7S_SECT_ADDR;
	}
	if (iox_ref_beyond(base, cfg->oas))
		return -EINVAL;
	ret = v7s_mem((desc >> V7S_SECT_TEX_SHIFT) & 0x7, desc & V7S_SECT_C,
		      desc & V7S_SECT_B, &mem);
	if (ret)
		return ret;
	if (!(desc & V7S_SECT_AP0))
		return -ENOENT;		/* access flag fault */

	leaf->size = BIT_ULL(shift);
	leaf->phys = base | (iova & (leaf->size - 1));
	leaf->mem = mem;
	v7s_perms(leaf, desc & V7S_SECT_AP1, desc & V7S_SECT_AP2,
		  desc & V7S_SECT_XN);
	return 0;
}

/* B3.5.1: a small or a large page, found at second-level @index. */
static int v7s_page(const struct iox_pt_cfg *cfg, phys_addr_t table,
		    u64 index, u32 desc, u64 iova, struct iox_ref_leaf *leaf)
{
	unsigned int shift, tex;
	enum iox_ref_mem mem;
	bool xn;
	u64 base;
	int ret;

	if (desc & V7S_L2_SMALL) {
		shift = V7S_SMALL_SHIFT;
		base = desc & V7S_SMALL_ADDR;
		tex = (desc >> V7S_SMALL_TEX_SHIFT) & 0x7;
		xn = desc & V7S_SMALL_XN;
	} else {
		if (!v7s_repeated(table, index, desc))
			return -EINVAL;
		shift = V7S_LARGE_SHIFT;
		base = desc & V7S_LARGE_ADDR;
		tex = (desc >> V7S_LARGE_TEX_SHIFT) & 0x7;
		xn = desc & V7S_LARGE_XN;
	}
	if (iox_ref_beyond(base, cfg->oas))
		return -EINVAL;
	ret = v7s_mem(tex, desc & V7S_PG_C, desc & V7S_PG_B, &mem);
	if (ret)
		return ret;
	if (!(desc & V7S_PG_AP0))
		return -ENOENT;		/* access flag fault */

	leaf->size = BIT_ULL(shift);
	leaf->phys = base | (iova & (leaf->size - 1));
	leaf->mem = mem;
	v7s_perms(leaf, desc & V7S_PG_AP1, desc & V7S_PG_AP2, xn);
	return 0;
}

/**
 * iox_ref_walk_v7s() - walk an ARMv7 short-descriptor table
 * @cfg: ias (at most 32; below 32 the first level shrinks as with
 *	TTBCR.N) and oas (32, or up to 40 to decode supersection extended
 *	base addresses)
 * @root_phys: physical address of the first-level table
 * @iova: input address
 * @leaf: filled on success
 *
 * Reads are always allowed; AP[2] forbids writes, AP[1] = 0 makes the leaf
 * privileged-only, XN forbids execution (PXN, bit 0 of a first-level
 * 0b11 section, is not decoded). Large pages and supersections must be
 * repeated in all 16 entries of their aligned group.
 *
 * Context: Any context.
 * Return: as iox_ref_walk(): -ENOENT for a fault entry or AP[0] = 0,
 * -EINVAL for a broken repetition, a reserved TEX/C/B encoding or an
 * address beyond oas.
 */
int iox_ref_walk_v7s(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		     u64 iova, struct iox_ref_leaf *leaf)
{
	phys_addr_t l2;
	u64 index;
	u32 desc;

	if (cfg->ias < 21 || cfg->ias > 32 || cfg->oas < 32 || cfg->oas > 40)
		return -EINVAL;
	if (iox_ref_beyond(iova, cfg->ias))
		return -ERANGE;

	index = iova >> V7S_SECT_SHIFT;
	desc = iox_ref_read32(root_phys, index);
	if ((desc & V7S_L1_TYPE_MASK) == V7S_L1_FAULT)
		return -ENOENT;
	if (desc & V7S_L1_SECT)
		return v7s_section(cfg, root_phys, index, desc, iova, leaf);

	l2 = desc & V7S_L1_TABLE_ADDR;
	if (!l2)
		return -EINVAL;
	index = (iova >> V7S_SMALL_SHIFT) & 0xff;
	desc = iox_ref_read32(l2, index);
	if ((desc & V7S_L2_TYPE_MASK) == V7S_L2_FAULT)
		return -ENOENT;
	return v7s_page(cfg, l2, index, desc, iova, leaf);
}
