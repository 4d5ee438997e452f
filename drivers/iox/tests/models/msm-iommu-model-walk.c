// SPDX-License-Identifier: GPL-2.0
/*
 * The MSM IOMMU model's table walk: the ARMv7 short-descriptor format,
 * from the ARM ARM (DDI 0406C) B3.5, read the way the unit's hardware
 * table walker reads it, and its access permissions (B3.7).
 *
 * The model has its own walker rather than tests/pt_ref_v7s.c: that one
 * answers in the page-table engine's terms (struct iox_pt_cfg, leaves)
 * and assumes SCTLR.AFE = 1, while the MSM driver of old ran with AFE = 0
 * (AP[2:0] the full permission field) and the unit must report which
 * fault a walk met, at which level.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/string.h>
#include "msm-iommu-model-priv.h"

/* B3.5.1, first-level descriptors */
#define L1_TYPE			GENMASK(1, 0)
#define L1_TYPE_TABLE		1
#define L1_TYPE_SECT		2	/* 3 is PXN's; this unit has none */
#define L1_TABLE_ADDR		GENMASK(31, 10)
#define SECT_XN			BIT(4)
#define SECT_AP10		GENMASK(11, 10)
#define SECT_AP2		BIT(15)
#define SECT_NG			BIT(17)
#define SECT_SUPER		BIT(18)
#define SECT_ADDR		GENMASK(31, 20)
#define SUPER_ADDR		GENMASK(31, 24)	/* PA[39:32] bits unused */

/* B3.5.1, second-level descriptors */
#define L2_TYPE			GENMASK(1, 0)
#define L2_TYPE_LARGE		1	/* 2 and 3: small, bit 0 its XN */
#define PG_AP10			GENMASK(5, 4)
#define PG_AP2			BIT(9)
#define PG_NG			BIT(11)
#define SMALL_XN		BIT(0)
#define SMALL_ADDR		GENMASK(31, 12)
#define LARGE_XN		BIT(15)
#define LARGE_ADDR		GENMASK(31, 16)

/* The unit reads tables in memory, as a device: they are ordinary RAM. */
static u32 msmm_desc(u32 table, unsigned int index)
{
	const u32 *t = phys_to_virt((phys_addr_t)table);

	return READ_ONCE(t[index]);
}

static u8 msmm_ap(bool ap2, u32 ap10)
{
	return (ap2 ? 4 : 0) | ap10;
}

/**
 * msmm_walk() - walk context bank @cb's tables for @va
 * @m: the model
 * @cb: the context bank
 * @va: the input address
 * @e: the leaf found, as a TLB entry (tags not set)
 * @fsr: 0, or the FSR bits of the translation fault met
 *
 * Only translation faults are found here; access flag and permission
 * faults depend on the access and are msmm_perm_fault()'s.
 *
 * Context: the model's lock held.
 */
void msmm_walk(struct msm_iommu_model *m, unsigned int cb, u32 va,
	       struct msmm_tlb_entry *e, u32 *fsr)
{
	const struct msmm_ctx *c = &m->ctx[cb];
	unsigned int n = FIELD_GET(MSMM_TTBCR_N, c->ttbcr);
	u32 ttbr, l1, l2, index;

	memset(e, 0, sizeof(*e));
	*fsr = MSMM_FSR_TF;
	m->stats.walks++;
	/* B3.5.4: with N > 0, VA[31:32-N] non-zero selects TTBR1. */
	if (n && va >> (32 - n)) {
		if (c->ttbcr & MSMM_TTBCR_PD1)
			return;
		ttbr = c->ttbr1;
		index = va >> 20;
	} else {
		if (c->ttbcr & MSMM_TTBCR_PD0)
			return;
		ttbr = c->ttbr0;
		index = (u32)(va << n) >> (20 + n);
	}
	/*
	 * The header has TTBRn.PA at [31:14] whatever N: a TTBR0 table of
	 * 16K >> N must still be 16K-aligned here.
	 */
	l1 = msmm_desc(ttbr & MSMM_TTBR_PA, index);
	switch (FIELD_GET(L1_TYPE, l1)) {
	case L1_TYPE_SECT:
		e->ap = msmm_ap(l1 & SECT_AP2, FIELD_GET(SECT_AP10, l1));
		e->xn = l1 & SECT_XN;
		e->global = !(l1 & SECT_NG);
		if (l1 & SECT_SUPER) {
			e->shift = 24;
			e->pa = l1 & SUPER_ADDR;
		} else {
			e->shift = 20;
			e->pa = l1 & SECT_ADDR;
		}
		break;
	case L1_TYPE_TABLE:
		l2 = msmm_desc(l1 & L1_TABLE_ADDR, (va >> 12) & 0xff);
		if (!FIELD_GET(L2_TYPE, l2)) {
			*fsr |= MSMM_FSR_SL;
			return;
		}
		e->second_level = true;
		e->ap = msmm_ap(l2 & PG_AP2, FIELD_GET(PG_AP10, l2));
		e->global = !(l2 & PG_NG);
		if (FIELD_GET(L2_TYPE, l2) == L2_TYPE_LARGE) {
			e->shift = 16;
			e->pa = l2 & LARGE_ADDR;
			e->xn = l2 & LARGE_XN;
		} else {
			e->shift = 12;
			e->pa = l2 & SMALL_ADDR;
			e->xn = l2 & SMALL_XN;
		}
		break;
	default:
		return;
	}
	e->va = va & ~(u32)((1ULL << e->shift) - 1);
	*fsr = 0;
}

/**
 * msmm_perm_fault() - the fault an access to a leaf meets, if any
 * @c: the context bank's registers
 * @ap: the leaf's AP[2:0]
 * @xn: the leaf's XN
 * @attrs: MSM_IOMMU_MODEL_* attributes of the access
 *
 * B3.7.1 Table B3-8 with SCTLR.AFE = 0; with AFE = 1, AP[0] is the access
 * flag (B3.7.3, a fault when clear unless the hardware manages the flag,
 * SCTLR.HAF, whose update of the descriptor the model does not make) and
 * AP[2:1] the permissions (Table B3-9). The access flag fault is found
 * before the permission fault, as B3.12.3's priorities say.
 *
 * Context: any.
 * Return: 0, MSMM_FSR_AFF or MSMM_FSR_APF.
 */
u32 msmm_perm_fault(const struct msmm_ctx *c, u8 ap, bool xn,
		    unsigned int attrs)
{
	bool priv = attrs & MSM_IOMMU_MODEL_PRIV;
	bool rd, wr;

	if (c->sctlr & MSMM_SCTLR_AFE) {
		if (!(ap & 1) && !(c->sctlr & MSMM_SCTLR_HAF))
			return MSMM_FSR_AFF;
		switch (ap >> 1) {
		case 0:			/* privileged read/write only */
			rd = priv;
			wr = priv;
			break;
		case 1:			/* read/write */
			rd = true;
			wr = true;
			break;
		case 2:			/* privileged read-only */
			rd = priv;
			wr = false;
			break;
		default:		/* read-only */
			rd = true;
			wr = false;
			break;
		}
	} else {
		switch (ap) {
		case 1:			/* privileged read/write only */
			rd = priv;
			wr = priv;
			break;
		case 2:			/* unprivileged read-only */
			rd = true;
			wr = priv;
			break;
		case 3:			/* full access */
			rd = true;
			wr = true;
			break;
		case 5:			/* privileged read-only */
			rd = priv;
			wr = false;
			break;
		case 6:
		case 7:			/* read-only */
			rd = true;
			wr = false;
			break;
		default:		/* 0: no access; 4: reserved */
			rd = false;
			wr = false;
			break;
		}
	}
	if ((attrs & MSM_IOMMU_MODEL_INST) && xn)
		return MSMM_FSR_APF;
	if (attrs & MSM_IOMMU_MODEL_WRITE ? !wr : !rd)
		return MSMM_FSR_APF;
	return 0;
}
