// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: the identity table of a unit without pass-through contexts.
 *
 * Without ECAP.PT a context cannot let a device's requests through
 * untranslated, so devices that are not attached to an iox domain (and
 * identity domains) translate through one second-level table that maps
 * every System RAM range, and every RMRR, to itself, read/write, with the
 * largest pages that fit. It is built once when the unit is taken and
 * tagged with INTEL_DID_PT; memory added later is not in it.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/ioport.h>
#include <linux/sizes.h>
#include "intel-priv.h"

/* The largest page of @pgsizes that @addr is aligned to and @len holds. */
static size_t intel_ident_pgsize(unsigned long pgsizes, u64 addr, u64 len)
{
	unsigned long sizes = pgsizes;
	size_t size;

	while (sizes) {
		size = BIT(__fls(sizes));
		if (!(addr & (size - 1)) && len >= size)
			return size;
		sizes &= ~size;
	}
	return 0;
}

/* Map [@start, @end] 1:1, skipping pages that are mapped already. */
static int intel_ident_map(struct intel_unit *iu, u64 start, u64 end)
{
	struct iox_pt *pt = &iu->ident;
	u64 addr = ALIGN(start, SZ_4K), last = ALIGN_DOWN(end + 1, SZ_4K);
	unsigned int bits = min(pt->cfg.ias, iu->mgaw);
	size_t size, mapped;
	int ret;

	if (last > BIT_ULL(bits))
		return -ERANGE;
	while (addr < last) {
		if (pt->ops->translate(pt, addr) != IOX_PT_NOT_MAPPED) {
			addr += SZ_4K;
			continue;
		}
		size = intel_ident_pgsize(pt->cfg.pgsize_bitmap, addr,
					  last - addr);
		mapped = 0;
		ret = pt->ops->map(pt, addr, addr, size, 1,
				   IOX_READ | IOX_WRITE, GFP_KERNEL, &mapped);
		if (ret == -EEXIST && size > SZ_4K) {
			/* Part of the block is mapped: go page by page. */
			size = SZ_4K;
			ret = pt->ops->map(pt, addr, addr, size, 1,
					   IOX_READ | IOX_WRITE, GFP_KERNEL,
					   &mapped);
		}
		if (ret)
			return ret;
		iu->ident_bytes += size;
		addr += size;
	}
	return 0;
}

static int intel_ident_ram(struct resource *res, void *arg)
{
	return intel_ident_map(arg, res->start, res->end);
}

/**
 * intel_ident_init() - build the identity table of a unit
 * @iu: a unit without pass-through contexts, translation off
 * @rmrrs: the DMAR table's RMRRs
 *
 * Context: Process context.
 * Return: 0; -ERANGE if RAM lies beyond the table's IOVA space; -ENOMEM;
 * the table is freed on failure.
 */
int intel_ident_init(struct intel_unit *iu, struct list_head *rmrrs)
{
	struct iox_pt_cfg cfg = {
		.format = IOX_PT_VTD_SL,
		.levels = iu->levels,
		.oas = iu->haw,
		.quirks = iu->ecap & VTD_ECAP_C ? 0 : IOX_PT_NONCOHERENT,
		.pgsize_bitmap = iu->pgsizes,
	};
	struct intel_rmrr *rmrr;
	int ret;

	ret = iox_pt_init(&iu->ident, &cfg, GFP_KERNEL);
	if (ret) {
		memset(&iu->ident, 0, sizeof(iu->ident));
		return ret;
	}
	ret = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
				  U64_MAX, iu, intel_ident_ram);
	list_for_each_entry(rmrr, rmrrs, node) {
		if (ret)
			break;
		ret = intel_ident_map(iu, rmrr->base, rmrr->end);
	}
	if (ret) {
		pr_err("%s: no identity table (%d)\n", iu->name, ret);
		intel_ident_free(iu);
	}
	return ret;
}

/**
 * intel_ident_free() - free the identity table, if there is one
 * @iu: the unit, translation off
 *
 * Context: Process context.
 */
void intel_ident_free(struct intel_unit *iu)
{
	if (!iu->ident.ops)
		return;
	iox_pt_destroy(&iu->ident);
	iu->ident.ops = NULL;
	iu->ident_bytes = 0;
}
