/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MSM IOMMU model's insides, shared by its files: the register file
 * (msm-iommu-model-regs.c), the table walk (msm-iommu-model-walk.c), the
 * TLB and the masters' accesses (msm-iommu-model-tlb.c).
 */
#ifndef _IOX_MSM_IOMMU_MODEL_PRIV_H
#define _IOX_MSM_IOMMU_MODEL_PRIV_H

#include <linux/spinlock.h>
#include "msm-iommu-model.h"

/* A context bank's registers; write-only ones keep no state. */
struct msmm_ctx {
	u32 sctlr, actlr, contextidr, ttbr0, ttbr1, ttbcr, par;
	u32 fsr, far, fsynr0, fsynr1, prrr, nmrr, tlblckr, v2psr;
	u32 tlbflpter, tlbslpter, bfbcr;
	bool ttbr0_written;	/* since reset: SCTLR.M needs a table */
};

/* One translation the TLB holds: the leaf's page, its AP and XN. */
struct msmm_tlb_entry {
	bool valid;
	bool global;		/* nG clear: matches every ASID */
	bool second_level;	/* for FSR.SL of a permission fault */
	u8 vmid, asid;
	u8 ap;			/* AP[2:0] */
	bool xn;
	unsigned int shift;	/* 12, 16, 20 or 24 */
	u32 va, pa;		/* the page's base, aligned to 1 << shift */
};

/* The outcome of a translation: the PA, or the FSR bits of the fault. */
struct msmm_xlate {
	u32 pa;
	u32 fsr;		/* 0: no fault */
	bool supersection;
	bool hit;		/* the TLB answered */
};

struct msm_iommu_model {
	struct msm_iommu_model_config cfg;
	spinlock_t lock;	/* everything below */
	bool clk_on;
	u32 m2vcbr[MSM_IOMMU_MODEL_MAX_MID];
	u32 cbacr[MSM_IOMMU_MODEL_MAX_CB];
	u32 tlbrsw, tlbtr[3], testbuscr, cr, ear, esr, esynr0, esynr1;
	u32 rpu_acr;
	struct msmm_ctx ctx[MSM_IOMMU_MODEL_MAX_CB];
	struct msmm_tlb_entry tlb[MSM_IOMMU_MODEL_MAX_TLB];
	unsigned int tlb_next;	/* round-robin victim */
	unsigned long bugs;
	struct msm_iommu_model_stats stats;
};

void msmm_bug(struct msm_iommu_model *m, const char *what, unsigned int off);

/* Table walk (msm-iommu-model-walk.c); the lock held. */
void msmm_walk(struct msm_iommu_model *m, unsigned int cb, u32 va,
	       struct msmm_tlb_entry *e, u32 *fsr);
u32 msmm_perm_fault(const struct msmm_ctx *c, u8 ap, bool xn,
		    unsigned int attrs);

/* TLB and translation (msm-iommu-model-tlb.c); the lock held. */
u8 msmm_cb_vmid(struct msm_iommu_model *m, unsigned int cb);
void msmm_translate(struct msm_iommu_model *m, unsigned int cb, u32 va,
		    unsigned int attrs, bool fill, struct msmm_xlate *x);
void msmm_tlbi(struct msm_iommu_model *m, int vmid, int asid, bool by_va,
	       u32 va);

#endif /* _IOX_MSM_IOMMU_MODEL_PRIV_H */
