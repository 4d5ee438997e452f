// SPDX-License-Identifier: GPL-2.0
/*
 * ARMv7 short-descriptor tables (the Qualcomm MSM IOMMU's format): 32-bit
 * input, 4096 first-level entries of 1M (sections, 16M supersections as 16
 * repeated entries) and 256-entry second-level tables of 4K pages (64K
 * large pages as 16 repeated entries). Tables must lie below 4 GiB.
 *
 * Layout: ARM DDI 0406C (ARMv7-A/R ARM), B3.5.1 "Short-descriptor
 * translation table format descriptors" (figures B3-4, B3-5); memory
 * attributes B3.8.2 with TRE=0; access permissions B3.7.1 with AFE=1, so
 * AP[0] is the access flag.
 */
#include <linux/module.h>
#include <linux/io.h>
#include <linux/sizes.h>
#include "pt-priv.h"

/* First level (B3-4). */
#define V7S_TYPE_MASK		3U
#define V7S_L1_TABLE		1U		/* bits 1:0 = 01 */
#define V7S_L1_SECTION		2U		/* bits 1:0 = 10 */
#define V7S_L1_NS_TABLE		BIT(3)
#define V7S_L1_B		BIT(2)
#define V7S_L1_C		BIT(3)
#define V7S_L1_XN		BIT(4)
#define V7S_L1_AP0		BIT(10)
#define V7S_L1_AP1		BIT(11)
#define V7S_L1_TEX_SHIFT	12		/* TEX[2:0], bits 14:12 */
#define V7S_L1_AP2		BIT(15)
#define V7S_L1_S		BIT(16)
#define V7S_L1_SUPER		BIT(18)
#define V7S_L1_NS_SECTION	BIT(19)
#define V7S_L1_TABLE_ADDR	GENMASK(31, 10)
/* Second level (B3-5). */
#define V7S_L2_SMALL		BIT(1)		/* bits 1:0 = 1x */
#define V7S_L2_LARGE		1U		/* bits 1:0 = 01 */
#define V7S_L2_SMALL_XN		BIT(0)
#define V7S_L2_B		BIT(2)
#define V7S_L2_C		BIT(3)
#define V7S_L2_AP0		BIT(4)
#define V7S_L2_AP1		BIT(5)
#define V7S_L2_SMALL_TEX_SHIFT	6		/* bits 8:6 */
#define V7S_L2_AP2		BIT(9)
#define V7S_L2_S		BIT(10)
#define V7S_L2_LARGE_TEX_SHIFT	12		/* bits 14:12 */
#define V7S_L2_LARGE_XN		BIT(15)

/*
 * TEX/C/B with TRE=0 (B3-10), as a code of TEX[0], C and B (TEX[2:1] are
 * 0): normal WB-WA, normal NC, shareable device.
 */
#define V7S_MEM_TEX0		BIT(2)
#define V7S_MEM_C		BIT(1)
#define V7S_MEM_B		BIT(0)
#define V7S_MEM_WB		(V7S_MEM_TEX0 | V7S_MEM_C | V7S_MEM_B)
#define V7S_MEM_NC		V7S_MEM_TEX0
#define V7S_MEM_DEV		V7S_MEM_B

#define PT_NAME			v7s
#define pt_entry_t		u32

static inline unsigned int fmt_shift(const struct iox_pt *pt, unsigned int lvl)
{
	return lvl ? 12 : 20;
}

static inline unsigned int fmt_bits(const struct iox_pt *pt, unsigned int lvl)
{
	return lvl ? 8 : 12;
}

static inline unsigned int fmt_table_order(const struct iox_pt *pt,
					   unsigned int lvl)
{
	return lvl ? 0 : get_order(SZ_16K);
}

static inline bool fmt_present(const struct iox_pt *pt, unsigned int lvl,
			       u32 e)
{
	return e & V7S_TYPE_MASK;
}

static inline bool fmt_entry_is_table(const struct iox_pt *pt, u32 e)
{
	return (e & V7S_TYPE_MASK) == V7S_L1_TABLE;
}

static inline u32 fmt_table_entry(const struct iox_pt *pt, unsigned int lvl,
				  phys_addr_t table)
{
	u32 e = (u32)table | V7S_L1_TABLE;

	if (pt->cfg.quirks & IOX_PT_ARM_NS)
		e |= V7S_L1_NS_TABLE;
	return e;
}

static inline phys_addr_t fmt_table_addr(const struct iox_pt *pt,
					 unsigned int lvl, u32 e)
{
	return e & V7S_L1_TABLE_ADDR;
}

static inline u32 v7s_mem(int prot)
{
	if (prot & IOX_MMIO)
		return V7S_MEM_DEV;
	return prot & IOX_CACHE ? V7S_MEM_WB : V7S_MEM_NC;
}

/* TEX/C/B and the shareable bit, placed for an entry kind. */
static inline u32 v7s_mem_bits(u32 mem, unsigned int tex_shift, u32 b, u32 c,
			       u32 s)
{
	return (mem & V7S_MEM_TEX0 ? 1U << tex_shift : 0) |
	       (mem & V7S_MEM_C ? c : 0) | (mem & V7S_MEM_B ? b : 0) |
	       (mem == V7S_MEM_DEV ? 0 : s);
}

static inline u32 fmt_leaf_bits(const struct iox_pt *pt, unsigned int lvl,
				size_t pgsize, int prot)
{
	u32 e;

	if (!lvl) {
		e = V7S_L1_SECTION | V7S_L1_AP0 |
		    v7s_mem_bits(v7s_mem(prot), V7S_L1_TEX_SHIFT, V7S_L1_B,
				 V7S_L1_C, V7S_L1_S);
		if (pgsize == SZ_16M)
			e |= V7S_L1_SUPER;
		if (!(prot & IOX_PRIV))
			e |= V7S_L1_AP1;
		if (!(prot & IOX_WRITE))
			e |= V7S_L1_AP2;
		if (prot & IOX_NOEXEC)
			e |= V7S_L1_XN;
		if (pt->cfg.quirks & IOX_PT_ARM_NS)
			e |= V7S_L1_NS_SECTION;
		return e;
	}
	e = V7S_L2_AP0;
	if (pgsize == SZ_4K) {
		e |= V7S_L2_SMALL |
		     v7s_mem_bits(v7s_mem(prot), V7S_L2_SMALL_TEX_SHIFT,
				  V7S_L2_B, V7S_L2_C, V7S_L2_S);
		if (prot & IOX_NOEXEC)
			e |= V7S_L2_SMALL_XN;
	} else {
		e |= V7S_L2_LARGE |
		     v7s_mem_bits(v7s_mem(prot), V7S_L2_LARGE_TEX_SHIFT,
				  V7S_L2_B, V7S_L2_C, V7S_L2_S);
		if (prot & IOX_NOEXEC)
			e |= V7S_L2_LARGE_XN;
	}
	if (!(prot & IOX_PRIV))
		e |= V7S_L2_AP1;
	if (!(prot & IOX_WRITE))
		e |= V7S_L2_AP2;
	return e;
}

static inline size_t fmt_leaf_size(const struct iox_pt *pt, unsigned int lvl,
				   u32 e)
{
	if (!lvl)
		return e & V7S_L1_SUPER ? SZ_16M : SZ_1M;
	return e & V7S_L2_SMALL ? SZ_4K : SZ_64K;
}

static inline phys_addr_t fmt_leaf_addr(const struct iox_pt *pt,
					unsigned int lvl, u32 e, size_t size)
{
	return e & ~(u32)(size - 1);
}

static inline int fmt_leaf_prot(const struct iox_pt *pt, unsigned int lvl,
				u32 e)
{
	bool small = lvl && (e & V7S_L2_SMALL);
	u32 ap1 = lvl ? V7S_L2_AP1 : V7S_L1_AP1;
	u32 ap2 = lvl ? V7S_L2_AP2 : V7S_L1_AP2;
	u32 c = lvl ? V7S_L2_C : V7S_L1_C, b = lvl ? V7S_L2_B : V7S_L1_B;
	u32 xn = !lvl ? V7S_L1_XN : small ? V7S_L2_SMALL_XN : V7S_L2_LARGE_XN;
	int prot = IOX_READ;

	if (!(e & ap2))
		prot |= IOX_WRITE;
	if (!(e & ap1))
		prot |= IOX_PRIV;
	if (e & xn)
		prot |= IOX_NOEXEC;
	if ((e & c) && (e & b))
		prot |= IOX_CACHE;
	else if (!(e & c) && (e & b))
		prot |= IOX_MMIO;
	return prot;
}

#include "pt-walk.h"

/**
 * iox_pt_v7s_init() - complete a v7s configuration
 * @pt: the table, with @cfg copied in
 *
 * Context: Any context.
 * Return: 0, or -EINVAL unless input and output are 32 bits.
 */
int iox_pt_v7s_init(struct iox_pt *pt)
{
	struct iox_pt_cfg *cfg = &pt->cfg;

	if (cfg->ias != 32 || cfg->oas != 32)
		return -EINVAL;
	cfg->granule_shift = 12;
	cfg->levels = 2;
	cfg->pgsize_bitmap = SZ_4K | SZ_64K | SZ_1M | SZ_16M;
	pt->root_order = fmt_table_order(pt, 0);
	PT_FN(setup_levels)(pt);
	return 0;
}
