/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two Intel VT-d formats share: 4 KiB tables of 512 eight-byte
 * entries, 9 bits a level, addresses in bits 51:12, large pages (PS, bit
 * 7) of 2M and 1G. Intel VT-d spec rev 4.1, 9.7 (first-stage = x86-64
 * paging, Intel SDM Vol. 3A 4.5) and 9.8 (second-stage entries).
 */
#ifndef _IOX_PT_FMT_VTD_H
#define _IOX_PT_FMT_VTD_H

#define VTD_PS			BIT_ULL(7)	/* large page (2M, 1G) */
#define VTD_ADDR		GENMASK_ULL(51, 12)
#define VTD_SIZES		(BIT_ULL(12) | BIT_ULL(21) | BIT_ULL(30))

#define pt_entry_t		u64
#define PT_REPEATS		0
/* 4K pages, 9 bits a level: the constant-shape fast paths. */
#define PT_FIXED_4K

static inline unsigned int fmt_shift(const struct iox_pt *pt, unsigned int lvl)
{
	return 12 + 9 * (pt->cfg.levels - 1 - lvl);
}

static inline unsigned int fmt_bits(const struct iox_pt *pt, unsigned int lvl)
{
	return 9;
}

static inline unsigned int fmt_table_order(const struct iox_pt *pt,
					   unsigned int lvl)
{
	return 0;
}

static inline bool fmt_entry_is_table(const struct iox_pt *pt, u64 e)
{
	return !(e & VTD_PS);
}

static inline phys_addr_t fmt_table_addr(const struct iox_pt *pt,
					 unsigned int lvl, u64 e)
{
	return e & VTD_ADDR;
}

static inline size_t fmt_leaf_size(const struct iox_pt *pt, unsigned int lvl,
				   u64 e)
{
	return BIT_ULL(pt->shift[lvl]);
}

static inline phys_addr_t fmt_leaf_addr(const struct iox_pt *pt,
					unsigned int lvl, u64 e, size_t size)
{
	return e & VTD_ADDR & ~(u64)(size - 1);
}

/* Entries carry PS only above the last level. */
static inline u64 vtd_size_bits(const struct iox_pt *pt, unsigned int lvl)
{
	return lvl + 1 < pt->cfg.levels ? VTD_PS : 0;
}

#endif /* _IOX_PT_FMT_VTD_H */
