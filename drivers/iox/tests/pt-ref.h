/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference walkers: one per hardware page-table format, written from the
 * architecture specifications alone and sharing nothing with the engine in
 * drivers/iox/pt/, so that two independent readings of each specification
 * check each other. They favour plainness over speed: one descriptor read
 * per level, every field decoded by name, and every encoding the
 * specification calls reserved reported rather than guessed at.
 *
 * A walker reads table memory only as the hardware does: through
 * phys_to_virt() of the root's physical address and of the addresses it
 * finds in descriptors, in CPU byte order (both build targets are
 * little-endian, as the units read their tables). It never writes.
 */
#ifndef _IOX_PT_REF_H
#define _IOX_PT_REF_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/io.h>
#include <linux/iox-pt.h>

/**
 * enum iox_ref_mem - memory type a leaf gives its accesses
 * @IOX_REF_MEM_NORMAL_NC: normal memory that is not write-back cacheable
 *	at both the inner and the outer level (non-cacheable, write-through)
 * @IOX_REF_MEM_NORMAL_WB: normal memory, inner and outer write-back; also
 *	the answer of formats without memory types (AMD v1, VT-d SL)
 * @IOX_REF_MEM_DEVICE: device (strongly-ordered) memory
 */
enum iox_ref_mem {
	IOX_REF_MEM_NORMAL_NC,
	IOX_REF_MEM_NORMAL_WB,
	IOX_REF_MEM_DEVICE,
};

/**
 * struct iox_ref_leaf - what a walk found for one input address
 * @phys: output address of the input address (not of the page start)
 * @size: bytes the leaf covers: one entry's architectural page size, also
 *	for replicated entries (v7s large page 64K, supersection 16M, AMD
 *	next-level-7 pages the size they encode)
 * @read: a device read may use the translation
 * @write: a device write may use the translation
 * @exec: an instruction fetch may use the translation
 * @priv_only: only privileged accesses (LPAE s1 AP[1] = 0 or APTable[0],
 *	v7s AP[1] = 0, x86 U/S = 0 at any level)
 * @mem: memory type as the format encodes it
 * @snoop: VT-d second level: the leaf's SNP bit
 */
struct iox_ref_leaf {
	u64 phys;
	u64 size;
	bool read;
	bool write;
	bool exec;
	bool priv_only;
	enum iox_ref_mem mem;
	bool snoop;
};

/**
 * struct iox_ref_geometry - the shape of a table as the hardware walks it
 * @levels: levels walked, the root's included
 * @root_entries: descriptors in the root; for a concatenated LPAE stage-2
 *	root this is several tables' worth
 * @root_bytes: size of the root, which is also its required alignment
 * @entry_bytes: size of one descriptor (4 for v7s, 8 otherwise)
 *
 * ARM LPAE (VMSAv8-64): each level resolves granule_shift - 3 bits; the last
 * level is level 3 and the walk starts at level 4 - @levels. The root
 * resolves ias - (granule_shift + (@levels - 1) * (granule_shift - 3))
 * bits, so @root_entries = 2^that, which exceeds one granule for a stage-2
 * root of 2..16 concatenated tables (ARM ARM DDI 0487 D8.2 "Concatenated
 * translation tables for the initial stage 2 lookup"). A cfg with levels
 * = 0 gets the smallest number of levels for ias; for stage 2, one level
 * fewer when the top level would resolve 4 bits or fewer (the root then
 * becomes 2..16 concatenated tables). A cfg with levels set is checked:
 * stage 1 must use the smallest number; stage 2 may use any start level
 * whose root is 1..16 tables, except a 4K-granule start at level 3 and a
 * 16K-granule stage-2 start at level 0, which the ARM ARM forbids.
 *
 * ARM v7s: two levels; the first-level table has 2^(ias - 20) entries
 * (4096 for a 32-bit input, TTBCR.N = 0). AMD v1, VT-d SL and FL: one 4K
 * table per level; cfg->levels is the AMD mode (1-6), 3-5 for VT-d SL and
 * 4-5 for VT-d FL.
 */
struct iox_ref_geometry {
	unsigned int levels;
	u64 root_entries;
	u64 root_bytes;
	unsigned int entry_bytes;
};

struct kunit_suite;

/* The walkers' own KUnit suite, in pt_ref_test.c. */
extern struct kunit_suite iox_pt_ref_test_suite;

int iox_ref_walk(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		 u64 iova, struct iox_ref_leaf *leaf);
int iox_ref_geometry(const struct iox_pt_cfg *cfg,
		     struct iox_ref_geometry *geo);

/* One walker per format; iox_ref_walk() chooses. Same contract. */
int iox_ref_lpae_geometry(const struct iox_pt_cfg *cfg,
			  struct iox_ref_geometry *geo);
int iox_ref_walk_lpae(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		      u64 iova, struct iox_ref_leaf *leaf);
int iox_ref_walk_v7s(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		     u64 iova, struct iox_ref_leaf *leaf);
int iox_ref_walk_amd_v1(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
			u64 iova, struct iox_ref_leaf *leaf);
int iox_ref_walk_vtd_sl(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
			u64 iova, struct iox_ref_leaf *leaf);
int iox_ref_walk_x86(const struct iox_pt_cfg *cfg, phys_addr_t root_phys,
		     u64 iova, struct iox_ref_leaf *leaf);

/*
 * Descriptor reads, shared by the walkers. A table address of 0 is refused
 * by the callers before they get here: no allocator hands out physical
 * page 0 for tables, so such a descriptor is a bug to report, not memory to
 * read.
 */
static inline u64 iox_ref_read64(phys_addr_t table, u64 index)
{
	const u64 *t = phys_to_virt(table);

	return READ_ONCE(t[index]);
}

static inline u32 iox_ref_read32(phys_addr_t table, u64 index)
{
	const u32 *t = phys_to_virt(table);

	return READ_ONCE(t[index]);
}

/* Whether @iova has bits at or above @bits set (ias-style checks). */
static inline bool iox_ref_beyond(u64 iova, unsigned int bits)
{
	return bits < 64 && (iova >> bits);
}

#endif /* _IOX_PT_REF_H */
