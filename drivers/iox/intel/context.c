// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: legacy-mode root and context tables (VT-d spec 9.1, 9.3).
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

/* The unit reads tables from memory without snooping when ECAP.C = 0. */
static void intel_clflush(struct intel_unit *iu, void *p, size_t n)
{
	if (!(iu->ecap & VTD_ECAP_C))
		clflush_cache_range(p, n);
}

/* The two qwords of the context entry that makes @dom's translation. */
static bool intel_ctx_entry(struct intel_unit *iu, struct intel_domain *dom,
			    u64 *lo, u64 *hi)
{
	u64 aw = FIELD_PREP(VTD_CTX_AW, iu->levels - 2);

	if (!dom || dom->domain.type == IOX_DOMAIN_IDENTITY) {
		*lo = VTD_CTX_P | FIELD_PREP(VTD_CTX_TT, VTD_CTX_TT_PT);
		*hi = aw | FIELD_PREP(VTD_CTX_DID, INTEL_DID_PT);
		return true;
	}
	if (dom->domain.type == IOX_DOMAIN_BLOCKED)
		return false;
	*lo = VTD_CTX_P | FIELD_PREP(VTD_CTX_TT, VTD_CTX_TT_XLATE) |
	      (dom->pt.root_phys & VTD_CTX_SLPTPTR);
	*hi = FIELD_PREP(VTD_CTX_AW, dom->pt.cfg.levels - 2) |
	      FIELD_PREP(VTD_CTX_DID, dom->did);
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
 * A new table starts with every entry not present; its root entry is
 * written present (VT-d spec 9.1).
 *
 * Context: Process context; takes @iu->lock.
 * Return: 0 or -ENOMEM.
 */
int intel_ctx_prepare(struct intel_unit *iu, u8 bus)
{
	u64 *table;

	if (READ_ONCE(iu->ctx[bus]))
		return 0;
	table = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	intel_clflush(iu, table, PAGE_SIZE);

	spin_lock(&iu->lock);
	if (iu->ctx[bus]) {
		spin_unlock(&iu->lock);
		free_page((unsigned long)table);
		return 0;
	}
	iu->ctx[bus] = table;
	iu->root[2 * bus + 1] = 0;
	WRITE_ONCE(iu->root[2 * bus],
		   (virt_to_phys(table) & VTD_ROOT_CTP) | VTD_ROOT_P);
	intel_clflush(iu, &iu->root[2 * bus], 16);
	spin_unlock(&iu->lock);
	/* A unit in caching mode may hold the not-present root entry. */
	if (iu->enabled && (iu->cap & VTD_CAP_CM))
		intel_inv_context(iu, VTD_INV_GLOBAL, 0, 0);
	intel_flush_write_buffer(iu);
	return 0;
}

/**
 * intel_ctx_set() - point a source-id's context entry at a domain
 * @iu: the unit
 * @sid: the source-id (bus << 8 | devfn)
 * @old: the domain the entry points at now; NULL for pass-through
 * @dom: the new domain; NULL for pass-through
 *
 * A present entry is first made not present, and the context cache and
 * the old domain's IOTLB entries invalidated, before the new entry is
 * written, high qword before the low one that holds P (VT-d spec 6.5.3.3
 * and 9.3). The new entry's context-cache entry is invalidated too, so a
 * unit that caches not-present entries, or switched the device to a
 * pass-through fast path, sees it.
 *
 * Context: @iu->lock held.
 */
void intel_ctx_set(struct intel_unit *iu, u16 sid, struct intel_domain *old,
		   struct intel_domain *dom)
{
	u64 *table = iu->ctx[sid >> 8];
	u64 *e, lo, hi;

	lockdep_assert_held(&iu->lock);
	if (WARN_ON_ONCE(!table))
		return;
	e = &table[2 * (sid & 0xff)];
	if (READ_ONCE(e[0]) & VTD_CTX_P) {
		WRITE_ONCE(e[0], 0);
		intel_clflush(iu, e, 16);
		intel_flush_write_buffer(iu);
		if (iu->enabled) {
			intel_inv_context(iu, VTD_INV_DEVICE,
					  intel_ctx_did(old), sid);
			intel_inv_iotlb(iu, VTD_INV_DOMAIN, intel_ctx_did(old),
					0, 0, false);
		}
	}
	if (!intel_ctx_entry(iu, dom, &lo, &hi))
		return;
	WRITE_ONCE(e[1], hi);
	/* The high qword is in place before P makes the entry live. */
	wmb();
	WRITE_ONCE(e[0], lo);
	intel_clflush(iu, e, 16);
	intel_flush_write_buffer(iu);
	if (iu->enabled)
		intel_inv_context(iu, VTD_INV_DEVICE, intel_ctx_did(dom), sid);
}

/**
 * intel_ctx_init() - build the root table with pass-through contexts
 * @iu: a unit whose translation is off
 *
 * Every bus holding a device of the unit, or a bridge above one (where
 * its DMA aliases are), gets a context table whose 256 entries are all
 * pass-through (TT = 2, AW the unit's table depth, DID INTEL_DID_PT),
 * covering phantom functions and aliases too.
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM (intel_ctx_free() cleans up).
 */
int intel_ctx_init(struct intel_unit *iu)
{
	DECLARE_BITMAP(buses, 256);
	struct pci_dev *pdev = NULL;
	struct pci_bus *pbus;
	unsigned int bus, i;
	u64 lo, hi;
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

	intel_ctx_entry(iu, NULL, &lo, &hi);
	for_each_set_bit(bus, buses, 256) {
		ret = intel_ctx_prepare(iu, bus);
		if (ret)
			return ret;
		for (i = 0; i < 256; i++) {
			iu->ctx[bus][2 * i + 1] = hi;
			iu->ctx[bus][2 * i] = lo;
		}
		intel_clflush(iu, iu->ctx[bus], PAGE_SIZE);
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
		free_page((unsigned long)iu->ctx[bus]);
		iu->ctx[bus] = NULL;
	}
	free_page((unsigned long)iu->root);
	iu->root = NULL;
}
