// SPDX-License-Identifier: GPL-2.0
/*
 * iox-arm-smmu: translation context banks and TLB maintenance.
 *
 * A paging domain takes one context bank while a device is attached. The
 * bank is programmed whole with translation off (CBAR, CBA2R, TCR, TTBR,
 * MAIR, then SCTLR.M last), and only then do streams route to it; it is
 * torn down in the reverse order, so no stream ever translates through a
 * half-written bank (11.4: a live bank's registers must not change).
 */
#define pr_fmt(fmt) "iox-arm-smmu: " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/sizes.h>
#include "smmu2-priv.h"

#define SMMU2_SYNC_POLLS	100000

/* Poll a TLB status register until the sync completed (2.7.4, 10.6.1). */
static void smmu2_sync(struct smmu2_unit *su, unsigned int sync,
		       unsigned int status, u32 active)
{
	unsigned int i;

	iox_writel(&su->regs, sync, 0);
	for (i = 0; i < SMMU2_SYNC_POLLS; i++) {
		if (!(iox_readl(&su->regs, status) & active))
			return;
		cpu_relax();
	}
	dev_err_ratelimited(su->iox.hwdev, "TLB sync timed out\n");
}

/**
 * smmu2_tlb_sync_cb() - wait until a context bank's TLB operations completed
 * @su: the unit
 * @cb: the context bank
 *
 * Context: Any context.
 */
void smmu2_tlb_sync_cb(struct smmu2_unit *su, int cb)
{
	smmu2_sync(su, smmu2_cb(su, cb, CB_TLBSYNC),
		   smmu2_cb(su, cb, CB_TLBSTATUS), TLBSTATUS_SACTIVE);
}

/**
 * smmu2_tlb_sync_global() - wait until the global TLB operations completed
 * @su: the unit
 *
 * Context: Any context.
 */
void smmu2_tlb_sync_global(struct smmu2_unit *su)
{
	smmu2_sync(su, SMMU_STLBGSYNC, SMMU_STLBGSTATUS, STLBGSTATUS_GSACTIVE);
}

/**
 * smmu2_tlbi_domain() - drop every TLB entry of a domain
 * @dom: the domain
 *
 * Stage 1 with TLBIALL of its bank: the domain owns the bank, and unlike
 * TLBIASID it drops global (non-nG) entries too, which a table may
 * hold; stage 2 by VMID (a global operation).
 *
 * Context: Any context.
 */
void smmu2_tlbi_domain(struct smmu2_domain *dom)
{
	struct smmu2_unit *su = dom->su;

	if (dom->cb < 0)
		return;
	if (su->stage == 1) {
		iox_writel(&su->regs, smmu2_cb(su, dom->cb, CB_TLBIALL), 0);
		smmu2_tlb_sync_cb(su, dom->cb);
	} else {
		iox_writel(&su->regs, SMMU_TLBIVMID, dom->vmid);
		smmu2_tlb_sync_global(su);
	}
}

/* Past this many pages one TLBIASID/TLBIVMID is cheaper than TLBIs by VA. */
#define SMMU2_TLBI_MAX_PAGES	64

/**
 * smmu2_tlbi_range() - drop a domain's TLB entries of [@start, @last]
 * @dom: the domain
 * @start: first IOVA
 * @last: last IOVA
 *
 * By VA (stage 1: TLBIVA with the ASID, 11.4.46) or IPA (stage 2:
 * TLBIIPAS2), one per granule page; a large range drops the whole
 * domain. Returns once the bank's TLBSYNC completed.
 *
 * Context: Any context.
 */
void smmu2_tlbi_range(struct smmu2_domain *dom, u64 start, u64 last)
{
	struct smmu2_unit *su = dom->su;
	u64 iova;

	if (dom->cb < 0)
		return;
	if (((last - start) >> PAGE_SHIFT) >= SMMU2_TLBI_MAX_PAGES) {
		smmu2_tlbi_domain(dom);
		return;
	}
	for (iova = start & ~(u64)(SZ_4K - 1); iova <= last; iova += SZ_4K) {
		if (su->stage == 2)
			iox_writeq(&su->regs,
				   smmu2_cb(su, dom->cb, CB_TLBIIPAS2),
				   iova >> 12);
		else if (su->v7s)
			/* AArch32 format: VA[31:12] with the ASID below. */
			iox_writel(&su->regs, smmu2_cb(su, dom->cb, CB_TLBIVA),
				   (iova & ~(u64)(SZ_4K - 1)) | dom->asid);
		else
			iox_writeq(&su->regs, smmu2_cb(su, dom->cb, CB_TLBIVA),
				   iova >> 12 |
				   FIELD_PREP(TTBR_ASID, (u64)dom->asid));
	}
	smmu2_tlb_sync_cb(su, dom->cb);
}

/* TCR2.PASIZE and TCR.PS encodings: 32, 36, 40, 42, 44, 48 bits. */
static u32 smmu2_pa_encode(unsigned int bits)
{
	return bits >= 48 ? 5 : bits >= 44 ? 4 : bits >= 42 ? 3 :
	       bits >= 40 ? 2 : bits >= 36 ? 1 : 0;
}

/* Program bank @cb for @dom, translation still off. */
static void smmu2_cb_write(struct smmu2_domain *dom, int cb)
{
	struct smmu2_unit *su = dom->su;
	struct iox_pt *pt = &dom->pt;
	u32 tcr, cbar;

	if (su->stage == 2) {
		/* VTCR (11.4.25): SL0 from the first level the table has. */
		cbar = FIELD_PREP(CBAR_TYPE, CBAR_TYPE_S2) |
		       FIELD_PREP(CBAR_VMID, dom->vmid);
		tcr = FIELD_PREP(SMMU_TCR_T0SZ, 64 - pt->cfg.ias) |
		      FIELD_PREP(SMMU_TCR_SL0, pt->cfg.levels - 2) |
		      FIELD_PREP(SMMU_TCR_IRGN0, SMMU_TCR_WBWA) |
		      FIELD_PREP(SMMU_TCR_ORGN0, SMMU_TCR_WBWA) |
		      FIELD_PREP(SMMU_TCR_SH0, SMMU_TCR_SH_IS) |
		      FIELD_PREP(SMMU_TCR_PS, smmu2_pa_encode(pt->cfg.oas));
	} else {
		cbar = FIELD_PREP(CBAR_TYPE, CBAR_TYPE_S1_S2BYPASS) |
		       FIELD_PREP(CBAR_VMID, dom->vmid);
		tcr = su->v7s ? 0 :
		      FIELD_PREP(SMMU_TCR_T0SZ, 64 - pt->cfg.ias) |
		      FIELD_PREP(SMMU_TCR_IRGN0, SMMU_TCR_WBWA) |
		      FIELD_PREP(SMMU_TCR_ORGN0, SMMU_TCR_WBWA) |
		      FIELD_PREP(SMMU_TCR_SH0, SMMU_TCR_SH_IS) | SMMU_TCR_EPD1;
	}
	cbar |= FIELD_PREP(CBAR_IRPTNDX, 0);
	iox_writel(&su->regs, smmu2_gr1(su, SMMU_CBA2R(cb)),
		   su->v7s ? 0 : CBA2R_VA64);
	iox_writel(&su->regs, smmu2_gr1(su, SMMU_CBAR(cb)), cbar);
	if (su->stage == 1 && !su->v7s)
		iox_writel(&su->regs, smmu2_cb(su, cb, CB_TCR2),
			   FIELD_PREP(TCR2_PASIZE,
				      smmu2_pa_encode(pt->cfg.oas)) | TCR2_AS);
	iox_writel(&su->regs, smmu2_cb(su, cb, CB_TCR), tcr);
	if (su->v7s) {
		iox_writel(&su->regs, smmu2_cb(su, cb, CB_TTBR0),
			   pt->root_phys | TTBR_V7S_IRGN_WBWA |
			   TTBR_V7S_RGN_WBWA | TTBR_V7S_S);
		iox_writel(&su->regs, smmu2_cb(su, cb, CB_CONTEXTIDR),
			   dom->asid);
	} else {
		iox_writeq(&su->regs, smmu2_cb(su, cb, CB_TTBR0),
			   pt->root_phys |
			   (su->stage == 1 ?
			    FIELD_PREP(TTBR_ASID, (u64)dom->asid) : 0));
	}
	if (su->stage == 1 && !su->v7s) {
		iox_writel(&su->regs, smmu2_cb(su, cb, CB_MAIR0),
			   lower_32_bits(pt->cfg.mair));
		iox_writel(&su->regs, smmu2_cb(su, cb, CB_MAIR1),
			   upper_32_bits(pt->cfg.mair));
	}
	iox_writel(&su->regs, smmu2_cb(su, cb, CB_FSR), FSR_FAULT);
	/* Last: translation on, faults reported and interrupting. */
	iox_writel(&su->regs, smmu2_cb(su, cb, CB_SCTLR),
		   SCTLR_M | SCTLR_AFE | SCTLR_CFRE | SCTLR_CFIE |
		   (su->v7s ? 0 : SCTLR_TRE));
}

/**
 * smmu2_cb_install() - give a paging domain a context bank
 * @dom: the domain, without one
 *
 * Stage 1 takes a bank past the stage-2-only ones (IDR1.NUMS2CB). The
 * bank's ASID and VMID are its index + 1, so the TLB holds nothing of a
 * previous user of these tags once the bank's TLB is dropped, which is
 * done here before it translates.
 *
 * Context: Process context.
 * Return: 0, or -ENOSPC when every bank is in use.
 */
int smmu2_cb_install(struct smmu2_domain *dom)
{
	struct smmu2_unit *su = dom->su;
	int cb;

	cb = iox_ctx_alloc(&su->cbs, su->stage == 1 ? su->nr_s2_cb : 0,
			   &dom->domain);
	if (cb < 0)
		return cb;
	dom->asid = cb + 1;
	dom->vmid = cb + 1;
	smmu2_cb_write(dom, cb);
	dom->cb = cb;
	smmu2_tlbi_domain(dom);
	return 0;
}

/**
 * smmu2_cb_remove() - take a paging domain's context bank away
 * @dom: the domain, no stream routed to its bank any more
 *
 * Translation off first, then the bank's TLB entries dropped, then the
 * bank free for another domain.
 *
 * Context: Process context.
 */
void smmu2_cb_remove(struct smmu2_domain *dom)
{
	struct smmu2_unit *su = dom->su;
	int cb = dom->cb;

	iox_writel(&su->regs, smmu2_cb(su, cb, CB_SCTLR), 0);
	smmu2_tlbi_domain(dom);
	dom->cb = -1;
	iox_ctx_free(&su->cbs, cb);
}
