// SPDX-License-Identifier: GPL-2.0
/*
 * Reference walker: the Intel VT-d second-level (second-stage) table, from
 * the VT-d specification §9.8 "Second-Stage Paging Entries" and §3.6-3.7
 * (second-stage translation, permission checks). Levels are numbered from
 * the leaf: 1 = SL-PTE (4K), 2 = SL-PDE (2M), 3 = SL-PDPE (1G),
 * 4 = SL-PML4E, 5 = SL-PML5E; cfg->levels is 3, 4 or 5 (AGAW 39/48/57).
 */
#include <linux/err.h>
#include "pt-ref.h"

/* VT-d §9.8, tables "Format of SL-PML5E/PML4E/PDPE/PDE/PTE" */
#define VTD_SL_R		BIT_ULL(0)	/* read */
#define VTD_SL_W		BIT_ULL(1)	/* write */
#define VTD_SL_X		BIT_ULL(2)	/* execute (execute requests) */
#define VTD_SL_PS		BIT_ULL(7)	/* page size: PDPE 1G, PDE 2M;
						 * reserved in PML4E/PML5E,
						 * ignored in the PTE
						 */
#define VTD_SL_SNP		BIT_ULL(11)	/* snoop (leaf); reserved in
						 * non-leaf entries
						 */
#define VTD_SL_ADDR		GENMASK_ULL(51, 12) /* table / page address;
						     * bits above HAW reserved
						     */

/**
 * iox_ref_walk_vtd_sl() - walk a VT-d second-level table
 * @cfg: levels (3-5), ias (the domain's address width), oas (host
 *	address width)
 * @root_phys: physical address of the root (context/PASID entry SLPTPTR)
 * @iova: input address
 * @leaf: filled on success
 *
 * An entry with R and W both clear is not present (§3.7: "not-present"
 * when neither is set). Read, write and execute are the AND of the R, W
 * and X bits of every entry on the walk (§3.6.1). SNP is the leaf's bit
 * 11, its meaning in legacy mode (scalable mode reserves it and snoops per
 * PASID entry instead); the format has no memory type, so mem is
 * NORMAL_WB. PS at level 1 is ignored.
 *
 * Context: Any context.
 * Return: as iox_ref_walk(): -ENOENT for an entry with R = W = 0; -EINVAL
 * for PS in an SL-PML4E/PML5E, bit 11 in a non-leaf entry, page address
 * bits below the page size or an address beyond oas.
 */
int iox_ref_walk_vtd_sl(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
			u64 iova, struct iox_ref_leaf *leaf)
{
	bool read = true, write = true, exec = true;
	phys_addr_t table = root_phys;
	unsigned int level, shift;
	u64 entry, addr;

	if (cfg->levels < 3 || cfg->levels > 5 || cfg->oas > 52 ||
	    cfg->ias > 12 + 9 * cfg->levels)
		return -EINVAL;
	if (iox_ref_beyond(iova, cfg->ias))
		return -ERANGE;

	for (level = cfg->levels; ; level--) {
		shift = 12 + 9 * (level - 1);
		entry = iox_ref_read64(table, (iova >> shift) & 0x1ff);
		if (!(entry & (VTD_SL_R | VTD_SL_W)))
			return -ENOENT;
		read &= !!(entry & VTD_SL_R);
		write &= !!(entry & VTD_SL_W);
		exec &= !!(entry & VTD_SL_X);

		if (level > 3 && (entry & VTD_SL_PS))
			return -EINVAL;
		addr = entry & VTD_SL_ADDR;
		if (iox_ref_beyond(addr, cfg->oas))
			return -EINVAL;
		if (level == 1 || (entry & VTD_SL_PS))
			break;
		if ((entry & VTD_SL_SNP) || !addr)
			return -EINVAL;
		table = addr;
	}

	/* §9.8: SL-PDE/PDPE bits 20:12 / 29:12 are reserved in a large page */
	if (addr & (BIT_ULL(shift) - 1))
		return -EINVAL;
	leaf->size = BIT_ULL(shift);
	leaf->phys = addr | (iova & (leaf->size - 1));
	leaf->read = read;
	leaf->write = write;
	leaf->exec = exec;
	leaf->priv_only = false;
	leaf->mem = IOX_REF_MEM_NORMAL_WB;
	leaf->snoop = !!(entry & VTD_SL_SNP);
	return 0;
}
