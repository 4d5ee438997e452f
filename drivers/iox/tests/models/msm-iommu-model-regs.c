// SPDX-License-Identifier: GPL-2.0
/*
 * The MSM IOMMU model's register file, behind the iox_regs seam: the
 * global page at 0xFF000 and one page per context bank at n << 12, the
 * offsets and fields of the header (see msm-iommu-model.h).
 *
 * Reads of write-only registers (the TLB invalidations, V2Pxx, RESUME,
 * FSRRESTORE, ESRRESTORE) return 0; writes of read-only ones (REV, IDR,
 * V2PSR) are dropped. Offsets the header does not define, or past the
 * configured banks and masters, are a driver bug, as is any access with
 * the clock off, or of 64 bits (the unit's registers are 32-bit).
 */
#include <linux/bitfield.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include "msm-iommu-model-priv.h"

#define MSMM_GLOBAL_BASE	0xFF000
#define MSMM_GLOBAL_END		0x100000

/* A MID is routed to @cb: its table registers are live. */
static bool msmm_cb_routed(struct msm_iommu_model *m, unsigned int cb)
{
	unsigned int mid;

	for (mid = 0; mid < m->cfg.nmid; mid++)
		if (FIELD_GET(MSMM_M2VCBR_CBNDX, m->m2vcbr[mid]) == cb)
			return true;
	return false;
}

static u32 msmm_idr(struct msm_iommu_model *m)
{
	/*
	 * The header names IDR's fields, not their encodings: the model
	 * puts counts in NM2VCBMT and NCB, log2 of the entries in TLBSIZE,
	 * one interrupt, and the hardware table walker it has.
	 */
	return FIELD_PREP(MSMM_IDR_NM2VCBMT, m->cfg.nmid) | MSMM_IDR_HTW |
	       FIELD_PREP(MSMM_IDR_TLBSIZE, ilog2(m->cfg.tlb_entries)) |
	       FIELD_PREP(MSMM_IDR_NCB, m->cfg.ncb) |
	       FIELD_PREP(MSMM_IDR_NIRPT, 1);
}

/* Global registers; false if @off is none. */
static bool msmm_global_read(struct msm_iommu_model *m, unsigned int off,
			     u32 *val)
{
	if (off < MSMM_M2VCBR(m->cfg.nmid)) {
		*val = m->m2vcbr[(off - MSMM_M2VCBR(0)) / 4];
		return true;
	}
	if (off >= MSMM_CBACR(0) && off < MSMM_CBACR(m->cfg.ncb)) {
		*val = m->cbacr[(off - MSMM_CBACR(0)) / 4];
		return true;
	}
	switch (off) {
	case MSMM_TLBRSW:
		*val = m->tlbrsw;
		break;
	case MSMM_TLBTR0:
	case MSMM_TLBTR1:
	case MSMM_TLBTR2:
		*val = m->tlbtr[(off - MSMM_TLBTR0) / 4];
		break;
	case MSMM_TESTBUSCR:
		*val = m->testbuscr;
		break;
	case MSMM_CR:
		*val = m->cr;
		break;
	case MSMM_EAR:
		*val = m->ear;
		break;
	case MSMM_ESR:
		*val = m->esr;
		break;
	case MSMM_ESYNR0:
		*val = m->esynr0;
		break;
	case MSMM_ESYNR1:
		*val = m->esynr1;
		break;
	case MSMM_REV:
		*val = m->cfg.rev;
		break;
	case MSMM_IDR:
		*val = msmm_idr(m);
		break;
	case MSMM_RPU_ACR:
		*val = m->rpu_acr;
		break;
	case MSMM_GLOBAL_TLBIALL:
	case MSMM_TLBIVMID:
	case MSMM_ESRRESTORE:
		*val = 0;
		break;
	default:
		return false;
	}
	return true;
}

static bool msmm_global_write(struct msm_iommu_model *m, unsigned int off,
			      u32 val)
{
	if (off < MSMM_M2VCBR(m->cfg.nmid)) {
		m->m2vcbr[(off - MSMM_M2VCBR(0)) / 4] = val & MSMM_M2VCBR_MASK;
		return true;
	}
	if (off >= MSMM_CBACR(0) && off < MSMM_CBACR(m->cfg.ncb)) {
		m->cbacr[(off - MSMM_CBACR(0)) / 4] = val & MSMM_CBACR_MASK;
		return true;
	}
	switch (off) {
	case MSMM_TLBRSW:
		m->tlbrsw = val;
		break;
	case MSMM_TLBTR0:
	case MSMM_TLBTR1:
	case MSMM_TLBTR2:
		m->tlbtr[(off - MSMM_TLBTR0) / 4] = val;
		break;
	case MSMM_TESTBUSCR:
		m->testbuscr = val;
		break;
	case MSMM_GLOBAL_TLBIALL:
		msmm_tlbi(m, -1, -1, false, 0);
		break;
	case MSMM_TLBIVMID:
		msmm_tlbi(m, FIELD_GET(MSMM_TLBIVMID_VMID, val), -1, false, 0);
		break;
	case MSMM_CR:
		m->cr = val & MSMM_CR_MASK;
		break;
	case MSMM_EAR:
		m->ear = val;
		break;
	case MSMM_ESR:		/* write one to clear, as FSR */
		m->esr &= ~val;
		break;
	case MSMM_ESRRESTORE:
		m->esr = val & MSMM_ESR_MASK;
		break;
	case MSMM_ESYNR0:
		m->esynr0 = val;
		break;
	case MSMM_ESYNR1:
		m->esynr1 = val;
		break;
	case MSMM_RPU_ACR:
		m->rpu_acr = val;
		break;
	case MSMM_REV:
	case MSMM_IDR:
		break;
	default:
		return false;
	}
	return true;
}

static bool msmm_ctx_read(struct msm_iommu_model *m, unsigned int cb,
			  unsigned int reg, u32 *val)
{
	const struct msmm_ctx *c = &m->ctx[cb];

	switch (reg) {
	case MSMM_SCTLR:
		*val = c->sctlr;
		break;
	case MSMM_ACTLR:
		*val = c->actlr;
		break;
	case MSMM_CONTEXTIDR:
		*val = c->contextidr;
		break;
	case MSMM_TTBR0:
		*val = c->ttbr0;
		break;
	case MSMM_TTBR1:
		*val = c->ttbr1;
		break;
	case MSMM_TTBCR:
		*val = c->ttbcr;
		break;
	case MSMM_PAR:
		*val = c->par;
		break;
	case MSMM_FSR:
		*val = c->fsr;
		break;
	case MSMM_FAR:
		*val = c->far;
		break;
	case MSMM_FSYNR0:
		*val = c->fsynr0;
		break;
	case MSMM_FSYNR1:
		*val = c->fsynr1;
		break;
	case MSMM_PRRR:
		*val = c->prrr;
		break;
	case MSMM_NMRR:
		*val = c->nmrr;
		break;
	case MSMM_TLBLCKR:
		*val = c->tlblckr;
		break;
	case MSMM_V2PSR:
		*val = c->v2psr;
		break;
	case MSMM_TLBFLPTER:
		*val = c->tlbflpter;
		break;
	case MSMM_TLBSLPTER:
		*val = c->tlbslpter;
		break;
	case MSMM_BFBCR:
		*val = c->bfbcr;
		break;
	case MSMM_FSRRESTORE:
	case MSMM_CTX_TLBIALL:
	case MSMM_TLBIASID:
	case MSMM_TLBIVA:
	case MSMM_TLBIVAA:
	case MSMM_V2PPR:
	case MSMM_V2PPW:
	case MSMM_V2PUR:
	case MSMM_V2PUW:
	case MSMM_RESUME:
		*val = 0;
		break;
	default:
		return false;
	}
	return true;
}

/*
 * V2Pxx: translate as the access would (faults go to PAR, not FSR, and
 * raise no interrupt); ACTLR.DNLV2PA keeps the walk out of the TLB.
 */
static void msmm_v2p(struct msm_iommu_model *m, unsigned int cb, u32 va,
		     unsigned int attrs)
{
	struct msmm_ctx *c = &m->ctx[cb];
	struct msmm_xlate x;

	if (!(c->sctlr & MSMM_SCTLR_M)) {
		c->par = va & MSMM_PAR_PA;
		c->v2psr = 0;
		return;
	}
	msmm_translate(m, cb, va, attrs, !(c->actlr & MSMM_ACTLR_DNLV2PA), &x);
	if (x.fsr)
		c->par = MSMM_PAR_FAULT | x.fsr;
	else
		c->par = (x.pa & MSMM_PAR_PA) |
			 (x.supersection ? MSMM_PAR_SS : 0);
	c->v2psr = x.hit ? MSMM_V2PSR_HIT : 0;
}

/* Changing what a live context translates with, under a master's feet. */
static void msmm_check_live(struct msm_iommu_model *m, unsigned int cb,
			    unsigned int off, const char *reg)
{
	if ((m->ctx[cb].sctlr & MSMM_SCTLR_M) && msmm_cb_routed(m, cb))
		msmm_bug(m, reg, off);
}

static bool msmm_ctx_write(struct msm_iommu_model *m, unsigned int cb,
			   unsigned int reg, u32 val, unsigned int off)
{
	struct msmm_ctx *c = &m->ctx[cb];
	u8 vmid = msmm_cb_vmid(m, cb);

	switch (reg) {
	case MSMM_SCTLR:
		if (!(c->sctlr & MSMM_SCTLR_M) && (val & MSMM_SCTLR_M) &&
		    !c->ttbr0_written)
			msmm_bug(m, "SCTLR.M set before TTBR0 was written",
				 off);
		c->sctlr = val & MSMM_SCTLR_MASK;
		break;
	case MSMM_ACTLR:
		c->actlr = val & MSMM_ACTLR_MASK;
		break;
	case MSMM_CONTEXTIDR:
		msmm_check_live(m, cb, off, "CONTEXTIDR written while live");
		c->contextidr = val;
		break;
	case MSMM_TTBR0:
		msmm_check_live(m, cb, off, "TTBR0 written while live");
		c->ttbr0 = val & MSMM_TTBR_MASK;
		c->ttbr0_written = true;
		break;
	case MSMM_TTBR1:
		msmm_check_live(m, cb, off, "TTBR1 written while live");
		c->ttbr1 = val & MSMM_TTBR_MASK;
		break;
	case MSMM_TTBCR:
		msmm_check_live(m, cb, off, "TTBCR written while live");
		c->ttbcr = val & MSMM_TTBCR_MASK;
		break;
	case MSMM_PAR:
		c->par = val;
		break;
	case MSMM_FSR:
		c->fsr &= ~val;
		break;
	case MSMM_FSRRESTORE:
		c->fsr = val & MSMM_FSR_MASK;
		break;
	case MSMM_FAR:
		c->far = val;
		break;
	case MSMM_FSYNR0:
		c->fsynr0 = val;
		break;
	case MSMM_FSYNR1:
		c->fsynr1 = val;
		break;
	case MSMM_PRRR:
		c->prrr = val;
		break;
	case MSMM_NMRR:
		c->nmrr = val;
		break;
	case MSMM_TLBLCKR:
		c->tlblckr = val & MSMM_TLBLCKR_MASK;
		break;
	case MSMM_V2PSR:
		break;
	case MSMM_TLBFLPTER:
		c->tlbflpter = val;
		break;
	case MSMM_TLBSLPTER:
		c->tlbslpter = val;
		break;
	case MSMM_BFBCR:
		c->bfbcr = val & MSMM_BFBCR_MASK;
		break;
	case MSMM_CTX_TLBIALL:
		msmm_tlbi(m, vmid, -1, false, 0);
		break;
	case MSMM_TLBIASID:
		msmm_tlbi(m, vmid, FIELD_GET(MSMM_TLBI_ASID, val), false, 0);
		break;
	case MSMM_TLBIVA:
		msmm_tlbi(m, vmid, FIELD_GET(MSMM_TLBI_ASID, val), true,
			  val & MSMM_TLBI_VA);
		break;
	case MSMM_TLBIVAA:
		msmm_tlbi(m, vmid, -1, true, val & MSMM_TLBI_VA);
		break;
	case MSMM_V2PPR:
		msmm_v2p(m, cb, val & MSMM_V2P_VA, MSM_IOMMU_MODEL_PRIV);
		break;
	case MSMM_V2PPW:
		msmm_v2p(m, cb, val & MSMM_V2P_VA,
			 MSM_IOMMU_MODEL_PRIV | MSM_IOMMU_MODEL_WRITE);
		break;
	case MSMM_V2PUR:
		msmm_v2p(m, cb, val & MSMM_V2P_VA, 0);
		break;
	case MSMM_V2PUW:
		msmm_v2p(m, cb, val & MSMM_V2P_VA, MSM_IOMMU_MODEL_WRITE);
		break;
	case MSMM_RESUME:	/* TNR: terminate or retry, both done */
		c->fsr &= ~MSMM_FSR_SS;
		break;
	default:
		return false;
	}
	return true;
}

/* The clock and the offset's bank; false (a bug counted) if no access. */
static bool msmm_decode(struct msm_iommu_model *m, unsigned int off,
			unsigned int *cb)
{
	if (!m->clk_on) {
		msmm_bug(m, "register access with the clock off", off);
		return false;
	}
	if (off & 3)
		goto undefined;
	if (off >= MSMM_GLOBAL_BASE && off < MSMM_GLOBAL_END) {
		*cb = UINT_MAX;
		return true;
	}
	*cb = off >> MSMM_CTX_SHIFT;
	if (*cb < m->cfg.ncb)
		return true;
undefined:
	msmm_bug(m, "undefined register", off);
	return false;
}

static u32 msmm_read32(void *model, unsigned int off)
{
	struct msm_iommu_model *m = model;
	unsigned long flags;
	unsigned int cb;
	bool ok;
	u32 val = 0;

	spin_lock_irqsave(&m->lock, flags);
	if (msmm_decode(m, off, &cb)) {
		if (cb == UINT_MAX)
			ok = msmm_global_read(m, off, &val);
		else
			ok = msmm_ctx_read(m, cb, off & 0xfff, &val);
		if (!ok)
			msmm_bug(m, "undefined register", off);
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return val;
}

static void msmm_write32(void *model, unsigned int off, u32 val)
{
	struct msm_iommu_model *m = model;
	unsigned long flags;
	unsigned int cb;
	bool ok;

	spin_lock_irqsave(&m->lock, flags);
	if (msmm_decode(m, off, &cb)) {
		if (cb == UINT_MAX)
			ok = msmm_global_write(m, off, val);
		else
			ok = msmm_ctx_write(m, cb, off & 0xfff, val, off);
		if (!ok)
			msmm_bug(m, "undefined register", off);
	}
	spin_unlock_irqrestore(&m->lock, flags);
}

static u64 msmm_read64(void *model, unsigned int off)
{
	struct msm_iommu_model *m = model;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	msmm_bug(m, "64-bit register read", off);
	spin_unlock_irqrestore(&m->lock, flags);
	return 0;
}

static void msmm_write64(void *model, unsigned int off, u64 val)
{
	struct msm_iommu_model *m = model;
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	msmm_bug(m, "64-bit register write", off);
	spin_unlock_irqrestore(&m->lock, flags);
}

const struct iox_reg_ops msm_iommu_model_reg_ops = {
	.read32 = msmm_read32,
	.write32 = msmm_write32,
	.read64 = msmm_read64,
	.write64 = msmm_write64,
};
