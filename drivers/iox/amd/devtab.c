// SPDX-License-Identifier: GPL-2.0
/*
 * iox-amd: the device table (AMD spec 2.2.2, 3.4.1).
 *
 * One 256-bit entry per DeviceID up to the last one the IVHD lists (or the
 * last bus of the segment's root buses, if that is lower), rounded up to
 * a page. At load every entry is pass-through (V = 1, TV = 0, IR = IW =
 * 1: AMD spec 2.2.2.1, untranslated DMA still checks them), with the
 * IVHD's interrupt and system-management settings, so every device keeps
 * reaching memory as before iox; a device attached to an iox domain gets
 * that domain's entry and goes back to pass-through when released.
 */
#define pr_fmt(fmt) "iox-amd: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include "amd-priv.h"

/* Qwords 1 and 2 of every entry of @devid: the IVHD's settings. */
static void amd_dte_settings(struct amd_unit *au, u16 devid, u64 *e)
{
	const struct amd_ivhd_range *r = amd_ivhd_find(au->ivhd, devid);
	u8 dte = r ? r->dte : 0;

	e[1] |= FIELD_PREP(AMD_DTE_SYSMGT, FIELD_GET(AMD_IVHD_DTE_SYSMGT, dte));
	e[2] |= (dte & AMD_IVHD_DTE_INITPASS ? AMD_DTE_INITPASS : 0) |
		(dte & AMD_IVHD_DTE_EINTPASS ? AMD_DTE_EINTPASS : 0) |
		(dte & AMD_IVHD_DTE_NMIPASS ? AMD_DTE_NMIPASS : 0) |
		(dte & AMD_IVHD_DTE_LINT0PASS ? AMD_DTE_LINT0PASS : 0) |
		(dte & AMD_IVHD_DTE_LINT1PASS ? AMD_DTE_LINT1PASS : 0);
}

/*
 * The entry that makes @dom's translation for @devid. NULL: pass-through
 * (TV = 0: DMA untranslated, with the entry's IR and IW). Identity: TV = 1, Mode 0, IR and IW:
 * untranslated with both permissions. Blocked: TV = 1, Mode 0, neither
 * permission. Paging: Mode = the table's levels, its root, IR and IW (the
 * leaves decide). IV = 0: interrupts pass unremapped, as without iox.
 */
static void amd_dte_build(struct amd_unit *au, u16 devid,
			  struct amd_domain *dom, u64 *e)
{
	memset(e, 0, AMD_DTE_BYTES);
	amd_dte_settings(au, devid, e);
	if (!dom) {
		e[0] = AMD_DTE_V | AMD_DTE_IR | AMD_DTE_IW;
		e[1] |= FIELD_PREP(AMD_DTE_DOMID, AMD_DID_PT);
		return;
	}
	e[0] = AMD_DTE_V | AMD_DTE_TV;
	e[1] |= FIELD_PREP(AMD_DTE_DOMID, dom->did);
	switch (dom->domain.type) {
	case IOX_DOMAIN_BLOCKED:
		break;
	case IOX_DOMAIN_IDENTITY:
		e[0] |= AMD_DTE_IR | AMD_DTE_IW;
		break;
	default:
		e[0] |= AMD_DTE_IR | AMD_DTE_IW |
			FIELD_PREP(AMD_DTE_MODE, dom->pt.cfg.levels) |
			(dom->pt.root_phys & AMD_DTE_ROOT);
	}
}

/**
 * amd_devtab_init() - allocate the device table, every entry pass-through
 * @au: the unit, with @au->last_devid set and translation off
 *
 * The base register (with the Size field) is written in one 64-bit write.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int amd_devtab_init(struct amd_unit *au)
{
	unsigned int entries = round_up(au->last_devid + 1, AMD_DTE_PER_PAGE);
	size_t bytes = (size_t)entries * AMD_DTE_BYTES;
	unsigned int devid;

	au->devtab_order = get_order(bytes);
	au->devtab = (u64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					     au->devtab_order);
	if (!au->devtab)
		return -ENOMEM;
	for (devid = 0; devid < entries; devid++)
		amd_dte_build(au, devid, NULL,
			      au->devtab + devid * AMD_DTE_QWORDS);
	writeq(virt_to_phys(au->devtab) |
	       FIELD_PREP(AMD_DEVTAB_SIZE, bytes / SZ_4K - 1),
	       au->regs + AMD_MMIO_DEVTAB);
	return 0;
}

/**
 * amd_devtab_free() - free the device table
 * @au: the unit, with translation off
 *
 * Context: Process context.
 */
void amd_devtab_free(struct amd_unit *au)
{
	free_pages((unsigned long)au->devtab, au->devtab_order);
	au->devtab = NULL;
}

/**
 * amd_dte_set() - point a DeviceID's entry at a domain
 * @au: the unit
 * @devid: the DeviceID
 * @old: the domain it pointed at, NULL for pass-through
 * @dom: the new domain, NULL for pass-through
 *
 * Writes the entry and drops the unit's copy of it (amd_dte_replace()),
 * then invalidates every translation tagged with @old's
 * domain ID: a unit may keep translations it made for the device under
 * the old tag (QEMU's model finds them by device before reading the
 * entry), and the device must not reach the old domain's pages again.
 *
 * Context: Any context; @au->lock held.
 */
void amd_dte_set(struct amd_unit *au, u16 devid, struct amd_domain *old,
		 struct amd_domain *dom)
{
	u64 e[AMD_DTE_QWORDS], *cur;

	lockdep_assert_held(&au->lock);
	if (devid > au->last_devid)
		return;
	cur = au->devtab + devid * AMD_DTE_QWORDS;
	amd_dte_build(au, devid, dom, e);
	amd_dte_replace(&au->cmdq, devid, cur, e);
	amd_inv_domain(au, old ? old->did : AMD_DID_PT);
}
