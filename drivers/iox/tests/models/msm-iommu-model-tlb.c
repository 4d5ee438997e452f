// SPDX-License-Identifier: GPL-2.0
/*
 * The MSM IOMMU model's TLB and its masters' accesses: a master's port
 * (MID) picks a context bank through its M2VCBR entry; the bank's TLB
 * entries are tagged with its VMID (CBACRn.CBVMID) and its ASID
 * (CONTEXTIDR.ASID), and kept until an invalidation register drops them.
 *
 * The header has no TLB sync or status register (the old driver followed
 * each invalidation with a barrier only), so an invalidation takes effect
 * at its register write.
 */
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "msm-iommu-model-priv.h"

static u32 msmm_page_mask(const struct msmm_tlb_entry *e)
{
	return (u32)((1ULL << e->shift) - 1);
}

/**
 * msmm_cb_vmid() - the VMID context bank @cb's TLB entries carry
 * @m: the model
 * @cb: the context bank
 *
 * Context: the model's lock held.
 * Return: CBACRn.CBVMID of @cb.
 */
u8 msmm_cb_vmid(struct msm_iommu_model *m, unsigned int cb)
{
	return FIELD_GET(MSMM_CBACR_CBVMID, m->cbacr[cb]);
}

static struct msmm_tlb_entry *msmm_tlb_lookup(struct msm_iommu_model *m,
					      u8 vmid, u8 asid, u32 va)
{
	unsigned int i;

	for (i = 0; i < m->cfg.tlb_entries; i++) {
		struct msmm_tlb_entry *e = &m->tlb[i];

		if (e->valid && e->vmid == vmid &&
		    (e->global || e->asid == asid) &&
		    (va & ~msmm_page_mask(e)) == e->va)
			return e;
	}
	return NULL;
}

/* Round-robin, so a test knows which entry the next fill replaces. */
static void msmm_tlb_fill(struct msm_iommu_model *m,
			  const struct msmm_tlb_entry *e)
{
	struct msmm_tlb_entry *slot = &m->tlb[m->tlb_next];

	if (slot->valid)
		m->stats.evictions++;
	*slot = *e;
	slot->valid = true;
	m->tlb_next = (m->tlb_next + 1) % m->cfg.tlb_entries;
	m->stats.tlb_fills++;
}

/**
 * msmm_tlbi() - drop TLB entries
 * @m: the model
 * @vmid: only entries of this VMID, or any if negative
 * @asid: only entries of this ASID, or any if negative; with @by_va,
 *	global entries match every ASID, without, an ASID drops only its
 *	non-global entries (ARM ARM B4.2.2, TLBIVA and TLBIASID)
 * @by_va: only the entries translating @va
 * @va: the address
 *
 * Context: the model's lock held.
 */
void msmm_tlbi(struct msm_iommu_model *m, int vmid, int asid, bool by_va,
	       u32 va)
{
	unsigned int i;

	m->stats.invalidations++;
	for (i = 0; i < m->cfg.tlb_entries; i++) {
		struct msmm_tlb_entry *e = &m->tlb[i];

		if (!e->valid || (vmid >= 0 && e->vmid != vmid))
			continue;
		if (asid >= 0 && (e->global ? !by_va : e->asid != asid))
			continue;
		if (by_va && (va & ~msmm_page_mask(e)) != e->va)
			continue;
		e->valid = false;
		m->stats.invalidated++;
	}
}

/**
 * msmm_translate() - translate @va in context bank @cb, its MMU on
 * @m: the model
 * @cb: the context bank
 * @va: the input address
 * @attrs: MSM_IOMMU_MODEL_* attributes of the access
 * @fill: put what a walk finds in the TLB
 * @x: the outcome
 *
 * A leaf that fails the access's permissions is still cached, as a TLB
 * may (B3.10.1); one whose access flag is clear is not (B3.7.3).
 *
 * Context: the model's lock held.
 */
void msmm_translate(struct msm_iommu_model *m, unsigned int cb, u32 va,
		    unsigned int attrs, bool fill, struct msmm_xlate *x)
{
	const struct msmm_ctx *c = &m->ctx[cb];
	u8 vmid = msmm_cb_vmid(m, cb);
	u8 asid = FIELD_GET(MSMM_CONTEXTIDR_ASID, c->contextidr);
	struct msmm_tlb_entry *hit, e;
	u32 fault;

	memset(x, 0, sizeof(*x));
	hit = msmm_tlb_lookup(m, vmid, asid, va);
	if (hit) {
		m->stats.tlb_hits++;
		x->hit = true;
		e = *hit;
	} else {
		msmm_walk(m, cb, va, &e, &x->fsr);
		if (x->fsr)
			return;
		e.vmid = vmid;
		e.asid = asid;
	}
	fault = msmm_perm_fault(c, e.ap, e.xn, attrs);
	if (!hit && fill && fault != MSMM_FSR_AFF)
		msmm_tlb_fill(m, &e);
	if (fault) {
		x->fsr = fault | (e.second_level ? MSMM_FSR_SL : 0);
		return;
	}
	x->pa = e.pa | (va & msmm_page_mask(&e));
	x->supersection = e.shift == 24;
}

/*
 * A context fault: the first is recorded in FSR, FAR and FSYNRn, a later
 * one while it is uncleared only sets FSR.MULTI. With ACTLR.CFCFG the
 * access stalls (FSR.SS) until RESUME; the model's access has returned
 * its fault by then, so RESUME only clears SS. True if the context
 * interrupt is enabled (ACTLR.CFEIE).
 */
static bool msmm_context_fault(struct msm_iommu_model *m, unsigned int cb,
			       unsigned int mid, u32 va, unsigned int attrs,
			       u32 fsr)
{
	struct msmm_ctx *c = &m->ctx[cb];

	m->stats.faults++;
	if (c->fsr & MSMM_FSR_FAULT) {
		c->fsr |= MSMM_FSR_MULTI;
	} else {
		c->fsr |= fsr;
		c->far = va;
		c->fsynr0 = FIELD_PREP(MSMM_FSYNR0_AMID, mid);
		c->fsynr1 = (attrs & MSM_IOMMU_MODEL_WRITE ?
			     MSMM_FSYNR1_AWRITE : 0) |
			    (attrs & MSM_IOMMU_MODEL_PRIV ?
			     MSMM_FSYNR1_APRIV : 0) |
			    (attrs & MSM_IOMMU_MODEL_INST ?
			     MSMM_FSYNR1_AINST : 0);
	}
	if (c->actlr & MSMM_ACTLR_CFCFG)
		c->fsr |= MSMM_FSR_SS;
	return c->actlr & MSMM_ACTLR_CFEIE;
}

/* A MID routed to a context bank the unit lacks: the global ESR's. */
static void msmm_global_error(struct msm_iommu_model *m, unsigned int mid,
			      u32 va, unsigned int attrs)
{
	m->stats.global_errors++;
	if (m->esr & MSMM_ESR_CFG) {
		m->esr |= MSMM_ESR_MULTI;
		return;
	}
	m->esr |= MSMM_ESR_CFG;
	m->ear = va;
	m->esynr0 = FIELD_PREP(MSMM_ESYNR0_AMID, mid);
	m->esynr1 = attrs & MSM_IOMMU_MODEL_WRITE ? MSMM_FSYNR1_AWRITE : 0;
}

/**
 * msm_iommu_model_access() - a master's access through the unit
 * @m: the model
 * @mid: the master's port, below the configuration's @nmid
 * @iova: the address the master puts out
 * @attrs: MSM_IOMMU_MODEL_* attributes
 * @pa: the physical address reached
 *
 * The access does not need the register clock: the old driver gated it
 * off between register accesses while its masters ran.
 *
 * Context: any; calls the context interrupt (see struct
 * msm_iommu_model_config) before it returns.
 * Return: 0 and *@pa; -EFAULT on a context fault (recorded in the
 * bank's FSR, FAR and FSYNRn) or a global error (ESR); -EINVAL for a
 * @mid the unit lacks.
 */
int msm_iommu_model_access(struct msm_iommu_model *m, unsigned int mid,
			   u32 iova, unsigned int attrs, phys_addr_t *pa)
{
	unsigned long flags;
	struct msmm_xlate x;
	unsigned int cb;
	bool irq = false;
	int ret = 0;

	if (mid >= m->cfg.nmid)
		return -EINVAL;
	spin_lock_irqsave(&m->lock, flags);
	cb = FIELD_GET(MSMM_M2VCBR_CBNDX, m->m2vcbr[mid]);
	if (cb >= m->cfg.ncb) {
		msmm_global_error(m, mid, iova, attrs);
		ret = -EFAULT;
	} else if (!(m->ctx[cb].sctlr & MSMM_SCTLR_M)) {
		m->stats.bypassed++;
		*pa = iova;
	} else {
		msmm_translate(m, cb, iova, attrs, true, &x);
		if (x.fsr) {
			irq = msmm_context_fault(m, cb, mid, iova, attrs,
						 x.fsr) && m->cfg.irq;
			if (irq)
				m->stats.irqs++;
			ret = -EFAULT;
		} else {
			*pa = x.pa;
		}
	}
	spin_unlock_irqrestore(&m->lock, flags);
	/* Unlocked: the handler reads FSR and clears it, as a driver does. */
	if (irq)
		m->cfg.irq(m->cfg.irq_data, cb);
	return ret;
}

/**
 * msm_iommu_model_dma() - an endpoint's unprivileged data access
 * @m: the model
 * @mid: the endpoint's master port
 * @iova: the address it puts out
 * @write: a write, else a read
 * @pa: the physical address reached
 *
 * Context: as msm_iommu_model_access().
 * Return: as msm_iommu_model_access().
 */
int msm_iommu_model_dma(struct msm_iommu_model *m, unsigned int mid,
			u32 iova, bool write, phys_addr_t *pa)
{
	return msm_iommu_model_access(m, mid, iova,
				      write ? MSM_IOMMU_MODEL_WRITE : 0, pa);
}
