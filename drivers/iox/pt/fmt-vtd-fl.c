// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VT-d first-level (first-stage) tables: the x86-64 paging format,
 * 4 or 5 levels. Entry layout: Intel SDM Vol. 3A 4.5, tables 4-14 to 4-20;
 * VT-d spec rev 4.1, 9.7 "First-Stage Paging Entries".
 */
#include <linux/module.h>
#include <linux/io.h>
#include "pt-priv.h"
#include "fmt-vtd.h"

#define VTD_FL_P	BIT_ULL(0)	/* present */
#define VTD_FL_RW	BIT_ULL(1)	/* writable */
#define VTD_FL_US	BIT_ULL(2)	/* user (unprivileged) access */
#define VTD_FL_PCD	BIT_ULL(4)	/* cache disable */
#define VTD_FL_A	BIT_ULL(5)	/* accessed: preset, no hardware write */
#define VTD_FL_D	BIT_ULL(6)	/* dirty: preset on leaves */
#define VTD_FL_XD	BIT_ULL(63)	/* execute disable */

#define PT_NAME		vtd_fl

static inline bool fmt_present(const struct iox_pt *pt, unsigned int lvl,
			       u64 e)
{
	return e & VTD_FL_P;
}

static inline u64 fmt_table_entry(const struct iox_pt *pt, unsigned int lvl,
				  phys_addr_t table)
{
	return table | VTD_FL_P | VTD_FL_RW | VTD_FL_US | VTD_FL_A;
}

static inline u64 fmt_leaf_bits(const struct iox_pt *pt, unsigned int lvl,
				size_t pgsize, int prot)
{
	u64 e = vtd_size_bits(pt, lvl) | VTD_FL_P | VTD_FL_A | VTD_FL_D;

	if (prot & IOX_WRITE)
		e |= VTD_FL_RW;
	if (!(prot & IOX_PRIV))
		e |= VTD_FL_US;
	if (prot & IOX_NOEXEC)
		e |= VTD_FL_XD;
	if (prot & IOX_MMIO)
		e |= VTD_FL_PCD;
	return e;
}

static inline int fmt_leaf_prot(const struct iox_pt *pt, unsigned int lvl,
				u64 e)
{
	int prot = IOX_READ;

	if (e & VTD_FL_RW)
		prot |= IOX_WRITE;
	if (!(e & VTD_FL_US))
		prot |= IOX_PRIV;
	if (e & VTD_FL_XD)
		prot |= IOX_NOEXEC;
	if (e & VTD_FL_PCD)
		prot |= IOX_MMIO;
	return prot;
}

#include "pt-walk.h"

/**
 * iox_pt_vtd_fl_init() - complete a VT-d first-level configuration
 * @pt: the table, with @cfg copied in; @cfg.levels 4 or 5
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for other levels or a bad output size.
 */
int iox_pt_vtd_fl_init(struct iox_pt *pt)
{
	struct iox_pt_cfg *cfg = &pt->cfg;

	if ((cfg->levels != 4 && cfg->levels != 5) || cfg->oas < 32 ||
	    cfg->oas > 52)
		return -EINVAL;
	cfg->granule_shift = 12;
	/* Canonical addresses: the top bit is a sign; IOVAs use the low half. */
	cfg->ias = 12 + 9 * cfg->levels - 1;
	cfg->pgsize_bitmap = VTD_SIZES;
	PT_FN(setup_levels)(pt);
	return 0;
}
