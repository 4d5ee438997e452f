// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: root and context tables, legacy mode (VT-d spec 9.1, 9.3) or
 * scalable mode (9.2, 9.4; the PASID tables they point at are pasid.c's).
 *
 * Every bus a device of the unit sits on (or is aliased to) gets a context
 * table when translation is turned on, with every entry pass-through, so
 * devices iox does not manage keep reaching memory as before. A device
 * probed into iox moves to its domains' entries and back to pass-through
 * when released.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/pci.h>
#include <asm/cacheflush.h>
#include "intel-priv.h"

/* A context entry: 2 qwords in legacy mode, 4 in scalable mode. */
#define INTEL_CTX_MAX_QWORDS	4

/**
 * intel_clflush() - write table entries back for a unit that does not snoop
 * @iu: the unit
 * @p: first byte written
 * @n: bytes
 *
 * The unit reads tables from memory without snooping when ECAP.C = 0.
 *
 * Context: Any context.
 */
void intel_clflush(struct intel_unit *iu, void *p, size_t n)
{
	if (!(iu->ecap & VTD_ECAP_C))
		clflush_cache_range(p, n);
}

static unsigned int intel_ctx_qwords(struct intel_unit *iu)
{
	return iu->sm ? 4 : 2;
}

/* Scalable mode: a bus's lower and upper context tables, side by side. */
static unsigned int intel_ctx_order(struct intel_unit *iu)
{
	return iu->sm ? 1 : 0;
}

/* A legacy entry that translates through @pt (VT-d spec 9.3). */
static void intel_ctx_legacy(struct iox_pt *pt, u16 did, u64 *e)
{
	e[0] = VTD_CTX_P | FIELD_PREP(VTD_CTX_TT, VTD_CTX_TT_XLATE) |
	       (pt->root_phys & VTD_CTX_SLPTPTR);
	e[1] = FIELD_PREP(VTD_CTX_AW, pt->cfg.levels - 2) |
	       FIELD_PREP(VTD_CTX_DID, did);
}

/* A scalable-mode entry whose requests use @pasid's RID_PASID entry. */
static void intel_ctx_scalable(struct intel_pasid *pasid, u64 *e)
{
	/* PDTS = 0: a 128-entry directory (9.4). */
	e[0] = VTD_CTX_P | (virt_to_phys(pasid->dir) & VTD_SM_CTX_DIRPTR);
	e[1] = FIELD_PREP(VTD_SM_CTX_RID_PASID, INTEL_RID_PASID);
	e[2] = 0;
	e[3] = 0;
}

/*
 * The context entry that makes @dom's translation; NULL or an identity
 * domain: pass-through, or the identity table on a unit without
 * pass-through contexts. False for the blocked domain (not present).
 */
static bool intel_ctx_entry(struct intel_unit *iu, struct intel_domain *dom,
			    u64 *e)
{
	if (dom && dom->domain.type == IOX_DOMAIN_BLOCKED)
		return false;
	if (iu->sm) {
		if (!dom || dom->domain.type == IOX_DOMAIN_IDENTITY)
			intel_ctx_scalable(&iu->pt_pasid, e);
		else
			intel_ctx_scalable(&dom->pasid, e);
		return true;
	}
	if (dom && dom->domain.type != IOX_DOMAIN_IDENTITY) {
		intel_ctx_legacy(&dom->pt, dom->did, e);
		return true;
	}
	if (!iu->pt_ctx) {
		intel_ctx_legacy(&iu->ident, INTEL_DID_PT, e);
		return true;
	}
	e[0] = VTD_CTX_P | FIELD_PREP(VTD_CTX_TT, VTD_CTX_TT_PT);
	e[1] = FIELD_PREP(VTD_CTX_AW, iu->levels - 2) |
	       FIELD_PREP(VTD_CTX_DID, INTEL_DID_PT);
	return true;
}

static u16 intel_ctx_did(struct intel_domain *dom)
{
	return dom ? dom->did : INTEL_DID_PT;
}

/**
 * intel_ctx_prepare() - make sure a bus has a context table
 * @iu: the unit
 * @bus: bus number
 *
 * A new table starts with every entry pass-through, as the tables built at
 * load do, so devices on the bus that iox does not manage keep their DMA;
 * then its root entry is written present (VT-d spec 9.1, 9.2).
 *
 * Context: Process context; takes @iu->lock.
 * Return: 0 or -ENOMEM.
 */
int intel_ctx_prepare(struct intel_unit *iu, u8 bus)
{
	unsigned int i, j, n = intel_ctx_qwords(iu), order = intel_ctx_order(iu);
	u64 e[INTEL_CTX_MAX_QWORDS];
	phys_addr_t phys;
	u64 *table;

	if (READ_ONCE(iu->ctx[bus]))
		return 0;
	table = (u64 *)__get_free_pages(GFP_KERNEL, order);
	if (!table)
		return -ENOMEM;
	intel_ctx_entry(iu, NULL, e);
	for (i = 0; i < 256; i++)
		for (j = 0; j < n; j++)
			table[n * i + j] = e[j];
	intel_clflush(iu, table, PAGE_SIZE << order);
	phys = virt_to_phys(table);

	spin_lock(&iu->lock);
	if (iu->ctx[bus]) {
		spin_unlock(&iu->lock);
		free_pages((unsigned long)table, order);
		return 0;
	}
	iu->ctx[bus] = table;
	/* Scalable mode (9.2): the upper table, devfn 128-255, | UP. */
	iu->root[2 * bus + 1] = iu->sm ? ((phys + PAGE_SIZE) & VTD_ROOT_CTP) |
					 VTD_ROOT_P : 0;
	WRITE_ONCE(iu->root[2 * bus], (phys & VTD_ROOT_CTP) | VTD_ROOT_P);
	intel_clflush(iu, &iu->root[2 * bus], 16);
	spin_unlock(&iu->lock);
	/* A unit in caching mode may hold the not-present root entry. */
	if (iu->enabled && (iu->cap & VTD_CAP_CM))
		intel_inv_context(iu, VTD_INV_GLOBAL, 0, 0);
	intel_flush_write_buffer(iu);
	return 0;
}

/**
 * intel_ctx_add_dev() - context tables for a device that appeared late
 * @iu: the unit translating @pdev
 * @pdev: a device added after the unit was taken (hotplug, a rescan)
 *
 * Its bus and every bus above it get a table of pass-through entries if
 * they have none, as intel_ctx_init() gives the devices present at load.
 *
 * Context: Process context; takes @iu->lock.
 * Return: 0 or -ENOMEM.
 */
int intel_ctx_add_dev(struct intel_unit *iu, struct pci_dev *pdev)
{
	struct pci_bus *pbus;
	int ret;

	for (pbus = pdev->bus; pbus; pbus = pbus->parent) {
		ret = intel_ctx_prepare(iu, pbus->number);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * intel_ctx_set() - point a source-id's context entry at a domain
 * @iu: the unit
 * @sid: the source-id (bus << 8 | devfn)
 * @old: the domain the entry points at now; NULL for pass-through
 * @dom: the new domain; NULL for pass-through
 *
 * A present entry is first made not present, and the context cache, in
 * scalable mode the old domain's PASID-cache entries, and the old
 * domain's IOTLB entries (first-level ones with the PASID-based
 * descriptor) invalidated, in that order, before the new entry
 * is written, the upper qwords before the low one that holds P (VT-d spec
 * 6.5.3.3, 9.3, 9.4). The new entry's context-cache entry is invalidated
 * too, so a unit that caches not-present entries, or switched the device
 * to a pass-through fast path, sees it.
 *
 * Context: @iu->lock held.
 */
void intel_ctx_set(struct intel_unit *iu, u16 sid, struct intel_domain *old,
		   struct intel_domain *dom)
{
	unsigned int i, n = intel_ctx_qwords(iu);
	u64 *table = iu->ctx[sid >> 8];
	u64 new[INTEL_CTX_MAX_QWORDS], *e;

	lockdep_assert_held(&iu->lock);
	if (WARN_ON_ONCE(!table))
		return;
	e = &table[n * (sid & 0xff)];
	if (READ_ONCE(e[0]) & VTD_CTX_P) {
		WRITE_ONCE(e[0], 0);
		intel_clflush(iu, e, n * 8);
		intel_flush_write_buffer(iu);
		if (iu->enabled) {
			intel_inv_context(iu, VTD_INV_DEVICE,
					  intel_ctx_did(old), sid);
			if (iu->sm)
				intel_inv_pasid_cache(iu, VTD_PASIDC_DOMAIN,
						      intel_ctx_did(old), 0);
			intel_inv_dom_all(iu, intel_ctx_did(old),
					  old && old->fl);
		}
	}
	if (!intel_ctx_entry(iu, dom, new))
		return;
	for (i = n - 1; i > 0; i--)
		WRITE_ONCE(e[i], new[i]);
	/* The upper qwords are in place before P makes the entry live. */
	wmb();
	WRITE_ONCE(e[0], new[0]);
	intel_clflush(iu, e, n * 8);
	intel_flush_write_buffer(iu);
	if (iu->enabled)
		intel_inv_context(iu, VTD_INV_DEVICE, intel_ctx_did(dom), sid);
}

/**
 * intel_ctx_init() - build the root table with pass-through contexts
 * @iu: a unit whose translation is off, its pass-through PASID tables
 *	(scalable mode) or identity table (no ECAP.PT) ready
 *
 * Every bus holding a device of the unit, or a bridge above one (where
 * its DMA aliases are), gets a context table whose 256 entries are all
 * pass-through, covering phantom functions and aliases too: legacy TT =
 * 2 (AW the unit's table depth, DID INTEL_DID_PT), a translation through
 * the identity table without ECAP.PT, or in scalable mode the unit's
 * pass-through PASID tables.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM (intel_ctx_free() cleans up).
 */
int intel_ctx_init(struct intel_unit *iu)
{
	DECLARE_BITMAP(buses, 256);
	struct pci_dev *pdev = NULL;
	struct pci_bus *pbus;
	unsigned int bus;
	int ret;

	iu->root = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!iu->root)
		return -ENOMEM;
	intel_clflush(iu, iu->root, PAGE_SIZE);

	bitmap_zero(buses, 256);
	for_each_pci_dev(pdev) {
		if (!intel_unit_owns(iu, pdev))
			continue;
		for (pbus = pdev->bus; pbus; pbus = pbus->parent)
			__set_bit(pbus->number, buses);
	}

	for_each_set_bit(bus, buses, 256) {
		ret = intel_ctx_prepare(iu, bus);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * intel_ctx_free() - free the root and context tables
 * @iu: a unit whose translation is off
 *
 * Context: Process context.
 */
void intel_ctx_free(struct intel_unit *iu)
{
	unsigned int bus;

	for (bus = 0; bus < 256; bus++) {
		free_pages((unsigned long)iu->ctx[bus], intel_ctx_order(iu));
		iu->ctx[bus] = NULL;
	}
	free_page((unsigned long)iu->root);
	iu->root = NULL;
}
