// SPDX-License-Identifier: GPL-2.0
/*
 * Reference walkers: the entry points. Each format's walker lives in its
 * own file (pt_ref_lpae.c, pt_ref_v7s.c, pt_ref_amd.c, pt_ref_vtd.c,
 * pt_ref_x86.c); see pt-ref.h for what they promise.
 */
#include <linux/err.h>
#include "pt-ref.h"

/**
 * iox_ref_walk() - translate one input address the way the hardware would
 * @cfg: the table's shape: format, granule, ias, oas, levels, quirks and,
 *	for LPAE stage 1, the MAIR value
 * @root_phys: physical address of the root table
 * @iova: the input address
 * @leaf: filled on success
 *
 * Reads the tables through phys_to_virt(); never writes them. Permissions
 * are those of the whole walk: where the format lets upper levels restrict
 * lower ones (LPAE s1 hierarchical attributes, AMD IR/IW, VT-d R/W/X,
 * x86 R/W, U/S and XD), the restriction is applied.
 *
 * Context: Any context; the caller keeps the tables from being freed.
 * Return: 0 and *@leaf filled; -ENOENT when the walk faults on a missing
 * translation (not present, invalid descriptor, access flag clear);
 * -ERANGE when @iova is beyond the input size; -EINVAL for a malformed
 * table (an encoding the specification reserves, a misaligned output
 * address, an address beyond oas) or an unusable @cfg.
 */
int iox_ref_walk(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		 u64 iova, struct iox_ref_leaf *leaf)
{
	if (!root_phys)
		return -EINVAL;
	switch (cfg->format) {
	case IOX_PT_ARM_LPAE_S1:
	case IOX_PT_ARM_LPAE_S2:
		return iox_ref_walk_lpae(cfg, root_phys, iova, leaf);
	case IOX_PT_ARM_V7S:
		return iox_ref_walk_v7s(cfg, root_phys, iova, leaf);
	case IOX_PT_AMD_V1:
		return iox_ref_walk_amd_v1(cfg, root_phys, iova, leaf);
	case IOX_PT_VTD_SL:
		return iox_ref_walk_vtd_sl(cfg, root_phys, iova, leaf);
	case IOX_PT_VTD_FL:
		return iox_ref_walk_x86(cfg, root_phys, iova, leaf);
	default:
		return -EINVAL;
	}
}

/**
 * iox_ref_geometry() - levels and root size a configuration implies
 * @cfg: the table's shape (see struct iox_ref_geometry for LPAE levels)
 * @geo: filled on success
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a configuration the hardware cannot walk.
 */
int iox_ref_geometry(const struct iox_pt_cfg *cfg,
		     struct iox_ref_geometry *geo)
{
	geo->entry_bytes = 8;
	geo->root_entries = 512;
	geo->levels = cfg->levels;

	switch (cfg->format) {
	case IOX_PT_ARM_LPAE_S1:
	case IOX_PT_ARM_LPAE_S2:
		return iox_ref_lpae_geometry(cfg, geo);
	case IOX_PT_ARM_V7S:
		/* ARM ARM DDI 0406C B3.5.4: TTBCR.N trims the first level. */
		if (cfg->ias < 21 || cfg->ias > 32)
			return -EINVAL;
		geo->levels = 2;
		geo->entry_bytes = 4;
		geo->root_entries = 1ULL << (cfg->ias - 20);
		break;
	case IOX_PT_AMD_V1:
		/* AMD 48882 §2.2.3: DTE Mode 1-6 is the number of levels. */
		if (cfg->levels < 1 || cfg->levels > 6)
			return -EINVAL;
		break;
	case IOX_PT_VTD_SL:
		/* VT-d §3.6/§9.8: 3-, 4- and 5-level (39/48/57-bit AGAW). */
		if (cfg->levels < 3 || cfg->levels > 5 ||
		    cfg->ias > 12 + 9 * cfg->levels)
			return -EINVAL;
		break;
	case IOX_PT_VTD_FL:
		/* Intel SDM Vol 3 §4.5: 4-level or 5-level paging. */
		if (cfg->levels < 4 || cfg->levels > 5 ||
		    cfg->ias > 12 + 9 * cfg->levels)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	geo->root_bytes = geo->root_entries * geo->entry_bytes;
	return 0;
}
