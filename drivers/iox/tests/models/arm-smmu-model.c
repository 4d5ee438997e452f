// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUv2 model: its creation, its ID registers, and the path of an
 * endpoint's transaction (IHI 0062D, "Stream mapping" and "Translation
 * context" chapters): sCR0.CLIENTPD, stream matching through SMRn (or
 * stream indexing), S2CRn.TYPE, the bank's CBARn.TYPE and SCTLR.M, the
 * TLB, the walk, the permission check and fault recording.
 */
#include <linux/bitfield.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "arm-smmu-model-priv.h"

/* What a transaction ended in, and what to call once the lock is off. */
struct smmu2_result {
	int ret;
	bool global_irq;
	int context_irq;	/* bank, or -1 */
};

static void smmu2_build_idr(struct arm_smmu_model *m)
{
	const struct arm_smmu_model_config *c = &m->cfg;
	u32 s1 = ARM_SMMU_MODEL_FMT_S1_LPAE64 | ARM_SMMU_MODEL_FMT_S1_V7S;

	memset(m->idr, 0, sizeof(m->idr));
	/* SMMU_IDR0; no address translation operations (ATOSNS = 1) */
	m->idr[0] = (c->formats & s1 ? IDR0_S1TS : 0) |
		    (c->formats & ARM_SMMU_MODEL_FMT_S2_LPAE64 ?
		     IDR0_S2TS : 0) |
		    (c->num_smr ? IDR0_SMS : 0) | IDR0_ATOSNS |
		    (c->formats & ARM_SMMU_MODEL_FMT_S1_V7S ? 0 :
		     IDR0_PTFS_NO_AARCH32) |
		    FIELD_PREP(IDR0_NUMIRPT, c->num_cb) |
		    FIELD_PREP(IDR0_NUMSIDB, c->sid_bits) |
		    FIELD_PREP(IDR0_NUMSMRG, c->num_smr);
	/* SMMU_IDR1: 4KB register pages (PAGESIZE = 0) */
	m->idr[1] = FIELD_PREP(IDR1_NUMPAGENDXB, m->pagendxb) |
		    FIELD_PREP(IDR1_NUMS2CB, c->num_s2_cb) |
		    FIELD_PREP(IDR1_NUMCB, c->num_cb);
	/* SMMU_IDR2: the 4KB granule only */
	m->idr[2] = FIELD_PREP(IDR2_IAS, smmu2_size_enc(c->ias)) |
		    FIELD_PREP(IDR2_OAS, smmu2_size_enc(c->oas)) |
		    FIELD_PREP(IDR2_UBS, smmu2_size_enc(c->ubs)) |
		    (c->formats & (ARM_SMMU_MODEL_FMT_S1_LPAE64 |
				   ARM_SMMU_MODEL_FMT_S2_LPAE64) ?
		     IDR2_PTFS_4K : 0);
	m->idr[7] = c->revision;	/* SMMU_IDR7: MAJOR [7:4], MINOR [3:0] */
}

/**
 * arm_smmu_model_create() - a modelled SMMUv2, out of reset
 * @cfg: what it implements; copied
 *
 * Context: Process context.
 * Return: the model, or an ERR_PTR(): -EINVAL for a configuration the
 * architecture (or the model) does not allow, -ENOMEM.
 */
struct arm_smmu_model *arm_smmu_model_create(const struct arm_smmu_model_config *cfg)
{
	struct arm_smmu_model *m;

	if (!cfg->num_cb || cfg->num_cb > 128 || cfg->num_s2_cb > cfg->num_cb ||
	    cfg->num_smr > 128 || cfg->sid_bits > 15 ||
	    (!cfg->num_smr && (!cfg->sid_bits || cfg->sid_bits > 7)) ||
	    !cfg->tlb_entries || !cfg->formats || cfg->oas < 32 ||
	    cfg->oas > 48 || cfg->ias < 32 || cfg->ias > 48)
		return ERR_PTR(-EINVAL);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->cfg = *cfg;
	m->num_s2cr = cfg->num_smr ? cfg->num_smr : 1U << cfg->sid_bits;
	/* 2^(NUMPAGENDXB + 1) pages of global space, as many of banks */
	while ((2U << m->pagendxb) < cfg->num_cb)
		m->pagendxb++;
	m->cb_base = (2U << m->pagendxb) * SMMU2_PAGE;
	m->size = 2 * m->cb_base;
	m->smr = kcalloc(m->num_s2cr, sizeof(*m->smr), GFP_KERNEL);
	m->s2cr = kcalloc(m->num_s2cr, sizeof(*m->s2cr), GFP_KERNEL);
	m->cb = kcalloc(cfg->num_cb, sizeof(*m->cb), GFP_KERNEL);
	m->tlb = kcalloc(cfg->tlb_entries, sizeof(*m->tlb), GFP_KERNEL);
	if (!m->smr || !m->s2cr || !m->cb || !m->tlb) {
		arm_smmu_model_destroy(m);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&m->lock);
	smmu2_build_idr(m);
	arm_smmu_model_reset(m);
	return m;
}

/**
 * arm_smmu_model_destroy() - free a model
 * @m: the model; no accesses in flight
 *
 * Context: Process context.
 */
void arm_smmu_model_destroy(struct arm_smmu_model *m)
{
	kfree(m->smr);
	kfree(m->s2cr);
	kfree(m->cb);
	kfree(m->tlb);
	kfree(m);
}

/**
 * arm_smmu_model_reset() - a hardware reset: registers to their reset
 * values, the TLB empty
 * @m: the model
 *
 * Where IHI 0062D leaves a reset value UNKNOWN or IMPLEMENTATION DEFINED,
 * the model picks the one a careless driver trips on: sCR0.CLIENTPD set
 * (every stream bypasses until the driver enables the unit), S2CRn.TYPE
 * fault, SMRn invalid. Bug counters and statistics survive.
 *
 * Context: Any context.
 */
void arm_smmu_model_reset(struct arm_smmu_model *m)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&m->lock, flags);
	m->scr0 = SCR0_RESET;
	m->scr2 = 0;
	m->sacr = 0;
	m->sgfsr = 0;
	memset(m->sgfsynr, 0, sizeof(m->sgfsynr));
	m->sgfar = 0;
	for (i = 0; i < m->num_s2cr; i++) {
		m->smr[i] = 0;
		m->s2cr[i] = S2CR_RESET;
	}
	memset(m->cb, 0, m->cfg.num_cb * sizeof(*m->cb));
	smmu2_tlb_reset(m);
	spin_unlock_irqrestore(&m->lock, flags);
}

/**
 * arm_smmu_model_regs() - point a driver's register seam at the model
 * @m: the model
 * @regs: gets the model's accessors
 *
 * Context: Any context.
 */
void arm_smmu_model_regs(struct arm_smmu_model *m, struct iox_regs *regs)
{
	regs->base = NULL;
	regs->ops = &smmu2_reg_ops;
	regs->model = m;
}

/**
 * arm_smmu_model_size() - the size of the register space
 * @m: the model
 *
 * Context: Any context.
 * Return: bytes, global space and context banks.
 */
unsigned int arm_smmu_model_size(const struct arm_smmu_model *m)
{
	return m->size;
}

/**
 * arm_smmu_model_cb_offset() - where a context bank's page starts
 * @m: the model
 * @cbndx: the bank
 *
 * What a driver derives from IDR1 (NUMPAGENDXB, PAGESIZE); for tests.
 *
 * Context: Any context.
 * Return: the offset of SMMU_CBn_SCTLR.
 */
unsigned int arm_smmu_model_cb_offset(const struct arm_smmu_model *m,
				      unsigned int cbndx)
{
	return m->cb_base + cbndx * SMMU2_PAGE;
}

/* Record a global fault (SMMU_sGFSR, sGFAR, sGFSYNR0/1). */
static void smmu2_global_fault(struct arm_smmu_model *m, u32 bit, u16 sid,
			       u64 iova, bool write, struct smmu2_result *r)
{
	m->stats.global_faults++;
	if (m->sgfsr & ~FSR_MULTI) {
		m->sgfsr |= FSR_MULTI;	/* the first fault's syndrome stays */
	} else {
		m->sgfsr |= bit;
		m->sgfar = iova;
		m->sgfsynr[0] = write ? GFSYNR0_WNR : 0;
		m->sgfsynr[1] = sid;	/* StreamID in [15:0] */
	}
	r->global_irq = m->scr0 & SCR0_GFIE;
	r->ret = -EFAULT;
}

/* Record a context fault (SMMU_CBn_FSR, FAR, FSYNR0, CBFRSYNRAn). */
static void smmu2_context_fault(struct arm_smmu_model *m, unsigned int n,
				u32 bit, unsigned int level, u16 sid, u64 iova,
				bool write, bool priv, struct smmu2_result *r)
{
	struct smmu2_cb *cb = &m->cb[n];

	m->stats.context_faults++;
	if (cb->fsr & FSR_STATUS) {
		cb->fsr |= FSR_MULTI;
	} else {
		cb->fsr |= bit;
		cb->far = iova;
		cb->fsynr[0] = FIELD_PREP(FSYNR0_PLVL, level) |
			       (write ? FSYNR0_WNR : 0) |
			       (priv ? FSYNR0_PNU : 0);
		cb->cbfrsynra = sid;	/* StreamID in [15:0] */
	}
	if (cb->sctlr & SCTLR_CFIE)
		r->context_irq = n;
	r->ret = -EFAULT;
}

/* The S2CR that stream @sid selects, or -ENOENT / -EBUSY (conflict). */
static int smmu2_match(struct arm_smmu_model *m, u16 sid)
{
	int found = -ENOENT;
	unsigned int i;

	if (!m->cfg.num_smr)
		return sid < m->num_s2cr ? sid : -ENOENT;
	for (i = 0; i < m->cfg.num_smr; i++) {
		u32 smr = m->smr[i];
		u32 mask = FIELD_GET(SMR_MASK, smr);

		if (!(smr & SMR_VALID) ||
		    ((sid ^ FIELD_GET(SMR_ID, smr)) & ~mask & SMR_ID))
			continue;
		if (found >= 0)
			return -EBUSY;
		found = i;
	}
	return found;
}

/* Translate through bank @n, enabled; the lock held. */
static void smmu2_translate(struct arm_smmu_model *m, unsigned int n,
			    u16 sid, u64 iova, bool write, bool priv,
			    phys_addr_t *pa, struct smmu2_result *r)
{
	struct smmu2_tlbe *e;
	struct smmu2_walk w;
	struct smmu2_ctx c;
	u32 type = FIELD_GET(CBAR_TYPE, m->cb[n].cbar);
	u8 need;

	smmu2_ctx_of(m, n, &c);
	/* Nested and stage-2-fault contexts are not modelled: fault them. */
	if (type == CBAR_TYPE_S1_FAULT || type == CBAR_TYPE_NESTED ||
	    (c.stage2 && !(m->cfg.formats & ARM_SMMU_MODEL_FMT_S2_LPAE64)) ||
	    (c.v7s && !(m->cfg.formats & ARM_SMMU_MODEL_FMT_S1_V7S)) ||
	    (!c.stage2 && !c.v7s &&
	     !(m->cfg.formats & ARM_SMMU_MODEL_FMT_S1_LPAE64))) {
		smmu2_context_fault(m, n, FSR_TF, 0, sid, iova, write, priv, r);
		return;
	}
	e = smmu2_tlb_lookup(m, &c, iova);
	if (e) {
		m->stats.tlb_hits++;
		if (smmu2_tlb_pending(m, e))
			smmu2_bug(m, ARM_SMMU_MODEL_BUG_STALE_TLB, "DMA",
				  arm_smmu_model_cb_offset(m, n));
		w = (struct smmu2_walk) { .oa = e->oa, .shift = e->shift,
					  .level = e->level, .perm = e->perm };
	} else {
		smmu2_walk(m, &c, iova, &w);
		if (w.fsr) {	/* faults are not cached */
			smmu2_context_fault(m, n, w.fsr, w.level, sid, iova,
					    write, priv, r);
			return;
		}
		smmu2_tlb_insert(m, &c, iova, &w);
	}
	if (write)
		need = priv ? SMMU2_PERM_PW : SMMU2_PERM_UW;
	else
		need = priv ? SMMU2_PERM_PR : SMMU2_PERM_UR;
	if (!(w.perm & need)) {
		smmu2_context_fault(m, n, FSR_PF, w.level, sid, iova, write,
				    priv, r);
		return;
	}
	*pa = w.oa | (iova & ((1ULL << w.shift) - 1));
}

static void smmu2_dma_locked(struct arm_smmu_model *m, u16 sid, u64 iova,
			     bool write, phys_addr_t *pa,
			     struct smmu2_result *r)
{
	u32 s2cr;
	int idx;

	if (m->scr0 & SCR0_CLIENTPD)
		goto bypass;
	idx = smmu2_match(m, sid);
	if (idx == -EBUSY) {
		smmu2_global_fault(m, GFSR_SMCF, sid, iova, write, r);
		return;
	}
	if (idx < 0) {
		if (m->scr0 & SCR0_USFCFG) {
			smmu2_global_fault(m, GFSR_USF, sid, iova, write, r);
			return;
		}
		goto bypass;
	}
	s2cr = m->s2cr[idx];
	switch (FIELD_GET(S2CR_TYPE, s2cr)) {
	case S2CR_TYPE_TRANS:
		break;
	case S2CR_TYPE_BYPASS:
		goto bypass;
	default:
		/*
		 * Fault (and the reserved encoding): a global fault; the
		 * model reports it as USF, the stream reaching no context.
		 */
		smmu2_global_fault(m, GFSR_USF, sid, iova, write, r);
		return;
	}
	idx = FIELD_GET(S2CR_CBNDX, s2cr);
	if (idx >= m->cfg.num_cb) {
		smmu2_global_fault(m, GFSR_ICF, sid, iova, write, r);
		return;
	}
	if (!(m->cb[idx].sctlr & SCTLR_M))
		goto bypass;
	/* PRIVCFG 0b11 forces privileged; devices default to unprivileged */
	smmu2_translate(m, idx, sid, iova, write,
			FIELD_GET(S2CR_PRIVCFG, s2cr) == S2CR_PRIV_PRIV, pa, r);
	return;
bypass:
	m->stats.bypassed++;
	*pa = iova;
}

/**
 * arm_smmu_model_dma() - an endpoint's transaction through the unit
 * @m: the model
 * @sid: the endpoint's StreamID
 * @iova: the address it accesses
 * @write: a write (else a read) transaction
 * @pa: gets the physical address on success
 *
 * A fault is recorded as the architecture says and its interrupt
 * callback, if enabled, runs before this returns, without the model's
 * lock. Stalling (SCTLR.CFCFG = 1) is not modelled: every fault
 * terminates.
 *
 * Context: Any context the callbacks allow.
 * Return: 0 and *@pa set, or -EFAULT for a fault.
 */
int arm_smmu_model_dma(struct arm_smmu_model *m, u16 sid, u64 iova,
		       bool write, phys_addr_t *pa)
{
	struct smmu2_result r = { .context_irq = -1 };
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	smmu2_dma_locked(m, sid, iova, write, pa, &r);
	spin_unlock_irqrestore(&m->lock, flags);
	if (r.global_irq && m->cfg.global_irq)
		m->cfg.global_irq(m->cfg.irq_arg);
	if (r.context_irq >= 0 && m->cfg.context_irq)
		m->cfg.context_irq(m->cfg.irq_arg, r.context_irq);
	return r.ret;
}

/**
 * arm_smmu_model_bug_count() - how often the driver did one wrong thing
 * @m: the model
 * @bug: the kind
 *
 * Context: Any context.
 * Return: the count since creation.
 */
unsigned int arm_smmu_model_bug_count(struct arm_smmu_model *m,
				      enum arm_smmu_model_bug bug)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&m->lock, flags);
	n = m->bugs[bug];
	spin_unlock_irqrestore(&m->lock, flags);
	return n;
}

/**
 * arm_smmu_model_bugs() - driver bugs the model saw, of every kind
 * @m: the model
 *
 * Context: Any context.
 * Return: their number since creation; each was also named by pr_warn().
 */
unsigned int arm_smmu_model_bugs(struct arm_smmu_model *m)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARM_SMMU_MODEL_NR_BUGS; i++)
		n += arm_smmu_model_bug_count(m, i);
	return n;
}

/**
 * arm_smmu_model_stats() - what the model did so far
 * @m: the model
 * @stats: gets a copy of its statistics
 *
 * Context: Any context.
 */
void arm_smmu_model_stats(struct arm_smmu_model *m,
			  struct arm_smmu_model_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	*stats = m->stats;
	spin_unlock_irqrestore(&m->lock, flags);
}
