// SPDX-License-Identifier: GPL-2.0
/*
 * Reference walker: x86-64 4-level and 5-level paging, the format of the
 * VT-d first-level (first-stage) table, from Intel SDM Vol 3 §4.5
 * "4-Level Paging and 5-Level Paging" (tables 4-14 to 4-20) and VT-d §9.7
 * "First-Stage Paging Entries". Levels are numbered from the leaf: 1 = PTE
 * (4K), 2 = PDE (2M), 3 = PDPTE (1G), 4 = PML4E, 5 = PML5E. XD is taken
 * as enabled (IA32_EFER.NXE / the PASID entry's execute control).
 */
#include <linux/err.h>
#include "pt-ref.h"

/* SDM Vol 3 §4.5, tables 4-14..4-20; VT-d §9.7 */
#define X86_P			BIT_ULL(0)	/* present */
#define X86_RW			BIT_ULL(1)	/* 0: no write below this entry */
#define X86_US			BIT_ULL(2)	/* 0: supervisor-only below */
#define X86_PWT			BIT_ULL(3)	/* page-level write-through */
#define X86_PCD			BIT_ULL(4)	/* page-level cache disable */
#define X86_PS			BIT_ULL(7)	/* PDPTE 1G / PDE 2M page;
						 * reserved in PML4E/PML5E,
						 * PAT in the PTE
						 */
#define X86_ADDR		GENMASK_ULL(51, 12) /* table / page address;
						     * bits above MAXPHYADDR
						     * reserved
						     */
#define X86_LARGE_PAT		BIT_ULL(12)	/* PAT in a 2M/1G page */
#define X86_XD			BIT_ULL(63)	/* execute-disable */

/**
 * iox_ref_walk_x86() - walk an x86-64 (VT-d first-level) table
 * @cfg: levels (4 or 5), ias (48 or 57 at most), oas (MAXPHYADDR)
 * @root_phys: physical address of the PML4 or PML5 table (FLPTR)
 * @iova: input address (the lower canonical half only)
 * @leaf: filled on success
 *
 * Reads are allowed once every entry is present; writes only if R/W is set
 * at every level, the leaf is privileged-only if U/S is clear at any
 * level, and execution is forbidden if XD is set at any level (SDM §4.6).
 * The memory type is decoded from the leaf's PCD and PWT with the power-on
 * PAT (whose entries 4-7 repeat 0-3, so the PAT bit is not needed): PCD =
 * PWT = 0 is write-back, PCD = 1 (UC-, UC) non-cacheable, and PWT = 1
 * alone (write-through) not write-back either, so NORMAL_NC.
 *
 * Context: Any context.
 * Return: as iox_ref_walk(): -ENOENT for P = 0; -EINVAL for PS in a
 * PML4E/PML5E, reserved address bits of a large page (bits 20:13 or
 * 29:13) or an address beyond oas.
 */
int iox_ref_walk_x86(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		     u64 iova, struct iox_ref_leaf *leaf)
{
	bool write = true, user = true, exec = true;
	phys_addr_t table = root_phys;
	unsigned int level, shift;
	u64 entry, addr;

	if (cfg->levels < 4 || cfg->levels > 5 || cfg->oas > 52 ||
	    cfg->ias > 12 + 9 * cfg->levels)
		return -EINVAL;
	if (iox_ref_beyond(iova, cfg->ias))
		return -ERANGE;

	for (level = cfg->levels; ; level--) {
		shift = 12 + 9 * (level - 1);
		entry = iox_ref_read64(table, (iova >> shift) & 0x1ff);
		if (!(entry & X86_P))
			return -ENOENT;
		write &= !!(entry & X86_RW);
		user &= !!(entry & X86_US);
		exec &= !(entry & X86_XD);

		if (level > 3 && (entry & X86_PS))
			return -EINVAL;
		addr = entry & X86_ADDR;
		if (level == 1 || (entry & X86_PS))
			break;
		if (!addr || iox_ref_beyond(addr, cfg->oas))
			return -EINVAL;
		table = addr;
	}

	if (level > 1) {
		/* §4.5: bit 12 is PAT; bits shift-1..13 are reserved */
		if (addr & (BIT_ULL(shift) - 1) & ~X86_LARGE_PAT)
			return -EINVAL;
		addr &= ~(BIT_ULL(shift) - 1);
	}
	if (iox_ref_beyond(addr, cfg->oas))
		return -EINVAL;

	leaf->size = BIT_ULL(shift);
	leaf->phys = addr | (iova & (leaf->size - 1));
	leaf->read = true;
	leaf->write = write;
	leaf->exec = exec;
	leaf->priv_only = !user;
	leaf->mem = entry & (X86_PCD | X86_PWT) ? IOX_REF_MEM_NORMAL_NC :
						   IOX_REF_MEM_NORMAL_WB;
	leaf->snoop = false;
	return 0;
}
