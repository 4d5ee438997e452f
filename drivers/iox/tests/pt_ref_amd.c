// SPDX-License-Identifier: GPL-2.0
/*
 * Reference walker: the AMD-Vi host ("v1") I/O page table, from AMD IOMMU
 * specification 48882 §2.2.3 "I/O Page Tables for Host Translations".
 * Levels are numbered as the specification does: level 1 holds 4K
 * entries, the root is at level = DTE Mode (cfg->levels, 1..6), each level
 * resolves 9 bits (the level-6 root only bits 63:57).
 */
#include <linux/err.h>
#include "pt-ref.h"

/* 48882 §2.2.3, "I/O Page Table Entry" and "I/O Page Directory Entry" */
#define AMD_PR			BIT_ULL(0)		/* present */
#define AMD_NEXT_LEVEL_SHIFT	9			/* Next Level, bits[11:9] */
#define AMD_NEXT_LEVEL_MASK	0x7
#define AMD_NL_PAGE		0	/* PTE: page of the level's default size */
#define AMD_NL_SIZED		7	/* PTE: page size encoded in the address */
#define AMD_ADDR		GENMASK_ULL(51, 12)	/* page / table address */
#define AMD_FC			BIT_ULL(60)		/* force coherent: not decoded */
#define AMD_IR			BIT_ULL(61)		/* read permission */
#define AMD_IW			BIT_ULL(62)		/* write permission */

#define AMD_TOP_LEVEL		6	/* Table "Page Table Level Parameters" */

/* Bytes one entry at @level maps by default: 4K, 2M, 1G, 512G, ... */
static unsigned int amd_level_shift(unsigned int level)
{
	return 12 + 9 * (level - 1);
}

/*
 * 48882 §2.2.3 "Page Size Encoding" (Next Level = 7): the page size is
 * given by the run of 1s in the address field starting at bit 12; the
 * first 0 bit at position z makes the page 2^(z + 1) bytes (bit 12 = 0:
 * 8K; bits 12-14 = 1, bit 15 = 0: 64K). The address bits below the size are
 * not part of the output address.
 */
static int amd_sized_page_shift(u64 pte, unsigned int *shift)
{
	unsigned int z;

	for (z = 12; z <= 51; z++)
		if (!(pte & BIT_ULL(z))) {
			*shift = z + 1;
			return 0;
		}
	return -EINVAL;
}

/* The entries a sized page covers at its level must all be the same. */
static bool amd_repeated(phys_addr_t table, u64 index, u64 count, u64 pte)
{
	u64 first = index & ~(count - 1), i;

	for (i = first; i < first + count; i++)
		if (iox_ref_read64(table, i) != pte)
			return false;
	return true;
}

/*
 * A PTE at @level: Next Level 0 maps the level's default size, Next Level
 * 7 a larger size that the entry is repeated for (2..256 entries: bigger
 * than one entry of the level, smaller than one entry of the level above).
 */
static int amd_leaf(const struct iox_pt_cfg *cfg, phys_addr_t table,
		    u64 index, u64 pte, unsigned int level, u64 iova,
		    struct iox_ref_leaf *leaf)
{
	unsigned int shift = amd_level_shift(level);
	u64 addr;

	if (level == AMD_TOP_LEVEL)
		return -EINVAL;	/* the top level holds no PTEs */
	if (((pte >> AMD_NEXT_LEVEL_SHIFT) & AMD_NEXT_LEVEL_MASK) ==
	    AMD_NL_SIZED) {
		unsigned int size_shift;

		if (amd_sized_page_shift(pte, &size_shift))
			return -EINVAL;
		if (size_shift <= shift || size_shift >= shift + 9)
			return -EINVAL;
		if (!amd_repeated(table, index, 1ULL << (size_shift - shift),
				  pte))
			return -EINVAL;
		shift = size_shift;
		addr = pte & AMD_ADDR & ~(BIT_ULL(shift) - 1);
	} else {
		addr = pte & AMD_ADDR;
		/* No meaning is given to address bits below the page size. */
		if (addr & (BIT_ULL(shift) - 1))
			return -EINVAL;
	}
	if (iox_ref_beyond(addr, cfg->oas))
		return -EINVAL;

	leaf->size = BIT_ULL(shift);
	leaf->phys = addr | (iova & (leaf->size - 1));
	leaf->mem = IOX_REF_MEM_NORMAL_WB;
	leaf->priv_only = false;
	leaf->snoop = false;
	return 0;
}

/**
 * iox_ref_walk_amd_v1() - walk an AMD-Vi host page table
 * @cfg: levels (the DTE Mode, 1-6), ias, oas
 * @root_phys: physical address of the root (DTE Page Table Root Pointer)
 * @iova: input address
 * @leaf: filled on success
 *
 * IR and IW are ANDed over every entry of the walk, PDEs included (48882
 * §2.2.3; QEMU's amd_iommu.c checks each level the same way). The format
 * has no execute control: an instruction fetch is a read, so exec = read.
 * A PDE may skip levels (Next Level below its own level - 1); the input
 * address bits of the skipped levels must then be 0, else the walk faults.
 *
 * Context: Any context.
 * Return: as iox_ref_walk(): -ENOENT for PR = 0 or non-zero bits of a
 * skipped level; -ERANGE for @iova beyond ias or beyond what the levels
 * cover; -EINVAL for a PTE at the top level, a table pointer at level 1, a
 * Next Level not below the entry's level, a Next Level 7 size that does
 * not fit its level or is not repeated over its entries, an unaligned
 * page address or an address beyond oas.
 */
int iox_ref_walk_amd_v1(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
			u64 iova, struct iox_ref_leaf *leaf)
{
	unsigned int level = cfg->levels, next, shift;
	bool read = true, write = true;
	phys_addr_t table = root_phys;
	u64 index, pte;
	int ret;

	if (level < 1 || level > AMD_TOP_LEVEL || cfg->oas > 52)
		return -EINVAL;
	if (iox_ref_beyond(iova, cfg->ias) ||
	    iox_ref_beyond(iova, amd_level_shift(level) + 9))
		return -ERANGE;

	for (;;) {
		shift = amd_level_shift(level);
		index = (iova >> shift) & 0x1ff;
		pte = iox_ref_read64(table, index);
		if (!(pte & AMD_PR))
			return -ENOENT;
		read &= !!(pte & AMD_IR);
		write &= !!(pte & AMD_IW);

		next = (pte >> AMD_NEXT_LEVEL_SHIFT) & AMD_NEXT_LEVEL_MASK;
		if (next == AMD_NL_PAGE || next == AMD_NL_SIZED)
			break;
		if (level == 1 || next >= level)
			return -EINVAL;
		/* Skipped levels next + 1 .. level - 1 resolve no bits. */
		if ((iova >> amd_level_shift(next + 1)) &
		    (BIT_ULL(shift - amd_level_shift(next + 1)) - 1))
			return -ENOENT;
		table = pte & AMD_ADDR;
		if (!table)
			return -EINVAL;
		if (iox_ref_beyond(table, cfg->oas))
			return -EINVAL;
		level = next;
	}

	ret = amd_leaf(cfg, table, index, pte, level, iova, leaf);
	if (ret)
		return ret;
	leaf->read = read;
	leaf->write = write;
	leaf->exec = read;
	return 0;
}
