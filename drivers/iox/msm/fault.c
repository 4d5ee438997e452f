// SPDX-License-Identifier: GPL-2.0
/*
 * iox-msm: context faults (FSR, FAR, FSYNR0's master port, FSYNR1's
 * write bit), reported through the core to the bank's domain; a fault in
 * the blocked bank has no domain and is logged by the core.
 */
#define pr_fmt(fmt) "iox-msm: " fmt

#include <linux/bitfield.h>
#include "msm-priv.h"

/* The device of master port @mid, or the unit's own. */
static struct device *msm_mid_dev(struct msm_unit *mu, u8 mid)
{
	struct device *dev = mu->iox.hwdev;
	struct msm_master *m;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&mu->lock, flags);
	list_for_each_entry(m, &mu->masters, node)
		for (i = 0; i < m->nr_mids; i++)
			if (m->mids[i] == mid)
				dev = m->dev;
	spin_unlock_irqrestore(&mu->lock, flags);
	return dev;
}

static bool msm_context_fault(struct msm_unit *mu, unsigned int cb)
{
	const struct iox_regs *r = &mu->regs;
	u32 fsr = iox_readl(r, MSM_CTX(cb, CTX_FSR));
	u8 mid;

	if (!(fsr & FSR_FAULT))
		return false;
	mid = FIELD_GET(FSYNR0_AMID, iox_readl(r, MSM_CTX(cb, CTX_FSYNR0)));
	iox_ctx_report_fault(&mu->cbs, cb, msm_mid_dev(mu, mid),
			     iox_readl(r, MSM_CTX(cb, CTX_FAR)),
			     iox_readl(r, MSM_CTX(cb, CTX_FSYNR1)) &
			     FSYNR1_AWRITE ? IOX_FAULT_WRITE : IOX_FAULT_READ,
			     fsr);
	iox_writel(r, MSM_CTX(cb, CTX_FSR), fsr);
	return true;
}

/**
 * iox_msm_handle_irq() - the unit's context interrupt
 * @unit: the unit
 *
 * Reads and clears the fault status of every bank in use and of the
 * blocked bank, reporting what it finds.
 *
 * Context: Any context, including hard IRQ.
 * Return: the faults found (0: the interrupt was not this unit's).
 */
unsigned int iox_msm_handle_irq(struct iox_unit *unit)
{
	struct msm_unit *mu = to_msm_unit(unit);
	unsigned int cb, n = 0;

	if (msm_clk_on(mu))
		return 0;
	for (cb = 0; cb < mu->ncb; cb++)
		if ((cb == mu->blocked_cb || iox_ctx_in_use(&mu->cbs, cb)) &&
		    msm_context_fault(mu, cb))
			n++;
	msm_clk_off(mu);
	return n;
}
EXPORT_SYMBOL_GPL(iox_msm_handle_irq);
