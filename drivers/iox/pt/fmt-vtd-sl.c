// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VT-d second-level (second-stage) tables, 3, 4 or 5 levels.
 * Entry layout: VT-d spec rev 4.1, 9.8 "Second-Stage Paging Entries".
 * QEMU ANDs permissions down the walk, so tables carry R and W.
 */
#include <linux/module.h>
#include <linux/io.h>
#include "pt-priv.h"
#include "fmt-vtd.h"

#define VTD_SL_R	BIT_ULL(0)	/* read */
#define VTD_SL_W	BIT_ULL(1)	/* write */
#define VTD_SL_X	BIT_ULL(2)	/* execute (ECAP.SLEE) */
#define VTD_SL_SNP	BIT_ULL(11)	/* snoop (scalable mode) */

#define PT_NAME		vtd_sl

static inline bool fmt_present(const struct iox_pt *pt, unsigned int lvl,
			       u64 e)
{
	return e & (VTD_SL_R | VTD_SL_W);
}

static inline u64 fmt_table_entry(const struct iox_pt *pt, unsigned int lvl,
				  phys_addr_t table)
{
	return table | VTD_SL_R | VTD_SL_W;
}

static inline u64 fmt_leaf_bits(const struct iox_pt *pt, unsigned int lvl,
				size_t pgsize, int prot)
{
	u64 e = vtd_size_bits(pt, lvl);

	if (prot & IOX_READ)
		e |= VTD_SL_R;
	if (prot & IOX_WRITE)
		e |= VTD_SL_W;
	if ((prot & IOX_CACHE) && (pt->cfg.quirks & IOX_PT_VTD_SNOOP))
		e |= VTD_SL_SNP;
	return e;
}

static inline int fmt_leaf_prot(const struct iox_pt *pt, unsigned int lvl,
				u64 e)
{
	int prot = 0;

	if (e & VTD_SL_R)
		prot |= IOX_READ;
	if (e & VTD_SL_W)
		prot |= IOX_WRITE;
	if (e & VTD_SL_SNP)
		prot |= IOX_CACHE;
	return prot;
}

#include "pt-walk.h"

/**
 * iox_pt_vtd_sl_init() - complete a VT-d second-level configuration
 * @pt: the table, with @cfg copied in; @cfg.levels from CAP.SAGAW
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for levels other than 3-5 or a bad output size.
 */
int iox_pt_vtd_sl_init(struct iox_pt *pt)
{
	struct iox_pt_cfg *cfg = &pt->cfg;

	if (cfg->levels < 3 || cfg->levels > 5 || cfg->oas < 32 ||
	    cfg->oas > 52)
		return -EINVAL;
	cfg->granule_shift = 12;
	cfg->ias = 12 + 9 * cfg->levels;
	cfg->pgsize_bitmap = VTD_SIZES;
	PT_FN(setup_levels)(pt);
	return 0;
}
