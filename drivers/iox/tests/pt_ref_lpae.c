// SPDX-License-Identifier: GPL-2.0
/*
 * Reference walker: ARM VMSAv8-64 ("LPAE") stage 1 and stage 2 tables with
 * the 4K, 16K and 64K granules and an output size of at most 48 bits, from
 * ARM ARM DDI 0487 D8.2 (the translation process) and D8.3 "VMSAv8-64
 * translation table format descriptors". Stage 1 decodes what a transaction
 * from EL0 (unprivileged) or EL1 may do, with hierarchical attributes on;
 * stage 2 has neither privilege nor hierarchical attributes.
 */
#include <linux/err.h>
#include "pt-ref.h"

/* DDI 0487 D8.3.1: descriptor type, bits[1:0] */
#define LPAE_VALID		BIT_ULL(0)	/* 0: invalid, the walk faults */
#define LPAE_TYPE_TABLE		BIT_ULL(1)	/* 1: table, or page at level 3;
						 * 0: block (reserved at level 3)
						 */

/* DDI 0487 D8.3.2 "Stage 1 attribute fields in Block and Page descriptors" */
#define LPAE_S1_ATTRINDX_SHIFT	2		/* AttrIndx[2:0], bits[4:2] */
#define LPAE_S1_ATTRINDX_MASK	0x7
#define LPAE_S1_NS		BIT_ULL(5)	/* NS: not decoded (quirk ARM_NS) */
#define LPAE_S1_AP1		BIT_ULL(6)	/* AP[1]: EL0 may access */
#define LPAE_S1_AP2		BIT_ULL(7)	/* AP[2]: read-only */

/* DDI 0487 D8.3.2 "Stage 2 attribute fields in Block and Page descriptors" */
#define LPAE_S2_MEMATTR_SHIFT	2		/* MemAttr[3:0], bits[5:2] */
#define LPAE_S2_MEMATTR_MASK	0xf
#define LPAE_S2AP_R		BIT_ULL(6)	/* S2AP[0]: read allowed */
#define LPAE_S2AP_W		BIT_ULL(7)	/* S2AP[1]: write allowed */

/* DDI 0487 D8.3.2: fields common to both stages */
#define LPAE_AF			BIT_ULL(10)	/* access flag; 0: AF fault */
#define LPAE_NT			BIT_ULL(16)	/* nT (FEAT_BBM), blocks only */
#define LPAE_XN			BIT_ULL(54)	/* s1 UXN/XN; s2 XN (XN[1]) */

/* DDI 0487 D8.3.1 "Hierarchical control of ... attributes", stage 1 only */
#define LPAE_UXNTABLE		BIT_ULL(60)	/* no execution below */
#define LPAE_APTABLE0		BIT_ULL(61)	/* APTable[0]: no EL0 below */
#define LPAE_APTABLE1		BIT_ULL(62)	/* APTable[1]: no write below */

/*
 * DDI 0487 D8.3.1: with a 48-bit OA the next-level table, block or page
 * address is bits[47:n]; the bits between 12 and n are RES0 (for the 64K
 * granule bits[15:12] hold OA[51:48] with FEAT_LPA, beyond 48 bits here).
 */
#define LPAE_OA			GENMASK_ULL(47, 12)

/**
 * iox_ref_lpae_geometry() - levels and root size of a VMSAv8-64 table
 * @cfg: an IOX_PT_ARM_LPAE_S1 or _S2 configuration
 * @geo: filled on success; see struct iox_ref_geometry for the rules
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a granule, ias, oas or level count the
 * architecture does not allow.
 */
int iox_ref_lpae_geometry(const struct iox_pt_cfg *cfg,
			  struct iox_ref_geometry *geo)
{
	bool s2 = cfg->format == IOX_PT_ARM_LPAE_S2;
	unsigned int g = cfg->granule_shift;
	unsigned int bpl, min_levels, levels, start;
	int root_bits;

	if (g != 12 && g != 14 && g != 16)
		return -EINVAL;
	if (cfg->ias <= g || cfg->ias > 48 || cfg->oas < 32 || cfg->oas > 48)
		return -EINVAL;

	bpl = g - 3;			/* bits resolved per full level */
	min_levels = DIV_ROUND_UP(cfg->ias - g, bpl);
	levels = cfg->levels;
	if (!levels) {
		levels = min_levels;
		if (s2 && levels > 1 &&
		    cfg->ias - g - (levels - 1) * bpl <= 4)
			levels--;	/* concatenate at one level lower */
	}
	if (levels < 1 || levels > 4)
		return -EINVAL;
	start = 4 - levels;
	root_bits = (int)cfg->ias - (int)(g + (levels - 1) * bpl);

	/*
	 * Stage 1: the start level follows from TxSZ alone, the root resolving
	 * 1..bpl bits. Stage 2 (D8.2 "Concatenated translation tables"): up to
	 * 16 tables at the initial level, i.e. up to bpl + 4 bits.
	 */
	if (root_bits < 1 || root_bits > (int)bpl + (s2 ? 4 : 0))
		return -EINVAL;
	/*
	 * D8.2: 4K granule: no initial lookup at level 3. (Nor concatenation
	 * at level 0, which a 48-bit ias cannot ask for.)
	 */
	if (g == 12 && start == 3)
		return -EINVAL;
	/* D8.2: 16K granule: stage 2 cannot start at level 0 */
	if (s2 && g == 14 && start == 0)
		return -EINVAL;

	geo->levels = levels;
	geo->entry_bytes = 8;
	geo->root_entries = 1ULL << root_bits;
	geo->root_bytes = geo->root_entries * 8;
	return 0;
}

/* D8.3.1: 4K: blocks at levels 1 and 2; 16K and 64K: level 2 only. */
static bool lpae_block_allowed(unsigned int g, unsigned int level)
{
	return level == 2 || (level == 1 && g == 12);
}

/*
 * The address a descriptor holds, aligned to 2^@align: the bits below it
 * are RES0 (nT excepted in a block), and an address beyond oas is an
 * Address size fault (D8.3.1 / D8.5).
 */
static int lpae_oa(const struct iox_pt_cfg *cfg, u64 desc, unsigned int align,
		   bool block, u64 *oa)
{
	u64 res0 = desc & LPAE_OA & (BIT_ULL(align) - 1);

	if (block)
		res0 &= ~LPAE_NT;
	if (res0)
		return -EINVAL;
	*oa = desc & LPAE_OA & ~(BIT_ULL(align) - 1);
	if (iox_ref_beyond(*oa, cfg->oas))
		return -EINVAL;
	return 0;
}

/*
 * One MAIR_ELx.Attr<n> nibble (DDI 0487 D19 MAIR_EL1): 0b0100 normal
 * non-cacheable, 0b00RW (RW != 00) and 0b10RW write-through, 0b01RW
 * (RW != 00) and 0b11RW write-back.
 */
static bool lpae_attr_nibble_wb(unsigned int nibble)
{
	return (nibble & 0x4) && nibble != 0x4;
}

/*
 * Attr<n>: [7:4] = 0000 is device memory, 0b0000dd00 (dd = nGnRnE, nGnRE,
 * nGRE, GRE) with 0b0000ddxx, xx != 00, UNPREDICTABLE; otherwise normal
 * memory, outer [7:4], inner [3:0], where an inner 0000 is UNPREDICTABLE in
 * the base architecture (FEAT_XS/FEAT_MTE2 encodings are not decoded).
 */
static int lpae_s1_mem(u64 mair, unsigned int index, enum iox_ref_mem *mem)
{
	unsigned int attr = (mair >> (8 * index)) & 0xff;
	unsigned int outer = attr >> 4, inner = attr & 0xf;

	if (!outer) {
		if (inner & 0x3)
			return -EINVAL;
		*mem = IOX_REF_MEM_DEVICE;
		return 0;
	}
	if (!inner)
		return -EINVAL;
	*mem = lpae_attr_nibble_wb(outer) && lpae_attr_nibble_wb(inner) ?
	       IOX_REF_MEM_NORMAL_WB : IOX_REF_MEM_NORMAL_NC;
	return 0;
}

/*
 * Stage 2 MemAttr[3:0] without FEAT_S2FWB (D8.3.2 "Stage 2 memory type and
 * Cacheability attributes"): [3:2] = 00 device (type [1:0]); else outer
 * [3:2] and inner [1:0], each 01 non-cacheable, 10 write-through, 11
 * write-back, an inner 00 being UNPREDICTABLE.
 */
static int lpae_s2_mem(unsigned int memattr, enum iox_ref_mem *mem)
{
	unsigned int outer = memattr >> 2, inner = memattr & 0x3;

	if (!outer) {
		*mem = IOX_REF_MEM_DEVICE;
		return 0;
	}
	if (!inner)
		return -EINVAL;
	*mem = outer == 3 && inner == 3 ? IOX_REF_MEM_NORMAL_WB :
					  IOX_REF_MEM_NORMAL_NC;
	return 0;
}

/**
 * iox_ref_walk_lpae() - walk a VMSAv8-64 stage 1 or stage 2 table
 * @cfg: granule_shift, ias, oas, levels (0: derive), format; mair for
 *	stage 1
 * @root_phys: physical address of the root (the first of the
 *	concatenated tables for a concatenated stage-2 root)
 * @iova: input address
 * @leaf: filled on success
 *
 * Stage 1: reads are always allowed; AP[2] and APTable[1] forbid writes,
 * AP[1] = 0 or APTable[0] make the leaf privileged-only, UXN and UXNTable
 * forbid execution (the engine sets PXN with UXN; PXN is not decoded), the
 * memory type comes from MAIR Attr<AttrIndx>. Stage 2: S2AP gives read and
 * write, XN execution, MemAttr the memory type.
 *
 * Context: Any context.
 * Return: as iox_ref_walk(): -ENOENT for an invalid descriptor or AF = 0,
 * -EINVAL for a block where the granule allows none (0b01 at level 3
 * included), RES0 address bits set or an address beyond oas.
 */
int iox_ref_walk_lpae(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		      u64 iova, struct iox_ref_leaf *leaf)
{
	bool s2 = cfg->format == IOX_PT_ARM_LPAE_S2;
	bool no_write = false, no_user = false, no_exec = false;
	unsigned int g = cfg->granule_shift, level, shift;
	struct iox_ref_geometry geo;
	u64 table = root_phys, entries, desc, oa;
	enum iox_ref_mem mem;
	int ret;

	ret = iox_ref_lpae_geometry(cfg, &geo);
	if (ret)
		return ret;
	if (iox_ref_beyond(iova, cfg->ias))
		return -ERANGE;

	entries = geo.root_entries;
	for (level = 4 - geo.levels; ; level++) {
		shift = g + (3 - level) * (g - 3);
		desc = iox_ref_read64(table, (iova >> shift) & (entries - 1));
		if (!(desc & LPAE_VALID))
			return -ENOENT;
		if (level == 3 || !(desc & LPAE_TYPE_TABLE))
			break;

		ret = lpae_oa(cfg, desc, g, false, &table);
		if (ret)
			return ret;
		if (!table)
			return -EINVAL;
		if (!s2) {
			no_write |= !!(desc & LPAE_APTABLE1);
			no_user |= !!(desc & LPAE_APTABLE0);
			no_exec |= !!(desc & LPAE_UXNTABLE);
		}
		entries = 1ULL << (g - 3);
	}

	if (level == 3 ? !(desc & LPAE_TYPE_TABLE) :
			 !lpae_block_allowed(g, level))
		return -EINVAL;
	ret = lpae_oa(cfg, desc, shift, level != 3, &oa);
	if (ret)
		return ret;
	if (s2)
		ret = lpae_s2_mem((desc >> LPAE_S2_MEMATTR_SHIFT) &
				  LPAE_S2_MEMATTR_MASK, &mem);
	else
		ret = lpae_s1_mem(cfg->mair, (desc >> LPAE_S1_ATTRINDX_SHIFT) &
				  LPAE_S1_ATTRINDX_MASK, &mem);
	if (ret)
		return ret;
	if (!(desc & LPAE_AF))
		return -ENOENT;

	leaf->size = BIT_ULL(shift);
	leaf->phys = oa | (iova & (leaf->size - 1));
	leaf->mem = mem;
	leaf->snoop = false;
	if (s2) {
		leaf->read = !!(desc & LPAE_S2AP_R);
		leaf->write = !!(desc & LPAE_S2AP_W);
		leaf->exec = !(desc & LPAE_XN);
		leaf->priv_only = false;
	} else {
		leaf->read = true;
		leaf->write = !(desc & LPAE_S1_AP2) && !no_write;
		leaf->exec = !(desc & LPAE_XN) && !no_exec;
		leaf->priv_only = !(desc & LPAE_S1_AP1) || no_user;
	}
	return 0;
}
