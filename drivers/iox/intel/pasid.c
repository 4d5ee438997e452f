// SPDX-License-Identifier: GPL-2.0
/*
 * iox-intel: scalable-mode PASID tables (VT-d spec 9.5, 9.6).
 *
 * A scalable-mode context entry points at a PASID directory, whose
 * entries point at PASID tables, whose 512-bit entries say how requests
 * with that PASID translate (PGTT: first level, second level, nested or
 * pass-through) and with which domain ID: iox uses second level, first
 * level (on units whose scalable mode translates through first-level
 * tables) and pass-through. iox attaches devices without
 * PASIDs, so only the RID_PASID entry (PASID 0) is used; see struct
 * intel_pasid.
 */
#define pr_fmt(fmt) "iox-intel: " fmt

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/gfp.h>
#include "intel-priv.h"

/**
 * intel_pasid_alloc() - allocate a PASID directory and its first table
 * @iu: a unit in scalable mode
 * @pasid: filled in; both tables empty (every entry not present)
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int intel_pasid_alloc(struct intel_unit *iu, struct intel_pasid *pasid)
{
	pasid->dir = (u64 *)get_zeroed_page(GFP_KERNEL);
	pasid->table = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!pasid->dir || !pasid->table) {
		free_page((unsigned long)pasid->dir);
		free_page((unsigned long)pasid->table);
		pasid->dir = NULL;
		pasid->table = NULL;
		return -ENOMEM;
	}
	intel_clflush(iu, pasid->dir, PAGE_SIZE);
	intel_clflush(iu, pasid->table, PAGE_SIZE);
	return 0;
}

/**
 * intel_pasid_set() - make the RID_PASID entry present
 * @iu: the unit
 * @pasid: tables from intel_pasid_alloc(), not yet referenced by a
 *	context entry
 * @pgtt: VTD_PGTT_SL, VTD_PGTT_FL or VTD_PGTT_PT
 * @did: the domain ID tagging the entry's translations
 * @table: the table's root, for VTD_PGTT_SL and VTD_PGTT_FL
 * @levels: its levels: 2-5 for VTD_PGTT_SL, 4 or 5 for VTD_PGTT_FL; for
 *	VTD_PGTT_PT the unit's deepest second-level table
 *
 * VT-d spec 9.6: a second-level entry has its table in qword 0 (SLPTPTR,
 * AW = levels - 2); a first-level one in qword 2 (FLPTPTR, FLPM: 0
 * 4-level, 1 5-level). AW is written for every type, as levels - 2: the
 * spec has it size second-level walks only, but implementations read it
 * for first-level requests too - QEMU 10 takes the canonical limit of a
 * first-level IOVA from it (30 + 9 * AW bits), so with AW = 0 every IOVA
 * at or above 2^29 faults - and Linux programs it the same way for
 * first-level and pass-through entries. SRE stays clear:
 * iox sends no supervisor requests, and requests without PASID are user
 * requests, so WPE (supervisor write protection) has nothing to act on.
 *
 * The order the spec wants for a not-present to present change (6.5.3.3):
 * the PASID table entry's upper qwords, then its qword 0 with P, then the
 * directory entry that points at the table, each written back for a unit
 * that does not snoop. The caller writes the context entry that points at
 * the directory last. Nothing cached a not-present entry (CAP.CM = 0), so
 * no invalidation is needed; in caching mode the context-cache
 * invalidation after the context entry is written covers it.
 *
 * Context: Any context.
 */
void intel_pasid_set(struct intel_unit *iu, struct intel_pasid *pasid,
		     unsigned int pgtt, u16 did, phys_addr_t table,
		     unsigned int levels)
{
	u64 *pe = &pasid->table[INTEL_RID_PASID % VTD_PASID_TABLE_ENTRIES *
				VTD_PE_QWORDS];
	u64 q0 = VTD_PE_P | FIELD_PREP(VTD_PE_PGTT, pgtt);
	unsigned int i;

	for (i = 3; i < VTD_PE_QWORDS; i++)
		WRITE_ONCE(pe[i], 0);
	if (pgtt == VTD_PGTT_FL)
		WRITE_ONCE(pe[2], (table & VTD_PE_FLPTPTR) |
			   FIELD_PREP(VTD_PE_FLPM, levels - 4));
	else
		WRITE_ONCE(pe[2], 0);
	WRITE_ONCE(pe[1], FIELD_PREP(VTD_PE_DID, did));
	q0 |= FIELD_PREP(VTD_PE_AW, levels - 2);
	if (pgtt == VTD_PGTT_SL)
		q0 |= table & VTD_PE_SLPTPTR;
	/* The upper qwords are in place before P makes the entry live. */
	wmb();
	WRITE_ONCE(pe[0], q0);
	intel_clflush(iu, pe, VTD_PE_QWORDS * 8);
	/* The entry is in memory before the directory points at its table. */
	wmb();
	WRITE_ONCE(pasid->dir[INTEL_RID_PASID / VTD_PASID_TABLE_ENTRIES],
		   (virt_to_phys(pasid->table) & VTD_PASID_DIR_TABLE) |
		   VTD_PASID_DIR_P);
	intel_clflush(iu, pasid->dir, 8);
	intel_flush_write_buffer(iu);
}

/**
 * intel_pasid_free() - tear the RID_PASID entry down and free the tables
 * @iu: the unit
 * @pasid: tables no context entry points at any more
 * @did: the entry's domain ID
 *
 * The entry is made not present and the unit's PASID-cache entry for it
 * invalidated (6.5.2.2, PASID-selective) before the memory goes back.
 *
 * Context: Process context.
 */
void intel_pasid_free(struct intel_unit *iu, struct intel_pasid *pasid,
		      u16 did)
{
	if (!pasid->dir)
		return;
	WRITE_ONCE(pasid->table[0], 0);
	intel_clflush(iu, pasid->table, 8);
	if (iu->enabled)
		intel_inv_pasid_cache(iu, VTD_PASIDC_PASID, did,
				      INTEL_RID_PASID);
	free_page((unsigned long)pasid->dir);
	free_page((unsigned long)pasid->table);
	pasid->dir = NULL;
	pasid->table = NULL;
}
