// SPDX-License-Identifier: GPL-2.0
/*
 * A register-level model of the original Qualcomm MSM IOMMU, for tests
 * (msm-iommu-model.h): an instance, its clock, the driver bugs it saw and
 * what it did. The registers are msm-iommu-model-regs.c's, the walk
 * msm-iommu-model-walk.c's, the TLB and masters' accesses
 * msm-iommu-model-tlb.c's.
 *
 * Choices the header left to the model:
 * - reset: every register 0 but REV (configured) and IDR (the
 *   configuration); so every M2VCBR routes its MID to context bank 0,
 *   whose SCTLR.M is clear: masters bypass until a bank is enabled;
 * - the clock: one gate for the instance, as the hardware has (the old
 *   driver's pclk and optional core clk, enabled together around its
 *   register accesses); masters' accesses do not need it;
 * - the context fault controls CFERE and CFEIE are ACTLR's (the
 *   header's), not SCTLR's;
 * - a master's access is unprivileged data unless it says otherwise;
 *   ACTLR.PRIVCFG, the TEX remap (SCTLR.TRE, PRRR, NMRR), memory types,
 *   shareability, CR, BYPASSD, the TLB lock-down and read-back registers
 *   are kept but do nothing.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include "msm-iommu-model-priv.h"

/**
 * msmm_bug() - count and name a driver bug the model saw
 * @m: the model
 * @what: the bug
 * @off: the register offset it was seen at
 *
 * Context: the model's lock held.
 */
void msmm_bug(struct msm_iommu_model *m, const char *what, unsigned int off)
{
	m->bugs++;
	pr_warn("msm-iommu-model: driver bug: %s (register %#x)\n", what, off);
}

/**
 * msm_iommu_model_create() - a unit, just out of reset, its clock off
 * @cfg: what it has; copied
 *
 * Context: process; sleeps.
 * Return: the model, or an ERR_PTR(): -EINVAL for a configuration out of
 * the model's limits, -ENOMEM.
 */
struct msm_iommu_model *
msm_iommu_model_create(const struct msm_iommu_model_config *cfg)
{
	struct msm_iommu_model *m;

	if (!cfg->ncb || cfg->ncb > MSM_IOMMU_MODEL_MAX_CB ||
	    !cfg->nmid || cfg->nmid > MSM_IOMMU_MODEL_MAX_MID ||
	    !cfg->tlb_entries || cfg->tlb_entries > MSM_IOMMU_MODEL_MAX_TLB)
		return ERR_PTR(-EINVAL);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->cfg = *cfg;
	spin_lock_init(&m->lock);
	return m;
}

/**
 * msm_iommu_model_destroy() - free a model
 * @m: the model, or NULL
 *
 * Context: process.
 */
void msm_iommu_model_destroy(struct msm_iommu_model *m)
{
	kfree(m);
}

/**
 * msm_iommu_model_regs() - point a driver's register seam at the model
 * @m: the model
 * @regs: the seam to fill
 *
 * Context: any.
 */
void msm_iommu_model_regs(struct msm_iommu_model *m, struct iox_regs *regs)
{
	regs->base = NULL;
	regs->ops = &msm_iommu_model_reg_ops;
	regs->model = m;
}

/**
 * msm_iommu_model_clk_set() - gate the unit's register clock
 * @m: the model
 * @on: running
 *
 * What a driver's clock enable and disable become in tests.
 *
 * Context: any.
 */
void msm_iommu_model_clk_set(struct msm_iommu_model *m, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	m->clk_on = on;
	spin_unlock_irqrestore(&m->lock, flags);
}

/**
 * msm_iommu_model_bugs() - driver bugs the model saw
 * @m: the model
 *
 * Each was named in a pr_warn() when seen.
 *
 * Context: any.
 * Return: their number since creation.
 */
unsigned long msm_iommu_model_bugs(struct msm_iommu_model *m)
{
	unsigned long flags, bugs;

	spin_lock_irqsave(&m->lock, flags);
	bugs = m->bugs;
	spin_unlock_irqrestore(&m->lock, flags);
	return bugs;
}

/**
 * msm_iommu_model_stats() - what the model did since creation
 * @m: the model
 * @stats: filled
 *
 * Context: any.
 */
void msm_iommu_model_stats(struct msm_iommu_model *m,
			   struct msm_iommu_model_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	*stats = m->stats;
	spin_unlock_irqrestore(&m->lock, flags);
}
