// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv2 model's registers, as a driver reaches them through struct
 * iox_regs: Global Address Space 0 (page 0), Global Address Space 1
 * (page 1), and one page per translation context bank from
 * 2^(IDR1.NUMPAGENDXB + 1) pages on (IHI 0062D, "The SMMU memory map").
 * Each register's layout is cited where priv.h defines it.
 *
 * RO registers ignore writes, W1C ones clear the bits written as one, and
 * an access to an offset the architecture does not define there (or at a
 * width it does not allow) is a driver bug, counted. 64-bit registers
 * take 64-bit accesses or 32-bit accesses to either half, as the spec
 * allows for AArch32 drivers.
 */
#include <linux/bitfield.h>
#include <linux/printk.h>
#include "arm-smmu-model-priv.h"

/**
 * smmu2_bug() - count a driver bug and name it
 * @m: the model
 * @bug: its kind
 * @what: what the driver did
 * @off: the register offset it concerns
 *
 * Context: Under the model's lock.
 */
void smmu2_bug(struct arm_smmu_model *m, enum arm_smmu_model_bug bug,
	       const char *what, unsigned int off)
{
	static const char * const names[] = {
		[ARM_SMMU_MODEL_BUG_UNDEF_REG] = "undefined register",
		[ARM_SMMU_MODEL_BUG_LIVE_CB_WRITE] = "live context bank write",
		[ARM_SMMU_MODEL_BUG_ENABLE_EARLY] = "SCTLR.M before TTBR/TCR",
		[ARM_SMMU_MODEL_BUG_STALE_TLB] = "stale TLB entry used",
	};

	m->bugs[bug]++;
	pr_warn("arm-smmu-model: driver bug: %s: %s at %#x\n", names[bug],
		what, off);
}

/* An access at @o of @width to the 64-bit register at @base, held in @p. */
static bool smmu2_acc64(u64 *p, unsigned int base, unsigned int o,
			unsigned int width, u64 *val, bool wr)
{
	unsigned int sh;

	if (o == base)
		sh = 0;
	else if (o == base + 4 && width == 4)
		sh = 32;
	else
		return false;
	if (!wr)
		*val = width == 8 ? *p : (u32)(*p >> sh);
	else if (width == 8)
		*p = *val;
	else
		*p = (*p & ~(0xffffffffULL << sh)) | (u64)(u32)*val << sh;
	return true;
}

/* A 32-bit register @p: plain read or write. */
static void smmu2_acc32(u32 *p, u64 *val, bool wr)
{
	if (wr)
		*p = *val;
	else
		*val = *p;
}

/*
 * Whether a stream can reach bank @n now: client port enabled, the bank
 * enabled, and an S2CR (of a valid SMR, when matching) translating to it.
 */
static bool smmu2_cb_live(struct arm_smmu_model *m, unsigned int n)
{
	unsigned int i;

	if ((m->scr0 & SCR0_CLIENTPD) || !(m->cb[n].sctlr & SCTLR_M))
		return false;
	for (i = 0; i < m->num_s2cr; i++)
		if (FIELD_GET(S2CR_TYPE, m->s2cr[i]) == S2CR_TYPE_TRANS &&
		    FIELD_GET(S2CR_CBNDX, m->s2cr[i]) == n &&
		    (!m->cfg.num_smr || (m->smr[i] & SMR_VALID)))
			return true;
	return false;
}

static void smmu2_check_live(struct arm_smmu_model *m, unsigned int n,
			     const char *reg, unsigned int off)
{
	if (smmu2_cb_live(m, n))
		smmu2_bug(m, ARM_SMMU_MODEL_BUG_LIVE_CB_WRITE, reg, off);
}

static bool smmu2_gr0(struct arm_smmu_model *m, unsigned int o,
		      unsigned int width, u64 *val, bool wr)
{
	if (o == SMMU2_SGFAR)
		return smmu2_acc64(&m->sgfar, o, o, width, val, wr);
	if (width != 4)
		return false;
	if (o >= SMMU2_SMR(0) && o < SMMU2_SMR(m->cfg.num_smr)) {
		smmu2_acc32(&m->smr[(o - SMMU2_SMR(0)) / 4], val, wr);
		return true;
	}
	if (o >= SMMU2_S2CR(0) && o < SMMU2_S2CR(m->num_s2cr)) {
		smmu2_acc32(&m->s2cr[(o - SMMU2_S2CR(0)) / 4], val, wr);
		return true;
	}
	if (o >= SMMU2_IDR(0) && o <= SMMU2_IDR(7)) {
		if (!wr)	/* RO: writes ignored */
			*val = m->idr[(o - SMMU2_IDR(0)) / 4];
		return true;
	}
	switch (o) {
	case SMMU2_SCR0:
		smmu2_acc32(&m->scr0, val, wr);
		return true;
	case SMMU2_SCR2:
		smmu2_acc32(&m->scr2, val, wr);
		return true;
	case SMMU2_SACR:
		smmu2_acc32(&m->sacr, val, wr);
		return true;
	case SMMU2_SGFSR:	/* W1C */
		if (wr)
			m->sgfsr &= ~(u32)*val;
		else
			*val = m->sgfsr;
		return true;
	case SMMU2_SGFSRRESTORE:	/* WO: sets sGFSR */
		if (wr)
			m->sgfsr = *val;
		else
			*val = 0;
		return true;
	case SMMU2_SGFSYNR0:
	case SMMU2_SGFSYNR1:
	case SMMU2_SGFSYNR2:
		smmu2_acc32(&m->sgfsynr[(o - SMMU2_SGFSYNR0) / 4], val, wr);
		return true;
	case SMMU2_TLBIVMID:	/* VMID in [15:0] */
		if (wr)
			smmu2_tlb_issue(m, SMMU2_GLOBAL, SMMU2_INV_VMID,
					*val & 0xffff, 0, 0);
		else
			*val = 0;
		return true;
	case SMMU2_TLBIALLNSNH:
	case SMMU2_TLBIALLH:
		if (wr)
			smmu2_tlb_issue(m, SMMU2_GLOBAL,
					o == SMMU2_TLBIALLH ? SMMU2_INV_NONE :
					SMMU2_INV_ALL, 0, 0, 0);
		else
			*val = 0;
		return true;
	case SMMU2_STLBGSYNC:
		if (wr)
			smmu2_tlb_sync(m, SMMU2_GLOBAL);
		else
			*val = 0;
		return true;
	case SMMU2_STLBGSTATUS:	/* RO */
		if (!wr)
			*val = smmu2_tlb_poll(m, SMMU2_GLOBAL) ?
			       TLBSTATUS_ACTIVE : 0;
		return true;
	}
	return false;
}

static bool smmu2_gr1(struct arm_smmu_model *m, unsigned int o,
		      unsigned int width, u64 *val, bool wr)
{
	unsigned int n = (o & 0x3ff) / 4;
	struct smmu2_cb *cb;

	if (width != 4 || n >= m->cfg.num_cb || o >= SMMU2_CBA2R(0) + 0x400)
		return false;
	cb = &m->cb[n];
	if (o >= SMMU2_CBA2R(0)) {
		if (wr)
			smmu2_check_live(m, n, "CBA2R", SMMU2_PAGE + o);
		smmu2_acc32(&cb->cba2r, val, wr);
	} else if (o >= SMMU2_CBFRSYNRA(0)) {
		smmu2_acc32(&cb->cbfrsynra, val, wr);
	} else {
		if (wr)
			smmu2_check_live(m, n, "CBAR", SMMU2_PAGE + o);
		smmu2_acc32(&cb->cbar, val, wr);
	}
	return true;
}

/* A TLBI command register's operand, decoded for bank @n (CBA2R.VA64). */
static void smmu2_cb_tlbi(struct arm_smmu_model *m, unsigned int n,
			  unsigned int o, u64 val)
{
	struct smmu2_cb *cb = &m->cb[n];
	bool va64 = cb->cba2r & CBA2R_VA64;
	u16 vmid = FIELD_GET(CBAR_VMID, cb->cbar);
	u16 asid_mask = va64 && (cb->tcr2 & TCR2_AS) ? 0xffff : 0xff;
	u16 asid;
	u64 va;

	if (va64) {	/* VA[55:12] in [43:0], ASID in [63:48] */
		va = (val & GENMASK_ULL(43, 0)) << 12;
		if (va & BIT_ULL(55))
			va |= GENMASK_ULL(63, 56);
		asid = (val >> 48) & asid_mask;
	} else {	/* VA[31:12] in [31:12], ASID in [7:0] */
		va = val & GENMASK_ULL(31, 12);
		asid = val & asid_mask;
	}
	switch (o) {
	case SMMU2_CB_TLBIVA:
	case SMMU2_CB_TLBIVAL:
		smmu2_tlb_issue(m, n, SMMU2_INV_VA, vmid, asid, va);
		break;
	case SMMU2_CB_TLBIVAA:
	case SMMU2_CB_TLBIVAAL:
		smmu2_tlb_issue(m, n, SMMU2_INV_VAA, vmid, 0, va);
		break;
	case SMMU2_CB_TLBIASID:
		smmu2_tlb_issue(m, n, SMMU2_INV_ASID, vmid, val & asid_mask, 0);
		break;
	case SMMU2_CB_TLBIALL:
		smmu2_tlb_issue(m, n, SMMU2_INV_S1ALL, vmid, 0, 0);
		break;
	default:	/* TLBIIPAS2(L): IPA[47:12] in [35:0] */
		smmu2_tlb_issue(m, n, SMMU2_INV_IPA, vmid, 0,
				(val & GENMASK_ULL(35, 0)) << 12);
		break;
	}
}

/* A bank's 64-bit registers other than the TLBI operations. */
static u64 *smmu2_cb_reg64(struct smmu2_cb *cb, unsigned int o)
{
	switch (o & ~7) {
	case SMMU2_CB_TTBR0:
		return &cb->ttbr[0];
	case SMMU2_CB_TTBR1:
		return &cb->ttbr[1];
	case SMMU2_CB_PAR:
		return &cb->par;
	case SMMU2_CB_FAR:
		return &cb->far;
	case SMMU2_CB_IPAFAR:
		return &cb->ipafar;
	}
	return NULL;
}

static bool smmu2_cb_32(struct arm_smmu_model *m, unsigned int n,
			unsigned int o, u64 *val, bool wr, unsigned int off)
{
	struct smmu2_cb *cb = &m->cb[n];
	bool was_on = cb->sctlr & SCTLR_M;

	switch (o) {
	case SMMU2_CB_SCTLR:
		smmu2_acc32(&cb->sctlr, val, wr);
		if (wr && !was_on && (cb->sctlr & SCTLR_M) &&
		    !(cb->ttbr_written && cb->tcr_written))
			smmu2_bug(m, ARM_SMMU_MODEL_BUG_ENABLE_EARLY, "SCTLR",
				  off);
		return true;
	case SMMU2_CB_ACTLR:
		smmu2_acc32(&cb->actlr, val, wr);
		return true;
	case SMMU2_CB_RESUME:	/* WO; no stall model: nothing to resume */
	case SMMU2_CB_TLBSYNC:
		if (!wr)
			*val = 0;
		else if (o == SMMU2_CB_TLBSYNC)
			smmu2_tlb_sync(m, n);
		return true;
	case SMMU2_CB_TLBSTATUS:	/* RO */
		if (!wr)
			*val = smmu2_tlb_poll(m, n) ? TLBSTATUS_ACTIVE : 0;
		return true;
	case SMMU2_CB_TCR2:
	case SMMU2_CB_TCR:
	case SMMU2_CB_MAIR0:
	case SMMU2_CB_MAIR1:
		if (wr) {
			smmu2_check_live(m, n, "TCR/TCR2/MAIR", off);
			cb->tcr_written |= o == SMMU2_CB_TCR;
		}
		smmu2_acc32(o == SMMU2_CB_TCR2 ? &cb->tcr2 :
			    o == SMMU2_CB_TCR ? &cb->tcr :
			    &cb->mair[(o - SMMU2_CB_MAIR0) / 4], val, wr);
		return true;
	case SMMU2_CB_CONTEXTIDR:
		smmu2_acc32(&cb->contextidr, val, wr);
		return true;
	case SMMU2_CB_FSR:	/* W1C */
		if (wr)
			cb->fsr &= ~(u32)*val;
		else
			*val = cb->fsr;
		return true;
	case SMMU2_CB_FSRRESTORE:	/* WO: sets FSR */
		if (wr)
			cb->fsr = *val;
		else
			*val = 0;
		return true;
	case SMMU2_CB_FSYNR0:
	case SMMU2_CB_FSYNR1:
		smmu2_acc32(&cb->fsynr[(o - SMMU2_CB_FSYNR0) / 4], val, wr);
		return true;
	case SMMU2_CB_TLBIASID:
	case SMMU2_CB_TLBIALL:
		if (wr)
			smmu2_cb_tlbi(m, n, o, *val);
		else
			*val = 0;
		return true;
	}
	return false;
}

static bool smmu2_cb(struct arm_smmu_model *m, unsigned int n, unsigned int o,
		     unsigned int width, u64 *val, bool wr, unsigned int off)
{
	struct smmu2_cb *cb = &m->cb[n];
	u64 *r;

	switch (o) {
	case SMMU2_CB_TLBIVA:
	case SMMU2_CB_TLBIVAA:
	case SMMU2_CB_TLBIVAL:
	case SMMU2_CB_TLBIVAAL:
	case SMMU2_CB_TLBIIPAS2:
	case SMMU2_CB_TLBIIPAS2L:
		/* WO, 64-bit; AArch32 contexts write the low word only */
		if (wr)
			smmu2_cb_tlbi(m, n, o, width == 4 ? (u32)*val : *val);
		else
			*val = 0;
		return true;
	}
	r = smmu2_cb_reg64(cb, o);
	if (r) {
		if (wr && (r == &cb->ttbr[0] || r == &cb->ttbr[1])) {
			smmu2_check_live(m, n, "TTBR", off);
			cb->ttbr_written = true;
		}
		return smmu2_acc64(r, o & ~7, o, width, val, wr);
	}
	return width == 4 && smmu2_cb_32(m, n, o, val, wr, off);
}

/* One access by the driver: decode the page, then the register. */
static void smmu2_access(struct arm_smmu_model *m, unsigned int off,
			 unsigned int width, u64 *val, bool wr)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&m->lock, flags);
	if (off % width)
		ok = false;
	else if (off < SMMU2_PAGE)
		ok = smmu2_gr0(m, off, width, val, wr);
	else if (off < 2 * SMMU2_PAGE)
		ok = smmu2_gr1(m, off - SMMU2_PAGE, width, val, wr);
	else if (off >= m->cb_base && off < m->size)
		ok = smmu2_cb(m, (off - m->cb_base) / SMMU2_PAGE,
			      off % SMMU2_PAGE, width, val, wr, off);
	if (!ok) {
		if (!wr)
			*val = 0;	/* RAZ, as a bus would answer */
		smmu2_bug(m, ARM_SMMU_MODEL_BUG_UNDEF_REG,
			  wr ? (width == 8 ? "writeq" : "writel") :
			  (width == 8 ? "readq" : "readl"), off);
	}
	spin_unlock_irqrestore(&m->lock, flags);
}

static u32 smmu2_read32(void *model, unsigned int off)
{
	u64 val;

	smmu2_access(model, off, 4, &val, false);
	return val;
}

static void smmu2_write32(void *model, unsigned int off, u32 val)
{
	u64 v = val;

	smmu2_access(model, off, 4, &v, true);
}

static u64 smmu2_read64(void *model, unsigned int off)
{
	u64 val;

	smmu2_access(model, off, 8, &val, false);
	return val;
}

static void smmu2_write64(void *model, unsigned int off, u64 val)
{
	smmu2_access(model, off, 8, &val, true);
}

const struct iox_reg_ops smmu2_reg_ops = {
	.read32 = smmu2_read32,
	.write32 = smmu2_write32,
	.read64 = smmu2_read64,
	.write64 = smmu2_write64,
};
